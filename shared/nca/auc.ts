// AUC and AUMC of one segment, and interpolation inside a segment.
// Source: docs/CLINICAL_RULES.md#nca "AUClast" (NonCompart R/AUC.R, R/LogAUC.R; PKNCA pk.calc.auxc):
//   linear:  AUC = Δt·(C1 + C2)/2,   AUMC = Δt·(t1·C1 + t2·C2)/2
//   log (C2 < C1, C2 > 0, lin-up/log-down only), k = ln(C1/C2)/Δt:
//            AUC = (C1 − C2)/k,       AUMC = (t1·C1 − t2·C2)/k + (C1 − C2)/k²
// AUMC times are times since dose. Units: AUC = time·conc, AUMC = time²·conc.

import type { AucMethod } from './types';

/** True when the segment (C1 → C2) is integrated with the log trapezoid. */
export function isLogSegment(c1: number, c2: number, method: AucMethod): boolean {
  return method === 'lin-up-log-down' && c2 < c1 && c2 > 0;
}

/** AUC of the segment (t1, C1) → (t2, C2). */
export function aucSegment(t1: number, c1: number, t2: number, c2: number, method: AucMethod): number {
  const dt = t2 - t1;
  if (isLogSegment(c1, c2, method)) return (dt * (c1 - c2)) / Math.log(c1 / c2);
  return (dt * (c1 + c2)) / 2;
}

/** AUMC of the segment; t1, t2 are times since dose. */
export function aumcSegment(t1: number, c1: number, t2: number, c2: number, method: AucMethod): number {
  const dt = t2 - t1;
  if (isLogSegment(c1, c2, method)) {
    const k = Math.log(c1 / c2) / dt;
    return (t1 * c1 - t2 * c2) / k + (c1 - c2) / (k * k);
  }
  return (dt * (t1 * c1 + t2 * c2)) / 2;
}

/**
 * Concentration at t inside (t1, t2): linear, or log-linear on a falling segment under
 * lin-up/log-down (WinNonlin Ctau interpolation, docs/CLINICAL_RULES.md#nca "Dosing interval").
 */
export function interpolateConc(
  t1: number,
  c1: number,
  t2: number,
  c2: number,
  t: number,
  method: AucMethod,
): number {
  const f = (t - t1) / (t2 - t1);
  if (isLogSegment(c1, c2, method)) return c1 * Math.exp(f * Math.log(c2 / c1));
  return c1 + f * (c2 - c1);
}

/**
 * Exponential tail from (ta, Ca) to (tb, Cb = Ca·e^(−λz(tb−ta))): AUC = (Ca − Cb)/λz and
 * AUMC = (ta·Ca − tb·Cb)/λz + (Ca − Cb)/λz² (same integrals as the log trapezoid; ta, tb since dose).
 * With tb → ∞ these give Clast/λz and Clast·tlast/λz + Clast/λz² (AUCINF, AUMCINF).
 */
export function exponentialTail(ta: number, ca: number, tb: number, lambdaZ: number) {
  const cb = ca * Math.exp(-lambdaZ * (tb - ta));
  return {
    conc: cb,
    auc: (ca - cb) / lambdaZ,
    aumc: (ta * ca - tb * cb) / lambdaZ + (ca - cb) / (lambdaZ * lambdaZ),
  };
}
