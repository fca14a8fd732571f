// ruleDepartures replays the rule once per cohort, stepping its state forward (issue 14 item 1). The
// replay it replaced ran the rule afresh on every prefix of the history (quadratic); that replay is
// kept here as the oracle, with the backward scan of earlierWindowOpen, and both must list the same
// departures, field for field, on many generated histories of every design: 3+3 with de-escalation,
// escalation-only 3+3 (Storer 1989), accelerated titration designs 2-4 (Simon et al. 1997), BOIN
// with and without its titration (Liu & Yuan 2015) and mTPI-2 (Guo et al. 2017).
import { describe, expect, it } from 'vitest';
import { formatHistory, type HistoryCohort, type ParsedHistory, type PatientOutcome } from '../../shared/escalation/history';
import { earlierWindowOpen, recommendCore, ruleDepartures, type CohortTiming, type PathDeparture, type RecommendInput } from '../../shared/escalation/recommend';

/** The replay before issue 14: recommendCore on history.cohorts.slice(0, i) for every i. */
function oracleDepartures(input: RecommendInput & { history: ParsedHistory }): PathDeparture[] {
  const history = input.history;
  const out: PathDeparture[] = [];
  for (let i = 0; i < history.cohorts.length; i++) {
    const c = history.cohorts[i]!;
    const before = recommendCore({ ...input, history: { cohorts: history.cohorts.slice(0, i) } });
    if (!before.continues) {
      out.push({ cohortIndex: i, level: c.level, expectedAction: before.action, expectedLevel: before.nextLevel, kind: 'after-stop',
        message: `cohort ${i + 1} at level ${c.level} was treated after the rule had stopped the trial (${before.action}${before.recommendedLevel === null ? '' : `, level ${before.recommendedLevel}`}).` });
    } else if (before.nextLevel !== c.level) {
      const base = { cohortIndex: i, level: c.level, expectedAction: before.action, expectedLevel: before.nextLevel };
      const continuing = before.action === 'CONTINUE_COHORT' && i > 0;
      if (continuing && input.cohortTiming) {
        const open = earlierWindowOpen(input.cohortTiming, i);
        out.push(open
          ? { ...base, kind: 'window-open', message: `cohort ${i + 1} at level ${c.level} was started on ${input.cohortTiming[i]!.firstDose.slice(0, 10)}, while the DLT window of cohort ${open.index + 1} (level ${history.cohorts[open.index]!.level}) was open until ${open.windowEnd}.` }
          : { ...base, kind: 'elsewhere', message: `cohort ${i + 1} was treated at level ${c.level}; the rule wanted more patients at level ${before.nextLevel} (CONTINUE_COHORT).` });
      } else {
        out.push({ ...base, kind: continuing ? 'window-open' : 'elsewhere',
          message: continuing
            ? `cohort ${i + 1} at level ${c.level} was started while the cohort at level ${before.nextLevel} was still in progress.`
            : `cohort ${i + 1} was treated at level ${c.level}; the rule recommended ${before.action} to level ${before.nextLevel}.` });
      }
    }
  }
  return out;
}

/** Small deterministic generator (mulberry32) so that a failure names a seed that reproduces it. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * A history that mostly follows the rule (so that stops, expansions and de-escalations happen) and
 * sometimes departs from it (other levels, extra cohorts after a stop, cohorts of 1-4 with pending
 * patients and later-course annotations), with cohort dates that overlap now and then.
 */
function generate(input: Omit<RecommendInput, 'history'>, seed: number, cohorts: number): { history: ParsedHistory; timing: CohortTiming[] } {
  const r = rng(seed);
  const list: HistoryCohort[] = [];
  const timing: CohortTiming[] = [];
  let day = Date.UTC(2025, 0, 1);
  const pDlt = 0.1 + r() * 0.35;
  for (let i = 0; i < cohorts; i++) {
    let level: number;
    const rec = recommendCore({ ...input, history: { cohorts: list.slice() } });
    if (r() < 0.8 && rec.nextLevel !== null) level = rec.nextLevel;
    else if (r() < 0.5 && list.length > 0) level = list[list.length - 1]!.level;
    else level = 1 + Math.floor(r() * input.levels);
    const size = r() < 0.3 ? 1 : 1 + Math.floor(r() * 4);
    const patients = Array.from({ length: size }, () => {
      const u = r();
      const outcome: PatientOutcome = u < pDlt ? 'T' : u < pDlt + 0.15 ? 'G' : u < pDlt + 0.2 && i > cohorts - 4 ? 'P' : 'N';
      const v = r();
      return v < 0.05 ? { outcome, laterCourse: 'g' as const } : v < 0.08 ? { outcome, laterCourse: 't' as const } : { outcome };
    });
    list.push({ level, patients });
    day += Math.floor(r() * 35) * DAY;
    timing.push({ firstDose: r() < 0.5 ? iso(day) : `${iso(day)}T09:30`, windowEnd: r() < 0.1 ? null : iso(day + (20 + Math.floor(r() * 20)) * DAY) });
  }
  return { history: { cohorts: list }, timing };
}

