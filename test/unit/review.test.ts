// Review marks that follow the data (issue 15 item 2; docs/CLINICAL_RULES.md#review-marks).
// Two data cuts of one study written by hand in the conventions of the CDISC pilot / pharmaversesdtm
// (USUBJID "01-701-1015", EX one record per administration, AE with AETOXGR, LB with LBSTRESN and
// VISIT, CM kept whole by DoseDesk with CMSEQ), in CSV, Dataset-JSON and SAS XPT. Between the cuts:
//  - 01-701-1015: AE HEADACHE (2024-01-04) AETOXGR 2 -> 3; an EX administration added (2024-01-23);
//    LB ALT of 2024-01-09 removed (a query closed it as entered in error);
//  - 01-701-1023: LBSEQ renumbered (1 <-> 2, the sponsor re-sorted LB), nothing else: no change;
//  - 01-701-1028: unchanged and never marked.
// The expected changes are read off the rows below by hand.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { compareSubjectRecords, genericKeyVariables, subjectFingerprint, changeText, type ReviewRecord } from '../../shared/review';
import { FORMATS, table, writeFixture, type FixtureFormat } from '../helpers/conventions';
import { tmpDir } from '../helpers/snapshot';
import { useScryptParamsForTests } from '../../electron/core/users/crypto';
import { addUser, bootstrapAdmin } from './meetings-helpers';
import { DOMAINS } from '../../electron/core/store/domains';

const ROOT = path.resolve(__dirname, '../..');

/** SHA-256 over every stored row of one snapshot (its provenance, files and records in every table). */
function snapshotDigest(core: Core, snapshotId: number): string {
  const h = createHash('sha256');
  for (const t of ['snapshot', 'snapshot_file', 'import_issue', 'rec_generic', ...DOMAINS.map((d) => d.table)]) {
    h.update(JSON.stringify(core.ctx.db.prepare(`SELECT * FROM ${t} WHERE snapshot_id = ? ORDER BY rowid`).all(snapshotId)));
  }
  return h.digest('hex');
}

const STUDY = (cutoff: string) => ({
  studyId: 'REV1',
  dataCutoff: cutoff,
  doseUnit: 'mg',
  doseLevels: [{ level: 1, dose: 50 }, { level: 2, dose: 100 }],
  dltWindowDays: 21,
  cycleLengthDays: 21,
  escalation: { design: '3+3', deescalation: false },
});

const dm = (id: string, armcd: string, arm: string, rfx: string) => ['REV1', 'DM', id, rfx, 61, 'M', armcd, arm];

