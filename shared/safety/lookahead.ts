import { formatHistory, type HistoryCohort, type ParsedHistory } from '../escalation/history';
import type { CohortTiming } from '../escalation/recommend';
import type { StudyDefinition } from '../study';
import { snapshotRecommendations, type RuleSummary } from './dltTable';

// Look-ahead decision table: what the protocol rule — and BOIN and mTPI-2 beside it — would decide
// if the next evaluable patients had 0, 1, 2, … DLTs. Nothing here decides anything itself: every
// decision is snapshotRecommendations (the function the live recommendation uses) applied to the
// current history with hypothetical patients appended, so a rule has exactly one implementation.
//
// How the hypothetical patients are placed (a DoseDesk convention; the rules themselves, with their
// sources, are in shared/escalation and docs/CLINICAL_RULES.md):
// - patients pending at the data cut-off (history letter P) are the first "next evaluable patients":
//   one step per cohort holding them, in enrolment order; if that cohort is the one the rule is
//   still filling, its open slots join the step;
// - otherwise, while the rule continues a cohort (CONTINUE_COHORT with open slots), the step fills
//   those slots at the rule's next level;
// - otherwise the step is a new cohort at the rule's next level, of the size the rule itself asks
//   for: one pending patient is put there and the rule's own open-slot count is read (3+3: 3;
//   accelerated titration: 1 in the accelerated phase, then 3; BOIN / mTPI-2: the cohort size).
// Inside a step the DLTs are placed first (d × T, then N): the rules count DLTs per level, so the
// order inside a cohort does not change their decision. The path follows the PROTOCOL rule's next
// level; BOIN and mTPI-2 are read on the same hypothetical history, for context.
// A no-DLT outcome is N (no grade-2 toxicity): accelerated titration's grade-2 trigger (G) is not
// enumerated.

export const LOOKAHEAD_MAX_PATIENTS = 6;

/** One step of a path: `patients` of the step's `size` evaluable patients at `level`, `dlts` of them with a DLT. */
export interface LookaheadStep {
  level: number;
  patients: number;
  dlts: number;
  /** Patients the step holds when complete (pending patients resolved + open slots, or the new cohort's size). */
  size: number;
  /** 'pending': resolves patients pending at the cut-off; 'fill': open slots of the current cohort; 'cohort': a new cohort. */
  kind: 'pending' | 'fill' | 'cohort';
}

export interface LookaheadPath {
  /** The steps from now, the last one possibly incomplete (fewer patients than its size). */
  steps: LookaheadStep[];
  /** Next evaluable patients on the path, and their DLTs. */
  patients: number;
  dlts: number;
  /** The hypothetical history the rules were applied to (reference notation). */
  history: string;
  protocol: RuleSummary;
  boin: RuleSummary;
  mtpi2: RuleSummary;
}

export interface LookaheadResult {
  /** The number of next patients looked at (K). */
  maxPatients: number;
  /** The live decisions on the current history (the same as the DLT table's). */
  current: { history: string; protocol: RuleSummary; boin: RuleSummary; mtpi2: RuleSummary };
  /** Every outcome path, depth first (a path's prefixes come before it). */
  paths: LookaheadPath[];
  /** Why there is no path (the protocol rule stopped or could not be applied), or null. */
  note: string | null;
}

interface Slot {
  cohortIndex: number;
  /** Index in the cohort of a pending patient, or -1 for a patient appended to the cohort. */
  patientIndex: number;
}

function cloneHistory(h: ParsedHistory): ParsedHistory {
  return { cohorts: h.cohorts.map((c) => ({ level: c.level, patients: c.patients.map((p) => ({ ...p })) })) };
}

/** The history with the first k slots of a step filled: d DLTs (T) first, then no DLT (N). Pending slots not reached stay P. */
function fill(h: ParsedHistory, slots: readonly Slot[], k: number, d: number): ParsedHistory {
  const out = cloneHistory(h);
  for (let i = 0; i < k; i++) {
    const s = slots[i]!;
    const outcome = i < d ? 'T' : 'N';
    if (s.patientIndex >= 0) out.cohorts[s.cohortIndex]!.patients[s.patientIndex] = { outcome };
    else out.cohorts[s.cohortIndex]!.patients.push({ outcome });
  }
  return out;
}

