import path from 'node:path';
import { writeFixture } from '../helpers/conventions';
import { DM, EG, EX, study, VS } from '../helpers/ecgFixture';
import { expect, screenshot, seriousViolations, test } from './fixtures';

// The Laboratory view's ECG section on the hand-built pharmaverse-convention ECG snapshot (its
// values worked by hand in test/unit/ecg-conventions.test.ts). What a person checks: one QTcF line
// per subject with the ICH E14 thresholds drawn, the categories table equal to ecg.categories, and
// the two time points whose QTcF could not be computed listed with file, row and reason.

type GraphDiv = HTMLElement & { data: { x: (number | null)[]; y: (number | null)[] }[]; _fullLayout: { shapes: { y0: number }[] } };

test.use({ seedDemo: false });

test('ECG: QTcF lines, ICH E14 categories by dose level, not-computable time points', async ({ page, app }) => {
  test.setTimeout(300_000);
  const r = await app.core.call('snapshot.import', { path: writeFixture(path.join(app.tmp, 'ecg'), [DM, EX, EG, VS], 'csv', { study }) });
  const snapshotId = r.snapshotId!;
  const q = await app.core.call('ecg.qtcf', { snapshotId });
  const c = await app.core.call('ecg.categories', { snapshotId });

  await page.goto(app.url);
  await page.locator('nav[aria-label="Views"]').getByRole('button', { name: 'Laboratory', exact: true }).click();
  const section = page.getByTestId('ecg-section');
  await section.scrollIntoViewIfNeeded(); // the section loads when scrolled near (useNearScreen)
  await expect(section.getByTestId('ecg-categories')).toBeVisible();
  for (const row of c.rows)
    for (const k of ['evaluable', 'gt450', 'gt480', 'gt500', 'evaluableChange', 'incGt30', 'incGt60'] as const)
      await expect(section.locator(`[data-testid=ecg-categories] tr[data-group="${row.group}"] td[data-cat="${k}"]`), `${row.group} ${k}`).toHaveText(String(row[k]));
  await expect(section.getByTestId('ecg-not-computable').locator('li')).toHaveCount(q.notComputable.length);
  await expect(section.getByTestId('ecg-not-computable')).toContainText('RR and heart rate both absent at this time point');

  const plot = section.getByTestId('ecg-qtcf');
  await expect(plot.locator('.plot-area')).toHaveAttribute('data-drawn', 'true');
  // One trace per dose level, each subject's line ended by a gap (null).
  const drawn = await plot
    .locator('.js-plotly-plot')
    .evaluate((g: GraphDiv) => ({ traces: g.data.length, points: g.data.reduce((s, t) => s + t.x.filter((x) => x !== null).length, 0), lines: g.data.reduce((s, t) => s + t.x.filter((x) => x === null).length, 0), shapes: g._fullLayout.shapes.map((s) => s.y0) }));
  expect(drawn).toEqual({ traces: new Set(q.points.map((p) => p.group)).size, lines: new Set(q.points.map((p) => p.usubjid)).size, points: q.points.length, shapes: [450, 480, 500] });
  await section.scrollIntoViewIfNeeded();
  await screenshot(page, 'ecg-section');
  expect(await seriousViolations(page), 'axe: laboratory view with ECG').toEqual([]);
});
