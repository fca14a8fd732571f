// Incomplete cohorts: keep enrolling, and flag when the outcome is already determined
// (docs/CLINICAL_RULES.md#incomplete-cohorts: "MTD exceeded is already determined at this
// level" is flagged for the committee; DoseDesk's flag, not a source's).
import type { LevelTally } from './history.js';
import type { Decision } from './vocabulary.js';

export interface CompletionCheck {
  /** True when every possible outcome of the k unknown patients gives the same decision. */
  determined: boolean;
  /** That common decision (only when determined). */
  decision?: Decision;
}

function sameDecision(a: Decision, b: Decision): boolean {
  return a.action === b.action && a.nextLevel === b.nextLevel && a.recommendedLevel === b.recommendedLevel && a.continues === b.continues;
}

/**
 * Enumerate the completions of the current level: the k unknown patients (still to enrol or
 * pending) add k evaluable patients with j = 0..k DLTs. Every decision rule here depends only on
 * the per-level counts, so k + 1 cases cover every order of outcomes.
 */
export function checkCompletion(
  tallies: readonly LevelTally[],
  level: number,
  unknown: number,
  decide: (completed: LevelTally[]) => Decision,
): CompletionCheck {
  let first: Decision | undefined;
  for (let j = 0; j <= unknown; j++) {
    const completed = tallies.map((t) =>
      t.level === level ? { ...t, n: t.n + unknown, dlt: t.dlt + j, pending: 0 } : { ...t },
    );
    const d = decide(completed);
    if (!first) first = d;
    else if (!sameDecision(first, d)) return { determined: false };
  }
  return { determined: true, decision: first };
}
