// The `view:<id>:drawn` performance marks (the bench reads them: test/bench/views.bench.ts). A view
// counts as drawn when what a person reads is on screen — its plot's marks or pixels (components/
// Plot.tsx checks them), its grid's or table's rows — not when its data arrived or a library's
// promise resolved.

import { DATA_SHAPE } from './components/pathLines';

/**
 * Sets performance.mark(name) once the frame in which `shown()` first holds has been painted (checked
 * once per frame before its paint, for at most `maxMs`; a view that never shows its content gets no
 * mark; the mark follows the paint as a plot's does, Plot.tsx verifyDrawn). Returns a function that stops it.
 */
export function markWhenShown(name: string, shown: () => boolean, maxMs = 60_000): () => void {
  let frame = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const end = performance.now() + maxMs;
  const tick = () => {
    if (shown()) timer = setTimeout(() => performance.mark(name), 0);
    else if (performance.now() < end) frame = requestAnimationFrame(tick);
  };
  frame = requestAnimationFrame(tick);
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}

/** Does the grid (AG Grid) inside `root` show rows with cells, or its "no rows" message when it has none? */
export function gridShowsRows(root: Element | null, rowCount: number): boolean {
  if (!root) return false;
  if (rowCount === 0) return root.querySelector('.ag-overlay-no-rows-wrapper, .ag-overlay-no-rows-center') !== null;
  return root.querySelector('.ag-row .ag-cell') !== null;
}

/** Does the figure have anything to draw (a visible trace with at least one value; a data shape, pathLines.ts)? An empty figure shows axes only. */
export function expectsMarks(data: readonly Record<string, unknown>[], layout: Record<string, unknown> = {}): { svg: boolean; gl: boolean; shapes: number[] } {
  let svg = false;
  let gl = false;
  for (const t of data) {
    if (t.visible === false || t.visible === 'legendonly' || t.mode === 'none') continue;
    const has = ['x', 'y'].some((k) => Array.isArray(t[k]) && (t[k] as unknown[]).some((v) => v !== null && v !== undefined && v !== ''));
    if (!has) continue;
    if (String(t.type ?? 'scatter').endsWith('gl')) gl = true;
    else svg = true;
  }
  const shapes: number[] = [];
  ((layout.shapes ?? []) as Record<string, unknown>[]).forEach((s, i) => {
    if (String(s.name ?? '').startsWith(DATA_SHAPE) && s.visible !== false) shapes.push(i);
  });
  return { svg, gl, shapes };
}
