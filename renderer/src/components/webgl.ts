// When a figure is drawn with WebGL. plotly's SVG scatter makes DOM nodes per marker and per line
// segment: past about a thousand points a plot takes hundreds of milliseconds to draw and every
// hover or zoom redraws them all; WebGL (scattergl, in plotly's strict bundle, which generates no
// code at run time and so keeps the app's CSP) draws them in one canvas. Pure: no DOM.

type Trace = Record<string, unknown>;

/** Scatter traces of a figure with more points than this (all its scatter traces together) are drawn with WebGL. */
export const WEBGL_POINTS = 1000;

/** 'scattergl' above WEBGL_POINTS, else 'scatter': for figure builders that count their points themselves. */
export function scatterType(points: number): 'scatter' | 'scattergl' {
  return points > WEBGL_POINTS ? 'scattergl' : 'scatter';
}

// A trace that draws nothing (mode 'none': pathLines.ts's hover points) makes no DOM node and stays as it is.
const isSvgScatter = (t: Trace) => (t.type ?? 'scatter') === 'scatter' && t.mode !== 'none';

/** The points of a figure's SVG scatter traces (their x values, gaps included). */
export function svgScatterPoints(data: readonly Trace[]): number {
  let n = 0;
  for (const t of data) if (isSvgScatter(t) && Array.isArray(t.x)) n += (t.x as unknown[]).length;
  return n;
}

/**
 * The figure as drawn on screen: above WEBGL_POINTS points every SVG scatter trace becomes scattergl
 * (all of them, so that their order on the plot stays the figure's); bars and traces already WebGL
 * are kept; a figure with a text trace stays as it is. Exports (PNG, SVG, the minutes) draw the figure as given.
 */
export function webglWhenLarge(data: Trace[]): Trace[] {
  if (svgScatterPoints(data) <= WEBGL_POINTS) return data;
  // Text drawn as a trace (the swimmer's end-of-treatment labels): scattergl draws text through a
  // font atlas of its own, not as the SVG text the figure was laid out for; such figures switch by themselves or stay SVG.
  if (data.some((t) => isSvgScatter(t) && String(t.mode ?? '').includes('text'))) return data;
  return data.map((t) => (isSvgScatter(t) ? { ...t, type: 'scattergl' } : t));
}
