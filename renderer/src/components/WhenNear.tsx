import type { ReactNode } from 'react';
import { useNearScreen } from '../useNearScreen';
import { LoadingState } from './States';

/** A section mounted (and so asking the core for its data) when scrolled near the screen (useNearScreen). */
export function WhenNear({ what, children }: { what: string; children: ReactNode }) {
  const [ref, near] = useNearScreen<HTMLDivElement>();
  return <div ref={ref}>{near ? children : <LoadingState what={what} />}</div>;
}
