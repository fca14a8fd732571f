// Writers for CDISC Dataset-JSON v1.1 (`.json`) and its NDJSON streaming form (`.ndjson`).
// Source: CDISC Dataset-JSON v1.1 specification (2024): top-level attributes
// datasetJSONCreationDateTime, datasetJSONVersion, fileOID?, dbLastModifiedDateTime?, originator?,
// sourceSystem?, studyOID?, metaDataVersionOID?, itemGroupOID, records, name, label, columns, rows.
// NDJSON form: line 1 is the metadata object (everything but `rows`), each next line one row array.
import type { Cell, ColumnMeta } from './types.js';

/** Dataset-JSON v1.1 column dataType values. */
export type DatasetJsonDataType =
  | 'string'
  | 'integer'
  | 'float'
  | 'double'
  | 'decimal'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'time'
  | 'URI';

export const DATASET_JSON_VERSION = '1.1.0';

export interface DatasetJsonWriteOptions {
  /** Dataset label (top-level `label`); defaults to the name. */
  label?: string;
  /** ItemGroupDef OID; defaults to `IG.<NAME>`. */
  itemGroupOID?: string;
  studyOID?: string;
  fileOID?: string;
  originator?: string;
  /** ISO 8601 creation date-time; pass it for reproducible output (default: now). */
  creationDateTime?: string;
  /** Per-column dataType override by column name; default: 'string' for text, 'integer' when every
   *  value of a numeric column is an integer, else 'double'. */
  dataTypes?: Record<string, DatasetJsonDataType>;
}

/** Dataset-JSON column definition (v1.1 `columns[]`). */
export interface DatasetJsonColumn {
  itemOID: string;
  name: string;
  label: string;
  dataType: DatasetJsonDataType;
  length?: number;
}

/** Default dataType of one column: numeric → integer if all values are integers, else double. */
export function inferDataType(col: ColumnMeta, index: number, rows: Cell[][]): DatasetJsonDataType {
  if (col.type === 'string') return 'string';
  for (const r of rows) {
    const v = r[index];
    if (typeof v === 'number' && !Number.isInteger(v)) return 'double';
  }
  return 'integer';
}

/** The `columns` array of a Dataset-JSON v1.1 file. */
export function datasetJsonColumns(
  name: string,
  columns: ColumnMeta[],
  rows: Cell[][],
  opts: DatasetJsonWriteOptions = {},
): DatasetJsonColumn[] {
  return columns.map((c, i) => {
    const out: DatasetJsonColumn = {
      itemOID: `IT.${name.toUpperCase()}.${c.name}`,
      name: c.name,
      label: c.label ?? c.name,
      dataType: opts.dataTypes?.[c.name] ?? inferDataType(c, i, rows),
    };
    if (c.length !== undefined) out.length = c.length;
    return out;
  });
}

/** One row converted to the JSON value types its columns' dataTypes require (decimal → string). */
export function datasetJsonRow(row: Cell[], cols: DatasetJsonColumn[]): unknown[] {
  return cols.map((c, i) => {
    const v = row[i] ?? null;
    if (v === null) return null;
    switch (c.dataType) {
      case 'integer':
      case 'float':
      case 'double':
        return typeof v === 'number' ? v : Number(v);
      case 'decimal':
        return String(v);
      case 'boolean':
        return v === 'true' || v === 1;
      default:
        return typeof v === 'string' ? v : String(v);
    }
  });
}

/** Top-level metadata object (everything except `rows`), attribute order as in the v1.1 spec. */
export function datasetJsonMetadata(
  name: string,
  columns: ColumnMeta[],
  rows: Cell[][],
  opts: DatasetJsonWriteOptions = {},
): Record<string, unknown> {
  const meta: Record<string, unknown> = {
    datasetJSONCreationDateTime: opts.creationDateTime ?? new Date().toISOString().slice(0, 19),
    datasetJSONVersion: DATASET_JSON_VERSION,
  };
  if (opts.fileOID !== undefined) meta.fileOID = opts.fileOID;
  if (opts.originator !== undefined) meta.originator = opts.originator;
  if (opts.studyOID !== undefined) meta.studyOID = opts.studyOID;
  meta.itemGroupOID = opts.itemGroupOID ?? `IG.${name.toUpperCase()}`;
  meta.records = rows.length;
  meta.name = name;
  meta.label = opts.label ?? name;
  meta.columns = datasetJsonColumns(name, columns, rows, opts);
  return meta;
}

/** Writes a Dataset-JSON v1.1 document (one row per line inside `rows`, for readable diffs). */
export function writeDatasetJson(
  name: string,
  columns: ColumnMeta[],
  rows: Cell[][],
  opts: DatasetJsonWriteOptions = {},
): string {
  const meta = datasetJsonMetadata(name, columns, rows, opts);
  const cols = meta.columns as DatasetJsonColumn[];
  const head = Object.entries(meta).map(([k, v]) =>
    k === 'columns'
      ? ` "columns": [\n${cols.map((c) => '  ' + JSON.stringify(c)).join(',\n')}\n ]`
      : ` ${JSON.stringify(k)}: ${JSON.stringify(v)}`,
  );
  const body = rows.map((r) => '  ' + JSON.stringify(datasetJsonRow(r, cols))).join(',\n');
  return `{\n${head.join(',\n')},\n "rows": [\n${body}${rows.length ? '\n' : ''} ]\n}\n`;
}

/** Writes the NDJSON form: metadata object on line 1, one row array per following line. */
export function writeNdjson(
  name: string,
  columns: ColumnMeta[],
  rows: Cell[][],
  opts: DatasetJsonWriteOptions = {},
): string {
  const meta = datasetJsonMetadata(name, columns, rows, opts);
  const cols = meta.columns as DatasetJsonColumn[];
  const lines = [JSON.stringify(meta)];
  for (const r of rows) lines.push(JSON.stringify(datasetJsonRow(r, cols)));
  return lines.join('\n') + '\n';
}
