import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, revealSections, SCREENSHOT_DIR, seriousViolations, test } from './fixtures';

// The committee's AE tables in the AE view on the demo (newest cut): treatment-related AEs
// (safety.relatedIncidence), AEs leading to dose change or discontinuation (safety.aeAction) and the
// SOC × dose-level worst-grade heat grid (safety.socGradeGrid). The numbers on screen are the core's:
// the "any related TEAE" total and one grid cell are compared with the contract's answer.

async function openView(page: Page, name: string): Promise<void> {
  await page.locator('nav[aria-label="Views"]').getByRole('button', { name, exact: true }).click();
}

test('AEs: treatment-related, dose-change and SOC × level worst-grade tables on the demo', async ({ page, app }) => {
  test.setTimeout(600_000);
  const [newest] = await app.core.call('snapshots.list', {});
  const sid = newest!.snapshotId;
  const related = await app.core.call('safety.relatedIncidence', { snapshotId: sid, minGrade: 1 });
  const action = await app.core.call('safety.aeAction', { snapshotId: sid });
  const grid = await app.core.call('safety.socGradeGrid', { snapshotId: sid });
  expect(related.rows[0]!.total.subjects).toBeGreaterThan(0);
  expect(grid.rows.length).toBeGreaterThan(0);

  await page.goto(app.url);
  await openView(page, 'AEs');
  // The committee tables load below the incidence tables when scrolled near.
  await expect(page.getByTestId('ae-worst-grade')).toBeVisible({ timeout: 60_000 });
  await revealSections(page);
  const rel = page.getByTestId('ae-related');
  await expect(rel).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('heading', { name: 'Treatment-related AEs' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'AEs leading to dose change or discontinuation' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Worst grade by SOC and dose level' })).toBeVisible();

  // "Any treatment-related TEAE", All treated column: n (%) of the treated subjects.
  const t = related.rows[0]!.total;
  await expect(rel.locator('tbody tr').first().locator('td').last()).toContainText(`${t.subjects} (${((100 * t.subjects) / related.totalN).toFixed(1)})`);
  await expect(rel.getByTestId('ae-related-missing')).toBeVisible();

  const act = page.getByTestId('ae-action');
  await expect(act.locator('tbody tr')).toHaveCount(action.rows.length + 1);

  const heat = page.getByTestId('ae-soc-grid');
  await expect(heat.locator('tbody tr')).toHaveCount(grid.rows.length);
  // First SOC, first level: subjects · G(worst).
  const c = grid.rows[0]!.cells[grid.groups[0]!.key]!;
  await expect(heat.locator('tbody tr').first().locator('td').first()).toHaveText(c.subjects === 0 ? '–' : `${c.subjects} · ${c.worstGrade ? `G${c.worstGrade}` : 'no grade'}`);
  await expect(page.getByTestId('ae-soc-grid-legend')).toContainText('G5');
  expect(await seriousViolations(page, '[data-testid="ae-soc-grid"]')).toEqual([]);

  await rel.screenshot({ path: path.join(SCREENSHOT_DIR, 'ae-related.png') });
  await act.screenshot({ path: path.join(SCREENSHOT_DIR, 'ae-action.png') });
  await heat.locator('xpath=..').screenshot({ path: path.join(SCREENSHOT_DIR, 'ae-soc-grid.png') });
});
