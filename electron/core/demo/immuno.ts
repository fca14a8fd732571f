// Anti-drug antibody (ADA) samples of a subject: baseline (cycle 1 day 1, pre-dose), cycle 2, 4,
// 8 and every 4 cycles after, and end of treatment. Titres are reciprocal dilutions (2-fold steps).
import { Rng, STREAM } from './prng.js';
import type { SubjectPlan } from './scenario.js';

export interface AdaSample {
  offset: number;
  visit: string;
  visitnum: number;
  baseline: boolean;
  positive: boolean;
  titre: number | null;
  nab: boolean | null;
}

function adaCycles(cycle: number): boolean {
  return cycle === 1 || cycle === 2 || cycle === 4 || (cycle >= 8 && cycle % 4 === 0);
}

export function adaSamples(plan: SubjectPlan, seed: number): AdaSample[] {
  const rng = Rng.stream(seed, plan.index, STREAM.ada);
  const out: AdaSample[] = [];
  const inducedFrom = rng.chance(0.5) ? 2 : 4;
  const nabPositive = rng.chance(0.5);
  const visits: Array<{ offset: number; visit: string; visitnum: number; cycle: number }> = [];
  for (const d of plan.doses)
    if (adaCycles(d.cycle)) visits.push({ offset: d.offset, visit: `CYCLE ${d.cycle} DAY 1`, visitnum: d.cycle * 100 + 1, cycle: d.cycle });
  const eot = plan.eot;
  if (eot && (eot.reason === 'PROGRESSIVE DISEASE' || eot.reason === 'ADVERSE EVENT'))
    visits.push({ offset: eot.offset, visit: 'END OF TREATMENT', visitnum: 8000, cycle: 999 });
  for (const v of visits) {
    const baseline = v.cycle === 1;
    let titre: number | null = null;
    switch (plan.ada) {
      case 'INDUCED':
        if (v.cycle >= inducedFrom) titre = v.cycle >= 8 ? 160 : v.cycle >= 4 ? 80 : 40;
        break;
      case 'BL_POS':
        titre = baseline ? 40 : rng.chance(0.5) ? 80 : 40; // at most a 2-fold change: not boosted
        break;
      case 'BL_BOOST':
        titre = baseline ? 20 : v.cycle === 2 ? 40 : 160; // 8-fold rise from cycle 4
        break;
      case 'NEG':
        break;
    }
    out.push({
      offset: v.offset,
      visit: v.visit,
      visitnum: v.visitnum,
      baseline,
      positive: titre !== null,
      titre,
      nab: titre === null ? null : nabPositive && !baseline && titre >= 80,
    });
  }
  return out;
}
