// View timings through the browser host in Debian's Chromium: from the click on a view in the
// navigation to its plot or grid being drawn (the `view:<id>:drawn` performance mark each view sets),
// on the demo study and on a generated 10,000-subject study (~200,000 AEs); and the AE grid's
// quick-filter time on those rows (the `view:aes:filtered` mark).
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { createCore } from '../../electron/core/app';
import { startHost } from '../../electron/core/host/server';
import { RENDERER_DIR } from '../../electron/core/host/run';
import { seedDemoIfEmpty } from '../../electron/core/snapshots/seed';
import { generateStudy, writeSnapshot } from '../../electron/core/demo/generate';

type Report = (name: string, value: string | number) => void;

const VIEW_TIMEOUT_MS = 120_000;
/** The views that set `view:<id>:drawn` marks, and the ids of their plots and grids. */
const VIEW_MARKS: [RegExp, string][] = [
  [/^cohorts$/i, '^view:cohorts:drawn$'],
  [/^swimmer$/i, '^view:swimmer:drawn$'],
  [/^spider$/i, '^view:spider:drawn$'],
  [/^waterfall$/i, '^view:waterfall:drawn$'],
  [/^pk$/i, '^view:pk[a-z0-9-]*:drawn$'],
  [/^aes$/i, '^view:aes:drawn$'],
  [/^efficacy$/i, '^view:(efficacy|km)[a-z0-9-]*:drawn$'],
  [/^immunogenicity$/i, '^view:ada[a-z0-9-]*:drawn$'],
  [/^patient profile$/i, '^view:profile:drawn$'],
];

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export async function timeViews(page: Page, label: string, report: Report): Promise<number> {
  const nav = page.locator('nav[aria-label="Views"] .nav-item');
  const names = await nav.allInnerTexts();
  let slowest = 0;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!.trim();
    // Views without a plot or grid to wait for (provenance, meetings, audit trail, users) are not timed.
    const own = VIEW_MARKS.find(([n]) => n.test(name))?.[1];
    if (!own) continue;
    // Start from another view so that the measured one mounts afresh, and let that view finish
    // drawing first: its calls would otherwise still be running in the core when the measured view
    // asks for its data. A timed-out view is reported as such, not as a number.
    // Only the measured view's own marks count (a late mark of another view is not its drawing).
    const otherMark = i === 0 ? 'view:swimmer:drawn' : 'view:cohorts:drawn';
    await page.evaluate(() => performance.clearMarks());
    await nav.nth(i === 0 ? 1 : 0).click({ timeout: VIEW_TIMEOUT_MS });
    await page
      .waitForFunction((other) => performance.getEntriesByName(other).length > 0, otherMark, { timeout: VIEW_TIMEOUT_MS, polling: 50 })
      .catch(() => undefined);
    await page.waitForTimeout(300);
    await page.evaluate(() => {
      performance.clearMarks();
      performance.mark('bench:click');
    });
    await nav.nth(i).click({ timeout: VIEW_TIMEOUT_MS });
    const ms = await page
      .waitForFunction(
        (ownMark) => {
          const start = performance.getEntriesByName('bench:click')[0]?.startTime ?? 0;
          const drawn = performance.getEntriesByType('mark').filter((m) => new RegExp(ownMark).test(m.name) && m.startTime >= start);
          return drawn.length ? Math.max(...drawn.map((m) => m.startTime)) - start : null;
        },
        own,
        { timeout: VIEW_TIMEOUT_MS, polling: 20 },
      )
      .then((h) => h.jsonValue() as Promise<number>)
      .catch(() => NaN);
    report(`view_ms_${label}_${name.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`, Number.isFinite(ms) ? Math.round(ms) : `no-mark-within-${VIEW_TIMEOUT_MS}`);
    // A view that never draws counts as the timeout.
    slowest = Math.max(slowest, Number.isFinite(ms) ? ms : VIEW_TIMEOUT_MS);
  }
  return slowest;
}

export async function aeFilter(page: Page): Promise<number> {
  const nav = page.locator('nav[aria-label="Views"] .nav-item', { hasText: /^AEs?$|Adverse/ });
  if ((await nav.count()) === 0) return NaN;
  await nav.first().click();
  const filter = page.getByRole('searchbox').or(page.getByPlaceholder(/filter|search/i)).first();
  await filter.waitFor({ timeout: 60_000 });
  await page.waitForTimeout(500);
  await page.evaluate(() => {
    performance.clearMarks();
    performance.mark('bench:filter');
  });
  await filter.fill('neutropenia');
  return page
    .waitForFunction(
      () => {
        const start = performance.getEntriesByName('bench:filter')[0]?.startTime ?? 0;
        const m = performance.getEntriesByName('view:aes:filtered').filter((e) => e.startTime >= start);
        return m.length ? m[m.length - 1]!.startTime - start : null;
      },
      undefined,
      { timeout: 60_000, polling: 10 },
    )
    .then((h) => h.jsonValue() as Promise<number>)
    .catch(() => NaN);
}

export async function bench(report: Report, tmp: string): Promise<void> {
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    console.log('views: the UI is not built (npx electron-vite build): skipped');
    return;
  }
  const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
  if (!executablePath) {
    console.log('views: Debian chromium not found: skipped');
    return;
  }
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  try {
    for (const [label, subjects] of [
      ['demo', 0],
      ['10k', 10_000],
    ] as const) {
      const dbPath = path.join(tmp, `views-${label}.sqlite`);
      const core = createCore({ dbPath });
      if (subjects === 0) await seedDemoIfEmpty(core);
      else {
        const dir = path.join(tmp, `views-${label}`);
        await writeSnapshot(dir, generateStudy({ subjects }), { format: 'csv' });
        const r = await core.call('snapshot.import', { path: dir });
        if (r.status !== 'imported') throw new Error(`views bench import failed: ${JSON.stringify(r.errors.slice(0, 2))}`);
        report(`views_${label}_aes`, r.domains.AE?.rows ?? 0);
      }
      const host = await startHost({ core, rendererDir: RENDERER_DIR });
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(host.url);
      await page.locator('nav[aria-label="Views"] .nav-item').first().waitFor();
      const slowest = await timeViews(page, label, report);
      report(`view_ms_max_${label}`, Math.round(slowest));
      if (subjects > 0) {
        const f = await aeFilter(page);
        report(`ae_filter_ms_200k`, Number.isFinite(f) ? Math.round(f) : 'no-mark');
      }
      await page.close();
      await host.close();
      core.close();
    }
  } finally {
    await browser.close();
  }
}
