#!/usr/bin/env node
// The DoseDesk CLI. Runs the bundle `npm run build` writes (out/cli/cli.mjs, plain JavaScript: nothing
// compiled at start-up, and tsx is not needed). Only in a checkout (the TypeScript sources beside it)
// whose sources are newer than the bundle, or that has no bundle, does it run the sources through tsx
// (a development dependency) instead, so that a developer never runs stale code.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'out/cli/cli.mjs');
const inCheckout = fs.existsSync(path.join(root, 'electron/core/cli.ts'));

/** The bundle is current when no source it was built from (out/cli/sources.json) changed after it. */
function bundleIsCurrent() {
  let built;
  try {
    built = fs.statSync(bundle).mtimeMs;
  } catch {
    return false;
  }
  if (!inCheckout) return true; // an installed package: sources not shipped
  let sources;
  try {
    sources = JSON.parse(fs.readFileSync(path.join(root, 'out/cli/sources.json'), 'utf8'));
  } catch {
    return false; // a bundle from before sources.json: rebuild
  }
  for (const s of sources) {
    const st = fs.statSync(path.join(root, s), { throwIfNoEntry: false });
    if (!st || st.mtimeMs > built) return false;
  }
  // A new source file is found only through a changed one that imports it.
  return true;
}

let main;
if (bundleIsCurrent()) ({ main } = await import(bundle));
else if (inCheckout) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../electron/core/cli.ts'));
} else {
  process.stderr.write(`dosedesk: ${bundle} is missing: run \`npm run build\`\n`);
  process.exit(1);
}
process.exitCode = await main(process.argv.slice(2));