/** The next step on a history (see the header): its level, kind, the history to fill and the slots to fill in order. */
function nextStep(
  h: ParsedHistory,
  rec: RuleSummary,
  decide: (h: ParsedHistory) => { protocol: RuleSummary },
): { level: number; kind: LookaheadStep['kind']; base: ParsedHistory; slots: Slot[] } | null {
  const continuing = rec.action === 'CONTINUE_COHORT' && rec.nextLevel !== null;
  const pendingAt = h.cohorts.findIndex((c) => c.patients.some((p) => p.outcome === 'P'));
  if (pendingAt >= 0) {
    const c = h.cohorts[pendingAt]!;
    const slots: Slot[] = [];
    c.patients.forEach((p, i) => {
      if (p.outcome === 'P') slots.push({ cohortIndex: pendingAt, patientIndex: i });
    });
    const last = pendingAt === h.cohorts.length - 1;
    if (last && continuing && rec.nextLevel === c.level) for (let i = 0; i < rec.openSlots; i++) slots.push({ cohortIndex: pendingAt, patientIndex: -1 });
    return { level: c.level, kind: 'pending', base: h, slots };
  }
  if (rec.nextLevel === null || rec.continues === false) return null;
  const level = rec.nextLevel;
  const last = h.cohorts[h.cohorts.length - 1];
  if (continuing && rec.openSlots > 0) {
    if (last && last.level === level) {
      return { level, kind: 'fill', base: h, slots: Array.from({ length: rec.openSlots }, () => ({ cohortIndex: h.cohorts.length - 1, patientIndex: -1 })) };
    }
    const base = cloneHistory(h);
    base.cohorts.push({ level, patients: [] } as HistoryCohort);
    return { level, kind: 'fill', base, slots: Array.from({ length: rec.openSlots }, () => ({ cohortIndex: base.cohorts.length - 1, patientIndex: -1 })) };
  }
  // A new cohort: ask the rule its size by opening it with one pending patient.
  const probe = cloneHistory(h);
  probe.cohorts.push({ level, patients: [{ outcome: 'P' }] });
  const asked = decide(probe).protocol;
  const size = 1 + Math.max(0, asked.error === null && asked.action === 'CONTINUE_COHORT' ? asked.openSlots : 0);
  const base = cloneHistory(h);
  base.cohorts.push({ level, patients: [] } as HistoryCohort);
  return { level, kind: 'cohort', base, slots: Array.from({ length: size }, () => ({ cohortIndex: base.cohorts.length - 1, patientIndex: -1 })) };
}

/** An empty cohort (a step started but not yet filled) is not part of the history the rules read. */
function withoutEmpty(h: ParsedHistory): ParsedHistory {
  return { cohorts: h.cohorts.filter((c) => c.patients.length > 0) };
}

/**
 * The look-ahead paths from the current history for up to `maxPatients` next evaluable patients
 * (1..6), each decided by snapshotRecommendations on the history with those patients appended.
 */
export function lookahead(def: StudyDefinition, history: ParsedHistory, maxPatients: number, cohortTiming?: readonly CohortTiming[]): LookaheadResult {
  if (!Number.isInteger(maxPatients) || maxPatients < 1 || maxPatients > LOOKAHEAD_MAX_PATIENTS) {
    throw new RangeError(`look-ahead: the number of next patients must be a whole number from 1 to ${LOOKAHEAD_MAX_PATIENTS}, got ${maxPatients}`);
  }
  const decide = (h: ParsedHistory) => snapshotRecommendations(def, withoutEmpty(h), cohortTiming);
  const now = decide(history);
  const current = { history: formatHistory(history), ...now };
  const paths: LookaheadPath[] = [];
  if (now.protocol.error !== null) return { maxPatients, current, paths, note: `The protocol rule could not be applied to the current history: ${now.protocol.error}` };

  const walk = (h: ParsedHistory, rec: RuleSummary, steps: LookaheadStep[], budget: number) => {
    const step = nextStep(h, rec, decide);
    if (!step || step.slots.length === 0) return;
    const size = step.slots.length;
    for (let k = 1; k <= Math.min(size, budget); k++) {
      for (let d = 0; d <= k; d++) {
        const hyp = withoutEmpty(fill(step.base, step.slots, k, d));
        const r = decide(hyp);
        const s = [...steps, { level: step.level, patients: k, dlts: d, size, kind: step.kind }];
        paths.push({
          steps: s,
          patients: s.reduce((n, x) => n + x.patients, 0),
          dlts: s.reduce((n, x) => n + x.dlts, 0),
          history: formatHistory(hyp),
          protocol: r.protocol,
          boin: r.boin,
          mtpi2: r.mtpi2,
        });
        // Only a completed step leads on, and only while the protocol rule continues.
        if (k === size && budget - k > 0 && r.protocol.error === null && r.protocol.continues) walk(hyp, r.protocol, s, budget - k);
      }
    }
  };
  walk(history, now.protocol, [], maxPatients);
  const note = paths.length === 0 ? `The protocol rule does not continue on the current history (${now.protocol.action ?? 'no decision'}): there is no next patient to look ahead to.` : null;
  return { maxPatients, current, paths, note };
}

/** "DL2: 1 DLT in 3 → DL2: 0 DLTs in 2 of 3" — a path's steps in words. */
export function describeSteps(steps: readonly LookaheadStep[]): string {
  return steps
    .map((s) => `DL${s.level}: ${s.dlts} DLT${s.dlts === 1 ? '' : 's'} in ${s.patients < s.size ? `${s.patients} of ${s.size}` : s.patients}${s.kind === 'pending' ? ' (pending at cut-off first)' : ''}`)
    .join(' → ');
}
