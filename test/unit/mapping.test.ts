import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { snapshotContext } from '../../electron/core/cohorts/app';
import type { MappingContributor } from '../../electron/core/mapping/contributors';
import { mappingReport } from '../../electron/core/mapping/app';
import { importMappingEntries } from '../../electron/core/mapping/import';
import type { Domain } from '../../electron/core/demo/table';
import { FORMATS, table, writeFixture, type FixtureFormat } from '../helpers/conventions';
import { tmpDir } from '../helpers/snapshot';
import { COMMANDS, parseArgs } from '../../electron/core/cli';
import { contentHash } from '../../electron/core/import/importer';
import { bootstrapAdmin } from './meetings-helpers';

// Split domains, files DoseDesk cannot place, supplemental qualifiers without parent, and the
// mapping report, on hand-built snapshots in the three formats.
//
// Conventions followed (SDTMIG v3.4 §4.1.7 "Splitting domains"): a domain may be split into
// datasets named with the 2-letter domain code plus up to two characters (LBCH chemistry, LBHE
// haematology, LBUR urinalysis; QSCO, QSGI); DOMAIN keeps the 2-letter code in every part; --SEQ is
// unique per USUBJID across all parts; supplemental qualifiers are split the same way (SUPPLBCH) and
// carry RDOMAIN = LB (§8.4). Subject ids follow the CDISC pilot / pharmaversesdtm form (01-701-1015).

const STUDY = 'TDF-SPLIT';
const S1 = '01-701-1015';
const S2 = '01-701-1023';

const dm = table('DM', ['STUDYID', 'DOMAIN', 'USUBJID', 'SUBJID', 'RFXSTDTC', 'ARMCD', 'ARM'], [
  [STUDY, 'DM', S1, '1015', '2014-01-02', 'DL1', '0.01 mg/kg'],
  [STUDY, 'DM', S2, '1023', '2014-01-09', 'DL1', '0.01 mg/kg'],
]);
const LBH = ['STUDYID', 'DOMAIN', 'USUBJID', 'LBSEQ', 'LBTESTCD', 'LBTEST', 'LBCAT', 'LBORRES', 'LBSTRESN', 'LBSTRESU', 'LBDTC', 'VISIT', 'LBSPEC'];
const lbch = table('LBCH', LBH, [
  [STUDY, 'LB', S1, 1, 'ALT', 'Alanine Aminotransferase', 'CHEMISTRY', '27', 27, 'U/L', '2014-01-02', 'SCREENING', 'SERUM'],
  [STUDY, 'LB', S1, 2, 'AST', 'Aspartate Aminotransferase', 'CHEMISTRY', '40', 40, 'U/L', '2014-01-02', 'SCREENING', 'SERUM'],
  [STUDY, 'LB', S2, 1, 'ALT', 'Alanine Aminotransferase', 'CHEMISTRY', '19', 19, 'U/L', '2014-01-09', 'SCREENING', 'SERUM'],
]);
const lbhe = table('LBHE', LBH, [
  [STUDY, 'LB', S1, 3, 'HGB', 'Hemoglobin', 'HEMATOLOGY', '8.1', 8.1, 'mmol/L', '2014-01-02', 'SCREENING', 'BLOOD'],
  // A partial date: kept as given, reported once in the mapping report.
  [STUDY, 'LB', S2, 2, 'WBC', 'Leukocytes', 'HEMATOLOGY', '5.6', 5.6, '10^9/L', '2014-01', 'SCREENING', 'BLOOD'],
]);
const lbur = table('LBUR', LBH, [[STUDY, 'LB', S1, 4, 'PH', 'pH', 'URINALYSIS', '6', 6, null, '2014-01-02', 'SCREENING', 'URINE']]);
const SUPPH = ['STUDYID', 'RDOMAIN', 'USUBJID', 'IDVAR', 'IDVARVAL', 'QNAM', 'QLABEL', 'QVAL', 'QORIG'];
const supplbch = table('SUPPLBCH', SUPPH, [
  [STUDY, 'LB', S1, 'LBSEQ', '1', 'LBCLSIG', 'Clinically Significant', 'N', 'CRF'],
  [STUDY, 'LB', S2, 'LBSEQ', '1', 'LBCLSIG', 'Clinically Significant', 'N', 'CRF'],
  // No LB record of 01-701-1015 has LBSEQ 9 in any part: a qualifier without parent.
  [STUDY, 'LB', S1, 'LBSEQ', '9', 'LBCLSIG', 'Clinically Significant', 'Y', 'CRF'],
]);
const QSH = ['STUDYID', 'DOMAIN', 'USUBJID', 'QSSEQ', 'QSTESTCD', 'QSCAT', 'QSORRES', 'QSDTC'];
const qsco = table('QSCO', QSH, [
  [STUDY, 'QS', S1, 1, 'COG01', 'COGNITIVE', '3', '2014-01-02'],
  [STUDY, 'QS', S2, 1, 'COG01', 'COGNITIVE', '2', '2014-01-09'],
]);
const qsgi = table('QSGI', QSH, [[STUDY, 'QS', S1, 2, 'GI01', 'GLOBAL IMPRESSION', '4', '2014-01-02']]);
// A sponsor's side file with no DOMAIN variable and a name that is no domain: kept, not read.
const notes = table('NOTES', ['NOTEID', 'NOTE'], [[1, 'LB split by category per the data management plan'], [2, 'QS split by instrument']]);

