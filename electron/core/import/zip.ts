import fs from 'node:fs';
import zlib from 'node:zlib';
import type { ByteSource } from '../readers/types';
import { LocatedError, type Location } from './errors';

// A .zip snapshot read through its central directory, so that a snapshot is whole or refused:
// - the central directory (found from the end-of-central-directory record) lists every entry, and
//   every entry it lists is checked — a zip cut short has no valid directory and is refused;
// - each entry's local header must agree with the directory, entries may not overlap, and their data
//   must lie before the directory;
// - each entry is inflated as a stream, its bytes counted against the declared size (never more) and
//   its CRC-32 checked at the end: changed bytes are refused, not imported;
// - declared and actual sizes are capped per entry and in total (a zip bomb is refused, naming the entry).
// Source: PKWARE APPNOTE.TXT 6.3.10, §4.3.6 (overall format), §4.3.7 (local file header), §4.3.12
// (central directory header), §4.3.14-16 (ZIP64 end of central directory record and locator, end of
// central directory record), §4.4.4 (general purpose flags: bit 0 encrypted, bit 3 data descriptor),
// §4.4.5 (compression method 0 stored, 8 deflated), §4.5.3 (ZIP64 extended information extra field).

export interface ZipLimits {
  /** Largest uncompressed entry, declared or actual, in bytes. */
  maxEntryBytes: number;
  /** Largest sum of the entries' uncompressed sizes, in bytes. */
  maxTotalBytes: number;
  /** Most entries in one zip. */
  maxEntries: number;
}

/** Far above a real phase 1 snapshot (the largest domain of a 10,000-subject study is a few hundred MB). */
export const ZIP_LIMITS: ZipLimits = { maxEntryBytes: 1024 ** 3, maxTotalBytes: 4 * 1024 ** 3, maxEntries: 10_000 };

export interface ZipEntry {
  name: string;
  /** The name's bytes as stored (compared with the local header's). */
  rawName: Buffer;
  method: number;
  /** General purpose flags (bit 3: a data descriptor follows the data). */
  flags: number;
  crc32: number;
  compressedSize: number;
  size: number;
  /** Offset of the local file header. */
  headerOffset: number;
  /** Offset of the entry's (compressed) data, from its local header. */
  dataOffset: number;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_EOCD64_LOCATOR = 0x07064b50;
const EOCD_SIZE = 22;
/** Far more than 10,000 entries with long names need; read into memory at once. */
const MAX_DIRECTORY_BYTES = 64 << 20;
const MAX_COMMENT = 0xffff;

function readAt(fd: number, offset: number, length: number): Buffer {
  const b = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const n = fs.readSync(fd, b, got, length - got, offset + got);
    if (n === 0) break;
    got += n;
  }
  return got === length ? b : b.subarray(0, got);
}

