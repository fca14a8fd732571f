import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { StudyTruth } from '../../electron/core/demo/truth';
import { dm, ex, isDomain, study } from '../helpers/adaAdmiral';
import { writeFixture } from '../helpers/conventions';
import { DEMO_DIR, expect, screenshot, seriousViolations, test } from './fixtures';

// The immunogenicity view on the demo study (newest shipped cut, cut 2). What a person checks: the
// treatment-emergent ADA incidence by dose level shows safety.ada's numbers (n/N and %), in the
// table and on the bars; each subject's ADA status is the generator's truth
// (resources/demo/cut2.truth.json, statuses per Shankar et al. 2014 with a 4-fold boost; the truth
// has no "no post-baseline sample" category: such a subject is "negative" there, or
// "baseline-positive" when positive at baseline); the titre plot draws the ADA-positive subjects;
// the definitions cite Shankar et al. 2014.

const truthOf = (cut: 'cut1' | 'cut2') => JSON.parse(fs.readFileSync(path.join(DEMO_DIR, `${cut}.truth.json`), 'utf8')) as StudyTruth;

type GraphDiv = HTMLElement & { data: { type?: string; x: unknown[]; y: unknown[]; text?: string[]; customdata?: (unknown[] | null)[] }[] };

async function gridRows(page: Page, testId: string): Promise<Record<string, string>[]> {
  return page.getByTestId(testId).evaluate((root) => {
    const byIndex = new Map<string, Record<string, string>>();
    for (const r of root.querySelectorAll('.ag-row[row-index]')) {
      const i = r.getAttribute('row-index')!;
      const rec = byIndex.get(i) ?? {};
      for (const c of r.querySelectorAll('.ag-cell[col-id]')) rec[c.getAttribute('col-id')!] = (c.textContent ?? '').trim();
      byIndex.set(i, rec);
    }
    return [...byIndex.entries()].sort((a, b) => Number(a[0]) - Number(b[0])).map(([, v]) => v);
  });
}

/** The truth object's four statuses from the view's status column. */
function truthStatus(category: string, baseline: string): string {
  if (category === 'Treatment-induced') return 'treatment-induced';
  if (category === 'Treatment-boosted') return 'treatment-boosted';
  if (category.startsWith('Baseline positive')) return 'baseline-positive';
  if (category === 'No post-baseline sample') return baseline.startsWith('positive') ? 'baseline-positive' : 'negative';
  return 'negative';
}

