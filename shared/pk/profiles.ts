// Concentration-time profiles from SDTM PC and EX (+ VS/DM weight), one per subject × analyte
// (PCTESTCD) × dosing interval, ready for nca() (shared/nca). Pure: the core's queries hand in the
// records. The rules (docs/CLINICAL_RULES.md#pk-profiles, issue 3 "From a snapshot"):
//
// Dose (per EX record with EXDOSE > 0, sorted by EXSTDTC):
//   - amount in mg = EXDOSE converted from EXDOSU's mass unit (g, mg, ug, ng); when EXDOSU is per kg
//     ("mg/kg") it is multiplied by the subject's baseline body weight (baselineWeight below; the same
//     weight for every dose, as the demo protocol doses on the screening weight). Unknown unit or no
//     weight → amount unknown (dose-dependent parameters are then not reported).
//   - infusion duration = EXENDTC − EXSTDTC in hours when both carry a time and the difference is > 0,
//     else the study definition's pk.infusionDurationH.
//   - route from EXROUTE: "...BOLUS"/"...PUSH" → iv-bolus; INTRAVENOUS → iv-infusion (iv-bolus when no
//     duration is known); any other route → extravascular; EXROUTE empty → the study definition's route.
//   - cycle = n of "CYCLE n" in EX VISIT, else the dose's ordinal number.
// Reference dose and time since dose of each PC sample (first rule that applies):
//   1. PCRFTDTC (with a time): actual time = PCDTC − PCRFTDTC; the dose is the EX dose nearest to
//      PCRFTDTC (within 12 h).
//   2. PCELTM (ISO 8601 duration): the dose is the EX dose nearest to PCDTC − PCELTM (within 12 h) and
//      actual time = PCDTC − its EXSTDTC; without PCDTC the actual time is PCELTM itself.
//   3. Neither: derived from EX — the latest dose started at or before PCDTC, unless a dose starts
//      within PREDOSE_WINDOW_H after PCDTC (then the sample is that dose's pre-dose sample).
//   Nominal time = PCELTM in hours, else PCTPTNUM (taken as hours, as IBB0979 codes it), else none.
//   Actual time needs a time of day on both clocks; where one is missing the sample has no actual time
//   (PkPoint.actualNote says why) and the actual-time basis uses its nominal time — the core reports
//   which subjects and samples fell back (never silently).
// Specimen (matrix): a profile is one subject × analyte (PCTESTCD) × matrix (PCSPEC, upper-cased; ''
// when not given). Plasma, serum and blood samples are never mixed with urine (matrixOf, chooseMatrix).
// Intervals: 'single' = the first dose (cycle 1 day 1); 'steady' = the chosen cycle, by default the
// latest later dose whose interval holds ≥ 3 measurable post-dose concentrations (the sampled later
// cycle). tau = the study definition's pk.tauH, else the consistent spacing of repeated EX doses
// (tauFromEx), else unknown — and then no steady-state or tau parameter is computed (never invented).
// BLQ: shared/pk/concentration.ts.

import type { NcaProfile, Route } from '../nca/types';
import { parseDoseUnit } from '../nca/units';
import { toDayNumber } from '../dates';
import { parseConcentration } from './concentration';
import { cachedParsers, DIRECT_PARSERS, dtcToClock, hoursBetween, type ClockTime, type TimeParsers } from './times';

export type PkInterval = 'single' | 'steady';
export type TimeBasis = 'actual' | 'nominal';
export type TimeSource = 'PCRFTDTC' | 'PCELTM' | 'EX';

export interface PcRecord {
  usubjid: string;
  pctestcd: string;
  /** PCSPEC (PLASMA, SERUM, URINE …); null/absent when not given. */
  pcspec?: string | null;
  pcstresn: number | null;
  pcstresc: string | null;
  pcstresu: string | null;
  pclloq: number | null;
  pcdtc: string | null;
  pcrftdtc: string | null;
  pceltm: string | null;
  pctptnum: number | null;
  visit?: string | null;
}

export interface ExRecord {
  usubjid: string;
  exdose: number | null;
  exdosu: string | null;
  exstdtc: string | null;
  exendtc: string | null;
  exroute: string | null;
  visit?: string | null;
}

