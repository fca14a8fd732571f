// Seeded pseudo-random numbers for the demo study. Deterministic by construction: no Math.random,
// no clock. Each subject × purpose gets its own stream, so a subject's data do not depend on how
// many other subjects are generated or on the data cut-off.

/** mulberry32 (Tommy Ettinger, public domain): 32-bit state, period 2^32, uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes integers into one 32-bit seed (murmur3 finaliser per step). */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  static stream(seed: number, subject: number, purpose: number): Rng {
    return new Rng(mixSeed(seed, subject, purpose));
  }
  /** Uniform in [0, 1). */
  u(): number {
    return this.next();
  }
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  /** Integer uniform in [lo, hi] (both included). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  /** Pick by weights (need not sum to 1). */
  weighted<T>(xs: readonly T[], w: readonly number[]): T {
    const total = w.reduce((a, b) => a + b, 0);
    let r = this.next() * total;
    for (let i = 0; i < xs.length; i++) {
      r -= w[i]!;
      if (r < 0) return xs[i]!;
    }
    return xs[xs.length - 1]!;
  }
  /** Standard normal deviate (Box–Muller). */
  normal(): number {
    const u1 = 1 - this.next();
    const u2 = this.next();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}

/** Streams used per subject (the number only has to be distinct). */
export const STREAM = {
  plan: 1,
  ae: 2,
  pk: 3,
  lesions: 4,
  lab: 5,
  vitals: 6,
  ada: 7,
  times: 8,
  pkSamples: 9,
  /** Bilirubin, creatinine, potassium, sodium: a stream of their own so that the other LB values stay as they were. */
  labChem: 10,
} as const;
