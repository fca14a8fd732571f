// RECIST 1.1 tumour response (Eisenhauer EA et al., Eur J Cancer 2009;45:228–247), as summarised with
// sources in docs/CLINICAL_RULES.md#recist, and best overall response as implemented by
// pharmaverse/admiralonco (derive_param_bor, derive_param_confirmed_bor).
// Pure functions. Diameters in mm; dates are ISO 8601 complete dates or day numbers.

import { clopperPearson, type BinomialCI } from './binomial';
import { toDayNumber } from './dates';

// ---------------------------------------------------------------------------------------------
// Target lesions: sum of diameters, % change, target-lesion response
// ---------------------------------------------------------------------------------------------

export interface TargetLesionMeasurement {
  /** TULNKID / TRLNKID, for messages. */
  id?: string;
  /** Pathological lymph node: measured by its short axis; otherwise by its longest diameter. */
  nodal: boolean;
  /** Longest diameter in mm (non-nodal lesions; TRTESTCD LDIAM). 0 = disappeared. */
  longestDiameter?: number | null;
  /** Short axis in mm (lymph nodes; TRTESTCD SAXIS / LPERP). */
  shortAxis?: number | null;
}

/** The measurement RECIST 1.1 uses for one target lesion: short axis for nodes, longest diameter otherwise. */
export function lesionDiameter(lesion: TargetLesionMeasurement): number | null {
  const v = lesion.nodal ? lesion.shortAxis : lesion.longestDiameter;
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null;
}

/**
 * Sum of diameters of the target lesions (RECIST 1.1 §4.3.1, docs/CLINICAL_RULES.md#recist "Sum of diameters"):
 * longest diameter of each non-nodal lesion plus short axis of each pathological node.
 * null when any target lesion was not measured (the time point is then NE, RECIST 1.1 §4.4.2).
 */
export function sumOfDiameters(lesions: readonly TargetLesionMeasurement[]): number | null {
  if (lesions.length === 0) return null;
  let sum = 0;
  for (const l of lesions) {
    const d = lesionDiameter(l);
    if (d === null) return null;
    sum += d;
  }
  return sum;
}

/** % change of `value` from `reference`: 100 · (value − reference) / reference (null if undefined). */
export function percentChange(value: number | null, reference: number | null): number | null {
  if (value === null || reference === null || reference === 0) return null;
  return (100 * (value - reference)) / reference;
}

export interface SumSeriesPoint {
  sum: number | null;
  /** Smallest sum before this assessment, baseline included (RECIST 1.1 PD reference; baseline: itself). */
  nadir: number | null;
  pctFromBaseline: number | null;
  pctFromNadir: number | null;
}

/**
 * % change from baseline and from nadir for a series of sums (index 0 = baseline). The nadir for
 * assessment k is the smallest sum recorded before k, including baseline ("smallest sum on study",
 * RECIST 1.1 §4.3.1); not-measured sums (null) are skipped.
 */
export function percentChangeSeries(sums: readonly (number | null)[]): SumSeriesPoint[] {
  const baseline = sums[0] ?? null;
  let nadir: number | null = null;
  return sums.map((sum, k) => {
    const ref = k === 0 ? sum : nadir;
    const point: SumSeriesPoint = {
      sum,
      nadir: ref,
      pctFromBaseline: percentChange(sum, baseline),
      pctFromNadir: k === 0 ? (sum === null ? null : 0) : percentChange(sum, ref),
    };
    if (sum !== null && (nadir === null || sum < nadir)) nadir = sum;
    return point;
  });
}

export type TargetResponse = 'CR' | 'PR' | 'SD' | 'PD' | 'NE';

/** Relative tolerance for the 30 % / 20 % thresholds on decimal measurements. */
const REL_TOL = 1e-9;

/**
 * Target-lesion response at one time point (RECIST 1.1 §4.3.1 "Evaluation of target lesions"):
 *   CR: all non-nodal target lesions disappeared and every target node < 10 mm short axis
 *       (without lesion detail: sum = 0);
 *   PD: sum >= 1.2 × nadir AND sum − nadir >= 5 mm (nadir = smallest previous sum, baseline included);
 *   PR: sum <= 0.7 × baseline (at least 30 % decrease);
 *   SD: otherwise; NE when the sum is not available (not all lesions measured).
 */
