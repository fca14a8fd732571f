#!/usr/bin/env node
// `npm start`: the Electron app on the demo study. Where Electron's binary is absent (it could not
// be downloaded at install time), says so in one line and serves the same UI through the browser
// host instead, opening it in the system's Chromium. `npm run serve` (--browser) does that on purpose.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const browser = args.includes('--browser');
const passThrough = args.filter((a) => a !== '--browser');

function electronBinary() {
  try {
    const p = require('electron');
    return typeof p === 'string' && fs.existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

function ensureBuilt() {
  if (fs.existsSync(path.join(root, 'out/renderer/index.html')) && fs.existsSync(path.join(root, 'out/main/index.js'))) return;
  const r = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/**
 * better-sqlite3 built for Electron's ABI, kept apart from the Node build that tests and the CLI
 * use: a copy of the package under .cache/, rebuilt there by @electron/rebuild on first start, and
 * loaded by the core through better-sqlite3's `nativeBinding` option (DOSEDESK_SQLITE_BINDING).
 */
async function electronSqliteBinding(electronVersion) {
  const dir = path.join(root, '.cache', `electron-${electronVersion}`);
  const binding = path.join(dir, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
  if (fs.existsSync(binding)) return binding;
  fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  fs.cpSync(path.join(root, 'node_modules/better-sqlite3'), path.join(dir, 'node_modules/better-sqlite3'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'dosedesk-electron-native', private: true, dependencies: { 'better-sqlite3': '*' } }));
  console.log(`Building better-sqlite3 for Electron ${electronVersion} (first start only)…`);
  const { rebuild } = await import('@electron/rebuild');
  await rebuild({ buildPath: dir, electronVersion, onlyModules: ['better-sqlite3'], force: true });
  return binding;
}

/** Electron's own install step (skipped by allowScripts at `npm ci`) downloads the binary; try it once. */
function tryInstallElectron() {
  const install = path.join(root, 'node_modules/electron/install.js');
  if (!fs.existsSync(install) || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return null;
  spawnSync(process.execPath, [install], { cwd: path.dirname(install), stdio: 'ignore', timeout: 180_000 });
  return electronBinary();
}

const electron = browser ? null : electronBinary() ?? tryInstallElectron();
ensureBuilt();
if (!electron) {
  if (!browser) console.log("Electron's binary is not installed here (its download is blocked or was skipped): serving the same UI in the browser instead.");
  const child = spawn(process.execPath, [path.join(root, 'bin/dosedesk.mjs'), 'serve', ...passThrough], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const version = require('electron/package.json').version;
  const binding = await electronSqliteBinding(version);
  const child = spawn(electron, [root, ...passThrough], { cwd: root, stdio: 'inherit', env: { ...process.env, DOSEDESK_SQLITE_BINDING: binding } });
  child.on('exit', (code) => process.exit(code ?? 0));
}
