/**
 * A hidden element off screen for the libraries' warm-ups (Plot.tsx warmUpPlotly, DataGrid.tsx
 * warmUpGrid), marked `data-<name>` so that tests can see it come and go; the caller removes it.
 */
export function offScreenHost(name: string, width: number): HTMLDivElement {
  const el = document.createElement('div');
  el.setAttribute('aria-hidden', 'true');
  el.setAttribute(`data-${name}`, '');
  el.style.cssText = `position:fixed;left:-10000px;top:0;width:${width}px;height:400px;visibility:hidden;pointer-events:none`;
  document.body.appendChild(el);
  return el;
}
