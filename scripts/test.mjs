#!/usr/bin/env node
// `npm test`: unit tests (vitest), then the UI build and the end-to-end tests (Playwright in
// Debian's Chromium through the browser host). Ends with one line: `N passed, N failed[, N skipped]`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dosedesk-test-'));
const run = (cmd, args, env = {}) => spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;
const onlyUnit = process.argv.includes('--unit');
let passed = 0;
let failed = 0;
let skipped = 0;

// Rules the machine checks (each counts as one test): types, lint, and the dependency rules (no
// import cycles, the layer table of the design).
for (const [name, cmd, args] of [
  ['types (tsc --noEmit)', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['lint (eslint)', 'npx', ['eslint', '.']],
  ['dependency rules (dependency-cruiser)', 'npx', ['depcruise', 'shared', 'electron', 'renderer/src', 'scripts', '--config', '.dependency-cruiser.cjs']],
]) {
  const ok = run(cmd, args) === 0;
  console.log(`${ok ? 'ok' : 'FAILED'}: ${name}`);
  if (ok) passed += 1;
  else failed += 1;
}

// The CLI tests run the bundled CLI, as users do (bin/dosedesk.mjs falls back to the sources when stale).
if (run(process.execPath, ['scripts/build-cli.mjs']) !== 0) failed += 1;

const unitJson = path.join(tmp, 'vitest.json');
const unitStatus = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${unitJson}`]);
if (fs.existsSync(unitJson)) {
  const r = JSON.parse(fs.readFileSync(unitJson, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  // A test file that fails to load (a syntax error, a missing import) runs no test: count it as failed.
  const unloaded = r.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0);
  for (const f of unloaded) console.error(`failed to load: ${path.relative(process.cwd(), f.name)}: ${String(f.message).split('\n')[0]}`);
  failed += unloaded.length;
} else if (unitStatus !== 0) failed += 1;

if (!onlyUnit) {
  const buildStatus = run('npx', ['electron-vite', 'build']);
  if (buildStatus !== 0) failed += 1;
  else {
    const e2eJson = path.join(tmp, 'playwright.json');
    const e2eStatus = run('npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: e2eJson });
    if (fs.existsSync(e2eJson)) {
      const s = JSON.parse(fs.readFileSync(e2eJson, 'utf8')).stats;
      passed += s.expected + (s.flaky ?? 0);
      failed += s.unexpected;
      skipped += s.skipped;
    } else if (e2eStatus !== 0) failed += 1;
  }
}

fs.rmSync(tmp, { recursive: true, force: true });
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
