import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { cutSnapshot, generateStudy } from '../../electron/core/demo/generate';
import { clopperPearson } from '../../shared/binomial';
import { DEMO_DIR, expect, SCREENSHOT_DIR, screenshot, seriousViolations, test } from './fixtures';

// Efficacy view on the demo study (newest shipped cut). What a person checks:
// - ORR and DCR per dose level, per part and overall: n/N as shown, and the 95 % CI equal to the
//   exact Clopper–Pearson interval on those counts (shared/binomial.ts; Clopper & Pearson 1934, as
//   R binom.test); the overall counts against the generator's truth (confirmed BOR, truth.ts);
// - the Kaplan–Meier plots with the numbers at risk UNDER the time axis, each number under its
//   tick, equal to the subjects whose time is ≥ the tick (the at-risk definition of the KM table);
// - medians, the log-rank test when grouped, the censoring rules in the help box.

type Ann = { name?: string; text?: string; x?: number };
type GraphDiv = HTMLElement & { layout: { annotations?: Ann[] }; data: { name?: string; x?: number[] }[] };

function cut2Truth() {
  const def = JSON.parse(fs.readFileSync(path.join(DEMO_DIR, 'cut2', 'study.json'), 'utf8')) as { dataCutoff: string };
  return cutSnapshot(generateStudy(), def.dataCutoff).truth;
}

async function openView(page: Page, name: string): Promise<void> {
  await page.locator('nav[aria-label="Views"]').getByRole('button', { name, exact: true }).click();
}

/** "23.5% (6.8–49.9)": the estimate and the exact CI, one decimal, as a reader of the table sees it. */
function ciText(x: number, n: number): string {
  const ci = clopperPearson(x, n, 0.95);
  const p = (v: number) => (Math.round(v * 1000) / 10).toFixed(1);
  return `${p(ci.estimate)}% (${p(ci.lower)}–${p(ci.upper)})`;
}

/** Checks that every at-risk number of the KM plot sits under the x axis, centred on its tick, and equals the subjects with time ≥ tick. */
async function expectAtRiskTable(page: Page, testId: string, times: Map<string, number[]>, groupLabels: string[]): Promise<void> {
  const plot = page.getByTestId(testId);
  await expect(plot.locator('.plot-area')).toHaveAttribute('data-drawn', 'true');
  const gd = plot.locator('.js-plotly-plot');
  const annotations = await gd.evaluate((g: GraphDiv) => (g.layout.annotations ?? []).map((a, index) => ({ index, name: a.name ?? '', text: a.text ?? '', x: a.x ?? 0 })));
  const cells = annotations.filter((a) => a.name.startsWith('atrisk:'));
  expect(cells.length).toBeGreaterThan(0);
  const axisBottom = await gd.evaluate((g) => Math.max(...[...g.querySelectorAll('.xtick text')].map((t) => t.getBoundingClientRect().bottom)));
  const ticks = new Map(
    await gd.evaluate((g) => [...g.querySelectorAll('.xtick text')].map((t) => [t.textContent ?? '', (t.getBoundingClientRect().left + t.getBoundingClientRect().right) / 2] as [string, number])),
  );
  for (const c of cells) {
    const [, gi, t] = c.name.split(':');
    const label = groupLabels[Number(gi)]!;
    const expected = times.get(label)!.filter((v) => v >= Number(t)).length;
    expect(c.text, `${testId}: at risk in ${label} at ${t} months`).toBe(String(expected));
    const box = (await gd.locator(`g.annotation[data-index="${c.index}"]`).boundingBox())!;
    expect(box.y, `${testId}: at-risk number at ${t} is under the axis`).toBeGreaterThanOrEqual(axisBottom - 1);
    const tickX = ticks.get(String(t));
    expect(tickX, `a tick labelled ${t}`).toBeDefined();
    expect(Math.abs(box.x + box.width / 2 - tickX!), `${testId}: at-risk number at ${t} is centred on its tick`).toBeLessThan(3);
  }
  // The accessible copy of the table (screen readers) has the same numbers.
  await expect(page.getByTestId(`${testId}-at-risk`).locator('tbody tr')).toHaveCount(groupLabels.length);
}

