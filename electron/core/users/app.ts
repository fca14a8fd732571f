import type { z } from 'zod';
import type { contract, Output } from '../../../shared/contract';
import { Settings } from '../../../shared/meeting';
import { CallError, type App, type CoreContext } from '../context';
import { stamp } from '../audit/clock';
import { appendAudit } from '../audit/log';
import {
  auditView,
  authenticate,
  checkPasswordRules,
  createAccount,
  currentKey,
  endSession,
  getUser,
  startSession,
  toUserInfo,
  userCount,
} from './accounts';
import { decryptPrivateKey, encryptPrivateKey, hashPassword, newSigningKeyPair, type EncryptedKey } from './crypto';
import { getSettings, putSettings } from './settings';
import { allUsers, endUserSessions, insertKey, replacePrivateKey, retireKey, setOwnPassword, setTemporaryPassword, setUserActive, unlockUser, updateProfile } from './queries';
import { requireRole, signedIn, type SignedIn } from '../access/actor';

// Handlers of users, authentication and settings (issue 5 "Users"; 21 CFR 11.10(d)(g), 11.100, 11.300).

type In<M extends keyof typeof contract> = z.output<(typeof contract)[M]['input']>;

export function registerUsers(app: App): void {
  app.method('auth.status', (_i, ctx) => ({ needsBootstrap: userCount(ctx.db) === 0, users: userCount(ctx.db), inactivityMinutes: getSettings(ctx.db).inactivityMinutes }));
  app.method('users.bootstrap', (input, ctx) => bootstrap(ctx, input));
  app.method('auth.login', (input, ctx) => login(ctx, input));
  app.method('auth.logout', ({ session }, ctx) => ({ ended: endSession(ctx, session) }));
  app.method('auth.whoami', (_i, ctx) => toUserInfo(ctx.db, getUser(ctx.db, signedIn(ctx, 'auth.whoami').userId)));
  app.method('auth.changePassword', (input, ctx) => changePassword(ctx, input));
  app.method('users.list', (_i, ctx) => {
    const s = getSettings(ctx.db);
    return allUsers(ctx.db).map((u) => toUserInfo(ctx.db, u, s));
  });
  app.method('users.create', (input, ctx) => createUser(ctx, input));
  app.method('users.update', (input, ctx) => updateUser(ctx, input));
  app.method('users.setActive', (input, ctx) => setActive(ctx, input));
  app.method('users.unlock', (input, ctx) => unlock(ctx, input));
  app.method('users.resetPassword', (input, ctx) => resetPassword(ctx, input));
  app.method('settings.get', (_i, ctx) => getSettings(ctx.db));
  app.method('settings.set', (input, ctx) => setSettings(ctx, input));
}

const admin = (ctx: CoreContext, what: string): SignedIn => requireRole(ctx, ['administrator'], what);

async function bootstrap(ctx: CoreContext, input: In<'users.bootstrap'>): Promise<Output<'users.bootstrap'>> {
  if (userCount(ctx.db) > 0) throw new CallError('conflict', 'users.bootstrap is only allowed while there are no users');
  const u = await createAccount(
    ctx,
    { username: input.username, printedName: input.printedName, title: input.title, role: 'administrator', password: input.password, identityVerification: input.identityVerification, mustChangePassword: false },
    input.username,
    { onlyIfNoUsers: true },
  );
  return toUserInfo(ctx.db, u);
}

async function login(ctx: CoreContext, input: In<'auth.login'>): Promise<Output<'auth.login'>> {
  const u = await authenticate(ctx, input.username, input.password, 'login');
  const session = startSession(ctx, u);
  return { session, user: toUserInfo(ctx.db, u), inactivityMinutes: getSettings(ctx.db).inactivityMinutes };
}

/** Own password change with the current password: new hash and salt, the signing key re-encrypted. */
async function changePassword(ctx: CoreContext, input: In<'auth.changePassword'>): Promise<Output<'auth.changePassword'>> {
  const u = await authenticate(ctx, input.username, input.oldPassword, 'change-password');
  if (input.newPassword === input.oldPassword) throw new CallError('invalid-input', 'the new password must differ from the current one');
  checkPasswordRules(ctx.db, input.newPassword, u.username);
  const key = currentKey(ctx.db, u.user_id);
  const pw = await hashPassword(input.newPassword);
  let reEncrypted: EncryptedKey | null = null;
  if (key) reEncrypted = await encryptPrivateKey(await decryptPrivateKey(JSON.parse(key.private_key) as EncryptedKey, input.oldPassword), input.newPassword);
  const now = stamp(ctx).iso;
  ctx.db.transaction(() => {
    setOwnPassword(ctx.db, u.user_id, JSON.stringify(pw), now);
    if (key && reEncrypted) replacePrivateKey(ctx.db, key.key_id, JSON.stringify(reEncrypted));
    appendAudit(ctx, { user: u.username, action: 'password-change', entity: 'user', entityId: u.user_id, reason: u.must_change_password ? 'first login / after reset' : null });
  }).immediate();
  return toUserInfo(ctx.db, getUser(ctx.db, u.user_id));
}

