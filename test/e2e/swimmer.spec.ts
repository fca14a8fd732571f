import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { StudyTruth } from '../../electron/core/demo/truth';
import { DEMO_DIR, expect, screenshot, seriousViolations, test } from './fixtures';

// The swimmer plot on the shipped demo cuts. Expected counts come from the generator's truth object
// (resources/demo/cutN.truth.json, derived from the subject plans, not from the written files) and,
// for the markers, from the contract methods the plot draws (efficacy.responses, safety.aeListing).

const truthOf = (cut: 'cut1' | 'cut2') => JSON.parse(fs.readFileSync(path.join(DEMO_DIR, `${cut}.truth.json`), 'utf8')) as StudyTruth;

interface TraceInfo {
  name: string;
  type: string;
  n: number;
}
async function traces(page: Page): Promise<TraceInfo[]> {
  return page.evaluate(() => {
    const gd = document.querySelector('[data-testid=swimmer] .js-plotly-plot') as unknown as { data: { name: string; type: string; x: unknown[] }[] };
    return gd.data.map((t) => ({ name: t.name, type: t.type, n: t.x.length }));
  });
}
const lanes = (page: Page) => page.getByTestId('swimmer-lanes').locator('tbody tr');

async function openSwimmer(page: Page, url: string) {
  await page.goto(url);
  await page.getByRole('button', { name: 'Swimmer', exact: true }).click();
  await expect(page.locator('[data-testid=swimmer] .js-plotly-plot')).toHaveAttribute('data-drawn', 'true');
}

test('swimmer: one lane per treated subject, markers from the contract, click opens the profile, Back returns', async ({ page, app }) => {
  test.setTimeout(240_000);
  const truth = truthOf('cut2');
  await openSwimmer(page, app.url);
  await expect(lanes(page)).toHaveCount(truth.subjects.length);
  await expect(page.getByTestId('swimmer-count')).toHaveText(`${truth.subjects.length} of ${truth.subjects.length} treated subjects`);

  // Default order: dose level, then duration (longest first).
  const order = await lanes(page).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-usubjid')!));
  const levelOf = new Map(truth.subjects.map((s) => [s.usubjid, s.level]));
  const levels = order.map((u) => levelOf.get(u)!);
  expect(levels).toEqual([...levels].sort((a, b) => a - b));

  const [snap] = await app.core.call('snapshots.list', {});
  const t = await traces(page);
  const named = (n: string) => t.filter((x) => x.name === n).reduce((s, x) => s + x.n, 0);
  // Lane segments: one bar per constant-dose stretch; dose changes in the plan make extra segments.
  const segments = t.filter((x) => x.type === 'bar' && /^DL\d/.test(x.name)).reduce((s, x) => s + x.n, 0);
  const expectedSegments = truth.subjects.reduce((n, s) => n + s.dosesMgPerKg.filter((d, i) => i === 0 || d !== s.dosesMgPerKg[i - 1]).length, 0);
  expect(segments, 'exposure segments = runs of equal planned doses (truth)').toBe(expectedSegments);
  expect(named('DLT'), 'DLT markers = DLT-flagged AEs (truth dltCount)').toBe(truth.subjects.reduce((n, s) => n + s.dltCount, 0));
  expect(named('Ongoing at cut-off'), 'ongoing arrows (truth)').toBe(truth.subjects.filter((s) => s.ongoing).length);
  expect(named('Death'), 'death markers (truth)').toBe(truth.subjects.filter((s) => s.death).length);
  const aes = await app.core.call('safety.aeListing', { snapshotId: snap!.snapshotId });
  expect(named('SAE'), 'SAE markers = serious AEs in safety.aeListing').toBe(aes.rows.filter((a) => a.serious && a.studyDay !== null).length);
  const resp = await app.core.call('efficacy.responses', { snapshotId: snap!.snapshotId });
  const responseMarkers = t.filter((x) => /^(CR|PR|SD|PD|NE) —|^Non-CR/.test(x.name)).reduce((s, x) => s + x.n, 0);
  expect(responseMarkers, 'response markers = efficacy.responses time points').toBe(resp.subjects.reduce((n, s) => n + s.responses.filter((r) => r.response !== 'ND').length, 0));
  expect(t.some((x) => x.name.startsWith('DLT window'))).toBe(true);
  // The legend names every marker drawn.
  const legend = await page.locator('[data-testid=swimmer] .legend .traces text').allTextContents();
  for (const x of t.filter((x) => x.type !== 'bar' || x.name.startsWith('DL')).filter((x) => x.name !== 'End-of-treatment reason')) expect(legend).toContain(x.name);

  await screenshot(page, 'swimmer-normal');
  expect(await seriousViolations(page), 'axe: Swimmer view').toEqual([]);

  // A click on a lane opens that subject's profile; Back returns to the swimmer.
  const bar = page.locator('[data-testid=swimmer] .barlayer .trace').nth(1).locator('.point path').first();
  const box = (await bar.boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await expect(page.getByRole('heading', { level: 1, name: 'Patient profile' })).toBeVisible();
  await expect(page.getByTestId('profile-subject')).toHaveText(/IBB0979-/);
  await page.getByTestId('profile-back').click();
  await expect(page.getByRole('heading', { name: 'Swimmer', exact: true })).toBeVisible();
  await expect(lanes(page)).toHaveCount(truth.subjects.length);
});

test('swimmer: filters change the lanes; presentation mode; PNG and SVG exports carry the title and footnote', async ({ page, app }) => {
  test.setTimeout(240_000);
  const truth = truthOf('cut2');
  await openSwimmer(page, app.url);
  await page.getByTestId('level-chip-6').click();
  await expect(lanes(page)).toHaveCount(truth.subjects.filter((s) => s.level === 6).length);
  await page.getByTestId('part-filter').selectOption('escalation');
  await expect(lanes(page)).toHaveCount(truth.subjects.filter((s) => s.level === 6 && s.part === 'ESCALATION').length);
  await expect(page.locator('[data-testid=swimmer] .plot-footnote')).toContainText('filters: DL6, escalation');
  await page.getByTestId('level-chip-all').click();
  await page.getByTestId('part-filter').selectOption('all');
  await expect(lanes(page)).toHaveCount(truth.subjects.length);

  const [snap] = await app.core.call('snapshots.list', {});
  const hash = snap!.contentHash.slice(0, 12);
  const [svg] = await Promise.all([page.waitForEvent('download'), page.getByTestId('swimmer-export-svg').click()]);
  expect(svg.suggestedFilename()).toBe(`swimmer-${hash}.svg`);
  const svgText = fs.readFileSync((await svg.path())!, 'utf8');
  expect(svgText).toContain('<svg');
  expect(svgText).toContain('Swimmer plot: treatment duration by subject');
  expect(svgText).toContain(`Data cut-off ${snap!.dataCutoff}`);
  expect(svgText).toContain(`snapshot ${hash}`);
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('swimmer-export-png').click()]);
  expect(png.suggestedFilename()).toBe(`swimmer-${hash}.png`);
  const bytes = fs.readFileSync((await png.path())!);
  expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  expect(bytes.length).toBeGreaterThan(10_000);

  await page.keyboard.press('p');
  await expect(page.locator('.app.presentation')).toBeVisible();
  await expect(page.locator('.topbar')).toBeHidden();
  await screenshot(page, 'swimmer-presentation');
  expect(await seriousViolations(page), 'axe: Swimmer in presentation mode').toEqual([]);
  await page.getByTestId('presentation-exit').click();
  await expect(page.locator('.topbar')).toBeVisible();
});

