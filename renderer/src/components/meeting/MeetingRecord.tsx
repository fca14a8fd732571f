import { useEffect, useMemo, useState } from 'react';
import type { MeetingView, UserInfo } from '../../../../shared/api/meetings';
import type { Input } from '../../../../shared/contract';
import { checkQuorum, eligibleVoters, TABLE_FIGURE_MIME, type Attendee, type DecisionRecord, type MeetingContent, type Vote } from '../../../../shared/meeting';
import { invoke } from '../../api';
import { errorText, ROLE_LABELS, SignInCancelled, useAuth } from '../../auth';
import { isoDate, shortHash } from '../../format';
import { setCaptureTarget, useCaptureTarget, onCaptured } from './capture';
import { ConfirmLockDialog, DistributeDialog, ExportDialog, ReasonDialog, SignDialog } from './Dialogs';
import { issueSentence, meetingErrorSentence } from './words';
import { isoToLocal, localToIso, MEANING_LABELS, STATUS_LABELS, whenText } from './labels';
import { LevelPanel } from './LevelPanel';
import { UnreviewedWarning } from '../ReviewMarks';
import type { UnreviewedSubject } from '../../../../shared/api/review';

// One meeting record version: its state (version, status, signatures collected / required), the
// lifecycle actions the app allows in that state (save, finalize, sign, distribute, amend, export),
// what blocks locking, and the record itself — details, attendees and quorum, conflicts of interest,
// the reviewed dose levels, observations, action items, captured figures, signatures.

type Changes = Input<'meetings.update'>['changes'];

interface Form {
  title: string;
  committee: string;
  meetingNumber: string;
  start: string;
  timeZone: string;
  format: MeetingContent['format'];
  attendees: Attendee[];
  conflicts: MeetingContent['conflicts'];
  levels: { level: number; decision: DecisionRecord | null; votes: Vote[] }[];
  observations: MeetingContent['observations'];
  actionItems: MeetingContent['actionItems'];
}

function formOf(c: MeetingContent): Form {
  return {
    title: c.title,
    committee: c.committee,
    meetingNumber: c.meetingNumber,
    start: isoToLocal(c.startAt),
    timeZone: c.timeZone,
    format: c.format,
    attendees: c.attendees,
    conflicts: c.conflicts,
    levels: c.levels.map((l) => ({ level: l.level, decision: l.decision, votes: l.votes })),
    observations: c.observations,
    actionItems: c.actionItems,
  };
}

function changesOf(f: Form): Changes {
  return {
    title: f.title,
    committee: f.committee,
    meetingNumber: f.meetingNumber,
    startAt: localToIso(f.start, f.timeZone),
    timeZone: f.timeZone,
    format: f.format,
    attendees: f.attendees,
    conflicts: f.conflicts,
    levels: f.levels,
    observations: f.observations,
    actionItems: f.actionItems,
  };
}

