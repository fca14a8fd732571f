// Look-ahead decision table (shared/safety/lookahead.ts). Two kinds of check:
// 1. every outcome path equals the live rule (shared/escalation recommend / recommendForStudy, the
//    functions behind the DLT table's recommendation) applied to the current history with the
//    path's hypothetical patients appended, the history being rebuilt here independently;
// 2. hand-worked decisions from the cited rules: 3+3 (Storer 1989; Le Tourneau et al. 2009,
//    escalation_rules.md (a)), BOIN at target 0.3 (Liu & Yuan 2015: lambda_e = 0.236, lambda_d = 0.358,
//    boundary table of escalation_rules.md (c)), mTPI-2 at pT = 0.3, e1 = e2 = 0.05 (Guo et al. 2017,
//    decision table of escalation_rules.md (d)).
import { describe, expect, it } from 'vitest';
import { recommend, recommendForStudy, type Recommendation } from '../../shared/escalation/index';
import { parseHistory } from '../../shared/escalation/history';
import { lookahead, type LookaheadPath, type LookaheadStep } from '../../shared/safety/lookahead';
import { StudyDefinition } from '../../shared/study';

const def = (escalation: Record<string, unknown>, levels = 5) =>
  StudyDefinition.parse({ studyId: 'LA', doseLevels: Array.from({ length: levels }, (_, i) => ({ level: i + 1, dose: 10 * 2 ** i })), escalation });

/** The history after the path's steps, rebuilt from the start history: in each step the DLTs (T) come first, then N. */
function rebuild(start: string, steps: readonly LookaheadStep[]): string {
  const tokens = start.split(' ').filter((t) => t !== '');
  for (const s of steps) {
    const letters = Array.from({ length: s.patients }, (_, i) => (i < s.dlts ? 'T' : 'N'));
    if (s.kind === 'pending') {
      const i = tokens.findIndex((t) => t.includes('P'));
      let tok = tokens[i]!;
      while (letters.length > 0 && tok.includes('P')) tok = tok.replace('P', letters.shift()!);
      tokens[i] = tok + letters.join('');
    } else if (s.kind === 'fill' && tokens.length > 0 && Number(/^\d+/.exec(tokens[tokens.length - 1]!)![0]) === s.level) {
      tokens[tokens.length - 1] += letters.join('');
    } else tokens.push(`${s.level}${letters.join('')}`);
  }
  return tokens.join(' ');
}

const brief = (r: Pick<Recommendation, 'action' | 'nextLevel' | 'recommendedLevel' | 'continues' | 'determined'>) => ({ action: r.action, nextLevel: r.nextLevel, recommendedLevel: r.recommendedLevel, continues: r.continues, determined: r.determined });

const SCENARIOS: { name: string; escalation: Record<string, unknown>; start: string }[] = [
  { name: '3+3 with de-escalation, before the first patient', escalation: { design: '3+3' }, start: '' },
  { name: '3+3 with de-escalation, after 0/3 at DL1', escalation: { design: '3+3' }, start: '1NNN' },
  { name: '3+3, two pending at DL2', escalation: { design: '3+3' }, start: '1NNN 2NPP' },
  { name: '3+3, expansion at DL2 with one pending', escalation: { design: '3+3' }, start: '1NNN 2TNN 2NP' },
  { name: 'escalation-only 3+3 (no de-escalation, no 6 at the MTD)', escalation: { design: '3+3', deescalation: false, sixAtMtd: false }, start: '1NNN' },
  { name: 'accelerated titration design 2', escalation: { design: 'atd', atdDesign: 2 }, start: '1N' },
  { name: 'accelerated titration design 3, next-level hand-off', escalation: { design: 'atd', atdDesign: 3, atdHandoff: 'next-level' }, start: '' },
  { name: 'BOIN target 0.3', escalation: { design: 'boin', targetToxicity: 0.3 }, start: '1NNN 2NTN' },
  { name: 'BOIN target 0.25', escalation: { design: 'boin', targetToxicity: 0.25 }, start: '1NNN' },
  { name: 'mTPI-2 target 0.3', escalation: { design: 'mtpi2', targetToxicity: 0.3 }, start: '1NNN 2P' },
];

