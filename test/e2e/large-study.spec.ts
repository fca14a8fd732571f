import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { generateStudy, writeSnapshot } from '../../electron/core/demo/generate';
import { exportTable } from './downloads';
import { expect, revealSections, SCREENSHOT_DIR, screenshot, test, type DoseDeskApp } from './fixtures';

// A larger generated study (1,000 subjects, about 20,000 AEs): the plain listings draw their first 100
// rows and offer the rest on request, while the CSV holds every row (components/MoreRows.tsx); grids
// asked to grow with their rows scroll in a fixed height past AUTO_HEIGHT_ROWS (components/DataGrid.tsx).

test.use({ seedDemo: false });

/** A generated study of `subjects` written as CSV into the test's folder and imported; its snapshot id. */
async function importGenerated(app: DoseDeskApp, name: string, subjects: number): Promise<number> {
  const dir = path.join(app.tmp, name);
  await writeSnapshot(dir, generateStudy({ subjects }), { format: 'csv' });
  const r = await app.core.call('snapshot.import', { path: dir });
  expect(r.status).toBe('imported');
  return r.snapshotId!;
}

test('a listing of hundreds of rows draws 100 at a time; its CSV holds all of them', async ({ page, app }) => {
  test.setTimeout(240_000);
  const snapshotId = await importGenerated(app, 'study-1000', 1000);
  const listings = await app.core.call('safety.listings', { snapshotId });
  const saes = listings.saes.length;
  expect(saes, 'the generated study has more SAEs than one block of rows').toBeGreaterThan(100);

  await page.goto(app.url);
  await page.locator('nav[aria-label="Views"] .nav-item', { hasText: /^AEs$/ }).click();
  // The listings load below the incidence tables when scrolled near.
  await expect(page.getByTestId('ae-worst-grade')).toBeVisible({ timeout: 60_000 });
  await revealSections(page);
  const table = page.getByTestId('ae-saes');
  await expect(table.locator('tbody tr')).toHaveCount(100);
  const more = page.getByTestId('ae-saes-more');
  await expect(more).toContainText(`Showing 100 of ${saes.toLocaleString('en-GB')} rows`);
  await more.scrollIntoViewIfNeeded();
  await screenshot(page, 'ae-listing-more-rows', { fullPage: false });
  await more.getByRole('button', { name: /^Show \d+ more$/ }).click();
  await expect(table.locator('tbody tr')).toHaveCount(Math.min(200, saes));
  const { lines, sidecar } = await exportTable(page, () => page.getByTestId('ae-saes-export-csv').click());
  expect(lines.length - 1, 'CSV rows: every SAE, not only those drawn').toBe(saes);
  expect(sidecar.rows.exported).toBe(saes);
  if (saes > 200) {
    await more.getByRole('button', { name: 'Show all' }).click();
    await expect(table.locator('tbody tr')).toHaveCount(saes);
    await expect(more).toHaveCount(0);
  }
});

