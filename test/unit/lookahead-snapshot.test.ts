// The look-ahead table of an imported snapshot (safety.lookahead) and `dosedesk recommend --snapshot ID
// --lookahead K`. The snapshot is written by hand in pharmaversesdtm / admiral conventions (USUBJID
// "01-701-nnnn", one EX record per single-day infusion with EXSTDTC = EXENDTC, CTCAE grade in AETOXGR,
// the DLT flag as SUPPAE QNAM AEDLT = "Y" keyed by AESEQ) in CSV, Dataset-JSON and SAS XPT.
//
// Worked by hand (cut-off 2024-06-30, 21-day DLT window, 3+3 with de-escalation):
//   DL1 (10 mg): 1001, 1002, 1003 dosed 8-10 Jan 2024, no AE → N N N.
//   DL2 (20 mg): 1004 dosed 2024-02-12, grade 3 related neutropenia flagged DLT on 2024-02-20 (study day 9) → T;
//                1005 dosed 2024-02-13, no AE, window done → N;
//                1006 dosed 2024-06-20: cut-off is study day 2024-06-30 − 2024-06-20 + 1 = 11 of 21 → pending P.
//   History "1NNN 2TNP": 3+3 waits for 1006 (CONTINUE_COHORT at DL2).
// Look-ahead with K = 4: the pending patient first (1 slot), then the rule's next cohort of 3.
//   1006 no DLT → DL2 1/3 → expand to 6 at DL2 (Storer 1989); BOIN 1/3 at 0.3 → stay (0 < 1 < 2); mTPI-2 n=3 y=1 → S.
//   1006 DLT    → DL2 2/3 → MTD exceeded, DL1 has only 3 → de-escalate and expand DL1; BOIN 2 ≥ ceil(0.358·3) = 2 → de-escalate;
//                 mTPI-2 n=3 y=2 → D.
//   Then 3 more at DL2 after 1/3: 1/6 → escalate to DL3 (3+3; BOIN 1 ≤ floor(0.236·6) = 1; mTPI-2 n=6 y=1 E);
//   2/6 → 3+3 de-escalate and expand DL1, BOIN stay (1 < 2 < 3), mTPI-2 S; 3/6 → BOIN de-escalate (≥ 3), mTPI-2 D;
//   4/6 → BOIN eliminate (≥ 4), mTPI-2 DU.
//   Paths: 2 (the pending patient) + 9 after each of them (k = 1..3 patients of the next cohort, d = 0..k) = 20.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createCore, type Core } from '../../electron/core/app';
import { minutesDocument } from '../../electron/core/meetings/minutes';
import { lookaheadMinutes, LookaheadRecord } from '../../electron/core/minutes/lookahead';
import { renderMinutesPdf } from '../../electron/core/minutes/render';
import { addUser, bootstrapAdmin } from './meetings-helpers';
import { recommend, recommendForStudy } from '../../shared/escalation/index';
import { StudyDefinition } from '../../shared/study';
import { FORMATS, table, writeFixture, type FixtureFormat } from '../helpers/conventions';
import { tmpDir } from '../helpers/snapshot';

const STUDY = {
  studyId: 'LOOK1',
  dataCutoff: '2024-06-30',
  doseUnit: 'mg',
  doseLevels: [{ level: 1, dose: 10 }, { level: 2, dose: 20 }, { level: 3, dose: 40 }],
  dltWindowDays: 21,
  cycleLengthDays: 21,
  escalation: { design: '3+3', deescalation: true, targetToxicity: 0.3 },
};

