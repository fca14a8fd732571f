// BOIN, Bayesian optimal interval design (Liu & Yuan 2015; R package BOIN 2.7.2, S9).
// Reference: docs/CLINICAL_RULES.md#boin.
import { checkCompletion } from './completion.js';
import { currentLevel, tallyByLevel, type HistoryCohort, type LevelTally, type ParsedHistory } from './history.js';
import { binomialPmf, pava, posteriorProbAbove, valueCache } from './probability.js';
import type { Decision, Recommendation } from './vocabulary.js';

export interface BoinOptions {
  /** Target DLT rate phi. */
  target: number;
  /** Highest DLT rate deemed sub-therapeutic (default 0.6 x target, S9). */
  pSaf?: number;
  /** Lowest DLT rate deemed overly toxic (default 1.4 x target, S9). */
  pTox?: number;
  /** Posterior cut-off for eliminating a dose (default 0.95, S9 `cutoff.eli`). */
  cutoffEli?: number;
  /** Stricter stopping rule at the lowest dose (S9 `extrasafe`). */
  extrasafe?: boolean;
  /** Offset of the extrasafe rule (default 0.05). */
  offset?: number;
}

export interface BoinLambdas {
  lambdaE: number;
  lambdaD: number;
}

function checkBoinOptions(o: BoinOptions): Required<BoinOptions> {
  const target = o.target;
  const pSaf = o.pSaf ?? 0.6 * target;
  const pTox = o.pTox ?? 1.4 * target;
  // Input checks of get.boundary (S9).
  if (!(target >= 0.05)) throw new RangeError(`BOIN: the target ${target} is too low (minimum 0.05)`);
  if (!(target <= 0.6)) throw new RangeError(`BOIN: the target ${target} is too high (maximum 0.6)`);
  if (target - pSaf < 0.1 * target) throw new RangeError('BOIN: p.saf cannot be higher than or too close to the target');
  if (pTox - target < 0.1 * target) throw new RangeError('BOIN: p.tox cannot be lower than or too close to the target');
  return { target, pSaf, pTox, cutoffEli: o.cutoffEli ?? 0.95, extrasafe: o.extrasafe ?? false, offset: o.offset ?? 0.05 };
}

/**
 * Escalation and de-escalation boundaries (S9 `get.boundary`, Liu & Yuan 2015):
 *   lambda_e = log((1 - p.saf)/(1 - phi)) / log(phi (1 - p.saf) / (p.saf (1 - phi)))
 *   lambda_d = log((1 - phi)/(1 - p.tox)) / log(p.tox (1 - phi) / (phi (1 - p.tox)))
 */
export function boinLambdas(o: BoinOptions): BoinLambdas {
  const { target: phi, pSaf, pTox } = checkBoinOptions(o);
  const lambdaE = Math.log((1 - pSaf) / (1 - phi)) / Math.log((phi * (1 - pSaf)) / (pSaf * (1 - phi)));
  const lambdaD = Math.log((1 - phi) / (1 - pTox)) / Math.log((pTox * (1 - phi)) / (phi * (1 - pTox)));
  return { lambdaE, lambdaD };
}

/**
 * Elimination boundary for n patients (S9): the smallest number of DLTs y (1..n) with
 * Pr(p > phi | y, n) > cutoff.eli under a Beta(1,1) prior; null when n < 3 or no y qualifies.
 */
export function boinEliminationBoundary(n: number, o: BoinOptions): number | null {
  const { target, cutoffEli } = checkBoinOptions(o);
  if (n < 3) return null;
  return ELIMINATION_BOUNDARY.get(`${n}|${target}|${cutoffEli}`, () => eliminationBoundary(n, target, cutoffEli));
}
const ELIMINATION_BOUNDARY = valueCache<number | null>();

function eliminationBoundary(n: number, target: number, cutoffEli: number): number | null {
  // Pr(p > target | y, n) = 1 - I_target(y+1, n-y+1) = P(Bin(n+1, target) <= y) (see betaCdfInteger):
  // non-decreasing in y, so one running sum finds the first y over the cut-off in O(n).
  let cdf = binomialPmf(0, n + 1, target);
  for (let y = 1; y <= n; y++) {
    cdf += binomialPmf(y, n + 1, target);
    if (Math.min(1, cdf) > cutoffEli) return y;
  }
  return null;
}

