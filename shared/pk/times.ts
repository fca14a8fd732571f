// Clock arithmetic for PK samples: SDTM --DTC date-times to hours, and ISO 8601 durations (PCELTM)
// to hours. Pure.
//   - --DTC: ISO 8601 as SDTMIG v3.4 §4.4 stores it (shared/dates.ts parses it). A value without a
//     time of day cannot place a sample on an hourly clock: it gives `hasTime: false`.
//   - PCELTM: "Planned Elapsed Time from Time Point Ref", an ISO 8601 duration (SDTMIG v3.4 PC
//     domain; ISO 8601-1:2019 §5.5.2.4 "PnYnMnDTnHnMnS", weeks "PnW"), possibly signed ("-PT15M" =
//     15 minutes before the reference, SDTMIG §4.4.7). Years and months have no fixed length in
//     hours and are refused (null).

import { dayNumberFromParts, parseIsoDate } from '../dates';

export interface ClockTime {
  /** Hours since 1970-01-01T00:00 (time zones ignored: all values of a study are taken on one clock). */
  hours: number;
  /** The same instant in minutes (whole for minute-resolution values, so differences are exact). */
  minutes: number;
  /** false when the value had a complete date but no time of day (hours is then midnight). */
  hasTime: boolean;
}

/** Hours since the epoch of a complete ISO 8601 date/date-time; null for partial or invalid values. */
export function dtcToClock(dtc: string | null | undefined): ClockTime | null {
  const p = parseIsoDate(dtc);
  if (!p || p.partial || p.month === undefined || p.day === undefined) return null;
  const day = dayNumberFromParts(p.year, p.month, p.day);
  const hasTime = p.hour !== undefined;
  const minutes = day * 1440 + (p.hour ?? 0) * 60 + (p.minute ?? 0) + (p.second ?? 0) / 60;
  return { hours: minutes / 60, minutes, hasTime };
}

/** Hours from `from` to `to` (to − from) when both carry a time of day, else null. */
export function hoursBetween(from: ClockTime | null, to: ClockTime | null): number | null {
  if (!from || !to || !from.hasTime || !to.hasTime) return null;
  return (to.minutes - from.minutes) / 60;
}

const DURATION_RE = /^([+-])?P(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

/**
 * An ISO 8601 duration in hours: weeks (168 h), days (24 h), hours, minutes, seconds, with an optional
 * sign; decimal comma or point. Null for empty, malformed, or year/month durations.
 * Examples: "PT1H" → 1, "-PT15M" → −0.25, "P1DT12H" → 36, "PT0.5H" → 0.5.
 */
export function isoDurationToHours(s: string | null | undefined): number | null {
  if (typeof s !== 'string') return null;
  const text = s.trim().toUpperCase();
  if (text === '' || text === 'P' || text === 'PT' || text.endsWith('T')) return null;
  const m = DURATION_RE.exec(text);
  if (!m) return null;
  const num = (x: string | undefined) => (x === undefined ? 0 : Number(x.replace(',', '.')));
  if (m.slice(2).every((x) => x === undefined)) return null;
  const h = num(m[2]) * 168 + num(m[3]) * 24 + num(m[4]) + num(m[5]) / 60 + num(m[6]) / 3600;
  return m[1] === '-' ? -h : h;
}

/** The two parsers of a sample's times; `cachedParsers` remembers each distinct text. */
export interface TimeParsers {
  clock(dtc: string | null | undefined): ClockTime | null;
  duration(s: string | null | undefined): number | null;
}

export const DIRECT_PARSERS: TimeParsers = { clock: dtcToClock, duration: isoDurationToHours };

/**
 * dtcToClock and isoDurationToHours that parse each distinct text once: a snapshot repeats the same
 * PCRFTDTC on every sample of a dose and a handful of PCELTM values on every profile. The results are
 * the same values (ClockTime objects are shared, never changed).
 */
export function cachedParsers(): TimeParsers {
  const clocks = new Map<string, ClockTime | null>();
  const durations = new Map<string, number | null>();
  return {
    clock(dtc) {
      if (typeof dtc !== 'string') return null;
      let c = clocks.get(dtc);
      if (c === undefined) clocks.set(dtc, (c = dtcToClock(dtc)));
      return c;
    },
    duration(text) {
      if (typeof text !== 'string') return null;
      let h = durations.get(text);
      if (h === undefined) durations.set(text, (h = isoDurationToHours(text)));
      return h;
    },
  };
}
