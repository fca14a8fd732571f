// One small function per derived NCA parameter (style of PKNCA pk.calc.*). All return null when an
// input is missing or not positive where the formula needs it. Sources: docs/CLINICAL_RULES.md#nca
// (WinNonlin/NonCompart/PKNCA as cited there); Gabrielsson & Weiner, Pharmacokinetic and
// Pharmacodynamic Data Analysis, 5th ed., ch. 2 (NCA), for the IV-only parameters (C0, Vss, MRT
// infusion correction).

type N = number | null;

const pos = (x: N): x is number => x !== null && Number.isFinite(x) && x > 0;

/** t½ = ln 2/λz (time). */
export function calcHalfLife(lambdaZ: N): N {
  return pos(lambdaZ) ? Math.LN2 / lambdaZ : null;
}

/** Span = (λz upper − λz lower)/t½ (unitless; WinNonlin "Span"). */
export function calcSpan(lower: number, upper: number, halfLife: N): N {
  return pos(halfLife) ? (upper - lower) / halfLife : null;
}

/** Clast,pred = exp(b0 − λz·Tlast), b0 = ln-intercept on the same clock as Tlast (conc). */
export function calcClastPred(intercept: number, lambdaZ: N, tlast: N): N {
  return pos(lambdaZ) && tlast !== null ? Math.exp(intercept - lambdaZ * tlast) : null;
}

/** AUCINF = AUClast + Clast/λz (time·conc); pass Clast,pred for AUCINF,pred. */
export function calcAucInf(auclast: number, clast: N, lambdaZ: N): N {
  return pos(lambdaZ) && clast !== null ? auclast + clast / lambdaZ : null;
}

/** AUMCINF = AUMClast + Clast·tlast/λz + Clast/λz², tlast since dose (time²·conc). */
export function calcAumcInf(aumclast: number, clast: N, tlastSinceDose: N, lambdaZ: N): N {
  if (!pos(lambdaZ) || clast === null || tlastSinceDose === null) return null;
  return aumclast + (clast * tlastSinceDose) / lambdaZ + clast / (lambdaZ * lambdaZ);
}

/** % extrapolated = 100·(1 − partial/total) (%); used for AUC and AUMC. */
export function calcPctExtrap(partial: number, total: N): N {
  return pos(total) ? 100 * (1 - partial / total) : null;
}

/** CL (CL/F) = Dose/AUC (dose/(time·conc)). */
export function calcClearance(dose: number, auc: N): N {
  return pos(auc) ? dose / auc : null;
}

/** Vz (Vz/F) = Dose/(λz·AUC) (dose/conc). */
export function calcVz(dose: number, lambdaZ: N, auc: N): N {
  return pos(lambdaZ) && pos(auc) ? dose / (lambdaZ * auc) : null;
}

/**
 * MRT = AUMC/AUC − Tinf/2 (time). The infusion correction (Tinf = infusion duration, 0 otherwise)
 * follows Gabrielsson & Weiner (MRT of a constant-rate infusion = MRTiv + Tinf/2) and PKNCA
 * pk.calc.mrt.iv. Extravascular MRT has no correction (docs/CLINICAL_RULES.md#nca "Derived").
 */
export function calcMrt(aumc: N, auc: N, infusionDuration = 0): N {
  return aumc !== null && pos(auc) ? aumc / auc - infusionDuration / 2 : null;
}

/** Steady-state MRT = (AUMCtau + tau·(AUCINF − AUCtau))/AUCtau − Tinf/2 (WinNonlin, docs/CLINICAL_RULES.md#nca "Dosing interval"). */
export function calcMrtSteadyState(aumctau: N, auctau: N, aucinf: N, tau: number, infusionDuration = 0): N {
  if (aumctau === null || !pos(auctau) || aucinf === null) return null;
  return (aumctau + tau * (aucinf - auctau)) / auctau - infusionDuration / 2;
}

/** Vss = MRT·CL (IV routes only; Gabrielsson & Weiner; PKNCA pk.calc.vss) (dose/conc). */
export function calcVss(mrt: N, cl: N): N {
  return mrt !== null && cl !== null ? mrt * cl : null;
}

/**
 * C0 for an IV bolus (PKNCA pk.calc.c0, methods "c0", "logslope", "c1" in that order; WinNonlin
 * uses the same back-extrapolation): the concentration observed at dose time if > 0; else log-linear
 * back-extrapolation of the first two post-dose samples when both are > 0 and falling,
 * C0 = exp(ln C1 − (ln C2 − ln C1)/(t2 − t1)·(t1 − tdose)); else the first post-dose concentration.
 */
export function calcC0(time: ArrayLike<number>, conc: ArrayLike<number>, n: number, doseTime: number): N {
  let i = 0;
  while (i < n && time[i]! < doseTime) i++;
  if (i >= n) return null;
  if (time[i] === doseTime) {
    if (conc[i]! > 0) return conc[i]!;
    i++;
    if (i >= n) return null;
  }
  const t1 = time[i]!;
  const c1 = conc[i]!;
  if (i + 1 < n) {
    const t2 = time[i + 1]!;
    const c2 = conc[i + 1]!;
    if (c1 > 0 && c2 > 0 && c2 < c1) {
      const slope = (Math.log(c2) - Math.log(c1)) / (t2 - t1);
      return Math.exp(Math.log(c1) - slope * (t1 - doseTime));
    }
  }
  return c1 > 0 ? c1 : null;
}

/** Cavg = AUCtau/tau (conc). */
export function calcCavg(auctau: N, tau: number): N {
  return auctau !== null && tau > 0 ? auctau / tau : null;
}

/** Fluctuation % = 100·(Cmax − Cmin)/Cavg (WinNonlin Fluctuation%; with Ctau: Fluctuation%_Tau). */
export function calcFluctuationPct(cmax: N, cmin: N, cavg: N): N {
  return cmax !== null && cmin !== null && pos(cavg) ? (100 * (cmax - cmin)) / cavg : null;
}

/** Swing = (Cmax − Cmin)/Cmin, a ratio (WinNonlin Swing; with Ctau: Swing_Tau); null when Cmin ≤ 0. */
export function calcSwing(cmax: N, cmin: N): N {
  return cmax !== null && pos(cmin) ? (cmax - cmin) / cmin : null;
}

/** Accumulation index = 1/(1 − e^(−λz·tau)) (WinNonlin Accumulation_Index). */
export function calcAccumulationIndex(lambdaZ: N, tau: number): N {
  return pos(lambdaZ) && tau > 0 ? 1 / (1 - Math.exp(-lambdaZ * tau)) : null;
}

/** Observed accumulation ratio R = AUCtau(steady state)/AUCtau(first dose). */
export function calcAccumulationRatio(auctauSteadyState: N, auctauFirstDose: N): N {
  return auctauSteadyState !== null && pos(auctauFirstDose) ? auctauSteadyState / auctauFirstDose : null;
}
