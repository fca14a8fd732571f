// The two demo cuts shipped in resources/demo/ (cut1/, cut2/), with their expected answers beside
// them (cut1.truth.json, cut2.truth.json). Regenerate with:
//   node --import tsx electron/core/demo/cli.ts --shipped
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CUT1, CUT2, cutSnapshot, DEFAULT_SEED, generateStudy, writeSnapshot, type WrittenFile } from './generate.js';
import { otherConventions } from './conventions.js';

export const SHIPPED_CUTS = { cut1: CUT1, cut2: CUT2 } as const;

/** The second cut again in other sponsors' conventions (conventions.ts): imported by hand, not seeded. */
export const CONVENTIONS_CUT = 'cut2-conventions';

/** resources/demo of this checkout. */
export function shippedDemoDir(): string {
  return resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../resources/demo');
}

export async function regenerateShippedCuts(root = shippedDemoDir()): Promise<Record<string, WrittenFile[]>> {
  const study = generateStudy({ seed: DEFAULT_SEED });
  const out: Record<string, WrittenFile[]> = {};
  mkdirSync(root, { recursive: true });
  for (const [name, cutoff] of Object.entries(SHIPPED_CUTS)) {
    const dir = join(root, name);
    rmSync(dir, { recursive: true, force: true });
    const snap = cutSnapshot(study, cutoff);
    out[name] = await writeSnapshot(dir, snap);
    writeFileSync(join(root, `${name}.truth.json`), JSON.stringify(snap.truth, null, 1) + '\n');
  }
  const dir = join(root, CONVENTIONS_CUT);
  rmSync(dir, { recursive: true, force: true });
  out[CONVENTIONS_CUT] = await writeSnapshot(dir, otherConventions(cutSnapshot(study, CUT2)));
  return out;
}
