import type { Page } from '@playwright/test';
import { exportTable } from './downloads';
import { expect, screenshot, seriousViolations, test, type DoseDeskApp } from './fixtures';

// The audit trail view (issue 5 "Audit trail"; 21 CFR 11.10(e)): the entries a meeting wrote
// (create, change, lock) are listed as audit.list returns them, the action filter narrows the grid,
// the CSV export carries the rows, "Verify chain" reports audit.verify's result. And the session
// lock screen (21 CFR 11.200 / FDA Q&A 2024 on inactivity disconnect): after the inactivity limit the
// UI locks, asks for the password again, and keeps the work on screen.

const ADMIN = { username: 'admin', printedName: 'Ada Admin', password: 'Root-Key-2025!x' };
const SEC = { username: 'sec.jones', printedName: 'Sam Jones', password: 'Secretary-Pass-2025!' };

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name, exact: true }).click();

/** Accounts and a locked meeting written through the contract, as the UI would. */
async function seedMeeting(app: DoseDeskApp): Promise<number> {
  await app.core.call('users.bootstrap', { username: ADMIN.username, printedName: ADMIN.printedName, password: ADMIN.password });
  const { session: admin } = await app.core.call('auth.login', { username: ADMIN.username, password: ADMIN.password });
  const people = [
    { ...SEC, role: 'secretary' as const },
    { username: 'dr.chair', printedName: 'Dr Claire Chair', password: 'Chair-Pass-2025!', role: 'chair' as const },
    { username: 'dr.one', printedName: 'Dr Omar One', password: 'Member-One-2025!', role: 'voting-member' as const },
  ];
  const ids: number[] = [];
  for (const p of people) {
    const u = await app.core.call('users.create', { session: admin, username: p.username, printedName: p.printedName, role: p.role, password: 'Temporary-Pw-1', identityVerification: 'e2e seed' });
    await app.core.call('auth.changePassword', { username: p.username, oldPassword: 'Temporary-Pw-1', newPassword: p.password });
    ids.push(u.userId);
  }
  const { session } = await app.core.call('auth.login', { username: SEC.username, password: SEC.password });
  const [snap] = await app.core.call('snapshots.list', {});
  const dlt = await app.core.call('safety.dltTable', { snapshotId: snap!.snapshotId });
  const level = Math.max(...dlt.levels.filter((l) => l.part === 'escalation' && l.treated > 0).map((l) => l.level));
  const attendees = people.map((p, i) => ({ userId: ids[i]!, name: p.printedName, role: p.role, voting: p.role !== 'secretary', present: true, affiliation: '' }));
  const m = await app.core.call('meetings.create', { session, snapshotId: snap!.snapshotId, levels: [level], title: 'Audit e2e meeting', startAt: '2025-11-24T14:00:00+01:00', timeZone: 'Europe/Paris', attendees });
  const rec = m.record.content.levels[0]!.recommendation!;
  const decision = { decision: 'declare-mtd' as const, nextLevel: rec.recommendedLevel ?? level, nextDose: null, cohortSize: null, rationale: 'As the rule recommends.', conditions: '' };
  await app.core.call('meetings.update', {
    session,
    meetingId: m.meetingId,
    version: m.version,
    changes: { levels: [{ level, decision, votes: [ids[1]!, ids[2]!].map((userId) => ({ userId, vote: 'for' as const, comment: '' })) }] },
    reason: 'decision recorded',
  });
  await app.core.call('meetings.finalize', { session, meetingId: m.meetingId, version: m.version });
  return m.meetingId;
}

