import os from 'node:os';
import { contract, type CoreEvent, type MethodName } from '../../shared/contract';
import { CallError, type App, type Core, type CoreContext, type Handler, type Transport } from './context';
import { openDb } from './store/db';
import { registerSnapshots } from './snapshots/app';
import { registerCohorts } from './cohorts/app';
import { registerPk } from './pk/app';
import { registerEfficacy } from './efficacy/app';
import { registerSafety } from './safety/app';
import { registerAeTables } from './safety/aeTables';
import { registerSubjects } from './subjects/app';
import { registerUsers } from './users/app';
import { registerAudit } from './audit/app';
import { registerMeetings } from './meetings/app';
import { preloadPdfStack, registerMinutes } from './minutes/app';
import { Mutex } from './access/mutex';
import { isWrite } from './access/writes';
import { checkUiPaths } from './access/paths';
import { callContext, resolveActor } from './access/actor';
import { registerMapping } from './mapping/app';
import { registerLabs } from './labs/app';
import { registerEcg } from './ecg/app';
import { registerExposure } from './exposure/app';
import { registerCm } from './cm/app';
import { registerReview } from './review/app';
import { systemClock, type Clock } from './audit/clock';
import { prepareInBackground } from './snapshots/prepare';
import type { ImportResult } from '../../shared/contract';

export { CallError, type App, type Core, type CoreClient, type CoreContext, type Handler, type Transport } from './context';

// The core: one handler per contract method, registered by feature (one folder each, as in Actual
// Budget's server/*/app.ts). Electron IPC, the browser host and the CLI all go through `call`,
// which validates the input against the contract before the handler sees it.

/**
 * `lazy` (the CLI): open the database (and load better-sqlite3) at the first handler that reads
 * `ctx.db`, and load the PDF stack only when a minutes handler needs it, so that a pure calculation
 * (`dosedesk ci`, `recommend --design`, `nca --input`) neither needs nor creates a database and starts
 * fast. Otherwise (the app, the host, tests) the database opens at once, so that a bad path fails at
 * start, and the PDF stack loads in the background, so that the first export does not wait for it.
 */
/**
 * `prepareAfterImport` (the app's window: Electron and the browser host): after a snapshot is imported,
 * derive in the background what its views read first (snapshots/prepare.ts). Off for the CLI and tests,
 * whose calls must not race a background derivation.
 */
/**
 * `writeGate`: the lock word of a write gate shared with other threads' cores on the same database
 * (worker/pool.ts), so that a read's derivation that writes (AE facts) waits for another thread's import.
 */
export function createCore(opts: { dbPath: string; user?: string; lazy?: boolean; clock?: Clock; prepareAfterImport?: boolean; writeGate?: SharedArrayBuffer }): Core {
  const listeners = new Set<(e: CoreEvent) => void>();
  let db = opts.lazy ? undefined : openDb(opts.dbPath);
  if (!opts.lazy) preloadPdfStack();
  let closed = false;
  const ctx: CoreContext = {
    dbPath: opts.dbPath,
    get db() {
      if (closed && !db) throw new Error('the core is closed');
      return (db ??= openDb(opts.dbPath));
    },
    user: opts.user ?? safeUser(),
    clock: opts.clock ?? systemClock,
    emit: (e) => listeners.forEach((l) => l(e)),
    actor: null,
    imports: new Map(),
    writeGate: new Mutex(opts.writeGate),
    readRoots: new Set(),
    stagingRoots: new Set(),
  };
  const handlers = new Map<string, Handler<MethodName>>();
  const app: App = {
    method(name, fn) {
      if (handlers.has(name)) throw new Error(`handler for ${name} registered twice`);
      handlers.set(name, fn as unknown as Handler<MethodName>);
    },
  };
  registerSnapshots(app);
  registerCohorts(app);
  registerPk(app);
  registerEfficacy(app);
  registerSafety(app);
  registerAeTables(app);
  registerSubjects(app);
  registerUsers(app);
  registerAudit(app);
  registerMeetings(app);
  registerMinutes(app);
  registerMapping(app);
  registerLabs(app);
  registerEcg(app);
  registerExposure(app);
  registerCm(app);
  registerReview(app);
  for (const name of Object.keys(contract)) if (!handlers.has(name)) throw new Error(`contract method ${name} has no handler`);

  const callRaw = async (method: string, input: unknown, transport: Transport = 'local'): Promise<unknown> => {
    const def = (contract as Record<string, (typeof contract)[MethodName]>)[method];
    const fn = handlers.get(method);
    if (!def || !fn) throw new CallError('not-found', `unknown method ${JSON.stringify(method)}`);
    const parsed = def.input.safeParse(input ?? {});
    if (!parsed.success) {
      const msg = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
      throw new CallError('invalid-input', `${method}: ${msg}`, parsed.error.issues);
    }
    // Every method that takes a session is a write (isWrite), so a read acts for nobody: actor null.
    if (!isWrite(method)) {
      if (transport === 'ui') checkUiPaths(ctx, method, input);
      return fn(parsed.data as never, callContext(ctx, null));
    }
    // A second import is refused at once rather than queued behind the first (the UI says so).
    if (method === 'snapshot.import' && ctx.imports.size > 0) throw new CallError('conflict', 'an import is running: wait until it has finished (or cancel it), then import again');
    const result = ctx.writeGate.run(async () => {
      if (transport === 'ui') checkUiPaths(ctx, method, input);
      try {
        // The call's session, resolved once here (under the gate: it stamps the session's activity or
        // ends an idle one); the handler reads the account as ctx.actor (access/actor.ts).
        return await fn(parsed.data as never, callContext(ctx, resolveActor(ctx, method, parsed.data)));
      } catch (e) {
        // Within this process writes never contend (the gate); another process (a command-line import)
        // may still hold SQLite's write lock beyond busy_timeout: say so instead of "database is locked".
        if ((e as { code?: string }).code === 'SQLITE_BUSY') throw new CallError('conflict', `${method}: the database is busy — another DoseDesk process (for example a command-line import) is writing to it; try again when it has finished`);
        throw e;
      }
    });
    if (opts.prepareAfterImport && method === 'snapshot.import') {
      const r = (await result) as ImportResult;
      // Stops when the core closes or another import starts (it prepares its own snapshot after).
      if (r.status === 'imported' && r.snapshotId !== null) prepareInBackground({ call: (m, i) => callRaw(m, i) as never }, [r.snapshotId], () => closed || ctx.imports.size > 0);
      return r;
    }
    return result;
  };
  return {
    ctx,
    call: (method, input) => callRaw(method, input) as never,
    callRaw,
    callJson: async (method, input, transport) => JSON.stringify(await callRaw(method, input, transport)),
    allowRead: (p, staging = false) => {
      ctx.readRoots.add(p);
      if (staging) ctx.stagingRoots.add(p);
    },
    onEvent(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    close: () => {
      closed = true;
      db?.close();
    },
  };
}

function safeUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}
