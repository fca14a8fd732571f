import { dayNumberFromParts, daysInMonth, parseIsoDate } from './dates';

// Concomitant medications (CM) against the first dose and the DLT window
// (docs/CLINICAL_RULES.md#concomitant-medications): when a medication started (before the first dose,
// inside the DLT window day 1..W, after it), whether it is ongoing, from CMSTDTC/CMENDTC and the
// relative timing variables CMSTRF/CMENRF/CMENRTPT (SDTMIG v3.4 §4.4.7).

export type CmTiming = 'prior' | 'in DLT window' | 'possibly in DLT window' | 'after DLT window' | 'start unknown';

/** The first and last calendar day (day numbers) a complete or partial ISO 8601 date may stand for; null when not a date. */
export function dateRange(dtc: string | null | undefined): { from: number; to: number } | null {
  const p = parseIsoDate(dtc);
  if (!p) return null;
  // Year only, or "2023---14" (month unknown): any day of the year.
  if (p.month === undefined) return { from: dayNumberFromParts(p.year, 1, 1), to: dayNumberFromParts(p.year, 12, 31) };
  if (p.day === undefined) return { from: dayNumberFromParts(p.year, p.month, 1), to: dayNumberFromParts(p.year, p.month, daysInMonth(p.year, p.month)) };
  const d = dayNumberFromParts(p.year, p.month, p.day);
  return { from: d, to: d };
}

/**
 * When a medication started relative to the first dose (day 1) and the DLT window (days 1..W): the whole
 * range a partial CMSTDTC may stand for decides — all of it inside the window: "in DLT window"; part of
 * it: "possibly in DLT window" (never silently dropped from the committee's list); all before day 1:
 * "prior"; all after day W: "after DLT window". Without CMSTDTC, CMSTRF = BEFORE gives "prior".
 */
export function cmTiming(cmstdtc: string | null, cmstrf: string | null, firstDoseDtc: string | null, windowDays: number): CmTiming {
  const first = dateRange(firstDoseDtc);
  const r = dateRange(cmstdtc);
  if (!r) return (cmstrf ?? '').trim().toUpperCase() === 'BEFORE' ? 'prior' : 'start unknown';
  if (!first) return 'start unknown';
  const w0 = first.from;
  const w1 = first.from + windowDays - 1;
  if (r.to < w0) return 'prior';
  if (r.from > w1) return 'after DLT window';
  if (r.from >= w0 && r.to <= w1) return 'in DLT window';
  return 'possibly in DLT window';
}

/**
 * Ongoing: CMENRTPT = ONGOING (SDTMIG v3.4 §4.4.7: ongoing at the reference time point CMENTPT), or no
 * CMENDTC with CMENRF = AFTER, DURING/AFTER or ONGOING; ended when CMENDTC is given; else unknown (null).
 */
export function cmOngoing(cmendtc: string | null, cmenrf: string | null, cmenrtpt: string | null): boolean | null {
  if ((cmenrtpt ?? '').trim().toUpperCase() === 'ONGOING') return true;
  if (cmendtc && cmendtc.trim()) return false;
  const rf = (cmenrf ?? '').trim().toUpperCase();
  if (rf === 'AFTER' || rf === 'DURING/AFTER' || rf === 'ONGOING') return true;
  if (rf === 'BEFORE' || rf === 'DURING') return false;
  return null;
}