function domains() {
  const dm = (id: string, rfx: string, arm: string) => ['LOOK1', 'DM', id, rfx, 58, 'M', arm.replace(' ', '').toUpperCase(), arm];
  const ex = (id: string, dose: number, dtc: string) => ['LOOK1', 'EX', id, 1, 'DRUGX', dose, 'mg', 'INTRAVENOUS', dtc, dtc];
  return [
    table('DM', ['STUDYID', 'DOMAIN', 'USUBJID', 'RFXSTDTC', 'AGE', 'SEX', 'ARMCD', 'ARM'], [
      dm('01-701-1001', '2024-01-08', 'DrugX 10mg'),
      dm('01-701-1002', '2024-01-09', 'DrugX 10mg'),
      dm('01-701-1003', '2024-01-10', 'DrugX 10mg'),
      dm('01-701-1004', '2024-02-12', 'DrugX 20mg'),
      dm('01-701-1005', '2024-02-13', 'DrugX 20mg'),
      dm('01-701-1006', '2024-06-20', 'DrugX 20mg'),
    ]),
    table('EX', ['STUDYID', 'DOMAIN', 'USUBJID', 'EXSEQ', 'EXTRT', 'EXDOSE', 'EXDOSU', 'EXROUTE', 'EXSTDTC', 'EXENDTC'], [
      ex('01-701-1001', 10, '2024-01-08'),
      ex('01-701-1002', 10, '2024-01-09'),
      ex('01-701-1003', 10, '2024-01-10'),
      ex('01-701-1004', 20, '2024-02-12'),
      ex('01-701-1005', 20, '2024-02-13'),
      ex('01-701-1006', 20, '2024-06-20'),
    ]),
    table('AE', ['STUDYID', 'DOMAIN', 'USUBJID', 'AESEQ', 'AETERM', 'AEDECOD', 'AEBODSYS', 'AETOXGR', 'AESEV', 'AESER', 'AEREL', 'AEOUT', 'AESTDTC', 'AEENDTC'], [
      ['LOOK1', 'AE', '01-701-1004', 1, 'NEUTROPHIL COUNT DECREASED', 'Neutrophil count decreased', 'Investigations', '3', 'SEVERE', 'N', 'RELATED', 'RECOVERED/RESOLVED', '2024-02-20', '2024-02-27'],
    ]),
    table('SUPPAE', ['STUDYID', 'RDOMAIN', 'USUBJID', 'IDVAR', 'IDVARVAL', 'QNAM', 'QLABEL', 'QVAL'], [
      ['LOOK1', 'AE', '01-701-1004', 'AESEQ', '1', 'AEDLT', 'Dose-limiting toxicity', 'Y'],
    ]),
  ];
}

type Path = { steps: { level: number; patients: number; dlts: number }[]; history: string; path: string; protocol: { action: string | null; nextLevel: number | null }; boin: { action: string | null; nextLevel: number | null }; mtpi2: { action: string | null; nextLevel: number | null } };
function at(paths: Path[], ...steps: [number, number, number][]): Path {
  const p = paths.find((x) => x.steps.length === steps.length && x.steps.every((s, i) => s.level === steps[i]![0] && s.patients === steps[i]![1] && s.dlts === steps[i]![2]));
  if (!p) throw new Error(`no path ${JSON.stringify(steps)}`);
  return p;
}
const dec = (r: { action: string | null; nextLevel: number | null }) => [r.action, r.nextLevel];

