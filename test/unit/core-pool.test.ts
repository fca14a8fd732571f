import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { Mutex } from '../../electron/core/access/mutex';
import { CallError } from '../../electron/core/context';
import { PREPARE_STEPS, WARM_STEPS } from '../../electron/core/snapshots/prepare';
import { demoDir } from '../../electron/core/snapshots/seed';
import { startCorePool, type CorePool } from '../../electron/core/worker/pool';
import type { CoreEvent } from '../../shared/contract';
import { miniSnapshot, tmpDir } from '../helpers/snapshot';

// Issue 14, item 4: the core in worker threads (electron/core/worker/pool.ts), as Electron's main
// process and the browser host run it. Real threads, a real SQLite file, the real handlers.

let dir: string;
let pool: CorePool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the core in worker threads', () => {
  it('sends writes to the writer and reads to the readers; a reader sees what the writer committed', async () => {
    dir = tmpDir('dosedesk-pool-');
    pool = await startCorePool({ dbPath: path.join(dir, 'db.sqlite'), readers: 2 });
    expect(pool.answered()).toEqual([0, 0, 0]);
    const events: CoreEvent[] = [];
    pool.onEvent((e) => events.push(e));
    const r = await pool.call('snapshot.import', { path: miniSnapshot(path.join(dir, 'snapshot')), importId: 'pool-test' });
    expect(r.status).toBe('imported');
    // The import ran in the writer; its progress events came through to this thread.
    expect(pool.answered()).toEqual([1, 0, 0]);
    expect(events.filter((e) => e.importId === 'pool-test').map((e) => e.phase)).toContain('done');
    // Two reads at once: one each to the two readers (the one with fewer calls in hand), both seeing the import.
    const [a, b] = await Promise.all([pool.call('snapshots.list', {}), pool.call('snapshots.list', {})]);
    expect(a.map((s) => s.snapshotId)).toEqual([r.snapshotId]);
    expect(b).toEqual(a);
    expect(pool.answered()).toEqual([1, 1, 1]);
  });

  it('a method goes back to the reader that last ran it (its warm caches) when that reader is free', async () => {
    dir = tmpDir('dosedesk-pool-');
    pool = await startCorePool({ dbPath: path.join(dir, 'db.sqlite'), readers: 2 });
    for (let i = 0; i < 3; i++) await pool.call('snapshots.list', {});
    expect(pool.answered().slice(1).sort()).toEqual([0, 3]);
    // Another method, one after the other, stays with one reader too; two calls at once go one to each reader.
    const delta = async (calls: () => Promise<unknown>) => {
      const before = pool!.answered();
      await calls();
      return pool!.answered().map((n, i) => n - before[i]!).slice(1).sort();
    };
    expect(await delta(async () => {
      await pool!.call('users.list', {});
      await pool!.call('users.list', {});
    })).toEqual([0, 2]);
    expect(await delta(() => Promise.all([pool!.call('snapshots.list', {}), pool!.call('snapshots.list', {})]))).toEqual([1, 1]);
  });

  it('with prepare (the app): after an import, and after a start on an existing database, every reader reads the views\' first calls into its memory', async () => {
    dir = tmpDir('dosedesk-pool-');
    const dbPath = path.join(dir, 'db.sqlite');
    pool = await startCorePool({ dbPath, readers: 2, prepare: true });
    const r = await pool.call('snapshot.import', { path: miniSnapshot(path.join(dir, 'snapshot')) });
    expect(r.status).toBe('imported');
    await pool.warmed();
    // The import in the writer; the preparation spread over the readers, then every warm step in each reader.
    const [writer, ...readers] = pool.answered();
    expect(writer).toBe(1);
    for (const n of readers) expect(n).toBeGreaterThanOrEqual(WARM_STEPS.length);
    expect(readers[0]! + readers[1]!).toBeGreaterThanOrEqual(PREPARE_STEPS.length + 2 * WARM_STEPS.length);
    await pool.close();

    // The next start: nothing to prepare; once the window has been quiet after its first call, the
    // readers warm up on the snapshot it asked about.
    pool = await startCorePool({ dbPath, readers: 2, prepare: true });
    expect(pool.answered()).toEqual([0, 0, 0]);
    await pool.callRaw('cohorts.summary', { snapshotId: r.snapshotId }, 'ui');
    expect(pool.answered().reduce((a, b) => a + b)).toBe(1);
    await pool.warmed();
    const again = pool.answered();
    expect(again[0]).toBe(0);
    for (const n of again.slice(1)) expect(n).toBeGreaterThanOrEqual(WARM_STEPS.length);
    // Without prepare (tests, the CLI's own core), nothing runs in the background.
    await pool.close();
    pool = await startCorePool({ dbPath, readers: 2 });
    await pool.warmed();
    expect(pool.answered()).toEqual([0, 0, 0]);
  });

  it('a database that cannot be opened: the pool does not start, and says why', async () => {
    dir = tmpDir('dosedesk-pool-');
    // A folder where the database file should be.
    const started = await startCorePool({ dbPath: dir }).catch((e: Error) => e);
    if (!(started instanceof Error)) await started.close();
    expect((started as Error).message).toMatch(/^the core's writer thread could not start: /);
  });

  it('a failed call keeps its kind, message and details across the thread', async () => {
    dir = tmpDir('dosedesk-pool-');
    pool = await startCorePool({ dbPath: path.join(dir, 'db.sqlite'), readers: 1 });
    const missing = await pool.call('snapshot.get', { snapshotId: 999 }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(CallError);
    expect((missing as CallError).kind).toBe('not-found');
    expect((missing as CallError).message).toBe('no snapshot 999');
    const invalid = await pool.callRaw('snapshot.get', { snapshotId: 'one' }).catch((e: unknown) => e);
    expect((invalid as CallError).kind).toBe('invalid-input');
    expect((invalid as CallError).message).toMatch(/^snapshot\.get: snapshotId: /);
    expect((invalid as CallError).details).toEqual([expect.objectContaining({ path: ['snapshotId'] })]);
    const unknown = await pool.callRaw('no.such', {}).catch((e: unknown) => e);
    expect((unknown as CallError).kind).toBe('not-found');
  });

  it('callJson (the window\'s transports): the answer as the thread wrote it in JSON, equal to callRaw\'s; errors as callRaw\'s', async () => {
    dir = tmpDir('dosedesk-pool-');
    pool = await startCorePool({ dbPath: path.join(dir, 'db.sqlite'), readers: 1 });
    // Through the writer (an import, its answer read by the pool too) and through a reader.
    const imported = await pool.callJson('snapshot.import', { path: miniSnapshot(path.join(dir, 'snapshot')) }, 'local');
    expect(typeof imported).toBe('string');
    const { snapshotId } = JSON.parse(imported) as { snapshotId: number };
    for (const [method, input] of [
      ['snapshots.list', {}],
      ['cohorts.summary', { snapshotId }],
      ['efficacy.plotColumns', { snapshotId, points: true }],
    ] as const) {
      const json = await pool.callJson(method, input, 'ui');
      expect(typeof json).toBe('string');
      expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(await pool.callRaw(method, input, 'ui'))));
    }
    const missing = await pool.callJson('snapshot.get', { snapshotId: 999 }, 'ui').catch((e: unknown) => e);
    expect((missing as CallError).kind).toBe('not-found');
    expect((missing as CallError).message).toBe('no snapshot 999');
  });

  it('a file the person handed over may be read by every thread (allowRead reaches the readers)', async () => {
    dir = tmpDir('dosedesk-pool-');
    pool = await startCorePool({ dbPath: path.join(dir, 'db.sqlite'), readers: 2 });
    const csv = path.join(dir, 'conc.csv');
    fs.writeFileSync(csv, 'ID,TIME,CONC\nS1,0,0\nS1,1,10\nS1,2,8\nS1,4,4\nS1,8,1\n');
    const input = { path: csv, subject: 'ID', time: 'TIME', conc: 'CONC', dose: 100, route: 'extravascular' };
    // As the page sends it ('ui'): refused in both readers until the person picks or uploads the file.
    // Sent together, so that one goes to each reader (one after the other, both would go to the reader that last ran the method).
    const refused = await Promise.all([0, 1].map(() => pool!.callRaw('pk.ncaFile', input, 'ui').catch((e: CallError) => e.message)));
    for (const m of refused) expect(m).toMatch(/reads only files you uploaded or picked/);
    expect(pool.answered().slice(1)).toEqual([1, 1]);
    pool.allowRead(dir);
    const answers = (await Promise.all([pool.callRaw('pk.ncaFile', input, 'ui'), pool.callRaw('pk.ncaFile', input, 'ui')])) as { rows: { subject: string }[] }[];
    expect(answers.map((a) => a.rows.map((x) => x.subject))).toEqual([['S1'], ['S1']]);
    expect(pool.answered().slice(1).every((n) => n === 2)).toBe(true);
  });

  it('reads are answered while an import runs in the writer, and the thread that serves the window stays free', async () => {
    dir = tmpDir('dosedesk-pool-');
    pool = await startCorePool({ dbPath: path.join(dir, 'db.sqlite'), readers: 1 });
    // The reader started (readers start after the writer, without being awaited).
    expect(await pool.call('snapshots.list', {})).toEqual([]);
    // The demo's second cut: an import of a few seconds in the writer thread.
    const order: string[] = [];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const importing = pool.call('snapshot.import', { path: path.join(demoDir(), 'cut2') }).then((r) => {
      order.push('import');
      return r;
    });
    const listed = await pool.call('snapshots.list', {});
    order.push('read');
    const ticksAtRead = ticks;
    expect((await importing).status).toBe('imported');
    clearInterval(timer);
    expect(order).toEqual(['read', 'import']);
    expect(listed).toEqual([]);
    // This thread ran its timers during the import (in one thread, a synchronous import step holds them all).
    expect(ticks).toBeGreaterThan(ticksAtRead);
  });
});

