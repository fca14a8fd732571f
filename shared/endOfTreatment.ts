import { dayNumberToIso, toDayNumber } from './dates';

// End of treatment vs end of study (issue 10 item 5; docs/CLINICAL_RULES.md#end-of-treatment, #dlt-window; README.md#the-views Swimmer).
//
// SDTMIG v3.4 §6.2 DS: a subject can have one disposition event per epoch — "completion or reason
// for discontinuation" of the TREATMENT epoch (study drug) is a different record from the end of the
// study (or of follow-up); sponsors tell them apart by EPOCH (SDTMIG DS example 1: EPOCH =
// TREATMENT / FOLLOW-UP) or by DSSCAT ("END OF TREATMENT", "STUDY TREATMENT" vs "END OF STUDY"). The
// CDISC pilot (cdiscpilot01, as in pharmaversesdtm) has only DSCAT = DISPOSITION EVENT records, which
// are the end of the STUDY; admiral's ADSL then takes the end of treatment from EX (TRTEDT =
// derive_vars_merged(... ex, last EXENDTC, else EXSTDTC ...)) and the end of study from DS (EOSDT).
//
// Rule (one place): end of treatment =
//   1. the DS disposition event of the treatment epoch (EPOCH = TREATMENT, or DSSCAT / DSCAT naming
//      treatment / study drug), its DSSTDTC and DSDECOD;
//   2. else, once treatment is known to be over (an end-of-study disposition record, or a death), the
//      last exposure: the latest EXENDTC, else the EXSTDTC of the last dose, else DM RFXENDTC;
//   3. else null: treatment is ongoing.
// End of study is never end of treatment (it can be weeks later, after follow-up).
//
// For the DLT window (shared/dlt.ts) an exposure-derived end of treatment is the end of what the
// last exposure covers: the EXENDTC of a record given over an interval (EXENDTC after EXSTDTC, e.g.
// a daily patch or tablets from day 1 to 8); for a single-day administration (an infusion) the
// subject is on treatment until the next dose is due — the median interval between the subject's
// administrations, else the study's dosing cycle — so that one infusion of a 21-day cycle is not read
// as "treatment ended on day 1".

export interface DispositionRecord {
  dsdecod: string | null;
  dsterm?: string | null;
  dscat: string | null;
  dsscat: string | null;
  epoch: string | null;
  dsstdtc: string | null;
}

export interface ExposureRecord {
  exstdtc: string | null;
  exendtc: string | null;
  exdose: number | null;
}

export type EndOfTreatmentSource = 'DS' | 'EXENDTC' | 'EXSTDTC' | 'RFXENDTC';

export interface EndOfTreatment {
  /** Date treatment ended (ISO, as given); null while ongoing. */
  dtc: string | null;
  /** DSDECOD of the treatment disposition, else of the end-of-study record, else DEATH. */
  reason: string | null;
  source: EndOfTreatmentSource | null;
  /** In words, for the DLT table's tooltip: which record and variable. */
  detail: string;
  /** Last day the subject counts as on treatment for the DLT window (see above); null while ongoing. */
  coveredThroughDtc: string | null;
}

const NOT_EVENTS = new Set(['INFORMED CONSENT OBTAINED', 'RANDOMIZED', 'ENROLLED', 'ELIGIBILITY CRITERIA MET']);
const TREATMENT_WORDS = /TREATMENT|STUDY DRUG|STUDY MEDICATION|STUDY THERAPY|INVESTIGATIONAL PRODUCT|\bIP\b|DOSING/;

/**
 * What a DS record tells: 'treatment' (end of the treatment epoch), 'study' (end of study /
 * follow-up, or a disposition event that does not say which) or 'other' (milestones such as consent).
 */
export function dispositionKind(r: DispositionRecord): 'treatment' | 'study' | 'other' {
  const cat = (r.dscat ?? '').trim().toUpperCase();
  const decod = (r.dsdecod ?? '').trim().toUpperCase();
  if (cat === 'PROTOCOL MILESTONE' || cat === 'OTHER EVENT' || NOT_EVENTS.has(decod)) return 'other';
  const epoch = (r.epoch ?? '').trim().toUpperCase();
  const scat = (r.dsscat ?? '').trim().toUpperCase();
  if (epoch === 'TREATMENT' || TREATMENT_WORDS.test(scat) || TREATMENT_WORDS.test(cat)) return 'treatment';
  return 'study';
}

/** The earliest dated record of a kind (undated records last). */
function earliest(ds: readonly DispositionRecord[], kind: 'treatment' | 'study'): DispositionRecord | undefined {
  return ds
    .filter((r) => dispositionKind(r) === kind)
    .sort((a, b) => (a.dsstdtc ?? '\uffff').localeCompare(b.dsstdtc ?? '\uffff'))[0];
}

