import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { minutesDocument } from '../../electron/core/meetings/minutes';
import { recordHash, verifyRecordSignature } from '../../electron/core/meetings/sign';
import { renderMinutesPdf } from '../../electron/core/minutes';
import { useScryptParamsForTests } from '../../electron/core/users/crypto';
import type { Attendee } from '../../shared/meeting';
import { miniSnapshot, tmpDir } from '../helpers/snapshot';
import { addUser, bootstrapAdmin } from './meetings-helpers';

// Meetings end to end on a real SQLite file through the contract (issue 5; docs/CLINICAL_RULES.md#meetings;
// reference/part11/part11.md): the record cites the snapshot by hash and stores the rule's
// recommendation as computed by safety.dltTable; the lifecycle draft -> final -> signed ->
// distributed is enforced; amendments; signatures re-authenticate (11.200), carry the 11.50
// manifestations and are bound to the record version (11.70).

let dir: string;
let core: Core;
let now: number;
let admin: string;
const pw: Record<string, { userId: number; password: string }> = {};
let snapshotId: number;
let contentHash: string;
let sue: string; // the secretary's session

const attendees = (): Attendee[] => [
  { userId: pw.carol!.userId, name: 'Carol Chair', role: 'chair', voting: true, present: true, affiliation: 'Site 01' },
  { userId: pw.bob!.userId, name: 'Bob Member', role: 'voting-member', voting: true, present: true, affiliation: 'Site 02' },
  { userId: pw.dave!.userId, name: 'Dave Member', role: 'voting-member', voting: true, present: false, affiliation: 'Sponsor' },
  { userId: pw.sue!.userId, name: 'Sue Secretary', role: 'secretary', voting: false, present: true, affiliation: 'Sponsor' },
];

