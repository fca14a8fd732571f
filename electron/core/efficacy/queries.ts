import type { RsRecord, TrRecord, TuRecord } from '../../../shared/efficacy/records';
import type { Db } from '../store/db';

// The efficacy queries: TU / TR / RS records per subject, deaths (DM and DS), and every subject's
// latest dated record (last known alive). SQL only; the rules are in shared/efficacy/.

export interface TumourRecords {
  tu: TuRecord[];
  tr: TrRecord[];
  rs: RsRecord[];
}

function bucket(map: Map<string, TumourRecords>, usubjid: string): TumourRecords {
  let b = map.get(usubjid);
  if (!b) map.set(usubjid, (b = { tu: [], tr: [], rs: [] }));
  return b;
}

/** TU, TR and RS records of a snapshot, by subject, in file order. */
export function loadTumourRecords(db: Db, snapshotId: number): Map<string, TumourRecords> {
  const by = new Map<string, TumourRecords>();
  const tu = db
    .prepare(
      `SELECT usubjid, tulnkid, coalesce(tustresc, tuorres) result, tuloc, json_extract(extra, '$.TULOCDTL'), tueval, json_extract(extra, '$.TUEVALID'), tudtc
       FROM rec_tu WHERE snapshot_id = ? ORDER BY usubjid, row_no`,
    )
    .raw()
    .all(snapshotId) as [string, string | null, string | null, string | null, string | null, string | null, string | null, string | null][];
  for (const [u, linkId, result, loc, locDetail, evaluator, evaluatorId, dtc] of tu) bucket(by, u).tu.push({ linkId, result, loc, locDetail, evaluator, evaluatorId, dtc });
  const tr = db
    .prepare(
      `SELECT usubjid, trlnkid, trtestcd, trstresn, coalesce(trstresc, trorres), treval, trevalid, tracptfl, trdtc
       FROM rec_tr WHERE snapshot_id = ? ORDER BY usubjid, row_no`,
    )
    .raw()
    .all(snapshotId) as [string, string | null, string, number | null, string | null, string | null, string | null, string | null, string | null][];
  for (const [u, linkId, testcd, value, text, evaluator, evaluatorId, accepted, dtc] of tr)
    bucket(by, u).tr.push({ linkId, testcd, value, text, evaluator, evaluatorId, accepted, dtc });
  const rs = db
    .prepare(`SELECT usubjid, rstestcd, coalesce(rsstresc, rsorres), rseval, rsevalid, rsacptfl, rsdtc, rscat FROM rec_rs WHERE snapshot_id = ? ORDER BY usubjid, row_no`)
    .raw()
    .all(snapshotId) as [string, string, string | null, string | null, string | null, string | null, string | null, string | null][];
  for (const [u, testcd, response, evaluator, evaluatorId, accepted, dtc, category] of rs)
    bucket(by, u).rs.push({ testcd, response, evaluator, evaluatorId, accepted, dtc, category });
  return by;
}

export interface DeathFacts {
  /** DM DTHDTC, else the DS DEATH record's DSSTDTC (may be partial). */
  dtc: string | null;
  /** DM DTHFL = Y, a DTHDTC, or a DS DEATH record. */
  died: boolean;
}

/** Deaths from DM (DTHDTC, DTHFL) and DS (DSDECOD = DEATH). */
export function loadDeaths(db: Db, snapshotId: number): Map<string, DeathFacts> {
  const out = new Map<string, DeathFacts>();
  for (const r of db.prepare(`SELECT usubjid, dthdtc, dthfl FROM rec_dm WHERE snapshot_id = ?`).all(snapshotId) as { usubjid: string; dthdtc: string | null; dthfl: string | null }[]) {
    const dtc = r.dthdtc && r.dthdtc.trim() !== '' ? r.dthdtc.trim() : null;
    if (dtc || (r.dthfl ?? '').toUpperCase() === 'Y') out.set(r.usubjid, { dtc, died: true });
  }
  for (const r of db
    .prepare(`SELECT usubjid, dsstdtc FROM rec_ds WHERE snapshot_id = ? AND upper(dsdecod) = 'DEATH' ORDER BY usubjid, row_no`)
    .all(snapshotId) as { usubjid: string; dsstdtc: string | null }[]) {
    const prev = out.get(r.usubjid);
    const dtc = r.dsstdtc && r.dsstdtc.trim() !== '' ? r.dsstdtc.trim() : null;
    if (!prev) out.set(r.usubjid, { dtc, died: true });
    else if (!prev.dtc && dtc) prev.dtc = dtc;
  }
  return out;
}

// Dated variables of every subject-level domain (death records excluded): the last known alive date.
const DATED: ReadonlyArray<[table: string, columns: string[], where?: string]> = [
  ['rec_dm', ['rfstdtc', 'rfendtc', 'rfxstdtc', 'rfxendtc']],
  ['rec_ex', ['exstdtc', 'exendtc']],
  ['rec_ae', ['aestdtc', 'aeendtc']],
  ['rec_ds', ['dsstdtc'], `upper(dsdecod) <> 'DEATH'`],
  ['rec_tu', ['tudtc']],
  ['rec_tr', ['trdtc']],
  ['rec_rs', ['rsdtc']],
  ['rec_pc', ['pcdtc']],
  ['rec_is', ['isdtc']],
  ['rec_lb', ['lbdtc']],
  ['rec_vs', ['vsdtc']],
];

/**
 * Per subject, the latest date (first 10 characters of the ISO value, so possibly partial) of any
 * non-death record on or before the cut-off. ISO 8601 strings order as dates; a partial value sorts
 * just before the days it covers, which its earliest day (the value used) agrees with.
 */
export function loadLastRecordDates(db: Db, snapshotId: number, cutoff: string | null): Map<string, string> {
  const parts: string[] = [];
  for (const [table, cols, where] of DATED)
    for (const c of cols) parts.push(`SELECT usubjid, substr(${c}, 1, 10) d FROM ${table} WHERE snapshot_id = @id AND ${c} IS NOT NULL AND ${c} <> ''${where ? ` AND ${where}` : ''}`);
  const rows = db
    .prepare(`SELECT usubjid, max(d) d FROM (${parts.join(' UNION ALL ')}) WHERE @cut IS NULL OR d <= @cut GROUP BY usubjid`)
    .all({ id: snapshotId, cut: cutoff }) as { usubjid: string; d: string }[];
  return new Map(rows.map((r) => [r.usubjid, r.d]));
}

