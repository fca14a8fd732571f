// Kaplan–Meier survival, Greenwood variance, confidence bands, quantiles (median) and the log-rank
// test — numerically the same as R's survival package (survfit, summary.survfit, quantile.survfit,
// survdiff; Therneau, survival 3.5). Pure functions; O(n log n) (one sort).

import { chiSquareUpperTail, normalQuantile } from './stats/dist';

export type ConfType = 'log' | 'log-log' | 'plain';

export interface KaplanMeierOptions {
  /** Confidence band transform. DoseDesk default 'log-log' (docs/CLINICAL_RULES.md#kaplan-meier); R's survfit default is 'log'. */
  confType?: ConfType;
  /** Confidence level, default 0.95. */
  level?: number;
}

/** One Kaplan–Meier curve in columns: one entry per distinct observed time (events or censorings), as survfit. */
export interface KaplanMeierCurve {
  n: number;
  events: number;
  censored: number;
  confType: ConfType;
  level: number;
  time: number[];
  /** Number at risk just before `time` (time >= t). */
  nRisk: number[];
  nEvent: number[];
  nCensor: number[];
  surv: number[];
  /** Standard error of S(t) (summary.survfit's std.err): S · se(H). */
  stdErr: number[];
  /** Greenwood standard error of the cumulative hazard H = −log S (survfit's `std.err` component). */
  stdErrLog: number[];
  /** Lower/upper confidence limits; NaN where R gives NA (log: S = 0; log-log: S = 0 or 1). */
  lower: number[];
  upper: number[];
}

export type EventFlag = 0 | 1 | boolean;

/** Two-sided normal quantile z = Φ⁻¹(1 − (1 − level)/2) (R: qnorm(1 - (1-conf.int)/2)). */
function zForLevel(level: number): number {
  return normalQuantile(1 - (1 - level) / 2);
}

/**
 * Pointwise confidence limits for S from se(H) (R survival:::survfit_confint, logse = TRUE):
 *   plain:   S ∓ z·se(H)·S, clipped to [0, 1]
 *   log:     S·exp(∓z·se(H)), upper capped at 1; NA when S = 0
 *   log-log: exp(−exp(log(−log S) ∓ z·se(H)/log S)); NA when S = 0 or 1
 */
export function survivalConfidenceLimits(
  surv: number,
  seLog: number,
  confType: ConfType,
  z: number,
): { lower: number; upper: number } {
  if (confType === 'plain') {
    const half = z * seLog * surv;
    return { lower: Math.max(surv - half, 0), upper: Math.min(surv + half, 1) };
  }
  if (confType === 'log') {
    if (surv === 0) return { lower: NaN, upper: NaN };
    const logS = Math.log(surv);
    return { lower: Math.exp(logS - z * seLog), upper: Math.min(Math.exp(logS + z * seLog), 1) };
  }
  if (surv === 0 || surv === 1) return { lower: NaN, upper: NaN };
  const se2 = (z * seLog) / Math.log(surv);
  const lll = Math.log(-Math.log(surv));
  return { lower: Math.exp(-Math.exp(lll - se2)), upper: Math.exp(-Math.exp(lll + se2)) };
}

function checkInput(times: readonly number[], events: readonly EventFlag[]): void {
  if (times.length !== events.length) {
    throw new RangeError(`kaplanMeier: ${times.length} times but ${events.length} event flags`);
  }
  for (let i = 0; i < times.length; i++) {
    if (!Number.isFinite(times[i])) throw new RangeError(`kaplanMeier: time[${i}] is not a finite number`);
  }
}

/** Indices of `times` in ascending time order (one O(n log n) sort). */
function sortedOrder(times: readonly number[]): Uint32Array {
  const order = new Uint32Array(times.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => times[a]! - times[b]!);
}

/**
 * Kaplan–Meier product-limit estimate (Kaplan & Meier, JASA 1958): S(t) = Π_{t_i <= t} (1 − d_i/n_i),
 * with Greenwood's variance of H = −log S: var(H) = Σ_{t_i <= t} d_i / (n_i (n_i − d_i))
 * (survfit ctype = 1, stype = 1). Events: 1/true = event (death, progression), 0/false = censored.
 */
