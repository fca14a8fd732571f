// Progression-free survival and overall survival of one subject from a snapshot (docs/CLINICAL_RULES.md#pfs-os "PFS and
// OS"): the event or censoring date, the time from first dose in days and months, and why. Pure.
//
// Sources: FDA Guidance for Industry "Clinical Trial Endpoints for the Approval of Cancer Drugs and
// Biologics" (2018), Appendix Table "PFS: date of progression or censoring"; CDISC ADaM ADTTE
// (AVAL = ADT − STARTDT + 1, CNSR = 0 event / 1 censored). DoseDesk's choices are marked as such.

import { dayNumberToIso, parseIsoDate, toDayNumber } from '../dates';
import type { AssessmentResponse } from '../recist';
import { completeDate, earliestDayOf } from './records';

/** Days per month for months = days / 30.4375 (365.25 / 12). */
export const DAYS_PER_MONTH = 30.4375;

/** The censoring rules, as the UI's help shows them (keep in step with derivePfs / deriveOs below). */
export const CENSORING_RULES = `Time origin: the first dose (EX, else DM RFXSTDTC). Time = event or censoring date − first dose date + 1 days (ADaM ADTTE convention); months = days / 30.4375.

Progression-free survival (PFS)
- Analysis set: treated subjects with a baseline tumour assessment (a TR measurement or TU lesion on or before the first dose). A subject never assessed is not in the PFS analysis (neither censored at day 1 nor an event by death).
- Event: the earlier of (a) the first time-point response of progressive disease (PD) — RS OVRLRESP of the accepted evaluator, or the response computed from TR/TU by RECIST 1.1 Table 1 where RS gives none — and (b) death from any cause (DM DTHDTC, else DS DSDECOD = DEATH, DSSTDTC).
- Censored: at the date of the last adequate tumour assessment (a post-baseline time-point response of CR, PR, SD or NON-CR/NON-PD) when neither progression nor death is recorded.
- Censored at day 1 (the first dose) when there is no adequate post-baseline assessment and no death.
- Not applied (no data in SDTM for them): censoring at the start of new anticancer therapy and at two or more missed assessments before the event.

Overall survival (OS)
- Analysis set: all treated subjects.
- Event: death from any cause (DM DTHDTC, else DS DEATH DSSTDTC).
- Censored: at the last date the subject was known to be alive — the latest date of any record of the subject in any domain (DM, EX, AE, DS, TU, TR, RS, PC, IS, LB, VS), death records excluded.

Dates
- Records dated after the data cut-off are ignored.
- A partial death date is imputed to the first day of the known month (or year), and to the last known alive date when that is later (the subject was alive then). A death flagged (DTHFL = Y) without a date is placed at the last known alive date.
- A partial date in other records counts as the first day of its month (or year) when finding the last known alive date.
- Tumour assessments with a partial date are not used (they cannot be placed on the time axis).`;

export type Endpoint = 'PFS' | 'OS';

export interface EndpointInput {
  /** First dose date (complete ISO date): day 1. */
  firstDoseDtc: string;
  /** Post-baseline time-point responses (accepted evaluator), complete dates. */
  responses: ReadonlyArray<{ dtc: string; response: AssessmentResponse }>;
  /** DM DTHDTC, else the DS DEATH DSSTDTC; may be partial. */
  deathDtc: string | null;
  /** DM DTHFL = Y or a DS DEATH record, even without a date. */
  died: boolean;
  /** Latest date of any non-death record of the subject (may be partial). */
  lastKnownAliveDtc: string | null;
  /** Data cut-off (complete ISO date): later records are ignored. */
  cutoffDtc?: string | null;
}

export interface TimeToEvent {
  endpoint: Endpoint;
  /** true = event (CNSR = 0); false = censored. */
  event: boolean;
  /** Event or censoring date (ISO). */
  dtc: string;
  /** dtc − first dose + 1. */
  days: number;
  months: number;
  reason: 'progression' | 'death' | 'last adequate assessment' | 'no adequate assessment' | 'last known alive';
  /** Set when a date was imputed (partial death date, death without date). */
  imputed: string | null;
}

function timeFrom(firstDay: number, day: number): { days: number; months: number } {
  const days = day - firstDay + 1;
  return { days, months: days / DAYS_PER_MONTH };
}