const ALL: Domain[] = [dm, lbch, lbhe, lbur, supplbch, qsco, qsgi, notes];

let dir: string;
let core: Core;
beforeEach(() => {
  dir = tmpDir();
  core = createCore({ dbPath: path.join(dir, 'db.sqlite'), user: 'tester' });
});
afterEach(() => {
  core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

async function importFixture(format: FixtureFormat, domains: Domain[] = ALL, study?: unknown) {
  const src = writeFixture(path.join(dir, `snap-${format}-${domains.length}`), domains, format, { study });
  const r = await core.call('snapshot.import', { path: src });
  return { src, r };
}

describe('split domains (SDTMIG 4.1.7)', () => {
  for (const format of FORMATS) {
    it(`${format}: LBCH/LBHE/LBUR merge into LB and QSCO/QSGI into QS, each record keeping its own file, row and SHA-256`, async () => {
      const { src, r } = await importFixture(format);
      expect(r.errors).toEqual([]);
      expect(r.status).toBe('imported');
      // Rows: LB 3 + 2 + 1 = 6 over 2 subjects; QS 2 + 1 = 3; SUPPLB 3 (stored under its RDOMAIN).
      expect(r.domains.LB).toMatchObject({ rows: 6, subjects: 2, columns: LBH.length });
      expect(r.domains.QS).toMatchObject({ rows: 3, subjects: 2 });
      expect(r.domains.SUPPLB).toMatchObject({ rows: 3 });
      expect(Object.keys(r.domains).sort()).toEqual(['DM', 'LB', 'QS', 'SUPPLB']);

      const lineage = core.ctx.db
        .prepare(`SELECT l.usubjid, l.lbseq, l.lbtestcd, l.row_no, f.file_name, f.sha256 FROM rec_lb l JOIN snapshot_file f USING (file_id) WHERE l.snapshot_id = ? ORDER BY l.usubjid, l.lbseq`)
        .all(r.snapshotId) as { usubjid: string; lbseq: number; lbtestcd: string; row_no: number; file_name: string; sha256: string }[];
      const f = (base: string) => `${base}.${format}`;
      expect(lineage.map((x) => [x.usubjid, x.lbseq, x.lbtestcd, x.file_name, x.row_no])).toEqual([
        [S1, 1, 'ALT', f('lbch'), 1],
        [S1, 2, 'AST', f('lbch'), 2],
        [S1, 3, 'HGB', f('lbhe'), 1],
        [S1, 4, 'PH', f('lbur'), 1],
        [S2, 1, 'ALT', f('lbch'), 3],
        [S2, 2, 'WBC', f('lbhe'), 2],
      ]);
      for (const x of lineage) expect(x.sha256).toBe(sha(path.join(src, x.file_name)));

      const snap = await core.call('snapshot.get', { snapshotId: r.snapshotId! });
      const byFile = Object.fromEntries(snap.files.map((x) => [x.fileName, x.domain]));
      expect(byFile).toMatchObject({ [f('lbch')]: 'LB', [f('lbhe')]: 'LB', [f('lbur')]: 'LB', [f('supplbch')]: 'SUPPLB', [f('qsco')]: 'QS', [f('qsgi')]: 'QS', [f('notes')]: null });
    });

    it(`${format}: a file that cannot be placed is a located warning, stored and listed; the import succeeds`, async () => {
      const { src, r } = await importFixture(format);
      expect(r.ok).toBe(true);
      const w = r.warnings.filter((x) => x.code === 'unplaced-file');
      expect(w).toHaveLength(1);
      expect(w[0]!.file).toBe(`notes.${format}`);
      expect(w[0]!.found).toMatch(/NOTES.*not an SDTM domain name, and no DOMAIN variable: the file is stored, not read/);
      const snap = await core.call('snapshot.get', { snapshotId: r.snapshotId! });
      const file = snap.files.find((x) => x.fileName === `notes.${format}`)!;
      expect(file).toMatchObject({ domain: null, rows: 2, sha256: sha(path.join(src, `notes.${format}`)) });
      // Its rows are kept whole, with lineage.
      const kept = core.ctx.db.prepare(`SELECT row_no, extra FROM rec_generic g JOIN snapshot_file f USING (file_id) WHERE f.file_name = ? AND g.snapshot_id = ? ORDER BY row_no`).all(`notes.${format}`, r.snapshotId) as { row_no: number; extra: string }[];
      expect(kept.map((k) => [k.row_no, JSON.parse(k.extra).NOTE])).toEqual([
        [1, 'LB split by category per the data management plan'],
        [2, 'QS split by instrument'],
      ]);
    });

    it(`${format}: SUPPLBCH (RDOMAIN = LB) attaches to the merged LB; a qualifier whose parent is absent is a warning`, async () => {
      const { r } = await importFixture(format);
      const w = r.warnings.filter((x) => x.code === 'supp-orphan');
      // Rows 1 and 2 have parents (LBSEQ 1 of each subject, in lbch); row 3 (LBSEQ 9) has none.
      expect(w).toHaveLength(1);
      expect(w[0]).toMatchObject({ file: `supplbch.${format}`, row: 3, column: 'IDVARVAL', count: 1 });
      expect(w[0]!.expected).toBe(`a parent record in LB (${S1}, LBSEQ = 9)`);
    });

    it(`${format}: the parent domain absent altogether makes each of its qualifiers a warning`, async () => {
      const { r } = await importFixture(format, [dm, supplbch]);
      expect(r.ok).toBe(true);
      const w = r.warnings.filter((x) => x.code === 'supp-orphan');
      expect(w).toHaveLength(1);
      expect(w[0]).toMatchObject({ file: `supplbch.${format}`, row: 1, column: 'RDOMAIN', count: 3 });
    });

    it(`${format}: natural keys are checked across the parts of a split domain`, async () => {
      // The same ALT result of 01-701-1015 (USUBJID + LBTESTCD + LBDTC + VISIT) sent in LBCH and again in LBHE.
      const lbhe2 = table('LBHE', LBH, [...lbhe.rows, [STUDY, 'LB', S1, 5, 'ALT', 'Alanine Aminotransferase', 'CHEMISTRY', '27', 27, 'U/L', '2014-01-02', 'SCREENING', 'SERUM']]);
      const { r } = await importFixture(format, [dm, lbch, lbhe2, lbur]);
      expect(r.ok).toBe(true);
      const d = r.warnings.filter((x) => x.code === 'duplicate-key');
      expect(d).toHaveLength(1);
      expect(d[0]).toMatchObject({ file: `lbch.${format}`, row: 1, column: 'USUBJID+LBTESTCD+LBDTC+VISIT' });
      expect(d[0]!.found).toBe(`2 records with ${S1} / ALT / 2014-01-02 / SCREENING (in lbch.${format}, lbhe.${format})`);
      // QS kept whole: USUBJID + QSSEQ must be unique across QSCO and QSGI (SDTMIG 4.1.7).
      const qsgi2 = table('QSGI', QSH, [[STUDY, 'QS', S1, 1, 'GI01', 'GLOBAL IMPRESSION', '4', '2014-01-02']]);
      const again = await importFixture(format, [dm, qsco, qsgi2]);
      const q = again.r.warnings.filter((x) => x.code === 'duplicate-key');
      expect(q).toHaveLength(1);
      expect(q[0]).toMatchObject({ file: `qsco.${format}`, row: 1, column: 'USUBJID+QSSEQ' });
    });

    it(`${format}: a row of a split part whose DOMAIN is not the part's domain is kept and warned`, async () => {
      const lbur2 = table('LBUR', LBH, [...lbur.rows, [STUDY, 'QS', S2, 5, 'PH', 'pH', 'URINALYSIS', '5', 5, null, '2014-01-09', 'SCREENING', 'URINE']]);
      const { r } = await importFixture(format, [dm, lbch, lbur2]);
      expect(r.ok).toBe(true);
      expect(r.domains.LB!.rows).toBe(3 + 2);
      const w = r.warnings.filter((x) => x.code === 'split-domain');
      expect(w).toHaveLength(1);
      expect(w[0]).toMatchObject({ file: `lbur.${format}`, row: 2, column: 'DOMAIN', found: '"QS"' });
    });

    it(`${format}: the mapping report lists rows per domain, the split files, unplaced files, partial dates and orphan qualifiers`, async () => {
      const { r } = await importFixture(format);
      const report = await core.call('snapshot.mapping', { snapshotId: r.snapshotId! });
      const imp = (domain: string) => report.find((e) => e.domain === domain && e.analysis === 'Import')!;
      expect(imp('LB')).toMatchObject({ rowsRead: 6, rowsUsed: 6, views: [] });
      expect(imp('LB').settings[0]).toBe(`split domain: 3 files merged (lbch.${format}, lbhe.${format}, lbur.${format})`);
      // The one partial date (LBHE row 2).
      expect(imp('LB').unused.find((u) => u.variable === 'LBDTC')).toMatchObject({ rows: 1, values: [{ value: '2014-01', count: 1 }] });
      // LBSPEC has no typed column: listed among the variables kept but not read, with the 6 rows that give it.
      expect(imp('LB').unused.find((u) => u.variable === null)!.values).toContainEqual({ value: 'LBSPEC', count: 6 });
      // SUPPLB: 3 read, 1 without parent.
      expect(imp('SUPPLB')).toMatchObject({ rowsRead: 3, rowsUsed: 2, views: ['profile'] });
      expect(imp('SUPPLB').unused).toEqual([expect.objectContaining({ variable: 'QNAM', rows: 1, values: [{ value: 'LBCLSIG', count: 1 }], mapTo: null })]);
      // QS: kept whole, read by no analysis.
      expect(imp('QS')).toMatchObject({ rowsRead: 3, rowsUsed: 0 });
      expect(imp('(not placed)')).toMatchObject({ rowsRead: 2, rowsUsed: 0, unused: [expect.objectContaining({ variable: 'DOMAIN', values: [{ value: `notes.${format}`, count: 2 }] })] });
      expect(imp('DM')).toMatchObject({ rowsRead: 2, rowsUsed: 2 });
    });
  }
});

describe('a file that is not a dataset at all', () => {
  it('a define.csv of free text with ragged lines is a located warning; the file is stored, the import succeeds', async () => {
    const src = writeFixture(path.join(dir, 'define'), [dm, lbch], 'csv');
    // Line 3 has three fields where the header has one: the CSV reader stops there (RFC 4180: same field count in each record).
    fs.writeFileSync(path.join(src, 'define.csv'), 'Define notes\nLB is split by category\nsee SDTMIG 4.1.7, split datasets, LBCH\n');
    const r = await core.call('snapshot.import', { path: src });
    expect(r.status).toBe('imported');
    const w = r.warnings.filter((x) => x.file === 'define.csv');
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ code: 'unplaced-file', row: 2, line: 3, found: '3 fields' });
    expect(w[0]!.expected).toMatch(/not named after an SDTM domain: stored, not read/);
    const snap = await core.call('snapshot.get', { snapshotId: r.snapshotId! });
    expect(snap.files.find((f) => f.fileName === 'define.csv')).toMatchObject({ domain: null, sha256: sha(path.join(src, 'define.csv')) });
    expect(r.domains.LB!.rows).toBe(3);
  });
});

