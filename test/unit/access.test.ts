import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { SCRATCH_NOTE } from '../../electron/core/access/actor';
import { authenticate } from '../../electron/core/users/accounts';
import { kdfCalls, useScryptParamsForTests } from '../../electron/core/users/crypto';
import { seedDemoIfEmpty } from '../../electron/core/snapshots/seed';
import type { Attendee } from '../../shared/meeting';
import { miniSnapshot, tmpDir } from '../helpers/snapshot';
import { addUser, bootstrapAdmin } from './meetings-helpers';

// Issue 11 ("Trust"), accounts and sessions: lock-out that holds under concurrency (21 CFR 11.300(d):
// "detect and report ... attempts at unauthorized use"; reference/part11/part11.md §2 lock-out after N
// failed attempts), signatures that re-check the account (11.200(a)), the same cost for unknown and
// known user names, every change attributed to a signed-in account (11.10(e)) except on a database
// that has no accounts yet (a scratch database, marked so), the database file private to its owner.
// Real SQLite files, the real core, calls through the contract.

let dir: string;
let core: Core;

beforeEach(() => {
  // cheaper scrypt for speed: each stored hash carries its own parameters
  useScryptParamsForTests({ N: 2 ** 10, r: 8, p: 1 });
  dir = tmpDir('dosedesk-access-');
  core = createCore({ dbPath: path.join(dir, 'db.sqlite'), user: 'os-user' });
});
afterEach(() => {
  core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const settle = <T,>(ps: Promise<T>[]) => Promise.allSettled(ps);
const failedAttempts = (username: string) => (core.ctx.db.prepare('SELECT failed_attempts n, locked_at FROM app_user WHERE username = ?').get(username) as { n: number; locked_at: string | null });
const liveSessions = (userId: number) => (core.ctx.db.prepare('SELECT count(*) n FROM session WHERE user_id = ? AND ended_at IS NULL').get(userId) as { n: number }).n;

describe('lock-out under concurrency', () => {
  it('a burst of 40 concurrent wrong logins evaluates at most the limit (5): 5 hashes, 5 failures counted, one lockout', async () => {
    const admin = await bootstrapAdmin(core);
    const bob = await addUser(core, admin, 'bob', 'voting-member', 'Bob');
    const before = kdfCalls.n;
    const results = await settle(Array.from({ length: 40 }, () => core.call('auth.login', { username: 'bob', password: 'Wrong-guess-1' })));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    // After the 5th failure the account is locked: the 35 later attempts are refused without a hash.
    expect(kdfCalls.n - before).toBe(5);
    expect(failedAttempts('bob')).toMatchObject({ n: 5, locked_at: expect.any(String) });
    const failed = await core.call('audit.list', { action: 'login-failed', user: 'bob' });
    expect(failed.filter((e) => /wrong password/.test(e.reason ?? '')).map((e) => e.reason)).toEqual([1, 2, 3, 4, 5].map((n) => `login: wrong password (${n} of 5)`));
    expect(failed.filter((e) => e.reason === 'login: account locked')).toHaveLength(35);
    expect(await core.call('audit.list', { action: 'lockout' })).toHaveLength(1);
    expect(liveSessions(bob.userId)).toBe(0);
  });

  it('29 wrong guesses then the right password, sent at once, give no session', async () => {
    const admin = await bootstrapAdmin(core);
    const bob = await addUser(core, admin, 'bob', 'voting-member', 'Bob');
    const calls = [...Array.from({ length: 29 }, (_, i) => core.call('auth.login', { username: 'bob', password: `Wrong-guess-${i}` })), core.call('auth.login', { username: 'bob', password: bob.password })];
    const results = await settle(calls);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(0);
    expect(String((results[29] as PromiseRejectedResult).reason)).toMatch(/locked/);
    expect(liveSessions(bob.userId)).toBe(0);
    expect(failedAttempts('bob').n).toBe(5);
  });

  it('holds in authenticate itself (per-account queue), also when the same account is attacked by name and by id at once', async () => {
    const admin = await bootstrapAdmin(core);
    const bob = await addUser(core, admin, 'bob', 'voting-member', 'Bob');
    const before = kdfCalls.n;
    // Straight to the function, around the core's write gate: the per-account queue alone must hold.
    const attempts = Array.from({ length: 20 }, (_, i) => authenticate(core.ctx, i % 2 ? 'bob' : bob.userId, 'Wrong-guess-x', i % 2 ? 'login' : 'sign'));
    const results = await settle([...attempts, authenticate(core.ctx, 'bob', bob.password, 'login')]);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(kdfCalls.n - before).toBe(5);
    expect(failedAttempts('bob').n).toBe(5);
  });

  it('concurrent signatures against an account that gets locked are refused: no signature recorded', async () => {
    const admin = await bootstrapAdmin(core);
    const pw = {
      carol: await addUser(core, admin, 'carol', 'chair', 'Carol Chair'),
      bob: await addUser(core, admin, 'bob', 'voting-member', 'Bob Member'),
      sue: await addUser(core, admin, 'sue', 'secretary', 'Sue Secretary'),
    };
    const imp = await core.call('snapshot.import', { path: miniSnapshot(path.join(dir, 'snap')), session: admin });
    const sue = (await core.call('auth.login', { username: 'sue', password: pw.sue.password })).session;
    const attendees: Attendee[] = [
      { userId: pw.carol.userId, name: 'Carol Chair', role: 'chair', voting: true, present: true, affiliation: 'Site 01' },
      { userId: pw.bob.userId, name: 'Bob Member', role: 'voting-member', voting: true, present: true, affiliation: 'Site 02' },
      { userId: pw.sue.userId, name: 'Sue Secretary', role: 'secretary', voting: false, present: true, affiliation: 'Sponsor' },
    ];
    const m = await core.call('meetings.create', { session: sue, snapshotId: imp.snapshotId!, levels: [2], title: 'SRC meeting 2', meetingNumber: '2', startAt: '2025-03-04T10:00+01:00', timeZone: 'Europe/Paris', attendees });
    const decision = { decision: 'de-escalate' as const, nextLevel: 1, nextDose: 0.01, cohortSize: 3, rationale: 'one DLT in two patients; a safer level while the window closes', conditions: '' };
    const votes = [
      { userId: pw.carol.userId, vote: 'for' as const, comment: '' },
      { userId: pw.bob.userId, vote: 'for' as const, comment: '' },
    ];
    await core.call('meetings.update', { session: sue, meetingId: m.meetingId, version: 1, changes: { levels: [{ level: 2, decision, votes }] } });
    const locked = await core.call('meetings.finalize', { session: sue, meetingId: m.meetingId, version: 1 });
    expect(locked.pendingSigners.map((s) => s.userId)).toContain(pw.bob.userId);
    // 9 wrong signatures and the right one, at once: the 5th wrong one locks bob; the right one comes after.
    const sign = (password: string) => core.call('meetings.sign', { meetingId: m.meetingId, version: 1, userId: pw.bob.userId, password, meaning: 'reviewed' });
    const results = await settle([...Array.from({ length: 9 }, (_, i) => sign(`Wrong-sign-${i}`)), sign(pw.bob.password)]);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(String((results[9] as PromiseRejectedResult).reason)).toMatch(/locked/);
    const after = await core.call('meetings.get', { meetingId: m.meetingId, version: 1 });
    expect(after.signatures.filter((s) => s.userId === pw.bob.userId)).toEqual([]);
    expect(failedAttempts('bob').n).toBe(5);
    const failed = await core.call('audit.list', { action: 'sign-failed', user: 'bob' });
    expect(failed.filter((e) => /wrong password/.test(e.reason ?? ''))).toHaveLength(5);
    // and a locked account's correct password never signs, however many arrive at once
    const again = await settle(Array.from({ length: 5 }, () => sign(pw.bob.password)));
    expect(again.every((r) => r.status === 'rejected')).toBe(true);
    expect((await core.call('meetings.get', { meetingId: m.meetingId, version: 1 })).signatures).toEqual([]);
  });

  it('an unknown user name costs one hash like a known one and gets the same message', async () => {
    const admin = await bootstrapAdmin(core);
    await addUser(core, admin, 'bob', 'voting-member', 'Bob');
    const messageOf = async (username: string) => {
      const before = kdfCalls.n;
      const r = await core.call('auth.login', { username, password: 'Wrong-guess-1' }).then(
        () => 'logged in',
        (e: Error) => e.message,
      );
      return { hashes: kdfCalls.n - before, message: r };
    };
    const known = await messageOf('bob');
    const unknown = await messageOf('nobody-by-that-name');
    expect(known).toEqual({ hashes: 1, message: 'wrong user id or password' });
    expect(unknown).toEqual(known);
  });
});

describe('every change attributed to an account', () => {
  it('a database without accounts accepts writes without a session, under the OS account, marked scratch', async () => {
    const src = miniSnapshot(path.join(dir, 'snap'));
    const r = await core.call('snapshot.import', { path: src });
    expect(r.status).toBe('imported');
    const [study] = await core.call('studies.list', {});
    await core.call('study.saveDefinition', { studyId: study!.studyId, definition: { ...study!.definition, dltWindowDays: 28 } });
    expect((await core.call('snapshots.list', {}))[0]!.importedBy).toBe('os-user');
    const entries = await core.call('audit.list', {});
    expect(entries.map((e) => [e.action, e.entity, e.user, e.reason])).toEqual([
      ['import', 'snapshot', 'os-user', SCRATCH_NOTE],
      ['change', 'study-definition', 'os-user', SCRATCH_NOTE],
    ]);
    // Only what changed is recorded (snapshots/app.ts changedFields), old -> new.
    expect(entries[1]!.oldValue).toEqual({ dltWindowDays: study!.definition.dltWindowDays, source: 'derived' });
    expect(entries[1]!.newValue).toEqual({ dltWindowDays: 28, source: 'user' });
  });

  it('once an account exists, writes without a session are refused; with one they are the account\'s', async () => {
    const src = miniSnapshot(path.join(dir, 'snap'));
    const admin = await bootstrapAdmin(core);
    await expect(core.call('snapshot.import', { path: src })).rejects.toThrow(/^not logged in: importing a snapshot needs a signed-in account/);
    expect(await core.call('snapshots.list', {})).toEqual([]);
    const r = await core.call('snapshot.import', { path: src, session: admin });
    expect(r.status).toBe('imported');
    expect((await core.call('snapshots.list', {}))[0]!.importedBy).toBe('admin');
    const [study] = await core.call('studies.list', {});
    await expect(core.call('study.saveDefinition', { studyId: study!.studyId, definition: study!.definition })).rejects.toThrow(/^not logged in/);
    await expect(
      core.call('pk.setLambdaZ', { snapshotId: r.snapshotId!, usubjid: 'S1-001', analyte: 'DRUG', interval: 'single', choice: { kind: 'auto' } }),
    ).rejects.toThrow(/^not logged in: a lambda_z choice needs a signed-in account/);
    // a made-up or ended session is no better than none
    await expect(core.call('snapshot.import', { path: src, session: 'x'.repeat(43) })).rejects.toThrow(/not logged in/);
    await core.call('auth.logout', { session: admin });
    await expect(core.call('study.saveDefinition', { studyId: study!.studyId, definition: study!.definition, session: admin })).rejects.toThrow(/session ended/);
    const imports = await core.call('audit.list', { action: 'import' });
    expect(imports.map((e) => [e.user, e.reason])).toEqual([['admin', null]]);
  });

  it('the first-start demo seeding is attributed to the system', async () => {
    const ids = await seedDemoIfEmpty(core);
    expect(ids).toHaveLength(2);
    const entries = await core.call('audit.list', { action: 'import' });
    expect(entries.map((e) => [e.user, e.entityId])).toEqual(ids.map((id) => ['system', String(id)]));
    expect(entries[0]!.reason).toMatch(/first-start demo seeding/);
    expect((await core.call('snapshots.list', {})).every((s) => s.importedBy === 'system')).toBe(true);
  }, 60_000);
});

describe('imports and other calls at the same time', () => {
  const firstProgress = () => new Promise<void>((resolve) => {
    const off = core.onEvent((e) => {
      if (e.phase === 'reading') {
        off();
        resolve();
      }
    });
  });

  it('a second import while one runs is refused with "an import is running"; reads answer during the import', async () => {
    const a = miniSnapshot(path.join(dir, 'a'));
    const b = miniSnapshot(path.join(dir, 'b'), { 'ts.csv': 'STUDYID,DOMAIN,TSSEQ,TSPARMCD,TSVAL\r\nS1,TS,1,TITLE,other\r\n' });
    const reading = firstProgress();
    const first = core.call('snapshot.import', { path: a });
    await reading;
    await expect(core.call('snapshot.import', { path: b })).rejects.toThrow(/an import is running/);
    // a read on the handlers' connection answers while the import's transaction is open (WAL)
    let done = false;
    void first.then(() => (done = true));
    expect(await core.call('snapshots.list', {})).toEqual([]);
    expect(done).toBe(false);
    expect((await first).status).toBe('imported');
    expect((await core.call('snapshot.import', { path: b })).status).toBe('imported');
  });

  it('a login during an import succeeds (no "database is locked"), and so does a failed one', async () => {
    const admin = await bootstrapAdmin(core);
    const bob = await addUser(core, admin, 'bob', 'voting-member', 'Bob');
    const reading = firstProgress();
    const imp = core.call('snapshot.import', { path: miniSnapshot(path.join(dir, 'snap')), session: admin });
    await reading;
    const [login, wrong] = await Promise.all([
      core.call('auth.login', { username: 'bob', password: bob.password }),
      core.call('auth.login', { username: 'bob', password: 'Wrong-guess-1' }).then(
        () => 'logged in',
        (e: Error) => e.message,
      ),
    ]);
    expect(login.session).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(wrong).toBe('wrong user id or password');
    expect((await imp).status).toBe('imported');
  });
});

describe('files', () => {
  it('creates the database 0600 in a folder created 0700 (also the WAL and shared-memory files)', () => {
    const nested = path.join(dir, 'new-folder', 'dosedesk.sqlite');
    const c = createCore({ dbPath: nested });
    try {
      c.ctx.db.prepare('SELECT count(*) FROM snapshot').get();
      const mode = (f: string) => fs.statSync(f).mode & 0o777;
      expect(mode(path.dirname(nested))).toBe(0o700);
      expect(mode(nested)).toBe(0o600);
      for (const f of [`${nested}-wal`, `${nested}-shm`]) if (fs.existsSync(f)) expect(mode(f)).toBe(0o600);
      expect(fs.existsSync(`${nested}-wal`)).toBe(true);
    } finally {
      c.close();
    }
  });

  it('tightens an existing database file made with a looser mode', () => {
    const f = path.join(dir, 'old.sqlite');
    fs.writeFileSync(f, '');
    fs.chmodSync(f, 0o644);
    const c = createCore({ dbPath: f });
    c.close();
    expect(fs.statSync(f).mode & 0o777).toBe(0o600);
  });
});

describe('Electron IPC sender', () => {
  it('accepts only the app\'s own page by exact URL (a fragment aside)', async () => {
    const { isOwnFrameUrl } = await import('../../electron/main/frames');
    const own = 'file:///opt/DoseDesk/resources/app.asar/out/renderer/index.html';
    expect(isOwnFrameUrl(own, own)).toBe(true);
    expect(isOwnFrameUrl(`${own}#/pk`, own)).toBe(true);
    // what the old substring test (url.includes('/out/renderer/')) let through
    for (const other of [
      'file:///tmp/evil/out/renderer/index.html',
      'file:///opt/DoseDesk/resources/app.asar/out/renderer/other.html',
      `${own}?x=1`,
      'https://example.org/out/renderer/index.html',
      'file:///opt/DoseDesk/resources/app.asar/out/renderer/',
      undefined,
      '',
    ]) expect(isOwnFrameUrl(other, own), String(other)).toBe(false);
  });
});

describe('command line', () => {
  async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
    const { main } = await import('../../electron/core/cli');
    const out: string[] = [];
    const err: string[] = [];
    const o = process.stdout.write.bind(process.stdout);
    const e = process.stderr.write.bind(process.stderr);
    const saved = { ...process.env };
    Object.assign(process.env, env);
    process.stdout.write = ((c: string) => (out.push(String(c)), true)) as typeof process.stdout.write;
    process.stderr.write = ((c: string) => (err.push(String(c)), true)) as typeof process.stderr.write;
    try {
      return { code: await main([...args, '--db', path.join(dir, 'db.sqlite')]), out: out.join(''), err: err.join('') };
    } finally {
      process.stdout.write = o;
      process.stderr.write = e;
      for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }

  it('`import` needs --user once accounts exist (password from DOSEDESK_PASSWORD) and is recorded under it', async () => {
    const admin = await bootstrapAdmin(core);
    const bob = await addUser(core, admin, 'bob', 'voting-member', 'Bob');
    const src = miniSnapshot(path.join(dir, 'snap'));
    const refused = await cli(['import', src]);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/--user USERNAME is required once the database has accounts/);
    const wrong = await cli(['import', src, '--user', 'bob'], { DOSEDESK_PASSWORD: 'Wrong-guess-1' });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/wrong user id or password/);
    const ok = await cli(['import', src, '--user', 'bob'], { DOSEDESK_PASSWORD: bob.password });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ status: 'imported' });
    expect((await core.call('audit.list', { action: 'import' })).map((e) => [e.user, e.reason])).toEqual([['bob', null]]);
    // the CLI signed out again
    expect(liveSessions(bob.userId)).toBe(0);
  });

  it('`import` on a database without accounts needs no --user: the OS account, marked scratch', async () => {
    const r = await cli(['import', miniSnapshot(path.join(dir, 'snap'))]);
    expect(r.code).toBe(0);
    const [entry] = await core.call('audit.list', { action: 'import' });
    expect(entry!.reason).toBe(SCRATCH_NOTE);
  });
});

