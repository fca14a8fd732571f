import { recommend, recommendForStudy } from '../../shared/escalation/index';
import { expect, screenshot, seriousViolations, test } from './fixtures';

// The Cohorts view's look-ahead panel on the shipped demo (latest cut): one row per outcome path of
// the next evaluable patients, each decision shown equal to the rule engine (shared/escalation
// recommend / recommendForStudy) run here on the row's hypothetical history; the dose paths; K
// changeable; readable at 1600×1000 and 1280×720 (screenshots looked at).

test('cohorts: look-ahead table and dose paths equal the rule engine on each hypothetical history', async ({ page, app }) => {
  test.setTimeout(240_000);
  const [s2, s1] = await app.core.call('snapshots.list', {});
  const [study] = await app.core.call('studies.list', {});
  const def = study!.definition;
  const levels = def.doseLevels.length;
  const doses = [...def.doseLevels].sort((a, b) => a.level - b.level).map((l) => l.dose);

  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto(app.url);
  const panel = page.getByTestId('lookahead-panel');
  // The latest demo cut has stopped (the rule declared the MTD): no next patient, said so.
  const stopped = await app.core.call('safety.lookahead', { snapshotId: s2!.snapshotId, patients: 3 });
  expect(stopped.paths).toEqual([]);
  await expect(panel.getByTestId('lookahead-note')).toContainText(`does not continue on the current history (${stopped.current.protocol.action})`);
  await expect(panel.getByTestId('lookahead-row')).toHaveCount(0);

  // The first cut, where the cohort at the current level is still open.
  await page.getByTestId('snapshot-picker').selectOption(String(s1!.snapshotId));
  const dlt = await app.core.call('safety.dltTable', { snapshotId: s1!.snapshotId });
  const la = await app.core.call('safety.lookahead', { snapshotId: s1!.snapshotId, patients: 3 });
  expect(la.paths.length).toBeGreaterThan(0);
  await expect(panel).toBeVisible();
  await expect(page.getByTestId('lookahead-history')).toHaveText(dlt.history);
  const rows = panel.getByTestId('lookahead-row');
  await expect(rows).toHaveCount(la.paths.length);
  for (const p of la.paths) {
    const row = panel.locator(`[data-testid=lookahead-row][data-history="${p.history}"]`);
    const protocol = recommendForStudy(def.escalation, { levels, history: p.history, ...(def.escalation.design === 'atd' ? { doses } : {}) });
    await expect(row.getByTestId('lookahead-protocol'), p.history).toHaveAttribute('data-action', protocol.action);
    for (const design of ['boin', 'mtpi2'] as const) {
      const r = recommend({ design, levels, history: p.history, target: def.escalation.targetToxicity });
      await expect(row.getByTestId(`lookahead-${design}`), `${design} ${p.history}`).toHaveAttribute('data-action', r.action);
    }
  }
  await expect(panel.getByTestId('lookahead-path').first()).toBeVisible();
  await panel.scrollIntoViewIfNeeded();
  await page.getByTestId('lookahead-k').scrollIntoViewIfNeeded();
  await screenshot(page, 'cohorts-lookahead-1600', { fullPage: false });
  expect(await seriousViolations(page, '[data-testid=lookahead-panel]')).toEqual([]);

  // K = 1: only the next patient's outcomes (0 or 1 DLT).
  await page.getByTestId('lookahead-k').selectOption('1');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('0 DLTs in');
  await expect(rows.nth(1)).toContainText('1 DLT in');

  await page.getByTestId('lookahead-k').selectOption('3');
  await expect(rows).toHaveCount(la.paths.length);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.getByTestId('lookahead-k').scrollIntoViewIfNeeded();
  await screenshot(page, 'cohorts-lookahead-1280', { fullPage: false });
  // The table fits the panel's width at 1280 (no column cut off without a scrollbar).
  const fits = await panel.locator('.lookahead-wrap').evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
  expect(fits).toBe(true);
});
