import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { cutSnapshot, generateStudy, HORIZON, writeSnapshot } from '../../electron/core/demo/generate';
import { createCore } from '../../electron/core/app';
import { DEMO_DIR, expect, screenshot, serveInChildProcess, seriousViolations, test } from './fixtures';

// The import dialog on real files. docs/ARCHITECTURE.md#the-flow-of-an-import: a failed import names file, row and column with what
// was expected and what was found, and leaves the database exactly as it was.

/** Copies a shipped demo cut into `dest` and replaces one CSV cell; returns the 1-based data row that was changed. */
function corruptCsvCell(src: string, dest: string, file: string, column: string, dataRow: number, value: string): void {
  fs.cpSync(src, dest, { recursive: true });
  const p = path.join(dest, file);
  const lines = fs.readFileSync(p, 'utf8').split('\n');
  const header = lines[0]!.split(',');
  const col = header.indexOf(column);
  expect(col, `${file} has a ${column} column`).toBeGreaterThanOrEqual(0);
  const line = lines[dataRow]!;
  expect(line.includes('"'), 'the row to corrupt has no quoted fields (plain split is exact)').toBe(false);
  const cells = line.split(',');
  cells[col] = value;
  lines[dataRow] = cells.join(',');
  fs.writeFileSync(p, lines.join('\n'));
}

async function visibleState(page: Page) {
  const options = await page.getByTestId('snapshot-picker').locator('option').allTextContents();
  const table = await page.getByTestId('cohorts-table').innerText();
  return { options, table };
}

test('a broken snapshot shows the located error and leaves the earlier data unchanged', async ({ page, app }) => {
  const broken = path.join(app.tmp, 'broken-cut');
  // DM data row 5: AGE must be numeric (SDTMIG DM.AGE is Num).
  corruptCsvCell(path.join(DEMO_DIR, 'cut2'), broken, 'dm.csv', 'AGE', 5, 'abc');

  await page.goto(app.url);
  await expect(page.getByTestId('cohort-row').first()).toBeVisible();
  const before = await visibleState(page);
  const listBefore = await app.core.call('snapshots.list', {});
  const summaryBefore = await app.core.call('cohorts.summary', { snapshotId: listBefore[0]!.snapshotId });

  await page.getByRole('banner').getByRole('button', { name: 'Import snapshot…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import snapshot' });
  await expect(dialog).toBeVisible();
  await screenshot(page, 'import-dialog-choose', { fullPage: false });
  expect(await seriousViolations(page, 'dialog'), 'axe: import dialog').toEqual([]);

  // The page types no path (issue 11): the folder is chosen and uploaded to the host's staging folder.
  await dialog.getByTestId('folder-input').setInputFiles(broken);
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();

  const status = dialog.getByTestId('import-status');
  await expect(status).toHaveAttribute('data-status', 'failed');
  await expect(status).toContainText('Import failed — nothing was written');
  await expect(page.getByRole('alert').first()).toBeVisible();
  const err = dialog.getByTestId('error-table').locator('tbody tr').first();
  await expect(err.locator('[data-col=file]')).toHaveText('dm.csv');
  await expect(err.locator('[data-col=row]')).toHaveText('5');
  await expect(err.locator('[data-col=column]')).toHaveText('AGE');
  await expect(err.locator('[data-col=found]')).toContainText('abc');
  await screenshot(page, 'import-dialog-failed', { fullPage: false });
  expect(await seriousViolations(page, 'dialog'), 'axe: import dialog with errors').toEqual([]);

  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();

  // Nothing changed: the same snapshots, the same cohort numbers, in the UI and in the database.
  await expect(page.getByTestId('cohort-row').first()).toBeVisible();
  expect(await visibleState(page)).toEqual(before);
  expect(await app.core.call('snapshots.list', {})).toEqual(listBefore);
  expect(await app.core.call('cohorts.summary', { snapshotId: listBefore[0]!.snapshotId })).toEqual(summaryBefore);
});