test('audit: the meeting entries in the grid, filter by action, CSV export, verify chain', async ({ page, app }) => {
  test.setTimeout(180_000);
  const meetingId = await seedMeeting(app);
  const meetingEntries = await app.core.call('audit.list', { entity: 'meeting' });
  expect(meetingEntries.map((e) => e.action)).toEqual(['create', 'change', 'lock']);

  await page.goto(app.url);
  await nav(page, 'Audit trail');
  const grid = page.getByTestId('audit-grid');
  const all = await app.core.call('audit.list', {});
  await expect(grid.locator('.plot-footnote')).toContainText(`${all.length} entries · filters: none`);
  await expect(grid.locator('.ag-row[row-index="0"] [col-id="seq"]')).toHaveText(String(all[all.length - 1]!.seq)); // newest first

  await page.getByTestId('audit-filter-entity').selectOption('meeting');
  const rows = grid.locator('.ag-row[row-index]');
  await expect(rows).toHaveCount(meetingEntries.length);
  for (const e of meetingEntries) await expect(grid.locator(`.ag-row[row-index] [col-id=seq]`, { hasText: new RegExp(`^${e.seq}$`) })).toHaveCount(1);
  await expect(grid).toContainText(String(meetingId));
  await expect(grid).toContainText(SEC.username);

  // Old → new as readable field changes (issue 12 item 12a), not raw JSON; the JSON on demand.
  const changeEntry = meetingEntries[1]!;
  const changeRow = grid.locator('.ag-row[row-index]', { has: page.locator('[col-id=seq]', { hasText: new RegExp(`^${changeEntry.seq}$`) }) });
  const changesCell = changeRow.locator('[col-id=changes]');
  await expect(changesCell).toContainText('reviewed level 1 · decision: — → Declare the MTD');
  await expect(changesCell).toContainText('reviewed level 1 · decision.rationale: — → As the rule recommends.');
  await expect(changesCell).not.toContainText('{');
  await expect(grid.locator('[col-id=oldValue]')).toHaveCount(0);
  await screenshot(page, 'audit-changes', { fullPage: false });
  await page.getByTestId('audit-raw').check();
  await expect(grid.locator('.ag-row[row-index] [col-id=newValue]').first()).toBeVisible();
  await expect(grid.locator('[col-id=changes]')).toHaveCount(0);
  await expect(grid).toContainText('"content.levels[0].decision"');
  await page.getByTestId('audit-raw').uncheck();
  await expect(changesCell).toContainText('Declare the MTD');

  await page.getByTestId('audit-filter-action').selectOption('lock');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('lock');
  await expect(rows.first()).toContainText(meetingEntries[2]!.hash.slice(0, 12));

  // The CSV holds the header and the rows shown; the filters are stated in the sidecar JSON.
  const out = await exportTable(page, () => page.getByTestId('audit-grid-export-csv').click());
  const csv = out.csv;
  const lines = out.lines.map((l) => l.trimEnd());
  expect(lines).toHaveLength(2);
  expect(csv).toContain(`"${meetingEntries[2]!.seq}"`);
  expect(csv).toContain('"lock"');
  expect(lines.filter((l) => l.includes('"lock"'))).toHaveLength(1);
  expect(out.sidecar.title).toBe('Audit trail');
  expect(out.sidecar.footnote).toContain('filters: action lock, entity meeting');

  await page.getByTestId('audit-verify').click();
  const verified = await app.core.call('audit.verify', {});
  expect(verified.ok).toBe(true);
  await expect(page.getByTestId('audit-verify-result')).toHaveAttribute('data-ok', 'true');
  // The result is the chain as it was when the button was pressed (audit.verify writes no entry).
  await expect(page.getByTestId('audit-verify-result')).toContainText(`Chain intact: ${verified.entries} entries`);
  await screenshot(page, 'audit-normal');
  expect(await seriousViolations(page, '[data-testid=audit-view]'), 'axe: audit view').toEqual([]);
});

test('session: the UI locks after the inactivity limit and the password unlocks it, keeping the work on screen', async ({ page, app }) => {
  test.setTimeout(120_000);
  await seedMeeting(app);
  const { inactivityMinutes } = await app.core.call('auth.status', {});
  await page.clock.install();
  await page.goto(app.url);
  await page.getByTestId('signin').click();
  await page.getByTestId('signin-username').fill(ADMIN.username);
  await page.getByTestId('signin-password').fill(ADMIN.password);
  await page.getByTestId('signin-submit').click();
  await expect(page.getByTestId('user-badge')).toContainText(ADMIN.printedName);

  await nav(page, 'Users');
  await page.getByTestId('new-user-username').fill('dr.three');
  await page.getByTestId('new-user-name').fill('Dr Theo Three');

  await page.clock.fastForward((inactivityMinutes + 1) * 60_000);
  const lock = page.getByTestId('lock-screen');
  await expect(lock).toBeVisible();
  await expect(lock).toContainText(`after ${inactivityMinutes} minutes without activity`);
  await screenshot(page, 'session-locked', { fullPage: false });
  expect(await seriousViolations(page, '[data-testid=lock-screen]'), 'axe: lock screen').toEqual([]);
  await lock.getByTestId('lock-password').fill('wrong password');
  await lock.getByTestId('lock-submit').click();
  await expect(lock.getByRole('alert')).toHaveText('wrong user id or password');
  await lock.getByTestId('lock-password').fill(ADMIN.password);
  await lock.getByTestId('lock-submit').click();
  await expect(lock).toBeHidden();
  // The work on screen is kept.
  await expect(page.getByTestId('new-user-username')).toHaveValue('dr.three');
  await expect(page.getByTestId('new-user-name')).toHaveValue('Dr Theo Three');
  const events = (await app.core.call('audit.list', { user: ADMIN.username })).map((e) => e.action);
  expect(events).toContain('login-failed');
  expect(events.filter((a) => a === 'login').length).toBeGreaterThanOrEqual(3); // the seed, the sign-in, the unlock
});
