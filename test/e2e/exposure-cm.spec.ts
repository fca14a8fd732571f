import { expect, screenshot, seriousViolations, test } from './fixtures';

// Issue 15 items 5, 6, 8 on the shipped demo (cut 2, the newest snapshot): the Exposure & con-meds view
// (exposure by dose level equal to exposure.summary; the concomitant medications listing with the
// DLT-window starts counted as cm.listing counts them), the exposure line in the swimmer's lane hover,
// the CM track on the patient profile, and the Laboratory view's ECG section showing the demo's EG
// (two QTcF > 480 ms at 10 mg/kg, one increase > 60 ms). The figures themselves are worked out from the
// generator's design in test/unit/demo-exposure-cm-ecg.test.ts.

type GraphDiv = HTMLElement & { data: { name: string; type: string; customdata?: [string, string][]; yaxis?: string; y?: string[] }[] };

test('exposure table, CM listing, swimmer hover, CM track, ECG section on the demo', async ({ page, app }) => {
  test.setTimeout(300_000);
  const snapshotId = Math.max(...app.snapshotIds);
  const ex = await app.core.call('exposure.summary', { snapshotId });
  const cm = await app.core.call('cm.listing', { snapshotId });
  await page.goto(app.url);
  const nav = page.locator('nav[aria-label="Views"]');

  // Exposure by dose level: one row per level, N and the subjects with a delay / reduction / interruption as the contract gives them.
  await nav.getByRole('button', { name: 'Exposure & con-meds', exact: true }).click();
  const levels = page.getByTestId('exposure-levels');
  await expect(levels.locator('tbody tr')).toHaveCount(ex.levels.length);
  for (const l of ex.levels) {
    const cells = levels.locator(`tr[data-group="${l.group}"] td`);
    await expect(cells.nth(0)).toHaveText(String(l.n));
    await expect(cells.nth(4)).toHaveText(l.withDelay ? `${l.withDelay} (${l.delays})` : '0');
    await expect(cells.nth(5)).toHaveText(l.withReduction ? `${l.withReduction} (${l.reductions})` : '0');
    await expect(cells.nth(6)).toHaveText(l.withInterruption ? `${l.withInterruption} (${l.interruptions})` : '0');
  }
  await expect(page.getByTestId('exposure-subjects')).toContainText('IBB0979-201-003');
  const inWindow = cm.rows.filter((r) => r.timing === 'in DLT window').length;
  expect(inWindow).toBeGreaterThan(0);
  await expect(page.getByTestId('cm-facts')).toContainText(`${inWindow} started in the DLT window`);
  // The grid draws the rows in view: search for 201-003's filgrastim (febrile neutropenia, day 10).
  await page.getByTestId('cm-listing-search').fill('FILGRASTIM');
  await expect(page.getByTestId('cm-listing')).toContainText('IBB0979-201-003');
  await expect(page.getByTestId('cm-listing')).toContainText('in DLT window');
  await page.getByTestId('cm-listing-search').fill('');
  await screenshot(page, 'exposure-view', { fullPage: true });
  expect(await seriousViolations(page), 'axe: exposure view').toEqual([]);

  // Swimmer: the lane hover of 201-003 (reduced to 1 mg/kg at cycle 2, 7 days late) carries the exposure line.
  await nav.getByRole('button', { name: 'Swimmer', exact: true }).click();
  await expect(page.locator('[data-testid=swimmer] .js-plotly-plot')).toHaveAttribute('data-drawn', 'true');
  const hovers = await page.locator('[data-testid=swimmer] .js-plotly-plot').evaluate((g: GraphDiv) =>
    g.data.filter((t) => t.type === 'bar' && t.customdata).flatMap((t) => t.customdata!.filter((c) => c[0] === 'IBB0979-201-003').map((c) => c[1])),
  );
  expect(hovers.length).toBeGreaterThan(0);
  const s = ex.subjects.find((x) => x.usubjid === 'IBB0979-201-003')!;
  for (const h of hovers) expect(h).toContain(`${s.cyclesStarted} cycles started · RDI ${Math.round(s.relativeDoseIntensity! * 100)} % · delayed C2 · reduced C2`);

  // Patient profile of 201-003: the CM track, filgrastim (started on day 10, in the DLT window) in orange.
  await nav.getByRole('button', { name: 'Exposure & con-meds', exact: true }).click();
  await page.getByTestId('exposure-subjects').getByText('IBB0979-201-003', { exact: true }).first().click();
  await expect(page.getByTestId('profile-subject')).toHaveText('IBB0979-201-003');
  await expect(page.getByTestId('profile-tracks').locator('li[data-track="cm"]')).toHaveCount(1);
  const cmTraces = await page.locator('[data-testid=profile] .js-plotly-plot').evaluate((g: GraphDiv) =>
    g.data.filter((t) => t.yaxis === 'y7').map((t) => ({ name: t.name, y: t.y })),
  );
  expect(cmTraces.find((t) => t.name === 'Medication started in the DLT window')!.y).toContain('FILGRASTIM');
  await screenshot(page, 'profile-cm-track', { fullPage: true });

  // Laboratory view, ECG section: the demo's EG; level 7 has two subjects > 480 ms and one increase > 60 ms.
  await nav.getByRole('button', { name: 'Laboratory', exact: true }).click();
  const section = page.getByTestId('ecg-section');
  await section.scrollIntoViewIfNeeded(); // the section loads when scrolled near (useNearScreen)
  await expect(section.locator('[data-testid=ecg-categories] tr[data-group="L7"] td[data-cat="gt480"]')).toHaveText('2');
  await expect(section.locator('[data-testid=ecg-categories] tr[data-group="L7"] td[data-cat="incGt60"]')).toHaveText('1');
  await expect(section.getByTestId('ecg-qtcf').locator('.plot-area')).toHaveAttribute('data-drawn', 'true');
  await section.scrollIntoViewIfNeeded();
  await screenshot(page, 'ecg-section-demo');
});
