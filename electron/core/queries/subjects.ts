import { toDayNumber } from '../../../shared/dates';
import { endOfStudy, endOfTreatment, type DispositionRecord } from '../../../shared/endOfTreatment';
import type { AeFacts, SubjectFacts } from '../../../shared/model';
import { isPlacebo } from '../../../shared/placebo';
import { ctcaeGrade, isFatalNotSerious } from '../../../shared/safety/grades';
import { aeRelationship } from '../../../shared/safety/aeTables';
import { snapshotMemo } from '../snapshots/memo';
import type { Db } from '../store/db';

// The review queries every view starts from: one row per subject with what the clinical rules
// need, and every AE with its DLT flag resolved from SUPPAE. SQL lives here, the rules in shared/.

// Part of the study: IBB0979 marks its expansion cohort in ARM/ARMCD; other sponsors use SUPPDM.
const EXPANSION = /EXP/i;

/** `cycleDays` (the study definition's cycleLengthDays) sizes what a single infusion covers when the end of treatment comes from EX (shared/endOfTreatment.ts). */
export function loadSubjects(db: Db, snapshotId: number, cycleDays = 21): readonly SubjectFacts[] {
  return snapshotMemo(db, snapshotId, 'subjects', cycleDays === 21 ? null : { cycleDays }, () => querySubjects(db, snapshotId, cycleDays));
}

function querySubjects(db: Db, snapshotId: number, cycleDays: number): SubjectFacts[] {
  const dm = db
    .prepare(
      `SELECT usubjid, siteid, age, sex, coalesce(actarm, arm) arm, coalesce(actarmcd, armcd) armcd, arm arm0, armcd armcd0, rfxstdtc, rfxendtc, dthdtc
       FROM rec_dm WHERE snapshot_id = ? ORDER BY usubjid`,
    )
    .all(snapshotId) as {
    usubjid: string;
    siteid: string | null;
    age: number | null;
    sex: string | null;
    arm: string | null;
    armcd: string | null;
    arm0: string | null;
    armcd0: string | null;
    rfxstdtc: string | null;
    rfxendtc: string | null;
    dthdtc: string | null;
  }[];
  const suppPart = new Map(
    (
      db
        .prepare(`SELECT usubjid, qval FROM rec_suppdm WHERE snapshot_id = ? AND qnam IN ('PART', 'PHASE', 'COHORT', 'COHORTP', 'STUDYPRT')`)
        .all(snapshotId) as { usubjid: string; qval: string }[]
    ).map((r) => [r.usubjid, r.qval]),
  );
  const doses = new Map<string, { dtc: string; endDtc: string | null; dose: number | null; unit: string | null; extrt: string | null }[]>();
  for (const e of db
    .prepare(`SELECT usubjid, exstdtc, exendtc, exdose, exdosu, extrt FROM rec_ex WHERE snapshot_id = ? AND exstdtc IS NOT NULL ORDER BY usubjid, exstdtc, row_no`)
    .all(snapshotId) as { usubjid: string; exstdtc: string; exendtc: string | null; exdose: number | null; exdosu: string | null; extrt: string | null }[]) {
    let list = doses.get(e.usubjid);
    if (!list) doses.set(e.usubjid, (list = []));
    list.push({ dtc: e.exstdtc, endDtc: e.exendtc, dose: e.exdose, unit: e.exdosu, extrt: e.extrt });
  }
  // Disposition records: end of treatment vs end of study is decided in shared/endOfTreatment.ts.
  const disp = new Map<string, DispositionRecord[]>();
  for (const d of db
    .prepare(`SELECT usubjid, dsstdtc, dsdecod, dsterm, dscat, dsscat, epoch FROM rec_ds WHERE snapshot_id = ? ORDER BY usubjid, dsstdtc, row_no`)
    .all(snapshotId) as (DispositionRecord & { usubjid: string })[]) {
    let l = disp.get(d.usubjid);
    if (!l) disp.set(d.usubjid, (l = []));
    l.push(d);
  }
  return dm.map((s) => {
    const ds = doses.get(s.usubjid) ?? [];
    const placebo = isPlacebo({ doses: ds.map((d) => ({ dose: d.dose, extrt: d.extrt })), arm: s.arm0, actarm: s.arm, armcd: s.armcd0, actarmcd: s.armcd });
    // Placebo administrations (EXDOSE 0) are the placebo subject's doses.
    const dosed = ds.filter((d) => (d.dose ?? 0) > 0 || (placebo && d.dose === 0));
    const first = dosed[0] ?? ds[0];
    const partText = [s.arm, s.armcd, s.arm0, s.armcd0, suppPart.get(s.usubjid)].filter(Boolean).join(' ');
    const subjectDs = disp.get(s.usubjid) ?? [];
    const eot = endOfTreatment({
      ds: subjectDs,
      ex: dosed.map((d) => ({ exstdtc: d.dtc, exendtc: d.endDtc, exdose: d.dose })),
      rfxendtc: s.rfxendtc,
      dthdtc: s.dthdtc,
      cycleDays,
    });
    const eos = endOfStudy(subjectDs, s.dthdtc);
    return {
      usubjid: s.usubjid,
      siteid: s.siteid,
      age: s.age,
      sex: s.sex,
      arm: s.arm,
      part: EXPANSION.test(partText) ? 'expansion' : 'escalation',
      firstDoseDtc: first?.dtc ?? s.rfxstdtc,
      firstDose: first?.dose ?? null,
      doseUnit: first?.unit ?? null,
      doseDtcs: dosed.map((d) => d.dtc),
      lastDoseDtc: dosed[dosed.length - 1]?.dtc ?? s.rfxendtc,
      deathDtc: s.dthdtc,
      endOfTreatmentDtc: eot.dtc,
      endOfTreatmentReason: eot.reason,
      endOfTreatment: eot,
      endOfStudyDtc: eos?.dtc ?? null,
      placebo,
    };
  });
}

