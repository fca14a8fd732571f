// SAS transport (XPORT) v5 reader, streaming: header records, NAMESTR records, then fixed-length
// observations yielded in batches.
// Source: SAS Technical Support TS-140 "The record layout of a data set in SAS transport (XPORT)
// format": 80-byte records; library header (3 records), member header (4 records), NAMESTR header
// + one 140-byte NAMESTR per variable (136 on VAX/VMS) padded to 80; OBS header; observations of
// fixed length, the last record padded with blanks. Numbers are IBM 370 floats (ibm-float.ts).
// Text: XPT declares no encoding; values are decoded as UTF-8 when valid, else as Windows-1252
// (with a note). Trailing blanks are trimmed; a blank character value is null, as an empty CSV
// field. SAS transport v8 (LIBV8) is recognised and refused with a located error.
import { Buffer } from 'node:buffer';
import { LocatedError } from '../import/errors.js';
import { ByteBuffer } from './bytes.js';
import { ibmToIeee } from './ibm-float.js';
import { BATCH_ROWS, decodeWindows1252, hexBytes } from './text.js';
import type { ByteSource, Cell, ColumnMeta, DatasetHeader, DatasetReader, RowBatch } from './types.js';

const RECORD = 80;
const BLANK = 0x20;
const LIBRARY_V5 = 'HEADER RECORD*******LIBRARY HEADER RECORD!!!!!!!';
const LIBRARY_V8 = 'HEADER RECORD*******LIBV8   HEADER RECORD!!!!!!!';
const MEMBER = 'HEADER RECORD*******MEMBER  HEADER RECORD!!!!!!!';
const DSCRPTR = 'HEADER RECORD*******DSCRPTR HEADER RECORD!!!!!!!';
const NAMESTR = 'HEADER RECORD*******NAMESTR HEADER RECORD!!!!!!!';
const OBS = 'HEADER RECORD*******OBS     HEADER RECORD!!!!!!!';
const MEMBER_BYTES = Uint8Array.from(MEMBER, (c) => c.charCodeAt(0));

/** One variable as declared by its NAMESTR record. */
export interface XptVariable {
  name: string;
  label: string;
  type: 'string' | 'number';
  length: number;
  /** Byte position of the value within an observation (npos). */
  position: number;
}

let asciiSource: Uint8Array | undefined;
let asciiView: Buffer | undefined;
/** Bytes [start, end) of `b` as Latin-1 (used for 7-bit ASCII), through a cached Buffer view. */
function ascii(b: Uint8Array, start: number, end: number): string {
  if (b !== asciiSource) {
    asciiSource = b;
    asciiView = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  }
  return asciiView!.toString('latin1', start, end);
}

/** Printable rendering of header bytes for an error message. */
function shown(b: Uint8Array): string {
  const s = Array.from(b, (c) => (c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '?')).join('').trimEnd();
  return s === '' ? '(blank bytes)' : `"${s}"`;
}

function startsWith(b: Uint8Array, at: number, pattern: Uint8Array): boolean {
  for (let i = 0; i < pattern.length; i++) if (b[at + i] !== pattern[i]) return false;
  return true;
}

