import { isTreatmentEmergent } from '../cohorts';
import { studyDayFromIso } from '../dates';
import { doseLevelOf } from '../dlt';
import type { AeFacts, SubjectFacts } from '../model';
import type { StudyDefinition } from '../study';

// AE listing and the safety listings the committee reads (README.md#the-views "AEs"; docs/CLINICAL_RULES.md#safety-listings): SAEs, DLTs, AEs leading
// to discontinuation of study treatment, deaths.

export interface SubjectPlacement {
  /** Planned level whose dose equals the first dose (shared/dlt.ts doseLevelOf); 0 for placebo; null when none. */
  level: number | null;
  dose: number | null;
  part: 'escalation' | 'expansion';
  firstDoseDtc: string | null;
}

/** Dose level (by first dose) and part of each subject. */
export function placeSubjects(subjects: readonly SubjectFacts[], def: StudyDefinition): Map<string, SubjectPlacement> {
  return new Map(
    subjects.map((s) => {
      if (s.placebo) return [s.usubjid, { level: 0, dose: 0, part: s.part, firstDoseDtc: s.firstDoseDtc }];
      const l = doseLevelOf(s.firstDose, def.doseLevels);
      return [s.usubjid, { level: l?.level ?? null, dose: l?.dose ?? s.firstDose, part: s.part, firstDoseDtc: s.firstDoseDtc }];
    }),
  );
}

export interface AeListingRow {
  usubjid: string;
  level: number | null;
  dose: number | null;
  part: 'escalation' | 'expansion';
  aeseq: number | null;
  /** Study day of onset (SDTMIG --DY: day 1 = first dose, no day 0); null for partial dates or untreated subjects. */
  studyDay: number | null;
  aeterm: string;
  aedecod: string | null;
  aebodsys: string | null;
  grade: number | null;
  /** AESEV: severity, not a CTCAE grade. */
  severity: string | null;
  serious: boolean;
  related: boolean;
  dlt: boolean;
  aeout: string | null;
  aeacn: string | null;
  /** Data query: fatal outcome without AESER = Y (shared/safety/grades.ts isFatalNotSerious). */
  fatalNotSerious: boolean;
  /** Treatment-emergent (shared/cohorts.ts isTreatmentEmergent). */
  teae: boolean;
  aestdtc: string | null;
  aeendtc: string | null;
}

/** Every AE with the subject's dose level and part, its study day of onset and the TEAE flag. */
export function aeListing(subjects: readonly SubjectFacts[], aes: readonly AeFacts[], def: StudyDefinition): AeListingRow[] {
  const place = placeSubjects(subjects, def);
  return aes.map((a) => {
    const p = place.get(a.usubjid);
    const first = p?.firstDoseDtc ?? null;
    return {
      usubjid: a.usubjid,
      level: p?.level ?? null,
      dose: p?.dose ?? null,
      part: p?.part ?? 'escalation',
      aeseq: a.aeseq,
      studyDay: studyDayFromIso(a.aestdtc, first),
      aeterm: a.aeterm,
      aedecod: a.aedecod,
      aebodsys: a.aebodsys,
      grade: a.grade,
      severity: a.severity ?? null,
      serious: a.serious,
      related: a.related,
      dlt: a.dlt,
      aeout: a.aeout,
      aeacn: a.aeacn,
      fatalNotSerious: !!a.fatalNotSerious,
      teae: isTreatmentEmergent(a, first),
      aestdtc: a.aestdtc,
      aeendtc: a.aeendtc,
    };
  });
}

/** AE leading to discontinuation of study treatment: AEACN = "DRUG WITHDRAWN" (CDISC CT C66767, Action Taken with Study Treatment). */
export function ledToDiscontinuation(aeacn: string | null): boolean {
  return (aeacn ?? '').trim().toUpperCase() === 'DRUG WITHDRAWN';
}

/** Fatal AE: outcome AEOUT = "FATAL" (CDISC CT C66768) or CTCAE grade 5 ("death related to AE", CTCAE v5.0). */
export function isFatalAe(ae: { aeout: string | null; grade: number | null }): boolean {
  return (ae.aeout ?? '').trim().toUpperCase() === 'FATAL' || ae.grade === 5;
}

export interface DsDeath {
  usubjid: string;
  dsstdtc: string | null;
  dsterm: string | null;
}

export interface DeathRow {
  usubjid: string;
  level: number | null;
  dose: number | null;
  part: 'escalation' | 'expansion';
  /** DM DTHDTC, else the DS DEATH date, else the fatal AE's end (or start) date. */
  deathDtc: string | null;
  studyDay: number | null;
  /** Where the death is recorded: 'DM' (DTHDTC/DTHFL), 'DS' (DSDECOD DEATH), 'AE' (AEOUT FATAL or grade 5). */
  sources: ('DM' | 'DS' | 'AE')[];
  /** The fatal AEs' terms and the DS term (reported cause). */
  causes: string[];
  /** Death on or after first dose. */
  onTreatmentOrAfter: boolean;
}

/** Deaths from DM (DTHDTC), DS (DSDECOD = DEATH) and AE (fatal outcome or grade 5), one row per subject. */
export function deathListing(subjects: readonly SubjectFacts[], aes: readonly AeFacts[], dsDeaths: readonly DsDeath[], def: StudyDefinition): DeathRow[] {
  const place = placeSubjects(subjects, def);
  const byId = new Map<string, { dm: string | null; ds: DsDeath[]; ae: AeFacts[] }>();
  const get = (id: string) => {
    let e = byId.get(id);
    if (!e) byId.set(id, (e = { dm: null, ds: [], ae: [] }));
    return e;
  };
  for (const s of subjects) if (s.deathDtc) get(s.usubjid).dm = s.deathDtc;
  for (const d of dsDeaths) get(d.usubjid).ds.push(d);
  for (const a of aes) if (isFatalAe(a)) get(a.usubjid).ae.push(a);
  return [...byId.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([usubjid, e]) => {
      const p = place.get(usubjid);
      const deathDtc = e.dm ?? e.ds.find((d) => d.dsstdtc)?.dsstdtc ?? e.ae.map((a) => a.aeendtc ?? a.aestdtc).find((d) => d) ?? null;
      const studyDay = studyDayFromIso(deathDtc, p?.firstDoseDtc ?? null);
      const sources: DeathRow['sources'] = [];
      if (e.dm) sources.push('DM');
      if (e.ds.length) sources.push('DS');
      if (e.ae.length) sources.push('AE');
      return {
        usubjid,
        level: p?.level ?? null,
        dose: p?.dose ?? null,
        part: p?.part ?? 'escalation',
        deathDtc,
        studyDay,
        sources,
        causes: [...new Set([...e.ae.map((a) => a.aedecod ?? a.aeterm), ...e.ds.map((d) => d.dsterm).filter((t): t is string => !!t)])],
        onTreatmentOrAfter: studyDay !== null && studyDay >= 1,
      };
    });
}