test('a ragged CSV row chosen as a folder is reported with its location', async ({ page, app }) => {
  const broken = path.join(app.tmp, 'ragged-cut');
  fs.cpSync(path.join(DEMO_DIR, 'cut2'), broken, { recursive: true });
  // AE is XPT in the demo; make the ragged row in a CSV domain (TU): drop the last field of data row 3.
  const p = path.join(broken, 'tu.csv');
  const lines = fs.readFileSync(p, 'utf8').split('\n');
  lines[3] = lines[3]!.slice(0, lines[3]!.lastIndexOf(','));
  fs.writeFileSync(p, lines.join('\n'));

  await page.goto(app.url);
  await page.getByRole('banner').getByRole('button', { name: 'Import snapshot…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import snapshot' });
  // The browser's folder chooser uploads the files to the host's staging folder.
  await dialog.getByTestId('folder-input').setInputFiles(broken);
  await expect(dialog.getByTestId('chosen-source')).toContainText('files');
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(dialog.getByTestId('import-status')).toHaveAttribute('data-status', 'failed');
  const err = dialog.getByTestId('error-table').locator('tbody tr').first();
  await expect(err.locator('[data-col=file]')).toHaveText('tu.csv');
  await expect(err.locator('[data-col=row]')).toHaveText('3');
  expect(await app.core.call('snapshots.list', {})).toHaveLength(2);
});

test.describe('snapshot without study.json', () => {
  test.use({ seedDemo: false });
  test('imports with progress, then asks to confirm the study definition', async ({ page, app }) => {
    const src = path.join(app.tmp, 'no-definition');
    fs.cpSync(path.join(DEMO_DIR, 'cut1'), src, { recursive: true });
    fs.rmSync(path.join(src, 'study.json'));
    const expectedDoses = (JSON.parse(fs.readFileSync(path.join(DEMO_DIR, 'cut1', 'study.json'), 'utf8')) as { doseLevels: { dose: number }[] }).doseLevels;

    await page.goto(app.url);
    await page.locator('main').getByRole('button', { name: 'Import snapshot…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import snapshot' });
    await dialog.getByTestId('folder-input').setInputFiles(src);
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(dialog.getByTestId('import-status')).toHaveAttribute('data-status', 'imported');
    // Per-domain counts: DM rows = the number of subject lines in dm.csv.
    const dmRows = fs.readFileSync(path.join(src, 'dm.csv'), 'utf8').trim().split('\n').length - 1;
    await expect(dialog.getByTestId('domains-table').locator('tr', { hasText: /^DM/ })).toContainText(String(dmRows));

    const form = dialog.getByTestId('definition-form');
    await expect(form.getByRole('heading', { name: 'Confirm study definition' })).toBeVisible();
    // Dose levels derived from EX: the distinct first doses given (only levels that were dosed at cut 1).
    const derived = await form.getByRole('textbox', { name: /Dose of level/ }).evaluateAll((els) => els.map((e) => Number((e as HTMLInputElement).value)));
    for (const d of derived) expect(expectedDoses.map((l) => l.dose)).toContain(d);
    await form.getByLabel('Data cut-off').fill('2025-08-22');
    await form.getByLabel('Escalation design').selectOption('atd');
    await screenshot(page, 'import-dialog-confirm-definition', { fullPage: false });
    expect(await seriousViolations(page, 'dialog'), 'axe: definition form').toEqual([]);
    await form.getByRole('button', { name: 'Save study definition' }).click();
    await expect(form.getByRole('status')).toContainText('Saved');
    const [study] = await app.core.call('studies.list', {});
    expect(study!.definitionSource).toBe('user');
    expect(study!.definition.dataCutoff).toBe('2025-08-22');
    expect(study!.definition.escalation.design).toBe('atd');

    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByTestId('cohorts-cutoff')).toHaveText('2025-08-22');
  });
});

