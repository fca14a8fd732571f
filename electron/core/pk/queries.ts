import type { ExRecord, PcRecord, PkInterval, TimeBasis, WeightRecord } from '../../../shared/pk/profiles';
import type { UrineRecord } from '../../../shared/pk/urine';
import type { Db } from '../store/db';

// The records the PK rules need from a snapshot (bound parameters only). Rules: shared/pk.

/** A PC record that was not reported as not done (PCSTAT). */
const SAMPLE_DONE = "(pcstat IS NULL OR upper(pcstat) <> 'NOT DONE')";

/** SQL that keeps only the given subjects (the index on snapshot_id, usubjid finds them), with its parameters. */
const onlySubjects = (usubjids?: readonly string[]) => (usubjids ? 'AND usubjid IN (SELECT value FROM json_each(?))' : '');
const params = (snapshotId: number, usubjids?: readonly string[]) => (usubjids ? [snapshotId, JSON.stringify(usubjids)] : [snapshotId]);

const PC_COLUMNS = 'usubjid, pctestcd, pcspec, pcstresn, pcstresc, pcstresu, pclloq, pcdtc, pcrftdtc, pceltm, pctptnum, visit';

/**
 * PC records (one analyte when `analyte` is given), in subject, analyte, sampling time order. Rows are
 * read as arrays (`.raw()`) and built into records of one fixed shape: better-sqlite3's named-column
 * objects cost ten times the SQL at 600,000 samples.
 */
export function loadPc(db: Db, snapshotId: number, usubjids?: readonly string[], analyte?: string): PcRecord[] {
  // A few subjects (a patient profile) are picked by the index, not by reading every sample.
  const stmt = db
    .prepare(
      `SELECT ${PC_COLUMNS}
       FROM rec_pc WHERE snapshot_id = ? ${onlySubjects(usubjids)} ${analyte !== undefined ? 'AND pctestcd = ?' : ''} AND ${SAMPLE_DONE} ORDER BY usubjid, pctestcd, pcdtc, row_no`,
    )
    .raw(true);
  const args: unknown[] = params(snapshotId, usubjids);
  if (analyte !== undefined) args.push(analyte);
  const out: PcRecord[] = [];
  for (const r of stmt.iterate(...args) as Iterable<unknown[]>) {
    out.push({
      usubjid: r[0] as string,
      pctestcd: r[1] as string,
      pcspec: r[2] as string | null,
      pcstresn: r[3] as number | null,
      pcstresc: r[4] as string | null,
      pcstresu: r[5] as string | null,
      pclloq: r[6] as number | null,
      pcdtc: r[7] as string | null,
      pcrftdtc: r[8] as string | null,
      pceltm: r[9] as string | null,
      pctptnum: r[10] as number | null,
      visit: r[11] as string | null,
    });
  }
  return out;
}

/** The analytes (PCTESTCD) with at least one sample that was done, in order. */
export function loadAnalytes(db: Db, snapshotId: number): string[] {
  return (
    db.prepare(`SELECT DISTINCT pctestcd FROM rec_pc WHERE snapshot_id = ? AND ${SAMPLE_DONE} ORDER BY pctestcd`).all(snapshotId) as { pctestcd: string }[]
  ).map((r) => r.pctestcd);
}

/** The analyte × matrix pairs (PCTESTCD × PCSPEC upper-cased, '' when not given) with their sample counts (done samples). */
export function loadAvailable(db: Db, snapshotId: number, usubjids?: readonly string[]): { analyte: string; matrix: string; samples: number }[] {
  return db
    .prepare(
      `SELECT pctestcd analyte, upper(trim(coalesce(pcspec, ''))) matrix, count(*) samples FROM rec_pc
       WHERE snapshot_id = ? ${onlySubjects(usubjids)} AND ${SAMPLE_DONE} GROUP BY 1, 2 ORDER BY 1, 2`,
    )
    .all(...params(snapshotId, usubjids)) as { analyte: string; matrix: string; samples: number }[];
}

