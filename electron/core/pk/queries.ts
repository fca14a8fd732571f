import type { ExRecord, PcRecord, WeightRecord } from '../../../shared/pk/profiles';
import type { Db } from '../store/db';

// The records the PK rules need from a snapshot (bound parameters only). Rules: shared/pk.

/** A PC record that was not reported as not done (PCSTAT). */
const SAMPLE_DONE = "(pcstat IS NULL OR upper(pcstat) <> 'NOT DONE')";

/** SQL that keeps only the given subjects (the index on snapshot_id, usubjid finds them), with its parameters. */
const onlySubjects = (usubjids?: readonly string[]) => (usubjids ? 'AND usubjid IN (SELECT value FROM json_each(?))' : '');
const params = (snapshotId: number, usubjids?: readonly string[]) => (usubjids ? [snapshotId, JSON.stringify(usubjids)] : [snapshotId]);

export function loadPc(db: Db, snapshotId: number, usubjids?: readonly string[]): PcRecord[] {
  // A few subjects (a patient profile) are picked by the index, not by reading every sample.
  return db
    .prepare(
      `SELECT usubjid, pctestcd, pcstresn, pcstresc, pcstresu, pclloq, pcdtc, pcrftdtc, pceltm, pctptnum, visit
       FROM rec_pc WHERE snapshot_id = ? ${onlySubjects(usubjids)} AND ${SAMPLE_DONE} ORDER BY usubjid, pctestcd, pcdtc, row_no`,
    )
    .all(...params(snapshotId, usubjids)) as PcRecord[];
}

/** The analytes (PCTESTCD) with at least one sample that was done, in order. */
export function loadAnalytes(db: Db, snapshotId: number): string[] {
  return (
    db.prepare(`SELECT DISTINCT pctestcd FROM rec_pc WHERE snapshot_id = ? AND ${SAMPLE_DONE} ORDER BY pctestcd`).all(snapshotId) as { pctestcd: string }[]
  ).map((r) => r.pctestcd);
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

/** Reported PK parameters (PP). PPCAT usually names the analyte. */
export interface PpRecord {
  usubjid: string;
  pptestcd: string;
  ppcat: string | null;
  ppstresn: number | null;
  ppstresu: string | null;
  pprftdtc: string | null;
  visit: string | null;
}

export function loadPp(db: Db, snapshotId: number): PpRecord[] {
  return db
    .prepare(`SELECT usubjid, pptestcd, ppcat, ppstresn, ppstresu, pprftdtc, visit FROM rec_pp WHERE snapshot_id = ? ORDER BY usubjid, row_no`)
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