export interface WeightRecord {
  usubjid: string;
  weightKg: number;
  dtc: string | null;
  /** VSBLFL = 'Y'. */
  baseline: boolean;
  source: 'VS' | 'DM' | 'SUPPDM';
}

/** The study definition's PK dosing details (shared/study.ts PkDosing) and cycle length. */
export interface PkDosingDefaults {
  route: Route;
  infusionDurationH?: number;
  tauH?: number;
  cycleLengthDays?: number;
}

/** A pre-dose sample may be taken up to this long before the dose it belongs to (rule 3). */
export const PREDOSE_WINDOW_H = 2;
/** A reference time (PCRFTDTC or PCDTC − PCELTM) matches an EX dose within this many hours. */
export const DOSE_MATCH_H = 12;

export interface PkDose {
  index: number;
  cycle: number;
  exstdtc: string | null;
  exdose: number | null;
  exdosu: string | null;
  /** Amount given in mg, or null when it cannot be derived. */
  doseMg: number | null;
  route: Route;
  infusionDurationH: number | null;
  durationSource: 'EX' | 'study' | null;
  notes: string[];
}

export interface PkPoint {
  /** Hours since the reference dose (PCDTC − dose time); null when not derivable. */
  actualH: number | null;
  /** Planned hours since the reference dose (PCELTM, else PCTPTNUM). */
  nominalH: number | null;
  conc: number | null;
  blq: boolean;
  lloq: number | null;
  pcdtc: string | null;
  timeSource: TimeSource;
  /** Why there is no actual time (e.g. "EXSTDTC 2025-03-03 has no time of day"), or null. */
  actualNote: string | null;
}

export interface PkProfile {
  usubjid: string;
  analyte: string;
  /** PCSPEC of the profile's samples, upper-cased ('' = not given). */
  matrix: string;
  interval: PkInterval;
  dose: PkDose;
  weightKg: number | null;
  weightSource: string | null;
  concUnit: string;
  tauH: number | null;
  /** Samples referring to this dose, sorted by time since dose. */
  points: PkPoint[];
  notes: string[];
}

/** Baseline weight (kg) for mg/kg dosing: VS WEIGHT flagged VSBLFL = 'Y' on/before the first dose date;
 *  without a flag, the last VS WEIGHT dated on/before the first dose date; else DM or SUPPDM WEIGHT. */
export function baselineWeight(weights: readonly WeightRecord[], firstDoseDtc: string | null): { kg: number; source: string } | null {
  const firstDay = toDayNumber(firstDoseDtc);
  const vs = weights
    .filter((w) => w.source === 'VS' && w.weightKg > 0)
    .map((w) => ({ w, day: toDayNumber(w.dtc) }))
    .filter((x) => firstDay === null || x.day === null || x.day <= firstDay);
  const latest = (xs: typeof vs) => xs.reduce<(typeof vs)[number] | null>((a, x) => (a === null || (x.day ?? -Infinity) >= (a.day ?? -Infinity) ? x : a), null);
  const flagged = latest(vs.filter((x) => x.w.baseline));
  if (flagged) return { kg: flagged.w.weightKg, source: `VS WEIGHT (VSBLFL=Y, ${flagged.w.dtc ?? 'no date'})` };
  const last = latest(vs);
  if (last) return { kg: last.w.weightKg, source: `VS WEIGHT (${last.w.dtc ?? 'no date'}, last on/before first dose)` };
  const dm = weights.find((w) => (w.source === 'DM' || w.source === 'SUPPDM') && w.weightKg > 0);
  return dm ? { kg: dm.weightKg, source: `${dm.source} WEIGHT` } : null;
}

/** Dose amount in mg: EXDOSE in a mass unit, × weight when per kg (parseDoseUnit, shared/nca/units.ts). */
export function doseInMg(exdose: number | null, exdosu: string | null, weightKg: number | null): { mg: number | null; note: string | null } {
  if (exdose === null || !Number.isFinite(exdose)) return { mg: null, note: 'EXDOSE missing' };
  const u = parseDoseUnit(exdosu ?? '');
  if (!u) return { mg: null, note: `dose unit ${JSON.stringify(exdosu ?? '')} is not a mass or mass/kg` };
  const mg = (exdose * u.massG) / 1e-3;
  if (!u.perKg) return { mg: Number(mg.toPrecision(12)), note: null };
  if (weightKg === null) return { mg: null, note: `dose is ${exdosu} but no body weight is known` };
  return { mg: Number((mg * weightKg).toPrecision(12)), note: null };
}