describe('every path equals the live rule on the history with its patients appended', () => {
  for (const sc of SCENARIOS) {
    it(`${sc.name}, from "${sc.start}", K = 6`, () => {
      const d = def(sc.escalation);
      const r = lookahead(d, parseHistory(sc.start), 6);
      expect(r.paths.length).toBeGreaterThan(0);
      const target = d.escalation.targetToxicity;
      for (const p of r.paths) {
        const h = rebuild(sc.start, p.steps);
        expect({ path: p.steps, history: p.history }).toEqual({ path: p.steps, history: h });
        const live = recommendForStudy(d.escalation, { levels: 5, history: h });
        expect({ h, ...brief(p.protocol as never) }).toEqual({ h, ...brief(live) });
        expect({ h, ...brief(p.boin as never) }).toEqual({ h, ...brief(recommend({ design: 'boin', levels: 5, history: h, target })) });
        expect({ h, ...brief(p.mtpi2 as never) }).toEqual({ h, ...brief(recommend({ design: 'mtpi2', levels: 5, history: h, target })) });
        expect(p.patients).toBe(p.steps.reduce((n, s) => n + s.patients, 0));
        expect(p.patients).toBeLessThanOrEqual(6);
      }
    });
  }

  it('the enumeration is complete: after each completed step where the rule continues, every (k, d) of the next step, k up to the budget', () => {
    for (const sc of SCENARIOS) {
      const r = lookahead(def(sc.escalation), parseHistory(sc.start), 6);
      const key = (steps: readonly LookaheadStep[]) => JSON.stringify(steps.map((s) => [s.level, s.patients, s.dlts]));
      const seen = new Set(r.paths.map((p) => key(p.steps)));
      const parents: (LookaheadPath | null)[] = [null, ...r.paths.filter((p) => p.steps[p.steps.length - 1]!.patients === p.steps[p.steps.length - 1]!.size && p.protocol.continues && p.patients < 6)];
      for (const parent of parents) {
        const prefix = parent?.steps ?? [];
        const children = r.paths.filter((p) => p.steps.length === prefix.length + 1 && key(p.steps.slice(0, -1)) === key(prefix));
        expect(children.length, `${sc.name}: children of ${key(prefix)}`).toBeGreaterThan(0);
        const { level, size } = children[0]!.steps[prefix.length]!;
        const budget = 6 - (parent?.patients ?? 0);
        for (let k = 1; k <= Math.min(size, budget); k++)
          for (let dl = 0; dl <= k; dl++) expect(seen.has(key([...prefix, { level, patients: k, dlts: dl, size, kind: 'cohort' }])), `${sc.name}: ${key(prefix)} + ${level}:${k}/${dl}`).toBe(true);
        expect(children.length).toBe(Array.from({ length: Math.min(size, budget) }, (_, i) => i + 2).reduce((a, b) => a + b, 0));
      }
    }
  });

  it('K bounds: 1..6; a stopped trial has no path, with a note', () => {
    const d = def({ design: '3+3' });
    expect(() => lookahead(d, parseHistory('1NNN'), 0)).toThrow(/1 to 6/);
    expect(() => lookahead(d, parseHistory('1NNN'), 7)).toThrow(/1 to 6/);
    const stopped = lookahead(d, parseHistory('1NTT'), 3);
    expect(stopped.paths).toEqual([]);
    expect(stopped.note).toMatch(/does not continue.*STOP_NO_MTD/);
  });
});

/** The path whose steps are (level, patients, dlts) in order. */
function at(paths: LookaheadPath[], ...steps: [number, number, number][]): LookaheadPath {
  const p = paths.find((x) => x.steps.length === steps.length && x.steps.every((s, i) => s.level === steps[i]![0] && s.patients === steps[i]![1] && s.dlts === steps[i]![2]));
  if (!p) throw new Error(`no path ${JSON.stringify(steps)}`);
  return p;
}
const dec = (r: { action: string | null; nextLevel: number | null }) => [r.action, r.nextLevel];

