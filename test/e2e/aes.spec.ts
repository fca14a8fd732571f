import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { cutSnapshot, generateStudy } from '../../electron/core/demo/generate';
import { writeFixture } from '../helpers/conventions';
import { domains, STUDY } from '../helpers/safetyConventions';
import { exportTable } from './downloads';
import { referencePath } from '../helpers/reference';
import { DEMO_DIR, expect, revealSections, SCREENSHOT_DIR, screenshot, seriousViolations, test } from './fixtures';

// Adverse events on the demo study (newest shipped cut). What a person checks: the grid holds every
// AE record of the snapshot (safety.aeListing; the generator's truth counts them per subject,
// electron/core/demo/truth.ts), the quick filter narrows it to the matching records, the CSV export
// starts with the title and carries the footnote (cut-off, snapshot hash, filters), the incidence
// tables show the subjects n (%) of safety.incidence with the treated subjects per level as
// denominators (worst grade per subject: CTCAE, docs/CLINICAL_RULES.md#ctcae-grades), and the SAE / DLT listings list the
// truth's SAEs and DLTs.

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

test('AEs: every AE in the grid, quick filter, CSV of header and rows with a sidecar, incidence n (%) by level and worst grade, SAE and DLT listings', async ({ page, app }) => {
  test.setTimeout(600_000);
  const [newest] = await app.core.call('snapshots.list', {});
  const sid = newest!.snapshotId;
  const hash = newest!.contentHash.slice(0, 12);
  const listing = await app.core.call('safety.aeListing', { snapshotId: sid });
  const truth = cut2Truth();
  expect(listing.rows.length).toBe(truth.subjects.reduce((n, s) => n + s.aeCount, 0));

  await page.goto(app.url);
  await openView(page, 'AEs');
  const grid = page.getByTestId('aes');
  await expect(grid.locator('.ag-row').first()).toBeVisible();
  await expect.poll(() => gridRows(grid)).toBe(listing.rows.length);

  // Quick filter: the records with the text in a shown column (here: the term / PT).
  const term = 'nausea';
  const visibleText = (r: (typeof listing.rows)[number]) =>
    [r.usubjid, r.level, r.studyDay, r.aeterm, r.aedecod, r.aebodsys, r.grade, r.aeout, r.aeacn].map((v) => String(v ?? '')).join('\u0001').toLowerCase();
  const matching = listing.rows.filter((r) => visibleText(r).includes(term)).length;
  expect(matching).toBeGreaterThan(0);
  expect(matching).toBeLessThan(listing.rows.length);
  await page.evaluate(() => performance.clearMarks('view:aes:filtered'));
  await page.getByTestId('aes-search').fill(term);
  await expect.poll(() => gridRows(grid)).toBe(matching);
  expect(await page.evaluate(() => performance.getEntriesByName('view:aes:filtered').length)).toBeGreaterThan(0);
  await page.getByTestId('aes-search').fill('');
  await expect.poll(() => gridRows(grid)).toBe(listing.rows.length);
  // Typed a key at a time while the pages of the earlier words are still on their way (each answer held
  // 300 ms): the grid shows the last word's rows. It stayed empty when the answers of words typed over
  // were never handed back to AG Grid (two of them held its two page loads for good).
  await page.route('**/api/safety.aeListingPage', async (route) => {
    await new Promise((r) => setTimeout(r, 300));
    await route.continue();
  });
  await page.getByTestId('aes-search').pressSequentially(term, { delay: 40 });
  await expect.poll(() => gridRows(grid), { timeout: 20_000 }).toBe(matching);
  await expect(grid.locator('.ag-row[row-index="0"]').first()).toContainText(/nausea/i);
  await page.unroute('**/api/safety.aeListingPage');
  await page.getByTestId('aes-search').fill('');
  await expect.poll(() => gridRows(grid)).toBe(listing.rows.length);

  // CSV export: the header and every record, nothing else (issue 12 item 6); title, snapshot and
  // filters are in the sidecar JSON.
  const all = await exportTable(page, () => page.getByTestId('aes-export-csv').click());
  expect(all.csvName).toBe(`adverse-events-${hash}.csv`);
  const lines = all.lines;
  expect(lines[0]).toContain('"Subject"');
  expect(lines.length).toBe(1 + listing.rows.length);
  expect(all.sidecar.title).toBe('All adverse events');
  expect(all.sidecar.footnote).toContain(`Data cut-off ${newest!.dataCutoff}`);
  expect(all.sidecar.footnote).toContain(`snapshot ${hash}`);
  expect(all.sidecar.viewFilters).toBe('all subjects');
  expect(all.sidecar.rows).toEqual({ exported: listing.rows.length, total: listing.rows.length });

  // Group by SOC: the rows come sorted by SOC, the first group named with its row count.
  await page.getByTestId('aes-groupby').selectOption('aebodsys');
  const socs = [...new Set(listing.rows.map((r) => r.aebodsys ?? '(missing)'))].sort((a, b) => a.localeCompare(b));
  const firstSoc = listing.rows.filter((r) => (r.aebodsys ?? '(missing)') === socs[0]).length;
  await expect(grid.locator('.group-label').first()).toHaveText(`${socs[0]} (${firstSoc})`);
  await page.getByTestId('aes-groupby').selectOption('');

  // Incidence tables against safety.incidence; denominators in the header.
  const any = await app.core.call('safety.incidence', { snapshotId: sid, by: 'level', minGrade: 1 });
  const g3 = await app.core.call('safety.incidence', { snapshotId: sid, by: 'level', minGrade: 3 });
  const worst = page.getByTestId('ae-worst-grade');
  for (const g of any.groups) await expect(worst.locator(`thead th[data-group="${g.key}"]`)).toContainText(`N = ${g.n}`);
  const anyRow = any.rows.find((r) => r.kind === 'any')!;
  const g3Row = g3.rows.find((r) => r.kind === 'any')!;
  const pct = (n: number, d: number) => (n === 0 ? '0' : `${n} (${((100 * n) / d).toFixed(1)})`);
  for (const g of any.groups) {
    const c = anyRow.cells[g.key]!;
    await expect(worst.locator(`td[data-line=any][data-group="${g.key}"]`)).toHaveText(pct(c.subjects, g.n));
    for (let grade = 1; grade <= 5; grade++) await expect(worst.locator(`td[data-line=grade${grade}][data-group="${g.key}"]`)).toHaveText(pct(c.byWorstGrade[grade - 1]!, g.n));
    await expect(worst.locator(`td[data-line=g3][data-group="${g.key}"]`)).toHaveText(pct(g3Row.cells[g.key]?.subjects ?? 0, g.n));
    // Independent of the core: the truth's subjects per level by worst grade, and grade ≥ 3.
    const atLevel = truth.subjects.filter((s) => `L${s.level}` === g.key);
    expect(g.n).toBe(atLevel.length);
    for (let grade = 1; grade <= 5; grade++) expect(c.byWorstGrade[grade - 1], `DL ${g.key} worst grade ${grade}`).toBe(atLevel.filter((s) => s.worstGrade === grade).length);
    expect(g3Row.cells[g.key]?.subjects ?? 0).toBe(atLevel.filter((s) => s.grade3plus).length);
  }
  await page.getByTestId('ae-incidence-details').locator('summary').click();
  const inc = page.getByTestId('ae-incidence');
  await expect(inc.getByTestId('incidence-row')).toHaveCount(any.rows.length);
  const g3ByKey = new Map(g3.rows.map((r) => [`${r.soc ?? ''}|${r.pt ?? ''}`, r]));
  for (const r of any.rows) {
    const key = `${r.soc ?? ''}|${r.pt ?? ''}`;
    const row = inc.locator(`[data-testid=incidence-row][data-key="${key.replace(/"/g, '\\"')}"]`);
    for (const g of any.groups) {
      await expect(row.locator(`td[data-group="${g.key}"][data-grade=any]`)).toHaveText(pct(r.cells[g.key]?.subjects ?? 0, g.n));
      await expect(row.locator(`td[data-group="${g.key}"][data-grade="3"]`)).toHaveText(pct(g3ByKey.get(key)?.cells[g.key]?.subjects ?? 0, g.n));
    }
    await expect(row.locator('td[data-group=total][data-grade=any]')).toHaveText(pct(r.total.subjects, any.totalN));
  }

  // Listings: the truth's SAEs and DLTs (loaded when scrolled near).
  await revealSections(page);
  const listings = await app.core.call('safety.listings', { snapshotId: sid });
  expect(listings.saes.length).toBe(truth.subjects.reduce((n, s) => n + s.saeCount, 0));
  expect(listings.dlts.length).toBe(truth.subjects.reduce((n, s) => n + s.dltCount, 0));
  await expect(page.getByTestId('ae-saes').locator('tbody tr')).toHaveCount(listings.saes.length);
  if (listings.dlts.length) await expect(page.getByTestId('ae-dlts').locator('tbody tr')).toHaveCount(listings.dlts.length);
  if (listings.discontinuations.length) await expect(page.getByTestId('ae-discontinuations').locator('tbody tr')).toHaveCount(listings.discontinuations.length);
  else await expect(page.getByTestId('ae-discontinuations-empty')).toBeVisible();
  // The SAE listing's CSV: the header, one line per SAE; the title and footnote in the sidecar.
  const sae = await exportTable(page, () => page.getByTestId('ae-saes-export-csv').click());
  expect(sae.lines[0]).toMatch(/^Subject,/);
  expect(sae.lines).toHaveLength(1 + listings.saes.length);
  expect(sae.sidecar.title).toBe('Serious adverse events');
  expect(sae.sidecar.footnote).toContain(`snapshot ${hash}`);
  // Issue 15: lab results of grade >= 3 in the DLT window, under the possible-DLT listing: the DLT table's rows; CSV of header and rows.
  const dltT = await app.core.call('safety.dltTable', { snapshotId: sid });
  const labRows = dltT.levels.flatMap((l) => l.subjects.flatMap((s) => s.possibleDltLabs.map((x) => [s.usubjid, x.testcd, x.grade, x.lbdtc])));
  expect(labRows.length, 'the demo has lab results of grade >= 3 in a DLT window').toBeGreaterThan(0);
  expect(listings.possibleDltLabs.map((x) => [x.usubjid, x.testcd, x.grade, x.lbdtc])).toEqual(labRows);
  await expect(page.getByTestId('ae-possible-dlt-labs').locator('tbody tr')).toHaveCount(labRows.length);
  const labCsv = await exportTable(page, () => page.getByTestId('ae-possible-dlt-labs-export-csv').click());
  expect(labCsv.lines[0]).toBe('Subject,Dose level,Study day,Date,Test (LBTESTCD),CTCAE term,Result,Unit,Grade,Grade source');
  expect(labCsv.lines).toHaveLength(1 + labRows.length);
  expect(labCsv.sidecar.title).toBe('Laboratory results of grade ≥ 3 in the DLT window');

  // The pointer (left on the last CSV button) away from the grid, so that scrolling up does not leave
  // it over a cell whose tooltip, fading in, would be what the screenshot and axe read.
  await page.mouse.move(1, 1);
  await page.evaluate(() => window.scrollTo(0, 0));
  await expect(page.locator('.ag-tooltip')).toHaveCount(0);
  await screenshot(page, 'aes-normal');
  await page.getByTestId('ae-worst-grade').screenshot({ path: path.join(SCREENSHOT_DIR, 'aes-worst-grade.png') });
  expect(await seriousViolations(page), 'axe: AEs view').toEqual([]);

  await page.keyboard.press('p');
  await expect(page.locator('.app.presentation')).toBeVisible();
  await page.waitForTimeout(400);
  await screenshot(page, 'aes-presentation');
  expect(await seriousViolations(page), 'axe: AEs view in presentation mode').toEqual([]);
  await page.getByTestId('presentation-exit').click();

  // A click on a row opens that subject's profile.
  const firstCell = grid.locator('.ag-row[row-index="0"] [col-id="usubjid"]').first();
  const subject = (await firstCell.innerText()).trim();
  expect(listing.rows.map((r) => r.usubjid)).toContain(subject);
  await firstCell.click();
  await expect
    .poll(() => page.evaluate(() => JSON.parse(localStorage.getItem('dosedesk.selection.v1') ?? '{}') as { view?: string; subject?: string }))
    .toMatchObject({ view: 'profile', subject });
});