export function targetLesionResponse(args: {
  baselineSum: number;
  nadirSum: number;
  currentSum: number | null;
  /** Current measurements, needed for CR when nodal target lesions exist. */
  lesions?: readonly TargetLesionMeasurement[];
}): TargetResponse {
  const { baselineSum, nadirSum } = args;
  const isPd = (sum: number) => sum - nadirSum >= 5 - REL_TOL && sum >= 1.2 * nadirSum * (1 - REL_TOL);
  let current = args.currentSum;
  if (args.lesions) {
    current = sumOfDiameters(args.lesions);
    if (current === null) {
      // Not all lesions measured: NE, unless the measured ones alone already make PD
      // (the missing lesions cannot change a PD; RECIST 1.1 §4.4.2 "Missing assessments and inevaluable designation").
      const measured = args.lesions.reduce((s, l) => s + (lesionDiameter(l) ?? 0), 0);
      return isPd(measured) ? 'PD' : 'NE';
    }
  }
  if (current === null || !Number.isFinite(current)) return 'NE';
  const allGone = args.lesions
    ? args.lesions.every((l) => {
        const d = lesionDiameter(l)!;
        return l.nodal ? d < 10 : d === 0;
      })
    : current === 0;
  if (allGone) return 'CR';
  if (isPd(current)) return 'PD';
  if (current <= 0.7 * baselineSum * (1 + REL_TOL)) return 'PR';
  return 'SD';
}

// ---------------------------------------------------------------------------------------------
// Time-point (overall) response: RECIST 1.1 Table 1 (target ± non-target) and Table 2 (non-target only)
// ---------------------------------------------------------------------------------------------

export type NonTargetResponse = 'CR' | 'NON-CR/NON-PD' | 'PD' | 'NE';
export type OverallResponse = 'CR' | 'PR' | 'SD' | 'NON-CR/NON-PD' | 'PD' | 'NE';

/**
 * Overall response at a time point (RECIST 1.1 §4.4.1 Table 1 and Table 2; non-target disease only:
 * CR, NON-CR/NON-PD, NE or PD).
 * @param target target-lesion response, or null when the patient has no target lesions at baseline
 * @param nonTarget non-target response, or null when there is no non-target disease at baseline
 * @param newLesions true = unequivocal new lesion; null = not assessed (an otherwise non-PD time point is NE)
 */
export function timePointResponse(args: {
  target: TargetResponse | null;
  nonTarget: NonTargetResponse | null;
  newLesions: boolean | null;
}): OverallResponse {
  const { target, nonTarget, newLesions } = args;
  // Rows "PD | Any", "Any | PD", "Any | Any | Yes" → PD.
  if (target === 'PD' || nonTarget === 'PD' || newLesions === true) return 'PD';
  if (target === null && nonTarget === null) return 'NE'; // no measurable or evaluable disease
  if (newLesions === null) return 'NE';
  if (target === null) {
    // Non-target disease only: CR / Non-CR/non-PD / NE.
    return nonTarget === 'CR' ? 'CR' : nonTarget === 'NON-CR/NON-PD' ? 'NON-CR/NON-PD' : 'NE';
  }
  switch (target) {
    case 'CR':
      // CR|CR → CR; CR|Non-CR/non-PD → PR; CR|NE → PR. No non-target disease counts as CR.
      return nonTarget === null || nonTarget === 'CR' ? 'CR' : 'PR';
    case 'PR':
      return 'PR'; // PR | non-PD or not all evaluated
    case 'SD':
      return 'SD'; // SD | non-PD or not all evaluated
    default:
      return 'NE'; // not all evaluated | non-PD
  }
}

// ---------------------------------------------------------------------------------------------
// Best overall response (RECIST 1.1 §4.4, docs/CLINICAL_RULES.md#recist; admiralonco derive_param_bor / _confirmed_bor)
// ---------------------------------------------------------------------------------------------

export type AssessmentResponse = OverallResponse | 'ND';
export type BestResponse = AssessmentResponse | 'MISSING';
export type DateLike = string | number;

export interface ResponseAssessment {
  /** ISO 8601 complete date (RSDTC / ADT) or a day number. */
  date: DateLike;
  response: AssessmentResponse;
}

