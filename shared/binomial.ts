// Exact (Clopper–Pearson) binomial confidence interval.
// Clopper CJ, Pearson ES. Biometrika 1934;26:404–413. As in R's binom.test:
//   lower = qbeta(α/2, x, n − x + 1)   (0 when x = 0)
//   upper = qbeta(1 − α/2, x + 1, n − x)   (1 when x = n)
// qbeta is the inverse regularized incomplete beta (shared/stats/special.ts).

import { betaIncRegInv } from './stats/special';

export interface BinomialCI {
  /** x / n (NaN when n = 0). */
  estimate: number;
  lower: number;
  upper: number;
  x: number;
  n: number;
  level: number;
}

/** Clopper–Pearson exact two-sided CI for a binomial proportion x/n at confidence `level`. */
export function clopperPearson(x: number, n: number, level = 0.95): BinomialCI {
  if (!Number.isInteger(x) || !Number.isInteger(n) || x < 0 || n < 0 || x > n) {
    throw new RangeError(`clopperPearson: need integers 0 <= x <= n, got x=${x}, n=${n}`);
  }
  if (!(level > 0 && level < 1)) throw new RangeError(`clopperPearson: level must be in (0, 1), got ${level}`);
  if (n === 0) return { estimate: NaN, lower: 0, upper: 1, x, n, level };
  const alpha = 1 - level;
  const lower = x === 0 ? 0 : betaIncRegInv(alpha / 2, x, n - x + 1);
  const upper = x === n ? 1 : betaIncRegInv(1 - alpha / 2, x + 1, n - x);
  return { estimate: x / n, lower, upper, x, n, level };
}
