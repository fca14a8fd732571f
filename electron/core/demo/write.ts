// Writes a demo snapshot to a folder: the SDTM domains spread over every supported format (so that
// every reader runs on the demo) plus study.json. Output is byte-for-byte reproducible: creation
// times inside Dataset-JSON and XPT headers are fixed to the data cut-off.
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Cell } from '../readers/types.js';
import { writeDatasetJson, writeNdjson } from '../readers/datasetjson-write.js';
import { writeXpt } from '../readers/xpt-write.js';
import type { StudyDefinition } from '../../../shared/study.js';
import type { Domain } from './table.js';

export type FileFormat = 'csv' | 'json' | 'ndjson' | 'xpt';

/** Which format each domain is written in by default: every format is used at least twice. */
export const MIXED_FORMATS: Record<string, FileFormat> = {
  DM: 'csv',
  SUPPDM: 'csv',
  EX: 'json',
  AE: 'xpt',
  SUPPAE: 'ndjson',
  PC: 'csv',
  PP: 'json',
  TU: 'csv',
  TR: 'ndjson',
  RS: 'csv',
  DS: 'xpt',
  IS: 'json',
  LB: 'csv',
  VS: 'csv',
  CM: 'xpt',
  EG: 'json',
  TS: 'xpt',
};

export interface WriteOptions {
  /** 'mixed' (default): the MIXED_FORMATS table; otherwise every domain in that one format. */
  format?: 'mixed' | FileFormat;
  /** Also write the truth object as this file name (outside the SDTM set; default: not written). */
  truthFile?: string;
}

export interface WrittenFile {
  file: string;
  domain: string;
  format: FileFormat | 'study';
  rows: number;
}

/** One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF. */
export function csvField(v: Cell): string {
  if (v === null) return '';
  const s = typeof v === 'number' ? numberText(v) : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Decimal text of a number without exponent notation for the magnitudes the demo produces. */
export function numberText(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}

/** Streams a domain as UTF-8 CSV with a header row, LF line ends, in chunks of about 1 MB. */
export function writeCsvFile(path: string, d: Domain): void {
  const fd = openSync(path, 'w');
  try {
    let buf = d.columns.map((c) => csvField(c.name)).join(',') + '\n';
    for (const r of d.rows) {
      buf += r.map(csvField).join(',') + '\n';
      if (buf.length > 1 << 20) {
        writeSync(fd, buf);
        buf = '';
      }
    }
    writeSync(fd, buf);
  } finally {
    closeSync(fd);
  }
}

/** What the writer needs of a demo snapshot (generate.ts DemoSnapshot). */
interface WritableSnapshot {
  definition: StudyDefinition;
  domains: Record<string, Domain>;
  truth: unknown;
}

function creation(snap: WritableSnapshot): string {
  return `${snap.definition.dataCutoff ?? '2026-01-01'}T23:59:59`;
}

export async function writeSnapshot(dir: string, snap: WritableSnapshot, opts: WriteOptions = {}): Promise<WrittenFile[]> {
  mkdirSync(dir, { recursive: true });
  const created = creation(snap);
  const out: WrittenFile[] = [];
  for (const d of Object.values(snap.domains)) {
    const format: FileFormat = !opts.format || opts.format === 'mixed' ? (MIXED_FORMATS[d.name] ?? 'csv') : opts.format;
    const file = `${d.name.toLowerCase()}.${format}`;
    const path = join(dir, file);
    const dj = { label: d.label, creationDateTime: created, studyOID: 'IBB0979', originator: 'DoseDesk demo generator' };
    switch (format) {
      case 'csv':
        writeCsvFile(path, d);
        break;
      case 'json':
        writeFileSync(path, writeDatasetJson(d.name, d.columns, d.rows, dj));
        break;
      case 'ndjson':
        writeFileSync(path, writeNdjson(d.name, d.columns, d.rows, dj));
        break;
      case 'xpt':
        writeFileSync(path, writeXpt(d.name, d.columns, d.rows, { label: d.label, created: new Date(`${created}Z`) }));
        break;
    }
    out.push({ file, domain: d.name, format, rows: d.rows.length });
  }
  writeFileSync(join(dir, 'study.json'), JSON.stringify(snap.definition, null, 2) + '\n');
  out.push({ file: 'study.json', domain: 'STUDY', format: 'study', rows: 1 });
  if (opts.truthFile) writeFileSync(join(dir, opts.truthFile), JSON.stringify(snap.truth, null, 1) + '\n');
  return out;
}
