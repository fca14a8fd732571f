import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Download, Locator, Page } from '@playwright/test';
import { departsFromRule, type RuleRecommendation } from '../../shared/meeting';
import { expect, ROOT, screenshot, seriousViolations, test } from './fixtures';

// A full dose-escalation meeting on the demo study through the UI (issue 5 "Tests"; docs/CLINICAL_RULES.md#meetings;
// reference/part11/part11.md §2-4): the first administrator is created on the first start, the
// administrator creates the secretary in the Users view (the chair and two voting members are seeded
// through the contract in the test's core), the secretary signs in (changing the temporary password),
// opens a meeting on the latest demo snapshot reviewing the current level, opens the cohort, reads
// the rule's recommendation, records a decision that departs from it (locking is refused until the
// rationale is given), votes, locks; the required signers sign with re-entered passwords (a wrong
// password is refused); the minutes are exported (a real signed PDF) and verified in the app. The PDF
// is then checked outside the app: poppler's pdftoppm renders its pages, pdfsig validates it.

const MINUTES_DIR = path.join(ROOT, 'test-results/minutes');

const ACCOUNTS = {
  admin: { username: 'admin', printedName: 'Ada Admin', password: 'Root-Key-2025!x' },
  secretary: { username: 'sec.jones', printedName: 'Sam Jones', title: 'Clinical trial manager', role: 'secretary', temp: 'Temp-Secretary-1', password: 'Secretary-Pass-2025!' },
  chair: { username: 'dr.chair', printedName: 'Dr Claire Chair', title: 'Principal investigator', role: 'chair', temp: 'Temp-Chair-0001', password: 'Chair-Pass-2025!' },
  member1: { username: 'dr.one', printedName: 'Dr Omar One', title: 'Medical monitor', role: 'voting-member', temp: 'Temp-Member-001', password: 'Member-One-2025!' },
  member2: { username: 'dr.two', printedName: 'Dr Tara Two', title: 'Safety physician', role: 'voting-member', temp: 'Temp-Member-002', password: 'Member-Two-2025!' },
} as const;

/** Full-page screenshots from the top (sticky bars stay where they belong). */
async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, name);
}

/** What a datetime-local input shows in Chromium's en-US locale: the widest form of a date and a time. */
const DATE_TIME_SHOWN = '12/31/2025, 10:00 AM';

/**
 * Does a form control show `text` in full? Its content box (client width less padding; for a
 * date-time input also less the calendar button, about 1.5em) is at least the text's width in the
 * control's own font (canvas measureText) plus 6 px, so that a clipped last character fails.
 */
async function textFits(control: Locator, text: string): Promise<boolean> {
  return control.evaluate((el, t) => {
    const cs = getComputedStyle(el);
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    const button = (el as HTMLInputElement).type === 'datetime-local' ? 1.5 * parseFloat(cs.fontSize) : 0;
    const box = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - button;
    return ctx.measureText(t).width + 6 <= box;
  }, text);
}

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name, exact: true }).click();

async function sign(page: Page, username: string, password: string): Promise<void> {
  await page.getByTestId('sign').click();
  const d = page.getByTestId('sign-dialog');
  await d.getByTestId('sign-userid').fill(username);
  await d.getByTestId('sign-password').fill(password);
  await d.getByTestId('sign-submit').click();
}

