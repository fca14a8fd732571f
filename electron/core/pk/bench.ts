import { nca, type NcaProfile } from '../../../shared/nca';
import { buildProfiles, toNcaInput, type ExRecord, type PcRecord, type WeightRecord } from '../../../shared/pk';
import { dayOf } from '../demo/dates';
import { buildEx, buildPc, buildVs } from '../demo/domains';
import { DEFAULT_SEED, studyDefinition } from '../demo/generate';
import { buildPlans, HORIZON } from '../demo/scenario';
import type { Domain } from '../demo/table';

// NCA throughput for `npm run bench` (issue 3 "Speed": concentration points per second over a
// generated study; goal ≥ 1,000,000). The demo generator builds PC, EX and VS for `subjects`
// subjects up to the study horizon; profiles (single dose and steady state) are built with the same
// rules as pk.nca (shared/pk/profiles.ts); then nca() runs over every profile.
// `points` counts the concentration samples handed to nca() in one pass; `ms` is one timed pass.

function records<T>(d: Domain, pick: (get: (name: string) => unknown) => T): T[] {
  const idx = new Map(d.columns.map((c, i) => [c.name, i]));
  return d.rows.map((r) => pick((name) => r[idx.get(name) ?? -1] ?? null));
}

const s = (v: unknown) => (v === null || v === undefined ? null : String(v));
const n = (v: unknown) => (typeof v === 'number' ? v : null);

/** Profiles of a generated study, as nca() inputs. */
export function benchProfiles(subjects: number, seed = DEFAULT_SEED): NcaProfile[] {
  const plans = buildPlans(seed, subjects);
  const cut = dayOf(HORIZON);
  const pc = records<PcRecord>(buildPc(plans, seed, cut).pc, (g) => ({
    usubjid: String(g('USUBJID')),
    pctestcd: String(g('PCTESTCD')),
    pcstresn: n(g('PCSTRESN')),
    pcstresc: s(g('PCSTRESC')),
    pcstresu: s(g('PCSTRESU')),
    pclloq: n(g('PCLLOQ')),
    pcdtc: s(g('PCDTC')),
    pcrftdtc: s(g('PCRFTDTC')),
    pceltm: s(g('PCELTM')),
    pctptnum: n(g('PCTPTNUM')),
    visit: s(g('VISIT')),
  }));
  const ex = records<ExRecord>(buildEx(plans, cut), (g) => ({
    usubjid: String(g('USUBJID')),
    exdose: n(g('EXDOSE')),
    exdosu: s(g('EXDOSU')),
    exstdtc: s(g('EXSTDTC')),
    exendtc: s(g('EXENDTC')),
    exroute: s(g('EXROUTE')),
    visit: s(g('VISIT')),
  }));
  const weights = records(buildVs(plans, seed, cut), (g) => ({ cd: g('VSTESTCD'), usubjid: String(g('USUBJID')), kg: n(g('VSSTRESN')), dtc: s(g('VSDTC')), bl: g('VSBLFL') }))
    .filter((w) => w.cd === 'WEIGHT' && w.kg !== null)
    .map((w): WeightRecord => ({ usubjid: w.usubjid, weightKg: w.kg!, dtc: w.dtc, baseline: w.bl === 'Y', source: 'VS' }));
  const def = studyDefinition(HORIZON);
  const { profiles } = buildProfiles(pc, ex, weights, { ...def.pk, cycleLengthDays: def.cycleLengthDays });
  return profiles.flatMap((p) => {
    const x = toNcaInput(p, 'actual').profile;
    return x ? [x] : [];
  });
}

/** Warm-up twice, then 5 timed passes over every profile; `ms` is the fastest pass (the one least disturbed by GC of the setup and by other processes). */
export function ncaBench(subjects: number): { points: number; ms: number } {
  const profiles = benchProfiles(subjects);
  let points = 0;
  for (const p of profiles) points += p.time.length;
  let sink = 0;
  for (let k = 0; k < 2; k++) for (const p of profiles) sink += nca(p).auclast;
  let ms = Infinity;
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    for (const p of profiles) sink += nca(p).auclast;
    ms = Math.min(ms, performance.now() - t0);
  }
  if (!Number.isFinite(sink)) throw new Error('NCA bench produced a non-finite AUC sum');
  return { points, ms };
}

/** `npm run bench` section: NCA throughput over a generated 10,000-subject study (goal ≥ 1,000,000 points/s). */
export function bench(report: (name: string, value: string | number) => void): void {
  const { points, ms } = ncaBench(10_000);
  report('nca_points', points);
  report('nca_points_per_s', Math.round(points / (ms / 1000)));
}
