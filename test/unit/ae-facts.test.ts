// AE facts in SQLite (issue 14, AE slice): the stored facts, the paged AE grid (safety.aeListingPage)
// and the incidence tables as GROUP BY (safety.incidence) against the pure functions they replace.
// Oracles: safety.aeListing (shared/safety/listings.ts aeListing, itself checked by hand in
// safety-conventions.test.ts and against the demo's truth in safety-demo.test.ts); the previous
// safety.incidence handler kept below as `oldIncidence` (shared/safety/incidence.ts incidenceTable on
// the TEAEs of treated subjects); AG Grid's client-side rules restated in `gridOracle` (quick filter:
// every word in the shown columns' raw values; default comparator: nulls first, stable). Snapshots:
// the shipped demo (cut 2), the sponsor-convention fixture of the safety tests (CDISC pilot style,
// test/helpers/safetyConventions.ts) and a hand-built admiral-style fixture below (grade in SUPPAE,
// partial dates, an AE before the first dose, a subject dosed after the cut-off, one never dosed),
// each hand-built one in CSV, Dataset-JSON and XPT. Values marked "by hand" are worked from the rows.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { snapshotContext } from '../../electron/core/cohorts/app';
import { loadAes, loadSubjects } from '../../electron/core/queries/subjects';
import { listingRowOf } from '../../electron/core/safety/aeFacts';
import { levelGroups, treatedSubjects } from '../../electron/core/safety/groups';
import { allAeFacts } from '../../electron/core/safety/queries';
import type { Input, Output } from '../../shared/contract';
import { isTreatmentEmergent } from '../../shared/cohorts';
import { incidenceTable, ptOf, socGradeGrid, socOf } from '../../shared/safety/index';
import { FORMATS, table, writeFixture } from '../helpers/conventions';
import { domains as pilotDomains, STUDY as PILOT_STUDY } from '../helpers/safetyConventions';
import { tmpDir } from '../helpers/snapshot';

const here = path.dirname(fileURLToPath(import.meta.url));
const DEMO_CUT2 = path.resolve(here, '../../resources/demo/cut2');

type Row = Output<'safety.aeListing'>['rows'][number];

/** The previous safety.incidence and safety.socGradeGrid handlers (before the AE facts), kept as the oracle. */
function oldIncidence(core: Core, snapshotId: number, by: 'level' | 'part', minGrade: 1 | 3) {
  const ctx = core.ctx;
  const { definition, cutoff } = snapshotContext(ctx, snapshotId);
  const treated = treatedSubjects(loadSubjects(ctx.db, snapshotId, definition.cycleLengthDays), cutoff);
  const firstDose = new Map(treated.map((s) => [s.usubjid, s.firstDoseDtc]));
  const teaes = loadAes(ctx.db, snapshotId, definition.ae.gradeVariable).filter((a) => firstDose.has(a.usubjid) && isTreatmentEmergent(a, firstDose.get(a.usubjid) ?? null));
  let groups: { key: string; label: string }[];
  let groupOf: Map<string, string>;
  if (by === 'part') {
    groupOf = new Map(treated.map((s) => [s.usubjid, s.part]));
    groups = (['escalation', 'expansion'] as const).filter((p) => treated.some((s) => s.part === p)).map((p) => ({ key: p, label: p === 'escalation' ? 'Escalation' : 'Expansion' }));
  } else ({ groups, groupOf } = levelGroups(treated, definition));
  const t = incidenceTable(groups, treated.map((s) => ({ usubjid: s.usubjid, group: groupOf.get(s.usubjid)! })), teaes, minGrade);
  const grid = socGradeGrid(groups, treated.map((s) => ({ usubjid: s.usubjid, group: groupOf.get(s.usubjid)! })), teaes);
  return { table: { snapshotId, by, dataCutoff: cutoff, ...t }, socGrid: { snapshotId, dataCutoff: cutoff, ...grid } };
}

const yn = (b: boolean) => (b ? 'Y' : 'N');
/** AG Grid's client-side grid on the AE listing: the value each column holds (AesView.tsx toGridRow). */
const cell = (r: Row, col: string): string | number | null =>
  ({
    usubjid: r.usubjid,
    level: r.level,
    part: r.part,
    studyDay: r.studyDay,
    aeterm: r.aeterm,
    aedecod: r.aedecod,
    aebodsys: r.aebodsys,
    grade: r.grade,
    severity: r.severity,
    serious: yn(r.serious),
    related: yn(r.related),
    dlt: yn(r.dlt),
    aeout: r.aeout,
    aeacn: r.aeacn,
    query: r.fatalNotSerious ? 'fatal outcome but AESER not Y' : null,
    teae: yn(r.teae),
    aestdtc: r.aestdtc,
    aeendtc: r.aeendtc,
  })[col] ?? null;