async function createUser(ctx: CoreContext, input: In<'users.create'>): Promise<Output<'users.create'>> {
  const a = admin(ctx, 'create accounts');
  const u = await createAccount(
    ctx,
    { username: input.username, printedName: input.printedName, title: input.title, role: input.role, password: input.password, identityVerification: input.identityVerification, mustChangePassword: true },
    a.username,
  );
  return toUserInfo(ctx.db, u);
}

function updateUser(ctx: CoreContext, input: In<'users.update'>): Output<'users.update'> {
  const a = admin(ctx, 'change accounts');
  const before = getUser(ctx.db, input.userId);
  ctx.db.transaction(() => {
    updateProfile(ctx.db, before.user_id, input.printedName ?? before.printed_name, input.title ?? before.title, input.role ?? before.role);
    const after = getUser(ctx.db, before.user_id);
    appendAudit(ctx, { user: a.username, action: 'change', entity: 'user', entityId: before.user_id, old: auditView(before), new: auditView(after), reason: input.reason });
  }).immediate();
  return toUserInfo(ctx.db, getUser(ctx.db, input.userId));
}

function setActive(ctx: CoreContext, input: In<'users.setActive'>): Output<'users.setActive'> {
  const a = admin(ctx, 'deactivate accounts');
  const before = getUser(ctx.db, input.userId);
  if (before.user_id === a.userId && !input.active) throw new CallError('conflict', 'an administrator cannot deactivate their own account');
  ctx.db.transaction(() => {
    setUserActive(ctx.db, before.user_id, input.active);
    if (!input.active) endUserSessions(ctx.db, before.user_id, stamp(ctx).iso, 'deactivated');
    appendAudit(ctx, { user: a.username, action: input.active ? 'reactivate' : 'deactivate', entity: 'user', entityId: before.user_id, old: { active: before.active === 1 }, new: { active: input.active }, reason: input.reason });
  }).immediate();
  return toUserInfo(ctx.db, getUser(ctx.db, input.userId));
}

function unlock(ctx: CoreContext, input: In<'users.unlock'>): Output<'users.unlock'> {
  const a = admin(ctx, 'unlock accounts');
  const before = getUser(ctx.db, input.userId);
  ctx.db.transaction(() => {
    unlockUser(ctx.db, before.user_id);
    appendAudit(ctx, { user: a.username, action: 'unlock', entity: 'user', entityId: before.user_id, old: { locked: before.locked_at !== null, failedAttempts: before.failed_attempts }, new: { locked: false, failedAttempts: 0 }, reason: input.reason });
  }).immediate();
  return toUserInfo(ctx.db, getUser(ctx.db, input.userId));
}

/**
 * An administrator sets a temporary password (the user must change it at next login: 11.200(a)(3),
 * the administrator never knows the password in use). The private key cannot be decrypted without
 * the old password, so it is retired (its public key stays to verify earlier signatures) and a new
 * pair is issued.
 */
async function resetPassword(ctx: CoreContext, input: In<'users.resetPassword'>): Promise<Output<'users.resetPassword'>> {
  const a = admin(ctx, 'reset passwords');
  const u = getUser(ctx.db, input.userId);
  checkPasswordRules(ctx.db, input.temporaryPassword, u.username);
  const pw = await hashPassword(input.temporaryPassword);
  const keys = newSigningKeyPair();
  const enc = await encryptPrivateKey(keys.privateKey, input.temporaryPassword);
  const now = stamp(ctx).iso;
  ctx.db.transaction(() => {
    const old = currentKey(ctx.db, u.user_id);
    if (old) retireKey(ctx.db, old.key_id, now);
    const keyId = insertKey(ctx.db, u.user_id, keys.publicKeyPem, JSON.stringify(enc), now);
    setTemporaryPassword(ctx.db, u.user_id, JSON.stringify(pw), now);
    endUserSessions(ctx.db, u.user_id, now, 'password-reset');
    appendAudit(ctx, { user: a.username, action: 'password-reset', entity: 'user', entityId: u.user_id, old: { keyId: old?.key_id ?? null }, new: { keyId, mustChangePassword: true }, reason: input.reason });
  }).immediate();
  return toUserInfo(ctx.db, getUser(ctx.db, u.user_id));
}

function setSettings(ctx: CoreContext, input: In<'settings.set'>): Output<'settings.set'> {
  const a = admin(ctx, 'change settings');
  const before = getSettings(ctx.db);
  const after = Settings.parse({ ...before, ...input.settings });
  const changed = Object.fromEntries(Object.entries(input.settings).filter(([k, v]) => v !== undefined && JSON.stringify(v) !== JSON.stringify(before[k as keyof typeof before])));
  if (Object.keys(changed).length === 0) return before;
  ctx.db.transaction(() => {
    putSettings(ctx.db, changed, stamp(ctx).iso, a.username);
    appendAudit(ctx, { user: a.username, action: 'change', entity: 'settings', entityId: null, old: Object.fromEntries(Object.keys(changed).map((k) => [k, before[k as keyof typeof before]])), new: changed, reason: input.reason });
  }).immediate();
  return after;
}
