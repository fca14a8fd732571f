// Where one view's time goes (issue 14): `node --import tsx test/bench/view-profile.ts VIEW SNAPSHOT_DIR|DB_FILE`,
// with the UI built (`npx electron-vite build`). Opens the built renderer through the browser host in
// Debian's Chromium on a real core, opens VIEW once (its code and plotly loaded), goes to another view,
// then opens VIEW again under a CPU profile and prints: the time from the click to the view's drawn
// mark (as the bench reads it), the marks, each core call (sent → answered after the click, KB), and
// the functions with the most self time (none with VIEW_PROFILE_CPU=0; `--cold`: its first opening instead; a screenshot of the window after it with VIEW_PROFILE_SHOT=FILE.png, of one element with VIEW_PROFILE_SHOT_OF=TESTID too; the main thread's
// timeline with VIEW_PROFILE_TRACE=1 or =FILE.json; each plot's nodes and the files fetched are listed; `--search TEXT` after the AEs view: typing TEXT into its grid's
// search box, to the filtered rows drawn, instead). A SNAPSHOT_DIR is imported into a new database and the
// views prepared, as the app does after an import; a DB_FILE is used as it is (a copy is safer: the
// core may store derivations in it). VIEW is the navigation's label: "Patient profile", "Spider", …
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Request } from '@playwright/test';
import { createCore } from '../../electron/core/app';
import { startHost } from '../../electron/core/host/server';
import { RENDERER_DIR } from '../../electron/core/host/run';
import { prepareViews } from '../../electron/core/snapshots/prepare';
import { startCorePool } from '../../electron/core/worker/pool';
import { drawnAfterClick, typeTimed, VIEW_MARKS } from './views.bench';

const [view, source, flag, searchText] = process.argv.slice(2);
// `--search TEXT` (the AEs view): profiles typing TEXT into the grid's search box instead of the click,
// to the filtered rows drawn (the bench's ae_filter_ms_200k).
const search = flag === '--search' ? searchText : undefined;
// `--cold`: profiles the view's first opening (its code, plotly and the readers' first calls cold), as the bench times it.
const cold = flag === '--cold';
const own = VIEW_MARKS.find(([name]) => name.test(view ?? ''))?.[1];
if (!view || !source || !own) throw new Error(`usage: view-profile.ts VIEW SNAPSHOT_DIR|DB_FILE (VIEW one of ${VIEW_MARKS.map(([n]) => n.source.replace(/[\^$]/g, '')).join(', ')})`);
if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) throw new Error('the UI is not built: npx electron-vite build');

