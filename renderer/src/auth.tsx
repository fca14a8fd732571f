import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { UserInfo } from '../../shared/api/meetings';
import type { Output } from '../../shared/contract';
import { ROLE_LABELS } from '../../shared/meeting';
import { invoke } from './api';
import { isSessionError, needsPasswordChange } from './apiError';
import './components/meeting/meeting.css';

// Sessions in the UI (issue 5 "Users"; 21 CFR 11.10(d), 11.200; docs/CLINICAL_RULES.md#meetings). The review views are
// readable without signing in; whatever changes data asks for a session first (withSession). The
// core ends a session after `inactivityMinutes` without a call; the UI locks too after that long
// without a key press or a click, and shows a lock screen that asks for the password again: the
// work on screen is kept (the lock screen is a layer over it, nothing is unmounted). On a first
// start (no accounts) the administrator is created here ("Create the administrator").

export type Settings = Output<'settings.get'>;

export interface Auth {
  ready: boolean;
  /** No account yet: the first administrator must be created. */
  needsBootstrap: boolean;
  user: UserInfo | null;
  session: string | null;
  inactivityMinutes: number;
  /** The session was locked (inactivity or the core ended it): the lock screen is up. */
  locked: boolean;
  /**
   * Runs a call that needs a session: asks to sign in first when nobody is, and once more (the lock
   * screen) when the core says the session ended; then retries the call once. Rejects with
   * SignInCancelled when the person closes the sign-in dialog.
   */
  withSession<T>(fn: (session: string) => Promise<T>, why?: string): Promise<T>;
  /**
   * Runs a call that changes data (issue 11): with the session when someone is signed in; without one
   * only while the database has no accounts at all (a scratch database: the core records the OS
   * account, marked so); otherwise as withSession (sign in first).
   */
  withWriteSession<T>(fn: (session: string | undefined) => Promise<T>, why?: string): Promise<T>;
  /** Opens the sign-in dialog (resolves with the new session). */
  signIn(why?: string): Promise<string>;
  logout(): Promise<void>;
  lock(): void;
  openBootstrap(): void;
  /** Re-reads auth.status (after users were created elsewhere). */
  refresh(): Promise<void>;
  /** Takes over a login made by a form of its own (e.g. the inline "Create the administrator" screen). */
  adoptLogin(r: Output<'auth.login'>): void;
}

export class SignInCancelled extends Error {
  constructor() {
    super('signing in was cancelled');
  }
}

export { isSessionError } from './apiError';

/** The message of an error as the core worded it. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const AuthContext = createContext<Auth | null>(null);

export function useAuth(): Auth {
  const a = useContext(AuthContext);
  if (!a) throw new Error('useAuth() outside <AuthProvider>');
  return a;
}

const STORE = 'dosedesk.session.v1';
/** While the person is active, the core session is kept alive with at most one call per this many ms. */
const KEEPALIVE_MS = 60_000;

interface Waiter {
  resolve(session: string): void;
  reject(e: unknown): void;
}

/** Role words: the shared vocabulary (shared/meeting.ts), the same the signed minutes print. */
export { ROLE_LABELS };

