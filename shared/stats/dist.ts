// Distribution functions built on shared/stats/special.ts. Pure, double precision.

import { gammaIncRegP, gammaIncRegQ } from './special';

/**
 * Standard normal upper tail 1 − Φ(z) via erfc(x) = Q(1/2, x²) (x >= 0), so that small tails keep
 * full relative precision (Abramowitz & Stegun 6.5.17, 26.2.29 with Φ(z) = erfc(−z/√2)/2).
 */
export function normalUpperTail(z: number): number {
  if (Number.isNaN(z)) return NaN;
  const x = z / Math.SQRT2;
  if (x >= 0) return 0.5 * gammaIncRegQ(0.5, x * x);
  return 1 - 0.5 * gammaIncRegQ(0.5, x * x);
}

/** Standard normal CDF Φ(z) (R's pnorm). */
export function normalCdf(z: number): number {
  return normalUpperTail(-z);
}

/** Standard normal density φ(z). */
export function normalDensity(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/**
 * Standard normal quantile Φ⁻¹(p) (R's qnorm). Start: Abramowitz & Stegun 26.2.23 (|error| < 4.5e-4),
 * then Newton steps on the tail probability min(p, 1 − p) to double precision.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  const q = p < 0.5 ? p : 1 - p; // tail probability; the result is −z for p < 0.5
  const t = Math.sqrt(-2 * Math.log(q));
  let z = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
  for (let i = 0; i < 50; i++) {
    // Solve 1 − Φ(z) = q for z > 0.
    const step = (normalUpperTail(z) - q) / normalDensity(z);
    z += step;
    if (Math.abs(step) <= 1e-16 * Math.abs(z)) break;
  }
  return p < 0.5 ? -z : z;
}

/** Chi-square CDF P(X <= x), X ~ χ²(df): P(df/2, x/2). */
export function chiSquareCdf(x: number, df: number): number {
  return gammaIncRegP(df / 2, x / 2);
}

/** Chi-square upper tail P(X > x) = Q(df/2, x/2) (R's pchisq(x, df, lower.tail = FALSE)). */
export function chiSquareUpperTail(x: number, df: number): number {
  return gammaIncRegQ(df / 2, x / 2);
}
