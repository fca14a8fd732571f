// Accelerated titration designs 2-4 (Simon et al. 1997, S8) handing over to 3+3:
// shared/reference/escalation/escalation_rules.md section (b).
import { describe, expect, it } from 'vitest';
import { atdAcceleratedNextLevel, intrapatientEscalation, parseHistory, recommend, type RecommendInput } from '../../shared/escalation/index.js';

const atd = (history: string, o: Partial<RecommendInput> = {}) =>
  recommend({ design: 'atd', atdDesign: 2, levels: 8, history, deescalation: true, sixAtMtd: false, ...o });

describe('(b) accelerated phase: one patient per level until the trigger (S8)', () => {
  it('(b) S8: an empty history starts with a single patient at level 1', () => {
    const x = atd('');
    expect([x.action, x.nextLevel, x.openSlots]).toEqual(['CONTINUE_COHORT', 1, 1]);
  });
  for (const design of [2, 3, 4] as const) {
    it(`(b) S8 design ${design}: no DLT, fewer than 2 grade-2 patients -> ESCALATE_SINGLE`, () => {
      const x = atd('1N 2G', { atdDesign: design });
      expect([x.action, x.nextLevel, x.openSlots, x.rule]).toEqual(['ESCALATE_SINGLE', 3, 1, 'atd/escalate-single']);
      expect(x.explanation).toContain(`design ${design}`);
      expect(x.explanation).toContain('1 of 2 grade-2 patients so far');
    });
    it(`(b) S8 design ${design}: first DLT -> SWITCH_TO_3P3, fill the trigger level to 3 counting the titration patient (S14, S13)`, () => {
      const x = atd('1N 2N 3T', { atdDesign: design });
      expect([x.action, x.nextLevel, x.openSlots]).toEqual(['SWITCH_TO_3P3', 3, 2]);
      expect(x.explanation).toContain('add 2 patients at level 3');
    });
    it(`(b) S8 design ${design}: second grade-2 patient -> SWITCH_TO_3P3`, () => {
      const x = atd('1G 2N 3G', { atdDesign: design });
      expect([x.action, x.nextLevel]).toEqual(['SWITCH_TO_3P3', 3]);
      expect(x.explanation).toContain('second grade-2 patient at level 3');
    });
  }
  it('(b) hand-off: after the DLT trigger level d is filled to 3 and 3+3 sees 1/3 -> expand to 6', () => {
    const x = atd('1N 2N 3T 3NN');
    expect([x.action, x.nextLevel]).toEqual(['STAY_EXPAND_TO_6', 3]);
    expect(x.explanation).toContain('1 of 3 evaluable patients at level 3 had a DLT');
    const y = atd('1N 2N 3T 3N');
    expect([y.action, y.openSlots]).toEqual(['CONTINUE_COHORT', 1]);
  });
  it('(b) after the switch, 3+3 cohorts with 40% steps = one planned level (S8)', () => {
    const x = atd('1N 2N 3T 3NN 3NNN', { acceleratedStepLevels: 2 });
    expect([x.action, x.nextLevel]).toEqual(['ESCALATE', 4]);
  });
});

describe('(b) courses that count for the trigger: course 1 (designs 2, 3) or any course (design 4)', () => {
  it('(b) S8: later-course grade 2 (g) counts for design 4 only', () => {
    for (const design of [2, 3] as const) expect(atd('1Ng 2Ng', { atdDesign: design }).action).toBe('ESCALATE_SINGLE');
    const x = atd('1Ng 2Ng', { atdDesign: 4 });
    expect([x.action, x.nextLevel]).toEqual(['SWITCH_TO_3P3', 2]);
    expect(x.explanation).toContain('later course, counted by design 4');
  });
  it('(b) S8: a DLT-grade toxicity in a later course (t) triggers design 4 only, and is not a DLT for 3+3', () => {
    expect(atd('1Nt', { atdDesign: 3 }).action).toBe('ESCALATE_SINGLE');
    const x = atd('1Nt', { atdDesign: 4 });
    expect([x.action, x.nextLevel]).toEqual(['SWITCH_TO_3P3', 1]);
    const y = atd('1Nt 1NN', { atdDesign: 4 });
    expect([y.action, y.nextLevel]).toEqual(['ESCALATE', 2]); // 0 of 3 DLT in the DLT window
  });
});

