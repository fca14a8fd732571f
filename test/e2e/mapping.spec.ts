import fs from 'node:fs';
import path from 'node:path';
import { DEMO_DIR, expect, screenshot, seriousViolations, test } from './fixtures';

// A sponsor's export with LB split by category (SDTMIG 4.1.7: lbch.csv and lbhe.csv, DOMAIN = LB in
// both), a split SUPPLBCH with one qualifier whose parent is absent, and a side file that is no
// domain. The import succeeds; the Provenance page's mapping report lists all of it; the profile (the
// view that reads LB) says at its top that a qualifier is unused; "see the mapping report" opens the
// data-mapping editor, and saving a mapping is audited.

test.use({ seedDemo: false });

function splitSnapshot(dest: string): { chem: number; haem: number } {
  fs.cpSync(path.join(DEMO_DIR, 'cut1'), dest, { recursive: true });
  const lines = fs.readFileSync(path.join(dest, 'lb.csv'), 'utf8').trim().split('\n');
  const header = lines[0]!;
  const cat = header.split(',').indexOf('LBCAT');
  const chem = lines.slice(1).filter((l) => l.split(',')[cat] === 'CHEMISTRY');
  const haem = lines.slice(1).filter((l) => l.split(',')[cat] !== 'CHEMISTRY');
  fs.rmSync(path.join(dest, 'lb.csv'));
  fs.writeFileSync(path.join(dest, 'lbch.csv'), [header, ...chem].join('\n') + '\n');
  fs.writeFileSync(path.join(dest, 'lbhe.csv'), [header, ...haem].join('\n') + '\n');
  const first = chem[0]!.split(',');
  const [studyId, , usubjid, lbseq] = first;
  fs.writeFileSync(
    path.join(dest, 'supplbch.csv'),
    ['STUDYID,RDOMAIN,USUBJID,IDVAR,IDVARVAL,QNAM,QLABEL,QVAL', `${studyId},LB,${usubjid},LBSEQ,${lbseq},LBCLSIG,Clinically Significant,N`, `${studyId},LB,${usubjid},LBSEQ,9999,LBCLSIG,Clinically Significant,Y`].join('\n') + '\n',
  );
  fs.writeFileSync(path.join(dest, 'notes.csv'), 'NOTEID,NOTE\n1,LB split by category\n');
  return { chem: chem.length, haem: haem.length };
}

test('a split LB, an unplaced file and an orphan qualifier: import succeeds, the mapping report and the banner say so', async ({ page, app }) => {
  const src = path.join(app.tmp, 'split');
  const { chem, haem } = splitSnapshot(src);
  const r = await app.core.call('snapshot.import', { path: src });
  expect(r.status).toBe('imported');
  expect(r.domains.LB!.rows).toBe(chem + haem);

  await page.goto(app.url);
  await page.getByRole('button', { name: 'Provenance', exact: true }).click();
  const report = page.getByTestId('mapping-report');
  await expect(report).toBeVisible();
  // LB has two rows: the import's (the split files) and the laboratory-safety analysis's (CTCAE grading).
  await expect(report.locator('tr[data-domain="LB"]')).toHaveCount(2);
  const lb = report.locator('tr[data-domain="LB"]').filter({ hasText: 'split domain' });
  await expect(lb).toContainText(`${chem + haem}`);
  await expect(lb).toContainText('split domain: 2 files merged (lbch.csv, lbhe.csv)');
  await expect(report.locator('tr[data-domain="(not placed)"]')).toContainText('notes.csv');
  const supp = report.locator('tr[data-domain="SUPPLB"]');
  await expect(supp).toContainText('LBCLSIG (1)');
  await expect(supp.locator('td.num').nth(1)).toHaveText('1');
  await screenshot(page, 'provenance-mapping-report');
  expect(await seriousViolations(page, '[data-testid="mapping-report"]'), 'axe: mapping report').toEqual([]);

  // The profile reads LB: its banner names the unused qualifier; the AE view has nothing unused, no banner.
  await page.getByRole('button', { name: 'AEs', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'All adverse events' })).toBeVisible();
  await expect(page.getByTestId('mapping-banner')).toHaveCount(0);
  await page.getByRole('button', { name: 'Patient profile', exact: true }).click();
  const banner = page.getByTestId('mapping-banner');
  await expect(banner).toContainText('SUPPLB: 2 rows, 1 not used by Import');
  await expect(banner).toContainText('QNAM LBCLSIG (1)');
  await screenshot(page, 'profile-mapping-banner', { fullPage: false });

  // The banner's link opens the data-mapping editor on the Provenance page; a saved mapping is audited.
  await banner.getByRole('button', { name: 'see the mapping report' }).click();
  const mapping = page.getByTestId('data-mapping');
  await expect(mapping).toBeVisible();
  await mapping.getByLabel('AE grade variable', { exact: true }).fill('AETOXGR');
  await mapping.getByRole('combobox', { name: 'Titre scale' }).selectOption('log10');
  await screenshot(page, 'provenance-data-mapping', { fullPage: false });
  await page.getByTestId('definition-form').getByRole('button', { name: 'Save study definition' }).click();
  await expect(page.getByTestId('definition-form').getByRole('status')).toContainText('Saved');
  const [study] = await app.core.call('studies.list', {});
  expect(study!.definition.ae.gradeVariable).toBe('AETOXGR');
  expect(study!.definition.ada.titreScale).toBe('log10');
  const audit = await app.core.call('audit.list', { entity: 'study-definition' });
  expect(audit).toHaveLength(1);
  expect(audit[0]!.newValue).toMatchObject({ 'ae.gradeVariable': 'AETOXGR', 'ada.titreScale': 'log10' });
});
