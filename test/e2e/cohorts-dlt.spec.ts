import fs from 'node:fs';
import path from 'node:path';
import type { StudyTruth } from '../../electron/core/demo/truth';
import { recommend, recommendForStudy } from '../../shared/escalation/index';
import { writeFixture } from '../helpers/conventions';
import { domains, STUDY } from '../helpers/safetyConventions';
import { DEMO_DIR, expect, screenshot, seriousViolations, test } from './fixtures';

// The Cohorts view's decision panel on the shipped demo: the DLT table per dose level against the
// generator's truth (resources/demo/cutN.truth.json), and the recommendation shown equal to the rule
// engine (shared/escalation recommend(), reference/escalation/escalation_rules.md) run here on the
// history the contract returns; BOIN and mTPI-2 beside it; the changes since cut1.

const truthOf = (cut: 'cut1' | 'cut2') => JSON.parse(fs.readFileSync(path.join(DEMO_DIR, `${cut}.truth.json`), 'utf8')) as StudyTruth;
const STATUS = { dlt: 'dlt', completed: 'completed', pending: 'in-window', 'not-evaluable': 'not-evaluable' } as const;

test('cohorts: DLT table per level, the protocol rule equal to recommend() on the contract history, BOIN/mTPI-2 beside, changes since cut1', async ({ page, app }) => {
  test.setTimeout(240_000);
  const truth = truthOf('cut2');
  const [s2, s1] = await app.core.call('snapshots.list', {});
  const dlt = await app.core.call('safety.dltTable', { snapshotId: s2!.snapshotId });
  const [study] = await app.core.call('studies.list', {});
  const def = study!.definition;
  await page.goto(app.url);

  // Every treated subject is listed once, at their level, with the window status the truth says.
  const rows = page.getByTestId('dlt-subject');
  await expect(rows).toHaveCount(truth.subjects.length);
  for (const s of truth.subjects) {
    const row = page.locator(`[data-testid=dlt-subject][data-usubjid="${s.usubjid}"]`);
    await expect(row, s.usubjid).toHaveAttribute('data-status', STATUS[s.dltWindowStatus as keyof typeof STATUS]);
    await expect(row.locator('td').first()).toHaveText(s.firstDoseDate);
    await expect(row.locator('[data-col=window]')).toContainText(`ends ${s.dltWindowEnd}`);
    expect(await row.locator('[data-col=dlts] .pill-danger').count(), `${s.usubjid} DLTs`).toBe(s.dltCount);
    expect(await row.locator('[data-col=possible] .possible-dlt').count(), `${s.usubjid} possible DLTs`).toBe(s.possibleDltNotFlagged);
    const level = page.locator(`[data-testid=dlt-level][data-part="${s.part.toLowerCase()}"][data-level="${s.level}"]`);
    await expect(level.locator(`[data-usubjid="${s.usubjid}"]`)).toHaveCount(1);
  }

  // The protocol rule as the engine computes it on the history the contract returns.
  const levels = def.doseLevels.length;
  const doses = [...def.doseLevels].sort((a, b) => a.level - b.level).map((l) => l.dose);
  const expected = recommendForStudy(def.escalation, { levels, history: dlt.history, ...(def.escalation.design === 'atd' ? { doses } : {}) });
  await expect(page.getByTestId('dlt-history')).toHaveText(dlt.history);
  await expect(page.getByTestId('rule-protocol-action')).toHaveAttribute('data-action', expected.action);
  await expect(page.getByTestId('rule-protocol-explanation')).toHaveText(expected.explanation);
  for (const design of ['boin', 'mtpi2'] as const) {
    const r = recommend({ design, levels, history: dlt.history, target: def.escalation.targetToxicity });
    await expect(page.getByTestId(`rule-${design}-action`)).toHaveAttribute('data-action', r.action);
    await expect(page.getByTestId(`rule-${design}-explanation`)).toHaveText(r.explanation);
  }

  // Changes since the previous snapshot (cut1): the subjects new in cut2 are counted and marked.
  const inCut1 = new Set(truthOf('cut1').subjects.map((s) => s.usubjid));
  const newInCut2 = truth.subjects.filter((s) => !inCut1.has(s.usubjid));
  await expect(page.getByTestId('changes-since')).toContainText(`Since ${s1!.dataCutoff}`);
  await expect(page.getByTestId('changes-since')).toContainText(`${newInCut2.length} new subject`);
  // "New" badges only once a comparison snapshot is chosen in "New since" (issue 12 item 9).
  await expect(page.locator('[data-testid=dlt-subject] .badge-new')).toHaveCount(0);
  await page.getByTestId('new-since').selectOption(String(s1!.snapshotId));
  for (const s of newInCut2) await expect(page.locator(`[data-testid=dlt-subject][data-usubjid="${s.usubjid}"] .badge-new`)).toBeVisible();
  await screenshot(page, 'cohorts-new-since');
  await page.getByTestId('new-since').selectOption('');
  await expect(page.locator('[data-testid=dlt-subject] .badge-new')).toHaveCount(0);

  await screenshot(page, 'cohorts-normal');
  expect(await seriousViolations(page), 'axe: Cohorts with the decision panel').toEqual([]);
  await page.getByTestId('presentation-toggle').click();
  await expect(page.locator('.topbar')).toBeHidden();
  await screenshot(page, 'cohorts-presentation');
  expect(await seriousViolations(page), 'axe: Cohorts in presentation mode').toEqual([]);
  await page.keyboard.press('Escape');
  await expect(page.locator('.topbar')).toBeVisible();

  // Keyboard: Alt+2 opens the second review view (Swimmer), [ goes back one.
  await page.keyboard.press('Alt+2');
  await expect(page.getByRole('heading', { name: 'Swimmer', exact: true })).toBeVisible();
  await page.keyboard.press('[');
  await expect(page.getByRole('heading', { name: 'Cohorts', exact: true })).toBeVisible();

  // A level filter keeps only that level's DLT table.
  await page.getByTestId('level-chip-7').click();
  await expect(rows).toHaveCount(truth.subjects.filter((s) => s.level === 7).length);
});

