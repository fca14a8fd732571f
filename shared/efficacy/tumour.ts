// Tumour response of one subject from its TU / TR / RS records (RECIST 1.1; docs/CLINICAL_RULES.md#recist "Tumour
// response"): sum of diameters per assessment, % change from baseline and nadir, new lesions,
// time-point responses (RS OVRLRESP of the accepted evaluator, else RECIST 1.1 Table 1), best overall
// response with and without confirmation, first response and duration of response. Pure functions.

import { toDayNumber } from '../dates';
import {
  bestOverallResponse, durationOfResponse, percentChangeSeries, sumOfDiameters, targetLesionResponse, timePointResponse,
  type AssessmentResponse, type BestResponse, type NonTargetResponse, type TargetLesionMeasurement, type TargetResponse,
} from '../recist';
import {
  acceptedEvaluator, completeDate, evaluatorLabel, isNodalLocation, isRecistTimePoint, lesionRole, LONGEST_DIAMETER_TESTS, measurementValue,
  NODE_MARKING_SHORT_AXIS_TESTS, normalizeResponse, SHORT_AXIS_TESTS, type LesionRole, type RsRecord, type TrRecord, type TuRecord,
} from './records';

export interface TumourInput {
  /** First dose date (EX, else DM RFXSTDTC); day 1 of the study-day axis and the SD-window reference. */
  firstDoseDtc: string;
  tu: readonly TuRecord[];
  tr: readonly TrRecord[];
  rs: readonly RsRecord[];
  /** Death date (complete) for the duration of response; null when alive or unknown. */
  deathDtc?: string | null;
}

export interface RecistOptions {
  /** Minimum days between a CR/PR and its confirmation (study definition recist.confirmationDays). */
  confirmationDays: number;
  /** Minimum days from first dose for SD to count (study definition recist.minSdDays). */
  minSdDays: number;
}

export type SumSource = 'SUMDIAM' | 'derived';

export interface TumourPoint {
  dtc: string;
  /** Study day (day 1 = first dose, no day 0). */
  studyDay: number;
  baseline: boolean;
  evaluator: string;
  sum: number | null;
  sumSource: SumSource | null;
  nadir: number | null;
  pctFromBaseline: number | null;
  pctFromNadir: number | null;
  newLesion: boolean;
  /** Time-point (overall) response; null at baseline. */
  response: AssessmentResponse | null;
  responseSource: 'RS' | 'computed' | null;
}

export interface BorResult {
  response: BestResponse;
  dtc: string | null;
  /** First CR/PR time point (when the BOR is CR or PR): start of the duration of response. */
  firstResponseDtc: string | null;
  /** Duration of response in days (first response → PD or death, else censored at the last adequate assessment). */
  dor: { days: number; event: boolean; endDtc: string } | null;
}

export interface SubjectTumourResult {
  baselineDtc: string | null;
  /**
   * A tumour assessment on or before the first dose (a TR measurement, or a TU lesion identified then):
   * membership of the ORR/DCR and PFS analysis sets (hasBaselineAssessment).
   */
  hasBaselineAssessment: boolean;
  baselineSum: number | null;
  /** Baseline assessment first, then post-baseline assessments by date (TR dates and RS-only dates). */
  points: TumourPoint[];
  /** Best (smallest) % change from baseline over post-baseline assessments: the waterfall bar. */
  bestPctChange: number | null;
  confirmed: BorResult;
  unconfirmed: BorResult;
  /** Records that could not be used, and why (partial dates, nodes without short axis, …). */
  notes: string[];
}

const isAdequate = (r: AssessmentResponse | null): boolean => r !== null && r !== 'NE' && r !== 'ND';

export interface Lesion {
  role: LesionRole;
  /** Measured by its short axis (RECIST 1.1 §3.1.1): nodal by location, or a SAXIS record in TR. */
  nodal: boolean;
  /** TULOC / TULOCDTL names a lymph node: only then does LPERP count as the short axis. */
  nodalByLocation: boolean;
}

const isNodalTu = (t: TuRecord) => isNodalLocation(t.loc) || isNodalLocation(t.locDetail ?? null);

