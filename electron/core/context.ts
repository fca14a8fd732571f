import type { z } from 'zod';
import type { contract, ApiError, CoreEvent, Input, MethodName, Output } from '../../shared/contract';
import type { Db } from './store/db';
import type { Mutex } from './access/mutex';
import type { Clock } from './audit/clock';
import type { Role } from '../../shared/meeting';

// What every feature of the core shares: the context a handler runs in, the handler and app types,
// and the error a handler throws. In a module of its own so that features never import the
// composition root (app.ts), which imports them.

/** The signed-in account a call acts for (resolved from the call's `session` before the handler runs). */
export interface SignedIn {
  userId: number;
  username: string;
  /** The printed name (app_user.printed_name). */
  name: string;
  title: string;
  role: Role;
}

export interface CoreContext {
  dbPath: string;
  /**
   * Who makes this call: the account of the call's live session, resolved once by `core.call` before
   * the handler runs (access/actor.ts `resolveActor`); null for a call without a session (reads, login,
   * password-checked methods, a scratch database without accounts) and on `core.ctx` itself. Handlers
   * read it through access/actor.ts (`signedIn`, `requireRole`, `attribution`), never the token.
   */
  actor: SignedIn | null;
  /** The read/write connection of the handlers (imports use a connection of their own). */
  db: Db;
  /** The operating-system account (the actor of changes on a scratch database: access/actor.ts). */
  user: string;
  /**
   * The current time (ms since the epoch) for everything recorded: audit entries, sessions,
   * signatures, imports. Handlers read it instead of Date.now() so that tests can set the time.
   */
  clock: Clock;
  emit(e: CoreEvent): void;
  /** Running imports by id, so that import.cancel can abort them. */
  imports: Map<string, AbortController>;
  /**
   * Every method that writes runs under this lock, one at a time in arrival order (SQLite has one
   * writer; a write waiting in SQLite's busy handler would block the event loop and with it the import
   * it waits for). Reads never take it: they run on the WAL snapshot, also during an import.
   */
  writeGate: Mutex;
  /** Files and folders a UI call may read (uploads staged by the host, paths picked in Electron's dialog). */
  readRoots: Set<string>;
  /** Of those, the browser host's staging folders: an import from one records the uploaded file or folder's own name, not the temporary path. */
  stagingRoots: Set<string>;
}

/** Who sent a call: 'ui' = Electron IPC or the browser host (a page), 'local' = the CLI or a test. */
export type Transport = 'ui' | 'local';

export type Handler<M extends MethodName> = (input: z.output<(typeof contract)[M]['input']>, ctx: CoreContext) => Promise<Output<M>> | Output<M>;

export interface App {
  method<M extends MethodName>(name: M, fn: Handler<M>): void;
}

/**
 * Error kinds (ApiError['kind']) a handler throws: 'invalid-input', 'not-found', 'conflict' (the
 * state forbids it: a locked record, a running import), 'unauthenticated' (no live session: not
 * logged in, session ended or locked after inactivity — the UI asks to sign in again), 'forbidden'
 * (signed in, but the account's role or state does not allow it), 'internal'.
 */
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

/** What a transport (Electron IPC, the browser host) uses of the core: the core itself, or its threads (worker/pool.ts). */
export interface CoreClient {
  call<M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>>;
  /** Untyped entry for transports: the method name and input come from outside and are validated. */
  callRaw(method: string, input: unknown, transport?: Transport): Promise<unknown>;
  /**
   * callRaw's answer as JSON text, for the window's transports (the browser host's HTTP, Electron's
   * IPC): the core's threads write it themselves, so that a large answer crosses to the host as one
   * string instead of a structured clone of its object graph (60–80 ms for a 1–2 MB answer).
   */
  callJson(method: string, input: unknown, transport?: Transport): Promise<string>;
  /** Lets UI calls read this file or folder (the user uploaded or picked it). */
  allowRead(p: string, staging?: boolean): void;
  onEvent(listener: (e: CoreEvent) => void): () => void;
  close(): void | Promise<void>;
}

/** The core in this thread (the CLI, tests, and each thread of worker/pool.ts). */
export interface Core extends CoreClient {
  ctx: CoreContext;
  close(): void;
}