export interface BoinBoundaryRow {
  n: number;
  /** Escalate if # DLT <= this (floor(lambda_e n)). */
  escalate: number;
  /** De-escalate if # DLT >= this (ceiling(lambda_d n), capped at the elimination boundary). */
  deescalate: number;
  /** Eliminate if # DLT >= this; null = no elimination at this n. */
  eliminate: number | null;
}

/** One column of `get.boundary(...)$full_boundary_tab` (S9). */
export function boinBoundary(n: number, o: BoinOptions): BoinBoundaryRow {
  const { lambdaE, lambdaD } = boinLambdas(o);
  const eliminate = boinEliminationBoundary(n, o);
  let deescalate = Math.ceil(lambdaD * n);
  if (eliminate !== null && deescalate > eliminate) deescalate = eliminate;
  return { n, escalate: Math.floor(lambdaE * n), deescalate, eliminate };
}

/** Boundaries for n = 1..maxN (S9 `full_boundary_tab`). */
export function boinBoundaryTable(maxN: number, o: BoinOptions): BoinBoundaryRow[] {
  const rows: BoinBoundaryRow[] = [];
  for (let n = 1; n <= maxN; n++) rows.push(boinBoundary(n, o));
  return rows;
}

/**
 * Lowest eliminated level (it and all higher levels are eliminated), or null (S9 safety rule:
 * "if Pr(p_j > phi | m_j, n_j) > 0.95 and n_j >= 3, dose levels j and higher are eliminated").
 */
export function boinEliminatedFrom(tallies: readonly LevelTally[], o: BoinOptions): number | null {
  const { target, cutoffEli } = checkBoinOptions(o);
  for (const t of tallies) {
    if (t.n >= 3 && posteriorProbAbove(target, t.dlt, t.n) > cutoffEli) return t.level;
  }
  return null;
}

/**
 * MTD selection (S9 `select.mtd`): among treated, non-eliminated levels, PAVA isotonic regression
 * of (y + 0.05)/(n + 0.1) weighted by the inverse of (y+0.05)(n-y+0.05)/((n+0.1)^2 (n+1.1)); the
 * MTD is the level whose estimate is closest to the target; ties broken by + 1e-10 x index.
 * Null (BOIN code 99) when the lowest level is eliminated or nothing was treated.
 */
export function boinSelectMtd(tallies: readonly LevelTally[], o: BoinOptions & { boundMtd?: boolean }): number | null {
  const c = checkBoinOptions(o);
  let elimFrom = boinEliminatedFrom(tallies, o);
  if (c.extrasafe && tallies[0] && tallies[0].n >= 3 && posteriorProbAbove(c.target, tallies[0].dlt, tallies[0].n) > c.cutoffEli - c.offset) elimFrom = 1;
  if (elimFrom === 1) return null;
  const adm = tallies.filter((t) => t.n > 0 && (elimFrom === null || t.level < elimFrom));
  if (adm.length === 0) return null;
  const phat0 = adm.map((t) => (t.dlt + 0.05) / (t.n + 0.1));
  const w = adm.map((t) => 1 / (((t.dlt + 0.05) * (t.n - t.dlt + 0.05)) / ((t.n + 0.1) ** 2 * (t.n + 0.1 + 1))));
  const phat = pava(phat0, w).map((p, i) => p + (i + 1) * 1e-10);
  const { lambdaD } = boinLambdas(o);
  let best: number | null = null;
  let bestDist = Infinity;
  phat.forEach((p, i) => {
    if (o.boundMtd && !(p < lambdaD)) return;
    const dist = Math.abs(p - c.target);
    if (dist < bestDist) {
      bestDist = dist;
      best = adm[i]!.level;
    }
  });
  return best;
}

export interface BoinTrialOptions extends BoinOptions {
  levels: number;
  cohortSize?: number;
  /** Stop and select the MTD when the current level reaches this many patients (S9 n.earlystop; default off). */
  nEarlyStop?: number;
  /** Maximum sample size (ncohort x cohortsize): stop and select the MTD when reached. */
  maxPatients?: number;
  startLevel?: number;
  /**
   * BOIN's own accelerated titration (S13, `get.oc(titration = TRUE)`): single patients, escalating
   * while no DLT is seen; the first DLT completes the titration and cohorts of `cohortSize` follow,
   * the trigger level getting cohortSize - 1 more. Titration patients stay in the tallies. DLT only
   * (no grade-2 trigger).
   */
  titration?: boolean;
}

