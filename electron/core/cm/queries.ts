import type { Db } from '../store/db';

// CM rows. CM is not one of the typed domains: its rows are kept whole in rec_generic (every variable
// in `extra`), read here as text.

export interface CmRecord {
  usubjid: string;
  cmseq: number | null;
  cmtrt: string | null;
  cmdecod: string | null;
  cmclas: string | null;
  cmindc: string | null;
  cmdose: string | null;
  cmdostxt: string | null;
  cmdosu: string | null;
  cmdosfrq: string | null;
  cmroute: string | null;
  cmstdtc: string | null;
  cmendtc: string | null;
  cmstrf: string | null;
  cmenrf: string | null;
  cmenrtpt: string | null;
  file: string | null;
  rowNo: number;
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v).trim() || null);

/** Every CM row of the snapshot (optionally of some subjects), by subject and start date. */
export function loadCmRows(db: Db, snapshotId: number, usubjids?: readonly string[]): CmRecord[] {
  const rows = db
    .prepare(
      `SELECT g.row_no, g.usubjid, g.extra, f.file_name FROM rec_generic g LEFT JOIN snapshot_file f ON f.file_id = g.file_id
       WHERE g.snapshot_id = ? AND g.domain = 'CM' ${usubjids ? 'AND g.usubjid IN (SELECT value FROM json_each(?))' : ''}
       ORDER BY g.usubjid, f.file_name, g.row_no`,
    )
    // Some subjects (the patient profile's one): their rows through the subject index, not every CM row parsed.
    .all(...(usubjids ? [snapshotId, JSON.stringify(usubjids)] : [snapshotId])) as { row_no: number; usubjid: string | null; extra: string | null; file_name: string | null }[];
  const out: CmRecord[] = [];
  for (const r of rows) {
    const x = JSON.parse(r.extra ?? '{}') as Record<string, unknown>;
    const seq = Number(text(x.CMSEQ));
    out.push({
      usubjid: r.usubjid ?? '',
      cmseq: text(x.CMSEQ) !== null && Number.isFinite(seq) ? seq : null,
      cmtrt: text(x.CMTRT),
      cmdecod: text(x.CMDECOD),
      cmclas: text(x.CMCLAS),
      cmindc: text(x.CMINDC),
      cmdose: text(x.CMDOSE),
      cmdostxt: text(x.CMDOSTXT),
      cmdosu: text(x.CMDOSU),
      cmdosfrq: text(x.CMDOSFRQ),
      cmroute: text(x.CMROUTE),
      cmstdtc: text(x.CMSTDTC),
      cmendtc: text(x.CMENDTC),
      cmstrf: text(x.CMSTRF),
      cmenrf: text(x.CMENRF),
      cmenrtpt: text(x.CMENRTPT),
      file: r.file_name,
      rowNo: r.row_no,
    });
  }
  return out;
}

/** Whether the snapshot holds any CM row. */
export function cmRowCount(db: Db, snapshotId: number): number {
  return (db.prepare(`SELECT count(*) n FROM rec_generic WHERE snapshot_id = ? AND domain = 'CM'`).get(snapshotId) as { n: number }).n;
}