describe('(b) step size of the accelerated phase: 40% (design 2) or 100% (designs 3, 4)', () => {
  const grid40 = [0.01, 0.014, 0.0196, 0.02744, 0.038416, 0.0537824, 0.07529536, 0.105413504];
  it('(b) illustration: on a 40% dose grid design 2 steps one level, designs 3 and 4 double (two levels)', () => {
    expect(atdAcceleratedNextLevel(1, { atdDesign: 2, levels: 8, doses: grid40 })).toBe(2);
    expect(atdAcceleratedNextLevel(1, { atdDesign: 3, levels: 8, doses: grid40 })).toBe(3);
    expect(atdAcceleratedNextLevel(3, { atdDesign: 4, levels: 8, doses: grid40 })).toBe(5);
    expect(atdAcceleratedNextLevel(7, { atdDesign: 4, levels: 8, doses: grid40 })).toBe(8);
    const x = atd('1N', { atdDesign: 3, doses: grid40 });
    expect([x.action, x.nextLevel]).toEqual(['ESCALATE_SINGLE', 3]);
    expect(x.explanation).toContain('100% dose step');
  });
  it('(b) illustration: on a doubling table (0.01, 0.02, 0.04 ...) every design moves one level', () => {
    const dbl = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28];
    for (const design of [2, 3, 4] as const) expect(atdAcceleratedNextLevel(2, { atdDesign: design, levels: 8, doses: dbl })).toBe(3);
  });
  it('(b) without a dose table the step is one planned level; acceleratedStepLevels overrides', () => {
    expect(atd('1N', { atdDesign: 3 }).nextLevel).toBe(2);
    expect(atd('1N', { atdDesign: 3, acceleratedStepLevels: 2 }).nextLevel).toBe(3);
  });
});

describe('(b) gaps in the sources handled as protocol choices', () => {
  it('(b) ATD-13: MTD exceeded above a single-patient titration level -> DEESCALATE_FILL_LOWER, then 6 before an MTD', () => {
    const x = atd('1N 2N 3T 3NT');
    expect([x.action, x.nextLevel, x.certainty, x.sources]).toEqual(['DEESCALATE_FILL_LOWER', 2, 'protocol-choice', ['ATD-13', 'S2 6b']]);
    // Same in the escalation-only variant: a 1-patient level cannot be declared the MTD.
    expect(atd('1N 2N 3T 3NT', { deescalation: false }).action).toBe('DEESCALATE_FILL_LOWER');
    const y = atd('1N 2N 3T 3NT 2NN');
    expect([y.action, y.nextLevel]).toEqual(['STAY_EXPAND_TO_6', 2]);
    const z = atd('1N 2N 3T 3NT 2NN 2NNN');
    expect([z.action, z.recommendedLevel]).toEqual(['STOP_MTD', 2]);
  });
  it('grade-2 hand-off: default fills the trigger level (S14); "next-level" starts 3+3 one level up (protocol choice)', () => {
    const a = atd('1N 2G 3G');
    expect([a.action, a.nextLevel, a.openSlots, a.certainty]).toEqual(['SWITCH_TO_3P3', 3, 2, 'source-implied']);
    const b = atd('1N 2G 3G', { atdHandoff: 'next-level' });
    expect([b.action, b.nextLevel, b.openSlots, b.certainty]).toEqual(['SWITCH_TO_3P3', 4, 3, 'protocol-choice']);
    // A DLT trigger always fills the trigger level.
    expect(atd('1N 2N 3T', { atdHandoff: 'next-level' }).nextLevel).toBe(3);
  });
  it('the number of grade-2 patients that ends the phase is configurable (S8: 2)', () => {
    expect(atd('1N 2G').action).toBe('ESCALATE_SINGLE');
    expect(atd('1N 2G', { atdGrade2Trigger: 1 }).action).toBe('SWITCH_TO_3P3');
  });
  it('accelerated phase reaching the top level without a trigger switches to 3+3 cohorts there', () => {
    const x = atd('1N 2N 3N', { levels: 3 });
    expect([x.action, x.nextLevel, x.openSlots]).toEqual(['SWITCH_TO_3P3', 3, 2]);
  });
  it('a pending single patient holds the accelerated phase', () => {
    const x = atd('1N 2P');
    expect([x.action, x.nextLevel, x.pending, x.openSlots]).toEqual(['CONTINUE_COHORT', 2, 1, 0]);
  });
  it('a multi-patient cohort during the accelerated phase is flagged', () => {
    expect(atd('1NN 2N').warnings.join(' ')).toContain('single-patient cohorts expected');
  });
  it("design 'atd' without atdDesign is an input error", () => {
    expect(() => recommend({ design: 'atd', levels: 5, history: '' })).toThrow(/atdDesign/);
  });
});

