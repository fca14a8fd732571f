import type { Db } from '../store/db';

// SQL of the mapping report.

export function snapshotExists(db: Db, snapshotId: number): boolean {
  return db.prepare('SELECT 1 FROM snapshot WHERE snapshot_id = ?').get(snapshotId) !== undefined;
}