export function kaplanMeier(
  times: readonly number[],
  events: readonly EventFlag[],
  opts: KaplanMeierOptions = {},
): KaplanMeierCurve {
  checkInput(times, events);
  const confType = opts.confType ?? 'log-log';
  const level = opts.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new RangeError(`kaplanMeier: level must be in (0, 1), got ${level}`);
  const z = zForLevel(level);
  const n = times.length;
  // Event and censoring times sorted separately with the native numeric sort (no comparator), then
  // merged: the same O(n log n) single sort of the data, without an index permutation.
  let nEv = 0;
  for (let k = 0; k < n; k++) if (events[k]) nEv++;
  const evTimes = new Float64Array(nEv);
  const cenTimes = new Float64Array(n - nEv);
  for (let k = 0, a = 0, b = 0; k < n; k++) {
    if (events[k]) evTimes[a++] = times[k]!;
    else cenTimes[b++] = times[k]!;
  }
  evTimes.sort();
  cenTimes.sort();
  const curve: KaplanMeierCurve = {
    n, events: 0, censored: 0, confType, level,
    time: [], nRisk: [], nEvent: [], nCensor: [], surv: [], stdErr: [], stdErrLog: [], lower: [], upper: [],
  };
  let atRisk = n;
  let surv = 1;
  let varH = 0;
  let ie = 0;
  let ic = 0;
  while (ie < evTimes.length || ic < cenTimes.length) {
    const te = ie < evTimes.length ? evTimes[ie]! : Infinity;
    const tc = ic < cenTimes.length ? cenTimes[ic]! : Infinity;
    const t = te < tc ? te : tc;
    let d = 0;
    let c = 0;
    while (ie < evTimes.length && evTimes[ie] === t) {
      d++;
      ie++;
    }
    while (ic < cenTimes.length && cenTimes[ic] === t) {
      c++;
      ic++;
    }
    if (d > 0) {
      surv *= 1 - d / atRisk;
      varH += atRisk === d ? Infinity : d / (atRisk * (atRisk - d));
    }
    const seLog = Math.sqrt(varH);
    curve.time.push(t);
    curve.nRisk.push(atRisk);
    curve.nEvent.push(d);
    curve.nCensor.push(c);
    curve.surv.push(surv);
    curve.stdErrLog.push(seLog);
    curve.stdErr.push(surv === 0 ? NaN : surv * seLog);
    if (d > 0 || curve.lower.length === 0) {
      const ci = survivalConfidenceLimits(surv, seLog, confType, z);
      curve.lower.push(ci.lower);
      curve.upper.push(ci.upper);
    } else {
      // Censoring only: S and se unchanged, so are the limits.
      curve.lower.push(curve.lower[curve.lower.length - 1]!);
      curve.upper.push(curve.upper[curve.upper.length - 1]!);
    }
    curve.events += d;
    curve.censored += c;
    atRisk -= d + c;
  }
  return curve;
}

