// Non-compartmental analysis of one concentration-time profile, matching Phoenix WinNonlin on the
// reference data (Theoph and pkdata2 outputs; docs/CLINICAL_RULES.md#nca; tests in test/unit/nca*.test.ts).
//
// Conventions (docs/CLINICAL_RULES.md#nca):
//  - Samples before the dose time are dropped. When no sample is at the dose time a point is added
//    there (not observed): 0 for a single extravascular/infusion dose (NonCompart prepends (0, 0)),
//    Cmin of [doseTime, doseTime + tau] at steady state (WinNonlin), C0 for an IV bolus.
//  - AUC/AUMC integrate on time since dose; Tmax, Tlast, λz limits, Tmin are on the sample clock;
//    Tlag is a time since dose. λz is fitted on the sample clock (its intercept is WinNonlin's).
//  - Cmax/Tmax: first maximum of the observed samples (an added C0 never counts; at steady state Cmax
//    is taken over all post-dose samples, as WinNonlin prints it). Tlast/Clast: last observed C > 0.
//    Cmin/Tmin: first minimum of the observed samples (within the interval when tau is given).
//  - AUClast stops at Tlast. AUCall (WinNonlin "AUCall"; PKNCA pk.calc.auc.all) also takes the area
//    from Tlast down to the first BLQ sample after Tlast, that sample taken as 0 (a linear triangle,
//    whatever the AUC method: the log trapezoid is undefined at 0), even when the BLQ rule drops
//    trailing BLQ samples from everything else; measured zeros after Tlast are included as they are.
//  - λz: see lambdaZ.ts. Beyond Tlast the profile is extrapolated as Clast·e^(−λz(t − Tlast)).
//  - Steady state: CL and Vz use AUCtau (CLss, Vz,ss); MRTINF = (AUMCtau + tau·(AUCINF − AUCtau))/AUCtau.

import { aucSegment, aumcSegment, exponentialTail, interpolateConc } from './auc';
import { cleanConcentrations, DEFAULT_BLQ } from './blq';
import { LAMBDA_Z_DEPENDENT, PP_TERMS, type PpTestCd } from './cdisc';
import { fitLogLinear, lambdaZEstimability, MIN_HL_POINTS, notEstimable, selectBestFitCount } from './lambdaZ';
import {
  calcAccumulationIndex,
  calcAucInf,
  calcAumcInf,
  calcC0,
  calcCavg,
  calcClastPred,
  calcClearance,
  calcFluctuationPct,
  calcHalfLife,
  calcMrt,
  calcMrtSteadyState,
  calcPctExtrap,
  calcSpan,
  calcSwing,
  calcVss,
  calcVz,
} from './parameters';
import type {
  BlqOptions,
  LambdaZFit,
  LambdaZMethod,
  NcaIntervalResult,
  NcaOptions,
  NcaParameter,
  NcaProfile,
  NcaResult,
} from './types';
import { f64Buffer, i32Buffer, Slot, u8Buffer } from './scratch';
import { deriveUnits, type UnitTable } from './units';

const TIME_EPS = 1e-9;

function near(a: number, b: number): boolean {
  return Math.abs(a - b) <= TIME_EPS * Math.max(1, Math.abs(a), Math.abs(b));
}

function lambdaZMethodOf(options: NcaOptions): LambdaZMethod {
  const c = options.lambdaZ;
  if (!c || c.kind === 'auto') return 'auto';
  return c.kind === 'range' ? 'manual-range' : 'manual-exclusion';
}

/** Minimum observed concentration (first occurrence) with from ≤ t ≤ to. */
function observedMin(
  t: Float64Array,
  c: Float64Array,
  obs: Uint8Array,
  w: number,
  from: number,
  to: number,
): { cmin: number | null; tmin: number | null } {
  let cmin: number | null = null;
  let tmin: number | null = null;
  for (let i = 0; i < w; i++) {
    if (!obs[i] || t[i]! < from - TIME_EPS || t[i]! > to + TIME_EPS) continue;
    if (cmin === null || c[i]! < cmin) {
      cmin = c[i]!;
      tmin = t[i]!;
    }
  }
  return { cmin, tmin };
}

