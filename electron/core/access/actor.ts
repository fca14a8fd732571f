import type { Role } from '../../../shared/meeting';
import { CallError, type CoreContext, type SignedIn } from '../context';
import { requireSession, userCount } from '../users/accounts';

export type { SignedIn };

// Who makes a call (issue 11; 21 CFR 11.10(e), 11.50: every change attributed to a person; 11.10(d),
// (g): only authorised people, each within their authority). The ONE place that resolves a session:
// `core.call` runs `resolveActor` once per call, before the handler, and hands the handler a per-call
// context whose `actor` is the signed-in account (or null). Handlers never see the token's checks:
// - `signedIn(ctx, what)`: the account, or 'unauthenticated' (no session);
// - `requireRole(ctx, roles, what)`: the account if its role is one of `roles`, else 'forbidden';
// - `attribution(ctx, what)`: who a change is recorded for —
//   - with a session: the signed-in account;
//   - without one, on a database that has no accounts yet (a validation team's scratch database, the
//     unit tests' fresh databases): the operating-system account, marked "no accounts: scratch
//     database" in the audit trail;
//   - without one, once any account exists: refused ("not logged in: …", which the UI answers with
//     its sign-in dialog).
// The first-start demo seeding runs before any account exists and is attributed to the system (SYSTEM).

export const SCRATCH_NOTE = 'no accounts: scratch database';

/** Methods that take a session but must not have it resolved first: logout ends the session it names, live or not. */
const SESSION_NOT_RESOLVED = new Set(['auth.logout']);

/**
 * The account of the call's session: requireSession (live, not idle past the inactivity limit — an
 * idle one ends, audited —, account active and unlocked; the call counts as activity). Null when the
 * input carries no session. Runs under the write gate: every method taking a session is a write.
 */
export function resolveActor(ctx: CoreContext, method: string, input: unknown): SignedIn | null {
  const session = (input as { session?: unknown } | null)?.session;
  if (typeof session !== 'string' || SESSION_NOT_RESOLVED.has(method)) return null;
  const u = requireSession(ctx, session);
  return { userId: u.user_id, username: u.username, name: u.printed_name, title: u.title, role: u.role };
}

/** The per-call context a handler receives: the core's context (read through, so that its lazy `db` and a test's `clock` stay live) with this call's actor. */
export function callContext(ctx: CoreContext, actor: SignedIn | null): CoreContext {
  return Object.assign(Object.create(ctx) as CoreContext, { actor });
}

/** The signed-in account of this call. */
export function signedIn(ctx: CoreContext, what: string): SignedIn {
  if (!ctx.actor) throw notLoggedIn(what);
  return ctx.actor;
}

const notLoggedIn = (what: string) => new CallError('unauthenticated', `not logged in: ${what} needs a signed-in account (log in with auth.login and pass the session)`, { auth: 'no-session' });

/** Authority check (11.10(g)): the signed-in account, if its role is one of `roles`. */
export function requireRole(ctx: CoreContext, roles: readonly Role[], what: string): SignedIn {
  const a = signedIn(ctx, what);
  if (!roles.includes(a.role)) throw new CallError('forbidden', `${a.username} (${a.role}) may not ${what}: needs ${roles.join(' or ')}`, { auth: 'role' });
  return a;
}

export interface Actor {
  /** Recorded as the user of the change and of its audit entry. */
  username: string;
  /** The account, or null for the OS user of a scratch database and for the system. */
  userId: number | null;
  /** Why the change has no signed-in account (null when it has one). */
  note: string | null;
}

export const SYSTEM: Actor = { username: 'system', userId: null, note: 'first-start demo seeding (before any account exists)' };

/** Who a change is recorded for: the signed-in account, or the OS user of a scratch database. */
export function attribution(ctx: CoreContext, what: string): Actor {
  if (ctx.actor) return { username: ctx.actor.username, userId: ctx.actor.userId, note: null };
  if (userCount(ctx.db) === 0) return { username: ctx.user, userId: null, note: SCRATCH_NOTE };
  throw notLoggedIn(what);
}

/** The audit reason of a change: the user's own reason and, without an account, why. */
export function auditReason(a: Actor, reason?: string | null): string | null {
  const parts = [reason ?? null, a.note].filter((x): x is string => !!x);
  return parts.length ? parts.join('; ') : null;
}
