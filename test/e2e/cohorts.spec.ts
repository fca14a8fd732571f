import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { cutSnapshot, generateStudy, type StudyTruth } from '../../electron/core/demo/generate';
import { DEMO_DIR, expect, screenshot, seriousViolations, test } from './fixtures';

// The first thing a new user sees: a fresh database, the two shipped demo cuts imported at first
// start, and the Cohorts table. Expected numbers come from the demo generator's truth object
// (electron/core/demo/truth.ts: derived from the subject plans, not from the written files), for
// the data cut-off the shipped study.json declares. The DLT-window rule is docs/CLINICAL_RULES.md#dlt-window.

interface ExpectedRow {
  level: number;
  part: 'escalation' | 'expansion';
  dose: number;
  treated: number;
  windowComplete: number;
  windowOpen: number;
  notEvaluable: number;
  subjectsGrade3: number;
  saes: number;
  subjectsWithSae: number;
  dltAes: number;
  subjectsWithDlt: number;
  ongoing: number;
  openWindows: { usubjid: string; windowEnd: string }[];
}

/** The Cohorts table as the generator's truth says it must be: one row per part × dose level with treated subjects. */
function expectedRows(truth: StudyTruth): ExpectedRow[] {
  const rows = new Map<string, ExpectedRow>();
  for (const s of truth.subjects) {
    const part = s.part === 'EXPANSION' ? 'expansion' : 'escalation';
    const key = `${part === 'expansion' ? 1 : 0}:${String(s.level).padStart(3, '0')}`;
    let r = rows.get(key);
    if (!r) {
      r = { level: s.level, part, dose: s.plannedDose, treated: 0, windowComplete: 0, windowOpen: 0, notEvaluable: 0, subjectsGrade3: 0, saes: 0, subjectsWithSae: 0, dltAes: 0, subjectsWithDlt: 0, ongoing: 0, openWindows: [] };
      rows.set(key, r);
    }
    r.treated++;
    if (s.dltWindowStatus === 'dlt' || s.dltWindowStatus === 'completed') r.windowComplete++;
    if (s.dltWindowStatus === 'pending') {
      r.windowOpen++;
      r.openWindows.push({ usubjid: s.usubjid, windowEnd: s.dltWindowEnd });
    }
    if (s.dltWindowStatus === 'not-evaluable') r.notEvaluable++;
    if (s.grade3plus) r.subjectsGrade3++;
    r.saes += s.saeCount;
    if (s.saeCount > 0) r.subjectsWithSae++;
    r.dltAes += s.dltCount;
    if (s.dlt) r.subjectsWithDlt++;
    if (s.ongoing) r.ongoing++;
  }
  return [...rows.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, r]) => r);
}

function truthOfShippedCut(cut: 'cut1' | 'cut2'): { cutoff: string; truth: StudyTruth } {
  const def = JSON.parse(fs.readFileSync(path.join(DEMO_DIR, cut, 'study.json'), 'utf8')) as { dataCutoff: string };
  return { cutoff: def.dataCutoff, truth: cutSnapshot(generateStudy(), def.dataCutoff).truth };
}

const NUMBER_COLUMNS = ['treated', 'windowComplete', 'windowOpen', 'notEvaluable', 'subjectsGrade3', 'saes', 'subjectsWithSae', 'dltAes', 'subjectsWithDlt', 'ongoing'] as const;

async function expectCohortTable(page: Page, cutoff: string, truth: StudyTruth): Promise<void> {
  await expect(page.getByTestId('cohorts-cutoff')).toHaveText(cutoff);
  const expected = expectedRows(truth);
  const rows = page.getByTestId('cohort-row');
  await expect(rows).toHaveCount(expected.length);
  for (const [i, e] of expected.entries()) {
    const row = rows.nth(i);
    await expect(row, `row ${i + 1} is ${e.part} DL${e.level}`).toHaveAttribute('data-level', String(e.level));
    await expect(row).toHaveAttribute('data-part', e.part);
    await expect(row.locator('[data-col=dose]')).toContainText(`${e.dose} mg/kg`);
    for (const col of NUMBER_COLUMNS) {
      const cell = row.locator(`[data-col=${col}]`);
      const shown = col === 'windowOpen' ? cell.locator('.cell-value') : cell;
      await expect(shown, `${e.part} DL${e.level}, column ${col}`).toHaveText(String(e[col]));
    }
    // Each open DLT window is listed with its last day (study day 21).
    for (const w of e.openWindows) await expect(row.locator('[data-col=windowOpen]')).toContainText(`${w.usubjid}ends ${w.windowEnd}`);
  }
  const total = page.getByTestId('cohorts-total');
  await expect(total.locator('td').first()).toHaveText(String(truth.subjects.length));
}

