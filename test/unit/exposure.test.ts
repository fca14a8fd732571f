// The exposure rules (shared/exposureIntensity.ts, docs/CLINICAL_RULES.md#exposure-intensity) on cases
// worked by hand: dose intensity = cumulative dose / weeks from the first administration to the end of
// the last cycle started (Hryniuk & Bush 1984; Longo et al. 1991), planned intensity = dose per cycle /
// cycle length in weeks, RDI = actual / planned; a cycle is delayed when it starts more than N days after
// the previous cycle's start + cycle length.
import { describe, expect, it } from 'vitest';
import { cycleDelay, cycleStarts, doseIntensity, interruptionOf, levelExposure, median, plannedDoseIntensity, subjectExposure, treatmentDurationDays, type ExRecord } from '../../shared/exposureIntensity';

const rec = (startDtc: string | null, dose: number | null, extra: Partial<ExRecord> = {}, rowNo = 1): ExRecord => ({ startDtc, dose, unit: 'mg/kg', occur: null, adj: null, file: 'ex.csv', rowNo, ...extra });
const plan = { plannedDose: 3, doseUnit: 'mg/kg', cycleLengthDays: 21, dosesPerCycle: 1, delayDays: 3 };

describe('exposure rules', () => {
  it('formulas', () => {
    // 10 mg/kg over 88 days = 12.571 weeks: 10 / 12.571 = 0.79545 mg/kg/week; 3 mg/kg per 21 days = 1 mg/kg/week.
    expect(doseIntensity(10, 88)).toBeCloseTo(70 / 88, 12);
    expect(plannedDoseIntensity(3, 1, 21)).toBe(1);
    expect(plannedDoseIntensity(100, 2, 28)).toBe(50); // 2 × 100 mg per 4 weeks
    expect(treatmentDurationDays(0, 67, 21)).toBe(88);
    expect(cycleDelay(0, 25, 21)).toBe(4);
    expect(cycleDelay(0, 20, 21)).toBe(-1);
    expect(median([4, 1, 3])).toBe(3);
    expect(median([1, 2, 3, 10])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('cycle starts: one dose per cycle, or a new cycle only from the next planned start less the window', () => {
    expect(cycleStarts([0, 21, 45], 21, 1, 3)).toEqual([0, 21, 45]);
    // Days 1, 8, 15 of 28-day cycles (3 doses per cycle): the day-25 dose (>= 28 - 3) starts cycle 2; day 24 would not.
    expect(cycleStarts([0, 7, 14, 25, 32, 39], 28, 3, 3)).toEqual([0, 25]);
    expect(cycleStarts([0, 7, 14, 24], 28, 3, 3)).toEqual([0]);
  });

  it('interruptions: EXOCCUR N, EXDOSE 0 (not on placebo), EXADJ that says so', () => {
    expect(interruptionOf(rec('2025-01-01', null, { occur: 'N' }), false)).toBe('not given (EXOCCUR = N)');
    expect(interruptionOf(rec('2025-01-01', 0), false)).toBe('dose 0 (EXDOSE = 0)');
    expect(interruptionOf(rec('2025-01-01', 0), true)).toBeNull();
    expect(interruptionOf(rec('2025-01-01', 3, { adj: 'INFUSION INTERRUPTED' }), false)).toBe('interrupted (EXADJ)');
    expect(interruptionOf(rec('2025-01-01', 2, { adj: 'ADVERSE EVENT' }), false)).toBeNull();
  });

  it('a subject with a delayed, reduced cycle (worked by hand)', () => {
    // 2025-01-06 3, 01-27 3 (planned 01-27: delay 0), 02-21 2 (planned 02-17: delay 4 > 3; reduced), 03-14 2 (planned 03-14; reduced).
    const e = subjectExposure(
      [rec('2025-01-06', 3, {}, 1), rec('2025-01-27', 3, {}, 2), rec('2025-02-21', 2, { adj: 'ADVERSE EVENT' }, 3), rec('2025-03-14', 2, {}, 4)],
      plan,
      false,
    );
    expect(e.cyclesStarted).toBe(4);
    expect(e.cycles.map((c) => [c.cycle, c.studyDay, c.delayDays])).toEqual([[1, 1, null], [2, 22, 0], [3, 47, 4], [4, 68, 0]]);
    expect(e.cumulativeDose).toBe(10);
    // Jan 6 → Mar 14 = 25 + 28 + 14 = 67 days; + 21 = 88.
    expect(e.durationDays).toBe(88);
    expect(e.doseIntensity).toBeCloseTo(70 / 88, 12);
    expect(e.plannedIntensity).toBe(1);
    expect(e.relativeDoseIntensity).toBeCloseTo(70 / 88, 12);
    expect(e.delays.map((d) => [d.cycle, d.dtc, d.rowNo])).toEqual([[3, '2025-02-21', 3]]);
    expect(e.reductions.map((d) => [d.cycle, d.dtc, d.detail])).toEqual([[3, '2025-02-21', '2 mg/kg (assigned 3): ADVERSE EVENT'], [4, '2025-03-14', '2 mg/kg (assigned 3)']]);
    expect(e.interruptions).toEqual([]);
  });

  it('a delay of exactly the window is not a delay; one of window + 1 is', () => {
    const e = subjectExposure([rec('2025-01-01', 3), rec('2025-01-25', 3), rec('2025-02-19', 3)], plan, false);
    // 01-25 = 01-01 + 21 + 3 (not > 3); 02-19 = 01-25 + 21 + 4.
    expect(e.cycles.map((c) => c.delayDays)).toEqual([null, 3, 4]);
    expect(e.delays.map((d) => d.cycle)).toEqual([3]);
  });

  it('records that cannot be counted are listed and withhold the RDI; another unit is not added', () => {
    const e = subjectExposure([rec('2025-01-01', 3, {}, 1), rec('2025-01', 3, {}, 2), rec('2025-01-22', 210, { unit: 'mg' }, 3), rec('2025-02-12', null, {}, 4)], plan, false);
    expect(e.cumulativeDose).toBe(3);
    expect(e.notUsed.map((n) => [n.rowNo, n.detail.split(':')[0]])).toEqual([
      [2, 'EXSTDTC "2025-01" is not a complete date'],
      [3, "EXDOSU mg is not the plan's unit mg/kg"],
      [4, 'EXDOSE is empty'],
    ]);
    expect(e.relativeDoseIntensity).toBeNull();
    expect(e.rdiNotComputed).toMatch(/^3 EX record\(s\) could not be counted/);
  });

  it('a record over an interval (daily dosing, EXENDTC after EXSTDTC) is not counted as one administration', () => {
    const e = subjectExposure([rec('2025-01-01', 3, { endDtc: '2025-01-01T02:00' }, 1), rec('2025-01-22', 54, { endDtc: '2025-02-04', freq: 'QD' }, 2)], plan, false);
    // 01-22 .. 02-04 inclusive = 10 + 4 = 14 days.
    expect(e.cumulativeDose).toBe(3);
    expect(e.notUsed.map((n) => n.detail)).toEqual([
      'EX record over 14 days (EXSTDTC 2025-01-22 to EXENDTC 2025-02-04, EXDOSFRQ QD): dosing over an interval; the exposure table counts one administration per record and does not derive it',
    ]);
    expect(e.relativeDoseIntensity).toBeNull();
  });

  it('placebo and a first dose outside the plan: no RDI, with the reason', () => {
    expect(subjectExposure([rec('2025-01-01', 0)], { ...plan, plannedDose: null }, true).rdiNotComputed).toBe('placebo');
    expect(subjectExposure([rec('2025-01-01', 5)], { ...plan, plannedDose: null }, false).rdiNotComputed).toMatch(/not in the dose plan/);
  });

  it('level summary counts subjects, not events', () => {
    const a = subjectExposure([rec('2025-01-06', 3), rec('2025-01-27', 3), rec('2025-02-21', 2), rec('2025-03-14', 2)], plan, false);
    const b = subjectExposure([rec('2025-01-01', 3), rec('2025-01-22', 3)], plan, false);
    const l = levelExposure([a, b]);
    expect(l).toMatchObject({ n: 2, cyclesMedian: 3, cyclesMin: 2, cyclesMax: 4, cyclesTotal: 6, rdiN: 2, withDelay: 1, withReduction: 1, withInterruption: 0, delays: 1, reductions: 2 });
    // b: 6 mg/kg over 42 days = 1 mg/kg/week: RDI 1; median of 0.79545 and 1.
    expect(l.rdiMedian).toBeCloseTo((70 / 88 + 1) / 2, 12);
  });
});
