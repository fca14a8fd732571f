import { subjectDltTable, type SubjectDlt } from '../cohorts';
import { studyDayFromIso } from '../dates';
import { buildHistory, formatHistory, type LaterCourseToxicity, type ParsedHistory, type PatientOutcome } from '../escalation/history';
import type { CohortTiming } from '../escalation/recommend';
import type { AeFacts, SubjectFacts } from '../model';
import type { StudyDefinition } from '../study';

// The escalation history of a snapshot, in the notation of the rule engine
// (shared/escalation/history.ts; docs/CLINICAL_RULES.md#escalation-history, "Decision
// vocabulary and history notation", S5): `1N 2G 3G 4NNN 5NNN 6NNT 6NPP`.
//
// Built from the ESCALATION part only (expansion subjects never enter the rule), one letter per
// subject, subjects in order of first dose (docs/CLINICAL_RULES.md#dlt-window, shared/dlt.ts):
//   T  DLT-evaluable with a DLT in the window;
//   N  DLT-evaluable, completed the window without a DLT;
//   G  accelerated titration only (Simon et al. 1997, S8): no DLT and a worst toxicity of grade 2 in
//      the counting course (course 1 = the DLT window) — see `countsAsGrade2`;
//   P  pending: still inside the DLT window at the cut-off.
// Not-evaluable subjects are left out of the history and listed with their reason (a replaced
// subject is not counted by the 3+3 rule, docs/CLINICAL_RULES.md#escalation-history).
//
// Accelerated phase (design 'atd'): the single-patient cohorts from the first subject until the
// switch trigger of S8 — one DLT, or the second patient with grade 2 (designs 2/3: course 1 only;
// design 4: any course, written as the later-course annotations g/t). After the trigger, patients
// are written N/T/P only (the G letter means nothing to the 3+3 rule that takes over).
//
// Cohorts: the SUPPDM COHORT of each subject when every subject in the history has one; otherwise
// each accelerated-phase patient is a cohort of one and later subjects form cohorts of
// `cohortSize` (3) among consecutive subjects at the same level.
//
// PROTOCOL CHOICES (docs/CLINICAL_RULES.md#escalation-history; not settled by the S8 abstract): "grade 2 toxicity"
// counts AEs related to study drug by default (`grade2: 'related'`; 'any' counts every AE), and a
// worst grade >= 2 without a DLT flag is written G (a grade >= 3 event the investigator did not flag
// as a DLT is at least the moderate toxicity the trigger looks for; the DLT table shows it as
// "possible DLT — not flagged").

export interface HistoryEntry {
  usubjid: string;
  level: number;
  cohortId: string;
  firstDoseDtc: string;
  outcome: PatientOutcome;
  laterCourse?: LaterCourseToxicity;
  /** Worst grade of the counting AEs starting in the DLT window (null when none). */
  worstGradeInWindow: number | null;
  /** Enrolled during the accelerated-titration phase (single-patient cohorts). */
  accelerated: boolean;
  reason: string;
}

export interface ExcludedSubject {
  usubjid: string;
  level: number;
  firstDoseDtc: string;
  reason: string;
}

export interface SnapshotHistory {
  /** The history in the reference notation ('' when no escalation subject is evaluable or pending). */
  history: string;
  parsed: ParsedHistory;
  entries: HistoryEntry[];
  /** Escalation subjects left out of the history: not DLT-evaluable, with the reason. */
  excluded: ExcludedSubject[];
  /** Every dosed subject's DLT-window row (both parts), from shared/cohorts.ts subjectDltTable. */
  dltRows: SubjectDlt[];
  /** Dosed subjects whose first dose is not a planned level (not placed in the history). */
  unplanned: string[];
  /** Per cohort of `parsed` (same order): first dose and the last day of its latest DLT window. */
  cohortTiming: CohortTiming[];
}

export interface SnapshotHistoryOptions {
  /** Cohort of each subject (SUPPDM QNAM COHORT), by USUBJID. */
  cohortOf?: ReadonlyMap<string, string>;
  /** Which AEs count as "toxicity" for the G letter (protocol choice; default 'related'). */
  grade2?: 'related' | 'any';
  /** Cohort size used to split runs at one level when no cohort ids are known (default 3). */
  cohortSize?: number;
}

/** Whether an AE counts as toxicity for the accelerated-titration trigger (protocol choice, see above). */
export function countsAsToxicity(ae: AeFacts, grade2: 'related' | 'any'): boolean {
  return grade2 === 'any' || ae.related;
}

/** The history letter of a DLT-window status (before the accelerated-titration G). */
export function outcomeOf(status: SubjectDlt['dlt']['status']): PatientOutcome | null {
  switch (status) {
    case 'dlt':
      return 'T';
    case 'completed':
      return 'N';
    case 'in-window':
      return 'P';
    default:
      return null;
  }
}

