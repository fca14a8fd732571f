import type { MeetingStatus, RecordVersion, Signature } from '../../../shared/meeting';
import { CallError } from '../context';
import type { Db } from '../store/db';

// SQL of meetings (tables meeting, meeting_version, meeting_signature, meeting_figure; migration 3).
// Triggers refuse edits of a locked version, backwards status moves and any change to signatures.

export interface VersionRow {
  meeting_id: number;
  version: number;
  status: MeetingStatus;
  record: string;
  record_hash: string | null;
  created_at: string;
  created_by: string;
  distribution: string | null;
}

export interface StoredVersion {
  row: VersionRow;
  /** The record exactly as stored (what is hashed). */
  record: RecordVersion;
}

export function loadVersion(db: Db, meetingId: number, version?: number): StoredVersion {
  const row = (
    version === undefined
      ? db.prepare('SELECT * FROM meeting_version WHERE meeting_id = ? ORDER BY version DESC LIMIT 1').get(meetingId)
      : db.prepare('SELECT * FROM meeting_version WHERE meeting_id = ? AND version = ?').get(meetingId, version)
  ) as VersionRow | undefined;
  if (!row) throw new CallError('not-found', version === undefined ? `no meeting ${meetingId}` : `no version ${version} of meeting ${meetingId}`);
  return { row, record: JSON.parse(row.record) as RecordVersion };
}

export function latestVersion(db: Db, meetingId: number): number {
  const r = db.prepare('SELECT max(version) v FROM meeting_version WHERE meeting_id = ?').get(meetingId) as { v: number | null };
  if (r.v === null) throw new CallError('not-found', `no meeting ${meetingId}`);
  return r.v;
}

export function listVersions(db: Db, meetingId: number): VersionRow[] {
  return db.prepare('SELECT * FROM meeting_version WHERE meeting_id = ? ORDER BY version').all(meetingId) as VersionRow[];
}

export function insertVersion(db: Db, record: RecordVersion, at: string, by: string): void {
  db.prepare("INSERT INTO meeting_version (meeting_id, version, status, record, record_hash, created_at, created_by) VALUES (?, ?, 'draft', ?, NULL, ?, ?)").run(
    record.meetingId,
    record.version,
    JSON.stringify(record),
    at,
    by,
  );
}

export function saveDraft(db: Db, record: RecordVersion): void {
  db.prepare("UPDATE meeting_version SET record = ? WHERE meeting_id = ? AND version = ? AND status = 'draft'").run(JSON.stringify(record), record.meetingId, record.version);
}

interface SignatureRow {
  signature_id: number;
  meeting_id: number;
  version: number;
  user_id: number;
  key_id: number;
  username: string;
  printed_name: string;
  title: string;
  role: string;
  meaning: string;
  signed_at: string;
  time_zone: string;
  record_hash: string;
  audit_head?: string | null;
  signature: string;
}

export function loadSignatures(db: Db, meetingId: number, version: number): Signature[] {
  return (db.prepare('SELECT * FROM meeting_signature WHERE meeting_id = ? AND version = ? ORDER BY signature_id').all(meetingId, version) as SignatureRow[]).map((r) => ({
    signatureId: r.signature_id,
    meetingId: r.meeting_id,
    version: r.version,
    recordHash: r.record_hash,
    userId: r.user_id,
    username: r.username,
    printedName: r.printed_name,
    title: r.title,
    role: r.role as Signature['role'],
    meaning: r.meaning as Signature['meaning'],
    signedAt: r.signed_at,
    timeZone: r.time_zone,
    keyId: r.key_id,
    algorithm: 'Ed25519',
    signature: r.signature,
    ...(r.audit_head ? { auditHead: JSON.parse(r.audit_head) as { seq: number; hash: string } } : {}),
  }));
}