for (const format of FORMATS) {
  describe(`safety.lookahead on a hand-built snapshot (${format})`, () => {
    let dir: string;
    let core: Core;
    let snapshotId: number;
    beforeAll(async () => {
      dir = tmpDir(`dosedesk-lookahead-${format}-`);
      core = createCore({ dbPath: path.join(dir, 'db.sqlite'), user: 'tester' });
      const r = await core.call('snapshot.import', { path: writeFixture(path.join(dir, 'snap'), domains(), format as FixtureFormat, { study: STUDY }) });
      expect(r.errors).toEqual([]);
      snapshotId = r.snapshotId!;
    });
    afterAll(() => {
      core.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('starts from the DLT table: the same history and the same live decisions', async () => {
      const t = await core.call('safety.dltTable', { snapshotId });
      const la = await core.call('safety.lookahead', { snapshotId, patients: 4 });
      expect(t.history).toBe('1NNN 2TNP');
      expect(la.current.history).toBe(t.history);
      expect(dec(la.current.protocol)).toEqual(dec(t.recommendation));
      expect(dec(la.current.boin)).toEqual(dec(t.boin));
      expect(dec(la.current.mtpi2)).toEqual(dec(t.mtpi2));
      expect(dec(la.current.protocol)).toEqual(['CONTINUE_COHORT', 2]);
    });

    it('K = 4: 20 paths, the pending patient first; hand-worked 3+3, BOIN and mTPI-2 decisions', async () => {
      const la = await core.call('safety.lookahead', { snapshotId, patients: 4 });
      const paths = la.paths as Path[];
      expect(paths).toHaveLength(20);
      expect(la.paths[0]!.steps[0]).toMatchObject({ level: 2, size: 1, kind: 'pending' });
      expect(at(paths, [2, 1, 0]).history).toBe('1NNN 2TNN');
      expect([dec(at(paths, [2, 1, 0]).protocol), dec(at(paths, [2, 1, 0]).boin), dec(at(paths, [2, 1, 0]).mtpi2)]).toEqual([['STAY_EXPAND_TO_6', 2], ['STAY', 2], ['STAY', 2]]);
      expect([dec(at(paths, [2, 1, 1]).protocol), dec(at(paths, [2, 1, 1]).boin), dec(at(paths, [2, 1, 1]).mtpi2)]).toEqual([['DEESCALATE_EXPAND_LOWER', 1], ['DEESCALATE', 1], ['DEESCALATE', 1]]);
      const six = (d: number) => at(paths, [2, 1, 0], [2, 3, d]);
      expect(six(0).history).toBe('1NNN 2TNN 2NNN');
      expect([dec(six(0).protocol), dec(six(0).boin), dec(six(0).mtpi2)]).toEqual([['ESCALATE', 3], ['ESCALATE', 3], ['ESCALATE', 3]]);
      expect([dec(six(1).protocol), dec(six(1).boin), dec(six(1).mtpi2)]).toEqual([['DEESCALATE_EXPAND_LOWER', 1], ['STAY', 2], ['STAY', 2]]);
      expect([dec(six(2).boin), dec(six(2).mtpi2)]).toEqual([['DEESCALATE', 1], ['DEESCALATE', 1]]);
      expect([dec(six(3).boin), dec(six(3).mtpi2)]).toEqual([['DEESCALATE_ELIMINATE', 1], ['DEESCALATE_ELIMINATE', 1]]);
      // After de-escalation the next cohort is 3 at DL1.
      expect(at(paths, [2, 1, 1], [1, 3, 0]).history).toBe('1NNN 2TNT 1NNN');
      expect(at(paths, [2, 1, 1], [1, 3, 0]).path).toBe('DL2: 1 DLT in 1 (pending at cut-off first) → DL1: 0 DLTs in 3');
    });

    it('every path equals the live rule applied to its hypothetical history', async () => {
      const la = await core.call('safety.lookahead', { snapshotId, patients: 6 });
      const def = StudyDefinition.parse(STUDY);
      for (const p of la.paths) {
        const live = recommendForStudy(def.escalation, { levels: 3, history: p.history });
        expect({ h: p.history, a: p.protocol.action, n: p.protocol.nextLevel, r: p.protocol.recommendedLevel }).toEqual({ h: p.history, a: live.action, n: live.nextLevel, r: live.recommendedLevel });
        const b = recommend({ design: 'boin', levels: 3, history: p.history, target: 0.3 });
        const m = recommend({ design: 'mtpi2', levels: 3, history: p.history, target: 0.3 });
        expect([p.history, dec(p.boin), dec(p.mtpi2)]).toEqual([p.history, dec(b), dec(m)]);
      }
    });

    it('K outside 1..6 is refused by the contract', async () => {
      await expect(core.call('safety.lookahead', { snapshotId, patients: 7 })).rejects.toThrow(/patients/);
    });
  });
}

describe('dosedesk recommend --snapshot ID --lookahead K', () => {
  const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  let dir: string;
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/dosedesk.mjs'), ...args, '--db', path.join(dir, 'db.sqlite')], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  beforeAll(() => {
    dir = tmpDir('dosedesk-lookahead-cli-');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints one JSON entry per outcome path (patients, DLTs, rule decision, next level, BOIN, mTPI-2)', () => {
    const imp = run('import', writeFixture(path.join(dir, 'snap'), domains(), 'csv', { study: STUDY }));
    expect(imp.code, imp.err).toBe(0);
    const id = String(JSON.parse(imp.out).snapshotId);
    const r = run('recommend', '--snapshot', id, '--lookahead', '4');
    expect(r.code, r.err).toBe(0);
    const o = JSON.parse(r.out);
    expect([o.history, o.lookahead, o.design, o.current.action, o.current.nextLevel]).toEqual(['1NNN 2TNP', 4, '3+3', 'CONTINUE_COHORT', 2]);
    expect(o.paths).toHaveLength(20);
    const e = o.paths.find((p: { history: string }) => p.history === '1NNN 2TNN 2TNN');
    expect({ patients: e.patients, dlts: e.dlts, decision: e.decision, nextLevel: e.nextLevel, boin: e.boin.action, mtpi2: e.mtpi2.action }).toEqual({
      patients: 4, dlts: 1, decision: 'DEESCALATE_EXPAND_LOWER', nextLevel: 1, boin: 'STAY', mtpi2: 'STAY',
    });
    expect(Object.keys(o.paths[0])).toEqual(['patients', 'dlts', 'path', 'steps', 'history', 'decision', 'nextLevel', 'recommendedLevel', 'whenComplete', 'boin', 'mtpi2']);
    const bad = run('recommend', '--snapshot', id, '--lookahead', '9');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--lookahead K must be a whole number of next patients from 1 to 6, found 9/);
  }, 240_000);
});

