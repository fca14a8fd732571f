import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { cutSnapshot, generateStudy } from '../../electron/core/demo/generate';
import { doseLevelColor } from '../../renderer/src/theme';
import { DEMO_DIR, expect, screenshot, seriousViolations, test } from './fixtures';

// Spider plot on the demo study (newest shipped cut). What a person checks: one line per subject
// with a post-baseline tumour measurement — the subjects the generator gave a best overall response
// (electron/core/demo/truth.ts: BOR needs a post-baseline assessment, recist_rules.md §4), each in
// its dose level's colour; the RECIST 1.1 reference lines at +20 % and −30 % (Eisenhauer 2009
// §4.3.1) drawn and labelled; a click on a line opens the subject's profile.

type GraphDiv = HTMLElement & {
  data: { mode?: string; name?: string; customdata?: (unknown[] | null)[]; line?: { color?: string } }[];
  _fullLayout: { shapes: { y0: number; y1: number; xref: string }[]; annotations: { text: string; y: number }[]; xaxis: { l2p(v: number): number; _offset: number; _length: number }; yaxis: { l2p(v: number): number; _offset: number } };
};

function cut2Truth() {
  const def = JSON.parse(fs.readFileSync(path.join(DEMO_DIR, 'cut2', 'study.json'), 'utf8')) as { dataCutoff: string };
  return cutSnapshot(generateStudy(), def.dataCutoff).truth;
}

async function openView(page: Page, name: string): Promise<void> {
  await page.locator('nav[aria-label="Views"]').getByRole('button', { name, exact: true }).click();
}

function graph(plot: Locator): Locator {
  return plot.locator('.js-plotly-plot');
}

/** Issue 12: the +20 % and −30 % labels sit in the right margin, wholly right of the plot area, where no subject's line can cross them. */
async function labelsOutsidePlotArea(plot: Locator): Promise<void> {
  const plotRight = await graph(plot).evaluate((gd: GraphDiv) => gd.getBoundingClientRect().left + gd._fullLayout.xaxis._offset + gd._fullLayout.xaxis._length);
  const figureRight = await graph(plot).evaluate((gd: GraphDiv) => gd.getBoundingClientRect().right);
  for (const t of ['+20%', '−30%']) {
    const b = (await plot.locator('.annotation', { hasText: t }).boundingBox())!;
    expect(b.x, `${t} label right of the plot area`).toBeGreaterThanOrEqual(plotRight);
    expect(b.width, `${t} label drawn`).toBeGreaterThan(20);
    expect(b.x + b.width, `${t} label not clipped at the figure's right edge`).toBeLessThanOrEqual(figureRight);
  }
}

