#!/usr/bin/env node
// The DoseDesk CLI. Runs the bundle `npm run build` writes (out/cli/cli.mjs: no TypeScript compiled
// at start-up); in a checkout whose sources are newer than the bundle (or without one), runs the
// TypeScript sources through tsx instead, so that a developer never runs stale code.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'out/cli/cli.mjs');

function newestSource(dirs) {
  let newest = 0;
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  for (const d of dirs) if (fs.existsSync(d)) walk(d);
  return newest;
}

function bundleIsCurrent() {
  if (!fs.existsSync(bundle)) return false;
  if (!fs.existsSync(path.join(root, 'electron'))) return true; // an installed package: sources not shipped
  return fs.statSync(bundle).mtimeMs >= newestSource([path.join(root, 'electron/core'), path.join(root, 'shared')]);
}

let main;
if (bundleIsCurrent()) ({ main } = await import(bundle));
else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../electron/core/cli.ts'));
}
process.exitCode = await main(process.argv.slice(2));
