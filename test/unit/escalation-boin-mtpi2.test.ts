// Trial conduct with BOIN (escalation_rules.md (c), S9/S11) and mTPI-2 ((d), S12/S5).
import { describe, expect, it } from 'vitest';
import { boinEliminationBoundary, boinSelectMtd, posteriorProbAbove, recommend, type RecommendInput } from '../../shared/escalation/index.js';

const boin = (history: string, target: number, o: Partial<RecommendInput> = {}) => recommend({ design: 'boin', levels: 5, history, target, ...o });
const mtpi2 = (history: string, o: Partial<RecommendInput> = {}) => recommend({ design: 'mtpi2', levels: 5, history, target: 0.3, ...o });

describe('BOIN conduct (c) S9', () => {
  it('(c) points for the committee: target 0.25, 1/3 already means de-escalate; target 0.30, 1/3 stays', () => {
    const a = boin('1NNN 2NTN', 0.25);
    expect([a.action, a.nextLevel]).toEqual(['DEESCALATE', 1]);
    expect(a.explanation).toContain('1 of 3 patients at level 2 had a DLT (for n = 3: escalate if DLTs <= 0, de-escalate if >= 1, eliminate if >= 3)');
    expect(boin('1NNN 2NTN', 0.3).action).toBe('STAY');
  });
  it('(c) target 0.25: 2/6 de-escalates; target 0.30: 2/6 stays (3+3 would stop)', () => {
    expect(boin('1NNN 2NNT 2NNT', 0.25).action).toBe('DEESCALATE');
    expect(boin('1NNN 2NNT 2NNT', 0.3).action).toBe('STAY');
  });
  it('(c) S11 Yan et al. 2020 worked example steps at target 0.30: 2/6 stay, 2/9 escalate, 3/3 eliminate', () => {
    expect(boin('1NNN 2NNT 2NNT', 0.3).action).toBe('STAY');
    const x = boin('1NNN 2NNT 2NNT 2NNN', 0.3);
    expect([x.action, x.nextLevel]).toEqual(['ESCALATE', 3]);
    const y = boin('1NNN 2TTT', 0.3);
    expect([y.action, y.nextLevel, y.rule]).toEqual(['DEESCALATE_ELIMINATE', 1, 'boin/eliminate']);
  });
  it('(c) near-threshold elimination at 0.25: 2/3 de-escalates but does not eliminate; 3/3 eliminates', () => {
    expect(boin('1NNN 2NTT', 0.25).action).toBe('DEESCALATE');
    expect(boin('1NNN 2TTT', 0.25).action).toBe('DEESCALATE_ELIMINATE');
  });
  it('(c) stopping rule 1: the lowest dose eliminated -> STOP_NO_MTD', () => {
    const x = boin('1TTT', 0.3);
    expect([x.action, x.recommendedLevel, x.continues]).toEqual(['STOP_NO_MTD', null, false]);
  });
  it('(c) conduct from get.oc: escalate only below the top and into a non-eliminated level; de-escalate only above level 1', () => {
    expect(boin('1NNN 2NNN 3NNN 4NNN 5NNN', 0.3).action).toBe('STAY');
    const x = boin('1NNN 2TTT 1NNN', 0.3);
    expect([x.action, x.rule]).toEqual(['STAY', 'boin/escalate-blocked-stay']);
    expect(boin('1NTN', 0.25).action).toBe('STAY');
  });
  it('(c) extrasafe: stop when n >= 3 at the lowest dose and Pr(p1 > target) > 0.95 - 0.05', () => {
    // Pr(p > 0.30 | 2/3) = 0.916 ((c) posterior values): above 0.90, below 0.95.
    expect(boin('1NTT', 0.3, { extrasafe: true }).action).toBe('STOP_NO_MTD');
    expect(boin('1NTT', 0.3).action).toBe('STAY');
  });
  it('(c) stopping rule 2: n.earlystop reached -> STOP_MTD with isotonic MTD selection', () => {
    const x = boin('1NNN 2NNT 2NNT 2NNN', 0.3, { nEarlyStop: 9 });
    expect([x.action, x.recommendedLevel]).toEqual(['STOP_MTD', 2]);
  });
  it('(c) MTD selection (select.mtd, S9): BOIN example n = (3,3,15,9,0), y = (0,0,4,4,0) -> level 3', () => {
    // Hand computation from the S9 formula: (y+0.05)/(n+0.1) = 0.016, 0.016, 0.268, 0.445 (already
    // monotone); closest to 0.3 is level 3 (|0.268 - 0.3| = 0.032).
    const n = [3, 3, 15, 9, 0];
    const y = [0, 0, 4, 4, 0];
    const tallies = n.map((ni, i) => ({ level: i + 1, n: ni, dlt: y[i]!, grade2: 0, pending: 0 }));
    expect(boinSelectMtd(tallies, { target: 0.3 })).toBe(3);
    // No MTD (code 99) when the lowest level is eliminated.
    expect(boinSelectMtd([{ level: 1, n: 3, dlt: 3, grade2: 0, pending: 0 }], { target: 0.3 })).toBeNull();
  });
  it('(c) MTD selection pools adjacent violators (PAVA) and breaks ties toward the higher level below the target', () => {
    // Levels 2 and 3 both 0/3 -> identical estimates below the target: the higher (3) wins (+1e-10 x index).
    const t = [{ level: 1, n: 3, dlt: 0 }, { level: 2, n: 3, dlt: 0 }, { level: 3, n: 3, dlt: 0 }].map((x) => ({ ...x, grade2: 0, pending: 0 }));
    expect(boinSelectMtd(t, { target: 0.3 })).toBe(3);
  });
  it('(c) any target: the boundaries come from the formula (target 0.2, n = 3: escalate if 0, de-escalate if >= 1)', () => {
    const x = boin('1NTN', 0.2, { levels: 3 });
    expect(x.explanation).toContain('BOIN (Liu & Yuan 2015), target 0.2');
    expect(x.explanation).toContain('for n = 3: escalate if DLTs <= 0, de-escalate if >= 1');
    expect(() => boin('', 0.7)).toThrow(/too high/);
  });
  it('(c) an incomplete cohort continues; determined when every completion gives the same decision', () => {
    // Target 0.25, 1 DLT in the first 2 of 3: 1/3 and 2/3 both de-escalate (2/3 does not eliminate).
    const a = boin('1NNN 2NT', 0.25);
    expect([a.action, a.determined, a.whenComplete?.action]).toEqual(['CONTINUE_COHORT', true, 'DEESCALATE']);
    // Target 0.30: 1/3 stays, 2/3 de-escalates -> open.
    expect(boin('1NNN 2NT', 0.3).determined).toBe(false);
    const p = boin('1NNN 2NNP', 0.3);
    expect([p.action, p.pending, p.openSlots]).toEqual(['CONTINUE_COHORT', 1, 0]);
  });
});

