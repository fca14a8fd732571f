// Hand-worked NCA cases with exact answers. Sources are named per test:
//  - Gabrielsson & Weiner, Pharmacokinetic and Pharmacodynamic Data Analysis (one-compartment IV bolus:
//    AUC = C0/k, AUMC = C0/k², MRT = 1/k, CL = Dose/AUC, Vz = Vss = Dose/C0; IV infusion MRT = AUMC/AUC − Tinf/2);
//  - nca_rules.md §3 (λz best fit, log trapezoid), §4 (interval parameters);
//  - PKNCA clean.conc.blq for the BLQ positions (first / middle / last).
import { describe, expect, it } from 'vitest';
import { accumulationRatio } from '../../shared/nca/accumulation';
import { doseProportionality } from '../../shared/nca/doseProportionality';
import { lambdaZEstimability } from '../../shared/nca/lambdaZ';
import { getParameter, nca } from '../../shared/nca/nca';
import type { NcaResult } from '../../shared/nca/types';
import { deriveUnits } from '../../shared/nca/units';

const val = (r: NcaResult, code: string) => {
  const p = getParameter(r, code);
  if (!p) throw new Error(`${code} not reported`);
  return p.value;
};

describe('IV bolus, exact one-compartment profile C = 100·e^(−0.2 t), dose 1000 mg (Gabrielsson & Weiner)', () => {
  const k = 0.2;
  const time = [1, 2, 4, 8];
  const conc = time.map((t) => 100 * Math.exp(-k * t));
  const r = nca(
    { time, conc, dose: 1000, route: 'iv-bolus' },
    { aucMethod: 'lin-up-log-down', units: { time: 'h', conc: 'mg/L', dose: 'mg' } },
  );
  it('C0 back-extrapolated from the first two samples = 100 (PKNCA c0 "logslope")', () => {
    expect(r.c0).toBeCloseTo(100, 10);
    expect(r.addedDosePoint).toEqual({ time: 0, conc: r.c0, reason: 'c0' });
    expect(val(r, 'C0')).toBeCloseTo(100, 10);
  });
  it('λz uses all 4 points including Tmax (bolus), λz = 0.2, R² = 1', () => {
    expect(r.lambdaZ!.nPoints).toBe(4);
    expect(r.lambdaZ!.lower).toBe(1);
    expect(r.lambdaZ!.lambdaZ).toBeCloseTo(k, 12);
    expect(r.lambdaZ!.r2).toBeCloseTo(1, 12);
    expect(r.halfLife).toBeCloseTo(Math.LN2 / k, 10);
  });
  it('AUC, AUMC, MRT, CL, Vz, Vss are the exact model values (log trapezoid is exact for an exponential)', () => {
    expect(r.auclast).toBeCloseTo(500 * (1 - Math.exp(-1.6)), 9);
    expect(val(r, 'AUCIFO')).toBeCloseTo(500, 9);
    expect(val(r, 'AUMCIFO')).toBeCloseTo(2500, 8);
    expect(val(r, 'MRTIVIFO')).toBeCloseTo(5, 10);
    expect(val(r, 'CLO')).toBeCloseTo(2, 10);
    expect(val(r, 'VZO')).toBeCloseTo(10, 10);
    expect(val(r, 'VSSO')).toBeCloseTo(10, 10);
    // Back-extrapolated part: ∫0..1 = 500(1 − e^(−0.2)) of AUCINF = 500.
    expect(val(r, 'AUCPBEO')).toBeCloseTo(100 * (1 - Math.exp(-0.2)), 9);
  });
  it('IV codes are reported, extravascular ones are not', () => {
    const codes = r.parameters.map((p) => p.PPTESTCD);
    expect(codes).toEqual(expect.arrayContaining(['CLO', 'VZO', 'VSSO', 'MRTIVIFO', 'MRTIVLST', 'C0']));
    expect(codes).not.toContain('CLFO');
    expect(codes).not.toContain('TLAG');
  });
  it('units: mg/L, h, mg → AUC h*mg/L, AUMC h^2*mg/L, λz 1/h, CL L/h, V L', () => {
    const u = (code: string) => getParameter(r, code)!.unit;
    expect([u('AUCIFO'), u('AUMCIFO'), u('LAMZ'), u('CLO'), u('VZO'), u('LAMZHL'), u('AUCPEO')]).toEqual([
      'h*mg/L',
      'h^2*mg/L',
      '1/h',
      'L/h',
      'L',
      'h',
      '%',
    ]);
  });
  it('units: the same numbers in ng/mL give CL = 2 mg/(h*ng/mL) = 2000 L/h', () => {
    const r2 = nca(
      { time, conc, dose: 1000, route: 'iv-bolus' },
      { aucMethod: 'lin-up-log-down', units: { time: 'h', conc: 'ng/mL', dose: 'mg' } },
    );
    const cl = getParameter(r2, 'CLO')!;
    expect(cl.unit).toBe('L/h');
    expect(cl.value).toBeCloseTo(2000, 7);
    expect(cl.rawValue).toBeCloseTo(2, 10);
    expect(cl.rawUnit).toBe('mg/(h*ng/mL)');
  });
});

