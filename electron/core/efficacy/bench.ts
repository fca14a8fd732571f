import { kaplanMeier, medianSurvival, survivalAt } from '../../../shared/survival';

// Bench hook of the efficacy feature (npm run bench): Kaplan–Meier + median with CI + S(t) on
// n synthetic subjects (exponential times, about 30 % censored, log-log CI), after a warm-up.

/** Deterministic pseudo-random numbers (mulberry32) so that every run times the same data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function synthetic(n: number, seed = 979): { times: number[]; events: boolean[] } {
  const r = rng(seed);
  const times = new Array<number>(n);
  const events = new Array<boolean>(n);
  for (let i = 0; i < n; i++) {
    // Survival ~ exponential (median 300 days), censoring ~ uniform(0, 1500), whole days as in SDTM.
    const t = Math.ceil(-Math.log(1 - r()) * (300 / Math.LN2));
    const c = Math.ceil(r() * 1500);
    times[i] = Math.min(t, c);
    events[i] = t <= c;
  }
  return { times, events };
}

function once(times: number[], events: boolean[]): number {
  const fit = kaplanMeier(times, events, { confType: 'log-log' });
  const m = medianSurvival(fit);
  return (m.quantile ?? 0) + survivalAt(fit, 365).surv;
}

/** Milliseconds for KM + median with CI (+ S(365)) on n synthetic subjects: the best of 5 runs after 2 warm-ups. */
export function kmBench(n = 100_000): number {
  const { times, events } = synthetic(n);
  let sink = 0;
  for (let i = 0; i < 2; i++) sink += once(times, events);
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    sink += once(times, events);
    best = Math.min(best, performance.now() - t0);
  }
  if (!Number.isFinite(sink)) throw new Error('kmBench: no result');
  return best;
}

/** test/bench/bench.ts entry: prints km_100k_subjects_ms. */
export function bench(report: (name: string, value: string | number) => void): void {
  report('km_100k_subjects_ms', kmBench(100_000).toFixed(1));
}
