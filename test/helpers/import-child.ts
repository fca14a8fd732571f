import { createCore } from '../../electron/core/app';

// A real process importing a snapshot (for the kill -9 test of test/unit/access-kill.test.ts): prints
// each progress event as "<phase> <filesDone>" and the result as "result <status>".

const [dbPath, src] = process.argv.slice(2);
const core = createCore({ dbPath: dbPath!, user: 'child' });
core.onEvent((e) => process.stdout.write(`${e.phase} ${e.filesDone}\n`));
const r = await core.call('snapshot.import', { path: src! });
process.stdout.write(`result ${r.status}\n`);
core.close();
