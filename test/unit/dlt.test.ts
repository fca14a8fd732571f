import { describe, expect, it } from 'vitest';
import { dltStatus, doseLevelOf, studyDayOf } from '../../shared/dlt';

// Cases worked by hand from the rule in docs/CLINICAL_RULES.md#dlt-window (DLT window and evaluability): window = days 1..21.
const W = 21;
const base = { firstDoseDay: 1000, dosesInWindow: 1, dltOnsetDays: [] as number[], endOfTreatmentDay: null as number | null };

describe('DLT window and evaluability (CLINICAL_RULES.md#dlt-window)', () => {
  it('study day has no day 0 (SDTMIG --DY)', () => {
    expect(studyDayOf(1000, 1000)).toBe(1);
    expect(studyDayOf(999, 1000)).toBe(-1);
    expect(studyDayOf(1020, 1000)).toBe(21);
  });
  it('a DLT on day 21 counts; one on day 22 does not', () => {
    expect(dltStatus({ ...base, cutoffDay: 1100, dltOnsetDays: [21] }, W, 1)).toMatchObject({ status: 'dlt', evaluable: true });
    expect(dltStatus({ ...base, cutoffDay: 1100, dltOnsetDays: [22] }, W, 1)).toMatchObject({ status: 'completed', evaluable: true });
  });
  it('a DLT inside the window makes the subject evaluable even while the window is open', () => {
    expect(dltStatus({ ...base, cutoffDay: 1005, dltOnsetDays: [3] }, W, 1).status).toBe('dlt');
  });
  it('cut-off on study day 15 leaves 6 days', () => {
    // cut-off day number 1014 → study day 15; 21 − 15 = 6 days left
    expect(dltStatus({ ...base, cutoffDay: 1014 }, W, 1)).toMatchObject({ status: 'in-window', daysLeft: 6 });
  });
  it('cut-off on study day 21 completes the window', () => {
    expect(dltStatus({ ...base, cutoffDay: 1020 }, W, 1).status).toBe('completed');
  });
  it('treatment ended on day 10 without a DLT: not evaluable, with the reason', () => {
    const s = dltStatus({ ...base, cutoffDay: 1100, endOfTreatmentDay: 10 }, W, 1);
    expect(s.evaluable).toBe(false);
    expect(s.reason).toContain('study day 10');
  });
  it('too few doses in the window: not evaluable', () => {
    expect(dltStatus({ ...base, cutoffDay: 1100, dosesInWindow: 1 }, W, 2).status).toBe('not-evaluable');
  });
  it('dose level by first dose, tolerant to export rounding only', () => {
    const levels = [
      { level: 1, dose: 0.01 },
      { level: 2, dose: 0.03 },
    ];
    expect(doseLevelOf(0.03, levels)?.level).toBe(2);
    expect(doseLevelOf(0.0300001, levels)?.level).toBe(2);
    expect(doseLevelOf(0.02, levels)).toBeNull();
  });
});
