import { LambdaZChoice } from '../../../shared/api/pk';
import type { PkInterval, TimeBasis } from '../../../shared/pk/profiles';
import type { Db } from '../store/db';

// Reviewers' lambda_z choices (table pk_lambda_z_choice, migration 2): append-only; the latest row for
// a snapshot × subject × analyte × interval is the one in force. Choices apply to the snapshot they
// were made on (a later cut may add points, so they are not carried over silently).

export interface StoredChoice {
  id: number;
  usubjid: string;
  analyte: string;
  interval: PkInterval;
  timeBasis: TimeBasis;
  choice: LambdaZChoice;
  reason: string | null;
  by: string;
  at: string;
}

interface Row {
  choice_id: number;
  usubjid: string;
  analyte: string;
  interval: PkInterval;
  time_basis: TimeBasis;
  choice: string;
  reason: string | null;
  made_by: string;
  made_at: string;
}

const toStored = (r: Row): StoredChoice => ({
  id: r.choice_id,
  usubjid: r.usubjid,
  analyte: r.analyte,
  interval: r.interval,
  timeBasis: r.time_basis,
  choice: LambdaZChoice.parse(JSON.parse(r.choice)),
  reason: r.reason,
  by: r.made_by,
  at: r.made_at,
});

export function insertChoice(
  db: Db,
  c: { studyId: string; snapshotId: number; usubjid: string; analyte: string; interval: PkInterval; timeBasis: TimeBasis; choice: LambdaZChoice; reason: string | null; by: string; at: string },
): number {
  const r = db
    .prepare(
      `INSERT INTO pk_lambda_z_choice (study_id, snapshot_id, usubjid, analyte, interval, time_basis, choice, reason, made_by, made_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(c.studyId, c.snapshotId, c.usubjid, c.analyte, c.interval, c.timeBasis, JSON.stringify(c.choice), c.reason, c.by, c.at);
  return Number(r.lastInsertRowid);
}

/** The choice in force per subject for one analyte and interval (latest row wins). */
export function latestChoices(db: Db, snapshotId: number, analyte: string, interval: PkInterval): Map<string, StoredChoice> {
  const rows = db
    .prepare(
      `SELECT * FROM pk_lambda_z_choice WHERE snapshot_id = ? AND analyte = ? AND interval = ? ORDER BY choice_id`,
    )
    .all(snapshotId, analyte, interval) as Row[];
  const out = new Map<string, StoredChoice>();
  for (const r of rows) out.set(r.usubjid, toStored(r));
  return out;
}

export function choiceHistory(db: Db, snapshotId: number, usubjid?: string): StoredChoice[] {
  const rows = (
    usubjid === undefined
      ? db.prepare(`SELECT * FROM pk_lambda_z_choice WHERE snapshot_id = ? ORDER BY choice_id`).all(snapshotId)
      : db.prepare(`SELECT * FROM pk_lambda_z_choice WHERE snapshot_id = ? AND usubjid = ? ORDER BY choice_id`).all(snapshotId, usubjid)
  ) as Row[];
  return rows.map(toStored);
}