function fmt(x: number, digits = 3): string {
  return x.toFixed(digits).replace(/0+$/, '').replace(/\.$/, '');
}

/** BOIN decision for a complete cohort at level d (S9 get.oc conduct; docs/CLINICAL_RULES.md#boin). */
export function boinDecideComplete(tallies: readonly LevelTally[], d: number, o: BoinTrialOptions): Decision {
  const c = checkBoinOptions(o);
  const t = tallies[d - 1]!;
  const row = boinBoundary(t.n, o);
  const name = `BOIN (Liu & Yuan 2015), target ${fmt(c.target)}`;
  const bounds = `for n = ${t.n}: escalate if DLTs <= ${row.escalate}, de-escalate if >= ${row.deescalate}, eliminate if ${row.eliminate === null ? 'never (n < 3)' : `>= ${row.eliminate}`}`;
  const counts = `${t.dlt} of ${t.n} patients at level ${d} had a DLT (${bounds})`;
  const mk = (p: Omit<Decision, 'explanation'> & { text: string }): Decision => {
    const { text, ...rest } = p;
    return { ...rest, explanation: `${name}: ${counts}; ${text}` };
  };
  // Extra-safe stopping at the lowest dose (S9 extrasafe).
  if (c.extrasafe && d === 1 && t.n >= 3) {
    const pr = posteriorProbAbove(c.target, t.dlt, t.n);
    if (pr > c.cutoffEli - c.offset) {
      return mk({
        action: 'STOP_NO_MTD', nextLevel: null, continues: false, recommendedLevel: null,
        rule: 'boin/extrasafe-stop', certainty: 'source-explicit', sources: ['S9'],
        text: `Pr(DLT rate > ${fmt(c.target)}) = ${fmt(pr)} > ${fmt(c.cutoffEli - c.offset)} at the lowest level; stop the trial, no MTD (extrasafe rule).`,
      });
    }
  }
  const elimFrom = boinEliminatedFrom(tallies, o);
  if (elimFrom !== null && elimFrom <= d) {
    const e = tallies[elimFrom - 1]!;
    const pr = posteriorProbAbove(c.target, e.dlt, e.n);
    if (elimFrom === 1) {
      return mk({
        action: 'STOP_NO_MTD', nextLevel: null, continues: false, recommendedLevel: null,
        rule: 'boin/eliminate-lowest-stop', certainty: 'source-explicit', sources: ['S9'],
        text: `Pr(DLT rate > ${fmt(c.target)} | ${e.dlt}/${e.n}) = ${fmt(pr)} > ${fmt(c.cutoffEli)} at level 1: the lowest level is eliminated; stop the trial, no MTD.`,
      });
    }
    const next = Math.min(d - 1, elimFrom - 1);
    return mk({
      action: 'DEESCALATE_ELIMINATE', nextLevel: next, continues: true, recommendedLevel: next,
      rule: 'boin/eliminate', certainty: 'source-explicit', sources: ['S9'],
      text: `Pr(DLT rate > ${fmt(c.target)} | ${e.dlt}/${e.n}) = ${fmt(pr)} > ${fmt(c.cutoffEli)} at level ${elimFrom}: eliminate level ${elimFrom} and all higher levels; de-escalate to level ${next}.`,
    });
  }
  const total = tallies.reduce((s, x) => s + x.n, 0);
  if ((o.nEarlyStop !== undefined && t.n >= o.nEarlyStop) || (o.maxPatients !== undefined && total >= o.maxPatients)) {
    const mtd = boinSelectMtd(tallies, o);
    const why = o.nEarlyStop !== undefined && t.n >= o.nEarlyStop
      ? `${t.n} patients at level ${d} reached n.earlystop = ${o.nEarlyStop}`
      : `the maximum sample size ${o.maxPatients} is reached`;
    return mk({
      action: mtd === null ? 'STOP_NO_MTD' : 'STOP_MTD', nextLevel: null, continues: false, recommendedLevel: mtd,
      rule: 'boin/stop-select-mtd', certainty: 'source-explicit', sources: ['S9'],
      text: `${why}; stop and select the MTD by isotonic regression: ${mtd === null ? 'no MTD' : `level ${mtd}`}.`,
    });
  }
  if (t.dlt <= row.escalate) {
    const blocked = d === o.levels ? 'it is the highest planned level' : elimFrom === d + 1 ? `level ${d + 1} is eliminated` : null;
    if (blocked) {
      return mk({
        action: 'STAY', nextLevel: d, continues: true, recommendedLevel: d,
        rule: 'boin/escalate-blocked-stay', certainty: 'source-explicit', sources: ['S9'],
        text: `the rule says escalate, but ${blocked}; stay at level ${d}.`,
      });
    }
    return mk({
      action: 'ESCALATE', nextLevel: d + 1, continues: true, recommendedLevel: d + 1,
      rule: 'boin/escalate', certainty: 'source-explicit', sources: ['S9'], text: `escalate to level ${d + 1}.`,
    });
  }
  if (t.dlt >= row.deescalate) {
    if (d === 1) {
      return mk({
        action: 'STAY', nextLevel: 1, continues: true, recommendedLevel: 1,
        rule: 'boin/deescalate-at-lowest-stay', certainty: 'source-explicit', sources: ['S9'],
        text: 'the rule says de-escalate, but level 1 is the lowest level; stay at level 1.',
      });
    }
    return mk({
      action: 'DEESCALATE', nextLevel: d - 1, continues: true, recommendedLevel: d - 1,
      rule: 'boin/deescalate', certainty: 'source-explicit', sources: ['S9'], text: `de-escalate to level ${d - 1}.`,
    });
  }
  return mk({
    action: 'STAY', nextLevel: d, continues: true, recommendedLevel: d,
    rule: 'boin/stay', certainty: 'source-explicit', sources: ['S9'], text: `stay at level ${d}.`,
  });
}