function u64(b: Buffer, at: number): number {
  const v = b.readBigUInt64LE(at);
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

const sizeText = (n: number): string => (n >= 1024 ** 2 ? `${(n / 1024 ** 2).toFixed(1)} MiB` : `${n} bytes`);

/** Lists the entries of a zip from its central directory, checking the structure; throws LocatedError. */
export function readZipDirectory(zipPath: string, zipName: string, limits: ZipLimits = ZIP_LIMITS): ZipEntry[] {
  const fd = fs.openSync(zipPath, 'r');
  try {
    return readDirectory(fd, fs.fstatSync(fd).size, zipName, limits);
  } finally {
    fs.closeSync(fd);
  }
}

function readDirectory(fd: number, fileSize: number, zipName: string, limits: ZipLimits): ZipEntry[] {
  const refuse = (loc: Omit<Location, 'file'>): LocatedError => new LocatedError({ file: zipName, ...loc });

  // End of central directory: the last 22 bytes, or earlier by the length of a trailing comment.
  const tailLen = Math.min(fileSize, EOCD_SIZE + MAX_COMMENT);
  const tailStart = fileSize - tailLen;
  const tail = readAt(fd, tailStart, tailLen);
  let eocd = -1;
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    if (tail.readUInt32LE(i) === SIG_EOCD && i + EOCD_SIZE + tail.readUInt16LE(i + 20) === tail.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0)
    throw refuse({
      offset: fileSize,
      expected: 'a zip archive ending with its central directory (end-of-central-directory record)',
      found: fileSize === 0 ? 'an empty file' : 'none: the zip is cut short, damaged or not a zip',
    });
  const eocdOffset = tailStart + eocd;
  const disk = tail.readUInt16LE(eocd + 4);
  const cdDisk = tail.readUInt16LE(eocd + 6);
  let entriesOnDisk = tail.readUInt16LE(eocd + 8);
  let entries = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  let cdEnd = eocdOffset;
  // ZIP64: a locator just before the end record points to the ZIP64 end record. Tools write it when
  // a field overflows, and some (Info-ZIP reading a pipe) whenever they like.
  const locAt = eocdOffset - 20;
  const loc = locAt >= 0 ? readAt(fd, locAt, 20) : Buffer.alloc(0);
  const hasLocator = loc.length === 20 && loc.readUInt32LE(0) === SIG_EOCD64_LOCATOR;
  if (hasLocator || entries === 0xffff || entriesOnDisk === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    if (!hasLocator) throw refuse({ offset: Math.max(0, locAt), expected: 'a ZIP64 end-of-central-directory locator', found: 'none' });
    const at = u64(loc, 8);
    const rec = readAt(fd, at, 56);
    if (rec.length < 56 || rec.readUInt32LE(0) !== SIG_EOCD64)
      throw refuse({ offset: at, expected: 'a ZIP64 end-of-central-directory record', found: 'none' });
    entriesOnDisk = u64(rec, 24);
    entries = u64(rec, 32);
    cdSize = u64(rec, 40);
    cdOffset = u64(rec, 48);
    cdEnd = at;
  }
  if (disk !== 0 || cdDisk !== 0 || entriesOnDisk !== entries)
    throw refuse({ offset: eocdOffset, expected: 'a single-part zip', found: 'a multi-part (spanned) archive' });
  if (cdOffset + cdSize !== cdEnd)
    throw refuse({
      offset: eocdOffset,
      expected: `a central directory of ${cdSize} bytes at byte ${cdOffset}, ending where its end record starts (byte ${cdEnd})`,
      found: cdOffset + cdSize > cdEnd ? 'it would run past the end record: the zip is damaged' : 'other data between them: the zip is damaged or has data prepended',
    });
  if (entries > limits.maxEntries) throw refuse({ offset: eocdOffset, expected: `at most ${limits.maxEntries} entries`, found: `${entries} entries` });
  // A directory header is 46 bytes plus a name, extra field and comment of up to 64 KiB each.
  const maxCd = entries * (46 + 3 * 0xffff);
  if (cdSize > maxCd || cdSize > MAX_DIRECTORY_BYTES)
    throw refuse({ offset: cdOffset, expected: `a central directory of at most ${Math.min(maxCd, MAX_DIRECTORY_BYTES)} bytes for ${entries} entries`, found: `${cdSize} bytes` });

  const cd = readAt(fd, cdOffset, cdSize);
  const list: ZipEntry[] = [];
  const folders: ZipEntry[] = [];
  const names = new Set<string>();
  let total = 0;
  let p = 0;
  for (let k = 0; k < entries; k++) {
    const at = cdOffset + p;
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== SIG_CENTRAL)
      throw refuse({ offset: at, expected: `central directory header ${k + 1} of ${entries}`, found: p + 46 > cd.length ? 'the end of the directory' : 'other bytes' });
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    const crc32 = cd.readUInt32LE(p + 16);
    let compressedSize = cd.readUInt32LE(p + 20);
    let size = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    let headerOffset = cd.readUInt32LE(p + 42);
    const next = p + 46 + nameLen + extraLen + commentLen;
    if (next > cd.length) throw refuse({ offset: at, expected: `central directory header ${k + 1} within the directory`, found: 'it runs past the end of the directory' });
    const nameBytes = cd.subarray(p + 46, p + 46 + nameLen);
    // Bit 11: UTF-8 name; otherwise IBM code page 437, read here as UTF-8 when valid, else Latin-1.
    let name: string;
    try {
      name = new TextDecoder('utf-8', { fatal: true }).decode(nameBytes);
    } catch {
      name = nameBytes.toString('latin1');
    }
    // ZIP64 extended information (§4.5.3): 8-byte values for the fields that hold 0xFFFFFFFF, in order.
    const extra = cd.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen);
    for (let e = 0; e + 4 <= extra.length; ) {
      const id = extra.readUInt16LE(e);
      const len = extra.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        const take = (): number => {
          if (q + 8 > e + 4 + len || q + 8 > extra.length) throw refuse({ entry: name, offset: at, expected: 'a complete ZIP64 extra field', found: 'a short one' });
          const v = u64(extra, q);
          q += 8;
          return v;
        };
        if (size === 0xffffffff) size = take();
        if (compressedSize === 0xffffffff) compressedSize = take();
        if (headerOffset === 0xffffffff) headerOffset = take();
      }
      e += 4 + len;
    }
    p = next;
    const where = { entry: name, offset: at };
    if (names.has(name)) throw refuse({ ...where, expected: 'each entry once in the central directory', found: `"${name}" listed twice` });
    names.add(name);
    if (name.endsWith('/')) {
      folders.push({ name, rawName: nameBytes, method, flags, crc32, compressedSize, size, headerOffset, dataOffset: -1 });
      continue; // a folder: no data to read
    }
    if (flags & 1) throw refuse({ ...where, expected: 'an entry that is not encrypted', found: 'an encrypted entry' });
    if (method !== 0 && method !== 8)
      throw refuse({ ...where, expected: 'compression method 0 (stored) or 8 (deflated)', found: `method ${method}${METHODS[method] ? ` (${METHODS[method]})` : ''}` });
    if (method === 0 && compressedSize !== size)
      throw refuse({ ...where, expected: 'a stored entry whose compressed and uncompressed sizes agree', found: `${compressedSize} and ${size} bytes` });
    if (size > limits.maxEntryBytes)
      throw refuse({ ...where, expected: `an entry of at most ${sizeText(limits.maxEntryBytes)} uncompressed`, found: `a declared size of ${sizeText(size)}` });
    total += size;
    if (total > limits.maxTotalBytes)
      throw refuse({ ...where, expected: `at most ${sizeText(limits.maxTotalBytes)} uncompressed in all`, found: `${sizeText(total)} up to this entry` });
    list.push({ name, rawName: nameBytes, method, flags, crc32, compressedSize, size, headerOffset, dataOffset: -1 });
  }
  if (p !== cd.length)
    throw refuse({ offset: cdOffset + p, expected: `${entries} central directory headers filling the directory`, found: `${cd.length - p} bytes more` });

  // Local headers: where each entry's data starts, and the same name as in the directory.
  const all = [...list, ...folders];
  for (const e of all) {
    const h = readAt(fd, e.headerOffset, 30);
    if (h.length < 30 || h.readUInt32LE(0) !== SIG_LOCAL)
      throw refuse({ entry: e.name, offset: e.headerOffset, expected: 'a local file header where the central directory says', found: h.length < 30 ? 'the end of the file' : 'other bytes' });
    const nameLen = h.readUInt16LE(26);
    const localName = readAt(fd, e.headerOffset + 30, nameLen);
    if (!localName.equals(e.rawName))
      throw refuse({ entry: e.name, offset: e.headerOffset + 30, expected: `the local header naming "${e.name}"`, found: JSON.stringify(localName.toString('latin1')) });
    e.dataOffset = e.headerOffset + 30 + nameLen + h.readUInt16LE(28);
    if (e.dataOffset + e.compressedSize > cdOffset)
      throw refuse({ entry: e.name, offset: e.dataOffset, expected: `${e.compressedSize} bytes of data before the central directory (byte ${cdOffset})`, found: 'data running into it' });
  }
  // The entries must tile the archive up to the directory: bytes no entry owns are an entry removed
  // from the directory (or damage), and entries sharing bytes are a known zip-bomb construction.
  const byOffset = all.sort((a, b) => a.headerOffset - b.headerOffset);
  let expectedAt = 0;
  let prev: ZipEntry | undefined;
  for (const e of [...byOffset, undefined]) {
    const at = e ? e.headerOffset : cdOffset;
    const gap = at - expectedAt;
    // A data descriptor (flag bit 3, §4.3.9): CRC and sizes after the data, 12 or 20 bytes, 16 or 24 with its signature.
    const sig = prev && prev.flags & 8 ? readAt(fd, expectedAt, 4) : undefined;
    const descriptor = sig ? (sig.length === 4 && sig.readUInt32LE(0) === 0x08074b50 ? [16, 24] : [12, 20]) : [];
    if (gap < 0)
      throw refuse({ entry: e?.name ?? prev?.name, offset: at, expected: 'entries that do not overlap', found: `${e ? 'it' : 'the central directory'} overlaps the data of "${prev?.name}"` });
    if (gap > 0 && !descriptor.includes(gap))
      throw refuse({
        offset: expectedAt,
        expected: `the ${prev ? `end of entry "${prev.name}"` : 'start of the archive'} followed by ${e ? `entry "${e.name}"` : 'the central directory'}`,
        found: `${gap} bytes that no entry of the central directory holds (an entry removed from the directory, or damage)`,
      });
    if (e) {
      expectedAt = e.dataOffset + e.compressedSize;
      prev = e;
    }
  }
  return list;
}