export interface BestOverallResponseOptions {
  /** Reference date for the SD window: first dose (TRTSDT), or randomisation if the protocol says so. */
  firstDoseDate: DateLike;
  /** Require confirmation of CR/PR (non-randomised trials with response as endpoint, RECIST 1.1 §4.6.1). */
  confirm: boolean;
  /** Minimum days between a response and its confirmation (RECIST 1.1 §4.6.1: 4 weeks = 28; admiralonco ref_confirm). */
  confirmationDays?: number;
  /**
   * Minimum SD duration: SD (or CR/PR counted as SD) counts only at >= this many days after the reference
   * date (protocol-defined, RECIST 1.1 §4.4.3; admiralonco ref_start_window). No default on purpose.
   */
  minSdDays: number;
  /** NE assessments accepted between a response and its confirmation (admiralonco max_nr_ne, default 1). */
  maxNrNe?: number;
  /** Accept one SD between a PR and its confirmation (admiralonco accept_sd, default false). */
  acceptSd?: boolean;
  /** No assessments → NE instead of MISSING (admiralonco missing_as_ne, default false). */
  missingAsNe?: boolean;
  /** Date of first PD (admiralonco source_pd): assessments after it are ignored, the PD date included. */
  firstPdDate?: DateLike | null;
  /**
   * When no firstPdDate is given, ignore assessments after the first PD among the assessments (RECIST:
   * best response "until disease progression", RECIST 1.1 §4.4). Default true; admiralonco without
   * source_pd corresponds to false.
   */
  stopAtFirstPd?: boolean;
}

export interface BestOverallResponseResult {
  response: BestResponse;
  /** Date of the assessment that gave the BOR (as given in the input), null for MISSING/NE without visits. */
  date: DateLike | null;
}

function dayOf(d: DateLike, what: string): number {
  if (typeof d === 'number') {
    if (!Number.isFinite(d)) throw new RangeError(`${what}: not a finite day number`);
    return d;
  }
  const n = toDayNumber(d);
  if (n === null) throw new RangeError(`${what}: "${d}" is not a complete ISO 8601 date`);
  return n;
}

/** Preference order (admiralonco tmp_order): CR > PR > SD > NON-CR/NON-PD > PD > NE > ND > MISSING. */
const RANK: Record<BestResponse, number> = {
  CR: 1, PR: 2, SD: 3, 'NON-CR/NON-PD': 4, PD: 5, NE: 6, ND: 7, MISSING: 8,
};

interface Visit { day: number; date: DateLike; response: AssessmentResponse }

/**
 * The visits after `i` up to and including the first one satisfying `isConfirmatory`
 * (admiralonco filter_confirmation, join_type "after", first_cond), or null if none.
 */
function untilConfirmation(visits: readonly Visit[], i: number, isConfirmatory: (v: Visit) => boolean): Visit[] | null {
  for (let j = i + 1; j < visits.length; j++) {
    if (isConfirmatory(visits[j]!)) return visits.slice(i + 1, j + 1);
  }
  return null;
}

const count = (vs: readonly Visit[], r: AssessmentResponse) => vs.filter((v) => v.response === r).length;

/**
 * CR confirmed (admiralonco derive_param_confirmed_bor): a later CR at least `confirmationDays` after,
 * all visits in between (and the confirming one) CR or NE, at most maxNrNe NE.
 */
function isConfirmedCr(visits: readonly Visit[], i: number, confirmationDays: number, maxNrNe: number): boolean {
  const v = visits[i]!;
  const joined = untilConfirmation(visits, i, (w) => w.response === 'CR' && w.day >= v.day + confirmationDays);
  if (!joined) return false;
  return joined.every((w) => w.response === 'CR' || w.response === 'NE') && count(joined, 'NE') <= maxNrNe;
}

/**
 * PR confirmed: a later CR or PR at least `confirmationDays` after; visits up to it CR, PR, SD or NE;
 * at most maxNrNe NE and at most one SD (only when acceptSd); no PR after a CR in that period.
 */
function isConfirmedPr(visits: readonly Visit[], i: number, confirmationDays: number, maxNrNe: number, acceptSd: boolean): boolean {
  const v = visits[i]!;
  const joined = untilConfirmation(
    visits, i, (w) => (w.response === 'CR' || w.response === 'PR') && w.day >= v.day + confirmationDays,
  );
  if (!joined) return false;
  if (!joined.every((w) => ['CR', 'PR', 'SD', 'NE'].includes(w.response))) return false;
  if (count(joined, 'NE') > maxNrNe) return false;
  if (count(joined, 'SD') > (acceptSd ? 1 : 0)) return false;
  const crDays = joined.filter((w) => w.response === 'CR').map((w) => w.day);
  const prDays = joined.filter((w) => w.response === 'PR').map((w) => w.day);
  return crDays.length === 0 || prDays.length === 0 || Math.min(...crDays) > Math.max(...prDays);
}

