// CSV snapshot reader: RFC 4180 (quoted fields, doubled quotes, CRLF or LF, quoted line breaks),
// UTF-8 with an optional byte order mark. Streams: decodes chunk by chunk, yields rows in batches.
// Source: RFC 4180 "Common Format and MIME Type for Comma-Separated Values (CSV) Files" §2.
// Choices beyond RFC 4180: a lone CR also ends a record; a `"` inside an unquoted field is kept as
// text; blank lines at the end of the file are ignored; an empty field (quoted or not) is null.
import { LocatedError } from '../import/errors.js';
import { BATCH_ROWS, hexBytes, InvalidUtf8, Utf8Chunks } from './text.js';
import type { ByteSource, Cell, ColumnMeta, DatasetHeader, DatasetReader, RowBatch } from './types.js';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/** Number of line breaks (LF, CRLF or lone CR) in `s`. */
export function countLineBreaks(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === LF) n++;
    else if (c === CR && s.charCodeAt(i + 1) !== LF) n++;
  }
  return n;
}

function describeChar(s: string, i: number): string {
  if (i >= s.length) return 'end of file';
  const c = s[i]!;
  return c === '\t' ? 'a tab' : c.trim() === '' ? `character U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : `"${c}"`;
}

/** Incremental RFC 4180 record parser over decoded text. Record 0 is the header. */
export class CsvParser {
  /** Text from the start of the current, not yet complete record. */
  rest = '';
  /** Line breaks inside quoted fields of the record just parsed. */
  private quotedBreaks = 0;
  /** Index of the next record (0 = header line, n = data row n). */
  record = 0;
  /** Physical line (1-based) where the next record starts. */
  line = 1;
  header?: string[];

  constructor(private readonly file: string) {}

  /** Parses `text` appended to what is left; complete data records are pushed to `out`. */
  push(text: string, final: boolean, out: Cell[][]): void {
    const s = this.rest.length ? this.rest + text : text;
    const n = s.length;
    let pos = 0;
    while (pos < n) {
      const c0 = s.charCodeAt(pos);
      if ((c0 === LF || c0 === CR) && onlyLineBreaks(s, pos)) {
        if (final) pos = n; // trailing blank lines are ignored
        break;
      }
      const fields: Cell[] = [];
      this.quotedBreaks = 0;
      const end = this.parseRecord(s, pos, final, fields);
      if (end < 0) break;
      this.accept(fields, out);
      this.line += this.quotedBreaks + (end < n || isLineBreak(s.charCodeAt(n - 1)) ? 1 : 0);
      this.record++;
      pos = end;
    }
    this.rest = pos < n ? s.slice(pos) : '';
    if (final && this.rest.length) throw new Error('internal: CSV text left after end of file');
  }

  private accept(fields: Cell[], out: Cell[][]): void {
    if (this.record === 0) {
      this.header = this.validateHeader(fields);
      return;
    }
    const expected = this.header!.length;
    if (fields.length !== expected)
      throw new LocatedError({
        file: this.file,
        row: this.record,
        line: this.line,
        expected: `${expected} fields (as in the header)`,
        found: `${fields.length} fields`,
      });
    out.push(fields);
  }

  private validateHeader(fields: Cell[]): string[] {
    const names = fields.map((f) => String(f ?? '').trim());
    const seen = new Map<string, number>();
    names.forEach((name, i) => {
      if (name === '')
        throw new LocatedError({ file: this.file, line: this.line, expected: 'a column name in every header field', found: `empty name in field ${i + 1}` });
      const key = name.toUpperCase();
      const prev = seen.get(key);
      if (prev !== undefined)
        throw new LocatedError({
          file: this.file,
          line: this.line,
          column: name,
          expected: 'unique column names',
          found: `"${name}" in fields ${prev + 1} and ${i + 1}`,
        });
      seen.set(key, i);
    });
    return names;
  }

  /** Parses one record starting at `pos`; returns the position after its line break, or -1 if the
   *  record may continue in text not yet received. */
  private parseRecord(s: string, pos: number, final: boolean, fields: Cell[]): number {
    const n = s.length;
    let i = pos;
    for (;;) {
      let c = i < n ? s.charCodeAt(i) : -1;
      if (c === QUOTE) {
        let j = i + 1;
        let val = '';
        for (;;) {
          const q = s.indexOf('"', j);
          if (q === -1) {
            if (!final) return -1;
            throw this.error(s, pos, i, fields.length, 'a closing quote "', 'end of file inside a quoted field');
          }
          if (q + 1 >= n && !final) return -1; // a doubled quote may follow
          if (s.charCodeAt(q + 1) === QUOTE) {
            val += s.slice(j, q + 1);
            j = q + 2;
            continue;
          }
          val += s.slice(j, q);
          i = q + 1;
          break;
        }
        if (val.indexOf('\n') !== -1 || val.indexOf('\r') !== -1) this.quotedBreaks += countLineBreaks(val);
        fields.push(val === '' ? null : val);
        c = i < n ? s.charCodeAt(i) : -1;
        if (c !== COMMA && c !== LF && c !== CR && c !== -1)
          throw this.error(s, pos, i, fields.length - 1, 'a comma or line break after the closing quote', describeChar(s, i));
      } else {
        let j = i;
        while (j < n) {
          c = s.charCodeAt(j);
          if (c === COMMA || c === LF || c === CR) break;
          j++;
        }
        if (j >= n) {
          if (!final) return -1;
          c = -1;
        }
        fields.push(j === i ? null : s.slice(i, j));
        i = j;
      }
      if (c === COMMA) {
        i++;
        continue;
      }
      if (c === -1) return n; // last record without a line break
      if (c === LF) return i + 1;
      // CR: CRLF or a lone CR
      if (i + 1 >= n) return final ? n : -1;
      return s.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
    }
  }

  private error(s: string, recordStart: number, at: number, field: number, expected: string, found: string): LocatedError {
    return new LocatedError({
      file: this.file,
      row: this.record === 0 ? undefined : this.record,
      line: this.line + countLineBreaks(s.slice(recordStart, at)),
      column: this.header?.[field],
      expected,
      found,
    });
  }
}

function onlyLineBreaks(s: string, from: number): boolean {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== LF && c !== CR) return false;
  }
  return true;
}

function isLineBreak(c: number): boolean {
  return c === LF || c === CR;
}

/** Streaming CSV reader. All columns are 'string'; empty fields are null. */
export function createCsvReader(file: string, source: ByteSource): DatasetReader {
  const iterator = source[Symbol.asyncIterator]();
  const utf8 = new Utf8Chunks();
  const parser = new CsvParser(file);
  let pending: Cell[][] = [];
  let done = false;
  let headerPromise: Promise<DatasetHeader> | undefined;

  async function pull(): Promise<void> {
    const r = await iterator.next();
    const final = r.done === true;
    let text: string;
    try {
      text = utf8.decode(final ? undefined : r.value, final);
    } catch (e) {
      if (!(e instanceof InvalidUtf8)) throw e;
      parser.push(e.validPrefix, false, pending); // locate the record holding the bad bytes
      throw new LocatedError({
        file,
        row: parser.record === 0 ? undefined : parser.record,
        line: parser.line + countLineBreaks(parser.rest),
        offset: e.offset,
        expected: 'UTF-8 text',
        found: e.truncated ? `incomplete UTF-8 sequence ${hexBytes(e.bytes)} at end of file` : `invalid UTF-8 byte(s) ${hexBytes(e.bytes)}`,
      });
    }
    parser.push(text, final, pending);
    if (final) done = true;
  }

  async function readHeader(): Promise<DatasetHeader> {
    while (!parser.header && !done) await pull();
    if (!parser.header) throw new LocatedError({ file, line: 1, offset: 0, expected: 'a header row with column names', found: 'an empty file' });
    const columns: ColumnMeta[] = parser.header.map((name) => ({ name, type: 'string' }));
    const notes: string[] = [];
    if (utf8.bom) notes.push('The file starts with a UTF-8 byte order mark (EF BB BF); it was removed.');
    return { columns, notes };
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
        if (pending.length === 0) return;
        const all = pending;
        pending = [];
        let k = 0;
        while (all.length - k >= BATCH_ROWS || (done && k < all.length)) {
          const rows = all.slice(k, k + BATCH_ROWS);
          k += rows.length;
          yield { firstRow, rows };
          firstRow += rows.length;
        }
        pending = all.slice(k);
      }
    },
  };
}