/** Run NCA on one profile. Pure; throws RangeError on invalid input. */
export function nca(profile: NcaProfile, options: NcaOptions = {}): NcaResult {
  const route = profile.route;
  const method = options.aucMethod ?? 'linear';
  const doseTime = profile.doseTime ?? 0;
  const dose = profile.dose;
  const tau = profile.tau;
  if (!Number.isFinite(dose) || dose < 0) throw new RangeError('dose must be a finite number ≥ 0');
  let duration = 0;
  if (route === 'iv-infusion') {
    duration = profile.duration ?? NaN;
    if (!(duration > 0)) throw new RangeError('iv-infusion needs a positive duration');
  }
  if (tau !== undefined && !(tau > 0)) throw new RangeError('tau must be > 0');
  const steadyState = tau !== undefined && (profile.steadyState ?? true);
  const blqRules = { ...DEFAULT_BLQ, ...options.blq };
  const clean = cleanConcentrations(profile.time, profile.conc, profile.blq, doseTime, blqRules, true);
  const m = clean.n;

  // ---- dose-time point -------------------------------------------------------------------------
  const hasDoseSample = m > 0 && clean.time[0] === doseTime;
  const c0 = route === 'iv-bolus' ? calcC0(clean.time, clean.conc, m, doseTime) : null;
  let added: NcaResult['addedDosePoint'] = null;
  let replaceFirst = false;
  if (route === 'iv-bolus') {
    if (c0 !== null && !hasDoseSample) added = { time: doseTime, conc: c0, reason: 'c0' };
    else if (c0 !== null && hasDoseSample && !(clean.conc[0]! > 0)) {
      added = { time: doseTime, conc: c0, reason: 'c0' };
      replaceFirst = true;
    }
  } else if (!hasDoseSample && m > 0) {
    if (steadyState) {
      let cmin = Infinity;
      for (let i = 0; i < m; i++) {
        if (clean.time[i]! <= doseTime + tau! + TIME_EPS && clean.conc[i]! < cmin) cmin = clean.conc[i]!;
      }
      added = { time: doseTime, conc: cmin === Infinity ? 0 : cmin, reason: 'cmin-interval' };
    } else added = { time: doseTime, conc: 0, reason: 'zero' };
  }
  const off = added && !replaceFirst ? 1 : 0;
  const w = m + off;
  const t = f64Buffer(Slot.WorkTime, w);
  const c = f64Buffer(Slot.WorkConc, w);
  const obs = u8Buffer(0, w);
  if (off) {
    t[0] = added!.time;
    c[0] = added!.conc;
  }
  obs[0] = 0;
  for (let i = 0; i < m; i++) {
    t[i + off] = clean.time[i]!;
    c[i + off] = clean.conc[i]!;
    obs[i + off] = 1;
  }
  if (replaceFirst) {
    c[0] = added!.conc;
    obs[0] = 0;
  }

  // ---- Cmax, Tmax, Tlast, Clast, Cmin, Tlag ----------------------------------------------------
  let iMax = -1;
  let iLast = -1;
  for (let i = 0; i < w; i++) {
    if (!obs[i]) continue;
    if (iMax < 0 || c[i]! > c[iMax]!) iMax = i;
    if (c[i]! > 0) iLast = i;
  }
  const cmax = iMax >= 0 ? c[iMax]! : null;
  const tmax = iMax >= 0 ? t[iMax]! : null;
  const tlast = iLast >= 0 ? t[iLast]! : null;
  const clast = iLast >= 0 ? c[iLast]! : null;
  const overallMin = observedMin(t, c, obs, w, -Infinity, Infinity);
  let tlag: number | null = null;
  if (route === 'extravascular') {
    // Tlag: time (since dose) of the sample before the first concentration > 0 (WinNonlin, NonCompart).
    for (let i = 0; i < w; i++) {
      if (c[i]! > 0) {
        tlag = i > 0 ? t[i - 1]! - doseTime : 0;
        break;
      }
    }
  }

  // ---- AUC, AUMC -------------------------------------------------------------------------------
  let auclast = 0;
  let aucall = 0;
  let aumclast = 0;
  for (let i = 0; i + 1 < w; i++) {
    const a = aucSegment(t[i]!, c[i]!, t[i + 1]!, c[i + 1]!, method);
    aucall += a;
    if (i + 1 <= iLast) {
      auclast += a;
      aumclast += aumcSegment(t[i]! - doseTime, c[i]!, t[i + 1]! - doseTime, c[i + 1]!, method);
    }
  }
  aucall += trailingBlqTriangle(profile, blqRules.last, iLast >= 0 ? t[iLast]! : null, iLast >= 0 ? c[iLast]! : null);

  // ---- λz ------------------------------------------------------------------------------------
  const lambdaZMethod = lambdaZMethodOf(options);
  let fit: LambdaZFit | null = null;
  let lambdaZNote: string | null = null;
  if (iMax < 0 || iLast < 0) lambdaZNote = notEstimable('no measurable concentration');
  else {
    const cand = i32Buffer(0, w);
    let nCand = 0;
    const choice = options.lambdaZ;
    const minHlPoints = options.minHlPoints ?? MIN_HL_POINTS;
    // Fitted points that count as terminal: strictly after Tmax (from Tmax for an IV bolus).
    const terminalFrom = route === 'iv-bolus' ? t[iMax]! : t[iMax]! + TIME_EPS * Math.max(1, Math.abs(t[iMax]!));
    if (choice && choice.kind === 'range') {
      const lo = choice.start - TIME_EPS * Math.max(1, Math.abs(choice.start));
      const hi = choice.end + TIME_EPS * Math.max(1, Math.abs(choice.end));
      for (let i = 0; i <= iLast; i++) if (obs[i] && c[i]! > 0 && t[i]! >= lo && t[i]! <= hi) cand[nCand++] = i;
      // The reviewer may include Tmax in a range, but it does not count towards the 3 terminal points.
      let after = 0;
      for (let k = 0; k < nCand; k++) if (t[cand[k]!]! >= terminalFrom) after++;
      const trial = nCand >= 2 ? fitLogLinear(t, c, cand, 0, nCand, 'manual-range') : null;
      const verdict = lambdaZEstimability(after, trial ? -trial.lambdaZ : null, minHlPoints);
      if (verdict.estimable) fit = trial;
      else lambdaZNote = notEstimable(`${verdict.reason} (the range holds ${nCand === 1 ? '1 measurable point' : `${nCand} measurable points`})`);
    } else {
      const excluded = choice && choice.kind === 'exclude' ? choice.times : [];
      const includeTmax = route === 'iv-bolus' || options.allowTmaxInHalfLife === true;
      for (let i = includeTmax ? iMax : iMax + 1; i <= iLast; i++) {
        if (!obs[i] || !(c[i]! > 0)) continue;
        let skip = false;
        for (let k = 0; k < excluded.length; k++) if (near(excluded[k]!, t[i]!)) skip = true;
        if (!skip) cand[nCand++] = i;
      }
      const k = selectBestFitCount(t, c, cand, nCand, {
        minHlPoints,
        adjRSquaredFactor: options.adjRSquaredFactor ?? 1e-4,
      });
      if (k > 0) fit = fitLogLinear(t, c, cand, nCand - k, k, lambdaZMethod, [...excluded]);
      else {
        // Either too few candidates, or no run of ≥ 3 last points declines.
        const v = lambdaZEstimability(nCand, null, minHlPoints);
        lambdaZNote = notEstimable(!v.estimable && nCand < minHlPoints ? v.reason : `no run of the last ≥ ${minHlPoints} points after Cmax declines (slope ≥ 0)`);
      }
    }
  }
  const lz = fit && fit.lambdaZ > 0 ? fit.lambdaZ : null;

  // ---- derived single-dose parameters ------------------------------------------------------------
  const halfLife = calcHalfLife(lz);
  const span = fit ? calcSpan(fit.lower, fit.upper, halfLife) : null;
  const clastPred = fit ? calcClastPred(fit.intercept, lz, tlast) : null;
  const tlastSinceDose = tlast === null ? null : tlast - doseTime;
  const aucinfObs = calcAucInf(auclast, clast, lz);
  const aucinfPred = calcAucInf(auclast, clastPred, lz);
  const aumcinfObs = calcAumcInf(aumclast, clast, tlastSinceDose, lz);
  const aumcinfPred = calcAumcInf(aumclast, clastPred, tlastSinceDose, lz);
  const isIv = route !== 'extravascular';
  let backExtrapArea: number | null = null;
  if (route === 'iv-bolus' && added && w > 1) backExtrapArea = aucSegment(t[0]!, c[0]!, t[1]!, c[1]!, method);

  // ---- dosing interval -------------------------------------------------------------------------
  let interval: NcaIntervalResult | null = null;
  if (tau !== undefined) {
    const end = doseTime + tau;
    const { cmin, tmin } = observedMin(t, c, obs, w, doseTime, end);
    let auctau: number | null = null;
    let aumctau: number | null = null;
    let ctau: number | null = null;
    let extrap = 0;
    if (iLast >= 0 && end <= t[iLast]! + TIME_EPS) {
      auctau = 0;
      aumctau = 0;
      let i = 0;
      for (; i + 1 < w && t[i + 1]! <= end + TIME_EPS; i++) {
        auctau += aucSegment(t[i]!, c[i]!, t[i + 1]!, c[i + 1]!, method);
        aumctau += aumcSegment(t[i]! - doseTime, c[i]!, t[i + 1]! - doseTime, c[i + 1]!, method);
      }
      if (near(t[i]!, end)) ctau = c[i]!;
      else {
        ctau = interpolateConc(t[i]!, c[i]!, t[i + 1]!, c[i + 1]!, end, method);
        auctau += aucSegment(t[i]!, c[i]!, end, ctau, method);
        aumctau += aumcSegment(t[i]! - doseTime, c[i]!, tau, ctau, method);
      }
    } else if (lz !== null && clast !== null && tlastSinceDose !== null) {
      const tail = exponentialTail(tlastSinceDose, clast, tau, lz);
      auctau = auclast + tail.auc;
      aumctau = aumclast + tail.aumc;
      ctau = tail.conc;
      extrap = tail.auc;
    }
    const cavg = calcCavg(auctau, tau);
    const clss = steadyState ? calcClearance(dose, auctau) : null;
    const mrtss = steadyState ? calcMrtSteadyState(aumctau, auctau, aucinfObs, tau, duration) : null;
    interval = {
      tau,
      steadyState,
      cmin,
      tmin,
      ctau,
      auctau,
      aumctau,
      auctauPctExtrap: auctau !== null && auctau > 0 ? (100 * extrap) / auctau : null,
      cavg,
      fluctuationPct: calcFluctuationPct(cmax, cmin, cavg),
      fluctuationPctTau: calcFluctuationPct(cmax, ctau, cavg),
      swing: calcSwing(cmax, cmin),
      swingTau: calcSwing(cmax, ctau),
      clss,
      vzss: steadyState ? calcVz(dose, lz, auctau) : null,
      accumulationIndex: calcAccumulationIndex(lz, tau),
      mrtss,
      vss: isIv ? calcVss(mrtss, clss) : null,
    };
  }

  const mrtinfObs = steadyState
    ? interval!.mrtss
    : calcMrt(aumcinfObs, aucinfObs, duration);
  const mrtinfPred = steadyState
    ? calcMrtSteadyState(interval!.aumctau, interval!.auctau, aucinfPred, tau!, duration)
    : calcMrt(aumcinfPred, aucinfPred, duration);
  const clObs = steadyState ? null : calcClearance(dose, aucinfObs);
  const clPred = steadyState ? null : calcClearance(dose, aucinfPred);

  const result: NcaResult = {
    route,
    aucMethod: method,
    dose,
    doseTime,
    nSamples: m,
    addedDosePoint: added,
    cmax,
    tmax,
    cmin: overallMin.cmin,
    tmin: overallMin.tmin,
    tlast,
    clast,
    tlag,
    c0,
    auclast,
    aucall,
    aumclast,
    lambdaZMethod,
    lambdaZ: fit,
    lambdaZNote,
    halfLife,
    span,
    clastPred,
    aucinfObs,
    aucinfPred,
    aucPctExtrapObs: calcPctExtrap(auclast, aucinfObs),
    aucPctExtrapPred: calcPctExtrap(auclast, aucinfPred),
    aucPctBackExtrapObs:
      backExtrapArea !== null && aucinfObs !== null ? (100 * backExtrapArea) / aucinfObs : null,
    aucPctBackExtrapPred:
      backExtrapArea !== null && aucinfPred !== null ? (100 * backExtrapArea) / aucinfPred : null,
    aumcinfObs,
    aumcinfPred,
    aumcPctExtrapObs: calcPctExtrap(aumclast, aumcinfObs),
    aumcPctExtrapPred: calcPctExtrap(aumclast, aumcinfPred),
    mrtlast: calcMrt(aumclast, auclast, duration),
    mrtinfObs,
    mrtinfPred,
    clObs,
    clPred,
    vzObs: steadyState ? null : calcVz(dose, lz, aucinfObs),
    vzPred: steadyState ? null : calcVz(dose, lz, aucinfPred),
    vssObs: isIv && !steadyState ? calcVss(mrtinfObs, clObs) : null,
    vssPred: isIv && !steadyState ? calcVss(mrtinfPred, clPred) : null,
    interval,
    parameters: [],
  };
  result.parameters = buildParameters(result, deriveUnits(options.units));
  return result;
}

