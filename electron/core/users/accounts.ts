import { createHash, randomBytes } from 'node:crypto';
import type { UserInfo } from '../../../shared/api/meetings';
import type { Role, Settings } from '../../../shared/meeting';
import { CallError, type CoreContext } from '../context';
import { stamp, stampAt } from '../audit/clock';
import { appendAudit } from '../audit/log';
import type { Db } from '../store/db';
import { KeyedMutex } from '../access/mutex';
import { currentScryptParams, encryptPrivateKey, hashPassword, newSigningKeyPair, passwordProblems, verifyPassword, type EncryptedKey, type PasswordHash } from './crypto';
import { getSettings } from './settings';
import {
  endLockedOutSessions,
  endSessionRow,
  insertSession,
  insertUser,
  insertUserKey,
  liveSessionUser,
  lockUser,
  sessionByHash,
  setFailedAttempts,
  touchSession,
  userById,
  userByName,
  userKeyCurrent,
  usersCount,
  type KeyRow,
  type UserRow,
} from './queries';

// Accounts, authentication with lock-out, sessions with an inactivity limit (21 CFR 11.10(d), (g),
// 11.100, 11.300). Every outcome that matters is audited: login, login-failed, lockout, logout,
// session-expired.
//
// Session mechanism: auth.login returns a random 256-bit token; the client passes it as `session`
// in the input of every method that changes something (IPC, browser host and CLI alike). Only the
// token's SHA-256 is stored (table session). A session ends at logout, when the account is locked or
// deactivated, or after `inactivityMinutes` without a call; each authenticated call counts as activity.

export type { KeyRow, UserRow } from './queries';

export function findUser(db: Db, idOrName: number | string): UserRow | undefined {
  return typeof idOrName === 'number' ? userById(db, idOrName) : userByName(db, idOrName);
}

export function getUser(db: Db, userId: number): UserRow {
  const u = findUser(db, userId);
  if (!u) throw new CallError('not-found', `no user ${userId}`);
  return u;
}

export function currentKey(db: Db, userId: number): KeyRow | undefined {
  return userKeyCurrent(db, userId);
}

export function userCount(db: Db): number {
  return usersCount(db);
}

/** When the password expires (ISO) or null when passwords do not expire. */
function expiresAt(u: UserRow, s: Settings): string | null {
  if (s.passwordExpiryDays === 0) return null;
  return new Date(Date.parse(u.password_changed_at) + s.passwordExpiryDays * 86_400_000).toISOString();
}

export function toUserInfo(db: Db, u: UserRow, s: Settings = getSettings(db)): UserInfo {
  const k = currentKey(db, u.user_id);
  return {
    userId: u.user_id,
    username: u.username,
    printedName: u.printed_name,
    title: u.title,
    role: u.role,
    active: u.active === 1,
    locked: u.locked_at !== null,
    mustChangePassword: u.must_change_password === 1,
    passwordExpiresAt: expiresAt(u, s),
    createdAt: u.created_at,
    createdBy: u.created_by,
    keyId: k?.key_id ?? null,
    publicKey: k?.public_key ?? null,
  };
}

/** Public view of an account for audit old/new values (no password material). */
export function auditView(u: UserRow) {
  return { userId: u.user_id, username: u.username, printedName: u.printed_name, title: u.title, role: u.role, active: u.active === 1, locked: u.locked_at !== null };
}

export function checkPasswordRules(db: Db, password: string, username: string): void {
  const problems = passwordProblems(password, getSettings(db), username);
  if (problems.length) throw new CallError('invalid-input', `the password does not meet the rules: ${problems.join('; ')}`);
}

export interface NewAccount {
  username: string;
  printedName: string;
  title: string;
  role: Role;
  password: string;
  identityVerification: string;
  mustChangePassword: boolean;
}

/** Creates an account and its first signing key (hashing outside the write transaction). */
export async function createAccount(ctx: CoreContext, a: NewAccount, by: string, opts: { onlyIfNoUsers?: boolean } = {}): Promise<UserRow> {
  checkPasswordRules(ctx.db, a.password, a.username);
  if (findUser(ctx.db, a.username)) throw new CallError('conflict', `user name ${a.username} is taken (user names are never re-issued)`);
  const pw = await hashPassword(a.password);
  const keys = newSigningKeyPair();
  const enc = await encryptPrivateKey(keys.privateKey, a.password);
  const now = stamp(ctx).iso;
  return ctx.db.transaction(() => {
    if (opts.onlyIfNoUsers && userCount(ctx.db) > 0) throw new CallError('conflict', 'users.bootstrap is only allowed while there are no users');
    if (findUser(ctx.db, a.username)) throw new CallError('conflict', `user name ${a.username} is taken`);
    const id = insertUser(ctx.db, { username: a.username, printedName: a.printedName, title: a.title, role: a.role, passwordJson: JSON.stringify(pw), mustChangePassword: a.mustChangePassword, identityVerification: a.identityVerification }, now, by);
    const keyId = insertUserKey(ctx.db, id, keys.publicKeyPem, JSON.stringify(enc), now);
    const u = getUser(ctx.db, id);
    appendAudit(ctx, { user: opts.onlyIfNoUsers ? a.username : by, action: opts.onlyIfNoUsers ? 'bootstrap' : 'create', entity: 'user', entityId: id, new: { ...auditView(u), keyId, identityVerification: a.identityVerification } });
    return u;
  }).immediate();
}