/** Last known alive as a day number: the earliest day the (possibly partial) date denotes, capped at the cut-off; else the first dose. */
export function lastKnownAliveDay(input: Pick<EndpointInput, 'firstDoseDtc' | 'lastKnownAliveDtc' | 'cutoffDtc'>): number {
  const first = toDayNumber(input.firstDoseDtc)!;
  const cut = input.cutoffDtc ? toDayNumber(input.cutoffDtc) : null;
  let d = earliestDayOf(input.lastKnownAliveDtc);
  if (d === null) return first;
  if (cut !== null && d > cut) d = cut;
  return Math.max(d, first);
}

/**
 * The death date as a day number, or null when alive (or dead after the cut-off). A partial death
 * date is imputed to the first day of its month/year, raised to the last known alive day; a death
 * without a date is placed at the last known alive day (CENSORING_RULES "Dates").
 */
export function deathDay(input: EndpointInput): { day: number; imputed: string | null } | null {
  if (!input.died && !input.deathDtc) return null;
  const alive = lastKnownAliveDay(input);
  const cut = input.cutoffDtc ? toDayNumber(input.cutoffDtc) : null;
  let result: { day: number; imputed: string | null };
  const complete = completeDate(input.deathDtc);
  if (complete) result = { day: toDayNumber(complete)!, imputed: null };
  else if (input.deathDtc && parseIsoDate(input.deathDtc)) {
    const lower = earliestDayOf(input.deathDtc)!;
    const day = Math.max(lower, alive);
    result = { day, imputed: `partial death date ${input.deathDtc} imputed to ${dayNumberToIso(day)}` };
  } else result = { day: alive, imputed: `death without a date placed at the last known alive date ${dayNumberToIso(alive)}` };
  if (cut !== null && result.day > cut) return null;
  return result;
}

/**
 * PFS (CENSORING_RULES "Progression-free survival"): event at the earlier of the first PD time point
 * and death; else censored at the last adequate (CR, PR, SD, NON-CR/NON-PD) post-baseline assessment;
 * else censored at day 1. Responses after the cut-off are ignored.
 */
export function derivePfs(input: EndpointInput): TimeToEvent {
  const first = toDayNumber(input.firstDoseDtc);
  if (first === null) throw new RangeError(`derivePfs: first dose date "${input.firstDoseDtc}" is not a complete date`);
  const cut = input.cutoffDtc ? toDayNumber(input.cutoffDtc) : null;
  const visits = input.responses
    .map((r) => ({ day: toDayNumber(r.dtc), response: r.response }))
    .filter((v): v is { day: number; response: AssessmentResponse } => v.day !== null && v.day > first && (cut === null || v.day <= cut))
    .sort((a, b) => a.day - b.day);
  const pd = visits.find((v) => v.response === 'PD');
  const death = deathDay(input);
  const events: Array<{ day: number; reason: 'progression' | 'death'; imputed: string | null }> = [];
  if (pd) events.push({ day: pd.day, reason: 'progression', imputed: null });
  if (death) events.push({ day: death.day, reason: 'death', imputed: death.imputed });
  events.sort((a, b) => a.day - b.day || (a.reason === 'progression' ? -1 : 1));
  const ev = events[0];
  if (ev) return { endpoint: 'PFS', event: true, dtc: dayNumberToIso(ev.day), ...timeFrom(first, ev.day), reason: ev.reason, imputed: ev.imputed };
  const adequate = visits.filter((v) => v.response === 'CR' || v.response === 'PR' || v.response === 'SD' || v.response === 'NON-CR/NON-PD');
  const last = adequate[adequate.length - 1];
  if (last) return { endpoint: 'PFS', event: false, dtc: dayNumberToIso(last.day), ...timeFrom(first, last.day), reason: 'last adequate assessment', imputed: null };
  return { endpoint: 'PFS', event: false, dtc: dayNumberToIso(first), ...timeFrom(first, first), reason: 'no adequate assessment', imputed: null };
}

/**
 * OS (CENSORING_RULES "Overall survival"): event at death; else censored at the last known alive
 * date (the latest date of any non-death record, not after the cut-off; at least the first dose).
 */
export function deriveOs(input: EndpointInput): TimeToEvent {
  const first = toDayNumber(input.firstDoseDtc);
  if (first === null) throw new RangeError(`deriveOs: first dose date "${input.firstDoseDtc}" is not a complete date`);
  const death = deathDay(input);
  if (death) return { endpoint: 'OS', event: true, dtc: dayNumberToIso(death.day), ...timeFrom(first, death.day), reason: 'death', imputed: death.imputed };
  const alive = lastKnownAliveDay(input);
  return { endpoint: 'OS', event: false, dtc: dayNumberToIso(alive), ...timeFrom(first, alive), reason: 'last known alive', imputed: null };
}
