import type { Db } from '../store/db';

// SQL of the minutes feature: users' PDF signing identities (table user_pdf_identity) and what the
// minutes' verification looks up in the audit trail and the snapshots, and the installation's signing
// authority (table signing_authority; authority.ts holds its key file and transaction).

export interface AuthorityRow {
  authority_id: number;
  certificate: string;
  fingerprint: string;
  key_file: string;
  created_at: string;
}

/** The installation's authority: the first one created. */
export function firstAuthority(db: Db): AuthorityRow | undefined {
  return db.prepare('SELECT * FROM signing_authority ORDER BY authority_id LIMIT 1').get() as AuthorityRow | undefined;
}

export function authorityById(db: Db, authorityId: number): AuthorityRow {
  return db.prepare('SELECT * FROM signing_authority WHERE authority_id = ?').get(authorityId) as AuthorityRow;
}

/** A new authority (its certificate and where its key file is); its id. */
export function insertAuthority(db: Db, certificatePem: string, fingerprint: string, keyFile: string, at: string): number {
  return Number(db.prepare('INSERT INTO signing_authority (certificate, fingerprint, key_file, created_at) VALUES (?, ?, ?, ?)').run(certificatePem, fingerprint, keyFile, at).lastInsertRowid);
}

export interface IdentityRow {
  identity_id: number;
  user_id: number;
  certificate: string;
  fingerprint: string;
  p12: string;
  created_at: string;
  retired_at: string | null;
}

/** A user's current (not retired) PDF signing identity, the newest if several. */
export function currentIdentity(db: Db, userId: number): IdentityRow | undefined {
  return db.prepare('SELECT * FROM user_pdf_identity WHERE user_id = ? AND retired_at IS NULL ORDER BY identity_id DESC LIMIT 1').get(userId) as IdentityRow | undefined;
}

export function retireIdentity(db: Db, identityId: number, at: string, reason: string): void {
  db.prepare('UPDATE user_pdf_identity SET retired_at = ?, retired_reason = ? WHERE identity_id = ?').run(at, reason, identityId);
}

/** A new identity; its id. */
export function insertIdentity(db: Db, userId: number, certificatePem: string, fingerprint: string, sealedP12Json: string, at: string): number {
  return Number(db.prepare('INSERT INTO user_pdf_identity (user_id, certificate, fingerprint, p12, created_at) VALUES (?, ?, ?, ?, ?)').run(userId, certificatePem, fingerprint, sealedP12Json, at).lastInsertRowid);
}

/** The printed name of the account whose identity has this certificate fingerprint. */
export function printedNameByFingerprint(db: Db, fingerprint: string): string | undefined {
  return (db.prepare('SELECT u.printed_name FROM user_pdf_identity i JOIN app_user u USING (user_id) WHERE i.fingerprint = ?').get(fingerprint) as { printed_name: string } | undefined)?.printed_name;
}

export function allIdentityCertificates(db: Db): { certificate: string; fingerprint: string; created_at: string }[] {
  return db.prepare('SELECT certificate, fingerprint, created_at FROM user_pdf_identity').all() as { certificate: string; fingerprint: string; created_at: string }[];
}

export function identityCertificatesWithNames(db: Db): { certificate: string; fingerprint: string; created_at: string; printed_name: string }[] {
  return db
    .prepare('SELECT i.certificate, i.fingerprint, i.created_at, u.printed_name FROM user_pdf_identity i JOIN app_user u USING (user_id) ORDER BY i.identity_id')
    .all() as { certificate: string; fingerprint: string; created_at: string; printed_name: string }[];
}

/** The new values of the audit entries that record an export of a meeting's minutes. */
export function minutesExportAudits(db: Db, meetingId: number): { new_value: string | null }[] {
  return db.prepare("SELECT new_value FROM audit_log WHERE action = 'export' AND entity = 'minutes' AND entity_id = ?").all(String(meetingId)) as { new_value: string | null }[];
}

export function snapshotWithContentHash(db: Db, contentHash: string): boolean {
  return db.prepare('SELECT 1 FROM snapshot WHERE content_hash = ?').get(contentHash) !== undefined;
}

/** An audit entry's hash, by sequence number. */
export function auditHashAt(db: Db, seq: number): { hash: string } | undefined {
  return db.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(seq) as { hash: string } | undefined;
}