describe('a file that is no dataset', () => {
  it('define.xml beside the data is listed in the provenance with its SHA-256, not read, and not part of the content hash', async () => {
    const src = writeFixture(path.join(dir, 'with-define'), [dm, lbch], 'csv');
    const dataHashes = fs.readdirSync(src).map((f) => sha(path.join(src, f)));
    fs.writeFileSync(path.join(src, 'define.xml'), '<?xml version="1.0"?><ODM/>\n');
    const r = await core.call('snapshot.import', { path: src });
    expect(r.status).toBe('imported');
    expect(r.contentHash).toBe(contentHash(dataHashes));
    expect(r.warnings.find((w) => w.file === 'define.xml')).toMatchObject({ code: 'ignored-file' });
    const snap = await core.call('snapshot.get', { snapshotId: r.snapshotId! });
    expect(snap.files.find((f) => f.fileName === 'define.xml')).toMatchObject({ domain: null, format: 'other', rows: 0, sha256: sha(path.join(src, 'define.xml')) });
    const report = await core.call('snapshot.mapping', { snapshotId: r.snapshotId! });
    expect(report.find((e) => e.domain === '(not placed)')!.unused[0]!.reason).toMatch(/define\.xml is not a dataset/);
  });
});

describe('snapshot.mapping', () => {
  it('dosedesk mapping <snapshot> prints the report', async () => {
    const { r } = await importFixture('csv', [dm, lbch, lbhe, lbur]);
    const out = await COMMANDS.mapping!.run(core, parseArgs('mapping', [String(r.snapshotId)], COMMANDS.mapping!.options));
    expect(out.ok).toBe(true);
    expect(out.output).toEqual(await core.call('snapshot.mapping', { snapshotId: r.snapshotId! }));
    expect((out.output as { domain: string; rowsRead: number }[]).find((e) => e.domain === 'LB')!.rowsRead).toBe(6);
  });

  it('concatenates every contributor of the list (here one of the test’s own, after the import’s)', async () => {
    const { r } = await importFixture('csv', [dm, lbch]);
    // A contributor as an analysis would write one: LB rows of a category it does not read.
    const own: MappingContributor = (db, snapshotId, definition) => {
      const rows = db.prepare(`SELECT lbcat FROM rec_lb WHERE snapshot_id = ?`).all(snapshotId) as { lbcat: string }[];
      const used = rows.filter((x) => x.lbcat === 'CHEMISTRY');
      return [{ domain: 'LB', analysis: `Test (${definition.studyId})`, views: ['profile'], rowsRead: rows.length, rowsUsed: used.length - 1, unused: [{ variable: 'LBTESTCD', reason: 'test', rows: 1, values: [{ value: 'AST', count: 1 }], mapTo: null }], settings: [] }];
    };
    const report = mappingReport(core.ctx, r.snapshotId!, [importMappingEntries, own]);
    expect(report.map((e) => `${e.domain}/${e.analysis}`)).toEqual(['DM/Import', 'LB/Import', `LB/Test (${STUDY})`]);
    expect(report[2]).toMatchObject({ rowsRead: 3, rowsUsed: 2 });
    // The method concatenates the whole list, the import's entries first.
    expect((await core.call('snapshot.mapping', { snapshotId: r.snapshotId! })).slice(0, 2).map((e) => `${e.domain}/${e.analysis}`)).toEqual(['DM/Import', 'LB/Import']);
    await expect(core.call('snapshot.mapping', { snapshotId: 999 })).rejects.toThrow(/no snapshot 999/);
  });
});

