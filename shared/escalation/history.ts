// Dose-path ("history") notation of the R package `escalation` (Brock et al., S5 in
// docs/CLINICAL_RULES.md#sources; docs/CLINICAL_RULES.md#escalation-history):
//
//   1NNN 2NNT 2NNN
//
// Each whitespace-separated token is one cohort: the dose-level number (1-based) followed by one
// letter per patient, in order of enrolment.
//   N  evaluable, no DLT in the DLT window (course 1)                                   (S5)
//   T  DLT in the DLT window                                                            (S5)
//   G  no DLT, worst toxicity in the counting course was grade 2 (accelerated titration,
//      Simon et al. 1997, S8). Counts as "no DLT" for 3+3, BOIN and mTPI-2.
//   P  pending: the patient is still inside the DLT window, not yet evaluable. DoseDesk
//      extension (the reference defines no pending marker). A pending patient is not counted
//      in n or in the DLTs, but makes the cohort incomplete.
// A patient letter may be followed by one lower-case annotation for a LATER course (after the
// DLT window), used only by accelerated titration design 4, whose switch trigger counts
// toxicity in any course (S8):
//   g  grade 2 toxicity in a later course,   t  DLT-grade toxicity in a later course.
// Example: `1N 2Ng 3G`. Designs 2 and 3 and all other rules ignore annotations.

export type PatientOutcome = 'N' | 'T' | 'G' | 'P';
export type LaterCourseToxicity = 'g' | 't';

export interface HistoryPatient {
  outcome: PatientOutcome;
  laterCourse?: LaterCourseToxicity;
}

export interface HistoryCohort {
  /** 1-based dose level. */
  level: number;
  patients: HistoryPatient[];
}

export interface ParsedHistory {
  cohorts: HistoryCohort[];
}

/** A malformed history: `position` is the 1-based character position, `character` what was found there. */
export class HistoryParseError extends Error {
  readonly position: number;
  readonly character: string;
  constructor(position: number, character: string, detail: string) {
    const found = character === '' ? 'end of input' : `'${character}'`;
    super(`Malformed dose history at position ${position} (${found}): ${detail}`);
    this.name = 'HistoryParseError';
    this.position = position;
    this.character = character;
  }
}

const PATIENT_LETTERS = new Set(['N', 'T', 'G', 'P']);
const ANNOTATIONS = new Set(['g', 't']);

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}
function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

/**
 * Parse a dose history. Throws HistoryParseError naming the position and the offending character.
 * `levels`, when given, is the number of planned levels: a level above it is an error.
 */
export function parseHistory(text: string, options: { levels?: number } = {}): ParsedHistory {
  const cohorts: HistoryCohort[] = [];
  let i = 0;
  const at = (k: number) => (k < text.length ? text[k]! : '');
  while (i < text.length) {
    if (isSpace(at(i))) {
      i++;
      continue;
    }
    // Level number.
    const start = i;
    if (!isDigit(at(i))) {
      throw new HistoryParseError(i + 1, at(i), 'a cohort must start with its dose-level number (e.g. "2NNT")');
    }
    while (isDigit(at(i))) i++;
    const level = Number(text.slice(start, i));
    if (level < 1) {
      throw new HistoryParseError(start + 1, at(start), `dose level ${text.slice(start, i)} is not valid; levels start at 1`);
    }
    if (options.levels !== undefined && level > options.levels) {
      throw new HistoryParseError(start + 1, at(start), `dose level ${level} is above the highest planned level ${options.levels}`);
    }
    // Patients.
    const patients: HistoryPatient[] = [];
    while (i < text.length && !isSpace(at(i))) {
      const c = at(i);
      if (PATIENT_LETTERS.has(c)) {
        patients.push({ outcome: c as PatientOutcome });
        i++;
      } else if (ANNOTATIONS.has(c)) {
        const last = patients[patients.length - 1];
        if (!last) {
          throw new HistoryParseError(i + 1, c, `a later-course annotation '${c}' must follow a patient letter`);
        }
        if (last.laterCourse) {
          throw new HistoryParseError(i + 1, c, 'a patient carries at most one later-course annotation (g or t)');
        }
        last.laterCourse = c as LaterCourseToxicity;
        i++;
      } else if (isDigit(c)) {
        throw new HistoryParseError(i + 1, c, 'a new cohort (level number) must be separated from the previous one by a space');
      } else {
        throw new HistoryParseError(
          i + 1,
          c,
          'expected a patient letter N (no DLT), T (DLT), G (grade 2, no DLT) or P (pending), or a later-course annotation g/t',
        );
      }
    }
    if (patients.length === 0) {
      throw new HistoryParseError(i + 1, at(i), `dose level ${level} has no patients`);
    }
    cohorts.push({ level, patients });
  }
  return { cohorts };
}