// A sponsor export in other conventions (test/helpers/safetyConventions.ts; numbers worked by hand in
// test/unit/safety-conventions.test.ts): the Placebo row, "grade not collected" instead of a 0, the
// end of treatment with its source, and the related ungraded AE the possible-DLT screen cannot assess.
test.describe('sponsor conventions (CDISC pilot / admiral style)', () => {
  test.use({ seedDemo: false });
  test('Cohorts: Placebo row, grade not collected, end-of-treatment source, ungraded AE not screened', async ({ page, app }) => {
    test.setTimeout(240_000);
    const dir = writeFixture(path.join(app.tmp, 'conv'), domains(), 'csv', { study: STUDY });
    const r = await app.core.call('snapshot.import', { path: dir });
    expect(r.status).toBe('imported');
    await page.goto(app.url);

    const placebo = page.locator('[data-testid=cohort-row][data-level="0"]');
    await expect(placebo.locator('[data-col=dose]')).toHaveText('Placebo');
    await expect(placebo.locator('[data-col=treated]')).toHaveText('2');
    const l1 = page.locator('[data-testid=cohort-row][data-level="1"]');
    // Level 1: 1 subject with a graded >= 3 AE, 2 TEAEs without a grade, 2 subjects with a SEVERE AE.
    await expect(l1.locator('[data-col=subjectsGrade3]')).toContainText('1');
    await expect(l1.locator('[data-col=subjectsGrade3]')).toContainText('grade not collected for 2 AEs');
    await expect(l1.locator('[data-col=subjectsGrade3]')).toContainText('severity SEVERE (AESEV): 2 subjects');
    await expect(page.getByText('dose not in plan', { exact: false })).toHaveCount(0);

    const s1 = page.locator('[data-testid=dlt-subject][data-usubjid="01-701-1001"]');
    await expect(s1).toHaveAttribute('data-status', 'not-evaluable');
    await expect(s1.getByTestId('eot')).toContainText('2024-01-08');
    await expect(s1.getByTestId('eot-source')).toHaveText('last exposure (EXENDTC)');
    await expect(s1.getByTestId('eot')).toHaveAttribute('title', /end of study \(ADVERSE EVENT on 2024-03-01\) is not the end of treatment/);
    await expect(s1.getByTestId('not-screened')).toContainText('Headache');
    await expect(s1.getByTestId('not-screened')).toContainText('severity SEVERE (AESEV)');
    await expect(page.locator('[data-testid=dlt-subject][data-usubjid="01-701-1002"]').getByTestId('eot-source')).toHaveText('DS treatment disposition');
    await expect(page.locator('[data-testid=dlt-level][data-level="1"]').getByTestId('dlt-level-not-screened')).toHaveText('cannot screen 1 related AE without a grade');
    await expect(page.locator('[data-testid=dlt-level][data-level="0"]')).toContainText('Placebo');
    await expect(page.getByTestId('dlt-history')).toHaveText('1NNN 2NTT');
    await expect(page.getByTestId('rule-protocol-action')).toHaveAttribute('data-action', 'STOP_MTD');
    await screenshot(page, 'cohorts-sponsor-conventions');
    expect(await seriousViolations(page), 'axe: Cohorts on the sponsor-convention snapshot').toEqual([]);
  });
});
