// A core thread started from the TypeScript sources (tests, the bench, a checkout without a build):
// registers tsx in this thread, then runs thread.ts (pool.ts names it in workerData.entry).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
