// The committee's AE tables (issue 15 item 4): treatment-related TEAE incidence (AEREL), TEAEs
// leading to dose change or discontinuation (AEACN, CDISC CT C66767) and the SOC × dose-level grid
// of worst CTCAE grade, on a hand-built snapshot (test/helpers/aeTablesConventions.ts) in CSV,
// Dataset-JSON and XPT. Every number is worked by hand from the rows a1..a13 there:
// levels L1 = 1015, 1023, 1028 (n = 3), L2 = 1033, 1034, 1047 (n = 3); a12 precedes 1047's first
// dose, so it is not a TEAE (docs/CLINICAL_RULES.md#teae). Related = POSSIBLE / PROBABLE (CDISC
// pilot convention), not related = NONE / REMOTE, relationship missing = empty / UNKNOWN.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { COMMANDS, parseArgs } from '../../electron/core/cli';
import { safetyMapping } from '../../electron/core/safety/mapping';
import { aeAction, aeActions, aeRelationship, highestGrade } from '../../shared/safety/aeTables';
import { StudyDefinition } from '../../shared/study';
import { AE_STUDY, aeTableDomains } from '../helpers/aeTablesConventions';
import { FORMATS, writeFixture } from '../helpers/conventions';
import { referencePath } from '../helpers/reference';
import { tmpDir } from '../helpers/snapshot';

describe('pure readings (shared/safety/aeTables.ts)', () => {
  it('AEREL: sponsor values read as related / not related; empty, UNKNOWN and unknown codes are "missing", never guessed', () => {
    expect(['Y', 'RELATED', 'possibly related', 'PROBABLY RELATED', 'POSSIBLE', 'PROBABLE'].map(aeRelationship)).toEqual(Array(6).fill('related'));
    expect(['N', 'NOT RELATED', 'UNLIKELY RELATED', 'NONE', 'REMOTE'].map(aeRelationship)).toEqual(Array(5).fill('not-related'));
    expect([null, '', 'UNKNOWN', 'NOT ASSESSED', 'MAYBE'].map(aeRelationship)).toEqual(Array(5).fill('missing'));
  });
  it('AEACN: CDISC CT C66767 values; MULTIPLE, empty and values outside the code list are kept apart', () => {
    expect(aeActions('MULTIPLE', ['DOSE REDUCED', 'UNKNOWN'])).toEqual(['reduced', 'unknown']);
    expect(aeActions('MULTIPLE')).toEqual(['multiple']);
    expect(['DRUG WITHDRAWN', 'DOSE REDUCED', 'DOSE INCREASED', 'DRUG INTERRUPTED', 'DOSE NOT CHANGED', 'NOT APPLICABLE', 'UNKNOWN', 'MULTIPLE', '', 'DOSE DELAYED'].map(aeAction)).toEqual([
      'withdrawn', 'reduced', 'increased', 'interrupted', 'not-changed', 'not-applicable', 'unknown', 'multiple', 'missing', 'unrecognised',
    ]);
  });
  it('highestGrade: the highest grade with a subject, null when none', () => {
    expect(highestGrade([1, 0, 2, 0, 0])).toBe(3);
    expect(highestGrade([0, 0, 0, 0, 0])).toBeNull();
  });
});

