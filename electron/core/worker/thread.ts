import { parentPort, workerData } from 'node:worker_threads';
import { createCore } from '../app';
import { CallError, type Transport } from '../context';
import { seedDemoIfEmpty } from '../snapshots/seed';

// One thread of the core (pool.ts): its own SQLite connection and handler map, the write gate shared
// with the other threads. Answers the calls the pool sends it, one message each, and passes the core's
// events on. The writer thread seeds the demo into an empty database before it says it is ready.

export interface ThreadData {
  dbPath: string;
  user?: string;
  role: 'writer' | 'reader';
  writeGate: SharedArrayBuffer;
  seedDemo: boolean;
}

/** A call; with `json`, the answer comes back as JSON text (CoreClient.callJson). */
export type ToThread = { t: 'call'; id: number; method: string; input: unknown; transport: Transport; json?: boolean } | { t: 'allowRead'; path: string; staging: boolean };

/** A failed call as it crosses threads: a CallError's kind and details, or an unexpected error's message and stack. */
export type ThreadError = { kind: CallError['kind']; message: string; details?: unknown; stack?: string; internal: boolean };

export type FromThread =
  | { t: 'ready'; seeded: number[] }
  | { t: 'failed'; message: string }
  | { t: 'answer'; id: number; ok: true; result: unknown }
  | { t: 'answer'; id: number; ok: true; json: string }
  | { t: 'answer'; id: number; ok: false; error: ThreadError }
  | { t: 'event'; event: unknown };

const data = workerData as ThreadData;
const port = parentPort!;
const send = (m: FromThread) => port.postMessage(m);

try {
  // Readers open the database at their first call: the writer has created and migrated it by then.
  const core = createCore({ dbPath: data.dbPath, user: data.user, writeGate: data.writeGate, lazy: data.role === 'reader' });
  core.onEvent((event) => send({ t: 'event', event }));
  port.on('message', (m: ToThread) => {
    if (m.t === 'allowRead') return core.allowRead(m.path, m.staging);
    core.callRaw(m.method, m.input, m.transport).then(
      (result) => send(m.json ? { t: 'answer', id: m.id, ok: true, json: JSON.stringify(result) } : { t: 'answer', id: m.id, ok: true, result }),
      (e: unknown) => send({ t: 'answer', id: m.id, ok: false, error: threadError(e) }),
    );
  });
  const seeded = data.seedDemo ? await seedDemoIfEmpty(core) : [];
  send({ t: 'ready', seeded });
} catch (e) {
  send({ t: 'failed', message: e instanceof Error ? e.message : String(e) });
}

function threadError(e: unknown): ThreadError {
  if (e instanceof CallError) return { kind: e.kind, message: e.message, details: e.details, internal: false };
  const err = e instanceof Error ? e : new Error(String(e));
  return { kind: 'internal', message: err.message, stack: err.stack, internal: true };
}
