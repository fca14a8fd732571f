// The libraries of the plots and the grids are loaded at their first use, not at start-up
// (README.md#performance), so the first plot a committee opens waited for plotly: 7 MB of script, about
// 0.5–0.9 s to fetch and evaluate on the bench's machine. Once the first view is drawn and the window is
// idle, they are loaded in the background instead, one after the other. A view opened before that loads
// them as before: each is loaded once either way, and a failed load is tried again at its first use.

const FIRST_VIEW_DRAWN = /^view:.+:drawn$/;

/** Loads plotly, then AG Grid, in idle time after the first `view:…:drawn` mark (drawnMark.ts). */
export function prefetchLibrariesAfterFirstView(): void {
  if (typeof PerformanceObserver === 'undefined') return;
  const observer = new PerformanceObserver((list) => {
    if (!list.getEntries().some((e) => FIRST_VIEW_DRAWN.test(e.name))) return;
    observer.disconnect();
    whenIdle(() => {
      void import('./components/Plot')
        .then((m) => m.loadPlotly())
        .catch(() => undefined)
        .then(() => whenIdle(() => void import('./components/DataGrid').catch(() => undefined)));
    });
  });
  observer.observe({ type: 'mark' });
}

function whenIdle(run: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 5000 });
  else setTimeout(run, 1000);
}