export function snapshotHistory(
  subjects: readonly SubjectFacts[],
  aes: readonly AeFacts[],
  def: StudyDefinition,
  cutoffDtc: string,
  opts: SnapshotHistoryOptions = {},
): SnapshotHistory {
  const grade2 = opts.grade2 ?? 'related';
  const cohortSize = opts.cohortSize ?? 3;
  const W = def.dltWindowDays;
  const { rows, unplanned } = subjectDltTable([...subjects], [...aes], def, cutoffDtc);
  // Order of first dose: the full EX start date-time where known, then USUBJID.
  const firstDtc = new Map(subjects.map((s) => [s.usubjid, s.firstDoseDtc ?? '']));
  const esc = rows
    .filter((r) => r.part === 'escalation' && !r.placebo) // placebo never enters the rule (issue 10 item 11b)
    .sort((a, b) => (firstDtc.get(a.usubjid) ?? '').localeCompare(firstDtc.get(b.usubjid) ?? '') || a.usubjid.localeCompare(b.usubjid));
  const aesBy = new Map<string, AeFacts[]>();
  for (const a of aes) {
    let l = aesBy.get(a.usubjid);
    if (!l) aesBy.set(a.usubjid, (l = []));
    l.push(a);
  }

  const atd = def.escalation.design === 'atd';
  const design4 = def.escalation.atdDesign === 4;
  let accelerated = atd;
  let triggerDlt = 0;
  let triggerG2 = 0;
  const entries: HistoryEntry[] = [];
  const excluded: ExcludedSubject[] = [];
  for (const r of esc) {
    const outcome0 = outcomeOf(r.dlt.status);
    if (outcome0 === null) {
      excluded.push({ usubjid: r.usubjid, level: r.level, firstDoseDtc: r.firstDoseDtc, reason: r.dlt.reason });
      continue;
    }
    const counting = (aesBy.get(r.usubjid) ?? []).filter((a) => countsAsToxicity(a, grade2));
    const dayOf = (a: AeFacts) => studyDayFromIso(a.aestdtc, r.firstDoseDtc);
    const inWindow = counting.filter((a) => {
      const d = dayOf(a);
      return d !== null && d >= 1 && d <= W;
    });
    const worst = inWindow.reduce<number | null>((m, a) => (a.grade !== null && (m === null || a.grade > m) ? a.grade : m), null);
    let outcome = outcome0;
    let laterCourse: LaterCourseToxicity | undefined;
    const wasAccelerated = accelerated;
    if (accelerated) {
      if (outcome === 'N' && worst !== null && worst >= 2) outcome = 'G';
      if (design4 && (outcome === 'N' || outcome === 'G')) {
        const later = counting.filter((a) => {
          const d = dayOf(a);
          return d !== null && d > W;
        });
        if (later.some((a) => a.dlt || (a.grade ?? 0) >= 3)) laterCourse = 't';
        else if (later.some((a) => a.grade === 2)) laterCourse = 'g';
      }
      if (outcome === 'T' || laterCourse === 't') triggerDlt++;
      if (outcome === 'G' || laterCourse === 'g') triggerG2++;
      if (triggerDlt >= 1 || triggerG2 >= 2) accelerated = false;
    }
    entries.push({
      usubjid: r.usubjid,
      level: r.level,
      cohortId: '',
      firstDoseDtc: r.firstDoseDtc,
      outcome,
      ...(laterCourse ? { laterCourse } : {}),
      worstGradeInWindow: worst,
      accelerated: wasAccelerated,
      reason: r.dlt.reason,
    });
  }

  // Cohorts.
  const known = opts.cohortOf;
  if (known && entries.length > 0 && entries.every((e) => known.has(e.usubjid))) {
    for (const e of entries) e.cohortId = known.get(e.usubjid)!;
  } else {
    let k = 0;
    let size = 0;
    let prev: HistoryEntry | undefined;
    for (const e of entries) {
      if (!prev || e.accelerated || prev.accelerated || prev.level !== e.level || size >= cohortSize) {
        k++;
        size = 0;
      }
      e.cohortId = `C${k}`;
      size++;
      prev = e;
    }
  }
  const parsed = buildHistory(entries.map((e) => ({ level: e.level, outcome: e.outcome, cohortId: e.cohortId, ...(e.laterCourse ? { laterCourse: e.laterCourse } : {}) })));
  // Cohort dates, grouped as buildHistory groups (consecutive entries with one level and cohort id).
  const windowEnd = new Map(rows.map((r) => [r.usubjid, r.windowEndDtc]));
  const cohortTiming: CohortTiming[] = [];
  let prev: HistoryEntry | undefined;
  for (const e of entries) {
    const end = windowEnd.get(e.usubjid) ?? null;
    const last = cohortTiming[cohortTiming.length - 1];
    if (last && prev && prev.level === e.level && prev.cohortId === e.cohortId) {
      if (end && (!last.windowEnd || end > last.windowEnd)) last.windowEnd = end;
    } else cohortTiming.push({ firstDose: e.firstDoseDtc, windowEnd: end });
    prev = e;
  }
  return { history: formatHistory(parsed), parsed, entries, excluded, dltRows: rows, unplanned: unplanned.map((s) => s.usubjid), cohortTiming };
}
