// Accelerated titration designs 2, 3 and 4 (Simon et al. 1997, S8) handing over to 3+3.
// Reference: docs/CLINICAL_RULES.md#accelerated-titration. From the S8 abstract:
//  - designs 2-4 treat ONE patient per cohort "until one patient experienced dose-limiting toxic
//    effects or two patients experienced grade 2 toxic effects (during their first course of
//    treatment for designs 2 and 3 or during any course of treatment for design 4)";
//  - designs 3 and 4 use 100% dose steps in the accelerated phase, design 2 uses 40%;
//  - afterwards cohorts of three to six patients with 40% steps;
//  - intrapatient escalation "if the worst toxicity is grade 0-1 in the previous course".
// Hand-off (S14, S13): the titration patients stay in the tallies; after a trigger the trigger level
// is filled to 3 ("add m-1 patients at the last dose"), then the usual 3+3 applies.
// Levels below the trigger hold a single patient: case ATD-13 (protocol-choice), handled in
// threePlusThreeDecideComplete (DEESCALATE_FILL_LOWER, 6 before an MTD is declared).
import { currentLevel, tallyByLevel, type HistoryCohort, type LevelTally, type ParsedHistory } from './history.js';
import { levelExceedsMtd, threePlusThree, type ThreePlusThreeOptions } from './threePlusThree.js';
import type { Decision, Recommendation } from './vocabulary.js';

export type AtdDesign = 2 | 3 | 4;

/**
 * What happens after a grade-2 trigger (the trigger patient had no DLT):
 *  - 'expand-trigger-level' (default): add 2 patients at the trigger level (S14 "add m-1 patients
 *    at the last dose"; source-implied, S14 is known only through a secondary summary);
 *  - 'next-level': the trigger level counts as passed by its single patient and the first cohort
 *    of 3 goes to the next planned level (protocol-choice).
 * After a DLT trigger the trigger level is always filled to 3 (S13, S14).
 */
export type AtdHandoff = 'expand-trigger-level' | 'next-level';

export interface AtdOptions extends Omit<ThreePlusThreeOptions, 'label' | 'requireSixAt'> {
  atdDesign: AtdDesign;
  handoff?: AtdHandoff;
  /** Number of grade-2 patients that ends the accelerated phase (S8: 2). */
  grade2Trigger?: number;
  /** Planned dose per level (index 0 = level 1), to derive the accelerated step from the design's step size. */
  doses?: readonly number[];
  /** Accelerated step in planned levels; overrides `doses`. */
  acceleratedStepLevels?: number;
}

/** Dose step of the accelerated phase (S8): design 2 = 40%, designs 3 and 4 = 100% (doubling). */
export function atdAcceleratedStepFraction(design: AtdDesign): number {
  return design === 2 ? 0.4 : 1.0;
}

/** Whether toxicity in later courses counts for the switch trigger (S8: design 4 only). */
export function atdCountsLaterCourses(design: AtdDesign): boolean {
  return design === 4;
}

/**
 * Next level of the accelerated phase from `level`.
 * - `acceleratedStepLevels` given: that many planned levels;
 * - `doses` given: the highest planned level whose dose does not exceed dose x (1 + step) (S8 step
 *   size; at least one level);
 * - otherwise one planned level (the protocol's dose table encodes the step).
 * Capped at the top level.
 */
export function atdAcceleratedNextLevel(level: number, o: Pick<AtdOptions, 'atdDesign' | 'levels' | 'doses' | 'acceleratedStepLevels'>): number {
  if (o.acceleratedStepLevels !== undefined) return Math.min(o.levels, level + Math.max(1, o.acceleratedStepLevels));
  if (o.doses && o.doses.length >= o.levels) {
    const limit = o.doses[level - 1]! * (1 + atdAcceleratedStepFraction(o.atdDesign)) * (1 + 1e-9);
    let next = level + 1;
    for (let l = level + 1; l <= o.levels; l++) if (o.doses[l - 1]! <= limit) next = l;
    return Math.min(o.levels, next);
  }
  return Math.min(o.levels, level + 1);
}

