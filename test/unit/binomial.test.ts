import { describe, expect, it } from 'vitest';
import { clopperPearson } from '../../shared/binomial';
import { betaIncReg, betaIncRegInv, gammaIncRegP, gammaIncRegQ, lnGamma } from '../../shared/stats/special';
import { chiSquareUpperTail, normalCdf, normalQuantile } from '../../shared/stats/dist';
import { referencePath, referenceText } from '../helpers/reference';

// Source: R binom.test (Clopper–Pearson), ../shared/reference/binomial/binom_expected.csv
const REF = referencePath('binomial/binom_expected.csv', 'binomial.test.ts (Clopper–Pearson vs R)');

function readReference(): Array<{ x: number; n: number; p: number; lower: number; upper: number }> {
  if (!REF) return [];
  const lines = referenceText(REF).trim().split(/\r?\n/);
  expect(lines[0]).toBe('x,n,p_hat,lower_95,upper_95');
  return lines.slice(1).map((line) => {
    const [x, n, p, lower, upper] = line.split(',').map(Number);
    return { x: x!, n: n!, p: p!, lower: lower!, upper: upper! };
  });
}

/** |a − b| <= 1e-9 absolutely and, for non-zero b, relatively. */
function expectClose(actual: number, expected: number, tol = 1e-9): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol);
  if (expected !== 0) expect(Math.abs((actual - expected) / expected)).toBeLessThanOrEqual(tol);
}

describe.skipIf(!REF)('clopperPearson vs R binom.test (reference/binomial/binom_expected.csv)', () => {
  const rows = readReference();
  it('has the reference rows', () => expect(rows.length).toBe(13));
  it.each(rows)('x=$x n=$n', ({ x, n, p, lower, upper }) => {
    const ci = clopperPearson(x, n);
    expectClose(ci.estimate, p);
    expectClose(ci.lower, lower);
    expectClose(ci.upper, upper);
  });
});

describe('clopperPearson edge cases', () => {
  it('x = 0 gives lower 0 and upper 1 − (α/2)^(1/n) (closed form of qbeta(1−α/2, 1, n))', () => {
    const ci = clopperPearson(0, 10);
    expect(ci.lower).toBe(0);
    expectClose(ci.upper, 1 - Math.pow(0.025, 1 / 10), 1e-13);
  });
  it('x = n gives upper 1 and lower (α/2)^(1/n)', () => {
    const ci = clopperPearson(10, 10);
    expect(ci.upper).toBe(1);
    expectClose(ci.lower, Math.pow(0.025, 1 / 10), 1e-13);
  });
  it('other levels: 90% interval is inside the 95% one', () => {
    const a = clopperPearson(3, 12, 0.9);
    const b = clopperPearson(3, 12, 0.95);
    expect(a.lower).toBeGreaterThan(b.lower);
    expect(a.upper).toBeLessThan(b.upper);
  });
  it('rejects invalid input', () => {
    expect(() => clopperPearson(4, 3)).toThrow(RangeError);
    expect(() => clopperPearson(1.5, 3)).toThrow(RangeError);
    expect(() => clopperPearson(1, 3, 1.2)).toThrow(RangeError);
  });
  it('n = 0: no estimate, the whole [0, 1] interval', () => {
    const ci = clopperPearson(0, 0);
    expect(ci.estimate).toBeNaN();
    expect([ci.lower, ci.upper]).toEqual([0, 1]);
  });
  it('large n stays consistent: the limits reproduce the tail probabilities', () => {
    // Definition (Clopper & Pearson 1934): P(X >= x | p_L) = α/2 and P(X <= x | p_U) = α/2,
    // i.e. I_{p_L}(x, n−x+1) = α/2 and I_{p_U}(x+1, n−x) = 1 − α/2.
    const ci = clopperPearson(137, 1000);
    expectClose(betaIncReg(ci.lower, 137, 864), 0.025, 1e-12);
    expectClose(betaIncReg(ci.upper, 138, 863), 0.975, 1e-12);
  });
});

describe('special functions (closed forms)', () => {
  it('lnGamma of integers = ln((n−1)!) and Γ(1/2) = √π', () => {
    expectClose(lnGamma(10), Math.log(362880), 1e-13);
    expectClose(lnGamma(0.5), 0.5 * Math.log(Math.PI), 1e-13);
  });
  it('I_x(1, b) = 1 − (1−x)^b and I_x(a, 1) = x^a', () => {
    expectClose(betaIncReg(0.3, 1, 4), 1 - Math.pow(0.7, 4), 1e-14);
    expectClose(betaIncReg(0.3, 5, 1), Math.pow(0.3, 5), 1e-14);
    expectClose(betaIncRegInv(0.2, 5, 1), Math.pow(0.2, 1 / 5), 1e-14);
  });
  it('P(1, x) = 1 − e^(−x); P + Q = 1', () => {
    expectClose(gammaIncRegP(1, 2.5), 1 - Math.exp(-2.5), 1e-14);
    expectClose(gammaIncRegP(3.3, 1.7) + gammaIncRegQ(3.3, 1.7), 1, 1e-14);
  });
  it('normal quantile/CDF and chi-square tail agree with their closed forms', () => {
    // qnorm(0.975) = 1.959963984540054 (R); χ²(2) upper tail = exp(−x/2).
    expectClose(normalQuantile(0.975), 1.959963984540054, 1e-14);
    expectClose(normalCdf(normalQuantile(0.01)), 0.01, 1e-13);
    expectClose(chiSquareUpperTail(3, 2), Math.exp(-1.5), 1e-14);
  });
});
