// Many lines as one SVG path per group: the large spider and waterfall (issue 14). plotly draws an
// SVG line trace as one <path> per gap-separated segment (10,000 subjects: 10,000 nodes, over a second
// of style and layout) and a scattergl trace in a WebGL canvas (seconds to fill where there is no GPU:
// a virtual machine, remote desktop, a blocked driver). A layout shape of type 'path' in data
// coordinates is one node however many lines it holds; beside it, a trace that draws nothing (mode
// 'none') at the same points keeps the hover and the click, and a trace of no points the legend
// entry (a line glyph); the three share a legend group, so the legend hides and shows them together.
// Markers go the same way (markerShapes): each a segment of zero length with round caps, stroked `size`
// pixels wide, so that it paints a dot of that diameter at any zoom.
// Pure: no DOM.

type Trace = Record<string, unknown>;

/** A point of a line: data coordinates and what its hover and click read. */
export interface PathPoint {
  x: number;
  y: number;
  customdata: unknown[];
}

export interface PathLineGroup {
  name: string;
  legendgroup: string;
  color: string;
  width: number;
  /** The legend glyph's marker, where markerShapes draws the points too (the glyph is a plain line without it). */
  marker?: Record<string, unknown>;
  /** The polylines, each its points in drawing order (a line of one point draws nothing but still hovers). */
  lines: readonly (readonly PathPoint[])[];
  hovertemplate: string;
}

/** Name prefix of the layout shapes that are a figure's data, not a reference line: Plot checks that they were drawn. */
export const DATA_SHAPE = 'data:';

/** "Mx,yLx,y…Mx,y…": the polylines as one SVG path in data coordinates (plotly maps them to pixels, and again on zoom). */
export function polylinePath(lines: readonly (readonly PathPoint[])[]): string {
  const parts: string[] = [];
  for (const line of lines) line.forEach((p, i) => parts.push(`${i ? 'L' : 'M'}${p.x},${p.y}`));
  return parts.join('');
}

/** The trace that hovers and clicks a group's points without drawing them (plotly makes no node for mode 'none'). */
function hoverTrace(g: { name: string; legendgroup: string; color: string; hovertemplate: string }, points: readonly PathPoint[]): Trace {
  return {
    type: 'scatter',
    mode: 'none',
    name: g.name,
    legendgroup: g.legendgroup,
    showlegend: false,
    x: points.map((p) => p.x),
    y: points.map((p) => p.y),
    customdata: points.map((p) => p.customdata),
    hovertemplate: g.hovertemplate,
    hoverlabel: { bgcolor: g.color },
  };
}

/** The group's shape (drawn between the grid and the traces, so that markers stay on top), its hover trace and its legend entry. */
export function pathLines(g: PathLineGroup): { shape: Trace; traces: Trace[] } {
  return {
    shape: {
      type: 'path',
      xref: 'x',
      yref: 'y',
      layer: 'between',
      path: polylinePath(g.lines),
      line: { color: g.color, width: g.width },
      legendgroup: g.legendgroup,
      name: `${DATA_SHAPE}${g.name}`,
    },
    traces: [
      hoverTrace(g, g.lines.flat()),
      { type: 'scatter', mode: g.marker ? 'lines+markers' : 'lines', name: g.name, legendgroup: g.legendgroup, x: [null], y: [null], line: { color: g.color, width: g.width }, ...(g.marker && { marker: g.marker }), hoverinfo: 'skip' },
    ],
  };
}

/** Which axes are logarithmic: a point at zero or below has no place there. */
export interface LogAxes {
  x?: boolean;
  y?: boolean;
}

/**
 * The shapes that are markers carry this fill rule, which plotly writes on their path (`fill-rule`):
 * styles.css gives those paths round line caps, so that each zero-length segment paints a dot of the
 * line's width. Their fill is transparent, so the rule changes nothing else.
 */
export const MARKER_FILL_RULE = 'nonzero';

/**
 * "Mx,yLx,y…": a segment of zero length at each point, as one SVG path in data coordinates. A point a
 * log axis cannot place (zero or below), as plotly leaves it out of a scatter, is left out.
 */
export function dotsPath(points: readonly { x: number; y: number }[], log: LogAxes = {}): string {
  let d = '';
  for (const p of points) if (Number.isFinite(p.x) && Number.isFinite(p.y) && (!log.x || p.x > 0) && (!log.y || p.y > 0)) d += `M${p.x},${p.y}L${p.x},${p.y}`;
  return d;
}

export interface MarkerGroup {
  name: string;
  legendgroup: string;
  color: string;
  /** The dot's diameter in pixels. */
  size: number;
  /** A ring in the colour around white (a negative sample), instead of a filled dot. */
  hollow?: boolean;
  points: readonly { x: number; y: number }[];
  log?: LogAxes;
}

/**
 * Circle markers of one group as data shapes (one path, two when hollow: a smaller white dot over the
 * colour), drawn above the lines of pathLines. They carry no hover: the group's points are in a hover
 * trace already (pathLines's, or pathMarkers's).
 */
export function markerShapes(g: MarkerGroup): Trace[] {
  const path = dotsPath(g.points, g.log);
  if (!path) return [];
  const shape = (color: string, width: number, suffix: string) => ({ type: 'path', xref: 'x', yref: 'y', layer: 'between', path, fillrule: MARKER_FILL_RULE, line: { color, width }, legendgroup: g.legendgroup, name: `${DATA_SHAPE}${g.name}${suffix}` });
  return g.hollow ? [shape(g.color, g.size, ''), shape('#ffffff', Math.max(g.size - 4, 1), ' (inside)')] : [shape(g.color, g.size, '')];
}

/** Markers alone (a scatter plot): markerShapes, a hover trace of the points and a legend entry (a dot), in one legend group. */
export function pathMarkers(g: Omit<MarkerGroup, 'points'> & { points: readonly PathPoint[]; hovertemplate: string }): { shapes: Trace[]; traces: Trace[] } {
  return {
    shapes: markerShapes(g),
    traces: [hoverTrace(g, g.points), { type: 'scatter', mode: 'markers', name: g.name, legendgroup: g.legendgroup, x: [null], y: [null], marker: { size: g.size, color: g.color }, hoverinfo: 'skip' }],
  };
}

/**
 * The figure for an image export (PNG, SVG, the minutes): a plotly image has no page style, so the
 * marker shapes' round caps would be lost and their dots not drawn. Each becomes a scatter trace of
 * the same dots (SVG markers: slower to draw, the same picture), before the figure's own traces.
 */
export function markersAsTraces(fig: { data: Trace[]; layout: Trace }): { data: Trace[]; layout: Trace } {
  const shapes = (fig.layout.shapes ?? []) as Trace[];
  const markers = shapes.filter((s) => s.fillrule === MARKER_FILL_RULE && typeof s.path === 'string');
  if (!markers.length) return fig;
  const traces = markers.map((s) => {
    const x: number[] = [];
    const y: number[] = [];
    for (const m of (s.path as string).matchAll(/M([^,L]+),([^L]+)L/g)) {
      x.push(Number(m[1]));
      y.push(Number(m[2]));
    }
    const line = s.line as { color: string; width: number };
    return { type: 'scatter', mode: 'markers', x, y, legendgroup: s.legendgroup, showlegend: false, hoverinfo: 'skip', marker: { size: line.width, color: line.color }, ...(s.visible === false && { visible: false }) };
  });
  return { data: [...traces, ...fig.data], layout: { ...fig.layout, shapes: shapes.filter((s) => !markers.includes(s)) } };
}