/**
 * Lesion roles from TU (TUSTRESC TARGET / NON-TARGET / NEW) and nodal status: TULOC or TULOCDTL names
 * a lymph node, or TR holds a SAXIS (short axis) record for the lesion. LPERP never makes a lesion
 * nodal (sponsors record it for every lesion). A TR lesion without a TU record is a target lesion when
 * it has a diameter measurement, else non-target (documented fallback).
 */
export function lesionsOf(tu: readonly TuRecord[], tr: readonly TrRecord[]): Map<string, Lesion> {
  const lesions = new Map<string, Lesion>();
  for (const t of tu) {
    const role = lesionRole(t.result);
    if (!t.linkId || !role) continue;
    const prev = lesions.get(t.linkId);
    const byLoc = isNodalTu(t);
    if (!prev) lesions.set(t.linkId, { role, nodal: byLoc, nodalByLocation: byLoc });
    else if (byLoc) prev.nodal = prev.nodalByLocation = true;
  }
  for (const r of tr) {
    if (!r.linkId) continue;
    const code = r.testcd.toUpperCase();
    const measured = LONGEST_DIAMETER_TESTS.has(code) || SHORT_AXIS_TESTS.has(code);
    let l = lesions.get(r.linkId);
    if (!l) lesions.set(r.linkId, (l = { role: measured ? 'TARGET' : 'NON-TARGET', nodal: false, nodalByLocation: false }));
    else if (measured && l.role === 'NON-TARGET' && !tu.some((t) => t.linkId === r.linkId)) l.role = 'TARGET';
    if (NODE_MARKING_SHORT_AXIS_TESTS.has(code)) l.nodal = true;
  }
  return lesions;
}

/**
 * Is this TR record the measurement RECIST 1.1 sums for its lesion? Longest diameter of a non-nodal
 * lesion; short axis of a nodal one (SAXIS; LPERP only for a lesion nodal by location, and only when
 * the lesion has no SAXIS at that assessment).
 */
export function usesMeasurement(lesion: Lesion, code: string, hasSaxis: boolean): boolean {
  const c = code.toUpperCase();
  if (!lesion.nodal) return LONGEST_DIAMETER_TESTS.has(c);
  if (c === 'SAXIS') return true;
  return c === 'LPERP' && lesion.nodalByLocation && !hasSaxis;
}

/** Target-lesion measurements of one assessment (RECIST 1.1: nodes by short axis, others by longest diameter). */
function targetMeasurements(targets: readonly string[], lesions: Map<string, Lesion>, recs: readonly TrRecord[]): TargetLesionMeasurement[] {
  return targets.map((id) => {
    const lesion = lesions.get(id)!;
    const m: TargetLesionMeasurement = { id, nodal: lesion.nodal, longestDiameter: null, shortAxis: null };
    const mine = recs.filter((r) => r.linkId === id);
    const hasSaxis = mine.some((r) => r.testcd.toUpperCase() === 'SAXIS');
    for (const r of mine) {
      const code = r.testcd.toUpperCase();
      if (LONGEST_DIAMETER_TESTS.has(code)) m.longestDiameter = measurementValue(r);
      else if (SHORT_AXIS_TESTS.has(code) && usesMeasurement(lesion, code, hasSaxis)) m.shortAxis = measurementValue(r);
    }
    return m;
  });
}

/**
 * Non-target response from the non-target lesions' TR states (TUMSTATE; RECIST 1.1 §4.3.2): any
 * unequivocal progression → PD; all absent → CR; any not assessed → NE; otherwise NON-CR/NON-PD.
 * null when the subject had no non-target disease at baseline.
 */
export function nonTargetResponse(nonTargets: readonly string[], recs: readonly TrRecord[]): NonTargetResponse | null {
  if (nonTargets.length === 0) return null;
  let allAbsent = true;
  let missing = false;
  for (const id of nonTargets) {
    const st = recs.find((r) => r.linkId === id && r.testcd.toUpperCase() === 'TUMSTATE');
    const v = (st?.text ?? '').trim().toUpperCase();
    if (/PROGRESSION/.test(v)) return 'PD';
    if (v === '' || v === 'NOT EVALUABLE' || v === 'NOT ASSESSED') missing = true;
    if (v !== 'ABSENT' && v !== 'NOT PRESENT') allAbsent = false;
  }
  if (missing) return 'NE';
  return allAbsent ? 'CR' : 'NON-CR/NON-PD';
}

