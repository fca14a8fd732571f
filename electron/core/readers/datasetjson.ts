// CDISC Dataset-JSON v1.1 readers: `.json` (one document, walked chunk by chunk; each element of
// `rows` is parsed on its own, the file is never one string) and `.ndjson` (line 1 metadata, each
// following line one row array).
// Source: CDISC Dataset-JSON v1.1 specification: top-level datasetJSONCreationDateTime,
// datasetJSONVersion, itemGroupOID, records, name, label, columns[{itemOID, name, label, dataType,
// targetDataType?, length?, displayFormat?, keySequence?}], rows[[...]]. dataType is one of
// string, integer, float, double, decimal, boolean, date, datetime, time, URI; decimal values are
// JSON strings. Mapping to Cell: integer/float/double/decimal -> number; the others -> string
// (boolean as "true"/"false"); JSON null and "" -> null (as an empty CSV field).
import { Buffer } from 'node:buffer';
import { LocatedError, type Location } from '../import/errors.js';
import type { DatasetJsonDataType } from './datasetjson-write.js';
import { describeAt, INCOMPLETE, JsonScanner, JsonSyntaxError, skipWhitespace } from './json-scan.js';
import { BATCH_ROWS, hexBytes, InvalidUtf8, Utf8Chunks } from './text.js';
import type { ByteSource, Cell, ColumnMeta, DatasetHeader, DatasetReader, RowBatch } from './types.js';

const DATA_TYPES: readonly DatasetJsonDataType[] = ['string', 'integer', 'float', 'double', 'decimal', 'boolean', 'date', 'datetime', 'time', 'URI'];
const NUMERIC: ReadonlySet<string> = new Set(['integer', 'float', 'double', 'decimal']);
/** Decimal as a string (v1.1 §dataType decimal): optional sign, digits, optional fraction and exponent. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** One column as declared in `columns`. */
export interface DatasetJsonColumnSpec {
  name: string;
  dataType: DatasetJsonDataType;
  meta: ColumnMeta;
}

/** Longest single JSON value (one row, or one top-level attribute such as `columns`) and longest
 *  NDJSON line, in characters: far above any real row, it bounds the memory one value may take. */
export const MAX_JSON_VALUE_CHARS = 16 << 20;

function shortJson(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = Array.isArray(v) ? '[…]' : typeof v === 'object' ? '{…}' : String(v); // too deep to render
  }
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

/** Validates the `columns` attribute; `where` locates it in the file. */
export function parseColumns(value: unknown, where: Location): DatasetJsonColumnSpec[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new LocatedError({ ...where, expected: 'a non-empty "columns" array', found: shortJson(value) });
  const seen = new Set<string>();
  return value.map((c: unknown, i) => {
    const col = c as Record<string, unknown>;
    if (typeof col !== 'object' || col === null || typeof col.name !== 'string' || col.name === '')
      throw new LocatedError({ ...where, expected: `column ${i + 1} as an object with a "name"`, found: shortJson(c) });
    const name = col.name;
    if (seen.has(name.toUpperCase())) throw new LocatedError({ ...where, column: name, expected: 'unique column names', found: `"${name}" twice` });
    seen.add(name.toUpperCase());
    const dataType = col.dataType as DatasetJsonDataType;
    if (!DATA_TYPES.includes(dataType))
      throw new LocatedError({ ...where, column: name, expected: `dataType one of ${DATA_TYPES.join(', ')}`, found: shortJson(col.dataType) });
    const meta: ColumnMeta = { name, type: NUMERIC.has(dataType) ? 'number' : 'string' };
    if (typeof col.label === 'string' && col.label !== '') meta.label = col.label;
    if (typeof col.length === 'number') meta.length = col.length;
    return { name, dataType, meta };
  });
}

/** One JSON value converted to a Cell of the column's dataType, or a LocatedError. */
export function convertCell(v: unknown, col: DatasetJsonColumnSpec, where: Location): Cell {
  if (v === null) return null;
  const bad = (expected: string): LocatedError => new LocatedError({ ...where, column: col.name, expected, found: shortJson(v) });
  switch (col.dataType) {
    case 'integer':
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      throw bad('an integer (dataType integer)');
    case 'float':
    case 'double':
      if (typeof v === 'number') return v;
      throw bad(`a number (dataType ${col.dataType})`);
    case 'decimal':
      if (typeof v === 'string') {
        if (v === '') return null;
        if (DECIMAL.test(v)) return Number(v);
      } else if (typeof v === 'number') return v;
      throw bad('a decimal number as a string (dataType decimal)');
    case 'boolean':
      if (typeof v === 'boolean') return v ? 'true' : 'false';
      throw bad('true or false (dataType boolean)');
    default:
      if (typeof v === 'string') return v === '' ? null : v;
      throw bad(`a string (dataType ${col.dataType})`);
  }
}

