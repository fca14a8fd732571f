// Dataset-JSON v1.1 (.json, streamed) and NDJSON readers and writers.
// Source of the structure: CDISC Dataset-JSON v1.1 specification (top-level attributes, columns
// with dataType string|integer|float|double|decimal|boolean|date|datetime|time|URI; decimal values
// are strings; NDJSON: metadata on line 1, one row array per following line).
import { describe, expect, it } from 'vitest';
import { LocatedError } from '../../electron/core/import/errors';
import { createDatasetJsonReader, createNdjsonReader } from '../../electron/core/readers/datasetjson';
import { writeDatasetJson, writeNdjson } from '../../electron/core/readers/datasetjson-write';
import { bytesSource, readAll } from '../../electron/core/readers/index';
import type { Cell, ColumnMeta } from '../../electron/core/readers/types';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const byteOffset = (text: string, index: number): number => enc(text.slice(0, index)).length;
const readJson = (text: string, chunk = 1 << 20) => readAll(createDatasetJsonReader('pc.json', bytesSource(enc(text), chunk)));
const readNd = (text: string, chunk = 1 << 20) => readAll(createNdjsonReader('pc.ndjson', bytesSource(enc(text), chunk)));

async function failure(p: Promise<unknown>): Promise<LocatedError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof LocatedError) return e;
    throw e;
  }
  throw new Error('no error');
}

// A hand-written v1.1 document (not produced by our writer), one column of each dataType.
const META = {
  datasetJSONCreationDateTime: '2024-03-01T10:00:00',
  datasetJSONVersion: '1.1.0',
  fileOID: 'www.example.org/PC',
  itemGroupOID: 'IG.PC',
  records: 3,
  name: 'PC',
  label: 'Pharmacokinetics Concentrations',
  columns: [
    { itemOID: 'IT.PC.USUBJID', name: 'USUBJID', label: 'Unique Subject Identifier', dataType: 'string', length: 11 },
    { itemOID: 'IT.PC.PCSEQ', name: 'PCSEQ', label: 'Sequence Number', dataType: 'integer' },
    { itemOID: 'IT.PC.PCSTRESN', name: 'PCSTRESN', label: 'Numeric Result', dataType: 'double' },
    { itemOID: 'IT.PC.PCLLOQ', name: 'PCLLOQ', label: 'LLOQ', dataType: 'decimal', targetDataType: 'decimal' },
    { itemOID: 'IT.PC.PCDTC', name: 'PCDTC', label: 'Date/Time', dataType: 'datetime' },
    { itemOID: 'IT.PC.FLAG', name: 'FLAG', label: 'A flag', dataType: 'boolean' },
    { itemOID: 'IT.PC.PCELTM', name: 'PCELTM', label: 'Elapsed', dataType: 'float' },
  ],
};
const ROWS = [
  ['01-701-1015', 1, 12.5, '0.05', '2024-01-02T08:00', true, 0.5],
  ['01-701-1015', 2, null, '1.40E-1', '2024-01-02T09:00', false, 1],
  ['01-701-1023', 3, 3.25, null, '', null, null],
];
const EXPECTED: Cell[][] = [
  ['01-701-1015', 1, 12.5, 0.05, '2024-01-02T08:00', 'true', 0.5],
  ['01-701-1015', 2, null, 0.14, '2024-01-02T09:00', 'false', 1],
  ['01-701-1023', 3, 3.25, null, null, null, null],
];
const DOC = JSON.stringify({ ...META, rows: ROWS }, null, 2);
const NDJSON = [JSON.stringify(META), ...ROWS.map((r) => JSON.stringify(r))].join('\n') + '\n';

