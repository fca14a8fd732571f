import { useCallback, useLayoutEffect, useState } from 'react';

// One contract call as React state: loading, its result or its error, and a retry.

export type CallState<T> = { status: 'idle' } | { status: 'loading' } | { status: 'ok'; data: T } | { status: 'error'; error: unknown };

export function useCall<T>(fn: (() => Promise<T>) | null, deps: unknown[]): [CallState<T>, () => void] {
  const [state, setState] = useState<CallState<T>>({ status: 'idle' });
  const [attempt, setAttempt] = useState(0);
  // Sent in the commit, before the browser paints: a passive effect (useEffect) runs after the frame
  // that shows the view's loading state, 30–40 ms after a click.
  useLayoutEffect(() => {
    if (!fn) {
      setState({ status: 'idle' });
      return;
    }
    let live = true;
    setState({ status: 'loading' });
    fn().then(
      (data) => live && setState({ status: 'ok', data }),
      (error: unknown) => live && setState({ status: 'error', error }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's `deps` list what `fn` reads (as an effect's own list would); `fn` itself is a new closure at every render and would refetch at each one
  }, [...deps, attempt]);
  const retry = useCallback(() => setAttempt((a) => a + 1), []);
  return [state, retry];
}

// Results that depend only on the snapshot (and the data version) asked once and kept across view
// switches: safety.ada, every subject's ADA samples, which the immunogenicity view shows (the other
// views ask for small parts: efficacy.plotColumns, safety.adaEmergent). A failed call is forgotten,
// so that a retry asks again.
const SHARED_MAX = 8;
const shared = new Map<string, Promise<unknown>>();

/** The promise of `fn()` made once per key (the newest SHARED_MAX keys are kept). */
export function sharedCall<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const hit = shared.get(key) as Promise<T> | undefined;
  if (hit) return hit;
  const p = fn();
  shared.set(key, p);
  p.catch(() => {
    if (shared.get(key) === p) shared.delete(key);
  });
  if (shared.size > SHARED_MAX) shared.delete(shared.keys().next().value!);
  return p;
}

/** useCall of a call shared by key (sharedCall); `key` null = no call. */
export function useSharedCall<T>(key: string | null, fn: () => Promise<T>): [CallState<T>, () => void] {
  return useCall<T>(key === null ? null : () => sharedCall(key, fn), [key]);
}