/** Index of the last curve time <= t, or −1 (binary search). */
function lastIndexAtOrBefore(time: readonly number[], t: number): number {
  let lo = 0;
  let hi = time.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (time[mid]! <= t) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

/**
 * Number at risk at time t: subjects with time >= t (summary.survfit's n.risk, "at risk at t − 0").
 * Takes a fitted curve (O(log n)) or the raw follow-up times (O(n)).
 */
export function atRisk(curveOrTimes: KaplanMeierCurve | readonly number[], t: number): number {
  if (Array.isArray(curveOrTimes)) {
    let k = 0;
    for (const time of curveOrTimes as readonly number[]) if (time >= t) k++;
    return k;
  }
  const curve = curveOrTimes as KaplanMeierCurve;
  const j = lastIndexAtOrBefore(curve.time, t);
  if (j >= 0 && curve.time[j] === t) return curve.nRisk[j]!;
  const next = j + 1;
  return next < curve.time.length ? curve.nRisk[next]! : 0;
}

/** Numbers at risk at several times (the table under a KM plot). */
export function atRiskTable(curve: KaplanMeierCurve, at: readonly number[]): Array<{ time: number; nRisk: number }> {
  return at.map((time) => ({ time, nRisk: atRisk(curve, time) }));
}

export interface SurvivalAt {
  time: number;
  surv: number;
  /** Standard error of S(t) (summary.survfit std.err). */
  stdErr: number;
  lower: number;
  upper: number;
  nRisk: number;
}

/**
 * S(t) with its CI as summary(fit, times = t): the step function is right-continuous, so S(t) is the
 * value at the last time <= t; before the first time S = 1 with se 0 and limits 1.
 */
export function survivalAt(curve: KaplanMeierCurve, t: number): SurvivalAt {
  const j = lastIndexAtOrBefore(curve.time, t);
  const nRisk = atRisk(curve, t);
  if (j < 0) return { time: t, surv: 1, stdErr: 0, lower: 1, upper: 1, nRisk };
  return { time: t, surv: curve.surv[j]!, stdErr: curve.stdErr[j]!, lower: curve.lower[j]!, upper: curve.upper[j]!, nRisk };
}

/** R's quantile.survfit default tolerance, sqrt(.Machine$double.eps). */
export const QUANTILE_TOLERANCE = Math.sqrt(Number.EPSILON);

/**
 * Where a horizontal line at cumulative probability p meets the step function y = 1 − S(x)
 * (R survival:::findq). x[0] is the start time (0) with y = 0. Duplicate y values (censorings) are
 * dropped, keeping the first. If the curve is flat at exactly p (within `tol`), the result is the
 * midpoint of the flat: (time it reaches p + time it leaves p) / 2, or (time it reaches p + last
 * observed time) / 2 when the flat is the end of the curve. null when the line never meets the curve.
 */
function findQuantile(x: readonly number[], y: readonly number[], p: number, tol: number): number | null {
  let maxY = -Infinity;
  for (const v of y) if (!Number.isNaN(v) && v > maxY) maxY = v;
  if (maxY < p) return null;
  const xmax = x[x.length - 1]!;
  // Drop duplicated y (R duplicated(): the first of equal values stays; NaN counts as a value).
  // For a monotone curve equal values are adjacent (ignoring NaN), so no hash set is needed.
  const xs: number[] = [];
  const ys: number[] = [];
  let monotone = true;
  let prev = -Infinity;
  for (const v of y) {
    if (Number.isNaN(v)) continue;
    if (v < prev) {
      monotone = false;
      break;
    }
    prev = v;
  }
  if (monotone) {
    let seenNaN = false;
    let lastKept = NaN;
    for (let i = 0; i < y.length; i++) {
      const v = y[i]!;
      if (Number.isNaN(v)) {
        if (seenNaN) continue;
        seenNaN = true;
      } else if (v === lastKept) continue;
      else lastKept = v;
      xs.push(x[i]!);
      ys.push(v);
    }
  } else {
    const seen = new Set<number>(); // a Set treats NaN as equal to NaN, like duplicated()
    for (let i = 0; i < y.length; i++) {
      const v = y[i]!;
      if (seen.has(v)) continue;
      seen.add(v);
      xs.push(x[i]!);
      ys.push(v);
    }
  }
  if (p === 0) return xs[0]!;
  // approx(y ± tol, 1:n, p, method = "constant", f = 1): index of the smallest knot >= p, NA outside range.
  const knotIndex = (shift: number): number | null => {
    let best: number | null = null;
    let bestKnot = Infinity;
    let minKnot = Infinity;
    let maxKnot = -Infinity;
    for (let k = 0; k < ys.length; k++) {
      const v = ys[k]!;
      if (Number.isNaN(v)) continue;
      const knot = v + shift;
      if (knot < minKnot) minKnot = knot;
      if (knot > maxKnot) maxKnot = knot;
      if (knot >= p && knot < bestKnot) {
        bestKnot = knot;
        best = k;
      }
    }
    if (p < minKnot || p > maxKnot) return null;
    return best;
  };
  const i1 = knotIndex(tol);
  const i2 = knotIndex(-tol);
  const last = ys[ys.length - 1]!;
  if (!Number.isNaN(last) && Math.abs(p - last) < tol) {
    return i1 === null ? null : (xs[i1]! + xmax) / 2;
  }
  if (i1 === null || i2 === null) return null;
  return (xs[i1]! + xs[i2]!) / 2;
}

export interface SurvivalQuantile {
  /** Survival probability level: 0.5 for the median. */
  prob: number;
  /** null = not reached. */
  quantile: number | null;
  lower: number | null;
  upper: number | null;
}

/**
 * Time at which S(t) falls to `prob` (0.5 = median) and its CI, as R's quantile.survfit: the
 * estimate from S, the lower limit from the lower confidence curve and the upper limit from the
 * upper confidence curve (Brookmeyer & Crowley 1982 by inversion of the pointwise band, so the
 * limits depend on the conf type). Flat at exactly `prob`: midpoint of the flat (see findQuantile).
 */
export function survivalQuantile(curve: KaplanMeierCurve, prob = 0.5, tol = QUANTILE_TOLERANCE): SurvivalQuantile {
  const m = curve.time.length;
  const x = new Array<number>(m + 1);
  x[0] = 0; // survfit start.time
  for (let k = 0; k < m; k++) x[k + 1] = curve.time[k]!;
  const cdf = (s: readonly number[]) => {
    const y = new Array<number>(m + 1);
    y[0] = 0;
    for (let k = 0; k < m; k++) y[k + 1] = 1 - s[k]!;
    return y;
  };
  const p = 1 - prob;
  return {
    prob,
    quantile: findQuantile(x, cdf(curve.surv), p, tol),
    lower: findQuantile(x, cdf(curve.lower), p, tol),
    upper: findQuantile(x, cdf(curve.upper), p, tol),
  };
}

/** Median survival time with CI (quantile.survfit at 0.5, i.e. print.survfit's median, 0.95LCL, 0.95UCL). */
export function medianSurvival(curve: KaplanMeierCurve): SurvivalQuantile {
  return survivalQuantile(curve, 0.5);
}

export interface LogRankGroup {
  label: string;
  times: readonly number[];
  events: readonly EventFlag[];
}

export interface LogRankResult {
  chisq: number;
  df: number;
  pValue: number;
  groups: Array<{ label: string; n: number; observed: number; expected: number }>;
  /** Variance–covariance matrix of O − E (survdiff's `var`). */
  variance: number[][];
}

/** Solve A x = b by Gaussian elimination with partial pivoting (small dense systems). */
function solveLinear(a: number[][], b: number[]): number[] {
  const m = b.length;
  const A = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < m; col++) {
    let piv = col;
    for (let r = col + 1; r < m; r++) if (Math.abs(A[r]![col]!) > Math.abs(A[piv]![col]!)) piv = r;
    [A[col], A[piv]] = [A[piv]!, A[col]!];
    const diag = A[col]![col]!;
    if (diag === 0) throw new RangeError('logRank: singular variance matrix');
    for (let r = col + 1; r < m; r++) {
      const f = A[r]![col]! / diag;
      for (let c = col; c <= m; c++) A[r]![c]! -= f * A[col]![c]!;
    }
  }
  const x = new Array<number>(m).fill(0);
  for (let r = m - 1; r >= 0; r--) {
    let s = A[r]![m]!;
    for (let c = r + 1; c < m; c++) s -= A[r]![c]! * x[c]!;
    x[r] = s / A[r]![r]!;
  }
  return x;
}

