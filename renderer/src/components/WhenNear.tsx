import type { ReactNode } from 'react';
import { useNearScreen } from '../useNearScreen';
import { LoadingState } from './States';

/** A section mounted (and so asking the core for its data) when scrolled near the screen (useNearScreen). */
export function WhenNear({ what, margin, children }: { what: string; margin?: string; children: ReactNode }) {
  const [ref, near] = useNearScreen<HTMLDivElement>(margin);
  return (
    <div ref={ref} data-when-near={near ? 'loaded' : 'waiting'}>
      {near ? children : <LoadingState what={what} />}
    </div>
  );
}
