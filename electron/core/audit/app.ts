import { CallError, type App } from '../context';
import { verifyCheckpoints } from './anchor';
import { listAudit, verifyAuditChain } from './log';

// Handlers of the audit trail: read and verify only. Entries are written by the core (log.ts
// appendAudit), never through a contract method.

export function registerAudit(app: App): void {
  app.method('audit.list', (input, ctx) => {
    try {
      return listAudit(ctx.db, input);
    } catch (e) {
      throw new CallError('invalid-input', (e as Error).message);
    }
  });
  // The chain, then its signed checkpoints (anchor.ts): truncation, a recomputed chain or an emptied
  // table break a checkpoint once one exists.
  app.method('audit.verify', (_input, ctx) => {
    const chain = verifyAuditChain(ctx.db);
    const cp = verifyCheckpoints(ctx.db);
    if (!chain.ok || cp.problem === null) return { ...chain, checkpoints: cp.checkpoints };
    const seq = /entry (\d+)/.exec(cp.problem)?.[1];
    return { ...chain, ok: false, checkpoints: cp.checkpoints, firstBroken: { seq: seq ? Number(seq) : 0, position: chain.entries, problem: cp.problem } };
  });
}
