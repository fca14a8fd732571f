import { z } from 'zod';
import { lazySchema } from '../lazySchema';
import { method, SnapshotId, Usubjids } from './method';

// Contract methods of the concomitant-medications feature (merged into shared/contract.ts): the CM
// listing per subject and dose level, each medication placed against the first dose and the DLT window
// (shared/conmeds.ts, docs/CLINICAL_RULES.md#concomitant-medications).

export const CmTimingOut = lazySchema(() => z.enum(['prior', 'in DLT window', 'possibly in DLT window', 'after DLT window', 'start unknown']));

export const cmApi = {
  'cm.listing': method(
    'Concomitant medications (CM) of the treated subjects: CMTRT, CMDECOD, CMCLAS, CMINDC, CMDOSE/CMDOSU, CMROUTE, CMSTDTC/CMENDTC as study days, ongoing (CMENRTPT/CMENRF), and when each started against the first dose and the DLT window (a partial start date that may fall in the window is "possibly in DLT window").',
    () => z.object({ snapshotId: SnapshotId, usubjids: Usubjids }),
    () => z.object({
      snapshotId: SnapshotId,
      /** False when the snapshot has no CM record (asked with `usubjids`: when those subjects have none). */
      present: z.boolean(),
      dltWindowDays: z.number().int(),
      groups: z.array(z.object({ key: z.string(), label: z.string() })),
      rows: z.array(
        z.object({
          usubjid: z.string(),
          group: z.string(),
          part: z.enum(['escalation', 'expansion']),
          cmseq: z.number().nullable(),
          cmtrt: z.string().nullable(),
          cmdecod: z.string().nullable(),
          cmclas: z.string().nullable(),
          cmindc: z.string().nullable(),
          dose: z.string().nullable(),
          cmdosu: z.string().nullable(),
          cmdosfrq: z.string().nullable(),
          cmroute: z.string().nullable(),
          cmstdtc: z.string().nullable(),
          cmendtc: z.string().nullable(),
          startDay: z.number().int().nullable(),
          endDay: z.number().int().nullable(),
          /** True ongoing, false ended, null not known. */
          ongoing: z.boolean().nullable(),
          timing: CmTimingOut,
          file: z.string().nullable(),
          rowNo: z.number().int(),
        }),
      ),
      notes: z.array(z.string()),
    }),
  ),
} as const;
