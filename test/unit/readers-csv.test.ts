// CSV reader: RFC 4180 behaviour (quoted fields, doubled quotes, CRLF, quoted line breaks), UTF-8
// validation with exact locations, BOM, ragged rows, chunk boundaries and batching.
// Rules: RFC 4180 §2; UTF-8 well-formedness: Unicode §3.9 Table 3-7.
import { describe, expect, it } from 'vitest';
import { LocatedError } from '../../electron/core/import/errors';
import { createCsvReader } from '../../electron/core/readers/csv';
import { bytesSource, createReader, detectFormat, readAll } from '../../electron/core/readers/index';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? Array.from(enc(p)) : p)));
const read = (b: Uint8Array | string, chunk = 1 << 20) =>
  readAll(createCsvReader('lb.csv', bytesSource(typeof b === 'string' ? enc(b) : b, chunk)));

async function failure(b: Uint8Array | string, chunk = 1 << 20): Promise<LocatedError> {
  try {
    await read(b, chunk);
  } catch (e) {
    if (e instanceof LocatedError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('CSV reader: good input', () => {
  it('reads header and rows; empty fields are null; all columns are string', async () => {
    const { header, rows } = await read('USUBJID,AGE,SEX\n01-001,63,F\n01-002,,M\n');
    expect(header).toEqual({ columns: [{ name: 'USUBJID', type: 'string' }, { name: 'AGE', type: 'string' }, { name: 'SEX', type: 'string' }], notes: [] });
    expect(rows).toEqual([['01-001', '63', 'F'], ['01-002', null, 'M']]);
  });

  it('quoted fields: commas, doubled quotes, CRLF line breaks inside quotes; CRLF records', async () => {
    const { rows } = await read('A,B,C\r\n"x, y","say ""hi""","line1\r\nline2"\r\n"",b,\r\n');
    expect(rows).toEqual([['x, y', 'say "hi"', 'line1\r\nline2'], [null, 'b', null]]);
  });

  it('last record without a line break; trailing blank lines ignored', async () => {
    expect((await read('A,B\n1,2')).rows).toEqual([['1', '2']]);
    expect((await read('A,B\n1,2\n\n\r\n')).rows).toEqual([['1', '2']]);
  });

  it('UTF-8 BOM is removed and noted', async () => {
    const { header, rows } = await read(bytes([0xef, 0xbb, 0xbf], 'USUBJID,X\n1,é\n'));
    expect(header.columns[0]!.name).toBe('USUBJID');
    expect(header.notes).toEqual(['The file starts with a UTF-8 byte order mark (EF BB BF); it was removed.']);
    expect(rows).toEqual([['1', 'é']]);
    // BOM split over 1-byte chunks
    expect((await read(bytes([0xef, 0xbb, 0xbf], 'USUBJID,X\n1,é\n'), 1)).header.notes).toHaveLength(1);
  });

  it('same rows for every chunk size, multi-byte characters split across chunks (1-byte chunks)', async () => {
    const lines = ['USUBJID,AETERM,AESEV'];
    for (let i = 0; i < 300; i++) lines.push(`S-${i},"Übelkeit, 恶心 😀 ""${i}""\r\nnext",${i % 3 ? 'MILD' : ''}`);
    const text = lines.join('\r\n') + '\r\n';
    const whole = await read(text);
    expect(whole.rows).toHaveLength(300);
    expect(whole.rows[7]).toEqual(['S-7', 'Übelkeit, 恶心 😀 "7"\r\nnext', 'MILD']);
    for (const size of [1, 2, 3, 5, 64]) expect((await read(text, size)).rows).toEqual(whole.rows);
  });

  it('yields batches of 1000 rows numbered from 1', async () => {
    const text = 'A\n' + Array.from({ length: 2500 }, (_, i) => String(i + 1)).join('\n') + '\n';
    const r = createCsvReader('a.csv', bytesSource(enc(text), 4096));
    await r.header();
    const batches: [number, number][] = [];
    for await (const b of r.batches()) batches.push([b.firstRow, b.rows.length]);
    expect(batches).toEqual([[1, 1000], [1001, 1000], [2001, 500]]);
  });
});

describe('CSV reader: malformed input, exact locations', () => {
  it('ragged row: row and physical line differ after a quoted line break', async () => {
    // line 1 header; row 1 spans lines 2-3; row 2 is line 4 with 3 fields
    const e = await failure('A,B\n1,"x\ny"\n2,3,4\n');
    expect(e.location).toEqual({ file: 'lb.csv', row: 2, line: 4, expected: '2 fields (as in the header)', found: '3 fields' });
    expect(e.message).toBe('lb.csv, row 2, line 4: expected 2 fields (as in the header), found 3 fields');
  });

  it('ragged row with too few fields, found in 1-byte chunks too', async () => {
    for (const size of [1, 1 << 20]) {
      const e = await failure('A,B,C\r\n1,2,3\r\n4,5\r\n', size);
      expect(e.location).toEqual({ file: 'lb.csv', row: 2, line: 3, expected: '3 fields (as in the header)', found: '2 fields' });
    }
  });

  it('invalid UTF-8 byte: row, line, byte offset and the byte in hex, whatever the chunking', async () => {
    const b = bytes('A,B\n1,x\n2,caf', [0xe9], '\n'); // Latin-1 é in a UTF-8 file
    for (const size of [1, 3, 1 << 20]) {
      const e = await failure(b, size);
      expect(e.location).toEqual({ file: 'lb.csv', row: 2, line: 3, offset: 13, expected: 'UTF-8 text', found: 'invalid UTF-8 byte(s) 0xE9 0x0A' });
    }
  });

  it('invalid byte after a quoted line break, and a lone 0xFF in the header', async () => {
    const e = await failure(bytes('A,B\n"1\n2",', [0xff], '\n'));
    expect(e.location).toMatchObject({ row: 1, line: 3, offset: 10, found: 'invalid UTF-8 byte(s) 0xFF' });
    const h = await failure(bytes('A,', [0xc3, 0x28], '\n1,2\n'), 1);
    expect(h.location).toEqual({ file: 'lb.csv', line: 1, offset: 2, expected: 'UTF-8 text', found: 'invalid UTF-8 byte(s) 0xC3 0x28' });
  });

  it('offsets count the BOM; a multi-byte character cut by the end of file', async () => {
    const e = await failure(bytes([0xef, 0xbb, 0xbf], 'A\n€\n', [0xe2, 0x82]), 2);
    // BOM 3 + "A\n" 2 + "€\n" 4 = byte 9
    expect(e.location).toEqual({ file: 'lb.csv', row: 2, line: 3, offset: 9, expected: 'UTF-8 text', found: 'incomplete UTF-8 sequence 0xE2 0x82 at end of file' });
  });

  it('unterminated quote at end of file: row, line where the quote opens, column', async () => {
    const e = await failure('A,B\n1,2\n3,"abc\ndef\n');
    expect(e.location).toEqual({ file: 'lb.csv', row: 2, line: 3, column: 'B', expected: 'a closing quote "', found: 'end of file inside a quoted field' });
  });

  it('text after a closing quote', async () => {
    const e = await failure('A,B\n"x"y,1\n');
    expect(e.location).toEqual({ file: 'lb.csv', row: 1, line: 2, column: 'A', expected: 'a comma or line break after the closing quote', found: '"y"' });
  });

  it('duplicate (case-insensitive) and empty header names', async () => {
    expect((await failure('USUBJID,AGE,usubjid\n')).location).toEqual({
      file: 'lb.csv',
      line: 1,
      column: 'usubjid',
      expected: 'unique column names',
      found: '"usubjid" in fields 1 and 3',
    });
    expect((await failure('A,,C\n1,2,3\n')).location).toEqual({ file: 'lb.csv', line: 1, expected: 'a column name in every header field', found: 'empty name in field 2' });
  });

  it('empty file', async () => {
    expect((await failure('')).location).toMatchObject({ line: 1, found: 'an empty file' });
  });
});

describe('format detection', () => {
  it('by extension, case-insensitive', () => {
    expect(detectFormat('ae.csv')).toBe('csv');
    expect(detectFormat('snap/AE.XPT')).toBe('xpt');
    expect(detectFormat('dm.Json')).toBe('json');
    expect(detectFormat('lb.ndjson')).toBe('ndjson');
    expect(detectFormat('study.txt')).toBeUndefined();
    expect(detectFormat('xpt')).toBeUndefined();
  });

  it('createReader dispatches on the format', async () => {
    const { rows } = await readAll(createReader('csv', 'a.csv', bytesSource(enc('A\n1\n'))));
    expect(rows).toEqual([['1']]);
  });
});