/**
 * AUCall's trailing triangle (WinNonlin, PKNCA pk.calc.auc.all): when the BLQ rule for trailing samples
 * drops them ('drop'), the first BLQ sample after Tlast still closes AUCall at 0:
 * area = (t_BLQ − Tlast)·Clast/2. With 'zero' the sample is already in the profile; with 'lloq/2' it is
 * measurable. Samples not flagged BLQ (missing) never count.
 */
export function trailingBlqTriangle(profile: NcaProfile, lastRule: BlqOptions['last'], tlast: number | null, clast: number | null): number {
  if (lastRule !== 'drop' || tlast === null || clast === null || !profile.blq) return 0;
  for (let i = 0; i < profile.time.length; i++) {
    const ti = profile.time[i]!;
    if (ti > tlast && profile.blq[i] === true) return ((ti - tlast) * clast) / 2;
  }
  return 0;
}

interface ParamTemplate {
  code: PpTestCd;
  name: string;
  unit: string;
  factor: number;
  rawUnit: string;
  converted: boolean;
}

const templateCache = new WeakMap<UnitTable, Map<PpTestCd, ParamTemplate>>();

/** Code, name and unit of every parameter for one unit table (built once per unit table). */
function templatesFor(units: UnitTable): Map<PpTestCd, ParamTemplate> {
  let map = templateCache.get(units);
  if (!map) {
    map = new Map();
    for (const code of Object.keys(PP_TERMS) as PpTestCd[]) {
      const term = PP_TERMS[code];
      const u = units[term.kind];
      map.set(code, {
        code,
        name: term.name,
        unit: u.unit,
        factor: u.factor,
        rawUnit: u.expression,
        converted: u.factor !== 1 || u.unit !== u.expression,
      });
    }
    templateCache.set(units, map);
  }
  return map;
}