/**
 * Every AE with CTCAE grade as a number and the DLT flag from SUPPAE (QNAM AEDLT or DLTFL) or an AE
 * column of that name. The grade is AETOXGR, else the study definition's `ae.gradeVariable` — a
 * SUPPAE QNAM (linked by AESEQ or AESPID) or a non-standard AE column — else null ("not collected").
 */
export function loadAes(db: Db, snapshotId: number, gradeVariable?: string | null): readonly AeFacts[] {
  const gv = gradeVariable?.trim().toUpperCase() || null;
  return snapshotMemo(db, snapshotId, 'aes', gv ? { gv } : null, () => queryAes(db, snapshotId, gv));
}

function queryAes(db: Db, snapshotId: number, gradeVariable: string | null): AeFacts[] {
  const gv = gradeVariable && /^[A-Z][A-Z0-9_]{0,39}$/.test(gradeVariable) ? gradeVariable : null;
  const rows = db
    .prepare(
      `SELECT a.usubjid, a.aeseq, a.aeterm, a.aedecod, coalesce(a.aebodsys, a.aesoc) aebodsys, a.aetoxgr, a.aesev, a.aeser, a.aerel, a.aeacn, a.aeout,
              a.aestdtc, a.aeendtc, a.row_no, json_extract(a.extra, '$.AESDTH') aesdth,
              ${
                gv
                  ? `coalesce((SELECT s.qval FROM rec_suppae s WHERE s.snapshot_id = a.snapshot_id AND s.usubjid = a.usubjid AND upper(s.qnam) = @gv
                         AND ((upper(s.idvar) = 'AESEQ' AND CAST(s.idvarval AS REAL) = a.aeseq) OR (upper(s.idvar) = 'AESPID' AND s.idvarval = a.aespid))
                         ORDER BY s.row_no LIMIT 1), json_extract(a.extra, '$.' || @gv))`
                  : 'NULL'
              } altgrade,
              (EXISTS (SELECT 1 FROM rec_suppae s WHERE s.snapshot_id = a.snapshot_id AND s.usubjid = a.usubjid
                         AND upper(s.qnam) IN ('AEDLT', 'DLTFL', 'AEDLTFL') AND upper(s.qval) IN ('Y', 'YES')
                         AND ((upper(s.idvar) = 'AESEQ' AND CAST(s.idvarval AS REAL) = a.aeseq) OR (upper(s.idvar) = 'AESPID' AND s.idvarval = a.aespid)))
               OR upper(coalesce(json_extract(a.extra, '$.AEDLT'), json_extract(a.extra, '$.DLTFL'), '')) IN ('Y', 'YES')) dlt
       FROM rec_ae a WHERE a.snapshot_id = @id ORDER BY a.usubjid, a.aestdtc, a.row_no`,
    )
    .all(gv ? { id: snapshotId, gv } : { id: snapshotId }) as {
    aesdth: string | null;
    altgrade: string | number | null;
    usubjid: string;
    aeseq: number | null;
    aeterm: string;
    aedecod: string | null;
    aebodsys: string | null;
    aetoxgr: string | null;
    aesev: string | null;
    aeser: string | null;
    aerel: string | null;
    aeacn: string | null;
    aeout: string | null;
    aestdtc: string | null;
    aeendtc: string | null;
    row_no: number;
    dlt: number;
  }[];
  return rows.map((r) => ({
    usubjid: r.usubjid,
    aeseq: r.aeseq,
    aeterm: r.aeterm,
    aedecod: r.aedecod,
    aebodsys: r.aebodsys,
    grade: ctcaeGrade(r.aetoxgr) ?? ctcaeGrade(r.altgrade === null ? null : String(r.altgrade)),
    severity: r.aesev,
    fatalNotSerious: isFatalNotSerious(r),
    serious: r.aeser === 'Y',
    related: isRelated(r.aerel),
    aerel: r.aerel,
    dlt: r.dlt === 1,
    aeacn: r.aeacn,
    aeout: r.aeout,
    aestdtc: r.aestdtc,
    aeendtc: r.aeendtc,
    rowNo: r.row_no,
  }));
}

/** AEREL read as related (shared/safety/aeTables.ts aeRelationship; missing or unrecognised = not related here). */
export function isRelated(aerel: string | null): boolean {
  return aeRelationship(aerel) === 'related';
}

/** The data cut-off the snapshot declared at import (null when none). */
export function declaredCutoff(db: Db, snapshotId: number): string | null {
  return (db.prepare('SELECT data_cutoff FROM snapshot WHERE snapshot_id = ?').get(snapshotId) as { data_cutoff: string | null } | undefined)?.data_cutoff ?? null;
}

/**
 * The data cut-off of a snapshot: the study definition's, else the latest complete date in the
 * exposure, AE, disposition and response data.
 */
export function cutoffOf(db: Db, snapshotId: number, declared: string | null): string | null {
  if (declared) return declared;
  const r = db
    .prepare(
      `SELECT max(d) d FROM (
         SELECT max(substr(exstdtc, 1, 10)) d FROM rec_ex WHERE snapshot_id = @id
         UNION ALL SELECT max(substr(aestdtc, 1, 10)) FROM rec_ae WHERE snapshot_id = @id
         UNION ALL SELECT max(substr(dsstdtc, 1, 10)) FROM rec_ds WHERE snapshot_id = @id
         UNION ALL SELECT max(substr(rsdtc, 1, 10)) FROM rec_rs WHERE snapshot_id = @id)`,
    )
    .get({ id: snapshotId }) as { d: string | null };
  return r.d && toDayNumber(r.d) !== null ? r.d : null;
}
