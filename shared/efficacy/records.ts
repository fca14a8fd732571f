// The TU / TR / RS records the tumour-response derivations read (SDTMIG v3.4 oncology domains),
// as plain data, and the small rules that interpret their coded values. Pure functions.

import { parseIsoDate, toDayNumber } from '../dates';

/** TU (Tumor/Lesion Identification): one lesion as identified by an evaluator. */
export interface TuRecord {
  /** TULNKID: links the lesion to its TR measurements. */
  linkId: string | null;
  /** TUSTRESC (else TUORRES): TARGET, NON-TARGET or NEW. */
  result: string | null;
  /** TULOC: anatomical location ("LYMPH NODE" marks a nodal lesion). */
  loc: string | null;
  /** TULOCDTL: location detail ("AXILLARY LYMPH NODE" where TULOC is only the region). */
  locDetail?: string | null;
  /** TUEVAL and TUEVALID. */
  evaluator: string | null;
  evaluatorId?: string | null;
  /** TUDTC: date the lesion was identified (a NEW lesion's date is the assessment that found it). */
  dtc: string | null;
}

/** TR (Tumor/Lesion Results): one measurement or state of one lesion, or the sum of diameters. */
export interface TrRecord {
  linkId: string | null;
  /** TRTESTCD: LDIAM, SAXIS, LPERP, DIAMETER, SUMDIAM, TUMSTATE, … */
  testcd: string;
  /** TRSTRESN. */
  value: number | null;
  /** TRSTRESC (TUMSTATE: PRESENT, ABSENT, UNEQUIVOCAL PROGRESSION, …). */
  text: string | null;
  /** TREVAL and TREVALID. */
  evaluator: string | null;
  evaluatorId: string | null;
  /** TRACPTFL: Y = accepted record when several evaluators read the scan; N = not accepted. */
  accepted: string | null;
  dtc: string | null;
}

/** RS (Disease Response): time-point responses (RSTESTCD OVRLRESP, TRGRESP, NTRGRESP, NEWLIND). */
export interface RsRecord {
  testcd: string;
  /** RSSTRESC (else RSORRES). */
  response: string | null;
  evaluator: string | null;
  evaluatorId: string | null;
  /** RSACPTFL. */
  accepted: string | null;
  dtc: string | null;
  /** RSCAT (e.g. "RECIST 1.1"); records of other criteria (iRECIST, mRECIST, ECOG, …) are not used. */
  category?: string | null;
}

/** RS test codes of a RECIST time point (overall, target, non-target response, new lesion indicator). */
export const TIME_POINT_TESTS = new Set(['OVRLRESP', 'TRGRESP', 'NTRGRESP', 'NEWLIND', 'NEWLPROG']);

/** An RS record of a RECIST 1.1 time point: a time-point test code, and RSCAT empty or RECIST (not iRECIST / mRECIST). */
export function isRecistTimePoint(r: Pick<RsRecord, 'testcd' | 'category'>): boolean {
  if (!TIME_POINT_TESTS.has(r.testcd.trim().toUpperCase())) return false;
  const cat = (r.category ?? '').trim().toUpperCase();
  return cat === '' || (/RECIST/.test(cat) && !/(I|M)RECIST/.test(cat));
}

export type LesionRole = 'TARGET' | 'NON-TARGET' | 'NEW';

/** TU TUSTRESC / TUORRES → lesion role (SDTM CT "Tumor Identification Result": TARGET, NON-TARGET, NEW). */
export function lesionRole(result: string | null): LesionRole | null {
  const v = (result ?? '').trim().toUpperCase();
  if (v === '') return null;
  if (v.includes('NEW')) return 'NEW';
  if (/^NON[- ]?TARGET/.test(v)) return 'NON-TARGET';
  if (v.includes('TARGET')) return 'TARGET';
  return null;
}

/** A lymph node (measured by its short axis, RECIST 1.1 §3.1): TULOC names a lymph node. */
export function isNodalLocation(loc: string | null): boolean {
  return /LYMPH|\bNODE|NODAL/i.test(loc ?? '');
}

/**
 * TR test codes of a lesion's longest diameter and of a node's short axis (SDTM CT TRTESTCD). SAXIS is
 * a short axis wherever it is recorded (and marks the lesion as a node); LPERP (longest perpendicular)
 * is recorded by some sponsors for every lesion, so it counts as the short axis only of a lesion that is
 * nodal by its location (RECIST 1.1 §3.1.1 and §4.2: nodes by short axis, other lesions by longest
 * diameter). Nodal status is never inferred from LPERP.
 */
