import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { LocatedError } from '../../electron/core/import/errors';
import { createCsvReader, CSV_LIMITS } from '../../electron/core/readers/csv';
import { createDatasetJsonReader, createNdjsonReader, MAX_JSON_VALUE_CHARS } from '../../electron/core/readers/datasetjson';
import { bytesSource, readAll } from '../../electron/core/readers/index';
import { MAX_JSON_DEPTH } from '../../electron/core/readers/json-scan';
import { dbFingerprint, miniSnapshot, tmpDir } from '../helpers/snapshot';
import { buildZip } from '../helpers/zip';

// Bounded readers (issue 11, item 7): the work and memory of a read are bounded by limits, and every
// limit reached is a located error. Offsets below are counted by hand from the inputs (bytes, UTF-8).

async function failure(p: Promise<unknown>): Promise<LocatedError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof LocatedError) return e;
    throw e;
  }
  throw new Error('expected a LocatedError');
}

const small = { maxFieldChars: 10, maxRecordChars: 25 };
const csvFail = (text: string | Buffer, chunk = 1 << 20, limits = small) =>
  failure(readAll(createCsvReader('lb.csv', bytesSource(Buffer.from(text), chunk), limits)));

describe('CSV limits', () => {
  it('a field over the limit: file, row, line, byte of the first character past it, column', async () => {
    // "A,B\n" is bytes 0-3, "1," 4-5, the field starts at byte 6; its 11th character is byte 16.
    for (const chunk of [1, 3, 1 << 20]) {
      const e = await csvFail('A,B\n1,12345678901\n', chunk);
      expect(e.location).toEqual({ file: 'lb.csv', row: 1, line: 2, offset: 16, column: 'B', expected: 'a field of at most 10 characters', found: 'a longer field' });
    }
    // In a quoted field after a quoted line break, counted in UTF-8 bytes: "é" is 2 bytes.
    // "A,B\n" 4 bytes, '1,"' 3, "x\n" 2 (the break makes line 3), then 8 × "é" = 16 bytes fill the
    // 10 characters: the 11th character (the 9th "é") starts at byte 25.
    const e = await csvFail('A,B\n1,"x\néééééééééé"\n');
    expect(e.location).toMatchObject({ row: 1, line: 3, offset: 25, column: 'B' });
  });

  it('a record over the limit: the line where it starts and the byte past the limit', async () => {
    // Header "A,B,C\n" is bytes 0-5; the record's 26th character (index 25) is byte 31.
    for (const chunk of [1, 7, 1 << 20]) {
      const e = await csvFail('A,B,C\n123456789,123456789,123456789\n', chunk);
      expect(e.location).toEqual({
        file: 'lb.csv',
        row: 1,
        line: 2,
        offset: 31,
        expected: 'a record of at most 25 characters',
        found: 'a record longer than that (from line 2)',
      });
    }
  });

  it('the default limits are generous for SDTM (200-character text) and stated', () => {
    expect(CSV_LIMITS).toEqual({ maxFieldChars: 1048576, maxRecordChars: 8388608 });
  });

  it('blank lines: counted, not re-read; inside the data each is a row of one empty field', async () => {
    // 1,000,000 trailing blank lines are ignored (RFC 4180 reads a blank line as one empty field; trailing ones are dropped).
    const { rows } = await readAll(createCsvReader('lb.csv', bytesSource(Buffer.concat([Buffer.from('A,B\n1,2\n'), Buffer.alloc(1_000_000, 0x0a)]), 4096)));
    expect(rows).toEqual([['1', '2']]);
    // Blank lines followed by a row: the first blank line is row 2 at line 3, with 1 field where the header has 2.
    const e = await csvFail(Buffer.concat([Buffer.from('A,B\n1,2\n'), Buffer.alloc(500_000, 0x0a), Buffer.from('3,4\n')]), 4096, CSV_LIMITS);
    expect(e.location).toEqual({ file: 'lb.csv', row: 2, line: 3, expected: '2 fields (as in the header)', found: '1 fields' });
  });
});

