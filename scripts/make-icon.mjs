#!/usr/bin/env node
// Draws DoseDesk's application icon (resources/icons/icon.png, 1024×1024): a dose-escalation
// staircase on a teal rounded square. electron-builder derives the .ico, .icns and Linux sizes from it.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const N = 1024;
const px = Buffer.alloc(N * N * 4);
const inRoundRect = (x, y, x0, y0, x1, y1, r) => {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const steps = [0, 1, 2, 3].map((i) => ({ x0: 200 + i * 160, x1: 340 + i * 160, top: 700 - i * 130 }));
for (let y = 0; y < N; y++)
  for (let x = 0; x < N; x++) {
    let c = [0, 0, 0, 0];
    if (inRoundRect(x, y, 64, 64, 960, 960, 180)) c = [15, 92, 110, 255];
    for (const s of steps) if (x >= s.x0 && x <= s.x1 && y >= s.top && y <= 820) c = [255, 255, 255, 255];
    if ((x - 790) ** 2 + (y - 240) ** 2 <= 60 ** 2) c = [244, 162, 54, 255];
    px.set(c, (y * N + x) * 4);
  }
const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) px.copy(raw, y * (N * 4 + 1) + 1, y * N * 4, (y + 1) * N * 4);
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr.set([8, 6, 0, 0, 0], 8);
const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../resources/icons/icon.png');
fs.writeFileSync(out, png);
console.log(`${out}: ${png.length} bytes`);