test('immunogenicity: incidence equals safety.ada, statuses equal the demo truth, titres of ADA-positive subjects, definitions', async ({ page, app }) => {
  test.setTimeout(600_000);
  const truth = truthOf('cut2');
  const [newest] = await app.core.call('snapshots.list', {});
  const ada = await app.core.call('safety.ada', { snapshotId: newest!.snapshotId });
  expect(ada.present).toBe(true);

  await page.goto(app.url);
  await page.locator('nav[aria-label="Views"]').getByRole('button', { name: 'Immunogenicity', exact: true }).click();
  const inc = page.getByTestId('ada-incidence');
  await expect(inc.locator('tbody tr')).toHaveCount(ada.incidence.length);

  // Incidence table: one row per dose level plus the total, numbers as safety.ada counts them.
  const head = await inc.locator('thead th').allInnerTexts();
  expect(head).toEqual(['Dose level', 'Sampled', 'Evaluable (N)', 'Treatment-emergent n/N (%)', 'Treatment-induced', 'Treatment-boosted', 'Baseline positive', 'Persistent', 'Transient', 'NAb positive']);
  const incRows = await inc.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => (c as HTMLElement).innerText.trim())));
  expect(incRows).toHaveLength(ada.incidence.length);
  ada.incidence.forEach((r, i) => {
    const [, sampled, evaluable, te, ...counts] = incRows[i]!;
    const pct = r.treatmentEmergentPercent === null ? '' : ` (${r.treatmentEmergentPercent.toFixed(1)}%)`;
    expect(te, `${r.label}: treatment-emergent n/N (%)`).toBe(`${r.treatmentEmergent}/${r.evaluable}${pct}`);
    expect([sampled, evaluable, ...counts].map(Number)).toEqual([r.sampled, r.evaluable, r.treatmentInduced, r.treatmentBoosted, r.baselinePositive, r.persistent, r.transient, r.nabPositive]);
  });
  // The total agrees with the truth: treatment-emergent = induced + boosted (Shankar et al. 2014).
  const total = ada.incidence.find((r) => r.key === 'total')!;
  expect(total.treatmentEmergent).toBe(truth.subjects.filter((s) => s.adaStatus === 'treatment-induced' || s.adaStatus === 'treatment-boosted').length);
  await expect(page.getByTestId('ada-total')).toContainText(`${total.treatmentEmergent}/${total.evaluable}`);

  // Bars: one per dose level, the % of evaluable subjects with n/N on the bar.
  const bars = await page.getByTestId('ada-incidence-plot').locator('.js-plotly-plot').evaluate((gd: GraphDiv) => ({ y: gd.data[0]!.y, text: gd.data[0]!.text }));
  const levels = ada.incidence.filter((r) => r.key !== 'total');
  expect(bars.y).toEqual(levels.map((r) => r.treatmentEmergentPercent ?? 0));
  expect(bars.text).toEqual(levels.map((r) => `${r.treatmentEmergent}/${r.evaluable}`));

  // Status per subject: every subject with ADA samples, its status as the generator's truth says.
  const status = page.getByTestId('ada-status');
  await expect(status.locator('.ag-row[row-index]')).toHaveCount(ada.subjects.length);
  const statusRows = await gridRows(page, 'ada-status');
  const shown = new Map(statusRows.map((r) => [r.usubjid!, truthStatus(r.category!, r.baseline!)]));
  const sampled = truth.subjects.filter((s) => ada.subjects.some((a) => a.usubjid === s.usubjid));
  expect(sampled.length).toBe(ada.subjects.length);
  expect(sampled.map((s) => [s.usubjid, shown.get(s.usubjid)])).toEqual(sampled.map((s) => [s.usubjid, s.adaStatus]));
  for (const r of statusRows) {
    const a = ada.subjects.find((s) => s.usubjid === r.usubjid)!;
    expect(r.treatmentEmergent, r.usubjid).toBe(a.evaluable ? (a.treatmentEmergent ? 'Yes' : 'No') : 'not evaluable');
  }

  // Titres: the subjects with a positive sample, each on the plot.
  const positive = ada.subjects.filter((s) => s.samples.some((x) => x.result === 'POSITIVE')).map((s) => s.usubjid).sort();
  expect(positive.length).toBeGreaterThan(0);
  const titrePlot = page.getByTestId('ada-titres');
  await expect(titrePlot.locator('.plot-area')).toHaveAttribute('data-drawn', 'true');
  const plotted = await titrePlot.locator('.js-plotly-plot').evaluate((gd: GraphDiv) => [...new Set(gd.data.flatMap((t) => (t.customdata ?? []).filter((c): c is unknown[] => !!c).map((c) => String(c[0]))))].sort());
  expect(plotted).toEqual(positive);
  await expect(titrePlot.locator('.ytitle')).toContainText('log scale');

  // Definitions with the source.
  await expect(page.getByTestId('ada-definitions')).toContainText('Shankar');
  await expect(page.getByTestId('ada-definitions')).toContainText('2014');

  await screenshot(page, 'immunogenicity-normal');
  expect(await seriousViolations(page), 'axe: immunogenicity view').toEqual([]);

  await page.keyboard.press('p');
  await expect(page.locator('.app.presentation')).toBeVisible();
  await expect(titrePlot.locator('.plot-area')).toHaveAttribute('data-drawn', 'true');
  await page.waitForTimeout(400);
  await screenshot(page, 'immunogenicity-presentation');
  expect(await seriousViolations(page, '.view-header, [data-testid=ada-incidence-plot], [data-testid=ada-titres], [data-testid=ada-definitions]'), 'axe: immunogenicity view in presentation mode').toEqual([]);
});

test.describe('an admiral-style IS (ADA_BAB / ADA_NAB, log10 titres, "<1.40")', () => {
  test.use({ seedDemo: false });
  test('binding and neutralising status, the titre scale and what was not used', async ({ page, app }) => {
    test.setTimeout(600_000);
    // The hand-built fixture of test/unit/ada-conventions.test.ts (statuses worked by hand there).
    const dir = writeFixture(path.join(app.tmp, 'admiral-is'), [dm, ex, isDomain({ units: true })], 'csv', { study: study() });
    const imported = await app.core.call('snapshot.import', { path: dir });
    expect(imported.status).toBe('imported');
    await page.goto(app.url);
    await page.locator('nav[aria-label="Views"]').getByRole('button', { name: 'Immunogenicity', exact: true }).click();
    await expect(page.getByTestId('ada-total')).toContainText('3/6');
    await expect(page.getByTestId('ada-scale')).toContainText('log10');
    await expect(page.getByTestId('ada-warnings')).toContainText('ADA_IGE (1)');
    await expect(page.getByTestId('ada-warnings')).toContainText('"QNS"');
    const rows = await gridRows(page, 'ada-status');
    const by = new Map(rows.map((r) => [r.usubjid, r]));
    expect(by.get('01-701-1002')).toMatchObject({ category: 'Treatment-boosted', nab: 'Negative' });
    expect(by.get('01-701-1001')).toMatchObject({ category: 'Treatment-induced', nab: 'Positive' });
    expect(by.get('01-701-1004')!.baseline).toBe('positive (titre <1.4 log10)');
    await expect(page.getByTestId('ada-titres').locator('.plot-area')).toHaveAttribute('data-drawn', 'true');
    await screenshot(page, 'immunogenicity-admiral-is');
  });
});
