import { test, expect, screenshot } from './fixtures';

test('smoke: the shell loads', async ({ page, app }) => {
  await page.goto(app.url);
  await expect(page.getByRole('heading', { name: 'Cohorts' })).toBeVisible();
  await screenshot(page, 'smoke');
});
