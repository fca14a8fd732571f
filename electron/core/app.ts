import os from 'node:os';
import { contract, type ApiError, type CoreEvent, type Input, type MethodName, type Output } from '../../shared/contract';
import type { z } from 'zod';
import { openDb, type Db } from './store/db';
import { registerSnapshots } from './snapshots/app';
import { registerCohorts } from './cohorts/app';
import { registerPk } from './pk/app';
import { registerEfficacy } from './efficacy/app';
import { registerSafety } from './safety/app';
import { registerSubjects } from './subjects/app';
import { registerUsers } from './users/app';
import { registerAudit } from './audit/app';
import { registerMeetings } from './meetings/app';
import { registerMinutes } from './minutes/app';
import { registerMapping } from './mapping/app';

// The core: one handler per contract method, registered by feature (one folder each, as in Actual
// Budget's server/*/app.ts). Electron IPC, the browser host and the CLI all go through `call`,
// which validates the input against the contract before the handler sees it.

export interface CoreContext {
  dbPath: string;
  /** The read/write connection of the handlers (imports use a connection of their own). */
  db: Db;
  /** The user on whose behalf calls are made (recorded as importing user). */
  user: string;
  emit(e: CoreEvent): void;
  /** Running imports by id, so that import.cancel can abort them. */
  imports: Map<string, AbortController>;
}

export type Handler<M extends MethodName> = (input: z.output<(typeof contract)[M]['input']>, ctx: CoreContext) => Promise<Output<M>> | Output<M>;

export interface App {
  method<M extends MethodName>(name: M, fn: Handler<M>): void;
}

export class CallError extends Error {
  constructor(
    readonly kind: ApiError['kind'],
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
  toJSON(): ApiError {
    return { error: this.message, kind: this.kind, details: this.details };
  }
}

export interface Core {
  ctx: CoreContext;
  call<M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>>;
  /** Untyped entry for transports: the method name and input come from outside and are validated. */
  callRaw(method: string, input: unknown): Promise<unknown>;
  onEvent(listener: (e: CoreEvent) => void): () => void;
  close(): void;
}

export function createCore(opts: { dbPath: string; user?: string }): Core {
  const listeners = new Set<(e: CoreEvent) => void>();
  const ctx: CoreContext = {
    dbPath: opts.dbPath,
    db: openDb(opts.dbPath),
    user: opts.user ?? safeUser(),
    emit: (e) => listeners.forEach((l) => l(e)),
    imports: new Map(),
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
  registerSubjects(app);
  registerUsers(app);
  registerAudit(app);
  registerMeetings(app);
  registerMinutes(app);
  registerMapping(app);
  for (const name of Object.keys(contract)) if (!handlers.has(name)) throw new Error(`contract method ${name} has no handler`);

  const callRaw = async (method: string, input: unknown): Promise<unknown> => {
    const def = (contract as Record<string, (typeof contract)[MethodName]>)[method];
    const fn = handlers.get(method);
    if (!def || !fn) throw new CallError('not-found', `unknown method ${JSON.stringify(method)}`);
    const parsed = def.input.safeParse(input ?? {});
    if (!parsed.success) {
      const msg = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
      throw new CallError('invalid-input', `${method}: ${msg}`, parsed.error.issues);
    }
    return fn(parsed.data as never, ctx);
  };
  return {
    ctx,
    call: (method, input) => callRaw(method, input) as never,
    callRaw,
    onEvent(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    close: () => ctx.db.close(),
  };
}

function safeUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}
