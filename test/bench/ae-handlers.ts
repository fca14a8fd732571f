// Times the AE handlers on a generated snapshot (issue 14, AE slice): `node --import tsx
// test/bench/ae-handlers.ts SNAPSHOT_DIR DB_FILE`. Imports the snapshot into DB_FILE when that
// database has none, then prints name=value lines: each handler's wall time (first call = cold,
// second = warm) and its JSON payload in bytes. Methods absent from the contract are skipped.
import fs from 'node:fs';
import { createCore } from '../../electron/core/app';

const [dir, dbPath] = process.argv.slice(2);
if (!dir || !dbPath) throw new Error('usage: ae-handlers.ts SNAPSHOT_DIR DB_FILE');
const core = createCore({ dbPath });
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a bench script calls methods that may not exist on this branch
const call = (m: string, input: unknown) => (core.call as any)(m, input) as Promise<unknown>;
let [snap] = (await call('snapshots.list', {})) as { snapshotId: number }[];
if (!snap) {
  const t = performance.now();
  const r = (await call('snapshot.import', { path: dir })) as { snapshotId: number };
  console.log(`import_ms=${Math.round(performance.now() - t)}`);
  snap = { snapshotId: r.snapshotId };
}
const snapshotId = snap.snapshotId;
async function time(name: string, m: string, input: unknown, runs = 2) {
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const c0 = process.cpuUsage();
    let out: unknown;
    try {
      out = await call(m, input);
    } catch (e) {
      console.log(`${name}_error=${(e as Error).message.slice(0, 80)}`);
      return;
    }
    const ms = performance.now() - t;
    const c = process.cpuUsage(c0);
    // CPU time beside wall time: on a shared, loaded machine the wall time also counts the waits.
    console.log(`${name}_${i === 0 ? 'cold' : 'warm'}_ms=${Math.round(ms)} cpu_ms=${Math.round((c.user + c.system) / 1000)}`);
    if (i === 0) console.log(`${name}_bytes=${JSON.stringify(out).length}`);
  }
}
await time('aeListing', 'safety.aeListing', { snapshotId });
await time('incidence_any', 'safety.incidence', { snapshotId, by: 'level', minGrade: 1 });
await time('incidence_g3', 'safety.incidence', { snapshotId, by: 'level', minGrade: 3 });
await time('relatedIncidence', 'safety.relatedIncidence', { snapshotId, minGrade: 1 });
await time('socGradeGrid', 'safety.socGradeGrid', { snapshotId });
await time('aePage_first', 'safety.aeListingPage', { snapshotId, offset: 0, limit: 100 });
await time('aePage_search_nausea', 'safety.aeListingPage', { snapshotId, offset: 0, limit: 100, search: 'nausea' }, 3);
await time('aePage_search_rare', 'safety.aeListingPage', { snapshotId, offset: 0, limit: 100, search: 'pneumonitis' }, 3);
await time('aePage_sort_grade_desc', 'safety.aeListingPage', { snapshotId, offset: 1000, limit: 100, sort: [{ colId: 'grade', sort: 'desc' }] }, 3);
await time('aePage_filter_soc', 'safety.aeListingPage', { snapshotId, offset: 0, limit: 100, filters: { aebodsys: { filterType: 'text', type: 'contains', filter: 'gastro' } } }, 3);
core.close();
void fs;
