import { CallError, type CoreContext } from '../context';
import { requireSession, userCount } from '../users/accounts';

// Who makes a change (issue 11; 21 CFR 11.10(e), 11.50: every change attributed to a person). The ONE
// place that decides it; every handler that writes calls `actor(ctx, input.session, what)`:
// - with a session: the signed-in account (the session must be live: requireSession);
// - without one, on a database that has no accounts yet (a validation team's scratch database, the
//   unit tests' fresh databases): the operating-system account, marked "no accounts: scratch database"
//   in the audit trail;
// - without one, once any account exists: refused ("not logged in: …", which the UI answers with its
//   sign-in dialog).
// The first-start demo seeding runs before any account exists and is attributed to the system (SYSTEM).

export const SCRATCH_NOTE = 'no accounts: scratch database';

export interface Actor {
  /** Recorded as the user of the change and of its audit entry. */
  username: string;
  /** The account, or null for the OS user of a scratch database and for the system. */
  userId: number | null;
  /** Why the change has no signed-in account (null when it has one). */
  note: string | null;
}

export const SYSTEM: Actor = { username: 'system', userId: null, note: 'first-start demo seeding (before any account exists)' };

export function actor(ctx: CoreContext, session: string | undefined, what: string): Actor {
  if (session) {
    const u = requireSession(ctx, session);
    return { username: u.username, userId: u.user_id, note: null };
  }
  if (userCount(ctx.db) === 0) return { username: ctx.user, userId: null, note: SCRATCH_NOTE };
  throw new CallError('unauthenticated', `not logged in: ${what} needs a signed-in account (log in with auth.login and pass the session)`, { auth: 'no-session' });
}

/** The audit reason of a change: the user's own reason and, without an account, why. */
export function auditReason(a: Actor, reason?: string | null): string | null {
  const parts = [reason ?? null, a.note].filter((x): x is string => !!x);
  return parts.length ? parts.join('; ') : null;
}