function lesionsShowCr(ms: readonly TargetLesionMeasurement[]): boolean {
  return ms.every((m) => {
    const d = m.nodal ? m.shortAxis : m.longestDiameter;
    return typeof d === 'number' && (m.nodal ? d < 10 : d === 0);
  });
}

function groupByDate<T extends { dtc: string | null }>(recs: readonly T[], notes: string[], what: string): Map<string, T[]> {
  const by = new Map<string, T[]>();
  let partial = 0;
  for (const r of recs) {
    const d = completeDate(r.dtc);
    if (d === null) {
      partial++;
      continue;
    }
    let l = by.get(d);
    if (!l) by.set(d, (l = []));
    l.push(r);
  }
  if (partial > 0) notes.push(`${partial} ${what} record(s) without a complete date were not used (an assessment must be placed on the time axis)`);
  return by;
}

/**
 * Derives one subject's tumour-response series and best overall responses.
 *
 * Rules (docs/CLINICAL_RULES.md#recist):
 * - Assessment = subject × complete date (partial TRDTC / RSDTC cannot be ordered: not used, noted).
 * - RS: RECIST time-point records only (isRecistTimePoint: OVRLRESP, TRGRESP, NTRGRESP, NEWLIND).
 * - Evaluator: acceptedEvaluator() over the TR and RS records of that date; only its records are used.
 * - Sum of diameters: TR SUMDIAM when present, else sumOfDiameters() over the baseline target lesions.
 * - Baseline: the last assessment on or before the first dose date; post-baseline: after the first dose.
 * - % change from baseline and from nadir: percentChangeSeries() (nadir = smallest earlier sum).
 * - New lesion at an assessment: a TU NEW lesion dated then, a TR record then of a NEW lesion, or RS
 *   NEWLIND = Y.
 * - Time-point response: RS OVRLRESP of the accepted evaluator; else RECIST 1.1 Table 1
 *   (timePointResponse) from the target response (RS TRGRESP, else targetLesionResponse), the
 *   non-target response (RS NTRGRESP, else nonTargetResponse) and the new-lesion flag.
 * - BOR: bestOverallResponse() with and without confirmation, opts.confirmationDays / minSdDays,
 *   ignoring assessments after the first PD.
 * - Duration of response: from the first CR/PR time point (responders only) to the first PD after it
 *   or death, else censored at the last adequate (not NE/ND) assessment (durationOfResponse).
 */
