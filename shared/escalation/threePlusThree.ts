// 3+3 dose escalation from the per-level history.
// Sources (codes of docs/CLINICAL_RULES.md#sources; rule in docs/CLINICAL_RULES.md#three-plus-three):
//   S1 Le Tourneau et al. 2009 (core rule), S2 Yang, Wang & Ji 2015 (algorithm with de-escalation,
//   steps 1-7), S3 Korn et al. 1994 (MTD = highest level with 6 treated and <= 1 DLT), S4 Storer 1989
//   (escalation-only), S5 R package `escalation` (behaviour on edge cases), S6/S7 (de-escalation
//   fills the lower level to 6), S15 ("6 at the MTD": if only three patients were studied at the
//   presumed MTD, three more are added), S16 (top planned level).
import { checkCompletion } from './completion.js';
import { currentLevel, tallyByLevel, type LevelTally, type ParsedHistory } from './history.js';
import type { Decision, Recommendation } from './vocabulary.js';

export interface ThreePlusThreeOptions {
  /** Number of planned dose levels (the top level is `levels`). */
  levels: number;
  /** Korn/Yang de-escalation (S2, S3) instead of Storer escalation-only (S4). */
  deescalation: boolean;
  /** "6 at the MTD" (S15): the declared MTD / top level must have 6 evaluable patients. */
  sixAtMtd: boolean;
  /** Level for the first cohort of an empty history (default 1). */
  startLevel?: number;
  /**
   * Levels that must reach 6 evaluable patients before they can be declared the MTD whatever the
   * variant: accelerated-titration levels that hold a single patient (case ATD-13, protocol-choice).
   */
  requireSixAt?: ReadonlySet<number>;
  /** Prefix of the explanation, e.g. "ATD design 2, 3+3 phase". */
  label?: string;
}

/** Name of the 3+3 variant with its citation, for explanations. */
export function threePlusThreeVariantName(o: Pick<ThreePlusThreeOptions, 'deescalation' | 'sixAtMtd'>): string {
  const base = o.deescalation
    ? '3+3 with de-escalation (Korn et al. 1994; Yang et al. 2015)'
    : '3+3 escalation-only (Storer 1989)';
  return o.sixAtMtd ? `${base}, 6 at the MTD` : base;
}

/** A level has "exceeded the MTD" once it has >= 2 DLTs (S1: ">= 2 of a cohort of 3 to 6"; S2 steps 4-5). */
export function levelExceedsMtd(t: LevelTally | undefined): boolean {
  return !!t && t.dlt >= 2;
}

/**
 * Korn MTD (S3): "the highest dose level (>= 1) in which 6 patients have been treated with <= 1
 * instance of DLT", searched below `below`. Null when there is none.
 */
export function kornMtd(tallies: readonly LevelTally[], below: number): number | null {
  for (let l = below - 1; l >= 1; l--) {
    const t = tallies[l - 1]!;
    if (t.n >= 6 && t.dlt <= 1) return l;
  }
  return null;
}

/**
 * Planned size of the current stage at a level: 3 until more than 3 patients are enrolled, then 6
 * (S2 step 3). More than 6 is not a 3+3 path (S5 warns); the stage is then what was enrolled.
 */
export function threePlusThreeStageSize(enrolled: number): number {
  if (enrolled <= 3) return 3;
  if (enrolled <= 6) return 6;
  return enrolled;
}

function pl(n: number, word = 'patient'): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The 3+3 decision at level d when the current stage at d is complete (3 or 6 evaluable, or more).
 * Implements the decision table of docs/CLINICAL_RULES.md#three-plus-three.
 */
