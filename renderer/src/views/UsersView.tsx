import { useEffect, useState, type FormEvent } from 'react';
import type { UserInfo } from '../../../shared/api/meetings';
import { ROLES, type Role } from '../../../shared/meeting';
import { invoke } from '../api';
import { BootstrapForm, errorText, passwordRulesText, ROLE_LABELS, SignInCancelled, useAuth, type Settings } from '../auth';
import { ReasonDialog } from '../components/meeting/Dialogs';
import { whenText } from '../components/meeting/labels';
import { ErrorState, LoadingState } from '../components/States';
import type { ViewProps } from './types';

// Accounts (issue 5 "Users"; 21 CFR 11.10(d)(g), 11.100, 11.300): the administrator creates named
// accounts with a temporary password (changed at first sign-in) and records how identity was
// verified; accounts are deactivated, never deleted; locked accounts are unlocked with a reason.

type Pending = null | { kind: 'deactivate' | 'reactivate' | 'unlock'; user: UserInfo } | { kind: 'reset'; user: UserInfo };

export function UsersView(_props: ViewProps) {
  const auth = useAuth();
  const [users, setUsers] = useState<UserInfo[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [reload, setReload] = useState(0);
  const [pending, setPending] = useState<Pending>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const isAdmin = auth.user?.role === 'administrator'; // kept while the session is locked: the form's work survives the lock screen

  useEffect(() => {
    invoke('users.list', {}).then(setUsers, setError);
    invoke('settings.get', {}).then(setSettings, () => setSettings(null));
  }, [reload, auth.user]);

  const act = async (fn: (session: string) => Promise<unknown>) => {
    setActionError(null);
    try {
      await auth.withSession(fn, 'Managing accounts needs the administrator to be signed in.');
      setReload((r) => r + 1);
    } catch (e) {
      if (!(e instanceof SignInCancelled)) setActionError(errorText(e));
      throw e;
    }
  };

  return (
    <div className="view users-view" data-testid="users-view">
      <header className="view-header">
        <h1>Users</h1>
        <p className="view-sub">Named accounts: no shared logins; accounts are deactivated, never deleted; user ids are never re-issued.</p>
      </header>
      {auth.ready && auth.needsBootstrap && (
        <section className="card bootstrap-card" data-testid="bootstrap-screen">
          <BootstrapForm onDone={auth.adoptLogin} />
        </section>
      )}
      {!auth.needsBootstrap && !isAdmin && <p className="muted">Signed in as an administrator, this view creates accounts, resets passwords, unlocks and deactivates accounts.</p>}
      {actionError && (
        <p className="form-problem" role="alert">
          {actionError}
        </p>
      )}
      {error !== null && <ErrorState title="The accounts could not be read" error={error} onRetry={() => setReload((r) => r + 1)} />}
      <TrustRootCard />
      {users === null && error === null && <LoadingState what="accounts" />}
      {users && users.length > 0 && (
        <div className="table-wrap">
          <table className="data-table compact-table" data-testid="users-table">
            <thead>
              <tr>
                <th scope="col">User id</th>
                <th scope="col">Printed name</th>
                <th scope="col">Title</th>
                <th scope="col">Role</th>
                <th scope="col">State</th>
                <th scope="col">Password expires</th>
                <th scope="col">Created</th>
                {isAdmin && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.userId} data-testid="user-row" data-username={u.username}>
                  <td className="mono">{u.username}</td>
                  <td>{u.printedName}</td>
                  <td>{u.title}</td>
                  <td>{ROLE_LABELS[u.role]}</td>
                  <td>{[!u.active && 'deactivated', u.locked && 'locked', u.mustChangePassword && 'must change password'].filter(Boolean).join(', ') || 'active'}</td>
                  <td>{u.passwordExpiresAt ? whenText(u.passwordExpiresAt) : 'never'}</td>
                  <td>
                    {whenText(u.createdAt)} by {u.createdBy}
                  </td>
                  {isAdmin && (
                    <td className="row-actions">
                      {u.locked && (
                        <button type="button" className="btn btn-small" onClick={() => setPending({ kind: 'unlock', user: u })}>
                          Unlock…
                        </button>
                      )}
                      <button type="button" className="btn btn-small" onClick={() => setPending({ kind: 'reset', user: u })}>
                        Reset password…
                      </button>
                      {u.userId !== auth.user?.userId && (
                        <button type="button" className="btn btn-small btn-danger-outline" onClick={() => setPending({ kind: u.active ? 'deactivate' : 'reactivate', user: u })}>
                          {u.active ? 'Deactivate…' : 'Reactivate…'}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {isAdmin && <CreateUser settings={settings} onCreated={() => setReload((r) => r + 1)} />}
      {settings && (
        <section className="card settings-card" aria-labelledby="settings-h">
          <h2 id="settings-h">Rules in force</h2>
          <ul className="plain-list">
            <li>Passwords: {passwordRulesText(settings)} Expire after {settings.passwordExpiryDays ? `${settings.passwordExpiryDays} days` : 'never'}.</li>
            <li>Lock-out after {settings.lockoutAttempts} failed attempts (sign-in or signature); inactivity lock after {settings.inactivityMinutes} minutes.</li>
            <li>
              Default quorum: {settings.quorum.minVotingPresent} voting members present{settings.quorum.chairRequired ? ', chair required' : ''}. Editors of meeting records: {settings.editorRoles.map((r) => ROLE_LABELS[r]).join(', ')}.
            </li>
            <li>
              Signers:{' '}
              {Object.entries(settings.signatureMeanings)
                .map(([r, ms]) => `${ROLE_LABELS[r as Role]} (${(ms ?? []).join(' or ')})`)
                .join(', ')}
              .
            </li>
          </ul>
        </section>
      )}
      {pending && pending.kind !== 'reset' && (
        <ReasonDialog
          title={`${pending.kind[0]!.toUpperCase()}${pending.kind.slice(1)} ${pending.user.username}`}
          intro={pending.kind === 'unlock' ? 'The account was locked after repeated failed attempts.' : 'Accounts are never deleted: a deactivated account can no longer sign in or sign.'}
          label="Reason (recorded in the audit trail)"
          submitLabel={pending.kind[0]!.toUpperCase() + pending.kind.slice(1)}
          testId="user-reason-dialog"
          onClose={() => setPending(null)}
          onSubmit={async (reason) => {
            const u = pending.user;
            await act((session) => (pending.kind === 'unlock' ? invoke('users.unlock', { session, userId: u.userId, reason }) : invoke('users.setActive', { session, userId: u.userId, active: pending.kind === 'reactivate', reason })));
            setPending(null);
          }}
        />
      )}
      {pending && pending.kind === 'reset' && (
        <ResetDialog
          user={pending.user}
          onClose={() => setPending(null)}
          onSubmit={async (temporaryPassword, reason) => {
            await act((session) => invoke('users.resetPassword', { session, userId: pending.user.userId, temporaryPassword, reason }));
            setPending(null);
          }}
        />
      )}
    </div>
  );
}

function ResetDialog({ user, onClose, onSubmit }: { user: UserInfo; onClose(): void; onSubmit(pw: string, reason: string): Promise<void> }) {
  const [pw, setPw] = useState('');
  return (
    <ReasonDialog
      title={`Reset the password of ${user.username}`}
      intro={`The user must change the temporary password at the next sign-in; the old signing key is retired and a new one issued. Temporary password: enter it below, then the reason.`}
      label="Reason (recorded in the audit trail)"
      submitLabel="Reset"
      testId="reset-dialog"
      onClose={onClose}
      onSubmit={(reason) => onSubmit(pw, reason)}
    >
      <label className="form-stack">
        <span>Temporary password</span>
        <input className="input" type="password" autoComplete="new-password" value={pw} onChange={(e) => setPw(e.target.value)} required />
      </label>
    </ReasonDialog>
  );
}

function CreateUser({ settings, onCreated }: { settings: Settings | null; onCreated(): void }) {
  const auth = useAuth();
  const [f, setF] = useState({ username: '', printedName: '', title: '', role: 'voting-member' as Role, password: '', identityVerification: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const u = await auth.withSession((session) => invoke('users.create', { session, ...f }));
      setDone(`Created ${u.username}: the temporary password must be changed at the first sign-in.`);
      setF({ username: '', printedName: '', title: '', role: f.role, password: '', identityVerification: f.identityVerification });
      onCreated();
    } catch (err) {
      if (!(err instanceof SignInCancelled)) setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const bind = (k: keyof typeof f) => ({ value: f[k], onChange: (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value }) });
  return (
    <form className="card create-user" onSubmit={(e) => void submit(e)} aria-labelledby="create-user-h" data-testid="create-user">
      <h2 id="create-user-h">Create an account</h2>
      <p className="muted">{passwordRulesText(settings)}</p>
      <div className="form-grid form-grid-3">
        <label>
          <span>User id</span>
          <input className="input" required {...bind('username')} data-testid="new-user-username" />
        </label>
        <label>
          <span>Printed name</span>
          <input className="input" required {...bind('printedName')} data-testid="new-user-name" />
        </label>
        <label>
          <span>Title</span>
          <input className="input" {...bind('title')} data-testid="new-user-title" />
        </label>
        <label>
          <span>Role</span>
          <select className="input" {...bind('role')} data-testid="new-user-role">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Temporary password</span>
          <input className="input" type="password" autoComplete="new-password" required {...bind('password')} data-testid="new-user-password" />
        </label>
        <label>
          <span>Identity verified by (21 CFR 11.100(b))</span>
          <input className="input" required placeholder="e.g. passport checked in person by …" {...bind('identityVerification')} data-testid="new-user-identity" />
        </label>
      </div>
      {error && (
        <p className="form-problem" role="alert">
          {error}
        </p>
      )}
      {done && (
        <p className="saved" role="status">
          {done}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="new-user-submit">
          Create the account
        </button>
      </div>
    </form>
  );
}

/**
 * The organisation trust root (issue 11): the CA that issues every signing certificate; its
 * fingerprint is printed in every minutes PDF and is what readers compare. The trust file lets
 * another machine verify the minutes (dosedesk minutes verify --trust).
 */
function TrustRootCard() {
  const [root, setRoot] = useState<{ fingerprint: string; subject: string; createdAt: string; keyOk: boolean; problem: string | null; keyFile: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    invoke('minutes.trustRoot', {}).then(setRoot, (e) => setError(errorText(e)));
  }, []);
  const download = async () => {
    try {
      const t = await invoke('minutes.exportTrust', {});
      const url = URL.createObjectURL(new Blob([t.pem], { type: 'application/x-pem-file' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = 'dosedesk-trust-root.pem';
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <section className="card" data-testid="trust-root" aria-labelledby="trust-root-title">
      <h2 id="trust-root-title">Organisation trust root</h2>
      <p className="muted">Every signing certificate is issued by this installation's own signing authority. Its fingerprint is printed in every minutes PDF: publish it, so that readers can tell genuine minutes from re-signed ones.</p>
      {error && <p className="form-problem" role="alert">{error}</p>}
      {root && (
        <dl className="facts-inline">
          <div>
            <dt>Root</dt>
            <dd>{root.subject} · created {whenText(root.createdAt)}</dd>
          </div>
          <div>
            <dt>SHA-256 fingerprint</dt>
            <dd className="mono" data-testid="trust-root-fingerprint">{root.fingerprint}</dd>
          </div>
          <div>
            <dt>Key file</dt>
            <dd className={root.keyOk ? '' : 'form-problem'}>{root.keyOk ? `${root.keyFile} (present, matches)` : root.problem}</dd>
          </div>
        </dl>
      )}
      <button type="button" className="btn" onClick={() => void download()} data-testid="trust-root-export">
        Export trust file…
      </button>
    </section>
  );
}
