// BLQ and missing-value handling, applied before any NCA computation.
//
// Position of a BLQ sample (PKNCA clean.conc.blq, PKNCA.options "conc.blq"): 'first' = before the
// first measurable concentration, 'middle' = between two measurable ones, 'last' = after the last one.
// "Measurable" = not flagged BLQ and not missing. If no sample is measurable, every BLQ sample is 'first'.
// Defaults (this module; cf. PKNCA first="keep"(=0), middle="drop"): first → 0, middle → dropped,
// last → dropped (so AUClast ends at the last measurable sample; AUCall still closes at the first trailing
// BLQ sample taken as 0 — nca.ts trailingBlqTriangle, WinNonlin's and PKNCA's AUCall).
// 'lloq/2' replaces the sample by LLOQ/2 (Beal 2001, method M6-like substitution).
// A null concentration that is not flagged BLQ is missing and is dropped (PKNCA conc.na = "drop").

import { f64Buffer, Slot } from './scratch';
import type { BlqOptions, BlqRule } from './types';

export const DEFAULT_BLQ: BlqOptions = { first: 'zero', middle: 'drop', last: 'drop' };

export interface CleanProfile {
  /** Times (sample clock) and concentrations of the first `n` entries (the arrays may be longer). */
  time: Float64Array;
  conc: Float64Array;
  n: number;
}

function blqValue(rule: BlqRule, lloq: number | undefined): number | null {
  if (rule === 'drop') return null;
  if (rule === 'zero') return 0;
  if (lloq === undefined || !(lloq > 0)) throw new RangeError("BLQ rule 'lloq/2' needs a positive lloq");
  return lloq / 2;
}

/**
 * Apply BLQ rules and drop missing values and samples before `doseTime`.
 * Throws when times are not strictly increasing or lengths differ.
 * `reuseBuffers` (internal, used by nca()) writes into shared work buffers instead of new arrays.
 */
export function cleanConcentrations(
  time: readonly number[],
  conc: readonly (number | null)[],
  blq: readonly boolean[] | undefined,
  doseTime: number,
  rules: BlqOptions,
  reuseBuffers = false,
): CleanProfile {
  const n = time.length;
  if (conc.length !== n) throw new RangeError('time and conc must have the same length');
  if (blq && blq.length !== n) throw new RangeError('blq must have the same length as conc');
  let firstMeas = -1;
  let lastMeas = -1;
  for (let i = 0; i < n; i++) {
    if (i > 0 && !(time[i]! > time[i - 1]!)) throw new RangeError('time must be strictly increasing');
    const c = conc[i];
    const isBlq = blq !== undefined && blq[i] === true;
    if (!isBlq && c !== null && c !== undefined && Number.isFinite(c)) {
      if (firstMeas < 0) firstMeas = i;
      lastMeas = i;
    }
  }
  const vFirst = blqValue(rules.first, rules.lloq);
  const vMiddle = blqValue(rules.middle, rules.lloq);
  const vLast = blqValue(rules.last, rules.lloq);
  const outT = reuseBuffers ? f64Buffer(Slot.CleanTime, n) : new Float64Array(n);
  const outC = reuseBuffers ? f64Buffer(Slot.CleanConc, n) : new Float64Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const t = time[i]!;
    if (t < doseTime) continue;
    const isBlq = blq !== undefined && blq[i] === true;
    let v: number | null;
    if (isBlq) {
      v = firstMeas < 0 || i < firstMeas ? vFirst : i > lastMeas ? vLast : vMiddle;
    } else {
      const c = conc[i];
      v = c === null || c === undefined || !Number.isFinite(c) ? null : c;
    }
    if (v === null) continue;
    if (v < 0) throw new RangeError(`negative concentration at t=${t}`);
    outT[m] = t;
    outC[m] = v;
    m++;
  }
  return { time: outT, conc: outC, n: m };
}
