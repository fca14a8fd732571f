import fs from 'node:fs';
import path from 'node:path';
import type { StudyTruth } from '../../electron/core/demo/truth';
import { DEMO_DIR, expect, screenshot, seriousViolations, test } from './fixtures';
import { referencePath } from '../helpers/reference';

// The patient profile on the shipped demo (expected facts from the generator's truth object,
// resources/demo/cut2.truth.json, and from subjects.timeline), and the swimmer and profile on a real
// CDISC pilot export with only DM/AE/EX/DS/TS (../shared/reference/sdtm-xpt/cdiscpilot01): the views
// say what is missing instead of breaking.

const truth = JSON.parse(fs.readFileSync(path.join(DEMO_DIR, 'cut2.truth.json'), 'utf8')) as StudyTruth;

test('profile: header and tracks of a subject, J/K move between subjects, Back returns to Cohorts', async ({ page, app }) => {
  test.setTimeout(240_000);
  // A subject with every kind of data: escalated within the patient, responses, ADA samples.
  const subject = truth.subjects.find((s) => s.usubjid === 'IBB0979-101-001')!;
  await page.goto(app.url);
  await page.getByTestId('dlt-table').getByRole('button', { name: subject.usubjid }).click();
  await expect(page.getByTestId('profile-subject')).toHaveText(subject.usubjid);
  const [snap] = await app.core.call('snapshots.list', {});
  const tl = await app.core.call('subjects.timeline', { snapshotId: snap!.snapshotId });
  const lane = tl.subjects.find((s) => s.usubjid === subject.usubjid)!;
  await expect(page.getByTestId('profile-level')).toContainText(`DL${subject.level}`);
  await expect(page.getByTestId('profile-demographics')).toHaveText(`${lane.age} / ${lane.sex}`);
  await expect(page.getByTestId('profile-treatment')).toContainText(subject.ongoing ? 'Ongoing' : `Ended day ${lane.endOfTreatment!.day}`);
  if (subject.eotReason) await expect(page.getByTestId('profile-treatment')).toContainText(subject.eotReason.charAt(0) + subject.eotReason.slice(1).toLowerCase());
  await expect(page.getByTestId('profile-disposition')).toContainText('Informed consent obtained');
  // Tracks on one study-day axis: exposure, AEs, concomitant medications (CM in the demo since issue 15), tumour response, PK, ADA, labs (LB present in the demo).
  const tracks = page.getByTestId('profile-tracks').locator('li');
  await expect(tracks).toHaveCount(7);
  expect(await tracks.evaluateAll((l) => l.map((x) => x.getAttribute('data-track')))).toEqual(['exposure', 'aes', 'cm', 'tumour', 'pk', 'ada', 'labs']);
  // Exposure: one bar per dose segment (the truth's run of planned doses: 0.01 → 0.03 → 0.1 mg/kg).
  // plotly is loaded at the first plot drawn (README.md#performance): wait until the figure holds its data.
  await page.waitForFunction(() => !!(document.querySelector('[data-testid=profile] .js-plotly-plot') as unknown as { data?: unknown } | null)?.data);
  const gd = await page.evaluate(() => {
    const el = document.querySelector('[data-testid=profile] .js-plotly-plot') as unknown as { data: { name: string; type: string; x: unknown[]; yaxis?: string }[] };
    return el.data.map((t) => ({ name: t.name, type: t.type, n: t.x.length, yaxis: t.yaxis ?? 'y' }));
  });
  const runs = subject.dosesMgPerKg.filter((d, i) => i === 0 || d !== subject.dosesMgPerKg[i - 1]);
  expect(gd.filter((t) => t.type === 'bar' && t.yaxis === 'y').length).toBe(runs.length);
  const aeBars = gd.filter((t) => t.type === 'bar' && t.yaxis === 'y2').reduce((n, t) => n + t.n, 0);
  expect(aeBars, 'one bar per AE (truth aeCount)').toBe(subject.aeCount);
  // Issue 12: a legend for the dose colours (every level of the study; those this subject received marked).
  const legend = page.getByTestId('profile-dose-legend');
  await expect(legend).toBeVisible();
  const levels = [...new Set(tl.subjects.map((s) => s.level))];
  await expect(legend.locator('.dose-key')).toHaveCount(levels.length);
  const receivedLevels = [...new Set(lane.segments.map((s) => s.level))];
  await expect(legend.locator('.dose-key-received')).toHaveCount(receivedLevels.length);
  await expect(legend.locator(`.dose-key-received[data-level="${subject.level}"]`)).toBeVisible();
  // The lab panel shades the normal range: a band whose limits are the file's LBSTNRLO/LBSTNRHI for this
  // subject and test (resources/demo/cut2/lb.csv, read here as plain text).
  const testcd = await page.getByTestId('profile-lab').inputValue();
  const lbLines = fs.readFileSync(path.join(DEMO_DIR, 'cut2', 'lb.csv'), 'utf8').trim().split('\n');
  const head = lbLines[0]!.split(',');
  const col = (n: string) => head.indexOf(n);
  const rowsOfTest = lbLines.slice(1).map((l) => l.split(',')).filter((c) => c[col('USUBJID')] === subject.usubjid && c[col('LBTESTCD')] === testcd);
  expect(rowsOfTest.length).toBeGreaterThan(0);
  const band = await page.evaluate(() => {
    const el = document.querySelector('[data-testid=profile] .js-plotly-plot') as unknown as { data: { name: string; y: number[]; fill?: string; yaxis?: string }[] };
    const lo = el.data.find((t) => t.name === 'normal-range-low');
    const hi = el.data.find((t) => t.name === 'Normal range (LBSTNRLO–LBSTNRHI)');
    return lo && hi ? { lo: lo.y, hi: hi.y, fill: hi.fill, yaxis: hi.yaxis } : null;
  });
  expect(band).not.toBeNull();
  expect(band!.fill).toBe('tonexty');
  expect(band!.yaxis).toBe('y6');
  expect(new Set(band!.lo)).toEqual(new Set(rowsOfTest.map((c) => Number(c[col('LBSTNRLO')]))));
  expect(new Set(band!.hi)).toEqual(new Set(rowsOfTest.map((c) => Number(c[col('LBSTNRHI')]))));
  // Issue 15: the lab panel's grades are the labs feature's. On a graded test, the row of the subject's worst
  // post-baseline result (labs.shift) says that grade and where it comes from.
  const shift = await app.core.call('labs.shift', { snapshotId: snap!.snapshotId });
  const worst = shift.subjects.find((x) => x.usubjid === subject.usubjid && x.worstGrade !== null)!;
  expect(worst, 'the subject has a graded lab test').toBeTruthy();
  await page.getByTestId('profile-lab').selectOption(worst.testcd);
  const sl = await app.core.call('subjects.labs', { snapshotId: snap!.snapshotId, usubjid: subject.usubjid });
  const labTest = sl.tests.find((x) => x.testcd === worst.testcd)!;
  await expect(page.getByTestId('profile-lab-row')).toHaveCount(labTest.points.length);
  const worstPoint = labTest.points.find((p) => p.dtc === worst.worstDtc)!;
  const words = worst.worstSource === 'LBTOXGR' ? 'as recorded (LBTOXGR)' : 'derived from the value and normal range';
  await expect(page.locator(`[data-testid=profile-lab-row][data-row="${worstPoint.rowNo}"] [data-testid=profile-lab-grade]`)).toContainText(`${worst.term}: grade ${worst.worstGrade}, ${words}`);
  // The header's best response and the tumour panel name the same evaluator and response.
  const series = await app.core.call('efficacy.tumourSeries', { snapshotId: snap!.snapshotId, usubjids: [subject.usubjid] });
  const ts = series.subjects[0]!;
  await expect(page.getByTestId('profile-bor')).toContainText(ts.bor.confirmed.response);
  const evaluator = ts.points.find((p) => !p.baseline && p.response)!.evaluator;
  await expect(page.getByTestId('profile-bor')).toContainText(`evaluator ${evaluator}`);
  await expect(page.getByTestId('profile-tracks').locator('[data-track=tumour]')).toContainText(`responses of ${evaluator} · BOR ${ts.bor.confirmed.response}`);
  await screenshot(page, 'profile-normal');
  expect(await seriousViolations(page), 'axe: profile').toEqual([]);

  // J: next subject in dose-level order; K: back to this one.
  const order = [...tl.subjects].sort((a, b) => (a.level ?? 99) - (b.level ?? 99) || a.usubjid.localeCompare(b.usubjid)).map((s) => s.usubjid);
  const i = order.indexOf(subject.usubjid);
  await page.keyboard.press('j');
  await expect(page.getByTestId('profile-subject')).toHaveText(order[i + 1]!);
  await page.keyboard.press('k');
  await expect(page.getByTestId('profile-subject')).toHaveText(subject.usubjid);

  await page.keyboard.press('p');
  await expect(page.locator('.topbar')).toBeHidden();
  await screenshot(page, 'profile-presentation');
  await page.keyboard.press('p');

  await page.getByTestId('profile-back').click();
  await expect(page.getByRole('heading', { name: 'Cohorts', exact: true })).toBeVisible();
});

