import type { ExRecord } from '../../../shared/exposureIntensity';
import type { Db } from '../store/db';

// EX rows as the exposure rules read them: the typed columns plus EXOCCUR and EXADJ, which are kept
// in the row's `extra` bag (they are not typed EX variables in store/domains.ts).

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v).trim() || null);

/** Every EX row of the snapshot by subject, in file order. */
export function loadExRecords(db: Db, snapshotId: number): Map<string, ExRecord[]> {
  const rows = db
    .prepare(
      `SELECT e.usubjid, e.exstdtc, e.exendtc, json_extract(e.extra, '$.EXDOSFRQ') freq, e.exdose, e.exdosu, e.row_no, f.file_name,
              json_extract(e.extra, '$.EXOCCUR') occur, json_extract(e.extra, '$.EXADJ') adj
       FROM rec_ex e LEFT JOIN snapshot_file f ON f.file_id = e.file_id WHERE e.snapshot_id = ? ORDER BY e.usubjid, f.file_name, e.row_no`,
    )
    .all(snapshotId) as { usubjid: string; exstdtc: string | null; exendtc: string | null; freq: unknown; exdose: number | null; exdosu: string | null; row_no: number; file_name: string | null; occur: unknown; adj: unknown }[];
  const out = new Map<string, ExRecord[]>();
  for (const r of rows) {
    let l = out.get(r.usubjid);
    if (!l) out.set(r.usubjid, (l = []));
    l.push({ startDtc: text(r.exstdtc), endDtc: text(r.exendtc), freq: text(r.freq), dose: r.exdose, unit: text(r.exdosu), occur: text(r.occur), adj: text(r.adj), file: r.file_name, rowNo: r.row_no });
  }
  return out;
}
