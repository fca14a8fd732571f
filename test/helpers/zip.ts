import zlib from 'node:zlib';

// A small zip writer for tests that need to build damaged archives on purpose: every field of the
// local header and the central directory can be overridden. Layout per PKWARE APPNOTE.TXT §4.3.6.

export interface ZipSpec {
  name: string;
  data: Uint8Array;
  /** 0 stored, 8 deflated (default). */
  method?: number;
  /** Overrides of what is written in the central directory (and the local header, unless localOnly). */
  crc?: number;
  size?: number;
  compressedSize?: number;
  /** Replaces the compressed bytes actually written. */
  compressed?: Uint8Array;
  flags?: number;
}

export interface BuiltZip {
  bytes: Buffer;
  /** Offsets of each entry's local header and data, and of the central directory and its end record. */
  entries: { name: string; headerOffset: number; dataOffset: number; compressedSize: number; cdOffset: number }[];
  cdOffset: number;
  eocdOffset: number;
}

export function buildZip(specs: ZipSpec[], opts: { comment?: string } = {}): BuiltZip {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  const entries: BuiltZip['entries'] = [];
  let offset = 0;
  for (const s of specs) {
    const method = s.method ?? 8;
    const data = Buffer.from(s.data);
    const compressed = Buffer.from(s.compressed ?? (method === 8 ? zlib.deflateRawSync(data) : data));
    const crc = s.crc ?? zlib.crc32(data);
    const size = s.size ?? data.length;
    const csize = s.compressedSize ?? compressed.length;
    const name = Buffer.from(s.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE((s.flags ?? 0) | 0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(csize >>> 0, 18);
    local.writeUInt32LE(size >>> 0, 22);
    local.writeUInt16LE(name.length, 26);
    const headerOffset = offset;
    parts.push(local, name, compressed);
    offset += 30 + name.length + compressed.length;
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE((s.flags ?? 0) | 0x0800, 8);
    cd.writeUInt16LE(method, 10);
    cd.writeUInt32LE(crc >>> 0, 16);
    cd.writeUInt32LE(csize >>> 0, 20);
    cd.writeUInt32LE(size >>> 0, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(headerOffset, 42);
    central.push(Buffer.concat([cd, name]));
    entries.push({ name: s.name, headerOffset, dataOffset: headerOffset + 30 + name.length, compressedSize: compressed.length, cdOffset: 0 });
  }
  const cdOffset = offset;
  let p = cdOffset;
  central.forEach((c, k) => {
    entries[k]!.cdOffset = p;
    p += c.length;
  });
  const cdBytes = Buffer.concat(central);
  const comment = Buffer.from(opts.comment ?? '', 'utf8');
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(specs.length, 8);
  eocd.writeUInt16LE(specs.length, 10);
  eocd.writeUInt32LE(cdBytes.length, 12);
  eocd.writeUInt32LE(cdOffset, 16);
  eocd.writeUInt16LE(comment.length, 20);
  const bytes = Buffer.concat([...parts, cdBytes, eocd, comment]);
  return { bytes, entries, cdOffset, eocdOffset: cdOffset + cdBytes.length };
}