const fromFolder = fs.statSync(source).isDirectory();
const dbPath = fromFolder ? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dosedesk-view-profile-')), 'db.sqlite') : source;
if (fromFolder) {
  const importer = createCore({ dbPath });
  const r = await importer.call('snapshot.import', { path: source });
  if (r.status !== 'imported') throw new Error(`import failed: ${JSON.stringify(r.errors.slice(0, 2))}`);
  await prepareViews(importer, r.snapshotId!);
  importer.close();
}
// The core in its threads, as the app runs it (its readers warmed in the background: worker/pool.ts).
const core = await startCorePool({ dbPath, prepare: true });
const host = await startHost({ core, rendererDir: RENDERER_DIR });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  let clickAt = 0;
  const sent = new WeakMap<Request, number>();
  const calls: string[] = [];
  page.on('request', (r) => {
    if (clickAt && /\/api\/(?!events\b)/.test(r.url())) sent.set(r, Date.now() - clickAt);
  });
  page.on('requestfinished', (r) => {
    const at = sent.get(r);
    if (at === undefined) return;
    const done = Date.now() - clickAt;
    void r.sizes().then((s) => calls.push(`${String(at).padStart(6)} → ${String(done).padStart(6)} ms ${(s.responseBodySize / 1e3).toFixed(0).padStart(6)} KB ${r.url().split('/api/')[1]} ${(r.postData() ?? '').slice(0, 100)}`));
  });
  await page.goto(host.url);
  // The readers warmed, as a minute after the app's start (`--cold` still opens the view for the first time).
  await core.warmed();
  const nav = page.locator('nav[aria-label="Views"] .nav-item');
  await nav.first().waitFor({ timeout: 300_000 });
  const target = nav.filter({ hasText: new RegExp(`^${view}$`) }).first();
  const other = nav.filter({ hasText: view === 'Cohorts' ? /^Swimmer$/ : /^Cohorts$/ }).first();
  if (!cold) {
    await target.click();
    await page.waitForTimeout(8000);
  }
  await other.click();
  await page.waitForTimeout(5000);

  // --search: the view open and settled before the profile starts; the box found before the clock starts.
  const box = search === undefined ? null : await (async () => {
    await target.click();
    await drawnAfterClick(page, own);
    await page.waitForTimeout(3000);
    return page.getByPlaceholder('Search…').first().elementHandle();
  })();
  const cdp = await page.context().newCDPSession(page);
  // VIEW_PROFILE_CPU=0: no CPU profile (the profiler slows the page about 1.3–2×): times and calls as the bench sees them.
  const cpu = process.env.VIEW_PROFILE_CPU !== '0';
  if (cpu) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  // VIEW_PROFILE_TRACE=1 (or =FILE.json: kept for chrome://tracing, with the CPU profile in FILE.json.cpuprofile): also a timeline trace, summed by event on the page's main thread (style, layout, paint).
  const trace = !!process.env.VIEW_PROFILE_TRACE;
  if (trace) await browser.startTracing(page, { categories: ['devtools.timeline', 'blink'] });
  await page.evaluate(() => {
    performance.clearMarks();
    performance.mark('bench:click');
  });
  let ms: number;
  if (search !== undefined) {
    clickAt = Date.now();
    await typeTimed(page, box!, search, 'bench:search');
    ms = await page
      .waitForFunction(() => {
        const start = performance.getEntriesByName('bench:search')[0]?.startTime ?? 0;
        const m = performance.getEntriesByName('view:aes:filtered').filter((e) => e.startTime >= start);
        return m.length ? m[m.length - 1]!.startTime - start : null;
      }, undefined, { timeout: 60_000, polling: 10 })
      .then((h) => h.jsonValue() as Promise<number>);
  } else {
    clickAt = Date.now();
    await target.click();
    ms = await drawnAfterClick(page, own);
  }
  const profile = cpu ? (await cdp.send('Profiler.stop')).profile : null;
  const traced = trace ? (await browser.stopTracing()).toString() : '';
  if (trace && process.env.VIEW_PROFILE_TRACE !== '1') {
    fs.writeFileSync(process.env.VIEW_PROFILE_TRACE!, traced);
    if (profile) fs.writeFileSync(`${process.env.VIEW_PROFILE_TRACE!}.cpuprofile`, JSON.stringify(profile));
  }
  const timeline = trace ? mainThreadTotals(JSON.parse(traced) as { traceEvents: TraceEvent[] }) : [];
  await page.waitForTimeout(1000);
  // VIEW_PROFILE_SHOT_OF=TESTID: the screenshot of that element (a plot below the fold) instead of the window.
  const shotOf = process.env.VIEW_PROFILE_SHOT_OF;
  if (process.env.VIEW_PROFILE_SHOT) await (shotOf ? page.getByTestId(shotOf) : page).screenshot({ path: process.env.VIEW_PROFILE_SHOT });
  console.log(`view_profile_ms_${view.toLowerCase().replace(/[^a-z0-9]+/g, '_')}=${Math.round(ms)}`);
  const marks = await page.evaluate(() => {
    const start = performance.getEntriesByName('bench:click')[0]?.startTime ?? 0;
    return performance
      .getEntriesByType('mark')
      .filter((m) => m.startTime >= start)
      .map((m) => `${Math.round(m.startTime - start)} ms ${m.name}`);
  });
  // What each plot drew: its traces, SVG nodes and data shapes (a plot of thousands of nodes is slow to draw).
  const plots = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement & { data?: unknown[] }>('.js-plotly-plot')].map(
      (gd) => `${gd.closest('[data-testid]')?.getAttribute('data-testid') ?? '?'}: ${gd.data?.length ?? 0} traces, ${gd.querySelectorAll('*').length} nodes, ${gd.querySelectorAll('.point').length} points, ${gd.querySelectorAll('text').length} texts, ${gd.querySelectorAll('.shapelayer path').length} shapes`,
    ),
  );
  console.log(`# plots\n${plots.join('\n')}`);
  // The view's scripts and styles fetched after the click (a view's first opening loads its chunks).
  const resources = await page.evaluate(() => {
    const start = performance.getEntriesByName('bench:click')[0]?.startTime ?? 0;
    return performance
      .getEntriesByType('resource')
      .filter((r): r is PerformanceResourceTiming => r.startTime >= start && !r.name.includes('/api/'))
      .map((r) => `${String(Math.round(r.startTime - start)).padStart(6)} → ${String(Math.round(r.responseEnd - start)).padStart(6)} ms ${r.name.split('/').pop()}`);
  });
  if (resources.length) console.log(`# files fetched (sent → received, after the click)\n${resources.join('\n')}`);
  console.log(`# marks\n${marks.join('\n')}\n# core calls (sent → answered, after the click)\n${calls.join('\n')}`);
  if (timeline.length) console.log(`# main thread, summed by event (ms)\n${timeline.join('\n')}`);
  if (profile) {
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    profile.samples?.forEach((id, i) => {
      const f = nodes.get(id)!.callFrame;
      const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() ?? ''}:${f.lineNumber}`;
      self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas?.[i] ?? 0));
    });
    console.log('# self time (ms)');
    for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${String(Math.round(us / 1000)).padStart(6)}  ${k}`);
  }
} finally {
  await browser.close();
  await host.close();
  await core.close();
}

type TraceEvent = { name: string; ph: string; dur?: number; pid: number; tid: number; args?: { name?: string } };
/** The complete events on the renderer's main thread, summed by name (an event's time counts in its parents' too). */
function mainThreadTotals({ traceEvents }: { traceEvents: TraceEvent[] }): string[] {
  const main = traceEvents.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const sums = new Map<string, number>();
  for (const e of traceEvents) if (main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur) sums.set(e.name, (sums.get(e.name) ?? 0) + e.dur / 1000);
  return [...sums].sort((a, b) => b[1] - a[1]).slice(0, 20).map(([k, ms]) => `${String(Math.round(ms)).padStart(6)}  ${k}`);
}
