// Concomitant medications: the timing rules (shared/conmeds.ts, docs/CLINICAL_RULES.md#concomitant-medications)
// on hand-worked dates, then end to end on a hand-built CM in the pharmaversesdtm / CDISC pilot convention
// (CMTRT verbatim, CMDECOD WHO Drug name, CMCLAS, CMINDC, CMDOSE + CMDOSU, CMDOSFRQ, CMROUTE, CMSTDTC/CMENDTC,
// CMSTRF, CMENRF, CMENRTPT + CMENTPT as SDTMIG v3.4 §4.4.7) imported in CSV, Dataset-JSON and XPT.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { cmOngoing, cmTiming, dateRange } from '../../shared/conmeds';
import { dayNumberFromParts } from '../../shared/dates';
import { FORMATS, table, writeFixture } from '../helpers/conventions';
import { tmpDir } from '../helpers/snapshot';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('CM timing rules', () => {
  it('date ranges of partial dates', () => {
    expect(dateRange('2025-02')).toEqual({ from: dayNumberFromParts(2025, 2, 1), to: dayNumberFromParts(2025, 2, 28) });
    expect(dateRange('2024-02')!.to).toBe(dayNumberFromParts(2024, 2, 29));
    expect(dateRange('2025')).toEqual({ from: dayNumberFromParts(2025, 1, 1), to: dayNumberFromParts(2025, 12, 31) });
    expect(dateRange('2025-03-04T10:00')).toEqual({ from: dayNumberFromParts(2025, 3, 4), to: dayNumberFromParts(2025, 3, 4) });
    expect(dateRange('not a date')).toBeNull();
  });

  it('start against the first dose (2025-01-06) and a 21-day window (days 1..21 = 01-06..01-26)', () => {
    const t = (dtc: string | null, strf: string | null = null) => cmTiming(dtc, strf, '2025-01-06', 21);
    expect(t('2025-01-05')).toBe('prior');
    expect(t('2025-01-06')).toBe('in DLT window'); // day 1
    expect(t('2025-01-26')).toBe('in DLT window'); // day 21
    expect(t('2025-01-27')).toBe('after DLT window'); // day 22
    expect(t('2025-01')).toBe('possibly in DLT window'); // 01-01..01-31 overlaps days 1..21 and lies partly before
    expect(t('2024-12')).toBe('prior');
    expect(t('2025-02')).toBe('after DLT window');
    expect(t(null, 'BEFORE')).toBe('prior');
    expect(t(null)).toBe('start unknown');
    // A window wholly inside a partial month: 2025-01 with first dose 2025-01-01 and a 31-day window.
    expect(cmTiming('2025-01', null, '2025-01-01', 31)).toBe('in DLT window');
  });

  it('ongoing', () => {
    expect(cmOngoing(null, null, 'ONGOING')).toBe(true);
    expect(cmOngoing('2025-02-01', null, null)).toBe(false);
    expect(cmOngoing(null, 'AFTER', null)).toBe(true);
    expect(cmOngoing(null, 'DURING/AFTER', null)).toBe(true);
    expect(cmOngoing(null, 'DURING', null)).toBe(false);
    expect(cmOngoing(null, null, null)).toBeNull();
  });
});

