// Dose proportionality by the power model (Gough et al. 1995; Smith et al., Pharm Res 2000;17:1278):
//   ln(PK parameter) = a + b·ln(dose), ordinary least squares over subjects.
// b = 1 means proportionality. The (1 − α) CI of b is b ± t(1 − α/2, n − 2)·SE(b); the default level
// is 90% (α = 0.10). Smith et al.'s criterion: dose proportionality is concluded over the dose ratio
// r = max dose/min dose when the CI lies within [1 + ln θL/ln r, 1 + ln θU/ln r], θL = 0.8, θU = 1.25.

import { linearRegression } from '../stats/linearRegression';
import { qt } from '../stats/tDistribution';

export interface DosePoint {
  dose: number;
  value: number;
}

export interface DoseProportionalityResult {
  /** Points used (dose > 0 and value > 0). */
  n: number;
  /** Points skipped because dose or value was missing or ≤ 0. */
  nExcluded: number;
  intercept: number;
  slope: number;
  seSlope: number;
  df: number;
  level: number;
  ciLower: number;
  ciUpper: number;
  r2: number;
  /** Smith et al. acceptance interval for b and whether the CI lies inside it (null if one dose). */
  criterion: { doseRatio: number; lower: number; upper: number; proportional: boolean } | null;
}

export interface DoseProportionalityOptions {
  /** Confidence level of the CI of b (default 0.9). */
  level?: number;
  thetaLower?: number;
  thetaUpper?: number;
}

export function doseProportionality(
  points: readonly DosePoint[],
  options: DoseProportionalityOptions = {},
): DoseProportionalityResult {
  const level = options.level ?? 0.9;
  const x: number[] = [];
  const y: number[] = [];
  let minDose = Infinity;
  let maxDose = -Infinity;
  for (const p of points) {
    if (!(p.dose > 0) || !(p.value > 0) || !Number.isFinite(p.value)) continue;
    x.push(Math.log(p.dose));
    y.push(Math.log(p.value));
    minDose = Math.min(minDose, p.dose);
    maxDose = Math.max(maxDose, p.dose);
  }
  if (x.length < 3) throw new RangeError('the power model needs at least 3 points with dose > 0 and value > 0');
  if (minDose === maxDose) throw new RangeError('the power model needs at least two different doses');
  const fit = linearRegression(x, y);
  const tq = qt(1 - (1 - level) / 2, fit.df);
  const ciLower = fit.slope - tq * fit.seSlope;
  const ciUpper = fit.slope + tq * fit.seSlope;
  const r = maxDose / minDose;
  const thL = options.thetaLower ?? 0.8;
  const thU = options.thetaUpper ?? 1.25;
  const lower = 1 + Math.log(thL) / Math.log(r);
  const upper = 1 + Math.log(thU) / Math.log(r);
  return {
    n: x.length,
    nExcluded: points.length - x.length,
    intercept: fit.intercept,
    slope: fit.slope,
    seSlope: fit.seSlope,
    df: fit.df,
    level,
    ciLower,
    ciUpper,
    r2: fit.r2,
    criterion: { doseRatio: r, lower, upper, proportional: ciLower >= lower && ciUpper <= upper },
  };
}
