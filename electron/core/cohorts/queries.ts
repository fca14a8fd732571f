import type { Db } from '../store/db';

// SQL of the cohorts feature (subject and AE reading is shared: electron/core/queries/subjects.ts).

export interface SnapshotDefinitionRow {
  definition: string;
  definition_source: string;
  data_cutoff: string | null;
  study_def: string;
  study_source: string;
}

/** A snapshot's own study definition and its study's, with their sources and the snapshot's data cut-off. */
export function snapshotDefinitionRow(db: Db, snapshotId: number): SnapshotDefinitionRow | undefined {
  return db
    .prepare(
      `SELECT n.definition, n.definition_source, n.data_cutoff, s.definition study_def, s.definition_source study_source
       FROM snapshot n JOIN study s ON s.study_id = n.study_id WHERE n.snapshot_id = ?`,
    )
    .get(snapshotId) as SnapshotDefinitionRow | undefined;
}