/** A captured table's first rows and its size (the minutes print every row, paginated). */
function TablePreview({ dataUrl }: { dataUrl: string }) {
  let t: { columns: string[]; rows: string[][] } | null = null;
  try {
    const bin = atob(dataUrl.slice(dataUrl.indexOf(',') + 1));
    t = JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0)))) as { columns: string[]; rows: string[][] };
  } catch {
    t = null;
  }
  if (!t) return <div className="figure-placeholder">Table (unreadable)</div>;
  const shown = t.rows.slice(0, 6);
  return (
    <div className="figure-table" data-testid="captured-table">
      <p className="muted small">
        {t.rows.length} row{t.rows.length === 1 ? '' : 's'} × {t.columns.length} column{t.columns.length === 1 ? '' : 's'}{t.rows.length > shown.length ? ` (first ${shown.length} shown; the minutes print every row)` : ''}
      </p>
      <table className="data-table small">
        <thead>
          <tr>{t.columns.map((c, i) => <th key={i}>{c}</th>)}</tr>
        </thead>
        <tbody>
          {shown.map((r, i) => (
            <tr key={i}>{r.map((v, j) => <td key={j}>{v}</td>)}</tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type DialogKind = null | 'sign' | 'amend' | 'distribute' | 'export' | 'lock';

export function MeetingRecord({ meeting, users, onChanged, onPickVersion }: { meeting: MeetingView; users: UserInfo[]; onChanged(m: MeetingView): void; onPickVersion(v: number): void }) {
  const auth = useAuth();
  const m = meeting;
  const c = m.record.content;
  const [form, setForm] = useState<Form>(() => formOf(c));
  const [busy, setBusy] = useState<string | null>(null);
  // Subjects of the reviewed levels whose latest data nobody has reviewed, shown before locking (a warning, not a block).
  const [unreviewed, setUnreviewed] = useState<UnreviewedSubject[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<DialogKind>(null);
  const [figures, setFigures] = useState<Record<string, string>>({});
  const target = useCaptureTarget();

  useEffect(() => setForm(formOf(m.record.content)), [m]);

  const editable = m.status === 'draft' && m.version === m.latestVersion;
  const dirty = editable && JSON.stringify(changesOf(form)) !== JSON.stringify(changesOf(formOf(c)));
  const isTarget = target?.meetingId === m.meetingId && target.version === m.version;

  // A locked or superseded version no longer receives captures.
  useEffect(() => {
    if (target && target.meetingId === m.meetingId && !editable) setCaptureTarget(null);
  }, [target, m.meetingId, editable]);

  // Captures made in other views: re-read the record when one lands here.
  useEffect(
    () =>
      onCaptured(() => {
        invoke('meetings.get', { meetingId: m.meetingId, version: m.version }).then(onChanged, () => undefined);
      }),
    [m.meetingId, m.version, onChanged],
  );

  // The captured figures' bytes, for the thumbnails.
  useEffect(() => {
    let live = true;
    for (const f of c.figures) {
      if (figures[f.sha256]) continue;
      invoke('meetings.figure', { sha256: f.sha256 }).then(
        (r) => live && setFigures((x) => ({ ...x, [f.sha256]: `data:${r.mime};base64,${r.dataBase64}` })),
        () => undefined,
      );
    }
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `figures` (what is loaded already) is read to skip those, not a trigger: with it, every loaded thumbnail would rerun the effect and cancel the loads still running
  }, [c.figures]);

  const liveContent = { attendees: form.attendees, conflicts: form.conflicts };
  const quorum = checkQuorum(form.attendees, c.quorum);
  const voterIds = eligibleVoters(liveContent);
  const voters = voterIds.map((id) => ({ userId: id, name: form.attendees.find((a) => a.userId === id)?.name ?? `user ${id}` }));
  // Attendees by account, to name people in messages instead of "user 4".
  const names = new Map(form.attendees.flatMap((a) => (a.userId === null ? [] : [[a.userId, a.name] as [number, string]])));
  const signedCount = m.signatures.length;
  const requiredCount = m.record.requiredSigners.length;

  const run = async (what: string, fn: () => Promise<MeetingView | void>) => {
    setBusy(what);
    setError(null);
    try {
      const r = await fn();
      if (r) onChanged(r);
    } catch (e) {
      if (!(e instanceof SignInCancelled)) setError(meetingErrorSentence(errorText(e), names));
    } finally {
      setBusy(null);
    }
  };

  const save = () => auth.withSession((session) => invoke('meetings.update', { session, meetingId: m.meetingId, version: m.version, changes: changesOf(form) }), 'Editing the meeting record needs a signed-in secretary or chair.');

  const finalize = () =>
    run('finalize', async () => {
      let current = m;
      if (dirty) {
        current = await save();
        onChanged(current);
      }
      try {
        return await auth.withSession((session) => invoke('meetings.finalize', { session, meetingId: m.meetingId, version: m.version }));
      } catch (e) {
        // Show the refreshed list of what blocks locking with the refusal.
        invoke('meetings.get', { meetingId: m.meetingId, version: m.version }).then(onChanged, () => undefined);
        throw e;
      }
    });

  /** Before locking: the unreviewed subjects, if any, are shown to acknowledge; else lock at once. */
  const checkThenFinalize = async () => {
    try {
      const p = await invoke('review.pending', { snapshotId: c.snapshot.snapshotId, levels: c.levels.map((l) => l.level) });
      if (p.subjects.length) return setUnreviewed(p.subjects);
    } catch {
      // The check is a warning: when it cannot run, locking goes on.
    }
    void finalize();
  };

  /** The acknowledgement is recorded (audited under the meeting) before the lock is tried. */
  const acknowledgeThenFinalize = async () => {
    try {
      await auth.withSession((session) => invoke('review.acknowledge', { session, meetingId: m.meetingId, stage: 'lock' }));
    } catch (e) {
      if (!(e instanceof SignInCancelled)) setError(meetingErrorSentence(errorText(e)));
      return;
    }
    setUnreviewed(null);
    void finalize();
  };

  const patchLevel = (level: number, p: Partial<Form['levels'][number]>) => setForm((f) => ({ ...f, levels: f.levels.map((l) => (l.level === level ? { ...l, ...p } : l)) }));
  const patchAttendee = (i: number, p: Partial<Attendee>) => setForm((f) => ({ ...f, attendees: f.attendees.map((a, j) => (j === i ? { ...a, ...p } : a)) }));

  return (
    <article className="meeting-record" data-testid="meeting-record" data-status={m.status} data-version={m.version}>
      <header className="record-head">
        <div>
          <h2 data-testid="meeting-title">{c.title}</h2>
          <p className="muted">
            {c.committee}
            {c.meetingNumber ? ` · ${c.meetingNumber}` : ''} · {whenText(c.startAt)} · {c.timeZone} · {c.format}
          </p>
        </div>
        <div className="record-state">
          <span className={`status-chip status-chip-${m.status}`} data-testid="meeting-status">
            {STATUS_LABELS[m.status]}
          </span>
          <span className="record-version" data-testid="meeting-version">
            Version {m.version}
            {m.versions.length > 1 ? ` of ${m.latestVersion}` : ''}
          </span>
          <span className="record-sigs" data-testid="signature-count">
            {m.status === 'draft' ? 'signatures after locking' : `${signedCount} of ${requiredCount} signatures`}
          </span>
        </div>
      </header>

      {m.record.amends !== null && (
        <p className="banner banner-info">
          <strong>Amendment of version {m.record.amends}.</strong> Reason: {m.record.amendmentReason}
        </p>
      )}

      <div className="record-actions" role="toolbar" aria-label="Meeting record actions">
        {editable && (
          <>
            <button type="button" className="btn" disabled={!dirty || busy !== null} onClick={() => void run('save', save)} data-testid="save-draft">
              {busy === 'save' ? 'Saving…' : dirty ? 'Save draft' : 'Saved'}
            </button>
            <button type="button" className="btn btn-primary" disabled={busy !== null} onClick={() => setDialog('lock')} data-testid="finalize">
              Finalize (lock)
            </button>
            <button type="button" className={`btn${isTarget ? ' btn-on' : ''}`} aria-pressed={isTarget} onClick={() => setCaptureTarget(isTarget ? null : { meetingId: m.meetingId, version: m.version, title: c.title })} data-testid="capture-target">
              {isTarget ? 'Capturing into this draft ✓' : 'Capture figures into this draft'}
            </button>
          </>
        )}
        {m.status === 'final' && m.version === m.latestVersion && (
          <button type="button" className="btn btn-primary" onClick={() => setDialog('sign')} data-testid="sign">
            Sign…
          </button>
        )}
        {m.status === 'signed' && (
          <button type="button" className="btn btn-primary" onClick={() => setDialog('distribute')} data-testid="distribute">
            Distribute…
          </button>
        )}
        {m.status !== 'draft' && m.version === m.latestVersion && (
          <button type="button" className="btn" onClick={() => setDialog('amend')} data-testid="amend">
            Amend…
          </button>
        )}
        {m.status !== 'draft' && (
          <button type="button" className="btn" onClick={() => setDialog('export')} data-testid="export-minutes">
            Export minutes…
          </button>
        )}
        {m.versions.length > 1 && (
          <label className="picker">
            <span className="picker-label">Version</span>
            <select className="input" value={m.version} onChange={(e) => onPickVersion(Number(e.target.value))} data-testid="version-picker">
              {m.versions.map((v) => (
                <option key={v.version} value={v.version}>
                  v{v.version} · {STATUS_LABELS[v.status]}
                  {v.amends ? ` (amends v${v.amends})` : ''}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {isTarget && <p className="muted small">The “Capture for meeting” buttons of the Cohorts, Swimmer, PK and AE views put the figure or table on screen into this draft.</p>}
      {editable && !auth.user && <p className="muted small">Reading needs no sign-in; saving, locking and capturing ask for one.</p>}

      {unreviewed && editable && (
        <UnreviewedWarning stage="lock" subjects={unreviewed} busy={busy !== null} onAcknowledge={() => void acknowledgeThenFinalize()} onCancel={() => setUnreviewed(null)} />
      )}
      {error && (
        <div className="banner banner-danger" role="alert" data-testid="record-error">
          <strong>{error}</strong>
        </div>
      )}

      {editable && (
        <section className={`lock-check ${m.lockIssues.length ? 'lock-blocked' : 'lock-ready'}`} data-testid="lock-issues" aria-live="polite">
          {m.lockIssues.length === 0 ? (
            <strong>{dirty ? 'Save the draft: the saved version can be locked.' : 'Ready to lock: quorum, decisions, rationales and votes are complete.'}</strong>
          ) : (
            <>
              <strong>What blocks locking (as saved):</strong>
              <ul>
                {m.lockIssues.map((i, k) => (
                  <li key={k} data-testid="lock-issue">
                    {issueSentence(i, names)}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}

      {m.pendingSigners.length > 0 && (
        <p className="pending" data-testid="pending-signers">
          Still to sign: {m.pendingSigners.map((p) => `${p.name} (${ROLE_LABELS[p.role]}: ${p.meanings.map((x) => MEANING_LABELS[x].toLowerCase()).join(' or ')})`).join(' · ')}
        </p>
      )}

      <section className="record-section" aria-labelledby="details-h">
        <h3 id="details-h">Meeting and data reviewed</h3>
        <dl className="facts-inline">
          <div>
            <dt>Study</dt>
            <dd>
              {c.studyId}
              {c.studyTitle ? ` — ${c.studyTitle}` : ''}
            </dd>
          </div>
          <div>
            <dt>Snapshot</dt>
            <dd data-testid="record-snapshot">
              {c.snapshot.label} · data cut-off {isoDate(c.snapshot.dataCutoff)} · SHA-256 <span className="mono">{c.snapshot.contentHash}</span>
            </dd>
          </div>
          {m.recordHash && (
            <div>
              <dt>Record hash (what signatures cover)</dt>
              <dd className="mono">{m.recordHash}</dd>
            </div>
          )}
          {m.record.lockedAt && (
            <div>
              <dt>Locked</dt>
              <dd>
                {whenText(m.record.lockedAt)} by {m.record.lockedBy}
              </dd>
            </div>
          )}
        </dl>
        {editable && (
          <div className="form-grid form-grid-details">
            <label>
              <span>Title</span>
              <input className="input" value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} />
            </label>
            <label>
              <span>Date and time</span>
              <input className="input" type="datetime-local" value={form.start} onChange={(e) => setForm({ ...form, start: e.target.value })} />
            </label>
            <label>
              <span>Time zone</span>
              <input className="input" value={form.timeZone} onChange={(e) => setForm({ ...form, timeZone: e.target.value })} />
            </label>
          </div>
        )}
      </section>

      <section className="record-section" aria-labelledby="attendees-h">
        <h3 id="attendees-h">Attendees and quorum</h3>
        <div className="table-scroll">
        <table className="data-table compact-table attendee-table" data-testid="record-attendees">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Meeting role</th>
              <th scope="col">Voting</th>
              <th scope="col">Present</th>
            </tr>
          </thead>
          <tbody>
            {form.attendees.map((a, i) => (
              <tr key={a.userId ?? a.name}>
                <td>{a.name}</td>
                <td>{ROLE_LABELS[a.role]}</td>
                <td>{editable ? <input type="checkbox" checked={a.voting} onChange={(e) => patchAttendee(i, { voting: e.target.checked })} aria-label={`${a.name} votes`} /> : a.voting ? 'yes' : 'no'}</td>
                <td>{editable ? <input type="checkbox" checked={a.present} onChange={(e) => patchAttendee(i, { present: e.target.checked })} aria-label={`${a.name} present`} /> : a.present ? 'present' : 'apologies'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
        <p className={`quorum ${quorum.met ? 'quorum-met' : 'quorum-not-met'}`} data-testid="record-quorum">
          {quorum.explanation}
        </p>
        <h4>Conflicts of interest</h4>
        {form.conflicts.length === 0 ? (
          <p className="muted">None declared.</p>
        ) : (
          <ul>
            {form.conflicts.map((x, i) => (
              <li key={i}>
                <strong>{x.name}</strong>: {x.declaration}
                {x.recused ? ' — recused from the vote' : ''}
              </li>
            ))}
          </ul>
        )}
        {editable && <ConflictAdder attendees={form.attendees} onAdd={(x) => setForm({ ...form, conflicts: [...form.conflicts, x] })} />}
      </section>

      <section className="record-section" aria-labelledby="levels-h">
        <h3 id="levels-h">Dose levels reviewed</h3>
        {c.levels.map((l) => {
          const f = form.levels.find((x) => x.level === l.level)!;
          return (
            <LevelPanel
              key={l.level}
              level={l}
              decision={f.decision}
              votes={f.votes}
              voters={voters}
              editable={editable}
              onDecision={(d) => patchLevel(l.level, { decision: d })}
              onVotes={(v) => patchLevel(l.level, { votes: v })}
            />
          );
        })}
      </section>

      <section className="record-section" aria-labelledby="obs-h">
        <h3 id="obs-h">Observations</h3>
        <div className="form-grid">
          {(['safety', 'pk', 'efficacy', 'other'] as const).map((k) => (
            <label key={k}>
              <span>{k === 'pk' ? 'PK' : k[0]!.toUpperCase() + k.slice(1)}</span>
              <textarea className="input textarea" rows={3} value={form.observations[k]} readOnly={!editable} onChange={(e) => setForm({ ...form, observations: { ...form.observations, [k]: e.target.value } })} data-testid={`obs-${k}`} />
            </label>
          ))}
        </div>
      </section>

      <section className="record-section" aria-labelledby="actions-h">
        <h3 id="actions-h">Action items</h3>
        {form.actionItems.length === 0 && <p className="muted">None.</p>}
        {form.actionItems.length > 0 && (
          <div className="table-scroll">
          <table className="data-table compact-table" data-testid="action-items">
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">Owner</th>
                <th scope="col">Due</th>
                <th scope="col">Status</th>
                {editable && <th scope="col"><span className="sr-only">Remove</span></th>}
              </tr>
            </thead>
            <tbody>
              {form.actionItems.map((a, i) => {
                const set = (p: Partial<typeof a>) => setForm({ ...form, actionItems: form.actionItems.map((x, j) => (j === i ? { ...x, ...p } : x)) });
                return (
                  <tr key={i}>
                    <td>{editable ? <input className="input input-compact wide" value={a.text} onChange={(e) => set({ text: e.target.value })} aria-label="Action" data-testid={`action-text-${i}`} /> : a.text}</td>
                    <td>
                      {editable ? (
                        <input className="input input-compact" value={a.owner} onChange={(e) => set({ owner: e.target.value })} list="owner-names" aria-label="Owner" data-testid={`action-owner-${i}`} />
                      ) : (
                        a.owner
                      )}
                    </td>
                    <td>{editable ? <input className="input input-compact" type="date" value={a.due ?? ''} onChange={(e) => set({ due: e.target.value || null })} aria-label="Due date" /> : (a.due ?? '—')}</td>
                    <td>
                      {editable ? (
                        <select className="input input-compact" value={a.status} onChange={(e) => set({ status: e.target.value as 'open' | 'done' })} aria-label="Status">
                          <option value="open">open</option>
                          <option value="done">done</option>
                        </select>
                      ) : (
                        a.status
                      )}
                    </td>
                    {editable && (
                      <td>
                        <button type="button" className="btn btn-small btn-quiet" onClick={() => setForm({ ...form, actionItems: form.actionItems.filter((_, j) => j !== i) })}>
                          Remove
                        </button>
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
          </div>
        )}
        <datalist id="owner-names">
          {form.attendees.map((a) => (
            <option key={a.name} value={a.name} />
          ))}
        </datalist>
        {editable && (
          <button type="button" className="btn btn-small" onClick={() => setForm({ ...form, actionItems: [...form.actionItems, { text: '', owner: '', due: null, status: 'open' }] })} data-testid="add-action">
            Add an action item
          </button>
        )}
      </section>

      <section className="record-section" aria-labelledby="fig-h">
        <h3 id="fig-h">Figures and tables the committee looked at ({c.figures.length})</h3>
        {c.figures.length === 0 && <p className="muted">None captured. {editable ? 'Choose “Capture figures into this draft”, then use “Capture for meeting” in the review views.' : ''}</p>}
        <div className="figure-grid">
          {c.figures.map((f) => (
            <figure key={f.sha256} className="figure-card" data-testid="captured-figure">
              {!figures[f.sha256] ? <div className="figure-placeholder">Loading…</div> : f.mime === TABLE_FIGURE_MIME ? <TablePreview dataUrl={figures[f.sha256]!} /> : <img src={figures[f.sha256]} alt={f.title} />}
              <figcaption>
                <strong>{f.title}</strong>
                <span className="muted small">
                  {f.mime === 'image/svg+xml' ? 'SVG' : f.mime === TABLE_FIGURE_MIME ? 'Table' : 'PNG'} · captured {whenText(f.capturedAt)} by {f.capturedBy} · <span className="mono">{shortHash(f.sha256)}</span>
                </span>
                {editable && (
                  <button
                    type="button"
                    className="btn btn-small btn-quiet"
                    onClick={() => void run('remove', () => auth.withSession((session) => invoke('meetings.update', { session, meetingId: m.meetingId, version: m.version, changes: { removeFigures: [f.sha256] } })))}
                  >
                    Remove
                  </button>
                )}
              </figcaption>
            </figure>
          ))}
        </div>
      </section>

      {m.status !== 'draft' && (
        <section className="record-section" aria-labelledby="sig-h">
          <h3 id="sig-h">
            Signatures ({signedCount} of {requiredCount})
          </h3>
          <div className="table-scroll">
          <table className="data-table compact-table" data-testid="signatures">
            <thead>
              <tr>
                <th scope="col">Printed name</th>
                <th scope="col">Title</th>
                <th scope="col">Role</th>
                <th scope="col">Meaning</th>
                <th scope="col">Date and time</th>
                <th scope="col">Record hash signed</th>
              </tr>
            </thead>
            <tbody>
              {m.signatures.map((s) => (
                <tr key={s.signatureId} data-testid="signature-row">
                  <td>{s.printedName}</td>
                  <td>{s.title}</td>
                  <td>{ROLE_LABELS[s.role]}</td>
                  <td>{MEANING_LABELS[s.meaning]}</td>
                  <td>
                    {whenText(s.signedAt)} · {s.timeZone}
                  </td>
                  <td className="mono">{shortHash(s.recordHash)}</td>
                </tr>
              ))}
              {m.signatures.length === 0 && (
                <tr>
                  <td colSpan={6} className="muted">
                    No signature yet.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
          </div>
          {m.distribution && (
            <p data-testid="distribution">
              Distributed {whenText(m.distribution.at)} by {m.distribution.by} to {m.distribution.recipients.join(', ')}
              {m.distribution.note ? ` — ${m.distribution.note}` : ''}
            </p>
          )}
        </section>
      )}

      {dialog === 'sign' && (
        <SignDialog
          meeting={m}
          users={users}
          onClose={() => setDialog(null)}
          onSigned={(r) => {
            onChanged(r);
            setDialog(null);
          }}
        />
      )}
      {dialog === 'distribute' && (
        <DistributeDialog
          meeting={m}
          onClose={() => setDialog(null)}
          onDone={(r) => {
            onChanged(r);
            setDialog(null);
          }}
        />
      )}
      {dialog === 'amend' && (
        <ReasonDialog
          title={`Amend version ${m.version}`}
          intro="A locked version never changes. The amendment is a new draft version that references this one, carries the reason and needs its own signatures."
          label="Reason for the amendment"
          submitLabel="Create the amendment"
          testId="amend-dialog"
          onClose={() => setDialog(null)}
          onSubmit={async (reason) => {
            const r = await auth.withSession((session) => invoke('meetings.amend', { session, meetingId: m.meetingId, reason }));
            onChanged(r);
            setDialog(null);
          }}
        />
      )}
      {dialog === 'lock' && (
        <ConfirmLockDialog
          meeting={m}
          dirty={dirty}
          onClose={() => setDialog(null)}
          onConfirm={() => {
            setDialog(null);
            void checkThenFinalize();
          }}
        />
      )}
      {dialog === 'export' && <ExportDialog meeting={m} onClose={() => setDialog(null)} onExported={() => undefined} />}
    </article>
  );
}

function ConflictAdder({ attendees, onAdd }: { attendees: Attendee[]; onAdd(c: MeetingContent['conflicts'][number]): void }) {
  const [who, setWho] = useState('');
  const [text, setText] = useState('');
  const [recused, setRecused] = useState(false);
  const a = useMemo(() => attendees.find((x) => String(x.userId ?? x.name) === who), [attendees, who]);
  return (
    <div className="conflict-row">
      <select className="input input-compact" value={who} onChange={(e) => setWho(e.target.value)} aria-label="Who declares a conflict">
        <option value="">Declare a conflict…</option>
        {attendees.map((x) => (
          <option key={x.userId ?? x.name} value={String(x.userId ?? x.name)}>
            {x.name}
          </option>
        ))}
      </select>
      <input className="input" placeholder="Declaration" value={text} onChange={(e) => setText(e.target.value)} aria-label="Declaration" />
      <label className="check">
        <input type="checkbox" checked={recused} onChange={(e) => setRecused(e.target.checked)} /> recused from the vote
      </label>
      <button
        type="button"
        className="btn btn-small"
        disabled={!a || !text.trim()}
        onClick={() => {
          if (!a) return;
          onAdd({ userId: a.userId, name: a.name, declaration: text.trim(), recused });
          setWho('');
          setText('');
          setRecused(false);
        }}
      >
        Add
      </button>
    </div>
  );
}
