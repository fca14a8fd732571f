// The UI's figures, through the browser host in Debian's Chromium (the built renderer, the real
// core in its worker threads as the app runs it, a real SQLite file):
// - cold_start_ms_demo: a fresh page (empty cache) on a populated demo database and a freshly started
//   built browser host (`dosedesk serve`), from navigation to the Cohorts view drawn (its
//   `view:cohorts:drawn` mark);
// - view_ms_<size>_<view>: from the click on a view in the navigation to its first plot, grid or
//   table drawn (the `view:<id>:drawn` marks each view sets only when its plot has pixels or its grid
//   or table rows on screen), and view_ms_max_<size>, the slowest, at each study size (demo, 500,
//   2,000 and 10,000 subjects); view_all_ms_<size>_<view>: to its last mark, every plot and grid of
//   the view's opening drawn (no goal);
// - view_bytes_<view>_<size>: the bytes of every core response (/api/…) a view asked for, from the
//   click until its calls are all answered (goal: about 2 MB per view at 10,000 subjects);
// - import_ms_<size>: the import of each generated study (one run; importBench has the best of 3);
// - growth_*_10k_vs_2k: 10,000 / 2,000 subjects of import and of the slowest view (5× the subjects:
//   linear growth is about 5);
// - ae_filter_ms_200k: the AE grid's search on the 10,000-subject study's ~200,000 AEs.
// `--sizes demo,500,2000,10k` chooses the sizes (default: all). The 2,000 and 10,000-subject studies
// are read from $DOSEDESK_BENCH_DATA/csv-2000 and csv-10000 (default ../bench-data beside the
// checkout) where they exist, else generated (generateStudy, the same generator).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type ElementHandle, type Page, type Request } from '@playwright/test';
import { prepareViews } from '../../electron/core/snapshots/prepare';
import { createCore } from '../../electron/core/app';
import { startHost } from '../../electron/core/host/server';
import { RENDERER_DIR } from '../../electron/core/host/run';
import { seedDemoIfEmpty } from '../../electron/core/snapshots/seed';
import { startCorePool } from '../../electron/core/worker/pool';
import { generateStudy, writeSnapshot } from '../../electron/core/demo/generate';

type Report = (name: string, value: string | number) => void;

const VIEW_TIMEOUT_MS = 120_000;
/** After a view is drawn, its calls still running (a banner, a second table) count to its bytes: wait until none has been in flight for this long. */
const QUIET_MS = 500;
/** The views that set `view:<id>:drawn` marks, and the ids of their plots and grids. */
export const VIEW_MARKS: [RegExp, string][] = [
  [/^cohorts$/i, '^view:cohorts:drawn$'],
  [/^swimmer$/i, '^view:swimmer:drawn$'],
  [/^spider$/i, '^view:spider:drawn$'],
  [/^waterfall$/i, '^view:waterfall:drawn$'],
  [/^pk$/i, '^view:pk[a-z0-9-]*:drawn$'],
  [/^aes$/i, '^view:aes:drawn$'],
  [/^efficacy$/i, '^view:(efficacy|km)[a-z0-9-]*:drawn$'],
  [/^immunogenicity$/i, '^view:ada[a-z0-9-]*:drawn$'],
  [/^laboratory$/i, '^view:lab[a-z0-9-]*:drawn$'],
  [/^patient profile$/i, '^view:profile:drawn$'],
];

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** The study sizes: label → subjects (0 = the shipped demo). */
export const SIZES: [string, number][] = [
  ['demo', 0],
  ['500', 500],
  ['2000', 2000],
  ['10k', 10_000],
];

/** A view's name as a figure name: "Patient profile" → patient_profile. */
const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '_');

/**
 * The page's core calls, grouped in windows: every /api/ request (but the event stream) is counted
 * in the window open when it was sent, with its response body's size once it has finished.
 */
class ApiTraffic {
  private window = 0;
  private inFlight = 0;
  private lastChange = Date.now();
  private readonly sizes = new Map<number, Promise<number>[]>();

