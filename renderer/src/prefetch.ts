import { preloadViews } from './views';

// The libraries of the plots and the grids, and each view's code, are not loaded at start-up
// (README.md#performance); loaded at their first use, the first plot a committee opened waited for
// plotly: 7 MB of script, about 0.5–0.9 s to fetch and evaluate on the bench's machine. Once the first
// view is drawn and the window is idle, they are loaded in the background, one after the other. A view
// opened before that loads what it needs itself: each is loaded once either way. Plotly also draws two
// small figures off screen then (warmUpPlotly), and AG Grid a small grid (warmUpGrid), so that their
// code is compiled before a view draws.

const FIRST_VIEW_DRAWN = /^view:.+:drawn$/;

/** Loads plotly, then AG Grid, then the views' code, in idle time after the first `view:…:drawn` mark (drawnMark.ts). */
export function prefetchLibrariesAfterFirstView(): void {
  if (typeof PerformanceObserver === 'undefined') return;
  const observer = new PerformanceObserver((list) => {
    if (!list.getEntries().some((e) => FIRST_VIEW_DRAWN.test(e.name))) return;
    observer.disconnect();
    void prefetch();
  });
  observer.observe({ type: 'mark' });
}

async function prefetch(): Promise<void> {
  await idle();
  await import('./components/Plot').then((m) => m.warmUpPlotly(idle)).catch(() => undefined);
  await idle();
  await import('./components/DataGrid').then((m) => m.warmUpGrid()).catch(() => undefined);
  await idle();
  await preloadViews();
}

function idle(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: 5000 });
    else setTimeout(resolve, 1000);
  });
}
