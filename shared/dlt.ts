import type { DoseLevel } from './study';

// Dose level assignment and DLT-window evaluability (docs/CLINICAL_RULES.md#dose-levels, #dlt-window).
// Source: the usual protocol rule as docs/CLINICAL_RULES.md#dlt-window states it — a subject is DLT-evaluable when they
// completed the DLT window (day 1 .. day W, day 1 = first dose) with the protocol's minimum
// exposure, or had a DLT inside it; otherwise not evaluable, with the reason.

/** The planned level whose dose equals the first dose given (within 0.5% to absorb rounding in exports); null when none does. */
export function doseLevelOf(firstDose: number | null, levels: readonly DoseLevel[]): DoseLevel | null {
  if (firstDose === null || !Number.isFinite(firstDose)) return null;
  for (const l of levels) if (Math.abs(l.dose - firstDose) <= 0.005 * l.dose) return l;
  return null;
}

export interface DltSubjectInput {
  /** Day numbers (days since 1970-01-01) so that the rule is plain arithmetic. */
  firstDoseDay: number;
  /** The data cut-off as a day number. */
  cutoffDay: number;
  /** Doses started on study days 1..W. */
  dosesInWindow: number;
  /** Study days of onset of DLT-flagged AEs (any day; only those in the window count). */
  dltOnsetDays: number[];
  /** Study day treatment ended (for an end of treatment taken from EX: the last day the last exposure covers), or null. */
  endOfTreatmentDay: number | null;
  /** Where that end of treatment came from, for the reason ("DS", "EXENDTC" …; shared/endOfTreatment.ts). */
  endOfTreatmentSource?: string | null;
  /** Study day the subject left the study (end-of-study disposition or death), or null. */
  endOfStudyDay?: number | null;
}

export type DltStatus =
  | { status: 'dlt'; evaluable: true; reason: string }
  | { status: 'completed'; evaluable: true; reason: string }
  | { status: 'in-window'; evaluable: false; reason: string; daysLeft: number }
  | { status: 'not-evaluable'; evaluable: false; reason: string };

/** Study day of a date: day 1 = first dose, no day 0 (SDTMIG --DY). */
export function studyDayOf(day: number, firstDoseDay: number): number {
  return day >= firstDoseDay ? day - firstDoseDay + 1 : day - firstDoseDay;
}

/**
 * DLT-window status and evaluability of one subject.
 * - a DLT with onset on study day 1..W → evaluable (DLT);
 * - the window still open at the cut-off (cut-off study day < W) and no DLT → pending, with days left;
 * - treatment ended before day W without a DLT → not evaluable;
 * - off study (end-of-study disposition or death) before day W without a DLT → not evaluable;
 * - fewer doses in the window than the protocol's minimum → not evaluable;
 * - otherwise the window was completed → evaluable (no DLT).
 */
export function dltStatus(s: DltSubjectInput, windowDays: number, minDoses: number): DltStatus {
  const dltDays = s.dltOnsetDays.filter((d) => d >= 1 && d <= windowDays);
  if (dltDays.length > 0) return { status: 'dlt', evaluable: true, reason: `DLT on study day ${Math.min(...dltDays)}` };
  const cutoffStudyDay = studyDayOf(s.cutoffDay, s.firstDoseDay);
  if (s.endOfTreatmentDay !== null && s.endOfTreatmentDay < windowDays) {
    const src = s.endOfTreatmentSource && s.endOfTreatmentSource !== 'DS' ? ` (last exposure, ${s.endOfTreatmentSource})` : '';
    return { status: 'not-evaluable', evaluable: false, reason: `treatment ended on study day ${s.endOfTreatmentDay}${src}, before the end of the ${windowDays}-day DLT window, without a DLT` };
  }
  // Off study before the window closed: not observed through it (end of study is not end of treatment, but it ends observation).
  if (s.endOfStudyDay != null && s.endOfStudyDay < windowDays) {
    return { status: 'not-evaluable', evaluable: false, reason: `left the study on study day ${s.endOfStudyDay}, before the end of the ${windowDays}-day DLT window, without a DLT` };
  }
  if (cutoffStudyDay < windowDays) {
    const daysLeft = windowDays - cutoffStudyDay;
    return { status: 'in-window', evaluable: false, reason: `inside the DLT window at the data cut-off (study day ${cutoffStudyDay} of ${windowDays}, ${daysLeft} days left)`, daysLeft };
  }
  if (s.dosesInWindow < minDoses) {
    return { status: 'not-evaluable', evaluable: false, reason: `received ${s.dosesInWindow} of the ${minDoses} doses required in the DLT window` };
  }
  return { status: 'completed', evaluable: true, reason: `completed the ${windowDays}-day DLT window without a DLT` };
}