describe('unit algebra (units.ts)', () => {
  it('ug/mL with mg dose: factor 1 (1e-3·1e-3/1e-6) → L/h and L', () => {
    const t = deriveUnits({ time: 'h', conc: 'ug/mL', dose: 'mg' });
    expect(t.clearance).toEqual({ unit: 'L/h', factor: 1, expression: 'mg/(h*ug/mL)' });
    expect(t.volume.unit).toBe('L');
    expect(t.auc.unit).toBe('h*ug/mL');
    expect(t.concPerDose.unit).toBe('(ug/mL)/mg');
  });
  it('dose per kg → L/h/kg', () => {
    expect(deriveUnits({ time: 'h', conc: 'ng/mL', dose: 'mg/kg' }).clearance).toEqual({
      unit: 'L/h/kg',
      factor: 1000,
      expression: 'mg/kg/(h*ng/mL)',
    });
  });
  it('molar concentration with a mass dose: no conversion, the expression is kept', () => {
    expect(deriveUnits({ time: 'h', conc: 'nmol/L', dose: 'mg' }).clearance).toEqual({
      unit: 'mg/(h*nmol/L)',
      factor: 1,
      expression: 'mg/(h*nmol/L)',
    });
  });
});

describe('reviewer λz choice (nca_rules.md §3; reported as manual)', () => {
  // Extravascular; after Tmax (2 h) C = 50·e^(−0.1 t) exactly, except the 8 h sample (×1.5, an outlier).
  const time = [0, 1, 2, 4, 6, 8, 12, 24];
  const conc = time.map((t) => (t === 0 ? 0 : t === 1 ? 30 : 50 * Math.exp(-0.1 * t) * (t === 8 ? 1.5 : 1)));
  conc[2] = 60; // Tmax at 2 h
  const profile = { time, conc, dose: 100, route: 'extravascular' as const };
  it('auto fit is disturbed by the outlier', () => {
    const r = nca(profile);
    expect(r.lambdaZMethod).toBe('auto');
    expect(Math.abs(r.lambdaZ!.lambdaZ - 0.1)).toBeGreaterThan(1e-3);
  });
  it('excluding 8 h recovers λz = 0.1 exactly from the remaining 4 post-Tmax points', () => {
    const r = nca(profile, { lambdaZ: { kind: 'exclude', times: [8] } });
    expect(r.lambdaZMethod).toBe('manual-exclusion');
    expect(r.lambdaZ!.method).toBe('manual-exclusion');
    expect(r.lambdaZ!.excludedTimes).toEqual([8]);
    expect(r.lambdaZ!.times).toEqual([4, 6, 12, 24]);
    expect(r.lambdaZ!.lambdaZ).toBeCloseTo(0.1, 12);
    expect(r.lambdaZ!.adjR2).toBeCloseTo(1, 12);
    // AUCINF_obs = AUClast + Clast/λz (nca_rules.md §3).
    expect(r.aucinfObs!).toBeCloseTo(r.auclast + conc[7]! / 0.1, 9);
  });
  // Was: a 2-point range gave a fit (issue 12 item 4: a 2-point rising range drew a positive slope).
  // A terminal fit needs ≥ 3 points after Cmax (PKNCA min.hl.points = 3; Phoenix WinNonlin).
  it('a range of 12–24 h holds only 2 points: λz not estimable, its dependants empty with the reason', () => {
    const r = nca(profile, { lambdaZ: { kind: 'range', start: 12, end: 24 } });
    expect(r.lambdaZMethod).toBe('manual-range');
    expect(r.lambdaZ).toBeNull();
    expect(r.lambdaZNote).toBe('not estimable: only 2 points after Cmax, at least 3 needed (the range holds 2 measurable points)');
    for (const code of ['LAMZ', 'LAMZHL', 'AUCIFO', 'AUCPEO', 'CLFO', 'VZFO', 'MRTEVIFO']) {
      expect(val(r, code)).toBeNull();
      expect(getParameter(r, code)!.reason).toBe(r.lambdaZNote);
    }
    // AUClast does not depend on λz and carries no reason.
    expect(val(r, 'AUCLST')).toBe(nca(profile).auclast);
    expect(getParameter(r, 'AUCLST')!.reason).toBeUndefined();
  });
  it('a range may include Tmax when the reviewer asks', () => {
    const r = nca(profile, { lambdaZ: { kind: 'range', start: 2, end: 24 } });
    expect(r.lambdaZ!.lower).toBe(2);
    expect(r.lambdaZ!.nPoints).toBe(6);
  });
  it('a range with 1 point gives no λz and says why', () => {
    const r = nca(profile, { lambdaZ: { kind: 'range', start: 13, end: 24 } });
    expect(r.lambdaZ).toBeNull();
    expect(r.lambdaZNote).toBe('not estimable: only 1 point after Cmax, at least 3 needed (the range holds 1 measurable point)');
    expect(r.aucinfObs).toBeNull();
  });
  it('a range from Tmax with 2 later points: Tmax does not count towards the 3 terminal points', () => {
    // samples 2 (Tmax), 4, 6 h in the range: 2 after Cmax
    const r = nca(profile, { lambdaZ: { kind: 'range', start: 2, end: 6 } });
    expect(r.lambdaZ).toBeNull();
    expect(r.lambdaZNote).toMatch(/^not estimable: only 2 points after Cmax, at least 3 needed/);
  });
});

