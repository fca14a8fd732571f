import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CoreEvent, ImportResult, Input, MethodName, Output } from '../../../shared/contract';
import { Mutex } from '../access/mutex';
import { isWrite } from '../access/writes';
import { CallError, type CoreClient, type Transport } from '../context';
import { prepareViews, WARM_STEPS } from '../snapshots/prepare';
import type { FromThread, ThreadData, ThreadError, ToThread } from './thread';

// The core off the window's thread (issue 14, item 4): the app's hosts (Electron's main process, the
// browser host) run the core in worker threads, so that a long derivation or an import never holds up
// the process that serves the window. One writer thread takes every write (they run one at a time,
// in arrival order, as in one core) and `import.cancel`, which acts on its running import; reader
// threads take the reads, each on its own SQLite connection (WAL: a reader sees every committed write
// and is never blocked by the writer), so that a view's calls run side by side. All threads share one
// write gate (access/mutex.ts), so that a read whose derivation writes (the AE facts) waits for an
// import in another thread exactly as it would in one core. Derivations are stored in the database
// (snapshots/memo.ts) and so shared between the threads.

export interface CorePool extends CoreClient {
  /** Snapshots the writer seeded from the demo at start (`seedDemo`), empty otherwise. */
  seeded: number[];
  /** With `prepare`: the readers' latest warm-up (resolves at once when none ran); tests await it. */
  warmed(): Promise<void>;
  /** Calls answered by each thread (tests and the bench read it): writer first. */
  answered(): number[];
  close(): Promise<void>;
}

export interface PoolOptions {
  dbPath: string;
  /** Operating-system account recorded as the actor on a database without accounts (tests set it). */
  user?: string;
  /** Reader threads: default one per core beyond the first, 2 to 3 (two, so that a view's two slow reads run side by side). */
  readers?: number;
  /** Seed the demo study into an empty database before the pool is ready (the app's start). */
  seedDemo?: boolean;
  /**
   * After an import (and after seeding), derive what the views read first, in the background
   * (snapshots/prepare.ts); then, and shortly after start, warm every reader with the snapshot in use.
   */
  prepare?: boolean;
}

/** After start, the readers warm up once the window has asked nothing for this long (its first view drawn), not in its way. */
const WARM_QUIET_MS = 1500;
/** …or this long after start when no window has asked anything. */
const WARM_AT_THE_LATEST_MS = 10_000;

const METHODS_OF_THE_WRITER = new Set(['import.cancel']);

