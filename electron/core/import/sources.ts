import fs from 'node:fs';
import path from 'node:path';
import type { ByteSource } from '../readers/types';
import { LocatedError } from './errors';
import { readZipDirectory, zipEntrySource, ZIP_LIMITS, type ZipLimits } from './zip';

// Where a snapshot's files come from: a folder, a .zip, or a single domain file. Each file can be
// opened as a stream of byte chunks as often as needed (once to hash, once to read). A snapshot is
// whole or refused: a zip is read through its central directory with every entry checked (zip.ts);
// in a folder, a symbolic link to a regular file is followed (and noted), anything else that is not
// a regular file or a folder is refused — nothing is skipped in silence.

export interface SourceFile {
  /** The file's name inside the snapshot (relative path with '/' separators). */
  name: string;
  open(): ByteSource;
  /** Facts about where the bytes came from, kept with the file's provenance (e.g. a symbolic link's target). */
  notes?: string[];
}

export interface SnapshotSource {
  kind: 'folder' | 'zip' | 'file';
  files: SourceFile[];
}

const IGNORED = /(^|\/)(\.|__MACOSX\/)/;

export async function openSnapshotSource(p: string, limits: ZipLimits = ZIP_LIMITS): Promise<SnapshotSource> {
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
        else if (e.isSymbolicLink()) files.push(await followLink(full, relName));
        else throw new LocatedError({ file: relName, expected: 'a regular file or a folder', found: `a ${kindOf(e)}` });
      }
    };
    await walk(p, '');
    return { kind: 'folder', files };
  }
  if (!stat.isFile()) throw new LocatedError({ file: p, expected: 'a folder, a .zip or a domain file', found: 'another kind of file (device, pipe or socket)' });
  if (p.toLowerCase().endsWith('.zip')) return { kind: 'zip', files: zipEntries(p, limits) };
  return { kind: 'file', files: [{ name: path.basename(p), open: () => fileChunks(p) }] };
}

/** A symbolic link in a snapshot folder: followed when it ends at a regular file, whose real path is noted; else refused. */
async function followLink(full: string, relName: string): Promise<SourceFile> {
  const target = await fs.promises.readlink(full).catch(() => '?');
  let real: string;
  let st: fs.Stats;
  try {
    real = await fs.promises.realpath(full);
    st = await fs.promises.stat(real);
  } catch {
    throw new LocatedError({ file: relName, expected: 'a symbolic link to a readable regular file', found: `a broken link to ${JSON.stringify(target)}` });
  }
  if (!st.isFile()) throw new LocatedError({ file: relName, expected: 'a symbolic link to a regular file', found: `a link to ${st.isDirectory() ? 'a folder' : 'something else'} (${real})` });
  return { name: relName, open: () => fileChunks(real), notes: [`A symbolic link; the file read is ${real}.`] };
}

function kindOf(e: fs.Dirent): string {
  if (e.isFIFO()) return 'named pipe';
  if (e.isSocket()) return 'socket';
  if (e.isBlockDevice() || e.isCharacterDevice()) return 'device';
  return 'special file';
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


function zipEntries(zipPath: string, limits: ZipLimits): SourceFile[] {
  const zipName = path.basename(zipPath);
  const entries = readZipDirectory(zipPath, zipName, limits);
  for (const e of entries) checkEntryName(zipName, e.name);
  return entries
    .filter((e) => !IGNORED.test(e.name))
    .map((e) => ({ name: e.name, open: () => zipEntrySource(zipPath, zipName, e) }));
}
