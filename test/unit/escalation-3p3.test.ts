// 3+3 rules of shared/reference/escalation/escalation_rules.md section (a), with the
// expectations of the R package `escalation` (S5, tests/testthat/test_three_plus_three.R, as cited
// in (a) "Cross-check with the R package escalation").
import { describe, expect, it } from 'vitest';
import { recommend, type RecommendInput } from '../../shared/escalation/index.js';

type Opts = Partial<Omit<RecommendInput, 'history'>>;
const r33 = (history: string, o: Opts = {}) =>
  recommend({ design: '3+3', levels: 5, history, deescalation: false, sixAtMtd: false, ...o });
const storer = (h: string) => r33(h);
const korn = (h: string) => r33(h, { deescalation: true });

/** [history, S5 recommended_dose (null = NA), S5 continue] */
type S5Case = [string, number | null, boolean];

function checkS5(fn: (h: string) => ReturnType<typeof r33>, cases: S5Case[]) {
  for (const [h, dose, cont] of cases) {
    const x = fn(h);
    expect({ h, dose: x.recommendedLevel, cont: x.continues }).toEqual({ h, dose, cont });
  }
}

const earlyCommon: S5Case[] = [
  ['', 1, true], ['1N', 1, true], ['1T', 1, true], ['1NN', 1, true], ['1NT', 1, true], ['1TT', 1, true],
  ['1NNN', 2, true], ['1NNT', 1, true], ['1NTT', null, false], ['1TTT', null, false],
  ['1NNN 2N', 2, true], ['1NNN 2T', 2, true], ['1NNN 2NN', 2, true], ['1NNN 2NT', 2, true], ['1NNN 2TT', 2, true],
  ['1NNN 2NNN', 3, true], ['1NNN 2NNT', 2, true],
  ['1NNN 2NNT 2N', 2, true], ['1NNN 2NNT 2T', 2, true], ['1NNN 2NNT 2NN', 2, true], ['1NNN 2NNT 2NT', 2, true],
  ['1NNN 2NNT 2TT', 2, true], ['1NNN 2NNT 2NNN', 3, true],
];
const TOP = '1NNN 2NNN 3NNN 4NNN';
const topCommon: S5Case[] = [
  [`${TOP} 5N`, 5, true], [`${TOP} 5NN`, 5, true], [`${TOP} 5NNN`, 5, false], [`${TOP} 5NNT`, 5, true],
  [`${TOP} 5NNT 5N`, 5, true], [`${TOP} 5NNT 5NN`, 5, true], [`${TOP} 5NNT 5NT`, 5, true], [`${TOP} 5NNT 5TT`, 5, true],
  [`${TOP} 5NNT 5NNN`, 5, false],
];

describe('3+3 escalation-only (Storer 1989, S4; S5 allow_deescalate = FALSE) — (a) variants', () => {
  it('(a) S5 expectations without de-escalation, levels 1-2 and the top level', () => {
    checkS5(storer, [
      ...earlyCommon,
      ['1NNN 2NTT', 1, false], ['1NNN 2TTT', 1, false], ['1NNN 2NNT 2NNT', 1, false], ['1NNN 2NNT 2NTT', 1, false],
      ...topCommon,
      [`${TOP} 5NTT`, 4, false], [`${TOP} 5TTT`, 4, false],
      [`${TOP} 5NNT 5NNT`, 4, false], [`${TOP} 5NNT 5NTT`, 4, false], [`${TOP} 5NNT 5TTT`, 4, false],
    ]);
  });
  it("(a) variants: '1NNN 2NTT' -> stop, recommend level 1 (STOP_MTD) even though level 1 has only 3", () => {
    const x = storer('1NNN 2NTT');
    expect(x.action).toBe('STOP_MTD');
    expect(x.recommendedLevel).toBe(1);
    expect(x.nextLevel).toBeNull();
    expect(x.explanation).toContain('Storer 1989');
    expect(x.explanation).toContain('2 of 3 evaluable patients at level 2 had a DLT');
  });
  it('(a) edge case 8: paths that left the algorithm still get advice (S5)', () => {
    checkS5(storer, [['1NNN 1T', 1, true], ['1NNN 1NNT', 2, true], ['1NNN 1NTT', null, false], ['1NNN 1TTT', null, false]]);
    expect(storer('1NNN 1NNT').action).toBe('ESCALATE');
  });
  it("(a) edge case 3: a back-filled level ends the trial ('1NNN 2NTT 1NNN' -> 1, stop)", () => {
    const x = storer('1NNN 2NTT 1NNN');
    expect([x.action, x.recommendedLevel, x.continues]).toEqual(['STOP_MTD', 1, false]);
  });
});

