import { LambdaZChoice } from '../../../shared/api/pk';
import type { PkInterval, TimeBasis } from '../../../shared/pk/profiles';
import type { Db } from '../store/db';
import { choiceRowsOfInterval, choiceRowsOfSnapshot, choiceRowsOfSubject, insertChoiceRow, type LambdaZChoiceRow } from './queries';

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

type Row = LambdaZChoiceRow;

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
  return insertChoiceRow(db, { ...c, choiceJson: JSON.stringify(c.choice) });
}

/** The choice in force per subject for one analyte and interval (latest row wins). */
export function latestChoices(db: Db, snapshotId: number, analyte: string, interval: PkInterval): Map<string, StoredChoice> {
  const rows = choiceRowsOfInterval(db, snapshotId, analyte, interval);
  const out = new Map<string, StoredChoice>();
  for (const r of rows) out.set(r.usubjid, toStored(r));
  return out;
}

export function choiceHistory(db: Db, snapshotId: number, usubjid?: string): StoredChoice[] {
  const rows = usubjid === undefined ? choiceRowsOfSnapshot(db, snapshotId) : choiceRowsOfSubject(db, snapshotId, usubjid);
  return rows.map(toStored);
}
