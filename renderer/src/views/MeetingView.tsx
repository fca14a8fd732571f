import { useCallback, useEffect, useState } from 'react';
import type { MeetingView as Meeting, UserInfo } from '../../../shared/api/meetings';
import type { Output } from '../../../shared/contract';
import { invoke } from '../api';
import { BootstrapForm, errorText, useAuth } from '../auth';
import { setCaptureTarget } from '../components/meeting/capture';
import { VerifyPanel } from '../components/meeting/Dialogs';
import { STATUS_LABELS, whenText } from '../components/meeting/labels';
import { MeetingRecord } from '../components/meeting/MeetingRecord';
import { NewMeetingDialog } from '../components/meeting/NewMeetingDialog';
import { EmptyState, ErrorState, LoadingState } from '../components/States';
import { shortHash } from '../format';
import type { ViewProps } from './types';

// The Meeting view (issue 5; README.md#meetings-and-signed-minutes): the study's dose-escalation meetings, a new meeting on the
// current snapshot, one record with its lifecycle (draft → final → signed → distributed, amendments),
// and the verification of a minutes PDF. Reading needs no sign-in; every change asks for one.

type ListRow = Output<'meetings.list'>[number];

export function MeetingView({ study, snapshot, onImport }: ViewProps) {
  const auth = useAuth();
  const [list, setList] = useState<{ status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ok'; rows: ListRow[] }>({ status: 'loading' });
  const [selected, setSelected] = useState<{ meetingId: number; version?: number } | null>(null);
  const [meeting, setMeeting] = useState<Meeting | null>(null);
  const [meetingError, setMeetingError] = useState<string | null>(null);
  const [users, setUsers] = useState<UserInfo[]>([]);
  const [creating, setCreating] = useState(false);
  const [listVersion, setListVersion] = useState(0);

  useEffect(() => {
    if (!study) return;
    let live = true;
    setList((l) => (l.status === 'ok' ? l : { status: 'loading' }));
    invoke('meetings.list', { studyId: study.studyId }).then(
      (rows) => {
        if (!live) return;
        setList({ status: 'ok', rows });
        setSelected((s) => s ?? (rows[0] ? { meetingId: rows[0].meetingId } : null));
      },
      (error: unknown) => live && setList({ status: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [study, listVersion]);

  useEffect(() => {
    invoke('users.list', {}).then(setUsers, () => setUsers([]));
  }, [auth.user, auth.needsBootstrap]);

  useEffect(() => {
    if (!selected) return setMeeting(null);
    let live = true;
    setMeetingError(null);
    invoke('meetings.get', selected).then(
      (m) => live && setMeeting(m),
      (e: unknown) => live && setMeetingError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [selected]);

  const onChanged = useCallback((m: Meeting) => {
    setMeeting(m);
    setSelected((s) => (s && s.meetingId === m.meetingId && (s.version ?? m.version) === m.version ? s : { meetingId: m.meetingId, version: m.version }));
    setListVersion((v) => v + 1);
  }, []);

  if (!study) {
    return (
      <EmptyState title="No study yet" action={<button type="button" className="btn btn-primary" onClick={onImport}>Import snapshot…</button>}>
        A meeting reviews one snapshot of a study: import one first.
      </EmptyState>
    );
  }

  return (
    <div className="view meeting-view" data-testid="meeting-view">
      <header className="view-header meeting-header">
        <div>
          <h1>Meetings</h1>
          <p className="view-sub">
            Dose-escalation meetings of {study.studyId}: the decision on the rule, the votes, Part 11 signatures and the signed minutes.
          </p>
        </div>
        <button
          type="button"
          className="btn btn-primary"
          disabled={!snapshot}
          onClick={() => {
            if (auth.session) setCreating(true);
            else void auth.signIn('Creating a meeting record needs a signed-in secretary or chair.').then(() => setCreating(true), () => undefined);
          }}
          data-testid="new-meeting"
        >
          New meeting…
        </button>
      </header>

      {auth.ready && auth.needsBootstrap && (
        <section className="card bootstrap-card" data-testid="bootstrap-screen">
          <BootstrapForm onDone={auth.adoptLogin} />
        </section>
      )}

      <div className="meeting-layout">
        <nav className="meeting-list" aria-label="Meetings of the study">
          {list.status === 'loading' && <LoadingState what="meetings" />}
          {list.status === 'error' && <ErrorState title="The meetings could not be read" error={list.error} onRetry={() => setListVersion((v) => v + 1)} />}
          {list.status === 'ok' && list.rows.length === 0 && <p className="muted">No meeting yet. “New meeting…” opens a draft record on the current snapshot.</p>}
          {list.status === 'ok' && (
            <ul>
              {list.rows.map((r) => (
                <li key={r.meetingId}>
                  <button type="button" className="meeting-item" aria-current={selected?.meetingId === r.meetingId ? 'true' : undefined} onClick={() => setSelected({ meetingId: r.meetingId })} data-testid="meeting-item">
                    <span className="meeting-item-title">{r.title}</span>
                    <span className="muted small">
                      {whenText(r.startAt)} · {r.levels.map((l) => `DL${l}`).join(', ')}
                    </span>
                    <span className={`status-chip status-chip-${r.status}`}>
                      v{r.latestVersion} · {STATUS_LABELS[r.status]}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          {snapshot && (
            <p className="muted small">
              A new meeting reviews the current snapshot: {snapshot.label} (<span className="mono">{shortHash(snapshot.contentHash)}</span>).
            </p>
          )}
        </nav>
        <div className="meeting-main">
          {meetingError && <ErrorState title="The meeting record could not be read" error={meetingError} onRetry={() => setSelected((s) => (s ? { ...s } : s))} />}
          {!meetingError && selected && !meeting && <LoadingState what="the meeting record" />}
          {meeting && <MeetingRecord meeting={meeting} users={users} onChanged={onChanged} onPickVersion={(v) => setSelected({ meetingId: meeting.meetingId, version: v })} />}
          <VerifyPanel />
        </div>
      </div>

      {creating && snapshot && (
        <NewMeetingDialog
          snapshot={snapshot}
          studyId={study.studyId}
          onClose={() => setCreating(false)}
          onCreated={(id) => {
            setCreating(false);
            setSelected({ meetingId: id });
            setListVersion((v) => v + 1);
            invoke('meetings.get', { meetingId: id }).then((m) => setCaptureTarget({ meetingId: id, version: m.version, title: m.record.content.title }), () => undefined);
          }}
        />
      )}
    </div>
  );
}