/** Shared wrapper for cohort designs (BOIN, mTPI-2): continue an incomplete last cohort, flag determined outcomes. */
export function cohortDesignRecommendation(
  design: 'boin' | 'mtpi2',
  name: string,
  history: ParsedHistory,
  levels: number,
  cohortSize: number,
  startLevel: number,
  decide: (tallies: LevelTally[], d: number) => Decision,
  lastCohortSize: number = cohortSize,
  tallies: LevelTally[] = tallyByLevel(history, levels),
): Recommendation {
  const d = currentLevel(history);
  const base = { design, warnings: [] as string[] };
  if (d === null) {
    return {
      ...base, action: 'CONTINUE_COHORT', nextLevel: startLevel, continues: true, recommendedLevel: startLevel,
      rule: `${design}/start`, certainty: 'source-explicit', sources: design === 'boin' ? ['S9'] : ['S12'],
      explanation: `${name}: no patients yet; treat a cohort of ${cohortSize} at level ${startLevel}.`,
      determined: false, openSlots: cohortSize, pending: 0,
    };
  }
  const t = tallies[d - 1]!;
  const last = history.cohorts[history.cohorts.length - 1]!;
  const openSlots = Math.max(0, lastCohortSize - last.patients.length);
  const unknown = openSlots + t.pending;
  if (unknown === 0) return { ...base, ...decide(tallies, d), determined: false, openSlots: 0, pending: 0 };
  const check = checkCompletion(tallies, d, unknown, (c) => decide(c, d));
  const status = `the cohort at level ${d} is incomplete: ${t.dlt} of ${t.n} evaluable patients had a DLT` +
    (t.pending > 0 ? `, ${t.pending} still inside the DLT window` : '') +
    (openSlots > 0 ? `, ${openSlots} still to enrol (cohort of ${lastCohortSize})` : '') + `; continue the cohort at level ${d}`;
  const det = check.determined ? ` The outcome is already determined: ${check.decision!.explanation.replace(/^[^:]*: /, '')}` : '';
  return {
    ...base, action: 'CONTINUE_COHORT', nextLevel: d, continues: true, recommendedLevel: d,
    rule: `${design}/incomplete-cohort`, certainty: 'source-implied', sources: design === 'boin' ? ['S9'] : ['S12'],
    explanation: `${name}: ${status}.${det}`,
    determined: check.determined, ...(check.determined ? { whenComplete: check.decision } : {}),
    openSlots, pending: t.pending,
  };
}

/**
 * End of BOIN's titration phase (S13) in the cohorts so far: the first cohort with a DLT, or the
 * cohort before the first one of several patients; -1 while none. `add` takes the cohorts in
 * order; once found it no longer changes (the replay of ruleDepartures reads it after each cohort).
 */