/** Streaming reader of the first member of a SAS transport v5 file. */
export function createXptReader(file: string, source: ByteSource): DatasetReader {
  const input = new ByteBuffer(source);
  const notes: string[] = [];
  let variables: XptVariable[] = [];
  let obsLength = 0;
  let datasetName = '';
  let headerPromise: Promise<DatasetHeader> | undefined;
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let cp1252Count = 0;
  let cp1252Note = -1;

  /** The next 80-byte record, consumed; LocatedError if the file ends first. */
  async function record(what: string): Promise<Uint8Array> {
    const have = await input.fill(RECORD);
    if (have < RECORD)
      throw new LocatedError({ file, offset: input.offset, expected: `the 80-byte ${what}`, found: `${have} bytes before the end of the file` });
    const r = input.peek(RECORD);
    input.skip(RECORD);
    return r;
  }

  async function expectHeader(prefix: string, what: string): Promise<Uint8Array> {
    const at = input.offset;
    const r = await record(what);
    if (ascii(r, 0, prefix.length) !== prefix)
      throw new LocatedError({ file, offset: at, expected: `${what} "${prefix}"`, found: shown(r.subarray(0, prefix.length)) });
    return r;
  }

  async function readHeader(): Promise<DatasetHeader> {
    const first = await record('library header record');
    const firstText = ascii(first, 0, LIBRARY_V5.length);
    if (firstText === LIBRARY_V8)
      throw new LocatedError({ file, offset: 0, expected: 'SAS transport version 5 (LIBRARY header)', found: 'SAS transport version 8 (LIBV8 header); export the dataset as XPORT v5' });
    if (firstText !== LIBRARY_V5)
      throw new LocatedError({ file, offset: 0, expected: `a SAS transport file starting "${LIBRARY_V5}"`, found: shown(first.subarray(0, LIBRARY_V5.length)) });
    await record('first real header record (SAS version, OS, created)');
    await record('second real header record (modified)');
    const memberAt = input.offset;
    const member = await expectHeader(MEMBER, 'member header record');
    const namestrSize = Number(ascii(member, 74, 78));
    if (namestrSize !== 140 && namestrSize !== 136)
      throw new LocatedError({ file, offset: memberAt + 74, expected: 'NAMESTR length 0140 (or 0136)', found: shown(member.subarray(74, 78)) });
    await expectHeader(DSCRPTR, 'member descriptor header record');
    const m1 = await record('member header data record 1');
    datasetName = ascii(m1, 8, 16).trim();
    const m2 = await record('member header data record 2');
    const datasetLabel = decodeText(m2, 32, 72, 0, 'dataset label');
    const nsHeaderAt = input.offset;
    const nsHeader = await expectHeader(NAMESTR, 'NAMESTR header record');
    const countText = ascii(nsHeader, 54, 58);
    if (!/^\d{4}$/.test(countText))
      throw new LocatedError({ file, offset: nsHeaderAt + 54, expected: 'a 4-digit variable count', found: shown(nsHeader.subarray(54, 58)) });
    const count = Number(countText);
    const nsBytes = Math.ceil((count * namestrSize) / RECORD) * RECORD;
    const nsAt = input.offset;
    const have = await input.fill(nsBytes);
    if (have < nsBytes)
      throw new LocatedError({ file, offset: nsAt + have, expected: `${count} NAMESTR records (${nsBytes} bytes)`, found: `${have} bytes before the end of the file` });
    const ns = input.peek(nsBytes);
    input.skip(nsBytes);
    variables = [];
    const view = new DataView(ns.buffer, ns.byteOffset, ns.byteLength);
    for (let i = 0; i < count; i++) {
      const o = i * namestrSize;
      const ntype = view.getInt16(o);
      const length = view.getInt16(o + 4);
      const name = ascii(ns, o + 8, o + 16).trim();
      const position = view.getInt32(o + 84);
      const where = { file, offset: nsAt + o, column: name || `#${i + 1}` };
      if (ntype !== 1 && ntype !== 2) throw new LocatedError({ ...where, expected: 'NAMESTR type 1 (numeric) or 2 (character)', found: String(ntype) });
      if (ntype === 1 && (length < 2 || length > 8)) throw new LocatedError({ ...where, expected: 'numeric length 2 to 8', found: String(length) });
      if (length < 1) throw new LocatedError({ ...where, expected: 'a positive variable length', found: String(length) });
      if (position < 0) throw new LocatedError({ ...where, expected: 'a non-negative position', found: String(position) });
      variables.push({ name, label: decodeText(ns, o + 16, o + 56, 0, 'label of ' + name) ?? '', type: ntype === 1 ? 'number' : 'string', length, position });
    }
    obsLength = variables.reduce((m, v) => Math.max(m, v.position + v.length), 0);
    await expectHeader(OBS, 'observation header record');
    const columns: ColumnMeta[] = variables.map((v) => {
      const c: ColumnMeta = { name: v.name, type: v.type, length: v.length };
      if (v.label) c.label = v.label;
      return c;
    });
    const header: DatasetHeader = { datasetName, columns, notes };
    if (datasetLabel) header.datasetLabel = datasetLabel;
    return header;
  }

  /** Text bytes [start, end) with trailing blanks (and NULs) removed; null if blank. UTF-8 when
   *  valid, else Windows-1252 (noted once, with the first place it happened). */
  function decodeText(b: Uint8Array, start: number, end: number, row: number, column: string): string | null {
    let e = end;
    while (e > start && (b[e - 1] === BLANK || b[e - 1] === 0)) e--;
    if (e === start) return null;
    let ascii7 = true;
    for (let i = start; i < e; i++)
      if (b[i]! >= 0x80) {
        ascii7 = false;
        break;
      }
    if (ascii7) return ascii(b, start, e);
    try {
      return utf8.decode(b.subarray(start, e));
    } catch {
      cp1252Count++;
      if (cp1252Note < 0) {
        let bad = start;
        while (b[bad]! < 0x80) bad++;
        cp1252Note = notes.length;
        notes.push(`first at ${row ? `row ${row}, ` : ''}column ${column} (byte ${hexBytes([b[bad]!])})`);
      }
      return decodeWindows1252(b, start, e);
    }
  }

  function finishNotes(): void {
    if (cp1252Note >= 0)
      notes[cp1252Note] = `${cp1252Count} text value(s) are not valid UTF-8 and were decoded as Windows-1252, ${notes[cp1252Note]}.`;
  }

  function decodeRow(b: Uint8Array, at: number, row: number): Cell[] {
    const cells: Cell[] = new Array(variables.length);
    for (let k = 0; k < variables.length; k++) {
      const v = variables[k]!;
      const o = at + v.position;
      cells[k] = v.type === 'number' ? ibmToIeee(b, o, v.length) : decodeText(b, o, o + v.length, row, v.name);
    }
    return cells;
  }

  /** True if [from, to) of `b` are all blanks. */
  function blank(b: Uint8Array, from: number, to: number): boolean {
    for (let i = from; i < to; i++) if (b[i] !== BLANK) return false;
    return true;
  }

  return {
    header() {
      headerPromise ??= readHeader();
      return headerPromise;
    },
    async *batches(): AsyncIterable<RowBatch> {
      await this.header();
      let row = 1;
      let batch: Cell[][] = [];
      let firstRow = 1;
      if (obsLength === 0) return;
      const lookahead = obsLength + 2 * RECORD;
      for (;;) {
        const have = await input.fill(lookahead);
        const { bytes, at } = input.view();
        const p = input.offset;
        if (have === 0) break;
        // Another member follows after the blank padding of this one's last record.
        const q = Math.ceil(p / RECORD) * RECORD;
        if (q - p + RECORD <= have && blank(bytes, at, at + (q - p)) && startsWith(bytes, at + (q - p), MEMBER_BYTES)) {
          notes.push(`The file holds more than one member; only the first (${datasetName}) was read.`);
          break;
        }
        if (have < obsLength) {
          if (have < RECORD && blank(bytes, at, at + have)) break; // padding of the last record
          throw new LocatedError({
            file,
            row,
            offset: p,
            expected: `an observation of ${obsLength} bytes`,
            found: `${have} bytes before the end of the file (truncated file)`,
          });
        }
        if (have < RECORD && input.atEof && blank(bytes, at, at + have)) break; // all-blank padding
        batch.push(decodeRow(bytes, at, row));
        input.skip(obsLength);
        row++;
        if (batch.length >= BATCH_ROWS) {
          yield { firstRow, rows: batch };
          firstRow = row;
          batch = [];
        }
      }
      finishNotes();
      if (batch.length) yield { firstRow, rows: batch };
    },
  };
}
