// The core in worker threads (issue 14, item 4; electron/core/worker/pool.ts) against the core in the
// host's own thread, on one generated study (2,000 subjects: $DOSEDESK_BENCH_DATA/csv-2000 when it
// exists, else generated), each figure for both in one run:
// - host_block_ms_import_<inprocess|threads>: the longest the host's thread (Electron's main process, the
//   browser host's server) could not run anything during the import (perf_hooks event-loop delay, max);
// - read_ms_during_import_<…>: the slowest answer to a small read (snapshots.list) due every 100 ms
//   during the import, from when it was due (what a view opened meanwhile waits);
// - first_reads_ms_<…>: four views' first reads sent together on a database fresh from the import
//   (nothing derived yet), and threads_first_reads_ratio, threads over in-process (below 1: the reads ran
//   side by side);
// - small_read_ms_beside_long_<…>: a small read sent just after a long derivation (the swimmer's
//   timeline, not derived yet): what another view's call waits behind it.
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createCore } from '../../electron/core/app';
import type { CoreClient } from '../../electron/core/context';
import { generateStudy, writeSnapshot } from '../../electron/core/demo/generate';
import { startCorePool } from '../../electron/core/worker/pool';

type Report = (name: string, value: string | number) => void;

const FIRST_READS = [
  ['safety.dltTable', {}],
  ['labs.shift', { subjectRows: 'notable' }],
  ['labs.edish', {}],
  ['pk.curves', { individual: false }],
] as const;

async function studyDir(tmp: string): Promise<string> {
  const shared = path.join(process.env.DOSEDESK_BENCH_DATA ?? path.resolve(import.meta.dirname, '../../../bench-data'), 'csv-2000');
  if (fs.existsSync(path.join(shared, 'dm.csv'))) return shared;
  const dir = path.join(tmp, 'threads-csv-2000');
  if (!fs.existsSync(path.join(dir, 'dm.csv'))) await writeSnapshot(dir, generateStudy({ subjects: 2000 }), { format: 'csv' });
  return dir;
}

/** Imports `dir` through `core` while measuring the host thread's longest block and the slowest small read meanwhile. */
async function importWatched(core: CoreClient, dir: string): Promise<{ blockMs: number; readMs: number; snapshotId: number }> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  let done = false;
  let slowest = 0;
  const reads = (async () => {
    while (!done) {
      // From when the read was due (100 ms after the last answer): a timer held up by a blocked thread
      // counts, as a request from the window would wait at the host.
      const due = performance.now() + 100;
      await new Promise((r) => setTimeout(r, 100));
      await core.call('snapshots.list', {});
      slowest = Math.max(slowest, performance.now() - due);
    }
  })();
  const r = await core.call('snapshot.import', { path: dir });
  done = true;
  await reads;
  h.disable();
  if (r.status !== 'imported') throw new Error(`threads bench import failed: ${JSON.stringify(r.errors.slice(0, 2))}`);
  return { blockMs: h.max / 1e6, readMs: slowest, snapshotId: r.snapshotId! };
}

async function firstReads(core: CoreClient, snapshotId: number): Promise<number> {
  const t0 = performance.now();
  await Promise.all(FIRST_READS.map(([m, input]) => core.callRaw(m, { ...input, snapshotId })));
  return performance.now() - t0;
}

/** A small read sent just after a long one (the swimmer's timeline, not derived yet): when its answer comes. */
async function smallBesideLong(core: CoreClient, snapshotId: number): Promise<number> {
  // From before the long call: in one thread, sending it already runs its derivation.
  const t0 = performance.now();
  const long = core.call('subjects.timeline', { snapshotId });
  await core.call('snapshots.list', {});
  const ms = performance.now() - t0;
  await long;
  return ms;
}

export async function bench(report: Report, tmp: string): Promise<void> {
  const dir = await studyDir(tmp);
  const first: Record<string, number> = {};
  for (const mode of ['inprocess', 'threads'] as const) {
    const dbPath = path.join(tmp, `threads-${mode}.sqlite`);
    const core = mode === 'threads' ? await startCorePool({ dbPath }) : createCore({ dbPath });
    try {
      const w = await importWatched(core, dir);
      report(`host_block_ms_import_${mode}`, Math.round(w.blockMs));
      report(`read_ms_during_import_${mode}`, Math.round(w.readMs));
      report(`small_read_ms_beside_long_${mode}`, Math.round(await smallBesideLong(core, w.snapshotId)));
      first[mode] = await firstReads(core, w.snapshotId);
      report(`first_reads_ms_${mode}`, Math.round(first[mode]!));
    } finally {
      await core.close();
    }
  }
  report('threads_first_reads_ratio', (first.threads! / first.inprocess!).toFixed(2));
}