test('fresh database: the demo cuts are imported and the Cohorts table shows the numbers the generator made', async ({ page, app }) => {
  expect(app.snapshotIds, 'seedDemoIfEmpty imported cut1 and cut2').toHaveLength(2);
  const cut1 = truthOfShippedCut('cut1');
  const cut2 = truthOfShippedCut('cut2');
  expect(cut2.truth.subjects.length).toBeGreaterThan(cut1.truth.subjects.length);

  await page.goto(app.url);
  // The picker lists the study's snapshots newest first: data cut-off, label, 12 hex of the hash.
  const snapshots = await app.core.call('snapshots.list', { studyId: 'IBB0979' });
  const options = page.getByTestId('snapshot-picker').locator('option');
  await expect(options).toHaveCount(2);
  await expect(options.nth(0)).toContainText(cut2.cutoff);
  await expect(options.nth(1)).toContainText(cut1.cutoff);
  for (const [i, s] of snapshots.entries()) await expect(options.nth(i)).toContainText(s.contentHash.slice(0, 12));
  await expect(page.getByTestId('study-picker')).toHaveValue('IBB0979');

  // The newest cut is shown first.
  await expectCohortTable(page, cut2.cutoff, cut2.truth);
  await screenshot(page, 'cohorts-cut2');
  expect(await seriousViolations(page), 'axe: Cohorts view').toEqual([]);

  // The earlier cut.
  await page.getByTestId('snapshot-picker').selectOption({ index: 1 });
  await expectCohortTable(page, cut1.cutoff, cut1.truth);
  await screenshot(page, 'cohorts-cut1');

  // The selection survives a restart of the UI.
  await page.getByRole('button', { name: 'Provenance', exact: true }).click();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Snapshot provenance' })).toBeVisible();
  await expect(page.getByTestId('snapshot-picker')).toHaveValue(String(snapshots[1]!.snapshotId));
});

test('snapshot provenance: files with SHA-256, the full content hash and the stored warnings', async ({ page, app }) => {
  await page.goto(app.url);
  await page.getByRole('button', { name: 'Provenance', exact: true }).click();
  const [newest] = await app.core.call('snapshots.list', {});
  const details = await app.core.call('snapshot.get', { snapshotId: newest!.snapshotId });
  await expect(page.getByTestId('content-hash')).toHaveText(newest!.contentHash);
  // Every shipped file is listed with its SHA-256, independent of the core: hash the files here.
  const { createHash } = await import('node:crypto');
  const dir = path.join(DEMO_DIR, 'cut2');
  const files = fs.readdirSync(dir);
  const table = page.getByTestId('files-table');
  await expect(table.locator('tbody tr')).toHaveCount(details.files.length);
  for (const f of files) {
    const sha = createHash('sha256').update(fs.readFileSync(path.join(dir, f))).digest('hex');
    await expect(table.locator('tbody tr', { hasText: f }).first()).toContainText(sha);
  }
  const warnings = details.issues.filter((i) => i.severity === 'warning');
  if (warnings.length) await expect(page.getByTestId('warning-table').locator('tbody tr')).toHaveCount(warnings.length);
  await screenshot(page, 'snapshot-provenance');
  expect(await seriousViolations(page), 'axe: provenance view').toEqual([]);
});

test.describe('empty database', () => {
  test.use({ seedDemo: false });
  test('says that no snapshot is loaded and offers the import', async ({ page, app }) => {
    await page.goto(app.url);
    await expect(page.getByRole('heading', { name: 'No snapshot loaded' })).toBeVisible();
    await expect(page.getByTestId('snapshot-picker')).toBeDisabled();
    await screenshot(page, 'cohorts-empty');
    await page.locator('main').getByRole('button', { name: 'Import snapshot…' }).click();
    await expect(page.getByRole('dialog', { name: 'Import snapshot' })).toBeVisible();
  });
});
