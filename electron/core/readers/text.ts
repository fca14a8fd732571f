// Text decoding shared by the readers: streaming UTF-8 with located errors, BOM detection,
// and a Windows-1252 fallback for legacy SAS text.
// UTF-8 well-formedness: Unicode 15 §3.9 Table 3-7 / WHATWG Encoding "UTF-8 decoder".

/** Rows per yielded batch. */
export const BATCH_ROWS = 1000;

/** `0xC3 0x28` style rendering of bytes for error messages. */
export function hexBytes(b: ArrayLike<number>): string {
  return Array.from(b, (x) => '0x' + x.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

export interface Utf8Problem {
  /** Index of the first byte of the ill-formed sequence. */
  index: number;
  /** The offending bytes (the sequence start up to and including the first bad byte). */
  bytes: Uint8Array;
  /** True if the input ended inside a multi-byte sequence. */
  truncated: boolean;
}

/** Expected second-byte range for a lead byte (Table 3-7), or undefined if `lead` cannot start a
 *  multi-byte sequence. Returns [sequence length, lo, hi]. */
function leadInfo(lead: number): [number, number, number] | undefined {
  if (lead >= 0xc2 && lead <= 0xdf) return [2, 0x80, 0xbf];
  if (lead === 0xe0) return [3, 0xa0, 0xbf];
  if ((lead >= 0xe1 && lead <= 0xec) || lead === 0xee || lead === 0xef) return [3, 0x80, 0xbf];
  if (lead === 0xed) return [3, 0x80, 0x9f];
  if (lead === 0xf0) return [4, 0x90, 0xbf];
  if (lead >= 0xf1 && lead <= 0xf3) return [4, 0x80, 0xbf];
  if (lead === 0xf4) return [4, 0x80, 0x8f];
  return undefined;
}

/** First ill-formed UTF-8 sequence in `b`, or undefined. If `final` is false, a sequence cut off
 *  by the end of `b` is not a problem (more bytes will follow). */
export function findInvalidUtf8(b: Uint8Array, final: boolean): Utf8Problem | undefined {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const lead = b[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const info = leadInfo(lead);
    if (!info) return { index: i, bytes: b.slice(i, i + 1), truncated: false };
    const [len, lo, hi] = info;
    for (let k = 1; k < len; k++) {
      if (i + k >= n) {
        if (!final) return undefined;
        return { index: i, bytes: b.slice(i, n), truncated: true };
      }
      const c = b[i + k]!;
      const ok = k === 1 ? c >= lo && c <= hi : c >= 0x80 && c <= 0xbf;
      if (!ok) return { index: i, bytes: b.slice(i, i + k + 1), truncated: false };
    }
    i += len;
  }
  return undefined;
}

/** Length of an incomplete multi-byte sequence at the end of already-validated bytes. */
function incompleteTail(b: Uint8Array): number {
  const n = b.length;
  for (let i = n - 1; i >= Math.max(0, n - 3); i--) {
    const c = b[i]!;
    if (c < 0x80) return 0;
    if (c >= 0xc0) {
      const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
      return n - i < need ? n - i : 0;
    }
  }
  return 0;
}

/** Thrown by Utf8Chunks when a chunk holds ill-formed UTF-8. */
export class InvalidUtf8 extends Error {
  constructor(
    /** Byte offset in the whole input of the first offending byte. */
    readonly offset: number,
    readonly bytes: Uint8Array,
    readonly truncated: boolean,
    /** The well-formed text decoded before the offending bytes (not yet returned by decode). */
    readonly validPrefix: string,
  ) {
    super(`invalid UTF-8 at byte ${offset}: ${hexBytes(bytes)}`);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Streaming strict UTF-8 decoder that remembers byte offsets, strips a leading BOM and reports
 *  the exact offset of ill-formed bytes. Multi-byte characters split across chunks are fine. */
export class Utf8Chunks {
  private readonly dec = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  /** Bytes of the input consumed before the current chunk. */
  private consumed = 0;
  /** Bytes at the end of the previous chunks that started an unfinished character. */
  private pending: Uint8Array = new Uint8Array(0);
  private atStart = true;
  /** True once a UTF-8 byte order mark (EF BB BF) was found and stripped at the start. */
  bom = false;

  /** Decodes the next chunk (or flushes, when `chunk` is undefined and final). */
  decode(chunk: Uint8Array | undefined, final: boolean): string {
    const bytes = chunk ?? new Uint8Array(0);
    let text: string;
    try {
      text = this.dec.decode(bytes, { stream: !final });
    } catch {
      const all = concat(this.pending, bytes);
      const p = findInvalidUtf8(all, final);
      const index = p ? p.index : 0;
      let prefix = new TextDecoder('utf-8', { ignoreBOM: true }).decode(all.subarray(0, index));
      prefix = this.stripBom(prefix);
      throw new InvalidUtf8(
        this.consumed - this.pending.length + index,
        p ? p.bytes : all,
        p ? p.truncated : false,
        prefix,
      );
    }
    const tailSource = this.pending.length + bytes.length <= 3 ? concat(this.pending, bytes) : bytes;
    const t = final ? 0 : incompleteTail(tailSource.length > 3 ? tailSource.subarray(tailSource.length - 3) : tailSource);
    this.pending = tailSource.slice(tailSource.length - t);
    this.consumed += bytes.length;
    return this.stripBom(text);
  }

  private stripBom(text: string): string {
    if (!this.atStart || text.length === 0) return text;
    this.atStart = false;
    if (text.charCodeAt(0) === 0xfeff) {
      this.bom = true;
      return text.slice(1);
    }
    return text;
  }
}

/** Windows-1252 code points for bytes 0x80-0x9F (WHATWG index-windows-1252); other bytes are
 *  Latin-1. Node's TextDecoder('windows-1252') without full ICU decodes these as C1 controls. */
const CP1252_80_9F = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/** Decodes bytes as Windows-1252. */
export function decodeWindows1252(b: Uint8Array, start = 0, end = b.length): string {
  let s = '';
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    s += String.fromCharCode(c >= 0x80 && c <= 0x9f ? CP1252_80_9F[c - 0x80]! : c);
  }
  return s;
}
