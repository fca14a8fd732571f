import { startCorePool } from './electron/core/worker/pool';
const t0 = Date.now();
const pool = await startCorePool({ dbPath: '/tmp/pool-probe.sqlite', seedDemo: true, readers: 2 });
console.log('ready', Date.now() - t0, pool.seeded);
const s = await pool.call('studies.list', {} as never);
console.log(JSON.stringify(s).slice(0, 100));
try { await pool.call('snapshot.get', { snapshotId: 999 } as never); } catch (e) { console.log('err', (e as Error).constructor.name, (e as Error).message); }
const r = await Promise.all([pool.call('cohorts.summary' as never, { snapshotId: 1 } as never).catch((e) => e.message), pool.call('safety.dltTable' as never, { snapshotId: 1 } as never).catch((e) => e.message)]);
console.log(r.map((x) => JSON.stringify(x).slice(0, 80)), pool.answered());
await pool.close();
console.log('closed');