/** Format a parsed history back into the notation (inverse of parseHistory for canonical input). */
export function formatHistory(history: ParsedHistory): string {
  return history.cohorts
    .map((c) => `${c.level}${c.patients.map((p) => p.outcome + (p.laterCourse ?? '')).join('')}`)
    .join(' ');
}

/** Accept either the notation or an already parsed history. */
export function toParsedHistory(history: string | ParsedHistory, options: { levels?: number } = {}): ParsedHistory {
  if (typeof history === 'string') return parseHistory(history, options);
  for (const c of history.cohorts) {
    if (!Number.isInteger(c.level) || c.level < 1 || (options.levels !== undefined && c.level > options.levels)) {
      throw new RangeError(`dose level ${c.level} is outside 1..${options.levels ?? 'max'}`);
    }
    if (c.patients.length === 0) throw new RangeError(`cohort at level ${c.level} has no patients`);
  }
  return history;
}

/**
 * Build a history from per-patient records in enrolment order. Consecutive patients with the same
 * level and cohort id form one cohort (without cohort ids, consecutive patients at one level do).
 */
export function buildHistory(
  patients: readonly { level: number; outcome: PatientOutcome; laterCourse?: LaterCourseToxicity; cohortId?: string | number }[],
): ParsedHistory {
  const cohorts: (HistoryCohort & { id?: string | number })[] = [];
  for (const p of patients) {
    const last = cohorts[cohorts.length - 1];
    const patient: HistoryPatient = p.laterCourse ? { outcome: p.outcome, laterCourse: p.laterCourse } : { outcome: p.outcome };
    if (last && last.level === p.level && last.id === p.cohortId) last.patients.push(patient);
    else cohorts.push({ level: p.level, patients: [patient], id: p.cohortId });
  }
  return { cohorts: cohorts.map(({ level, patients: ps }) => ({ level, patients: ps })) };
}

/** Per-level tallies: what every rule works from (docs/CLINICAL_RULES.md#escalation-history). */
export interface LevelTally {
  level: number;
  /** Evaluable patients (N, T, G). */
  n: number;
  /** Patients with a DLT in the DLT window (T). */
  dlt: number;
  /** Patients with grade-2 toxicity in the counting course and no DLT (G). */
  grade2: number;
  /** Patients still inside the DLT window (P). */
  pending: number;
}

/** Tallies for levels 1..levels (index 0 = level 1). */
export function tallyByLevel(history: ParsedHistory, levels: number): LevelTally[] {
  const tallies = emptyTallies(levels);
  for (const c of history.cohorts) addCohortToTallies(tallies, c);
  return tallies;
}

/** Zero tallies for levels 1..levels. */
export function emptyTallies(levels: number): LevelTally[] {
  const tallies: LevelTally[] = [];
  for (let l = 1; l <= levels; l++) tallies.push({ level: l, n: 0, dlt: 0, grade2: 0, pending: 0 });
  return tallies;
}

/**
 * Count one more cohort into the tallies (in place). tallyByLevel adds every cohort; the replay of
 * ruleDepartures adds one cohort per step, so that each prefix of the history costs O(1), not O(prefix).
 */
export function addCohortToTallies(tallies: LevelTally[], c: HistoryCohort): void {
  const t = tallies[c.level - 1];
  if (!t) throw new RangeError(`dose level ${c.level} is above the highest planned level ${tallies.length}`);
  for (const p of c.patients) {
    if (p.outcome === 'P') t.pending++;
    else {
      t.n++;
      if (p.outcome === 'T') t.dlt++;
      if (p.outcome === 'G') t.grade2++;
    }
  }
}

/** The level of the last cohort (the "current dose" of S5), or null for an empty history. */
export function currentLevel(history: ParsedHistory): number | null {
  const last = history.cohorts[history.cohorts.length - 1];
  return last ? last.level : null;
}
