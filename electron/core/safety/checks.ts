import { isFatalNotSerious } from '../../../shared/safety/grades';
import type { Location } from '../import/errors';
import type { Db } from '../store/db';

// Data queries raised at import (docs/CLINICAL_RULES.md#safety-listings; "nothing ignored in silence", docs/ARCHITECTURE.md#the-flow-of-an-import): located warnings stored
// with the snapshot, one per row, so that a data manager can answer each.

/**
 * AE rows with a fatal outcome (AEOUT = FATAL or AESDTH = Y) whose AESER is not Y. An AE that results
 * in death is serious by definition (ICH E2A; SDTMIG v3.4 AE: AESDTH is a seriousness criterion),
 * so the row is inconsistent — shared/safety/grades.ts isFatalNotSerious.
 */
export function fatalNotSeriousQueries(db: Db, snapshotId: number): Location[] {
  const rows = db
    .prepare(
      `SELECT f.file_name, a.row_no, a.aeser, a.aeout, json_extract(a.extra, '$.AESDTH') aesdth
       FROM rec_ae a JOIN snapshot_file f ON f.file_id = a.file_id
       WHERE a.snapshot_id = ? AND (upper(a.aeout) = 'FATAL' OR upper(json_extract(a.extra, '$.AESDTH')) = 'Y')
       ORDER BY f.file_name, a.row_no`,
    )
    .all(snapshotId) as { file_name: string; row_no: number; aeser: string | null; aeout: string | null; aesdth: string | null }[];
  return rows
    .filter((r) => isFatalNotSerious(r))
    .map((r) => ({
      file: r.file_name,
      row: r.row_no,
      column: 'AESER',
      expected: `Y (the AE is fatal: ${[r.aeout?.toUpperCase() === 'FATAL' ? 'AEOUT = FATAL' : null, r.aesdth?.toUpperCase() === 'Y' ? 'AESDTH = Y' : null].filter(Boolean).join(', ')}; a fatal AE is serious)`,
      found: r.aeser === null || r.aeser === '' ? '(empty)' : r.aeser,
    }));
}
