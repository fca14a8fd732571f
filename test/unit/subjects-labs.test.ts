import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { FORMATS, table, writeFixture } from '../helpers/conventions';
import { tmpDir } from '../helpers/snapshot';

// Issue 12 item 10: the profile's lab panel shades the normal range (LBSTNRLO–LBSTNRHI, standard
// units) and shows each point's CTCAE grade (LBTOXGR). LB as in the CDISC pilot's LB / admiral's
// example (ALT in U/L with LBSTNRLO 6, LBSTNRHI 34; LBTOXGR from admiral's derive_var_atoxgr).

let dir: string;
let core: Core;
beforeEach(() => {
  dir = tmpDir('dosedesk-labs-');
  core = createCore({ dbPath: path.join(dir, 'db.sqlite'), user: 'tester' });
});
afterEach(() => {
  core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const DM = table('DM', ['STUDYID', 'DOMAIN', 'USUBJID', 'RFXSTDTC', 'ARMCD', 'ARM'], [['S1', 'DM', 'S1-001', '2025-01-06', 'L1', '0.01 mg/kg']]);
const EX = table('EX', ['STUDYID', 'DOMAIN', 'USUBJID', 'EXSEQ', 'EXTRT', 'EXDOSE', 'EXDOSU', 'EXSTDTC'], [['S1', 'EX', 'S1-001', 1, 'DRUG', 0.01, 'mg/kg', '2025-01-06']]);
const LB = table(
  'LB',
  ['STUDYID', 'DOMAIN', 'USUBJID', 'LBSEQ', 'LBTESTCD', 'LBTEST', 'LBSTRESN', 'LBSTRESU', 'LBSTNRLO', 'LBSTNRHI', 'LBNRIND', 'LBTOXGR', 'LBDTC'],
  [
    ['S1', 'LB', 'S1-001', 1, 'ALT', 'Alanine Aminotransferase', 20, 'U/L', 6, 34, 'NORMAL', '0', '2025-01-06'],
    ['S1', 'LB', 'S1-001', 2, 'ALT', 'Alanine Aminotransferase', 120, 'U/L', 6, 34, 'HIGH', '2', '2025-01-13'],
    ['S1', 'LB', 'S1-001', 3, 'ALT', 'Alanine Aminotransferase', 25, 'U/L', null, null, 'NORMAL', null, '2025-01-20'],
  ],
);

describe('subjects.labs: normal range and CTCAE grade per point', () => {
  for (const format of FORMATS) {
    it(`reads LBSTNRLO/LBSTNRHI as numbers and keeps LBTOXGR (${format})`, async () => {
      const r = await core.call('snapshot.import', { path: writeFixture(path.join(dir, format), [DM, EX, LB], format) });
      expect(r.status).toBe('imported');
      const labs = await core.call('subjects.labs', { snapshotId: r.snapshotId!, usubjid: 'S1-001' });
      const alt = labs.tests.find((t) => t.testcd === 'ALT')!;
      // Study days (day 1 = first dose 2025-01-06): 1, 8, 15.
      expect(alt.points.map((p) => [p.day, p.value, p.normalLow, p.normalHigh, p.toxgr])).toEqual([
        [1, 20, 6, 34, '0'],
        [8, 120, 6, 34, '2'],
        [15, 25, null, null, null],
      ]);
    });
  }
});