const PILOT = referencePath('sdtm-xpt/cdiscpilot01', 'aes.spec.ts (the CDISC pilot export)');
test.describe('a real export without study.json (CDISC pilot 01: DM, AE, EX, DS, TS only)', () => {
  test.use({ seedDemo: false });
  test.skip(!PILOT, 'needs ../shared/reference/sdtm-xpt/cdiscpilot01 (reference data, not in this repository)');
  test('AEs, spider and efficacy say what they can show and what is missing', async ({ page, app }) => {
    test.setTimeout(600_000);
    // Read in place from the shared reference data (not copied into the project).
    const dir = PILOT!;
    const imported = await app.core.call('snapshot.import', { path: dir });
    expect(imported.status).toBe('imported');
    const listing = await app.core.call('safety.aeListing', { snapshotId: imported.snapshotId! });
    const any = await app.core.call('safety.incidence', { snapshotId: imported.snapshotId!, by: 'level', minGrade: 1 });

    await page.goto(app.url);
    await openView(page, 'AEs');
    const grid = page.getByTestId('aes');
    await expect.poll(() => gridRows(grid)).toBe(listing.rows.length);
    // Without a study definition the doses are not in a plan: the incidence still has its columns and denominators.
    const worst = page.getByTestId('ae-worst-grade');
    for (const g of any.groups) await expect(worst.locator(`thead th[data-group="${g.key}"]`)).toContainText(`N = ${g.n}`);
    await screenshot(page, 'aes-cdiscpilot01');

    await openView(page, 'Spider');
    await expect(page.getByRole('heading', { name: 'This snapshot has no tumour measurements' })).toBeVisible();
    await openView(page, 'Waterfall');
    await expect(page.getByRole('heading', { name: 'This snapshot has no tumour measurements' })).toBeVisible();
    await openView(page, 'Efficacy');
    await expect(page.getByRole('heading', { name: 'No tumour assessments in this snapshot' })).toBeVisible();
    await expect(page.getByTestId('km-os').locator('.plot-area')).toHaveAttribute('data-drawn', 'true');
    await screenshot(page, 'efficacy-cdiscpilot01');
  });
});

