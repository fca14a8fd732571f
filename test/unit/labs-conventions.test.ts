// Laboratory safety end to end on a hand-built snapshot in the pharmaverse/admiral and CDISC pilot
// convention for LB (LBTESTCD ALT/AST/BILI/CREAT/NEUT/PLAT/HGB/K/SODIUM, standard units as the pilot
// has them: U/L, µmol/L, 10^9/L, haemoglobin in mmol/L; LBSTNRLO/LBSTNRHI; LBBLFL = Y on the screening
// record; LBTOXGR where the sponsor graded), imported in CSV, Dataset-JSON and XPT. Every expected
// grade is worked by hand from CTCAE v5.0 (NCI 2017) in the comments; the eDISH quadrant from the FDA
// DILI guidance (2009): peak ALT or AST > 3 × ULN and peak total bilirubin > 2 × ULN.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { FORMATS, table, writeFixture } from '../helpers/conventions';
import { tmpDir } from '../helpers/snapshot';
import { labSafetyOf, subjectLabSafety } from '../../electron/core/labs/app';
import { expectColumnsEqualRows } from '../helpers/columns';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let dir: string;
let core: Core;
beforeEach(() => {
  dir = tmpDir('dosedesk-labsafety-');
  core = createCore({ dbPath: path.join(dir, 'db.sqlite'), user: 'tester' });
});
afterEach(() => {
  core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const study = {
  studyId: 'LB1',
  dataCutoff: '2025-06-01',
  doseUnit: 'mg/kg',
  doseLevels: [
    { level: 1, dose: 0.01 },
    { level: 2, dose: 0.03 },
  ],
  dltWindowDays: 21,
  minDosesForEvaluability: 1,
  escalation: { design: '3+3' },
};

const DM = table('DM', ['STUDYID', 'DOMAIN', 'USUBJID', 'SUBJID', 'RFXSTDTC', 'ARMCD', 'ARM'], [
  ['LB1', 'DM', 'LB1-001', '001', '2025-01-06', 'L1', 'Escalation 0.01 mg/kg'],
  ['LB1', 'DM', 'LB1-002', '002', '2025-01-06', 'L1', 'Escalation 0.01 mg/kg'],
  ['LB1', 'DM', 'LB1-003', '003', '2025-02-03', 'L2', 'Escalation 0.03 mg/kg'],
]);
const EX = table('EX', ['STUDYID', 'DOMAIN', 'USUBJID', 'EXSEQ', 'EXTRT', 'EXDOSE', 'EXDOSU', 'EXSTDTC'], [
  ['LB1', 'EX', 'LB1-001', 1, 'DRUG', 0.01, 'mg/kg', '2025-01-06'],
  ['LB1', 'EX', 'LB1-002', 1, 'DRUG', 0.01, 'mg/kg', '2025-01-06'],
  ['LB1', 'EX', 'LB1-003', 1, 'DRUG', 0.03, 'mg/kg', '2025-02-03'],
]);
const H = ['STUDYID', 'DOMAIN', 'USUBJID', 'LBSEQ', 'LBTESTCD', 'LBTEST', 'LBCAT', 'LBORRES', 'LBSTRESC', 'LBSTRESN', 'LBSTRESU', 'LBSTNRLO', 'LBSTNRHI', 'LBNRIND', 'LBTOXGR', 'LBBLFL', 'VISIT', 'LBDTC'];
const row = (u: string, [seq, cd, res, unit, lo, hi, nrind, tox, bl, visit, dtc]: [number, string, string | number | null, string, number | null, number | null, string | null, string | null, string | null, string, string]): (string | number | null)[] => {
  const n = typeof res === 'number' ? res : null;
  return ['LB1', 'LB', u, seq, cd, cd, cd === 'NEUT' || cd === 'PLAT' || cd === 'HGB' ? 'HEMATOLOGY' : 'CHEMISTRY', res === null ? null : String(res), res === null ? null : String(res), n, unit, lo, hi, nrind, tox, bl, visit, dtc];
};
const LB = table('LB', H, [
  // LB1-001 (level 1, first dose 2025-01-06): liver. ALT 20 → 120 U/L (ULN 34): 3.53 × ULN, grade 2.
  // AST 22 → 150 U/L (ULN 36): 4.17 × ULN, grade 2. BILI 10 → 50 µmol/L (ULN 21): 2.38 × ULN, grade 2.
  // eDISH: max(3.53, 4.17) = 4.17 > 3 and 2.38 > 2: potential Hy's law.
  ...[
    [1, 'ALT', 20, 'U/L', 6, 34, 'NORMAL', null, 'Y', 'SCREENING 1', '2024-12-30'],
    [2, 'ALT', 120, 'U/L', 6, 34, 'HIGH', null, null, 'WEEK 2', '2025-01-20'],
    [3, 'AST', 22, 'U/L', 10, 36, 'NORMAL', null, 'Y', 'SCREENING 1', '2024-12-30'],
    [4, 'AST', 150, 'U/L', 10, 36, 'HIGH', null, null, 'WEEK 2', '2025-01-20'],
    [5, 'BILI', 10, 'umol/L', 3, 21, 'NORMAL', null, 'Y', 'SCREENING 1', '2024-12-30'],
    [6, 'BILI', 50, 'umol/L', 3, 21, 'HIGH', null, null, 'WEEK 3', '2025-01-27'],
    // An unrecognised test: in the mapping report, not graded.
    [7, 'GLUC', 5.5, 'mmol/L', 3.9, 5.8, 'NORMAL', null, 'Y', 'SCREENING 1', '2024-12-30'],
  ].map((r) => row('LB1-001', r as never)),
  // LB1-002 (level 1): haematology. NEUT 4.0 → 0.8 × 10^9/L on day 10: grade 3 (<1.0 - 0.5), in the
  // DLT window (days 1-21, to 2025-01-26). PLAT 200 → 60 × 10^9/L: grade 2 (<75 - 50). HGB 8.0 →
  // 4.8 mmol/L: grade 3 (< 4.9 mmol/L). K 6.5 mmol/L on day 30 (after the window): hyperkalemia grade 3.
  ...[
    [1, 'NEUT', 4.0, '10^9/L', 2.0, 7.5, 'NORMAL', null, 'Y', 'SCREENING 1', '2024-12-30'],
    [2, 'NEUT', 0.8, '10^9/L', 2.0, 7.5, 'LOW', null, null, 'WEEK 2', '2025-01-15'],
    [3, 'PLAT', 200, '10^9/L', 150, 400, 'NORMAL', null, 'Y', 'SCREENING 1', '2024-12-30'],
    [4, 'PLAT', 60, '10^9/L', 150, 400, 'LOW', null, null, 'WEEK 2', '2025-01-15'],
    [5, 'HGB', 8.0, 'mmol/L', 7.4, 9.9, 'NORMAL', null, 'Y', 'SCREENING 1', '2024-12-30'],
    [6, 'HGB', 4.8, 'mmol/L', 7.4, 9.9, 'LOW', null, null, 'WEEK 2', '2025-01-15'],
    [7, 'K', 4.2, 'mmol/L', 3.5, 5.1, 'NORMAL', null, 'Y', 'SCREENING 1', '2024-12-30'],
    [8, 'K', 6.5, 'mmol/L', 3.5, 5.1, 'HIGH', null, null, 'WEEK 5', '2025-02-04'],
  ].map((r) => row('LB1-002', r as never)),
  // LB1-003 (level 2, first dose 2025-02-03): ALT baseline 60 U/L > ULN 34 (abnormal; itself grade 1,
  // 1.76 × ULN): 200 U/L is 3.33 × baseline, grade 2 (5.88 × ULN would be grade 3 with a normal
  // baseline). SODIUM 140 → 128 mmol/L: grade 2 (125-129). K 2.8 mmol/L with LBTOXGR 3, LBNRIND LOW:
  // hypokalemia grade 3 (the sponsor's grade), day 8, in the window. Not gradable: NEUT in % (no
  // conversion to 10^9/L), BILI "<3" (not numeric), PLAT 120 without LBSTNRLO (grade 0 or 1 needs LLN).
  ...[
    [1, 'ALT', 60, 'U/L', 6, 34, 'HIGH', null, 'Y', 'SCREENING 1', '2025-01-27'],
    [2, 'ALT', 200, 'U/L', 6, 34, 'HIGH', null, null, 'WEEK 2', '2025-02-10'],
    [3, 'SODIUM', 140, 'mmol/L', 135, 145, 'NORMAL', null, 'Y', 'SCREENING 1', '2025-01-27'],
    [4, 'SODIUM', 128, 'mmol/L', 135, 145, 'LOW', null, null, 'WEEK 2', '2025-02-10'],
    [5, 'K', 4.0, 'mmol/L', 3.5, 5.1, 'NORMAL', '0', 'Y', 'SCREENING 1', '2025-01-27'],
    [6, 'K', 2.8, 'mmol/L', 3.5, 5.1, 'LOW', '3', null, 'WEEK 2', '2025-02-10'],
    [7, 'NEUT', 55, '%', 40, 75, 'NORMAL', null, null, 'WEEK 2', '2025-02-10'],
    [8, 'BILI', '<3', 'umol/L', 3, 21, null, null, null, 'WEEK 2', '2025-02-10'],
    [9, 'PLAT', 120, '10^9/L', null, null, null, null, null, 'WEEK 2', '2025-02-10'],
  ].map((r) => row('LB1-003', r as never)),
]);

async function importFixture(format: (typeof FORMATS)[number]): Promise<number> {
  const r = await core.call('snapshot.import', { path: writeFixture(path.join(dir, format), [DM, EX, LB], format, { study }) });
  expect(r.status).toBe('imported');
  return r.snapshotId!;
}

describe('laboratory safety on an admiral/CDISC-pilot-convention LB', () => {
  for (const format of FORMATS) {
    it(`worst grades, shift table, eDISH, DLT-window labs and the mapping report (${format})`, async () => {
      const snapshotId = await importFixture(format);
      const shift = await core.call('labs.shift', { snapshotId });
      expect(shift.present).toBe(true);
      // What the Laboratory view asks for, as columns, is these rows (test/helpers/columns.ts).
      await expectColumnsEqualRows(core, snapshotId);
      expect(shift.groups.map((g) => g.key)).toEqual(['L1', 'L2']);
      const worst = (u: string, term: string) => shift.subjects.find((s) => s.usubjid === u && s.term === term);
      expect(['Alanine aminotransferase increased', 'Aspartate aminotransferase increased', 'Blood bilirubin increased'].map((t) => worst('LB1-001', t)?.worstGrade)).toEqual([2, 2, 2]);
      expect(['Neutrophil count decreased', 'Platelet count decreased', 'Anemia', 'Hyperkalemia', 'Hypokalemia'].map((t) => worst('LB1-002', t)?.worstGrade)).toEqual([3, 2, 3, 3, 0]);
      expect(worst('LB1-003', 'Alanine aminotransferase increased')).toMatchObject({ baselineGrade: 1, worstGrade: 2, worstSource: 'derived' });
      expect(worst('LB1-003', 'Alanine aminotransferase increased')!.worstBasis).toMatch(/^3\.333 × baseline \(baseline abnormal/);
      expect(worst('LB1-003', 'Hyponatremia')?.worstGrade).toBe(2);
      expect(worst('LB1-003', 'Hypokalemia')).toMatchObject({ worstGrade: 3, worstSource: 'LBTOXGR' });
      expect(worst('LB1-003', 'Hyperkalemia')?.worstGrade).toBe(0);

      // Shift: ALT level 1 — LB1-001 baseline 0 → worst 2; level 2 — LB1-003 baseline 1 → worst 2.
      const block = (term: string, group: string) => shift.blocks.find((b) => b.term === term && b.group === group);
      expect(block('Alanine aminotransferase increased', 'L1')!.cells).toEqual([{ baseline: '0', worst: '2', subjects: 1 }]);
      expect(block('Alanine aminotransferase increased', 'L2')!.cells).toEqual([{ baseline: '1', worst: '2', subjects: 1 }]);
      // Neutrophils level 2: LB1-003 has no baseline and only a % result → missing × missing, 1 not gradable.
      expect(block('Neutrophil count decreased', 'L2')).toMatchObject({ subjects: 1, notGradable: 1, cells: [{ baseline: 'missing', worst: 'missing', subjects: 1 }] });

      // Not gradable, located (file, row) with the reason.
      const ng = shift.notGradable.map((n) => [n.usubjid, n.testcd, n.rowNo, n.reason]);
      expect(ng).toEqual([
        ['LB1-003', 'BILI', 23, 'result "<3" is not numeric (LBSTRESN empty)'],
        ['LB1-003', 'NEUT', 22, 'unit "%" cannot be converted to 10^9/L'],
        ['LB1-003', 'PLAT', 24, 'lower limit of normal (LBSTNRLO) missing: needed to grade 120 10^9/L'],
      ]);
      expect(shift.notGradable[0]!.file).toBe(`lb.${format}`);

      // eDISH: one point (LB1-001), LB1-003 has ALT but no numeric bilirubin.
      const e = await core.call('labs.edish', { snapshotId });
      expect(e.points.map((p) => [p.usubjid, Math.round(p.aminoXUln * 1000) / 1000, Math.round(p.biliXUln * 1000) / 1000, p.quadrant])).toEqual([['LB1-001', 4.167, 2.381, "Potential Hy's law"]]);
      expect(e.notPlotted.map((n) => n.usubjid)).toEqual(['LB1-003']);
      expect(e.skippedResults).toBe(1);

      // DLT window: LB1-002 NEUT and HGB grade 3 on day 10; LB1-003 hypokalemia grade 3 (LBTOXGR) on day 8.
      // LB1-002's hyperkalemia grade 3 on day 30 is after the window; LB1-001's grade 2 results are below 3.
      const dlt = await core.call('safety.dltTable', { snapshotId });
      const labs = dlt.levels.flatMap((l) => l.subjects.flatMap((s) => s.possibleDltLabs.map((x) => [s.usubjid, x.testcd, x.grade, x.studyDay, x.source])));
      expect(labs).toEqual([
        ['LB1-002', 'NEUT', 3, 10, 'derived'],
        ['LB1-002', 'HGB', 3, 10, 'derived'],
        ['LB1-003', 'K', 3, 8, 'LBTOXGR'],
      ]);
      expect(dlt.levels.map((l) => l.possibleDltLabs)).toEqual([2, 1]);

      // The profile grades one subject as the study's grades do (dosed or not).
      const L = labSafetyOf(core.ctx, snapshotId);
      for (const u of new Set([...L.subjects.keys(), ...L.untreatedRows.map((r) => r.usubjid)])) expect(subjectLabSafety(core.ctx, snapshotId, u), u).toEqual({ labs: L.subjects.get(u), treated: L.firstDose.has(u) });

      // Mapping report: the GLUC row (no rule) and the three not-gradable rows are not used.
      const m = (await core.call('snapshot.mapping', { snapshotId })).find((x) => x.domain === 'LB' && x.analysis.startsWith('Laboratory'))!;
      expect(m.rowsRead).toBe(24);
      expect(m.unused.map((u) => [u.variable, u.rows])).toEqual([
        ['LBTESTCD', 1],
        ['LBSTRESN', 3],
      ]);
      expect(m.rowsUsed).toBe(20);
    });
  }
});

describe('dosedesk tables --table lab-shift|edish', () => {
  it('JSON and CSV through the CLI', { timeout: 300_000 }, async () => {
    const db = path.join(dir, 'cli.sqlite');
    const run = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin/dosedesk.mjs'), ...args, '--db', db], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    const imp = run('import', writeFixture(path.join(dir, 'cli'), [DM, EX, LB], 'csv', { study }));
    expect(imp.status, imp.stderr).toBe(0);
    const id = String(JSON.parse(imp.stdout).snapshotId);
    const j = JSON.parse(run('tables', '--snapshot', id, '--table', 'edish').stdout);
    expect(j.points[0].quadrant).toBe("Potential Hy's law");
    const csv = run('tables', '--snapshot', id, '--table', 'lab-shift', '--format', 'csv').stdout.split('\r\n');
    expect(csv[0]).toBe('term,testcd,group,groupLabel,subjectsInGroup,baselineGrade,worstPostBaselineGrade,subjects,notGradableResults');
    expect(csv).toContain('Alanine aminotransferase increased,ALT,L2,Level 2: 0.03 mg/kg,1,1,2,1,0');
    const e = run('tables', '--snapshot', id, '--table', 'edish', '--format', 'csv').stdout.split('\r\n');
    expect(e[0]).toBe('usubjid,group,altXUln,astXUln,aminoXUln,biliXUln,altDtc,astDtc,biliDtc,quadrant,reason');
    expect(e[2]).toMatch(/^LB1-003,L2,.*,not plotted,/);
    // The DLT table of `tables` carries the lab results of grade >= 3 in the window.
    const dt = JSON.parse(run('tables', '--snapshot', id, '--table', 'dlt-table').stdout) as { subjects: { usubjid: string; labGrade3InWindow: string[] }[] };
    expect(dt.subjects.find((s) => s.usubjid === 'LB1-003')!.labGrade3InWindow).toEqual(['Hypokalemia (grade 3, K 2.8 mmol/L, day 8)']);
  });
});
