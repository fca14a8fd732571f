import { aeKey } from '../../../shared/safety/aeTables';
import type { DispositionRecord } from '../../../shared/endOfTreatment';
import type { DsDeath } from '../../../shared/safety/index';
import type { Db } from '../store/db';

// SQL of the safety feature's AE tables (most AE reading is shared: electron/core/queries/subjects.ts).

/**
 * SUPPAE action per treatment (QNAM AEACN1, AEACN2, … as SDTMIG v3.4 gives for AEACN = MULTIPLE),
 * keyed by subject and AESEQ (IDVAR AESEQ), in QNAM order.
 */
export function loadSuppAeacn(db: Db, snapshotId: number): Map<string, string[]> {
  const rows = db
    .prepare(`SELECT usubjid, idvarval, qval FROM rec_suppae WHERE snapshot_id = ? AND upper(qnam) GLOB 'AEACN[0-9A-Z]*' AND upper(idvar) = 'AESEQ' AND qval IS NOT NULL AND qval <> '' ORDER BY usubjid, idvarval, qnam, row_no`)
    .all(snapshotId) as { usubjid: string; idvarval: string; qval: string }[];
  const m = new Map<string, string[]>();
  for (const r of rows) {
    const k = aeKey({ usubjid: r.usubjid, aeseq: Number(r.idvarval) });
    let l = m.get(k);
    if (!l) m.set(k, (l = []));
    l.push(r.qval);
  }
  return m;
}

/** DS records of death (DSDECOD = DEATH, CDISC CT C66727). */
export function dsDeaths(db: Db, snapshotId: number): DsDeath[] {
  return db
    .prepare(`SELECT usubjid, dsstdtc, dsterm FROM rec_ds WHERE snapshot_id = ? AND upper(dsdecod) = 'DEATH' ORDER BY usubjid, dsstdtc`)
    .all(snapshotId) as DsDeath[];
}

/** Cohort of each subject from SUPPDM (QNAM COHORT / COHORTID). */
export function cohortsOf(db: Db, snapshotId: number): Map<string, string> {
  const rows = db
    .prepare(`SELECT usubjid, qval FROM rec_suppdm WHERE snapshot_id = ? AND upper(qnam) IN ('COHORT', 'COHORTID', 'COHORTN') AND qval IS NOT NULL AND qval <> '' ORDER BY usubjid, row_no`)
    .all(snapshotId) as { usubjid: string; qval: string }[];
  const m = new Map<string, string>();
  for (const r of rows) if (!m.has(r.usubjid)) m.set(r.usubjid, r.qval);
  return m;
}

/** AE rows with a fatal outcome (AEOUT = FATAL or AESDTH = Y), with their file and row for a located query. */
export function fatalAeRowsLocated(db: Db, snapshotId: number): { file_name: string; row_no: number; aeser: string | null; aeout: string | null; aesdth: string | null }[] {
  return db
    .prepare(
      `SELECT f.file_name, a.row_no, a.aeser, a.aeout, json_extract(a.extra, '$.AESDTH') aesdth
       FROM rec_ae a JOIN snapshot_file f ON f.file_id = a.file_id
       WHERE a.snapshot_id = ? AND (upper(a.aeout) = 'FATAL' OR upper(json_extract(a.extra, '$.AESDTH')) = 'Y')
       ORDER BY f.file_name, a.row_no`,
    )
    .all(snapshotId) as { file_name: string; row_no: number; aeser: string | null; aeout: string | null; aesdth: string | null }[];
}

/** AE rows with a fatal outcome (AEOUT = FATAL or AESDTH = Y): their seriousness fields. */
export function fatalAeRows(db: Db, snapshotId: number): { aeser: string | null; aeout: string | null; aesdth: string | null }[] {
  return db
    .prepare(`SELECT aeser, aeout, json_extract(extra, '$.AESDTH') aesdth FROM rec_ae WHERE snapshot_id = ? AND (upper(aeout) = 'FATAL' OR upper(json_extract(extra, '$.AESDTH')) = 'Y')`)
    .all(snapshotId) as { aeser: string | null; aeout: string | null; aesdth: string | null }[];
}

/** DS records per subject, dated ones first in date order, then file order. */
export function mappingDsRows(db: Db, snapshotId: number): (DispositionRecord & { usubjid: string })[] {
  return db
    .prepare(`SELECT usubjid, dsdecod, dsterm, dscat, dsscat, epoch, dsstdtc FROM rec_ds WHERE snapshot_id = ? ORDER BY usubjid, dsstdtc IS NULL, dsstdtc, row_no`)
    .all(snapshotId) as (DispositionRecord & { usubjid: string })[];
}

/** EX rows: subject, start and dose. */
export function exRows(db: Db, snapshotId: number): { usubjid: string; exstdtc: string | null; exdose: number | null }[] {
  return db.prepare(`SELECT usubjid, exstdtc, exdose FROM rec_ex WHERE snapshot_id = ?`).all(snapshotId) as { usubjid: string; exstdtc: string | null; exdose: number | null }[];
}
