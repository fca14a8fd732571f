import { summarizeCohorts } from '../../../shared/cohorts';
import { StudyDefinition, withStudyMapping } from '../../../shared/study';
import { CallError, type App, type CoreContext } from '../context';
import { cutoffOf, loadAes, loadSubjects } from '../queries/subjects';
import { snapshotDefinitionRow } from './queries';
import { snapshotMemo } from '../snapshots/memo';

// Cohorts: the per-dose-level table the committee opens first.

export function registerCohorts(app: App): void {
  // Derived once per snapshot, definition and cut-off (snapshotMemo: in memory and in the database).
  app.method('cohorts.summary', ({ snapshotId }, ctx) => {
    const { definition, cutoff } = snapshotContext(ctx, snapshotId);
    return snapshotMemo(ctx.db, snapshotId, 'cohorts.summary', { definition, cutoff }, () => {
      const rows = cutoff ? summarizeCohorts(loadSubjects(ctx.db, snapshotId, definition.cycleLengthDays), loadAes(ctx.db, snapshotId, definition.ae.gradeVariable), definition, cutoff) : [];
      return {
        snapshotId,
        dataCutoff: cutoff,
        dltWindowDays: definition.dltWindowDays,
        rows: rows.map((r) => ({ ...r, doseUnit: definition.doseUnit })),
      };
    });
  });
}

/**
 * A handler's answer that depends only on the snapshot, its study definition and cut-off (and `input`,
 * the caller's choices): derived once and stored (snapshots/memo.ts), so that a view opened after a
 * restart reads it instead of deriving it again.
 */
export function snapshotAnswer<T>(ctx: CoreContext, snapshotId: number, name: string, compute: () => T, input?: unknown): T {
  return snapshotMemo(ctx.db, snapshotId, name, { ...snapshotContext(ctx, snapshotId), input }, compute, { answer: true });
}

/** The study definition in force for a snapshot (the user's confirmed answers win over derived ones) and its data cut-off. */
export function snapshotContext(ctx: CoreContext, snapshotId: number): { definition: StudyDefinition; cutoff: string | null } {
  const r = snapshotDefinitionRow(ctx.db, snapshotId);
  if (!r) throw new CallError('not-found', `no snapshot ${snapshotId}`);
  const own = StudyDefinition.parse(JSON.parse(r.definition_source === 'derived' && r.study_source === 'user' ? r.study_def : r.definition));
  // The study's data mapping (ADA codes, PK matrix, AE grade variable …) applies to every snapshot of it.
  const definition = withStudyMapping(own, StudyDefinition.parse(JSON.parse(r.study_def)));
  return { definition, cutoff: cutoffOf(ctx.db, snapshotId, definition.dataCutoff ?? r.data_cutoff) };
}