describe('BOIN elimination boundary (c) S9: the first y with Pr(p > target | y, n) > 0.95', () => {
  // The definition, searched directly (the running sum in boinEliminationBoundary must agree with it).
  const byDefinition = (n: number, target: number) => {
    if (n < 3) return null;
    for (let y = 1; y <= n; y++) if (posteriorProbAbove(target, y, n) > 0.95) return y;
    return null;
  };
  it('equals the definition for n = 1..80 at targets 0.20, 0.25, 0.30 (S9 get.boundary: 3/3 eliminates at 0.30)', () => {
    for (const target of [0.2, 0.25, 0.3]) for (let n = 1; n <= 80; n++) expect(boinEliminationBoundary(n, { target }), `n=${n} target=${target}`).toBe(byDefinition(n, target));
    expect(boinEliminationBoundary(3, { target: 0.3 })).toBe(3);
  });
  it('answers for a level holding thousands of patients (a pooled expansion), equal to the definition', () => {
    expect(boinEliminationBoundary(5000, { target: 0.3 })).toBe(byDefinition(5000, 0.3));
  });
});

describe('mTPI-2 conduct (d) S12, with the dose caps of S5', () => {
  it('(d) E -> escalate; S -> stay; D -> de-escalate', () => {
    expect(mtpi2('1NNN').action).toBe('ESCALATE');
    expect(mtpi2('1NNN 2NTN').action).toBe('STAY');
    expect(mtpi2('1NNN 2NNT 2NNT').action).toBe('STAY');
    expect(mtpi2('1NNN 2NNT 2NNN').action).toBe('ESCALATE');
    const d = mtpi2('1NNN 2NTT');
    expect([d.action, d.nextLevel]).toEqual(['DEESCALATE', 1]);
  });
  it('(d) "At dose 1 a D means stay at dose 1; DU at dose 1 stops the trial" (S5 implementation)', () => {
    expect(mtpi2('1NTT').action).toBe('STAY');
    const x = mtpi2('1TTT');
    expect([x.action, x.recommendedLevel, x.continues]).toEqual(['STOP_NO_MTD', null, false]);
  });
  it('(d) DU above level 1: the dose and all higher doses are unacceptable -> DEESCALATE_ELIMINATE', () => {
    const x = mtpi2('1NNN 2TTT');
    expect([x.action, x.nextLevel]).toEqual(['DEESCALATE_ELIMINATE', 1]);
    // No escalation back into an unacceptable level.
    expect(mtpi2('1NNN 2TTT 1NNN').action).toBe('STAY');
  });
  it('(d) top-dose cap: E at the highest level stays', () => {
    expect(mtpi2('1NNN 2NNN', { levels: 2 }).action).toBe('STAY');
  });
  it('(d) explanation names the model, interval and counts', () => {
    expect(mtpi2('1NNN 2NTN').explanation).toBe(
      'mTPI-2 (Guo et al. 2017), pT 0.3, EI (0.25, 0.35): 1 of 3 patients at level 2 had a DLT, table decision S (Pr(p > 0.3) = 0.652); stay at level 2.',
    );
  });
});

describe("BOIN's own accelerated titration (b) S13, get.oc(titration = TRUE)", () => {
  const bt = (history: string) => boin(history, 0.3, { boinTitration: true });
  it('(b) S13: single patients escalate while no DLT is seen', () => {
    expect([bt('').action, bt('').openSlots]).toEqual(['CONTINUE_COHORT', 1]);
    expect([bt('1N 2N').action, bt('1N 2N').nextLevel]).toEqual(['ESCALATE_SINGLE', 3]);
  });
  it('(b) S13: the first DLT completes the titration; the trigger level gets cohortsize - 1 more (DLT only, grade 2 does not trigger)', () => {
    const x = bt('1N 2T');
    expect([x.action, x.nextLevel, x.openSlots]).toEqual(['SWITCH_TO_COHORTS', 2, 2]);
    expect(bt('1N 2G').action).toBe('ESCALATE_SINGLE');
    expect([bt('1N 2T 2N').action, bt('1N 2T 2N').openSlots]).toEqual(['CONTINUE_COHORT', 1]);
    // Titration patients stay in the tallies: 1/3 at level 2 at target 0.30 -> stay.
    const y = bt('1N 2T 2NN');
    expect([y.action, y.nextLevel]).toEqual(['STAY', 2]);
    expect(y.explanation).toContain('1 of 3 patients at level 2 had a DLT');
  });
});