/** One row array converted to Cells, checking its arity. */
export function convertRow(v: unknown, cols: DatasetJsonColumnSpec[], where: Location): Cell[] {
  if (!Array.isArray(v)) throw new LocatedError({ ...where, expected: `a row array of ${cols.length} values`, found: shortJson(v) });
  if (v.length !== cols.length)
    throw new LocatedError({ ...where, expected: `${cols.length} values (as in "columns")`, found: `${v.length} values` });
  const out: Cell[] = new Array(cols.length);
  for (let k = 0; k < cols.length; k++) out[k] = convertCell(v[k], cols[k]!, where);
  return out;
}

function headerFrom(meta: Record<string, unknown>, cols: DatasetJsonColumnSpec[], notes: string[]): DatasetHeader {
  const h: DatasetHeader = { columns: cols.map((c) => c.meta), notes };
  if (typeof meta.name === 'string' && meta.name) h.datasetName = meta.name;
  if (typeof meta.label === 'string' && meta.label) h.datasetLabel = meta.label;
  return h;
}

function checkVersion(meta: Record<string, unknown>, notes: string[]): void {
  const v = meta.datasetJSONVersion;
  if (typeof v === 'string' && !v.startsWith('1.1')) notes.push(`datasetJSONVersion is "${v}"; read as Dataset-JSON v1.1.`);
}

function missingColumns(file: string, meta: Record<string, unknown>, offset: number): LocatedError {
  const v10 = 'clinicalData' in meta || 'referenceData' in meta;
  return new LocatedError({
    file,
    offset,
    expected: 'a "columns" array (Dataset-JSON v1.1)',
    found: v10 ? 'a Dataset-JSON v1.0 document (clinicalData/referenceData)' : `no "columns" (top-level keys: ${Object.keys(meta).join(', ') || 'none'})`,
  });
}

function invalidUtf8Error(file: string, e: InvalidUtf8, row?: number, line?: number): LocatedError {
  return new LocatedError({
    file,
    row,
    line,
    offset: e.offset,
    expected: 'UTF-8 text',
    found: e.truncated ? `incomplete UTF-8 sequence ${hexBytes(e.bytes)} at end of file` : `invalid UTF-8 byte(s) ${hexBytes(e.bytes)}`,
  });
}

type Phase = 'start' | 'key' | 'colon' | 'value' | 'next' | 'rows' | 'rowNext' | 'done';

