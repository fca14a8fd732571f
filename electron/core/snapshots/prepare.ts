import type { Input, MethodName } from '../../../shared/contract';
import type { Core } from '../context';

// Derive once, at the end of an import (issue 14 item 2): the app calls, one after another, the reads
// each view makes first, so that their results are derived now — while the import dialog is still
// closing — and stored (snapshot_derived, ae_fact), and a view opened later reads them instead of
// deriving them in front of the committee. The calls are the contract's own reads with the views'
// default inputs: the results are the ones a view would have derived, by construction.
//
// Each step yields to the event loop first, so that a call from the window (the Cohorts view the
// import opens) goes in between two derivations instead of waiting for all of them. A step that fails
// (a snapshot without PK, say) is recorded and skipped; preparing never changes what a call returns.

type Step = { [M in MethodName]: { method: M; input: Omit<Input<M>, 'snapshotId'> } }[MethodName];

/** The views' first reads, in the order a committee opens them (Cohorts first). */
export const PREPARE_STEPS: readonly Step[] = [
  { method: 'cohorts.summary', input: {} },
  { method: 'safety.dltTable', input: {} },
  { method: 'safety.dltIndex', input: {} },
  { method: 'safety.lookahead', input: { patients: 3 } },
  { method: 'snapshot.mapping', input: {} },
  { method: 'subjects.lanes', input: {} },
  { method: 'subjects.timeline', input: {} },
  { method: 'safety.listings', input: {} },
  { method: 'efficacy.responses', input: {} },
  { method: 'safety.ada', input: {} },
  { method: 'safety.adaEmergent', input: {} },
  { method: 'exposure.summary', input: {} },
  { method: 'efficacy.tumourSeries', input: {} },
  { method: 'efficacy.plotColumns', input: { points: true } },
  { method: 'efficacy.plotColumns', input: { points: false } },
  { method: 'safety.aeListingPage', input: { limit: 1 } },
  { method: 'safety.incidence', input: { by: 'level', minGrade: 1 } },
  { method: 'safety.incidence', input: { by: 'level', minGrade: 3 } },
  { method: 'safety.socGradeGrid', input: {} },
  { method: 'safety.relatedIncidence', input: { minGrade: 1 } },
  { method: 'safety.aeAction', input: {} },
  { method: 'labs.shift', input: { subjectRows: 'notable' } },
  { method: 'labs.edish', input: {} },
  { method: 'ecg.qtcf', input: {} },
  { method: 'ecg.categories', input: {} },
  { method: 'pk.curves', input: { individual: false } },
  { method: 'pk.nca', input: { fields: 'table', as: 'columns', digits: 4 } },
];

/**
 * What each reader of the core's threads reads into its own memory (worker/pool.ts): the views' first
 * reads, then the profile's per-subject reads, asked for no subject (they load the whole snapshot's
 * derivations, then keep none of its rows).
 */
export const WARM_STEPS: readonly Step[] = [
  ...PREPARE_STEPS,
  { method: 'safety.aeListing', input: { usubjids: [] } },
  { method: 'pk.profiles', input: { interval: 'single', usubjids: [] } },
  { method: 'pk.profiles', input: { interval: 'steady', usubjids: [] } },
  { method: 'cm.listing', input: { usubjids: [] } },
  // The efficacy view's summaries derive from the subjects' tumour results and, for survival, every
  // domain's last date, loaded once per reader (about 1.5 s each at 10,000 subjects).
  { method: 'efficacy.responseSummary', input: {} },
  { method: 'efficacy.km', input: { endpoint: 'OS', subjects: false } },
];

export interface PreparedStep {
  method: MethodName;
  ms: number;
  /** Why the step gave no result (the call's error message); absent when it succeeded. */
  error?: string;
}

/** Runs the steps for one snapshot; `stopped()` is asked before each (the core closed, a newer import). */
export async function prepareViews(core: Pick<Core, 'call'>, snapshotId: number, stopped: () => boolean = () => false): Promise<PreparedStep[]> {
  const done: PreparedStep[] = [];
  for (const step of PREPARE_STEPS) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (stopped()) break;
    const t0 = performance.now();
    try {
      await core.call(step.method, { ...step.input, snapshotId } as never);
      done.push({ method: step.method, ms: Math.round(performance.now() - t0) });
    } catch (e) {
      done.push({ method: step.method, ms: Math.round(performance.now() - t0), error: e instanceof Error ? e.message : String(e) });
    }
  }
  return done;
}

/** The hosts' start: the demo snapshots seeded into an empty database, prepared one after the other. */
export function prepareInBackground(core: Pick<Core, 'call'>, snapshotIds: number[], stopped?: () => boolean): void {
  void (async () => {
    for (const id of snapshotIds) await prepareViews(core, id, stopped);
  })();
}
