import type { EcgRecord } from '../../../shared/ecg';
import type { Db } from '../store/db';
import { limitOf } from '../labs/queries';

// EG and VS rows as the ECG rules read them. EG is not one of the typed domains: its rows are kept
// whole in rec_generic (every variable in `extra`); VS is typed (rec_vs) with --BLFL in `extra`.

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v).trim() || null);
const yes = (v: unknown) => typeof v === 'string' && v.trim().toUpperCase() === 'Y';

/** The standard result (--STRESN, --STRESU) when there is one, else the original (--ORRES numeric, --ORRESU). */
function result(stresn: unknown, stresc: unknown, stresu: unknown, orres: unknown, orresu: unknown): { value: number | null; text: string | null; unit: string | null } {
  const sn = limitOf(stresn);
  if (sn !== null) return { value: sn, text: text(stresc), unit: text(stresu) };
  if (text(stresc) !== null) return { value: limitOf(stresc), text: text(stresc), unit: text(stresu) };
  return { value: limitOf(orres), text: text(orres), unit: text(orresu) };
}

/** Every EG row of the snapshot, in file order. */
export function loadEgRows(db: Db, snapshotId: number): EcgRecord[] {
  const rows = db
    .prepare(
      `SELECT g.row_no, g.usubjid, g.extra, f.file_name FROM rec_generic g LEFT JOIN snapshot_file f ON f.file_id = g.file_id
       WHERE g.snapshot_id = ? AND g.domain = 'EG' ORDER BY f.file_name, g.row_no`,
    )
    .all(snapshotId) as { row_no: number; usubjid: string | null; extra: string | null; file_name: string | null }[];
  return rows.map((r) => {
    const x = JSON.parse(r.extra ?? '{}') as Record<string, unknown>;
    return {
      usubjid: r.usubjid ?? '',
      domain: 'EG' as const,
      testcd: (text(x.EGTESTCD) ?? '').toUpperCase(),
      test: text(x.EGTEST),
      dtc: text(x.EGDTC),
      tpt: text(x.EGTPT),
      repnum: text(x.EGREPNUM),
      ...result(x.EGSTRESN, x.EGSTRESC, x.EGSTRESU, x.EGORRES, x.EGORRESU),
      baselineFlag: yes(x.EGBLFL) || yes(x.EGLOBXFL),
      file: r.file_name,
      rowNo: r.row_no,
    };
  });
}

/** Every VS row of the snapshot (all tests; the ECG rules read heart rate only). */
export function loadVsRows(db: Db, snapshotId: number): EcgRecord[] {
  const rows = db
    .prepare(
      `SELECT v.row_no, v.usubjid, v.vstestcd, v.vstest, v.vsdtc, v.vstpt, v.vsstresn, v.vsstresc, v.vsstresu, v.vsorres, f.file_name,
              json_extract(v.extra, '$.VSORRESU') orresu, json_extract(v.extra, '$.VSBLFL') blfl, json_extract(v.extra, '$.VSLOBXFL') lobxfl,
              json_extract(v.extra, '$.VSREPNUM') repnum
       FROM rec_vs v LEFT JOIN snapshot_file f ON f.file_id = v.file_id WHERE v.snapshot_id = ? ORDER BY f.file_name, v.row_no`,
    )
    .all(snapshotId) as {
    row_no: number; usubjid: string | null; vstestcd: string | null; vstest: string | null; vsdtc: string | null; vstpt: string | null;
    vsstresn: number | null; vsstresc: string | null; vsstresu: string | null; vsorres: string | null; file_name: string | null; orresu: unknown; blfl: unknown; lobxfl: unknown; repnum: unknown;
  }[];
  return rows.map((r) => ({
    usubjid: r.usubjid ?? '',
    domain: 'VS' as const,
    testcd: (r.vstestcd ?? '').trim().toUpperCase(),
    test: r.vstest,
    dtc: text(r.vsdtc),
    tpt: text(r.vstpt),
    repnum: text(r.repnum),
    ...result(r.vsstresn, r.vsstresc, r.vsstresu, r.vsorres, r.orresu),
    baselineFlag: yes(r.blfl) || yes(r.lobxfl),
    file: r.file_name,
    rowNo: r.row_no,
  }));
}

/** Which of EG and VS the snapshot holds (a file placed in the domain). */
export function domainsPresent(db: Db, snapshotId: number): Set<string> {
  const rows = db.prepare(`SELECT DISTINCT domain FROM snapshot_file WHERE snapshot_id = ? AND domain IN ('EG', 'VS')`).all(snapshotId) as { domain: string }[];
  return new Set(rows.map((r) => r.domain));
}

/** Whether the snapshot holds any EG row. */
export function hasEgRows(db: Db, snapshotId: number): boolean {
  return (db.prepare(`SELECT count(*) n FROM rec_generic WHERE snapshot_id = ? AND domain = 'EG'`).get(snapshotId) as { n: number }).n > 0;
}