/** Streaming reader of a Dataset-JSON v1.1 `.json` document. */
export function createDatasetJsonReader(file: string, source: ByteSource): DatasetReader {
  const iterator = source[Symbol.asyncIterator]();
  const utf8 = new Utf8Chunks();
  const scanner = new JsonScanner();
  const meta: Record<string, unknown> = {};
  const notes: string[] = [];
  let cols: DatasetJsonColumnSpec[] | undefined;
  let s = '';
  let i = 0;
  /** Byte offset of s[0] in the file (without a BOM, added in `offsetAt`). */
  let base = 0;
  let final = false;
  let phase: Phase = 'start';
  let key = '';
  let firstKey = true;
  let rowCount = 0;
  let rowsSeen = false;
  let rowsOpened = false;
  let rawRows: { value: unknown; offset: number }[] = []; // rows met before `columns`
  let pending: Cell[][] = [];
  let headerPromise: Promise<DatasetHeader> | undefined;
  let header: DatasetHeader | undefined;
  /** After an unfinished value, parse again only once this much unparsed text is available: the
   *  value is re-scanned from its start, so waiting for the text to double keeps the work linear. */
  let retryAt = 0;

  const offsetAt = (k: number): number => (utf8.bom ? 3 : 0) + base + Buffer.byteLength(s.slice(0, k));

  async function pull(): Promise<void> {
    const r = await iterator.next();
    final = r.done === true;
    let text: string;
    try {
      text = utf8.decode(final ? undefined : r.value, final);
    } catch (e) {
      if (!(e instanceof InvalidUtf8)) throw e;
      // Walk the well-formed text before the bad bytes to name the row that holds them.
      s += e.validPrefix;
      final = false;
      try {
        while (phase !== 'done' && step());
      } catch (x) {
        throw x instanceof JsonSyntaxError ? syntax(x) : x;
      }
      throw invalidUtf8Error(file, e, phase === 'rows' || phase === 'rowNext' ? rowCount + 1 : undefined);
    }
    if (i > 0) {
      base += Buffer.byteLength(s.slice(0, i));
      s = s.slice(i);
      i = 0;
    }
    s += text;
    if (s.length > MAX_JSON_VALUE_CHARS) {
      const inRows = phase === 'rows' || phase === 'rowNext';
      throw new LocatedError({
        file,
        ...(inRows ? { row: rowCount + 1 } : {}),
        offset: offsetAt(0),
        expected: `a JSON value (row or attribute) of at most ${MAX_JSON_VALUE_CHARS} characters`,
        found: inRows ? 'a longer row' : `a longer value${key ? ` of "${key}"` : ''}`,
      });
    }
  }

  function syntax(e: JsonSyntaxError, row?: number): LocatedError {
    const where = row === undefined ? { file } : { file, row };
    return new LocatedError({ ...where, offset: offsetAt(e.index), expected: e.expected, found: e.found });
  }

  /** Takes one element of `rows` that starts at index `at` of the text. The byte offset is only
   *  computed for an error (computing it for every row would rescan the text). */
  function acceptRow(value: unknown, at: number): void {
    rowCount++;
    if (!cols) {
      rawRows.push({ value, offset: offsetAt(at) });
      return;
    }
    try {
      pending.push(convertRow(value, cols, { file, row: rowCount, expected: '', found: '' }));
    } catch (e) {
      if (!(e instanceof LocatedError)) throw e;
      const { file: f, row, column, expected, found } = e.location;
      throw new LocatedError(column === undefined ? { file: f, row, offset: offsetAt(at), expected, found } : { file: f, row, offset: offsetAt(at), column, expected, found });
    }
  }

  function onColumns(value: unknown, offset: number): void {
    cols = parseColumns(value, { file, offset, expected: '', found: '' });
    const early = rawRows;
    rawRows = [];
    early.forEach((r, k) => pending.push(convertRow(r.value, cols!, { file, row: k + 1, offset: r.offset, expected: '', found: '' })));
  }

  function incomplete(): false {
    retryAt = 2 * (s.length - i);
    return false;
  }

  /** Advances the walk over the available text. Returns false when more text is needed. */
  function step(): boolean {
    const expectChar = (expected: string): never => {
      throw new JsonSyntaxError(i, expected, describeAt(s, i));
    };
    i = skipWhitespace(s, i);
    if (i >= s.length && phase !== 'done') {
      if (final) throw new JsonSyntaxError(i, phase === 'start' ? 'a JSON object "{"' : 'the rest of the document', 'end of file');
      return false;
    }
    const c = s.charCodeAt(i);
    switch (phase) {
      case 'start':
        if (c !== 0x7b) expectChar('a JSON object "{" (Dataset-JSON document)');
        i++;
        phase = 'key';
        return true;
      case 'key': {
        if (c === 0x7d && firstKey) {
          i++;
          phase = 'done';
          return true;
        }
        if (c !== 0x22) expectChar('a key string');
        const end = scanner.value(s, i, final);
        if (end === INCOMPLETE) return incomplete();
        key = scanner.result as string;
        i = end;
        firstKey = false;
        phase = 'colon';
        return true;
      }
      case 'colon':
        if (c !== 0x3a) expectChar('":"');
        i++;
        phase = 'value';
        return true;
      case 'value': {
        if (key === 'rows') {
          if (c !== 0x5b) expectChar('"[" starting the "rows" array');
          i++;
          rowsSeen = true;
          rowsOpened = true;
          phase = 'rows';
          return true;
        }
        const at = i;
        const end = scanner.value(s, i, final);
        if (end === INCOMPLETE) return incomplete();
        i = end;
        meta[key] = scanner.result;
        if (key === 'columns') onColumns(scanner.result, offsetAt(at));
        phase = 'next';
        return true;
      }
      case 'next':
        if (c === 0x2c) {
          i++;
          phase = 'key';
          return true;
        }
        if (c === 0x7d) {
          i++;
          phase = 'done';
          return true;
        }
        return expectChar('"," or "}"');
      case 'rows': {
        if (c === 0x5d && rowsOpened) {
          i++; // empty "rows": []
          phase = 'next';
          return true;
        }
        rowsOpened = false;
        const at = i;
        let end: number;
        try {
          end = scanner.value(s, i, final);
        } catch (e) {
          if (e instanceof JsonSyntaxError) throw syntax(e, rowCount + 1);
          throw e;
        }
        if (end === INCOMPLETE) return incomplete();
        i = end;
        acceptRow(scanner.result, at);
        phase = 'rowNext';
        return true;
      }
      case 'rowNext':
        if (c === 0x2c) {
          i++;
          phase = 'rows';
          return true;
        }
        if (c === 0x5d) {
          i++;
          phase = 'next';
          return true;
        }
        try {
          return expectChar('"," or "]" after a row');
        } catch (e) {
          throw syntax(e as JsonSyntaxError, rowCount);
        }
      case 'done':
        if (i < s.length) expectChar('end of file after the Dataset-JSON object');
        return false;
    }
  }

  /** Walks until `stop()` holds or the document ends; then checks the whole. */
  async function walk(stop: () => boolean): Promise<void> {
    while (!stop()) {
      let progressed: boolean;
      try {
        progressed = step();
      } catch (e) {
        if (e instanceof JsonSyntaxError) throw syntax(e);
        throw e;
      }
      if (progressed) continue;
      if (phase === 'done' && final) return finish();
      do await pull();
      while (!final && s.length - i < retryAt);
      retryAt = 0;
    }
  }

  let finished = false;
  function finish(): void {
    if (finished) return;
    finished = true;
    if (!cols) throw missingColumns(file, meta, offsetAt(s.length));
    if (!rowsSeen) throw new LocatedError({ file, offset: offsetAt(s.length), expected: 'a "rows" array', found: 'no "rows" in the document' });
    if (typeof meta.records === 'number' && meta.records !== rowCount)
      throw new LocatedError({ file, expected: `${meta.records} rows (the "records" attribute)`, found: `${rowCount} rows` });
    if (header) Object.assign(header, headerFrom(meta, cols, notes), { notes });
  }

  async function readHeader(): Promise<DatasetHeader> {
    await walk(() => cols !== undefined && (phase === 'rows' || phase === 'rowNext' || finished));
    if (!cols) throw missingColumns(file, meta, offsetAt(s.length));
    checkVersion(meta, notes);
    header = headerFrom(meta, cols, notes);
    return header;
  }

  return {
    header() {
      headerPromise ??= readHeader();
      return headerPromise;
    },
    async *batches(): AsyncIterable<RowBatch> {
      await this.header();
      let firstRow = 1;
      for (;;) {
        await walk(() => pending.length >= BATCH_ROWS || finished);
        while (pending.length >= BATCH_ROWS || (finished && pending.length > 0)) {
          const rows = pending.length === BATCH_ROWS ? pending : pending.slice(0, BATCH_ROWS);
          pending = pending.length === BATCH_ROWS ? [] : pending.slice(BATCH_ROWS);
          yield { firstRow, rows };
          firstRow += rows.length;
        }
        if (finished) return;
      }
    },
  };
}