test('the DLT table of 1,000 subjects asks for the rows in view as the reader scrolls; its CSV holds every row', async ({ page, app }) => {
  test.setTimeout(240_000);
  const snapshotId = await importGenerated(app, 'study-1000-dlt', 1000);
  const truth = await app.core.call('safety.dltTable', { snapshotId });
  const subjects = truth.levels.flatMap((l) => l.subjects);
  expect(subjects.length).toBeGreaterThan(200);
  const asked: string[][] = [];
  page.on('request', (q) => {
    if (q.url().endsWith('/api/safety.dltTable')) asked.push((JSON.parse(q.postData() ?? '{}') as { usubjids?: string[] }).usubjids ?? ['(all)']);
  });

  await page.goto(app.url);
  const region = page.locator('[data-windowed="true"]');
  await expect(region).toBeVisible();
  // The first rows drawn are the core's rows of those subjects.
  const first = page.getByTestId('dlt-subject').first();
  await expect(first).toHaveAttribute('data-usubjid', subjects[0]!.usubjid);
  await expect(first).toHaveAttribute('data-status', subjects[0]!.status);
  expect(asked.some((a) => a[0] === '(all)'), 'the whole table is not asked for').toBe(false);
  expect(Math.max(...asked.map((a) => a.length)), 'rows asked at a time').toBeLessThanOrEqual(300);
  // Scrolled to the end: the last subject's row comes with its status. Rows drawn taller than the
  // estimated height lengthen the list after the jump, as a reader's scroll bar would show: scroll to the
  // end again until the end is reached.
  const last = subjects.at(-1)!;
  await expect(async () => {
    await region.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect(page.locator(`[data-testid="dlt-subject"][data-usubjid="${last.usubjid}"]`)).toHaveAttribute('data-status', last.status, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await region.scrollIntoViewIfNeeded();
  await screenshot(page, 'cohorts-dlt-windowed', { fullPage: false });
  const { lines } = await exportTable(page, () => page.getByTestId('dlt-table-export-csv').click());
  expect(lines.length - 1, 'CSV rows: every subject').toBe(subjects.length);

  // The patient profile of 1,000 subjects: a box to type a subject id into (a list of every subject
  // took 0.7 s of layout at 10,000), suggesting the ids that contain what is typed.
  await page.locator('nav[aria-label="Views"] .nav-item', { hasText: /^Patient profile$/ }).click();
  const picker = page.getByTestId('profile-picker');
  await expect(picker).toHaveJSProperty('tagName', 'INPUT');
  const target = subjects.at(-1)!.usubjid;
  await expect(page.getByTestId('profile-subject')).not.toHaveText(target);
  // Enter on a partial id that only one subject contains opens it.
  const ids = subjects.map((x) => x.usubjid);
  const tail = [5, 6, 7, 8, 9, 10].map((k) => target.slice(-k)).find((t) => ids.filter((id) => id.includes(t)).length === 1)!;
  await picker.fill(tail);
  await expect(page.locator('datalist option')).toHaveCount(1);
  await expect(page.locator(`datalist option[value="${target}"]`)).toHaveCount(1);
  await picker.press('Enter');
  await expect(page.getByTestId('profile-subject')).toHaveText(target);
  await expect(picker).toHaveValue('');
  // A whole id in any case and Enter opens it.
  const another = ids[1]!;
  await picker.fill(another.toLowerCase());
  await picker.press('Enter');
  await expect(page.getByTestId('profile-subject')).toHaveText(another);
  // The left margin holds the AE terms and medications from the first drawing (ProfileView): plotly did not widen it and draw the profile twice.
  await expect(page.getByTestId('profile').locator('.plot-area')).toHaveAttribute('data-drawn', 'true', { timeout: 60_000 });
  const profileMargins = await plotMargins(page.getByTestId('profile').locator('.js-plotly-plot'));
  expect(profileMargins.drawn, 'profile: margins as the figure set them').toEqual(profileMargins.asked);
  // Enter on text several ids contain says so and stays.
  await picker.fill(another.slice(0, 8));
  await picker.press('Enter');
  await expect(page.getByTestId('profile-picker-problem')).toContainText(`contain “${another.slice(0, 8)}”: type more or choose one`);
  await expect(page.getByTestId('profile-subject')).toHaveText(another);
  // Text no id contains is marked and said, and Enter leaves the profile where it is.
  await picker.fill('no-such-subject');
  await expect(picker).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('profile-picker-problem')).toHaveText('No subject id contains “no-such-subject”');
  await picker.press('Enter');
  await expect(page.getByTestId('profile-subject')).toHaveText(another);
  await screenshot(page, 'profile-subject-picker', { fullPage: false });
});

/** The margins a figure asked for and those plotly drew it with (wider when it had to make room for a legend or labels, drawing the figure twice). */
function plotMargins(gd: Locator): Promise<{ asked: number[]; drawn: number[] }> {
  return gd.evaluate((el) => {
    const fl = (el as HTMLElement & { _fullLayout: { margin: Record<string, number>; _size: Record<string, number> } })._fullLayout;
    return { asked: (['l', 'r', 't', 'b'] as const).map((k) => fl.margin[k]!), drawn: (['l', 'r', 't', 'b'] as const).map((k) => fl._size[k]!) };
  });
}

type PlotGraph = HTMLElement & {
  data: { mode?: string; x: number[]; y: number[] }[];
  _fullLayout: { xaxis: { c2p(v: number): number; _offset: number }; yaxis: { c2p(v: number): number; _offset: number } };
};

/** Moves the mouse onto the last point of the plot's first hover trace (pathLines.ts: mode 'none'); the subject its label names, and where the point is. */
async function hoverLastPoint(page: Page, gd: Locator): Promise<{ hovered: string; x: number; y: number }> {
  const target = await gd.evaluate((el) => {
    const g = el as PlotGraph;
    const t = g.data.find((d) => d.mode === 'none')!;
    const i = t.x.length - 1;
    return { x: g._fullLayout.xaxis.c2p(t.x[i]!) + g._fullLayout.xaxis._offset, y: g._fullLayout.yaxis.c2p(t.y[i]!) + g._fullLayout.yaxis._offset };
  });
  const box = (await gd.boundingBox())!;
  const at = { x: box.x + target.x, y: box.y + target.y };
  await page.mouse.move(at.x, at.y);
  const label = gd.locator('.hoverlayer .hovertext');
  await expect(label).toBeVisible();
  return { hovered: (/IBB0979-\d+-\d+/.exec((await label.textContent()) ?? '') ?? [''])[0], ...at };
}

test('1,200 subjects: the spider and the waterfall draw their lines as one SVG path per group, without WebGL; hover names the subject, a click opens its profile', async ({ page, app }) => {
  test.setTimeout(300_000);
  const snapshotId = await importGenerated(app, 'study-1200-paths', 1200);
  const series = await app.core.call('efficacy.tumourSeries', { snapshotId });
  const withPost = series.subjects.filter((s) => s.points.some((p) => !p.baseline && p.pctFromBaseline !== null));
  expect(withPost.length, 'over 1,000 waterfall bars').toBeGreaterThan(1000);
  const levels = new Set(withPost.map((s) => s.level ?? 0)).size;

  await page.goto(app.url);
  for (const view of ['Spider', 'Waterfall'] as const) {
    await page.locator('nav[aria-label="Views"] .nav-item', { hasText: new RegExp(`^${view}$`) }).click();
    const plot = page.getByTestId(view.toLowerCase());
    await expect(plot.locator('.plot-area')).toHaveAttribute('data-drawn', 'true', { timeout: 60_000 });
    const gd = plot.locator('.js-plotly-plot');
    // One path per dose level (waterfall coloured by dose level by default), no WebGL canvas, no path per subject.
    const dom = await gd.evaluate((el) => ({
      shapes: [...el.querySelectorAll('.shapelayer path')].filter((p) => (p.getAttribute('d') ?? '').length > 1000).length,
      canvases: el.querySelectorAll('canvas.gl-canvas-context').length,
      linePaths: el.querySelectorAll('.scatterlayer .js-line').length,
    }));
    expect(dom.shapes, `${view}: one long path per dose level`).toBe(levels);
    expect(dom.canvases, `${view}: no WebGL`).toBe(0);
    expect(dom.linePaths, `${view}: no SVG path per subject`).toBeLessThanOrEqual(levels);
    // The figure's own margins hold its legend and axes: plotly did not widen one and draw the 1,200 lines or bars a second time (axes.ts legendAboveMargin, withLegendRoom).
    const m = await plotMargins(gd);
    expect(m.drawn, `${view}: margins as the figure set them`).toEqual(m.asked);

    // Hover at a subject's point (the spider: its last scan; the waterfall: the top of the largest increase): the label names it.
    const { hovered, x, y } = await hoverLastPoint(page, gd);
    // Another subject may share the pixel: the one named has a point there.
    const near = withPost.find((s) => s.usubjid === hovered);
    expect(near, `${view}: the hover names a subject of the study (${hovered})`).toBeDefined();
    await screenshot(page, `${view.toLowerCase()}-1200-subjects`, { fullPage: false });
    await page.mouse.click(x, y);
    await expect
      .poll(() => page.evaluate(() => (JSON.parse(localStorage.getItem('dosedesk.selection.v1') ?? '{}') as { view?: string; subject?: string })))
      .toMatchObject({ view: 'profile', subject: hovered });
  }
});

test('2,200 subjects: the ADA titres and the eDISH draw their markers as SVG paths of dots, without WebGL; hover names the subject, a click opens its profile, the SVG export keeps the dots', async ({ page, app }) => {
  test.setTimeout(360_000);
  const snapshotId = await importGenerated(app, 'study-2200-markers', 2200);
  const ada = await app.core.call('safety.ada', { snapshotId });
  const samples = ada.subjects.filter((s) => s.samples.some((x) => x.result === 'POSITIVE')).reduce((n, s) => n + s.samples.filter((x) => x.studyDay !== null).length, 0);
  expect(samples, 'over 1,000 titre samples').toBeGreaterThan(1000);
  const edish = await app.core.call('labs.edish', { snapshotId });
  expect(edish.points.length, 'over 1,000 eDISH points').toBeGreaterThan(1000);

  await page.goto(app.url);
  for (const [view, testId, subjects] of [
    ['Immunogenicity', 'ada-titres', new Set(ada.subjects.map((s) => s.usubjid))],
    ['Laboratory', 'lab-edish', new Set(edish.points.map((p) => p.usubjid))],
  ] as const) {
    await page.locator('nav[aria-label="Views"] .nav-item', { hasText: new RegExp(`^${view}$`) }).click();
    const plot = page.getByTestId(testId);
    await plot.scrollIntoViewIfNeeded();
    await expect(plot.locator('.plot-area')).toHaveAttribute('data-drawn', 'true', { timeout: 60_000 });
    const gd = plot.locator('.js-plotly-plot');
    const dom = await gd.evaluate((el) => {
      const dots = [...el.querySelectorAll<SVGPathElement>('.shapelayer path[fill-rule="nonzero"]')];
      return {
        dots: dots.length,
        longest: Math.max(0, ...dots.map((p) => (p.getAttribute('d') ?? '').length)),
        caps: [...new Set(dots.map((p) => getComputedStyle(p).strokeLinecap))],
        canvases: el.querySelectorAll('canvas.gl-canvas-context').length,
        markers: el.querySelectorAll('.scatterlayer .point').length,
      };
    });
    expect(dom.dots, `${view}: marker paths`).toBeGreaterThan(0);
    expect(dom.longest, `${view}: many dots in a path`).toBeGreaterThan(1000);
    expect(dom.caps, `${view}: each zero-length segment painted as a round dot`).toEqual(['round']);
    expect(dom.canvases, `${view}: no WebGL`).toBe(0);
    expect(dom.markers, `${view}: no SVG node per point (a few potential Hy's law diamonds at most)`).toBeLessThan(50);

    // Hover at the last point of the first hover trace: the label names a subject of the study; a click opens its profile.
    const { hovered, x, y } = await hoverLastPoint(page, gd);
    expect(subjects.has(hovered), `${view}: the hover names a subject of the study (${hovered})`).toBe(true);
    await plot.screenshot({ path: path.join(SCREENSHOT_DIR, `${testId}-2200-subjects.png`) });

    // The SVG export has no page style: the dots are plotly markers there, one per point drawn.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`${testId}-export-svg`).click()]);
    const svg = fs.readFileSync((await download.path())!, 'utf8');
    const exported = (svg.match(/class="point"/g) ?? []).length;
    expect(exported, `${view}: the export's markers`).toBeGreaterThan(1000);
    expect(svg, `${view}: no marker path left in the export`).not.toContain('fill-rule="nonzero"');
    fs.writeFileSync(path.join(SCREENSHOT_DIR, `${testId}-2200-export.svg`), svg);

    await page.mouse.click(x, y);
    await expect
      .poll(() => page.evaluate(() => (JSON.parse(localStorage.getItem('dosedesk.selection.v1') ?? '{}') as { view?: string; subject?: string })))
      .toMatchObject({ view: 'profile', subject: hovered });
  }
});