describe('another process holding the write lock', () => {
  it('a write that cannot get the lock within busy_timeout says the database is busy, not "database is locked"', async () => {
    const admin = await bootstrapAdmin(core);
    const Database = (await import('better-sqlite3')).default;
    const other = new Database(path.join(dir, 'db.sqlite'));
    other.exec('BEGIN IMMEDIATE');
    try {
      await expect(core.call('auth.logout', { session: admin })).rejects.toThrow(/^auth\.logout: the database is busy — another DoseDesk process/);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(await core.call('auth.logout', { session: admin })).toEqual({ ended: true });
  }, 30_000);
});

describe('an import while another process writes', () => {
  it('fails cleanly with "another DoseDesk process is writing", writes nothing, and works once the lock is gone', async () => {
    const Database = (await import('better-sqlite3')).default;
    const other = new Database(path.join(dir, 'db.sqlite'));
    other.exec('BEGIN IMMEDIATE');
    const src = miniSnapshot(path.join(dir, 'snap'));
    let r;
    try {
      r = await core.call('snapshot.import', { path: src });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(r.status).toBe('failed');
    expect(r.errors.map((e) => e.found)).toEqual(['another DoseDesk process is writing to it (for example a command-line import): try again when it has finished']);
    expect(JSON.stringify(r)).not.toMatch(/database is locked/);
    expect(await core.call('snapshots.list', {})).toEqual([]);
    expect((await core.call('snapshot.import', { path: src })).status).toBe('imported');
  }, 30_000);
});