/** Route of one EX record (rules above). */
export function routeOf(exroute: string | null, durationH: number | null, defaults: PkDosingDefaults): Route {
  const r = (exroute ?? '').trim().toUpperCase();
  if (r === '') return defaults.route === 'iv-infusion' && !(durationH && durationH > 0) ? 'iv-bolus' : defaults.route;
  if (/BOLUS|PUSH/.test(r)) return 'iv-bolus';
  if (/INTRAVENOUS|^IV\b/.test(r)) return durationH && durationH > 0 ? 'iv-infusion' : 'iv-bolus';
  return 'extravascular';
}

/** Cycle number from a VISIT label ("CYCLE 3 DAY 1" → 3), or null. */
export function cycleOfVisit(visit: string | null | undefined): number | null {
  const m = /CYCLE\s*(\d+)/i.exec(visit ?? '');
  return m ? Number(m[1]) : null;
}

/** Dosing interval tau in hours as handed in (pk.tauH or tauFromEx); never derived from the cycle length. */
export function tauOf(defaults: PkDosingDefaults): number | null {
  return defaults.tauH && defaults.tauH > 0 ? defaults.tauH : null;
}

/** The matrix key of a PCSPEC value: trimmed and upper-cased, '' when not given. */
export function matrixOf(pcspec: string | null | undefined): string {
  return (pcspec ?? '').trim().toUpperCase();
}

/** Urine (and other excreta collected over intervals) are analysed as amounts excreted, not by NCA. */
export function isExcretaMatrix(matrix: string): boolean {
  return /URINE|FAECES|FECES|STOOL/.test(matrix);
}

/** Circulating matrices in order of preference when the study definition names none. */
export const DEFAULT_MATRICES = ['PLASMA', 'SERUM', 'BLOOD', 'WHOLE BLOOD'] as const;

/**
 * The matrix analysed for one analyte: the study definition's pk.matrix when the analyte has samples in
 * it; else PLASMA, SERUM, BLOOD, WHOLE BLOOD (the first present); else the only non-excreta matrix
 * present (including '' = PCSPEC not given); else the first matrix present (an excreta matrix: then
 * the view shows amounts excreted, not NCA). Null when the analyte has no sample.
 */
export function chooseMatrix(present: readonly string[], wanted?: string | null): string | null {
  if (present.length === 0) return null;
  const w = wanted ? matrixOf(wanted) : null;
  if (w !== null && present.includes(w)) return w;
  for (const m of DEFAULT_MATRICES) if (present.includes(m)) return m;
  const circulating = present.filter((m) => !isExcretaMatrix(m));
  if (circulating.length > 0) return [...circulating].sort()[0]!;
  return [...present].sort()[0]!;
}

export interface TauFromEx {
  /** Hours, or null when EX gives no consistent spacing. */
  tauH: number | null;
  /** Number of intervals between consecutive doses seen. */
  gaps: number;
  /** Why there is no tau, or how it was found. */
  note: string;
}

/**
 * Dosing interval from EX: the spacing of consecutive doses (EXDOSE > 0) of each subject, when every
 * spacing in the study is the same (within 1 h when EXSTDTC carries times, the same number of days when
 * it carries dates only). A single-dose study, or spacings that differ (a delayed cycle), give no tau:
 * the study definition's pk.tauH is then needed. Dates without a time compare whole days (× 24 h).
 */