export function boinTitrationTriggerWalk(): { trigger: () => number; add: (c: HistoryCohort, i: number) => void } {
  let trigger = -1;
  return {
    trigger: () => trigger,
    add: (c, i) => {
      if (trigger >= 0) return;
      if (c.patients.some((p) => p.outcome === 'T')) trigger = i;
      else if (c.patients.length > 1) trigger = i - 1; // cohorts started without a DLT (e.g. top reached)
    },
  };
}

/** BOIN recommendation from the whole history (`known`: kept up to date by the replay of ruleDepartures). */
export function boin(history: ParsedHistory, o: BoinTrialOptions, known?: { tallies: LevelTally[]; titrationTrigger: number }): Recommendation {
  checkBoinOptions(o);
  const name = `BOIN (Liu & Yuan 2015), target ${fmt(o.target)}`;
  const cohortSize = o.cohortSize ?? 3;
  const decide = (tallies: LevelTally[], d: number) => boinDecideComplete(tallies, d, o);
  const tallies = () => known?.tallies ?? tallyByLevel(history, o.levels);
  if (!o.titration) return cohortDesignRecommendation('boin', name, history, o.levels, cohortSize, o.startLevel ?? 1, decide, cohortSize, tallies());
  if (history.cohorts.length === 0) {
    const start = o.startLevel ?? 1;
    return { design: 'boin', action: 'CONTINUE_COHORT', nextLevel: start, continues: true, recommendedLevel: start, rule: 'boin/titration-start',
      certainty: 'source-explicit', sources: ['S13'], explanation: `${name} with accelerated titration (S13): no patients yet; treat a single patient at level ${start}.`,
      determined: false, openSlots: 1, pending: 0, warnings: [] };
  }
  // Titration phase (S13): single-patient cohorts until the first DLT.
  const cohorts = history.cohorts;
  let trigger: number;
  if (known) trigger = known.titrationTrigger;
  else {
    const walk = boinTitrationTriggerWalk();
    for (let i = 0; i < cohorts.length && walk.trigger() < 0; i++) walk.add(cohorts[i]!, i);
    trigger = walk.trigger();
  }
  const base = { design: 'boin' as const, determined: false, warnings: [] as string[] };
  const tname = `${name} with accelerated titration (S13)`;
  if (trigger === -1 || trigger === cohorts.length - 1) {
    const last = cohorts[cohorts.length - 1]!;
    const d = last.level;
    const pendingHere = last.patients.filter((p) => p.outcome === 'P').length;
    if (pendingHere > 0) {
      return { ...base, action: 'CONTINUE_COHORT', nextLevel: d, continues: true, recommendedLevel: d, rule: 'boin/titration-await', certainty: 'source-implied', sources: ['S13'],
        explanation: `${tname}: the titration patient at level ${d} is still inside the DLT window; wait for the DLT evaluation.`, openSlots: 0, pending: pendingHere };
    }
    if (trigger === -1 && d < o.levels) {
      return { ...base, action: 'ESCALATE_SINGLE', nextLevel: d + 1, continues: true, recommendedLevel: d + 1, rule: 'boin/titration-escalate', certainty: 'source-explicit', sources: ['S13'],
        explanation: `${tname}: no DLT so far; treat one patient at level ${d + 1}.`, openSlots: 1, pending: 0 };
    }
    const t = tallies()[d - 1]!;
    const add = Math.max(0, cohortSize - (t.n + t.pending));
    return { ...base, action: 'SWITCH_TO_COHORTS', nextLevel: d, continues: true, recommendedLevel: d, rule: 'boin/titration-switch', certainty: 'source-explicit', sources: ['S13'],
      explanation: `${tname}: ${trigger === -1 ? `the titration reached the highest planned level ${d} without a DLT` : `a DLT at level ${d} completes the titration`}; switch to cohorts of ${cohortSize}: add ${add} patient${add === 1 ? '' : 's'} at level ${d}.`,
      openSlots: add, pending: 0 };
  }
  // After the switch: the fill cohort at the trigger level has cohortSize - (titration patients there).
  const trig = cohorts[trigger]!;
  const fillIsLast = trigger === cohorts.length - 2 && cohorts[cohorts.length - 1]!.level === trig.level;
  const lastSize = fillIsLast ? Math.max(1, cohortSize - trig.patients.length) : cohortSize;
  return cohortDesignRecommendation('boin', name, history, o.levels, cohortSize, o.startLevel ?? 1, decide, lastSize, tallies());
}
