// mTPI-2 (Guo et al. 2017, S12; equivalent to the Keyboard design, S17).
// Reference: docs/CLINICAL_RULES.md#mtpi2. Beta(1,1) prior on the DLT rate at the current dose;
// equivalence interval EI = (pT - e1, pT + e2); the rest of (0, 1) is cut into sub-intervals of
// width e1 + e2 (truncated at 0 and 1). Unit probability mass UPM = posterior probability of the
// interval / its width. Highest UPM below EI -> E, in EI -> S, above -> D. A dose (and all higher
// doses) is unacceptable if Pr(p > pT | data) > xi: DU.
import { cohortDesignRecommendation } from './boin.js';
import type { LevelTally, ParsedHistory } from './history.js';
import { betaCdfInteger, pava, posteriorProbAbove, valueCache } from './probability.js';
import type { Decision, Recommendation } from './vocabulary.js';

export interface Mtpi2Options {
  /** Target DLT rate pT. */
  target: number;
  /** EI lower half-width (default 0.05). */
  epsilon1?: number;
  /** EI upper half-width (default 0.05). */
  epsilon2?: number;
  /** Exclusion certainty xi (default 0.95). */
  xi?: number;
}

export type Mtpi2Cell = 'E' | 'S' | 'D' | 'DU';

export interface Mtpi2Interval {
  lower: number;
  upper: number;
  region: 'under' | 'equivalent' | 'over';
}

function opts(o: Mtpi2Options) {
  return { target: o.target, e1: o.epsilon1 ?? 0.05, e2: o.epsilon2 ?? 0.05, xi: o.xi ?? 0.95 };
}

/** The partition of (0, 1) used by mTPI-2 (S12; construction as in S5 `mtpi2_selector`). */
export function mtpi2Intervals(o: Mtpi2Options): Mtpi2Interval[] {
  const { target, e1, e2 } = opts(o);
  const delta = e1 + e2;
  const eiLow = Math.max(target - e1, 0);
  const eiHigh = Math.min(target + e2, 1);
  const eps = 1e-12;
  const out: Mtpi2Interval[] = [];
  for (let k = 0; eiLow - k * delta > eps; k++) {
    const upper = eiLow - k * delta;
    out.unshift({ lower: Math.max(upper - delta, 0), upper, region: 'under' });
  }
  out.push({ lower: eiLow, upper: eiHigh, region: 'equivalent' });
  for (let k = 0; eiHigh + k * delta < 1 - eps; k++) {
    const lower = eiHigh + k * delta;
    out.push({ lower, upper: Math.min(lower + delta, 1), region: 'over' });
  }
  return out;
}

/** Unit probability mass of each interval for y DLTs in n patients (posterior Beta(y + 1, n - y + 1)). */
export function mtpi2Upm(y: number, n: number, o: Mtpi2Options): { interval: Mtpi2Interval; upm: number }[] {
  return mtpi2Intervals(o).map((interval) => ({
    interval,
    upm: (betaCdfInteger(interval.upper, y + 1, n - y + 1) - betaCdfInteger(interval.lower, y + 1, n - y + 1)) / (interval.upper - interval.lower),
  }));
}

/**
 * mTPI-2 decision for y DLTs in n patients at the current dose, without the dose-range caps:
 * DU if Pr(p > pT | y, n) > xi; otherwise E / S / D by the region of the highest-UPM interval
 * (ties: E before S before D, as S5).
 */
export function mtpi2Decision(y: number, n: number, o: Mtpi2Options): Mtpi2Cell {
  const { target, e1, e2, xi } = opts(o);
  return DECISIONS.get(`${y}|${n}|${target}|${e1}|${e2}|${xi}`, () => decision(y, n, o));
}
const DECISIONS = valueCache<Mtpi2Cell>();

function decision(y: number, n: number, o: Mtpi2Options): Mtpi2Cell {
  const { target, xi } = opts(o);
  if (posteriorProbAbove(target, y, n) > xi) return 'DU';
  const upm = mtpi2Upm(y, n, o);
  const best = (region: Mtpi2Interval['region']) => Math.max(...upm.filter((u) => u.interval.region === region).map((u) => u.upm), -Infinity);
  const under = best('under');
  const eq = best('equivalent');
  const over = best('over');
  const max = Math.max(under, eq, over);
  if (under === max) return 'E';
  if (eq === max) return 'S';
  return 'D';
}

/** Lowest unacceptable level (it and higher are excluded): Pr(p > pT | data) > xi (S12), or null. */
export function mtpi2ExcludedFrom(tallies: readonly LevelTally[], o: Mtpi2Options): number | null {
  const { target, xi } = opts(o);
  for (const t of tallies) if (t.n > 0 && posteriorProbAbove(target, t.dlt, t.n) > xi) return t.level;
  return null;
}

/**
 * MTD at the end of an mTPI-2 trial: isotonic (PAVA) posterior means (Beta(1,1) prior, weights
 * 1/posterior variance) over treated, acceptable levels; the level closest to pT (ties: the higher
 * level below pT, the lower above, via + 1e-10 x index as BOIN S9). Source-implied (S12, S5).
 */