function cut(n: 1 | 2) {
  return [
    table('DM', ['STUDYID', 'DOMAIN', 'USUBJID', 'RFXSTDTC', 'AGE', 'SEX', 'ARMCD', 'ARM'], [
      dm('01-701-1015', 'D50', 'Drug 50 mg', '2024-01-02'),
      dm('01-701-1023', 'D50', 'Drug 50 mg', '2024-01-05'),
      dm('01-701-1028', 'D100', 'Drug 100 mg', '2024-02-01'),
    ]),
    table('EX', ['STUDYID', 'DOMAIN', 'USUBJID', 'EXSEQ', 'EXTRT', 'EXDOSE', 'EXDOSU', 'EXSTDTC', 'EXENDTC'], [
      ['REV1', 'EX', '01-701-1015', 1, 'DRUG', 50, 'mg', '2024-01-02', '2024-01-02'],
      ...(n === 2 ? [['REV1', 'EX', '01-701-1015', 2, 'DRUG', 50, 'mg', '2024-01-23', '2024-01-23']] : []),
      ['REV1', 'EX', '01-701-1023', 1, 'DRUG', 50, 'mg', '2024-01-05', '2024-01-05'],
      ['REV1', 'EX', '01-701-1028', 1, 'DRUG', 100, 'mg', '2024-02-01', '2024-02-01'],
    ]),
    table('AE', ['STUDYID', 'DOMAIN', 'USUBJID', 'AESEQ', 'AETERM', 'AEDECOD', 'AEBODSYS', 'AETOXGR', 'AESER', 'AEREL', 'AESTDTC', 'AEENDTC'], [
      ['REV1', 'AE', '01-701-1015', 1, 'HEADACHE', 'Headache', 'Nervous system disorders', n === 1 ? '2' : '3', 'N', 'RELATED', '2024-01-04', '2024-01-06'],
      ['REV1', 'AE', '01-701-1023', 1, 'NAUSEA', 'Nausea', 'Gastrointestinal disorders', '1', 'N', 'NOT RELATED', '2024-01-07', '2024-01-08'],
    ]),
    table('LB', ['STUDYID', 'DOMAIN', 'USUBJID', 'LBSEQ', 'LBTESTCD', 'LBTEST', 'LBSTRESN', 'LBSTRESU', 'LBDTC', 'VISIT'], [
      ['REV1', 'LB', '01-701-1015', 1, 'ALT', 'Alanine Aminotransferase', 22, 'U/L', '2024-01-02', 'CYCLE 1 DAY 1'],
      ...(n === 1 ? [['REV1', 'LB', '01-701-1015', 2, 'ALT', 'Alanine Aminotransferase', 35, 'U/L', '2024-01-09', 'CYCLE 1 DAY 8']] : []),
      ['REV1', 'LB', '01-701-1023', n === 1 ? 1 : 2, 'ALT', 'Alanine Aminotransferase', 18, 'U/L', '2024-01-05', 'CYCLE 1 DAY 1'],
      ['REV1', 'LB', '01-701-1023', n === 1 ? 2 : 1, 'AST', 'Aspartate Aminotransferase', 20, 'U/L', '2024-01-05', 'CYCLE 1 DAY 1'],
    ]),
    table('CM', ['STUDYID', 'DOMAIN', 'USUBJID', 'CMSEQ', 'CMTRT', 'CMDECOD', 'CMSTDTC'], [
      ['REV1', 'CM', '01-701-1015', 1, 'PARACETAMOL', 'PARACETAMOL', '2024-01-04'],
      ['REV1', 'CM', '01-701-1023', 1, 'ONDANSETRON', 'ONDANSETRON', '2024-01-07'],
    ]),
  ];
}

/** The changes of 01-701-1015 from cut 1 to cut 2, read off the rows above (natural keys without USUBJID). */
const EXPECTED_1015 = [
  { domain: 'EX', key: ['DRUG', '2024-01-23'], change: 'added', variables: [] },
  { domain: 'AE', key: ['HEADACHE', '2024-01-04'], change: 'changed', variables: [{ name: 'AETOXGR', before: '2', after: '3' }] },
  { domain: 'LB', key: ['ALT', '2024-01-09', 'CYCLE 1 DAY 8'], change: 'removed', variables: [] },
];

