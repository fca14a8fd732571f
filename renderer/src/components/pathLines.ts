// Many lines as one SVG path per group: the large spider and waterfall (issue 14). plotly draws an
// SVG line trace as one <path> per gap-separated segment (10,000 subjects: 10,000 nodes, over a second
// of style and layout) and a scattergl trace in a WebGL canvas (seconds to fill where there is no GPU:
// a virtual machine, remote desktop, a blocked driver). A layout shape of type 'path' in data
// coordinates is one node however many lines it holds; beside it, a trace that draws nothing (mode
// 'none') at the same points keeps the hover and the click, and a trace of no points the legend
// entry (a line glyph); the three share a legend group, so the legend hides and shows them together.
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

/** The group's shape (drawn between the grid and the traces, so that markers stay on top), its hover trace and its legend entry. */
export function pathLines(g: PathLineGroup): { shape: Trace; traces: Trace[] } {
  const x: number[] = [];
  const y: number[] = [];
  const customdata: unknown[][] = [];
  for (const line of g.lines)
    for (const p of line) {
      x.push(p.x);
      y.push(p.y);
      customdata.push(p.customdata);
    }
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
      {
        type: 'scatter',
        mode: 'none',
        name: g.name,
        legendgroup: g.legendgroup,
        showlegend: false,
        x,
        y,
        customdata,
        hovertemplate: g.hovertemplate,
        hoverlabel: { bgcolor: g.color },
      },
      { type: 'scatter', mode: 'lines', name: g.name, legendgroup: g.legendgroup, x: [null], y: [null], line: { color: g.color, width: g.width }, hoverinfo: 'skip' },
    ],
  };
}