test('spider: one line per subject with post-baseline tumour data, coloured by dose level, +20% and −30% lines, click opens the profile', async ({ page, app }) => {
  test.setTimeout(180_000);
  const [newest] = await app.core.call('snapshots.list', {});
  const series = await app.core.call('efficacy.tumourSeries', { snapshotId: newest!.snapshotId });
  const withPost = series.subjects.filter((s) => s.points.some((p) => !p.baseline && p.pctFromBaseline !== null));
  // Independent of the core: the generator's truth gives a BOR exactly to subjects with a post-baseline assessment.
  const truth = cut2Truth();
  expect(withPost.map((s) => s.usubjid).sort()).toEqual(truth.subjects.filter((s) => s.bor !== null).map((s) => s.usubjid).sort());
  expect(withPost.length).toBeGreaterThan(5);

  await page.goto(app.url);
  await openView(page, 'Spider');
  const plot = page.getByTestId('spider');
  await expect(plot.locator('.plot-area')).toHaveAttribute('data-drawn', 'true');
  await expect(page.getByTestId('spider-summary')).toHaveAttribute('data-lines', String(withPost.length));

  // The lines drawn: the subjects of the line traces, and one SVG path segment per subject.
  const drawn = await graph(plot).evaluate((gd: GraphDiv) =>
    gd.data
      .filter((t) => t.mode === 'lines+markers')
      .map((t) => ({ name: t.name, color: t.line?.color, subjects: [...new Set((t.customdata ?? []).filter((c): c is unknown[] => !!c).map((c) => String(c[0])))] })),
  );
  expect(drawn.flatMap((t) => t.subjects).sort()).toEqual(withPost.map((s) => s.usubjid).sort());
  for (const t of drawn) {
    const levels = new Set(t.subjects.map((u) => withPost.find((s) => s.usubjid === u)!.level));
    expect(levels.size, `trace ${t.name} holds one dose level`).toBe(1);
    expect(t.color).toBe(doseLevelColor([...levels][0]!));
  }
  const segments = await plot.locator('.scatterlayer .trace path.js-line').evaluateAll((paths) => paths.reduce((n, p) => n + ((p.getAttribute('d') ?? '').match(/M/g)?.length ?? 0), 0));
  expect(segments, 'one polyline per subject').toBe(withPost.length);

  // Reference lines at +20 % and −30 %, spanning the plot, labelled.
  const refs = await graph(plot).evaluate((gd: GraphDiv) => gd._fullLayout.shapes.map((s) => ({ y0: s.y0, y1: s.y1, xref: s.xref })));
  expect(refs).toEqual(expect.arrayContaining([{ y0: 20, y1: 20, xref: 'paper' }, { y0: -30, y1: -30, xref: 'paper' }]));
  await expect(plot.locator('.shapelayer path')).toHaveCount(2);
  await expect(plot.locator('.annotation-text', { hasText: '+20%' })).toBeVisible();
  await expect(plot.locator('.annotation-text', { hasText: '−30%' })).toBeVisible();
  await labelsOutsidePlotArea(plot);

  // Subjects without a post-baseline measurement are named under the plot.
  const notDrawn = series.subjects.length - withPost.length;
  await expect(page.getByTestId('spider-no-post-baseline').locator('li')).toHaveCount(notDrawn);

  // Weeks instead of study days: same lines, x divided by 7.
  await page.getByTestId('spider-unit').getByRole('button', { name: 'Weeks' }).click();
  await expect(plot.locator('.xtitle')).toContainText('Weeks');
  await page.getByTestId('spider-unit').getByRole('button', { name: 'Study day' }).click();

  await screenshot(page, 'spider-normal');
  expect(await seriousViolations(page), 'axe: spider view').toEqual([]);

  // Presentation mode (P): larger type, no chrome.
  await page.keyboard.press('p');
  await expect(page.locator('.app.presentation')).toBeVisible();
  await expect(plot.locator('.plot-area')).toHaveAttribute('data-drawn', 'true');
  await page.waitForTimeout(300);
  await labelsOutsidePlotArea(plot);
  await screenshot(page, 'spider-presentation');
  expect(await seriousViolations(page), 'axe: spider view in presentation mode').toEqual([]);
  await page.getByTestId('presentation-exit').click();

  // A click on a subject's last point opens the profile of that subject.
  const target = withPost[0]!;
  const last = target.points.filter((p) => p.pctFromBaseline !== null).at(-1)!;
  const box = (await graph(plot).boundingBox())!;
  const xy = await graph(plot).evaluate((gd: GraphDiv, [x, y]) => [gd._fullLayout.xaxis.l2p(x!) + gd._fullLayout.xaxis._offset, gd._fullLayout.yaxis.l2p(y!) + gd._fullLayout.yaxis._offset], [last.studyDay, Math.round(last.pctFromBaseline! * 10) / 10]);
  await page.mouse.move(box.x + xy[0]!, box.y + xy[1]!);
  await page.mouse.click(box.x + xy[0]!, box.y + xy[1]!);
  await expect
    .poll(() => page.evaluate(() => JSON.parse(localStorage.getItem('dosedesk.selection.v1') ?? '{}') as { view?: string; subject?: string }))
    .toMatchObject({ view: 'profile', subject: expect.any(String) });
  const chosen = await page.evaluate(() => (JSON.parse(localStorage.getItem('dosedesk.selection.v1') ?? '{}') as { subject: string }).subject);
  expect(withPost.map((s) => s.usubjid)).toContain(chosen);
});
