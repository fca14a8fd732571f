import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { cutSnapshot, generateStudy } from '../../electron/core/demo/generate';
import { DEMO_DIR, expect, screenshot, test } from './fixtures';
import { exportTable } from './downloads';

// Issue 12 items 3 and 6: filters never change a headline number in silence, and exports say what
// they hold. Expected counts come from the demo generator's truth for the shipped cut2
// (electron/core/demo/truth.ts), not from the core's answer: with dose level L chosen, the Cohorts
// headline is "n(L) of N treated" where n(L) = subjects of level L (either part) and N = all.

function cut2Truth() {
  const def = JSON.parse(fs.readFileSync(path.join(DEMO_DIR, 'cut2', 'study.json'), 'utf8')) as { dataCutoff: string };
  return cutSnapshot(generateStudy(), def.dataCutoff).truth;
}

async function openView(page: Page, name: string): Promise<void> {
  await page.locator('nav[aria-label="Views"]').getByRole('button', { name, exact: true }).click();
}

/** AG Grid's aria-rowcount: the rows after filtering plus the header and floating-filter rows. */
async function gridRows(grid: Locator): Promise<number> {
  return Number(await grid.locator('[aria-rowcount]').first().getAttribute('aria-rowcount')) - 2;
}

/** Splits one CSV line written without embedded line breaks (RFC 4180 quoting). */
function fields(line: string): string[] {
  const out: string[] = [];
  const re = /("(?:[^"]|"")*"|[^,]*)(,|$)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) {
    const f = m[1]!;
    out.push(f.startsWith('"') ? f.slice(1, -1).replace(/""/g, '"') : f);
    if (m[2] === '') break;
  }
  return out;
}

test('a dose-level filter is stated on every headline number, in the total row, the banner and the exports', async ({ page, app }) => {
  test.setTimeout(300_000);
  const truth = cut2Truth();
  const [newest] = await app.core.call('snapshots.list', {});
  const hash = newest!.contentHash.slice(0, 12);
  // The highest escalation level with treated subjects: fewer than all subjects, so the filter shows.
  const level = Math.max(...truth.subjects.filter((s) => s.part !== 'EXPANSION').map((s) => s.level));
  const atLevel = truth.subjects.filter((s) => s.level === level);
  const all = truth.subjects.length;
  expect(atLevel.length).toBeGreaterThan(0);
  expect(atLevel.length).toBeLessThan(all);

  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto(app.url);
  await expect(page.getByTestId('cohorts-total')).toContainText('All dose levels');
  await expect(page.getByTestId('filter-summary')).toHaveCount(0);

  await page.getByTestId(`level-chip-${level}`).click();
  const kpi = page.getByTestId('kpi-treated');
  await expect(kpi).toContainText(`${atLevel.length} of ${all}`);
  await expect(kpi).toContainText(`filtered: DL${level}`);
  await expect(page.getByTestId('cohorts-total').locator('th')).toHaveText(`Shown dose levels (filtered: DL${level})`);
  await expect(page.getByTestId('cohorts-total').locator('td').first()).toHaveText(String(atLevel.length));
  await expect(page.getByTestId('filter-summary')).toHaveText(`Filtered: DL${level} · ${atLevel.length} of ${all} subjects treated`);
  await expect(page.getByTestId('cohorts-footnote')).toContainText(`filters: DL${level}`);
  await expect(page.getByTestId('dlt-table')).toBeVisible();
  // The escalation rule is not filtered, and says so.
  await expect(page.getByTestId('rule-unfiltered-note')).toContainText(`use every dose level; the filters (DL${level}) apply to the DLT table only`);
  await screenshot(page, 'views-filters-cohorts-filtered');

  // Cohorts CSV: the header line first, one line per dose-level row shown, nothing else; the sidecar names the filter.
  const cohorts = await exportTable(page, () => page.getByTestId('cohorts-export-csv').click());
  expect(cohorts.csvName).toBe(`cohorts-${hash}.csv`);
  expect(cohorts.sidecarName).toBe(`cohorts-${hash}.json`);
  const cHead = fields(cohorts.lines[0]!);
  expect(cHead[0]).toBe('PART');
  const iLevel = cHead.indexOf('DOSE_LEVEL');
  const iTreated = cHead.indexOf('TREATED');
  const cRows = cohorts.lines.slice(1).map(fields);
  const parts = new Set(atLevel.map((s) => (s.part === 'EXPANSION' ? 'expansion' : 'escalation')));
  expect(cRows).toHaveLength(parts.size);
  for (const r of cRows) expect(r).toHaveLength(cHead.length);
  expect(cRows.every((r) => r[iLevel] === String(level))).toBe(true);
  expect(cRows.reduce((n, r) => n + Number(r[iTreated]), 0)).toBe(atLevel.length);
  expect(cohorts.csv).not.toContain('Data cut-off');
  expect(cohorts.sidecar.viewFilters).toBe(`DL${level}`);
  expect(cohorts.sidecar.tableFilters).toEqual([`DL${level}`]);
  expect(cohorts.sidecar.snapshot.contentHash).toBe(newest!.contentHash);
  expect(cohorts.sidecar.footnote).toContain(`filters: DL${level}`);

  // DLT table CSV: one line per subject shown, the same subjects as on screen.
  const dlt = await exportTable(page, () => page.getByTestId('dlt-table-export-csv').click());
  expect(dlt.csvName).toBe(`dlt-table-${hash}.csv`);
  const dHead = fields(dlt.lines[0]!);
  expect(dHead.slice(0, 4)).toEqual(['PART', 'DOSE_LEVEL', 'PLACEBO', 'USUBJID']);
  const dRows = dlt.lines.slice(1).map(fields);
  for (const r of dRows) expect(r).toHaveLength(dHead.length);
  const onScreen = await page.getByTestId('dlt-subject').evaluateAll((els) => els.map((e) => e.getAttribute('data-usubjid')));
  expect(dRows.map((r) => r[3]).sort()).toEqual(onScreen.sort());
  expect(dRows.map((r) => r[3]).sort()).toEqual(atLevel.map((s) => s.usubjid).sort());
  expect(dlt.sidecar.rows).toEqual({ exported: atLevel.length, total: all });

  // Presentation mode hides the filter bar: the banner keeps the filter and the count in sight.
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.getByTestId('presentation-toggle').click();
  await expect(page.getByTestId('filter-bar')).toBeHidden();
  await expect(page.getByTestId('filter-banner')).toHaveText(`Filtered: DL${level} · ${atLevel.length} of ${all} subjects treated`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'views-filters-presentation', { fullPage: false });
  // Another view keeps the banner with its own count: the swimmer draws one lane per treated subject.
  const presentBar = page.locator('nav[aria-label="Presentation"]');
  await presentBar.getByRole('button', { name: 'Swimmer', exact: true }).click();
  await expect(page.getByTestId('filter-banner')).toHaveText(`Filtered: DL${level} · ${atLevel.length} of ${all} subjects`);
  await presentBar.getByRole('button', { name: 'Cohorts', exact: true }).click();
  await expect(page.getByTestId('filter-banner')).toHaveText(`Filtered: DL${level} · ${atLevel.length} of ${all} subjects treated`);
  await page.getByTestId('filter-banner-clear').click();
  await expect(page.getByTestId('filter-banner')).toHaveCount(0);
  await expect(page.getByTestId('kpi-treated')).toHaveText(`${all}Subjects treated`);
  await page.getByTestId('presentation-exit').click();
});

