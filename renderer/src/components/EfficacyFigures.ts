import type { Output } from '../../../shared/contract';
import type { PlotLayout, PlotTrace } from './SpiderFigure';

// Figures of the efficacy view: the forest-style dot-and-whisker plot of ORR / DCR with their exact
// 95 % CIs (efficacy.responseSummary), and the Kaplan–Meier curves (efficacy.km) with censor ticks,
// optional CI bands and the numbers-at-risk table drawn under the x axis, aligned to its ticks.
// Pure: contract results in, plotly traces and layout out; no estimate is computed here.

export type ResponseGroup = Output<'efficacy.responseSummary'>['groups'][number];
export type KmResult = Output<'efficacy.km'>;
export type KmGroup = KmResult['groups'][number];

const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);

/** "23.5% (6.8–49.9)" — estimate and exact CI in percent, one decimal; "—" without evaluable subjects. */
export function rateText(r: { estimate: number | null; lower: number; upper: number }): string {
  if (r.estimate === null) return '—';
  return `${pct(r.estimate)!.toFixed(1)}% (${pct(r.lower)!.toFixed(1)}–${pct(r.upper)!.toFixed(1)})`;
}

export interface ForestRow {
  label: string;
  group: ResponseGroup;
  color: string;
}

/**
 * ORR (filled circle) and DCR (open diamond) with their CIs, one row per group (top to bottom in
 * the given order); rows without evaluable subjects are left empty.
 */
export function forestFigure(rows: ForestRow[]): { data: PlotTrace[]; layout: PlotLayout } {
  const n = rows.length;
  const yOf = (i: number) => n - i;
  const traces: PlotTrace[] = [];
  for (const [which, symbol, dy] of [
    ['orr', 'circle', 0.16],
    ['dcr', 'diamond-open', -0.16],
  ] as const) {
    const present = rows.map((r, i) => ({ r, i })).filter(({ r }) => r.group[which].estimate !== null);
    traces.push({
      type: 'scatter',
      mode: 'markers',
      name: which === 'orr' ? 'ORR (CR + PR)' : 'DCR (CR + PR + SD)',
      x: present.map(({ r }) => pct(r.group[which].estimate)),
      y: present.map(({ i }) => yOf(i) + dy),
      error_x: {
        type: 'data',
        symmetric: false,
        array: present.map(({ r }) => pct(r.group[which].upper)! - pct(r.group[which].estimate)!),
        arrayminus: present.map(({ r }) => pct(r.group[which].estimate)! - pct(r.group[which].lower)!),
        color: '#5b6472',
        thickness: 1.5,
        width: 4,
      },
      marker: { symbol, size: 11, color: present.map(({ r }) => r.color), line: { width: 2, color: present.map(({ r }) => r.color) } },
      customdata: present.map(({ r }) => [r.label, `${r.group[which].count}/${r.group.nEvaluable}`, rateText(r.group[which])]),
      hovertemplate: `<b>%{customdata[0]}</b><br>${which.toUpperCase()} %{customdata[1]} = %{customdata[2]}<extra></extra>`,
    });
  }
  return {
    data: traces,
    layout: {
      xaxis: { range: [-2, 102], title: { text: 'Rate (%) with exact 95% CI (Clopper–Pearson)' }, ticksuffix: '%', dtick: 20, zeroline: false },
      yaxis: { tickvals: rows.map((_, i) => yOf(i)), ticktext: rows.map((r) => `${r.label} (n=${r.group.nEvaluable})`), range: [0.4, n + 0.6], zeroline: false, showgrid: false },
      legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom' },
      margin: { l: 180, r: 24, t: 36, b: 56 },
      hovermode: 'closest',
    },
  };
}

/** Tick spacing of the time axis: about six to ten ticks over the follow-up (months, or days when the unit is days). */
export function kmTickStep(maxTime: number, unit: 'days' | 'months'): number {
  const steps = unit === 'months' ? [1, 2, 3, 6, 12, 24] : [7, 14, 28, 56, 91, 182, 365];
  return steps.find((s) => maxTime / s <= 10) ?? steps[steps.length - 1]!;
}

/** The last time on the curves: the latest event or censoring time of any group (the x axis must reach it). */
export function kmLastTime(result: Pick<KmResult, 'groups'>): number {
  let last = 0;
  for (const g of result.groups) {
    for (const s of g.steps) if (s.time > last) last = s.time;
    for (const c of g.censorMarks) if (c.time > last) last = c.time;
  }
  return last;
}

/**
 * The at-risk times and the x axis ticks: 0, step, 2·step … up to the first tick at or after the
 * last event or censoring time, so that the axis (which ends at the last tick) shows every step and
 * censor mark — a drop after the last tick below it (e.g. the one that defines the median) is never cut off.
 */
