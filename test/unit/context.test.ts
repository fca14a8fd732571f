/**
 * Identity, time and error kinds in the core context (issue 13):
 * - every recorded time comes from the context's clock (CoreContext.clock), not from Date.now() in a
 *   handler (21 CFR 11.10(e): computer-generated time stamps — and testable ones);
 * - an authentication failure has kind 'unauthenticated', a signed-in account without the role
 *   'forbidden' (before, both travelled as 'conflict');
 * - the renderer decides "the session ended: sign in again" from the kind (renderer/src/apiError.ts),
 *   not from the wording of the message.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallError, createCore, type Core } from '../../electron/core/app';
import { callContext, resolveActor } from '../../electron/core/access/actor';
import { useScryptParamsForTests } from '../../electron/core/users/crypto';
import { ApiCallError, isSessionError, needsPasswordChange } from '../../renderer/src/apiError';
import { miniSnapshot, tmpDir } from '../helpers/snapshot';
import { addUser, bootstrapAdmin } from './meetings-helpers';

// Far from any real "now", so that a time taken from the system clock cannot pass for it.
const T1 = Date.UTC(2031, 4, 6, 7, 8, 9, 123);
const T2 = Date.UTC(2031, 4, 6, 9, 30, 0, 0);

let dir: string;
let core: Core;
let now: number;

beforeEach(() => {
  useScryptParamsForTests({ N: 2 ** 10, r: 8, p: 1 });
  dir = tmpDir('dosedesk-context-');
  now = T1;
  core = createCore({ dbPath: path.join(dir, 'db.sqlite'), user: 'os-user', clock: () => now });
});
afterEach(() => {
  core.close();
  fs.rmSync(dir, { recursive: true, force: true });
  useScryptParamsForTests(null);
});

/** The error a call rejects with (fails the test when it resolves). */
async function failure(p: Promise<unknown>): Promise<CallError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CallError);
    return e as CallError;
  }
  throw new Error('the call succeeded; expected it to fail');
}

/** What the renderer receives for a failed call (electron/main and the host send CallError.toJSON()). */
function asRendererSees(e: CallError): ApiCallError {
  const j = JSON.parse(JSON.stringify(e.toJSON())) as { error: string; kind: string; details?: unknown };
  return new ApiCallError(j.error, j.kind, j.details);
}

describe('ctx.clock: the time recorded by handlers', () => {
  it('an import, its audit entry, a study definition change and a meeting are stamped with the injected clock', async () => {
    const r = await core.call('snapshot.import', { path: miniSnapshot(path.join(dir, 'snap')) });
    expect(r.status).toBe('imported');
    expect((await core.call('snapshots.list', {}))[0]!.importedAt).toBe('2031-05-06T07:08:09.123Z');
    now = T2;
    const [study] = await core.call('studies.list', {});
    await core.call('study.saveDefinition', { studyId: study!.studyId, definition: { ...study!.definition, dltWindowDays: 28 } });
    const entries = await core.call('audit.list', {});
    // audit times are local with their offset: the same instant whatever the machine's time zone
    expect(entries.map((e) => [e.action, Date.parse(e.at)])).toEqual([
      ['import', T1],
      ['change', T2],
    ]);
    const admin = await bootstrapAdmin(core);
    const sue = await addUser(core, admin, 'sue', 'secretary', 'Susan Secretary');
    const s = (await core.call('auth.login', { username: 'sue', password: sue.password })).session;
    const m = await core.call('meetings.create', { session: s, snapshotId: r.snapshotId!, levels: [2], title: 'SRC', startAt: '2031-05-06T11:00+02:00', timeZone: 'Europe/Berlin' });
    expect(Date.parse(m.versions[0]!.createdAt)).toBe(T2);
    expect((await core.call('audit.list', {})).every((e) => Date.parse(e.at) === T1 || Date.parse(e.at) === T2)).toBe(true);
  });

  it('session inactivity is measured on the same clock', async () => {
    const admin = await bootstrapAdmin(core);
    const { inactivityMinutes } = await core.call('settings.get', {});
    now = T1 + inactivityMinutes * 60_000 - 1_000;
    await core.call('auth.whoami', { session: admin });
    now += inactivityMinutes * 60_000 + 1_000;
    const e = await failure(core.call('auth.whoami', { session: admin }));
    expect(e.kind).toBe('unauthenticated');
    expect(e.details).toEqual({ auth: 'inactivity' });
  });
});

describe('error kinds: unauthenticated and forbidden', () => {
  it('a write without a session once accounts exist, with a made-up one or an ended one: unauthenticated', async () => {
    const admin = await bootstrapAdmin(core);
    const src = miniSnapshot(path.join(dir, 'snap'));
    expect((await failure(core.call('snapshot.import', { path: src }))).kind).toBe('unauthenticated');
    expect((await failure(core.call('snapshot.import', { path: src, session: 'x'.repeat(43) }))).kind).toBe('unauthenticated');
    await core.call('auth.logout', { session: admin });
    const ended = await failure(core.call('snapshot.import', { path: src, session: admin }));
    expect(ended.kind).toBe('unauthenticated');
    expect(ended.details).toEqual({ auth: 'ended' });
  });

  it('a signed-in member without the role: forbidden', async () => {
    const admin = await bootstrapAdmin(core);
    const r = await core.call('snapshot.import', { path: miniSnapshot(path.join(dir, 'snap')), session: admin });
    const bob = await addUser(core, admin, 'bob', 'voting-member', 'Dr Robert Berg');
    const s = (await core.call('auth.login', { username: 'bob', password: bob.password })).session;
    const draft = await failure(core.call('meetings.create', { session: s, snapshotId: r.snapshotId!, levels: [2], title: 'x', startAt: '2031-05-06T11:00+02:00', timeZone: 'Europe/Berlin' }));
    expect(draft.kind).toBe('forbidden');
    expect(draft.details).toEqual({ auth: 'role' });
    const create = await failure(core.call('users.create', { session: s, username: 'eve', printedName: 'Eve', title: 'x', role: 'administrator', password: 'Secret-pw-1234', identityVerification: '-' }));
    expect(create.kind).toBe('forbidden');
  });
});

