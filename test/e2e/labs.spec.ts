import { expect, screenshot, seriousViolations, test } from './fixtures';

// The Laboratory view on the demo study (newest shipped cut, cut 2). What a person checks: the shift
// table of a term shows labs.shift's counts by dose level; the eDISH plot draws one point per subject
// with the Hy's-law lines, the demo's one potential Hy's-law case is named, and a click on its point
// opens that subject's profile; the DLT table of the Cohorts view lists each lab grade >= 3 in the window.

type GraphDiv = HTMLElement & { data: { x: number[]; y: number[]; customdata: unknown[][] }[]; _fullLayout: { xaxis: { l2p(v: number): number; _offset: number }; yaxis: { l2p(v: number): number; _offset: number }; shapes: { x0: number; y0: number }[] } };

test('laboratory: shift table equals labs.shift, eDISH points and the Hy\'s-law case, click to the profile', async ({ page, app }) => {
  test.setTimeout(600_000);
  const [newest] = await app.core.call('snapshots.list', {});
  const snapshotId = newest!.snapshotId;
  const shift = await app.core.call('labs.shift', { snapshotId });
  const edish = await app.core.call('labs.edish', { snapshotId });
  const hy = edish.points.filter((p) => p.quadrant === "Potential Hy's law");
  expect(hy).toHaveLength(1);

  await page.goto(app.url);
  // The Cohorts view's DLT table lists each lab result of grade >= 3 in the window beside the AE screen.
  const dlt = await app.core.call('safety.dltTable', { snapshotId });
  const labsInWindow = dlt.levels.flatMap((l) => l.subjects).filter((s) => s.possibleDltLabs.length > 0);
  expect(labsInWindow.length).toBeGreaterThan(0);
  for (const s of labsInWindow)
    await expect(page.locator(`[data-testid=dlt-subject][data-usubjid="${s.usubjid}"] [data-testid=possible-dlt-lab]`), s.usubjid).toHaveCount(s.possibleDltLabs.length);
  const first = labsInWindow[0]!.possibleDltLabs[0]!;
  await expect(page.locator(`[data-testid=dlt-subject][data-usubjid="${labsInWindow[0]!.usubjid}"] [data-testid=possible-dlt-lab]`).first()).toContainText(`G${first.grade} ${first.term}`);

  await page.locator('nav[aria-label="Views"]').getByRole('button', { name: 'Laboratory', exact: true }).click();
  await expect(page.getByTestId('lab-hys-law')).toContainText(`1 potential Hy's law case (${hy[0]!.usubjid})`);
  await expect(page.getByTestId('lab-not-gradable')).toContainText(`${shift.notGradable.length} results not gradable`);

  // Shift table for neutrophils: every cell as labs.shift counts it.
  await page.getByTestId('lab-shift-term').selectOption('Neutrophil count decreased');
  for (const b of shift.blocks.filter((x) => x.term === 'Neutrophil count decreased'))
    for (const c of b.cells) await expect(page.locator(`[data-testid="lab-shift"] tr[data-group="${b.group}"][data-baseline="${c.baseline}"] td[data-worst="${c.worst}"]`)).toHaveText(String(c.subjects));

  // eDISH: one point per plotted subject, the lines at 3 and 2 × ULN.
  const plot = page.getByTestId('lab-edish');
  await expect(plot.locator('.plot-area')).toHaveAttribute('data-drawn', 'true');
  const gd = plot.locator('.js-plotly-plot');
  const drawn = await gd.evaluate((g: GraphDiv) => ({ n: g.data.reduce((s, t) => s + t.x.length, 0), shapes: g._fullLayout.shapes.map((s) => [Math.round(s.x0 * 1e6) / 1e6, Math.round(s.y0 * 1e6) / 1e6]) }));
  expect(drawn.n).toBe(edish.points.length);
  expect(drawn.shapes).toEqual([[3, 0], [0, 2]]);
  await screenshot(page, 'labs-view');
  expect(await seriousViolations(page), 'axe: laboratory view').toEqual([]);

  // The per-subject table lists the pairs with something to read; those graded 0 throughout on request.
  const notable = await app.core.call('labs.shift', { snapshotId, subjectRows: 'notable' });
  expect(notable.subjectRowsLeftOut).toBe(shift.subjects.length - notable.subjects.length);
  const leftOut = page.getByTestId('lab-worst-left-out');
  await expect(leftOut).toContainText(`${notable.subjectRowsLeftOut.toLocaleString('en-US')} more pairs in the study are grade 0 at baseline and at every result after`);
  await expect(page.getByTestId('lab-worst-footnote')).toHaveText(new RegExp(` ${notable.subjects.length} rows$`));
  await leftOut.getByRole('button', { name: 'List them too' }).click();
  await expect(leftOut).toHaveCount(0);
  await expect(page.getByTestId('lab-worst-footnote')).toHaveText(new RegExp(` ${shift.subjects.length} rows$`));
  // Asked apart: the rest of the view stays as it was (the term chosen above).
  await expect(page.getByTestId('lab-shift-term')).toHaveValue('Neutrophil count decreased');

  // A click on the Hy's-law point opens that subject's profile.
  await gd.scrollIntoViewIfNeeded();
  const box = (await gd.boundingBox())!;
  const xy = await gd.evaluate((g: GraphDiv, [x, y]) => [g._fullLayout.xaxis.l2p(Math.log10(x!)) + g._fullLayout.xaxis._offset, g._fullLayout.yaxis.l2p(Math.log10(y!)) + g._fullLayout.yaxis._offset], [hy[0]!.aminoXUln, hy[0]!.biliXUln]);
  await page.mouse.move(box.x + xy[0]!, box.y + xy[1]!);
  await page.mouse.click(box.x + xy[0]!, box.y + xy[1]!);
  await expect
    .poll(() => page.evaluate(() => JSON.parse(localStorage.getItem('dosedesk.selection.v1') ?? '{}') as { view?: string; subject?: string }))
    .toMatchObject({ view: 'profile', subject: hy[0]!.usubjid });
});