/** Urine (or other collected) samples of one analyte × matrix, with the collection end and volume (kept in the row's extra variables). */
export function loadUrine(db: Db, snapshotId: number, analyte: string, matrix: string, usubjids?: readonly string[]): UrineRecord[] {
  const rows = db
    .prepare(
      `SELECT usubjid, pctestcd, pcspec, pcstresn, pcstresc, pcstresu, pclloq, pcdtc, pcrftdtc, pceltm, pctpt, visit,
              json_extract(extra, '$.PCENDTC') pcendtc, json_extract(extra, '$.PCVOL') pcvol, json_extract(extra, '$.PCVOLU') pcvolu
       FROM rec_pc WHERE snapshot_id = ? ${onlySubjects(usubjids)} AND ${SAMPLE_DONE} AND pctestcd = ? AND upper(trim(coalesce(pcspec, ''))) = ?
       ORDER BY usubjid, pcdtc, row_no`,
    )
    .all(...params(snapshotId, usubjids), analyte, matrix) as (Omit<UrineRecord, 'pcvol'> & { pcvol: unknown })[];
  return rows.map((r) => {
    const v = r.pcvol === null || r.pcvol === '' ? null : Number(r.pcvol);
    return { ...r, pcendtc: r.pcendtc ? String(r.pcendtc) : null, pcvolu: r.pcvolu ? String(r.pcvolu) : null, pcvol: v !== null && Number.isFinite(v) ? v : null };
  });
}

/** For the mapping report: every PC row's analyte, matrix and whether it was reported not done. */
export function loadPcTally(db: Db, snapshotId: number): { analyte: string; matrix: string; notDone: number; rows: number }[] {
  return db
    .prepare(
      `SELECT pctestcd analyte, upper(trim(coalesce(pcspec, ''))) matrix,
              sum(CASE WHEN ${SAMPLE_DONE} THEN 0 ELSE 1 END) notDone, count(*) rows
       FROM rec_pc WHERE snapshot_id = ? GROUP BY 1, 2 ORDER BY 1, 2`,
    )
    .all(snapshotId) as { analyte: string; matrix: string; notDone: number; rows: number }[];
}

export function loadEx(db: Db, snapshotId: number, usubjids?: readonly string[]): ExRecord[] {
  return db
    .prepare(`SELECT usubjid, exdose, exdosu, exstdtc, exendtc, exroute, visit FROM rec_ex WHERE snapshot_id = ? ${onlySubjects(usubjids)} ORDER BY usubjid, exstdtc, row_no`)
    .all(...params(snapshotId, usubjids)) as ExRecord[];
}

/** Body weights: VS WEIGHT (kg, or lb converted), DM WEIGHT (an extra variable) and SUPPDM QNAM WEIGHT. */
export function loadWeights(db: Db, snapshotId: number, usubjids?: readonly string[]): WeightRecord[] {
  const out: WeightRecord[] = [];
  for (const r of db
    .prepare(
      `SELECT usubjid, vsstresn, vsstresu, vsdtc, json_extract(extra, '$.VSBLFL') blfl FROM rec_vs
       WHERE snapshot_id = ? ${onlySubjects(usubjids)} AND upper(vstestcd) = 'WEIGHT' AND vsstresn IS NOT NULL`,
    )
    .all(...params(snapshotId, usubjids)) as { usubjid: string; vsstresn: number; vsstresu: string | null; vsdtc: string | null; blfl: string | null }[]) {
    const kg = toKg(r.vsstresn, r.vsstresu);
    if (kg !== null) out.push({ usubjid: r.usubjid, weightKg: kg, dtc: r.vsdtc, baseline: (r.blfl ?? '').toUpperCase() === 'Y', source: 'VS' });
  }
  for (const r of db
    .prepare(`SELECT usubjid, json_extract(extra, '$.WEIGHT') w FROM rec_dm WHERE snapshot_id = ? ${onlySubjects(usubjids)} AND json_extract(extra, '$.WEIGHT') IS NOT NULL`)
    .all(...params(snapshotId, usubjids)) as { usubjid: string; w: unknown }[]) {
    const kg = Number(r.w);
    if (kg > 0) out.push({ usubjid: r.usubjid, weightKg: kg, dtc: null, baseline: true, source: 'DM' });
  }
  for (const r of db
    .prepare(`SELECT usubjid, qval FROM rec_suppdm WHERE snapshot_id = ? ${onlySubjects(usubjids)} AND upper(qnam) IN ('WEIGHT', 'WEIGHTBL', 'BWEIGHT')`)
    .all(...params(snapshotId, usubjids)) as { usubjid: string; qval: string }[]) {
    const kg = Number(r.qval);
    if (kg > 0) out.push({ usubjid: r.usubjid, weightKg: kg, dtc: null, baseline: true, source: 'SUPPDM' });
  }
  return out;
}

