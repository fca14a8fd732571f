// The lab follow-ups of the patient profile and the AE view (issue 15): subjects.labs carries each
// result's CTCAE v5.0 grade from the laboratory-safety feature (the grade the Laboratory view shows),
// with "not gradable" and its reason; safety.listings lists the lab results of grade >= 3 inside the
// DLT window, the very rows of the DLT table. Hand-built LB in the pharmaverse/admiral and CDISC
// pilot convention (LBSTRESN/LBSTRESU, LBSTNRLO/LBSTNRHI, LBBLFL = Y on screening, LBTOXGR where the
// sponsor graded), imported in CSV, Dataset-JSON and XPT. Grades worked by hand from CTCAE v5.0
// (NCI, 27 November 2017), Investigations and Metabolism and nutrition disorders tables.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { FORMATS, table, writeFixture } from '../helpers/conventions';
import { tmpDir } from '../helpers/snapshot';

let dir: string;
let core: Core;
beforeEach(() => {
  dir = tmpDir('dosedesk-labs-profile-');
  core = createCore({ dbPath: path.join(dir, 'db.sqlite') });
});
afterEach(() => {
  core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const study = {
  studyId: 'LP1',
  dataCutoff: '2025-06-01',
  doseUnit: 'mg/kg',
  doseLevels: [
    { level: 1, dose: 0.1 },
    { level: 2, dose: 0.3 },
  ],
  dltWindowDays: 21,
  minDosesForEvaluability: 1,
  escalation: { design: '3+3' },
};

const DM = table('DM', ['STUDYID', 'DOMAIN', 'USUBJID', 'SUBJID', 'RFXSTDTC', 'ARMCD', 'ARM'], [
  ['LP1', 'DM', 'LP1-001', '001', '2025-01-06', 'L1', 'Escalation 0.1 mg/kg'],
  ['LP1', 'DM', 'LP1-002', '002', '2025-02-03', 'L2', 'Escalation 0.3 mg/kg'],
  // Screened, never dosed.
  ['LP1', 'DM', 'LP1-003', '003', null, 'SCRNFAIL', 'Screen Failure'],
]);
const EX = table('EX', ['STUDYID', 'DOMAIN', 'USUBJID', 'EXSEQ', 'EXTRT', 'EXDOSE', 'EXDOSU', 'EXSTDTC'], [
  ['LP1', 'EX', 'LP1-001', 1, 'DRUG', 0.1, 'mg/kg', '2025-01-06'],
  ['LP1', 'EX', 'LP1-002', 1, 'DRUG', 0.3, 'mg/kg', '2025-02-03'],
]);
const H = ['STUDYID', 'DOMAIN', 'USUBJID', 'LBSEQ', 'LBTESTCD', 'LBTEST', 'LBSTRESC', 'LBSTRESN', 'LBSTRESU', 'LBSTNRLO', 'LBSTNRHI', 'LBNRIND', 'LBTOXGR', 'LBBLFL', 'LBDTC'];
type R = [number, string, number | string, string, number | null, number | null, string | null, string | null, string | null, string];
const row = (u: string, [seq, cd, res, unit, lo, hi, nrind, tox, bl, dtc]: R) => ['LP1', 'LB', u, seq, cd, cd, String(res), typeof res === 'number' ? res : null, unit, lo, hi, nrind, tox, bl, dtc];
const LB = table('LB', H, [
  ...(
    [
      // LP1-001, first dose 2025-01-06 (day 1).
      // NEUT screening 4.0 × 10^9/L, LLN 2.0 (baseline, LBBLFL = Y): >= LLN, grade 0.
      [1, 'NEUT', 4.0, '10^9/L', 2.0, 7.5, 'NORMAL', null, 'Y', '2024-12-30'],
      // Day -4, pre-dose, not the baseline: 1.8 < LLN 2.0 and >= 1.5: grade 1 (<LLN - 1.5 × 10^9/L).
      [2, 'NEUT', 1.8, '10^9/L', 2.0, 7.5, 'LOW', null, null, '2025-01-02'],
      // Day 10 (2025-01-15), inside the 21-day window: 0.8 is < 1.0 and >= 0.5: grade 3.
      [3, 'NEUT', 0.8, '10^9/L', 2.0, 7.5, 'LOW', null, null, '2025-01-15'],
      // Only the month: cannot be placed before or after the first dose.
      [4, 'NEUT', 1.2, '10^9/L', 2.0, 7.5, 'LOW', null, null, '2025-02'],
      // PLAT without LBSTNRLO: grade 0 or 1 needs the LLN: not gradable.
      [5, 'PLAT', 120, '10^9/L', null, null, null, null, null, '2025-01-15'],
      // Glucose: no CTCAE rule in DoseDesk's lab set: no grade.
      [6, 'GLUC', 5.5, 'mmol/L', 3.9, 5.8, 'NORMAL', null, 'Y', '2024-12-30'],
    ] as R[]
  ).map((r) => row('LP1-001', r)),
  ...(
    [
      // LP1-002, first dose 2025-02-03: K 2.8 mmol/L, LBNRIND LOW, LBTOXGR 3 on day 8 (2025-02-10):
      // hypokalemia grade 3 as the sponsor recorded it; hyperkalemia 0 (the result is low).
      [1, 'K', 4.0, 'mmol/L', 3.5, 5.1, 'NORMAL', '0', 'Y', '2025-01-27'],
      [2, 'K', 2.8, 'mmol/L', 3.5, 5.1, 'LOW', '3', null, '2025-02-10'],
    ] as R[]
  ).map((r) => row('LP1-002', r)),
  // LP1-003, never dosed: no baseline to grade against.
  row('LP1-003', [1, 'NEUT', 0.4, '10^9/L', 2.0, 7.5, 'LOW', null, null, '2025-01-10']),
]);

describe('lab grades on the patient profile and in the AE listings', () => {
  for (const format of FORMATS) {
    it(`subjects.labs grades as the labs feature does; safety.listings lists grade >= 3 in the window (${format})`, async () => {
      const r = await core.call('snapshot.import', { path: writeFixture(path.join(dir, format), [DM, EX, LB], format, { study }) });
      expect(r.status).toBe('imported');
      const snapshotId = r.snapshotId!;

      const labs = await core.call('subjects.labs', { snapshotId, usubjid: 'LP1-001' });
      const neut = labs.tests.find((t) => t.testcd === 'NEUT')!;
      // Ordered by LBDTC: '2024-12-30', '2025-01-02', '2025-01-15', '2025-02'.
      expect(neut.points.map((p) => [p.dtc, p.ctcae.map((g) => [g.term, g.grade, g.source])])).toEqual([
        ['2024-12-30', [['Neutrophil count decreased', 0, 'derived']]],
        ['2025-01-02', [['Neutrophil count decreased', 1, 'derived']]],
        ['2025-01-15', [['Neutrophil count decreased', 3, 'derived']]],
        ['2025-02', [['Neutrophil count decreased', null, null]]],
      ]);
      expect(neut.points[3]!.ctcae[0]!.notGradable).toBe('no full date: the result cannot be placed before or after the first dose');
      // Same grade and basis as labs.shift's worst result for this subject (one source).
      const shift = await core.call('labs.shift', { snapshotId });
      const worst = shift.subjects.find((s) => s.usubjid === 'LP1-001' && s.testcd === 'NEUT')!;
      expect([worst.worstGrade, worst.worstBasis]).toEqual([neut.points[2]!.ctcae[0]!.grade, neut.points[2]!.ctcae[0]!.basis]);
      const plat = labs.tests.find((t) => t.testcd === 'PLAT')!.points[0]!.ctcae;
      expect(plat).toEqual([{ term: 'Platelet count decreased', grade: null, source: null, basis: null, notGradable: 'lower limit of normal (LBSTNRLO) missing: needed to grade 120 10^9/L' }]);
      expect(labs.tests.find((t) => t.testcd === 'GLUC')!.points[0]!.ctcae).toEqual([]);

      const k = (await core.call('subjects.labs', { snapshotId, usubjid: 'LP1-002' })).tests.find((t) => t.testcd === 'K')!;
      expect(k.points[1]!.ctcae.map((g) => [g.term, g.grade, g.source])).toEqual([
        ['Hyperkalemia', 0, 'LBTOXGR'],
        ['Hypokalemia', 3, 'LBTOXGR'],
      ]);
      const never = (await core.call('subjects.labs', { snapshotId, usubjid: 'LP1-003' })).tests[0]!.points[0]!.ctcae;
      expect(never.map((g) => [g.grade, g.notGradable])).toEqual([[null, 'the subject had no dose by the data cut-off: no baseline to grade against']]);

      // The AE view's listing: the DLT table's lab rows, with subject and level. LP1-001 NEUT grade 3
      // on day 10 (window days 1-21); LP1-002 hypokalemia grade 3 (LBTOXGR) on day 8.
      const listings = await core.call('safety.listings', { snapshotId });
      expect(listings.possibleDltLabs.map((x) => [x.usubjid, x.level, x.testcd, x.term, x.grade, x.source, x.studyDay, x.result])).toEqual([
        ['LP1-001', 1, 'NEUT', 'Neutrophil count decreased', 3, 'derived', 10, '0.8'],
        ['LP1-002', 2, 'K', 'Hypokalemia', 3, 'LBTOXGR', 8, '2.8'],
      ]);
      const dlt = await core.call('safety.dltTable', { snapshotId });
      const fromDlt = dlt.levels.flatMap((l) => l.subjects.flatMap((s) => s.possibleDltLabs.map((x) => ({ usubjid: s.usubjid, level: l.level, dose: l.dose, part: l.part, ...x }))));
      expect(listings.possibleDltLabs).toEqual(fromDlt);
    });
  }
});
