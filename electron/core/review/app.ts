import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { contract, Output } from '../../../shared/contract';
import type { ReviewMarkOut, SubjectReview, UnreviewedSubject } from '../../../shared/api/review';
import { changeText, compareSubjectRecords, genericKeyVariables, normalizeReviewValue, subjectFingerprint, subjectReviewStatus, type ReviewRecord } from '../../../shared/review';
import { CallError, type App, type CoreContext } from '../context';
import { signedIn } from '../access/actor';
import { appendAudit } from '../audit/log';
import { stamp } from '../audit/clock';
import { snapshotInfo } from '../snapshots/app';
import { dltTableOf } from '../safety/app';
import { loadVersion } from '../meetings/queries';
import { DOMAIN_BY_NAME } from '../store/domains';
import { insertAcknowledgement, insertMark, marksInForce, snapshotSubjects, subjectRecordsOf, type MarkRow, type StoredSubjectRecord } from './queries';

// Handlers of review marks (issue 15 item 2; docs/CLINICAL_RULES.md#review-marks). A mark is made on
// one snapshot by a signed-in account; on any snapshot of the study it is "current" while the
// subject's records there equal those of the snapshot it was made on, else "changed" with the list of
// changes (shared/review.ts compareSubjectRecords). Marks and acknowledgements are append-only rows,
// each written with its audit entry in one transaction; snapshots are only read.

type In<M extends keyof typeof contract> = z.output<(typeof contract)[M]['input']>;

export function registerReview(app: App): void {
  app.method('review.list', ({ snapshotId, usubjids, marked }, ctx) => ({ snapshotId, subjects: reviewsOf(ctx, snapshotId, usubjids).filter((r) => !marked || r.marks.length > 0) }));
  app.method('review.mark', (input, ctx) => mark(ctx, input));
  app.method('review.unmark', (input, ctx) => unmark(ctx, input));
  app.method('review.pending', ({ snapshotId, levels }, ctx) => ({ snapshotId, levels: [...new Set(levels)].sort((a, b) => a - b), subjects: unreviewedOf(ctx, snapshotId, levels) }));
  app.method('review.acknowledge', (input, ctx) => acknowledge(ctx, input));
}

/**
 * A stored record as the rule compares it. Its identity: the domain's natural key (store/domains.ts,
 * without --SEQ, which sponsors renumber between cuts) for the domains DoseDesk models; for a domain
 * kept whole, its topic and timing variables (shared/review.ts genericKeyVariables). USUBJID is left
 * out: the set is one subject's.
 */
export function toReviewRecord(r: StoredSubjectRecord): ReviewRecord {
  const spec = r.generic ? undefined : DOMAIN_BY_NAME.get(r.domain);
  if (spec) {
    const parts = r.recKey.split('\u001f');
    const key = spec.naturalKey.map((k, i) => (k === 'USUBJID' ? null : (parts[i] ?? ''))).filter((k): k is string => k !== null);
    return { domain: r.domain, key, values: r.values };
  }
  const names = genericKeyVariables(r.domain, Object.keys(r.values));
  return { domain: r.domain, key: names.map((n) => normalizeReviewValue(r.values[n]) ?? ''), values: r.values };
}

