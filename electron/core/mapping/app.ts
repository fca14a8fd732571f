import type { MappingEntry } from '../../../shared/mapping';
import { CallError, type App, type CoreContext } from '../context';
import { snapshotContext } from '../cohorts/app';
import { snapshotMemo } from '../snapshots/memo';
import { snapshotExists } from './queries';
import { mappingContributors, type MappingContributor } from './contributors';

// snapshot.mapping: the mapping report of one snapshot, the concatenation of every contributor's
// entries (the import's own, then each analysis's), under the study definition in force.

export function registerMapping(app: App): void {
  app.method('snapshot.mapping', ({ snapshotId }, ctx) => mappingReport(ctx, snapshotId));
}

export function mappingReport(ctx: CoreContext, snapshotId: number, contributors: readonly MappingContributor[] = mappingContributors): MappingEntry[] {
  const exists = snapshotExists(ctx.db, snapshotId);
  if (!exists) throw new CallError('not-found', `no snapshot ${snapshotId}`);
  const { definition } = snapshotContext(ctx, snapshotId);
  const compute = () => contributors.flatMap((c) => c(ctx.db, snapshotId, definition));
  // Cached per snapshot and definition (a saved mapping changes the definition, hence the report);
  // an answer: contributors share constant lists (`views`), stored as copies.
  return contributors === mappingContributors ? (snapshotMemo(ctx.db, snapshotId, 'mapping', definition, compute, { answer: true }) as MappingEntry[]) : compute();
}