export interface AtdTrigger {
  kind: 'dlt' | 'grade2';
  level: number;
  /** Index of the cohort holding the trigger patient. */
  cohortIndex: number;
  /** True when the trigger toxicity was in a later course (design 4 only). */
  laterCourse: boolean;
}

export interface AtdPhase {
  /** Still in the single-patient accelerated phase. */
  accelerated: boolean;
  trigger: AtdTrigger | null;
  /** Levels treated during the accelerated phase (titration levels). */
  titrationLevels: Set<number>;
  /** Grade-2 patients counted for the trigger so far. */
  grade2Count: number;
  warnings: string[];
}

/** Walk the history in enrolment order and locate the end of the accelerated phase (S8 trigger). */
export function atdPhase(history: ParsedHistory, o: Pick<AtdOptions, 'atdDesign' | 'grade2Trigger'>): AtdPhase {
  const walk = atdPhaseWalk(o);
  for (let ci = 0; ci < history.cohorts.length && walk.phase.accelerated; ci++) walk.add(history.cohorts[ci]!, ci);
  return walk.phase;
}

/**
 * atdPhase one cohort at a time: `add` the cohorts in enrolment order; `phase` is then atdPhase of
 * the cohorts added so far (cohorts after the trigger change nothing). The replay of ruleDepartures
 * reads `phase` after each cohort instead of walking every prefix again. `phase` is live: read it
 * before the next `add`.
 */
export function atdPhaseWalk(o: Pick<AtdOptions, 'atdDesign' | 'grade2Trigger'>): { phase: AtdPhase; add: (c: HistoryCohort, ci: number) => void } {
  const need = o.grade2Trigger ?? 2;
  const later = atdCountsLaterCourses(o.atdDesign);
  const phase: AtdPhase = { accelerated: true, trigger: null, titrationLevels: new Set<number>(), grade2Count: 0, warnings: [] };
  const add = (c: HistoryCohort, ci: number) => {
    if (!phase.accelerated) return;
    phase.titrationLevels.add(c.level);
    if (c.patients.length > 1) {
      phase.warnings.push(`Cohort ${ci + 1} (level ${c.level}) has ${c.patients.length} patients during the accelerated phase (single-patient cohorts expected).`);
    }
    for (const p of c.patients) {
      if (p.outcome === 'P') continue;
      const dltCourse1 = p.outcome === 'T';
      const dltLater = later && p.laterCourse === 't';
      if (dltCourse1 || dltLater) {
        phase.accelerated = false;
        phase.trigger = { kind: 'dlt', level: c.level, cohortIndex: ci, laterCourse: !dltCourse1 };
        return;
      }
      const g2Course1 = p.outcome === 'G';
      const g2Later = later && p.laterCourse === 'g';
      if (g2Course1 || g2Later) {
        phase.grade2Count++;
        if (phase.grade2Count >= need) {
          phase.accelerated = false;
          phase.trigger = { kind: 'grade2', level: c.level, cohortIndex: ci, laterCourse: !g2Course1 };
          return;
        }
      }
    }
  };
  return { phase, add };
}

function designName(o: AtdOptions): string {
  const step = o.atdDesign === 2 ? '40%' : '100%';
  const course = atdCountsLaterCourses(o.atdDesign) ? 'any course' : 'course 1';
  return `Accelerated titration design ${o.atdDesign} (Simon et al. 1997; single-patient cohorts, ${step} steps, trigger counted in ${course})`;
}