describe('3+3 with de-escalation (Korn et al. 1994 S3; Yang et al. 2015 S2; S5 allow_deescalate = TRUE) — (a)', () => {
  it('(a) S5 expectations with de-escalation, levels 1-2 and the top level', () => {
    checkS5(korn, [
      ...earlyCommon,
      ['1NNN 2NTT', 1, true], ['1NNN 2TTT', 1, true], ['1NNN 2NNT 2NNT', 1, true], ['1NNN 2NNT 2NTT', 1, true],
      ...topCommon,
      [`${TOP} 5NTT`, 4, true], [`${TOP} 5TTT`, 4, true],
      [`${TOP} 5NNT 5NNT`, 4, true], [`${TOP} 5NNT 5NTT`, 4, true], [`${TOP} 5NNT 5TTT`, 4, true],
    ]);
  });

  it("(a) variants: de-escalation cascades ('1NNN 2NNN 3NNN 4NNN 5NNT 5TTT 4NTT 3TTT 2NTT 1NTT' -> no dose), every step as S5", () => {
    const path = ['1NNN', '2NNN', '3NNN', '4NNN', '5NNT', '5TTT'];
    const cases: S5Case[] = [];
    // At each de-escalated level L (4, 3, 2, 1), the back-fill cohort: partial -> continue at L;
    // 0/3 or 1/3 more (<= 1 of 6) -> stop with MTD L; 2 or 3 more (>= 2 of 6) -> de-escalate to L-1.
    for (const [L, lowerCohort] of [[4, '4NTT'], [3, '3TTT'], [2, '2NTT'], [1, '1NTT']] as const) {
      const pre = path.join(' ');
      for (const s of ['N', 'T', 'NN', 'NT', 'TT']) cases.push([`${pre} ${L}${s}`, L, true]);
      cases.push([`${pre} ${L}NNN`, L, false], [`${pre} ${L}NNT`, L, false]);
      cases.push([`${pre} ${L}NTT`, L === 1 ? null : L - 1, L !== 1], [`${pre} ${L}TTT`, L === 1 ? null : L - 1, L !== 1]);
      path.push(lowerCohort);
    }
    checkS5(korn, cases);
    const last = korn(path.join(' '));
    expect(last.action).toBe('STOP_NO_MTD');
    expect(korn('1NNN 2NNN 3NNN 4NNN 5NNT 5TTT 4NTT').action).toBe('DEESCALATE_EXPAND_LOWER');
  });

  it('(a) edge case 4: Korn MTD when the lower level already has 6 (S5 manual checks)', () => {
    checkS5(korn, [
      ['1NNN 2NNN 3NTT', 2, true],
      ['1NNN 2NNN 2NNN 3NTT', 2, false],
      ['1NTN 1NNN 2NNN 3NTT', 2, true],
      ['1NTN 1NNN 2NTN 2NNN 3NTT', 2, false],
      ['1NTN 1NTN 2NTN 2NNN 3NTT', 2, false],
      ['1NTN 1NTN 2NTN 2NTN 3NTT', null, false],
    ]);
    expect(korn('1NTN 1NTN 2NTN 2NTN 3NTT').action).toBe('STOP_NO_MTD');
    expect(korn('1NNN 2NNN 2NNN 3NTT').action).toBe('STOP_MTD');
  });

  it('(a) S5 selector: de-escalation from a start above level 1', () => {
    const cases: S5Case[] = [['2NNT 2NNN', 3, true], ['2NNT 2NNT', 1, true], ['2NNT 2NTT', 1, true], ['2NNT 2TTT', 1, true], ['2NTT', 1, true]];
    for (const pre of ['2NNT 2NNT', '2NNT 2NTT', '2NNT 2TTT', '2NTT']) {
      for (const s of ['N', 'T', 'NN', 'NT', 'TT']) cases.push([`${pre} 1${s}`, 1, true]);
      cases.push([`${pre} 1NNN`, 1, false], [`${pre} 1NNT`, 1, true], [`${pre} 1NTT`, null, false], [`${pre} 1TTT`, null, false]);
    }
    for (const s of ['N', 'T', 'NN', 'NT', 'TT']) cases.push([`2NTT 1NNT 1${s}`, 1, true]);
    cases.push(['2NTT 1NNT 1NNN', 1, false], ['2NTT 1NNT 1NNT', null, false], ['2NTT 1NNT 1NTT', null, false], ['2NTT 1NNT 1TTT', null, false]);
    checkS5((h) => korn(h), cases);
  });
});

