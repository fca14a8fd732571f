import { toDayNumber } from './dates';
import { dltStatus, doseLevelOf, studyDayOf, type DltStatus } from './dlt';
import type { AeFacts, SubjectFacts } from './model';
import type { StudyDefinition } from './study';
import { aeRelationship } from './safety/aeTables';

// The Cohorts table: one row per dose level and part (escalation / expansion), README.md#the-views.

/**
 * The possible-DLT screen counts an AE whose relationship to study treatment is missing (AEREL empty,
 * UNKNOWN or a value DoseDesk does not recognise) with the related ones: a DLT is an AE "at least
 * possibly related", and a missing assessment cannot rule that out (docs/CLINICAL_RULES.md#dlt-window-and-evaluability).
 * Only an AE read as not related leaves the screen.
 */
export function mayBeRelated(a: Pick<AeFacts, 'related' | 'aerel'>): boolean {
  return a.related || (a.aerel !== undefined && aeRelationship(a.aerel) === 'missing');
}

export interface SubjectDlt {
  usubjid: string;
  /** Planned level; 0 for placebo. */
  level: number;
  placebo: boolean;
  dose: number;
  part: 'escalation' | 'expansion';
  firstDoseDtc: string;
  /** Last day of the DLT window (ISO date). */
  windowEndDtc: string;
  dlt: DltStatus;
  dlts: AeFacts[];
  /** Related grade >= 3 AEs inside the window without the DLT flag: shown as "possible DLT — not flagged". */
  possibleDlts: AeFacts[];
  /** Related AEs inside the window without the DLT flag and WITHOUT a CTCAE grade: the screen cannot tell whether they are possible DLTs. */
  ungradedNotScreened: AeFacts[];
  /** End of treatment used (date, source, detail), shared/endOfTreatment.ts; null while ongoing. */
  endOfTreatment: { dtc: string | null; source: string | null; detail: string } | null;
  ongoing: boolean;
}

function isoOfDay(day: number): string {
  return new Date(day * 86400000).toISOString().slice(0, 10);
}

/** Treatment-emergent: onset on or after the first dose (docs/CLINICAL_RULES.md#teae). An AE with an unknown or partial onset date that cannot be placed before the first dose counts. */
export function isTreatmentEmergent(ae: AeFacts, firstDoseDtc: string | null): boolean {
  if (!firstDoseDtc) return false;
  const first = toDayNumber(firstDoseDtc.slice(0, 10));
  if (first === null) return false;
  const onset = ae.aestdtc ? toDayNumber(ae.aestdtc.slice(0, 10)) : null;
  if (onset === null) {
    // Partial date: emergent unless its known part is before the month/year of the first dose.
    const known = ae.aestdtc ?? '';
    return known === '' || known >= firstDoseDtc.slice(0, known.length);
  }
  return onset >= first;
}

/** Per subject: dose level (0 = placebo), DLT-window status and evaluability. Subjects never dosed, or whose first dose is not in the plan, are left out (listed by `unplanned`). */
export function subjectDltTable(subjects: readonly SubjectFacts[], aes: readonly AeFacts[], def: StudyDefinition, cutoffDtc: string): { rows: SubjectDlt[]; unplanned: SubjectFacts[] } {
  const cutoffDay = toDayNumber(cutoffDtc)!;
  const W = def.dltWindowDays;
  const aesBy = new Map<string, AeFacts[]>();
  for (const a of aes) {
    let l = aesBy.get(a.usubjid);
    if (!l) aesBy.set(a.usubjid, (l = []));
    l.push(a);
  }
  const rows: SubjectDlt[] = [];
  const unplanned: SubjectFacts[] = [];
  for (const s of subjects) {
    const firstDay = s.firstDoseDtc ? toDayNumber(s.firstDoseDtc.slice(0, 10)) : null;
    if (firstDay === null || firstDay > cutoffDay) continue;
    const level = s.placebo ? { level: 0, dose: 0 } : doseLevelOf(s.firstDose, def.doseLevels);
    if (!level) {
      unplanned.push(s);
      continue;
    }
    const dayOf = (dtc: string | null) => {
      const d = dtc ? toDayNumber(dtc.slice(0, 10)) : null;
      return d === null ? null : studyDayOf(d, firstDay);
    };
    const subjectAes = aesBy.get(s.usubjid) ?? [];
    const inWindow = (a: AeFacts) => {
      const d = dayOf(a.aestdtc);
      return d !== null && d >= 1 && d <= W;
    };
    const dlts = subjectAes.filter((a) => a.dlt);
    // For the window: what the last exposure covers when the end of treatment comes from EX (shared/endOfTreatment.ts).
    const eotDay = dayOf(s.endOfTreatment ? s.endOfTreatment.coveredThroughDtc : s.endOfTreatmentDtc);
    const status = dltStatus(
      {
        firstDoseDay: firstDay,
        cutoffDay,
        dosesInWindow: s.doseDtcs.filter((d) => {
          const sd = dayOf(d);
          return sd !== null && sd >= 1 && sd <= W;
        }).length,
        dltOnsetDays: dlts.map((a) => dayOf(a.aestdtc)).filter((d): d is number => d !== null),
        endOfTreatmentDay: eotDay,
        endOfTreatmentSource: s.endOfTreatment?.source ?? null,
        endOfStudyDay: dayOf(s.endOfStudyDtc ?? null),
      },
      W,
      def.minDosesForEvaluability,
    );
    rows.push({
      usubjid: s.usubjid,
      level: level.level,
      placebo: !!s.placebo,
      dose: level.dose,
      part: s.part,
      firstDoseDtc: s.firstDoseDtc!.slice(0, 10),
      windowEndDtc: isoOfDay(firstDay + W - 1),
      dlt: status,
      dlts: dlts.filter(inWindow),
      possibleDlts: subjectAes.filter((a) => !a.dlt && mayBeRelated(a) && (a.grade ?? 0) >= 3 && inWindow(a)),
      ungradedNotScreened: subjectAes.filter((a) => !a.dlt && mayBeRelated(a) && a.grade === null && inWindow(a)),
      endOfTreatment: s.endOfTreatmentDtc !== null || s.endOfTreatment?.source
        ? { dtc: s.endOfTreatmentDtc, source: s.endOfTreatment?.source ?? 'DS', detail: s.endOfTreatment?.detail ?? 'DS disposition' }
        : null,
      ongoing: s.endOfTreatmentDtc === null && s.deathDtc === null,
    });
  }
  return { rows, unplanned };
}

