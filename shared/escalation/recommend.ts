// One entry point for the dose-escalation rule engine (docs/CLINICAL_RULES.md#incomplete-cohorts).
import type { EscalationDesign } from '../study.js';
import { acceleratedTitration, atdPhaseWalk, intrapatientEscalation, type AtdDesign, type AtdHandoff } from './atd.js';
import { boin, boinTitrationTriggerWalk } from './boin.js';
import { addCohortToTallies, emptyTallies, toParsedHistory, type HistoryCohort, type LevelTally, type ParsedHistory } from './history.js';
import { mtpi2 } from './mtpi2.js';
import { threePlusThree } from './threePlusThree.js';
import type { DesignName, Recommendation } from './vocabulary.js';

export interface RecommendInput {
  design: DesignName;
  /** Number of planned dose levels. */
  levels: number;
  /** The whole per-level history in the notation of history.ts, or parsed. */
  history: string | ParsedHistory;
  /** 3+3 / ATD: de-escalation (Korn; default true as in the study definition). */
  deescalation?: boolean;
  /** 3+3 / ATD: "6 at the MTD" (S15; default true as in the study definition). */
  sixAtMtd?: boolean;
  /** ATD: design number 2, 3 or 4 (required for design 'atd'). */
  atdDesign?: AtdDesign;
  /** ATD: hand-off after a grade-2 trigger (default 'expand-trigger-level'). */
  atdHandoff?: AtdHandoff;
  /** ATD: grade-2 patients that end the accelerated phase (default 2, S8). */
  atdGrade2Trigger?: number;
  /** ATD: planned dose per level, to size the accelerated step (40% / 100%). */
  doses?: number[];
  /** ATD: accelerated step in planned levels (overrides `doses`). */
  acceleratedStepLevels?: number;
  /** Level of the first cohort (default 1). */
  startLevel?: number;
  /** BOIN / mTPI-2 target DLT rate (default 0.3, the study definition's default). */
  target?: number;
  /** BOIN / mTPI-2 cohort size (default 3). */
  cohortSize?: number;
  /** BOIN / mTPI-2: maximum sample size; reaching it stops the trial and selects the MTD. */
  maxPatients?: number;
  /** BOIN options (S9). */
  pSaf?: number;
  pTox?: number;
  cutoffEli?: number;
  extrasafe?: boolean;
  offset?: number;
  nEarlyStop?: number;
  /** BOIN's own accelerated titration (S13). */
  boinTitration?: boolean;
  /** mTPI-2 options (S12). */
  epsilon1?: number;
  epsilon2?: number;
  xi?: number;
  /**
   * Dates of each cohort of `history` (same order): its first dose and the last day of the latest
   * DLT window of its patients (ISO dates). With them, a cohort opened where the rule still wanted
   * patients at an earlier level is "started while a window was open" only when one was (see
   * earlierWindowOpen); without them the history alone decides, as in S5's strict mode.
   */
  cohortTiming?: readonly CohortTiming[];
  /** ATD: ask for one patient's intrapatient escalation instead of the trial decision. */
  intrapatient?: { patientLevel: number; worstGradePreviousCourse: number; maxLevel?: number };
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export interface CohortTiming {
  /** First dose of the cohort's first patient (ISO date or date-time). */
  firstDose: string;
  /** Last day of the latest DLT window among its patients (ISO date; day W of the window), null if unknown. */
  windowEnd: string | null;
}

/**
 * The earlier cohort whose DLT window was still open on the day cohort `i` got its first dose, or
 * null. A window of W days runs from study day 1 (first dose) to day W inclusive (docs/CLINICAL_RULES.md#dlt-window),
 * so it is open on a date D when D ≤ windowEnd. Dates compare as ISO calendar dates.
 */
export function earlierWindowOpen(timing: readonly CohortTiming[], i: number): { index: number; windowEnd: string } | null {
  const start = timing[i]?.firstDose.slice(0, 10);
  if (!start) return null;
  for (let j = i - 1; j >= 0; j--) {
    const end = timing[j]?.windowEnd?.slice(0, 10);
    if (end && start <= end) return { index: j, windowEnd: end };
  }
  return null;
}

/**
 * A cohort that was not where the rule pointed when it started (S5 strict mode,
 * `enforce_three_plus_three`: skipped levels, extra patients at a level the rule had left, a cohort
 * opened while another was still in progress, enrolment after the rule had stopped). The engine
 * still advises on such paths (edge case 8); the committee's rationale should cover the departure.
 */
export interface PathDeparture {
  /** 0-based index of the cohort in the history. */
  cohortIndex: number;
  level: number;
  /** What the rule recommended on the history before this cohort. */
  expectedAction: Recommendation['action'];
  expectedLevel: number | null;
  /** after-stop: treated after the rule stopped; window-open: started while an earlier DLT window was open; elsewhere: another level than the rule's. */
  kind: DepartureKind;
  message: string;
}

export type DepartureKind = 'after-stop' | 'window-open' | 'elsewhere';

/**
 * Replay the history cohort by cohort and list departures from the rule: cohort i is compared with
 * the rule's recommendation on cohorts 0..i-1. The replay steps the rule's state forward once per
 * cohort (per-level tallies, the accelerated-titration phase, BOIN's titration trigger, the open DLT
 * windows), so a history of n cohorts costs O(n) rule evaluations of O(levels) each, not O(n²):
 * recommendCore on each prefix with that state gives what recommendCore on the prefix alone gives
 * (test/unit/escalation-replay.test.ts keeps the prefix-by-prefix replay as the oracle).
 */
export function ruleDepartures(input: RecommendInput): PathDeparture[] {
  const history = toParsedHistory(input.history, { levels: input.levels });
  const out: PathDeparture[] = [];
  const prefix: HistoryCohort[] = [];
  const replay = input.intrapatient ? null : startReplay(input);
  const windowOpen = input.cohortTiming ? earlierWindowOpenWalk(input.cohortTiming) : null;
  for (let i = 0; i < history.cohorts.length; i++) {
    const c = history.cohorts[i]!;
    const before = recommendCore({ ...input, history: { cohorts: replay ? prefix : prefix.slice() } }, replay ?? undefined);
    if (!before.continues) {
      out.push({ cohortIndex: i, level: c.level, expectedAction: before.action, expectedLevel: before.nextLevel, kind: 'after-stop',
        message: `cohort ${i + 1} at level ${c.level} was treated after the rule had stopped the trial (${before.action}${before.recommendedLevel === null ? '' : `, level ${before.recommendedLevel}`}).` });
    } else if (before.nextLevel !== c.level) {
      const base = { cohortIndex: i, level: c.level, expectedAction: before.action, expectedLevel: before.nextLevel };
      const continuing = before.action === 'CONTINUE_COHORT' && i > 0;
      if (continuing && input.cohortTiming) {
        // "Still in progress" only when an earlier cohort's DLT window was open at this cohort's first dose.
        const open = windowOpen!(i);
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
    prefix.push(c);
    replay?.add(c, i);
  }
  return out;
}

/** The rule's state over the cohorts replayed so far (ruleDepartures): what each design would otherwise recompute from the whole prefix. */
interface Replay {
  tallies: LevelTally[];
  atd: ReturnType<typeof atdPhaseWalk>;
  boinTrigger: ReturnType<typeof boinTitrationTriggerWalk>;
  add: (c: HistoryCohort, i: number) => void;
}

function startReplay(input: RecommendInput): Replay {
  const tallies = emptyTallies(input.levels);
  const atd = atdPhaseWalk({ atdDesign: input.atdDesign ?? 2, ...defined({ grade2Trigger: input.atdGrade2Trigger }) });
  const boinTrigger = boinTitrationTriggerWalk();
  return {
    tallies, atd, boinTrigger,
    add: (c, i) => {
      addCohortToTallies(tallies, c);
      atd.add(c, i);
      boinTrigger.add(c, i);
    },
  };
}

/**
 * earlierWindowOpen(timing, i) for increasing i in O(log n) each instead of a backward scan: a
 * stack of earlier cohorts whose window ends later than every cohort after them (a later cohort
 * with an end at least as late is nearer and open whenever they are), ends decreasing upwards; the
 * nearest open one is the highest entry whose end is on or after the first dose.
 */
function earlierWindowOpenWalk(timing: readonly CohortTiming[]): (i: number) => { index: number; windowEnd: string } | null {
  const stack: { index: number; windowEnd: string }[] = [];
  let added = 0;
  return (i) => {
    for (; added < i; added++) {
      const end = timing[added]?.windowEnd?.slice(0, 10);
      if (!end) continue;
      while (stack.length > 0 && stack[stack.length - 1]!.windowEnd <= end) stack.pop();
      stack.push({ index: added, windowEnd: end });
    }
    const start = timing[i]?.firstDose.slice(0, 10);
    if (!start) return null;
    let lo = 0;
    let hi = stack.length; // entries [0, lo) end on or after start; [hi, length) before it
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (start <= stack[mid]!.windowEnd) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? null : stack[lo - 1]!;
  };
}

/** The engine's recommendation for the current state of the trial, with the departures of the path from the rule. */
export function recommend(input: RecommendInput): Recommendation {
  const rec = recommendCore(input);
  if (input.intrapatient) return rec;
  const departures = ruleDepartures(input);
  return departures.length === 0 ? rec : { ...rec, departures, warnings: [...rec.warnings, ...groupDepartures(departures)] };
}

const DEPARTURE_WORDS: Record<DepartureKind, string> = {
  'window-open': "started while an earlier cohort's DLT window was still open",
  elsewhere: 'treated at another level than the rule pointed to',
  'after-stop': 'treated after the rule had stopped the trial',
};

/**
 * One line per kind of departure with the number of cohorts and their levels, instead of one line
 * per cohort: "Departure from the rule: 3 cohorts started while an earlier cohort's DLT window was
 * still open (DL2, DL3, DL4)." A single departure keeps its own sentence.
 */
export function groupDepartures(departures: readonly PathDeparture[]): string[] {
  const out: string[] = [];
  for (const kind of ['window-open', 'elsewhere', 'after-stop'] as const) {
    const list = departures.filter((d) => d.kind === kind);
    if (list.length === 0) continue;
    if (list.length === 1) {
      out.push(`Departure from the rule: ${list[0]!.message}`);
      continue;
    }
    const levels = [...new Set(list.map((d) => d.level))].sort((a, b) => a - b).map((l) => `DL${l}`);
    out.push(`Departure from the rule: ${list.length} cohorts ${DEPARTURE_WORDS[kind]} (${levels.join(', ')}).`);
  }
  return out;
}

/**
 * The rule's recommendation without the departures of the path. `replay`: the state of
 * ruleDepartures' replay over exactly `input.history` (already checked), instead of deriving it again.
 */
export function recommendCore(input: RecommendInput, replay?: Replay): Recommendation {
  if (!Number.isInteger(input.levels) || input.levels < 1) throw new RangeError(`levels must be a positive integer, got ${input.levels}`);
  const history = replay ? (input.history as ParsedHistory) : toParsedHistory(input.history, { levels: input.levels });
  const deescalation = input.deescalation ?? true;
  const sixAtMtd = input.sixAtMtd ?? true;
  switch (input.design) {
    case '3+3':
      return threePlusThree(history, { levels: input.levels, deescalation, sixAtMtd, ...defined({ startLevel: input.startLevel }) }, replay?.tallies);
    case 'atd': {
      if (input.atdDesign === undefined) throw new RangeError("design 'atd' needs atdDesign (2, 3 or 4)");
      if (input.intrapatient) {
        const d = intrapatientEscalation({ atdDesign: input.atdDesign, levels: input.levels, history, ...input.intrapatient });
        return { design: 'atd', ...d, determined: false, openSlots: 0, pending: 0, warnings: [] };
      }
      return acceleratedTitration(history, {
        levels: input.levels, deescalation, sixAtMtd, atdDesign: input.atdDesign,
        ...defined({ startLevel: input.startLevel, handoff: input.atdHandoff, grade2Trigger: input.atdGrade2Trigger, doses: input.doses, acceleratedStepLevels: input.acceleratedStepLevels }),
      }, replay ? { phase: replay.atd.phase, tallies: replay.tallies } : undefined);
    }
    case 'boin':
      return boin(history, {
        levels: input.levels, target: input.target ?? 0.3,
        ...defined({ pSaf: input.pSaf, pTox: input.pTox, cutoffEli: input.cutoffEli, extrasafe: input.extrasafe, offset: input.offset, nEarlyStop: input.nEarlyStop, titration: input.boinTitration, maxPatients: input.maxPatients, cohortSize: input.cohortSize, startLevel: input.startLevel }),
      }, replay ? { tallies: replay.tallies, titrationTrigger: replay.boinTrigger.trigger() } : undefined);
    case 'mtpi2':
      return mtpi2(history, {
        levels: input.levels, target: input.target ?? 0.3,
        ...defined({ epsilon1: input.epsilon1, epsilon2: input.epsilon2, xi: input.xi, maxPatients: input.maxPatients, cohortSize: input.cohortSize, startLevel: input.startLevel }),
      }, replay?.tallies);
    default:
      throw new RangeError(`unknown design ${String((input as { design: unknown }).design)}`);
  }
}

/** Recommendation from the study definition's escalation design (shared/study.ts). */
export function recommendForStudy(
  design: EscalationDesign,
  input: Omit<RecommendInput, 'design' | 'deescalation' | 'sixAtMtd' | 'atdDesign' | 'target' | 'atdHandoff'>,
): Recommendation {
  return recommend({
    ...input,
    design: design.design,
    deescalation: design.deescalation,
    sixAtMtd: design.sixAtMtd,
    target: design.targetToxicity,
    atdHandoff: design.atdHandoff,
    ...(design.atdDesign !== undefined ? { atdDesign: design.atdDesign } : {}),
  });
}
