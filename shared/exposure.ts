import { studyDay, toDayNumber, dayNumberToIso } from './dates';
import { doseLevelOf } from './dlt';
import type { DoseLevel } from './study';

// Exposure over time for the swimmer plot and the patient profile (docs/CLINICAL_RULES.md#dose-levels "intra-patient
// escalation shows as dose changes over time in EX", README.md#the-views Swimmer "treatment duration with dose level
// over time").
// Rule: the administrations (EX records with a complete EXSTDTC) are taken in date order; consecutive
// administrations of the same dose (within 0.5%, as doseLevelOf) form one segment; a segment lasts
// from its first administration to the day before the next segment's first administration; the last
// segment lasts to the end of the lane. The lane ends at the end of treatment (DS disposition date,
// else the death date) or, while treatment is ongoing, at the data cut-off — never before the last
// administration's end. Days are study days (SDTMIG --DY: day 1 = first dose, no day 0).

export interface Administration {
  startDtc: string;
  endDtc: string | null;
  dose: number | null;
  unit: string | null;
}

export interface ExposureSegment {
  startDtc: string;
  endDtc: string;
  startDay: number;
  endDay: number;
  /** EXDOSE of the segment's administrations (null when EX gave no dose). */
  dose: number | null;
  unit: string | null;
  /** The planned dose level that dose matches, or null (not in the plan, or no dose / dose 0). */
  level: number | null;
  administrations: number;
}

/** Same dose within 0.5% of the larger (the tolerance doseLevelOf uses for rounding in exports). */
export function sameDose(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= 0.005 * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * The lane's last day as an ISO date: end of treatment, else death, else (ongoing) the data cut-off;
 * at least the last administration's end (EXENDTC, else EXSTDTC). Null when nothing is known.
 */
export function laneEndDtc(o: { endOfTreatmentDtc: string | null; deathDtc: string | null; cutoffDtc: string | null; lastAdministrationDtc: string | null }): string | null {
  const candidates = [o.endOfTreatmentDtc ?? o.deathDtc ?? o.cutoffDtc, o.lastAdministrationDtc].map((d) => toDayNumber(d)).filter((d): d is number => d !== null);
  if (candidates.length === 0) return null;
  return dayNumberToIso(Math.max(...candidates));
}

/** Segments of constant dose between the first dose and the lane end (see the rule above). */
export function exposureSegments(admins: Administration[], firstDoseDtc: string, laneEnd: string, levels: readonly DoseLevel[]): ExposureSegment[] {
  const first = toDayNumber(firstDoseDtc);
  const end = toDayNumber(laneEnd);
  if (first === null || end === null) return [];
  const dated = admins
    .map((a) => ({ ...a, day: toDayNumber(a.startDtc) }))
    .filter((a): a is Administration & { day: number } => a.day !== null)
    .sort((a, b) => a.day - b.day);
  const groups: { day: number; dose: number | null; unit: string | null; n: number }[] = [];
  for (const a of dated) {
    const last = groups[groups.length - 1];
    if (last && sameDose(last.dose, a.dose)) last.n++;
    else groups.push({ day: a.day, dose: a.dose, unit: a.unit, n: 1 });
  }
  return groups.map((g, i) => {
    const next = groups[i + 1];
    const endDay = Math.max(g.day, next ? next.day - 1 : end);
    const lvl = g.dose !== null && g.dose > 0 ? doseLevelOf(g.dose, levels) : null;
    return {
      startDtc: dayNumberToIso(g.day),
      endDtc: dayNumberToIso(endDay),
      startDay: studyDay(g.day, first),
      endDay: studyDay(endDay, first),
      dose: g.dose,
      unit: g.unit,
      level: lvl?.level ?? null,
      administrations: g.n,
    };
  });
}
