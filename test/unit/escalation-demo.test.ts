// The demo study scenario: accelerated titration design 2 (Simon et al. 1997, S8; escalation_rules.md
// (b)) with single patients at levels 1, 2, 3, the second grade-2 patient at level 3 ends the
// accelerated phase, then 3+3 ((a), S1/S2/S3): level 4 0/3, level 5 0/3, level 6 1/3 -> 6 (1/6),
// level 7 2/3 -> MTD = level 6.
import { describe, expect, it } from 'vitest';
import { recommend, recommendForStudy, type EscalationAction } from '../../shared/escalation/index.js';
import { EscalationDesign } from '../../shared/study.js';

const DEMO = '1N 2G 3G 4NNN 5NNN 6NNT 6NNN 7NTT';
const run = (history: string) =>
  recommend({ design: 'atd', atdDesign: 2, atdHandoff: 'next-level', levels: 8, history, deescalation: true, sixAtMtd: true });

describe(`demo study path '${DEMO}' — (b) ATD design 2 -> (a) 3+3`, () => {
  const steps: [string, EscalationAction, number | null, number | null, string][] = [
    ['', 'CONTINUE_COHORT', 1, 1, '(b) S8: start with one patient at level 1'],
    ['1N', 'ESCALATE_SINGLE', 2, 2, '(b) S8: no DLT, no grade 2 -> next single patient'],
    ['1N 2G', 'ESCALATE_SINGLE', 3, 3, '(b) S8: first grade-2 patient does not end the accelerated phase'],
    ['1N 2G 3G', 'SWITCH_TO_3P3', 4, 4, '(b) S8: second grade-2 patient -> 3-6 patient cohorts'],
    ['1N 2G 3G 4NNN', 'ESCALATE', 5, 5, '(a) S1, S2 4a: 0/3 -> escalate'],
    ['1N 2G 3G 4NNN 5NNN', 'ESCALATE', 6, 6, '(a) S1, S2 4a: 0/3 -> escalate'],
    ['1N 2G 3G 4NNN 5NNN 6NNT', 'STAY_EXPAND_TO_6', 6, 6, '(a) S1, S2 4b: 1/3 -> expand to 6'],
    ['1N 2G 3G 4NNN 5NNN 6NNT 6NNN', 'ESCALATE', 7, 7, '(a) S1, S2 5b: 1/6 -> escalate'],
    ['1N 2G 3G 4NNN 5NNN 6NNT 6NNN 7NTT', 'STOP_MTD', null, 6, '(a) S2 6b, S3: 2/3 at 7, level 6 has 6 with 1 DLT -> MTD = 6'],
  ];
  for (const [history, action, nextLevel, recommendedLevel, why] of steps) {
    it(`'${history}' -> ${action} ${why}`, () => {
      const x = run(history);
      expect([x.action, x.nextLevel, x.recommendedLevel]).toEqual([action, nextLevel, recommendedLevel]);
      expect(x.continues).toBe(action !== 'STOP_MTD');
      expect(x.explanation.length).toBeGreaterThan(40);
    });
  }
  it('the final explanation names the rule and the counts', () => {
    const x = run(DEMO);
    expect(x.explanation).toContain('2 of 3 evaluable patients at level 7 had a DLT');
    expect(x.explanation).toContain('stop, MTD = level 6');
    expect(x.rule).toBe('atd/3+3/exceeded-lower-has-6');
  });
  it('(a) edge case 1 during the last cohort: 2 DLTs among the first 2 of 3 at level 7 is already determined', () => {
    const x = run('1N 2G 3G 4NNN 5NNN 6NNT 6NNN 7TT');
    expect([x.action, x.determined, x.whenComplete?.action, x.whenComplete?.recommendedLevel]).toEqual(['CONTINUE_COHORT', true, 'STOP_MTD', 6]);
    const open = run('1N 2G 3G 4NNN 5NNN 6NNT 6NNN 7NT');
    expect([open.action, open.determined]).toEqual(['CONTINUE_COHORT', false]);
    const pending = run('1N 2G 3G 4NNN 5NNN 6NNT 6NNN 7TTP');
    expect(run('1N 2G 3G 4NNN 5NNN 6NNT 6NNN 7NTP').determined).toBe(false);
    expect([pending.action, pending.determined, pending.pending]).toEqual(['CONTINUE_COHORT', true, 1]);
  });
  it('with the default hand-off (S14: fill the trigger level) the same point would instead add 2 patients at level 3', () => {
    const x = recommend({ design: 'atd', atdDesign: 2, levels: 8, history: '1N 2G 3G' });
    expect([x.action, x.nextLevel, x.openSlots]).toEqual(['SWITCH_TO_3P3', 3, 2]);
  });
});

describe('the demo path follows the rule', () => {
  it('no departures along the demo path', () => {
    expect(run(DEMO).departures).toBeUndefined();
    expect(run(DEMO).warnings).toEqual([]);
  });
});

describe('recommendForStudy maps the study definition (shared/study.ts EscalationDesign)', () => {
  it('ATD design 2 with the schema defaults (de-escalation, 6 at the MTD) gives MTD = level 6 on the demo path', () => {
    const design = EscalationDesign.parse({ design: 'atd', atdDesign: 2, atdHandoff: 'next-level' });
    const x = recommendForStudy(design, { levels: 8, history: DEMO });
    expect([x.design, x.action, x.recommendedLevel]).toEqual(['atd', 'STOP_MTD', 6]);
    expect(x.explanation).toContain('with de-escalation');
    expect(x.explanation).toContain('6 at the MTD');
  });
});