export function mtpi2SelectMtd(tallies: readonly LevelTally[], o: Mtpi2Options): number | null {
  const { target } = opts(o);
  const excl = mtpi2ExcludedFrom(tallies, o);
  if (excl === 1) return null;
  const adm = tallies.filter((t) => t.n > 0 && (excl === null || t.level < excl));
  if (adm.length === 0) return null;
  const a = adm.map((t) => 1 + t.dlt);
  const b = adm.map((t) => 1 + t.n - t.dlt);
  const mean = a.map((ai, i) => ai / (ai + b[i]!));
  const w = a.map((ai, i) => {
    const s = ai + b[i]!;
    return 1 / ((ai * b[i]!) / (s * s * (s + 1)));
  });
  const est = pava(mean, w).map((p, i) => p + (i + 1) * 1e-10);
  let best = 0;
  est.forEach((p, i) => {
    if (Math.abs(p - target) < Math.abs(est[best]! - target)) best = i;
  });
  return adm[best]!.level;
}

export interface Mtpi2TrialOptions extends Mtpi2Options {
  levels: number;
  cohortSize?: number;
  maxPatients?: number;
  startLevel?: number;
}

function fmt(x: number): string {
  return x.toFixed(3).replace(/0+$/, '').replace(/\.$/, '');
}

/** mTPI-2 decision for a complete cohort at level d, with the dose-range caps of S5. */
export function mtpi2DecideComplete(tallies: readonly LevelTally[], d: number, o: Mtpi2TrialOptions): Decision {
  const { target, e1, e2, xi } = opts(o);
  const t = tallies[d - 1]!;
  const cell = mtpi2Decision(t.dlt, t.n, o);
  const pr = posteriorProbAbove(target, t.dlt, t.n);
  const name = `mTPI-2 (Guo et al. 2017), pT ${fmt(target)}, EI (${fmt(target - e1)}, ${fmt(target + e2)})`;
  const counts = `${t.dlt} of ${t.n} patients at level ${d} had a DLT, table decision ${cell} (Pr(p > ${fmt(target)}) = ${fmt(pr)})`;
  const mk = (p: Omit<Decision, 'explanation'> & { text: string }): Decision => {
    const { text, ...rest } = p;
    return { ...rest, explanation: `${name}: ${counts}; ${text}` };
  };
  const excl = mtpi2ExcludedFrom(tallies, o);
  if (cell === 'DU') {
    if (d === 1) {
      return mk({ action: 'STOP_NO_MTD', nextLevel: null, continues: false, recommendedLevel: null, rule: 'mtpi2/DU-lowest-stop', certainty: 'package-behaviour', sources: ['S12', 'S5'],
        text: `Pr > xi = ${fmt(xi)} at the lowest level: level 1 is unacceptable; stop the trial, no MTD.` });
    }
    return mk({ action: 'DEESCALATE_ELIMINATE', nextLevel: d - 1, continues: true, recommendedLevel: d - 1, rule: 'mtpi2/DU', certainty: 'source-explicit', sources: ['S12'],
      text: `Pr > xi = ${fmt(xi)}: level ${d} and all higher levels are unacceptable; de-escalate to level ${d - 1}.` });
  }
  const total = tallies.reduce((s, x) => s + x.n, 0);
  if (o.maxPatients !== undefined && total >= o.maxPatients) {
    const mtd = mtpi2SelectMtd(tallies, o);
    return mk({ action: mtd === null ? 'STOP_NO_MTD' : 'STOP_MTD', nextLevel: null, continues: false, recommendedLevel: mtd, rule: 'mtpi2/stop-select-mtd', certainty: 'source-implied', sources: ['S12', 'S5'],
      text: `the maximum sample size ${o.maxPatients} is reached; stop, MTD by isotonic regression: ${mtd === null ? 'none' : `level ${mtd}`}.` });
  }
  if (cell === 'E') {
    const blocked = d === o.levels ? 'it is the highest planned level' : excl !== null && excl <= d + 1 ? `level ${d + 1} is unacceptable` : null;
    if (blocked) {
      return mk({ action: 'STAY', nextLevel: d, continues: true, recommendedLevel: d, rule: 'mtpi2/E-blocked-stay', certainty: 'package-behaviour', sources: ['S5'],
        text: `E, but ${blocked}; stay at level ${d}.` });
    }
    return mk({ action: 'ESCALATE', nextLevel: d + 1, continues: true, recommendedLevel: d + 1, rule: 'mtpi2/E', certainty: 'source-explicit', sources: ['S12'], text: `escalate to level ${d + 1}.` });
  }
  if (cell === 'D') {
    if (d === 1) {
      return mk({ action: 'STAY', nextLevel: 1, continues: true, recommendedLevel: 1, rule: 'mtpi2/D-lowest-stay', certainty: 'package-behaviour', sources: ['S5'],
        text: 'D at level 1, the lowest level; stay at level 1.' });
    }
    return mk({ action: 'DEESCALATE', nextLevel: d - 1, continues: true, recommendedLevel: d - 1, rule: 'mtpi2/D', certainty: 'source-explicit', sources: ['S12'], text: `de-escalate to level ${d - 1}.` });
  }
  return mk({ action: 'STAY', nextLevel: d, continues: true, recommendedLevel: d, rule: 'mtpi2/S', certainty: 'source-explicit', sources: ['S12'], text: `stay at level ${d}.` });
}

/** mTPI-2 recommendation from the whole history (`tallies`: kept up to date by the replay of ruleDepartures). */
export function mtpi2(history: ParsedHistory, o: Mtpi2TrialOptions, tallies?: LevelTally[]): Recommendation {
  const cohortSize = o.cohortSize ?? 3;
  return cohortDesignRecommendation('mtpi2', `mTPI-2 (Guo et al. 2017), pT ${fmt(o.target)}`, history, o.levels, cohortSize, o.startLevel ?? 1,
    (t, d) => mtpi2DecideComplete(t, d, o), cohortSize, tallies);
}