describe('JSON limits', () => {
  const meta = '{"datasetJSONVersion":"1.1.0","name":"LB","columns":[{"itemOID":"IT.A","name":"A","dataType":"string"}],"rows":[';

  it(`nesting deeper than ${MAX_JSON_DEPTH} is a located error (file, row, byte), not a stack overflow`, async () => {
    // The row starts right after `meta`; the 65th "[" (nesting depth 65) is at byte meta.length + 64.
    const doc = meta + '['.repeat(200_000) + ']'.repeat(200_000) + ']}';
    for (const chunk of [4096, 1 << 20]) {
      const e = await failure(readAll(createDatasetJsonReader('lb.json', bytesSource(Buffer.from(doc), chunk))));
      expect(e.location).toEqual({ file: 'lb.json', row: 1, offset: meta.length + MAX_JSON_DEPTH, expected: `arrays and objects nested at most ${MAX_JSON_DEPTH} deep`, found: 'deeper nesting' });
    }
    // NDJSON: line 2 is row 1; the line starts after the metadata line and its "\n".
    const head = JSON.stringify({ datasetJSONVersion: '1.1.0', name: 'LB', columns: [{ itemOID: 'IT.A', name: 'A', dataType: 'string' }] });
    const nd = `${head}\n${'['.repeat(100_000)}\n`;
    const n = await failure(readAll(createNdjsonReader('lb.ndjson', bytesSource(Buffer.from(nd)))));
    expect(n.location).toMatchObject({ file: 'lb.ndjson', row: 1, line: 2, offset: head.length + 1 + MAX_JSON_DEPTH, found: 'deeper nesting' });
  });

  it('a single value or line longer than the limit is refused where it starts', async () => {
    const huge = 'x'.repeat(MAX_JSON_VALUE_CHARS + 10);
    const e = await failure(readAll(createDatasetJsonReader('lb.json', bytesSource(Buffer.from(`${meta}["${huge}"]]}`)))));
    expect(e.location).toMatchObject({ file: 'lb.json', row: 1, offset: meta.length, found: 'a longer row' });
    const head = JSON.stringify({ name: 'LB', columns: [{ itemOID: 'IT.A', name: 'A', dataType: 'string' }] });
    const n = await failure(readAll(createNdjsonReader('lb.ndjson', bytesSource(Buffer.from(`${head}\n["a"]\n["${huge}"]\n`)))));
    expect(n.location).toMatchObject({ file: 'lb.ndjson', row: 2, line: 3, offset: head.length + 1 + 6, found: 'a longer line' });
  });
});

