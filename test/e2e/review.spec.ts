import type { Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { expect, screenshot, seriousViolations, test } from './fixtures';

// Review marks that follow the data (issue 15 item 2) on the shipped demo, which the first start
// seeds with two cuts of IBB0979 (2025-08-22, 2025-11-21). A reviewer signs in from the profile's
// "Mark reviewed" on cut 1; on cut 2 the subject reads "changed since your review" with the records
// that changed, in the profile and in the Cohorts view's DLT table. The changes shown are checked
// against snapshot.changes, the importer's own record comparison (SQL on the stored natural keys),
// which is a second, independent path to the same answer for added and changed records.

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name, exact: true }).click();
const ADMIN = { username: 'admin', printedName: 'Ada Admin', password: 'Quorum-key-41' };
// The reviewer: the committee's secretary (who may also open the meeting record).
const SUE = { username: 'sue', printedName: 'Sue Secretary', password: 'Secretary-pw-2025!' };

test('review marks: mark on cut 1, switch to cut 2, "changed since your review" with the changes; unchanged subjects stay reviewed', async ({ page, app }) => {
  test.setTimeout(240_000);
  await app.core.call('users.bootstrap', { username: ADMIN.username, printedName: ADMIN.printedName, password: ADMIN.password });
  const admin = (await app.core.call('auth.login', { username: ADMIN.username, password: ADMIN.password })).session;
  await app.core.call('users.create', { session: admin, username: SUE.username, printedName: SUE.printedName, role: 'secretary', password: 'Temporary-Pw-1', identityVerification: 'e2e seed' });
  await app.core.call('auth.changePassword', { username: SUE.username, oldPassword: 'Temporary-Pw-1', newPassword: SUE.password });
  const snaps = await app.core.call('snapshots.list', {});
  const cut2 = snaps[0]!; // latest cut-off first
  const cut1 = snaps[1]!;
  expect(cut1.dataCutoff! < cut2.dataCutoff!).toBe(true);
  // A subject treated in cut 1 whose records change in cut 2, and one whose records do not.
  const changes = await app.core.call('snapshot.changes', { base: cut1.snapshotId, target: cut2.snapshotId });
  const dlt1 = await app.core.call('safety.dltTable', { snapshotId: cut1.snapshotId });
  const inCut1 = dlt1.levels.flatMap((l) => l.subjects.map((s) => s.usubjid));
  const changed = inCut1.filter((u) => changes.changedSubjects.includes(u)).sort((a, b) => changes.records.filter((r) => r.usubjid === b).length - changes.records.filter((r) => r.usubjid === a).length)[0]!;
  const unchanged = inCut1.find((u) => !changes.changedSubjects.includes(u))!;
  expect(changed && unchanged).toBeTruthy();

  // ---- cut 1: open the subject's profile from the DLT table and mark it reviewed (signing in first) ----
  await page.goto(app.url);
  await page.getByTestId('snapshot-picker').selectOption(String(cut1.snapshotId));
  await page.getByTestId('dlt-table').getByRole('button', { name: changed, exact: true }).click();
  await expect(page.getByTestId('profile-subject')).toHaveText(changed);
  const panel = page.getByTestId('review-panel');
  await expect(panel.getByTestId('review-badge')).toHaveText('not reviewed');
  await panel.getByTestId('review-comment').fill('DLT window and labs checked');
  await panel.getByTestId('review-mark').click();
  const signIn = page.getByTestId('signin-dialog');
  await expect(signIn).toContainText('A review mark is recorded under your name');
  await signIn.getByTestId('signin-username').fill(SUE.username);
  await signIn.getByTestId('signin-password').fill(SUE.password);
  await signIn.getByTestId('signin-submit').click();
  await expect(panel).toHaveAttribute('data-status', 'current');
  await expect(panel.getByTestId('review-badge')).toHaveText(new RegExp(`^✓ reviewed · ${SUE.username} · \\d{4}-\\d{2}-\\d{2}$`));
  await expect(panel.getByTestId('review-mark-item')).toContainText('DLT window and labs checked');
  // The mark is the core's: audited under the signed-in account.
  const audit = await app.core.call('audit.list', { entity: 'subject-review' });
  expect(audit.map((e) => [e.user, e.action, e.entityId])).toEqual([[SUE.username, 'review-mark', `${cut1.studyId}/${changed}`]]);
  // The unchanged subject is marked through the contract (as the CLI would).
  const { session } = await app.core.call('auth.login', { username: SUE.username, password: SUE.password });
  await app.core.call('review.mark', { session, snapshotId: cut1.snapshotId, usubjid: unchanged });

  // ---- cut 2: the same profile says "changed since your review" and lists the changed records ----
  await page.getByTestId('snapshot-picker').selectOption(String(cut2.snapshotId));
  await expect(page.getByTestId('profile-subject')).toHaveText(changed);
  await expect(panel).toHaveAttribute('data-status', 'changed');
  await expect(panel.getByTestId('review-badge')).toContainText('△ changed since your review · ');
  await expect(panel.getByTestId('review-changed-text')).toContainText('changed since your review');
  const listed = await app.core.call('review.list', { snapshotId: cut2.snapshotId, usubjids: [changed] });
  const expected = listed.subjects[0]!.marks[0]!.changes;
  await expect(panel.getByTestId('review-change')).toHaveCount(expected.length);
  // The summary counts them by domain (here counted from review.list's list).
  const counts = new Map<string, number>();
  for (const c of expected) counts.set(`${c.domain} ${c.change}`, (counts.get(`${c.domain} ${c.change}`) ?? 0) + 1);
  for (const [k, n] of counts) {
    const [domain, change] = k.split(' ');
    await expect(panel.getByTestId('review-change-summary')).toContainText(new RegExp(`${domain} [^·]*\\b${n} ${change}\\b`));
  }
  // Independent check: every record snapshot.changes calls added or changed for this subject is listed
  // as such, except a record whose only difference is its --SEQ (the demo renumbers LBSEQ between
  // cuts; docs/CLINICAL_RULES.md#review-marks: a renumbering is not a change) — read from the stored rows.
  const sql = changes.records.filter((r) => r.usubjid === changed);
  expect(sql.length).toBeGreaterThan(0);
  const shown = await panel.getByTestId('review-change').evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-domain')} ${r.getAttribute('data-change')} ${r.querySelector('td.mono')?.textContent ?? ''}`));
  const db = new Database(app.dbPath, { readonly: true });
  const stored = (snapshotId: number, domain: string, recKey: string) => {
    const row = db.prepare(`SELECT * FROM rec_${domain.toLowerCase()} WHERE snapshot_id = ? AND rec_key = ?`).get(snapshotId, recKey) as Record<string, unknown> | undefined;
    if (!row) return undefined;
    for (const k of ['snapshot_id', 'file_id', 'row_no', `${domain.toLowerCase()}seq`]) delete row[k];
    return row;
  };
  let renumbered = 0;
  for (const r of sql) {
    const keyText = r.key.slice(1).filter((k) => k !== '').join(' / ') || '(the subject)';
    const line = `${r.domain} ${r.status} ${keyText}`;
    if (shown.includes(line)) continue;
    expect(r.status, `${line}: not listed, so it may only be a renumbered record`).toBe('changed');
    const recKey = `${r.key.join('\u001f')}\u001f`;
    expect(stored(cut2.snapshotId, r.domain, recKey), `${line} differs in more than --SEQ`).toEqual(stored(cut1.snapshotId, r.domain, recKey));
    renumbered++;
  }
  db.close();
  expect(sql.length - renumbered).toBeGreaterThan(0);
  await screenshot(page, 'review-profile-changed-since', { fullPage: false });
  expect(await seriousViolations(page, '[data-testid=review-panel]'), 'axe: review panel').toEqual([]);

  // ---- Cohorts: the DLT table's subject cell shows who reviewed and whether the data changed since ----
  await nav(page, 'Cohorts');
  const row = (u: string) => page.getByTestId('dlt-table').locator(`[data-testid=dlt-subject][data-usubjid="${u}"]`);
  await expect(row(changed).getByTestId('review-badge')).toHaveAttribute('data-status', 'changed');
  await expect(row(changed).getByTestId('review-badge')).toContainText('△ changed since your review · ');
  await expect(row(unchanged).getByTestId('review-badge')).toHaveAttribute('data-status', 'current');
  await expect(row(unchanged).getByTestId('review-badge')).toContainText(`✓ reviewed · ${SUE.username} · `);
  const someoneElse = (await app.core.call('review.list', { snapshotId: cut2.snapshotId })).subjects.find((s) => s.status === 'none')!;
  await expect(row(someoneElse.usubjid).getByTestId('review-badge')).toHaveText('not reviewed');
  await row(changed).scrollIntoViewIfNeeded();
  await screenshot(page, 'review-dlt-table-badges', { fullPage: false });

  // ---- starting a meeting on cut 2 for the changed subject's level warns; acknowledging is recorded ----
  const level = (await app.core.call('safety.dltTable', { snapshotId: cut2.snapshotId })).levels.find((l) => !l.placebo && l.subjects.some((x) => x.usubjid === changed))!.level;
  const pending = await app.core.call('review.pending', { snapshotId: cut2.snapshotId, levels: [level] });
  expect(pending.subjects.find((x) => x.usubjid === changed)).toEqual({ usubjid: changed, level, status: 'changed', reviewers: [SUE.username] });
  await nav(page, 'Meetings');
  await page.getByTestId('new-meeting').click();
  const nm = page.getByTestId('new-meeting-dialog');
  for (const box of await nm.locator('[data-testid^=level-choice-]').all()) if (await box.isChecked()) await box.uncheck();
  await nm.getByTestId(`level-choice-${level}`).check();
  await nm.getByTestId('meeting-title-input').fill(`Review e2e: DL${level}`);
  await nm.getByTestId('create-meeting').click();
  const warning = nm.getByTestId('unreviewed-warning');
  await expect(warning).toBeVisible();
  await expect(warning.locator('li')).toHaveCount(pending.subjects.length);
  await expect(warning.locator(`li[data-usubjid="${changed}"]`)).toContainText(`DL${level} · changed since review by ${SUE.username}`);
  await warning.scrollIntoViewIfNeeded();
  await screenshot(page, 'review-meeting-start-warning', { fullPage: false });
  expect(await seriousViolations(page, '[data-testid=unreviewed-warning]'), 'axe: unreviewed warning').toEqual([]);
  await warning.getByTestId('unreviewed-acknowledge').click();
  await expect(page.getByTestId('meeting-record').getByTestId('meeting-status')).toHaveText('Draft');
  const ack = await app.core.call('audit.list', { action: 'acknowledge-unreviewed' });
  expect(ack.map((e) => [e.user, e.entity, (e.newValue as { stage: string }).stage, (e.newValue as { unreviewed: string[] }).unreviewed.length])).toEqual([[SUE.username, 'meeting', 'start', pending.subjects.length]]);
});
