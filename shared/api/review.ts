import { z } from 'zod';
import { lazySchema } from '../lazySchema';
import { method, SnapshotId, Usubjids, WriteSession } from './method';

// Contract methods of review marks (issue 15 item 2; docs/CLINICAL_RULES.md#review-marks): a reviewer
// marks a subject reviewed on a snapshot; on a later snapshot the mark holds while the subject's
// records are unchanged and otherwise reads "changed since review" with the changes. The rule is
// shared/review.ts; handlers in electron/core/review.

const Usubjid = lazySchema(() => z.string().trim().min(1).max(200));

export const ReviewChange = lazySchema(() => z.object({
  domain: z.string(),
  key: z.array(z.string()),
  change: z.enum(['added', 'changed', 'removed']),
  variables: z.array(z.object({ name: z.string(), before: z.string().nullable(), after: z.string().nullable() })),
}));
export type ReviewChange = z.infer<typeof ReviewChange>;

export const ReviewMarkOut = lazySchema(() => z.object({
  markId: z.number().int(),
  usubjid: z.string(),
  username: z.string(),
  name: z.string(),
  markedAt: z.string(),
  comment: z.string().nullable(),
  /** The snapshot the mark was made on. */
  snapshotId: z.number().int(),
  snapshotLabel: z.string(),
  snapshotCutoff: z.string().nullable(),
  /** current: the subject's records are as reviewed; changed: some record was added, changed or removed since. */
  status: z.enum(['current', 'changed']),
  changes: z.array(ReviewChange),
}));
export type ReviewMarkOut = z.infer<typeof ReviewMarkOut>;

export const SubjectReview = lazySchema(() => z.object({
  usubjid: z.string(),
  /** current when any reviewer's mark holds on this snapshot; changed when every mark's data changed since; none without a mark. */
  status: z.enum(['current', 'changed', 'none']),
  marks: z.array(ReviewMarkOut),
}));
export type SubjectReview = z.infer<typeof SubjectReview>;

export const UnreviewedSubject = lazySchema(() => z.object({
  usubjid: z.string(),
  level: z.number().int(),
  status: z.enum(['changed', 'none']),
  /** Who reviewed earlier data of the subject (status changed). */
  reviewers: z.array(z.string()),
}));
export type UnreviewedSubject = z.infer<typeof UnreviewedSubject>;

const Stage = lazySchema(() => z.enum(['start', 'lock']));

export const reviewApi = {
  'review.list': method(
    "Every subject of a snapshot (or the ones named) with its reviewers' marks in force: current when the subject's records are as reviewed, changed (with the list of added, changed and removed records) otherwise, none without a mark. With marked, only the subjects that have a mark (a subject left out has none).",
    () => z.object({ snapshotId: SnapshotId, usubjids: Usubjids, marked: z.boolean().default(false) }),
    () => z.object({ snapshotId: SnapshotId, subjects: z.array(SubjectReview) }),
  ),
  'review.mark': method(
    'Mark a subject reviewed on a snapshot (signed-in account), with an optional comment; replaces that account\'s earlier mark of the subject. Audited.',
    () => z.object({ session: WriteSession, snapshotId: SnapshotId, usubjid: Usubjid, comment: z.string().trim().max(2000).optional() }),
    () => SubjectReview,
  ),
  'review.unmark': method(
    "Withdraw the signed-in account's mark of a subject (the mark stays in the history). Audited.",
    () => z.object({ session: WriteSession, snapshotId: SnapshotId, usubjid: Usubjid, reason: z.string().trim().max(2000).optional() }),
    () => SubjectReview,
  ),
  'review.pending': method(
    "Subjects of the given dose levels (every part) whose data on the snapshot nobody's mark covers: the warning shown when a meeting starts or is locked.",
    () => z.object({ snapshotId: SnapshotId, levels: z.array(z.number().int()).min(1).max(50) }),
    () => z.object({ snapshotId: SnapshotId, levels: z.array(z.number().int()), subjects: z.array(UnreviewedSubject) }),
  ),
  'review.acknowledge': method(
    "Record that the signed-in account saw the meeting's unreviewed subjects (computed now from the meeting's snapshot and levels) when starting or locking it. Audited under the meeting; a warning, never a block.",
    () => z.object({ session: WriteSession, meetingId: z.number().int().positive(), stage: Stage }),
    () => z.object({ meetingId: z.number().int(), stage: Stage, subjects: z.array(UnreviewedSubject), acknowledgedBy: z.string().nullable(), acknowledgedAt: z.string().nullable() }),
  ),
};