describe('3+3 decision table rows of (a) (current level d)', () => {
  const opt = { levels: 5 };
  it('(a) n=3, 0 DLT, d below top -> ESCALATE (S1, S2 4a/7b)', () => {
    const x = r33('1NNN 2NNN', opt);
    expect([x.action, x.nextLevel, x.rule, x.certainty]).toEqual(['ESCALATE', 3, '3+3/escalate-0-of-3', 'source-explicit']);
    expect(x.explanation).toContain('0 of 3 evaluable patients at level 2 had a DLT; escalate to level 3');
  });
  it('(a) n=3, 0 DLT, d = top -> STOP_MAX_DOSE (S2 7a, S5, S16); with 6 at the MTD -> STAY_EXPAND_TO_6 (S15)', () => {
    expect(r33(`${TOP} 5NNN`).action).toBe('STOP_MAX_DOSE');
    const six = r33(`${TOP} 5NNN`, { sixAtMtd: true });
    expect([six.action, six.nextLevel, six.continues]).toEqual(['STAY_EXPAND_TO_6', 5, true]);
    const done = r33(`${TOP} 5NNN 5NNN`, { sixAtMtd: true });
    expect([done.action, done.recommendedLevel]).toEqual(['STOP_MAX_DOSE', 5]);
  });
  it('(a) n=3, 1 DLT -> STAY_EXPAND_TO_6 (S1, S2 4b); the explanation names the rule and counts', () => {
    const x = r33('1NNN 2NNN 3NNN 4NNN 5NNN 6NNT', { levels: 8 });
    expect(x.action).toBe('STAY_EXPAND_TO_6');
    expect(x.explanation).toBe('3+3 escalation-only (Storer 1989): 1 of 3 evaluable patients at level 6 had a DLT; expand level 6 to 6 patients (3 more at level 6).');
  });
  it('(a) n=3, >=2 DLT, d = lowest -> STOP_NO_MTD (S2 6a, S5, S7) in both variants', () => {
    for (const o of [{}, { deescalation: true }, { deescalation: true, sixAtMtd: true }]) {
      const x = r33('1NTT', o);
      expect([x.action, x.recommendedLevel, x.continues]).toEqual(['STOP_NO_MTD', null, false]);
    }
  });
  it('(a) n=3, >=2 DLT, d-1 has 3 -> DEESCALATE_EXPAND_LOWER (S2 6b, S6, S7)', () => {
    const x = korn('1NNN 2NNN 3TTN');
    expect([x.action, x.nextLevel, x.recommendedLevel, x.continues]).toEqual(['DEESCALATE_EXPAND_LOWER', 2, 2, true]);
  });
  it('(a) n=3, >=2 DLT, d-1 already has 6 -> STOP_MTD = d-1 (S2 6b, S3)', () => {
    const x = korn('1NNN 2NNT 2NNN 3NTT');
    expect([x.action, x.recommendedLevel]).toEqual(['STOP_MTD', 2]);
  });
  it('(a) n=6, 0-1 DLT, no higher level exceeded -> ESCALATE (S1, S2 5b->7)', () => {
    expect([korn('1NNN 2NNT 2NNN').action, korn('1NNN 2NNT 2NNN').nextLevel]).toEqual(['ESCALATE', 3]);
  });
  it('(a) n=6, 0-1 DLT, level d+1 has exceeded the MTD -> STOP_MTD = d (S2 5a/5b, S5)', () => {
    const x = korn('1NNN 2NNN 3NTT 2NNT');
    expect([x.action, x.recommendedLevel, x.continues]).toEqual(['STOP_MTD', 2, false]);
  });
  it('(a) n=6, 0-1 DLT, d = top -> STOP_MAX_DOSE (S2 7a, S5, S16)', () => {
    expect(r33(`${TOP} 5NNT 5NNN`).action).toBe('STOP_MAX_DOSE');
  });
  it('(a) n=6, >=2 DLT: lowest -> STOP_NO_MTD; d-1 has 3 -> de-escalate; d-1 has 6 -> STOP_MTD d-1 (S2 6)', () => {
    expect(korn('1NNT 1NNT').action).toBe('STOP_NO_MTD');
    expect(korn('1NNN 2NNT 2NNT').action).toBe('DEESCALATE_EXPAND_LOWER');
    const x = korn('1NNN 1NNN 2NNT 2NNT');
    expect([x.action, x.recommendedLevel]).toEqual(['STOP_MTD', 1]);
  });
  it('(a) 1-2 or 4-5 patients -> CONTINUE_COHORT at d (S5 behaviour)', () => {
    for (const h of ['1N', '1NT', '1NNN 2NNT 2N', '1NNN 2NNT 2NN']) {
      const x = korn(h);
      expect([h, x.action, x.continues]).toEqual([h, 'CONTINUE_COHORT', true]);
    }
    expect(korn('1NNN 2NNT 2N').openSlots).toBe(2);
  });
});

