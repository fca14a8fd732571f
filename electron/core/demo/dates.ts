// Calendar arithmetic on whole days and minutes since 1970-01-01 (UTC, no time zones: SDTM
// --DTC values are local clock times without offset).

const MS_PER_DAY = 86_400_000;

/** Day number (days since 1970-01-01) of an ISO date `YYYY-MM-DD`. */
export function dayOf(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return Math.round(Date.UTC(y, m - 1, d) / MS_PER_DAY);
}

const dateCache = new Map<number, string>();

/** ISO date `YYYY-MM-DD` of a day number. */
export function isoDate(day: number): string {
  let s = dateCache.get(day);
  if (s === undefined) {
    s = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    dateCache.set(day, s);
  }
  return s;
}

const p2 = (n: number): string => (n < 10 ? '0' : '') + n;

/** ISO date-time `YYYY-MM-DDThh:mm` of a minute number (minutes since 1970-01-01T00:00). */
export function isoDateTime(minute: number): string {
  const day = Math.floor(minute / 1440);
  const m = minute - day * 1440;
  return `${isoDate(day)}T${p2(Math.floor(m / 60))}:${p2(m % 60)}`;
}

/** SDTM study day (--DY): day 1 = first dose date, no day 0 (SDTMIG 3.4 §4.4.4). */
export function studyDay(day: number, firstDoseDay: number): number {
  return day >= firstDoseDay ? day - firstDoseDay + 1 : day - firstDoseDay;
}

/** ISO 8601 duration for a planned elapsed time in hours (PCELTM), e.g. 4 → PT4H, -0.25 → -PT15M. */
export function isoDurationHours(h: number): string {
  const sign = h < 0 ? '-' : '';
  const a = Math.abs(h);
  if (Number.isInteger(a)) return `${sign}PT${a}H`;
  const mins = Math.round(a * 60);
  return mins % 60 === 0 ? `${sign}PT${mins / 60}H` : `${sign}PT${Math.floor(mins / 60) ? Math.floor(mins / 60) + 'H' : ''}${mins % 60}M`;
}