/** End of study: the end-of-study disposition record (DSSTDTC, DSDECOD), else the death date; null when neither. */
export function endOfStudy(ds: readonly DispositionRecord[], dthdtc: string | null): { dtc: string | null; reason: string | null } | null {
  const r = earliest(ds, 'study');
  if (r) return { dtc: r.dsstdtc, reason: r.dsdecod };
  return dthdtc ? { dtc: dthdtc, reason: 'DEATH' } : null;
}

/** Median gap in days between consecutive administration days (null with fewer than two). */
function medianGap(days: number[]): number | null {
  const u = [...new Set(days)].sort((a, b) => a - b);
  if (u.length < 2) return null;
  const gaps = u.slice(1).map((d, i) => d - u[i]!).sort((a, b) => a - b);
  const m = gaps.length >> 1;
  return gaps.length % 2 ? gaps[m]! : Math.round((gaps[m - 1]! + gaps[m]!) / 2);
}

/** End of treatment of one subject by the rule above. `cycleDays` is the study's dosing cycle (study definition). */
export function endOfTreatment(o: {
  ds: readonly DispositionRecord[];
  ex: readonly ExposureRecord[];
  rfxendtc: string | null;
  dthdtc: string | null;
  cycleDays: number;
}): EndOfTreatment {
  const trt = earliest(o.ds, 'treatment');
  if (trt) {
    const where = trt.epoch ? `EPOCH ${trt.epoch}` : trt.dsscat ? `DSSCAT ${trt.dsscat}` : `DSCAT ${trt.dscat}`;
    return { dtc: trt.dsstdtc, reason: trt.dsdecod, source: 'DS', detail: `DS treatment disposition (${where}): ${trt.dsdecod ?? ''} on ${trt.dsstdtc ?? 'an unknown date'}`, coveredThroughDtc: trt.dsstdtc };
  }
  const study = endOfStudy(o.ds, o.dthdtc);
  if (!study) return { dtc: null, reason: null, source: null, detail: 'ongoing: no treatment disposition, no end of study, no death', coveredThroughDtc: null };
  const studyWord = study.reason === 'DEATH' && !earliest(o.ds, 'study') ? `death on ${study.dtc}` : `end of study (${study.reason ?? ''}${study.dtc ? ` on ${study.dtc}` : ''})`;
  // Doses actually given (EXDOSE > 0, or no dose recorded); placebo (EXDOSE 0) is exposure too.
  const given = o.ex.filter((e) => toDayNumber(e.exstdtc) !== null);
  const lastEnd = given
    .map((e) => ({ e, end: toDayNumber(e.exendtc) }))
    .filter((x): x is { e: ExposureRecord; end: number } => x.end !== null)
    .sort((a, b) => b.end - a.end)[0];
  const lastStart = given.map((e) => ({ e, start: toDayNumber(e.exstdtc)! })).sort((a, b) => b.start - a.start)[0];
  const gap = medianGap(given.map((e) => toDayNumber(e.exstdtc)!));
  const cover = (startDay: number, endDay: number): string =>
    endDay > startDay ? dayNumberToIso(endDay) : dayNumberToIso(startDay + Math.max(1, gap ?? o.cycleDays) - 1);
  const reason = study.reason;
  if (lastEnd && (!lastStart || lastEnd.end >= lastStart.start)) {
    const s = toDayNumber(lastEnd.e.exstdtc)!;
    return { dtc: lastEnd.e.exendtc, reason, source: 'EXENDTC', detail: `last exposure, EX EXENDTC ${lastEnd.e.exendtc} (no treatment disposition in DS; ${studyWord} is not the end of treatment)`, coveredThroughDtc: cover(s, lastEnd.end) };
  }
  if (lastStart) {
    return { dtc: lastStart.e.exstdtc, reason, source: 'EXSTDTC', detail: `last dose, EX EXSTDTC ${lastStart.e.exstdtc} (no EXENDTC, no treatment disposition in DS; ${studyWord} is not the end of treatment)`, coveredThroughDtc: cover(lastStart.start, lastStart.start) };
  }
  if (o.rfxendtc && toDayNumber(o.rfxendtc) !== null) {
    return { dtc: o.rfxendtc, reason, source: 'RFXENDTC', detail: `DM RFXENDTC ${o.rfxendtc} (no EX record, no treatment disposition in DS; ${studyWord} is not the end of treatment)`, coveredThroughDtc: o.rfxendtc.slice(0, 10) };
  }
  return { dtc: null, reason, source: null, detail: `treatment is over (${studyWord}) but no exposure date is known`, coveredThroughDtc: null };
}
