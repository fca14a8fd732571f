// ECG (QTcF) end to end on a hand-built snapshot in the pharmaverse (pharmaversesdtm eg/vs, admiral)
// convention: EGTESTCD QT, RR, HR, QTCF with EGSTRESN/EGSTRESU in msec (or sec), EGBLFL = Y on the
// baseline ECG; VSTESTCD PULSE in beats/min; imported in CSV, Dataset-JSON and XPT. Every QTcF is
// worked by hand from Fridericia (1920), QTcF = QT / RR^(1/3) (QT ms, RR s; RR = 60 / HR), and every
// category from ICH E14 (2005) §3.2.2 (> 450, > 480, > 500 ms; increase > 30, > 60 ms, strictly).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { FORMATS, table, writeFixture } from '../helpers/conventions';
import { tmpDir } from '../helpers/snapshot';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let dir: string;
let core: Core;
beforeEach(() => {
  dir = tmpDir('dosedesk-ecg-');
  core = createCore({ dbPath: path.join(dir, 'db.sqlite'), user: 'tester' });
});
afterEach(() => {
  core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const study = {
  studyId: 'EG1',
  dataCutoff: '2025-06-01',
  doseUnit: 'mg',
  doseLevels: [
    { level: 1, dose: 10 },
    { level: 2, dose: 30 },
  ],
  dltWindowDays: 21,
  minDosesForEvaluability: 1,
  escalation: { design: '3+3' },
};

const DM = table('DM', ['STUDYID', 'DOMAIN', 'USUBJID', 'SUBJID', 'RFXSTDTC', 'ARMCD', 'ARM'], [
  ['EG1', 'DM', 'EG1-001', '001', '2025-01-06', 'L1', 'Escalation 10 mg'],
  ['EG1', 'DM', 'EG1-002', '002', '2025-01-06', 'L1', 'Escalation 10 mg'],
  ['EG1', 'DM', 'EG1-003', '003', '2025-02-03', 'L2', 'Escalation 30 mg'],
  ['EG1', 'DM', 'EG1-004', '004', null, 'SCRNFAIL', 'Screen Failure'],
]);
const EX = table('EX', ['STUDYID', 'DOMAIN', 'USUBJID', 'EXSEQ', 'EXTRT', 'EXDOSE', 'EXDOSU', 'EXSTDTC'], [
  ['EG1', 'EX', 'EG1-001', 1, 'DRUG', 10, 'mg', '2025-01-06'],
  ['EG1', 'EX', 'EG1-002', 1, 'DRUG', 10, 'mg', '2025-01-06'],
  ['EG1', 'EX', 'EG1-003', 1, 'DRUG', 30, 'mg', '2025-02-03'],
]);
const EGH = ['STUDYID', 'DOMAIN', 'USUBJID', 'EGSEQ', 'EGTESTCD', 'EGTEST', 'EGORRES', 'EGORRESU', 'EGSTRESC', 'EGSTRESN', 'EGSTRESU', 'EGBLFL', 'VISIT', 'EGDTC'];
const TEST: Record<string, string> = { QT: 'QT Interval', RR: 'RR Interval', HR: 'Heart Rate', QTCF: 'QTcF Interval', PR: 'PR Interval' };
let seq = 0;
const eg = (u: string, cd: string, v: number, unit: string, bl: string | null, visit: string, dtc: string) => ['EG1', 'EG', u, ++seq, cd, TEST[cd]!, String(v), unit, String(v), v, unit, bl, visit, dtc];
const EG = table('EG', EGH, [
  // EG1-001 (level 1, first dose 2025-01-06). Baseline (EGBLFL = Y): QT 400 ms, RR 1000 ms = 1 s:
  // QTcF 400 / 1 = 400 ms. Day 8: QT 432 ms, RR 512 ms = 0.512 s = 0.8^3: QTcF 432 / 0.8 = 540 ms,
  // change +140 ms: > 450, > 480, > 500, > 30, > 60. PR: not read by the QTcF derivation.
  eg('EG1-001', 'QT', 400, 'msec', 'Y', 'SCREENING', '2025-01-03'),
  eg('EG1-001', 'RR', 1000, 'msec', 'Y', 'SCREENING', '2025-01-03'),
  eg('EG1-001', 'PR', 160, 'msec', 'Y', 'SCREENING', '2025-01-03'),
  eg('EG1-001', 'QT', 432, 'msec', null, 'WEEK 2', '2025-01-13'),
  eg('EG1-001', 'RR', 512, 'msec', null, 'WEEK 2', '2025-01-13'),
  // EG1-002 (level 1): no EGBLFL. 2025-01-02: QT 380, HR 60 beats/min (RR 1 s): 380 ms, pre-dose, not
  // the last: neither baseline nor post-baseline. 2025-01-06 (first-dose day, no time: pre-dose): QT
  // 400, HR 60: 400 ms, the baseline. 2025-01-13: QT 430 with VS PULSE 60 beats/min (no EG RR or HR):
  // 430 ms, change +30: not > 450, not > 30 (strictly greater).
  eg('EG1-002', 'QT', 380, 'msec', null, 'SCREENING', '2025-01-02'),
  eg('EG1-002', 'HR', 60, 'beats/min', null, 'SCREENING', '2025-01-02'),
  eg('EG1-002', 'QT', 400, 'msec', null, 'DAY 1', '2025-01-06'),
  eg('EG1-002', 'HR', 60, 'beats/min', null, 'DAY 1', '2025-01-06'),
  eg('EG1-002', 'QT', 430, 'msec', null, 'WEEK 2', '2025-01-13'),
  // EG1-003 (level 2, first dose 2025-02-03). Baseline QTcF given 450 msec. Day 8: QTcF given 0.481 sec
  // = 481 ms (the QT 400 / RR 1000 beside it is not needed): change +31: > 450, > 480, not > 500; > 30,
  // not > 60. Day 15: QT in "mm" (not an interval unit); day 22: QT without RR or heart rate: both not
  // computable, located.
  eg('EG1-003', 'QTCF', 450, 'msec', 'Y', 'SCREENING', '2025-01-31'),
  eg('EG1-003', 'QTCF', 0.481, 'sec', null, 'WEEK 2', '2025-02-10'),
  eg('EG1-003', 'QT', 400, 'msec', null, 'WEEK 2', '2025-02-10'),
  eg('EG1-003', 'RR', 1000, 'msec', null, 'WEEK 2', '2025-02-10'),
  eg('EG1-003', 'QT', 400, 'mm', null, 'WEEK 3', '2025-02-17'),
  eg('EG1-003', 'QT', 400, 'msec', null, 'WEEK 4', '2025-02-24'),
  // EG1-004: screen failure, never dosed.
  eg('EG1-004', 'QT', 410, 'msec', null, 'SCREENING', '2025-01-20'),
]);
const VS = table('VS', ['STUDYID', 'DOMAIN', 'USUBJID', 'VSSEQ', 'VSTESTCD', 'VSTEST', 'VSORRES', 'VSORRESU', 'VSSTRESC', 'VSSTRESN', 'VSSTRESU', 'VISIT', 'VSDTC'], [
  ['EG1', 'VS', 'EG1-002', 1, 'PULSE', 'Pulse Rate', '60', 'beats/min', '60', 60, 'beats/min', 'WEEK 2', '2025-01-13'],
  ['EG1', 'VS', 'EG1-002', 2, 'SYSBP', 'Systolic Blood Pressure', '120', 'mmHg', '120', 120, 'mmHg', 'WEEK 2', '2025-01-13'],
  // A pulse with no ECG at that date: not used by the QTcF derivation.
  ['EG1', 'VS', 'EG1-001', 1, 'PULSE', 'Pulse Rate', '72', 'beats/min', '72', 72, 'beats/min', 'WEEK 3', '2025-01-20'],
]);

async function importFixture(format: (typeof FORMATS)[number]): Promise<number> {
  const r = await core.call('snapshot.import', { path: writeFixture(path.join(dir, format), [DM, EX, EG, VS], format, { study }) });
  expect(r.status).toBe('imported');
  return r.snapshotId!;
}

describe('ECG QTcF and ICH E14 categories on pharmaverse-convention EG and VS', () => {
  for (const format of FORMATS) {
    it(`QTcF per time point, change from baseline, categories by dose level, mapping (${format})`, { timeout: 120_000 }, async () => {
      const snapshotId = await importFixture(format);
      const q = await core.call('ecg.qtcf', { snapshotId });
      expect(q.present).toBe(true);
      expect(q.missingDomains).toEqual([]);
      const r = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
      expect(q.points.map((p) => [p.usubjid, p.group, p.dtc, r(p.qtcf), p.source, p.baseline, p.postBaseline, r(p.change)])).toEqual([
        ['EG1-001', 'L1', '2025-01-03', 400, 'QT and RR', true, false, null],
        ['EG1-001', 'L1', '2025-01-13', 540, 'QT and RR', false, true, 140],
        ['EG1-002', 'L1', '2025-01-02', 380, 'QT and heart rate (EG)', false, false, null],
        ['EG1-002', 'L1', '2025-01-06', 400, 'QT and heart rate (EG)', true, false, null],
        ['EG1-002', 'L1', '2025-01-13', 430, 'QT and heart rate (VS)', false, true, 30],
        ['EG1-003', 'L2', '2025-01-31', 450, 'QTcF as given', true, false, null],
        ['EG1-003', 'L2', '2025-02-10', 481, 'QTcF as given', false, true, 31],
      ]);
      expect(q.points.find((p) => p.dtc === '2025-01-13' && p.usubjid === 'EG1-001')!.studyDay).toBe(8);
      // Not computable, located at the QT record (file, data row: 5 rows of 001, 5 of 002, then 003's 5th and 6th: rows 15 and 16).
      expect(q.notComputable.map((n) => [n.usubjid, n.dtc, n.testcd, n.file?.toLowerCase().startsWith('eg.'), n.rowNo, n.reason])).toEqual([
        ['EG1-003', '2025-02-17', 'QT', true, 15, 'QT unit "mm" is not ms, msec, s or sec'],
        ['EG1-003', '2025-02-24', 'QT', true, 16, 'RR and heart rate both absent at this time point'],
      ]);

      const c = await core.call('ecg.categories', { snapshotId });
      // Level 1: EG1-001 max 540 (> 450, > 480, > 500), +140 (> 30, > 60); EG1-002 max 430, +30 (none).
      // Level 2: EG1-003 max 481 (> 450, > 480), +31 (> 30).
      expect(c.rows).toEqual([
        { group: 'L1', evaluable: 2, evaluableChange: 2, gt450: 1, gt480: 1, gt500: 1, incGt30: 1, incGt60: 1 },
        { group: 'L2', evaluable: 1, evaluableChange: 1, gt450: 1, gt480: 1, gt500: 0, incGt30: 1, incGt60: 0 },
      ]);

      const m = await core.call('snapshot.mapping', { snapshotId });
      const egm = m.find((x) => x.domain === 'EG' && x.analysis === 'ECG (QTcF)')!;
      // 17 EG rows; used: 001 QT/RR × 2 (4), 002 QT/HR day 1 + QT week 2 (3), 003 two QTcF (2) = 9.
      expect([egm.rowsRead, egm.rowsUsed]).toEqual([17, 9]);
      const why = Object.fromEntries(egm.unused.map((u) => [u.reason.split(/[:(]/)[0]!.trim(), u.rows]));
      expect(why).toEqual({
        'not a test the QTcF derivation reads': 1, // PR
        'on or before the first dose but not the baseline': 2, // 002's 2025-01-02 QT and HR
        'QTcF is given at this time point': 2, // 003's QT and RR of 2025-02-10
        'not computable': 2,
        'subject not dosed by the data cut-off': 1,
      });
      const vsm = m.find((x) => x.domain === 'VS' && x.analysis === 'ECG (QTcF)')!;
      expect([vsm.rowsRead, vsm.rowsUsed]).toEqual([3, 1]);
      expect(vsm.unused.map((u) => [u.reason.split(/[:(]/)[0]!.trim(), u.rows, u.values.map((v) => v.value)])).toEqual(
        expect.arrayContaining([
          ['not a test the QTcF derivation reads', 1, ['SYSBP']],
          ['heart rate without an ECG', 1, ['PULSE']],
        ]),
      );
    });
  }

  it('no EG: not present, the missing domain named, no mapping entry', async () => {
    const r = await core.call('snapshot.import', { path: writeFixture(path.join(dir, 'noeg'), [DM, EX, VS], 'csv', { study }) });
    const q = await core.call('ecg.qtcf', { snapshotId: r.snapshotId! });
    expect([q.present, q.missingDomains, q.points.length]).toEqual([false, ['EG'], 0]);
    const m = await core.call('snapshot.mapping', { snapshotId: r.snapshotId! });
    expect(m.filter((x) => x.analysis === 'ECG (QTcF)')).toEqual([]);
  });
});

describe('dosedesk tables --table qtc', () => {
  it('JSON and CSV through the CLI', { timeout: 300_000 }, async () => {
    const db = path.join(dir, 'cli.sqlite');
    const run = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin/dosedesk.mjs'), ...args, '--db', db], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    const imp = run('import', writeFixture(path.join(dir, 'cli'), [DM, EX, EG, VS], 'csv', { study }));
    expect(imp.status, imp.stderr).toBe(0);
    const id = String(JSON.parse(imp.stdout).snapshotId);
    const j = JSON.parse(run('tables', '--snapshot', id, '--table', 'qtc').stdout);
    expect(j.categories.rows[1]).toEqual({ group: 'L2', evaluable: 1, evaluableChange: 1, gt450: 1, gt480: 1, gt500: 0, incGt30: 1, incGt60: 0 });
    const csv = run('tables', '--snapshot', id, '--table', 'qtc', '--format', 'csv').stdout.split('\r\n');
    expect(csv[0]).toBe('usubjid,group,groupLabel,dtc,tpt,repnum,studyDay,qtcf,source,baseline,postBaseline,change,gt450,gt480,gt500,incGt30,incGt60,reason');
    expect(csv).toContain('EG1-001,L1,Level 1: 10 mg,2025-01-13,,,8,540,QT and RR,,Y,140,Y,Y,Y,Y,Y,');
    expect(csv).toContain('EG1-002,L1,Level 1: 10 mg,2025-01-13,,,8,430,QT and heart rate (VS),,Y,30,N,N,N,N,N,');
    expect(csv.some((l) => /^EG1-003,.*not computable.*RR and heart rate both absent/.test(l))).toBe(true);
  });
});
