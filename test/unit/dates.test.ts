import { describe, expect, it } from 'vitest';
import { dayNumberToIso, daysBetween, parseIsoDate, studyDay, studyDayFromIso, toDayNumber } from '../../shared/dates';

describe('parseIsoDate (ISO 8601 as in SDTMIG v3.4 §4.4 --DTC)', () => {
  it('complete date and datetime', () => {
    expect(parseIsoDate('2023-05-14')).toEqual({ year: 2023, month: 5, day: 14, partial: false });
    expect(parseIsoDate('2023-05-14T10:30:15')).toEqual({
      year: 2023, month: 5, day: 14, hour: 10, minute: 30, second: 15, partial: false,
    });
    expect(parseIsoDate('2023-05-14T10:30')).toMatchObject({ hour: 10, minute: 30, partial: false });
    expect(parseIsoDate('2023-05-14T10:30:15.25+02:00')).toMatchObject({ second: 15.25, timezone: '+02:00' });
  });
  it('right-truncated (partial) dates', () => {
    expect(parseIsoDate('2023-05')).toEqual({ year: 2023, month: 5, partial: true });
    expect(parseIsoDate('2023')).toEqual({ year: 2023, partial: true });
  });
  it('missing middle component (SDTMIG example "2003---15")', () => {
    expect(parseIsoDate('2003---15')).toEqual({ year: 2003, day: 15, partial: true });
  });
  it('rejects invalid values', () => {
    for (const bad of ['', '2023-13-01', '2023-02-29', '2023-04-31', '2023-5-1', '14/05/2023', '2023-05T10', '2023-05-14T25:00', 'UNK', '2023--']) {
      expect(parseIsoDate(bad), bad).toBeNull();
    }
    expect(parseIsoDate('2024-02-29')).not.toBeNull(); // leap year
    expect(parseIsoDate(null)).toBeNull();
  });
});

describe('toDayNumber / daysBetween', () => {
  it('counts days since 1970-01-01 for complete dates, null for partial ones', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    expect(toDayNumber('1970-01-02T23:59')).toBe(1);
    expect(toDayNumber('2000-03-01')).toBe(11017); // 30 years incl. 7 leap days + Jan + Feb 2000 (29 d)
    expect(toDayNumber('2023-05')).toBeNull();
    expect(dayNumberToIso(11017)).toBe('2000-03-01');
  });
  it('daysBetween = to − from without +1 (admiralonco counts days the same way)', () => {
    expect(daysBetween('2020-02-01', '2020-03-01')).toBe(29); // leap February
    expect(daysBetween('2020-03-01', '2020-02-01')).toBe(-29);
    expect(daysBetween(10, 38)).toBe(28);
    expect(daysBetween('2020-02', '2020-03-01')).toBeNull();
  });
});

describe('studyDay (SDTMIG v3.4 §4.4.4 --DY: day 1 = reference start, no day 0)', () => {
  it('on/after the first dose: d − f + 1', () => {
    expect(studyDay(100, 100)).toBe(1);
    expect(studyDay(120, 100)).toBe(21);
  });
  it('before the first dose: d − f (the day before is −1, never 0)', () => {
    expect(studyDay(99, 100)).toBe(-1);
    expect(studyDay(86, 100)).toBe(-14);
  });
  it('from ISO values', () => {
    expect(studyDayFromIso('2023-01-21', '2023-01-01')).toBe(21);
    expect(studyDayFromIso('2022-12-31', '2023-01-01')).toBe(-1);
    expect(studyDayFromIso('2023-01', '2023-01-01')).toBeNull();
  });
});
