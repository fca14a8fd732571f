import type { Db } from '../store/db';
import type { Role } from '../../../shared/meeting';

// SQL of the users feature (tables app_user, user_key, session, setting). Sign-in, sessions and
// lock-out (accounts.ts) decide when these run and hold the transactions.

export interface UserRow {
  user_id: number;
  username: string;
  printed_name: string;
  title: string;
  role: Role;
  active: number;
  password: string;
  password_changed_at: string;
  must_change_password: number;
  failed_attempts: number;
  locked_at: string | null;
  identity_verification: string;
  created_at: string;
  created_by: string;
}

export interface KeyRow {
  key_id: number;
  user_id: number;
  public_key: string;
  private_key: string;
  created_at: string;
  retired_at: string | null;
}

export function userById(db: Db, userId: number): UserRow | undefined {
  return db.prepare('SELECT * FROM app_user WHERE user_id = ?').get(userId) as UserRow | undefined;
}

export function userByName(db: Db, username: string): UserRow | undefined {
  return db.prepare('SELECT * FROM app_user WHERE username = ?').get(username) as UserRow | undefined;
}

/** The user's signing key not retired, the newest. */
export function userKeyCurrent(db: Db, userId: number): KeyRow | undefined {
  return db.prepare('SELECT * FROM user_key WHERE user_id = ? AND retired_at IS NULL ORDER BY key_id DESC LIMIT 1').get(userId) as KeyRow | undefined;
}

export function usersCount(db: Db): number {
  return (db.prepare('SELECT count(*) n FROM app_user').get() as { n: number }).n;
}

/** A new active account; its id. */
export function insertUser(
  db: Db,
  a: { username: string; printedName: string; title: string; role: Role; passwordJson: string; mustChangePassword: boolean; identityVerification: string },
  at: string,
  by: string,
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO app_user (username, printed_name, title, role, active, password, password_changed_at, must_change_password, identity_verification, created_at, created_by)
         VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)`,
      )
      .run(a.username, a.printedName, a.title, a.role, a.passwordJson, at, a.mustChangePassword ? 1 : 0, a.identityVerification, at, by).lastInsertRowid,
  );
}

/** A user's first signing key; its id. */
export function insertUserKey(db: Db, userId: number, publicKeyPem: string, encryptedKeyJson: string, at: string): number {
  return Number(db.prepare('INSERT INTO user_key (user_id, public_key, private_key, created_at) VALUES (?, ?, ?, ?)').run(userId, publicKeyPem, encryptedKeyJson, at).lastInsertRowid);
}

export function setFailedAttempts(db: Db, userId: number, n: number): void {
  db.prepare('UPDATE app_user SET failed_attempts = ? WHERE user_id = ?').run(n, userId);
}

export function lockUser(db: Db, userId: number, at: string): void {
  db.prepare('UPDATE app_user SET locked_at = ? WHERE user_id = ?').run(at, userId);
}

/** Ends the open sessions of an account just locked out. */
export function endLockedOutSessions(db: Db, userId: number, at: string): void {
  db.prepare("UPDATE session SET ended_at = ?, end_reason = 'lockout' WHERE user_id = ? AND ended_at IS NULL").run(at, userId);
}

export function insertSession(db: Db, tokenHash: string, userId: number, at: string, nowMs: number): void {
  db.prepare('INSERT INTO session (token_hash, user_id, created_at, last_seen_ms) VALUES (?, ?, ?, ?)').run(tokenHash, userId, at, nowMs);
}

/** The account of a session not ended. */
export function liveSessionUser(db: Db, tokenHash: string): { user_id: number; username: string } | undefined {
  return db.prepare('SELECT s.user_id, u.username FROM session s JOIN app_user u USING (user_id) WHERE token_hash = ? AND ended_at IS NULL').get(tokenHash) as { user_id: number; username: string } | undefined;
}

export interface SessionRow {
  user_id: number;
  last_seen_ms: number;
  ended_at: string | null;
  end_reason: string | null;
}

export function sessionByHash(db: Db, tokenHash: string): SessionRow | undefined {
  return db.prepare('SELECT * FROM session WHERE token_hash = ?').get(tokenHash) as SessionRow | undefined;
}

export function endSessionRow(db: Db, tokenHash: string, reason: 'logout' | 'inactivity', at: string): void {
  db.prepare('UPDATE session SET ended_at = ?, end_reason = ? WHERE token_hash = ?').run(at, reason, tokenHash);
}

/** The call counts as activity. */
export function touchSession(db: Db, tokenHash: string, nowMs: number): void {
  db.prepare('UPDATE session SET last_seen_ms = ? WHERE token_hash = ?').run(nowMs, tokenHash);
}

/** Every stored setting (table `setting`, one JSON value per key). */
export function settingRows(db: Db): { key: string; value: string }[] {
  return db.prepare('SELECT key, value FROM setting').all() as { key: string; value: string }[];
}

export function upsertSetting(db: Db, key: string, valueJson: string, at: string, by: string): void {
  db.prepare(
    `INSERT INTO setting (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  ).run(key, valueJson, at, by);
}