/** Each subject's records in one snapshot, as the rule compares them. */
export function recordsBySubject(ctx: CoreContext, snapshotId: number, usubjids: readonly string[]): Map<string, ReviewRecord[]> {
  const out = new Map<string, ReviewRecord[]>(usubjids.map((u) => [u, []]));
  for (const r of subjectRecordsOf(ctx.db, snapshotId, usubjids)) out.get(r.usubjid)?.push(toReviewRecord(r));
  return out;
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** Every subject's review on a snapshot: each reviewer's mark in force with its status and changes since. */
export function reviewsOf(ctx: CoreContext, snapshotId: number, usubjids?: readonly string[]): SubjectReview[] {
  const snap = snapshotInfo(ctx, snapshotId);
  const subjects = usubjids ? [...new Set(usubjids)] : snapshotSubjects(ctx.db, snapshotId);
  const marks = marksInForce(ctx.db, snap.studyId, usubjids ? subjects : undefined);
  const bySubject = new Map<string, MarkRow[]>();
  for (const m of marks) {
    const l = bySubject.get(m.usubjid);
    if (l) l.push(m);
    else bySubject.set(m.usubjid, [m]);
  }
  const marked = [...bySubject.keys()];
  const now = recordsBySubject(ctx, snapshotId, marked);
  const nowPrint = new Map([...now].map(([u, rs]) => [u, sha256(subjectFingerprint(rs))]));
  // The records of each snapshot a mark was made on, read once per snapshot (and only if the fingerprint differs).
  const then = new Map<number, Map<string, ReviewRecord[]>>();
  const recordsThen = (m: MarkRow) => {
    let bySnap = then.get(m.snapshot_id);
    if (!bySnap) {
      const need = marks.filter((x) => x.snapshot_id === m.snapshot_id).map((x) => x.usubjid);
      bySnap = recordsBySubject(ctx, m.snapshot_id, [...new Set(need)]);
      then.set(m.snapshot_id, bySnap);
    }
    return bySnap.get(m.usubjid) ?? [];
  };
  const out: SubjectReview[] = [];
  for (const usubjid of subjects) {
    const ms: ReviewMarkOut[] = (bySubject.get(usubjid) ?? []).map((m) => {
      const changes = m.snapshot_id === snapshotId || m.fingerprint === nowPrint.get(usubjid) ? [] : compareSubjectRecords(recordsThen(m), now.get(usubjid) ?? []);
      return {
        markId: m.mark_id,
        usubjid,
        username: m.username,
        name: m.printed_name,
        markedAt: m.made_at,
        comment: m.comment,
        snapshotId: m.snapshot_id,
        snapshotLabel: m.snapshot_label,
        snapshotCutoff: m.snapshot_cutoff,
        status: changes.length === 0 ? 'current' : 'changed',
        changes,
      };
    });
    out.push({ usubjid, status: subjectReviewStatus(ms), marks: ms });
  }
  return out;
}

function subjectOf(ctx: CoreContext, snapshotId: number, usubjid: string): void {
  if (!snapshotSubjects(ctx.db, snapshotId).includes(usubjid)) throw new CallError('not-found', `subject ${usubjid} is not in snapshot ${snapshotId} (DM)`);
}

function mark(ctx: CoreContext, input: In<'review.mark'>): SubjectReview {
  const who = signedIn(ctx, 'marking a subject reviewed');
  const snap = snapshotInfo(ctx, input.snapshotId);
  subjectOf(ctx, input.snapshotId, input.usubjid);
  const records = recordsBySubject(ctx, input.snapshotId, [input.usubjid]).get(input.usubjid) ?? [];
  const fingerprint = sha256(subjectFingerprint(records));
  const comment = input.comment ? input.comment : null;
  const at = stamp(ctx).iso;
  ctx.db
    .transaction(() => {
      const before = marksInForce(ctx.db, snap.studyId, [input.usubjid]).find((m) => m.user_id === who.userId);
      const markId = insertMark(ctx.db, { studyId: snap.studyId, snapshotId: snap.snapshotId, usubjid: input.usubjid, action: 'mark', comment, fingerprint, records: records.length, userId: who.userId, username: who.username, printedName: who.name, madeAt: at });
      appendAudit(ctx, {
        user: who.username,
        action: 'review-mark',
        entity: 'subject-review',
        entityId: `${snap.studyId}/${input.usubjid}`,
        old: before ? { markId: before.mark_id, snapshotId: before.snapshot_id, comment: before.comment, fingerprint: before.fingerprint } : null,
        new: { markId, snapshotId: snap.snapshotId, contentHash: snap.contentHash, comment, fingerprint, records: records.length },
      });
    })
    .immediate();
  return reviewsOf(ctx, input.snapshotId, [input.usubjid])[0]!;
}

function unmark(ctx: CoreContext, input: In<'review.unmark'>): SubjectReview {
  const who = signedIn(ctx, 'withdrawing a review mark');
  const snap = snapshotInfo(ctx, input.snapshotId);
  const at = stamp(ctx).iso;
  ctx.db
    .transaction(() => {
      const before = marksInForce(ctx.db, snap.studyId, [input.usubjid]).find((m) => m.user_id === who.userId);
      if (!before) throw new CallError('not-found', `${who.username} has no review mark on subject ${input.usubjid} to withdraw`);
      const markId = insertMark(ctx.db, { studyId: snap.studyId, snapshotId: snap.snapshotId, usubjid: input.usubjid, action: 'unmark', comment: input.reason ?? null, fingerprint: before.fingerprint, records: before.records, userId: who.userId, username: who.username, printedName: who.name, madeAt: at });
      appendAudit(ctx, {
        user: who.username,
        action: 'review-unmark',
        entity: 'subject-review',
        entityId: `${snap.studyId}/${input.usubjid}`,
        old: { markId: before.mark_id, snapshotId: before.snapshot_id, comment: before.comment, fingerprint: before.fingerprint },
        new: { markId, withdrawn: true },
        reason: input.reason ?? null,
      });
    })
    .immediate();
  return reviewsOf(ctx, input.snapshotId, [input.usubjid])[0]!;
}

/** Subjects of the levels (every part, placebo excepted) whose data on the snapshot no mark covers. */
export function unreviewedOf(ctx: CoreContext, snapshotId: number, levels: readonly number[]): UnreviewedSubject[] {
  const t = dltTableOf(ctx, snapshotId);
  const wanted = new Set(levels);
  const levelOf = new Map<string, number>();
  for (const l of t.levels) if (wanted.has(l.level) && !l.placebo) for (const s of l.subjects) if (!levelOf.has(s.usubjid)) levelOf.set(s.usubjid, l.level);
  if (levelOf.size === 0) return [];
  const reviews = reviewsOf(ctx, snapshotId, [...levelOf.keys()]);
  return reviews
    .filter((r) => r.status !== 'current')
    .map((r) => ({ usubjid: r.usubjid, level: levelOf.get(r.usubjid)!, status: r.status as 'changed' | 'none', reviewers: [...new Set(r.marks.map((m) => m.username))] }))
    .sort((a, b) => a.level - b.level || a.usubjid.localeCompare(b.usubjid));
}

function acknowledge(ctx: CoreContext, input: In<'review.acknowledge'>): Output<'review.acknowledge'> {
  const who = signedIn(ctx, 'acknowledging unreviewed subjects');
  const v = loadVersion(ctx.db, input.meetingId);
  const c = v.record.content;
  const subjects = unreviewedOf(ctx, c.snapshot.snapshotId, c.levels.map((l) => l.level));
  if (subjects.length === 0) return { meetingId: input.meetingId, stage: input.stage, subjects, acknowledgedBy: null, acknowledgedAt: null };
  const at = stamp(ctx).iso;
  ctx.db
    .transaction(() => {
      insertAcknowledgement(ctx.db, { meetingId: input.meetingId, version: v.record.version, snapshotId: c.snapshot.snapshotId, stage: input.stage, subjects: JSON.stringify(subjects), userId: who.userId, username: who.username, madeAt: at });
      appendAudit(ctx, {
        user: who.username,
        action: 'acknowledge-unreviewed',
        entity: 'meeting',
        entityId: input.meetingId,
        new: { version: v.record.version, stage: input.stage, snapshotId: c.snapshot.snapshotId, unreviewed: subjects.map((s) => `${s.usubjid} (DL${s.level}, ${s.status === 'none' ? 'not reviewed' : 'changed since review'})`) },
      });
    })
    .immediate();
  return { meetingId: input.meetingId, stage: input.stage, subjects, acknowledgedBy: who.username, acknowledgedAt: at };
}

/** The changes as text lines (CLI, tooltips). */
export const changesText = (m: ReviewMarkOut): string[] => m.changes.map(changeText);
