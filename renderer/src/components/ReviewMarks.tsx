import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { SubjectReview, UnreviewedSubject } from '../../../shared/api/review';
import { changeText } from '../../../shared/review';
import { invoke } from '../api';
import { errorText, SignInCancelled, useAuth } from '../auth';
import { isoDate } from '../format';
import './ReviewMarks.css';

// Review marks in the UI (issue 15 item 2; README.md#review-marks): one store of each snapshot's
// review.list, read by the badges of the DLT table and by the patient profile's panel, and reloaded
// after a mark or an unmark; the warning of unreviewed subjects when a meeting starts or is locked.

type Reviews = Map<string, SubjectReview>;

const cache = new Map<number, { data: Reviews | null; error: unknown; loading: Promise<void> | null }>();
const listeners = new Set<() => void>();
let version = 0;
const notify = () => {
  version++;
  listeners.forEach((l) => l());
};

function load(snapshotId: number): void {
  const e = cache.get(snapshotId) ?? { data: null, error: null, loading: null };
  cache.set(snapshotId, e);
  if (e.loading) return;
  // Only the subjects with a mark: at 10,000 subjects the unmarked ones were 0.6 MB of "none".
  e.loading = invoke('review.list', { snapshotId, marked: true }).then(
    (r) => {
      e.data = new Map(r.subjects.map((s) => [s.usubjid, s]));
      e.error = null;
      e.loading = null;
      notify();
    },
    (err: unknown) => {
      e.error = err;
      e.loading = null;
      notify();
    },
  );
}

/** Reload every snapshot's marks (a mark, an unmark, a new import). */
export function invalidateReviews(): void {
  cache.clear();
  notify();
}

/** A subject nobody's mark covers (review.list with `marked` leaves it out). */
const notReviewed = (usubjid: string): SubjectReview => ({ usubjid, status: 'none', marks: [] });

/** The review of each subject with a mark, of a snapshot (null while loading; a subject absent has none: `reviewOf`). */
export function useReviews(snapshotId: number | null): Reviews | null {
  const v = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => version,
  );
  useEffect(() => {
    if (snapshotId !== null && !cache.get(snapshotId)?.data) load(snapshotId);
  }, [snapshotId, v]);
  return snapshotId === null ? null : (cache.get(snapshotId)?.data ?? null);
}

/** "changed since your review" when the signed-in account's own mark changed, else by anyone's. */
export function reviewWords(r: SubjectReview, me: string | null): string {
  if (r.status === 'none') return 'not reviewed';
  const mine = r.marks.find((m) => m.username === me);
  if (r.status === 'current') {
    const current = r.marks.filter((m) => m.status === 'current');
    return `reviewed · ${current.map((m) => m.username).join(', ')} · ${latestDate(current)}`;
  }
  return `${mine ? 'changed since your review' : 'changed since review'} · ${latestDate(mine ? [mine] : r.marks)}`;
}

/** The date of the latest of these marks (YYYY-MM-DD, the reviewer's local date as recorded). */
const latestDate = (marks: readonly { markedAt: string }[]): string => marks.map((m) => m.markedAt.slice(0, 10)).sort().at(-1) ?? '';

/** "EX 5 added · AE 4 added, 1 changed · LB 2 removed": the changes counted by domain, in the list's order. */
export function changeSummary(changes: readonly { domain: string; change: string }[]): string {
  const by = new Map<string, Map<string, number>>();
  for (const c of changes) {
    const d = by.get(c.domain) ?? new Map<string, number>();
    d.set(c.change, (d.get(c.change) ?? 0) + 1);
    by.set(c.domain, d);
  }
  return [...by].map(([d, m]) => `${d} ${[...m].map(([k, n]) => `${n} ${k}`).join(', ')}`).join(' · ');
}

function reviewTitle(r: SubjectReview): string {
  if (r.status === 'none') return 'Nobody has marked this subject reviewed.';
  return r.marks
    .map((m) => {
      const head = `${m.name} (${m.username}) reviewed on ${m.snapshotLabel}${m.snapshotCutoff ? ` (cut-off ${m.snapshotCutoff})` : ''}, ${m.markedAt}${m.comment ? ` — “${m.comment}”` : ''}`;
      return m.status === 'current' ? `${head}: unchanged since` : `${head}: changed since —\n  ${m.changes.slice(0, 12).map(changeText).join('\n  ')}${m.changes.length > 12 ? `\n  … ${m.changes.length - 12} more` : ''}`;
    })
    .join('\n');
}

/** The badge of one subject: who reviewed it and whether its data changed since (a cell of the DLT table). */
export function ReviewBadge({ snapshotId, usubjid }: { snapshotId: number; usubjid: string }) {
  const reviews = useReviews(snapshotId);
  const auth = useAuth();
  if (!reviews) return null;
  const r = reviews.get(usubjid) ?? notReviewed(usubjid);
  return (
    <span className={`review-badge review-${r.status}`} data-testid="review-badge" data-status={r.status} title={reviewTitle(r)}>
      {r.status === 'current' ? '✓ ' : r.status === 'changed' ? '△ ' : ''}
      {reviewWords(r, auth.user?.username ?? null)}
    </span>
  );
}