/**
 * Best overall response of one subject from its time-point responses.
 *
 * confirm = false (admiralonco derive_param_bor): CR, PR and PD as recorded; SD and NON-CR/NON-PD
 * only at >= minSdDays after the reference date, otherwise NE.
 * confirm = true (admiralonco derive_param_confirmed_bor, docs/CLINICAL_RULES.md#recist): CR/PR only when
 * confirmed (see isConfirmedCr / isConfirmedPr); any CR/PR/SD at >= minSdDays is SD; NON-CR/NON-PD
 * likewise; earlier CR/PR/SD/NON-CR/NON-PD are NE; PD, NE and ND as recorded.
 * Then the best by CR > PR > SD > NON-CR/NON-PD > PD > NE > ND > MISSING, ties to the earliest date.
 */
export function bestOverallResponse(
  assessments: readonly ResponseAssessment[],
  opts: BestOverallResponseOptions,
): BestOverallResponseResult {
  const confirmationDays = opts.confirmationDays ?? 28;
  const maxNrNe = opts.maxNrNe ?? 1;
  const acceptSd = opts.acceptSd ?? false;
  const refDay = dayOf(opts.firstDoseDate, 'firstDoseDate');
  let visits: Visit[] = assessments
    .map((a, k) => ({ day: dayOf(a.date, `assessment ${k + 1} date`), date: a.date, response: a.response }))
    .sort((a, b) => a.day - b.day);
  let pdDay: number | null = null;
  if (opts.firstPdDate !== undefined && opts.firstPdDate !== null) pdDay = dayOf(opts.firstPdDate, 'firstPdDate');
  else if (opts.stopAtFirstPd ?? true) pdDay = visits.find((v) => v.response === 'PD')?.day ?? null;
  if (pdDay !== null) visits = visits.filter((v) => v.day <= pdDay!);

  if (visits.length === 0) return { response: opts.missingAsNe ? 'NE' : 'MISSING', date: null };

  const inWindow = (v: Visit) => v.day >= refDay + opts.minSdDays;
  const candidates: Array<{ response: BestResponse; visit: Visit }> = [];
  visits.forEach((v, i) => {
    const r = v.response;
    if (!opts.confirm) {
      const early = (r === 'SD' || r === 'NON-CR/NON-PD') && !inWindow(v);
      candidates.push({ response: early ? 'NE' : r, visit: v });
      return;
    }
    if (r === 'CR' && isConfirmedCr(visits, i, confirmationDays, maxNrNe)) candidates.push({ response: 'CR', visit: v });
    if (r === 'PR' && isConfirmedPr(visits, i, confirmationDays, maxNrNe, acceptSd)) candidates.push({ response: 'PR', visit: v });
    if (r === 'CR' || r === 'PR' || r === 'SD') candidates.push({ response: inWindow(v) ? 'SD' : 'NE', visit: v });
    else if (r === 'NON-CR/NON-PD') candidates.push({ response: inWindow(v) ? 'NON-CR/NON-PD' : 'NE', visit: v });
    else candidates.push({ response: r, visit: v }); // PD, NE, ND
  });
  let best = candidates[0]!;
  for (const c of candidates) {
    const dr = RANK[c.response] - RANK[best.response];
    if (dr < 0 || (dr === 0 && c.visit.day < best.visit.day)) best = c;
  }
  return { response: best.response, date: best.visit.date };
}

// ---------------------------------------------------------------------------------------------
// ORR / DCR and duration of response
// ---------------------------------------------------------------------------------------------

export interface RateWithCI extends BinomialCI {
  count: number;
}

export interface ObjectiveResponseSummary {
  /** Subjects in the denominator (every BOR passed in, NE and MISSING included). */
  n: number;
  counts: Record<BestResponse, number>;
  /** ORR = (CR + PR) / n with Clopper–Pearson CI (docs/CLINICAL_RULES.md#recist, #binomial-ci). */
  orr: RateWithCI;
  /** DCR = (CR + PR + SD) / n with Clopper–Pearson CI; NON-CR/NON-PD counts as SD when `nonCrNonPdAsSd`. */
  dcr: RateWithCI;
}

