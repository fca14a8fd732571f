import { aeKey } from '../../../shared/safety/aeTables';
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
