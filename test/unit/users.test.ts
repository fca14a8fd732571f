import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { passwordClasses, passwordProblems, useScryptParamsForTests } from '../../electron/core/users/crypto';
import { tmpDir } from '../helpers/snapshot';
import { addUser, ADMIN_PW, bootstrapAdmin } from './meetings-helpers';

// Users (issue 5; 21 CFR 11.10(d), 11.100, 11.200, 11.300 as summarised in reference/part11/part11.md §2):
// first administrator, scrypt-hashed passwords with per-user salts, rules, lock-out after N failures,
// inactivity expiry of sessions, deactivation instead of deletion, the signing key re-encrypted on a
// password change. Real SQLite file.

let dir: string;
let core: Core;
let now: number;

beforeEach(() => {
  dir = tmpDir('dosedesk-users-');
  core = createCore({ dbPath: path.join(dir, 'db.sqlite') });
  now = Date.UTC(2025, 2, 4, 8, 0, 0);
  core.ctx.clock = () => now;
  // cheaper scrypt for speed (each hash stores its parameters); the production parameters are checked below
  useScryptParamsForTests({ N: 2 ** 10, r: 8, p: 1 });
});
afterEach(() => {
  core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const raw = () => core.ctx.db;

describe('first start', () => {
  it('creates the administrator once, only while there are no users', async () => {
    expect(await core.call('auth.status', {})).toMatchObject({ needsBootstrap: true, users: 0 });
    const a = await core.call('users.bootstrap', { username: 'admin', printedName: 'Ada Admin', password: ADMIN_PW });
    expect(a).toMatchObject({ role: 'administrator', active: true, locked: false, mustChangePassword: false });
    expect(a.publicKey).toMatch(/BEGIN PUBLIC KEY/);
    await expect(core.call('users.bootstrap', { username: 'eve', printedName: 'Eve', password: 'Another-pass-2' })).rejects.toThrow(/only allowed while there are no users/);
    expect(await core.call('auth.status', {})).toMatchObject({ needsBootstrap: false, users: 1 });
  });

  it('stores scrypt hashes (N = 2^15, r = 8, p = 1) with a per-user salt, never the password; the private key encrypted', async () => {
    useScryptParamsForTests(null);
    const s = await bootstrapAdmin(core);
    await addUser(core, s, 'bob', 'voting-member', 'Bob', 'Same-pass-123');
    await addUser(core, s, 'carol', 'voting-member', 'Carol', 'Same-pass-123');
    const rows = raw().prepare('SELECT username, password FROM app_user').all() as { username: string; password: string }[];
    const hashes = rows.map((r) => JSON.parse(r.password) as { N: number; r: number; p: number; salt: string; hash: string });
    expect(hashes.every((h) => h.N === 2 ** 15 && h.r === 8 && h.p === 1)).toBe(true);
    const bob = hashes[1]!;
    const carol = hashes[2]!;
    expect(bob.salt).not.toBe(carol.salt);
    expect(bob.hash).not.toBe(carol.hash); // same password, different salts
    const dump = fs.readFileSync(path.join(dir, 'db.sqlite')).toString('latin1') + (fs.existsSync(path.join(dir, 'db.sqlite-wal')) ? fs.readFileSync(path.join(dir, 'db.sqlite-wal')).toString('latin1') : '');
    expect(dump).not.toContain('Same-pass-123');
    const key = JSON.parse((raw().prepare('SELECT private_key FROM user_key WHERE user_id = 2').get() as { private_key: string }).private_key);
    expect(key).toMatchObject({ kdf: 'scrypt', cipher: 'aes-256-gcm' });
    expect(key.salt).not.toBe(bob.salt);
  });
});

describe('password rules', () => {
  it('counts character classes and enforces the configured rules', async () => {
    expect(passwordClasses('abcDEF123!')).toBe(4);
    expect(passwordProblems('short1A', { passwordMinLength: 10, passwordMinClasses: 3 })).toEqual(['at least 10 characters']);
    expect(passwordProblems('alllowercaseletters', { passwordMinLength: 10, passwordMinClasses: 3 })).toEqual(['at least 3 of: lower case, upper case, digit, other character']);
    await expect(core.call('users.bootstrap', { username: 'admin', printedName: 'A', password: 'weak' })).rejects.toThrow(/does not meet the rules/);
    const s = await bootstrapAdmin(core);
    await core.call('settings.set', { session: s, settings: { passwordMinLength: 16 }, reason: 'SOP-IT-004 rev 2' });
    await expect(core.call('users.create', { session: s, username: 'dan', printedName: 'Dan', role: 'chair', password: 'Fifteen-chars-1', identityVerification: 'badge' })).rejects.toThrow(/at least 16 characters/);
    const audit = await core.call('audit.list', { entity: 'settings' });
    expect(audit).toEqual([expect.objectContaining({ action: 'change', user: 'admin', oldValue: { passwordMinLength: 10 }, newValue: { passwordMinLength: 16 }, reason: 'SOP-IT-004 rev 2' })]);
  });

  it('forces a change of the temporary password and refuses expired passwords until changed', async () => {
    const s = await bootstrapAdmin(core);
    await core.call('users.create', { session: s, username: 'bob', printedName: 'Bob', role: 'chair', password: 'Temporary-pw-1', identityVerification: 'badge' });
    await expect(core.call('auth.login', { username: 'bob', password: 'Temporary-pw-1' })).rejects.toThrow(/must be changed first/);
    await core.call('auth.changePassword', { username: 'bob', oldPassword: 'Temporary-pw-1', newPassword: 'Own-secret-pw-2' });
    await core.call('auth.login', { username: 'bob', password: 'Own-secret-pw-2' });
    now += 181 * 86_400_000; // default expiry 180 days
    await expect(core.call('auth.login', { username: 'bob', password: 'Own-secret-pw-2' })).rejects.toThrow(/expired/);
    await core.call('auth.changePassword', { username: 'bob', oldPassword: 'Own-secret-pw-2', newPassword: 'Newer-secret-pw-3' });
    await core.call('auth.login', { username: 'bob', password: 'Newer-secret-pw-3' });
  });
});

describe('lock-out', () => {
  it('locks the account after 5 wrong passwords (default), audits each failure and the lockout; unlock is audited', async () => {
    const s = await bootstrapAdmin(core);
    const bob = await addUser(core, s, 'bob', 'voting-member');
    for (let i = 1; i <= 4; i++) await expect(core.call('auth.login', { username: 'bob', password: 'wrong' })).rejects.toThrow(/^wrong user id or password$/);
    await expect(core.call('auth.login', { username: 'bob', password: 'wrong' })).rejects.toThrow(/now locked after 5 failed attempts/);
    // locked: even the right password fails, without revealing whether it was right
    await expect(core.call('auth.login', { username: 'bob', password: bob.password })).rejects.toThrow(/locked/);
    const failed = await core.call('audit.list', { user: 'bob', action: 'login-failed' });
    expect(failed.map((e) => e.reason)).toEqual([...[1, 2, 3, 4, 5].map((n) => `login: wrong password (${n} of 5)`), 'login: account locked']);
    expect(await core.call('audit.list', { action: 'lockout' })).toEqual([expect.objectContaining({ user: 'bob', entityId: String(bob.userId), oldValue: { locked: false }, newValue: { locked: true } })]);
    await core.call('users.unlock', { session: s, userId: bob.userId, reason: 'identity confirmed by phone' });
    await core.call('auth.login', { username: 'bob', password: bob.password });
    expect((await core.call('audit.list', { action: 'unlock' }))[0]).toMatchObject({ user: 'admin', reason: 'identity confirmed by phone' });
  });

  it('honours a configured limit; a success resets the count', async () => {
    const s = await bootstrapAdmin(core);
    const bob = await addUser(core, s, 'bob', 'voting-member');
    await core.call('settings.set', { session: s, settings: { lockoutAttempts: 2 }, reason: 'stricter' });
    await expect(core.call('auth.login', { username: 'bob', password: 'wrong' })).rejects.toThrow(/^wrong user id or password$/);
    await core.call('auth.login', { username: 'bob', password: bob.password });
    await expect(core.call('auth.login', { username: 'bob', password: 'wrong' })).rejects.toThrow(/^wrong user id or password$/);
    await expect(core.call('auth.login', { username: 'bob', password: 'wrong' })).rejects.toThrow(/now locked/);
  });

  it('an unknown user name fails like a wrong password and is audited', async () => {
    await bootstrapAdmin(core);
    await expect(core.call('auth.login', { username: 'mallory', password: 'x' })).rejects.toThrow(/^wrong user id or password$/);
    expect(await core.call('audit.list', { user: 'mallory' })).toEqual([expect.objectContaining({ action: 'login-failed', reason: 'login: unknown user' })]);
  });
});

describe('sessions', () => {
  it('expire after the inactivity limit; each call counts as activity (injected clock)', async () => {
    const s = await bootstrapAdmin(core);
    const minute = 60_000;
    now += 14 * minute;
    expect((await core.call('auth.whoami', { session: s })).username).toBe('admin');
    now += 14 * minute; // 28 minutes since login, 14 since the last call: still alive (limit 15)
    expect((await core.call('auth.whoami', { session: s })).username).toBe('admin');
    now += 15 * minute + 1;
    await expect(core.call('auth.whoami', { session: s })).rejects.toThrow(/inactivity/);
    await expect(core.call('auth.whoami', { session: s })).rejects.toThrow(/session ended \(inactivity\)/);
    expect(await core.call('audit.list', { action: 'session-expired' })).toHaveLength(1);
    const again = await core.call('auth.login', { username: 'admin', password: ADMIN_PW });
    expect(again.session).not.toBe(s);
  });

  it('logout ends the session; a made-up token is refused; only the token hash is stored', async () => {
    const s = await bootstrapAdmin(core);
    expect(raw().prepare('SELECT count(*) n FROM session WHERE token_hash = ?').get(s)).toEqual({ n: 0 });
    await core.call('auth.logout', { session: s });
    await expect(core.call('auth.whoami', { session: s })).rejects.toThrow(/logout/);
    await expect(core.call('auth.whoami', { session: 'x'.repeat(43) })).rejects.toThrow(/not logged in/);
  });

  it('non-administrators cannot manage accounts (authority check, 11.10(g))', async () => {
    const s = await bootstrapAdmin(core);
    const bob = await addUser(core, s, 'bob', 'chair');
    const bs = (await core.call('auth.login', { username: 'bob', password: bob.password })).session;
    await expect(core.call('users.create', { session: bs, username: 'eve', printedName: 'Eve', role: 'administrator', password: 'Secret-pw-1234', identityVerification: '-' })).rejects.toThrow(/may not create accounts/);
  });
});

describe('accounts are never deleted', () => {
  it('deactivation ends sessions and blocks login; the row stays; SQL DELETE is refused', async () => {
    const s = await bootstrapAdmin(core);
    const bob = await addUser(core, s, 'bob', 'voting-member');
    const bs = (await core.call('auth.login', { username: 'bob', password: bob.password })).session;
    await core.call('users.setActive', { session: s, userId: bob.userId, active: false, reason: 'left the committee' });
    await expect(core.call('auth.whoami', { session: bs })).rejects.toThrow(/deactivated/);
    await expect(core.call('auth.login', { username: 'bob', password: bob.password })).rejects.toThrow(/deactivated/);
    expect((await core.call('users.list', {})).find((u) => u.userId === bob.userId)).toMatchObject({ active: false });
    expect(() => raw().prepare('DELETE FROM app_user WHERE user_id = ?').run(bob.userId)).toThrow(/never deleted/);
    expect(() => raw().prepare("UPDATE app_user SET username = 'bobby' WHERE user_id = ?").run(bob.userId)).toThrow(/never changed/);
    await expect(core.call('users.create', { session: s, username: 'BOB', printedName: 'Other Bob', role: 'chair', password: 'Other-secret-1', identityVerification: 'badge' })).rejects.toThrow(/taken/);
  });
});

describe('signing key', () => {
  it('a password change re-encrypts the same key; an administrator reset retires it and issues a new one', async () => {
    const s = await bootstrapAdmin(core);
    const bob = await addUser(core, s, 'bob', 'voting-member');
    const k1 = (await core.call('users.list', {})).find((u) => u.userId === bob.userId)!;
    const enc1 = (raw().prepare('SELECT private_key FROM user_key WHERE key_id = ?').get(k1.keyId) as { private_key: string }).private_key;
    const after = await core.call('auth.changePassword', { username: 'bob', oldPassword: bob.password, newPassword: 'Second-secret-7' });
    expect(after.keyId).toBe(k1.keyId);
    expect(after.publicKey).toBe(k1.publicKey);
    const enc2 = (raw().prepare('SELECT private_key FROM user_key WHERE key_id = ?').get(k1.keyId) as { private_key: string }).private_key;
    expect(enc2).not.toBe(enc1);
    const reset = await core.call('users.resetPassword', { session: s, userId: bob.userId, temporaryPassword: 'Reset-temp-pass-1', reason: 'forgotten password' });
    expect(reset).toMatchObject({ mustChangePassword: true });
    expect(reset.keyId).not.toBe(k1.keyId);
    expect(raw().prepare('SELECT retired_at IS NOT NULL retired FROM user_key WHERE key_id = ?').get(k1.keyId)).toEqual({ retired: 1 });
  });
});