export function threePlusThreeDecideComplete(tallies: readonly LevelTally[], d: number, o: ThreePlusThreeOptions): Decision {
  const t = tallies[d - 1]!;
  const { n, dlt: x } = t;
  const name = o.label ? `${o.label}: ${threePlusThreeVariantName(o)}` : threePlusThreeVariantName(o);
  const counts = `${x} of ${n} evaluable patients at level ${d} had a DLT`;
  const top = o.levels;
  const above = d < top ? tallies[d] : undefined;
  const aboveExceeded = levelExceedsMtd(above);
  const requireSix = o.sixAtMtd || (o.requireSixAt?.has(d) ?? false);
  const mk = (p: Omit<Decision, 'explanation'> & { text: string }): Decision => {
    const { text, ...rest } = p;
    return { ...rest, explanation: `${name}: ${counts}; ${text}` };
  };

  // >= 2 DLTs: the MTD has been exceeded at d (S2 steps 4c, 5c -> step 6).
  if (x >= 2) {
    if (d === 1) {
      return mk({
        action: 'STOP_NO_MTD', nextLevel: null, continues: false, recommendedLevel: null,
        rule: '3+3/exceeded-at-lowest', certainty: 'source-explicit', sources: ['S2 6a', 'S5', 'S7'],
        text: 'the MTD is exceeded at the lowest level; stop the trial, the MTD is below the lowest dose level (no MTD).',
      });
    }
    const lower = tallies[d - 2]!;
    const lowerEnrolled = lower.n + lower.pending;
    if (lower.n >= 6) {
      if (!o.deescalation) {
        return mk({
          action: 'STOP_MTD', nextLevel: null, continues: false, recommendedLevel: d - 1,
          rule: '3+3/exceeded-stop-storer', certainty: 'source-explicit', sources: ['S1', 'S4', 'S5'],
          text: `the MTD is exceeded at level ${d}; stop, the recommended dose is the level just below, level ${d - 1} (${lower.dlt} of ${lower.n} with a DLT).`,
        });
      }
      const mtd = kornMtd(tallies, d);
      if (mtd === null) {
        return mk({
          action: 'STOP_NO_MTD', nextLevel: null, continues: false, recommendedLevel: null,
          rule: '3+3/exceeded-lower-has-6-no-korn-mtd', certainty: 'package-behaviour', sources: ['S3', 'S5'],
          text: `the MTD is exceeded at level ${d} and level ${d - 1} already has ${pl(lower.n)}; no level below has 6 patients with at most 1 DLT (Korn MTD), so stop with no MTD.`,
        });
      }
      return mk({
        action: 'STOP_MTD', nextLevel: null, continues: false, recommendedLevel: mtd,
        rule: '3+3/exceeded-lower-has-6', certainty: mtd === d - 1 ? 'source-explicit' : 'package-behaviour',
        sources: mtd === d - 1 ? ['S2 6b', 'S3'] : ['S3', 'S5'],
        text: `the MTD is exceeded at level ${d} and level ${d - 1} already has ${pl(lower.n)} (${lower.dlt} with a DLT); stop, MTD = level ${mtd} (highest level with 6 patients and at most 1 DLT).`,
      });
    }
    if (lowerEnrolled > 0 && lower.n < 3 && lowerEnrolled < 3) {
      // Accelerated-titration level holding 1-2 patients (case ATD-13): fill it by 3+3 criteria.
      return mk({
        action: 'DEESCALATE_FILL_LOWER', nextLevel: d - 1, continues: true, recommendedLevel: d - 1,
        rule: '3+3/exceeded-fill-titration-level', certainty: 'protocol-choice', sources: ['ATD-13', 'S2 6b'],
        text: `the MTD is exceeded at level ${d}; level ${d - 1} holds only ${pl(lower.n)} from the titration phase, so treat patients at level ${d - 1} until the 3+3 criteria are met (3, then 6 before it can be declared the MTD).`,
      });
    }
    if (o.deescalation) {
      const fill = lower.n === 0 ? 3 : Math.max(6 - lowerEnrolled, 0);
      const untreated = lower.n === 0;
      return mk({
        action: 'DEESCALATE_EXPAND_LOWER', nextLevel: d - 1, continues: true, recommendedLevel: d - 1,
        rule: '3+3/exceeded-deescalate',
        certainty: untreated ? 'package-behaviour' : 'source-explicit',
        sources: untreated ? ['S5'] : ['S2 6b', 'S6', 'S7', 'S3'],
        text: untreated
          ? `the MTD is exceeded at level ${d}; level ${d - 1} has not been treated, so de-escalate and treat 3 patients at level ${d - 1}.`
          : `the MTD is exceeded at level ${d}; level ${d - 1} has only ${pl(lower.n)}, so de-escalate and treat ${fill} more at level ${d - 1} (expand to 6).`,
      });
    }
    // Escalation-only (Storer 1989, S4; Le Tourneau 2009, S1 "the MTD is ... the dose level just
    // below this toxic dose level"; S5 allow_deescalate = FALSE, '1NNN 2NTT' -> 1, stop): stop and
    // declare d-1 even with 3 patients. "6 at the MTD" (S15) does not reopen a lower level here: the
    // explanation says so, and the six come from the expansion cohort at the declared dose.
    const sixNote = o.sixAtMtd && lower.n < 6
      ? ` Level ${d - 1} has ${pl(lower.n)}: "6 at the MTD" (S15) is not met by the escalation-only rule, which does not return to a lower level; the expansion cohort at the declared dose supplies the six.`
      : '';
    return mk({
      action: 'STOP_MTD', nextLevel: null, continues: false, recommendedLevel: d - 1,
      rule: '3+3/exceeded-stop-storer', certainty: lower.n === 0 ? 'package-behaviour' : 'source-explicit',
      sources: ['S1', 'S4', 'S5'],
      text: `the MTD is exceeded at level ${d}; stop escalation (no de-escalation), the MTD is the level just below, level ${d - 1} (${lower.dlt} of ${lower.n} with a DLT).${sixNote}`,
    });
  }

  // 1 DLT in 3: expand to 6 (S1, S2 step 4b).
  if (n < 6 && x === 1) {
    return mk({
      action: 'STAY_EXPAND_TO_6', nextLevel: d, continues: true, recommendedLevel: d,
      rule: '3+3/expand-1-of-3', certainty: 'source-explicit', sources: ['S1', 'S2 4b'],
      text: `expand level ${d} to 6 patients (3 more at level ${d}).`,
    });
  }

  // 0 of 3.
  if (n < 6) {
    if (aboveExceeded) {
      if (requireSix) {
        return mk({
          action: 'STAY_EXPAND_TO_6', nextLevel: d, continues: true, recommendedLevel: d,
          rule: '3+3/six-at-mtd-backfill', certainty: o.sixAtMtd ? 'source-explicit' : 'protocol-choice',
          sources: o.sixAtMtd ? ['S15'] : ['ATD-13'],
          text: `level ${d + 1} has exceeded the MTD, so level ${d} is the presumed MTD with only ${pl(n)}; add 3 more at level ${d} before declaring it.`,
        });
      }
      return mk({
        action: 'STOP_MTD', nextLevel: null, continues: false, recommendedLevel: d,
        rule: '3+3/backfill-0-of-3-stop', certainty: 'package-behaviour', sources: ['S5'],
        text: `level ${d + 1} has exceeded the MTD (${above!.dlt} of ${above!.n} with a DLT); stop, MTD = level ${d}.`,
      });
    }
    if (d === top) {
      if (o.sixAtMtd) {
        return mk({
          action: 'STAY_EXPAND_TO_6', nextLevel: d, continues: true, recommendedLevel: d,
          rule: '3+3/six-at-top', certainty: 'source-explicit', sources: ['S15'],
          text: `level ${d} is the highest planned level and has only ${pl(n)}; add 3 more at level ${d} before declaring it (6 at the MTD).`,
        });
      }
      return mk({
        action: 'STOP_MAX_DOSE', nextLevel: null, continues: false, recommendedLevel: d,
        rule: '3+3/top-0-of-3', certainty: 'source-explicit', sources: ['S2 7a', 'S5', 'S16'],
        text: `level ${d} is the highest planned level; stop and declare the top level (MTD not reached, maximum administered dose).`,
      });
    }
    return mk({
      action: 'ESCALATE', nextLevel: d + 1, continues: true, recommendedLevel: d + 1,
      rule: '3+3/escalate-0-of-3', certainty: 'source-explicit', sources: ['S1', 'S2 4a', 'S2 7b'],
      text: `escalate to level ${d + 1}.`,
    });
  }

  // 6 (or more) with <= 1 DLT.
  if (aboveExceeded) {
    return mk({
      action: 'STOP_MTD', nextLevel: null, continues: false, recommendedLevel: d,
      rule: '3+3/six-below-exceeded-stop', certainty: 'source-explicit', sources: ['S2 5', 'S3', 'S5'],
      text: `level ${d + 1} has exceeded the MTD (${above!.dlt} of ${above!.n} with a DLT); stop, MTD = level ${d}.`,
    });
  }
  if (d === top) {
    return mk({
      action: 'STOP_MAX_DOSE', nextLevel: null, continues: false, recommendedLevel: d,
      rule: '3+3/top-six', certainty: 'source-explicit', sources: ['S2 7a', 'S5', 'S16'],
      text: `level ${d} is the highest planned level; stop and declare the top level (MTD not reached, maximum administered dose).`,
    });
  }
  return mk({
    action: 'ESCALATE', nextLevel: d + 1, continues: true, recommendedLevel: d + 1,
    rule: '3+3/escalate-six', certainty: 'source-explicit', sources: ['S1', 'S2 5b', 'S2 7b'],
    text: `escalate to level ${d + 1}.`,
  });
}

