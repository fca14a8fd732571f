import type { LabRecord } from '../../../shared/labs';
import { GRADED_TESTCDS } from '../../../shared/labs';
import type { Db } from '../store/db';

// LB rows as the laboratory-safety rules read them. LBSTNRLO, LBSTNRHI, LBBLFL and LBLOBXFL are
// kept in the row's bag of non-typed variables (store/domains.ts).

export interface LbRow extends LabRecord {
  file: string | null;
}

/** A normal-range limit as a number: numeric, or a numeric string; anything else is null. */
export function limitOf(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string' || v.trim() === '') return null;
  const n = Number(v.trim());
  return Number.isFinite(n) ? n : null;
}

/** Every LB row of the snapshot (all tests), or of one subject, in file order. */
export function loadLbRows(db: Db, snapshotId: number, usubjid?: string): LbRow[] {
  const rows = db
    .prepare(
      `SELECT l.usubjid, l.lbtestcd, l.lbdtc, l.lbstresn, l.lbstresc, l.lbstresu, l.lbtoxgr, l.lbnrind, l.row_no, f.file_name,
              json_extract(l.extra, '$.LBSTNRLO') lo, json_extract(l.extra, '$.LBSTNRHI') hi,
              json_extract(l.extra, '$.LBBLFL') blfl, json_extract(l.extra, '$.LBLOBXFL') lobxfl
       FROM rec_lb l LEFT JOIN snapshot_file f ON f.file_id = l.file_id
       WHERE l.snapshot_id = ?${usubjid === undefined ? '' : ' AND l.usubjid = ?'} ORDER BY l.usubjid, l.lbtestcd, l.lbdtc, l.row_no`,
    )
    .all(...(usubjid === undefined ? [snapshotId] : [snapshotId, usubjid])) as {
    usubjid: string; lbtestcd: string; lbdtc: string | null; lbstresn: number | null; lbstresc: string | null; lbstresu: string | null;
    lbtoxgr: string | null; lbnrind: string | null; row_no: number; file_name: string | null; lo: unknown; hi: unknown; blfl: unknown; lobxfl: unknown;
  }[];
  const yes = (v: unknown) => typeof v === 'string' && v.trim().toUpperCase() === 'Y';
  return rows.map((r) => ({
    usubjid: r.usubjid,
    testcd: (r.lbtestcd ?? '').trim().toUpperCase(),
    dtc: r.lbdtc,
    value: typeof r.lbstresn === 'number' && Number.isFinite(r.lbstresn) ? r.lbstresn : null,
    text: r.lbstresc,
    unit: r.lbstresu,
    lln: limitOf(r.lo),
    uln: limitOf(r.hi),
    toxgr: r.lbtoxgr,
    nrind: r.lbnrind,
    baselineFlag: yes(r.blfl) || yes(r.lobxfl),
    rowNo: r.row_no,
    file: r.file_name,
  }));
}

/** Rows of the tests the CTCAE rules grade. */
export const isGradedTest = (r: { testcd: string }): boolean => GRADED_TESTCDS.has(r.testcd);

/** How many LB rows the snapshot holds. */
export function lbRowCount(db: Db, snapshotId: number): number {
  return (db.prepare('SELECT count(*) n FROM rec_lb WHERE snapshot_id = ?').get(snapshotId) as { n: number }).n;
}

