import { describe, expect, it } from 'vitest';
import { linearRegression } from '../../shared/stats/linearRegression';
import { pt, qt } from '../../shared/stats/tDistribution';

describe('qt: Student t quantiles (reference values from R 4.x qt())', () => {
  const cases: [number, number, number][] = [
    [0.95, 10, 1.812461],
    [0.95, 3, 2.353363],
    [0.975, 1, 12.7062],
    [0.95, 2, 2.919986],
    [0.975, 30, 2.042272],
    [0.995, 5, 4.032143],
    [0.9, 7, 1.414924],
    [0.975, 1000, 1.962339],
  ];
  for (const [p, df, want] of cases) {
    it(`qt(${p}, ${df}) = ${want}`, () => {
      expect(Math.abs(qt(p, df) - want)).toBeLessThan(5e-6 * Math.max(1, want));
    });
  }
  it('is symmetric and inverts pt', () => {
    expect(qt(0.05, 10)).toBeCloseTo(-1.812461, 6);
    expect(qt(0.5, 4)).toBe(0);
    for (const df of [1, 2, 3, 5.5, 17, 120]) {
      for (const p of [0.01, 0.2, 0.6, 0.95, 0.999]) expect(pt(qt(p, df), df)).toBeCloseTo(p, 12);
    }
  });
  it('pt(2, 5) = 0.9490303 (R pt(2, 5))', () => {
    expect(pt(2, 5)).toBeCloseTo(0.9490303, 7);
  });
});

describe('linearRegression (hand-worked: x = 1..5, y = 2,4,5,4,5)', () => {
  // Sxx = 10, Sxy = 6, Syy = 6 → slope 0.6, intercept 4 − 0.6·3 = 2.2, R² = 36/60 = 0.6,
  // RSS = 6 − 0.6·6 = 2.4, s² = 2.4/3 = 0.8, SE(slope) = √(0.8/10).
  const f = linearRegression([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]);
  it('slope, intercept, R², adjusted R², SE', () => {
    expect(f.slope).toBeCloseTo(0.6, 14);
    expect(f.intercept).toBeCloseTo(2.2, 14);
    expect(f.r2).toBeCloseTo(0.6, 14);
    expect(f.adjR2).toBeCloseTo(1 - (0.4 * 4) / 3, 14);
    expect(f.seSlope).toBeCloseTo(Math.sqrt(0.08), 14);
    expect(f.df).toBe(3);
    expect(f.corr).toBeCloseTo(Math.sqrt(0.6), 14);
  });
  it('honours an index window', () => {
    const g = linearRegression([9, 1, 2, 3, 9], [9, 1, 3, 5, 9], 1, 4);
    expect(g.slope).toBeCloseTo(2, 14);
    expect(g.n).toBe(3);
  });
});
