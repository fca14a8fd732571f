import { fromColumns } from '../../../shared/columns';
import type { Output } from '../../../shared/contract';
import { pathMarkers } from './pathLines';
import { WEBGL_POINTS } from './webgl';

// The laboratory view's eDISH figure (FDA DILI guidance 2009; Watkins et al. 2008): one point per
// subject, peak post-baseline ALT or AST × ULN against peak total bilirubin × ULN on log axes, with
// the Hy's-law lines at 3 × ULN and 2 × ULN and the quadrants named. Pure: labs.edish in, plotly out.

export type EdishResult = Output<'labs.edish'>;
export type ShiftResult = Output<'labs.shift'>;
type Trace = Record<string, unknown>;
type Layout = Record<string, unknown>;

/** labs.shift asked as columns (10,000 subjects: 1.2 MB instead of 7 MB), with its rows back. */
export const shiftRows = (s: ShiftResult): ShiftResult => (s.subjectColumns ? { ...s, subjects: fromColumns(s.subjectColumns), subjectColumns: null } : s);
/** labs.edish asked as columns, with its points back. */
export const edishRows = (e: EdishResult): EdishResult => (e.pointColumns ? { ...e, points: fromColumns(e.pointColumns), pointColumns: null } : e);

/** The dose level of a group key ("L4" → 4, "placebo" → 0); null for subjects off the plan. */
export function groupLevel(key: string): number | null {
  if (key === 'placebo') return 0;
  const m = /^L(\d+)$/.exec(key);
  return m ? Number(m[1]) : null;
}

const f2 = (x: number | null) => (x === null ? '—' : x.toFixed(2));

export function edishFigure(e: EdishResult, o: { doseColor(l: number | null): string; doseLabel(l: number | null): string }): { data: Trace[]; layout: Layout } {
  const byGroup = new Map<string, EdishResult['points']>();
  for (const p of e.points) {
    const l = byGroup.get(p.group);
    if (l) l.push(p);
    else byGroup.set(p.group, [p]);
  }
  const order = (g: string) => groupLevel(g) ?? 1e9;
  const groups = [...byGroup].sort(([a], [b]) => order(a) - order(b));
  const hy = (p: EdishResult['points'][number]) => p.quadrant === "Potential Hy's law";
  const customdata = (p: EdishResult['points'][number]) => [p.usubjid, f2(p.altXUln), f2(p.astXUln), f2(p.biliXUln), p.quadrant, p.altDtc ?? '—', p.astDtc ?? '—', p.biliDtc ?? '—'];
  const hovertemplate = '<b>%{customdata[0]}</b><br>ALT %{customdata[1]} × ULN (%{customdata[5]})<br>AST %{customdata[2]} × ULN (%{customdata[6]})<br>Bilirubin %{customdata[3]} × ULN (%{customdata[7]})<br>%{customdata[4]}<extra></extra>';
  const dataShapes: Trace[] = [];
  // Above WEBGL_POINTS subjects a level's points are one SVG path of dots (pathLines.ts) instead of a
  // WebGL canvas; the potential Hy's law cases stay diamonds drawn by plotly, over them.
  const data: Trace[] =
    e.points.length > WEBGL_POINTS
      ? groups.flatMap(([g, pts]) => {
          const l = groupLevel(g);
          const cases = pts.filter(hy);
          const drawn = pathMarkers({ name: o.doseLabel(l), legendgroup: g, color: o.doseColor(l), size: 10, points: pts.filter((p) => !hy(p)).map((p) => ({ x: p.aminoXUln, y: p.biliXUln, customdata: customdata(p) })), hovertemplate, log: { x: true, y: true } });
          dataShapes.push(...drawn.shapes);
          const diamonds = { type: 'scatter', mode: 'markers', name: o.doseLabel(l), legendgroup: g, showlegend: false, x: cases.map((p) => p.aminoXUln), y: cases.map((p) => p.biliXUln), customdata: cases.map(customdata), marker: { color: o.doseColor(l), size: 10, symbol: 'diamond', line: { color: '#fff', width: 1 } }, hovertemplate };
          return [...drawn.traces, ...(cases.length ? [diamonds] : [])];
        })
      : groups.map(([g, pts]) => {
          const l = groupLevel(g);
          return {
            type: 'scatter',
            mode: 'markers',
            name: o.doseLabel(l),
            x: pts.map((p) => p.aminoXUln),
            y: pts.map((p) => p.biliXUln),
            customdata: pts.map(customdata),
            marker: { color: o.doseColor(l), size: 10, line: { color: '#fff', width: 1 }, symbol: pts.map((p) => (hy(p) ? 'diamond' : 'circle')) },
            hovertemplate,
          };
        });
  const xs = e.points.map((p) => p.aminoXUln).filter((x) => x > 0);
  const ys = e.points.map((p) => p.biliXUln).filter((y) => y > 0);
  const lo = (v: number[], floor: number) => Math.log10(Math.min(floor, ...v) / 1.5);
  const hi = (v: number[], ceil: number) => Math.log10(Math.max(ceil, ...v) * 1.5);
  const xr = [lo(xs, 0.2), hi(xs, 30)];
  const yr = [lo(ys, 0.2), hi(ys, 10)];
  const note = (text: string, x: number, y: number, xanchor: string, yanchor: string) => ({ text, x, y, xref: 'x', yref: 'y', xanchor, yanchor, showarrow: false, font: { size: 12, color: '#4a5563' } });
  return {
    data,
    layout: {
      xaxis: { title: { text: 'Peak ALT or AST (× ULN)' }, type: 'log', range: xr },
      yaxis: { title: { text: 'Peak total bilirubin (× ULN)' }, type: 'log', range: yr },
      shapes: [
        { type: 'line', xref: 'x', yref: 'paper', x0: 3, x1: 3, y0: 0, y1: 1, line: { color: '#b42318', width: 1.5, dash: 'dash' } },
        { type: 'line', xref: 'paper', yref: 'y', x0: 0, x1: 1, y0: 2, y1: 2, line: { color: '#b42318', width: 1.5, dash: 'dash' } },
        ...dataShapes,
      ],
      // annotations on a log axis take log10 of the position (plotly); shapes take the value itself
      annotations: [
        note("Potential Hy's law", xr[1]!, yr[1]!, 'right', 'top'),
        note('Hyperbilirubinaemia', xr[0]!, yr[1]!, 'left', 'top'),
        note("Temple's corollary", xr[1]!, yr[0]!, 'right', 'bottom'),
        note('Normal range', xr[0]!, yr[0]!, 'left', 'bottom'),
        { ...note('3 × ULN', Math.log10(3), yr[0]!, 'left', 'bottom'), yshift: 18 },
        note('2 × ULN', xr[0]!, Math.log10(2), 'left', 'bottom'),
      ],
      legend: { title: { text: 'Dose level' } },
    },
  };
}
