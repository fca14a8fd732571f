import type { Output } from '../../../shared/contract';
import type { CoreContext } from '../app';
import { appendAudit } from './log';

// Audit calls placed in other features' handlers (one line each): a completed snapshot import and a
// reviewer's lambda_z choice. The user is the core's user (the OS account the app runs under) until
// those methods take a session.

/** After snapshot.import: one entry per imported snapshot (duplicates, failures and cancels write nothing). */
export function auditImport(ctx: CoreContext, sourcePath: string, r: Output<'snapshot.import'>): Output<'snapshot.import'> {
  if (r.status === 'imported' && r.snapshotId !== null) {
    appendAudit(ctx, {
      user: ctx.user,
      action: 'import',
      entity: 'snapshot',
      entityId: r.snapshotId,
      new: { studyId: r.studyId, contentHash: r.contentHash, sourcePath, domains: Object.fromEntries(Object.entries(r.domains).map(([d, c]) => [d, c.rows])), warnings: r.warnings.length },
    });
  }
  return r;
}

/** After pk.setLambdaZ stored a choice: who chose which points for which profile, and why. */
export function auditLambdaZ(
  ctx: CoreContext,
  c: { snapshotId: number; usubjid: string; analyte: string; interval: string; timeBasis: string; choice: unknown; reason: string | null; previous?: unknown },
): void {
  appendAudit(ctx, {
    user: ctx.user,
    action: 'lambda-z',
    entity: 'pk-profile',
    entityId: `${c.snapshotId}/${c.usubjid}/${c.analyte}/${c.interval}`,
    old: c.previous ?? null,
    new: { choice: c.choice, timeBasis: c.timeBasis },
    reason: c.reason,
  });
}