export async function startCorePool(opts: PoolOptions): Promise<CorePool> {
  const writeGate = Mutex.sharedBuffer();
  const listeners = new Set<(e: CoreEvent) => void>();
  const allowed: { path: string; staging: boolean }[] = [];
  let closed = false;
  let importsRunning = 0;
  const spawn = (role: ThreadData['role'], seedDemo: boolean) =>
    new Thread({ dbPath: opts.dbPath, user: opts.user, role, writeGate, seedDemo }, (e) => listeners.forEach((l) => l(e as CoreEvent)), allowed, () => closed);

  // The pool is ready when the writer is: it has created and migrated the database (and seeded the
  // demo). The readers start then, not awaited (the host starts and the page loads meanwhile); a call
  // sent to a reader still starting waits in its port.
  const writer = spawn('writer', opts.seedDemo ?? false);
  const seeded = await writer.ready;
  const readerCount = Math.max(1, Math.min(3, opts.readers ?? Math.max(2, os.availableParallelism() - 1)));
  const readers = Array.from({ length: readerCount }, () => spawn('reader', false));

  let next = 0;
  // Each reader keeps its own warm state (prepared statements, SQLite's page cache, the FTS index's
  // structure, in-memory derivations): a method goes back to the reader that last ran it when that
  // reader is as free as any (the AE search's first page: ~45 instead of ~110 ms on a cold reader).
  const lastReaderOf = new Map<string, Thread>();
  const readerFor = (method: string): Thread => {
    // The reader with the fewest calls in hand; among equals, the one that last ran the method, else the next in turn.
    const running = readers.filter((r) => !r.stopped);
    if (!running.length) return readers[0]!; // its call fails with the reason
    let best = running[next++ % running.length]!;
    for (const r of running) if (r.inHand < best.inHand) best = r;
    const warm = lastReaderOf.get(method);
    if (warm && !warm.stopped && warm.inHand === best.inHand) best = warm;
    lastReaderOf.set(method, best);
    return best;
  };

  // Warm readers: derivations are stored once in the database, but each reader parses them into its
  // own memory at its first call (at 10,000 subjects about 4 s per reader: 1.1 s for the AEs alone),
  // and without a warm-up that time falls on the committee's first opening of each view. The readers,
  // one after the other (the others stay free for the window), read the views' first calls
  // (WARM_STEPS) one at a time, as ordinary calls (the routing sees them in hand and sends the
  // window's calls elsewhere), for the snapshot the window last asked about, else the newest; the
  // warm-up starts once the window has been quiet for a moment after start (its first view drawn), and
  // stops at an import or at close.
  let inUse: number | null = null;
  let uiInHand = 0;
  let uiLastAt = 0;
  let warming: Promise<unknown> = Promise.resolve();
  const stop = () => closed || importsRunning > 0;
  const warm = async (snapshotId: number) => {
    for (const r of readers)
      for (const step of WARM_STEPS) {
        if (stop()) return;
        if (!r.stopped) await r.call(step.method, { ...step.input, snapshotId }, 'local').catch(() => undefined);
      }
  };
  const warmInUse = async () => {
    if (stop()) return;
    const newest = inUse ?? ((await readerFor('snapshots.list').call('snapshots.list', {}, 'local').catch(() => [])) as { snapshotId: number }[])[0]?.snapshotId;
    if (newest !== undefined) await warm(newest);
  };
  /** Runs `work` in the background; warmed() waits for it (and for what ran before). */
  const background = (work: () => Promise<unknown>) => {
    warming = Promise.all([warming, work().catch(() => undefined)]);
  };

  /** The answer, or with `json` its JSON text (written by the thread). */
  const callAny = async (method: string, input: unknown, transport: Transport, json: boolean): Promise<unknown> => {
    if (closed) throw new CallError('internal', 'the core has stopped (the app is closing)');
    if (transport === 'ui') {
      const asked = (input as { snapshotId?: unknown } | null)?.snapshotId;
      if (typeof asked === 'number') inUse = asked;
      uiInHand++;
      try {
        return await callPooled(method, input, transport, json);
      } finally {
        uiInHand--;
        uiLastAt = Date.now();
      }
    }
    return callPooled(method, input, transport, json);
  };
  const callRaw = (method: string, input: unknown, transport: Transport = 'local') => callAny(method, input, transport, false);

  const callPooled = async (method: string, input: unknown, transport: Transport, json: boolean): Promise<unknown> => {
    const toWriter = isWrite(method) || METHODS_OF_THE_WRITER.has(method);
    if (method !== 'snapshot.import') return (toWriter ? writer : readerFor(method)).call(method, input, transport, json);
    importsRunning++;
    let r: ImportResult;
    try {
      r = (await writer.call(method, input, transport)) as ImportResult;
    } finally {
      importsRunning--;
    }
    // Stops when the pool closes or another import starts (that one prepares its own snapshot after).
    if (opts.prepare && r.status === 'imported' && r.snapshotId !== null) {
      const id = r.snapshotId;
      background(() => prepareViews(pool, id, stop).then(() => warm(id)));
    }
    return json ? JSON.stringify(r) : r;
  };

  const pool: CorePool = {
    seeded,
    warmed: () => warming.then(() => undefined),
    call: <M extends MethodName>(method: M, input: Input<M>) => callRaw(method, input) as Promise<Output<M>>,
    callRaw,
    callJson: (method, input, transport = 'local') => callAny(method, input, transport, true) as Promise<string>,
    allowRead(p, staging = false) {
      allowed.push({ path: p, staging });
      for (const t of [writer, ...readers]) t.send({ t: 'allowRead', path: p, staging });
    },
    onEvent(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    answered: () => [writer, ...readers].map((t) => t.answered),
    async close() {
      closed = true;
      await Promise.all([writer, ...readers].map((t) => t.stop()));
    },
  };
  if (opts.prepare)
    background(async () => {
      for (const id of seeded) await prepareViews(pool, id, stop);
      const started = Date.now();
      const quiet = () => uiInHand === 0 && (uiLastAt ? Date.now() - uiLastAt >= WARM_QUIET_MS : Date.now() - started >= WARM_AT_THE_LATEST_MS);
      while (!quiet() && !stop()) await new Promise((r) => setTimeout(r, 250).unref());
      await warmInUse();
    });
  return pool;
}

/** One worker thread of the core, started again if it dies (its calls in hand fail with a message that says so). */
class Thread {
  private worker!: Worker;
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private lastId = 0;
  answered = 0;
  ready!: Promise<number[]>;
  private readyOnce = false;
  /** Why the thread is stopped for good (it could not start), else null. */
  stopped: string | null = null;

  constructor(
    private readonly data: ThreadData,
    private readonly onEvent: (e: unknown) => void,
    private readonly allowed: readonly { path: string; staging: boolean }[],
    private readonly closing: () => boolean,
  ) {
    this.start(data);
  }

  get inHand(): number {
    return this.waiting.size;
  }

  private start(data: ThreadData): void {
    this.readyOnce = false;
    const { file, boot } = threadScript();
    const worker = new Worker(file, { workerData: { ...data, entry: boot } });
    this.worker = worker;
    for (const a of this.allowed) this.send({ t: 'allowRead', path: a.path, staging: a.staging });
    this.ready = new Promise<number[]>((resolve, reject) => {
      worker.on('message', (m: FromThread) => {
        if (m.t === 'ready') {
          this.readyOnce = true;
          resolve(m.seeded);
        } else if (m.t === 'failed') {
          this.stopped = `the core's ${data.role} thread could not start: ${m.message}`;
          reject(new Error(this.stopped));
          for (const w of this.waiting.values()) w.reject(new CallError('internal', this.stopped));
          this.waiting.clear();
        } else if (m.t === 'event') this.onEvent(m.event);
        else {
          const w = this.waiting.get(m.id);
          if (!w) return;
          this.waiting.delete(m.id);
          this.answered++;
          if (m.ok) w.resolve('json' in m ? m.json : m.result);
          else w.reject(errorOf(m.error));
        }
      });
      const died = (why: string) => {
        reject(new Error(`the core's ${data.role} thread stopped before it was ready: ${why}`));
        if (this.worker !== worker) return;
        for (const w of this.waiting.values()) w.reject(new CallError('internal', `the core's ${data.role} thread stopped (${why}) before it answered; try again`));
        this.waiting.clear();
        if (this.closing()) return;
        // Started again (without the demo seeding) when it had been running; one that cannot start
        // stays stopped, and its calls fail at once with the reason, instead of starting again and again.
        if (this.readyOnce) this.start({ ...data, seedDemo: false });
        else this.stopped ??= `the core's ${data.role} thread could not start: ${why}`;
      };
      worker.on('error', (e) => died(e.message));
      worker.on('exit', (code) => died(`exit code ${code}`));
    });
    // A restarted thread's readiness is awaited by nobody: its failure is reported through its calls.
    this.ready.catch(() => undefined);
  }

  send(m: ToThread): void {
    this.worker.postMessage(m);
  }

  /** The thread's answer; with `json`, as JSON text (CoreClient.callJson). */
  call(method: string, input: unknown, transport: Transport, json = false): Promise<unknown> {
    if (this.stopped) return Promise.reject(new CallError('internal', this.stopped));
    const id = ++this.lastId;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.send({ t: 'call', id, method, input, transport, json });
    });
  }

  async stop(): Promise<void> {
    const w = this.worker;
    this.worker = undefined as unknown as Worker;
    for (const c of this.waiting.values()) c.reject(new CallError('internal', 'the core has stopped (the app is closing) before it answered'));
    this.waiting.clear();
    // better-sqlite3 closes the thread's connection as the thread ends (a write in progress is rolled back).
    await w.terminate();
  }
}

function errorOf(e: ThreadError): Error {
  if (!e.internal) return new CallError(e.kind, e.message, e.details);
  const err = new Error(e.message);
  if (e.stack) err.stack = e.stack;
  return err;
}

/**
 * The thread's script: the bundle's core-thread.js (Electron's out/main) or core-thread.mjs (the CLI's
 * out/cli), beside the code that starts it; from the TypeScript sources (tests, the bench, a checkout
 * without a build), boot.mjs, which registers tsx and imports thread.ts.
 */
function threadScript(): { file: string; boot?: string } {
  const here = path.dirname(fileURLToPath(import.meta.url));
  if (import.meta.url.endsWith('.ts')) return { file: path.join(here, 'boot.mjs'), boot: pathToFileURL(path.join(here, 'thread.ts')).href };
  for (const name of ['core-thread.js', 'core-thread.mjs']) {
    const file = path.join(here, name);
    if (fs.existsSync(file)) return { file };
  }
  throw new Error(`the core's thread script (core-thread.js) is not beside ${here}: rebuild the app (npm run build)`);
}
