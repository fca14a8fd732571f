// Ordinary least squares of y on x (one predictor, with intercept). Pure and allocation-free:
// works on any array-like (number[] or Float64Array) and an optional index window.
//
// Formulas (any regression text, e.g. Draper & Smith, Applied Regression Analysis, ch. 1):
//   Sxx = Σ(x−x̄)², Sxy = Σ(x−x̄)(y−ȳ), Syy = Σ(y−ȳ)²
//   slope b = Sxy/Sxx, intercept a = ȳ − b·x̄
//   R² = Sxy²/(Sxx·Syy), adjusted R² = 1 − (1−R²)(n−1)/(n−2)
//   residual variance s² = (Syy − b·Sxy)/(n−2), SE(b) = s/√Sxx
// Two passes (means first) keep cancellation small.

export interface LinearFit {
  n: number;
  slope: number;
  intercept: number;
  /** Coefficient of determination; NaN when Syy = 0 or Sxx = 0. */
  r2: number;
  /** Adjusted R² (needs n ≥ 3, else NaN). */
  adjR2: number;
  /** Pearson correlation of x and y (sign of the slope). */
  corr: number;
  /** Standard error of the slope (needs n ≥ 3, else NaN). */
  seSlope: number;
  /** Residual standard deviation (needs n ≥ 3, else NaN). */
  sigma: number;
  /** Residual degrees of freedom n − 2. */
  df: number;
  xMean: number;
  sxx: number;
}

/** OLS fit of y on x over indices [from, to) (default: all). */
export function linearRegression(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  from = 0,
  to = x.length,
): LinearFit {
  const n = to - from;
  if (n < 2) throw new RangeError('linearRegression needs at least 2 points');
  let sx = 0;
  let sy = 0;
  for (let i = from; i < to; i++) {
    sx += x[i]!;
    sy += y[i]!;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = from; i < to; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const r2 = (sxy * sxy) / (sxx * syy);
  const adjR2 = n > 2 ? 1 - ((1 - r2) * (n - 1)) / (n - 2) : NaN;
  const corr = sxy / Math.sqrt(sxx * syy);
  const df = n - 2;
  const rss = Math.max(0, syy - slope * sxy);
  const sigma = df > 0 ? Math.sqrt(rss / df) : NaN;
  const seSlope = df > 0 ? sigma / Math.sqrt(sxx) : NaN;
  return { n, slope, intercept, r2, adjR2, corr, seSlope, sigma, df, xMean: mx, sxx };
}