const study = { studyId: 'CM1', dataCutoff: '2025-06-01', doseUnit: 'mg', doseLevels: [{ level: 1, dose: 10 }, { level: 2, dose: 30 }], dltWindowDays: 21, escalation: { design: '3+3' } };
const DM = table('DM', ['STUDYID', 'DOMAIN', 'USUBJID', 'SUBJID', 'RFXSTDTC', 'ARMCD', 'ARM'], [
  ['CM1', 'DM', 'CM1-001', '001', '2025-01-06', 'L1', 'Escalation 10 mg'],
  ['CM1', 'DM', 'CM1-002', '002', '2025-02-03', 'L2', 'Escalation 30 mg'],
  ['CM1', 'DM', 'CM1-003', '003', null, 'SCRNFAIL', 'Screen Failure'],
]);
const EX = table('EX', ['STUDYID', 'DOMAIN', 'USUBJID', 'EXSEQ', 'EXTRT', 'EXDOSE', 'EXDOSU', 'EXSTDTC'], [
  ['CM1', 'EX', 'CM1-001', 1, 'DRUG', 10, 'mg', '2025-01-06'],
  ['CM1', 'EX', 'CM1-002', 1, 'DRUG', 30, 'mg', '2025-02-03'],
]);
const CMH = ['STUDYID', 'DOMAIN', 'USUBJID', 'CMSEQ', 'CMTRT', 'CMDECOD', 'CMCLAS', 'CMINDC', 'CMDOSE', 'CMDOSU', 'CMDOSFRQ', 'CMROUTE', 'CMSTDTC', 'CMENDTC', 'CMSTRF', 'CMENRF', 'CMENRTPT', 'CMENTPT'];
const CM = table('CM', CMH, [
  // 001 (first dose 2025-01-06; window to 01-26): a prior medication ongoing (CMENRTPT ONGOING), one started day 9
  // (in the window) and ended, one started day 30 (after), one with a partial start "2025-01" (possibly in the window).
  ['CM1', 'CM', 'CM1-001', 1, 'AMLODIPINE 5MG', 'AMLODIPINE', 'CARDIOVASCULAR SYSTEM', 'HYPERTENSION', 5, 'mg', 'QD', 'ORAL', '2023-06-01', null, 'BEFORE', null, 'ONGOING', 'END OF STUDY'],
  ['CM1', 'CM', 'CM1-001', 2, 'ONDANSETRON', 'ONDANSETRON', 'ALIMENTARY TRACT AND METABOLISM', 'NAUSEA', 8, 'mg', 'BID', 'ORAL', '2025-01-14', '2025-01-18', null, null, null, null],
  ['CM1', 'CM', 'CM1-001', 3, 'PARACETAMOL', 'PARACETAMOL', 'NERVOUS SYSTEM', 'PYREXIA', 1000, 'mg', 'PRN', 'ORAL', '2025-02-04', null, null, 'AFTER', null, null],
  ['CM1', 'CM', 'CM1-001', 4, 'LOPERAMIDE', 'LOPERAMIDE', 'ALIMENTARY TRACT AND METABOLISM', 'DIARRHOEA', 2, 'mg', 'PRN', 'ORAL', '2025-01', '2025-01', null, null, null, null],
  // 002 (first dose 2025-02-03; window to 02-23): dexamethasone on day 21 (in the window, the last day).
  ['CM1', 'CM', 'CM1-002', 1, 'DEXAMETHASONE', 'DEXAMETHASONE', 'SYSTEMIC HORMONAL PREPARATIONS', 'INFUSION RELATED REACTION', 4, 'mg', 'ONCE', 'INTRAVENOUS', '2025-02-23', '2025-02-23', null, null, null, null],
  // 003: screen failure, never dosed: not listed, reported in the mapping report.
  ['CM1', 'CM', 'CM1-003', 1, 'ASPIRIN', 'ACETYLSALICYLIC ACID', 'BLOOD AND BLOOD FORMING ORGANS', 'PROPHYLAXIS', 100, 'mg', 'QD', 'ORAL', '2024-11-01', null, null, null, null, null],
]);