describe('λz estimability (lambdaZ.ts: ≥ 3 points after Cmax, PKNCA min.hl.points = 3 / Phoenix; slope < 0)', () => {
  it('the rule itself', () => {
    expect(lambdaZEstimability(2, -0.1)).toEqual({ estimable: false, reason: 'only 2 points after Cmax, at least 3 needed' });
    expect(lambdaZEstimability(3, 0.05)).toEqual({ estimable: false, reason: 'the concentrations do not decline over the chosen points (slope ≥ 0)' });
    expect(lambdaZEstimability(3, 0)).toMatchObject({ estimable: false });
    expect(lambdaZEstimability(3, null)).toMatchObject({ estimable: false });
    expect(lambdaZEstimability(3, -0.1)).toEqual({ estimable: true });
  });
  it('a rising 2-point range (the reported bug): no fit, no positive slope reported', () => {
    // (0,0) (1,10) (2,8) (4,4) (6,5) (8,6): the range 6–8 h rises 5 → 6
    const p = { time: [0, 1, 2, 4, 6, 8], conc: [0, 10, 8, 4, 5, 6], dose: 100, route: 'extravascular' as const };
    const r = nca(p, { lambdaZ: { kind: 'range', start: 6, end: 8 } });
    expect(r.lambdaZ).toBeNull();
    expect(val(r, 'LAMZ')).toBeNull();
    expect(val(r, 'LAMZHL')).toBeNull();
    expect(r.lambdaZNote).toMatch(/^not estimable: only 2 points after Cmax/);
  });
  it('a rising 3-point range: slope = ln(6/4)/(6 − 2) = 0.101 > 0, not estimable', () => {
    // equally spaced x: the OLS slope of 3 points is (y3 − y1)/(x3 − x1)
    const p = { time: [0, 1, 2, 4, 6], conc: [0, 10, 4, 5, 6], dose: 100, route: 'extravascular' as const };
    const r = nca(p, { lambdaZ: { kind: 'range', start: 2, end: 6 } });
    expect(r.lambdaZ).toBeNull();
    expect(r.lambdaZNote).toBe('not estimable: the concentrations do not decline over the chosen points (slope ≥ 0) (the range holds 3 measurable points)');
    expect(getParameter(r, 'AUCIFO')!.reason).toBe(r.lambdaZNote);
  });
  it('automatic: 2 points after Cmax → not estimable', () => {
    const r = nca({ time: [0, 1, 2, 4], conc: [0, 10, 8, 4], dose: 100, route: 'extravascular' });
    expect(r.lambdaZ).toBeNull();
    expect(r.lambdaZNote).toBe('not estimable: only 2 points after Cmax, at least 3 needed');
    expect(getParameter(r, 'CLFO')!.reason).toBe(r.lambdaZNote);
  });
  it('automatic: 3 rising points after Cmax → not estimable', () => {
    const r = nca({ time: [0, 1, 2, 4, 8], conc: [0, 20, 2, 4, 8], dose: 100, route: 'extravascular' });
    expect(r.lambdaZ).toBeNull();
    expect(r.lambdaZNote).toBe('not estimable: no run of the last ≥ 3 points after Cmax declines (slope ≥ 0)');
  });
  it('3 declining points after Cmax are a fit: (2,16) (4,8) (8,2) → λz = ln2/2, t½ = 2 h, AUCINF = 72 + 2/λz', () => {
    // AUClast (linear) = 0→1: 10, 1→2: 18, 2→4: 24, 4→8: 20 → 72
    const r = nca({ time: [0, 1, 2, 4, 8], conc: [0, 20, 16, 8, 2], dose: 100, route: 'extravascular' });
    expect(r.lambdaZNote).toBeNull();
    expect(r.lambdaZ!.nPoints).toBe(3);
    expect(r.lambdaZ!.lambdaZ).toBeCloseTo(Math.LN2 / 2, 12);
    expect(r.halfLife).toBeCloseTo(2, 12);
    expect(r.auclast).toBeCloseTo(72, 12);
    expect(r.aucinfObs).toBeCloseTo(72 + 4 / Math.LN2, 10);
    expect(getParameter(r, 'AUCIFO')!.reason).toBeUndefined();
  });
});

