import type { Output } from '../../../shared/contract';
import { QTCF_ABSOLUTE_MS } from '../../../shared/ecg';
import { groupLevel } from './LabFigures';
import { scatterType } from './webgl';

// The ECG section's QTcF-over-time figure: one line per subject (QTcF against study day), coloured by
// dose level (one trace per level), with the ICH E14 (2005) thresholds at 450, 480 and 500 ms as dashed lines. Pure:
// ecg.qtcf in, plotly out.

export type QtcfResult = Output<'ecg.qtcf'>;
export type QtcCategories = Output<'ecg.categories'>;
type Trace = Record<string, unknown>;
type Layout = Record<string, unknown>;

export function qtcfFigure(q: QtcfResult, o: { doseColor(l: number | null): string; doseLabel(l: number | null): string }): { data: Trace[]; layout: Layout } {
  // One trace per dose level holding its subjects' lines separated by gaps: a handful of traces at
  // thousands of subjects (a trace per subject took seconds to draw), WebGL above WEBGL_POINTS points.
  const byGroup = new Map<string, Map<string, QtcfResult['points']>>();
  for (const p of q.points) {
    if (p.studyDay === null) continue;
    let subjects = byGroup.get(p.group);
    if (!subjects) byGroup.set(p.group, (subjects = new Map()));
    let pts = subjects.get(p.usubjid);
    if (!pts) subjects.set(p.usubjid, (pts = []));
    pts.push(p);
  }
  const order = (g: string) => groupLevel(g) ?? 1e9;
  const type = scatterType(q.points.length);
  const data: Trace[] = [...byGroup]
    .sort(([a], [b]) => order(a) - order(b))
    .map(([g, subjects]) => {
      const l = groupLevel(g);
      const x: (number | null)[] = [];
      const y: (number | null)[] = [];
      const customdata: (string[] | null)[] = [];
      const symbol: string[] = [];
      for (const [u, pts] of subjects) {
        for (const p of pts) {
          x.push(p.studyDay);
          y.push(Math.round(p.qtcf * 10) / 10);
          customdata.push([u, p.dtc ?? '—', p.change === null ? (p.baseline ? 'baseline' : '—') : `${p.change > 0 ? '+' : ''}${p.change.toFixed(1)} ms`, p.source]);
          symbol.push(p.baseline ? 'square' : 'circle');
        }
        x.push(null);
        y.push(null);
        customdata.push(null);
        symbol.push('circle');
      }
      return {
        type,
        mode: 'lines+markers',
        name: o.doseLabel(l),
        legendgroup: g,
        x,
        y,
        customdata,
        connectgaps: false,
        line: { color: o.doseColor(l), width: 1.5 },
        marker: { color: o.doseColor(l), size: 7, symbol },
        hovertemplate: '<b>%{customdata[0]}</b><br>Day %{x} (%{customdata[1]})<br>QTcF %{y} ms<br>Change from baseline %{customdata[2]}<br>%{customdata[3]}<extra></extra>',
      };
    });
  const layout: Layout = {
    xaxis: { title: { text: 'Study day' }, zeroline: false },
    yaxis: { title: { text: 'QTcF (ms)' } },
    shapes: QTCF_ABSOLUTE_MS.map((y) => ({ type: 'line', xref: 'paper', x0: 0, x1: 1, y0: y, y1: y, line: { dash: 'dash', width: 1, color: y >= 500 ? '#b42318' : '#b54708' } })),
    annotations: QTCF_ABSOLUTE_MS.map((y) => ({ xref: 'paper', x: 1, y, text: `${y} ms`, showarrow: false, xanchor: 'right', yanchor: 'bottom', font: { size: 10 } })),
    legend: { orientation: 'h', y: -0.2 },
  };
  return { data, layout };
}
