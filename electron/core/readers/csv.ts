// CSV snapshot reader: RFC 4180 (quoted fields, doubled quotes, CRLF or LF, quoted line breaks),
// UTF-8 with an optional byte order mark. Streams: decodes chunk by chunk, yields rows in batches.
// Source: RFC 4180 "Common Format and MIME Type for Comma-Separated Values (CSV) Files" §2.
// Choices beyond RFC 4180: a lone CR also ends a record; a `"` inside an unquoted field is kept as
// text; blank lines at the end of the file are ignored; an empty field (quoted or not) is null.
// Bounded work: the parser is a state machine that resumes where the previous chunk ended, so each
// character is looked at once (linear time), and a field or a record longer than the limits below
// is refused with its file, row, line and byte offset (bounded memory).
import { Buffer } from 'node:buffer';
import { LocatedError, type Location } from '../import/errors.js';
import { BATCH_ROWS, hexBytes, InvalidUtf8, Utf8Chunks } from './text.js';
import type { ByteSource, Cell, ColumnMeta, DatasetHeader, DatasetReader, RowBatch } from './types.js';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

export interface CsvLimits {
  /** Longest field, in characters. SDTM text is at most 200 characters in XPT v5; 1 Mi is generous. */
  maxFieldChars: number;
  /** Longest record (all its fields, separators and quoted line breaks), in characters. */
  maxRecordChars: number;
}

export const CSV_LIMITS: CsvLimits = { maxFieldChars: 1 << 20, maxRecordChars: 8 << 20 };

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

