import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { cutSnapshot, generateStudy } from '../../electron/core/demo/generate';
import { DEMO_DIR, expect, screenshot, seriousViolations, test } from './fixtures';

// Waterfall plot on the demo study (newest shipped cut). What a person checks: one bar per subject
// with a post-baseline sum, sorted from the largest increase to the largest decrease; the label on
// each bar is the subject's confirmed best overall response — the generator's truth
// (electron/core/demo/truth.ts, RECIST 1.1 confirmed BOR, recist_rules.md §4–5); the +20 % / −30 %
// lines; subjects without a post-baseline assessment listed under the plot, not drawn.

type GraphDiv = HTMLElement & {
  data: { type?: string; name?: string; x?: string[]; y?: number[]; text?: string[] }[];
  _fullLayout: { shapes: { y0: number }[]; xaxis: { categoryarray: string[] } };
};

function cut2Truth() {
  const def = JSON.parse(fs.readFileSync(path.join(DEMO_DIR, 'cut2', 'study.json'), 'utf8')) as { dataCutoff: string };
  return cutSnapshot(generateStudy(), def.dataCutoff).truth;
}

async function openView(page: Page, name: string): Promise<void> {
  await page.locator('nav[aria-label="Views"]').getByRole('button', { name, exact: true }).click();
}

/** The bar label of a BOR (NON-CR/NON-PD is abbreviated NN on the bars). */
const label = (bor: string) => (bor === 'NON-CR/NON-PD' ? 'NN' : bor);

test('waterfall: one bar per subject with a post-baseline sum, sorted descending, BOR labels from the truth, reference lines', async ({ page, app }) => {
  test.setTimeout(180_000);
  const [newest] = await app.core.call('snapshots.list', {});
  const series = await app.core.call('efficacy.tumourSeries', { snapshotId: newest!.snapshotId });
  const truth = cut2Truth();
  const withBar = series.subjects.filter((s) => s.bestPctChange !== null);
  expect(withBar.length).toBeGreaterThan(5);
  // Each bar: best % change = the smallest post-baseline % change of the sum (the waterfall value).
  for (const s of withBar) expect(s.bestPctChange).toBeCloseTo(Math.min(...s.points.filter((p) => !p.baseline && p.pctFromBaseline !== null).map((p) => p.pctFromBaseline!)), 9);

  await page.goto(app.url);
  await openView(page, 'Waterfall');
  const plot = page.getByTestId('waterfall');
  await expect(plot.locator('.plot-area')).toHaveAttribute('data-drawn', 'true');
  await expect(page.getByTestId('waterfall-summary')).toHaveAttribute('data-bars', String(withBar.length));

  const fig = await plot.locator('.js-plotly-plot').evaluate((gd: GraphDiv) => ({
    order: gd._fullLayout.xaxis.categoryarray,
    bars: gd.data.filter((t) => t.type === 'bar').flatMap((t) => (t.x ?? []).map((u, i) => ({ u, y: t.y![i]!, text: t.text?.[i] }))),
    refs: gd._fullLayout.shapes.map((s) => s.y0),
  }));
  // Bars: the subjects with a post-baseline sum, each once.
  expect(fig.bars.map((b) => b.u).sort()).toEqual(withBar.map((s) => s.usubjid).sort());
  expect(fig.order).toHaveLength(withBar.length);
  // Ordering: the axis order is by best % change, largest first.
  const yOf = new Map(fig.bars.map((b) => [b.u, b.y]));
  const ys = fig.order.map((u) => yOf.get(u)!);
  for (let i = 1; i < ys.length; i++) expect(ys[i]!, `bar ${i + 1} is not above bar ${i}`).toBeLessThanOrEqual(ys[i - 1]!);
  for (const s of withBar) expect(yOf.get(s.usubjid)).toBeCloseTo(s.bestPctChange!, 1);
  // BOR labels: the confirmed BOR of the generator's truth.
  for (const b of fig.bars) {
    const t = truth.subjects.find((s) => s.usubjid === b.u)!;
    expect(b.text, `BOR label of ${b.u}`).toBe(label(t.bor!));
  }
  await expect(plot.locator('text.bartext')).toHaveCount(withBar.length);
  // Reference lines.
  expect(fig.refs.sort((a, b) => a - b)).toEqual([-30, 20]);
  await expect(plot.locator('.annotation-text', { hasText: '+20%' })).toBeVisible();
  await expect(plot.locator('.annotation-text', { hasText: '−30%' })).toBeVisible();
  // Not drawn: subjects without a post-baseline assessment (truth: no BOR).
  const notDrawn = truth.subjects.filter((s) => s.bor === null).map((s) => s.usubjid).sort();
  const listed = await page.getByTestId('waterfall-not-drawn').locator('li').allInnerTexts();
  expect(listed.map((s) => s.trim()).sort()).toEqual(notDrawn);

  await screenshot(page, 'waterfall-normal');
  expect(await seriousViolations(page), 'axe: waterfall view').toEqual([]);

  // Colour by best response: one trace per BOR category, named by it.
  await page.getByTestId('waterfall-colour').getByRole('button', { name: 'Best response' }).click();
  await expect
    .poll(() => plot.locator('.js-plotly-plot').evaluate((gd: GraphDiv) => gd.data.map((t) => t.name).sort()))
    .toEqual([...new Set(withBar.map((s) => s.bor.confirmed.response))].sort());
  await screenshot(page, 'waterfall-by-bor');

  await page.keyboard.press('p');
  await expect(page.locator('.app.presentation')).toBeVisible();
  await page.waitForTimeout(300);
  await screenshot(page, 'waterfall-presentation');
  expect(await seriousViolations(page), 'axe: waterfall view in presentation mode').toEqual([]);
  await page.getByTestId('presentation-exit').click();

  // The CSV-free export of the plot: an SVG carrying the title and the footnote.
  const [svg] = await Promise.all([page.waitForEvent('download'), page.getByTestId('waterfall-export-svg').click()]);
  expect(svg.suggestedFilename()).toBe(`waterfall-${newest!.contentHash.slice(0, 12)}.svg`);
  const svgText = fs.readFileSync((await svg.path())!, 'utf8');
  expect(svgText).toContain('Best change in sum of target-lesion diameters from baseline');
  expect(svgText).toContain(`snapshot ${newest!.contentHash.slice(0, 12)}`);
});