// The sponsor-convention snapshot (test/helpers/safetyConventions.ts; worked by hand in
// test/unit/safety-conventions.test.ts): an AE without a grade says "not collected" with its AESEV
// beside it, a fatal AE coded AESER N carries the data query, and the grade >= 3 line says how many
// AEs it could not count.
test.describe('sponsor conventions: grades not collected, fatal AE not serious, placebo', () => {
  test.use({ seedDemo: false });
  test('AE grid and worst-grade table', async ({ page, app }) => {
    test.setTimeout(240_000);
    const r = await app.core.call('snapshot.import', { path: writeFixture(path.join(app.tmp, 'conv'), domains(), 'csv', { study: STUDY }) });
    expect(r.status).toBe('imported');
    await page.goto(app.url);
    await openView(page, 'AEs');
    const grid = page.getByTestId('aes');
    await expect.poll(() => gridRows(grid)).toBe(9);
    const pneumonia = grid.locator('.ag-row', { hasText: 'PNEUMONIA' }).first();
    await expect(pneumonia.locator('[col-id="grade"]')).toHaveText('not collected');
    await expect(pneumonia.locator('[col-id="severity"]')).toHaveText('SEVERE');
    await expect(pneumonia.locator('[col-id="query"]')).toHaveText('fatal outcome but AESER not Y');
    await expect(grid.locator('.ag-row', { hasText: 'HEADACHE' }).locator('[col-id="level"]').filter({ hasText: 'Placebo' })).toHaveCount(1);
    // Grade >= 3: level 1 has 1 subject (1002) and 2 AEs without a grade; level 2: 2 subjects, 2 ungraded.
    const worst = page.getByTestId('ae-worst-grade');
    await expect(worst.locator('td[data-line=g3][data-group=L1]')).toContainText('1 (25.0)');
    await expect(worst.locator('td[data-line=g3][data-group=L1]')).toContainText('grade not collected for 2 AEs');
    await expect(worst.locator('td[data-line=g3][data-group=L2] [data-testid=g3-not-collected]')).toHaveText('grade not collected for 2 AEs');
    await expect(worst.locator('thead th[data-group=placebo]')).toContainText('Placebo');
    // The possible-DLT screen's blind spot, listed: 1001's related headache in the window has no grade.
    await revealSections(page);
    await expect(page.getByTestId('ae-not-screened')).toContainText('01-701-1001');
    await expect(page.getByTestId('ae-not-screened')).toContainText('HEADACHE');
    await screenshot(page, 'aes-sponsor-conventions');
  });
});