for (const format of FORMATS) {
  describe(`AE tables on a pharmaversesdtm-style snapshot in ${format}`, () => {
    let dir: string;
    let core: Core;
    let snapshotId: number;
    beforeAll(async () => {
      dir = tmpDir(`dosedesk-aetab-${format}-`);
      core = createCore({ dbPath: path.join(dir, 'db.sqlite') });
      const r = await core.call('snapshot.import', { path: writeFixture(path.join(dir, 'snap'), aeTableDomains(), format, { study: AE_STUDY }) });
      expect(r.errors).toEqual([]);
      snapshotId = r.snapshotId!;
    });
    afterAll(() => core.close());

    it('related incidence, any grade: related TEAEs a1 a2 a6 a7 a9 a10 a11 a13; subjects once per row at their worst grade', async () => {
      const t = await core.call('safety.relatedIncidence', { snapshotId, minGrade: 1 });
      expect(t.groups.map((g) => [g.key, g.n])).toEqual([['L1', 3], ['L2', 3]]);
      const any = t.rows[0]!;
      // L1: 1015 (a1 g1, a2 g2) -> worst 2, 1028 (a13 g2) -> worst 2; 2/3 = 66.7 %.
      expect(any.cells.L1).toMatchObject({ subjects: 2, percent: 66.7, events: 3, byWorstGrade: [0, 2, 0, 0, 0], worstGradeMissing: 0 });
      // L2: 1033 (a6 g4, a7 g1) worst 4, 1034 (a9 ungraded) missing, 1047 (a10 g2, a11 g3) worst 3; 3/3 = 100 %.
      expect(any.cells.L2).toMatchObject({ subjects: 3, percent: 100, events: 5, byWorstGrade: [0, 0, 1, 1, 0], worstGradeMissing: 1 });
      expect(any.total).toMatchObject({ subjects: 5, percent: 83.3, events: 8 });
      const nausea = t.rows.find((r) => r.kind === 'pt' && r.pt === 'Nausea')!;
      // a3 (NONE) and a8 (UNKNOWN) are not related: only 1033 g1 and 1047 (g2, g3 -> 3).
      expect(nausea.cells.L2).toMatchObject({ subjects: 2, percent: 66.7, events: 3, byWorstGrade: [1, 0, 1, 0, 0] });
      expect(nausea.cells.L1).toMatchObject({ subjects: 0, events: 0 });
      expect(t.rows.some((r) => r.pt === 'Rash' || r.pt === 'Diarrhoea')).toBe(false);
      // Relationship missing: a4 (empty, 1023, L1) and a8 (UNKNOWN, 1034, L2).
      expect(t.relationshipMissing).toEqual({ byGroup: { L1: { subjects: 1, events: 1 }, L2: { subjects: 1, events: 1 } }, total: { subjects: 2, events: 2 } });
      expect(t.aerelValues.find((v) => v.value === 'UNKNOWN')).toEqual({ value: 'UNKNOWN', reading: 'missing', events: 1 });
      expect(t.aerelValues.find((v) => v.value === 'REMOTE')).toEqual({ value: 'REMOTE', reading: 'not-related', events: 1 });
    });

    it('related incidence, grade >= 3: a6 (g4) and a11 (g3); a9 has no grade and is counted as "grade not collected"', async () => {
      const any = (await core.call('safety.relatedIncidence', { snapshotId, minGrade: 3 })).rows[0]!;
      expect(any.cells.L2).toMatchObject({ subjects: 2, percent: 66.7, events: 2, byWorstGrade: [0, 0, 1, 1, 0], ungradedEvents: 1 });
      expect(any.cells.L1).toMatchObject({ subjects: 0, events: 0 });
    });

    it('AEs leading to dose change: withdrawn a6, a13 (SUPPAE AEACN1); reduced a3, a10; interrupted a2, a11; not interpretable a4 (empty), a8 (MULTIPLE, no SUPPAE), a9 (DOSE DELAYED)', async () => {
      const t = await core.call('safety.aeAction', { snapshotId });
      const row = (a: string) => t.rows.find((r) => r.action === a)!;
      // a13: AEACN MULTIPLE, SUPPAE AEACN1 DRUG WITHDRAWN (treatment 1), AEACN2 DOSE NOT CHANGED.
      expect(row('withdrawn').cells).toEqual({ L1: { subjects: 1, percent: 33.3, events: 1 }, L2: { subjects: 1, percent: 33.3, events: 1 } });
      expect(row('withdrawn').total).toEqual({ subjects: 2, percent: 33.3, events: 2 });
      expect(row('reduced').total).toEqual({ subjects: 2, percent: 33.3, events: 2 });
      expect(row('interrupted').cells.L1).toEqual({ subjects: 1, percent: 33.3, events: 1 });
      expect(row('increased').total).toEqual({ subjects: 0, percent: 0, events: 0 });
      // Any: L1 1015 (a2) + 1023 (a3) + 1028 (a13) -> 3/3; L2 1033 (a6) + 1047 (a10, a11) -> 2/3; 5/6 = 83.3 %, 6 events.
      expect(row('any').cells.L1).toEqual({ subjects: 3, percent: 100, events: 3 });
      expect(row('any').cells.L2).toEqual({ subjects: 2, percent: 66.7, events: 3 });
      expect(row('any').total).toEqual({ subjects: 5, percent: 83.3, events: 6 });
      expect(t.notInterpretable).toEqual({ byGroup: { L1: { subjects: 1, events: 1 }, L2: { subjects: 1, events: 2 } }, total: { subjects: 2, events: 3 } });
      // Listing: the 5 changes, then MULTIPLE and DOSE DELAYED (empty AEACN counted, not listed); a12 is not a TEAE.
      expect(t.listing.map((r) => `${r.usubjid.slice(-4)}/${r.aeseq}/${r.action}`).sort()).toEqual(
        ['1015/2/interrupted', '1023/1/reduced', '1028/2/withdrawn; not-changed', '1033/1/withdrawn', '1034/1/multiple', '1034/2/unrecognised', '1047/1/reduced', '1047/2/interrupted'],
      );
      expect(t.aeacnValues.find((v) => v.value === 'MULTIPLE: SUPPAE DRUG WITHDRAWN')).toEqual({ value: 'MULTIPLE: SUPPAE DRUG WITHDRAWN', reading: 'withdrawn', events: 1 });
      expect(t.aeacnValues.find((v) => v.value === 'MULTIPLE')).toEqual({ value: 'MULTIPLE', reading: 'multiple', events: 1 });
    });

    it('SOC × level grid: subjects per cell and the worst grade; ungraded-only cell has no grade', async () => {
      const g = await core.call('safety.socGradeGrid', { snapshotId });
      expect(g.rows.map((r) => r.soc)).toEqual([
        'Gastrointestinal disorders', 'Nervous system disorders', 'Blood and lymphatic system disorders', 'General disorders and administration site conditions', 'Skin and subcutaneous tissue disorders',
      ]);
      const gi = g.rows[0]!;
      // L1: 1023 (a3 g3, a4 g2), 1028 (a13 g2) -> worst 3. L2: 1033 g1, 1034 g3, 1047 (g2, g3) -> worst 3.
      expect(gi.cells.L1).toMatchObject({ subjects: 2, worstGrade: 3, byWorstGrade: [0, 1, 1, 0, 0] });
      expect(gi.cells.L2).toMatchObject({ subjects: 3, worstGrade: 3, byWorstGrade: [1, 0, 2, 0, 0] });
      // a12 (pre-dose headache of 1047) is not counted: no NS subject at L2.
      expect(g.rows[1]!.cells.L2).toMatchObject({ subjects: 0, worstGrade: null });
      expect(g.rows[2]!.cells.L2).toMatchObject({ subjects: 1, worstGrade: 4 });
      expect(g.rows[3]!.cells.L2).toMatchObject({ subjects: 1, worstGrade: null, worstGradeMissing: 1 });
    });

    it('mapping report: AEREL and AEACN rows DoseDesk cannot interpret are listed with their values', () => {
      const e = safetyMapping(core.ctx.db, snapshotId, StudyDefinition.parse(AE_STUDY)).find((x) => x.analysis.startsWith('Related AEs'))!;
      // 13 AE rows; AEREL missing: a4, a8; AEACN not interpretable: a4, a8, a9 (a13 read from SUPPAE) -> 3 distinct rows unused.
      expect(e).toMatchObject({ domain: 'AE', rowsRead: 13, rowsUsed: 10 });
      expect(e.unused.find((u) => u.variable === 'AEREL')).toMatchObject({ rows: 2, values: [{ value: '(empty)', count: 1 }, { value: 'UNKNOWN', count: 1 }] });
      expect(e.unused.find((u) => u.variable === 'AEACN')!.values.map((v) => v.value)).toEqual(['(empty)', 'DOSE DELAYED', 'MULTIPLE']);
    });

    it('CLI: tables --table related-incidence|ae-action in CSV (the command run on the same core)', async () => {
      const cli = async (t: string) => String((await COMMANDS.tables!.run(core, parseArgs('tables', ['--snapshot', String(snapshotId), '--table', t, '--format', 'csv'], COMMANDS.tables!.options))).output).trim().split('\r\n');
      const rel = await cli('related-incidence');
      expect(rel[0]).toMatch(/^table,row,soc,pt,group,N,subjects,percent,events/);
      // Relationship missing, Total: 2 subjects, 2 events of 6 treated.
      expect(rel.find((l) => l.includes('relationship-missing,,,Total'))).toMatch(/relationship-missing,,,Total,6,2,,2/);
      const act = await cli('ae-action');
      expect(act).toContain('withdrawn,Level 2: 100 mg,3,1,33.3,1');
      expect(act).toContain('not-interpretable,Total,6,2,,3');
      const listing = await cli('ae-action-listing');
      expect(listing).toHaveLength(1 + 8);
    });
  });
}