const PILOT = referencePath('sdtm-xpt/cdiscpilot01', 'profile.spec.ts (the CDISC pilot export)');
test.describe('a real export with DM/AE/EX/DS/TS only (CDISC pilot)', () => {
  test.use({ seedDemo: false });
  test.skip(!PILOT, 'needs ../shared/reference/sdtm-xpt/cdiscpilot01 (reference data, not in this repository)');
  test('swimmer (in pages of 100 lanes) and profile draw what the domains allow and say what is missing', async ({ page, app }) => {
    test.setTimeout(240_000);
    const dir = PILOT!;
    const r = await app.core.call('snapshot.import', { path: dir });
    expect(r.errors).toEqual([]);
    const tl = await app.core.call('subjects.timeline', { snapshotId: r.snapshotId! });
    expect(tl.subjects.length).toBeGreaterThan(0);
    await page.goto(app.url);
    await page.getByRole('button', { name: 'Swimmer', exact: true }).click();
    // 254 treated subjects, more than one page holds (SwimmerView LANES_ONE_PAGE = 200): drawn 100
    // lanes at a time (LANES_PER_PAGE), in three pages.
    const n = tl.subjects.length;
    expect(n).toBeGreaterThan(200);
    expect(n).toBeLessThanOrEqual(300);
    const lanes = page.getByTestId('swimmer-lanes').locator('tbody tr');
    const shown = () => lanes.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-usubjid')));
    await expect(lanes).toHaveCount(100);
    await expect(page.getByTestId('swimmer-count')).toHaveText(`${n} of ${n} treated subjects`);
    await expect(page.getByTestId('swimmer-page')).toHaveText(`Showing lanes 1–100 of ${n}`);
    await expect(page.locator('[data-testid=swimmer] .plot-footnote')).toContainText(`lanes 1–100 of ${n}`);
    await expect(page.locator('[data-testid=swimmer] .plot-note')).toContainText('no RS/TR: no response markers');
    await expect(page.locator('[data-testid=swimmer] .plot-note')).toContainText('no IS: no ADA markers');
    // The lanes' table comes with the data; the plot draws after it: the screenshot shows the drawn plot.
    await expect(page.getByTestId('swimmer').locator('.plot-area')).toHaveAttribute('data-drawn', 'true', { timeout: 60_000 });
    await screenshot(page, 'swimmer-cdiscpilot01');
    const pages = [await shown()];
    await page.getByRole('button', { name: 'Next 100' }).click();
    await expect(page.getByTestId('swimmer-page')).toHaveText(`Showing lanes 101–200 of ${n}`);
    await expect(lanes).toHaveCount(100);
    pages.push(await shown());
    await page.getByRole('button', { name: 'Next 100' }).click();
    await expect(page.getByTestId('swimmer-page')).toHaveText(`Showing lanes 201–${n} of ${n}`);
    await expect(lanes).toHaveCount(n - 200);
    await expect(page.getByRole('button', { name: 'Next 100' })).toBeDisabled();
    pages.push(await shown());
    expect(new Set(pages.flat()).size, 'the three pages together hold every lane once').toBe(n);
    await page.getByRole('button', { name: 'Previous 100' }).click();
    await page.getByRole('button', { name: 'Previous 100' }).click();
    await expect(page.getByTestId('swimmer-page')).toHaveText(`Showing lanes 1–100 of ${n}`);
    await expect(page.getByRole('button', { name: 'Previous 100' })).toBeDisabled();
    await page.getByTestId('swimmer-lanes').getByRole('button').first().evaluate((b: HTMLElement) => b.click());
    await expect(page.getByTestId('profile-subject')).toHaveText(tl.subjects.slice().sort((a, b) => (a.level ?? 1e9) - (b.level ?? 1e9) || (b.laneEndDay ?? 0) - (a.laneEndDay ?? 0) || a.usubjid.localeCompare(b.usubjid))[0]!.usubjid);
    await expect(page.locator('[data-testid=profile] .plot-note')).toContainText('Not in this snapshot');
    await expect(page.locator('[data-testid=profile] .plot-note')).toContainText('LB (labs)');
    await screenshot(page, 'profile-cdiscpilot01');
  });
});
