// Terminal elimination rate constant λz by unweighted log-linear regression.
//
// Automatic "best fit" (docs/CLINICAL_RULES.md#nca "λz selection"; NonCompart .findBestSlope, PKNCA pk.calc.half.life):
//  1. candidates: observed samples with C > 0 strictly after Tmax (non-bolus) or from Tmax (IV bolus);
//  2. each fit uses the last n candidates ending at Tlast, n ≥ minHlPoints (3);
//  3. OLS of ln C on t, λz = −slope must be > 0, R²adj = 1 − (1−R²)(n−1)/(n−2);
//  4. keep fits with R²adj > max R²adj − adjRSquaredFactor (1e-4), take the one with the most points.
// The candidate fits are scanned from Tlast backwards with running (Welford) sums, so the scan is
// O(n); the chosen fit is then recomputed with a two-pass regression for the reported values.

import { linearRegression } from '../stats/linearRegression';
import { f64Buffer, Slot } from './scratch';
import type { LambdaZFit, LambdaZMethod } from './types';

export interface LambdaZSelection {
  minHlPoints: number;
  adjRSquaredFactor: number;
}

/** Regression of ln C on t over the sample indices indices[from .. from+count) (ascending). */
export function fitLogLinear(
  time: ArrayLike<number>,
  conc: ArrayLike<number>,
  indices: ArrayLike<number>,
  from: number,
  count: number,
  method: LambdaZMethod,
  excludedTimes: number[] = [],
): LambdaZFit {
  const x = f64Buffer(Slot.FitX, count);
  const y = f64Buffer(Slot.FitY, count);
  const times: number[] = new Array(count);
  const concs: number[] = new Array(count);
  for (let k = 0; k < count; k++) {
    const i = indices[from + k]!;
    x[k] = time[i]!;
    y[k] = Math.log(conc[i]!);
    times[k] = time[i]!;
    concs[k] = conc[i]!;
  }
  const fit = linearRegression(x, y, 0, count);
  return {
    method,
    lambdaZ: -fit.slope,
    intercept: fit.intercept,
    r2: fit.r2,
    adjR2: fit.adjR2,
    corrXY: fit.corr,
    nPoints: count,
    lower: times[0]!,
    upper: times[count - 1]!,
    times,
    concs,
    excludedTimes,
  };
}

/**
 * Best-fit selection over candidate indices `cand[0..nCand)` (ascending, all with C > 0).
 * Returns the number of trailing candidates of the chosen fit, or 0 when no fit qualifies.
 */
export function selectBestFitCount(
  time: ArrayLike<number>,
  conc: ArrayLike<number>,
  cand: ArrayLike<number>,
  nCand: number,
  sel: LambdaZSelection,
): number {
  const minPts = Math.max(2, sel.minHlPoints);
  if (nCand < minPts) return 0;
  const adj = f64Buffer(Slot.AdjR2, nCand + 1); // adj[n] = R²adj of the last-n fit, NaN if not eligible
  let best = -Infinity;
  let n = 0;
  let mx = 0;
  let my = 0;
  let cxx = 0;
  let cxy = 0;
  let cyy = 0;
  for (let k = nCand - 1; k >= 0; k--) {
    const i = cand[k]!;
    const x = time[i]!;
    const y = Math.log(conc[i]!);
    n++;
    const dx = x - mx;
    const dy = y - my;
    mx += dx / n;
    my += dy / n;
    cxx += dx * (x - mx);
    cxy += dx * (y - my);
    cyy += dy * (y - my);
    adj[n] = NaN;
    if (n < minPts) continue;
    const slope = cxy / cxx;
    if (!(slope < 0)) continue; // λz must be > 0
    const r2 = cyy > 0 ? (cxy * cxy) / (cxx * cyy) : 1;
    const a = n > 2 ? 1 - ((1 - r2) * (n - 1)) / (n - 2) : r2;
    adj[n] = a;
    if (a > best) best = a;
  }
  if (best === -Infinity) return 0;
  for (let m = nCand; m >= minPts; m--) {
    const a = adj[m]!;
    if (a === a && a > best - sel.adjRSquaredFactor) return m;
  }
  return 0;
}

/** PKNCA `min.hl.points` default; Phoenix WinNonlin needs at least 3 points for Lambda_z as well. */
export const MIN_HL_POINTS = 3;

export type LambdaZEstimability = { estimable: true } | { estimable: false; reason: string };

/**
 * Whether a terminal fit estimates λz at all. A terminal phase needs at least `minHlPoints` (3)
 * points after Cmax (PKNCA pk.calc.half.life `min.hl.points = 3`; Phoenix WinNonlin: Lambda_z is not
 * estimated from fewer than three points, and Cmax is not a terminal point for non-bolus dosing) and
 * a negative slope of ln C on t (λz = −slope > 0; PKNCA and WinNonlin report no λz otherwise). A fit
 * that fails either rule is "not estimable": no λz, and no parameter derived from it (t½, AUC0-inf,
 * %extrap, CL, Vz, Vss, MRTinf, accumulation index…).
 * `pointsAfterCmax` counts the fitted points strictly after Tmax (from Tmax for an IV bolus);
 * `slope` is the regression slope of ln C on t, or null when no regression could be made.
 */
export function lambdaZEstimability(pointsAfterCmax: number, slope: number | null, minHlPoints = MIN_HL_POINTS): LambdaZEstimability {
  const min = minHlPoints;
  if (pointsAfterCmax < min) {
    const n = pointsAfterCmax === 1 ? '1 point' : `${pointsAfterCmax} points`;
    return { estimable: false, reason: `only ${n} after Cmax, at least ${min} needed` };
  }
  if (slope === null || !(slope < 0)) return { estimable: false, reason: 'the concentrations do not decline over the chosen points (slope ≥ 0)' };
  return { estimable: true };
}

/** The note shown wherever λz and the parameters that depend on it are empty. */
export const notEstimable = (reason: string): string => `not estimable: ${reason}`;