// The CDISC pilot export (XPT, no study.json): AEREL NONE / REMOTE / POSSIBLE / PROBABLE and 4 empty,
// AEACN empty throughout and no AETOXGR (the pilot's PROFILE.md in the reference data: AE
// variables and "No AETOXGR"). Nothing is guessed: empty AEREL is "relationship missing", empty AEACN
// "not interpretable", and no cell of the grid gets a grade.
const PILOT = referencePath('sdtm-xpt/cdiscpilot01', 'ae-tables.test.ts (AE tables on the CDISC pilot export)');
describe.skipIf(!PILOT)('AE tables on the CDISC pilot export', () => {
  let core: Core;
  let snapshotId: number;
  beforeAll(async () => {
    const dir = tmpDir('dosedesk-aetab-pilot-');
    core = createCore({ dbPath: path.join(dir, 'db.sqlite') });
    snapshotId = (await core.call('snapshot.import', { path: PILOT! })).snapshotId!;
  });
  afterAll(() => core.close());

  it('related + relationship missing + not related = every TEAE; AEACN empty = not interpretable; no grade in the grid', async () => {
    const rel = await core.call('safety.relatedIncidence', { snapshotId, minGrade: 1 });
    const all = await core.call('safety.incidence', { snapshotId, by: 'level', minGrade: 1 });
    const reading = Object.fromEntries(rel.aerelValues.map((v) => [v.value, v.reading]));
    expect(reading).toEqual({ PROBABLE: 'related', POSSIBLE: 'related', NONE: 'not-related', REMOTE: 'not-related', '(empty)': 'missing' });
    const events = (r: string) => rel.aerelValues.filter((v) => v.reading === r).reduce((n, v) => n + v.events, 0);
    expect(rel.rows[0]!.total.events).toBe(events('related'));
    expect(rel.relationshipMissing.total.events).toBe(events('missing'));
    expect(events('related') + events('missing') + events('not-related')).toBe(all.rows[0]!.total.events);
    const act = await core.call('safety.aeAction', { snapshotId });
    expect(act.notInterpretable.total.events).toBe(all.rows[0]!.total.events);
    expect(act.rows.every((r) => r.total.subjects === 0)).toBe(true);
    const grid = await core.call('safety.socGradeGrid', { snapshotId });
    expect(grid.rows.every((r) => r.total.worstGrade === null && r.total.worstGradeMissing === r.total.subjects)).toBe(true);
  });
});