test.describe('a database with accounts', () => {
  test.use({ seedDemo: false });
  test('an import asks to sign in first and is recorded under that account (issue 11)', async ({ page, app }) => {
    // An administrator exists: no change without a signed-in account.
    const password = 'Quorum-key-41';
    await app.core.call('users.bootstrap', { username: 'admin', printedName: 'Ada Admin', password });
    const src = path.join(app.tmp, 'cut1-copy');
    fs.cpSync(path.join(DEMO_DIR, 'cut1'), src, { recursive: true });

    await page.goto(app.url);
    await page.locator('main').getByRole('button', { name: 'Import snapshot…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import snapshot' });
    await dialog.getByTestId('folder-input').setInputFiles(src);
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();

    const signIn = page.getByTestId('signin-dialog');
    await expect(signIn).toBeVisible();
    await expect(signIn).toContainText('Importing a snapshot is recorded under your name');
    await screenshot(page, 'import-sign-in-first', { fullPage: false });
    await signIn.getByTestId('signin-username').fill('admin');
    await signIn.getByTestId('signin-password').fill(password);
    await signIn.getByTestId('signin-submit').click();

    await expect(dialog.getByTestId('import-status')).toHaveAttribute('data-status', 'imported', { timeout: 60_000 });
    await expect(dialog.getByTestId('import-status')).toBeVisible();
    await expect(page.getByTestId('user-badge')).toContainText('Ada Admin');
    await screenshot(page, 'import-after-sign-in', { fullPage: false });
    const [snap] = await app.core.call('snapshots.list', {});
    expect(snap!.importedBy).toBe('admin');
    const entries = await app.core.call('audit.list', { action: 'import' });
    expect(entries.map((e) => [e.user, e.entityId, e.reason])).toEqual([['admin', String(snap!.snapshotId), null]]);
  });
});

test('a long import shows its progress and can be cancelled: nothing is written', async ({ page, app }) => {
  test.setTimeout(180_000);
  // A larger study from the same generator (2,000 subjects, all CSV, about 400k rows), so that the
  // import takes several seconds even on a quiet machine (600 subjects took 2.3 s: too short to cancel).
  const big = path.join(app.tmp, 'big-cut');
  await writeSnapshot(big, cutSnapshot(generateStudy({ subjects: 2000 }), HORIZON), { format: 'csv' });
  // The host runs in its own process here (see serveInChildProcess), on its own fresh database.
  const dbPath = path.join(app.tmp, 'served.sqlite');
  const server = await serveInChildProcess(dbPath);
  try {
    await page.goto(server.url);
    const options = page.getByTestId('snapshot-picker').locator('option');
    await expect(options).toHaveCount(2);
    const before = await options.allTextContents();

    await page.getByRole('banner').getByRole('button', { name: 'Import snapshot…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import snapshot' });
    await dialog.getByTestId('folder-input').setInputFiles(big);
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();

    // Progress from import.progress events: the bar moves and names the file being read.
    const bar = dialog.getByRole('progressbar', { name: 'Import progress' });
    await expect(bar).toBeVisible();
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect(dialog.getByTestId('import-progress')).toContainText(/of \d+ files/);
    await screenshot(page, 'import-dialog-progress', { fullPage: false });

    await dialog.getByRole('button', { name: 'Cancel import' }).click();
    const status = dialog.getByTestId('import-status');
    await expect(status).toHaveAttribute('data-status', 'cancelled', { timeout: 60_000 });
    await expect(status).toContainText('nothing was written');
    await screenshot(page, 'import-dialog-cancelled', { fullPage: false });
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(options).toHaveText(before);
  } finally {
    await server.close();
  }
  // The database holds the two demo snapshots and nothing of the cancelled import.
  const core = createCore({ dbPath });
  try {
    const list = await core.call('snapshots.list', {});
    expect(list.map((s) => s.sourcePath)).toEqual([path.join(DEMO_DIR, 'cut2'), path.join(DEMO_DIR, 'cut1')]);
  } finally {
    core.close();
  }
});