export function allUsers(db: Db): UserRow[] {
  return db.prepare('SELECT * FROM app_user ORDER BY user_id').all() as UserRow[];
}

/** A password the user chose: no change required any more, failed attempts cleared. */
export function setOwnPassword(db: Db, userId: number, passwordJson: string, at: string): void {
  db.prepare('UPDATE app_user SET password = ?, password_changed_at = ?, must_change_password = 0, failed_attempts = 0 WHERE user_id = ?').run(passwordJson, at, userId);
}

/** A temporary password set by an administrator: to be changed at next login, lock and failed attempts cleared. */
export function setTemporaryPassword(db: Db, userId: number, passwordJson: string, at: string): void {
  db.prepare('UPDATE app_user SET password = ?, password_changed_at = ?, must_change_password = 1, failed_attempts = 0, locked_at = NULL WHERE user_id = ?').run(passwordJson, at, userId);
}

/** The private key re-encrypted under a new password. */
export function replacePrivateKey(db: Db, keyId: number, encryptedKeyJson: string): void {
  db.prepare('UPDATE user_key SET private_key = ? WHERE key_id = ?').run(encryptedKeyJson, keyId);
}

export function retireKey(db: Db, keyId: number, at: string): void {
  db.prepare('UPDATE user_key SET retired_at = ? WHERE key_id = ?').run(at, keyId);
}

/** A new signing key pair of a user; its id. */
export function insertKey(db: Db, userId: number, publicKeyPem: string, encryptedKeyJson: string, at: string): number {
  return Number(db.prepare('INSERT INTO user_key (user_id, public_key, private_key, created_at) VALUES (?, ?, ?, ?)').run(userId, publicKeyPem, encryptedKeyJson, at).lastInsertRowid);
}

export function updateProfile(db: Db, userId: number, printedName: string, title: string, role: UserRow['role']): void {
  db.prepare('UPDATE app_user SET printed_name = ?, title = ?, role = ? WHERE user_id = ?').run(printedName, title, role, userId);
}

export function setUserActive(db: Db, userId: number, active: boolean): void {
  db.prepare('UPDATE app_user SET active = ? WHERE user_id = ?').run(active ? 1 : 0, userId);
}

export function unlockUser(db: Db, userId: number): void {
  db.prepare('UPDATE app_user SET locked_at = NULL, failed_attempts = 0 WHERE user_id = ?').run(userId);
}

/** Ends every open session of a user, with the reason. */
export function endUserSessions(db: Db, userId: number, at: string, reason: 'deactivated' | 'password-reset'): void {
  db.prepare('UPDATE session SET ended_at = ?, end_reason = ? WHERE user_id = ? AND ended_at IS NULL').run(at, reason, userId);
}
