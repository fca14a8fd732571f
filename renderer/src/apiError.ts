// A failed core call as the renderer sees it: the core's message, its error kind and details
// (shared/contract.ts ApiError). The UI decides what to do from the kind and details, never from the
// wording of the message (which may change). No DOM here, so that the deciding functions are unit-tested.

export class ApiCallError extends Error {
  constructor(
    message: string,
    /** An ApiError kind (shared/contract.ts), or whatever a transport reported. */
    readonly kind: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/**
 * The core has no live session for the call (not logged in, session ended, locked after inactivity):
 * the UI locks and asks to sign in again, then retries. A signed-in account that may not do something
 * ('forbidden') is not a session problem: signing in again would not help.
 */
export function isSessionError(e: unknown): boolean {
  return e instanceof ApiCallError && e.kind === 'unauthenticated';
}

/** auth.login refused because the password must be changed first (new account, reset, expired). */
export function needsPasswordChange(e: unknown): boolean {
  return e instanceof ApiCallError && (e.details as { auth?: unknown } | undefined)?.auth === 'password-change';
}
