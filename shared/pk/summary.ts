// Descriptive statistics of NCA parameters by dose level, and the parameters the IBB0979 seed asks for
// (docs/CLINICAL_RULES.md#pk-summary: single dose Cmax, Cmin, Tmax, AUC0-t, AUC0-inf, CL, Vd (Vz), t1/2, lambda_z; multiple
// dose Css,max, Css,min, Css,av, AUCss, CLss, Vss, R, DF).
//
// Statistics (the usual PK summary table; e.g. FDA/EMA bioequivalence guidance conventions and
// Julious & Debarnot, J Biopharm Stat 2000;10:55 for the geometric CV):
//   mean, SD (n − 1 denominator), arithmetic CV% = 100·SD/mean,
//   geometric mean = exp(mean of ln x), geometric CV% = 100·√(exp(s²) − 1), s = SD of ln x
//   (only when every value is > 0), median, min, max.
// The CV% shown for a log-normal parameter (concentrations, AUCs, clearances, volumes, t1/2, λz, R)
// is the geometric CV%; for Tmax and DF it is the arithmetic CV% (`cvKind` says which).

import type { Route } from '../nca/types';
import type { PkInterval } from './profiles';

export interface Descriptive {
  n: number;
  mean: number | null;
  sd: number | null;
  cvPct: number | null;
  geoMean: number | null;
  geoCvPct: number | null;
  median: number | null;
  min: number | null;
  max: number | null;
}

/** Descriptive statistics of the finite values (nulls and NaN are skipped). */
export function describe(values: readonly (number | null | undefined)[]): Descriptive {
  const x = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  const n = x.length;
  if (n === 0) return { n, mean: null, sd: null, cvPct: null, geoMean: null, geoCvPct: null, median: null, min: null, max: null };
  const mean = x.reduce((a, v) => a + v, 0) / n;
  const sd = n > 1 ? Math.sqrt(x.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : null;
  const allPositive = x[0]! > 0;
  let geoMean: number | null = null;
  let geoCvPct: number | null = null;
  if (allPositive) {
    const logs = x.map(Math.log);
    const lm = logs.reduce((a, v) => a + v, 0) / n;
    geoMean = Math.exp(lm);
    if (n > 1) {
      const s2 = logs.reduce((a, v) => a + (v - lm) ** 2, 0) / (n - 1);
      geoCvPct = 100 * Math.sqrt(Math.exp(s2) - 1);
    }
  }
  const median = n % 2 === 1 ? x[(n - 1) / 2]! : (x[n / 2 - 1]! + x[n / 2]!) / 2;
  return {
    n,
    mean,
    sd,
    cvPct: sd !== null && mean !== 0 ? (100 * sd) / mean : null,
    geoMean,
    geoCvPct,
    median,
    min: x[0]!,
    max: x[n - 1]!,
  };
}

export interface SeedParameter {
  /** Label as the committee reads it. */
  label: string;
  /** CDISC PPTESTCD for the route. */
  code: string;
  /** Summarised with the geometric mean and geometric CV%. */
  logNormal: boolean;
}

/** The seed's parameters for an interval and route, with their CDISC codes. */
export function seedParameters(interval: PkInterval, route: Route): SeedParameter[] {
  const ev = route === 'extravascular';
  if (interval === 'single') {
    return [
      { label: 'Cmax', code: 'CMAX', logNormal: true },
      { label: 'Cmin', code: 'CMIN', logNormal: true },
      { label: 'Tmax', code: 'TMAX', logNormal: false },
      { label: 'AUC0-t', code: 'AUCLST', logNormal: true },
      { label: 'AUC0-inf', code: 'AUCIFO', logNormal: true },
      { label: ev ? 'CL/F' : 'CL', code: ev ? 'CLFO' : 'CLO', logNormal: true },
      { label: ev ? 'Vz/F' : 'Vz', code: ev ? 'VZFO' : 'VZO', logNormal: true },
      { label: 't1/2', code: 'LAMZHL', logNormal: true },
      { label: 'lambda_z', code: 'LAMZ', logNormal: true },
    ];
  }
  return [
    { label: 'Css,max', code: 'CMAX', logNormal: true },
    { label: 'Css,min', code: 'CMIN', logNormal: true },
    { label: 'Css,av', code: 'CAVG', logNormal: true },
    { label: 'AUCss (AUCtau)', code: 'AUCTAU', logNormal: true },
    { label: ev ? 'CLss/F' : 'CLss', code: ev ? 'CLFTAU' : 'CLTAU', logNormal: true },
    // Vss needs an IV route (MRT·CL); for extravascular dosing the steady-state volume is Vz/F.
    ev ? { label: 'Vz,ss/F', code: 'VZFTAU', logNormal: true } : { label: 'Vss', code: 'VSSO', logNormal: true },
    { label: 'R (AUCtau ss / first dose)', code: 'ARAUC', logNormal: true },
    { label: 'DF (fluctuation %)', code: 'FLUCP', logNormal: false },
  ];
}
