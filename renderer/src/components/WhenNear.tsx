import { useEffect, useState, type ReactNode } from 'react';
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

/**
 * The rest of a view, mounted once what comes before it is on screen: the view's first table is
 * painted while the plots and grids below it are built (each takes 50–250 ms of the window's thread
 * at 10,000 subjects, and one task building them all held the first table back until the last was
 * done). Mounts in the frame after the one in which `after` (a selector: the first table's rows)
 * is in the page, so that one frame has painted it; at the latest after `fallbackMs` (the first
 * table empty or failed, a hidden window that paints no frame). `minHeight` keeps the page from
 * jumping meanwhile.
 */
export function InTurn({ after, minHeight = 0, fallbackMs = 1000, children }: { after: string; minHeight?: number; fallbackMs?: number; children: ReactNode }) {
  const [turn, setTurn] = useState(false);
  useEffect(() => {
    if (turn) return;
    let frame = 0;
    // Asked in each frame before its paint; once there, the next frame mounts the rest.
    const tick = () => {
      frame = requestAnimationFrame(() => {
        if (document.querySelector(after)) frame = requestAnimationFrame(() => setTurn(true));
        else tick();
      });
    };
    tick();
    const timer = setTimeout(() => setTurn(true), fallbackMs);
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [after, fallbackMs, turn]);
  return turn ? <>{children}</> : <div style={{ minHeight }} data-in-turn="waiting" />;
}