describe('hand-worked decisions from the cited rules', () => {
  it('3+3 at DL2 after 0/3 at DL1: 0/3 escalate, 1/3 expand to 6, 1/6 escalate, 2/6 exceeded (de-escalate to DL1, which has 3), ≥2/3 exceeded', () => {
    const { paths } = lookahead(def({ design: '3+3' }), parseHistory('1NNN'), 6);
    // Storer 1989 / Le Tourneau 2009: 0 of 3 → escalate; 1 of 3 → 3 more at the same level.
    expect(dec(at(paths, [2, 3, 0]).protocol)).toEqual(['ESCALATE', 3]);
    expect(dec(at(paths, [2, 3, 1]).protocol)).toEqual(['STAY_EXPAND_TO_6', 2]);
    // 1 of 6 → escalate; 2 of 6 → MTD exceeded: with de-escalation, 3 more at DL1 (only 3 treated there).
    expect(dec(at(paths, [2, 3, 1], [2, 3, 0]).protocol)).toEqual(['ESCALATE', 3]);
    expect(dec(at(paths, [2, 3, 1], [2, 3, 1]).protocol)).toEqual(['DEESCALATE_EXPAND_LOWER', 1]);
    expect(dec(at(paths, [2, 3, 2]).protocol)).toEqual(['DEESCALATE_EXPAND_LOWER', 1]);
    // Cohort of 3 incomplete: 2 patients without DLT → keep enrolling (CONTINUE_COHORT at DL2).
    expect(dec(at(paths, [2, 2, 0]).protocol)).toEqual(['CONTINUE_COHORT', 2]);
    // 2 DLTs in the first 2 of 3: whatever the third shows, ≥ 2/3 (determined).
    const two = at(paths, [2, 2, 2]).protocol;
    expect([two.action, two.determined, two.whenComplete?.action]).toEqual(['CONTINUE_COHORT', true, 'DEESCALATE_EXPAND_LOWER']);
    // The new cohort after an escalation is 3 patients at DL3.
    expect(at(paths, [2, 3, 0], [3, 3, 0]).steps[1]).toMatchObject({ level: 3, size: 3, kind: 'cohort' });
  });

  it('escalation-only 3+3 without 6 at the MTD: 2/6 at DL2 → stop, MTD = DL1 (Storer 1989 variant, escalation_rules.md (a))', () => {
    const { paths } = lookahead(def({ design: '3+3', deescalation: false, sixAtMtd: false }), parseHistory('1NNN'), 6);
    const p = at(paths, [2, 3, 1], [2, 3, 1]).protocol;
    expect([p.action, p.nextLevel, p.recommendedLevel, p.continues]).toEqual(['STOP_MTD', null, 1, false]);
    // A stopped path has no continuation.
    expect(paths.some((x) => x.steps.length === 3 && x.steps[0]!.dlts === 1 && x.steps[1]!.dlts === 1)).toBe(false);
  });

  it('BOIN target 0.3 (λe = 0.236, λd = 0.358; elimination Pr(p > 0.3) > 0.95) beside 3+3 at DL2', () => {
    const { paths } = lookahead(def({ design: '3+3' }), parseHistory('1NNN'), 6);
    // n = 3: escalate if y ≤ floor(0.236·3) = 0; de-escalate if y ≥ ceil(0.358·3) = 2; eliminate at 3/3 (1 − 0.3^4 = 0.992 > 0.95).
    expect(dec(at(paths, [2, 3, 0]).boin)).toEqual(['ESCALATE', 3]);
    expect(dec(at(paths, [2, 3, 1]).boin)).toEqual(['STAY', 2]);
    expect(dec(at(paths, [2, 3, 2]).boin)).toEqual(['DEESCALATE', 1]);
    expect(dec(at(paths, [2, 3, 3]).boin)).toEqual(['DEESCALATE_ELIMINATE', 1]);
    // n = 6: escalate if y ≤ floor(1.42) = 1; stay at 2/6 (3+3 would call the MTD exceeded); de-escalate if y ≥ ceil(2.15) = 3; eliminate at 4/6.
    expect(dec(at(paths, [2, 3, 1], [2, 3, 0]).boin)).toEqual(['ESCALATE', 3]);
    expect(dec(at(paths, [2, 3, 1], [2, 3, 1]).boin)).toEqual(['STAY', 2]);
    expect(dec(at(paths, [2, 3, 1], [2, 3, 2]).boin)).toEqual(['DEESCALATE', 1]);
    expect(dec(at(paths, [2, 3, 1], [2, 3, 3]).boin)).toEqual(['DEESCALATE_ELIMINATE', 1]);
    // n = 1, 2: escalate only at 0, de-escalate at ≥ 1 (table rows n = 1, 2).
    expect(dec(at(paths, [2, 1, 0]).boin)).toEqual(['CONTINUE_COHORT', 2]);
  });

  it('mTPI-2 pT = 0.3, ε = 0.05 (Guo et al. 2017): n = 3 → E S D DU; n = 6 → E E S D DU', () => {
    const { paths } = lookahead(def({ design: '3+3' }), parseHistory('1NNN'), 6);
    const m = (...s: [number, number, number][]) => dec(at(paths, ...s).mtpi2);
    expect([m([2, 3, 0]), m([2, 3, 1]), m([2, 3, 2]), m([2, 3, 3])]).toEqual([['ESCALATE', 3], ['STAY', 2], ['DEESCALATE', 1], ['DEESCALATE_ELIMINATE', 1]]);
    expect([m([2, 3, 1], [2, 3, 0]), m([2, 3, 1], [2, 3, 1]), m([2, 3, 1], [2, 3, 2]), m([2, 3, 1], [2, 3, 3])]).toEqual([['ESCALATE', 3], ['STAY', 2], ['DEESCALATE', 1], ['DEESCALATE_ELIMINATE', 1]]);
  });

  it('BOIN as the protocol rule: the path follows BOIN (1/3 at DL2 → stay, 3 more at DL2)', () => {
    const { paths } = lookahead(def({ design: 'boin', targetToxicity: 0.3 }), parseHistory('1NNN'), 6);
    expect(dec(at(paths, [2, 3, 1]).protocol)).toEqual(['STAY', 2]);
    expect(at(paths, [2, 3, 1], [2, 3, 1]).steps[1]).toMatchObject({ level: 2, size: 3 });
    // 2/6 at DL2 under BOIN: stay (n = 6: 1 < 2 < 3).
    expect(dec(at(paths, [2, 3, 1], [2, 3, 1]).protocol)).toEqual(['STAY', 2]);
  });

  it('accelerated titration design 2 (Simon et al. 1997): single-patient cohorts; a DLT switches to 3+3 cohorts at that level', () => {
    const { paths } = lookahead(def({ design: 'atd', atdDesign: 2 }), parseHistory('1N'), 3);
    // From 1N the rule escalates one patient at a time: the first step is 1 patient at DL2.
    expect(paths[0]!.steps[0]).toMatchObject({ level: 2, size: 1, kind: 'cohort' });
    expect(dec(at(paths, [2, 1, 0]).protocol)).toEqual(['ESCALATE_SINGLE', 3]);
    // A DLT in the accelerated phase ends it: 3+3 at the trigger level (expand-trigger-level hand-off), 2 more to make 3.
    expect(dec(at(paths, [2, 1, 1]).protocol)).toEqual(['SWITCH_TO_3P3', 2]);
    expect(at(paths, [2, 1, 1], [2, 2, 0]).steps[1]).toMatchObject({ level: 2, size: 2 });
    expect(at(paths, [2, 1, 0], [3, 1, 0]).steps[1]).toMatchObject({ level: 3, size: 1 });
  });

  it('pending patients are the first next patients: 3+3 "1NNN 2NPP" → the 2 pending resolve first (1 DLT of 3 → expand)', () => {
    const { paths, current } = lookahead(def({ design: '3+3' }), parseHistory('1NNN 2NPP'), 2);
    expect(dec(current.protocol)).toEqual(['CONTINUE_COHORT', 2]);
    expect(paths[0]!.steps[0]).toMatchObject({ level: 2, size: 2, kind: 'pending' });
    expect(at(paths, [2, 2, 1]).history).toBe('1NNN 2NTN');
    expect(dec(at(paths, [2, 2, 1]).protocol)).toEqual(['STAY_EXPAND_TO_6', 2]);
    expect(dec(at(paths, [2, 2, 0]).protocol)).toEqual(['ESCALATE', 3]);
    // One of the two resolved: still pending → continue.
    expect(at(paths, [2, 1, 0]).history).toBe('1NNN 2NNP');
    expect(dec(at(paths, [2, 1, 0]).protocol)).toEqual(['CONTINUE_COHORT', 2]);
  });
});