/** The patient profile's review panel: each reviewer's mark with its changes since, the comment and the buttons. */
export function ReviewPanel({ snapshotId, usubjid }: { snapshotId: number; usubjid: string }) {
  const reviews = useReviews(snapshotId);
  const auth = useAuth();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setComment('');
    setError(null);
  }, [usubjid, snapshotId]);
  const r = reviews ? (reviews.get(usubjid) ?? notReviewed(usubjid)) : null;
  const me = auth.user?.username ?? null;
  const mine = r?.marks.find((m) => m.username === me) ?? null;

  const act = useCallback(
    async (what: 'mark' | 'unmark') => {
      setBusy(true);
      setError(null);
      try {
        await auth.withSession(
          (session) =>
            what === 'mark'
              ? invoke('review.mark', { session, snapshotId, usubjid, ...(comment.trim() ? { comment: comment.trim() } : {}) })
              : invoke('review.unmark', { session, snapshotId, usubjid }),
          'A review mark is recorded under your name: sign in first.',
        );
        setComment('');
        invalidateReviews();
      } catch (e) {
        if (!(e instanceof SignInCancelled)) setError(errorText(e));
      } finally {
        setBusy(false);
      }
    },
    [auth, snapshotId, usubjid, comment],
  );

  return (
    <section className="review-panel" aria-label="Review marks" data-testid="review-panel" data-status={r?.status ?? ''}>
      <div className="review-panel-head">
        <span className="picker-label">Review</span>
        {r ? <ReviewBadge snapshotId={snapshotId} usubjid={usubjid} /> : <span className="muted">loading…</span>}
        <input
          className="input input-compact review-comment"
          placeholder="Comment (optional)"
          maxLength={2000}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          aria-label="Review comment"
          data-testid="review-comment"
        />
        <button type="button" className="btn btn-small btn-primary" disabled={busy} onClick={() => void act('mark')} data-testid="review-mark">
          {mine ? (mine.status === 'changed' || mine.snapshotId !== snapshotId ? 'Mark reviewed again' : 'Update my mark') : 'Mark reviewed'}
        </button>
        {mine && (
          <button type="button" className="btn btn-small" disabled={busy} onClick={() => void act('unmark')} data-testid="review-unmark">
            Withdraw my mark
          </button>
        )}
      </div>
      {error && (
        <p className="form-problem" role="alert">
          {error}
        </p>
      )}
      {r && r.marks.length > 0 && (
        <ul className="review-marks" data-testid="review-marks">
          {r.marks.map((m) => (
            <li key={m.markId} data-testid="review-mark-item" data-status={m.status} data-user={m.username}>
              <b>{m.name}</b> <span className="muted">({m.username})</span> reviewed on <span className="mono">{m.snapshotLabel}</span>
              {m.snapshotCutoff ? <span className="muted"> (cut-off {isoDate(m.snapshotCutoff)})</span> : null}, {m.markedAt.replace('T', ' ').slice(0, 16)}
              {m.comment && <span className="review-comment-text"> — “{m.comment}”</span>}
              {m.status === 'current' ? (
                <span className="review-ok"> · unchanged since</span>
              ) : (
                <>
                  <span className="review-changed-text" data-testid="review-changed-text">
                    {' '}
                    · {m.username === me ? 'changed since your review' : 'changed since review'}: {m.changes.length} record{m.changes.length === 1 ? '' : 's'}
                  </span>
                  <div className="review-summary" data-testid="review-change-summary">
                    {changeSummary(m.changes)}
                  </div>
                  <div className="review-changes-wrap" tabIndex={0} role="region" aria-label={`Records changed since ${m.username}'s review`}>
                  <table className="data-table compact-table review-changes" data-testid="review-changes">
                    <thead>
                      <tr>
                        <th scope="col">Domain</th>
                        <th scope="col">Record (key)</th>
                        <th scope="col">Change</th>
                        <th scope="col">Variables (before → after)</th>
                      </tr>
                    </thead>
                    <tbody>
                      {m.changes.map((c, i) => (
                        <tr key={i} data-testid="review-change" data-domain={c.domain} data-change={c.change}>
                          <td>{c.domain}</td>
                          <td className="mono">{c.key.filter((k) => k !== '').join(' / ') || '(the subject)'}</td>
                          <td>
                            <span className={`pill ${c.change === 'removed' ? 'pill-danger' : 'pill-warning'}`}>{c.change}</span>
                          </td>
                          <td>{c.variables.map((v) => `${v.name} ${v.before ?? '(empty)'} → ${v.after ?? '(empty)'}`).join('; ')}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  </div>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * The warning shown before a meeting starts or is locked: subjects of the levels under decision
 * whose latest data nobody has reviewed. Acknowledging continues (a warning, not a block).
 */
export function UnreviewedWarning({ subjects, stage, busy, onAcknowledge, onCancel }: { subjects: UnreviewedSubject[]; stage: 'start' | 'lock'; busy?: boolean; onAcknowledge(): void; onCancel(): void }) {
  return (
    <div className="unreviewed-warning" role="alert" data-testid="unreviewed-warning" data-stage={stage}>
      <p>
        <b>
          {subjects.length} subject{subjects.length === 1 ? '' : 's'} of the levels under decision {subjects.length === 1 ? 'has' : 'have'} data nobody has reviewed on this snapshot.
        </b>{' '}
        You may {stage === 'start' ? 'start the meeting' : 'lock the record'} anyway; your acknowledgement is recorded in the audit trail of the meeting.
      </p>
      <ul data-testid="unreviewed-subjects" tabIndex={0} aria-label="Subjects not reviewed on this snapshot">
        {subjects.map((s) => (
          <li key={s.usubjid} data-usubjid={s.usubjid}>
            <span className="mono">{s.usubjid}</span> <span className="muted">DL{s.level}</span> · {s.status === 'none' ? 'not reviewed' : `changed since review by ${s.reviewers.join(', ')}`}
          </li>
        ))}
      </ul>
      <div className="form-actions">
        <button type="button" className="btn btn-primary" disabled={busy} onClick={onAcknowledge} data-testid="unreviewed-acknowledge">
          Acknowledge and {stage === 'start' ? 'start' : 'lock'}
        </button>
        <button type="button" className="btn" disabled={busy} onClick={onCancel}>
          Go back
        </button>
      </div>
    </div>
  );
}
