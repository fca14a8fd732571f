import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { exportTable } from './downloads';
import { writeFixture } from '../helpers/conventions';
import { A, B, POOLED_PK_DOMAINS } from '../helpers/pk-pooled';
import { expect, screenshot, seriousViolations, test } from './fixtures';

// The PK view on the demo study (newest shipped cut). What a person checks: the NCA table shows
// what the core's NCA (pk.nca, validated against Phoenix WinNonlin in test/unit/pk.*) returns for
// the same selection; Cmax is the largest measured concentration of the subject's profile (the
// definition of Cmax, CDISC PPTESTCD CMAX); BLQ samples are drawn distinctly (hollow markers with
// a "BLQ" legend entry); the log-scale toggle; a λz change (a point excluded, then a range) updates
// the t1/2 cell at once and is stored with the user and the time (docs/CLINICAL_RULES.md#nca: "the choice is
// stored, audited and shown"); the CSV export holds one row per subject.

type GraphDiv = HTMLElement & {
  data: { name?: string; mode?: string; type?: string; x: (number | null)[]; y: (number | null)[]; customdata?: unknown[]; marker?: { symbol?: string | string[] } }[];
  _fullLayout: { yaxis: { type: string; c2p(v: number): number; _offset: number }; xaxis: { c2p(v: number): number; _offset: number } };
};

async function openView(page: Page, name: string): Promise<void> {
  await page.locator('nav[aria-label="Views"]').getByRole('button', { name, exact: true }).click();
}

const graph = (plot: Locator) => plot.locator('.js-plotly-plot');

/** A grid cell of one subject's row (the row index is found through the subject column, which may be pinned). */
async function cell(page: Page, testId: string, usubjid: string, colId: string): Promise<Locator> {
  const root = page.getByTestId(testId);
  const index = await root.evaluate((el, u) => {
    for (const c of el.querySelectorAll('.ag-row[row-index] .ag-cell[col-id="usubjid"]')) if ((c.textContent ?? '').trim() === u) return c.closest('.ag-row')!.getAttribute('row-index');
    return null;
  }, usubjid);
  expect(index, `${usubjid} has a row in ${testId}`).not.toBeNull();
  return root.locator(`.ag-row[row-index="${index}"] .ag-cell[col-id="${colId}"]`).first();
}

/** Rows of a grid as { usubjid → { colId → text } } (the pinned subject column and the centre columns share the row index). */
async function gridRows(page: Page, testId: string): Promise<Map<string, Record<string, string>>> {
  const rows = await page.getByTestId(testId).evaluate((root) => {
    const byIndex = new Map<string, Record<string, string>>();
    for (const r of root.querySelectorAll('.ag-row[row-index]')) {
      const i = r.getAttribute('row-index')!;
      const rec = byIndex.get(i) ?? {};
      for (const c of r.querySelectorAll('.ag-cell[col-id]')) rec[c.getAttribute('col-id')!] = (c.textContent ?? '').trim();
      byIndex.set(i, rec);
    }
    return [...byIndex.values()];
  });
  return new Map(rows.map((r) => [r.usubjid!, r]));
}

/** Equal to the 4 significant digits the table shows (relative difference ≤ 5e-4; whole numbers from 10,000 up). */
function shown(text: string, value: number | null): boolean {
  if (value === null) return text === '';
  const v = Number(text);
  if (Math.abs(value) >= 1e4) return v === Math.round(value);
  return Math.abs(v - value) <= 5e-4 * Math.abs(value) + 1e-12;
}