export function tauFromEx(ex: readonly ExRecord[]): TauFromEx {
  const by = groupBy(
    ex.filter((e) => e.exdose !== null && e.exdose > 0 && dtcToClock(e.exstdtc) !== null),
    (e) => e.usubjid,
  );
  const gaps: number[] = [];
  for (const rows of by.values()) {
    const clocks = rows.map((e) => dtcToClock(e.exstdtc)!).sort((a, b) => a.minutes - b.minutes);
    for (let i = 1; i < clocks.length; i++) {
      const a = clocks[i - 1]!;
      const b = clocks[i]!;
      // Without a time of day on both, only whole days are known.
      const h = a.hasTime && b.hasTime ? (b.minutes - a.minutes) / 60 : Math.round((b.hours - a.hours) / 24) * 24;
      if (h > 0) gaps.push(h);
    }
  }
  if (gaps.length === 0) return { tauH: null, gaps: 0, note: 'EX has no repeated dose (single-dose sampling): the dosing interval is unknown' };
  const min = Math.min(...gaps);
  const max = Math.max(...gaps);
  if (max - min <= 1) {
    const tauH = Math.round(((min + max) / 2) * 60) / 60;
    return { tauH, gaps: gaps.length, note: `from EX: all ${gaps.length} spacing(s) between consecutive doses are ${Number(tauH.toPrecision(6))} h` };
  }
  const days = countBy(gaps.map((g) => `${Number((g / 24).toPrecision(4))} d`));
  return { tauH: null, gaps: gaps.length, note: `EX dose spacing varies (${days}): the dosing interval is not taken from EX` };
}