/** Accelerated titration (S8) followed by 3+3 (section (a)), from the whole history. */
export function acceleratedTitration(
  history: ParsedHistory,
  o: AtdOptions,
  // Kept up to date by the replay of ruleDepartures (atdPhaseWalk, addCohortToTallies); computed here otherwise.
  known: { phase: AtdPhase; tallies: LevelTally[] } = { phase: atdPhase(history, o), tallies: tallyByLevel(history, o.levels) },
): Recommendation {
  const { phase, tallies } = known;
  const name = designName(o);
  const need = o.grade2Trigger ?? 2;
  const base = { design: 'atd' as const, determined: false, warnings: phase.warnings };

  if (phase.accelerated) {
    const d = currentLevel(history);
    if (d === null) {
      const start = o.startLevel ?? 1;
      return {
        ...base, action: 'CONTINUE_COHORT', nextLevel: start, continues: true, recommendedLevel: start,
        rule: 'atd/start', certainty: 'source-explicit', sources: ['S8'], openSlots: 1, pending: 0,
        explanation: `${name}: no patients yet; treat a single patient at level ${start}.`,
      };
    }
    const last = history.cohorts[history.cohorts.length - 1]!;
    const pendingHere = last.patients.filter((p) => p.outcome === 'P').length;
    const g2 = `${phase.grade2Count} of ${need} grade-2 patients so far, no DLT`;
    if (pendingHere > 0) {
      return {
        ...base, action: 'CONTINUE_COHORT', nextLevel: d, continues: true, recommendedLevel: d,
        rule: 'atd/await-single-patient', certainty: 'source-implied', sources: ['S8'], openSlots: 0, pending: pendingHere,
        explanation: `${name}: the single patient at level ${d} is still inside the DLT window (${g2}); wait for the DLT evaluation before the next step.`,
      };
    }
    if (d === o.levels) {
      return {
        ...base, action: 'SWITCH_TO_3P3', nextLevel: d, continues: true, recommendedLevel: d,
        rule: 'atd/top-reached', certainty: 'protocol-choice', sources: ['S8'], openSlots: Math.max(0, 3 - tallies[d - 1]!.n), pending: 0,
        explanation: `${name}: the accelerated phase reached the highest planned level ${d} without a trigger (${g2}); continue with a 3+3 cohort at level ${d} (add ${Math.max(0, 3 - tallies[d - 1]!.n)} patients).`,
      };
    }
    const next = atdAcceleratedNextLevel(d, o);
    const stepNote = o.acceleratedStepLevels !== undefined
      ? `${o.acceleratedStepLevels} planned level(s) per step`
      : o.doses ? `${atdAcceleratedStepFraction(o.atdDesign) * 100}% dose step` : 'one planned level per step';
    return {
      ...base, action: 'ESCALATE_SINGLE', nextLevel: next, continues: true, recommendedLevel: next,
      rule: 'atd/escalate-single', certainty: 'source-explicit', sources: ['S8'], openSlots: 1, pending: 0,
      explanation: `${name}: the single patient at level ${d} had no DLT and the switch trigger (1 DLT or ${need} grade-2 patients) is not met (${g2}); treat one patient at level ${next} (${stepNote}).`,
    };
  }

  const trig = phase.trigger!;
  const tt = tallies[trig.level - 1]!;
  const what = trig.kind === 'dlt'
    ? `a DLT${trig.laterCourse ? ' (in a later course, counted by design 4)' : ''} at level ${trig.level}`
    : `the ${need === 2 ? 'second' : `${need}th`} grade-2 patient${trig.laterCourse ? ' (later course, counted by design 4)' : ''} at level ${trig.level}`;

  if (trig.cohortIndex === history.cohorts.length - 1) {
    // The trigger cohort is the last one: hand over to 3+3.
    const toNext = trig.kind === 'grade2' && (o.handoff ?? 'expand-trigger-level') === 'next-level' && trig.level < o.levels;
    if (toNext && !levelExceedsMtd(tallies[trig.level])) {
      const next = trig.level + 1;
      return {
        ...base, action: 'SWITCH_TO_3P3', nextLevel: next, continues: true, recommendedLevel: next,
        rule: 'atd/switch-next-level', certainty: 'protocol-choice', sources: ['S8'], openSlots: 3, pending: tt.pending,
        explanation: `${name}: ${what} ends the accelerated phase; switch to 3+3 cohorts with 40% steps: treat 3 patients at level ${next} (hand-off to the next level after a grade-2 trigger, protocol choice).`,
      };
    }
    const add = Math.max(0, 3 - (tt.n + tt.pending));
    return {
      ...base, action: 'SWITCH_TO_3P3', nextLevel: trig.level, continues: true, recommendedLevel: trig.level,
      rule: 'atd/switch-expand-trigger-level', certainty: 'source-implied', sources: ['S8', 'S14', 'S13'], openSlots: add, pending: tt.pending,
      explanation: `${name}: ${what} ends the accelerated phase (${tt.dlt} of ${tt.n} evaluable at level ${trig.level} with a DLT); switch to 3+3: add ${add} patient${add === 1 ? '' : 's'} at level ${trig.level} to complete a cohort of 3, counting the titration patient.`,
    };
  }

  // 3+3 phase: whole per-level history, titration patients included (S13).
  const rec = threePlusThree(history, {
    levels: o.levels,
    deescalation: o.deescalation,
    sixAtMtd: o.sixAtMtd,
    ...(o.startLevel !== undefined ? { startLevel: o.startLevel } : {}),
    requireSixAt: phase.titrationLevels,
    label: `ATD design ${o.atdDesign} after the switch at level ${trig.level}`,
  }, tallies);
  return { ...rec, design: 'atd', rule: rec.rule.replace(/^3\+3\//, 'atd/3+3/'), warnings: [...phase.warnings, ...rec.warnings] };
}

export interface IntrapatientInput {
  atdDesign: 1 | AtdDesign;
  /** The patient's current dose level. */
  patientLevel: number;
  /** Worst CTCAE grade in the patient's previous course. */
  worstGradePreviousCourse: number;
  levels: number;
  /** Trial history, to avoid escalating a patient into a level that has exceeded the MTD. */
  history?: ParsedHistory;
  /** Highest level a patient may be escalated to (protocol cap). */
  maxLevel?: number;
}

/**
 * Intrapatient escalation (S8): designs 2-4 escalate a patient's dose for the next course "if the
 * worst toxicity is grade 0-1 in the previous course for that patient"; design 1 never does.
 * One planned level per step, never into a level with >= 2 DLTs nor above `maxLevel`
 * (protocol-choice). Grade 2 (stay) and grade >= 3 (reduce) are not settled by S8: no escalation.
 */
export function intrapatientEscalation(input: IntrapatientInput): Decision {
  const d = input.patientLevel;
  const g = input.worstGradePreviousCourse;
  const name = `Intrapatient escalation, accelerated titration design ${input.atdDesign} (Simon et al. 1997)`;
  const stay = (rule: string, text: string, certainty: Decision['certainty']): Decision => ({
    action: 'INTRAPATIENT_NO_ESCALATION', nextLevel: d, continues: true, recommendedLevel: d,
    rule, certainty, sources: ['S8'], explanation: `${name}: worst grade ${g} in the previous course; ${text}`,
  });
  if (input.atdDesign === 1) return stay('atd/intrapatient-design-1', 'design 1 has no intrapatient dose escalation; the patient stays at level ' + d + '.', 'source-explicit');
  if (g >= 3) return stay('atd/intrapatient-grade-3-plus', `no escalation; the dose for grade >= 3 (reduction or hold) is set by the protocol (S8 abstract does not settle it).`, 'protocol-choice');
  if (g === 2) return stay('atd/intrapatient-grade-2', `escalation requires worst grade 0-1; the patient stays at level ${d}.`, 'source-explicit');
  const cap = Math.min(input.levels, input.maxLevel ?? input.levels);
  if (d >= cap) return stay('atd/intrapatient-cap', `grade 0-1 allows escalation, but level ${d} is the highest level allowed (${cap}); the patient stays.`, 'protocol-choice');
  if (input.history) {
    const tallies = tallyByLevel(input.history, input.levels);
    if (levelExceedsMtd(tallies[d])) {
      return stay('atd/intrapatient-next-exceeded', `grade 0-1 allows escalation, but level ${d + 1} has exceeded the MTD (${tallies[d]!.dlt} of ${tallies[d]!.n} with a DLT); the patient stays at level ${d}.`, 'protocol-choice');
    }
  }
  return {
    action: 'INTRAPATIENT_ESCALATE', nextLevel: d + 1, continues: true, recommendedLevel: d + 1,
    rule: 'atd/intrapatient-escalate', certainty: 'source-explicit', sources: ['S8'],
    explanation: `${name}: worst grade ${g} (0-1) in the previous course; escalate this patient to level ${d + 1} for the next course.`,
  };
}