describe('a write gate shared between threads (access/mutex.ts)', () => {
  it('two Mutexes over one buffer exclude each other; in arrival order within each', async () => {
    const buf = Mutex.sharedBuffer();
    const a = new Mutex(buf);
    const b = new Mutex(buf);
    const log: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const first = a.run(async () => {
      log.push('a1 in');
      await held;
      log.push('a1 out');
    });
    const second = b.run(() => log.push('b1'));
    const third = a.run(() => log.push('a2'));
    await new Promise((r) => setTimeout(r, 30));
    expect(log).toEqual(['a1 in']);
    release();
    await Promise.all([first, second, third]);
    expect(log.slice(0, 2)).toEqual(['a1 in', 'a1 out']);
    expect(log.slice(2).sort()).toEqual(['a2', 'b1']);
  });

  it('holds across threads: a worker waits for the lock this thread holds', async () => {
    const buf = Mutex.sharedBuffer();
    const m = new Mutex(buf);
    let release!: () => void;
    const held = m.run(() => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 0));
    // The worker takes the lock word as Mutex does (compare-exchange 0 → 1, waitAsync while 1).
    const w = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const word = new Int32Array(workerData, 0, 1);
       const alive = setInterval(() => {}, 1000); // a pending waitAsync alone does not keep a thread running (the core's threads listen to their port)
       (async () => { while (Atomics.compareExchange(word, 0, 0, 1) !== 0) { const r = Atomics.waitAsync(word, 0, 1); if (r.async) await r.value; }
         parentPort.postMessage('locked'); Atomics.store(word, 0, 0); Atomics.notify(word, 0, 1); clearInterval(alive); })();`,
      { eval: true, workerData: buf },
    );
    const log: string[] = [];
    const locked = new Promise<void>((resolve, reject) => {
      w.once('message', () => (log.push('worker locked'), resolve()));
      w.once('error', reject);
    });
    await new Promise((r) => setTimeout(r, 100));
    log.push('release');
    release();
    await held;
    await locked;
    await w.terminate();
    expect(log).toEqual(['release', 'worker locked']);
  });
});
