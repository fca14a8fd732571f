import { z } from 'zod';
import { lazySchema } from '../lazySchema';
import { method, SnapshotId, Usubjids } from './method';

// Contract methods of the subjects feature (merged into shared/contract.ts): each treated subject's
// timeline (demographics, exposure segments per dose over time, end of treatment, death,
// disposition) for the swimmer plot and the patient profile header, and one subject's labs (LB).
// The exposure rule is shared/exposure.ts.

const Part = lazySchema(() => z.enum(['escalation', 'expansion']));

export const ExposureSegmentOut = lazySchema(() => z.object({
  startDtc: z.string(),
  endDtc: z.string(),
  startDay: z.number().int(),
  endDay: z.number().int(),
  dose: z.number().nullable(),
  unit: z.string().nullable(),
  level: z.number().int().nullable(),
  administrations: z.number().int(),
}));

export const SubjectTimeline = lazySchema(() => z.object({
  usubjid: z.string(),
  siteid: z.string().nullable(),
  age: z.number().nullable(),
  sex: z.string().nullable(),
  race: z.string().nullable(),
  country: z.string().nullable(),
  arm: z.string().nullable(),
  /** Dose level of the first dose (study definition's plan), null when not in the plan. */
  level: z.number().int().nullable(),
  dose: z.number().nullable(),
  doseUnit: z.string().nullable(),
  part: Part,
  firstDoseDtc: z.string(),
  lastDoseDtc: z.string().nullable(),
  /** Exposure: segments of constant dose (intra-patient escalation or reduction starts a new segment). */
  segments: z.array(ExposureSegmentOut),
  /** Administrations (EXSTDTC) as study days. */
  doseDays: z.array(z.number().int()),
  /** The lane's last day: end of treatment, else death, else the data cut-off (ongoing). */
  laneEndDtc: z.string().nullable(),
  laneEndDay: z.number().int().nullable(),
  ongoing: z.boolean(),
  endOfTreatment: z.object({ dtc: z.string().nullable(), day: z.number().int().nullable(), reason: z.string() }).nullable(),
  death: z.object({ dtc: z.string(), day: z.number().int().nullable() }).nullable(),
  dltWindowEndDtc: z.string().nullable(),
  disposition: z.array(z.object({ dsdecod: z.string(), dsterm: z.string().nullable(), dscat: z.string().nullable(), dsstdtc: z.string().nullable(), day: z.number().int().nullable() })),
}));
export type SubjectTimeline = z.infer<typeof SubjectTimeline>;

export const subjectsApi = {
  'subjects.timeline': method(
    'Per treated subject (first dose on or before the cut-off): demographics, exposure segments per dose over time (study days), end of treatment with its reason, death, disposition records, DLT window end. With usubjids, only those subjects are listed (a page of swimmer lanes, one profile).',
    () => z.object({ snapshotId: SnapshotId, usubjids: Usubjids }),
    () => z.object({
      snapshotId: SnapshotId,
      dataCutoff: z.string().nullable(),
      dltWindowDays: z.number().int(),
      cycleLengthDays: z.number().int(),
      /** Which domains the snapshot has rows in (views say what is missing). */
      domains: z.array(z.string()),
      subjects: z.array(SubjectTimeline),
      /** Subjects in DM without a dose on or before the cut-off. */
      notTreated: z.array(z.string()),
    }),
  ),
  'subjects.lanes': method(
    "The treated subjects' lane index, as columns (one entry per subject, in the timeline's order): subject, dose level, part, first dose, lane end day. What the swimmer sorts, filters and pages and the profile orders (J/K), without every subject's whole timeline; with the timeline's study facts.",
    () => z.object({ snapshotId: SnapshotId }),
    () => z.object({
      snapshotId: SnapshotId,
      dataCutoff: z.string().nullable(),
      dltWindowDays: z.number().int(),
      domains: z.array(z.string()),
      lanes: z.object({
        usubjid: z.array(z.string()),
        level: z.array(z.number().int().nullable()),
        part: z.array(Part),
        firstDoseDtc: z.array(z.string()),
        laneEndDay: z.array(z.number().int().nullable()),
      }),
      notTreated: z.number().int(),
    }),
  ),
  'subjects.labs': method(
    "One subject's laboratory results (LB) per test over study days, with normal-range indicator and CTCAE grade.",
    () => z.object({ snapshotId: SnapshotId, usubjid: z.string().min(1).max(200) }),
    () => z.object({
      snapshotId: SnapshotId,
      usubjid: z.string(),
      /** False when the snapshot has no LB records at all. */
      present: z.boolean(),
      tests: z.array(
        z.object({
          testcd: z.string(),
          test: z.string().nullable(),
          unit: z.string().nullable(),
          points: z.array(
            z.object({
              dtc: z.string().nullable(),
              day: z.number().int().nullable(),
              value: z.number().nullable(),
              text: z.string().nullable(),
              nrind: z.string().nullable(),
              toxgr: z.string().nullable(),
              /** LBSTNRLO / LBSTNRHI: the normal range in standard units (the units of LBSTRESN); null when absent or not numeric. */
              normalLow: z.number().nullable(),
              normalHigh: z.number().nullable(),
              rowNo: z.number().int(),
              /**
               * CTCAE v5.0 grade per term of the test (two for potassium and sodium: high and low), as the
               * Laboratory view grades it (labs feature, shared/labs): LBTOXGR when given, else derived from
               * the value and the normal range; grade null with the reason when it cannot be graded. Empty
               * for a test no CTCAE rule here covers.
               */
              ctcae: z.array(
                z.object({
                  term: z.string(),
                  grade: z.number().int().nullable(),
                  source: z.enum(['LBTOXGR', 'derived']).nullable(),
                  basis: z.string().nullable(),
                  notGradable: z.string().nullable(),
                }),
              ),
            }),
          ),
        }),
      ),
    }),
  ),
} as const;