describe('the look-ahead in the meeting record and the minutes, on request (meetings.create lookahead: K)', () => {
  let dir: string;
  let core: Core;
  beforeAll(() => {
    dir = tmpDir('dosedesk-lookahead-minutes-');
    core = createCore({ dbPath: path.join(dir, 'db.sqlite'), user: 'tester' });
  });
  afterAll(() => {
    core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stored at creation from safety.lookahead; absent when not asked; printed as a table in the minutes', async () => {
    const admin = await bootstrapAdmin(core);
    const sue = await addUser(core, admin, 'sue', 'secretary', 'Susan Secretary', 'Secretary-password-3');
    const imp = await core.call('snapshot.import', { path: writeFixture(path.join(dir, 'snap'), domains(), 'csv', { study: STUDY }), session: admin });
    expect(imp.errors).toEqual([]);
    const session = (await core.call('auth.login', { username: 'sue', password: sue.password })).session;
    const base = { session, snapshotId: imp.snapshotId!, levels: [2], title: 'SRC: DL2', startAt: '2024-07-02T15:00+02:00', timeZone: 'Europe/Berlin' };
    const plain = await core.call('meetings.create', base);
    expect(plain.record.content.lookahead).toBeUndefined();
    expect(minutesDocument({ record: plain.record, status: 'draft', signatures: [], figures: [] } as never).lookahead).toBeUndefined();

    const m = await core.call('meetings.create', { ...base, lookahead: 2 });
    const stored = LookaheadRecord.parse(m.record.content.lookahead);
    const live = await core.call('safety.lookahead', { snapshotId: imp.snapshotId!, patients: 2 });
    expect(stored.history).toBe('1NNN 2TNP');
    expect(stored.paths.map((p) => [p.history, p.protocol.action, p.boin.action, p.mtpi2.action])).toEqual(live.paths.map((p) => [p.history, p.protocol.action, p.boin.action, p.mtpi2.action]));
    // K = 2: the pending patient (2 outcomes), then 1 patient of the next cohort of 3 after each (2 + 2) = 6 paths.
    expect(stored.paths).toHaveLength(6);

    const doc = minutesDocument({ record: m.record, status: 'draft', signatures: [], figures: [] } as never);
    expect(doc.lookahead).toEqual(lookaheadMinutes(stored));
    const t = doc.lookahead!.table;
    expect(t.columns).toEqual(['Next patients (outcome)', 'Patients', 'DLTs', 'Protocol rule (3+3)', 'BOIN', 'mTPI-2']);
    // Hand-worked in the header: 1006 without DLT → 1/3 at DL2 → expand to 6 (3+3), stay (BOIN, mTPI-2).
    expect(t.rows[0]).toEqual(['DL2: 0 DLTs in 1 (pending at cut-off first)', '1', '0', 'Expand the cohort to 6 (DL2)', 'Stay at the current level (DL2)', 'Stay at the current level (DL2)']);
    const dlt = t.rows.find((r) => r[0] === 'DL2: 1 DLT in 1 (pending at cut-off first)')!;
    expect(dlt.slice(3)).toEqual(['De-escalate and expand the lower level (DL1)', 'De-escalate (DL1)', 'De-escalate (DL1)']);

    const pdf = await renderMinutesPdf(doc, { createdAt: new Date('2024-07-02T14:00:00Z') });
    const file = path.join(dir, 'minutes.pdf');
    fs.writeFileSync(file, pdf);
    // pdftotext (poppler-utils) is installed by .ci/run, as for the other minutes tests.
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
    // 3.1 the level reviewed, 3.2 departures and contradictions, 3.3 the look-ahead.
    expect(text).toMatch(/3\.3\s+Look-ahead: decisions for the next patients/);
    expect(text).toMatch(/LOOK-AHEAD DECISION TABLE/);
    // Cells wrap in the PDF: the first row's protocol decision, over two lines.
    expect(text).toMatch(/DL2: 0 DLTs in 1\s+1\s+0\s+Expand the cohort to\s+(\S+\s+)*?6 \(DL2\)/);
  }, 120_000);
});