export type AuthPurpose = 'login' | 'sign' | 'change-password';

const WRONG = 'wrong user id or password';

/** Attempts for one account run one at a time (KeyedMutex): the lock-out race of issue 11. */
const attempts = new KeyedMutex();

/**
 * Re-authentication with both components (11.200(a)): user id and password. A wrong password counts
 * towards lock-out (11.300(d)) whatever the purpose; reaching `lockoutAttempts` locks the account
 * and writes a lockout entry. Returns the account on success (failed attempts reset).
 *
 * Under concurrency (issue 11): attempts for one account are serialised, and after the (slow) hash
 * the account is read again and the failure count and lock are read and written in ONE transaction,
 * so at most `lockoutAttempts` wrong passwords are ever evaluated and nothing evaluated after the lock
 * succeeds. An unknown user name costs one hash like a known one (a dummy hash) and gets the same
 * message. Locked and deactivated accounts fail without checking the password.
 */
export async function authenticate(ctx: CoreContext, idOrName: number | string, password: string, purpose: AuthPurpose): Promise<UserRow> {
  const first = findUser(ctx.db, idOrName);
  // The same account may be attacked by name (login) and by id (meetings.sign) at once: one queue per account.
  return attempts.run(first ? `user:${first.user_id}` : `unknown:${String(idOrName)}`, () => attempt(ctx, idOrName, password, purpose));
}

async function attempt(ctx: CoreContext, idOrName: number | string, password: string, purpose: AuthPurpose): Promise<UserRow> {
  const db = ctx.db;
  const u = findUser(db, idOrName);
  const who = u?.username ?? String(idOrName);
  const failed = (reason: string, kind: CallError['kind'] = 'invalid-input', msg = WRONG, details?: unknown): never => {
    appendAudit(ctx, { user: who, action: purpose === 'sign' ? 'sign-failed' : 'login-failed', entity: 'user', entityId: u?.user_id ?? null, reason: `${purpose}: ${reason}` });
    throw new CallError(kind, msg, details);
  };
  const inactive = (x: UserRow) => failed('account deactivated', 'forbidden', `account ${x.username} is deactivated`);
  const lockedOut = (x: UserRow) => failed('account locked', 'forbidden', `account ${x.username} is locked after repeated failed attempts: an administrator must unlock it`);
  if (!u) {
    await verifyPassword(password, dummyHash());
    return failed('unknown user');
  }
  if (u.active !== 1) return inactive(u);
  if (u.locked_at) return lockedOut(u);
  const ok = await verifyPassword(password, JSON.parse(u.password) as PasswordHash);
  const s = getSettings(db);
  // After the hash: the account as it is now (another process — the CLI — may have locked it), and
  // the count and the lock in one transaction.
  const outcome = db.transaction((): { refused: 'inactive' | 'locked' } | { locked: boolean; n: number } | { ok: UserRow } => {
    const now = getUser(db, u.user_id);
    if (now.active !== 1) return { refused: 'inactive' };
    if (now.locked_at) return { refused: 'locked' };
    if (ok) {
      if (now.failed_attempts > 0) setFailedAttempts(db, u.user_id, 0);
      return { ok: getUser(db, u.user_id) };
    }
    const n = now.failed_attempts + 1;
    setFailedAttempts(db, u.user_id, n);
    appendAudit(ctx, { user: u.username, action: purpose === 'sign' ? 'sign-failed' : 'login-failed', entity: 'user', entityId: u.user_id, reason: `${purpose}: wrong password (${n} of ${s.lockoutAttempts})` });
    if (n < s.lockoutAttempts) return { locked: false, n };
    lockUser(db, u.user_id, stamp(ctx).iso);
    endLockedOutSessions(db, u.user_id, stamp(ctx).iso);
    appendAudit(ctx, { user: u.username, action: 'lockout', entity: 'user', entityId: u.user_id, old: { locked: false }, new: { locked: true }, reason: `${n} failed attempts (limit ${s.lockoutAttempts})` });
    return { locked: true, n };
  }).immediate();
  if ('refused' in outcome) return outcome.refused === 'inactive' ? inactive(u) : lockedOut(u);
  if (!('ok' in outcome)) {
    throw new CallError(outcome.locked ? 'conflict' : 'invalid-input', outcome.locked ? `${WRONG}; account ${u.username} is now locked after ${s.lockoutAttempts} failed attempts` : WRONG);
  }
  const fresh = outcome.ok;
  if (purpose !== 'change-password') {
    const exp = expiresAt(fresh, s);
    if (fresh.must_change_password === 1) return failed('password must be changed', 'conflict', `the password of ${fresh.username} must be changed first (auth.changePassword)`, { auth: 'password-change' });
    if (exp !== null && ctx.clock() >= Date.parse(exp)) return failed('password expired', 'conflict', `the password of ${fresh.username} expired on ${exp}: change it (auth.changePassword)`, { auth: 'password-change' });
  }
  return fresh;
}