/**
 * Log-rank test (Mantel 1966; R survdiff with rho = 0). At each distinct event time t with d deaths
 * among n at risk (n_g in group g): E_g += d·n_g/n and
 *   V_gh += d (n − d)/(n − 1) · (n_g/n) (δ_gh − n_h/n).
 * χ² = (O − E)ᵀ V⁻(O − E) on the groups with E > 0 minus one; df = that count − 1;
 * p = P(χ²_df > χ²) via the regularized upper incomplete gamma.
 */
export function logRank(groups: readonly LogRankGroup[]): LogRankResult {
  const G = groups.length;
  const allTimes: number[] = [];
  const allEvents: boolean[] = [];
  const allGroup: number[] = [];
  groups.forEach((g, gi) => {
    checkInput(g.times, g.events);
    for (let i = 0; i < g.times.length; i++) {
      allTimes.push(g.times[i]!);
      allEvents.push(Boolean(g.events[i]));
      allGroup.push(gi);
    }
  });
  const order = sortedOrder(allTimes);
  const N = allTimes.length;
  const nRisk = groups.map((g) => g.times.length);
  const observed = new Array<number>(G).fill(0);
  const expected = new Array<number>(G).fill(0);
  const V = Array.from({ length: G }, () => new Array<number>(G).fill(0));
  const dByGroup = new Array<number>(G).fill(0);
  const leaving = new Array<number>(G).fill(0);
  let total = N;
  let i = 0;
  while (i < N) {
    const t = allTimes[order[i]!]!;
    dByGroup.fill(0);
    leaving.fill(0);
    let d = 0;
    while (i < N && allTimes[order[i]!] === t) {
      const k = order[i]!;
      const g = allGroup[k]!;
      leaving[g]!++;
      if (allEvents[k]) {
        dByGroup[g]!++;
        d++;
      }
      i++;
    }
    if (d > 0) {
      const factor = total > 1 ? (d * (total - d)) / (total - 1) : 0;
      for (let g = 0; g < G; g++) {
        observed[g]! += dByGroup[g]!;
        expected[g]! += (d * nRisk[g]!) / total;
        const pg = nRisk[g]! / total;
        for (let h = 0; h < G; h++) {
          const ph = nRisk[h]! / total;
          V[g]![h]! += factor * pg * ((g === h ? 1 : 0) - ph);
        }
      }
    }
    for (let g = 0; g < G; g++) nRisk[g]! -= leaving[g]!;
    total -= leaving.reduce((a, b) => a + b, 0);
  }
  const used = [...Array(G).keys()].filter((g) => expected[g]! > 0);
  const df = Math.max(used.length - 1, 0);
  let chisq = 0;
  if (df > 0) {
    const keep = used.slice(1);
    const u = keep.map((g) => observed[g]! - expected[g]!);
    const sub = keep.map((g) => keep.map((h) => V[g]![h]!));
    const x = solveLinear(sub, u);
    chisq = u.reduce((s, v, k) => s + v * x[k]!, 0);
  }
  return {
    chisq,
    df,
    pValue: df > 0 ? chiSquareUpperTail(chisq, df) : NaN,
    groups: groups.map((g, gi) => ({ label: g.label, n: g.times.length, observed: observed[gi]!, expected: expected[gi]! })),
    variance: V,
  };
}