export function AuthProvider({ children }: { children: ReactNode }) {
  const [ready, setReady] = useState(false);
  const [needsBootstrap, setNeedsBootstrap] = useState(false);
  const [inactivityMinutes, setInactivity] = useState(15);
  const [user, setUser] = useState<UserInfo | null>(null);
  const [session, setSession] = useState<string | null>(null);
  const [locked, setLocked] = useState(false);
  const [dialog, setDialog] = useState<null | { kind: 'sign-in'; why?: string } | { kind: 'bootstrap' }>(null);
  const waiters = useRef<Waiter[]>([]);
  const sessionRef = useRef<string | null>(null);
  const userRef = useRef<UserInfo | null>(null);
  userRef.current = user;
  const lastActivity = useRef(Date.now());
  const lastKeepAlive = useRef(Date.now());
  sessionRef.current = session;

  const adopt = useCallback((s: string | null, u: UserInfo | null) => {
    setSession(s);
    setUser(u);
    sessionRef.current = s;
    try {
      if (s) sessionStorage.setItem(STORE, s);
      else sessionStorage.removeItem(STORE);
    } catch {
      /* storage disabled: the session lasts while the page is open */
    }
  }, []);

  const refresh = useCallback(async () => {
    const st = await invoke('auth.status', {});
    setNeedsBootstrap(st.needsBootstrap);
    setInactivity(st.inactivityMinutes);
  }, []);

  // Start: auth.status, then a session kept from before a reload (if the core still knows it).
  useEffect(() => {
    let live = true;
    (async () => {
      try {
        await refresh();
        const kept = sessionStorage.getItem(STORE);
        if (kept) {
          try {
            const u = await invoke('auth.whoami', { session: kept });
            if (live) adopt(kept, u);
          } catch {
            if (live) adopt(null, null);
          }
        }
      } finally {
        if (live) setReady(true);
      }
    })().catch(() => undefined);
    return () => {
      live = false;
    };
  }, [refresh, adopt]);

  const settle = useCallback((s: string | null, e?: unknown) => {
    const w = waiters.current;
    waiters.current = [];
    for (const x of w) {
      if (s) x.resolve(s);
      else x.reject(e ?? new SignInCancelled());
    }
  }, []);

  const signIn = useCallback((why?: string) => {
    return new Promise<string>((resolve, reject) => {
      waiters.current.push({ resolve, reject });
      setDialog((d) => d ?? { kind: 'sign-in', why });
    });
  }, []);

  const lock = useCallback(() => {
    if (!sessionRef.current) return;
    // The token is dropped here; the core ends the session by itself after the same time.
    setSession(null);
    sessionRef.current = null;
    try {
      sessionStorage.removeItem(STORE);
    } catch {
      /* ignore */
    }
    setLocked(true);
  }, []);

  const withSession = useCallback(
    async <T,>(fn: (session: string) => Promise<T>, why?: string): Promise<T> => {
      const s = sessionRef.current ?? (await signIn(why));
      try {
        return await fn(s);
      } catch (e) {
        if (!isSessionError(e)) throw e;
        // The core ended the session (inactivity, lock-out, logout elsewhere): lock, ask again, retry once.
        setSession(null);
        sessionRef.current = null;
        if (userRef.current) setLocked(true);
        else setDialog({ kind: 'sign-in', why: 'The session ended. Sign in again to continue.' });
        const again = await new Promise<string>((resolve, reject) => waiters.current.push({ resolve, reject }));
        return fn(again);
      }
    },
    [signIn],
  );

  const withWriteSession = useCallback(
    async <T,>(fn: (session: string | undefined) => Promise<T>, why?: string): Promise<T> => {
      if (!sessionRef.current && (await invoke('auth.status', {})).users === 0) {
        try {
          return await fn(undefined);
        } catch (e) {
          // An account was created meanwhile (elsewhere): the core now wants a session.
          if (!isSessionError(e)) throw e;
        }
      }
      return withSession(fn, why);
    },
    [withSession],
  );

  const logout = useCallback(async () => {
    const s = sessionRef.current;
    adopt(null, null);
    setLocked(false);
    if (s) await invoke('auth.logout', { session: s }).catch(() => undefined);
  }, [adopt]);

  const onSignedIn = useCallback(
    (r: Output<'auth.login'>) => {
      adopt(r.session, r.user);
      setInactivity(r.inactivityMinutes);
      setNeedsBootstrap(false);
      setLocked(false);
      setDialog(null);
      lastActivity.current = Date.now();
      lastKeepAlive.current = Date.now();
      settle(r.session);
    },
    [adopt, settle],
  );

  // Inactivity: a key press, click or wheel counts as activity; while active, the core session is kept alive.
  useEffect(() => {
    const onActivity = () => {
      lastActivity.current = Date.now();
      const s = sessionRef.current;
      if (s && Date.now() - lastKeepAlive.current > KEEPALIVE_MS) {
        lastKeepAlive.current = Date.now();
        invoke('auth.whoami', { session: s }).catch((e: unknown) => {
          if (isSessionError(e)) lock();
        });
      }
    };
    const events = ['pointerdown', 'keydown', 'wheel'] as const;
    for (const ev of events) window.addEventListener(ev, onActivity, { passive: true, capture: true });
    const timer = window.setInterval(() => {
      if (sessionRef.current && Date.now() - lastActivity.current > inactivityMinutes * 60_000) lock();
    }, 5_000);
    return () => {
      for (const ev of events) window.removeEventListener(ev, onActivity, { capture: true });
      window.clearInterval(timer);
    };
  }, [inactivityMinutes, lock]);

  const value = useMemo<Auth>(
    () => ({
      ready,
      needsBootstrap,
      user,
      session,
      inactivityMinutes,
      locked,
      withSession,
      withWriteSession,
      signIn,
      logout,
      lock,
      openBootstrap: () => setDialog({ kind: 'bootstrap' }),
      refresh,
      adoptLogin: onSignedIn,
    }),
    [ready, needsBootstrap, user, session, inactivityMinutes, locked, withSession, withWriteSession, signIn, logout, lock, refresh, onSignedIn],
  );

  return (
    <AuthContext.Provider value={value}>
      {children}
      {locked && user && (
        <LockScreen
          user={user}
          minutes={inactivityMinutes}
          onSignedIn={onSignedIn}
          onSwitchUser={() => {
            setLocked(false);
            adopt(null, null);
            setDialog({ kind: 'sign-in', why: 'The session was locked. Sign in to continue; the work on screen is kept.' });
          }}
        />
      )}
      {dialog?.kind === 'sign-in' && !locked && (
        <SignInDialog
          why={dialog.why}
          needsBootstrap={needsBootstrap}
          onSignedIn={onSignedIn}
          onBootstrap={() => setDialog({ kind: 'bootstrap' })}
          onCancel={() => {
            setDialog(null);
            settle(null);
          }}
        />
      )}
      {dialog?.kind === 'bootstrap' && (
        <BootstrapDialog
          onDone={onSignedIn}
          onCancel={() => {
            setDialog(null);
            settle(null);
          }}
        />
      )}
    </AuthContext.Provider>
  );
}