/** ORR and DCR with exact Clopper–Pearson CIs from one BOR per subject. */
export function objectiveResponseSummary(
  bors: readonly BestResponse[],
  opts: { level?: number; nonCrNonPdAsSd?: boolean } = {},
): ObjectiveResponseSummary {
  const counts: Record<BestResponse, number> = {
    CR: 0, PR: 0, SD: 0, 'NON-CR/NON-PD': 0, PD: 0, NE: 0, ND: 0, MISSING: 0,
  };
  for (const b of bors) {
    if (!(b in counts)) throw new RangeError(`objectiveResponseSummary: unknown response "${b}"`);
    counts[b]++;
  }
  const n = bors.length;
  const level = opts.level ?? 0.95;
  const responders = counts.CR + counts.PR;
  const controlled = responders + counts.SD + (opts.nonCrNonPdAsSd ? counts['NON-CR/NON-PD'] : 0);
  return {
    n,
    counts,
    orr: { count: responders, ...clopperPearson(responders, n, level) },
    dcr: { count: controlled, ...clopperPearson(controlled, n, level) },
  };
}

export interface DurationOfResponse {
  start: DateLike;
  end: DateLike;
  /** true = progression or death observed; false = censored at the last adequate assessment. */
  event: boolean;
  /** end − start + 1 days (ADaM time-to-event convention, AVAL = ADT − STARTDT + 1). */
  days: number;
}

/**
 * Duration of response: from the first CR/PR date to the first of PD or death (event); otherwise
 * censored at the last adequate assessment (docs/CLINICAL_RULES.md#pfs-os censoring rule). null when the subject
 * never responded.
 */
export function durationOfResponse(args: {
  /** First date of (confirmed, when required) CR or PR. */
  responseDate: DateLike | null;
  progressionDate?: DateLike | null;
  deathDate?: DateLike | null;
  /** Last adequate tumour assessment (censoring date). */
  lastAssessmentDate: DateLike;
}): DurationOfResponse | null {
  if (args.responseDate === null) return null;
  const start = dayOf(args.responseDate, 'responseDate');
  const events: Array<{ day: number; date: DateLike }> = [];
  for (const d of [args.progressionDate, args.deathDate]) {
    if (d !== undefined && d !== null) events.push({ day: dayOf(d, 'event date'), date: d });
  }
  events.sort((a, b) => a.day - b.day);
  const first = events[0];
  if (first) return { start: args.responseDate, end: first.date, event: true, days: first.day - start + 1 };
  const last = dayOf(args.lastAssessmentDate, 'lastAssessmentDate');
  return { start: args.responseDate, end: args.lastAssessmentDate, event: false, days: last - start + 1 };
}

/**
 * Duration of response from a subject's time-point responses: start at the first CR/PR (or, with a
 * confirmed BOR, pass its date as `responseDate`), event at the first PD after it or death, otherwise
 * censored at the last assessment that is not NE/ND.
 */
export function durationOfResponseFromAssessments(
  assessments: readonly ResponseAssessment[],
  opts: { responseDate?: DateLike | null; deathDate?: DateLike | null } = {},
): DurationOfResponse | null {
  const visits = assessments
    .map((a, k) => ({ day: dayOf(a.date, `assessment ${k + 1} date`), date: a.date, response: a.response }))
    .sort((a, b) => a.day - b.day);
  const startVisit =
    opts.responseDate !== undefined && opts.responseDate !== null
      ? { day: dayOf(opts.responseDate, 'responseDate'), date: opts.responseDate }
      : visits.find((v) => v.response === 'CR' || v.response === 'PR');
  if (!startVisit) return null;
  const after = visits.filter((v) => v.day > startVisit.day);
  const pd = after.find((v) => v.response === 'PD');
  const adequate = visits.filter((v) => v.day >= startVisit.day && v.response !== 'NE' && v.response !== 'ND');
  const last = adequate[adequate.length - 1] ?? startVisit;
  return durationOfResponse({
    responseDate: startVisit.date,
    progressionDate: pd?.date ?? null,
    deathDate: opts.deathDate ?? null,
    lastAssessmentDate: last.date,
  });
}