describe('BLQ handling by position (PKNCA clean.conc.blq positions; defaults first=0, middle/last dropped)', () => {
  const time = [0, 1, 2, 3, 4, 5];
  const conc = [null, 5, null, 4, null, null];
  const blq = [true, false, true, false, true, true];
  const base = { time, conc, blq, dose: 10, route: 'extravascular' as const };
  // AUCall as WinNonlin and PKNCA (pk.calc.auc.all) define it: the area down to the first BLQ after
  // Tlast, taken as 0, is included although the default rule drops trailing BLQ samples (the earlier
  // AUCall = AUClast here was the bug of issue 10 item 8).
  it('default: (0,0), (1,5), (3,4) → AUClast = 0.5·5 + 2·4.5 = 11.5; AUCall adds the triangle to the BLQ at 4 h: 11.5 + 1·4/2 = 13.5', () => {
    const r = nca(base);
    expect(r.nSamples).toBe(3);
    expect(r.auclast).toBeCloseTo(11.5, 12);
    expect(r.aucall).toBeCloseTo(13.5, 12);
    expect(r.tlast).toBe(3);
  });
  it("last: 'zero' keeps trailing zeros for AUCall only: AUCall = 11.5 + 1·(4+0)/2 = 13.5", () => {
    const r = nca(base, { blq: { last: 'zero' } });
    expect(r.auclast).toBeCloseTo(11.5, 12);
    expect(r.aucall).toBeCloseTo(13.5, 12);
    expect(r.tlast).toBe(3);
  });
  it('AUCall closes at the FIRST trailing BLQ only (later BLQ add nothing) and also under lin-up/log-down (a linear triangle)', () => {
    // (1,5), (3,4), BLQ at 6 and 8 → AUCall = AUClast + (6 − 3)·4/2 = AUClast + 6.
    const p = { time: [0, 1, 3, 6, 8], conc: [null, 5, 4, null, null], blq: [true, false, false, true, true], dose: 10, route: 'extravascular' as const };
    const lin = nca(p);
    expect(lin.aucall - lin.auclast).toBeCloseTo(6, 12);
    const log = nca(p, { aucMethod: 'lin-up-log-down' });
    // AUClast: 0→1 linear up 2.5; 1→3 log down 2·(5 − 4)/ln(5/4).
    expect(log.auclast).toBeCloseTo(2.5 + (2 * 1) / Math.log(5 / 4), 12);
    expect(log.aucall).toBeCloseTo(log.auclast + 6, 12);
  });
  it('a missing sample (not BLQ) after Tlast adds nothing to AUCall', () => {
    const r = nca({ time: [0, 1, 3, 5], conc: [0, 5, 4, null], blq: [false, false, false, false], dose: 10, route: 'extravascular' });
    expect(r.aucall).toBeCloseTo(r.auclast, 12);
  });
  it("middle: 'lloq/2' with LLOQ 1 puts 0.5 at 2 h: AUClast = 2.5 + 2.75 + 2.25 = 7.5", () => {
    const r = nca(base, { blq: { middle: 'lloq/2', lloq: 1 } });
    expect(r.auclast).toBeCloseTo(7.5, 12);
  });
  it("first: 'drop' removes the pre-dose BLQ sample; a (0, 0) point is then added at dose time", () => {
    const r = nca(base, { blq: { first: 'drop' } });
    expect(r.nSamples).toBe(2);
    expect(r.addedDosePoint).toEqual({ time: 0, conc: 0, reason: 'zero' });
    expect(r.auclast).toBeCloseTo(11.5, 12);
  });
  it("'lloq/2' without an LLOQ is an error; a null without a BLQ flag is missing and dropped", () => {
    expect(() => nca(base, { blq: { middle: 'lloq/2' } })).toThrow(/lloq/);
    const r = nca({ time: [0, 1, 2, 3], conc: [0, 5, null, 4], dose: 10, route: 'extravascular' });
    expect(r.nSamples).toBe(3);
    expect(r.auclast).toBeCloseTo(11.5, 12);
  });
});

