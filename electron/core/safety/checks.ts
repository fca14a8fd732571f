import { isFatalNotSerious } from '../../../shared/safety/grades';
import type { Location } from '../import/errors';
import type { Db } from '../store/db';
import { fatalAeRowsLocated } from './queries';

// Data queries raised at import (docs/CLINICAL_RULES.md#safety-listings; "nothing ignored in silence", docs/ARCHITECTURE.md#the-flow-of-an-import): located warnings stored
// with the snapshot, one per row, so that a data manager can answer each.

/**
 * AE rows with a fatal outcome (AEOUT = FATAL or AESDTH = Y) whose AESER is not Y. An AE that results
 * in death is serious by definition (ICH E2A; SDTMIG v3.4 AE: AESDTH is a seriousness criterion),
 * so the row is inconsistent — shared/safety/grades.ts isFatalNotSerious.
 */
export function fatalNotSeriousQueries(db: Db, snapshotId: number): Location[] {
  const rows = fatalAeRowsLocated(db, snapshotId);
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
