import { z } from 'zod';
import { lazySchema } from '../lazySchema';
import { method, SnapshotId, Usubjids } from './method';

// Contract methods of the exposure feature (merged into shared/contract.ts): per subject and by dose
// level, cycles started, cumulative dose, dose intensity and relative dose intensity, delays, reductions
// and interruptions, from EX and the study definition's dosing plan. The rules are in
// shared/exposureIntensity.ts (docs/CLINICAL_RULES.md#exposure-intensity).

const ExposureEventOut = lazySchema(() => z.object({
  dtc: z.string().nullable(),
  studyDay: z.number().int().nullable(),
  cycle: z.number().int().nullable(),
  detail: z.string(),
  file: z.string().nullable(),
  rowNo: z.number().int(),
}));

export const exposureApi = {
  'exposure.summary': method(
    'Exposure per treated subject and by dose level: cycles started, cumulative dose, dose intensity (dose per week) and relative dose intensity (actual ÷ planned at the assigned level), cycles delayed beyond the visit window, doses below the assigned level, administrations not given or interrupted (EXOCCUR = N, EXDOSE = 0, EXADJ), and EX records not used with why.',
    () => z.object({ snapshotId: SnapshotId, usubjids: Usubjids }),
    () => z.object({
      snapshotId: SnapshotId,
      /** False when the snapshot has no EX record. */
      present: z.boolean(),
      doseUnit: z.string(),
      cycleLengthDays: z.number().int(),
      dosesPerCycle: z.number().int(),
      delayDays: z.number().int(),
      groups: z.array(z.object({ key: z.string(), label: z.string() })),
      subjects: z.array(
        z.object({
          usubjid: z.string(),
          group: z.string(),
          part: z.enum(['escalation', 'expansion']),
          plannedDose: z.number().nullable(),
          administrations: z.number().int(),
          cyclesStarted: z.number().int(),
          cumulativeDose: z.number(),
          durationDays: z.number().int().nullable(),
          doseIntensity: z.number().nullable(),
          plannedIntensity: z.number().nullable(),
          relativeDoseIntensity: z.number().nullable(),
          rdiNotComputed: z.string().nullable(),
          cycles: z.array(z.object({ cycle: z.number().int(), dtc: z.string(), studyDay: z.number().int(), dose: z.number(), delayDays: z.number().int().nullable() })),
          delays: z.array(ExposureEventOut),
          reductions: z.array(ExposureEventOut),
          escalations: z.array(ExposureEventOut),
          interruptions: z.array(ExposureEventOut),
          notUsed: z.array(ExposureEventOut),
        }),
      ),
      levels: z.array(
        z.object({
          group: z.string(),
          n: z.number().int(),
          cyclesMedian: z.number().nullable(),
          cyclesMin: z.number().int().nullable(),
          cyclesMax: z.number().int().nullable(),
          cyclesTotal: z.number().int(),
          rdiMedian: z.number().nullable(),
          rdiMin: z.number().nullable(),
          rdiMax: z.number().nullable(),
          rdiN: z.number().int(),
          withDelay: z.number().int(),
          withReduction: z.number().int(),
          withInterruption: z.number().int(),
          delays: z.number().int(),
          reductions: z.number().int(),
          interruptions: z.number().int(),
        }),
      ),
      notes: z.array(z.string()),
    }),
  ),
} as const;