export const LONGEST_DIAMETER_TESTS = new Set(['LDIAM', 'DIAMETER', 'LONGDIAM']);
export const SHORT_AXIS_TESTS = new Set(['SAXIS', 'LPERP']);
export const NODE_MARKING_SHORT_AXIS_TESTS = new Set(['SAXIS']);

/** A measurement recorded as disappeared (TRSTRESC) without a number counts as 0 mm (RECIST 1.1 appendix). */
export function measurementValue(r: Pick<TrRecord, 'value' | 'text'>): number | null {
  if (typeof r.value === 'number' && Number.isFinite(r.value)) return r.value;
  const t = (r.text ?? '').trim().toUpperCase();
  if (/^(ABSENT|NOT PRESENT|DISAPPEARED|0)$/.test(t)) return 0;
  const n = Number(t);
  return t !== '' && Number.isFinite(n) ? n : null;
}

/** Time-point response text → RECIST category (RS CT: CR, PR, SD, NON-CR/NON-PD, PD, NE, ND). */
export function normalizeResponse(text: string | null): 'CR' | 'PR' | 'SD' | 'NON-CR/NON-PD' | 'PD' | 'NE' | 'ND' | null {
  const v = (text ?? '').trim().toUpperCase().replace(/\s+/g, ' ');
  if (v === '') return null;
  if (v === 'CR' || v === 'COMPLETE RESPONSE') return 'CR';
  if (v === 'PR' || v === 'PARTIAL RESPONSE') return 'PR';
  if (v === 'SD' || v === 'STABLE DISEASE') return 'SD';
  if (v === 'PD' || v === 'PROGRESSIVE DISEASE') return 'PD';
  if (/^NON[- ]?CR ?\/ ?NON[- ]?PD$/.test(v) || v === 'NCRNPD' || v === 'NON-CR/NON-PD') return 'NON-CR/NON-PD';
  if (v === 'NE' || v === 'NOT EVALUABLE' || v === 'UNABLE TO EVALUATE') return 'NE';
  if (v === 'ND' || v === 'NOT DONE' || v === 'NOT ASSESSED') return 'ND';
  return null;
}

/** The evaluator as one label: TREVAL/RSEVAL (empty = INVESTIGATOR, SDTMIG: null when the investigator assessed) plus --EVALID. */
export function evaluatorLabel(evaluator: string | null, evaluatorId: string | null): string {
  const e = (evaluator ?? '').trim().toUpperCase() || 'INVESTIGATOR';
  const id = (evaluatorId ?? '').trim().toUpperCase();
  return id ? `${e} ${id}` : e;
}

/**
 * The evaluator whose reading of one scan (subject × assessment date) is used, from the TR and RS
 * records of that date. DoseDesk's rule (documented choice):
 *   1. a record flagged accepted (TRACPTFL or RSACPTFL = "Y"): its evaluator (SDTMIG v3.4 TR/RS
 *      assumptions: the accepted flag identifies the record used when several evaluators assess);
 *   2. records flagged "N" are never chosen; if one evaluator remains, that one;
 *   3. otherwise the INVESTIGATOR, the reader the site acts on (the protocol's primary assessment in an
 *      open-label phase 1); otherwise the first evaluator in alphabetical order (deterministic).
 */
export function acceptedEvaluator(candidates: ReadonlyArray<{ evaluator: string; accepted: string | null }>): string | null {
  if (candidates.length === 0) return null;
  const flagged = candidates.find((c) => (c.accepted ?? '').trim().toUpperCase() === 'Y');
  if (flagged) return flagged.evaluator;
  const notRejected = candidates.filter((c) => (c.accepted ?? '').trim().toUpperCase() !== 'N');
  const pool = [...new Set((notRejected.length > 0 ? notRejected : candidates).map((c) => c.evaluator))].sort();
  if (pool.length === 1) return pool[0]!;
  if (pool.includes('INVESTIGATOR')) return 'INVESTIGATOR';
  return pool[0]!;
}

/** The complete calendar date (YYYY-MM-DD) of an ISO 8601 value, or null when partial or invalid. */
export function completeDate(dtc: string | null | undefined): string | null {
  if (!dtc) return null;
  const d = dtc.trim().slice(0, 10);
  return toDayNumber(d) === null ? null : d;
}

/**
 * The earliest day a (possibly partial) ISO 8601 date can denote, as a day number: "2025-06" → 2025-06-01,
 * "2025" → 2025-01-01, "2025---14" → 2025-01-14; null when not a date. Used where a partial date is a
 * lower bound (the subject was known alive at least then).
 */
export function earliestDayOf(dtc: string | null | undefined): number | null {
  const p = parseIsoDate(dtc?.trim());
  if (!p) return null;
  return Math.round(Date.UTC(p.year, (p.month ?? 1) - 1, p.day ?? 1) / 86_400_000);
}
