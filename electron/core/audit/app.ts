import { CallError, type App } from '../app';
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
  app.method('audit.verify', (_input, ctx) => verifyAuditChain(ctx.db));
}
