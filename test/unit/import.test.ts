import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { zipSync, strToU8 } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { contentHash } from '../../electron/core/import/importer';
import { csv, dbFingerprint, miniSnapshot, tmpDir } from '../helpers/snapshot';
import { referencePath } from '../helpers/reference';

const PILOT = referencePath('sdtm-xpt/cdiscpilot01', 'import.test.ts (the CDISC pilot XPT import and its cancel)') ?? '';

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

describe('snapshot import', () => {
  it.skipIf(!PILOT)('imports the real CDISC pilot XPT files with the counts their PROFILE.md gives', async () => {
    // Source: ../shared/reference/sdtm-xpt/cdiscpilot01/PROFILE.md, "Summary" table.
    const r = await core.call('snapshot.import', { path: PILOT });
    expect(r.status).toBe('imported');
    expect(r.studyId).toBe('CDISCPILOT01');
    expect(r.domains).toEqual({
      DM: { rows: 306, subjects: 306, columns: 25 },
      AE: { rows: 1191, subjects: 225, columns: 35 },
      EX: { rows: 591, subjects: 254, columns: 17 },
      DS: { rows: 596, subjects: 306, columns: 13 },
      TS: { rows: 33, subjects: 0, columns: 6 },
    });
    const snap = await core.call('snapshot.get', { snapshotId: r.snapshotId! });
    const sha = Object.fromEntries(snap.files.map((f) => [f.fileName, f.sha256]));
    expect(sha['dm.xpt']).toBe('7327baea97fd532d02385248da0c7240402e770099507e2c3a88e2ac706c02a6');
    expect(sha['ts.xpt']).toBe('517ceea43a3c363ed1542df370f84a50bbcba00c7ca35973e93631edc0855afc');
    // ts.xpt holds Windows-1252 bytes (PROFILE.md): the file's notes say so.
    expect(snap.files.find((f) => f.fileName === 'ts.xpt')!.notes.join(' ')).toMatch(/Windows-1252/);
    // Partial AE start dates in the pilot are kept and reported once, with a count.
    const partial = snap.issues.find((i) => i.code === 'partial-date' && i.column === 'AESTDTC');
    expect(partial?.count).toBeGreaterThan(0);
    // Every source value is kept: a variable without a typed column sits in the row's extra bag.
    const row = core.ctx.db.prepare(`SELECT extra FROM rec_dm WHERE snapshot_id = ? AND usubjid = '01-701-1015'`).get(r.snapshotId) as { extra: string };
    expect(JSON.parse(row.extra)).toMatchObject({ RFPENDTC: '2014-07-02T11:45', DMDY: -7 });
  });

  it('records provenance: each file SHA-256 and a content hash over the sorted file hashes', async () => {
    const src = miniSnapshot(path.join(dir, 'snap'));
    const r = await core.call('snapshot.import', { path: src });
    const fileHashes = fs.readdirSync(src).map((f) => createHash('sha256').update(fs.readFileSync(path.join(src, f))).digest('hex'));
    expect(r.contentHash).toBe(contentHash(fileHashes));
    const snap = await core.call('snapshot.get', { snapshotId: r.snapshotId! });
    expect(snap.info.importedBy).toBe('tester');
    expect(snap.files.map((f) => [f.fileName, f.size])).toEqual(fs.readdirSync(src).sort().map((f) => [f, fs.statSync(path.join(src, f)).size]));
    // lineage: the row number and file of a stored record
    const ae = core.ctx.db
      .prepare(`SELECT a.row_no, f.file_name, f.sha256 FROM rec_ae a JOIN snapshot_file f USING (file_id) WHERE a.usubjid = 'S1-002'`)
      .get() as { row_no: number; file_name: string; sha256: string };
    expect(ae).toEqual({ row_no: 2, file_name: 'ae.csv', sha256: createHash('sha256').update(fs.readFileSync(path.join(src, 'ae.csv'))).digest('hex') });
  });

  it('detects identical files imported again (also from a zip) and writes nothing', async () => {
    const src = miniSnapshot(path.join(dir, 'snap'));
    const first = await core.call('snapshot.import', { path: src });
    const before = dbFingerprint(core.ctx.db);
    const again = await core.call('snapshot.import', { path: src });
    expect(again).toMatchObject({ status: 'duplicate', snapshotId: first.snapshotId });
    const zip = path.join(dir, 'snap.zip');
    fs.writeFileSync(zip, zipSync(Object.fromEntries(fs.readdirSync(src).map((f) => [`snap/${f}`, fs.readFileSync(path.join(src, f))]))));
    const fromZip = await core.call('snapshot.import', { path: zip });
    expect(fromZip).toMatchObject({ status: 'duplicate', snapshotId: first.snapshotId });
    expect(dbFingerprint(core.ctx.db)).toBe(before);
  });

  it('imports a zip and refuses an entry whose name escapes the folder', async () => {
    const src = miniSnapshot(path.join(dir, 'snap'));
    const files = Object.fromEntries(fs.readdirSync(src).map((f) => [f, fs.readFileSync(path.join(src, f))]));
    fs.writeFileSync(path.join(dir, 'ok.zip'), zipSync(files));
    const ok = await core.call('snapshot.import', { path: path.join(dir, 'ok.zip') });
    expect(ok.status).toBe('imported');
    expect(ok.domains.AE?.rows).toBe(2);
    fs.writeFileSync(path.join(dir, 'evil.zip'), zipSync({ ...files, '../evil.csv': strToU8('x\n1\n') }));
    const bad = await core.call('snapshot.import', { path: path.join(dir, 'evil.zip') });
    expect(bad.status).toBe('failed');
    expect(bad.errors[0]).toMatchObject({ file: 'evil.zip', found: expect.stringContaining('../evil.csv') });
  });

  it('is atomic: an error found in the last domain leaves the database exactly as it was', async () => {
    await core.call('snapshot.import', { path: miniSnapshot(path.join(dir, 'a')) });
    const before = dbFingerprint(core.ctx.db);
    // vs.csv sorts last; its second row names a subject that is not in DM.
    const src = miniSnapshot(path.join(dir, 'b'), {
      'vs.csv': csv([
        ['STUDYID', 'USUBJID', 'VSTESTCD', 'VSSTRESN', 'VSDTC'],
        ['S1', 'S1-001', 'WEIGHT', 70, '2025-01-06'],
        ['S1', 'S1-999', 'WEIGHT', 80, '2025-01-06'],
      ]),
    });
    const r = await core.call('snapshot.import', { path: src });
    expect(r.status).toBe('failed');
    expect(r.errors).toEqual([expect.objectContaining({ file: 'vs.csv', row: 2, column: 'USUBJID', expected: 'a subject listed in DM', found: '"S1-999"' })]);
    expect(dbFingerprint(core.ctx.db)).toBe(before);
  });

  it.each([
    [
      'a ragged CSV row',
      { 'dm.csv': 'STUDYID,USUBJID,AGE\r\nS1,S1-001,61\r\nS1,S1-002\r\nS1,S1-003,70\r\n' },
      { file: 'dm.csv', row: 2, line: 3 },
    ],
    ['a number column holding text', { 'dm.csv': csv([['STUDYID', 'USUBJID', 'AGE'], ['S1', 'S1-001', '61'], ['S1', 'S1-002', 'fifty'], ['S1', 'S1-003', 70]]) }, { file: 'dm.csv', row: 2, column: 'AGE', expected: 'a number', found: '"fifty"' }],
    ['an impossible date', { 'ex.csv': csv([['STUDYID', 'USUBJID', 'EXTRT', 'EXDOSE', 'EXSTDTC'], ['S1', 'S1-001', 'D', 1, '2025-02-30']]) }, { file: 'ex.csv', row: 1, column: 'EXSTDTC', found: '"2025-02-30"' }],
    ['a missing required variable', { 'ae.csv': csv([['STUDYID', 'USUBJID', 'AEDECOD'], ['S1', 'S1-001', 'Nausea']]) }, { file: 'ae.csv', column: 'AETERM' }],
    ['non-UTF-8 bytes', { 'ae.csv': 'STUDYID,USUBJID,AETERM\r\nS1,S1-001,Na\u00e9usea\r\n'.replace('\u00e9', '\u0000') }, { file: 'ae.csv' }],
  ])('stops on %s and names file, row and column', async (_what, files, expected) => {
    const overrides = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v as string]));
    const src = miniSnapshot(path.join(dir, 'bad'), overrides);
    if (_what === 'non-UTF-8 bytes') {
      const p = path.join(src, 'ae.csv');
      const b = fs.readFileSync(p);
      b[b.indexOf(0)] = 0xe9; // Latin-1 é, invalid as UTF-8
      fs.writeFileSync(p, b);
    }
    const r = await core.call('snapshot.import', { path: src });
    expect(r.status).toBe('failed');
    expect(r.errors[0]).toMatchObject(expected);
    expect((await core.call('snapshots.list', {})).length).toBe(0);
  });

  it('handles messy real-export values: BLQ strings, several evaluators, no PCRFTDTC, numeric PP results', async () => {
    const src = miniSnapshot(path.join(dir, 'messy'), {
      'pc.csv': csv([
        ['STUDYID', 'USUBJID', 'PCTESTCD', 'PCORRES', 'PCSTRESC', 'PCSTRESN', 'PCLLOQ', 'PCDTC', 'PCTPTNUM', 'VISIT'],
        ['S1', 'S1-001', 'DRUG', '<BLQ', '<BLQ', null, 0.05, '2025-01-06T08:55', 0, 'CYCLE 1 DAY 1'],
        ['S1', 'S1-001', 'DRUG', '<1.40', '<1.40', null, 1.4, '2025-01-06T10:00', 1, 'CYCLE 1 DAY 1'],
        ['S1', 'S1-001', 'DRUG', '12.5', '12.5', 12.5, 0.05, '2025-01-06T13:00', 4, 'CYCLE 1 DAY 1'],
      ]),
      'rs.csv': csv([
        ['STUDYID', 'USUBJID', 'RSTESTCD', 'RSSTRESC', 'RSEVAL', 'RSEVALID', 'RSACPTFL', 'RSDTC'],
        ['S1', 'S1-001', 'OVRLRESP', 'PR', 'INDEPENDENT ASSESSOR', 'RADIOLOGIST 1', 'Y', '2025-02-17'],
        ['S1', 'S1-001', 'OVRLRESP', 'SD', 'INDEPENDENT ASSESSOR', 'RADIOLOGIST 2', null, '2025-02-17'],
      ]),
    });
    const r = await core.call('snapshot.import', { path: src });
    expect(r.status).toBe('imported');
    const pc = core.ctx.db.prepare('SELECT pcstresc, pcstresn FROM rec_pc ORDER BY row_no').all();
    expect(pc).toEqual([
      { pcstresc: '<BLQ', pcstresn: null },
      { pcstresc: '<1.40', pcstresn: null },
      { pcstresc: '12.5', pcstresn: 12.5 },
    ]);
    // Both evaluators' records are kept (RSEVALID is part of the natural key): no duplicate-key warning.
    expect(core.ctx.db.prepare('SELECT count(*) n FROM rec_rs').get()).toEqual({ n: 2 });
    expect(r.warnings.filter((w) => w.code === 'duplicate-key')).toEqual([]);
  });

  it('asks for what a snapshot without study.json lacks, and derives dose levels from EX', async () => {
    const r = await core.call('snapshot.import', { path: miniSnapshot(path.join(dir, 'nostudy')) });
    expect(r.needsConfirmation).toEqual(expect.arrayContaining(['doseLevels', 'dltWindowDays']));
    const [study] = await core.call('studies.list', {});
    expect(study!.definitionSource).toBe('derived');
    expect(study!.definition.doseLevels).toEqual([
      { level: 1, dose: 0.01 },
      { level: 2, dose: 0.03 },
    ]);
    const saved = await core.call('study.saveDefinition', { studyId: 'S1', definition: { ...study!.definition, dltWindowDays: 28 } });
    expect(saved.definitionSource).toBe('user');
    const cohorts = await core.call('cohorts.summary', { snapshotId: r.snapshotId! });
    expect(cohorts.dltWindowDays).toBe(28);
    // Worked by hand from the mini snapshot: level 2 has two subjects, one with a grade 3 serious AE flagged as DLT in SUPPAE.
    expect(cohorts.rows.find((c) => c.level === 2)).toMatchObject({ treated: 2, subjectsGrade3: 1, saes: 1, dltAes: 1, subjectsWithDlt: 1 });
  });

  it('compares two snapshots by natural keys', async () => {
    const a = await core.call('snapshot.import', { path: miniSnapshot(path.join(dir, 'a')) });
    const b = await core.call('snapshot.import', {
      path: miniSnapshot(path.join(dir, 'b'), {
        'ae.csv': csv([
          ['STUDYID', 'DOMAIN', 'USUBJID', 'AESEQ', 'AETERM', 'AEDECOD', 'AEBODSYS', 'AETOXGR', 'AESER', 'AEREL', 'AESTDTC'],
          // Nausea worsened to grade 2 (changed), neutropenia removed, fatigue new
          ['S1', 'AE', 'S1-001', 1, 'Nausea', 'Nausea', 'Gastrointestinal disorders', '2', 'N', 'RELATED', '2025-01-08'],
          ['S1', 'AE', 'S1-003', 1, 'Fatigue', 'Fatigue', 'General disorders and administration site conditions', '1', 'N', 'NOT RELATED', '2025-03-05'],
        ]),
      }),
    });
    const d = await core.call('snapshot.diff', { base: a.snapshotId!, target: b.snapshotId! });
    expect(d.domains.find((x) => x.domain === 'AE')).toEqual({ domain: 'AE', added: 1, changed: 1, removed: 1, unchanged: 0 });
    expect(d.domains.find((x) => x.domain === 'DM')).toEqual({ domain: 'DM', added: 0, changed: 0, removed: 0, unchanged: 3 });
    const c = await core.call('snapshot.changes', { base: a.snapshotId!, target: b.snapshotId! });
    expect(c.newSubjects).toEqual([]);
    expect(c.changedSubjects).toEqual(['S1-001', 'S1-003']);
    expect(c.records).toEqual([
      { domain: 'AE', usubjid: 'S1-001', rowNo: 1, key: ['S1-001', 'Nausea', '2025-01-08'], status: 'changed' },
      { domain: 'AE', usubjid: 'S1-003', rowNo: 2, key: ['S1-003', 'Fatigue', '2025-03-05'], status: 'added' },
    ]);
  });

  it.skipIf(!PILOT)('cancels: the import rolls back', async () => {
    const before = dbFingerprint(core.ctx.db);
    const controller = { importId: 'c1' };
    const p = core.call('snapshot.import', { path: PILOT, ...controller });
    core.onEvent((e) => {
      if (e.phase === 'reading') void core.call('import.cancel', { importId: 'c1' });
    });
    const r = await p;
    expect(r.status).toBe('cancelled');
    expect(dbFingerprint(core.ctx.db)).toBe(before);
  });

  it('rejects invalid input at the boundary', async () => {
    await expect(core.callRaw('snapshot.import', { path: 42 })).rejects.toThrow(/path/);
    await expect(core.callRaw('no.such.method', {})).rejects.toThrow(/unknown method/);
  });
});