export function deriveSubjectTumour(input: TumourInput, opts: RecistOptions): SubjectTumourResult {
  const notes: string[] = [];
  const firstDoseDtc = completeDate(input.firstDoseDtc);
  if (firstDoseDtc === null) throw new RangeError(`deriveSubjectTumour: first dose date "${input.firstDoseDtc}" is not a complete date`);
  const firstDay = toDayNumber(firstDoseDtc)!;
  const lesions = lesionsOf(input.tu, input.tr);
  const targets = [...lesions].filter(([, l]) => l.role === 'TARGET').map(([id]) => id).sort();
  const nonTargets = [...lesions].filter(([, l]) => l.role === 'NON-TARGET').map(([id]) => id).sort();
  const newIds = new Set([...lesions].filter(([, l]) => l.role === 'NEW').map(([id]) => id));

  const trByDate = groupByDate(input.tr, notes, 'TR');
  const rsByDate = groupByDate(input.rs.filter(isRecistTimePoint), notes, 'RS');
  const tuNewDates = new Set(input.tu.filter((t) => lesionRole(t.result) === 'NEW').map((t) => completeDate(t.dtc)).filter((d): d is string => d !== null));
  const dates = [...new Set([...trByDate.keys(), ...rsByDate.keys()])].sort();

  const baselineDtc = [...trByDate.keys()].filter((d) => d <= firstDoseDtc).sort().pop() ?? null;
  const points: TumourPoint[] = [];
  const sums: (number | null)[] = [];
  const measurementsAt: (TargetLesionMeasurement[] | null)[] = [];
  const flagN = (a: string | null) => (a ?? '').trim().toUpperCase();
  for (const dtc of dates) {
    if (dtc < (baselineDtc ?? firstDoseDtc) || (dtc !== baselineDtc && dtc <= firstDoseDtc)) continue;
    const tr = trByDate.get(dtc) ?? [];
    const rs = rsByDate.get(dtc) ?? [];
    const evaluator = acceptedEvaluator([
      ...tr.map((r) => ({ evaluator: evaluatorLabel(r.evaluator, r.evaluatorId), accepted: r.accepted })),
      ...rs.map((r) => ({ evaluator: evaluatorLabel(r.evaluator, r.evaluatorId), accepted: r.accepted })),
    ])!;
    const mine = tr.filter((r) => evaluatorLabel(r.evaluator, r.evaluatorId) === evaluator && flagN(r.accepted) !== 'N');
    const myRs = rs.filter((r) => evaluatorLabel(r.evaluator, r.evaluatorId) === evaluator && flagN(r.accepted) !== 'N');
    let sum: number | null = null;
    let sumSource: SumSource | null = null;
    let ms: TargetLesionMeasurement[] | null = null;
    if (mine.length > 0) {
      const sd = mine.find((r) => r.testcd.toUpperCase() === 'SUMDIAM');
      ms = targets.length > 0 ? targetMeasurements(targets, lesions, mine) : null;
      if (sd && measurementValue(sd) !== null) {
        sum = measurementValue(sd);
        sumSource = 'SUMDIAM';
      } else if (ms) {
        sum = sumOfDiameters(ms);
        sumSource = 'derived';
        const nodeNoSa = ms.filter((m) => m.nodal && m.shortAxis == null && m.longestDiameter != null);
        if (nodeNoSa.length > 0) notes.push(`${dtc}: lymph node(s) ${nodeNoSa.map((m) => m.id).join(', ')} without a short axis: sum not derived (RECIST 1.1 measures nodes by short axis)`);
      }
    }
    const newLesion =
      tuNewDates.has(dtc) ||
      mine.some((r) => r.linkId !== null && newIds.has(r.linkId) && !/ABSENT/i.test(r.text ?? '')) ||
      myRs.some((r) => /^NEWL/i.test(r.testcd) && /^(Y|YES)$/i.test((r.response ?? '').trim()));
    points.push({
      dtc, studyDay: studyDayOf(dtc, firstDay), baseline: dtc === baselineDtc, evaluator, sum, sumSource,
      nadir: null, pctFromBaseline: null, pctFromNadir: null, newLesion, response: null, responseSource: null,
    });
    sums.push(mine.length > 0 ? sum : null);
    measurementsAt.push(ms);
    // Time-point response (post-baseline only).
    if (dtc === baselineDtc) continue;
    const p = points[points.length - 1]!;
    const ovr = normalizeResponse(myRs.find((r) => r.testcd.toUpperCase() === 'OVRLRESP')?.response ?? null);
    if (ovr) {
      p.response = ovr;
      p.responseSource = 'RS';
    } else if (mine.length > 0) {
      p.responseSource = 'computed'; // the response is computed below, once the nadirs are known
    }
  }
  // % change from baseline and nadir (baseline = first point when it is the baseline assessment).
  const hasBaseline = baselineDtc !== null && points[0]?.baseline === true;
  const series = percentChangeSeries(hasBaseline ? sums : [null, ...sums]);
  const offset = hasBaseline ? 0 : 1;
  const baselineSum = hasBaseline ? sums[0] ?? null : null;
  points.forEach((p, k) => {
    const s = series[k + offset]!;
    p.nadir = s.nadir;
    p.pctFromBaseline = s.pctFromBaseline;
    p.pctFromNadir = s.pctFromNadir;
    if (p.responseSource !== 'computed') return;
    const tr = trByDate.get(p.dtc)!.filter((r) => evaluatorLabel(r.evaluator, r.evaluatorId) === p.evaluator);
    const rs = (rsByDate.get(p.dtc) ?? []).filter((r) => evaluatorLabel(r.evaluator, r.evaluatorId) === p.evaluator);
    const rsTarget = normalizeResponse(rs.find((r) => r.testcd.toUpperCase() === 'TRGRESP')?.response ?? null);
    const rsNonTarget = normalizeResponse(rs.find((r) => r.testcd.toUpperCase() === 'NTRGRESP')?.response ?? null);
    let target: TargetResponse | null = null;
    if (rsTarget && rsTarget !== 'NON-CR/NON-PD' && rsTarget !== 'ND') target = rsTarget;
    else if (targets.length > 0 || baselineSum !== null) {
      // Target disease: baseline target lesions in TU/TR, or a baseline sum (SUMDIAM without lesion detail).
      const ms = measurementsAt[k] ?? undefined;
      if (baselineSum === null || s.nadir === null) target = 'NE';
      else {
        target = targetLesionResponse({ baselineSum, nadirSum: s.nadir, currentSum: p.sum, lesions: p.sumSource === 'derived' ? ms : undefined });
        if (p.sumSource === 'SUMDIAM' && target !== 'PD' && ms && sumOfDiameters(ms) !== null && lesionsShowCr(ms)) target = 'CR';
      }
    }
    const nonTarget: NonTargetResponse | null =
      rsNonTarget === 'CR' || rsNonTarget === 'PD' || rsNonTarget === 'NE' || rsNonTarget === 'NON-CR/NON-PD' ? rsNonTarget : nonTargetResponse(nonTargets, tr);
    p.response = timePointResponse({ target, nonTarget, newLesions: p.newLesion });
  });

  const post = points.filter((p) => !p.baseline);
  const pcts = post.map((p) => p.pctFromBaseline).filter((v): v is number => v !== null);
  const responses = post.filter((p) => p.response !== null).map((p) => ({ date: p.dtc, response: p.response! }));
  const bor = (confirm: boolean): BorResult => {
    const b = bestOverallResponse(responses, { firstDoseDate: firstDoseDtc, confirm, confirmationDays: opts.confirmationDays, minSdDays: opts.minSdDays });
    return { response: b.response, dtc: b.date === null ? null : String(b.date), ...responseDuration(responses, b.response, input.deathDtc ?? null) };
  };
  return {
    baselineDtc,
    hasBaselineAssessment: hasBaselineAssessment(input.tu, baselineDtc, firstDoseDtc),
    baselineSum,
    points,
    bestPctChange: pcts.length > 0 ? Math.min(...pcts) : null,
    confirmed: bor(true),
    unconfirmed: bor(false),
    notes,
  };
}