let dummy: { key: string; hash: PasswordHash } | undefined;

/** A hash no password matches, with the parameters new accounts get: an unknown user costs what a known one does. */
function dummyHash(): PasswordHash {
  const p = currentScryptParams();
  const key = `${p.N}/${p.r}/${p.p}`;
  if (dummy?.key !== key) dummy = { key, hash: { ...p, salt: randomBytes(16).toString('base64'), hash: randomBytes(32).toString('base64') } };
  return dummy.hash;
}

/**
 * Inside a write transaction that acts for an account that authenticated earlier (a signature, an
 * export): the account must still be active and unlocked at that moment (issue 11: a burst of
 * signatures had recorded one for an account locked 350 ms before).
 */
export function assertActiveUnlocked(db: Db, userId: number): UserRow {
  const u = getUser(db, userId);
  if (u.active !== 1) throw new CallError('forbidden', `account ${u.username} is deactivated`, { auth: 'account' });
  if (u.locked_at) throw new CallError('forbidden', `account ${u.username} is locked after repeated failed attempts: an administrator must unlock it`, { auth: 'account' });
  return u;
}

const tokenHash = (t: string) => createHash('sha256').update(t, 'utf8').digest('hex');

export function startSession(ctx: CoreContext, u: UserRow): string {
  const token = randomBytes(32).toString('base64url');
  const now = ctx.clock();
  ctx.db.transaction(() => {
    insertSession(ctx.db, tokenHash(token), u.user_id, stampAt(now).iso, now);
    appendAudit(ctx, { user: u.username, action: 'login', entity: 'user', entityId: u.user_id });
  }).immediate();
  return token;
}

export function endSession(ctx: CoreContext, token: string): boolean {
  const s = liveSessionUser(ctx.db, tokenHash(token));
  if (!s) return false;
  ctx.db.transaction(() => {
    endSessionRow(ctx.db, tokenHash(token), 'logout', stamp(ctx).iso);
    appendAudit(ctx, { user: s.username, action: 'logout', entity: 'user', entityId: s.user_id });
  }).immediate();
  return true;
}

/**
 * The account behind a live session; the call counts as activity. A session idle for more than
 * `inactivityMinutes` ends (audited) and the caller must log in again.
 */
export function requireSession(ctx: CoreContext, token: string): UserRow {
  const h = tokenHash(token);
  const s = sessionByHash(ctx.db, h);
  if (!s) throw new CallError('unauthenticated', 'not logged in (unknown session): log in with auth.login', { auth: 'no-session' });
  if (s.ended_at) throw new CallError('unauthenticated', `session ended (${s.end_reason}): log in again`, { auth: 'ended' });
  const now = ctx.clock();
  const limit = getSettings(ctx.db).inactivityMinutes * 60_000;
  const u = getUser(ctx.db, s.user_id);
  if (now - s.last_seen_ms > limit) {
    ctx.db.transaction(() => {
      endSessionRow(ctx.db, h, 'inactivity', stampAt(now).iso);
      appendAudit(ctx, { user: u.username, action: 'session-expired', entity: 'user', entityId: u.user_id, reason: `no activity for more than ${limit / 60_000} minutes` });
    }).immediate();
    throw new CallError('unauthenticated', `session locked after ${limit / 60_000} minutes of inactivity: log in again`, { auth: 'inactivity' });
  }
  if (u.active !== 1 || u.locked_at) throw new CallError('forbidden', `account ${u.username} is ${u.active !== 1 ? 'deactivated' : 'locked'}`, { auth: 'account' });
  touchSession(ctx.db, h, now);
  return u;
}

/**
 * The account behind a live session, without writing anything (no activity stamp, no expiry entry):
 * for checks made by methods that only read, which also run while an import holds the write lock.
 */
export function peekSession(ctx: CoreContext, token: string): UserRow {
  const s = sessionByHash(ctx.db, tokenHash(token));
  if (!s || s.ended_at) throw new CallError('unauthenticated', 'not logged in (unknown or ended session): log in with auth.login', { auth: 'no-session' });
  const limit = getSettings(ctx.db).inactivityMinutes * 60_000;
  if (ctx.clock() - s.last_seen_ms > limit) throw new CallError('unauthenticated', `session locked after ${limit / 60_000} minutes of inactivity: log in again`, { auth: 'inactivity' });
  const u = getUser(ctx.db, s.user_id);
  if (u.active !== 1 || u.locked_at) throw new CallError('forbidden', `account ${u.username} is ${u.active !== 1 ? 'deactivated' : 'locked'}`, { auth: 'account' });
  return u;
}

export type { EncryptedKey };