describe('study.saveDefinition with a data mapping', () => {
  it('writes the audit entry (old → new, the signed-in account) in the same transaction as the change', async () => {
    const { r } = await importFixture('csv', [dm, lbch]);
    const session = await bootstrapAdmin(core);
    const [study] = await core.call('studies.list', {});
    const definition = { ...study!.definition, ada: { ...study!.definition.ada, bindingTestcds: ['ADA_BAB'], titreScale: 'log10' as const }, ae: { gradeVariable: 'AETOXGRN' } };
    await core.call('study.saveDefinition', { studyId: STUDY, definition, session, reason: 'sponsor codes' });
    const entries = await core.call('audit.list', { entity: 'study-definition' });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      user: 'admin',
      action: 'change',
      entityId: STUDY,
      oldValue: { source: 'derived', 'ada.bindingTestcds': null, 'ada.titreScale': null, 'ae.gradeVariable': null },
      newValue: { source: 'user', 'ada.bindingTestcds': ['ADA_BAB'], 'ada.titreScale': 'log10', 'ae.gradeVariable': 'AETOXGRN' },
      reason: 'sponsor codes',
    });
    // The mapping applies to the snapshot already imported (it lives in the study definition).
    expect(snapshotContext(core.ctx, r.snapshotId!).definition.ada.bindingTestcds).toEqual(['ADA_BAB']);

    // A failing audit write leaves the definition as it was: one transaction.
    core.ctx.db.exec(`CREATE TEMP TRIGGER no_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit refused'); END`);
    const changed = { ...definition, ae: { gradeVariable: 'AESEV' } };
    await expect(core.call('study.saveDefinition', { studyId: STUDY, definition: changed, session })).rejects.toThrow(/audit refused/);
    core.ctx.db.exec('DROP TRIGGER no_audit');
    expect((await core.call('studies.list', {}))[0]!.definition.ae.gradeVariable).toBe('AETOXGRN');

    // A session that is not valid writes nothing.
    await expect(core.call('study.saveDefinition', { studyId: STUDY, definition: changed, session: 'not-a-session-0000000000000000' })).rejects.toThrow(/not logged in/);
    expect((await core.call('studies.list', {}))[0]!.definition.ae.gradeVariable).toBe('AETOXGRN');
    expect(await core.call('audit.list', { entity: 'study-definition' })).toHaveLength(1);
  });

  it('keeps the saved mapping when a later snapshot brings a study.json without it', async () => {
    await importFixture('csv', [dm, lbch]);
    const [study] = await core.call('studies.list', {});
    await core.call('study.saveDefinition', { studyId: STUDY, definition: { ...study!.definition, pk: { ...study!.definition.pk, matrix: 'SERUM' } } });
    const later = await importFixture('csv', [dm, lbch, lbhe], { studyId: STUDY, dataCutoff: '2014-02-01', doseLevels: [{ level: 1, dose: 0.01 }] });
    expect(later.r.status).toBe('imported');
    const after = (await core.call('studies.list', {}))[0]!.definition;
    expect(after.pk.matrix).toBe('SERUM');
    expect(after.dataCutoff).toBe('2014-02-01');
    expect(snapshotContext(core.ctx, later.r.snapshotId!).definition.pk.matrix).toBe('SERUM');
  });
});