function param(tpl: ParamTemplate, value: number | null, reason: string | null): NcaParameter {
  const v = value === null || !Number.isFinite(value) ? null : value;
  const why = v === null && reason !== null && LAMBDA_Z_DEPENDENT.has(tpl.code) ? { reason } : {};
  if (!tpl.converted) return { PPTESTCD: tpl.code, name: tpl.name, value: v, unit: tpl.unit, ...why };
  return {
    ...why,
    PPTESTCD: tpl.code,
    name: tpl.name,
    value: v === null ? null : v * tpl.factor,
    unit: tpl.unit,
    rawValue: v,
    rawUnit: tpl.rawUnit,
  };
}

const perDose = (x: number | null, dose: number) => (x === null || !(dose > 0) ? null : x / dose);

/** The CDISC parameter list of a result (route- and steady-state-specific codes). */
export function buildParameters(r: NcaResult, units: UnitTable): NcaParameter[] {
  const ev = r.route === 'extravascular';
  const ss = r.interval?.steadyState === true;
  const f = r.lambdaZ;
  const out: NcaParameter[] = [];
  const tpl = templatesFor(units);
  // λz not estimable: its dependants are empty and say why (lambdaZ.ts lambdaZEstimability).
  const why = f ? null : r.lambdaZNote;
  const p = (code: PpTestCd, value: number | null) => out.push(param(tpl.get(code)!, value, why));
  p('CMAX', r.cmax);
  p('TMAX', r.tmax);
  p('CMIN', r.interval ? r.interval.cmin : r.cmin);
  p('TMIN', r.interval ? r.interval.tmin : r.tmin);
  p('TLST', r.tlast);
  p('CLST', r.clast);
  if (ev) p('TLAG', r.tlag);
  if (r.route === 'iv-bolus') p('C0', r.c0);
  p('CMAXD', perDose(r.cmax, r.dose));
  p('AUCLST', r.auclast);
  p('AUCALL', r.aucall);
  p('AUCLSTD', perDose(r.auclast, r.dose));
  p('AUMCLST', r.aumclast);
  p(ev ? 'MRTEVLST' : 'MRTIVLST', r.mrtlast);
  p('LAMZ', f ? f.lambdaZ : null);
  p('LAMZHL', r.halfLife);
  p('LAMZNPT', f ? f.nPoints : null);
  p('LAMZLL', f ? f.lower : null);
  p('LAMZUL', f ? f.upper : null);
  p('LAMZSPN', r.span);
  p('LAMZICPT', f ? f.intercept : null);
  p('R2', f ? f.r2 : null);
  p('R2ADJ', f ? f.adjR2 : null);
  p('CORRXY', f ? f.corrXY : null);
  p('CLSTP', r.clastPred);
  p('AUCIFO', r.aucinfObs);
  p('AUCIFP', r.aucinfPred);
  p('AUCIFOD', perDose(r.aucinfObs, r.dose));
  p('AUCIFPD', perDose(r.aucinfPred, r.dose));
  p('AUCPEO', r.aucPctExtrapObs);
  p('AUCPEP', r.aucPctExtrapPred);
  if (r.route === 'iv-bolus') {
    p('AUCPBEO', r.aucPctBackExtrapObs);
    p('AUCPBEP', r.aucPctBackExtrapPred);
  }
  p('AUMCIFO', r.aumcinfObs);
  p('AUMCIFP', r.aumcinfPred);
  p('AUMCPEO', r.aumcPctExtrapObs);
  p('AUMCPEP', r.aumcPctExtrapPred);
  p(ev ? 'MRTEVIFO' : 'MRTIVIFO', r.mrtinfObs);
  p(ev ? 'MRTEVIFP' : 'MRTIVIFP', r.mrtinfPred);
  if (!ss) {
    p(ev ? 'CLFO' : 'CLO', r.clObs);
    p(ev ? 'CLFP' : 'CLP', r.clPred);
    p(ev ? 'VZFO' : 'VZO', r.vzObs);
    p(ev ? 'VZFP' : 'VZP', r.vzPred);
    if (!ev) {
      p('VSSO', r.vssObs);
      p('VSSP', r.vssPred);
    }
  }
  const iv = r.interval;
  if (iv) {
    p('AUCTAU', iv.auctau);
    p('AUCTAUD', perDose(iv.auctau, r.dose));
    p('AUMCTAU', iv.aumctau);
    p('CTROUGH', iv.ctau);
    p('CAVG', iv.cavg);
    p('FLUCP', iv.fluctuationPct);
    p('FLUCPTAU', iv.fluctuationPctTau);
    p('SWING', iv.swing);
    p('SWINGTAU', iv.swingTau);
    p('AILAMZ', iv.accumulationIndex);
    if (ss) {
      p(ev ? 'CLFTAU' : 'CLTAU', iv.clss);
      p(ev ? 'VZFTAU' : 'VZTAU', iv.vzss);
      if (!ev) p('VSSO', iv.vss);
    }
  }
  return out;
}

/** Value of a parameter by CDISC code (converted units), or undefined when not reported. */
export function getParameter(r: NcaResult, code: string): NcaParameter | undefined {
  return r.parameters.find((x) => x.PPTESTCD === code);
}
