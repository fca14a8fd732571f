import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Core } from '../context';
import { currentResourcesDir } from '../paths';
import { SYSTEM } from '../access/actor';
import { importAs } from './app';
import { snapshotCount } from './queries';

// First start: an empty database gets the two shipped data cuts of the demo study, so that a new
// user sees a real study at once (README.md#the-first-five-minutes).

const here = path.dirname(fileURLToPath(import.meta.url));

/** The shipped demo cuts: resources/demo of the checkout, or of the installed app (paths.ts). */
export function demoDir(): string {
  const resources = currentResourcesDir(here);
  if (!resources) throw new Error(`DoseDesk's resources folder (with demo/) was not found above ${here}; set DOSEDESK_RESOURCES`);
  return path.join(resources, 'demo');
}

export async function seedDemoIfEmpty(core: Core): Promise<number[]> {
  const n = snapshotCount(core.ctx.db);
  if (n > 0 || process.env.DOSEDESK_NO_DEMO) return [];
  const ids: number[] = [];
  const demo = demoDir();
  for (const cut of ['cut1', 'cut2']) {
    const dir = path.join(demo, cut);
    if (!fs.existsSync(dir)) throw new Error(`the shipped demo snapshot ${dir} is missing`);
    // Before any account exists, by the system (not a person): the entry says so.
    const r = await core.ctx.writeGate.run(() => importAs(core.ctx, { path: dir }, SYSTEM));
    if (r.snapshotId) ids.push(r.snapshotId);
    else throw new Error(`the shipped demo snapshot ${dir} did not import: ${r.errors.map((e) => e.message).join('; ')}`);
  }
  return ids;
}