test('meeting: bootstrap, a decision that departs from the rule, lock, Part 11 signatures, signed minutes exported and verified', async ({ page, app }) => {
  test.setTimeout(300_000);
  fs.mkdirSync(MINUTES_DIR, { recursive: true });
  const [snap] = await app.core.call('snapshots.list', {});
  expect(snap, 'the demo cuts are imported').toBeTruthy();
  const dlt = await app.core.call('safety.dltTable', { snapshotId: snap!.snapshotId });
  // The level under review: the last escalation level with treated subjects.
  const current = Math.max(...dlt.levels.filter((l) => l.part === 'escalation' && l.treated > 0).map((l) => l.level));
  const levelEntry = dlt.levels.find((l) => l.level === current && l.part === 'escalation')!;

  await page.goto(app.url);

  // ---- first start: the administrator ----
  await page.getByTestId('open-bootstrap').click();
  const boot = page.getByTestId('bootstrap-dialog');
  await boot.getByTestId('bootstrap-username').fill(ACCOUNTS.admin.username);
  await boot.getByTestId('bootstrap-name').fill(ACCOUNTS.admin.printedName);
  await boot.getByTestId('bootstrap-password').fill(ACCOUNTS.admin.password);
  await boot.getByTestId('bootstrap-confirm').fill(ACCOUNTS.admin.password);
  await boot.getByTestId('bootstrap-submit').click();
  await expect(page.getByTestId('user-badge')).toContainText(ACCOUNTS.admin.printedName);
  await expect(page.getByTestId('user-badge')).toContainText('Administrator');

  // ---- the administrator creates the secretary in the Users view ----
  await nav(page, 'Users');
  // the organisation trust root's fingerprint, shown to the administrator (issue 11)
  await expect(page.getByTestId('trust-root-fingerprint')).toHaveText(/^[0-9a-f]{64}$/);
  const rootFingerprint = (await page.getByTestId('trust-root-fingerprint').textContent())!;
  await page.getByTestId('trust-root').screenshot({ path: path.join(ROOT, 'test-results/screenshots/users-trust-root.png') });
  const s = ACCOUNTS.secretary;
  const form = page.getByTestId('create-user');
  await form.getByTestId('new-user-username').fill(s.username);
  await form.getByTestId('new-user-name').fill(s.printedName);
  await form.getByTestId('new-user-title').fill(s.title);
  await form.getByTestId('new-user-role').selectOption(s.role);
  await form.getByTestId('new-user-password').fill(s.temp);
  await form.getByTestId('new-user-identity').fill('staff badge checked in person by Ada Admin');
  await form.getByTestId('new-user-submit').click();
  await expect(page.locator(`[data-testid=user-row][data-username="${s.username}"]`)).toContainText('must change password');
  expect(await seriousViolations(page), 'axe: users view').toEqual([]);

  // ---- the chair and two voting members, through the contract (first sign-in password change included) ----
  const { session: adminSession } = await app.core.call('auth.login', { username: ACCOUNTS.admin.username, password: ACCOUNTS.admin.password });
  const ids: Record<string, number> = {};
  for (const a of [ACCOUNTS.chair, ACCOUNTS.member1, ACCOUNTS.member2]) {
    const u = await app.core.call('users.create', { session: adminSession, username: a.username, printedName: a.printedName, title: a.title, role: a.role, password: a.temp, identityVerification: 'seeded by the e2e test' });
    await app.core.call('auth.changePassword', { username: a.username, oldPassword: a.temp, newPassword: a.password });
    ids[a.username] = u.userId;
  }

  // ---- the secretary signs in: the temporary password must be changed first ----
  await page.getByTestId('signout').click();
  await page.getByTestId('signin').click();
  const signin = page.getByTestId('signin-dialog');
  await signin.getByTestId('signin-username').fill(s.username);
  await signin.getByTestId('signin-password').fill(s.temp);
  await signin.getByTestId('signin-submit').click();
  await expect(signin.getByTestId('signin-error')).toContainText('must be changed');
  await signin.getByTestId('signin-new-password').fill(s.password);
  await signin.getByTestId('signin-confirm-password').fill(s.password);
  await signin.getByTestId('signin-submit').click();
  await expect(page.getByTestId('user-badge')).toContainText(s.printedName);
  await expect(page.getByTestId('user-badge')).toContainText('Secretary');

  // ---- a new meeting on the latest snapshot, reviewing the current level (in presentation mode at 1280×720, issue 12) ----
  await nav(page, 'Meetings');
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.keyboard.press('p');
  await expect(page.locator('.app.presentation')).toBeVisible();
  await page.getByTestId('new-meeting').click();
  const nm = page.getByTestId('new-meeting-dialog');
  await expect(nm.getByTestId(`level-choice-${current}`)).toBeChecked();
  await expect(nm.getByTestId('attendee-row')).toHaveCount(5); // every active account; the administrator not attending by default
  // Quorum per the default charter (2 voting members present, chair required): chair + 2 members vote.
  await expect(nm.getByTestId('new-meeting-quorum')).toHaveText('Quorate: 3 voting member(s) present of 2 required; chair present');
  await nm.getByTestId('meeting-title-input').fill(`Dose-escalation meeting: DL${current}`);
  // The date-time input shows its whole value (no "10:00 A…"): its content box holds the text in its own font.
  await nm.getByTestId('meeting-start').scrollIntoViewIfNeeded();
  await screenshot(page, 'meeting-new-1280-presentation', { fullPage: false });
  expect(await textFits(nm.getByTestId('meeting-start'), DATE_TIME_SHOWN), 'new-meeting date-time input').toBe(true);
  expect(await seriousViolations(page, '[data-testid=new-meeting-dialog]'), 'axe: new meeting dialog').toEqual([]);
  await nm.getByTestId('create-meeting').click();
  // Nobody has marked the demo's subjects reviewed: starting the meeting warns first (issue 15 item 2);
  // acknowledging creates the draft and records the acknowledgement (test/e2e/review.spec.ts looks at it).
  await expect(nm.getByTestId('unreviewed-warning')).toContainText('nobody has reviewed');
  await nm.getByTestId('unreviewed-acknowledge').click();
  const record = page.getByTestId('meeting-record');
  await expect(record.getByTestId('meeting-status')).toHaveText('Draft');
  // The record's date-time input and the "Declare a conflict…" select, in full, in presentation mode.
  const recordStart = record.locator('input[type=datetime-local]');
  await recordStart.scrollIntoViewIfNeeded();
  await screenshot(page, 'meeting-record-1280-presentation-details', { fullPage: false });
  expect(await textFits(recordStart, DATE_TIME_SHOWN), 'record date-time input').toBe(true);
  const conflict = record.getByLabel('Who declares a conflict');
  await conflict.scrollIntoViewIfNeeded();
  await screenshot(page, 'meeting-record-1280-presentation-conflicts', { fullPage: false });
  expect(await textFits(conflict, 'Declare a conflict…'), 'conflict select').toBe(true);
  await page.getByTestId('presentation-exit').click();
  await page.setViewportSize({ width: 1440, height: 900 });
  await expect(record.getByTestId('record-snapshot')).toContainText(snap!.contentHash);

  // ---- the cohort under review and the rule's recommendation (as safety.dltTable computes it) ----
  await record.getByTestId(`open-cohort-${current}`).click();
  await expect(record.getByTestId(`dlt-subjects-${current}`).getByTestId('dlt-subject-row')).toHaveCount(levelEntry.subjects.length);
  for (const subj of levelEntry.subjects) await expect(record.getByTestId(`dlt-subjects-${current}`)).toContainText(subj.usubjid);
  const rule = dlt.recommendation;
  await expect(record.getByTestId(`rule-main-${current}`).locator('[data-action]')).toHaveAttribute('data-action', rule.action ?? '');
  await expect(record.getByTestId(`rule-main-${current}`)).toContainText(rule.explanation);
  await expect(record.getByTestId(`rule-${current}`)).toContainText('BOIN');
  await expect(record.getByTestId(`rule-${current}`)).toContainText('mTPI-2');

  // ---- a decision that departs from the rule: de-escalate one level, cohort of 3 ----
  const decided = { decision: 'de-escalate' as const, nextLevel: current - 1 };
  const expectedDeparture = departsFromRule(decided, rule as RuleRecommendation, current, rule.whenComplete ? { action: rule.whenComplete.action, nextLevel: rule.whenComplete.nextLevel } : null);
  expect(expectedDeparture.departs, `de-escalation departs from ${rule.action} (shared/meeting.ts departsFromRule)`).toBe(true);
  await record.getByTestId(`decision-${current}`).selectOption(decided.decision);
  await expect(record.getByTestId(`next-level-${current}`)).toHaveValue(String(decided.nextLevel));
  await record.getByTestId(`cohort-size-${current}`).fill('3');
  await expect(record.getByTestId(`departure-${current}`)).toContainText('Departs from the rule');
  await expect(record.getByTestId(`departure-${current}`)).not.toContainText('STOP_'); // rule codes in words (issue 12 item 9)
  await expect(record.getByTestId(`departure-${current}`)).toHaveCSS('color', 'rgb(180, 35, 24)');
  for (const a of [ACCOUNTS.chair, ACCOUNTS.member1, ACCOUNTS.member2]) await record.getByTestId(`vote-${current}-${ids[a.username]}-for`).check();
  await expect(record.getByTestId(`tally-${current}`)).toContainText('3 for · 0 against · 0 abstaining · carried');
  await record.getByTestId('obs-safety').fill('Two of three patients at the top level had a DLT (grade 3 hepatotoxicity); no new safety signal at lower levels.');
  await record.getByTestId('obs-pk').fill('Exposure increases about dose-proportionally up to the top level.');
  await record.getByTestId('add-action').click();
  await record.getByTestId('action-text-0').fill('Circulate the decision to sites and pharmacy before the next dosing');
  await record.getByTestId('action-owner-0').fill(ACCOUNTS.secretary.printedName);

  // The Swimmer figure, captured into the draft as the committee saw it.
  await record.getByTestId('save-draft').click();
  await expect(record.getByTestId('save-draft')).toHaveText('Saved');
  await expect(record.getByTestId('capture-target')).toHaveAttribute('aria-pressed', 'true');
  await nav(page, 'Swimmer');
  await expect(page.locator('[data-testid=swimmer] .js-plotly-plot')).toHaveAttribute('data-drawn', 'true');
  await page.getByTestId('swimmer-capture').click();
  await expect(page.getByTestId('swimmer-capture-status')).toHaveText('✓ captured');
  // The cohort table, captured as its data (columns and rows).
  await nav(page, 'Cohorts');
  await page.getByTestId('cohorts-table-capture').click();
  await expect(page.getByTestId('cohorts-table-capture-status')).toHaveText('✓ captured');
  await nav(page, 'Meetings');
  await expect(record.getByTestId('captured-figure')).toHaveCount(2);
  await expect(record.getByTestId('captured-figure').nth(1)).toContainText('Table'); // captured as data, printed in the minutes as a paginated table

  // Finalize asks first, naming what locking means (issue 12 item 9); Cancel leaves the draft as it is.
  await record.getByTestId('finalize').click();
  const confirm = page.getByTestId('lock-confirm');
  await expect(confirm).toBeVisible();
  await expect(confirm).toContainText('nothing in it can be edited any more');
  await expect(confirm).toContainText('amendment');
  await screenshot(page, 'meeting-lock-confirm', { fullPage: false });
  expect(await seriousViolations(page, '[data-testid=lock-confirm]'), 'axe: lock confirmation').toEqual([]);
  await confirm.getByTestId('lock-confirm-cancel').click();
  await expect(confirm).toBeHidden();
  await expect(record.getByTestId('meeting-status')).toHaveText('Draft');

  // Locking is refused while the departure has no rationale, in words: no internal path, no rule code.
  await record.getByTestId('finalize').click();
  await page.getByTestId('lock-confirm-submit').click();
  await record.getByTestId('unreviewed-acknowledge').click();
  await expect(record.getByTestId('record-error')).toContainText(`The record cannot be locked yet: DL${current}: the decision departs from the rule — give a rationale`);
  await expect(record.getByTestId('lock-issue').first()).toContainText(`DL${current}: the decision departs from the rule — give a rationale`);
  for (const t of [record.getByTestId('record-error'), record.getByTestId('lock-issues')]) {
    await expect(t).not.toContainText('levels[');
    await expect(t).not.toContainText('STOP_');
    await expect(t).not.toContainText('.decision.');
  }
  await expect(record.getByTestId('meeting-status')).toHaveText('Draft');
  await expect(record.getByTestId(`rationale-${current}`)).toHaveAttribute('aria-invalid', 'true');
  await shot(page, 'meeting-blocked');
  await record.getByTestId(`rationale-${current}`).fill(
    `The MTD rule would stop here, but both DLTs at DL${current} were reversible and the committee wants 3 more patients at DL${current - 1} before declaring the MTD (BOIN and mTPI-2 also de-escalate).`,
  );
  await record.getByTestId('finalize').click();
  await page.getByTestId('lock-confirm-submit').click();
  await record.getByTestId('unreviewed-acknowledge').click();
  await expect(record.getByTestId('meeting-status')).toHaveText('Final (locked)');
  // Each acknowledgement (at the start and at both lock attempts) is in the meeting's audit trail, under the secretary.
  const acks = await app.core.call('audit.list', { action: 'acknowledge-unreviewed' });
  expect(acks.map((e) => [e.user, e.entity, (e.newValue as { stage: string }).stage])).toEqual(['start', 'lock', 'lock'].map((st) => [ACCOUNTS.secretary.username, 'meeting', st]));
  await expect(record.getByTestId('signature-count')).toHaveText('0 of 4 signatures');
  expect(await seriousViolations(page, '[data-testid=meeting-view]'), 'axe: locked meeting record').toEqual([]);

  // ---- signatures: a wrong password is refused; two members, the chair and the secretary sign ----
  await sign(page, ACCOUNTS.member1.username, 'not-the-password');
  await expect(page.getByTestId('sign-error')).toHaveText('wrong user id or password');
  await expect(page.getByTestId('sign-printed-name')).toContainText(ACCOUNTS.member1.printedName);
  await expect(page.getByTestId('part11-statement')).toContainText('11.50');
  await screenshot(page, 'meeting-sign', { fullPage: false });
  expect(await seriousViolations(page, '[data-testid=sign-dialog]'), 'axe: sign dialog').toEqual([]);
  await page.getByTestId('sign-password').fill(ACCOUNTS.member1.password);
  await page.getByTestId('sign-submit').click();
  await expect(record.getByTestId('signature-count')).toHaveText('1 of 4 signatures');
  await sign(page, ACCOUNTS.member2.username, ACCOUNTS.member2.password);
  await expect(record.getByTestId('signature-count')).toHaveText('2 of 4 signatures');
  await sign(page, ACCOUNTS.chair.username, ACCOUNTS.chair.password);
  await sign(page, ACCOUNTS.secretary.username, ACCOUNTS.secretary.password);
  await expect(record.getByTestId('meeting-status')).toHaveText('Signed');
  await expect(record.getByTestId('signature-row')).toHaveCount(4);
  await expect(record.getByTestId('signatures')).toContainText(ACCOUNTS.member1.printedName);
  await expect(record.getByTestId('signatures')).toContainText(ACCOUNTS.member2.printedName);
  await shot(page, 'meeting-signed');

  // ---- export: password again; the signed PDF and the JSON record are downloaded ----
  await record.getByTestId('export-minutes').click();
  const ex = page.getByTestId('export-dialog');
  await ex.getByTestId('export-password').fill(ACCOUNTS.secretary.password);
  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await ex.getByTestId('export-submit').click();
  await expect(ex.getByTestId('verification-verdict')).toContainText('Intact');
  await expect.poll(() => downloads.length).toBe(2);
  const pdfDownload = downloads.find((d) => d.suggestedFilename().endsWith('.pdf'))!;
  const jsonDownload = downloads.find((d) => d.suggestedFilename().endsWith('.json'))!;
  const pdfPath = path.join(MINUTES_DIR, 'e2e-minutes.pdf');
  await pdfDownload.saveAs(pdfPath);
  const pdf = fs.readFileSync(pdfPath);
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const recordJson = JSON.parse(fs.readFileSync(await jsonDownload.path(), 'utf8')) as { format: string; signatures: unknown[]; record: { content: { levels: { decision: { decision: string } | null }[] } } };
  expect(recordJson.format).toBe('dosedesk.meeting-export/1');
  expect(recordJson.signatures).toHaveLength(4);
  expect(recordJson.record.content.levels[0]!.decision?.decision).toBe('de-escalate');
  await screenshot(page, 'meeting-export', { fullPage: false });
  await ex.getByTestId('export-close').click();

  // ---- verify the downloaded file in the app ----
  await page.getByTestId('verify-file').setInputFiles(pdfPath);
  const verify = page.getByTestId('verify-panel').getByTestId('verification');
  await expect(verify).toHaveAttribute('data-intact', 'true');
  await expect(verify.getByTestId('verification-verdict')).toContainText('Intact');
  for (const a of [ACCOUNTS.member1, ACCOUNTS.member2, ACCOUNTS.chair, ACCOUNTS.secretary]) await expect(verify.getByTestId('verification-record-signatures')).toContainText(a.printedName);
  await expect(verify).toContainText(snap!.contentHash.slice(0, 12));
  await expect(verify.getByTestId('verification-trust').first()).toHaveText('chained');
  await expect(verify.getByTestId('verification-roots')).toContainText(rootFingerprint);
  await page.getByTestId('verify-panel').screenshot({ path: path.join(ROOT, 'test-results/screenshots/meeting-verify.png') });

  // A copy with one byte changed inside the signed range is no longer intact.
  const tampered = Buffer.from(pdf);
  const at = tampered.indexOf(Buffer.from('stream\n')) + 20; // inside the first content stream: the file still parses
  tampered[at] = tampered[at]! ^ 0x01;
  const tamperedPath = path.join(MINUTES_DIR, 'e2e-minutes-tampered.pdf');
  fs.writeFileSync(tamperedPath, tampered);
  await page.getByTestId('verify-file').setInputFiles(tamperedPath);
  await expect(verify).toHaveAttribute('data-intact', 'false');
  await expect(verify.getByTestId('verification-problems')).not.toBeEmpty();

  // ---- distribution ----
  await record.getByTestId('distribute').click();
  await page.getByTestId('distribute-submit').click();
  await expect(record.getByTestId('meeting-status')).toHaveText('Distributed');
  await expect(record.getByTestId('distribution')).toContainText('Pharmacy');

  // ---- outside the app: poppler renders the pages and validates the PDF signature ----
  for (const f of fs.readdirSync(MINUTES_DIR)) if (/^e2e-.*\.png$/.test(f)) fs.rmSync(path.join(MINUTES_DIR, f));
  execFileSync('pdftoppm', ['-r', '60', '-png', pdfPath, path.join(MINUTES_DIR, 'e2e')]);
  const pages = fs.readdirSync(MINUTES_DIR).filter((f) => /^e2e-\d+\.png$/.test(f));
  expect(pages.length).toBeGreaterThanOrEqual(2);
  const pdfsig = execFileSync('pdfsig', [pdfPath], { encoding: 'utf8' });
  expect(pdfsig).toContain('Signature is Valid.');
  expect(pdfsig).toContain('Total document signed');
  // pdfsig exits 0 on a mismatch too: read its text.
  const pdfsigTampered = execFileSync('pdfsig', [tamperedPath], { encoding: 'utf8' });
  expect(pdfsigTampered).not.toContain('Signature is Valid.');
});