/** Streaming reader of the NDJSON form: line 1 the metadata object, then one row array per line. */
export function createNdjsonReader(file: string, source: ByteSource): DatasetReader {
  const iterator = source[Symbol.asyncIterator]();
  const utf8 = new Utf8Chunks();
  const notes: string[] = [];
  let meta: Record<string, unknown> | undefined;
  let cols: DatasetJsonColumnSpec[] | undefined;
  let rest = '';
  /** Byte offset of the start of `rest`'s first line. */
  let lineOffset = 0;
  let line = 0; // physical lines consumed
  let rowCount = 0;
  let done = false;
  let pending: Cell[][] = [];
  let headerPromise: Promise<DatasetHeader> | undefined;

  function parseLine(text: string, offset: number, lineNo: number): unknown {
    try {
      return JSON.parse(text);
    } catch {
      // Locate the error with the incremental scanner (exact index and token).
      const where = lineNo > 1 ? { file, row: lineNo - 1, line: lineNo } : { file, line: lineNo };
      try {
        const sc = new JsonScanner();
        const end = sc.value(text, 0, true);
        const after = skipWhitespace(text, end);
        throw new JsonSyntaxError(after, 'end of line after one JSON value', describeAt(text, after));
      } catch (e) {
        if (!(e instanceof JsonSyntaxError)) throw e;
        const found = e.index >= text.length ? 'end of line' : e.found;
        throw new LocatedError({ ...where, offset: offset + Buffer.byteLength(text.slice(0, e.index)), expected: e.expected, found });
      }
    }
  }

  function tooLong(lineNo: number, offset: number): LocatedError {
    return new LocatedError({
      file,
      ...(meta ? { row: rowCount + 1 } : {}),
      line: lineNo,
      offset: (utf8.bom ? 3 : 0) + offset,
      expected: `a line of at most ${MAX_JSON_VALUE_CHARS} characters`,
      found: 'a longer line',
    });
  }

  function acceptLine(text: string, offset: number, lineNo: number): void {
    if (text.length > MAX_JSON_VALUE_CHARS) throw tooLong(lineNo, offset - (utf8.bom ? 3 : 0));
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim() === '') return; // blank lines (e.g. at the end) carry nothing
    const value = parseLine(text, offset, lineNo);
    if (!meta) {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new LocatedError({ file, line: lineNo, offset, expected: 'the metadata object on line 1', found: shortJson(value) });
      meta = value as Record<string, unknown>;
      if (!('columns' in meta)) throw missingColumns(file, meta, offset);
      cols = parseColumns(meta.columns, { file, line: lineNo, offset, expected: '', found: '' });
      checkVersion(meta, notes);
      return;
    }
    rowCount++;
    pending.push(convertRow(value, cols!, { file, row: rowCount, line: lineNo, offset, expected: '', found: '' }));
  }

  async function pull(): Promise<void> {
    const r = await iterator.next();
    const final = r.done === true;
    let text: string;
    try {
      text = utf8.decode(final ? undefined : r.value, final);
    } catch (e) {
      if (!(e instanceof InvalidUtf8)) throw e;
      const badLine = line + 1 + (rest + e.validPrefix).split('\n').length - 1;
      throw invalidUtf8Error(file, e, badLine > 1 ? badLine - 1 : undefined, badLine);
    }
    const s = rest + text;
    let start = 0;
    const from = rest.length; // `rest` holds no line break: search only the new text
    for (;;) {
      const nl = s.indexOf('\n', Math.max(start, from));
      if (nl === -1) break;
      const lineText = s.slice(start, nl);
      line++;
      acceptLine(lineText, (utf8.bom ? 3 : 0) + lineOffset, line);
      lineOffset += Buffer.byteLength(lineText) + 1;
      start = nl + 1;
    }
    rest = s.slice(start);
    if (rest.length > MAX_JSON_VALUE_CHARS) throw tooLong(line + 1, lineOffset);
    if (final) {
      if (rest.length) {
        line++;
        acceptLine(rest, (utf8.bom ? 3 : 0) + lineOffset, line);
        rest = '';
      }
      done = true;
      if (!meta) throw new LocatedError({ file, line: 1, offset: 0, expected: 'the metadata object on line 1', found: 'an empty file' });
      if (typeof meta.records === 'number' && meta.records !== rowCount)
        throw new LocatedError({ file, expected: `${meta.records} rows (the "records" attribute)`, found: `${rowCount} rows` });
    }
  }

  async function readHeader(): Promise<DatasetHeader> {
    while (!cols && !done) await pull();
    return headerFrom(meta!, cols!, notes);
  }

  return {
    header() {
      headerPromise ??= readHeader();
      return headerPromise;
    },
    async *batches(): AsyncIterable<RowBatch> {
      await this.header();
      let firstRow = 1;
      for (;;) {
        while (pending.length < BATCH_ROWS && !done) await pull();
        while (pending.length >= BATCH_ROWS || (done && pending.length > 0)) {
          const rows = pending.slice(0, BATCH_ROWS);
          pending = pending.slice(BATCH_ROWS);
          yield { firstRow, rows };
          firstRow += rows.length;
        }
        if (done) return;
      }
    },
  };
}