let dir: string;
let core: Core;
beforeEach(() => {
  dir = tmpDir('dosedesk-cm-');
  core = createCore({ dbPath: path.join(dir, 'db.sqlite'), user: 'tester' });
});
afterEach(() => {
  core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('CM listing on pharmaverse-convention CM', () => {
  for (const format of FORMATS) {
    it(`timing against the DLT window, ongoing, study days, mapping (${format})`, { timeout: 120_000 }, async () => {
      const r = await core.call('snapshot.import', { path: writeFixture(path.join(dir, format), [DM, EX, CM], format, { study }) });
      expect(r.status).toBe('imported');
      const t = await core.call('cm.listing', { snapshotId: r.snapshotId! });
      expect(t.present).toBe(true);
      // Study days: 2023-06-01 is 585 days before 2025-01-06 (2023-06-01..2024-06-01 = 366 with 2024-02-29; ..2025-01-01 = 30+31+31+30+31+30+31 = 214; ..01-06 = 5): day -585 (before day 1: date − reference, no day 0).
      expect(t.rows.map((x) => [x.usubjid, x.group, x.cmseq, x.cmdecod, x.dose, x.cmdosu, x.startDay, x.endDay, x.ongoing, x.timing])).toEqual([
        ['CM1-001', 'L1', 1, 'AMLODIPINE', '5', 'mg', -585, null, true, 'prior'],
        ['CM1-001', 'L1', 2, 'ONDANSETRON', '8', 'mg', 9, 13, false, 'in DLT window'],
        ['CM1-001', 'L1', 3, 'PARACETAMOL', '1000', 'mg', 30, null, true, 'after DLT window'],
        ['CM1-001', 'L1', 4, 'LOPERAMIDE', '2', 'mg', null, null, false, 'possibly in DLT window'],
        ['CM1-002', 'L2', 1, 'DEXAMETHASONE', '4', 'mg', 21, 21, false, 'in DLT window'],
      ]);
      expect(t.rows[1]).toMatchObject({ cmclas: 'ALIMENTARY TRACT AND METABOLISM', cmindc: 'NAUSEA', cmroute: 'ORAL', cmdosfrq: 'BID', cmtrt: 'ONDANSETRON' });
      expect(t.notes.some((n) => n.startsWith('1 medication(s) have a partial start date'))).toBe(true);
      const one = await core.call('cm.listing', { snapshotId: r.snapshotId!, usubjids: ['CM1-002'] });
      expect(one.rows.map((x) => x.cmdecod)).toEqual(['DEXAMETHASONE']);
      // Some subjects' rows (read through the subject index) are exactly their rows of the whole listing.
      expect(one.rows).toEqual(t.rows.filter((x) => x.usubjid === 'CM1-002'));
      const both = await core.call('cm.listing', { snapshotId: r.snapshotId!, usubjids: ['CM1-002', 'CM1-001', 'NO-SUCH'] });
      expect(both.rows).toEqual(t.rows);
      expect((await core.call('cm.listing', { snapshotId: r.snapshotId!, usubjids: ['NO-SUCH'] })).present).toBe(false);
      const m = (await core.call('snapshot.mapping', { snapshotId: r.snapshotId! })).filter((x) => x.domain === 'CM');
      const e = m.find((x) => x.analysis === 'Concomitant medications')!;
      expect([e.rowsRead, e.rowsUsed, e.unused.map((u) => [u.variable, u.rows])]).toEqual([6, 5, [['USUBJID', 1]]]);
      // The import's own CM entry says an analysis reads the kept records.
      expect(m.find((x) => x.analysis !== 'Concomitant medications')!.unused.some((u) => /no DoseDesk analysis reads CM/.test(u.reason))).toBe(false);
    });
  }

  it('dosedesk tables --table cm: JSON and CSV through the CLI', { timeout: 300_000 }, () => {
    const db = path.join(dir, 'cli.sqlite');
    const run = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin/dosedesk.mjs'), ...args, '--db', db], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    const imp = run('import', writeFixture(path.join(dir, 'cli'), [DM, EX, CM], 'csv', { study }));
    expect(imp.status, imp.stderr).toBe(0);
    const id = String(JSON.parse(imp.stdout).snapshotId);
    const j = JSON.parse(run('tables', '--snapshot', id, '--table', 'cm').stdout);
    expect(j.rows.length).toBe(5);
    const csv = run('tables', '--snapshot', id, '--table', 'cm', '--format', 'csv').stdout.split('\r\n');
    expect(csv[0]).toBe('usubjid,group,groupLabel,cmseq,cmtrt,cmdecod,cmclas,cmindc,dose,cmdosu,cmdosfrq,cmroute,cmstdtc,cmendtc,startDay,endDay,ongoing,timing,file,rowNo');
    expect(csv[2]).toBe('CM1-001,L1,Level 1: 10 mg,2,ONDANSETRON,ONDANSETRON,ALIMENTARY TRACT AND METABOLISM,NAUSEA,8,mg,BID,ORAL,2025-01-14,2025-01-18,9,13,N,in DLT window,cm.csv,2');
  });
});