describe('"6 at the MTD" (S15) — (a) variants', () => {
  // Changed (issue 10, item 9): escalation-only never returns to a lower level, "6 at the MTD" or
  // not. Storer 1989 (S4) / Le Tourneau 2009 (S1): ">= 2 of 3-6 with a DLT -> the MTD is the level just
  // below"; escalation_rules.md (a) variants: "stop and recommend d-1 even when d-1 has only 3
  // patients". The old test asserted DEESCALATE_EXPAND_LOWER (asking for 3 more at level 2).
  it('(a) escalation-only + 6 at the MTD: >=2 DLT above a 3-patient level stops and declares the level below (Storer), saying 6 at the MTD is left to the expansion', () => {
    const x = r33('1NNN 2NNN 3NTT', { sixAtMtd: true });
    expect([x.action, x.nextLevel, x.recommendedLevel, x.continues, x.rule]).toEqual(['STOP_MTD', null, 2, false, '3+3/exceeded-stop-storer']);
    expect(x.explanation).toContain('2 of 3 evaluable patients at level 3 had a DLT');
    expect(x.explanation).toContain('Level 2 has 3 patients: "6 at the MTD" (S15) is not met');
    // Level 2 already with 6 (1 DLT): the same stop, no note.
    const y = r33('1NNN 2NNT 2NNN 3TTN', { sixAtMtd: true });
    expect([y.action, y.recommendedLevel]).toEqual(['STOP_MTD', 2]);
    expect(y.explanation).not.toContain('6 at the MTD" (S15) is not met');
  });
  it('(a) de-escalation + 6 at the MTD: 0/3 at a level first treated after the level above exceeded adds 3 (S15) instead of stopping (S5)', () => {
    expect(korn('2NTT 1NNN').action).toBe('STOP_MTD');
    const x = r33('2NTT 1NNN', { deescalation: true, sixAtMtd: true });
    expect([x.action, x.nextLevel]).toEqual(['STAY_EXPAND_TO_6', 1]);
  });
  it('(a) the minutes say which rule was applied: explanation names the variant', () => {
    expect(r33('1NNN', { deescalation: true, sixAtMtd: true }).explanation).toMatch(/^3\+3 with de-escalation \(Korn et al\. 1994; Yang et al\. 2015\), 6 at the MTD:/);
    expect(r33('1NNN').explanation).toMatch(/^3\+3 escalation-only \(Storer 1989\):/);
  });
});