describe('compareSubjectRecords (pure)', () => {
  const r = (domain: string, key: string[], values: ReviewRecord['values']): ReviewRecord => ({ domain, key, values });
  it('added, changed (with the variables that differ) and removed, ordered DM, EX, AE, … then by key', () => {
    const before = [r('AE', ['HEADACHE', '2024-01-04'], { AESEQ: 1, AETOXGR: '2', AETERM: 'HEADACHE' }), r('LB', ['ALT', '2024-01-09', 'C1D8'], { LBSTRESN: 35 })];
    const after = [r('AE', ['HEADACHE', '2024-01-04'], { AESEQ: 4, AETOXGR: '3', AETERM: 'HEADACHE' }), r('EX', ['DRUG', '2024-01-23'], { EXDOSE: 50 })];
    expect(compareSubjectRecords(before, after)).toEqual([
      { domain: 'EX', key: ['DRUG', '2024-01-23'], change: 'added', variables: [] },
      // AESEQ 1 -> 4 is a renumbering, not a change: only AETOXGR is listed
      { domain: 'AE', key: ['HEADACHE', '2024-01-04'], change: 'changed', variables: [{ name: 'AETOXGR', before: '2', after: '3' }] },
      { domain: 'LB', key: ['ALT', '2024-01-09', 'C1D8'], change: 'removed', variables: [] },
    ]);
  });
  it('a CSV text "35" equals an XPT number 35; an empty string equals a missing variable; --SEQ alone is no change', () => {
    const a = [r('LB', ['ALT'], { LBSEQ: 1, LBSTRESN: '35', LBNRIND: '' })];
    const b = [r('LB', ['ALT'], { LBSEQ: 2, LBSTRESN: 35 })];
    expect(compareSubjectRecords(a, b)).toEqual([]);
    expect(subjectFingerprint(a)).toBe(subjectFingerprint(b));
  });
  it('duplicates of one key are matched by content ("#1", "#2"), so an unchanged pair is no change', () => {
    const a = [r('VS', ['SYSBP'], { VSSTRESN: 120 }), r('VS', ['SYSBP'], { VSSTRESN: 131 })];
    expect(compareSubjectRecords(a, [...a].reverse())).toEqual([]);
    const c = compareSubjectRecords(a, [a[0]!]);
    expect(c.map((x) => [x.change, x.key])).toEqual([['added', ['SYSBP']], ['removed', ['SYSBP', '#1']], ['removed', ['SYSBP', '#2']]]);
  });
  it('genericKeyVariables: topic + timing for a domain kept whole (CM, EG), SUPP-- by RDOMAIN/IDVAR/IDVARVAL/QNAM, --SEQ only as a last resort', () => {
    expect(genericKeyVariables('CM', ['STUDYID', 'USUBJID', 'CMSEQ', 'CMTRT', 'CMDECOD', 'CMSTDTC'])).toEqual(['CMTRT', 'CMSTDTC']);
    expect(genericKeyVariables('EG', ['USUBJID', 'EGSEQ', 'EGTESTCD', 'EGDTC', 'VISITNUM', 'VISIT', 'EGTPTNUM'])).toEqual(['EGTESTCD', 'EGDTC', 'VISITNUM', 'EGTPTNUM']);
    expect(genericKeyVariables('SUPPLB', ['USUBJID', 'RDOMAIN', 'IDVAR', 'IDVARVAL', 'QNAM', 'QVAL'])).toEqual(['RDOMAIN', 'IDVAR', 'IDVARVAL', 'QNAM']);
    expect(genericKeyVariables('XX', ['USUBJID', 'XXSEQ', 'XXVAL'])).toEqual(['XXSEQ']);
  });
  it('changeText names the domain, key and each variable before -> after', () => {
    expect(changeText({ domain: 'AE', key: ['HEADACHE', '2024-01-04'], change: 'changed', variables: [{ name: 'AETOXGR', before: '2', after: '3' }] })).toBe('AE HEADACHE / 2024-01-04: changed AETOXGR 2 → 3');
  });
});