test('pk: NCA table equals pk.nca, Cmax = max observed, BLQ shown, log scale, λz change stored and shown, CSV', async ({ page, app }) => {
  test.setTimeout(900_000); // axe-core over three grids and five plots is slow on a loaded machine
  const [newest] = await app.core.call('snapshots.list', {});
  const snapshotId = newest!.snapshotId;
  const nca = await app.core.call('pk.nca', { snapshotId });
  const profiles = await app.core.call('pk.profiles', { snapshotId });
  expect(nca.rows.length).toBeGreaterThan(10);
  const codes = [...new Set(nca.summary.flatMap((g) => g.parameters.map((p) => p.PPTESTCD)))];
  // The seed's single-dose parameters (docs/CLINICAL_RULES.md#pk-summary / issue 4): Cmax, Cmin, Tmax, AUC0-t, AUC0-inf, CL, Vz, t1/2, λz.
  expect(codes).toEqual(['CMAX', 'CMIN', 'TMAX', 'AUCLST', 'AUCIFO', 'CLO', 'VZO', 'LAMZHL', 'LAMZ']);

  await page.goto(app.url);
  await openView(page, 'PK');
  const plot = page.getByTestId('pk');
  await expect(plot.locator('.plot-area')).toHaveAttribute('data-drawn', 'true');
  expect(await page.evaluate(() => performance.getEntriesByName('view:pk:drawn').length)).toBeGreaterThan(0);

  // One line per subject with a measured concentration.
  const withMeasured = profiles.profiles.filter((p) => p.points.some((q) => !q.blq && q.conc !== null && q.time !== null));
  await expect(page.getByTestId('pk-facts')).toHaveAttribute('data-subjects', String(withMeasured.length));

  // BLQ samples: a hollow-marker trace named BLQ at LLOQ/2, one marker per BLQ sample, in the legend.
  const blqSamples = profiles.profiles.flatMap((p) => p.points.filter((q) => q.blq && q.time !== null && q.lloq !== null));
  expect(blqSamples.length).toBeGreaterThan(0);
  const blq = await graph(plot).evaluate((gd: GraphDiv) => gd.data.filter((t) => (t.name ?? '').startsWith('BLQ')).map((t) => ({ n: t.x.length, y: t.y, symbol: (t.marker as { symbol?: string }).symbol })));
  expect(blq).toHaveLength(1);
  expect(blq[0]!.n).toBe(blqSamples.length);
  expect(blq[0]!.symbol).toBe('circle-open');
  expect(blq[0]!.y.sort()).toEqual(blqSamples.map((q) => q.lloq! / 2).sort());
  await expect(plot.locator('.legendtext', { hasText: 'BLQ' })).toBeVisible();

  // Log scale toggle.
  await expect.poll(() => graph(plot).evaluate((gd: GraphDiv) => gd._fullLayout.yaxis.type)).toBe('linear');
  await page.getByTestId('pk-scale').getByRole('button', { name: 'Log' }).click();
  await expect.poll(() => graph(plot).evaluate((gd: GraphDiv) => gd._fullLayout.yaxis.type)).toBe('log');
  await expect(plot.locator('.ytitle')).toContainText('log scale');

  // The NCA table: every subject, every seed parameter as pk.nca returns it.
  const grid = page.getByTestId('pk-nca');
  await expect(grid.locator('.ag-row[row-index]')).toHaveCount(nca.rows.length);
  for (const c of ['Cmax (µg/mL)', 'AUC0-inf (h·µg/mL)', 't1/2 (h)', 'λz (1/h)', 'CL (L/h)']) await expect(grid.locator('.ag-header-cell-text', { hasText: c }).first()).toBeVisible();
  const table = await gridRows(page, 'pk-nca');
  expect([...table.keys()].sort()).toEqual(nca.rows.map((r) => r.usubjid).sort());
  for (const r of nca.rows) {
    for (const code of codes) {
      const param = r.parameters.find((p) => p.PPTESTCD === code);
      const value = param?.value ?? null;
      const text = table.get(r.usubjid)![code]!;
      // λz not estimable: the empty cell says so (its reason is in the λz method column)
      if (value === null && param?.reason) expect(text, `${r.usubjid} ${code}`).toBe('not estimable');
      else expect(shown(text, value), `${r.usubjid} ${code}: table "${text}" vs pk.nca ${value}`).toBe(true);
    }
  }
  // Spot check independent of the NCA: Cmax is the largest measured concentration of the profile.
  for (const p of withMeasured.slice(0, 5)) {
    const max = Math.max(...p.points.filter((q) => !q.blq && q.conc !== null).map((q) => q.conc!));
    expect(shown(table.get(p.usubjid)!.CMAX!, max), `${p.usubjid}: Cmax ${table.get(p.usubjid)!.CMAX} vs max observed ${max}`).toBe(true);
  }

  // Summary statistics by dose level: n per level as pk.nca counts it.
  const summary = page.getByTestId('pk-summary');
  await expect(summary.locator('.ag-row[row-index]')).toHaveCount(nca.summary.length * 6);

  // λz: select a subject whose automatic fit has ≥ 4 points; its curve and fit points appear.
  const target = nca.rows.find((r) => r.lambdaZ && r.lambdaZ.nPoints >= 4 && r.lambdaZ.method === 'auto')!;
  expect(target).toBeTruthy();
  const halfLifeBefore = target.parameters.find((p) => p.PPTESTCD === 'LAMZHL')!.value!;
  await (await cell(page, 'pk-nca', target.usubjid, 'usubjid')).click();
  const panel = page.getByTestId('pk-lz-panel');
  await expect(panel).toHaveAttribute('data-usubjid', target.usubjid);
  const lzPlot = page.getByTestId('pk-lambdaz');
  await expect(lzPlot.locator('.plot-area')).toHaveAttribute('data-drawn', 'true');
  const fitTrace = await graph(lzPlot).evaluate((gd: GraphDiv) => gd.data.find((t) => t.name === 'Used for λz')!.x.length);
  expect(fitTrace).toBe(target.lambdaZ!.nPoints);
  await expect(page.getByTestId('pk-lz-status')).toContainText('automatic');

  // Exclude the first λz point by clicking it.
  const first = target.lambdaZ!.points[0]!;
  const box = (await graph(lzPlot).boundingBox())!;
  const xy = await graph(lzPlot).evaluate((gd: GraphDiv, [x, y]) => [gd._fullLayout.xaxis.c2p(x!) + gd._fullLayout.xaxis._offset, gd._fullLayout.yaxis.c2p(y!) + gd._fullLayout.yaxis._offset], [first.time, first.conc]);
  await page.mouse.move(box.x + xy[0]!, box.y + xy[1]!);
  await page.mouse.click(box.x + xy[0]!, box.y + xy[1]!);
  await expect(page.getByTestId('pk-lz-status')).toContainText('1 point excluded');
  await expect(page.getByTestId('pk-lz-status')).toContainText('set by e2e-tester');
  const afterExclusion = (await app.core.call('pk.nca', { snapshotId, usubjids: [target.usubjid] })).rows[0]!;
  expect(afterExclusion.lambdaZ!.method).toBe('manual-exclusion');
  expect(afterExclusion.lambdaZ!.excludedTimes).toEqual([first.time]);
  expect(afterExclusion.choice!.by).toBe('e2e-tester');
  const halfLifeExcl = afterExclusion.parameters.find((p) => p.PPTESTCD === 'LAMZHL')!.value!;
  expect(halfLifeExcl).not.toBeCloseTo(halfLifeBefore, 6);
  await expect.poll(async () => shown((await (await cell(page, 'pk-nca', target.usubjid, 'LAMZHL')).textContent()) ?? '', halfLifeExcl)).toBe(true);

  // A range: the last three points of the automatic fit.
  const last3 = target.lambdaZ!.points.slice(-3);
  await page.getByTestId('pk-lz-start').fill(String(last3[0]!.time));
  await page.getByTestId('pk-lz-end').fill(String(last3[2]!.time));
  await page.getByTestId('pk-lz-apply').click();
  await expect(page.getByTestId('pk-lz-status')).toContainText('manual range');
  const afterRange = (await app.core.call('pk.nca', { snapshotId, usubjids: [target.usubjid] })).rows[0]!;
  expect(afterRange.lambdaZ!.method).toBe('manual-range');
  expect(afterRange.lambdaZ!.nPoints).toBe(3);
  expect(afterRange.choice!.by).toBe('e2e-tester');
  expect(Date.now() - Date.parse(afterRange.choice!.at)).toBeLessThan(120_000);
  const halfLifeRange = afterRange.parameters.find((p) => p.PPTESTCD === 'LAMZHL')!.value!;
  await expect.poll(async () => shown((await (await cell(page, 'pk-nca', target.usubjid, 'LAMZHL')).textContent()) ?? '', halfLifeRange)).toBe(true);
  await expect(await cell(page, 'pk-nca', target.usubjid, 'lzMethod')).toHaveText('manual range');
  // Every choice is kept (the latest wins): the history holds both.
  const history = await app.core.call('pk.lambdaZHistory', { snapshotId, usubjid: target.usubjid });
  expect(history.map((h) => h.choice.kind)).toEqual(['exclude', 'range']);

  await screenshot(page, 'pk-normal');
  expect(await seriousViolations(page), 'axe: PK view').toEqual([]);

  // CSV of the NCA table: the header, one row per subject, full-precision values; title and footnote in the sidecar.
  const nCsv = await exportTable(page, () => page.getByTestId('pk-nca-export-csv').click());
  const csv = nCsv.lines;
  expect(nCsv.sidecar.title).toContain('NCA parameters');
  expect(nCsv.sidecar.footnote).toContain('Data cut-off');
  const header = csv[0]!.split(',').map((h) => h.replace(/^"|"$/g, ''));
  const iSubj = header.indexOf('Subject');
  const iCmax = header.indexOf('Cmax (µg/mL)');
  expect(iSubj).toBeGreaterThanOrEqual(0);
  expect(iCmax).toBeGreaterThan(iSubj);
  expect(csv).toHaveLength(1 + nca.rows.length);
  const body = csv.slice(1).map((l) => l.split(',').map((c) => c.replace(/^"|"$/g, '')));
  expect(body.map((r) => r[iSubj]).sort()).toEqual(nca.rows.map((r) => r.usubjid).sort());
  for (const r of body) expect(Number(r[iCmax])).toBe(nca.rows.find((x) => x.usubjid === r[iSubj])!.parameters.find((p) => p.PPTESTCD === 'CMAX')!.value);
  // Every parameter column holds the full value (the cells show 4 significant digits): AUC, t½, CL
  // and λz have more digits than that, so a CSV of the cells' values would fail here.
  const now = await app.core.call('pk.nca', { snapshotId }); // after the λz choices above
  const fullDigits: string[] = [];
  for (const code of codes) {
    const label = nca.summary.flatMap((g) => g.parameters).find((p) => p.PPTESTCD === code)!;
    const shownLabel = label.label === 'lambda_z' ? 'λz' : label.label;
    const i = header.findIndex((h) => h === shownLabel || h.startsWith(`${shownLabel} (`));
    expect(i, `CSV column of ${code}`).toBeGreaterThan(iSubj);
    for (const r of body) {
      const value = now.rows.find((x) => x.usubjid === r[iSubj])!.parameters.find((p) => p.PPTESTCD === code)?.value ?? null;
      expect(r[i] === '' ? null : Number(r[i]), `${r[iSubj]} ${code}`).toBe(value);
      if (value !== null && Number(value.toPrecision(4)) !== value) fullDigits.push(code);
    }
  }
  expect(fullDigits.length, 'values with more than 4 significant digits in the CSV').toBeGreaterThan(body.length);

  // Reset to automatic: stored too, the table shows the automatic fit again.
  await page.getByTestId('pk-lz-reset').click();
  await expect(page.getByTestId('pk-lz-status')).toContainText('automatic (reset)');
  await expect.poll(async () => shown((await (await cell(page, 'pk-nca', target.usubjid, 'LAMZHL')).textContent()) ?? '', halfLifeBefore)).toBe(true);

  // A 2-point rising manual range (issue 12 item 4): a terminal fit needs ≥ 3 points after Cmax and a
  // negative slope (PKNCA min.hl.points = 3): "not estimable: …", no fitted line, t½ empty with the reason.
  const rising = profiles.profiles
    .filter((p) => nca.rows.some((r) => r.usubjid === p.usubjid))
    .flatMap((p) => {
      const pts = p.points.filter((q) => !q.blq && q.conc !== null && q.ncaTime !== null).sort((a, b) => a.ncaTime! - b.ncaTime!);
      const i = pts.findIndex((q, k) => k + 1 < pts.length && pts[k + 1]!.conc! > q.conc!);
      return i >= 0 ? [{ usubjid: p.usubjid, from: pts[i]!.ncaTime!, to: pts[i + 1]!.ncaTime! }] : [];
    })[0]!;
  expect(rising, 'a profile with two consecutive rising samples').toBeTruthy();
  await (await cell(page, 'pk-nca', rising.usubjid, 'usubjid')).click();
  await expect(panel).toHaveAttribute('data-usubjid', rising.usubjid);
  await page.getByTestId('pk-lz-start').fill(String(rising.from));
  await page.getByTestId('pk-lz-end').fill(String(rising.to));
  await page.getByTestId('pk-lz-apply').click();
  await expect(page.getByTestId('pk-lz-status')).toContainText('not estimable: only 2 points after Cmax, at least 3 needed');
  await expect(page.getByTestId('pk-lz-status')).toContainText('manual range');
  await expect.poll(() => graph(lzPlot).evaluate((gd: GraphDiv) => gd.data.filter((t) => (t.name ?? '').startsWith('λz fit')).length)).toBe(0);
  await expect(await cell(page, 'pk-nca', rising.usubjid, 'LAMZHL')).toHaveText('not estimable');
  await expect(await cell(page, 'pk-nca', rising.usubjid, 'AUCIFO')).toHaveText('not estimable');
  await expect(await cell(page, 'pk-nca', rising.usubjid, 'lzMethod')).toContainText('not estimable: only 2 points after Cmax');
  const notEstimable = (await app.core.call('pk.nca', { snapshotId, usubjids: [rising.usubjid] })).rows[0]!;
  expect(notEstimable.lambdaZ).toBeNull();
  expect(notEstimable.parameters.find((p) => p.PPTESTCD === 'LAMZHL')).toMatchObject({ value: null, reason: notEstimable.lambdaZNote });
  await panel.scrollIntoViewIfNeeded();
  await screenshot(page, 'pk-lambdaz-not-estimable', { fullPage: false });
  await page.getByTestId('pk-lz-reset').click();
  await expect(page.getByTestId('pk-lz-status')).toContainText('automatic (reset)');

  // Steady state: the seed's steady-state parameters as columns.
  await page.getByTestId('pk-cycle').selectOption('steady');
  await expect(grid.locator('.ag-header-cell-text', { hasText: 'Css,max (µg/mL)' }).first()).toBeVisible();
  await expect(grid.locator('.ag-header-cell-text', { hasText: 'DF (fluctuation %)' }).first()).toBeVisible();
  const ss = await app.core.call('pk.nca', { snapshotId, interval: 'steady' });
  await expect(grid.locator('.ag-row[row-index]')).toHaveCount(ss.rows.length);
  await page.getByTestId('pk-cycle').selectOption('single');

  // Mean ± SD: one line per dose level.
  await page.getByTestId('pk-display').getByRole('button', { name: 'Mean ± SD' }).click();
  await expect.poll(() => graph(plot).evaluate((gd: GraphDiv) => gd.data.length)).toBe(new Set(withMeasured.map((p) => p.doseLevel)).size);
  // Geometric mean ×/÷ geometric SD (docs/CLINICAL_RULES.md#pk-curves): one line per dose level through the core's geometric means.
  await page.getByTestId('pk-display').getByRole('button', { name: 'Geometric mean' }).click();
  const curves = await app.core.call('pk.curves', { snapshotId, individual: false });
  const geo = curves.levels.map((l) => l.summary.geoMean.filter((v) => v !== null)).filter((y) => y.length > 0);
  await expect.poll(() => graph(plot).evaluate((gd: GraphDiv) => gd.data.map((t) => t.y))).toEqual(geo);
  await expect(plot).toContainText('Geometric mean');
  await screenshot(page, 'pk-geometric-mean');
  await page.getByTestId('pk-display').getByRole('button', { name: 'Per subject' }).click();

  // Dose proportionality: b and its 90% CI printed as the core estimates them.
  const dp = await app.core.call('pk.doseProportionality', { snapshotId });
  const cmaxFit = dp.parameters.find((p) => p.PPTESTCD === 'CMAX')!.fit!;
  // The section loads when scrolled near (below the NCA table).
  await page.getByRole('heading', { name: 'Dose proportionality' }).scrollIntoViewIfNeeded();
  await expect(page.locator('[data-testid=pk-dp-row][data-code=CMAX] [data-col=slope]')).toHaveText(cmaxFit.slope.toFixed(3));
  await expect(page.locator('[data-testid=pk-dp-row][data-code=CMAX] [data-col=ci]')).toHaveText(`90% CI ${cmaxFit.ciLower.toFixed(3)}–${cmaxFit.ciUpper.toFixed(3)}`);

  // Presentation mode.
  await page.keyboard.press('p');
  await expect(page.locator('.app.presentation')).toBeVisible();
  await expect(plot.locator('.plot-area')).toHaveAttribute('data-drawn', 'true');
  await page.waitForTimeout(400);
  await screenshot(page, 'pk-presentation');
  // Presentation mode restyles the figures and the toolbar (the grids only get larger, darker type): scan those.
  expect(await seriousViolations(page, '.view-header, [data-testid=pk-toolbar], [data-testid=pk], [data-testid=pk-lz-panel]'), 'axe: PK view in presentation mode').toEqual([]);
});