/**
 * 3+3 recommendation from the whole history: tallies per level, current level = level of the last
 * cohort (S5). Incomplete stages continue (S5 behaviour) and are flagged when already determined.
 * `tallies`, when given, are tallyByLevel(history) kept up to date by a replay (ruleDepartures).
 */
export function threePlusThree(history: ParsedHistory, o: ThreePlusThreeOptions, tallies: LevelTally[] = tallyByLevel(history, o.levels)): Recommendation {
  const warnings: string[] = [];
  const d = currentLevel(history) ?? o.startLevel ?? 1;
  const t = tallies[d - 1]!;
  const enrolled = t.n + t.pending;
  if (enrolled > 6) warnings.push(`Inconsistent 3+3: ${enrolled} patients at level ${d} (more than six).`);
  const stage = threePlusThreeStageSize(enrolled);
  const unknown = stage - t.n;
  const openSlots = stage - enrolled;
  const name = o.label ? `${o.label}: ${threePlusThreeVariantName(o)}` : threePlusThreeVariantName(o);
  if (unknown === 0) {
    return { design: '3+3', ...threePlusThreeDecideComplete(tallies, d, o), determined: false, openSlots: 0, pending: 0, warnings };
  }
  const check = checkCompletion(tallies, d, unknown, (c) => threePlusThreeDecideComplete(c, d, o));
  const status =
    enrolled === 0
      ? `no patients yet at level ${d}; treat a cohort of 3 at level ${d}`
      : `the cohort at level ${d} is incomplete: ${t.dlt} of ${t.n} evaluable patients had a DLT` +
        (t.pending > 0 ? `, ${pl(t.pending)} still inside the DLT window` : '') +
        (openSlots > 0 ? `, ${openSlots} still to enrol (stage of ${stage})` : ` (stage of ${stage})`) +
        `; continue the cohort at level ${d}`;
  const det = check.determined && enrolled > 0
    ? ` The outcome is already determined: whatever the remaining ${pl(unknown)} ${unknown === 1 ? "shows" : "show"}, ${check.decision!.explanation.replace(/^[^:]*: /, '')}`
    : '';
  return {
    design: '3+3',
    action: 'CONTINUE_COHORT', nextLevel: d, continues: true, recommendedLevel: d,
    rule: '3+3/incomplete-cohort', certainty: 'package-behaviour', sources: ['S5'],
    explanation: `${name}: ${status}.${det}`,
    determined: check.determined && enrolled > 0,
    ...(check.determined && enrolled > 0 ? { whenComplete: check.decision } : {}),
    openSlots, pending: t.pending, warnings,
  };
}