const DESIGNS: { name: string; input: Omit<RecommendInput, 'history'> }[] = [
  { name: '3+3 with de-escalation, 6 at the MTD', input: { design: '3+3', levels: 6 } },
  { name: '3+3 with de-escalation, without 6 at the MTD', input: { design: '3+3', levels: 5, sixAtMtd: false } },
  { name: 'escalation-only 3+3 (Storer)', input: { design: '3+3', levels: 6, deescalation: false } },
  { name: 'escalation-only 3+3, no 6 at the MTD, start at 2', input: { design: '3+3', levels: 7, deescalation: false, sixAtMtd: false, startLevel: 2 } },
  { name: 'ATD design 2 with doses', input: { design: 'atd', levels: 7, atdDesign: 2, doses: [0.01, 0.03, 0.1, 0.3, 1, 3, 10] } },
  { name: 'ATD design 3, hand-off to the next level', input: { design: 'atd', levels: 6, atdDesign: 3, atdHandoff: 'next-level' } },
  { name: 'ATD design 4 (later courses), trigger of 3, step 2', input: { design: 'atd', levels: 8, atdDesign: 4, atdGrade2Trigger: 3, acceleratedStepLevels: 2 } },
  { name: 'BOIN 0.3', input: { design: 'boin', levels: 6, target: 0.3 } },
  { name: 'BOIN 0.25, extrasafe, n.earlystop 9, max 30', input: { design: 'boin', levels: 5, target: 0.25, extrasafe: true, nEarlyStop: 9, maxPatients: 30 } },
  { name: 'BOIN with titration', input: { design: 'boin', levels: 6, target: 0.3, boinTitration: true } },
  { name: 'mTPI-2 0.3', input: { design: 'mtpi2', levels: 6, target: 0.3 } },
  { name: 'mTPI-2 0.25, cohorts of 2, max 24', input: { design: 'mtpi2', levels: 5, target: 0.25, cohortSize: 2, maxPatients: 24 } },
];

describe('ruleDepartures (one step per cohort) equals the prefix-by-prefix replay', () => {
  for (const { name, input } of DESIGNS) {
    it(name, () => {
      let departures = 0;
      const kinds = new Set<string>();
      for (let seed = 1; seed <= 60; seed++) {
        const { history, timing } = generate(input, seed * 7919 + name.length, 4 + (seed % 25));
        for (const withTiming of [false, true]) {
          const full = { ...input, history, ...(withTiming ? { cohortTiming: timing } : {}) };
          const expected = oracleDepartures(full);
          // The notation form and the parsed form give the same answer.
          const got = ruleDepartures({ ...full, history: formatHistory(history) });
          expect(got, `seed ${seed}, timing ${withTiming}: ${formatHistory(history)}`).toEqual(expected);
          departures += got.length;
          for (const d of got) kinds.add(d.kind);
        }
      }
      // The generated paths exercise departures of every kind, so the comparison is not vacuous.
      expect(departures).toBeGreaterThan(50);
      expect(kinds.has('elsewhere')).toBe(true);
    });
  }

  it('every kind of departure occurs across the designs', () => {
    const kinds = new Set<string>();
    for (const { input } of DESIGNS) {
      for (let seed = 1; seed <= 30; seed++) {
        const { history, timing } = generate(input, seed, 20);
        for (const d of ruleDepartures({ ...input, history, cohortTiming: timing })) kinds.add(d.kind);
      }
    }
    expect([...kinds].sort()).toEqual(['after-stop', 'elsewhere', 'window-open']);
  });

  it('a long history (300 cohorts of 3 over three BOIN levels) gives the oracle\'s answer', () => {
    const cohorts: HistoryCohort[] = Array.from({ length: 300 }, (_, i) => ({ level: 1 + (i % 3), patients: [{ outcome: i % 5 === 0 ? 'T' : 'N' }, { outcome: 'N' }, { outcome: 'N' }] }));
    const input = { design: 'boin' as const, levels: 4, target: 0.3, history: { cohorts } };
    expect(ruleDepartures(input)).toEqual(oracleDepartures(input));
  });
});