export function kmTicks(result: Pick<KmResult, 'groups' | 'unit'>): number[] {
  const maxTime = kmLastTime(result);
  const step = kmTickStep(maxTime, result.unit);
  const ticks: number[] = [0];
  while (ticks[ticks.length - 1]! < maxTime - 1e-9) ticks.push(ticks.length * step);
  if (ticks.length < 2) ticks.push(step);
  return ticks;
}

/** Number at risk of a group at time t, from the contract's `at` table (requested at these times). */
export function atRiskAt(g: KmGroup, t: number): number | null {
  return g.at.find((a) => Math.abs(a.time - t) < 1e-9)?.nRisk ?? null;
}

export interface KmOptions {
  colorOf(group: KmGroup, index: number): string;
  shortLabel(group: KmGroup, index: number): string;
  ci: boolean;
  presentation: boolean;
}

/** Rows of the at-risk table below the plot, in pixels from the bottom of the plot area. */
function atRiskLayout(presentation: boolean) {
  const row = presentation ? 24 : 18;
  return { row, top: presentation ? 78 : 62 };
}

export function kmFigure(result: KmResult, ticks: number[], o: KmOptions): { data: PlotTrace[]; layout: PlotLayout } {
  const data: PlotTrace[] = [];
  result.groups.forEach((g, i) => {
    const color = o.colorOf(g, i);
    if (o.ci) {
      const band = g.steps.filter((s) => s.lower !== null && s.upper !== null);
      data.push({ type: 'scatter', mode: 'lines', x: band.map((s) => s.time), y: band.map((s) => s.upper! * 100), line: { shape: 'hv', width: 0, color }, hoverinfo: 'skip', showlegend: false, legendgroup: g.label });
      data.push({
        type: 'scatter',
        mode: 'lines',
        x: band.map((s) => s.time),
        y: band.map((s) => s.lower! * 100),
        line: { shape: 'hv', width: 0, color },
        fill: 'tonexty',
        fillcolor: `${color}26`,
        hoverinfo: 'skip',
        showlegend: false,
        legendgroup: g.label,
      });
    }
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: `${g.label} (n=${g.n}, ${g.events} ${g.events === 1 ? 'event' : 'events'})`,
      legendgroup: g.label,
      x: g.steps.map((s) => s.time),
      y: g.steps.map((s) => s.surv * 100),
      line: { shape: 'hv', width: 2.5, color },
      customdata: g.steps.map((s) => [g.label, s.nRisk, s.nEvent, s.nCensor]),
      hovertemplate: `<b>%{customdata[0]}</b><br>${result.unit === 'months' ? 'Month' : 'Day'} %{x:.1f}: %{y:.1f}%<br>At risk %{customdata[1]}, events %{customdata[2]}, censored %{customdata[3]}<extra></extra>`,
    });
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: 'Censored',
      legendgroup: g.label,
      showlegend: i === 0,
      x: g.censorMarks.map((c) => c.time),
      y: g.censorMarks.map((c) => c.surv * 100),
      marker: { symbol: 'line-ns-open', size: o.presentation ? 14 : 11, color: result.groups.length === 1 ? '#1d2430' : color, line: { width: 2 } },
      hovertemplate: `Censored at %{x:.1f} ${result.unit}<extra>${g.label}</extra>`,
    });
  });
  const { row, top } = atRiskLayout(o.presentation);
  const annotations: PlotLayout[] = [
    { xref: 'paper', x: 0, xanchor: 'right', xshift: -8, yref: 'paper', y: 0, yanchor: 'top', yshift: -top + row, text: '<b>At risk</b>', showarrow: false, align: 'right', name: 'atrisk-head' },
  ];
  result.groups.forEach((g, i) => {
    const yshift = -top - i * row;
    annotations.push({ xref: 'paper', x: 0, xanchor: 'right', xshift: -8, yref: 'paper', y: 0, yanchor: 'top', yshift, text: o.shortLabel(g, i), showarrow: false, font: { color: o.colorOf(g, i) }, name: `atrisk-label:${i}` });
    for (const t of ticks) {
      const n = atRiskAt(g, t);
      annotations.push({ xref: 'x', x: t, xanchor: 'center', yref: 'paper', y: 0, yanchor: 'top', yshift, text: n === null ? '' : String(n), showarrow: false, name: `atrisk:${i}:${t}` });
    }
  });
  const unitLabel = result.unit === 'months' ? 'Months since first dose' : 'Days since first dose';
  return {
    data,
    layout: {
      xaxis: { title: { text: unitLabel, standoff: 4 }, tickvals: ticks, range: [-(ticks[ticks.length - 1]! * 0.02), ticks[ticks.length - 1]! * 1.02], zeroline: false },
      yaxis: { title: { text: `${result.endpoint === 'PFS' ? 'Progression-free' : 'Overall'} survival (%)` }, range: [-2, 103], ticksuffix: '%', dtick: 20 },
      margin: { l: o.presentation ? 150 : 120, r: 24, t: 40, b: top + row * result.groups.length + 12 },
      legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom' },
      annotations,
      hovermode: 'closest',
    },
  };
}
