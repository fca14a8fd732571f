#!/usr/bin/env node
// Bundles the CLI (electron/core/cli.ts) into out/cli/ with esbuild, so that `dosedesk` starts
// without compiling TypeScript; npm packages stay external and each command's code is its own chunk
// (loaded only by the command that needs it). Part of `npm run build`.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Chunk names change with their content: start from an empty folder so that no stale chunk remains.
fs.rmSync(path.join(root, 'out/cli'), { recursive: true, force: true });
await build({
  entryPoints: { cli: path.join(root, 'electron/core/cli.ts') },
  outdir: path.join(root, 'out/cli'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  outExtension: { '.js': '.mjs' },
  sourcemap: 'linked',
  logLevel: 'warning',
  // import.meta.url of a chunk is out/cli/…; paths.ts finds resources/ by walking up from it.
});
console.log('out/cli/cli.mjs');
