import { z } from 'zod';
import { columnsOf } from '../columns';
import { lazySchema } from '../lazySchema';
import { method, RowsAs, SnapshotId } from './method';

// Contract methods of the laboratory-safety feature (merged into shared/contract.ts): CTCAE v5.0
// grades of the key laboratory tests, the shift table and eDISH. The rules are in shared/labs/.

const Grade = lazySchema(() => z.enum(['0', '1', '2', '3', '4', 'missing']));

const NotGradable = lazySchema(() => z.object({
  usubjid: z.string(),
  term: z.string(),
  testcd: z.string(),
  dtc: z.string().nullable(),
  /** Where the record is: file and data row (1 = first data row). */
  file: z.string().nullable(),
  rowNo: z.number().int(),
  result: z.string().nullable(),
  unit: z.string().nullable(),
  reason: z.string(),
}));

/** A subject–term pair of labs.shift: baseline and worst post-baseline grade, and the worst result. */
const ShiftSubject = lazySchema(() => z.object({
  usubjid: z.string(),
  group: z.string(),
  term: z.string(),
  testcd: z.string(),
  baselineGrade: z.number().int().nullable(),
  worstGrade: z.number().int().nullable(),
  worstDtc: z.string().nullable(),
  worstStudyDay: z.number().int().nullable(),
  worstResult: z.string().nullable(),
  worstUnit: z.string().nullable(),
  /** 'LBTOXGR' or 'derived', and how (× ULN, × baseline, the value). */
  worstSource: z.string().nullable(),
  worstBasis: z.string().nullable(),
  worstNote: z.string().nullable(),
  postBaseline: z.number().int(),
  notGradable: z.number().int(),
}));

const EdishPoint = lazySchema(() => z.object({
  usubjid: z.string(),
  group: z.string(),
  altXUln: z.number().nullable(),
  astXUln: z.number().nullable(),
  aminoXUln: z.number(),
  biliXUln: z.number(),
  altDtc: z.string().nullable(),
  astDtc: z.string().nullable(),
  biliDtc: z.string().nullable(),
  quadrant: z.enum(["Potential Hy's law", "Temple's corollary", 'Hyperbilirubinaemia', 'Normal range']),
}));

const Group = lazySchema(() => z.object({ key: z.string(), label: z.string() }));

export const labsApi = {
  'labs.shift': method(
    'Laboratory safety: CTCAE v5.0 grade of every result of ALT, AST, BILI, CREAT, NEUT, PLAT, HGB, K and SODIUM (LBTOXGR, else derived from the value and the normal range), per subject the baseline and worst post-baseline grade per term, the shift table baseline × worst grade by dose level, and the results that could not be graded with why. subjectRows "notable" leaves out of `subjects` the subject–term pairs graded 0 at baseline and after with every result gradable (counted in subjectRowsLeftOut; the shift table counts them).',
    () => z.object({ snapshotId: SnapshotId, subjectRows: z.enum(['all', 'notable']).default('all'), as: RowsAs }),
    () => z.object({
      snapshotId: SnapshotId,
      /** False when the snapshot has no LB result of a graded test. */
      present: z.boolean(),
      groups: z.array(Group),
      /** Treated subjects with a result of a graded test. */
      subjectCount: z.number().int(),
      /** Subject–term pairs left out of `subjects` (subjectRows "notable"); 0 with "all". */
      subjectRowsLeftOut: z.number().int(),
      blocks: z.array(
        z.object({
          term: z.string(),
          testcd: z.string(),
          soc: z.string(),
          group: z.string(),
          subjects: z.number().int(),
          notGradable: z.number().int(),
          cells: z.array(z.object({ baseline: Grade, worst: Grade, subjects: z.number().int() })),
        }),
      ),
      subjects: z.array(ShiftSubject),
      /** The same rows as columns (asked `as: 'columns'`; `subjects` is then empty), null when asked as rows. */
      subjectColumns: columnsOf(ShiftSubject).nullable(),
      notGradable: z.array(NotGradable),
      notes: z.array(z.string()),
    }),
  ),
  'labs.edish': method(
    "eDISH (FDA DILI guidance 2009): per subject the peak post-baseline ALT or AST × ULN against the peak total bilirubin × ULN, with the Hy's-law quadrant at 3 × ULN and 2 × ULN.",
    () => z.object({ snapshotId: SnapshotId, as: RowsAs }),
    () => z.object({
      snapshotId: SnapshotId,
      present: z.boolean(),
      groups: z.array(Group),
      points: z.array(EdishPoint),
      /** The same points as columns (asked `as: 'columns'`; `points` is then empty), null when asked as rows. */
      pointColumns: columnsOf(EdishPoint).nullable(),
      notPlotted: z.array(z.object({ usubjid: z.string(), group: z.string(), reason: z.string() })),
      /** Post-baseline ALT/AST/BILI results left out of the peaks: no numeric value or no ULN. */
      skippedResults: z.number().int(),
      notes: z.array(z.string()),
    }),
  ),
} as const;
