import type { Db } from '../store/db';
import { DOMAINS } from '../store/domains';

// SQL of review marks (issue 15 item 2): the subjects' records of a snapshot in every domain, the
// marks (append-only, migration 6) and the acknowledgements of unreviewed subjects at a meeting.
// Table names come from the fixed DOMAINS list, never from input.

/** One stored record of a subject: its domain, its stored natural key, and its variables (typed columns + extra bag). */
export interface StoredSubjectRecord {
  usubjid: string;
  domain: string;
  /** The natural key as stored (rec_key: the key's values joined by U+001F). */
  recKey: string;
  /** Whether the domain is kept whole (rec_generic): its rec_key is USUBJID + --SEQ. */
  generic: boolean;
  values: Record<string, string | number | boolean | null>;
}

/** Every record of the given subjects in one snapshot, in every subject-level domain (TS is not). */
export function subjectRecordsOf(db: Db, snapshotId: number, usubjids: readonly string[]): StoredSubjectRecord[] {
  const out: StoredSubjectRecord[] = [];
  const subjects = JSON.stringify(usubjids);
  for (const d of DOMAINS) {
    if (!d.subjectLevel) continue;
    const cols = d.variables.map((v) => v.name.toLowerCase());
    const rows = db
      .prepare(`SELECT rec_key, extra, ${cols.join(', ')} FROM ${d.table} WHERE snapshot_id = ? AND usubjid IN (SELECT value FROM json_each(?)) ORDER BY row_no`)
      .all(snapshotId, subjects) as Record<string, string | number | null>[];
    for (const r of rows) {
      const values: Record<string, string | number | boolean | null> = r.extra ? (JSON.parse(r.extra as string) as Record<string, string | number | null>) : {};
      for (const v of d.variables) values[v.name] = r[v.name.toLowerCase()] ?? null;
      out.push({ usubjid: String(r.usubjid), domain: d.domain, recKey: String(r.rec_key), generic: false, values });
    }
  }
  const generic = db
    .prepare('SELECT usubjid, domain, rec_key, extra FROM rec_generic WHERE snapshot_id = ? AND usubjid IN (SELECT value FROM json_each(?)) ORDER BY domain, row_no')
    .all(snapshotId, subjects) as { usubjid: string; domain: string; rec_key: string; extra: string | null }[];
  for (const r of generic) out.push({ usubjid: r.usubjid, domain: r.domain, recKey: r.rec_key, generic: true, values: r.extra ? (JSON.parse(r.extra) as Record<string, string | number | null>) : {} });
  return out;
}

/** Subjects (DM) of a snapshot, in order. */
export function snapshotSubjects(db: Db, snapshotId: number): string[] {
  return (db.prepare('SELECT usubjid FROM rec_dm WHERE snapshot_id = ? AND usubjid IS NOT NULL ORDER BY usubjid').all(snapshotId) as { usubjid: string }[]).map((r) => r.usubjid);
}

export interface MarkRow {
  mark_id: number;
  study_id: string;
  snapshot_id: number;
  usubjid: string;
  action: 'mark' | 'unmark';
  comment: string | null;
  fingerprint: string;
  records: number;
  user_id: number;
  username: string;
  printed_name: string;
  made_at: string;
  snapshot_label: string;
  snapshot_cutoff: string | null;
}

/**
 * The mark in force of each (subject, account) of a study: the latest row, when it is a mark (an
 * unmark withdraws). Only the given subjects when named.
 */
export function marksInForce(db: Db, studyId: string, usubjids?: readonly string[]): MarkRow[] {
  return db
    .prepare(
      `SELECT m.*, s.label snapshot_label, s.data_cutoff snapshot_cutoff FROM review_mark m JOIN snapshot s ON s.snapshot_id = m.snapshot_id
       WHERE m.study_id = ? ${usubjids ? 'AND m.usubjid IN (SELECT value FROM json_each(?))' : ''}
         AND m.mark_id = (SELECT max(x.mark_id) FROM review_mark x WHERE x.study_id = m.study_id AND x.usubjid = m.usubjid AND x.user_id = m.user_id)
         AND m.action = 'mark'
       ORDER BY m.usubjid, m.made_at, m.mark_id`,
    )
    .all(...(usubjids ? [studyId, JSON.stringify(usubjids)] : [studyId])) as MarkRow[];
}

export interface NewMark {
  studyId: string;
  snapshotId: number;
  usubjid: string;
  action: 'mark' | 'unmark';
  comment: string | null;
  fingerprint: string;
  records: number;
  userId: number;
  username: string;
  printedName: string;
  madeAt: string;
}

export function insertMark(db: Db, m: NewMark): number {
  return Number(
    db
      .prepare(
        `INSERT INTO review_mark (study_id, snapshot_id, usubjid, action, comment, fingerprint, records, user_id, username, printed_name, made_at)
         VALUES (@studyId, @snapshotId, @usubjid, @action, @comment, @fingerprint, @records, @userId, @username, @printedName, @madeAt)`,
      )
      .run(m).lastInsertRowid,
  );
}

export interface AckRow {
  ack_id: number;
  meeting_id: number;
  version: number;
  snapshot_id: number;
  stage: 'start' | 'lock';
  subjects: string;
  username: string;
  made_at: string;
}

export function insertAcknowledgement(db: Db, a: { meetingId: number; version: number; snapshotId: number; stage: 'start' | 'lock'; subjects: string; userId: number; username: string; madeAt: string }): number {
  return Number(
    db
      .prepare(
        `INSERT INTO review_acknowledgement (meeting_id, version, snapshot_id, stage, subjects, user_id, username, made_at)
         VALUES (@meetingId, @version, @snapshotId, @stage, @subjects, @userId, @username, @madeAt)`,
      )
      .run(a).lastInsertRowid,
  );
}

export function acknowledgementsOf(db: Db, meetingId: number): AckRow[] {
  return db.prepare('SELECT * FROM review_acknowledgement WHERE meeting_id = ? ORDER BY ack_id').all(meetingId) as AckRow[];
}