test('new since cut1: the lanes of subjects new in cut2 are marked; "new only" keeps the new and changed', async ({ page, app }) => {
  test.setTimeout(240_000);
  const t1 = truthOf('cut1');
  const t2 = truthOf('cut2');
  const inCut1 = new Set(t1.subjects.map((s) => s.usubjid));
  const newInCut2 = t2.subjects.filter((s) => !inCut1.has(s.usubjid)).map((s) => s.usubjid).sort();
  expect(newInCut2.length).toBeGreaterThan(0);
  await openSwimmer(page, app.url);
  const [s2, s1] = await app.core.call('snapshots.list', {});
  await page.getByTestId('new-since').selectOption(String(s1!.snapshotId));
  await expect(page.getByTestId('new-since-summary')).toContainText(`${newInCut2.length} new`);
  const marked = await lanes(page).evaluateAll((rows) => rows.filter((r) => r.getAttribute('data-new') === 'new').map((r) => r.getAttribute('data-usubjid')!));
  expect(marked.sort()).toEqual(newInCut2);
  const ticks = await page.locator('[data-testid=swimmer] .yaxislayer-above text').allTextContents();
  for (const u of newInCut2) expect(ticks.some((x) => x.startsWith(u) && x.includes('NEW'))).toBe(true);
  const changes = await app.core.call('snapshot.changes', { base: s1!.snapshotId, target: s2!.snapshotId });
  await page.getByTestId('new-only').check();
  await expect(lanes(page)).toHaveCount(t2.subjects.filter((s) => changes.changedSubjects.includes(s.usubjid)).length);
  await screenshot(page, 'swimmer-new-since');
  // The choice survives a reload.
  await page.reload();
  await expect(page.getByTestId('new-only')).toBeChecked();
  await expect(lanes(page)).toHaveCount(t2.subjects.filter((s) => changes.changedSubjects.includes(s.usubjid)).length);
});
