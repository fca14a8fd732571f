import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { UserInfo } from '../../../../shared/api/meetings';
import type { Output, SnapshotInfo } from '../../../../shared/contract';
import { checkQuorum, type Attendee, type Quorum, type Role } from '../../../../shared/meeting';
import { invoke } from '../../api';
import { errorText, Modal, ROLE_LABELS, SignInCancelled, useAuth } from '../../auth';
import { meetingErrorSentence } from './words';
import { isoDate, shortHash } from '../../format';
import { useReview } from '../../review';
import { localTimeZone, localToIso, nowLocal } from './labels';
import { UnreviewedWarning } from '../ReviewMarks';
import type { UnreviewedSubject } from '../../../../shared/api/review';

// "New meeting": a draft record on the current snapshot (cited by its content hash) reviewing one
// or more dose levels, with its date, time and time zone, the attendees (accounts with their meeting
// role, voting right and presence), the quorum checked live (shared/meeting.ts checkQuorum) and the
// declared conflicts of interest.

export interface AttendeeRow extends Attendee {
  included: boolean;
}

/** Committee members by default; the administrator's account attends as a non-voting attendee when included. */
export function attendeeRowsFromUsers(users: UserInfo[]): AttendeeRow[] {
  return users
    .filter((u) => u.active)
    .map((u) => {
      const role: Role = u.role === 'administrator' ? 'non-voting-attendee' : u.role;
      return { userId: u.userId, name: u.printedName, role, voting: role === 'chair' || role === 'voting-member', present: true, affiliation: u.title, included: u.role !== 'administrator' };
    });
}

export interface ConflictRow {
  userId: number | null;
  name: string;
  declaration: string;
  recused: boolean;
}

type DltTable = Output<'safety.dltTable'>;