function countBy(xs: readonly string[]): string {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ×${n}`).join(', ');
}

export interface DoseClock extends PkDose {
  start: ClockTime | null;
}

export function buildDoses(ex: readonly ExRecord[], weightKg: number | null, defaults: PkDosingDefaults, parse: TimeParsers = DIRECT_PARSERS): DoseClock[] {
  const given = ex
    .filter((e) => e.exdose !== null && e.exdose > 0 && parse.clock(e.exstdtc) !== null)
    .map((e) => ({ e, start: parse.clock(e.exstdtc)! }))
    .sort((a, b) => a.start.hours - b.start.hours);
  return given.map(({ e, start }, index) => {
    const notes: string[] = [];
    const exDur = hoursBetween(start, parse.clock(e.exendtc));
    let duration: number | null = null;
    let durationSource: PkDose['durationSource'] = null;
    if (exDur !== null && exDur > 0) {
      duration = exDur;
      durationSource = 'EX';
    } else if (defaults.infusionDurationH && defaults.infusionDurationH > 0) {
      duration = defaults.infusionDurationH;
      durationSource = 'study';
    }
    const route = routeOf(e.exroute, duration, defaults);
    if (route === 'iv-bolus' && defaults.route === 'iv-infusion' && !/BOLUS|PUSH/i.test(e.exroute ?? '')) notes.push('no infusion duration (EXENDTC or study pk.infusionDurationH): analysed as IV bolus');
    const amount = doseInMg(e.exdose, e.exdosu, weightKg);
    if (amount.note) notes.push(amount.note);
    return {
      index,
      cycle: cycleOfVisit(e.visit) ?? index + 1,
      exstdtc: e.exstdtc,
      exdose: e.exdose,
      exdosu: e.exdosu,
      doseMg: amount.mg,
      route,
      infusionDurationH: route === 'iv-infusion' ? duration : null,
      durationSource: route === 'iv-infusion' ? durationSource : null,
      notes,
      start,
    };
  });
}

function nearestDose(doses: readonly DoseClock[], hours: number): number {
  let best = -1;
  let bestD = Infinity;
  for (const d of doses) {
    const dist = Math.abs(d.start!.hours - hours);
    if (dist < bestD) {
      bestD = dist;
      best = d.index;
    }
  }
  return bestD <= DOSE_MATCH_H ? best : -1;
}

/** Rule 3: the latest dose at/before the sample, or the next dose when the sample is within its pre-dose window. */
function derivedDose(doses: readonly DoseClock[], hours: number): number {
  let idx = -1;
  for (const d of doses) if (d.start!.hours <= hours) idx = d.index;
  const next = doses[idx + 1];
  if (next && next.start!.hours - hours <= PREDOSE_WINDOW_H) return next.index;
  return idx >= 0 ? idx : doses.length > 0 ? 0 : -1;
}

interface Assigned {
  dose: number;
  point: PkPoint;
}

/** Reference dose and times of one sample (rules 1-3 above); dose −1 when it cannot be placed. */
export function placeSample(pc: PcRecord, doses: readonly DoseClock[], parse: TimeParsers = DIRECT_PARSERS): Assigned {
  const sampled = parse.clock(pc.pcdtc);
  const eltm = parse.duration(pc.pceltm);
  const nominalH = eltm ?? (pc.pctptnum !== null && Number.isFinite(pc.pctptnum) ? pc.pctptnum : null);
  const c = parseConcentration(pc.pcstresn, pc.pcstresc, pc.pclloq);
  const base = { nominalH, conc: c.conc, blq: c.blq, lloq: c.lloq, pcdtc: pc.pcdtc };
  const noPcTime = !pc.pcdtc ? 'no PCDTC' : !sampled ? `PCDTC ${pc.pcdtc} is not a complete date` : !sampled.hasTime ? `PCDTC ${pc.pcdtc} has no time of day` : null;
  const ref = parse.clock(pc.pcrftdtc);
  if (ref && ref.hasTime) {
    const actualH = hoursBetween(ref, sampled);
    return { dose: nearestDose(doses, ref.hours), point: { ...base, actualH, timeSource: 'PCRFTDTC', actualNote: actualH === null ? noPcTime : null } };
  }
  if (eltm !== null) {
    if (sampled && sampled.hasTime) {
      const dose = nearestDose(doses, sampled.hours - eltm);
      const start = dose >= 0 ? doses[dose]!.start : null;
      const actualH = dose >= 0 ? hoursBetween(start, sampled) : null;
      const note = actualH === null && dose >= 0 ? `EXSTDTC ${doses[dose]!.exstdtc ?? ''} has no time of day` : null;
      return { dose, point: { ...base, actualH, timeSource: 'PCELTM', actualNote: note } };
    }
    // Without a sampling time only the planned time is known: no actual time (the basis falls back, and says so).
    const byCycle = cycleOfVisit(pc.visit);
    const dose = byCycle !== null ? (doses.find((d) => d.cycle === byCycle)?.index ?? -1) : doses.length > 0 ? 0 : -1;
    return { dose, point: { ...base, actualH: null, timeSource: 'PCELTM', actualNote: noPcTime } };
  }
  if (sampled) {
    const dose = derivedDose(doses, sampled.hours);
    const actualH = dose >= 0 ? hoursBetween(doses[dose]!.start, sampled) : null;
    const note = actualH !== null || dose < 0 ? null : (noPcTime ?? `EXSTDTC ${doses[dose]!.exstdtc ?? ''} has no time of day`);
    return { dose, point: { ...base, actualH, timeSource: 'EX', actualNote: note } };
  }
  return { dose: -1, point: { ...base, actualH: null, timeSource: 'EX', actualNote: noPcTime } };
}

const sortKey = (p: PkPoint) => p.actualH ?? p.nominalH ?? Infinity;

function measurablePostDose(points: readonly PkPoint[]): number {
  let n = 0;
  for (const p of points) if (!p.blq && p.conc !== null && p.conc > 0 && (p.actualH ?? p.nominalH ?? -1) > 0) n++;
  return n;
}

export interface BuildProfilesOptions {
  /** Only this PCTESTCD (default: every analyte). */
  analyte?: string;
  /** Only samples of this matrix (matrixOf(PCSPEC); default: every matrix, each its own profile). */
  matrix?: string;
  /** Cycle of the steady-state profile (default: the latest sampled later cycle). */
  steadyCycle?: number;
}

/**
 * Every profile (single dose and, where sampled, steady state) of every subject × analyte.
 * `ex` and `weights` may hold any subjects; PC records without a matching dose are reported in
 * `unplaced` (count per subject).
 */
export function buildProfiles(
  pc: readonly PcRecord[],
  ex: readonly ExRecord[],
  weights: readonly WeightRecord[],
  defaults: PkDosingDefaults,
  options: BuildProfilesOptions = {},
): { profiles: PkProfile[]; unplaced: { usubjid: string; analyte: string; matrix: string; count: number }[] } {
  const exBy = groupBy(ex, (e) => e.usubjid);
  const wBy = groupBy(weights, (w) => w.usubjid);
  const wanted = pc.filter((r) => (options.analyte === undefined || r.pctestcd === options.analyte) && (options.matrix === undefined || matrixOf(r.pcspec) === options.matrix));
  const pcBy = groupBy(wanted, (r) => r.usubjid);
  const tau = tauOf(defaults);
  // Each distinct date-time and duration text is parsed once for the whole build.
  const parse = cachedParsers();
  const profiles: PkProfile[] = [];
  const unplaced: { usubjid: string; analyte: string; matrix: string; count: number }[] = [];
  for (const [usubjid, samples] of pcBy) {
    const subjectEx = exBy.get(usubjid) ?? [];
    const firstDtc = [...subjectEx].filter((e) => e.exdose !== null && e.exdose > 0 && e.exstdtc).sort((a, b) => (a.exstdtc! < b.exstdtc! ? -1 : 1))[0]?.exstdtc ?? null;
    const weight = baselineWeight(wBy.get(usubjid) ?? [], firstDtc);
    const doses = buildDoses(subjectEx, weight?.kg ?? null, defaults, parse);
    for (const [key, rows] of groupBy(samples, (r) => `${r.pctestcd}\u0000${matrixOf(r.pcspec)}`)) {
      const [analyte, matrix] = key.split('\u0000') as [string, string];
      const byDose = new Map<number, PkPoint[]>();
      let lost = 0;
      let unit = '';
      for (const r of rows) {
        if (!unit && r.pcstresu) unit = r.pcstresu;
        const a = placeSample(r, doses, parse);
        if (a.dose < 0) {
          lost++;
          continue;
        }
        let list = byDose.get(a.dose);
        if (!list) byDose.set(a.dose, (list = []));
        list.push(a.point);
      }
      if (lost > 0) unplaced.push({ usubjid, analyte, matrix, count: lost });
      for (const list of byDose.values()) list.sort((a, b) => sortKey(a) - sortKey(b));
      const make = (interval: PkInterval, idx: number): PkProfile => {
        const { start: _start, ...dose } = doses[idx]!;
        void _start;
        return {
          usubjid,
          analyte,
          matrix,
          interval,
          dose,
          weightKg: weight?.kg ?? null,
          weightSource: weight?.source ?? null,
          concUnit: unit,
          tauH: tau,
          points: byDose.get(idx) ?? [],
          notes: [...dose.notes],
        };
      };
      if (byDose.has(0)) profiles.push(make('single', 0));
      let steady = -1;
      if (options.steadyCycle !== undefined) {
        steady = doses.find((d) => d.index > 0 && d.cycle === options.steadyCycle && byDose.has(d.index))?.index ?? -1;
      } else {
        for (const d of doses) if (d.index > 0 && measurablePostDose(byDose.get(d.index) ?? []) >= 3) steady = d.index;
      }
      if (steady > 0) profiles.push(make('steady', steady));
    }
  }
  return { profiles, unplaced };
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    let l = m.get(k);
    if (!l) m.set(k, (l = []));
    l.push(x);
  }
  return m;
}

// ---- from a profile to nca() input -------------------------------------------------------------

export interface NcaInput {
  /** null when the profile has no usable sample or no dose amount is needed but the route is invalid. */
  profile: NcaProfile | null;
  /** For each point of the profile: its time on the chosen basis as used by NCA, or why it was left out. */
  used: ({ time: number } | { dropped: string })[];
  /** Whether the dose amount was unknown (nca ran with dose 1; dose-dependent parameters must be dropped). */
  doseUnknown: boolean;
  lloq: number | null;
}

/**
 * The nca() input of a profile on one time basis (actual falls back to nominal per point and vice
 * versa). Pre-dose samples (time ≤ 0): only the last one is used, placed at the dose time (t = 0) —
 * at steady state it is the trough that starts the interval; before the first dose it is used only
 * when measurable (a BLQ pre-dose sample adds nothing: nca() puts 0 at the dose time). Two samples at
 * the same time: the first is used. The single-dose profile also gets tau (steadyState false) so
 * that its AUCtau is available for the accumulation ratio.
 */
export function toNcaInput(p: PkProfile, basis: TimeBasis): NcaInput {
  const used: NcaInput['used'] = p.points.map(() => ({ dropped: 'no time' }));
  const cand: { i: number; t: number }[] = [];
  let pre: { i: number; t: number } | null = null;
  p.points.forEach((pt, i) => {
    const t = basis === 'actual' ? (pt.actualH ?? pt.nominalH) : (pt.nominalH ?? pt.actualH);
    if (t === null) return;
    if (t <= 0) {
      if (pre && pre.t > t) used[i] = { dropped: 'earlier pre-dose sample' };
      else {
        if (pre) used[pre.i] = { dropped: 'earlier pre-dose sample' };
        pre = { i, t };
      }
      return;
    }
    cand.push({ i, t });
  });
  if (pre !== null) {
    const pt = p.points[(pre as { i: number }).i]!;
    const measurable = !pt.blq && pt.conc !== null && pt.conc > 0;
    if (p.dose.index > 0 || measurable) cand.push({ i: (pre as { i: number }).i, t: 0 });
    else used[(pre as { i: number }).i] = { dropped: 'pre-dose before the first dose, not measurable (0 at dose time)' };
  }
  cand.sort((a, b) => a.t - b.t);
  const time: number[] = [];
  const conc: (number | null)[] = [];
  const blq: boolean[] = [];
  let lloq: number | null = null;
  for (const c of cand) {
    if (time.length > 0 && Math.abs(time[time.length - 1]! - c.t) < 1e-9) {
      used[c.i] = { dropped: 'duplicate time' };
      continue;
    }
    const pt = p.points[c.i]!;
    time.push(c.t);
    conc.push(pt.conc);
    blq.push(pt.blq);
    if (pt.lloq !== null) lloq = lloq === null ? pt.lloq : Math.max(lloq, pt.lloq);
    used[c.i] = { time: c.t };
  }
  if (time.length === 0) return { profile: null, used, doseUnknown: p.dose.doseMg === null, lloq };
  const steady = p.interval === 'steady';
  const profile: NcaProfile = {
    time,
    conc,
    blq,
    dose: p.dose.doseMg ?? 1,
    doseTime: 0,
    route: p.dose.route,
    ...(p.dose.route === 'iv-infusion' ? { duration: p.dose.infusionDurationH ?? undefined } : {}),
    ...(p.tauH !== null ? { tau: p.tauH, steadyState: steady } : {}),
  };
  return { profile, used, doseUnknown: p.dose.doseMg === null, lloq };
}

/** PPTESTCDs that need the dose amount (dropped when it is unknown). */
export const DOSE_DEPENDENT_CODES: ReadonlySet<string> = new Set([
  'CMAXD', 'AUCLSTD', 'AUCIFOD', 'AUCIFPD', 'AUCTAUD', 'CLO', 'CLP', 'CLFO', 'CLFP', 'VZO', 'VZP', 'VZFO', 'VZFP',
  'VSSO', 'VSSP', 'CLTAU', 'CLFTAU', 'VZTAU', 'VZFTAU',
]);

export interface TimeFallback {
  usubjid: string;
  /** Samples placed on nominal time on the actual-time basis. */
  samples: number;
  /** Why their actual time is unknown (distinct reasons, first few). */
  reasons: string[];
}

/**
 * Per subject, the samples whose actual time is unknown but whose nominal time is known: on the
 * actual-time basis they are placed at their nominal time, and the view says so.
 */
export function timeFallbacks(profiles: readonly PkProfile[]): TimeFallback[] {
  const by = new Map<string, { samples: number; reasons: Set<string> }>();
  for (const p of profiles) {
    for (const pt of p.points) {
      if (pt.actualH !== null || pt.nominalH === null) continue;
      let e = by.get(p.usubjid);
      if (!e) by.set(p.usubjid, (e = { samples: 0, reasons: new Set() }));
      e.samples++;
      if (e.reasons.size < 3) e.reasons.add(pt.actualNote ?? 'no actual time');
    }
  }
  return [...by].sort((a, b) => a[0].localeCompare(b[0])).map(([usubjid, e]) => ({ usubjid, samples: e.samples, reasons: [...e.reasons] }));
}
