import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { LocatedError } from '../../electron/core/import/errors';
import { openSnapshotSource } from '../../electron/core/import/sources';
import { dbFingerprint, miniSnapshot, tmpDir } from '../helpers/snapshot';
import { buildZip, type ZipSpec } from '../helpers/zip';

// Snapshots that are whole or refused (issue 11, item 3). Archives are built field by field with
// test/helpers/zip.ts following PKWARE APPNOTE.TXT §4.3, then damaged on purpose; each refusal must
// name the zip and the entry and leave the database exactly as it was.

let dir: string;
let core: Core;
let files: Record<string, Buffer>;
beforeEach(() => {
  dir = tmpDir();
  core = createCore({ dbPath: path.join(dir, 'db.sqlite'), user: 'tester' });
  const src = miniSnapshot(path.join(dir, 'mini'));
  files = Object.fromEntries(fs.readdirSync(src).map((f) => [f, fs.readFileSync(path.join(src, f))]));
});
afterEach(() => {
  core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The mini snapshot as zip entries, ae.csv stored (method 0) so that its bytes can be edited in place. */
function specs(over: Partial<Record<string, Partial<ZipSpec>>> = {}): ZipSpec[] {
  return Object.entries(files).map(([name, data]) => ({ name, data, method: name === 'ae.csv' ? 0 : 8, ...over[name] }));
}

async function importBytes(bytes: Uint8Array, name = 'snap.zip') {
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return core.call('snapshot.import', { path: p });
}

/** Imports a damaged zip on top of a good snapshot and checks that nothing was written. */
async function refused(bytes: Uint8Array) {
  const good = await importBytes(buildZip(specs()).bytes, 'good.zip');
  expect(['imported', 'duplicate']).toContain(good.status); // imported once per test
  const before = dbFingerprint(core.ctx.db);
  const r = await importBytes(bytes);
  expect(r.status).toBe('failed');
  expect(dbFingerprint(core.ctx.db)).toBe(before);
  expect(r.errors).toHaveLength(1);
  return r.errors[0]!;
}

describe('zip snapshots are read through their central directory', () => {
  it('a whole zip (deflated and stored entries) imports every entry', async () => {
    const r = await importBytes(buildZip(specs()).bytes);
    expect(r.status).toBe('imported');
    expect(r.domains.AE?.rows).toBe(2);
    expect(Object.keys(r.domains).sort()).toEqual(['AE', 'DM', 'EX', 'SUPPAE']);
  });

  it('a zip cut before its last entry (no central directory) is refused, not imported without that entry', async () => {
    // Entries sort as ae, dm, ex, suppae; cut before the last local header (the review's case) and inside the directory.
    const z = buildZip(specs());
    for (const cut of [z.entries.at(-1)!.headerOffset, z.cdOffset + 10, z.bytes.length - 1]) {
      const e = await refused(z.bytes.subarray(0, cut));
      expect(e.file).toBe('snap.zip');
      expect(e.expected).toContain('central directory');
      expect(e.message).toContain(`byte ${cut}`);
    }
  });

  it('an entry whose bytes changed is refused by its CRC-32, naming the entry', async () => {
    const z = buildZip(specs());
    const ae = z.entries.find((e) => e.name === 'ae.csv')!;
    const bytes = Buffer.from(z.bytes);
    const at = bytes.indexOf('Neutropenia', ae.dataOffset) + 2;
    bytes[at] = 'a'.charCodeAt(0); // "Neatropenia": same length, so only the CRC can tell
    const e = await refused(bytes);
    const crc = zlib.crc32(files['ae.csv']!).toString(16).toUpperCase().padStart(8, '0');
    expect(e.file).toBe('snap.zip: ae.csv');
    expect(e.expected).toBe(`CRC-32 0x${crc} (from the central directory)`);
    expect(e.message).toContain(`entry ae.csv, byte ${ae.dataOffset}`);
  });

  it('declared sizes: an entry inflating beyond its size, or short of it, or declared over the cap, is refused', async () => {
    const dm = files['dm.csv']!;
    const small = await refused(buildZip(specs({ 'dm.csv': { size: 100 } })).bytes);
    expect(small).toMatchObject({ file: 'snap.zip: dm.csv', expected: '100 bytes (the size in the central directory)' });
    expect(small.found).toContain('beyond its declared size');
    const big = await refused(buildZip(specs({ 'dm.csv': { size: dm.length + 1 } })).bytes);
    expect(big).toMatchObject({ file: 'snap.zip: dm.csv', found: `${dm.length} bytes` });
    // 3 GiB declared: refused from the directory alone, before anything is inflated.
    const huge = await refused(buildZip(specs({ 'dm.csv': { size: 3 * 1024 ** 3 } })).bytes);
    expect(huge).toMatchObject({ file: 'snap.zip: dm.csv', expected: 'an entry of at most 1024.0 MiB uncompressed', found: 'a declared size of 3072.0 MiB' });
  });

  it('caps the sum of the entries and each entry, as configured', async () => {
    const p = path.join(dir, 'snap.zip');
    fs.writeFileSync(p, buildZip(specs()).bytes);
    const total = Object.values(files).reduce((n, b) => n + b.length, 0);
    await expect(openSnapshotSource(p, { maxEntryBytes: 1e9, maxTotalBytes: total - 1, maxEntries: 10 })).rejects.toThrow(/at most .* uncompressed in all/);
    await expect(openSnapshotSource(p, { maxEntryBytes: 1e9, maxTotalBytes: 1e9, maxEntries: 3 })).rejects.toThrow('expected at most 3 entries, found 4 entries');
    expect((await openSnapshotSource(p, { maxEntryBytes: 1e9, maxTotalBytes: total, maxEntries: 4 })).files).toHaveLength(4);
  });

  it('corrupt deflate data is a located error naming the zip and the entry', async () => {
    // 0xFF...: a deflate block header with the reserved block type 3 (RFC 1951 §3.2.3).
    const e = await refused(buildZip(specs({ 'ex.csv': { compressed: Buffer.alloc(64, 0xff) } })).bytes);
    expect(e.file).toBe('snap.zip: ex.csv');
    expect(e.expected).toBe('valid deflate-compressed data');
    expect(e.found).toMatch(/^corrupt compressed data/);
    // A deflate stream cut in the middle.
    const whole = zlib.deflateRawSync(files['ex.csv']!);
    const cut = await refused(buildZip(specs({ 'ex.csv': { compressed: whole.subarray(0, whole.length >> 1) } })).bytes);
    expect(cut.file).toBe('snap.zip: ex.csv');
  });

  it('a duplicated directory entry, overlapping entries, encryption and unknown methods are refused', async () => {
    // Duplicate: the archive holds dm.csv twice (ex.csv renamed).
    const twice = buildZip(specs().map((s) => (s.name === 'ex.csv' ? { ...s, name: 'dm.csv' } : s)));
    expect((await refused(twice.bytes)).found).toBe('"dm.csv" listed twice');
    // Overlap: dm.csv claims more compressed bytes than it has, running into ex.csv.
    const dmDeflated = zlib.deflateRawSync(files['dm.csv']!).length;
    const over = buildZip(specs({ 'dm.csv': { compressedSize: dmDeflated + 10 } }));
    expect((await refused(over.bytes)).found).toBe('it overlaps the data of "dm.csv"');
    expect((await refused(buildZip(specs({ 'ex.csv': { flags: 1 } })).bytes)).found).toBe('an encrypted entry');
    expect((await refused(buildZip(specs({ 'ex.csv': { method: 12 } })).bytes)).found).toBe('method 12 (bzip2)');
  });

  it('an entry removed from the central directory (its data still in the archive) is refused', async () => {
    const z = buildZip(specs());
    const ae = z.entries.find((e) => e.name === 'ae.csv')!;
    const dm = z.entries.find((e) => e.name === 'dm.csv')!;
    // Rebuild the directory without ae.csv: drop its header and fix the end record's count, size and offset.
    const cd = z.bytes.subarray(z.cdOffset, z.eocdOffset);
    const aeCd = cd.subarray(ae.cdOffset - z.cdOffset, dm.cdOffset - z.cdOffset);
    const newCd = Buffer.concat([cd.subarray(0, ae.cdOffset - z.cdOffset), cd.subarray(ae.cdOffset - z.cdOffset + aeCd.length)]);
    const eocd = Buffer.from(z.bytes.subarray(z.eocdOffset));
    eocd.writeUInt16LE(3, 8);
    eocd.writeUInt16LE(3, 10);
    eocd.writeUInt32LE(newCd.length, 12);
    const e = await refused(Buffer.concat([z.bytes.subarray(0, z.cdOffset), newCd, eocd]));
    expect(e).toMatchObject({ file: 'snap.zip', expected: 'the start of the archive followed by entry "dm.csv"' });
    expect(e.found).toContain('no entry of the central directory holds');
  });

  it('data before the archive or after its end record is refused', async () => {
    const z = buildZip(specs());
    const pre = await refused(Buffer.concat([Buffer.from('#!/bin/sh\n'), z.bytes]));
    expect(pre.found).toContain('other data between them');
    const post = await refused(Buffer.concat([z.bytes, Buffer.from('trailing')]));
    expect(post.expected).toContain('central directory');
  });
});

describe('zips written by common tools', () => {
  const has = (cmd: string): boolean => {
    try {
      execFileSync('sh', ['-c', `command -v ${cmd}`]);
      return true;
    } catch {
      return false;
    }
  };
  it.skipIf(!has('zip'))('Info-ZIP: with folder entries, forced ZIP64 (-fz), and read from a pipe (ZIP64 end record)', async () => {
    const snap = miniSnapshot(path.join(dir, 'snap'));
    execFileSync('zip', ['-qr', path.join(dir, 'plain.zip'), 'snap'], { cwd: dir });
    execFileSync('zip', ['-qr', '-fz', path.join(dir, 'z64.zip'), 'snap'], { cwd: dir });
    const plain = await core.call('snapshot.import', { path: path.join(dir, 'plain.zip') });
    expect(plain.status).toBe('imported');
    expect(plain.domains.AE?.rows).toBe(2);
    // Same files, so the same content hash: reported as a duplicate (not refused).
    expect((await core.call('snapshot.import', { path: path.join(dir, 'z64.zip') })).status).toBe('duplicate');
    execFileSync('sh', ['-c', `zip -q - - < ae.csv > ${JSON.stringify(path.join(dir, 'pipe.zip'))}`], { cwd: snap });
    const src = await openSnapshotSource(path.join(dir, 'pipe.zip'));
    const chunks: Buffer[] = [];
    for await (const c of src.files[0]!.open()) chunks.push(Buffer.from(c));
    expect(Buffer.concat(chunks).equals(files['ae.csv']!)).toBe(true);
  });

  it.skipIf(!has('python3'))("Python's zipfile writing to a stream (data descriptors after each entry)", async () => {
    const out = path.join(dir, 'py.zip');
    const script = `
import sys, zipfile, os
class W:
    def __init__(s, f): s.f = f
    def write(s, b): return s.f.write(b)
    def flush(s): s.f.flush()
src = sys.argv[1]
with open(sys.argv[2], 'wb') as f, zipfile.ZipFile(W(f), 'w', zipfile.ZIP_DEFLATED) as z:
    for n in sorted(os.listdir(src)):
        with z.open(n, 'w') as e, open(os.path.join(src, n), 'rb') as i: e.write(i.read())
`;
    execFileSync('python3', ['-c', script, miniSnapshot(path.join(dir, 'snap')), out]);
    expect(fs.readFileSync(out).readUInt16LE(6) & 8).toBe(8); // flag bit 3: data descriptor
    const r = await core.call('snapshot.import', { path: out });
    expect(r.status).toBe('imported');
    expect(r.domains.AE?.rows).toBe(2);
  });
});

describe('symbolic links and special files in a snapshot folder', () => {
  it('a link to a regular file is followed and its real path recorded in the provenance', async () => {
    const snap = miniSnapshot(path.join(dir, 'linked'));
    const elsewhere = path.join(dir, 'elsewhere');
    fs.mkdirSync(elsewhere);
    fs.renameSync(path.join(snap, 'ae.csv'), path.join(elsewhere, 'ae-2025.csv'));
    fs.symlinkSync('../elsewhere/ae-2025.csv', path.join(snap, 'ae.csv'));
    const r = await core.call('snapshot.import', { path: snap });
    expect(r.status).toBe('imported');
    expect(r.domains.AE?.rows).toBe(2);
    const s = await core.call('snapshot.get', { snapshotId: r.snapshotId! });
    const ae = s.files.find((f) => f.fileName === 'ae.csv')!;
    expect(ae.notes).toContain(`A symbolic link; the file read is ${fs.realpathSync(path.join(elsewhere, 'ae-2025.csv'))}.`);
  });

  it('a broken link, a link to a folder and a named pipe are refused, never skipped', async () => {
    const cases: [string, (p: string) => void, string][] = [
      ['broken', (p) => fs.symlinkSync('../nowhere/ae.csv', p), 'a broken link to "../nowhere/ae.csv"'],
      ['folder', (p) => fs.symlinkSync(dir, p), `a link to a folder (${fs.realpathSync(dir)})`],
      ['fifo', (p) => execFileSync('mkfifo', [p]), 'a named pipe'],
    ];
    await core.call('snapshot.import', { path: miniSnapshot(path.join(dir, 'first')) });
    const before = dbFingerprint(core.ctx.db);
    for (const [label, make, found] of cases) {
      const snap = miniSnapshot(path.join(dir, label), { 'vs.csv': 'x' });
      fs.rmSync(path.join(snap, 'ae.csv'));
      make(path.join(snap, 'ae.csv'));
      const r = await core.call('snapshot.import', { path: snap });
      expect(r.status, label).toBe('failed');
      expect(r.errors[0], label).toMatchObject({ file: 'ae.csv', found });
      expect(dbFingerprint(core.ctx.db)).toBe(before);
    }
  });
});

it('LocatedError names zip entries in its message', () => {
  expect(new LocatedError({ file: 'snap.zip', entry: 'ae.csv', offset: 12, expected: 'x', found: 'y' }).message).toBe('snap.zip, entry ae.csv, byte 12: expected x, found y');
});