describe('determined outcomes and pending subjects — (a) edge case 1', () => {
  it("(a) edge case 1: '1TT' (2 DLTs in the first 2 of 3) continues but is flagged as determined", () => {
    const x = korn('1TT');
    expect([x.action, x.determined, x.whenComplete?.action]).toEqual(['CONTINUE_COHORT', true, 'STOP_NO_MTD']);
    expect(x.explanation).toContain('already determined');
  });
  it("(a) edge case 1: '1NNN 2NNT 2T' (2 of 4 during expansion) is determined: MTD exceeded at level 2", () => {
    const x = korn('1NNN 2NNT 2T');
    expect(x.determined).toBe(true);
    expect([x.whenComplete?.action, x.whenComplete?.nextLevel]).toEqual(['DEESCALATE_EXPAND_LOWER', 1]);
    const s = storer('1NNN 2NNT 2T');
    expect([s.determined, s.whenComplete?.action, s.whenComplete?.recommendedLevel]).toEqual([true, 'STOP_MTD', 1]);
  });
  it('(a) an incomplete cohort whose outcome is open is not determined', () => {
    for (const h of ['1N', '1NT', '1NN', '1NNN 2NNT 2N', '1NNN 2NNT 2NN']) expect([h, korn(h).determined]).toEqual([h, false]);
  });
  it('pending (P) patients are not evaluable: the cohort waits, nothing is enrolled', () => {
    const x = korn('1NNN 2NNP');
    expect([x.action, x.nextLevel, x.pending, x.openSlots, x.determined]).toEqual(['CONTINUE_COHORT', 2, 1, 0, false]);
    expect(x.explanation).toContain('1 patient still inside the DLT window');
  });
  it('pending patient with 2 DLTs already in the cohort: determined (a) edge case 1', () => {
    const x = korn('1NNN 2TTP');
    expect([x.action, x.determined, x.whenComplete?.action]).toEqual(['CONTINUE_COHORT', true, 'DEESCALATE_EXPAND_LOWER']);
  });
  it('a pending patient at a lower level does not hold the decision at the current level', () => {
    expect(korn('1NNP 2NNN').action).toBe('ESCALATE');
  });
});

describe('(a) edge case 6: more than 6 at one level', () => {
  it("warns 'Inconsistent 3+3' (S5)", () => {
    const x = korn('1NNN 1NNN 1N');
    expect(x.warnings.join(' ')).toContain('Inconsistent 3+3');
  });
});

describe('recommend() input checks', () => {
  it('rejects a level above the plan with the position', () => {
    expect(() => r33('1NNN 6NNN')).toThrow(/position 6.*above the highest planned level 5/);
  });
  it('rejects a non-positive number of levels', () => {
    expect(() => recommend({ design: '3+3', levels: 0, history: '' })).toThrow(/levels/);
  });
});

describe('(a) edge case 7: paths that break 3+3 are reported as departures (S5 strict mode)', () => {
  it('S5 strict-mode errors: more than 3 at a 0-DLT level, skipped level, enrolment after the stop', () => {
    for (const h of ['1NNN 1N', '1NNN 1NNN', '1NNN 2NNT 2NNN 4N', '1NNN 2TTT 1N']) {
      const x = storer(h);
      expect([h, (x.departures ?? []).length]).toEqual([h, 1]);
      expect(x.warnings.some((w) => w.startsWith('Departure from the rule'))).toBe(true);
    }
    expect(storer('1NNN 2NNT 2NNN 4N').departures![0]).toMatchObject({ cohortIndex: 3, level: 4, expectedAction: 'ESCALATE', expectedLevel: 3 });
  });
  it("the S5 TODO gaps '1NTT 1N' and '1NNN 1T' are reported too", () => {
    expect(storer('1NTT 1N').departures![0]!.expectedAction).toBe('STOP_NO_MTD');
    expect(storer('1NNN 1T').departures![0]!.expectedAction).toBe('ESCALATE');
  });
  it('a second cohort opened while one is in progress is reported', () => {
    expect(korn('1NNN 2N 3NNN').departures![0]!.message).toContain('still in progress');
  });
  it('rule-following paths (expansion written as a second token, a de-escalation cascade) have no departures', () => {
    expect(storer('1NNN 2NNT 2NNN').departures).toBeUndefined();
    expect(korn('1NNN 2NNN 3NNN 4NNN 5NNT 5TTT 4NTT 3TTT 2NTT 1NTT').departures).toBeUndefined();
  });
});
