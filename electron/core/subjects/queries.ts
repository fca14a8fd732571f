import type { Db } from '../store/db';

// SQL of the subjects feature (subject facts are shared: electron/core/queries/subjects.ts).

/** Whether a domain's table (rec_<domain>, from a fixed list, never user input) holds a row of the snapshot. */
export function domainHasRows(db: Db, table: string, snapshotId: number): boolean {
  return db.prepare(`SELECT 1 FROM rec_${table} WHERE snapshot_id = ? LIMIT 1`).get(snapshotId) !== undefined;
}

export interface DmExtraRow {
  usubjid: string;
  race: string | null;
  country: string | null;
}

export function loadDmRaceCountry(db: Db, snapshotId: number): DmExtraRow[] {
  return db.prepare(`SELECT usubjid, race, country FROM rec_dm WHERE snapshot_id = ?`).all(snapshotId) as DmExtraRow[];
}

export interface ExAdminRow {
  usubjid: string;
  exstdtc: string;
  exendtc: string | null;
  exdose: number | null;
  exdosu: string | null;
}

/** EX records with a start date, per subject in time order. */
export function loadExAdministrations(db: Db, snapshotId: number): ExAdminRow[] {
  return db
    .prepare(`SELECT usubjid, exstdtc, exendtc, exdose, exdosu FROM rec_ex WHERE snapshot_id = ? AND exstdtc IS NOT NULL ORDER BY usubjid, exstdtc, row_no`)
    .all(snapshotId) as ExAdminRow[];
}

export interface DsRow {
  usubjid: string;
  dsdecod: string;
  dsterm: string | null;
  dscat: string | null;
  dsstdtc: string | null;
}

export function loadDisposition(db: Db, snapshotId: number): DsRow[] {
  return db.prepare(`SELECT usubjid, dsdecod, dsterm, dscat, dsstdtc FROM rec_ds WHERE snapshot_id = ? ORDER BY usubjid, dsstdtc, row_no`).all(snapshotId) as DsRow[];
}

export interface LbRow {
  lbtestcd: string;
  lbtest: string | null;
  lbstresn: number | null;
  lbstresc: string | null;
  lbstresu: string | null;
  lbnrind: string | null;
  lbtoxgr: string | null;
  lbdtc: string | null;
  row_no: number;
  lo: unknown;
  hi: unknown;
}

/** One subject's LB records, with LBSTNRLO/LBSTNRHI from the row's bag of non-typed variables (store/domains.ts). */
export function loadSubjectLabs(db: Db, snapshotId: number, usubjid: string): LbRow[] {
  return db
    .prepare(
      `SELECT lbtestcd, lbtest, lbstresn, lbstresc, lbstresu, lbnrind, lbtoxgr, lbdtc, row_no,
              json_extract(extra, '$.LBSTNRLO') lo, json_extract(extra, '$.LBSTNRHI') hi
       FROM rec_lb WHERE snapshot_id = ? AND usubjid = ? ORDER BY lbtestcd, lbdtc, row_no`,
    )
    .all(snapshotId, usubjid) as LbRow[];
}