/** AESEV = SEVERE (CDISC CT C66769 Severity/Intensity Scale: MILD, MODERATE, SEVERE). Severity, not CTCAE grade. */
export function isSevere(aesev: string | null | undefined): boolean {
  return (aesev ?? '').trim().toUpperCase() === 'SEVERE';
}

export interface CohortSummaryRow {
  /** Planned level; 0 for the placebo row. */
  level: number;
  placebo: boolean;
  dose: number;
  part: 'escalation' | 'expansion';
  treated: number;
  windowComplete: number;
  windowOpen: number;
  /** Subjects not DLT-evaluable (treatment ended early without a DLT, or too little exposure). */
  notEvaluable: number;
  windowEnds: { usubjid: string; windowEnd: string; daysLeft: number }[];
  /** Subjects with a TEAE of CTCAE grade >= 3 (counts only graded AEs: read with `teaesWithoutGrade`). */
  subjectsGrade3: number;
  /** TEAEs with no CTCAE grade (AETOXGR or the study's grade variable empty): "grade not collected for N AEs". */
  teaesWithoutGrade: number;
  /** Subjects with a TEAE of severity (AESEV) SEVERE — severity, not a CTCAE grade. */
  subjectsSevere: number;
  saes: number;
  subjectsWithSae: number;
  dltAes: number;
  subjectsWithDlt: number;
  ongoing: number;
}

/** One row per dose level × part, in dose order (escalation before expansion). Counts are subjects unless named as events. AE counts are treatment-emergent AEs. */
export function summarizeCohorts(subjects: readonly SubjectFacts[], aes: readonly AeFacts[], def: StudyDefinition, cutoffDtc: string): CohortSummaryRow[] {
  const { rows } = subjectDltTable(subjects, aes, def, cutoffDtc);
  const firstDose = new Map(subjects.map((s) => [s.usubjid, s.firstDoseDtc]));
  const teaes = new Map<string, AeFacts[]>();
  for (const a of aes) {
    if (!isTreatmentEmergent(a, firstDose.get(a.usubjid) ?? null)) continue;
    let l = teaes.get(a.usubjid);
    if (!l) teaes.set(a.usubjid, (l = []));
    l.push(a);
  }
  const groups = new Map<string, SubjectDlt[]>();
  for (const r of rows) {
    const k = `${r.part === 'expansion' ? 1 : 0}:${String(r.level).padStart(4, '0')}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(r);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, g]) => {
      const subjAes = (r: SubjectDlt) => teaes.get(r.usubjid) ?? [];
      return {
        level: g[0]!.level,
        placebo: g[0]!.placebo,
        dose: g[0]!.dose,
        part: g[0]!.part,
        treated: g.length,
        windowComplete: g.filter((r) => r.dlt.status === 'dlt' || r.dlt.status === 'completed').length,
        windowOpen: g.filter((r) => r.dlt.status === 'in-window').length,
        notEvaluable: g.filter((r) => r.dlt.status === 'not-evaluable').length,
        windowEnds: g
          .filter((r) => r.dlt.status === 'in-window')
          .map((r) => ({ usubjid: r.usubjid, windowEnd: r.windowEndDtc, daysLeft: r.dlt.status === 'in-window' ? r.dlt.daysLeft : 0 })),
        subjectsGrade3: g.filter((r) => subjAes(r).some((a) => (a.grade ?? 0) >= 3)).length,
        teaesWithoutGrade: g.reduce((n, r) => n + subjAes(r).filter((a) => a.grade === null).length, 0),
        subjectsSevere: g.filter((r) => subjAes(r).some((a) => isSevere(a.severity))).length,
        saes: g.reduce((n, r) => n + subjAes(r).filter((a) => a.serious).length, 0),
        subjectsWithSae: g.filter((r) => subjAes(r).some((a) => a.serious)).length,
        dltAes: g.reduce((n, r) => n + subjAes(r).filter((a) => a.dlt).length, 0),
        subjectsWithDlt: g.filter((r) => subjAes(r).some((a) => a.dlt)).length,
        ongoing: g.filter((r) => r.ongoing).length,
      };
    });
}