test('efficacy: ORR/DCR with exact CIs on the counts shown, best-response grid, KM with numbers at risk under the axis, censoring rules', async ({ page, app }) => {
  test.setTimeout(240_000);
  const [newest] = await app.core.call('snapshots.list', {});
  const sid = newest!.snapshotId;
  const byLevel = await app.core.call('efficacy.responseSummary', { snapshotId: sid, confirm: true, by: 'level' });
  const byPart = await app.core.call('efficacy.responseSummary', { snapshotId: sid, confirm: true, by: 'part' });
  const truth = cut2Truth();
  // The overall counts against the generator's truth (confirmed BOR).
  const truthBor = truth.subjects.map((s) => s.bor).filter((b): b is NonNullable<typeof b> => b !== null);
  expect(byLevel.overall.nEvaluable).toBe(truthBor.length);
  expect(byLevel.overall.orr.count).toBe(truthBor.filter((b) => b === 'CR' || b === 'PR').length);
  expect(byLevel.overall.dcr.count).toBe(truthBor.filter((b) => b === 'CR' || b === 'PR' || b === 'SD').length);

  await page.goto(app.url);
  await openView(page, 'Efficacy');
  const expected = [
    ...byLevel.groups.map((g) => ({ key: `Dose level:${g.key}`, g })),
    ...byPart.groups.map((g) => ({ key: `Part:${g.key}`, g })),
    { key: 'All:all', g: byLevel.overall },
  ];
  const rows = page.getByTestId('rate-row');
  await expect(rows).toHaveCount(expected.length);
  // The analysis set (issue 10): subjects with a baseline tumour assessment, with the counts left out.
  const set = byLevel.analysisSet;
  await expect(page.getByTestId('response-analysis-set')).toContainText(`${set.nIncluded} of ${set.nTreated} treated`);
  if (byLevel.overall.nNoPostBaseline > 0) await expect(page.getByTestId('response-analysis-set')).toContainText(`${byLevel.overall.nNoPostBaseline} not yet assessed`);
  const pfsSet = (await app.core.call('efficacy.km', { snapshotId: sid, endpoint: 'PFS', at: [] })).analysisSet;
  await expect(page.getByTestId('km-pfs-analysis-set')).toContainText(`${pfsSet.nIncluded} of ${pfsSet.nTreated} treated`);
  for (const { key, g } of expected) {
    const row = page.locator(`[data-testid=rate-row][data-key="${key}"]`);
    const n = Number(await row.locator('[data-col=n]').innerText());
    expect(n).toBe(g.nEvaluable);
    // The numbers shown: n/N, and the CI computed here from them.
    const orrX = Number(await row.locator('[data-col=orr]').getAttribute('data-count'));
    const dcrX = Number(await row.locator('[data-col=dcr]').getAttribute('data-count'));
    expect(orrX).toBe(g.counts.CR + g.counts.PR);
    expect(dcrX).toBe(g.counts.CR + g.counts.PR + g.counts.SD + g.counts['NON-CR/NON-PD']);
    if (n > 0) {
      await expect(row.locator('[data-col=orr]')).toHaveText(`${orrX}/${n} ${ciText(orrX, n)}`);
      await expect(row.locator('[data-col=dcr]')).toHaveText(`${dcrX}/${n} ${ciText(dcrX, n)}`);
    } else {
      await expect(row.locator('[data-col=orr]')).toHaveText('0/0 —');
    }
  }
  // Forest plot: one ORR and one DCR point per group with evaluable subjects.
  const forest = page.getByTestId('efficacy-forest');
  await expect(forest.locator('.plot-area')).toHaveAttribute('data-drawn', 'true');
  const forestX = await forest.locator('.js-plotly-plot').evaluate((g: GraphDiv) => g.data.map((t) => t.x?.length ?? 0));
  expect(forestX).toEqual([expected.filter((e) => e.g.nEvaluable > 0).length, expected.filter((e) => e.g.nEvaluable > 0).length]);

  // The best-response grid lists every treated subject.
  // (AG Grid's aria-rowcount: the displayed rows plus the header and floating-filter rows.)
  await expect(page.getByTestId('efficacy-bor').locator('[aria-rowcount]').first()).toHaveAttribute('aria-rowcount', String(truth.subjects.length + 2));

  // KM, all subjects: the numbers at risk under each plot.
  for (const endpoint of ['PFS', 'OS'] as const) {
    const km = await app.core.call('efficacy.km', { snapshotId: sid, endpoint, by: 'none', unit: 'months' });
    const times = new Map<string, number[]>(km.groups.map((g) => [g.label, km.subjects.filter((s) => s.group === g.label).map((s) => s.months)]));
    await expectAtRiskTable(page, `km-${endpoint.toLowerCase()}`, times, km.groups.map((g) => g.label));
    const medians = page.getByTestId(`km-${endpoint.toLowerCase()}-medians`).getByTestId('km-median-row');
    await expect(medians).toHaveCount(1);
    const m = km.groups[0]!.median;
    await expect(medians.first()).toContainText(m.estimate === null ? 'NR' : m.estimate.toFixed(1));
  }
  await expect(page.getByTestId('censoring-rules')).toContainText('How PFS and OS are derived');
  await page.getByTestId('censoring-rules').locator('summary').click();
  await expect(page.getByTestId('censoring-rules')).toContainText('Censored');
  await screenshot(page, 'efficacy-normal');
  expect(await seriousViolations(page), 'axe: efficacy view').toEqual([]);

  // By dose level: one curve and one at-risk row per level, the log-rank test under the medians.
  await page.getByTestId('km-by').getByRole('button', { name: 'By dose level' }).click();
  const pfsLevel = await app.core.call('efficacy.km', { snapshotId: sid, endpoint: 'PFS', by: 'level', unit: 'months' });
  await expect(page.getByTestId('km-pfs-medians').getByTestId('km-median-row')).toHaveCount(pfsLevel.groups.length);
  const times = new Map<string, number[]>(pfsLevel.groups.map((g) => [g.label, pfsLevel.subjects.filter((s) => s.group === g.label).map((s) => s.months)]));
  await expectAtRiskTable(page, 'km-pfs', times, pfsLevel.groups.map((g) => g.label));
  const p = pfsLevel.logRank!.pValue!;
  await expect(page.getByTestId('km-pfs-logrank')).toContainText(`p = ${p < 0.001 ? '< 0.001' : p.toFixed(3)}`);
  await screenshot(page, 'efficacy-km-by-level');
  await page.getByTestId('km-pfs-panel').screenshot({ path: path.join(SCREENSHOT_DIR, 'efficacy-km-pfs-by-level.png') });
  await page.getByTestId('rates-table').screenshot({ path: path.join(SCREENSHOT_DIR, 'efficacy-rates-table.png') });

  await page.keyboard.press('p');
  await expect(page.locator('.app.presentation')).toBeVisible();
  await page.waitForTimeout(400);
  await screenshot(page, 'efficacy-presentation');
  await page.getByTestId('km-pfs-panel').screenshot({ path: path.join(SCREENSHOT_DIR, 'efficacy-km-pfs-presentation.png') });
  expect(await seriousViolations(page), 'axe: efficacy view in presentation mode').toEqual([]);
  await page.getByTestId('presentation-exit').click();
});