test.describe('a pooled plasma + urine export without study.json (issue 10)', () => {
  test.use({ seedDemo: false });
  test('pk: analyte and matrix chosen, plasma only in the NCA, the other pairs named, urine as Ae/fe/CLR, the notes say AUCall, τ unknown and the nominal-time fallback; τ can be given', async ({ page, app }) => {
    test.setTimeout(300_000);
    const r = await app.core.call('snapshot.import', { path: writeFixture(path.join(app.tmp, 'pooled'), POOLED_PK_DOMAINS, 'csv') });
    expect(r.errors).toEqual([]);
    await page.goto(app.url);
    await openView(page, 'PK');
    await expect(page.getByTestId('pk').locator('.plot-area')).toHaveAttribute('data-drawn', 'true');

    // Plasma by default; what else the snapshot holds is named.
    await expect(page.getByTestId('pk-analyte')).toHaveValue('XAN');
    await expect(page.getByTestId('pk-matrix')).toHaveValue('PLASMA');
    await expect(page.getByTestId('pk-also')).toHaveText('Showing XAN in Plasma (16 samples). Also in this snapshot: XAN in Urine (4 samples), XANM1 in Plasma (1 sample) — choose them above.');

    // The NCA table holds plasma only: Cmax of 01-701-1015 is 16 (a urine value, 20, would win if pooled).
    await expect(await cell(page, 'pk-nca', A, 'CMAX')).toHaveText('16');
    await expect(await cell(page, 'pk-nca', A, 'AUCLST')).toHaveText('120.3');

    // The notes: AUCall, τ unknown (EX spacing varies), nominal-time fallback for 01-701-1023.
    await expect(page.getByTestId('pk-note-aucall')).toContainText('first BLQ sample after Tlast, that sample taken as 0');
    await expect(page.getByTestId('pk-note-tau')).toHaveAttribute('data-tau-source', 'unknown');
    await expect(page.getByTestId('pk-note-tau')).toContainText('Dosing interval τ unknown: EX dose spacing varies (28 d ×1, 21 d ×1)');
    await expect(page.getByTestId('pk-note-time')).toContainText(`${B} (5 samples: EXSTDTC 2014-02-03 has no time of day)`);

    // Urine: Ae, fe and CLR as worked by hand in test/unit/pk.matrix.test.ts; the subject without PCVOL says why.
    const urineA = page.locator(`[data-testid=pk-urine-row][data-usubjid="${A}"]`);
    await expect(urineA.locator('[data-col=ae]')).toHaveText('11');
    await expect(urineA.locator('[data-col=fe]')).toHaveText('20.37');
    await expect(urineA.locator('[data-col=clr]')).toHaveText('0.09148');
    await expect(page.locator(`[data-testid=pk-urine-row][data-usubjid="${B}"]`)).toContainText('no collection volume (PCVOL)');
    await screenshot(page, 'pk-pooled-plasma');
    expect(await seriousViolations(page, '[data-testid=pk-toolbar], [data-testid=pk-also], [data-testid=pk-conventions], [data-testid=pk-urine]'), 'axe: PK conventions and urine').toEqual([]);

    // Steady state without τ: the table is empty and says why.
    await page.getByTestId('pk-cycle').selectOption('steady');
    await expect(page.getByTestId('pk-note-tau')).toContainText('The steady-state table is therefore empty.');
    await expect(await cell(page, 'pk-nca', A, 'lzMethod')).toHaveText('no fit');

    // Urine chosen as the matrix: no concentration NCA, the excretion table instead.
    await page.getByTestId('pk-cycle').selectOption('single');
    await page.getByTestId('pk-matrix').selectOption('URINE');
    await expect(page.getByTestId('pk-excreta-note')).toContainText('Urine is collected over intervals');
    await expect(page.getByTestId('pk-nca')).toHaveCount(0);
    await expect(page.locator(`[data-testid=pk-urine-row][data-usubjid="${A}"] [data-col=ae]`)).toHaveText('11');
    await screenshot(page, 'pk-pooled-urine');

    // τ given in the view is stored in the study definition and used at once.
    await page.getByTestId('pk-matrix').selectOption('PLASMA');
    await page.getByTestId('pk-tau-form').getByRole('textbox').fill('8');
    await page.getByTestId('pk-tau-form').getByRole('button', { name: 'Save τ in the study definition' }).click();
    await expect(page.getByTestId('pk-note-tau')).toHaveText('τ = 8 h from the study definition (pk.tauH)');
  });
});
