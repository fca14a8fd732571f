// ISO 8601 dates as SDTM stores them in --DTC variables (SDTMIG v3.4 §4.4.1–4.4.4):
// complete or right-truncated ("2023-05-14T10:30:15", "2023-05-14", "2023-05", "2023") and the
// SDTMIG "missing middle component" form with hyphens ("2023---14": year and day, month unknown).
// Pure functions; calendar arithmetic in UTC day numbers (days since 1970-01-01).

export interface IsoDateParts {
  year: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
  second?: number;
  /** "Z" or "+hh:mm" / "-hh:mm" when the value carried a UTC offset. */
  timezone?: string;
  /** true when the calendar date is incomplete (month or day unknown); a missing time is not partial. */
  partial: boolean;
}

const DATE_RE = /^(\d{4})(?:-(\d{2}|-)(?:-(\d{2}))?)?$/;
const TIME_RE = /^(\d{2})(?::(\d{2})(?::(\d{2}(?:\.\d+)?))?)?(Z|[+-]\d{2}:?\d{2})?$/;

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Number of days in a month of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/**
 * Parse an ISO 8601 date/datetime as used in SDTM --DTC. Returns null for anything that is not a
 * valid (possibly truncated) ISO 8601 calendar date, including impossible dates (2023-02-29).
 */
export function parseIsoDate(s: string | null | undefined): IsoDateParts | null {
  if (typeof s !== 'string') return null;
  const text = s.trim();
  if (text === '') return null;
  const [datePart, timePart, ...rest] = text.split('T');
  if (rest.length > 0 || datePart === undefined) return null;
  const dm = DATE_RE.exec(datePart);
  if (!dm) return null;
  const year = Number(dm[1]);
  const month = dm[2] === undefined || dm[2] === '-' ? undefined : Number(dm[2]);
  const day = dm[3] === undefined ? undefined : Number(dm[3]);
  // "2023--" alone is not valid; "2023---14" is (month unknown, day known).
  if (dm[2] === '-' && day === undefined) return null;
  if (month !== undefined && (month < 1 || month > 12)) return null;
  if (day !== undefined) {
    const maxDay = month === undefined ? 31 : daysInMonth(year, month);
    if (day < 1 || day > maxDay) return null;
  }
  const out: IsoDateParts = { year, partial: month === undefined || day === undefined };
  if (month !== undefined) out.month = month;
  if (day !== undefined) out.day = day;
  if (timePart !== undefined) {
    // A time needs a complete date (ISO 8601 does not allow "2023-05T10").
    if (out.partial) return null;
    const tm = TIME_RE.exec(timePart);
    if (!tm) return null;
    const hour = Number(tm[1]);
    if (hour > 23) return null;
    out.hour = hour;
    if (tm[2] !== undefined) {
      const minute = Number(tm[2]);
      if (minute > 59) return null;
      out.minute = minute;
    }
    if (tm[3] !== undefined) {
      const second = Number(tm[3]);
      if (second >= 60) return null;
      out.second = second;
    }
    if (tm[4] !== undefined) out.timezone = tm[4];
  }
  return out;
}

/** Days since 1970-01-01 of a complete calendar date (y, m, d). */
export function dayNumberFromParts(year: number, month: number, day: number): number {
  return Math.round(Date.UTC(year, month - 1, day) / 86_400_000);
}

/**
 * Day number (days since 1970-01-01) of an ISO 8601 value with a complete date; null if partial/invalid.
 * Each distinct text is parsed once: the same first-dose, AE and exposure dates come back for every
 * AE of a subject and in every view, and parsing was a seventh of all handler time (issue 14). The
 * cache is bounded and emptied when full; a hit returns what parsing returns.
 */
export function toDayNumber(s: string | null | undefined): number | null {
  if (typeof s !== 'string') return null;
  const hit = DAY_NUMBERS.get(s);
  if (hit !== undefined) return hit;
  const p = parseIsoDate(s);
  const day = !p || p.partial || p.month === undefined || p.day === undefined ? null : dayNumberFromParts(p.year, p.month, p.day);
  if (DAY_NUMBERS.size >= 500_000) DAY_NUMBERS.clear();
  DAY_NUMBERS.set(s, day);
  return day;
}
const DAY_NUMBERS = new Map<string, number | null>();

/** ISO 8601 "YYYY-MM-DD" of a day number. */
export function dayNumberToIso(dayNumber: number): string {
  return new Date(dayNumber * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Study day (SDTMIG v3.4 §4.4.4, --DY): day 1 is the reference start date (first dose, RFXSTDTC /
 * RFSTDTC); there is no day 0.
 *   on/after the reference: --DY = date − reference + 1
 *   before the reference:   --DY = date − reference
 */
export function studyDay(dateDay: number, firstDoseDay: number): number {
  const diff = dateDay - firstDoseDay;
  return diff >= 0 ? diff + 1 : diff;
}

/** Study day from two ISO 8601 values; null when either date is partial or invalid. */
export function studyDayFromIso(dtc: string | null | undefined, referenceDtc: string | null | undefined): number | null {
  const d = toDayNumber(dtc);
  const r = toDayNumber(referenceDtc);
  return d === null || r === null ? null : studyDay(d, r);
}

/**
 * Elapsed days from `from` to `to` (to − from, no +1), from day numbers or ISO 8601 values;
 * null when either is a partial or invalid date.
 */
export function daysBetween(from: number | string | null | undefined, to: number | string | null | undefined): number | null {
  const a = typeof from === 'number' ? from : toDayNumber(from);
  const b = typeof to === 'number' ? to : toDayNumber(to);
  return a === null || b === null ? null : b - a;
}