describe('IV infusion: MRT corrected by Tinf/2 (Gabrielsson & Weiner; PKNCA pk.calc.mrt.iv)', () => {
  // One compartment, k = 0.2 1/h, V = 10 L, 100 mg infused over 1 h: true MRT = 1/k = 5 h, CL = 2 L/h,
  // Vss = 10 L. Dense sampling during the infusion makes the linear-up trapezoid error negligible;
  // after the infusion the decline is exactly exponential (log trapezoid and λz exact).
  const k = 0.2;
  const V = 10;
  const dose = 100;
  const tinf = 1;
  const r0 = dose / tinf;
  const cEnd = (r0 / (k * V)) * (1 - Math.exp(-k * tinf));
  const time: number[] = [];
  for (let i = 0; i <= 200; i++) time.push(i / 200);
  time.push(1.5, 2, 3, 4, 6, 8, 12, 24, 48);
  const conc = time.map((t) => (t <= tinf ? (r0 / (k * V)) * (1 - Math.exp(-k * t)) : cEnd * Math.exp(-k * (t - tinf))));
  const r = nca({ time, conc, dose, route: 'iv-infusion', duration: tinf }, { aucMethod: 'lin-up-log-down' });
  it('λz = k from the post-infusion samples', () => {
    expect(r.lambdaZ!.lambdaZ).toBeCloseTo(k, 10);
  });
  it('MRTINF = AUMCINF/AUCINF − Tinf/2 ≈ 1/k = 5 h; CL ≈ 2 L/h; Vss ≈ 10 L', () => {
    expect(r.mrtinfObs!).toBeCloseTo(r.aumcinfObs! / r.aucinfObs! - tinf / 2, 12);
    expect(Math.abs(r.mrtinfObs! - 1 / k) / 5).toBeLessThan(1e-5);
    expect(Math.abs(r.clObs! - k * V) / 2).toBeLessThan(1e-5);
    expect(Math.abs(val(r, 'VSSO')! - V) / V).toBeLessThan(1e-5);
    expect(getParameter(r, 'MRTIVIFO')!.value).toBe(r.mrtinfObs);
  });
  it('needs a duration', () => {
    expect(() => nca({ time, conc, dose, route: 'iv-infusion' })).toThrow(/duration/);
  });
});

