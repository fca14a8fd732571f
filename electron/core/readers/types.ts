// The one interface every snapshot reader (CSV, Dataset-JSON, NDJSON, SAS XPT) implements.
// Readers stream: they take the file's bytes as chunks and yield rows in batches, so that a
// domain is never held whole in memory as one string.

/** A cell as read: text, a number, or missing (empty CSV field, JSON null, SAS numeric missing). */
export type Cell = string | number | null;

export interface ColumnMeta {
  /** Variable name as in the file (e.g. USUBJID). Upper-cased by the import layer, not here. */
  name: string;
  label?: string;
  /** 'string' for text; 'number' for numeric (XPT num, Dataset-JSON float/double/integer/decimal). CSV is always 'string'. */
  type: 'string' | 'number';
  /** Declared length (XPT, Dataset-JSON), if any. */
  length?: number;
}

export interface DatasetHeader {
  /** Dataset name declared inside the file (XPT member name, Dataset-JSON `name`); undefined for CSV. */
  datasetName?: string;
  datasetLabel?: string;
  columns: ColumnMeta[];
  /** Non-fatal observations about the file itself (e.g. a UTF-8 BOM, Windows-1252 text decoded). */
  notes: string[];
}

export interface RowBatch {
  /** 1-based number of the first row of this batch among the data rows (the header is not counted). */
  firstRow: number;
  /** One array per row, cells in the order of `header.columns`. */
  rows: Cell[][];
}

/** The bytes of one file, delivered in chunks (from disk or from a zip entry). */
export type ByteSource = AsyncIterable<Uint8Array>;

export interface DatasetReader {
  /** Resolves once the header (column metadata) has been read. */
  header(): Promise<DatasetHeader>;
  /** Yields the data rows in batches; call after header(). Throws LocatedError on malformed input. */
  batches(): AsyncIterable<RowBatch>;
}

export type ReaderFormat = 'csv' | 'json' | 'ndjson' | 'xpt';
