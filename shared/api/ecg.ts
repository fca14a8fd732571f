import { z } from 'zod';
import { lazySchema } from '../lazySchema';
import { method, SnapshotId } from './method';

// Contract methods of the ECG feature (merged into shared/contract.ts): QTcF (Fridericia 1920) per
// subject and time point with change from baseline, and the ICH E14 (2005) categories by dose level.
// The rules are in shared/ecg.ts.

const Group = lazySchema(() => z.object({ key: z.string(), label: z.string() }));

export const ecgApi = {
  'ecg.qtcf': method(
    'ECG: QTcF per subject and time point (EGTESTCD QTCF as given, else Fridericia QT / RR^(1/3) from QT and RR, or RR = 60 / heart rate from EG or VS), baseline (EGBLFL = Y, else the last pre-dose value), change from baseline, and the time points that could not be computed with why.',
    () => z.object({ snapshotId: SnapshotId }),
    () => z.object({
      snapshotId: SnapshotId,
      /** False when no EG record gives QT or QTcF for a treated subject. */
      present: z.boolean(),
      /** The domains the view needs that the snapshot does not hold ('EG'; 'VS' only matters for heart rate). */
      missingDomains: z.array(z.string()),
      groups: z.array(Group),
      points: z.array(
        z.object({
          usubjid: z.string(),
          group: z.string(),
          dtc: z.string().nullable(),
          tpt: z.string().nullable(),
          repnum: z.string().nullable(),
          studyDay: z.number().int().nullable(),
          qtcf: z.number(),
          source: z.string(),
          baseline: z.boolean(),
          /** True after the first dose, false on or before, null without a full date. */
          postBaseline: z.boolean().nullable(),
          change: z.number().nullable(),
        }),
      ),
      notComputable: z.array(
        z.object({
          usubjid: z.string(),
          dtc: z.string().nullable(),
          tpt: z.string().nullable(),
          domain: z.string(),
          testcd: z.string(),
          file: z.string().nullable(),
          rowNo: z.number().int(),
          reason: z.string(),
        }),
      ),
      notes: z.array(z.string()),
    }),
  ),
  'ecg.categories': method(
    'ECG: ICH E14 (2005) categorical analysis by dose level — subjects whose highest post-baseline QTcF is > 450, > 480, > 500 ms and whose highest increase from baseline is > 30, > 60 ms (cumulative), with the number evaluable.',
    () => z.object({ snapshotId: SnapshotId }),
    () => z.object({
      snapshotId: SnapshotId,
      present: z.boolean(),
      missingDomains: z.array(z.string()),
      groups: z.array(Group),
      rows: z.array(
        z.object({
          group: z.string(),
          evaluable: z.number().int(),
          evaluableChange: z.number().int(),
          gt450: z.number().int(),
          gt480: z.number().int(),
          gt500: z.number().int(),
          incGt30: z.number().int(),
          incGt60: z.number().int(),
        }),
      ),
      subjects: z.array(
        z.object({
          usubjid: z.string(),
          group: z.string(),
          baselineQtcf: z.number().nullable(),
          maxQtcf: z.number().nullable(),
          maxChange: z.number().nullable(),
        }),
      ),
      notes: z.array(z.string()),
    }),
  ),
} as const;