/** Reported PK parameters (PP). PPCAT usually names the analyte, PPSPEC the matrix. */
export interface PpRecord {
  usubjid: string;
  pptestcd: string;
  ppcat: string | null;
  ppspec: string | null;
  ppstresn: number | null;
  ppstresu: string | null;
  pprftdtc: string | null;
  visit: string | null;
}

export function loadPp(db: Db, snapshotId: number): PpRecord[] {
  return db
    .prepare(`SELECT usubjid, pptestcd, ppcat, ppspec, ppstresn, ppstresu, pprftdtc, visit FROM rec_pp WHERE snapshot_id = ? ORDER BY usubjid, row_no`)
    .all(snapshotId) as PpRecord[];
}

function toKg(v: number, unit: string | null): number | null {
  const u = (unit ?? 'kg').trim().toLowerCase();
  if (!(v > 0)) return null;
  if (u === 'kg' || u === '') return v;
  if (u === 'lb' || u === 'lbs' || u === '[lb_av]') return v * 0.45359237;
  if (u === 'g') return v / 1000;
  return null;
}

/** The study a snapshot belongs to. */
export function snapshotStudy(db: Db, snapshotId: number): { study_id: string } | undefined {
  return db.prepare(`SELECT study_id FROM snapshot WHERE snapshot_id = ?`).get(snapshotId) as { study_id: string } | undefined;
}

// Reviewers' lambda_z choices (table pk_lambda_z_choice, append-only; choices.ts reads the one in force).

export interface LambdaZChoiceRow {
  choice_id: number;
  usubjid: string;
  analyte: string;
  interval: PkInterval;
  time_basis: TimeBasis;
  choice: string;
  reason: string | null;
  made_by: string;
  made_at: string;
}

/** A new choice row; its id. */
export function insertChoiceRow(
  db: Db,
  c: { studyId: string; snapshotId: number; usubjid: string; analyte: string; interval: PkInterval; timeBasis: TimeBasis; choiceJson: string; reason: string | null; by: string; at: string },
): number {
  const r = db
    .prepare(
      `INSERT INTO pk_lambda_z_choice (study_id, snapshot_id, usubjid, analyte, interval, time_basis, choice, reason, made_by, made_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(c.studyId, c.snapshotId, c.usubjid, c.analyte, c.interval, c.timeBasis, c.choiceJson, c.reason, c.by, c.at);
  return Number(r.lastInsertRowid);
}

/** The choices of one analyte and interval of a snapshot, oldest first. */
export function choiceRowsOfInterval(db: Db, snapshotId: number, analyte: string, interval: PkInterval): LambdaZChoiceRow[] {
  return db.prepare(`SELECT * FROM pk_lambda_z_choice WHERE snapshot_id = ? AND analyte = ? AND interval = ? ORDER BY choice_id`).all(snapshotId, analyte, interval) as LambdaZChoiceRow[];
}

export function choiceRowsOfSnapshot(db: Db, snapshotId: number): LambdaZChoiceRow[] {
  return db.prepare(`SELECT * FROM pk_lambda_z_choice WHERE snapshot_id = ? ORDER BY choice_id`).all(snapshotId) as LambdaZChoiceRow[];
}

export function choiceRowsOfSubject(db: Db, snapshotId: number, usubjid: string): LambdaZChoiceRow[] {
  return db.prepare(`SELECT * FROM pk_lambda_z_choice WHERE snapshot_id = ? AND usubjid = ? ORDER BY choice_id`).all(snapshotId, usubjid) as LambdaZChoiceRow[];
}

/** The newest choice of a snapshot (0 = none): NCA results memoised per snapshot name it, so that a new choice is a new entry. */
export function lastChoiceId(db: Db, snapshotId: number): number {
  const r = db.prepare(`SELECT max(choice_id) id FROM pk_lambda_z_choice WHERE snapshot_id = ?`).get(snapshotId) as { id: number | null };
  return r.id ?? 0;
}
