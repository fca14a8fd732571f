#!/usr/bin/env node
// `npm run dist [-- --linux|--win|--mac]`: installers with electron-builder (electron-builder.yml).
// Packaging needs Electron's binary (electron-builder downloads the matching build for the target);
// where it cannot be had (offline build machines), says so in one line and exits 0 without packaging.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

let electron = null;
try {
  const p = require('electron');
  electron = typeof p === 'string' && fs.existsSync(p) ? p : null;
} catch {
  electron = null;
}
if (!electron || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log('dist: skipped — Electron\'s binary is not installed here (it is downloaded at install time); run `npm run dist` on a machine with internet access.');
  process.exit(0);
}
let status = run('npx', ['electron-vite', 'build']);
if (status === 0) status = run('npx', ['electron-builder', '--config', 'electron-builder.yml', ...process.argv.slice(2)]);
// electron-builder rebuilt better-sqlite3 for Electron in place: rebuild it for Node again, so that
// the tests and the CLI of this checkout keep working.
run('npm', ['rebuild', 'better-sqlite3']);
process.exit(status);
