import fs from 'node:fs';
import path from 'node:path';
import { Unzip, UnzipInflate } from 'fflate';
import type { ByteSource } from '../readers/types';
import { LocatedError } from './errors';

// Where a snapshot's files come from: a folder, a .zip, or a single domain file. Each file can be
// opened as a stream of byte chunks as often as needed (once to hash, once to read).

export interface SourceFile {
  /** The file's name inside the snapshot (relative path with '/' separators). */
  name: string;
  open(): ByteSource;
}

export interface SnapshotSource {
  kind: 'folder' | 'zip' | 'file';
  files: SourceFile[];
}

const IGNORED = /(^|\/)(\.|__MACOSX\/)/;

export async function openSnapshotSource(p: string): Promise<SnapshotSource> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(p);
  } catch {
    throw new LocatedError({ file: p, expected: 'an existing folder, .zip or domain file', found: 'no such file or folder' });
  }
  if (stat.isDirectory()) {
    const files: SourceFile[] = [];
    const walk = async (dir: string, rel: string): Promise<void> => {
      for (const e of (await fs.promises.readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
        const relName = rel ? `${rel}/${e.name}` : e.name;
        if (IGNORED.test(relName)) continue;
        const full = path.join(dir, e.name);
        if (e.isDirectory()) await walk(full, relName);
        else if (e.isFile()) files.push({ name: relName, open: () => fileChunks(full) });
      }
    };
    await walk(p, '');
    return { kind: 'folder', files };
  }
  if (p.toLowerCase().endsWith('.zip')) return { kind: 'zip', files: await zipEntries(p) };
  return { kind: 'file', files: [{ name: path.basename(p), open: () => fileChunks(p) }] };
}

async function* fileChunks(file: string): ByteSource {
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) yield chunk as Uint8Array;
}

/** A zip entry name that would land outside the snapshot folder (zip-slip) is refused. */
export function checkEntryName(zipName: string, entry: string): void {
  const n = entry.replace(/\\/g, '/');
  if (n.startsWith('/') || /^[A-Za-z]:/.test(n) || n.split('/').includes('..')) {
    throw new LocatedError({
      file: zipName,
      column: 'entry name',
      expected: 'an entry inside the snapshot folder',
      found: `"${entry}", which escapes it`,
    });
  }
}

async function zipEntries(zipPath: string): Promise<SourceFile[]> {
  const zipName = path.basename(zipPath);
  const names: string[] = [];
  // One pass over the archive to list entries without inflating them.
  await streamZip(zipPath, (file) => {
    checkEntryName(zipName, file.name);
    if (!file.name.endsWith('/') && !IGNORED.test(file.name)) names.push(file.name);
    return false;
  });
  return names.map((name) => ({ name, open: () => zipEntryChunks(zipPath, name) }));
}

/** Streams one entry of a zip: the archive is read sequentially and only that entry is inflated. */
function zipEntryChunks(zipPath: string, entry: string): ByteSource {
  return {
    [Symbol.asyncIterator]() {
      const queue: Uint8Array[] = [];
      let done = false;
      let failure: unknown;
      let wake: (() => void) | undefined;
      const notify = () => {
        wake?.();
        wake = undefined;
      };
      streamZip(zipPath, (file) => {
        if (file.name !== entry) return false;
        file.ondata = (err, data, final) => {
          if (err) failure = err;
          else if (data.length) queue.push(data);
          if (final || err) done = true;
          notify();
        };
        return true;
      }).then(
        () => {
          done = true;
          notify();
        },
        (err) => {
          failure = err;
          notify();
        },
      );
      return {
        async next(): Promise<IteratorResult<Uint8Array>> {
          for (;;) {
            if (queue.length) return { value: queue.shift()!, done: false };
            if (failure) throw failure;
            if (done) return { value: undefined, done: true };
            await new Promise<void>((r) => (wake = r));
          }
        },
      };
    },
  };
}

interface ZipFileHandle {
  name: string;
  ondata: (err: Error | null, data: Uint8Array, final: boolean) => void;
  start(): void;
}

async function streamZip(zipPath: string, onFile: (f: ZipFileHandle) => boolean): Promise<void> {
  let error: unknown;
  const unzip = new Unzip((file) => {
    try {
      if (onFile(file as unknown as ZipFileHandle)) file.start();
    } catch (e) {
      error = e;
    }
  });
  unzip.register(UnzipInflate);
  for await (const chunk of fs.createReadStream(zipPath, { highWaterMark: 1 << 20 })) {
    unzip.push(chunk as Uint8Array);
    if (error) throw error;
  }
  unzip.push(new Uint8Array(0), true);
  if (error) throw error;
}