describe('(b) intrapatient escalation: designs 2-4 "if the worst toxicity is grade 0-1 in the previous course" (S8)', () => {
  for (const design of [2, 3, 4] as const) {
    it(`(b) S8 design ${design}: grade 0 and 1 -> INTRAPATIENT_ESCALATE; grade 2 -> INTRAPATIENT_NO_ESCALATION`, () => {
      for (const g of [0, 1]) {
        const x = intrapatientEscalation({ atdDesign: design, patientLevel: 2, worstGradePreviousCourse: g, levels: 8 });
        expect([x.action, x.nextLevel]).toEqual(['INTRAPATIENT_ESCALATE', 3]);
      }
      const y = intrapatientEscalation({ atdDesign: design, patientLevel: 2, worstGradePreviousCourse: 2, levels: 8 });
      expect([y.action, y.nextLevel, y.certainty]).toEqual(['INTRAPATIENT_NO_ESCALATION', 2, 'source-explicit']);
    });
  }
  it('(b) S8 design 1: no intrapatient escalation', () => {
    expect(intrapatientEscalation({ atdDesign: 1, patientLevel: 2, worstGradePreviousCourse: 0, levels: 8 }).action).toBe('INTRAPATIENT_NO_ESCALATION');
  });
  it('(b) not settled by S8: grade >= 3 -> no escalation, protocol decides the reduction', () => {
    const x = intrapatientEscalation({ atdDesign: 2, patientLevel: 4, worstGradePreviousCourse: 3, levels: 8 });
    expect([x.action, x.certainty]).toEqual(['INTRAPATIENT_NO_ESCALATION', 'protocol-choice']);
  });
  it('never into a level that has exceeded the MTD, nor above the top or the protocol cap', () => {
    const history = parseHistory('1N 2N 3T 3NT');
    expect(intrapatientEscalation({ atdDesign: 2, patientLevel: 2, worstGradePreviousCourse: 0, levels: 8, history }).action).toBe('INTRAPATIENT_NO_ESCALATION');
    expect(intrapatientEscalation({ atdDesign: 2, patientLevel: 8, worstGradePreviousCourse: 0, levels: 8 }).action).toBe('INTRAPATIENT_NO_ESCALATION');
    expect(intrapatientEscalation({ atdDesign: 2, patientLevel: 3, worstGradePreviousCourse: 1, levels: 8, maxLevel: 3 }).action).toBe('INTRAPATIENT_NO_ESCALATION');
  });
  it('recommend() answers an intrapatient question through the same entry point', () => {
    const x = atd('1N 2N', { intrapatient: { patientLevel: 1, worstGradePreviousCourse: 1 } });
    expect([x.design, x.action, x.nextLevel]).toEqual(['atd', 'INTRAPATIENT_ESCALATE', 2]);
  });
});