export function NewMeetingDialog({ snapshot, studyId, onClose, onCreated }: { snapshot: SnapshotInfo; studyId: string; onClose(): void; onCreated(meetingId: number): void }) {
  const auth = useAuth();
  const review = useReview();
  const [users, setUsers] = useState<UserInfo[] | null>(null);
  const [settingsQuorum, setSettingsQuorum] = useState<Quorum>({ minVotingPresent: 2, chairRequired: true });
  const [dlt, setDlt] = useState<DltTable | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [committee, setCommittee] = useState('Safety Review Committee');
  const [meetingNumber, setMeetingNumber] = useState('');
  const [timeZone, setTimeZone] = useState(localTimeZone());
  const [start, setStart] = useState(() => nowLocal(localTimeZone()));
  const [format, setFormat] = useState<'in-person' | 'video' | 'hybrid'>('video');
  const [levels, setLevels] = useState<number[]>([]);
  // On request: the look-ahead table for the next 3 patients in the record and the minutes.
  const [lookahead, setLookahead] = useState(false);
  const [rows, setRows] = useState<AttendeeRow[]>([]);
  const [quorum, setQuorum] = useState<Quorum | null>(null);
  const [conflicts, setConflicts] = useState<ConflictRow[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Subjects of the chosen levels whose latest data nobody has reviewed (review.pending): shown once
  // before the draft is created; acknowledging creates it and records the acknowledgement.
  const [unreviewed, setUnreviewed] = useState<{ levels: string; subjects: UnreviewedSubject[] } | null>(null);

  useEffect(() => {
    let live = true;
    Promise.all([invoke('users.list', {}), invoke('settings.get', {}), invoke('safety.dltTable', { snapshotId: snapshot.snapshotId })]).then(
      ([u, s, t]) => {
        if (!live) return;
        setUsers(u);
        setRows(attendeeRowsFromUsers(u));
        setSettingsQuorum(s.quorum);
        setDlt(t);
        // The level under review: the highest escalation level with treated subjects (the last cohort of the history).
        const treated = t.levels.filter((l) => l.part === 'escalation' && l.treated > 0).map((l) => l.level);
        const current = treated.length ? Math.max(...treated) : (t.levels[0]?.level ?? null);
        if (current !== null) setLevels([current]);
        setTitle(`${studyId} dose-escalation meeting — DL${current ?? '?'}`);
      },
      (e: unknown) => live && setLoadError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [snapshot.snapshotId, studyId]);

  const q = quorum ?? settingsQuorum;
  const attendees: Attendee[] = rows.filter((r) => r.included).map(({ included: _i, ...a }) => a);
  const quorumCheck = checkQuorum(attendees, q);
  const levelChoices = useMemo(() => {
    if (!dlt) return [];
    const m = new Map<number, { level: number; dose: number; treated: number }>();
    for (const l of dlt.levels) {
      const e = m.get(l.level) ?? { level: l.level, dose: l.dose, treated: 0 };
      e.treated += l.treated;
      m.set(l.level, e);
    }
    return [...m.values()].sort((a, b) => a.level - b.level);
  }, [dlt]);

  const patchRow = (i: number, p: Partial<AttendeeRow>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...p } : r)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!levels.length) return setError('Choose at least one dose level to review.');
    const levelsKey = [...levels].sort((a, b) => a - b).join(',');
    let toAcknowledge: UnreviewedSubject[] = [];
    if (unreviewed?.levels === levelsKey) toAcknowledge = unreviewed.subjects;
    else {
      try {
        const p = await invoke('review.pending', { snapshotId: snapshot.snapshotId, levels });
        if (p.subjects.length) return setUnreviewed({ levels: levelsKey, subjects: p.subjects });
      } catch {
        // The check is a warning: when it cannot run, the meeting is still created.
      }
    }
    setBusy(true);
    try {
      const created = await auth.withSession(
        (session) =>
          invoke('meetings.create', {
            session,
            snapshotId: snapshot.snapshotId,
            levels,
            title,
            committee,
            meetingNumber,
            startAt: localToIso(start, timeZone),
            timeZone,
            format,
            attendees,
            quorum: q,
            ...(lookahead ? { lookahead: 3 } : {}),
          }),
        'Creating a meeting record needs a signed-in secretary or chair.',
      );
      if (toAcknowledge.length) await auth.withSession((session) => invoke('review.acknowledge', { session, meetingId: created.meetingId, stage: 'start' }));
      const cs = conflicts.filter((c) => c.name.trim() && c.declaration.trim());
      if (cs.length) {
        await auth.withSession((session) => invoke('meetings.update', { session, meetingId: created.meetingId, version: created.version, changes: { conflicts: cs }, reason: 'conflicts of interest declared at the opening of the meeting' }));
      }
      onCreated(created.meetingId);
    } catch (err) {
      if (!(err instanceof SignInCancelled)) setError(meetingErrorSentence(errorText(err)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal labelledBy="new-meeting-title" onCancel={onClose} className="dialog-wide" testId="new-meeting-dialog">
      <form onSubmit={(e) => void submit(e)}>
        <header className="dialog-header">
          <h2 id="new-meeting-title">New meeting</h2>
          <span className="muted">
            Snapshot {snapshot.label} · data cut-off {isoDate(snapshot.dataCutoff)} · <span className="mono">{shortHash(snapshot.contentHash)}</span>
          </span>
        </header>
        <div className="dialog-body">
          {loadError && (
            <p className="form-problem" role="alert">
              {loadError}
            </p>
          )}
          <div className="form-grid form-grid-3">
            <label className="span-2">
              <span>Title</span>
              <input className="input" value={title} onChange={(e) => setTitle(e.target.value)} required data-testid="meeting-title-input" />
            </label>
            <label>
              <span>Meeting number</span>
              <input className="input" value={meetingNumber} onChange={(e) => setMeetingNumber(e.target.value)} placeholder="e.g. SRC-07" />
            </label>
            <label>
              <span>Committee</span>
              <input className="input" value={committee} onChange={(e) => setCommittee(e.target.value)} />
            </label>
            <label>
              <span>Date and time</span>
              <input className="input" type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} required data-testid="meeting-start" />
            </label>
            <label>
              <span>Time zone</span>
              <input className="input" value={timeZone} onChange={(e) => setTimeZone(e.target.value)} list="time-zones" required data-testid="meeting-timezone" />
              <datalist id="time-zones">
                {(Intl as unknown as { supportedValuesOf?(k: string): string[] }).supportedValuesOf?.('timeZone').map((z) => <option key={z} value={z} />)}
              </datalist>
            </label>
            <label>
              <span>Format</span>
              <select className="input" value={format} onChange={(e) => setFormat(e.target.value as typeof format)}>
                <option value="in-person">In person</option>
                <option value="video">Video conference</option>
                <option value="hybrid">Hybrid</option>
              </select>
            </label>
          </div>
          <p className="muted small">Starts {localToIso(start, timeZone)}</p>

          <fieldset className="fieldset">
            <legend>Dose levels reviewed</legend>
            {!dlt && !loadError && <span className="muted">Reading the DLT table…</span>}
            <div className="check-row">
              {levelChoices.map((l) => (
                <label key={l.level} className="check">
                  <input
                    type="checkbox"
                    checked={levels.includes(l.level)}
                    onChange={(e) => setLevels((ls) => (e.target.checked ? [...ls, l.level].sort((a, b) => a - b) : ls.filter((x) => x !== l.level)))}
                    data-testid={`level-choice-${l.level}`}
                  />
                  {review.doseLabel(l.level)} <span className="muted">({l.treated} treated)</span>
                </label>
              ))}
            </div>
            <label className="check">
              <input type="checkbox" checked={lookahead} onChange={(e) => setLookahead(e.target.checked)} data-testid="meeting-lookahead" />
              Include the look-ahead table (next 3 patients) in the record and the minutes
            </label>
          </fieldset>

          <fieldset className="fieldset">
            <legend>Attendees</legend>
            {users && users.filter((u) => u.active).length === 0 && <p className="muted">No active account: the administrator creates the committee's accounts in the Users view.</p>}
            <table className="data-table compact-table attendee-table" data-testid="attendee-table">
              <thead>
                <tr>
                  <th scope="col">Attends</th>
                  <th scope="col">Name</th>
                  <th scope="col">Meeting role</th>
                  <th scope="col">Voting</th>
                  <th scope="col">Present</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => (
                  <tr key={r.userId ?? i} data-testid="attendee-row">
                    <td>
                      <input type="checkbox" checked={r.included} onChange={(e) => patchRow(i, { included: e.target.checked })} aria-label={`${r.name} attends`} />
                    </td>
                    <td>
                      {r.name} <span className="muted">{r.affiliation}</span>
                    </td>
                    <td>
                      <select className="input input-compact" value={r.role} onChange={(e) => patchRow(i, { role: e.target.value as Role })} aria-label={`Meeting role of ${r.name}`}>
                        {(['chair', 'voting-member', 'non-voting-attendee', 'secretary'] as Role[]).map((role) => (
                          <option key={role} value={role}>
                            {ROLE_LABELS[role]}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <input type="checkbox" checked={r.voting} onChange={(e) => patchRow(i, { voting: e.target.checked })} aria-label={`${r.name} votes`} />
                    </td>
                    <td>
                      <input type="checkbox" checked={r.present} onChange={(e) => patchRow(i, { present: e.target.checked })} aria-label={`${r.name} present`} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="quorum-row">
              <label className="inline-field">
                <span>Quorum: voting members present at least</span>
                <input className="input input-narrow" type="number" min={1} value={q.minVotingPresent} onChange={(e) => setQuorum({ ...q, minVotingPresent: Math.max(1, Number(e.target.value) || 1) })} />
              </label>
              <label className="check">
                <input type="checkbox" checked={q.chairRequired} onChange={(e) => setQuorum({ ...q, chairRequired: e.target.checked })} /> chair required
              </label>
              <span className={`quorum ${quorumCheck.met ? 'quorum-met' : 'quorum-not-met'}`} data-testid="new-meeting-quorum" role="status">
                {quorumCheck.explanation}
              </span>
            </div>
          </fieldset>

          <fieldset className="fieldset">
            <legend>Conflicts of interest</legend>
            {conflicts.length === 0 && <p className="muted">None declared.</p>}
            {conflicts.map((c, i) => (
              <div key={i} className="conflict-row">
                <select
                  className="input input-compact"
                  aria-label="Who declares"
                  value={c.userId ?? ''}
                  onChange={(e) => {
                    const u = rows.find((r) => r.userId === Number(e.target.value));
                    setConflicts((cs) => cs.map((x, j) => (j === i ? { ...x, userId: u?.userId ?? null, name: u?.name ?? x.name } : x)));
                  }}
                >
                  <option value="">Choose…</option>
                  {rows
                    .filter((r) => r.included)
                    .map((r) => (
                      <option key={r.userId} value={r.userId ?? ''}>
                        {r.name}
                      </option>
                    ))}
                </select>
                <input className="input" aria-label="Declaration" placeholder="Declaration" value={c.declaration} onChange={(e) => setConflicts((cs) => cs.map((x, j) => (j === i ? { ...x, declaration: e.target.value } : x)))} />
                <label className="check">
                  <input type="checkbox" checked={c.recused} onChange={(e) => setConflicts((cs) => cs.map((x, j) => (j === i ? { ...x, recused: e.target.checked } : x)))} /> recused from the vote
                </label>
                <button type="button" className="btn btn-small btn-quiet" onClick={() => setConflicts((cs) => cs.filter((_, j) => j !== i))}>
                  Remove
                </button>
              </div>
            ))}
            <button type="button" className="btn btn-small" onClick={() => setConflicts((cs) => [...cs, { userId: null, name: '', declaration: '', recused: false }])}>
              Add a declaration
            </button>
          </fieldset>
          {unreviewed && unreviewed.levels === [...levels].sort((a, b) => a - b).join(',') && (
            <UnreviewedWarning stage="start" subjects={unreviewed.subjects} busy={busy} onAcknowledge={() => void submit({ preventDefault() {} } as FormEvent)} onCancel={() => setUnreviewed(null)} />
          )}
          {error && (
            <p className="form-problem" role="alert" data-testid="new-meeting-error">
              {error}
            </p>
          )}
        </div>
        <footer className="dialog-footer">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || !dlt} data-testid="create-meeting">
            Create the draft
          </button>
        </footer>
      </form>
    </Modal>
  );
}