/** A native modal <dialog> (focus trapped, Escape handled) opened on mount. */
function Modal({ labelledBy, onCancel, children, className = '', testId }: { labelledBy: string; onCancel?(): void; children: ReactNode; className?: string; testId?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={`dialog dialog-narrow ${className}`}
      aria-labelledby={labelledBy}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        onCancel?.();
      }}
    >
      {children}
    </dialog>
  );
}
export { Modal };

/** The password rules in words (settings), for the forms that set a password. */
export function passwordRulesText(s: Settings | null): string {
  if (!s) return '';
  return `At least ${s.passwordMinLength} characters and ${s.passwordMinClasses} of: lower case, upper case, digits, other characters; not containing the user id.`;
}

function useSettings(): Settings | null {
  const [s, setS] = useState<Settings | null>(null);
  useEffect(() => {
    invoke('settings.get', {}).then(setS, () => setS(null));
  }, []);
  return s;
}

function SignInDialog({ why, needsBootstrap, onSignedIn, onBootstrap, onCancel }: { why?: string; needsBootstrap: boolean; onSignedIn(r: Output<'auth.login'>): void; onBootstrap(): void; onCancel(): void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [mustChange, setMustChange] = useState(false);
  const [newPassword, setNewPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const settings = useSettings();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (mustChange && newPassword !== confirm) return setError('The new password and its confirmation differ.');
    setBusy(true);
    try {
      let pw = password;
      if (mustChange) {
        await invoke('auth.changePassword', { username, oldPassword: password, newPassword });
        pw = newPassword;
      }
      onSignedIn(await invoke('auth.login', { username, password: pw }));
    } catch (err) {
      const m = errorText(err);
      if (needsPasswordChange(err)) setMustChange(true);
      setError(m);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal labelledBy="signin-title" onCancel={onCancel} testId="signin-dialog">
      <form onSubmit={(e) => void submit(e)}>
        <header className="dialog-header">
          <h2 id="signin-title">Sign in</h2>
        </header>
        <div className="dialog-body">
          <p className="muted">{why ?? 'Changes (meetings, λz choices, accounts) are made under a named account. Reading the review views needs no sign-in.'}</p>
          {needsBootstrap ? (
            <div className="banner banner-info">
              <strong>No account exists yet.</strong>
              <div className="banner-meta">The first start creates the administrator, who then creates the other accounts.</div>
              <div className="form-actions">
                <button type="button" className="btn btn-primary" onClick={onBootstrap}>
                  Create the administrator…
                </button>
              </div>
            </div>
          ) : (
            <div className="form-stack">
              <label>
                <span>User id</span>
                <input className="input" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoFocus data-testid="signin-username" />
              </label>
              <label>
                <span>{mustChange ? 'Current (temporary) password' : 'Password'}</span>
                <input className="input" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required data-testid="signin-password" />
              </label>
              {mustChange && (
                <>
                  <p className="muted">This password must be changed before signing in. {passwordRulesText(settings)}</p>
                  <label>
                    <span>New password</span>
                    <input className="input" type="password" autoComplete="new-password" value={newPassword} onChange={(e) => setNewPassword(e.target.value)} required data-testid="signin-new-password" />
                  </label>
                  <label>
                    <span>Confirm the new password</span>
                    <input className="input" type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} required data-testid="signin-confirm-password" />
                  </label>
                </>
              )}
            </div>
          )}
          {error && (
            <p className="form-problem" role="alert" data-testid="signin-error">
              {error}
            </p>
          )}
        </div>
        <footer className="dialog-footer">
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
          {!needsBootstrap && (
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="signin-submit">
              {mustChange ? 'Change password and sign in' : 'Sign in'}
            </button>
          )}
        </footer>
      </form>
    </Modal>
  );
}

function LockScreen({ user, minutes, onSignedIn, onSwitchUser }: { user: UserInfo; minutes: number; onSignedIn(r: Output<'auth.login'>): void; onSwitchUser(): void }) {
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await invoke('auth.login', { username: user.username, password }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal labelledBy="lock-title" className="lock-screen" testId="lock-screen">
      <form onSubmit={(e) => void submit(e)}>
        <header className="dialog-header">
          <h2 id="lock-title">Session locked</h2>
        </header>
        <div className="dialog-body">
          <p>
            The session of <strong>{user.printedName}</strong> ({user.username}) was locked after {minutes} minute{minutes === 1 ? '' : 's'} without activity (automatic inactivity disconnect, FDA guidance on Part 11 signing sessions). Enter
            the password again to continue: the work on screen is kept.
          </p>
          <label className="form-stack">
            <span>Password of {user.username}</span>
            <input className="input" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required autoFocus data-testid="lock-password" />
          </label>
          {error && (
            <p className="form-problem" role="alert">
              {error}
            </p>
          )}
        </div>
        <footer className="dialog-footer">
          <button type="button" className="btn" onClick={onSwitchUser}>
            Sign in as someone else
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="lock-submit">
            Unlock
          </button>
        </footer>
      </form>
    </Modal>
  );
}

function BootstrapDialog({ onDone, onCancel }: { onDone(r: Output<'auth.login'>): void; onCancel(): void }) {
  return (
    <Modal labelledBy="bootstrap-title" onCancel={onCancel} testId="bootstrap-dialog">
      <BootstrapForm onDone={onDone} onCancel={onCancel} />
    </Modal>
  );
}

/** "Create the administrator": the first account (users.bootstrap), then signed in as it. */
export function BootstrapForm({ onDone, onCancel }: { onDone(r: Output<'auth.login'>): void; onCancel?(): void }) {
  const [username, setUsername] = useState('admin');
  const [printedName, setPrintedName] = useState('');
  const [title, setTitle] = useState('Administrator');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const settings = useSettings();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (password !== confirm) return setError('The password and its confirmation differ.');
    setBusy(true);
    try {
      await invoke('users.bootstrap', { username, printedName, title, password });
      onDone(await invoke('auth.login', { username, password }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} data-testid="bootstrap-form">
      <header className="dialog-header">
        <h2 id="bootstrap-title">Create the administrator</h2>
      </header>
      <div className="dialog-body">
        <p className="muted">
          DoseDesk has no account yet. The administrator creates the named accounts of the committee (chair, voting members, secretary); accounts are never deleted, only deactivated. {passwordRulesText(settings)}
        </p>
        <div className="form-grid form-grid-tight">
          <label>
            <span>User id</span>
            <input className="input" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required data-testid="bootstrap-username" />
          </label>
          <label>
            <span>Printed name</span>
            <input className="input" value={printedName} onChange={(e) => setPrintedName(e.target.value)} required data-testid="bootstrap-name" />
          </label>
          <label className="span-2">
            <span>Title</span>
            <input className="input" value={title} onChange={(e) => setTitle(e.target.value)} />
          </label>
          <label>
            <span>Password</span>
            <input className="input" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} required data-testid="bootstrap-password" />
          </label>
          <label>
            <span>Confirm the password</span>
            <input className="input" type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} required data-testid="bootstrap-confirm" />
          </label>
        </div>
        {error && (
          <p className="form-problem" role="alert">
            {error}
          </p>
        )}
      </div>
      <footer className="dialog-footer">
        {onCancel && (
          <button type="button" className="btn" onClick={onCancel}>
            Later
          </button>
        )}
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="bootstrap-submit">
          Create and sign in
        </button>
      </footer>
    </form>
  );
}

/** The top bar's account control: who is signed in (name and role), sign in / sign out, or "Create the administrator" on a first start. */
export function UserBadge() {
  const a = useAuth();
  if (!a.ready) return null;
  if (a.user && (a.session || a.locked)) {
    return (
      <div className="user-badge" data-testid="user-badge">
        <span className="user-name" title={`${a.user.username} · ${ROLE_LABELS[a.user.role]}`}>
          {a.user.printedName}
          <span className="user-role">{ROLE_LABELS[a.user.role]}{a.locked ? ' · locked' : ''}</span>
        </span>
        <button type="button" className="btn btn-small" onClick={() => void a.logout()} data-testid="signout">
          Sign out
        </button>
      </div>
    );
  }
  if (a.needsBootstrap) {
    return (
      <button type="button" className="btn" onClick={a.openBootstrap} data-testid="open-bootstrap">
        Create the administrator…
      </button>
    );
  }
  return (
    <button type="button" className="btn" onClick={() => void a.signIn().catch(() => undefined)} data-testid="signin">
      Sign in
    </button>
  );
}
