import type { Db } from '../store/db';
import type { UserRow } from './accounts';

// SQL of the users handlers (tables app_user, user_key, session). Sign-in, sessions and lock-out keep
// their statements in accounts.ts, next to the rules they enforce.

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