describe('dosing interval: exact IV bolus superposition (nca_rules.md §4 formulas)', () => {
  // C1(t) = 100·e^(−kt) after the first dose; at steady state Css(t) = C1(t)/(1 − e^(−kτ)).
  const k = 0.15;
  const tau = 12;
  const time = [0.5, 1, 2, 4, 8, 12];
  const acc = 1 / (1 - Math.exp(-k * tau));
  const first = nca(
    { time, conc: time.map((t) => 100 * Math.exp(-k * t)), dose: 50, route: 'iv-bolus', tau, steadyState: false },
    { aucMethod: 'lin-up-log-down' },
  );
  const ss = nca(
    { time, conc: time.map((t) => 100 * acc * Math.exp(-k * t)), dose: 50, route: 'iv-bolus', tau },
    { aucMethod: 'lin-up-log-down' },
  );
  it('AUCtau(ss) = Dose/CL = AUCINF(first dose) and accumulation index = 1/(1 − e^(−λz·τ))', () => {
    expect(ss.interval!.auctau!).toBeCloseTo(first.aucinfObs!, 8);
    expect(val(ss, 'AILAMZ')).toBeCloseTo(acc, 10);
  });
  it('observed accumulation ratio AUCtau(ss)/AUCtau(first) equals the index for linear PK', () => {
    const ar = accumulationRatio(ss, first);
    expect(ar.PPTESTCD).toBe('ARAUC');
    expect(ar.value!).toBeCloseTo(acc, 10);
  });
  it('Cavg, fluctuation, swing, Ctau from their definitions', () => {
    const iv = ss.interval!;
    const cmax = ss.cmax!;
    const cmin = 100 * acc * Math.exp(-k * 12);
    expect(iv.cavg!).toBeCloseTo(iv.auctau! / tau, 12);
    expect(iv.cmin!).toBeCloseTo(cmin, 10);
    expect(iv.ctau!).toBeCloseTo(cmin, 10);
    expect(iv.fluctuationPct!).toBeCloseTo((100 * (cmax - cmin)) / iv.cavg!, 10);
    expect(iv.swing!).toBeCloseTo((cmax - cmin) / cmin, 10);
    expect(val(ss, 'CLTAU')).toBeCloseTo(50 / iv.auctau!, 10);
    expect(getParameter(ss, 'CLO')).toBeUndefined();
  });
});

describe('input validation', () => {
  it('rejects unsorted times and mismatched lengths', () => {
    expect(() => nca({ time: [0, 2, 1], conc: [0, 1, 2], dose: 1, route: 'extravascular' })).toThrow(/increasing/);
    expect(() => nca({ time: [0, 1], conc: [0], dose: 1, route: 'extravascular' })).toThrow(/length/);
  });
  it('an all-zero profile gives AUC 0 and no λz', () => {
    const r = nca({ time: [0, 1, 2], conc: [0, 0, 0], dose: 1, route: 'extravascular' });
    expect(r.auclast).toBe(0);
    expect(r.lambdaZ).toBeNull();
    expect(r.tlast).toBeNull();
  });
});

