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
import { FORMATS, writeFixture } from '../helpers/conventions';
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

import { DM, EG, EX, study, VS } from '../helpers/ecgFixture';

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
      // The import's own EG entry does not say that no analysis reads EG: the ECG analysis does.
      const imp = m.find((x) => x.domain === 'EG' && x.analysis === 'Import')!;
      expect([imp.rowsRead, imp.rowsUsed, imp.unused.filter((u) => /no DoseDesk analysis reads/.test(u.reason))]).toEqual([17, 17, []]);
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