describe('ctx.actor: the acting account, resolved once per call by core.call', () => {
  it('a session resolves to its account (name and role as stored); no session to null; the core\'s own context stays without actor', async () => {
    const admin = await bootstrapAdmin(core);
    const sue = await addUser(core, admin, 'sue', 'secretary', 'Susan Secretary');
    const s = (await core.call('auth.login', { username: 'sue', password: sue.password })).session;
    expect(resolveActor(core.ctx, 'study.saveDefinition', { session: s })).toEqual({ userId: sue.userId, username: 'sue', name: 'Susan Secretary', title: 'secretary', role: 'secretary' });
    expect(resolveActor(core.ctx, 'studies.list', {})).toBeNull();
    expect(core.ctx.actor).toBeNull();
    // The handler sees the session's account: whoami answers from ctx.actor.
    expect((await core.call('auth.whoami', { session: s })).username).toBe('sue');
    // The per-call context reads the core's through (the lazy db, a clock a test swaps) and adds only the actor.
    const c = callContext(core.ctx, { userId: sue.userId, username: 'sue', name: 'Susan Secretary', title: 'secretary', role: 'secretary' });
    core.ctx.clock = () => T2;
    expect(c.clock()).toBe(T2);
    expect(c.db).toBe(core.ctx.db);
    expect(c.actor?.username).toBe('sue');
    expect(core.ctx.actor).toBeNull();
  });

  it('the audit entry of a write carries the account of its session, also when two accounts write at once', async () => {
    const admin = await bootstrapAdmin(core);
    await core.call('snapshot.import', { path: miniSnapshot(path.join(dir, 'snap')), session: admin });
    const sue = await addUser(core, admin, 'sue', 'secretary', 'Susan Secretary');
    const s = (await core.call('auth.login', { username: 'sue', password: sue.password })).session;
    const [study] = await core.call('studies.list', {});
    const def = study!.definition;
    // Sent together: each call has its own context, so neither is recorded under the other's account.
    await Promise.all([
      core.call('study.saveDefinition', { studyId: study!.studyId, definition: { ...def, dltWindowDays: 28 }, session: s }),
      core.call('study.saveDefinition', { studyId: study!.studyId, definition: { ...def, dltWindowDays: 21 }, session: admin }),
    ]);
    const changes = await core.call('audit.list', { entity: 'study-definition' });
    // Arrival order under the write gate: sue's first (28 days), then the administrator's (21 days); no
    // scratch note on either (a signed-in account acted).
    expect(changes.map((e) => [e.user, (e.newValue as { dltWindowDays?: number }).dltWindowDays, e.reason])).toEqual([
      ['sue', 28, null],
      ['admin', 21, null],
    ]);
    expect(core.ctx.actor).toBeNull();
  });

  it('logout is not resolved first: an idle session is still ended by its own logout (not refused as idle)', async () => {
    const admin = await bootstrapAdmin(core);
    const { inactivityMinutes } = await core.call('settings.get', {});
    now = T1 + inactivityMinutes * 60_000 + 1_000;
    expect(await core.call('auth.logout', { session: admin })).toEqual({ ended: true });
    expect((await core.call('audit.list', { action: 'logout' })).map((e) => e.user)).toEqual(['admin']);
  });
});

describe('the renderer decides "session ended" from the kind (renderer/src/apiError.ts)', () => {
  it('the core\'s unauthenticated answers are session errors; forbidden and others are not', async () => {
    const admin = await bootstrapAdmin(core);
    const bob = await addUser(core, admin, 'bob', 'voting-member');
    const s = (await core.call('auth.login', { username: 'bob', password: bob.password })).session;
    const forbidden = await failure(core.call('users.create', { session: s, username: 'eve', printedName: 'Eve', title: 'x', role: 'administrator', password: 'Secret-pw-1234', identityVerification: '-' }));
    await core.call('auth.logout', { session: s });
    const ended = await failure(core.call('auth.whoami', { session: s }));
    const none = await failure(core.call('snapshot.import', { path: miniSnapshot(path.join(dir, 'snap')) }));
    expect(isSessionError(asRendererSees(ended))).toBe(true);
    expect(isSessionError(asRendererSees(none))).toBe(true);
    expect(isSessionError(asRendererSees(forbidden))).toBe(false);
  });

  it('the wording does not decide: a "session ended" message of another kind is not a session error, and any wording of kind unauthenticated is', () => {
    expect(isSessionError(new ApiCallError('session ended (logout): log in again', 'conflict'))).toBe(false);
    expect(isSessionError(new ApiCallError('Sitzung beendet', 'unauthenticated'))).toBe(true);
    expect(isSessionError(new Error('session ended'))).toBe(false);
  });

  it('a login that needs a password change first is recognised by its details, not its text', async () => {
    const admin = await bootstrapAdmin(core);
    await core.call('users.create', { session: admin, username: 'carol', printedName: 'Carol', title: 'Chair', role: 'chair', password: 'Temporary-pw-1', identityVerification: 'passport' });
    const e = await failure(core.call('auth.login', { username: 'carol', password: 'Temporary-pw-1' }));
    expect(needsPasswordChange(asRendererSees(e))).toBe(true);
    expect(isSessionError(asRendererSees(e))).toBe(false);
    expect(needsPasswordChange(new ApiCallError('the password must be changed first', 'conflict'))).toBe(false);
  });
});