/**
 * The response and PFS analysis sets are the subjects with a baseline tumour assessment (RECIST 1.1
 * §4.1: "all baseline evaluations should be performed as close as possible to the treatment start";
 * response is measured against the baseline sum, §4.3.1; without a baseline there is nothing to
 * progress from). Baseline = a TR record of the baseline visit (baselineDtc: the last TR date on or
 * before the first dose) or a TU lesion (not NEW) identified on or before the first dose.
 */
export function hasBaselineAssessment(tu: readonly TuRecord[], baselineDtc: string | null, firstDoseDtc: string): boolean {
  if (baselineDtc !== null) return true;
  return tu.some((t) => {
    const d = completeDate(t.dtc);
    return d !== null && d <= firstDoseDtc && lesionRole(t.result) !== null && lesionRole(t.result) !== 'NEW';
  });
}

function studyDayOf(dtc: string, firstDay: number): number {
  const d = toDayNumber(dtc)! - firstDay;
  return d >= 0 ? d + 1 : d;
}

/**
 * First response and duration of response for a responder (BOR CR or PR): start at the first CR/PR
 * time point up to the first PD; event at the first PD after it or death; otherwise censored at the
 * last adequate assessment on or after the start (durationOfResponse, recist.ts).
 */
function responseDuration(
  responses: ReadonlyArray<{ date: string; response: AssessmentResponse }>,
  bor: BestResponse,
  deathDtc: string | null,
): Pick<BorResult, 'firstResponseDtc' | 'dor'> {
  if (bor !== 'CR' && bor !== 'PR') return { firstResponseDtc: null, dor: null };
  const firstPd = responses.findIndex((r) => r.response === 'PD');
  const upTo = firstPd < 0 ? responses : responses.slice(0, firstPd);
  const start = upTo.find((r) => r.response === 'CR' || r.response === 'PR');
  if (!start) return { firstResponseDtc: null, dor: null };
  const pd = firstPd < 0 ? null : responses[firstPd]!.date;
  const adequate = responses.filter((r) => r.date >= start.date && isAdequate(r.response));
  const death = completeDate(deathDtc);
  const d = durationOfResponse({
    responseDate: start.date,
    progressionDate: pd,
    deathDate: death,
    lastAssessmentDate: adequate[adequate.length - 1]?.date ?? start.date,
  })!;
  return { firstResponseDtc: start.date, dor: { days: d.days, event: d.event, endDtc: String(d.end) } };
}
