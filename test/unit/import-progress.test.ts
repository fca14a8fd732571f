import fs from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../shared/contract';
import { createCore, type Core } from '../../electron/core/app';
import { startHost, type Host } from '../../electron/core/host/server';
import { MAX_ERRORS_PER_FILE } from '../../electron/core/import/importer';
import { FORMATS, table, writeFixture } from '../helpers/conventions';
import { csv, dbFingerprint, tmpDir } from '../helpers/snapshot';

// Issue 12 item 11: progress by bytes and rows while a file is read, every error of a file reported
// together (grouped, with a count past the limit) and nothing written, and an uploaded folder recorded
// by its own name.

let dir: string;
let core: Core;
beforeEach(() => {
  dir = tmpDir('dosedesk-import-progress-');
  core = createCore({ dbPath: path.join(dir, 'db.sqlite'), user: 'tester' });
});
afterEach(() => {
  core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

// A DM of three subjects in the CDISC pilot's shape (STUDYID, DOMAIN, USUBJID, SUBJID, RFXSTDTC, ARM).
const DM = table(
  'DM',
  ['STUDYID', 'DOMAIN', 'USUBJID', 'SUBJID', 'RFXSTDTC', 'AGE', 'SEX', 'ARMCD', 'ARM'],
  [
    ['S1', 'DM', 'S1-001', '001', '2025-01-06', 61, 'F', 'L1', '0.01 mg/kg'],
    ['S1', 'DM', 'S1-002', '002', '2025-02-03', 55, 'M', 'L2', '0.03 mg/kg'],
    ['S1', 'DM', 'S1-003', '003', '2025-03-03', 70, 'M', 'L2', '0.03 mg/kg'],
  ],
);

describe('all errors of a file, grouped, nothing written', () => {
  for (const format of FORMATS) {
    it(`reports every bad value of LB and the unknown subject of VS together (${format})`, async () => {
      // LB as admiral's example LB (LBSTRESN numeric, LBDTC ISO 8601): two results that are text, two impossible dates.
      const lb = table(
        'LB',
        ['STUDYID', 'DOMAIN', 'USUBJID', 'LBSEQ', 'LBTESTCD', 'LBSTRESN', 'LBSTRESU', 'LBDTC'],
        [
          ['S1', 'LB', 'S1-001', 1, 'ALT', '22', 'U/L', '2025-01-06'],
          ['S1', 'LB', 'S1-001', 2, 'ALT', 'high', 'U/L', '2025-01-13'],
          ['S1', 'LB', 'S1-002', 1, 'ALT', '30', 'U/L', '2025-02-30'],
          ['S1', 'LB', 'S1-002', 2, 'ALT', '<5', 'U/L', '2025-02-10'],
          ['S1', 'LB', 'S1-003', 1, 'ALT', '41', 'U/L', '2025-13-01'],
        ],
      );
      const vs = table('VS', ['STUDYID', 'DOMAIN', 'USUBJID', 'VSSEQ', 'VSTESTCD', 'VSSTRESN', 'VSDTC'], [['S1', 'VS', 'S1-999', 1, 'WEIGHT', 80, '2025-01-06']]);
      const src = writeFixture(path.join(dir, format), [DM, lb, vs], format);
      const before = dbFingerprint(core.ctx.db);
      const r = await core.call('snapshot.import', { path: src });
      expect(r.status).toBe('failed');
      const lbFile = `lb.${format}`;
      // Grouped by file, then code (date before type), then column, then row.
      expect(r.errors.map((e) => [e.file, e.code, e.column, e.row, e.found])).toEqual([
        [lbFile, 'date', 'LBDTC', 3, '"2025-02-30"'],
        [lbFile, 'date', 'LBDTC', 5, '"2025-13-01"'],
        [lbFile, 'type', 'LBSTRESN', 2, '"high"'],
        [lbFile, 'type', 'LBSTRESN', 4, '"<5"'],
        [`vs.${format}`, 'unknown-subject', 'USUBJID', 1, '"S1-999"'],
      ]);
      expect(dbFingerprint(core.ctx.db)).toBe(before);
      expect(await core.call('snapshots.list', {})).toEqual([]);
    });
  }

  it('names every missing required variable of a file at once', async () => {
    // AE without AETERM and LB without LBTESTCD (both required, SDTMIG 3.3 AE and LB specifications).
    const ae = table('AE', ['STUDYID', 'USUBJID', 'AEDECOD'], [['S1', 'S1-001', 'Nausea']]);
    const lb = table('LB', ['STUDYID', 'USUBJID', 'LBSTRESN'], [['S1', 'S1-001', 3]]);
    const r = await core.call('snapshot.import', { path: writeFixture(path.join(dir, 'req'), [DM, ae, lb], 'csv') });
    expect(r.status).toBe('failed');
    expect(r.errors.map((e) => [e.file, e.code, e.column])).toEqual([
      ['ae.csv', 'required-variable', 'AETERM'],
      ['lb.csv', 'required-variable', 'LBTESTCD'],
    ]);
  });

  it(`lists ${MAX_ERRORS_PER_FILE} errors of a file and counts the rest, per code and column`, async () => {
    // 250 rows whose LBSTRESN is text and 3 whose LBDTC is impossible, in that order.
    const n = 250;
    const rows: (string | number)[][] = [['STUDYID', 'DOMAIN', 'USUBJID', 'LBSEQ', 'LBTESTCD', 'LBSTRESN', 'LBDTC']];
    for (let i = 1; i <= n; i++) rows.push(['S1', 'LB', 'S1-001', i, 'ALT', 'x', `2025-01-06T10:${String(i % 60).padStart(2, '0')}`]);
    for (let i = 1; i <= 3; i++) rows.push(['S1', 'LB', 'S1-002', n + i, 'ALT', 5, '2025-02-31']);
    const src = writeFixture(path.join(dir, 'many'), [DM], 'csv');
    fs.writeFileSync(path.join(src, 'lb.csv'), csv(rows));
    const r = await core.call('snapshot.import', { path: src });
    expect(r.status).toBe('failed');
    // The first 200 errors met (rows 1..200, all "type") are listed; the other 50 "type" and 3 "date" are counted.
    const listed = r.errors.filter((e) => e.row !== null);
    expect(listed).toHaveLength(MAX_ERRORS_PER_FILE);
    expect(listed.every((e) => e.code === 'type' && e.column === 'LBSTRESN')).toBe(true);
    expect(listed.map((e) => e.row)).toEqual(Array.from({ length: MAX_ERRORS_PER_FILE }, (_, i) => i + 1));
    const rest = r.errors.filter((e) => e.row === null);
    expect(rest.map((e) => [e.code, e.column, e.count])).toEqual([
      ['type', 'LBSTRESN', n - MAX_ERRORS_PER_FILE],
      ['date', 'LBDTC', 3],
    ]);
    expect(rest[0]!.found).toMatch(/first at row 201/);
    expect(await core.call('snapshots.list', {})).toEqual([]);
  });
});

describe('progress while a file is read', () => {
  it('moves by bytes and rows through the LB of a generated 2,000-subject CSV snapshot', async () => {
    const subjects = 2000;
    const perSubject = 30; // 60,000 LB rows, as in the report of issue 12
    const dm: (string | number)[][] = [['STUDYID', 'DOMAIN', 'USUBJID', 'RFXSTDTC', 'ARMCD', 'ARM']];
    const lb: (string | number)[][] = [['STUDYID', 'DOMAIN', 'USUBJID', 'LBSEQ', 'LBTESTCD', 'LBTEST', 'LBSTRESN', 'LBSTRESU', 'LBDTC', 'VISIT']];
    for (let s = 1; s <= subjects; s++) {
      const id = `S1-${String(s).padStart(4, '0')}`;
      dm.push(['S1', 'DM', id, '2025-01-06', 'L1', '0.01 mg/kg']);
      for (let k = 1; k <= perSubject; k++) lb.push(['S1', 'LB', id, k, 'ALT', 'Alanine Aminotransferase', 20 + (k % 7), 'U/L', `2025-0${1 + (k % 9)}-1${k % 10}`, `VISIT ${k}`]);
    }
    const src = path.join(dir, 'big');
    fs.mkdirSync(src);
    fs.writeFileSync(path.join(src, 'dm.csv'), csv(dm));
    fs.writeFileSync(path.join(src, 'lb.csv'), csv(lb));
    const dmBytes = fs.statSync(path.join(src, 'dm.csv')).size;
    const lbBytes = fs.statSync(path.join(src, 'lb.csv')).size;
    const events: CoreEvent[] = [];
    const off = core.onEvent((e) => events.push(e));
    const r = await core.call('snapshot.import', { path: src, importId: 'big' });
    off();
    expect(r.status).toBe('imported');
    expect(r.domains.LB!.rows).toBe(subjects * perSubject);
    // Once the files are hashed, every event carries the snapshot's whole size.
    expect(events.filter((e) => e.phase !== 'hashing').every((e) => e.bytesTotal === dmBytes + lbBytes)).toBe(true);
    // Files are read in name order: dm.csv, then lb.csv. Events sent while lb.csv is read, before its end:
    const during = events.filter((e) => e.phase === 'reading' && e.file === 'lb.csv' && e.filesDone === 1);
    // At least one event per 5,000 rows read (60,000 / 5,000 = 12; the last batch may coincide with the end).
    expect(during.length).toBeGreaterThanOrEqual(11);
    const bytes = during.map((e) => e.bytesDone);
    const rows = during.map((e) => e.rows);
    expect(bytes).toEqual([...bytes].sort((a, b) => a - b));
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
    // Bytes move inside the file, not only at its end: several distinct values strictly between its start and end.
    const inside = new Set(bytes.filter((b) => b > dmBytes && b < dmBytes + lbBytes));
    expect(inside.size).toBeGreaterThanOrEqual(3);
    expect(rows[0]).toBeLessThan(subjects + 10000);
    const last = events.at(-1)!;
    expect(last).toMatchObject({ phase: 'done', bytesDone: dmBytes + lbBytes, rows: subjects + subjects * perSubject });
  });
});

describe('an uploaded folder is recorded by its own name', () => {
  let host: Host;
  beforeEach(async () => {
    const rendererDir = path.join(dir, 'renderer');
    fs.mkdirSync(rendererDir);
    host = await startHost({ core, rendererDir });
  });
  afterEach(async () => {
    await host.close();
  });

  /** Uploads files as the page does (renderer/src/api.ts stageFiles): POST /api/stage, PUT each under its relative name. */
  async function upload(files: Record<string, Buffer>): Promise<string> {
    const headers = { 'x-dosedesk-token': host.token };
    const s = (await (await fetch(`http://127.0.0.1:${host.port}/api/stage`, { method: 'POST', headers })).json()) as { result: { stageId: string; path: string } };
    let importPath = s.result.path;
    for (const [name, bytes] of Object.entries(files)) {
      const put = (await (await fetch(`http://127.0.0.1:${host.port}/api/stage/${s.result.stageId}/${encodeURIComponent(name)}`, { method: 'PUT', headers, body: new Blob([new Uint8Array(bytes)]) })).json()) as { result: { path: string } };
      if (Object.keys(files).length === 1 || name.includes('/')) importPath = put.result.path;
    }
    return importPath;
  }

  async function importUi(p: string) {
    const res = await fetch(`http://127.0.0.1:${host.port}/api/snapshot.import`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'x-dosedesk-token': host.token }, body: JSON.stringify({ path: p }) });
    const body = (await res.json()) as { ok: boolean; result: { status: string; snapshotId: number } };
    expect(body.ok).toBe(true);
    return body.result;
  }

  it('a folder picked in the page: sourcePath and label are the folder name, not the staging path', async () => {
    const src = writeFixture(path.join(dir, 'cut3'), [DM], 'csv');
    const staged = await upload({ 'cut3/dm.csv': fs.readFileSync(path.join(src, 'dm.csv')) });
    expect(staged).not.toBe('cut3'); // the core reads the staged copy...
    const r = await importUi(staged);
    expect(r.status).toBe('imported');
    const { info } = await core.call('snapshot.get', { snapshotId: r.snapshotId });
    // ...and records what the user picked.
    expect(info.sourcePath).toBe('cut3');
    expect(info.label).toBe('cut3');
  });

  it('a .zip chosen in the page: recorded by the file name', async () => {
    const src = writeFixture(path.join(dir, 'z'), [DM], 'csv');
    const zip = zipSync({ 'dm.csv': new Uint8Array(fs.readFileSync(path.join(src, 'dm.csv'))) });
    const r = await importUi(await upload({ 'cut4.zip': Buffer.from(zip) }));
    expect(r.status).toBe('imported');
    const { info } = await core.call('snapshot.get', { snapshotId: r.snapshotId });
    expect(info.sourcePath).toBe('cut4.zip');
  });

  it('a path of the core itself (the CLI) is still recorded as it is', async () => {
    const src = writeFixture(path.join(dir, 'cli-cut'), [DM], 'csv');
    const r = await core.call('snapshot.import', { path: src });
    const { info } = await core.call('snapshot.get', { snapshotId: r.snapshotId! });
    expect(info.sourcePath).toBe(path.resolve(src));
  });
});
