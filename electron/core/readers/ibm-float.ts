// IBM System/370 hexadecimal floating point <-> IEEE 754 double, as used by SAS transport (XPT v5/v8).
// Source: SAS Technical Support TS-140 "The record layout of a data set in SAS transport (XPORT)
// format", and IBM System/370 Principles of Operation (floating-point data format):
//   bit 0 sign, bits 1-7 exponent base 16 excess 64, bits 8-63 fraction F (56 bits, 0.F hexadecimal)
//   value = (-1)^sign * (F / 2^56) * 16^(exponent - 64)
// SAS missing values: first byte '.' (0x2E), '_' (0x5F) or 'A'-'Z' (0x41-0x5A), remaining bytes 0.

const TWO_32 = 4294967296;

/** True if the `len` bytes at `off` encode a SAS numeric missing value (., ._, .A-.Z). */
export function isSasMissing(b: Uint8Array, off: number, len: number): boolean {
  const first = b[off]!;
  if (!(first === 0x2e || first === 0x5f || (first >= 0x41 && first <= 0x5a))) return false;
  for (let i = 1; i < len; i++) if (b[off + i] !== 0) return false;
  return true;
}

/** Decodes an IBM float of `len` (2..8) bytes at `off` (shorter lengths are truncated on the right).
 *  Returns null for SAS missing values. One rounding (56 -> 53 bits, to nearest even). */
export function ibmToIeee(b: Uint8Array, off: number, len: number): number | null {
  if (isSasMissing(b, off, len)) return null;
  const byte = (i: number): number => (i < len ? b[off + i]! : 0);
  const b0 = byte(0);
  const hi24 = (byte(1) << 16) | (byte(2) << 8) | byte(3);
  const lo32 = ((byte(4) << 24) | (byte(5) << 16) | (byte(6) << 8) | byte(7)) >>> 0;
  if (hi24 === 0 && lo32 === 0) return 0;
  const sign = b0 & 0x80 ? -1 : 1;
  const exp16 = (b0 & 0x7f) - 64;
  // F * 2^-56 * 16^exp16 = F * 2^(4*exp16 - 56); scaling by a power of two is exact.
  const frac = hi24 * TWO_32 + lo32;
  return sign * frac * Math.pow(2, 4 * exp16 - 56);
}

/** Encodes a finite double (or null = SAS missing '.') as an 8-byte IBM float into `out` at `off`.
 *  Exact for every normal double in IBM range (a 53-bit significand fits the 56-bit fraction). */
export function ieeeToIbm(x: number | null, out: Uint8Array, off: number): void {
  out.fill(0, off, off + 8);
  if (x === null || Number.isNaN(x)) {
    out[off] = 0x2e;
    return;
  }
  if (!Number.isFinite(x)) throw new RangeError(`cannot write ${x} as an IBM float`);
  if (x === 0) return;
  const sign = x < 0 ? 0x80 : 0;
  const a = Math.abs(x);
  let e16 = Math.floor(Math.floor(Math.log2(a)) / 4) + 1; // a = f * 16^e16, 1/16 <= f < 1
  let f = a * Math.pow(2, -4 * e16);
  while (f >= 1) {
    f /= 16;
    e16++;
  }
  while (f < 1 / 16) {
    f *= 16;
    e16--;
  }
  if (e16 > 63) throw new RangeError(`${x} is too large for an IBM float`);
  if (e16 < -64) return; // underflow: IBM cannot represent it; writes 0
  const m = f * Math.pow(2, 56); // integer < 2^56, exact
  const hi24 = Math.floor(m / TWO_32);
  const lo32 = m - hi24 * TWO_32;
  out[off] = sign | (e16 + 64);
  out[off + 1] = (hi24 >>> 16) & 0xff;
  out[off + 2] = (hi24 >>> 8) & 0xff;
  out[off + 3] = hi24 & 0xff;
  out[off + 4] = (lo32 >>> 24) & 0xff;
  out[off + 5] = (lo32 >>> 16) & 0xff;
  out[off + 6] = (lo32 >>> 8) & 0xff;
  out[off + 7] = lo32 & 0xff;
}
