import type { Output } from '../../../shared/contract';
import { QTCF_ABSOLUTE_MS } from '../../../shared/ecg';
import { groupLevel } from './LabFigures';

// The ECG section's QTcF-over-time figure: one line per subject (QTcF against study day), coloured by
// dose level, with the ICH E14 (2005) thresholds at 450, 480 and 500 ms as dashed lines. Pure:
// ecg.qtcf in, plotly out.

export type QtcfResult = Output<'ecg.qtcf'>;
export type QtcCategories = Output<'ecg.categories'>;
type Trace = Record<string, unknown>;
type Layout = Record<string, unknown>;

export function qtcfFigure(q: QtcfResult, o: { doseColor(l: number | null): string; doseLabel(l: number | null): string }): { data: Trace[]; layout: Layout } {
  const bySubject = new Map<string, QtcfResult['points']>();
  for (const p of q.points) if (p.studyDay !== null) bySubject.set(p.usubjid, [...(bySubject.get(p.usubjid) ?? []), p]);
  const order = (g: string) => groupLevel(g) ?? 1e9;
  const seen = new Set<string>();
  const data: Trace[] = [...bySubject]
    .sort(([, a], [, b]) => order(a[0]!.group) - order(b[0]!.group))
    .map(([u, pts]) => {
      const g = pts[0]!.group;
      const l = groupLevel(g);
      const first = !seen.has(g);
      seen.add(g);
      return {
        type: 'scatter',
        mode: 'lines+markers',
        name: o.doseLabel(l),
        legendgroup: g,
        showlegend: first,
        x: pts.map((p) => p.studyDay),
        y: pts.map((p) => Math.round(p.qtcf * 10) / 10),
        customdata: pts.map((p) => [u, p.dtc ?? '—', p.change === null ? (p.baseline ? 'baseline' : '—') : `${p.change > 0 ? '+' : ''}${p.change.toFixed(1)} ms`, p.source]),
        line: { color: o.doseColor(l), width: 1.5 },
        marker: { color: o.doseColor(l), size: 7, symbol: pts.map((p) => (p.baseline ? 'square' : 'circle')) },
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
