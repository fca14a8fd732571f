import type { CohortRow, Output } from '../../shared/contract';
import type { CsvValue } from './exports';

// The Cohorts and DLT tables as CSV rows (header + one row per record, plain values: numbers as
// numbers, ISO dates, no HTML, no totals — a reader's tool sums what it needs).

export const COHORT_CSV_HEADER = [
  'PART',
  'DOSE_LEVEL',
  'PLACEBO',
  'DOSE',
  'DOSE_UNIT',
  'TREATED',
  'WINDOW_COMPLETE',
  'IN_WINDOW',
  'NOT_EVALUABLE',
  'SUBJECTS_GRADE3_TEAE',
  'TEAES_WITHOUT_GRADE',
  'SUBJECTS_AESEV_SEVERE',
  'SAE_EVENTS',
  'SAE_SUBJECTS',
  'DLT_EVENTS',
  'DLT_SUBJECTS',
  'ONGOING',
  'OPEN_WINDOWS',
];

/** Not evaluable = treated − window complete − still in the window (as on screen). */
export function cohortCsvRows(rows: CohortRow[]): CsvValue[][] {
  return rows.map((r) => [
    r.part,
    r.placebo ? '' : r.level,
    r.placebo ? 'Y' : 'N',
    r.dose,
    r.doseUnit,
    r.treated,
    r.windowComplete,
    r.windowOpen,
    r.treated - r.windowComplete - r.windowOpen,
    r.subjectsGrade3,
    r.teaesWithoutGrade,
    r.subjectsSevere,
    r.saes,
    r.subjectsWithSae,
    r.dltAes,
    r.subjectsWithDlt,
    r.ongoing,
    // "USUBJID ends YYYY-MM-DD; …" — the open windows listed in the cell on screen.
    [...r.windowEnds].sort((a, b) => a.windowEnd.localeCompare(b.windowEnd)).map((w) => `${w.usubjid} ends ${w.windowEnd}`).join('; '),
  ]);
}

type DltLevel = Output<'safety.dltTable'>['levels'][number];

export const DLT_CSV_HEADER = [
  'PART',
  'DOSE_LEVEL',
  'PLACEBO',
  'USUBJID',
  'FIRST_DOSE',
  'WINDOW_END',
  'DAYS_LEFT',
  'STATUS',
  'EVALUABLE',
  'REASON',
  'EOT_DATE',
  'EOT_SOURCE',
  'DLTS',
  'POSSIBLE_DLTS_NOT_FLAGGED',
  'RELATED_AES_WITHOUT_GRADE',
  'LAB_GRADE_3_IN_WINDOW',
];

const aeText = (a: { grade?: number | null; aedecod?: string | null; aeterm?: string | null; studyDay?: number | null; relationshipMissing?: boolean }) =>
  `G${a.grade ?? '?'} ${a.aedecod ?? a.aeterm ?? ''} day ${a.studyDay ?? '?'}${a.relationshipMissing ? ' (relationship missing)' : ''}`;

/** One row per subject of the levels shown; several AEs in one cell are separated by "; ". */
export function dltCsvRows(levels: DltLevel[]): CsvValue[][] {
  return levels.flatMap((l) =>
    l.subjects.map((s) => [
      l.part,
      l.placebo ? '' : l.level,
      l.placebo ? 'Y' : 'N',
      s.usubjid,
      s.firstDoseDtc,
      s.windowEndDtc,
      s.status === 'in-window' ? (s.daysLeft ?? '') : '',
      s.status,
      s.evaluable ? 'Y' : 'N',
      !s.evaluable || s.status === 'dlt' ? s.reason : '',
      s.endOfTreatment?.dtc ?? '',
      s.endOfTreatment?.source ?? '',
      s.dlts.map(aeText).join('; '),
      s.possibleDlts.map(aeText).join('; '),
      s.ungradedNotScreened.map(aeText).join('; '),
      // Absent in DLT tables stored by meetings created before the laboratory screen existed.
      (s.possibleDltLabs as typeof s.possibleDltLabs | undefined)?.map((x) => `G${x.grade} ${x.term} (${x.testcd} ${x.result ?? ''} ${x.unit ?? ''}) day ${x.studyDay ?? '?'}`).join('; ') ?? '',
    ]),
  );
}