  constructor(page: Page) {
    const isCall = (url: string) => /\/api\/(?!events\b)/.test(new URL(url).pathname);
    const owner = new WeakMap<Request, number>();
    page.on('request', (r) => {
      if (!isCall(r.url())) return;
      owner.set(r, this.window);
      this.inFlight++;
      this.lastChange = Date.now();
    });
    const done = (r: Request, ok: boolean) => {
      const w = owner.get(r);
      if (w === undefined) return;
      this.inFlight--;
      this.lastChange = Date.now();
      const list = this.sizes.get(w) ?? [];
      this.sizes.set(w, list);
      list.push(ok ? r.sizes().then((s) => s.responseBodySize, () => 0) : Promise.resolve(0));
    };
    page.on('requestfinished', (r) => done(r, true));
    page.on('requestfailed', (r) => done(r, false));
  }

  /** Starts a new window; later requests count in it. */
  open(): number {
    return ++this.window;
  }

  /** Waits until no call has been in flight for QUIET_MS (at most `timeout`). */
  async quiet(timeout = VIEW_TIMEOUT_MS): Promise<void> {
    const end = Date.now() + timeout;
    while (Date.now() < end) {
      if (this.inFlight === 0 && Date.now() - this.lastChange >= QUIET_MS) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async bytes(window: number): Promise<number> {
    const list = await Promise.all(this.sizes.get(window) ?? []);
    return list.reduce((a, b) => a + b, 0);
  }
}

/**
 * Milliseconds from the page's `bench:click` mark to the view's first drawn mark (`own`, a pattern:
 * its first plot, grid or table on screen); NaN when none comes in time. The marks carry their own
 * times, so a page too busy to answer the poll at once does not move the figure.
 */
export function drawnAfterClick(page: Page, own: string): Promise<number> {
  return page
    .waitForFunction(
      (ownMark) => {
        const start = performance.getEntriesByName('bench:click')[0]?.startTime ?? 0;
        const drawn = performance.getEntriesByType('mark').filter((m) => new RegExp(ownMark).test(m.name) && m.startTime >= start);
        return drawn.length ? Math.min(...drawn.map((m) => m.startTime)) - start : null;
      },
      own,
      { timeout: VIEW_TIMEOUT_MS, polling: 20 },
    )
    .then((h) => h.jsonValue() as Promise<number>)
    .catch(() => NaN);
}

/** Milliseconds from `bench:click` to the view's last drawn mark, once none has come for `settleMs` (every plot and grid of its first screens drawn). */
export async function allDrawnAfterClick(page: Page, own: string, settleMs = 1500): Promise<number> {
  const latest = () =>
    page.evaluate((ownMark) => {
      const start = performance.getEntriesByName('bench:click')[0]?.startTime ?? 0;
      const drawn = performance.getEntriesByType('mark').filter((m) => new RegExp(ownMark).test(m.name) && m.startTime >= start);
      return { n: drawn.length, ms: drawn.length ? Math.max(...drawn.map((m) => m.startTime)) - start : NaN };
    }, own);
  let last = await latest();
  const end = Date.now() + VIEW_TIMEOUT_MS;
  for (;;) {
    await page.waitForTimeout(settleMs);
    const now = await latest();
    if (now.n === last.n || Date.now() > end) return now.ms;
    last = now;
  }
}

/** Times each view with a drawn mark (click → mark); with `traffic`, also the bytes of its calls. Returns the slowest time. */
export async function timeViews(page: Page, label: string, report: Report, traffic?: ApiTraffic): Promise<number> {
  const nav = page.locator('nav[aria-label="Views"] .nav-item');
  const names = await nav.allInnerTexts();
  let slowest = 0;
  let slowestAll = 0;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!.trim();
    // Views without a plot or grid to wait for (provenance, meetings, audit trail, users) are not timed.
    const own = VIEW_MARKS.find(([n]) => n.test(name))?.[1];
    if (!own) continue;
    // Start from another view so that the measured one mounts afresh, and let that view finish
    // drawing and its calls first: they would otherwise still be running in the core when the
    // measured view asks for its data. A timed-out view is reported as such, not as a number.
    // Only the measured view's own marks count (a late mark of another view is not its drawing).
    const otherMark = i === 0 ? 'view:swimmer:drawn' : 'view:cohorts:drawn';
    await page.evaluate(() => performance.clearMarks());
    await nav.nth(i === 0 ? 1 : 0).click({ timeout: VIEW_TIMEOUT_MS });
    await page
      .waitForFunction((other) => performance.getEntriesByName(other).length > 0, otherMark, { timeout: VIEW_TIMEOUT_MS, polling: 50 })
      .catch(() => undefined);
    await traffic?.quiet();
    await page.waitForTimeout(300);
    await page.evaluate(() => {
      performance.clearMarks();
      performance.mark('bench:click');
    });
    const window = traffic?.open();
    await nav.nth(i).click({ timeout: VIEW_TIMEOUT_MS });
    const ms = await drawnAfterClick(page, own);
    report(`view_ms_${label}_${slug(name)}`, Number.isFinite(ms) ? Math.round(ms) : `no-mark-within-${VIEW_TIMEOUT_MS}`);
    // A view that never draws counts as the timeout.
    slowest = Math.max(slowest, Number.isFinite(ms) ? ms : VIEW_TIMEOUT_MS);
    if (traffic && window !== undefined) {
      await traffic.quiet();
      report(`view_bytes_${slug(name)}_${label}`, await traffic.bytes(window));
    }
    // The rest of the view (its plots and grids after the first, which draw in turn): no goal, for reading beside the first.
    if (Number.isFinite(ms)) {
      const all = await allDrawnAfterClick(page, own);
      report(`view_all_ms_${label}_${slug(name)}`, Math.round(all));
      slowestAll = Math.max(slowestAll, all);
    }
  }
  report(`view_all_ms_max_${label}`, Math.round(slowestAll));
  return slowest;
}

/**
 * Types `text` into `box` (Playwright's fill) with `mark` set when the text reaches the page: at the
 * first `beforeinput` event, before the page's own handlers. fill() first waits for the box to be
 * visible, stable over two frames and focused (40–60 ms), which is the harness, not the app.
 */
export async function typeTimed(page: Page, box: ElementHandle, text: string, mark: string): Promise<void> {
  await page.evaluate((name) => window.addEventListener('beforeinput', () => performance.mark(name), { capture: true, once: true }), mark);
  await box.fill(text);
}

export async function aeFilter(page: Page): Promise<number> {
  const nav = page.locator('nav[aria-label="Views"] .nav-item', { hasText: /^AEs?$|Adverse/ });
  if ((await nav.count()) === 0) return NaN;
  await nav.first().click();
  const filter = page.getByRole('searchbox').or(page.getByPlaceholder(/filter|search/i)).first();
  await filter.waitFor({ timeout: 60_000 });
  await page.waitForTimeout(500);
  // The box is found before the clock starts: resolving a role locator walks the whole page's
  // accessibility tree (hundreds of milliseconds on the AE view), which is the harness, not the app.
  const box = await filter.elementHandle();
  await page.evaluate(() => performance.clearMarks());
  await typeTimed(page, box!, 'neutropenia', 'bench:filter');
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

/**
 * Cold start on the demo, as a person starts the app: per run the built browser host (`dosedesk
 * serve`, the CLI bundle of `npm run build`, whose core threads run built JavaScript as Electron's do)
 * started on the populated database, and a new browser context (empty cache and storage, so the first
 * view is Cohorts); the time is the Cohorts view's drawn mark, which the page's performance timeline
 * counts from the navigation's start (`cold_start_with_host_ms_demo` adds the host's own start before
 * it). Median of `runs` (and the best), as the machine's load moves single runs.
 * The core from the TypeScript sources (as tests run it) would compile itself through tsx in every
 * thread, about a second that no installed app pays.
 */
export async function coldStart(browser: Browser, dbPath: string, report: Report, runs = 5): Promise<void> {
  const root = path.resolve(import.meta.dirname, '../..');
  const built = spawnSync(process.execPath, [path.join(root, 'scripts/build-cli.mjs')], { cwd: root, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`cold start: building the CLI bundle failed: ${built.stderr}`);
  const times: number[] = [];
  const withHost: number[] = [];
  const scripts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const host = spawn(process.execPath, [path.join(root, 'bin/dosedesk.mjs'), 'serve', '--no-open', '--port', '0', '--db', dbPath], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    try {
      const url = await servedAt(host);
      const started = performance.now() - t0;
      const page = await context.newPage();
      await page.goto(url);
      const ms = await page
        .waitForFunction(() => performance.getEntriesByName('view:cohorts:drawn')[0]?.startTime ?? null, undefined, { timeout: VIEW_TIMEOUT_MS, polling: 10 })
        .then((h) => h.jsonValue() as Promise<number>)
        .catch(() => NaN);
      if (Number.isFinite(ms)) {
        times.push(ms);
        withHost.push(started + ms);
      }
      // The start-up script evaluated (main.tsx's first line): what the bundle's size costs, before any call to the core.
      const script = await page.evaluate(() => performance.getEntriesByName('app:start')[0]?.startTime ?? null);
      if (script !== null) scripts.push(script);
    } finally {
      await context.close();
      host.kill('SIGTERM');
      if (host.exitCode === null) await new Promise((r) => host.once('exit', r));
    }
  }
  if (!times.length) return report('cold_start_ms_demo', 'no-mark');
  const median = (xs: number[]) => Math.round([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!);
  report('cold_start_ms_demo', median(times));
  report('cold_start_ms_demo_best', Math.round(Math.min(...times)));
  report('cold_start_runs', times.length);
  report('cold_start_with_host_ms_demo', median(withHost));
  if (scripts.length) report('cold_start_script_ms_demo', median(scripts));
}

/** The address `dosedesk serve` prints once its core and host are up (its output and exit code when it stops first). */
function servedAt(host: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const read = (d: Buffer) => {
      out += d.toString();
      const m = /serving on (http\S+)/.exec(out);
      if (m) resolve(m[1]!);
    };
    host.stdout!.on('data', read);
    host.stderr!.on('data', read);
    host.once('exit', (code) => reject(new Error(`cold start: dosedesk serve stopped (exit ${code}) before serving:\n${out}`)));
  });
}

/** The bytes of the renderer's start-up scripts (index.html's entry and what it imports statically), and of all its scripts. */
export function bundleBytes(report: Report): void {
  const assets = path.join(RENDERER_DIR, 'assets');
  const html = fs.readFileSync(path.join(RENDERER_DIR, 'index.html'), 'utf8');
  // The entry and its modulepreload links: what the page loads before the first view (vite writes both into index.html).
  const initial = [...html.matchAll(/(?:src|href)="\.?\/?assets\/([^"]+\.js)"/g)].map((m) => m[1]!);
  const size = (f: string) => fs.statSync(path.join(assets, f)).size;
  report('bundle_initial_js_bytes', initial.reduce((n, f) => n + size(f), 0));
  report('bundle_all_js_bytes', fs.readdirSync(assets).filter((f) => f.endsWith('.js')).reduce((n, f) => n + size(f), 0));
}

/** The snapshot folder of a generated study of `subjects`: the shared bench data where it exists, else written to tmp. */
async function studyFolder(subjects: number, tmp: string): Promise<string> {
  const root = process.env.DOSEDESK_BENCH_DATA ?? path.resolve(import.meta.dirname, '../../../bench-data');
  const shared = path.join(root, `csv-${subjects}`);
  if (fs.existsSync(path.join(shared, 'dm.csv'))) return shared;
  const dir = path.join(tmp, `views-${subjects}`);
  await writeSnapshot(dir, generateStudy({ subjects }), { format: 'csv' });
  return dir;
}

function chosenSizes(): [string, number][] {
  const at = process.argv.indexOf('--sizes');
  if (at < 0) return SIZES;
  const wanted = (process.argv[at + 1] ?? '').split(',');
  const unknown = wanted.filter((w) => !SIZES.some(([l]) => l === w));
  if (unknown.length) throw new Error(`bench: --sizes expects some of ${SIZES.map(([l]) => l).join(',')}, found ${unknown.join(',')}`);
  return SIZES.filter(([l]) => wanted.includes(l));
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
  bundleBytes(report);
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  const importMs = new Map<string, number>();
  const slowestMs = new Map<string, number>();
  try {
    for (const [label, subjects] of chosenSizes()) {
      const dbPath = path.join(tmp, `views-${label}.sqlite`);
      const core = createCore({ dbPath });
      if (subjects === 0) await seedDemoIfEmpty(core);
      else {
        const dir = await studyFolder(subjects, tmp);
        const t0 = performance.now();
        const r = await core.call('snapshot.import', { path: dir });
        const ms = performance.now() - t0;
        if (r.status !== 'imported') throw new Error(`views bench import failed: ${JSON.stringify(r.errors.slice(0, 2))}`);
        importMs.set(label, ms);
        report(`import_ms_${label}`, Math.round(ms));
        report(`views_${label}_aes`, r.domains.AE?.rows ?? 0);
      }
      // What the app does after every import (and after seeding the demo): derive the views' first reads
      // and store them (electron/core/snapshots/prepare.ts). Its time is the import's tail, shown apart.
      const ids = subjects === 0 ? (await core.call('snapshots.list', {})).map((s) => s.snapshotId) : [(await core.call('snapshots.list', {}))[0]!.snapshotId];
      const tp = performance.now();
      const perMethod = new Map<string, number>();
      for (const id of ids) {
        const steps = await prepareViews(core, id);
        for (const s of steps) perMethod.set(s.method, (perMethod.get(s.method) ?? 0) + s.ms);
        const failed = steps.filter((s) => s.error);
        if (failed.length) console.error(`# prepare ${label} snapshot ${id}: ${failed.map((s) => `${s.method}: ${s.error}`).join('; ')}`);
      }
      report(`prepare_ms_${label}`, Math.round(performance.now() - tp));
      for (const [m, ms] of perMethod) report(`prepare_ms_${label}_${m.replace('.', '_')}`, ms);
      core.close();
      // A populated demo database, opened afresh for each run.
      if (subjects === 0) await coldStart(browser, dbPath, report);
      // The views on the core's threads, as the app runs them (electron/core/worker/pool.ts), timed
      // once its readers have warmed up, as in a meeting opened a minute after the app
      // (`readers_warm_ms_<size>`: from the pool's start to the warm-up's end, the page loading meanwhile).
      const tw = performance.now();
      const viewsCore = await startCorePool({ dbPath, prepare: true });
      const host = await startHost({ core: viewsCore, rendererDir: RENDERER_DIR });
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      const traffic = new ApiTraffic(page);
      await page.goto(host.url);
      await viewsCore.warmed();
      report(`readers_warm_ms_${label}`, Math.round(performance.now() - tw));
      // A slow first answer is a figure to read (the views' times), not a reason to end the run.
      await page.locator('nav[aria-label="Views"] .nav-item').first().waitFor({ timeout: 300_000 });
      const slowest = await timeViews(page, label, report, traffic);
      slowestMs.set(label, slowest);
      report(`view_ms_max_${label}`, Math.round(slowest));
      if (subjects === 10_000) {
        const f = await aeFilter(page);
        report(`ae_filter_ms_200k`, Number.isFinite(f) ? Math.round(f) : 'no-mark');
      }
      await page.close();
      await host.close();
      await viewsCore.close();
    }
    // Growth from 2,000 to 10,000 subjects (5×): about 5 when linear, more when something grows faster.
    const ratio = (m: Map<string, number>) => (m.has('2000') && m.has('10k') ? (m.get('10k')! / m.get('2000')!).toFixed(2) : null);
    const gi = ratio(importMs);
    if (gi) report('growth_import_10k_vs_2k', gi);
    const gv = ratio(slowestMs);
    if (gv) report('growth_view_max_10k_vs_2k', gv);
  } finally {
    await browser.close();
  }
}
