import { test as base, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCorePool, type CorePool } from '../../electron/core/worker/pool';
import { startHost } from '../../electron/core/host/server';
import { demoDir } from '../../electron/core/snapshots/seed';

// One fresh DoseDesk per test: a temporary SQLite file, the real core in its worker threads (as the
// app runs it: electron/core/worker/pool.ts), the browser host serving the built renderer. The page is pointed at the host's URL (with its per-run token).

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RENDERER_DIR = path.join(ROOT, 'out/renderer');
export const SCREENSHOT_DIR = path.join(ROOT, 'test-results/screenshots');
export const DEMO_DIR = demoDir();

export interface DoseDeskApp {
  core: CorePool;
  /** The database file, for a test's own read-only look at the stored rows. */
  dbPath: string;
  url: string;
  /** A temporary folder of this test (deleted afterwards). */
  tmp: string;
  /** Snapshots the demo seeding imported (cut1, cut2), empty when `seedDemo` is false. */
  snapshotIds: number[];
}

export const test = base.extend<{ seedDemo: boolean; app: DoseDeskApp }>({
  seedDemo: [true, { option: true }],
  app: async ({ seedDemo }, use) => {
    if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) throw new Error(`${RENDERER_DIR} has no build: run \`npx electron-vite build\` first`);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dosedesk-e2e-'));
    const dbPath = path.join(tmp, 'dosedesk.sqlite');
    const core = await startCorePool({ dbPath, user: 'e2e-tester', seedDemo });
    const host = await startHost({ core, rendererDir: RENDERER_DIR });
    try {
      await use({ core, dbPath, url: host.url, tmp, snapshotIds: core.seeded });
    } finally {
      await host.close();
      await core.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  },
});

export { expect };

/** A screenshot in test-results/screenshots/<name>.png (looked at by a person after the run): the full page, or the viewport when a modal dialog is open. */
/** Scrolls to each section of the view that loads when scrolled near (components/WhenNear.tsx) until none is waiting. */
export async function revealSections(page: Page): Promise<void> {
  const waiting = page.locator('[data-when-near="waiting"]');
  for (let i = 0; i < 20 && (await waiting.count()) > 0; i++) {
    // The section may load on its own between the count and the scroll (then there is nothing to scroll to).
    await waiting.first().scrollIntoViewIfNeeded({ timeout: 2_000 }).catch(() => undefined);
    await page.waitForTimeout(50);
  }
}

export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: opts.fullPage ?? true, animations: 'disabled' });
}

/** axe-core scan (WCAG 2 A/AA rules) of the page or a part of it; returns the serious and critical violations. */
export async function seriousViolations(page: Page, include?: string) {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']);
  if (include) builder = builder.include(include);
  const r = await builder.analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
}

/**
 * The CLI's browser host (`dosedesk serve`) in a child process, for tests whose import must run
 * while the test keeps talking to the browser: the in-process core would share this worker's event
 * loop with Playwright's client. The demo is seeded into the fresh database as at first start.
 */
export async function serveInChildProcess(dbPath: string): Promise<{ url: string; close(): Promise<void> }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/dosedesk.mjs'), 'serve', '--db', dbPath, '--no-open'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dosedesk serve printed no URL in 60 s: ${out}`)), 60_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /https?:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`dosedesk serve exited with ${code}: ${out}`)));
  });
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