test('a grid export after a quick-filter search holds the rows shown and says so', async ({ page, app }) => {
  test.setTimeout(300_000);
  const [newest] = await app.core.call('snapshots.list', {});
  const listing = await app.core.call('safety.aeListing', { snapshotId: newest!.snapshotId });
  const truth = cut2Truth();
  const total = truth.subjects.reduce((n, s) => n + s.aeCount, 0);
  expect(listing.rows.length).toBe(total);
  // The quick filter matches the text of the shown columns (as in aes.spec.ts).
  const term = 'nausea';
  const visibleText = (r: (typeof listing.rows)[number]) =>
    [r.usubjid, r.level, r.studyDay, r.aeterm, r.aedecod, r.aebodsys, r.grade, r.aeout, r.aeacn].map((v) => String(v ?? '')).join('\u0001').toLowerCase();
  const matching = listing.rows.filter((r) => visibleText(r).includes(term));
  expect(matching.length).toBeGreaterThan(0);
  expect(matching.length).toBeLessThan(total);

  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto(app.url);
  await openView(page, 'AEs');
  const grid = page.getByTestId('aes');
  await expect.poll(() => gridRows(grid)).toBe(total);
  await expect(page.getByTestId('aes-footnote')).toContainText(`${total.toLocaleString('en-US')} rows`);
  await page.getByTestId('aes-search').fill(term);
  await expect.poll(() => gridRows(grid)).toBe(matching.length);
  await expect(page.getByTestId('aes-footnote')).toContainText(`table filtered: search "${term}" · ${matching.length} of ${total.toLocaleString('en-US')} rows shown`);
  await grid.scrollIntoViewIfNeeded();
  await screenshot(page, 'views-filters-aes-search');

  const out = await exportTable(page, () => page.getByTestId('aes-export-csv').click());
  const head = fields(out.lines[0]!);
  expect(head).toContain('Subject');
  expect(out.lines).toHaveLength(1 + matching.length);
  const iSubj = head.indexOf('Subject');
  expect(out.lines.slice(1).map((l) => fields(l)[iSubj]).sort()).toEqual(matching.map((r) => r.usubjid).sort());
  expect(out.sidecar.rows).toEqual({ exported: matching.length, total });
  expect(out.sidecar.tableFilters).toEqual([`search "${term}"`]);
  expect(out.sidecar.viewFilters).toBe('all subjects');
  expect(out.sidecar.footnote).toContain(`${matching.length} of ${total.toLocaleString('en-US')} rows shown`);
  expect(out.sidecar.title).toBe('All adverse events');
});

test('the small tables (response rates, waterfall bars) export CSV: header first, one line per row shown', async ({ page, app }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto(app.url);
  for (const [view, table, stem] of [
    ['Efficacy', 'rates-table', 'response-rates'],
    ['Waterfall', 'waterfall-table', 'waterfall'],
  ] as const) {
    await openView(page, view);
    const t = page.getByTestId(table);
    await expect(t).toBeAttached();
    // The waterfall's table sits in a closed <details> (its rows are drawn when opened; so is its CSV button).
    if (view === 'Waterfall') await page.getByText(/^Bars as a table/).click();
    await expect(t.locator('tbody tr').first()).toBeVisible();
    const headOnScreen = await t.locator('thead tr').last().locator('th, td').count();
    const bodyRows = await t.locator('tbody tr').count();
    const out = await exportTable(page, () => page.getByTestId(`${table}-export-csv`).click());
    expect(out.csvName).toMatch(new RegExp(`^${stem}-[0-9a-f]{12}\\.csv$`));
    expect(fields(out.lines[0]!)).toHaveLength(headOnScreen);
    expect(out.lines).toHaveLength(1 + bodyRows);
    for (const l of out.lines.slice(1)) expect(fields(l)).toHaveLength(headOnScreen);
    expect(out.sidecar.rows.exported).toBe(bodyRows);
  }
});