describe.each(FORMATS)('review marks on two imported cuts (%s)', (format) => {
  let dir: string;
  let core: Core;
  let admin: string;
  let carol: string;
  let cut1: number;
  let cut2: number;
  let digest1: string;

  beforeAll(async () => {
    useScryptParamsForTests({ N: 2 ** 10, r: 8, p: 1 });
    dir = tmpDir(`dosedesk-review-${format}-`);
    core = createCore({ dbPath: path.join(dir, 'db.sqlite') });
    // Imports on the fresh database (no accounts yet), as the other snapshot tests do.
    cut1 = (await core.call('snapshot.import', { path: writeFixture(path.join(dir, 'cut1'), cut(1), format as FixtureFormat, { study: STUDY('2024-03-01') }) })).snapshotId!;
    digest1 = snapshotDigest(core, cut1);
    admin = await bootstrapAdmin(core);
    const c = await addUser(core, admin, 'carol', 'chair', 'Carol Chair');
    carol = (await core.call('auth.login', { username: 'carol', password: c.password })).session;
  });
  afterAll(() => {
    core?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a mark needs a signed-in account (unauthenticated without a session); nothing is written', async () => {
    await expect(core.call('review.mark', { snapshotId: cut1, usubjid: '01-701-1015' })).rejects.toMatchObject({ kind: 'unauthenticated' });
    expect((await core.call('review.list', { snapshotId: cut1 })).subjects.every((s) => s.status === 'none' && s.marks.length === 0)).toBe(true);
    await expect(core.call('review.mark', { session: carol, snapshotId: cut1, usubjid: '01-701-9999' })).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('marks on cut 1 are current on cut 1 and audited in the same transaction', async () => {
    const before = (await core.call('audit.list', { entity: 'subject-review' })).length;
    // The time recorded is the core's clock (ctx.clock), not the system's.
    const t = Math.floor(Date.now() / 1000) * 1000 + 60_000; // a minute ahead, whole seconds (the session stays live)
    const clock = core.ctx.clock;
    core.ctx.clock = () => t;
    const m = await core.call('review.mark', { session: carol, snapshotId: cut1, usubjid: '01-701-1015', comment: 'AE and labs checked' }).finally(() => (core.ctx.clock = clock));
    expect(Date.parse(m.marks[0]!.markedAt)).toBe(t);
    expect(m).toMatchObject({ usubjid: '01-701-1015', status: 'current', marks: [{ username: 'carol', name: 'Carol Chair', comment: 'AE and labs checked', snapshotId: cut1, status: 'current', changes: [] }] });
    await core.call('review.mark', { session: carol, snapshotId: cut1, usubjid: '01-701-1023' });
    const audit = await core.call('audit.list', { entity: 'subject-review' });
    expect(audit.length).toBe(before + 2);
    expect(audit.at(-2)).toMatchObject({ user: 'carol', action: 'review-mark', entityId: 'REV1/01-701-1015', newValue: { snapshotId: cut1, comment: 'AE and labs checked', records: 6 } });
    // 01-701-1015 in cut 1: DM 1, EX 1, AE 1, LB 2, CM 1 = 6 records
  });

  it('after cut 2: 01-701-1015 "changed" with the AE grade, the EX added and the LB removed; 1023 (LBSEQ renumbered only) current; 1028 none', async () => {
    cut2 = (await core.call('snapshot.import', { session: admin, path: writeFixture(path.join(dir, 'cut2'), cut(2), format as FixtureFormat, { study: STUDY('2024-04-01') }) })).snapshotId!;
    const list = await core.call('review.list', { snapshotId: cut2 });
    const by = new Map(list.subjects.map((s) => [s.usubjid, s]));
    expect(by.get('01-701-1015')!.status).toBe('changed');
    expect(by.get('01-701-1015')!.marks[0]!.changes).toEqual(EXPECTED_1015);
    expect(by.get('01-701-1023')).toMatchObject({ status: 'current', marks: [{ snapshotId: cut1, status: 'current', changes: [] }] });
    expect(by.get('01-701-1028')).toEqual({ usubjid: '01-701-1028', status: 'none', marks: [] });
    // marked: only the subjects with a mark (what the app's badges read), the same entries
    const marked = await core.call('review.list', { snapshotId: cut2, marked: true });
    expect(marked.subjects).toEqual(list.subjects.filter((s) => s.marks.length > 0));
    expect(marked.subjects.map((s) => s.usubjid).sort()).toEqual(['01-701-1015', '01-701-1023']);
    // the past snapshot is untouched: on cut 1 the marks still hold
    const old = await core.call('review.list', { snapshotId: cut1, usubjids: ['01-701-1015'] });
    expect(old.subjects[0]).toMatchObject({ status: 'current', marks: [{ status: 'current', changes: [] }] });
  });

  it('pending lists subjects of the levels under decision nobody reviewed on the latest data; a new mark on cut 2 replaces the old one', async () => {
    const p = await core.call('review.pending', { snapshotId: cut2, levels: [1, 2] });
    expect(p.subjects).toEqual([
      { usubjid: '01-701-1015', level: 1, status: 'changed', reviewers: ['carol'] },
      { usubjid: '01-701-1028', level: 2, status: 'none', reviewers: [] },
    ]);
    expect((await core.call('review.pending', { snapshotId: cut2, levels: [2] })).subjects.map((s) => s.usubjid)).toEqual(['01-701-1028']);
    const again = await core.call('review.mark', { session: carol, snapshotId: cut2, usubjid: '01-701-1015', comment: 'grade 3 headache seen' });
    expect(again).toMatchObject({ status: 'current', marks: [{ snapshotId: cut2, comment: 'grade 3 headache seen', status: 'current' }] });
    const replaced = (await core.call('audit.list', { entity: 'subject-review' })).at(-1)!;
    expect(replaced).toMatchObject({ action: 'review-mark', oldValue: { snapshotId: cut1, comment: 'AE and labs checked' }, newValue: { snapshotId: cut2 } });
    // seen from cut 1, the mark made on cut 2 is "changed" the other way round (cut 1 lacks the EX, has the LB)
    const back = (await core.call('review.list', { snapshotId: cut1, usubjids: ['01-701-1015'] })).subjects[0]!;
    expect(back.marks[0]!.changes.map((c) => [c.domain, c.change])).toEqual([['EX', 'removed'], ['AE', 'changed'], ['LB', 'added']]);
  });

  it('unmark withdraws (history kept, audited with the reason); the tables refuse UPDATE and DELETE', async () => {
    const u = await core.call('review.unmark', { session: carol, snapshotId: cut2, usubjid: '01-701-1023', reason: 'to look again' });
    expect(u).toEqual({ usubjid: '01-701-1023', status: 'none', marks: [] });
    expect((await core.call('audit.list', { entity: 'subject-review' })).at(-1)).toMatchObject({ action: 'review-unmark', reason: 'to look again', oldValue: { snapshotId: cut1 } });
    await expect(core.call('review.unmark', { session: carol, snapshotId: cut2, usubjid: '01-701-1023' })).rejects.toMatchObject({ kind: 'not-found' });
    expect(() => core.ctx.db.prepare("UPDATE review_mark SET comment = 'x'").run()).toThrow(/append-only/);
    expect(() => core.ctx.db.prepare('DELETE FROM review_mark').run()).toThrow(/append-only/);
  });

  it('acknowledging unreviewed subjects at a meeting start is recorded and audited under the meeting', async () => {
    const sue = await addUser(core, admin, 'sue', 'secretary', 'Sue Secretary');
    const s = (await core.call('auth.login', { username: 'sue', password: sue.password })).session;
    const m = await core.call('meetings.create', { session: s, snapshotId: cut2, levels: [1], title: 'SRC 2', startAt: '2024-04-02T10:00+02:00', timeZone: 'Europe/Paris' });
    await expect(core.call('review.acknowledge', { meetingId: m.meetingId, stage: 'start' })).rejects.toMatchObject({ kind: 'unauthenticated' });
    const a = await core.call('review.acknowledge', { session: s, meetingId: m.meetingId, stage: 'start' });
    // level 1: 1015 reviewed on cut 2 (current), 1023 unmarked above: the one left
    expect(a).toMatchObject({ stage: 'start', acknowledgedBy: 'sue', subjects: [{ usubjid: '01-701-1023', level: 1, status: 'none' }] });
    const e = (await core.call('audit.list', { entity: 'meeting', entityId: String(m.meetingId) })).at(-1)!;
    expect(e).toMatchObject({ user: 'sue', action: 'acknowledge-unreviewed', newValue: { stage: 'start', unreviewed: ['01-701-1023 (DL1, not reviewed)'] } });
    expect(core.ctx.db.prepare('SELECT count(*) n FROM review_acknowledgement WHERE meeting_id = ?').get(m.meetingId)).toEqual({ n: 1 });
  });

  it('past snapshots untouched: cut 1 is stored exactly as imported after every mark, unmark and acknowledgement', () => {
    expect(snapshotDigest(core, cut1)).toBe(digest1);
  });

  it.runIf(format === 'csv')('dosedesk review list / pending / mark (CLI, as a user runs it)', () => {
    core.close();
    const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin/dosedesk.mjs'), 'review', ...args, '--db', path.join(dir, 'db.sqlite')], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, DOSEDESK_PASSWORD: 'Quorum-key-41' } });
    const list = cli('list', '--snapshot', String(cut2), '--status', 'current');
    expect(list.status, list.stderr).toBe(0);
    const out = JSON.parse(list.stdout) as { subjects: { usubjid: string; marks: { changesText: string[] }[] }[] };
    expect(out.subjects.map((x) => x.usubjid)).toEqual(['01-701-1015']);
    const back = JSON.parse(cli('list', '--snapshot', String(cut1), '--subject', '01-701-1015').stdout) as typeof out;
    expect(back.subjects[0]!.marks[0]!.changesText).toEqual(['EX DRUG / 2024-01-23: removed', 'AE HEADACHE / 2024-01-04: changed AETOXGR 3 → 2', 'LB ALT / 2024-01-09 / CYCLE 1 DAY 8: added']);
    const pending = cli('pending', '--snapshot', String(cut2), '--levels', '1,2');
    expect(JSON.parse(pending.stdout).subjects.map((x: { usubjid: string }) => x.usubjid)).toEqual(['01-701-1023', '01-701-1028']);
    const mark = cli('mark', '--snapshot', String(cut2), '--subject', '01-701-1028', '--comment', 'from the CLI', '--user', 'admin');
    expect(mark.status, mark.stderr).toBe(0);
    expect(JSON.parse(mark.stdout)).toMatchObject({ usubjid: '01-701-1028', status: 'current', marks: [{ username: 'admin', comment: 'from the CLI' }] });
    expect(cli('pending', '--snapshot', String(cut2), '--levels', 'x').status).toBe(2);
  });
});
