import type { ImportResult } from '../../../shared/contract';
import { auditReason, type Actor } from '../access/actor';
import type { Db } from '../store/db';
import type { Clock } from './clock';
import { appendAudit } from './log';

// Audit calls placed in other features' handlers (one line each): a completed snapshot import and a
// reviewer's lambda_z choice, attributed to the actor of the change (access/actor.ts: the signed-in
// account, or the OS account of a scratch database, marked so).

/**
 * The entry of an imported snapshot, written by the importer on its own connection inside the import's
 * transaction (importer.ts `audit` option): the snapshot and its entry commit together or not at all.
 * Duplicates, failures and cancels write nothing. `clock` is the core context's clock, which stamps it.
 */
export function auditImportIn(
  db: Db,
  clock: Clock,
  who: Actor,
  sourcePath: string,
  r: { snapshotId: number; studyId: string; contentHash: string; domains: ImportResult['domains']; warnings: number },
): void {
  appendAudit({ db, clock }, {
    user: who.username,
    action: 'import',
    entity: 'snapshot',
    entityId: r.snapshotId,
    new: { studyId: r.studyId, contentHash: r.contentHash, sourcePath, domains: Object.fromEntries(Object.entries(r.domains).map(([d, n]) => [d, n.rows])), warnings: r.warnings },
    reason: auditReason(who),
  });
}

/** After pk.setLambdaZ stored a choice: who chose which points for which profile, and why. */
export function auditLambdaZ(
  ctx: { db: Db; clock: Clock },
  who: Actor,
  c: { snapshotId: number; usubjid: string; analyte: string; interval: string; timeBasis: string; choice: unknown; reason: string | null; previous?: unknown },
): void {
  appendAudit(ctx, {
    user: who.username,
    action: 'lambda-z',
    entity: 'pk-profile',
    entityId: `${c.snapshotId}/${c.usubjid}/${c.analyte}/${c.interval}`,
    old: c.previous ?? null,
    new: { choice: c.choice, timeBasis: c.timeBasis },
    reason: auditReason(who, c.reason),
  });
}