test.describe('progress by bytes (issue 12)', () => {
  test.use({ seedDemo: false });
  test('the bar moves by bytes while one large file is read, and the folder is recorded by its own name', async ({ page, app }) => {
    test.setTimeout(240_000);
    // The generator's 2,000-subject study in CSV: LB and PC are files of tens of thousands of rows.
    const big = path.join(app.tmp, 'cut-2000');
    await writeSnapshot(big, cutSnapshot(generateStudy({ subjects: 2000 }), HORIZON), { format: 'csv' });
    await page.goto(app.url);
    await page.locator('main').getByRole('button', { name: 'Import snapshot…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import snapshot' });
    await dialog.getByTestId('folder-input').setInputFiles(big);
    // The core's progress events (what the bar shows), recorded beside the page's samples.
    const events: { phase: string; file: string | null; bytesDone: number }[] = [];
    const off = app.core.onEvent((e) => events.push(e));
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    // Sample what the dialog shows until the import ends: the bar's value and the "n of m files" count.
    const samples: { pct: number; files: string; bytes: string }[] = [];
    let shot = false;
    for (let t = Date.now(); Date.now() - t < 180_000; ) {
      const s = await page.evaluate(() => {
        const bar = document.querySelector('[role=progressbar][aria-label="Import progress"]');
        const meta = document.querySelector('[data-testid=import-progress] .progress-meta')?.textContent ?? '';
        return {
          done: !!document.querySelector('[data-testid=import-status]'),
          pct: bar ? Number(bar.getAttribute('aria-valuenow')) : -1,
          files: /(\d+) of (\d+) files/.exec(meta)?.[0] ?? '',
          bytes: document.querySelector('[data-testid=import-bytes]')?.textContent ?? '',
        };
      });
      if (s.done) break;
      if (s.pct >= 0 && s.files) samples.push(s);
      if (!shot && s.pct > 20 && s.bytes) {
        await screenshot(page, 'import-dialog-progress-bytes', { fullPage: false });
        shot = true;
      }
      await page.waitForTimeout(40);
    }
    await expect(dialog.getByTestId('import-status')).toHaveAttribute('data-status', 'imported', { timeout: 60_000 });
    off();
    // Within one file the progress moves by the bytes read, not only when a file is done: the core
    // reported several byte counts while reading one file (every 100 ms or 5,000 rows, so this does not
    // depend on how fast the page samples the bar on a quiet or a busy machine).
    const byFile = new Map<string, Set<number>>();
    for (const e of events) if (e.phase === 'reading' && e.file) byFile.set(e.file, (byFile.get(e.file) ?? new Set()).add(e.bytesDone));
    expect([...byFile.values()].some((v) => v.size >= 2), JSON.stringify([...byFile].map(([f, v]) => [f, v.size]))).toBe(true);
    // The dialog shows it as bytes.
    expect(samples.length).toBeGreaterThan(0);
    expect(samples.some((s) => /MB of [\d.]+ MB/.test(s.bytes))).toBe(true);
    // The bar never goes back.
    const pcts = samples.map((s) => s.pct);
    expect(pcts).toEqual([...pcts].sort((a, b) => a - b));
    // Uploaded through the page, recorded by the folder's own name (not the host's staging path).
    const [snap] = await app.core.call('snapshots.list', {});
    expect(snap!.sourcePath).toBe('cut-2000');
  });
});

test.describe('every error at once (issue 12)', () => {
  test.use({ seedDemo: false });
  test('several bad values of one file are listed together, grouped, and nothing is written', async ({ page, app }) => {
    const broken = path.join(app.tmp, 'broken-lb');
    // lb.csv of cut 1: LBSTRESN (Num in SDTMIG LB) made text in data rows 7 and 3, LBDTC made impossible in row 5.
    corruptCsvCell(path.join(DEMO_DIR, 'cut1'), broken, 'lb.csv', 'LBSTRESN', 7, 'high');
    const again = (file: string, column: string, row: number, value: string) => {
      const p = path.join(broken, file);
      const lines = fs.readFileSync(p, 'utf8').split('\n');
      const col = lines[0]!.split(',').indexOf(column);
      const cells = lines[row]!.split(',');
      cells[col] = value;
      lines[row] = cells.join(',');
      fs.writeFileSync(p, lines.join('\n'));
    };
    again('lb.csv', 'LBSTRESN', 3, 'n/a');
    again('lb.csv', 'LBDTC', 5, '2025-02-30');
    await page.goto(app.url);
    await page.locator('main').getByRole('button', { name: 'Import snapshot…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import snapshot' });
    await dialog.getByTestId('folder-input').setInputFiles(broken);
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    const status = dialog.getByTestId('import-status');
    await expect(status).toHaveAttribute('data-status', 'failed', { timeout: 60_000 });
    await expect(status).toContainText('3 errors');
    const rows = dialog.getByTestId('error-table').locator('tbody tr');
    await expect(rows).toHaveCount(3);
    // Grouped: by kind (date before type), then column, then row.
    const cells = await rows.evaluateAll((trs) => trs.map((tr) => [tr.querySelector('[data-col=row]')?.textContent, tr.querySelector('[data-col=column]')?.textContent]));
    expect(cells).toEqual([
      ['5', 'LBDTC'],
      ['3', 'LBSTRESN'],
      ['7', 'LBSTRESN'],
    ]);
    await screenshot(page, 'import-dialog-several-errors', { fullPage: false });
    expect(await app.core.call('snapshots.list', {})).toEqual([]);
  });
});
