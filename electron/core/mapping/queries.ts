import type { Db } from '../store/db';

// SQL of the mapping report.

export function snapshotExists(db: Db, snapshotId: number): boolean {
  return db.prepare('SELECT 1 FROM snapshot WHERE snapshot_id = ?').get(snapshotId) !== undefined;
}

export interface SnapshotFileRow {
  file_name: string;
  domain: string | null;
  row_count: number;
  format: string;
}

/** The snapshot's files, by name. */
export function snapshotFiles(db: Db, snapshotId: number): SnapshotFileRow[] {
  return db.prepare('SELECT file_name, domain, row_count, format FROM snapshot_file WHERE snapshot_id = ? ORDER BY file_name').all(snapshotId) as SnapshotFileRow[];
}

/** The variables of a domain the import warned about as holding partial dates. */
export function partialDateFlaggedColumns(db: Db, snapshotId: number, domain: string): string[] {
  return (
    db
      .prepare(`SELECT DISTINCT i.column_name c FROM import_issue i JOIN snapshot_file f ON f.snapshot_id = i.snapshot_id AND f.file_name = i.file WHERE i.snapshot_id = ? AND i.code = 'partial-date' AND f.domain = ?`)
      .all(snapshotId, domain) as { c: string }[]
  ).map((r) => r.c);
}

/**
 * The values shorter than a complete date (10 characters, YYYY-MM-DD) of one --DTC variable, with
 * their counts. `table` and `variable` come from the fixed DOMAINS list, never from user input.
 */
export function shortDateValueCounts(db: Db, snapshotId: number, table: string, variable: string): { value: string; n: number }[] {
  const c = variable.toLowerCase();
  return db.prepare(`SELECT ${c} value, count(*) n FROM ${table} WHERE snapshot_id = ? AND length(${c}) < 10 GROUP BY 1`).all(snapshotId) as { value: string; n: number }[];
}

/** The column lists and row counts of a domain's files. */
export function domainFileColumns(db: Db, snapshotId: number, domain: string): { columns: string; row_count: number }[] {
  return db.prepare('SELECT columns, row_count FROM snapshot_file WHERE snapshot_id = ? AND domain = ?').all(snapshotId, domain) as { columns: string; row_count: number }[];
}