describe('Dataset-JSON v1.1 .json reader', () => {
  it('reads metadata, maps dataTypes to cell types, parses decimal strings', async () => {
    const { header, rows } = await readJson(DOC);
    expect(header.datasetName).toBe('PC');
    expect(header.datasetLabel).toBe('Pharmacokinetics Concentrations');
    expect(header.columns.map((c) => [c.name, c.type])).toEqual([
      ['USUBJID', 'string'], ['PCSEQ', 'number'], ['PCSTRESN', 'number'], ['PCLLOQ', 'number'], ['PCDTC', 'string'], ['FLAG', 'string'], ['PCELTM', 'number'],
    ]);
    expect(header.columns[0]).toEqual({ name: 'USUBJID', type: 'string', label: 'Unique Subject Identifier', length: 11 });
    expect(rows).toEqual(EXPECTED);
    expect(header.notes).toEqual([]);
  });

  it('same result for every chunk size (1 byte, 3 bytes, whole), with multi-byte text', async () => {
    const doc = DOC.replace('01-701-1023', 'Zürich-😀');
    const whole = await readJson(doc);
    for (const size of [1, 3, 17]) expect((await readJson(doc, size)).rows).toEqual(whole.rows);
    expect(whole.rows[2]![0]).toBe('Zürich-😀');
  });

  it('streams rows: 2500 rows come in batches of 1000 numbered from 1', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => ['S', i + 1, i / 4, String(i), '2024', true, 1]);
    const r = createDatasetJsonReader('big.json', bytesSource(enc(JSON.stringify({ ...META, records: 2500, rows })), 5000));
    await r.header();
    const seen: [number, number][] = [];
    for await (const b of r.batches()) seen.push([b.firstRow, b.rows.length]);
    expect(seen).toEqual([[1, 1000], [1001, 1000], [2001, 500]]);
  });

  it('rows before columns are buffered and converted once the columns arrive', async () => {
    const { columns, ...rest } = META;
    const doc = JSON.stringify({ rows: ROWS, ...rest, columns });
    const { header, rows } = await readJson(doc, 7);
    expect(header.datasetName).toBe('PC');
    expect(rows).toEqual(EXPECTED);
  });

  it('empty rows array', async () => {
    const { rows } = await readJson(JSON.stringify({ ...META, records: 0, rows: [] }), 1);
    expect(rows).toEqual([]);
  });

  it('a datasetJSONVersion other than 1.1 is noted', async () => {
    const { header } = await readJson(JSON.stringify({ ...META, datasetJSONVersion: '1.2.0', rows: ROWS }));
    expect(header.notes).toEqual(['datasetJSONVersion is "1.2.0"; read as Dataset-JSON v1.1.']);
  });
});