describe('dose proportionality, power model (Smith et al. 2000), hand-worked', () => {
  // ln y = 1 + 0.9·ln d ± 0.1 at d = 1 and 10 (two points each): b = 0.9 exactly, RSS = 4·0.01,
  // df = 2, s² = 0.02, Sxx = (ln 10)², SE(b) = √0.02/ln 10; 90% CI = b ± qt(0.95, 2)·SE, qt = 2.919986.
  const pts = [1, 1, 10, 10].map((d, i) => ({ dose: d, value: Math.exp(1 + 0.9 * Math.log(d) + (i % 2 ? 0.1 : -0.1)) }));
  const r = doseProportionality(pts);
  it('b, SE and 90% CI', () => {
    const se = Math.sqrt(0.02) / Math.LN10;
    expect(r.slope).toBeCloseTo(0.9, 12);
    expect(r.intercept).toBeCloseTo(1, 12);
    expect(r.seSlope).toBeCloseTo(se, 12);
    expect(r.ciLower).toBeCloseTo(0.9 - 2.919986 * se, 5);
    expect(r.ciUpper).toBeCloseTo(0.9 + 2.919986 * se, 5);
  });
  it('Smith criterion over a 10-fold range: [1 + ln 0.8/ln 10, 1 + ln 1.25/ln 10]', () => {
    expect(r.criterion!.lower).toBeCloseTo(0.903090, 6);
    expect(r.criterion!.upper).toBeCloseTo(1.096910, 6);
    expect(r.criterion!.proportional).toBe(false);
  });
  it('skips non-positive values and needs 3 points', () => {
    expect(doseProportionality([...pts, { dose: 5, value: 0 }]).nExcluded).toBe(1);
    expect(() => doseProportionality(pts.slice(0, 2))).toThrow();
  });
});

describe('dosing interval ending after Tlast: λz extrapolation (exponentialTail in auc.ts)', () => {
  // C = 100·e^(−0.2 t) sampled to 8 h, tau = 12 h: AUCtau = ∫0..12 = 500(1 − e^(−2.4)) exactly under
  // lin-up/log-down; the part after Tlast is ∫8..12 = 500(e^(−1.6) − e^(−2.4)); Ctau = 100·e^(−2.4).
  const time = [1, 2, 4, 8];
  const r = nca(
    { time, conc: time.map((t) => 100 * Math.exp(-0.2 * t)), dose: 1000, route: 'iv-bolus', tau: 12, steadyState: false },
    { aucMethod: 'lin-up-log-down' },
  );
  it('AUCtau, Ctau and % extrapolated', () => {
    const auctau = 500 * (1 - Math.exp(-2.4));
    expect(r.interval!.auctau!).toBeCloseTo(auctau, 9);
    expect(r.interval!.ctau!).toBeCloseTo(100 * Math.exp(-2.4), 10);
    expect(r.interval!.auctauPctExtrap!).toBeCloseTo((100 * 500 * (Math.exp(-1.6) - Math.exp(-2.4))) / auctau, 9);
    // First dose (steadyState: false): single-dose CL is reported, not CLss.
    expect(getParameter(r, 'CLO')!.value).toBeCloseTo(2, 9);
    expect(getParameter(r, 'CLTAU')).toBeUndefined();
  });
  it('an IV bolus sample of 0 at dose time is replaced by the back-extrapolated C0', () => {
    const r0 = nca(
      { time: [0, ...time], conc: [0, ...time.map((t) => 100 * Math.exp(-0.2 * t))], dose: 1000, route: 'iv-bolus' },
      { aucMethod: 'lin-up-log-down' },
    );
    expect(r0.c0).toBeCloseTo(100, 10);
    expect(r0.aucinfObs!).toBeCloseTo(500, 9);
  });
  it('parameter codes are unique within a result', () => {
    const codes = r.parameters.map((p) => p.PPTESTCD);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
