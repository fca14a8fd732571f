// Two-compartment model with zero-order (constant-rate) IV infusion, linear elimination, used to
// simulate IBB0979 serum concentrations. Closed form and superposition of doses:
// Gibaldi M, Perrier D. Pharmacokinetics, 2nd ed. (1982), ch. 2-3; Bourne DWA, "Mathematical
// modeling of pharmacokinetic data" (1995) §8: for a unit bolus into V1,
//   C(t) = A·e^(−αt) + B·e^(−βt),  A = (α − k21)/(V1(α − β)),  B = (k21 − β)/(V1(α − β)),
// α, β = ½[(k10 + k12 + k21) ± √((k10 + k12 + k21)² − 4·k10·k21)].
// A constant-rate infusion R over T gives, for each exponent λ with coefficient c:
//   t ≤ T: R·c/λ·(1 − e^(−λt));   t > T: R·c/λ·(1 − e^(−λT))·e^(−λ(t − T)).
// Units: dose mg, volumes L, clearances L/h, time h → concentration mg/L = ug/mL.

export interface TwoCompParams {
  /** Clearance, L/h. */
  cl: number;
  /** Central volume, L. */
  v1: number;
  /** Inter-compartmental clearance, L/h. */
  q: number;
  /** Peripheral volume, L. */
  v2: number;
}

export interface Macro {
  alpha: number;
  beta: number;
  /** Coefficients of the unit-bolus response (1/L). */
  a: number;
  b: number;
}

export function macroConstants(p: TwoCompParams): Macro {
  const k10 = p.cl / p.v1;
  const k12 = p.q / p.v1;
  const k21 = p.q / p.v2;
  const s = k10 + k12 + k21;
  const root = Math.sqrt(s * s - 4 * k10 * k21);
  const alpha = (s + root) / 2;
  const beta = (s - root) / 2;
  return { alpha, beta, a: (alpha - k21) / (p.v1 * (alpha - beta)), b: (k21 - beta) / (p.v1 * (alpha - beta)) };
}

export interface Infusion {
  /** Start time, h (any origin shared with the sample times). */
  start: number;
  /** Duration, h. */
  duration: number;
  /** Amount, mg. */
  amount: number;
}

function term(rate: number, c: number, lambda: number, t: number, dur: number): number {
  if (t <= dur) return ((rate * c) / lambda) * (1 - Math.exp(-lambda * t));
  return ((rate * c) / lambda) * (1 - Math.exp(-lambda * dur)) * Math.exp(-lambda * (t - dur));
}

/** Concentration (ug/mL) at time t (h) after a series of infusions (superposition). */
export function concentration(m: Macro, doses: readonly Infusion[], t: number): number {
  let c = 0;
  for (const d of doses) {
    const dt = t - d.start;
    if (dt <= 0) continue;
    const rate = d.amount / d.duration;
    c += term(rate, m.a, m.alpha, dt, d.duration) + term(rate, m.b, m.beta, dt, d.duration);
  }
  return c;
}

/** Typical values (70 kg), mAb-like: CL 0.25 L/day, V1 3.2 L, Q 0.6 L/day, V2 2.8 L. */
export const TYPICAL: TwoCompParams = { cl: 0.25 / 24, v1: 3.2, q: 0.6 / 24, v2: 2.8 };

/** Rounds to `n` significant digits (lab reporting precision). */
export function signif(x: number, n: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const d = Math.ceil(Math.log10(Math.abs(x)));
  const f = Math.pow(10, n - d);
  return Math.round(x * f) / f;
}