describe('Dataset-JSON .json reader: malformed input, exact locations', () => {
  it('broken JSON inside rows (missing comma between rows): row, byte offset, expected token', async () => {
    const doc = JSON.stringify({ ...META, rows: ROWS }).replace('],["01-701-1023"', ']["01-701-1023"');
    const at = doc.indexOf('["01-701-1023"');
    for (const size of [1, 1 << 20]) {
      const e = await failure(readJson(doc, size));
      expect(e.location).toEqual({ file: 'pc.json', row: 2, offset: byteOffset(doc, at), expected: '"," or "]" after a row', found: "'['" });
    }
  });

  it('broken JSON inside a row value: row and offset of the bad token', async () => {
    const doc = JSON.stringify({ ...META, rows: ROWS }).replace('12.5,', '12.5,,');
    const at = doc.indexOf(',,') + 1;
    const e = await failure(readJson(doc, 4));
    expect(e.location).toMatchObject({ row: 1, offset: byteOffset(doc, at), expected: 'a JSON value', found: "','" });
  });

  it('broken JSON in the metadata: byte offset (after multi-byte text) and expected token', async () => {
    const doc = '{"name": "PÇ" "label": "x"}';
    const e = await failure(readJson(doc));
    // the second key's quote is character 14; Ç takes 2 bytes in UTF-8, so byte 15
    expect(e.location).toEqual({ file: 'pc.json', offset: 15, expected: '"," or "}"', found: "'\"'" });
  });

  it('truncated document', async () => {
    const doc = JSON.stringify({ ...META, rows: ROWS });
    const e = await failure(readJson(doc.slice(0, doc.length - 30), 64));
    expect(e.location).toMatchObject({ row: 3, offset: byteOffset(doc, doc.length - 30), found: 'end of file' });
  });

  it('a value contradicting the dataType: row, column, expected type, found value', async () => {
    const bad = ROWS.map((r) => [...r]);
    bad[1]![1] = 'abc';
    const e = await failure(readJson(JSON.stringify({ ...META, rows: bad })));
    expect(e.location).toMatchObject({ file: 'pc.json', row: 2, column: 'PCSEQ', expected: 'an integer (dataType integer)', found: '"abc"' });
    const dec = ROWS.map((r) => [...r]);
    dec[2]![3] = '1,5';
    expect((await failure(readJson(JSON.stringify({ ...META, rows: dec })))).location).toMatchObject({
      row: 3,
      column: 'PCLLOQ',
      expected: 'a decimal number as a string (dataType decimal)',
      found: '"1,5"',
    });
    const str = ROWS.map((r) => [...r]);
    str[0]![0] = 1015;
    expect((await failure(readJson(JSON.stringify({ ...META, rows: str })))).location).toMatchObject({ row: 1, column: 'USUBJID', expected: 'a string (dataType string)', found: '1015' });
    const frac = ROWS.map((r) => [...r]);
    frac[0]![1] = 1.5;
    expect((await failure(readJson(JSON.stringify({ ...META, rows: frac })))).location).toMatchObject({ row: 1, column: 'PCSEQ', found: '1.5' });
  });

  it('row arity differs from columns: names the row and its offset', async () => {
    const bad = ROWS.map((r) => [...r]);
    bad[2]!.pop();
    const doc = JSON.stringify({ ...META, rows: bad });
    const e = await failure(readJson(doc));
    expect(e.location).toEqual({ file: 'pc.json', row: 3, offset: byteOffset(doc, doc.indexOf('["01-701-1023"')), expected: '7 values (as in "columns")', found: '6 values' });
  });

  it('missing columns, unknown dataType, records mismatch', async () => {
    const { columns: _c, ...noCols } = META;
    expect((await failure(readJson(JSON.stringify({ ...noCols, rows: ROWS })))).location).toMatchObject({
      expected: 'a "columns" array (Dataset-JSON v1.1)',
      found: expect.stringContaining('no "columns"'),
    });
    const v10 = JSON.stringify({ creationDateTime: '2023', datasetJSONVersion: '1.0.0', clinicalData: {} });
    expect((await failure(readJson(v10))).location.found).toBe('a Dataset-JSON v1.0 document (clinicalData/referenceData)');
    const badType = { ...META, columns: [...META.columns.slice(0, 6), { ...META.columns[6]!, dataType: 'real' }] };
    expect((await failure(readJson(JSON.stringify({ ...badType, rows: ROWS })))).location).toMatchObject({ column: 'PCELTM', found: '"real"' });
    expect((await failure(readJson(JSON.stringify({ ...META, records: 4, rows: ROWS })))).location).toEqual({
      file: 'pc.json',
      expected: '4 rows (the "records" attribute)',
      found: '3 rows',
    });
  });

  it('invalid UTF-8 inside rows: row and byte offset', async () => {
    const doc = JSON.stringify({ ...META, rows: ROWS });
    const at = doc.indexOf('01-701-1023');
    const b = enc(doc);
    b[at + 3] = 0xff; // "01-" then 0xFF
    for (const size of [1, 1 << 20]) {
      const e = await failure(readAll(createDatasetJsonReader('pc.json', bytesSource(b, size))));
      expect(e.location).toEqual({ file: 'pc.json', row: 3, offset: at + 3, expected: 'UTF-8 text', found: 'invalid UTF-8 byte(s) 0xFF' });
    }
  });
});

