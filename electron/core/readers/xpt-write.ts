// Writer for SAS transport v5 (XPORT) files: one member, character and 8-byte numeric variables.
// Record layout source: SAS Technical Support TS-140 "The record layout of a data set in SAS
// transport (XPORT) format". All records are 80 bytes; the namestr and observation sections are
// padded with ASCII blanks to a multiple of 80; numbers are IBM 370 floats (see ibm-float.ts).
import { ieeeToIbm } from './ibm-float.js';
import type { Cell, ColumnMeta } from './types.js';

export interface XptWriteOptions {
  /** Dataset (member) label, at most 40 bytes. */
  label?: string;
  /** Creation date-time written in the headers (default: now). Pass it for reproducible bytes. */
  created?: Date;
}

const RECORD = 80;
const NAMESTR_LEN = 140;
/** XPT v5 limits (TS-140): 8-character names, 40-byte labels, 200-byte character values. */
export const XPT_V5_MAX_NAME = 8;
export const XPT_V5_MAX_LABEL = 40;
export const XPT_V5_MAX_CHAR = 200;

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** SAS header date-time `ddMMMyy:hh:mm:ss` (16 characters), in UTC. */
export function sasHeaderDateTime(d: Date): string {
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return (
    `${p2(d.getUTCDate())}${MONTHS[d.getUTCMonth()]}${p2(d.getUTCFullYear() % 100)}:` +
    `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`
  );
}

const utf8 = new TextEncoder();

/** Text padded with blanks (or cut) to exactly `len` bytes, UTF-8 encoded. */
function fixed(text: string, len: number): Uint8Array {
  const out = new Uint8Array(len).fill(0x20);
  const b = utf8.encode(text);
  out.set(b.subarray(0, len));
  return out;
}

function headerRecord(kind: string, digits: string): string {
  return `HEADER RECORD*******${kind.padEnd(8)}HEADER RECORD!!!!!!!${digits}`.padEnd(RECORD);
}

/** Validated, upper-cased XPT v5 variable or member name. */
export function xptName(name: string): string {
  const up = name.toUpperCase();
  if (!/^[A-Z_][A-Z0-9_]{0,7}$/.test(up))
    throw new Error(`XPT v5 name must be 1-${XPT_V5_MAX_NAME} letters, digits or _ (not starting with a digit): "${name}"`);
  return up;
}

/** Byte length of a character variable: the longest UTF-8 value, at least 1 (TS-140: 1..200). */
export function charLength(rows: Cell[][], index: number): number {
  let max = 1;
  for (const r of rows) {
    const v = r[index];
    if (v !== null && v !== undefined) max = Math.max(max, utf8.encode(String(v)).length);
  }
  if (max > XPT_V5_MAX_CHAR) throw new Error(`XPT v5 character values are at most ${XPT_V5_MAX_CHAR} bytes; column index ${index} needs ${max}`);
  return max;
}

/** Writes one member as a complete XPT v5 file. */
export function writeXpt(
  datasetName: string,
  columns: ColumnMeta[],
  rows: Cell[][],
  opts: XptWriteOptions = {},
): Uint8Array {
  const member = xptName(datasetName);
  const names = columns.map((c) => xptName(c.name));
  if (new Set(names).size !== names.length) throw new Error('XPT v5 variable names must be unique (after upper-casing)');
  const lengths = columns.map((c, i) => (c.type === 'number' ? 8 : charLength(rows, i)));
  const positions: number[] = [];
  let obsLen = 0;
  for (const l of lengths) {
    positions.push(obsLen);
    obsLen += l;
  }
  const when = sasHeaderDateTime(opts.created ?? new Date());
  const parts: Uint8Array[] = [];
  const text = (s: string): void => {
    if (s.length !== RECORD) throw new Error(`internal: header record of ${s.length} bytes`);
    parts.push(fixed(s, RECORD));
  };

  // Library header (3 records)
  text(headerRecord('LIBRARY', '0'.repeat(30) + '  '));
  text('SAS     SAS     SASLIB  9.4     DOSEDESK' + ' '.repeat(24) + when);
  text(when + ' '.repeat(64));
  // Member header + descriptor (4 records)
  text(headerRecord('MEMBER', '000000000000000001600000000' + String(NAMESTR_LEN) + '  '));
  text(headerRecord('DSCRPTR', '0'.repeat(30) + '  '));
  text('SAS     ' + member.padEnd(8) + 'SASDATA 9.4     DOSEDESK' + ' '.repeat(24) + when);
  const memLabel = fixed(opts.label ?? '', XPT_V5_MAX_LABEL);
  const rec2 = fixed(when + ' '.repeat(16), RECORD);
  rec2.set(memLabel, 32);
  parts.push(rec2);
  // Namestr header + namestr records
  text(headerRecord('NAMESTR', '000000' + String(columns.length).padStart(4, '0') + '0'.repeat(20) + '  '));
  const nsBytes = Math.ceil((columns.length * NAMESTR_LEN) / RECORD) * RECORD;
  const ns = new Uint8Array(nsBytes).fill(0x20);
  const view = new DataView(ns.buffer);
  columns.forEach((c, i) => {
    const o = i * NAMESTR_LEN;
    ns.fill(0, o, o + NAMESTR_LEN);
    view.setInt16(o, c.type === 'number' ? 1 : 2); // ntype
    view.setInt16(o + 2, 0); // nhfun
    view.setInt16(o + 4, lengths[i]!); // nlng
    view.setInt16(o + 6, i + 1); // nvar0
    ns.set(fixed(names[i]!, 8), o + 8); // nname
    ns.set(fixed(c.label ?? '', XPT_V5_MAX_LABEL), o + 16); // nlabel
    ns.set(fixed('', 8), o + 56); // nform
    // nfl, nfd, nfj (o+64..69) = 0; nfill (o+70..71)
    ns.set(fixed('', 8), o + 72); // niform
    // nifl, nifd (o+80..83) = 0
    view.setInt32(o + 84, positions[i]!); // npos
    // rest (o+88..139) = 0
  });
  parts.push(ns);
  // Observations
  text(headerRecord('OBS', '0'.repeat(30) + '  '));
  const dataBytes = Math.ceil((rows.length * obsLen) / RECORD) * RECORD;
  const obs = new Uint8Array(dataBytes).fill(0x20);
  rows.forEach((r, ri) => {
    const base = ri * obsLen;
    columns.forEach((c, ci) => {
      const v = r[ci] ?? null;
      const o = base + positions[ci]!;
      if (c.type === 'number') {
        const num = v === null ? null : typeof v === 'number' ? v : Number(v);
        if (num !== null && Number.isNaN(num)) throw new Error(`row ${ri + 1}, column ${c.name}: not a number: "${v}"`);
        ieeeToIbm(num, obs, o);
      } else if (v !== null) {
        obs.set(utf8.encode(String(v)), o);
      }
    });
  });
  parts.push(obs);

  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