const METHODS: Record<number, string> = { 9: 'Deflate64', 12: 'bzip2', 14: 'LZMA', 93: 'Zstandard', 95: 'XZ', 99: 'AES encryption' };

/**
 * The uncompressed bytes of one entry as a stream. Never yields more than the declared size; at the
 * end, checks the size, that the compressed data were used exactly, and the CRC-32.
 */
export function zipEntrySource(zipPath: string, zipName: string, e: ZipEntry): ByteSource {
  return {
    async *[Symbol.asyncIterator]() {
      const refuse = (loc: Omit<Location, 'file' | 'entry'>): LocatedError => new LocatedError({ file: zipName, entry: e.name, ...loc });
      const raw = e.compressedSize === 0 ? [] : fs.createReadStream(zipPath, { start: e.dataOffset, end: e.dataOffset + e.compressedSize - 1, highWaterMark: 1 << 20 });
      let inflate: zlib.InflateRaw | undefined;
      let stream: AsyncIterable<Buffer> = raw as AsyncIterable<Buffer>;
      if (e.method === 8) {
        inflate = zlib.createInflateRaw({ chunkSize: 1 << 16 });
        const inf = inflate;
        if (Array.isArray(raw)) inf.end();
        else {
          raw.on('error', (err) => inf.destroy(err));
          raw.pipe(inf);
        }
        stream = inf;
      }
      let produced = 0;
      let crc = 0;
      try {
        for await (const chunk of stream) {
          produced += chunk.length;
          if (produced > e.size) {
            throw refuse({
              offset: e.dataOffset + (inflate?.bytesWritten ?? produced),
              expected: `${e.size} bytes (the size in the central directory)`,
              found: 'more: the entry inflates beyond its declared size (a zip bomb or a damaged zip)',
            });
          }
          crc = zlib.crc32(chunk, crc);
          yield chunk;
        }
      } catch (err) {
        if (err instanceof LocatedError) throw err;
        const z = err as NodeJS.ErrnoException;
        throw refuse({
          offset: e.dataOffset + (inflate?.bytesWritten ?? 0),
          expected: 'valid deflate-compressed data',
          found: `corrupt compressed data (${z.code ?? 'error'}: ${z.message})`,
        });
      } finally {
        if (!Array.isArray(raw)) raw.destroy();
        inflate?.destroy();
      }
      if (produced !== e.size)
        throw refuse({ offset: e.dataOffset, expected: `${e.size} bytes (the size in the central directory)`, found: `${produced} bytes` });
      if (inflate && inflate.bytesWritten !== e.compressedSize)
        throw refuse({
          offset: e.dataOffset + inflate.bytesWritten,
          expected: `compressed data of ${e.compressedSize} bytes (the size in the central directory)`,
          found: `the compressed stream ends after ${inflate.bytesWritten} bytes`,
        });
      if (crc >>> 0 !== e.crc32)
        throw refuse({
          offset: e.dataOffset,
          expected: `CRC-32 ${hex32(e.crc32)} (from the central directory)`,
          found: `${hex32(crc >>> 0)}: the entry's bytes were changed or damaged`,
        });
    },
  };
}

const hex32 = (n: number): string => '0x' + n.toString(16).toUpperCase().padStart(8, '0');
