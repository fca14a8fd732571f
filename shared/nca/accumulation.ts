// Observed accumulation ratio R = AUCtau(steady state)/AUCtau(first dose) (CDISC ARAUC).
// Both results must have been computed with the same tau; the first-dose profile with
// `steadyState: false` (so its dose-time point is 0, not Cmin).

import { PP_TERMS } from './cdisc';
import { calcAccumulationRatio } from './parameters';
import type { NcaParameter, NcaResult } from './types';

export function accumulationRatio(steadyState: NcaResult, firstDose: NcaResult): NcaParameter {
  const a = steadyState.interval;
  const b = firstDose.interval;
  if (!a || !b) throw new RangeError('both results need a dosing interval (tau)');
  if (Math.abs(a.tau - b.tau) > 1e-9 * Math.max(1, a.tau)) throw new RangeError('tau differs between the results');
  return {
    PPTESTCD: 'ARAUC',
    name: PP_TERMS.ARAUC.name,
    value: calcAccumulationRatio(a.auctau, b.auctau),
    unit: '',
  };
}