function describeChar(c: string): string {
  return c === '\t' ? 'a tab' : c.trim() === '' ? `character U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : `"${c}"`;
}

const enum St {
  /** Before the first character of a record (blank lines are counted here). */
  RecordStart,
  /** After a comma. */
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: a doubled quote or the closing one, decided by the next character. */
  QuoteInQuoted,
}

/** Incremental RFC 4180 record parser over decoded text. Record 0 is the header. */
export class CsvParser {
  /** Index of the record being read (0 = header line, n = data row n). */
  record = 0;
  /** Physical line (1-based) where the current record starts. */
  line = 1;
  /** Physical line (1-based) of the next character to read. */
  curLine = 1;
  header?: string[];

  private st = St.RecordStart;
  private fields: Cell[] = [];
  private field = '';
  private recordChars = 0;
  /** Line where the open quoted field started (for "unterminated quote"). */
  private quoteLine = 1;
  /** The previous character was a CR: an LF now is the second half of CRLF, not a new line. */
  private afterCR = false;
  /** The previous character inside a quoted field was a CR (CRLF there is one line break too). */
  private quotedCR = false;
  /** Blank lines met at the start of a record, not yet known to be trailing (ignored) or inside (empty records). */
  private blankLines = 0;
  /** UTF-8 bytes of the text of the chunks already pushed (for byte offsets in errors). */
  private bytesBefore = 0;

  constructor(
    private readonly file: string,
    private readonly limits: CsvLimits = CSV_LIMITS,
    /** Bytes before the first character (a UTF-8 byte order mark). */
    private readonly startOffset: () => number = () => 0,
  ) {}

  /** Parses `text` as the continuation of what was pushed before; complete data records are pushed to `out`. */
  push(text: string, final: boolean, out: Cell[][]): void {
    const s = text;
    const n = s.length;
    let i = 0;
    while (i < n) {
      let c = s.charCodeAt(i);
      if (this.afterCR) {
        this.afterCR = false;
        if (c === LF) {
          i++;
          continue;
        }
      }
      if (this.st === St.RecordStart) {
        if (c === LF || c === CR) {
          this.blankLines++;
          this.curLine++;
          this.afterCR = c === CR;
          i++;
          continue;
        }
        this.flushBlankLines(out);
        this.st = St.FieldStart;
      }
      if (this.st === St.FieldStart) {
        if (c === QUOTE) {
          this.quoteLine = this.curLine;
          this.quotedCR = false;
          this.st = St.Quoted;
          this.take(s, i, 1);
          i++;
          continue;
        }
        this.st = St.Unquoted;
      }
      if (this.st === St.Unquoted) {
        let j = i;
        while (j < n) {
          c = s.charCodeAt(j);
          if (c === COMMA || c === LF || c === CR) break;
          j++;
        }
        this.appendField(s, i, j);
        i = j;
        if (j >= n) continue;
        this.endField();
        i = this.afterSeparator(s, i, c, out);
        continue;
      }
      if (this.st === St.Quoted) {
        const q = s.indexOf('"', i);
        const end = q === -1 ? n : q;
        this.appendQuoted(s, i, end);
        i = end;
        if (q === -1) continue;
        this.take(s, i, 1);
        this.st = St.QuoteInQuoted;
        i++;
        continue;
      }
      // St.QuoteInQuoted
      if (c === QUOTE) {
        this.appendQuoted(s, i, i + 1); // doubled quote: one quote in the value
        this.st = St.Quoted;
        i++;
        continue;
      }
      this.endField();
      if (c !== COMMA && c !== LF && c !== CR) {
        const cp = String.fromCodePoint(s.codePointAt(i)!);
        throw this.error(this.curLine, this.fields.length - 1, 'a comma or line break after the closing quote', describeChar(cp));
      }
      i = this.afterSeparator(s, i, c, out);
    }
    this.bytesBefore += Buffer.byteLength(s);
    if (!final) return;
    switch (this.st) {
      case St.RecordStart:
        return; // trailing blank lines are ignored
      case St.Quoted:
        throw this.error(this.quoteLine, this.fields.length, 'a closing quote "', 'end of file inside a quoted field');
      default:
        this.endField(); // the last record without a line break
        this.endRecord(out, false);
    }
  }

  /** Handles the comma or line break `c` at `s[i]` that ends a field; returns the next index. */
  private afterSeparator(s: string, i: number, c: number, out: Cell[][]): number {
    this.take(s, i, 1);
    if (c === COMMA) {
      this.st = St.FieldStart;
      return i + 1;
    }
    this.afterCR = c === CR;
    this.endRecord(out, true);
    return i + 1;
  }

  /** Counts `k` characters of the current record, refusing a record over the limit. */
  private take(s: string, at: number, k: number): void {
    const room = this.limits.maxRecordChars - this.recordChars;
    this.recordChars += k;
    if (k > room)
      throw this.limitError(s, at + room, `a record of at most ${this.limits.maxRecordChars} characters`, `a record longer than that (from line ${this.line})`, this.line);
  }

  private appendField(s: string, from: number, to: number, quoted = false): void {
    if (to === from) return;
    const room = this.limits.maxFieldChars - this.field.length;
    if (to - from > room) {
      const at = from + room;
      const line = this.curLine + (quoted ? countLineBreaks(s.slice(from, at)) : 0);
      throw this.limitError(s, at, `a field of at most ${this.limits.maxFieldChars} characters`, 'a longer field', line, this.header?.[this.fields.length]);
    }
    this.take(s, from, to - from);
    this.field += s.slice(from, to);
  }

  /** Appends text of a quoted field, counting the line breaks inside it. */
  private appendQuoted(s: string, from: number, to: number): void {
    this.appendField(s, from, to, true);
    for (let k = from; k < to; k++) {
      const c = s.charCodeAt(k);
      if (c === LF) {
        if (!this.quotedCR) this.curLine++;
        this.quotedCR = false;
      } else if (c === CR) {
        this.curLine++;
        this.quotedCR = true;
      } else this.quotedCR = false;
    }
  }

  private endField(): void {
    this.fields.push(this.field === '' ? null : this.field);
    this.field = '';
  }

  private endRecord(out: Cell[][], lineBreak: boolean): void {
    const fields = this.fields;
    this.fields = [];
    this.accept(fields, out);
    if (lineBreak) this.curLine++;
    this.record++;
    this.line = this.curLine;
    this.recordChars = 0;
    this.st = St.RecordStart;
  }

  /** Blank lines followed by more text: each is a record of one empty field (as RFC 4180 reads it). */
  private flushBlankLines(out: Cell[][]): void {
    const line = this.curLine;
    for (this.curLine -= this.blankLines; this.blankLines > 0; this.blankLines--) {
      this.line = this.curLine;
      this.accept([null], out);
      this.record++;
      this.curLine++;
    }
    this.curLine = line;
    this.line = line;
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

  private error(line: number, field: number, expected: string, found: string): LocatedError {
    return new LocatedError({
      file: this.file,
      row: this.record === 0 ? undefined : this.record,
      line,
      column: this.header?.[field],
      expected,
      found,
    });
  }

  /** A limit reached at `s[at]`: located by row, line, byte offset (and column for a field). */
  private limitError(s: string, at: number, expected: string, found: string, line: number, column?: string): LocatedError {
    const loc: Location = {
      file: this.file,
      line,
      offset: this.startOffset() + this.bytesBefore + Buffer.byteLength(s.slice(0, Math.min(at, s.length))),
      expected,
      found,
    };
    if (this.record > 0) loc.row = this.record;
    if (column !== undefined) loc.column = column;
    return new LocatedError(loc);
  }
}

/** Streaming CSV reader. All columns are 'string'; empty fields are null. */
export function createCsvReader(file: string, source: ByteSource, limits: CsvLimits = CSV_LIMITS): DatasetReader {
  const iterator = source[Symbol.asyncIterator]();
  const utf8 = new Utf8Chunks();
  const parser = new CsvParser(file, limits, () => (utf8.bom ? 3 : 0));
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
        line: parser.curLine,
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