describe('bounded imports (generous bounds, measured)', () => {
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

  /** Runs an import, sampling the process's resident memory every 20 ms. */
  async function measured(p: string) {
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const t0 = Date.now();
    const r = await core.call('snapshot.import', { path: p });
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    return { r, ms: Date.now() - t0, growthMB: (peak - rss0) / 2 ** 20 };
  }

  it('study.json nested too deeply is a located error, not a stack overflow', async () => {
    const snap = miniSnapshot(path.join(dir, 'snap'));
    const head = '{"studyId":"S1","title":';
    fs.writeFileSync(path.join(snap, 'study.json'), head + '['.repeat(100_000) + ']'.repeat(100_000) + '}');
    const r = await core.call('snapshot.import', { path: snap });
    expect(r.status).toBe('failed');
    // The document's "{" is level 1, so the 64th "[" (level 65) is at byte head.length + 63.
    expect(r.errors[0]).toMatchObject({ file: 'study.json', code: 'invalid-file', found: 'deeper nesting' });
    expect(r.errors[0]!.message).toBe(`study.json, byte ${head.length + MAX_JSON_DEPTH - 1}: expected arrays and objects nested at most ${MAX_JSON_DEPTH} deep, found deeper nesting`);
  });

  it('a 60 MiB single-line CSV is refused in under 5 s and 300 MB', async () => {
    const snap = miniSnapshot(path.join(dir, 'snap'));
    const before = dbFingerprint(core.ctx.db);
    fs.writeFileSync(path.join(snap, 'lb.csv'), Buffer.alloc(60 << 20, 0x78)); // "xxxx…", no line break
    const { r, ms, growthMB } = await measured(snap);
    console.log(`60 MiB single line: refused in ${ms} ms, RSS +${growthMB.toFixed(0)} MB`);
    expect(r.status).toBe('failed');
    expect(r.errors[0]).toMatchObject({ file: 'lb.csv', line: 1, expected: `a field of at most ${CSV_LIMITS.maxFieldChars} characters` });
    expect(r.errors[0]!.message).toContain(`byte ${CSV_LIMITS.maxFieldChars}`);
    expect(ms).toBeLessThan(5000);
    expect(growthMB).toBeLessThan(300);
    expect(dbFingerprint(core.ctx.db)).toBe(before);
  }, 60_000);

  it('a 40 MiB run of blank lines inside a CSV is refused at its first line, quickly', async () => {
    const snap = miniSnapshot(path.join(dir, 'snap'));
    const ae = fs.readFileSync(path.join(snap, 'ae.csv'));
    const cut = ae.indexOf('\n') + 1; // after the header
    fs.writeFileSync(path.join(snap, 'ae.csv'), Buffer.concat([ae.subarray(0, cut), Buffer.alloc(40 << 20, 0x0a), ae.subarray(cut)]));
    const { r, ms, growthMB } = await measured(snap);
    console.log(`40 MiB of blank lines: refused in ${ms} ms, RSS +${growthMB.toFixed(0)} MB`);
    expect(r.status).toBe('failed');
    // The header ends with CRLF (line 1); the first blank line is line 2 = row 1, one field where 11 are expected.
    expect(r.errors[0]).toMatchObject({ file: 'ae.csv', row: 1, line: 2, expected: '11 fields (as in the header)', found: '1 fields' });
    expect(ms).toBeLessThan(5000);
    expect(growthMB).toBeLessThan(300);
  }, 60_000);

  it('a zip of a few hundred KB inflating to 300 MiB of one line is refused, bounded in time and memory', async () => {
    const snap = miniSnapshot(path.join(dir, 'snap'));
    const entries = fs.readdirSync(snap).map((name) => ({ name, data: fs.readFileSync(path.join(snap, name)) }));
    const bomb = buildZip([...entries, { name: 'lb.csv', data: Buffer.alloc(300 << 20, 0x78) }]);
    expect(bomb.bytes.length).toBeLessThan(400_000);
    fs.writeFileSync(path.join(dir, 'bomb.zip'), bomb.bytes);
    const { r, ms, growthMB } = await measured(path.join(dir, 'bomb.zip'));
    console.log(`300 MiB zip bomb (${bomb.bytes.length} bytes): refused in ${ms} ms, RSS +${growthMB.toFixed(0)} MB`);
    expect(r.status).toBe('failed');
    expect(r.errors[0]).toMatchObject({ file: 'lb.csv', line: 1, expected: `a field of at most ${CSV_LIMITS.maxFieldChars} characters` });
    expect(ms).toBeLessThan(20_000); // hashing inflates all 300 MiB once: generous
    expect(growthMB).toBeLessThan(300);
    // The same bytes declared as 1 KiB: refused as soon as the inflated bytes pass 1 KiB.
    const liar = buildZip([...entries, { name: 'lb.csv', data: Buffer.alloc(300 << 20, 0x78), size: 1024 }]);
    fs.writeFileSync(path.join(dir, 'liar.zip'), liar.bytes);
    const l = await measured(path.join(dir, 'liar.zip'));
    expect(l.r.errors[0]).toMatchObject({ file: 'liar.zip: lb.csv', expected: '1024 bytes (the size in the central directory)' });
    expect(l.ms).toBeLessThan(5000);
  }, 120_000);
});
