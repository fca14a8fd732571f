import type { Db } from '../store/db';

// SQL of the audit feature (tables audit_log, audit_checkpoint; reads signing_authority, app_user and
// meeting_signature to check the anchors). The callers (log.ts, anchor.ts) hold the transactions.

export interface AuditRow {
  seq: number;
  at: string;
  user: string;
  action: string;
  entity: string;
  entity_id: string | null;
  old_value: string | null;
  new_value: string | null;
  reason: string | null;
  prev_hash: string;
  hash: string;
}

export interface CheckpointRow {
  checkpoint_id: number;
  seq: number;
  hash: string;
  at: string;
  kind: string;
  ref: string | null;
  authority_fingerprint: string;
  signature: string;
}

/** The newest entry's seq and hash (undefined when the trail is empty). */
export function auditHeadRow(db: Db): { seq: number; hash: string } | undefined {
  return db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
}

export function insertAuditRow(db: Db, row: AuditRow): void {
  db.prepare(
    `INSERT INTO audit_log (seq, at, user, action, entity, entity_id, old_value, new_value, reason, prev_hash, hash)
     VALUES (@seq, @at, @user, @action, @entity, @entity_id, @old_value, @new_value, @reason, @prev_hash, @hash)`,
  ).run(row);
}

/** Every entry in the order stored (rowid), not seq: a reordered entry must show. */
export function auditRowsInStoredOrder(db: Db): IterableIterator<AuditRow> {
  return db.prepare('SELECT * FROM audit_log ORDER BY rowid').iterate() as IterableIterator<AuditRow>;
}

/** Entries matching the filters given (user case-insensitive), by seq. */
export function auditRowsFiltered(db: Db, f: { user?: string; action?: string; entity?: string; entityId?: string }): AuditRow[] {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    where.push(clause);
    params.push(value);
  };
  if (f.user) add('user = ? COLLATE NOCASE', f.user);
  if (f.action) add('action = ?', f.action);
  if (f.entity) add('entity = ?', f.entity);
  if (f.entityId) add('entity_id = ?', f.entityId);
  return db.prepare(`SELECT * FROM audit_log ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY seq`).all(...params) as AuditRow[];
}

export function auditEntryCount(db: Db): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number }).n;
}

/** The hash of entry `seq`, undefined when it is not in the trail. */
export function auditHashAt(db: Db, seq: number): { hash: string } | undefined {
  return db.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(seq) as { hash: string } | undefined;
}

export function insertCheckpoint(db: Db, row: Omit<CheckpointRow, 'checkpoint_id'>): void {
  db.prepare('INSERT INTO audit_checkpoint (seq, hash, at, kind, ref, authority_fingerprint, signature) VALUES (@seq, @hash, @at, @kind, @ref, @authority_fingerprint, @signature)').run(row);
}

export function checkpointRows(db: Db): CheckpointRow[] {
  return db.prepare('SELECT * FROM audit_checkpoint ORDER BY checkpoint_id').all() as CheckpointRow[];
}

export function authorityCertificates(db: Db): { fingerprint: string; certificate: string }[] {
  return db.prepare('SELECT fingerprint, certificate FROM signing_authority').all() as { fingerprint: string; certificate: string }[];
}

/** When the first signing authority was created; null when there is none. */
export function authoritySince(db: Db): string | null {
  return (db.prepare('SELECT MIN(created_at) AS t FROM signing_authority').get() as { t: string | null }).t;
}

export function userAccountCount(db: Db): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM app_user').get() as { n: number }).n;
}

export function signatureCount(db: Db): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM meeting_signature').get() as { n: number }).n;
}

/** E-signatures that signed the audit head of their time, oldest first. */
export function signaturesWithAuditHead(db: Db): { signature_id: number; meeting_id: number; version: number; signed_at: string; audit_head: string }[] {
  return db
    .prepare('SELECT signature_id, meeting_id, version, signed_at, audit_head FROM meeting_signature WHERE audit_head IS NOT NULL ORDER BY signature_id')
    .all() as { signature_id: number; meeting_id: number; version: number; signed_at: string; audit_head: string }[];
}

export function signaturesAll(db: Db): { meeting_id: number; version: number; signature_id: number; signed_at: string }[] {
  return db.prepare('SELECT meeting_id, version, signature_id, signed_at FROM meeting_signature').all() as { meeting_id: number; version: number; signature_id: number; signed_at: string }[];
}
