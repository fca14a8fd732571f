// Entry point of the snapshot readers: format detection by file extension, reader construction,
// and a streaming file source.
import { createReadStream } from 'node:fs';
import { createCsvReader } from './csv.js';
import { createDatasetJsonReader, createNdjsonReader } from './datasetjson.js';
import { LocatedError } from '../import/errors.js';
import type { ByteSource, Cell, DatasetHeader, DatasetReader, ReaderFormat, RowBatch } from './types.js';
import { createXptReader } from './xpt.js';

export type * from './types.js';

const EXTENSIONS: Record<string, ReaderFormat> = { csv: 'csv', json: 'json', ndjson: 'ndjson', xpt: 'xpt' };

/** Format of a snapshot file by its extension (case-insensitive), or undefined if not a dataset. */
export function detectFormat(fileName: string): ReaderFormat | undefined {
  const m = /\.([A-Za-z]+)$/.exec(fileName);
  return m ? EXTENSIONS[m[1]!.toLowerCase()] : undefined;
}

/** The reader for one file of the given format. `file` names the file in error messages. */
export function createReader(format: ReaderFormat, file: string, source: ByteSource): DatasetReader {
  return located(file, readerOf(format, file, source));
}

function readerOf(format: ReaderFormat, file: string, source: ByteSource): DatasetReader {
  switch (format) {
    case 'csv':
      return createCsvReader(file, source);
    case 'json':
      return createDatasetJsonReader(file, source);
    case 'ndjson':
      return createNdjsonReader(file, source);
    case 'xpt':
      return createXptReader(file, source);
  }
}

/** Safety net: an error a reader did not locate itself still names the file and the row reached. */
function located(file: string, reader: DatasetReader): DatasetReader {
  let nextRow = 0; // 0: the header
  const wrap = (e: unknown): unknown =>
    e instanceof LocatedError
      ? e
      : new LocatedError({
          file,
          row: nextRow,
          expected: 'a readable file',
          found: `an unexpected problem while reading ${nextRow ? `row ${nextRow}` : 'the header'}: ${(e as Error)?.message ?? String(e)}`,
        });
  return {
    async header() {
      try {
        return await reader.header();
      } catch (e) {
        throw wrap(e);
      }
    },
    async *batches() {
      nextRow = 1;
      const it = reader.batches()[Symbol.asyncIterator]();
      try {
        for (;;) {
          let r: IteratorResult<RowBatch>;
          try {
            r = await it.next();
          } catch (e) {
            throw wrap(e);
          }
          if (r.done) return;
          nextRow = r.value.firstRow + r.value.rows.length;
          yield r.value;
        }
      } finally {
        await it.return?.();
      }
    },
  };
}

/** A file on disk as a ByteSource, read in 1 MiB chunks. */
export function fileSource(path: string): ByteSource {
  return createReadStream(path, { highWaterMark: 1 << 20 });
}

/** A byte array as a ByteSource in chunks of `chunkSize` bytes (tests, zip entries in memory). */
export async function* bytesSource(bytes: Uint8Array, chunkSize = 1 << 20): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
}

/** Reads a whole dataset into memory (tests, small files); checks batch numbering as it goes. */
export async function readAll(reader: DatasetReader): Promise<{ header: DatasetHeader; rows: Cell[][] }> {
  const header = await reader.header();
  const rows: Cell[][] = [];
  for await (const b of reader.batches()) {
    if (b.firstRow !== rows.length + 1) throw new Error(`batch firstRow ${b.firstRow}, expected ${rows.length + 1}`);
    for (const r of b.rows) rows.push(r);
  }
  return { header, rows };
}
