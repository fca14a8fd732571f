// Small exact probability helpers for the beta-binomial models of BOIN and mTPI-2.
// Pure functions; no dependencies.

/** ln(k!) by summation, kept in a table that grows on demand: the boundary searches call it for every k up to n. */
const LOG_FACTORIAL: number[] = [0, 0];
function logFactorial(k: number): number {
  for (let i = LOG_FACTORIAL.length; i <= k; i++) LOG_FACTORIAL.push(LOG_FACTORIAL[i - 1]! + Math.log(i));
  return LOG_FACTORIAL[k]!;
}

/** Binomial probability mass P(X = k), X ~ Bin(n, p). */
export function binomialPmf(k: number, n: number, p: number): number {
  if (k < 0 || k > n) return 0;
  if (p <= 0) return k === 0 ? 1 : 0;
  if (p >= 1) return k === n ? 1 : 0;
  const logC = logFactorial(n) - logFactorial(k) - logFactorial(n - k);
  return Math.exp(logC + k * Math.log(p) + (n - k) * Math.log(1 - p));
}

/** Binomial CDF P(X <= k), X ~ Bin(n, p). */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  let s = 0;
  for (let i = 0; i <= k; i++) s += binomialPmf(i, n, p);
  return Math.min(1, s);
}

/**
 * Beta CDF I_x(a, b) for positive INTEGER shape parameters, exact:
 *   I_x(a, b) = P(Bin(a + b - 1, x) >= a)
 * (the order-statistic identity; Abramowitz & Stegun 26.5.24 / 6.6.4).
 * With a Beta(1,1) prior and y DLTs in n patients the posterior is Beta(y + 1, n - y + 1).
 */
export function betaCdfInteger(x: number, a: number, b: number): number {
  if (!Number.isInteger(a) || !Number.isInteger(b) || a < 1 || b < 1) {
    throw new RangeError(`betaCdfInteger needs positive integer shapes, got a=${a}, b=${b}`);
  }
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  return 1 - binomialCdf(a - 1, a + b - 1, x);
}

/**
 * Posterior probability that the DLT rate exceeds `threshold` given y DLTs in n patients,
 * Beta(1,1) prior: Pr(p > threshold | y, n) = 1 - I_threshold(y + 1, n - y + 1)
 * (BOIN `get.boundary` elimination rule, S9; mTPI-2 exclusion rule, S12).
 */
export function posteriorProbAbove(threshold: number, y: number, n: number): number {
  return POSTERIOR_ABOVE.get(`${threshold}|${y}|${n}`, () => 1 - betaCdfInteger(threshold, y + 1, n - y + 1));
}

/**
 * A bounded cache of a pure function's values by key. A rule replayed over a long history asks the
 * same (y, n) of every level it did not touch at every step, and each answer costs O(n): cached,
 * each step costs O(levels). Emptied when full (the values are recomputed, never different).
 */
export function valueCache<T>(max = 100_000): { get: (key: string, compute: () => T) => T } {
  const values = new Map<string, T>();
  return {
    get: (key, compute) => {
      if (values.has(key)) return values.get(key) as T;
      const v = compute();
      if (values.size >= max) values.clear();
      values.set(key, v);
      return v;
    },
  };
}
const POSTERIOR_ABOVE = valueCache<number>();

/**
 * Pool-adjacent-violators isotonic (non-decreasing) regression with weights
 * (Barlow et al. 1972), as used by BOIN `select.mtd` (S9).
 */
export function pava(x: readonly number[], w: readonly number[] = x.map(() => 1)): number[] {
  const blocks: { value: number; weight: number; count: number }[] = [];
  for (let i = 0; i < x.length; i++) {
    blocks.push({ value: x[i]!, weight: w[i]!, count: 1 });
    while (blocks.length > 1 && blocks[blocks.length - 2]!.value > blocks[blocks.length - 1]!.value) {
      const b = blocks.pop()!;
      const a = blocks.pop()!;
      const weight = a.weight + b.weight;
      blocks.push({ value: (a.value * a.weight + b.value * b.weight) / weight, weight, count: a.count + b.count });
    }
  }
  return blocks.flatMap((b) => Array<number>(b.count).fill(b.value));
}