beforeEach(async () => {
  useScryptParamsForTests({ N: 2 ** 10, r: 8, p: 1 });
  dir = tmpDir('dosedesk-meetings-');
  core = createCore({ dbPath: path.join(dir, 'db.sqlite') });
  now = Date.UTC(2025, 2, 4, 9, 0, 0);
  core.ctx.clock = () => now;
  admin = await bootstrapAdmin(core);
  pw.carol = await addUser(core, admin, 'carol', 'chair', 'Carol Chair');
  pw.bob = await addUser(core, admin, 'bob', 'voting-member', 'Bob Member');
  pw.dave = await addUser(core, admin, 'dave', 'voting-member', 'Dave Member');
  pw.sue = await addUser(core, admin, 'sue', 'secretary', 'Sue Secretary');
  const imp = await core.call('snapshot.import', { path: miniSnapshot(path.join(dir, 'snap')), session: admin });
  snapshotId = imp.snapshotId!;
  contentHash = imp.contentHash!;
  sue = (await core.call('auth.login', { username: 'sue', password: pw.sue.password })).session;
});
afterEach(() => {
  core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const create = () =>
  core.call('meetings.create', { session: sue, snapshotId, levels: [2], title: 'SRC meeting 2: level 2', meetingNumber: '2', startAt: '2025-03-04T10:00+01:00', timeZone: 'Europe/Paris', attendees: attendees() });

// The mini snapshot (test/helpers/snapshot.ts): level 2 has 2 patients, 1 DLT, 1 still in the window,
// so 3+3 (Korn et al. 1994) says continue the cohort at level 2. De-escalating departs from it.
const deEscalate = (rationale: string) => ({ decision: 'de-escalate' as const, nextLevel: 1, nextDose: 0.01, cohortSize: 3, rationale, conditions: '' });
const votes = () => [
  { userId: pw.carol!.userId, vote: 'for' as const, comment: '' },
  { userId: pw.bob!.userId, vote: 'for' as const, comment: '' },
];

async function lockedMeeting(rationale = 'grade 3 neutropenia with fever in 1 of 2; the chair asks for a safer level while the window closes') {
  const m = await create();
  await core.call('meetings.update', { session: sue, meetingId: m.meetingId, version: 1, changes: { levels: [{ level: 2, decision: deEscalate(rationale), votes: votes() }] } });
  return core.call('meetings.finalize', { session: sue, meetingId: m.meetingId, version: 1 });
}

async function signAll(meetingId: number, version: number) {
  await core.call('meetings.sign', { meetingId, version, userId: 'carol', password: pw.carol!.password, meaning: 'approved' });
  await core.call('meetings.sign', { meetingId, version, userId: pw.bob!.userId, password: pw.bob!.password, meaning: 'reviewed' });
  return core.call('meetings.sign', { meetingId, version, userId: 'sue', password: pw.sue!.password, meaning: 'authored' });
}

describe('creating a meeting', () => {
  it('cites the snapshot by content hash and stores the DLT table and the rule as computed by safety.dltTable', async () => {
    const m = await create();
    const t = await core.call('safety.dltTable', { snapshotId });
    const l = m.record.content.levels[0]!;
    expect(m).toMatchObject({ meetingId: 1, version: 1, status: 'draft', recordHash: null });
    expect(m.record.content.snapshot).toEqual({ snapshotId, contentHash, label: expect.any(String), dataCutoff: t.dataCutoff });
    expect(l.dltTable).toEqual(t.levels.find((x) => x.level === 2));
    expect(l.recommendation).toMatchObject({ design: '3+3', action: t.recommendation.action, nextLevel: t.recommendation.nextLevel, explanation: t.recommendation.explanation });
    expect(l.recommendation?.action).toBe('CONTINUE_COHORT'); // 1 DLT in 1 evaluable, 1 pending, 1 to enrol (Korn et al. 1994)
    expect(l.context.boin?.design).toBe('boin');
    expect(m.quorum).toMatchObject({ met: true, votingPresent: 2, chairPresent: true });
    expect(m.lockIssues.map((i) => i.message)).toEqual(['no committee decision recorded']);
    const audit = await core.call('audit.list', { entity: 'meeting', action: 'create' });
    expect(audit).toEqual([expect.objectContaining({ user: 'sue', entityId: '1', newValue: expect.objectContaining({ version: 1 }) })]);
  });

  it('needs a live session of an editor role and a level present in the snapshot', async () => {
    const bob = (await core.call('auth.login', { username: 'bob', password: pw.bob!.password })).session;
    await expect(core.call('meetings.create', { session: bob, snapshotId, levels: [2], title: 'x', startAt: '2025-03-04T10:00+01:00', timeZone: 'Europe/Paris' })).rejects.toThrow(/may not draft meeting records/);
    await expect(core.call('meetings.create', { session: sue, snapshotId, levels: [7], title: 'x', startAt: '2025-03-04T10:00+01:00', timeZone: 'Europe/Paris' })).rejects.toThrow(/level 7 is not in snapshot/);
    await expect(core.call('meetings.create', { session: sue, snapshotId, levels: [2], title: 'x', startAt: '2025-03-04T10:00', timeZone: 'Europe/Paris' })).rejects.toThrow(/time zone offset/);
  });
});

describe('lifecycle', () => {
  it('refuses to sign a draft, to lock without a rationale for a departure, and audits changes old -> new', async () => {
    const m = await create();
    await expect(core.call('meetings.sign', { meetingId: m.meetingId, version: 1, userId: 'carol', password: pw.carol!.password, meaning: 'approved' })).rejects.toThrow(/is a draft: lock it/);
    const v = await core.call('meetings.update', { session: sue, meetingId: m.meetingId, version: 1, changes: { levels: [{ level: 2, decision: deEscalate(''), votes: votes() }] }, reason: 'decision taken' });
    expect(v.departures).toEqual([{ level: 2, departs: true, why: expect.stringMatching(/CONTINUE_COHORT at level 2 .*de-escalate at level 1/) }]);
    await expect(core.call('meetings.finalize', { session: sue, meetingId: m.meetingId, version: 1 })).rejects.toThrow(/rationale is required/);
    await core.call('meetings.update', { session: sue, meetingId: m.meetingId, version: 1, changes: { levels: [{ level: 2, decision: deEscalate('febrile neutropenia') }] } });
    const change = (await core.call('audit.list', { entity: 'meeting', action: 'change' })).at(-1)!;
    expect(change.oldValue).toEqual({ version: 1, 'content.levels[0].decision.rationale': '' });
    expect(change.newValue).toEqual({ version: 1, 'content.levels[0].decision.rationale': 'febrile neutropenia' });
    const f = await core.call('meetings.finalize', { session: sue, meetingId: m.meetingId, version: 1 });
    expect(f.status).toBe('final');
    expect(f.recordHash).toBe(recordHash(f.record));
    expect(f.record.lockedBy).toBe('sue');
    expect(f.pendingSigners.map((s) => [s.name, s.meanings])).toEqual([
      ['Carol Chair', ['approved']],
      ['Bob Member', ['reviewed', 'approved']],
      ['Sue Secretary', ['authored']],
    ]);
  });

  it('refuses to lock an inquorate meeting', async () => {
    const m = await create();
    const absent = attendees().map((a) => (a.role === 'voting-member' ? { ...a, present: false } : a));
    await core.call('meetings.update', { session: sue, meetingId: m.meetingId, version: 1, changes: { attendees: absent, levels: [{ level: 2, decision: deEscalate('x'), votes: [votes()[0]!] }] } });
    await expect(core.call('meetings.finalize', { session: sue, meetingId: m.meetingId, version: 1 })).rejects.toThrow(/Not quorate: 1 voting member\(s\) present of 2 required/);
  });

  it('no edits once locked, not even by SQL; signatures complete the record; distribution follows; an amendment needs its own signatures', async () => {
    const f = await lockedMeeting();
    const id = f.meetingId;
    await expect(core.call('meetings.update', { session: sue, meetingId: id, version: 1, changes: { title: 'changed' } })).rejects.toThrow(/final \(locked\).*amend/);
    await expect(core.call('meetings.addFigure', { session: sue, meetingId: id, version: 1, title: 't', mime: 'image/svg+xml', dataBase64: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64') })).rejects.toThrow(/locked/);
    expect(() => core.ctx.db.prepare("UPDATE meeting_version SET record = '{}' WHERE meeting_id = ? AND version = 1").run(id)).toThrow(/cannot be edited/);
    expect(() => core.ctx.db.prepare("UPDATE meeting_version SET status = 'draft' WHERE meeting_id = ? AND version = 1").run(id)).toThrow(/draft -> final -> signed/);
    await expect(core.call('meetings.distribute', { session: sue, meetingId: id, version: 1, recipients: ['sites'] })).rejects.toThrow(/only a version signed by every required signer/);

    now += 60_000;
    const s1 = await core.call('meetings.sign', { meetingId: id, version: 1, userId: 'carol', password: pw.carol!.password, meaning: 'approved' });
    expect(s1.status).toBe('final');
    expect(s1.signatures[0]).toMatchObject({ printedName: 'Carol Chair', meaning: 'approved', role: 'chair', recordHash: f.recordHash, timeZone: expect.any(String) });
    expect(Date.parse(s1.signatures[0]!.signedAt)).toBe(now);
    expect(s1.signatures[0]!.signedAt).toMatch(/[+-]\d{2}:\d{2}$/);
    await expect(core.call('meetings.sign', { meetingId: id, version: 1, userId: 'carol', password: pw.carol!.password, meaning: 'approved' })).rejects.toThrow(/already signed/);
    await expect(core.call('meetings.sign', { meetingId: id, version: 1, userId: 'dave', password: pw.dave!.password, meaning: 'reviewed' })).rejects.toThrow(/not a required signer/);
    await expect(core.call('meetings.sign', { meetingId: id, version: 1, userId: 'sue', password: pw.sue!.password, meaning: 'approved' })).rejects.toThrow(/meaning must be authored/);
    const done = await signAll2(id);
    expect(done.status).toBe('signed');
    expect(done.pendingSigners).toEqual([]);
    expect(() => core.ctx.db.prepare("UPDATE meeting_signature SET meaning = 'reviewed'").run()).toThrow(/append-only/);

    const d = await core.call('meetings.distribute', { session: sue, meetingId: id, version: 1, recipients: ['site pharmacies', 'IRT vendor'], note: 'before next dosing' });
    expect(d.status).toBe('distributed');
    expect(d.distribution).toMatchObject({ by: 'sue', recipients: ['site pharmacies', 'IRT vendor'] });

    await expect(core.call('meetings.amend', { session: sue, meetingId: id, reason: '  ' })).rejects.toThrow(/reason is required/);
    const a = await core.call('meetings.amend', { session: sue, meetingId: id, reason: 'typo in the action item owner' });
    expect(a).toMatchObject({ version: 2, status: 'draft', latestVersion: 2, signatures: [] });
    expect(a.record).toMatchObject({ amends: 1, amendmentReason: 'typo in the action item owner', lockedAt: null, requiredSigners: [] });
    expect(a.record.content).toEqual(d.record.content);
    await expect(core.call('meetings.sign', { meetingId: id, version: 2, userId: 'carol', password: pw.carol!.password, meaning: 'approved' })).rejects.toThrow(/draft/);
    await core.call('meetings.update', { session: sue, meetingId: id, version: 2, changes: { actionItems: [{ text: 'circulate decision', owner: 'Sue Secretary', due: '2025-03-05', status: 'open' }] } });
    const f2 = await core.call('meetings.finalize', { session: sue, meetingId: id, version: 2 });
    expect(f2.recordHash).not.toBe(f.recordHash);
    expect(f2.pendingSigners).toHaveLength(3);
    // version 1 keeps its status and signatures; the amendment is signed on its own
    const v1 = await core.call('meetings.get', { meetingId: id, version: 1 });
    expect(v1).toMatchObject({ status: 'distributed', latestVersion: 2 });
    expect(v1.signatures).toHaveLength(3);
    const s2 = await signAll(id, 2);
    expect(s2.status).toBe('signed');
    expect(s2.versions.map((v) => [v.version, v.status, v.amends])).toEqual([
      [1, 'distributed', null],
      [2, 'signed', 1],
    ]);
    const actions = (await core.call('audit.list', { entity: 'meeting', entityId: String(id) })).map((e) => e.action);
    expect(actions).toEqual(['create', 'change', 'lock', 'sign', 'sign', 'sign', 'distribute', 'amend', 'change', 'lock', 'sign', 'sign', 'sign']);
    expect((await core.call('audit.verify', {})).ok).toBe(true);
  });

  it('refuses to sign a version superseded by an amendment', async () => {
    const f = await lockedMeeting();
    await core.call('meetings.amend', { session: sue, meetingId: f.meetingId, reason: 'wrong dose unit' });
    await expect(core.call('meetings.sign', { meetingId: f.meetingId, version: 1, userId: 'carol', password: pw.carol!.password, meaning: 'approved' })).rejects.toThrow(/superseded/);
  });
});

async function signAll2(id: number) {
  await core.call('meetings.sign', { meetingId: id, version: 1, userId: 'bob', password: pw.bob!.password, meaning: 'reviewed' });
  return core.call('meetings.sign', { meetingId: id, version: 1, userId: pw.sue!.userId, password: pw.sue!.password, meaning: 'authored' });
}

describe('re-authentication at signing (11.200)', () => {
  it('a wrong password is refused, audited, and counts towards lock-out', async () => {
    const f = await lockedMeeting();
    for (let i = 1; i <= 4; i++) {
      await expect(core.call('meetings.sign', { meetingId: f.meetingId, version: 1, userId: 'bob', password: 'guess', meaning: 'reviewed' })).rejects.toThrow(/^wrong user id or password$/);
    }
    await expect(core.call('meetings.sign', { meetingId: f.meetingId, version: 1, userId: 'bob', password: 'guess', meaning: 'reviewed' })).rejects.toThrow(/now locked/);
    await expect(core.call('meetings.sign', { meetingId: f.meetingId, version: 1, userId: 'bob', password: pw.bob!.password, meaning: 'reviewed' })).rejects.toThrow(/locked/);
    await expect(core.call('auth.login', { username: 'bob', password: pw.bob!.password })).rejects.toThrow(/locked/);
    const failed = await core.call('audit.list', { user: 'bob', action: 'sign-failed' });
    expect(failed).toHaveLength(6);
    expect(failed[0]!.reason).toBe('sign: wrong password (1 of 5)');
    expect((await core.call('meetings.get', { meetingId: f.meetingId })).signatures).toEqual([]);
  });

  it('one logged-in user cannot sign for another: the signer\'s own password is required', async () => {
    const f = await lockedMeeting();
    await expect(core.call('meetings.sign', { meetingId: f.meetingId, version: 1, userId: 'carol', password: pw.sue!.password, meaning: 'approved' })).rejects.toThrow(/wrong user id or password/);
  });
});

describe('signature / record binding (11.70)', () => {
  it('verifies with the public key alone; fails when copied to another record or version, or when anything signed changes', async () => {
    const f = await lockedMeeting();
    await signAll(f.meetingId, 1);
    const exp = await core.call('meetings.exportRecord', { meetingId: f.meetingId, version: 1, session: sue });
    expect(exp.publicKeys.map((k) => k.username).sort()).toEqual(['bob', 'carol', 'sue']);
    const ok = await core.call('meetings.verifyExport', { export: JSON.parse(JSON.stringify(exp)) });
    expect(ok).toMatchObject({ ok: true, recordHashOk: true, figuresOk: true });
    expect(ok.signatures.map((s) => s.valid)).toEqual([true, true, true]);
    const carolSig = exp.signatures.find((s) => s.username === 'carol')!;
    const carolKey = exp.publicKeys.find((k) => k.keyId === carolSig.keyId)!.publicKeyPem;
    expect(verifyRecordSignature(exp.record, carolSig, carolKey)).toEqual({ valid: true, problem: null });

    // another meeting on the same snapshot with the same decisions, locked: copy Carol's signature onto it
    const other = await lockedMeeting();
    const moved = { ...carolSig, meetingId: other.meetingId, recordHash: other.recordHash! };
    expect(verifyRecordSignature(other.record, moved, carolKey).valid).toBe(false);
    expect(verifyRecordSignature(other.record, { ...carolSig, recordHash: other.recordHash! }, carolKey).problem).toMatch(/given to meeting 1 version 1, not meeting 2/);
    // an amendment of the same meeting: the signature of version 1 does not carry over
    await core.call('meetings.amend', { session: sue, meetingId: f.meetingId, reason: 'minor correction' });
    const v2 = await core.call('meetings.finalize', { session: sue, meetingId: f.meetingId, version: 2 });
    expect(verifyRecordSignature(v2.record, { ...carolSig, version: 2, recordHash: v2.recordHash! }, carolKey)).toMatchObject({ valid: false, problem: expect.stringMatching(/does not verify/) });
    // the record edited after signing
    const edited = structuredClone(exp);
    edited.record.content.levels[0]!.decision!.rationale = 'no reason';
    const bad = await core.call('meetings.verifyExport', { export: edited });
    expect(bad).toMatchObject({ ok: false, recordHashOk: false });
    expect(bad.signatures.every((s) => !s.valid && /record changed after signing/.test(s.problem!))).toBe(true);
    // the meaning or the time altered, or another signer's key
    expect(verifyRecordSignature(exp.record, { ...carolSig, meaning: 'reviewed' }, carolKey).valid).toBe(false);
    expect(verifyRecordSignature(exp.record, { ...carolSig, signedAt: '2025-03-01T10:00:00.000+01:00' }, carolKey).valid).toBe(false);
    const bobKey = exp.publicKeys.find((k) => k.username === 'bob')!.publicKeyPem;
    expect(verifyRecordSignature(exp.record, carolSig, bobKey).valid).toBe(false);
  });

  it('the export carries the record, its hash, the figures and the audit entries, and is itself audited', async () => {
    const m = await create();
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>';
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-and-the-rest')]);
    await core.call('meetings.addFigure', { session: sue, meetingId: m.meetingId, version: 1, title: 'Cohort table', mime: 'image/svg+xml', dataBase64: Buffer.from(svg).toString('base64') });
    const withFig = await core.call('meetings.addFigure', { session: sue, meetingId: m.meetingId, version: 1, title: 'Swimmer plot', mime: 'image/png', dataBase64: png.toString('base64') });
    await expect(core.call('meetings.addFigure', { session: sue, meetingId: m.meetingId, version: 1, title: 'not a png', mime: 'image/png', dataBase64: Buffer.from('GIF89a').toString('base64') })).rejects.toThrow(/not a PNG/);
    const figs = withFig.record.content.figures;
    expect(figs.map((f) => [f.title, f.mime, f.bytes])).toEqual([
      ['Cohort table', 'image/svg+xml', svg.length],
      ['Swimmer plot', 'image/png', png.length],
    ]);
    expect((await core.call('meetings.figure', { sha256: figs[1]!.sha256 })).dataBase64).toBe(png.toString('base64'));
    await core.call('meetings.update', { session: sue, meetingId: m.meetingId, version: 1, changes: { levels: [{ level: 2, decision: deEscalate('neutropenia'), votes: votes() }] } });
    await core.call('meetings.finalize', { session: sue, meetingId: m.meetingId, version: 1 });
    const exp = await core.call('meetings.exportRecord', { meetingId: m.meetingId, version: 1, session: sue });
    expect(exp.figures.map((f) => f.sha256)).toEqual(figs.map((f) => f.sha256));
    expect(exp.audit.at(-1)).toMatchObject({ action: 'export', newValue: expect.objectContaining({ recordHash: exp.recordHash }) });
    const tampered = structuredClone(exp);
    tampered.figures[1]!.dataBase64 = Buffer.concat([png, Buffer.from('x')]).toString('base64');
    expect(await core.call('meetings.verifyExport', { export: tampered })).toMatchObject({ figuresOk: false, ok: false });
  });
});

describe('minutes document', () => {
  it('maps the signed record to the minutes model, with the 11.50 manifestations and the record attached', async () => {
    const f = await lockedMeeting('febrile neutropenia in 1 of 2');
    now = Date.UTC(2025, 2, 4, 15, 5, 0);
    await signAll(f.meetingId, 1);
    // the export is audited under an account (issue 11): the secretary signs in again after the meeting
    const later = (await core.call('auth.login', { username: 'sue', password: pw.sue!.password })).session;
    const exp = await core.call('meetings.exportRecord', { meetingId: f.meetingId, version: 1, session: later });
    const doc = minutesDocument(exp);
    expect(doc.snapshot).toEqual({ label: exp.record.content.snapshot.label, contentHash, dataCutoff: exp.record.content.snapshot.dataCutoff });
    expect(doc.meeting).toMatchObject({ date: '2025-03-04', time: '10:00', timezone: 'Europe/Paris' });
    expect(doc.quorum).toEqual({ required: 'Chair + 2 voting members present', present: 2, met: true });
    const l = doc.doseLevels[0]!;
    expect(l.decision).toMatchObject({ decision: 'de-escalate', nextDose: 'DL1, 0.01 mg/kg', cohortSize: 3, departsFromRule: true, rationale: 'febrile neutropenia in 1 of 2' });
    expect(l.recommendation.action).toBe('Continue the current cohort (next level DL2)');
    expect(l.votes).toEqual([
      { name: 'Carol Chair', vote: 'for' },
      { name: 'Bob Member', vote: 'for' },
    ]);
    expect(l.dltTable.rows.map((r) => r[0])).toEqual(exp.record.content.levels[0]!.dltTable.subjects.map((s) => s.usubjid));
    expect(doc.signatures.map((s) => [s.printedName, s.meaning, s.signedAt, s.recordHash])).toEqual(
      exp.signatures.map((s) => [s.printedName, { carol: 'Approved as Chair', bob: 'Reviewed as Voting member', sue: 'Authored as Secretary' }[s.username], s.signedAt, exp.recordHash]),
    );
    expect((await core.call('meetings.verifyExport', { export: JSON.parse(doc.recordJson) })).ok).toBe(true);
    const pdf = await renderMinutesPdf(doc, { createdAt: new Date(now) });
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
  });
});
