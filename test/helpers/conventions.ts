import fs from 'node:fs';
import path from 'node:path';
import type { Cell } from '../../electron/core/readers/types';
import type { Domain } from '../../electron/core/demo/table';
import { writeCsvFile } from '../../electron/core/demo/write';
import { writeDatasetJson } from '../../electron/core/readers/datasetjson-write';
import { writeXpt } from '../../electron/core/readers/xpt-write';

// Hand-built fixtures that follow other sponsors' conventions (pharmaverse/admiral, the CDISC pilot,
// SDTMIG examples), written as real files in each of the three formats a snapshot may use, so that a
// test runs the same derivation on CSV, Dataset-JSON and SAS XPT.

export const FORMATS = ['csv', 'json', 'xpt'] as const;
export type FixtureFormat = (typeof FORMATS)[number];

/**
 * A domain from a header and rows written out by hand. A column is numeric when every non-null cell
 * is a number (as SAS would store it), else character.
 */
export function table(name: string, header: readonly string[], rows: readonly Cell[][], label = name): Domain {
  const columns = header.map((h, i) => ({
    name: h,
    label: h,
    type: rows.some((r) => r[i] !== null && r[i] !== undefined) && rows.every((r) => r[i] === null || r[i] === undefined || typeof r[i] === 'number') ? ('number' as const) : ('string' as const),
  }));
  return { name, label, columns, rows: rows.map((r) => header.map((_, i) => r[i] ?? null)) };
}

/**
 * Write domains as one snapshot folder in one format. `fileName` gives a domain's file name without
 * extension (default: its name in lower case; split domains pass 'lbch' etc.). `study` is written as
 * study.json when given.
 */
export function writeFixture(
  dir: string,
  domains: readonly Domain[],
  format: FixtureFormat,
  opts: { study?: unknown; fileName?: (d: Domain) => string } = {},
): string {
  fs.mkdirSync(dir, { recursive: true });
  const created = '2026-01-01T00:00:00';
  for (const d of domains) {
    const base = (opts.fileName?.(d) ?? d.name).toLowerCase();
    const file = path.join(dir, `${base}.${format}`);
    if (format === 'csv') writeCsvFile(file, d);
    else if (format === 'json') fs.writeFileSync(file, writeDatasetJson(base.toUpperCase(), d.columns, d.rows, { label: d.label, creationDateTime: created, studyOID: 'FIXTURE', originator: 'DoseDesk test fixture' }));
    else fs.writeFileSync(file, writeXpt(base.toUpperCase(), d.columns, d.rows, { label: d.label, created: new Date(`${created}Z`) }));
  }
  if (opts.study !== undefined) fs.writeFileSync(path.join(dir, 'study.json'), JSON.stringify(opts.study, null, 2) + '\n');
  return dir;
}