const SHOWN = ['usubjid', 'level', 'studyDay', 'aeterm', 'aedecod', 'aebodsys', 'grade', 'severity', 'serious', 'related', 'dlt', 'aeout', 'aeacn', 'query'];

/** AG Grid client-side: quick filter (every space-separated word in the shown columns' raw values, case-insensitive), then a stable sort, nulls first. */
function gridOracle(rows: readonly Row[], o: { search?: string; sort?: { colId: string; sort: 'asc' | 'desc' }[]; keep?: (r: Row) => boolean }): Row[] {
  const words = (o.search ?? '').toUpperCase().split(' ').filter(Boolean);
  const text = (r: Row) => SHOWN.map((c) => cell(r, c)).filter((v) => v !== null).map(String).join('\n').toUpperCase();
  const out = rows.filter((r) => (o.keep ? o.keep(r) : true) && words.every((w) => text(r).includes(w)));
  const cmp = (a: string | number | null, b: string | number | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
  return out
    .map((r, i) => ({ r, i }))
    .sort((x, y) => {
      for (const s of o.sort ?? []) {
        const c = cmp(cell(x.r, s.colId), cell(y.r, s.colId));
        if (c) return s.sort === 'desc' ? -c : c;
      }
      return x.i - y.i;
    })
    .map((x) => x.r);
}

async function page(core: Core, input: Input<'safety.aeListingPage'>) {
  return core.call('safety.aeListingPage', { limit: 10_000, ...input });
}

/** Every page of `size` rows, concatenated. */
async function pages(core: Core, input: { snapshotId: number } & Record<string, unknown>, size: number): Promise<Row[]> {
  const out: Row[] = [];
  for (let offset = 0; ; offset += size) {
    const p = await core.call('safety.aeListingPage', { ...input, offset, limit: size } as never);
    out.push(...p.rows);
    if (p.rows.length < size) return out;
  }
}

/** The checks every snapshot gets: facts = aeListing row by row, pages = the oracle grid, incidence = the old handler. */
async function expectSameAsPure(core: Core, snapshotId: number) {
  const listing = (await core.call('safety.aeListing', { snapshotId })).rows;
  // Incidence first: it builds the facts (the grid reads the same store).
  for (const by of ['level', 'part'] as const)
    for (const minGrade of [1, 3] as const) expect(await core.call('safety.incidence', { snapshotId, by, minGrade }), `incidence by ${by}, grade >= ${minGrade}`).toEqual(oldIncidence(core, snapshotId, by, minGrade).table);
  // The SOC × level worst-grade grid, now from the counted incidence table: as shared/safety/aeTables.ts socGradeGrid on the TEAEs.
  expect(await core.call('safety.socGradeGrid', { snapshotId })).toEqual(oldIncidence(core, snapshotId, 'level', 1).socGrid);

  const { definition } = snapshotContext(core.ctx, snapshotId);
  const aes = loadAes(core.ctx.db, snapshotId, definition.ae.gradeVariable);
  const facts = allAeFacts(core.ctx.db, snapshotId);
  expect(facts.length).toBe(listing.length);
  facts.forEach((f, i) => {
    expect(listingRowOf(f), `fact ${i}`).toEqual(listing[i]);
    expect(f.soc).toBe(socOf(aes[i]!));
    expect(f.pt).toBe(ptOf(aes[i]!));
    expect(f.row_no).toBe(aes[i]!.rowNo);
    expect(f.in_dlt_window === 1, `fact ${i} in the DLT window`).toBe(listing[i]!.studyDay !== null && listing[i]!.studyDay! >= 1 && listing[i]!.studyDay! <= definition.dltWindowDays);
  });

  const all = await page(core, { snapshotId });
  expect(all.rows).toEqual(listing);
  expect(all.total).toBe(listing.length);
  expect(all.unfiltered).toBe(listing.length);
  expect(await pages(core, { snapshotId }, 7)).toEqual(listing);
  for (const sort of [[{ colId: 'grade', sort: 'desc' as const }], [{ colId: 'studyDay', sort: 'asc' as const }, { colId: 'usubjid', sort: 'desc' as const }], [{ colId: 'aebodsys', sort: 'asc' as const }], [{ colId: 'serious', sort: 'desc' as const }]]) {
    expect(await pages(core, { snapshotId, sort }, 5), JSON.stringify(sort)).toEqual(gridOracle(listing, { sort }));
  }
  const someTerm = (listing.find((r) => r.aedecod) ?? listing[0])?.aedecod?.toLowerCase().slice(0, 5) ?? 'x';
  for (const search of [someTerm, `${someTerm} y`, 'zzz-no-such-text', listing[0]?.usubjid ?? '']) {
    const p = await page(core, { snapshotId, search });
    const want = gridOracle(listing, { search });
    expect(p.rows, `search ${search}`).toEqual(want);
    expect(p.total).toBe(want.length);
  }
  const g3 = await page(core, { snapshotId, filters: { grade: { filterType: 'number', type: 'greaterThanOrEqual', filter: 3 } } });
  expect(g3.rows).toEqual(listing.filter((r) => r.grade !== null && r.grade >= 3));
  const notCollected = await page(core, { snapshotId, filters: { grade: { filterType: 'number', type: 'blank' } } });
  expect(notCollected.rows).toEqual(listing.filter((r) => r.grade === null));
  const soc = (listing.find((r) => r.aebodsys)?.aebodsys ?? 'x').slice(2, 8);
  const bySoc = await page(core, { snapshotId, filters: { aebodsys: { filterType: 'text', type: 'contains', filter: soc.toUpperCase() } } });
  expect(bySoc.rows).toEqual(listing.filter((r) => (r.aebodsys ?? '').toLowerCase().includes(soc.toLowerCase())));
  const either = await page(core, { snapshotId, filters: { serious: { filterType: 'text', operator: 'OR', conditions: [{ type: 'equals', filter: 'y' }, { type: 'equals', filter: 'n' }] }, dlt: { filterType: 'text', type: 'equals', filter: 'Y' } } });
  expect(either.rows).toEqual(listing.filter((r) => r.dlt));
  // Review filters: dose levels and part, as review.tsx inFilter applies them.
  const level = listing.find((r) => r.level !== null)?.level ?? 1;
  const inLevel = listing.filter((r) => r.level === level && r.part === 'escalation');
  const reviewed = await page(core, { snapshotId, levels: [level], part: 'escalation', search: 'zzz-no-such-text' });
  expect([reviewed.total, reviewed.selected, reviewed.unfiltered]).toEqual([0, inLevel.length, listing.length]);
  expect((await page(core, { snapshotId, levels: [level], part: 'escalation' })).rows).toEqual(inLevel);
  // The search with other filters: the total counts the rows that pass all of them, not the search's matches.
  const narrowed: [Partial<Input<'safety.aeListingPage'>>, (r: Row) => boolean][] = [
    [{ levels: [level], part: 'escalation' }, (r) => r.level === level && r.part === 'escalation'],
    [{ filters: { grade: { filterType: 'number', type: 'lessThan', filter: 2 } } }, (r) => r.grade !== null && r.grade < 2],
  ];
  for (const [input, keep] of narrowed) {
    const both = await page(core, { snapshotId, search: someTerm, ...input });
    const want = gridOracle(listing, { search: someTerm, keep });
    expect(both.rows, JSON.stringify(input)).toEqual(want);
    expect(both.total).toBe(want.length);
    expect((await page(core, { snapshotId, search: someTerm, ...input, offset: 1, limit: 2 })).rows).toEqual(want.slice(1, 3));
  }
  const two = [...new Set(listing.map((r) => r.usubjid))].slice(0, 2);
  expect((await page(core, { snapshotId, usubjids: two })).rows).toEqual(listing.filter((r) => two.includes(r.usubjid)));
  // Group by SOC: rows by the group label in localeCompare order (DataGrid.tsx postSortRows), then the sort.
  const grouped = await pages(core, { snapshotId, groupBy: 'aebodsys', sort: [{ colId: 'grade', sort: 'asc' }] }, 6);
  const label = (r: Row) => String(r.aebodsys ?? '(missing)');
  const labels = [...new Set(listing.map(label))].sort((a, b) => a.localeCompare(b));
  const sorted = gridOracle(listing, { sort: [{ colId: 'grade', sort: 'asc' }] });
  expect(grouped).toEqual(labels.flatMap((l) => sorted.filter((r) => label(r) === l)));
  expect((await page(core, { snapshotId, groupBy: 'aebodsys', limit: 1 })).groups).toEqual(labels.map((l) => ({ key: l, rows: listing.filter((r) => label(r) === l).length })));
  return listing;
}

let dir: string;
beforeAll(() => {
  dir = tmpDir('dosedesk-ae-facts-');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the demo (cut 2)', () => {
  it('stored AE facts, pages and incidence equal aeListing, the client-side grid and the old incidence handler', async () => {
    const core = createCore({ dbPath: path.join(dir, 'demo.sqlite') });
    try {
      const r = await core.call('snapshot.import', { path: DEMO_CUT2 });
      const listing = await expectSameAsPure(core, r.snapshotId!);
      expect(listing.length).toBeGreaterThan(200);
      // Unknown columns are refused, naming the column.
      await expect(core.call('safety.aeListingPage', { snapshotId: r.snapshotId!, sort: [{ colId: 'aesev', sort: 'asc' }] })).rejects.toThrow(/no column "aesev"/);
    } finally {
      core.close();
    }
  }, 300_000);
});

// Admiral / pharmaversesdtm style: the CTCAE grade is not in AETOXGR but in a SUPPAE QNAM the study
// definition names (ae.gradeVariable), AE dates may be partial, and the snapshot has subjects who are
// not "treated" at the cut-off (dosed after it, never dosed).
const ADMIRAL_STUDY = {
  studyId: 'ADM1',
  dataCutoff: '2024-03-31',
  doseUnit: 'mg',
  doseLevels: [{ level: 1, dose: 10 }],
  dltWindowDays: 28,
  cycleLengthDays: 28,
  escalation: { design: '3+3', deescalation: true },
  ae: { gradeVariable: 'AETOXGRN' },
};
function admiralDomains() {
  const dm = (id: string, rfx: string | null) => ['ADM1', 'DM', id, rfx, 55, 'M', 'A10', 'Drug 10 mg'];
  return [
    table('DM', ['STUDYID', 'DOMAIN', 'USUBJID', 'RFXSTDTC', 'AGE', 'SEX', 'ARMCD', 'ARM'], [dm('ADM1-001', '2024-01-10'), dm('ADM1-002', '2024-04-15'), dm('ADM1-003', null)]),
    table('EX', ['STUDYID', 'DOMAIN', 'USUBJID', 'EXSEQ', 'EXTRT', 'EXDOSE', 'EXDOSU', 'EXSTDTC', 'EXENDTC'], [
      ['ADM1', 'EX', 'ADM1-001', 1, 'DRUG', 10, 'mg', '2024-01-10', '2024-01-10'],
      ['ADM1', 'EX', 'ADM1-002', 1, 'DRUG', 10, 'mg', '2024-04-15', '2024-04-15'],
    ]),
    table('AE', ['STUDYID', 'DOMAIN', 'USUBJID', 'AESEQ', 'AETERM', 'AEDECOD', 'AEBODSYS', 'AESEV', 'AESER', 'AEREL', 'AEOUT', 'AESTDTC', 'AEENDTC'], [
      /* 1: before the first dose */ ['ADM1', 'AE', 'ADM1-001', 1, 'COUGH', 'Cough', 'Respiratory, thoracic and mediastinal disorders', 'MILD', 'N', 'NONE', 'RECOVERED/RESOLVED', '2023-12-30', '2024-01-02'],
      /* 2: partial onset, same month as the first dose */ ['ADM1', 'AE', 'ADM1-001', 2, 'NAUSEA', 'Nausea', 'Gastrointestinal disorders', 'MILD', 'N', 'PROBABLE', 'RECOVERED/RESOLVED', '2024-01', null],
      /* 3: study day 27, grade 3 in SUPPAE */ ['ADM1', 'AE', 'ADM1-001', 3, 'VOMITING', 'Vomiting', 'Gastrointestinal disorders', 'SEVERE', 'Y', 'PROBABLE', 'RECOVERED/RESOLVED', '2024-02-05', '2024-02-08'],
      /* 4: study day 29, no grade */ ['ADM1', 'AE', 'ADM1-001', 4, 'FATIGUE', 'Fatigue', 'General disorders and administration site conditions', 'MODERATE', 'N', 'POSSIBLE', 'NOT RECOVERED/NOT RESOLVED', '2024-02-07', null],
      /* 5: dosed after the cut-off */ ['ADM1', 'AE', 'ADM1-002', 1, 'NAUSEA', 'Nausea', 'Gastrointestinal disorders', 'MILD', 'N', 'PROBABLE', 'RECOVERED/RESOLVED', '2024-04-20', '2024-04-21'],
      /* 6: never dosed */ ['ADM1', 'AE', 'ADM1-003', 1, 'HEADACHE', 'Headache', 'Nervous system disorders', 'MILD', 'N', 'NONE', 'RECOVERED/RESOLVED', '2024-01-15', '2024-01-16'],
    ]),
    table('SUPPAE', ['STUDYID', 'RDOMAIN', 'USUBJID', 'IDVAR', 'IDVARVAL', 'QNAM', 'QLABEL', 'QVAL'], [
      ['ADM1', 'AE', 'ADM1-001', 'AESEQ', '1', 'AETOXGRN', 'Standard toxicity grade', '1'],
      ['ADM1', 'AE', 'ADM1-001', 'AESEQ', '2', 'AETOXGRN', 'Standard toxicity grade', '1'],
      ['ADM1', 'AE', 'ADM1-001', 'AESEQ', '3', 'AETOXGRN', 'Standard toxicity grade', '3'],
      ['ADM1', 'AE', 'ADM1-002', 'AESEQ', '1', 'AETOXGRN', 'Standard toxicity grade', '2'],
    ]),
  ];
}

for (const format of FORMATS) {
  describe(`hand-built snapshots (${format})`, () => {
    it('CDISC pilot conventions (grades not collected, placebo, fatal AEs not serious): facts, pages and incidence', async () => {
      const core = createCore({ dbPath: path.join(dir, `pilot-${format}.sqlite`) });
      try {
        const r = await core.call('snapshot.import', { path: writeFixture(path.join(dir, `pilot-${format}`), pilotDomains(), format, { study: PILOT_STUDY }) });
        expect(r.status).toBe('imported');
        const sid = r.snapshotId!;
        await expectSameAsPure(core, sid);
        // By hand (test/helpers/safetyConventions.ts): 9 AEs; AETOXGR empty on rows 1, 3, 4 and 7.
        expect((await page(core, { snapshotId: sid })).total).toBe(9);
        expect((await page(core, { snapshotId: sid, filters: { grade: { filterType: 'number', type: 'blank' } } })).rows.map((x) => x.aeterm).sort()).toEqual(['DIARRHOEA', 'HEADACHE', 'PNEUMONIA', 'SEPSIS']);
        // The data query's words are searchable: AEOUT FATAL with AESER N on rows 4 and 7.
        expect((await page(core, { snapshotId: sid, search: 'FATAL outcome' })).rows.map((x) => x.usubjid)).toEqual(['01-701-1004', '01-701-1006']);
        // Group by dose level: labels "0" (placebo 1008: row 8), "1" (50 mg: rows 1, 2, 3, 9), "2" (100 mg: rows 4-7).
        expect((await page(core, { snapshotId: sid, groupBy: 'level', limit: 1 })).groups).toEqual([{ key: '0', rows: 1 }, { key: '1', rows: 4 }, { key: '2', rows: 4 }]);
        // DLT window (21 days): 1001 headache on 2024-01-05, first dose 2024-01-01 → day 5, inside; 1004 pneumonia
        // 2024-04-01, first dose 2024-02-01 → day 61, outside; 1006 sepsis 2024-03-01 vs 2024-02-03 → day 28, outside.
        const facts = allAeFacts(core.ctx.db, sid);
        const f = (u: string, term: string) => facts.find((x) => x.usubjid === u && x.aeterm === term)!;
        expect([f('01-701-1001', 'HEADACHE').in_dlt_window, f('01-701-1004', 'PNEUMONIA').in_dlt_window, f('01-701-1006', 'SEPSIS').in_dlt_window, f('01-701-1006', 'FATIGUE').in_dlt_window]).toEqual([1, 0, 0, 1]);
      } finally {
        core.close();
      }
    }, 120_000);

    it('admiral conventions (grade in SUPPAE, partial dates, untreated subjects): facts, pages and incidence, worked by hand', async () => {
      const core = createCore({ dbPath: path.join(dir, `admiral-${format}.sqlite`) });
      try {
        const r = await core.call('snapshot.import', { path: writeFixture(path.join(dir, `admiral-${format}`), admiralDomains(), format, { study: ADMIRAL_STUDY }) });
        expect(r.status).toBe('imported');
        const sid = r.snapshotId!;
        const listing = await expectSameAsPure(core, sid);
        expect(listing.map((x) => [x.aeterm, x.grade, x.studyDay, x.teae])).toEqual([
          // First dose 2024-01-10: 2023-12-30 is day -11 (no day 0), not TEAE; "2024-01" has no day but its month is the first dose's: TEAE.
          ['COUGH', 1, -11, false],
          ['NAUSEA', 1, null, true],
          ['VOMITING', 3, 27, true],
          ['FATIGUE', null, 29, true],
          // 002's first dose is after the cut-off but 2024-04-20 is still day 6 of its treatment; 003 was never dosed.
          ['NAUSEA', 2, 6, true],
          ['HEADACHE', null, null, false],
        ]);
        const facts = allAeFacts(core.ctx.db, sid);
        // Window of 28 days: day 27 inside, day 29, day -11 and the partial date outside. Treated at the cut-off: 001 only.
        expect(facts.map((x) => [x.in_dlt_window, x.treated, x.grp])).toEqual([
          [0, 1, 'L1'],
          [0, 1, 'L1'],
          [1, 1, 'L1'],
          [0, 1, 'L1'],
          // 002's day 6 is inside its own window (the study-day rule), though 002 is not treated at the cut-off.
          [1, 0, null],
          [0, 0, null],
        ]);
        // Incidence by hand: N = 1 (001); TEAEs of 001: nausea (1), vomiting (3), fatigue (no grade).
        const any = await core.call('safety.incidence', { snapshotId: sid, by: 'level', minGrade: 1 });
        expect(any.groups).toEqual([{ key: 'L1', label: 'Level 1: 10 mg', n: 1 }]);
        expect(any.rows[0]!.cells.L1).toEqual({ subjects: 1, percent: 100, events: 3, byWorstGrade: [0, 0, 1, 0, 0], worstGradeMissing: 0, ungradedEvents: 1 });
        // Gastrointestinal (nausea 1 + vomiting 3) before General disorders (fatigue, no grade): both 1 subject, 2 events before 1.
        expect(any.rows.map((x) => [x.kind, x.pt ?? x.soc])).toEqual([['any', null], ['soc', 'Gastrointestinal disorders'], ['pt', 'Nausea'], ['pt', 'Vomiting'], ['soc', 'General disorders and administration site conditions'], ['pt', 'Fatigue']]);
        expect(any.rows.find((x) => x.pt === 'Fatigue')!.total).toEqual({ subjects: 1, percent: 100, events: 1, byWorstGrade: [0, 0, 0, 0, 0], worstGradeMissing: 1, ungradedEvents: 1 });
        const g3 = await core.call('safety.incidence', { snapshotId: sid, by: 'level', minGrade: 3 });
        // Grade >= 3: vomiting only; nausea (grade 1) leaves no row; fatigue's SOC and PT stay with "grade not collected for 1 AE".
        expect(g3.rows.map((x) => [x.pt ?? x.soc, x.total.subjects, x.total.events, x.total.ungradedEvents])).toEqual([
          [null, 1, 1, 1],
          ['Gastrointestinal disorders', 1, 1, 0],
          ['Vomiting', 1, 1, 0],
          ['General disorders and administration site conditions', 0, 0, 1],
          ['Fatigue', 0, 0, 1],
        ]);
        // A changed study mapping rebuilds the facts: with the grade variable pointing at a QNAM the
        // snapshot does not have, no AE has a grade any more ("not collected").
        const [study] = await core.call('studies.list', {});
        await core.call('study.saveDefinition', { studyId: study!.studyId, definition: { ...study!.definition, ae: { gradeVariable: 'AEGRNONE' } } });
        expect(snapshotContext(core.ctx, sid).definition.ae.gradeVariable).toBe('AEGRNONE');
        expect((await page(core, { snapshotId: sid })).rows.map((x) => x.grade)).toEqual([null, null, null, null, null, null]);
        expect(allAeFacts(core.ctx.db, sid).map((x) => x.grade)).toEqual([null, null, null, null, null, null]);
      } finally {
        core.close();
      }
    }, 120_000);
  });
}