export function insertSignature(db: Db, s: Omit<Signature, 'signatureId' | 'algorithm'>): number {
  return Number(
    db
      .prepare(
        `INSERT INTO meeting_signature (meeting_id, version, user_id, key_id, username, printed_name, title, role, meaning, signed_at, time_zone, record_hash, signature, audit_head)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(s.meetingId, s.version, s.userId, s.keyId, s.username, s.printedName, s.title, s.role, s.meaning, s.signedAt, s.timeZone, s.recordHash, s.signature, s.auditHead ? JSON.stringify(s.auditHead) : null).lastInsertRowid,
  );
}

export function publicKeys(db: Db, keyIds: readonly number[]): { keyId: number; userId: number; username: string; algorithm: 'Ed25519'; publicKeyPem: string }[] {
  if (!keyIds.length) return [];
  const rows = db
    .prepare(`SELECT k.key_id, k.user_id, u.username, k.public_key FROM user_key k JOIN app_user u USING (user_id) WHERE k.key_id IN (${keyIds.map(() => '?').join(',')}) ORDER BY k.key_id`)
    .all(...keyIds) as { key_id: number; user_id: number; username: string; public_key: string }[];
  return rows.map((r) => ({ keyId: r.key_id, userId: r.user_id, username: r.username, algorithm: 'Ed25519' as const, publicKeyPem: r.public_key }));
}

export function putFigure(db: Db, sha256: string, mime: string, data: Buffer, at: string): void {
  db.prepare('INSERT OR IGNORE INTO meeting_figure (sha256, mime, data, created_at) VALUES (?, ?, ?, ?)').run(sha256, mime, data, at);
}

export function getFigure(db: Db, sha256: string): { sha256: string; mime: string; data: Buffer } | undefined {
  return db.prepare('SELECT sha256, mime, data FROM meeting_figure WHERE sha256 = ?').get(sha256) as { sha256: string; mime: string; data: Buffer } | undefined;
}

/** The latest version of every meeting (of one study, when given), the newest meeting first. */
export function latestVersions(db: Db, studyId?: string): VersionRow[] {
  return db
    .prepare(
      `SELECT v.* FROM meeting m JOIN meeting_version v ON v.meeting_id = m.meeting_id
       AND v.version = (SELECT max(version) FROM meeting_version WHERE meeting_id = m.meeting_id)
       ${studyId ? 'WHERE m.study_id = ?' : ''} ORDER BY m.meeting_id DESC`,
    )
    .all(...(studyId ? [studyId] : [])) as VersionRow[];
}

export function studyTitleAndDefinition(db: Db, studyId: string): { title: string | null; definition: string } {
  return db.prepare('SELECT title, definition FROM study WHERE study_id = ?').get(studyId) as { title: string | null; definition: string };
}

/** A new meeting; its id. */
export function insertMeeting(db: Db, studyId: string, snapshotId: number, at: string, by: string): number {
  return Number(db.prepare('INSERT INTO meeting (study_id, snapshot_id, created_at, created_by) VALUES (?, ?, ?, ?)').run(studyId, snapshotId, at, by).lastInsertRowid);
}

/** Locks a draft: the final record, its hash and status 'final' (only a version still a draft). */
export function lockVersion(db: Db, meetingId: number, version: number, recordJson: string, hash: string): void {
  db.prepare("UPDATE meeting_version SET record = ?, record_hash = ?, status = 'final' WHERE meeting_id = ? AND version = ? AND status = 'draft'").run(recordJson, hash, meetingId, version);
}

export function markSigned(db: Db, meetingId: number, version: number): void {
  db.prepare("UPDATE meeting_version SET status = 'signed' WHERE meeting_id = ? AND version = ?").run(meetingId, version);
}

export function markDistributed(db: Db, meetingId: number, version: number, distributionJson: string): void {
  db.prepare("UPDATE meeting_version SET status = 'distributed', distribution = ? WHERE meeting_id = ? AND version = ?").run(distributionJson, meetingId, version);
}
