import { useCallback, useEffect, useState } from 'react';

// One contract call as React state: loading, its result or its error, and a retry.

export type CallState<T> = { status: 'idle' } | { status: 'loading' } | { status: 'ok'; data: T } | { status: 'error'; error: unknown };

export function useCall<T>(fn: (() => Promise<T>) | null, deps: unknown[]): [CallState<T>, () => void] {
  const [state, setState] = useState<CallState<T>>({ status: 'idle' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
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
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's `deps` list what `fn` reads (as useEffect's own list would); `fn` itself is a new closure at every render and would refetch at each one
  }, [...deps, attempt]);
  const retry = useCallback(() => setAttempt((a) => a + 1), []);
  return [state, retry];
}