describe('Dataset-JSON NDJSON reader', () => {
  it('reads the same as the .json form, for every chunk size', async () => {
    for (const size of [1, 5, 1 << 20]) {
      const { header, rows } = await readNd(NDJSON, size);
      expect(header.datasetName).toBe('PC');
      expect(rows).toEqual(EXPECTED);
    }
    expect((await readNd(NDJSON.replace(/\n/g, '\r\n'))).rows).toEqual(EXPECTED);
  });

  it('broken row line: row, line, byte offset of the bad token', async () => {
    const text = NDJSON.replace('"1.40E-1",', '"1.40E-1" ');
    const line3 = text.split('\n').slice(0, 2).join('\n').length + 1;
    const at = text.indexOf('"1.40E-1" ') + '"1.40E-1" '.length;
    const e = await failure(readNd(text, 3));
    expect(e.location).toEqual({ file: 'pc.ndjson', row: 2, line: 3, offset: byteOffset(text, at), expected: '"," or "]"', found: "'\"'" });
    expect(at).toBeGreaterThan(line3);
  });

  it('wrong type and wrong arity name row and line', async () => {
    const text = NDJSON.replace('"01-701-1023",3,', '"01-701-1023","three",');
    expect((await failure(readNd(text))).location).toMatchObject({ row: 3, line: 4, column: 'PCSEQ', found: '"three"' });
    const short = NDJSON.replace(',0.5]', ']');
    expect((await failure(readNd(short))).location).toMatchObject({ row: 1, line: 2, expected: '7 values (as in "columns")', found: '6 values' });
  });

  it('metadata line without columns', async () => {
    const { columns: _c, ...noCols } = META;
    const e = await failure(readNd(JSON.stringify(noCols) + '\n' + JSON.stringify(ROWS[0]) + '\n'));
    expect(e.location).toMatchObject({ file: 'pc.ndjson', offset: 0, expected: 'a "columns" array (Dataset-JSON v1.1)' });
  });
});

describe('Dataset-JSON writers', () => {
  const columns: ColumnMeta[] = [
    { name: 'USUBJID', type: 'string', label: 'Unique Subject Identifier' },
    { name: 'AGE', type: 'number', label: 'Age' },
    { name: 'WEIGHT', type: 'number' },
  ];
  const rows: Cell[][] = [['01-001', 63, 70.5], ['01-002', null, null], [null, 41, 80]];
  const opts = { label: 'Demographics', creationDateTime: '2024-05-06T07:08:09' };

  it('writes v1.1 with required attributes, inferred dataTypes and records', () => {
    const doc = JSON.parse(writeDatasetJson('DM', columns, rows, opts));
    expect(doc).toMatchObject({ datasetJSONCreationDateTime: '2024-05-06T07:08:09', datasetJSONVersion: '1.1.0', itemGroupOID: 'IG.DM', records: 3, name: 'DM', label: 'Demographics' });
    expect(doc.columns.map((c: { dataType: string }) => c.dataType)).toEqual(['string', 'integer', 'double']);
    expect(doc.rows).toEqual(rows);
  });

  it('round-trips through both readers; decimal columns are written as strings', async () => {
    const o = { ...opts, dataTypes: { WEIGHT: 'decimal' as const } };
    const json = writeDatasetJson('DM', columns, rows, o);
    expect(JSON.parse(json).rows[0][2]).toBe('70.5');
    const nd = writeNdjson('DM', columns, rows, o);
    expect(nd.split('\n')).toHaveLength(5); // metadata + 3 rows + final newline
    for (const r of [await readJson(json, 9), await readNd(nd, 9)]) {
      expect(r.header.datasetName).toBe('DM');
      expect(r.header.datasetLabel).toBe('Demographics');
      expect(r.header.columns.map((c) => [c.name, c.type, c.label])).toEqual([
        ['USUBJID', 'string', 'Unique Subject Identifier'],
        ['AGE', 'number', 'Age'],
        ['WEIGHT', 'number', 'WEIGHT'],
      ]);
      expect(r.rows).toEqual(rows);
    }
  });
});
