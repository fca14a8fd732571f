// Reusable work buffers for the NCA hot path (10,000-subject studies). NCA calls are synchronous and
// copy every value they return out of these buffers, so the reuse is invisible to callers.
// Each slot belongs to one use; a buffer only grows.

const f64: Float64Array[] = [];
const i32: Int32Array[] = [];
const u8: Uint8Array[] = [];

export const enum Slot {
  CleanTime = 0,
  CleanConc = 1,
  WorkTime = 2,
  WorkConc = 3,
  FitX = 4,
  FitY = 5,
  AdjR2 = 6,
}

function size(n: number): number {
  return Math.max(64, 1 << Math.ceil(Math.log2(n + 1)));
}

/** A Float64Array of length ≥ n (contents undefined). */
export function f64Buffer(slot: Slot, n: number): Float64Array {
  let b = f64[slot];
  if (!b || b.length < n) f64[slot] = b = new Float64Array(size(n));
  return b;
}

export function i32Buffer(slot: number, n: number): Int32Array {
  let b = i32[slot];
  if (!b || b.length < n) i32[slot] = b = new Int32Array(size(n));
  return b;
}

export function u8Buffer(slot: number, n: number): Uint8Array {
  let b = u8[slot];
  if (!b || b.length < n) u8[slot] = b = new Uint8Array(size(n));
  return b;
}
