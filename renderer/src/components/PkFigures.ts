import type { Output } from '../../../shared/contract';
import { scatterType } from './webgl';
import { displayUnit } from '../../../shared/units';
import { palette } from '../theme';

// The PK view's figures (README.md#the-views PK): concentration–time per subject and mean ± SD per dose
// level, one subject's curve with its lambda_z points, and the dose-proportionality power model.
// Pure: data in, plotly traces and layout out. Every number comes from the core (pk.profiles,
// pk.nca, pk.doseProportionality); the only arithmetic here is the descriptive mean ± SD drawn on
// the mean plot and the fitted power line exp(a)·dose^b drawn from the core's a and b.

export type PkProfiles = Output<'pk.profiles'>;
export type PkProfile = PkProfiles['profiles'][number];
export type PkPoint = PkProfile['points'][number];
export type NcaResult = Output<'pk.nca'>;
export type NcaRow = NcaResult['rows'][number];
export type DoseProp = Output<'pk.doseProportionality'>;
export type PlotTrace = Record<string, unknown>;
export type PlotLayout = Record<string, unknown>;

/** WebGL traces above this many points (webgl.ts: plotly's SVG scatter slows down past about a thousand). */
export { WEBGL_POINTS } from './webgl';

export type YScale = 'linear' | 'log';

export interface PkFigureOptions {
  yScale: YScale;
  timeBasis: 'actual' | 'nominal';
  concUnit: string;
  doseColor(level: number | null): string;
  doseLabel(level: number | null): string;
  /** Subjects with treatment-emergent ADA (safety.ada): their curves get a grey halo. */
  adaPositive: ReadonlySet<string>;
}

/** Numbers for hover text and table cells: 4 significant digits, whole numbers from 1000 up (no exponent, no separators, so the text reads back as the number). */
export function sig(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '';
  if (v === 0) return '0';
  if (Math.abs(v) >= 10 ** digits) return String(Math.round(v));
  return String(Number(v.toPrecision(digits)));
}

/** Where a BLQ sample is drawn: at LLOQ/2 (a common display convention, e.g. Phoenix WinNonlin plots), or null when the LLOQ is unknown. */
export function blqY(p: PkPoint): number | null {
  return p.lloq !== null && p.lloq > 0 ? p.lloq / 2 : null;
}

/** Measured (not BLQ) samples with a time, in time order. */
export function measuredPoints(p: PkProfile): PkPoint[] {
  return p.points.filter((x) => !x.blq && x.conc !== null && x.time !== null).sort((a, b) => a.time! - b.time!);
}

function axisTitle(o: Pick<PkFigureOptions, 'timeBasis' | 'concUnit' | 'yScale'>) {
  return {
    xaxis: { title: { text: `Time since dose (h, ${o.timeBasis === 'actual' ? 'actual' : 'nominal'})` }, zeroline: false },
    yaxis: {
      title: { text: `Concentration (${displayUnit(o.concUnit) || 'unit not given'})${o.yScale === 'log' ? ', log scale' : ''}` },
      type: o.yScale === 'log' ? 'log' : 'linear',
      rangemode: o.yScale === 'log' ? undefined : 'tozero',
      exponentformat: 'none',
    },
  };
}

const levelKey = (l: number | null) => l ?? 0;

function byLevel<T extends { doseLevel: number | null }>(items: readonly T[]): [number | null, T[]][] {
  const m = new Map<number, T[]>();
  for (const it of items) {
    const k = levelKey(it.doseLevel);
    let l = m.get(k);
    if (!l) m.set(k, (l = []));
    l.push(it);
  }
  return [...m.keys()].sort((a, b) => (a === 0 ? 1 : b === 0 ? -1 : a - b)).map((k) => [k === 0 ? null : k, m.get(k)!]);
}

/**
 * Individual concentration–time curves: one trace per dose level holding all its subjects' lines
 * (separated by gaps) so that the figure stays a handful of traces at 10,000 subjects; BLQ samples
 * as hollow markers at LLOQ/2 (one "BLQ" trace); subjects with treatment-emergent ADA drawn with a
 * grey halo under their line. customdata[0] is the subject (a click opens it).
 */
export function individualFigure(profiles: readonly PkProfile[], o: PkFigureOptions): { data: PlotTrace[]; layout: PlotLayout; points: number; blq: number; subjects: number } {
  let points = 0;
  for (const p of profiles) points += p.points.length;
  const type = scatterType(points);
  const data: PlotTrace[] = [];
  const ada = profiles.filter((p) => o.adaPositive.has(p.usubjid));
  if (ada.length) {
    const x: (number | null)[] = [];
    const y: (number | null)[] = [];
    for (const p of ada) {
      for (const q of measuredPoints(p)) {
        x.push(q.time);
        y.push(q.conc);
      }
      x.push(null);
      y.push(null);
    }
    data.push({ type, mode: 'lines', name: 'Treatment-emergent ADA (grey halo)', x, y, line: { color: 'rgba(29,36,48,0.28)', width: 10 }, hoverinfo: 'skip', connectgaps: false });
  }
  let drawn = 0;
  for (const [level, list] of byLevel(profiles)) {
    const x: (number | null)[] = [];
    const y: (number | null)[] = [];
    const customdata: (string[] | null)[] = [];
    for (const p of list) {
      const pts = measuredPoints(p);
      if (!pts.length) continue;
      drawn++;
      for (const q of pts) {
        x.push(q.time);
        y.push(q.conc);
        customdata.push([p.usubjid, o.doseLabel(level), q.pcdtc ?? '—', o.adaPositive.has(p.usubjid) ? '<br>Treatment-emergent ADA' : '']);
      }
      x.push(null);
      y.push(null);
      customdata.push(null);
    }
    const color = o.doseColor(level);
    data.push({
      type,
      mode: 'lines+markers',
      name: o.doseLabel(level),
      legendgroup: `L${levelKey(level)}`,
      x,
      y,
      customdata,
      connectgaps: false,
      line: { color, width: 1.6 },
      marker: { color, size: 5 },
      hovertemplate: `<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{y:.4g} ${displayUnit(o.concUnit)} at %{x:.1f} h<br>Sample %{customdata[2]}%{customdata[3]}<extra></extra>`,
    });
  }
  const bx: number[] = [];
  const by: number[] = [];
  const bcd: string[][] = [];
  const bcolor: string[] = [];
  for (const p of profiles)
    for (const q of p.points) {
      const yv = blqY(q);
      if (!q.blq || q.time === null || yv === null) continue;
      bx.push(q.time);
      by.push(yv);
      bcd.push([p.usubjid, o.doseLabel(p.doseLevel), sig(q.lloq), q.pcdtc ?? '—']);
      bcolor.push(o.doseColor(p.doseLevel));
    }
  data.push({
    type,
    mode: 'markers',
    name: 'BLQ (drawn at LLOQ/2)',
    x: bx,
    y: by,
    customdata: bcd,
    marker: { symbol: 'circle-open', size: 9, color: bcolor, line: { width: 1.8, color: bcolor } },
    hovertemplate: `<b>%{customdata[0]}</b><br>%{customdata[1]}<br>Below the LLOQ (%{customdata[2]} ${displayUnit(o.concUnit)}) at %{x:.1f} h<br>Sample %{customdata[3]}<extra></extra>`,
    visible: bx.length ? true : 'legendonly',
  });
  const layout: PlotLayout = { ...axisTitle(o), hovermode: 'closest', legend: { title: { text: 'Dose level' } } };
  return { data, layout, points, blq: bx.length, subjects: drawn };
}

export interface MeanPoint {
  time: number;
  mean: number;
  sd: number | null;
  n: number;
  nBlq: number;
}

/**
 * Mean ± SD of the measured concentrations at each nominal time (the planned sampling times pool
 * the subjects; actual times differ by minutes). BLQ samples are left out of the mean and counted
 * (n BLQ in the hover); SD is the sample SD (n − 1), absent for n = 1. Pre-dose samples (time < 0)
 * are left out. Descriptive display only: the NCA summary statistics come from the core.
 */
export function meanProfile(profiles: readonly PkProfile[]): MeanPoint[] {
  const at = new Map<number, { values: number[]; blq: number }>();
  for (const p of profiles)
    for (const q of p.points) {
      const t = q.nominalH ?? q.time;
      if (t === null || t < 0) continue;
      const k = Math.round(t * 1e6) / 1e6;
      let e = at.get(k);
      if (!e) at.set(k, (e = { values: [], blq: 0 }));
      if (q.blq || q.conc === null) e.blq++;
      else e.values.push(q.conc);
    }
  return [...at.entries()]
    .sort((a, b) => a[0] - b[0])
    .filter(([, e]) => e.values.length > 0)
    .map(([time, e]) => {
      const n = e.values.length;
      const mean = e.values.reduce((s, v) => s + v, 0) / n;
      const sd = n > 1 ? Math.sqrt(e.values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : null;
      return { time, mean, sd, n, nBlq: e.blq };
    });
}

/** Mean ± SD by dose level against nominal time, one line per level with SD error bars. */
export function meanFigure(profiles: readonly PkProfile[], o: PkFigureOptions): { data: PlotTrace[]; layout: PlotLayout; levels: number } {
  const data: PlotTrace[] = [];
  for (const [level, list] of byLevel(profiles)) {
    const m = meanProfile(list);
    if (!m.length) continue;
    const color = o.doseColor(level);
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: `${o.doseLabel(level)} (n = ${list.length})`,
      x: m.map((p) => p.time),
      y: m.map((p) => p.mean),
      error_y: { type: 'data', array: m.map((p) => p.sd ?? 0), visible: true, color, thickness: 1.2, width: 3 },
      customdata: m.map((p) => [o.doseLabel(level), p.n, p.nBlq, sig(p.sd)]),
      line: { color, width: 2 },
      marker: { color, size: 6 },
      hovertemplate: `<b>%{customdata[0]}</b><br>%{x} h (nominal)<br>Mean %{y:.4g} ± SD %{customdata[3]} ${displayUnit(o.concUnit)}<br>n measured %{customdata[1]}, BLQ %{customdata[2]}<extra></extra>`,
    });
  }
  const layout: PlotLayout = { ...axisTitle({ ...o, timeBasis: 'nominal' }), hovermode: 'closest', legend: { title: { text: 'Dose level' } } };
  return { data, layout, levels: data.length };
}

const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));

/** A point of the λz plot is clickable through the shared Plot's click handler: its customdata is "lz:<NCA time>". */
export const LZ_PREFIX = 'lz:';

export function lambdaZRole(q: PkPoint, row: NcaRow | null): 'fit' | 'excluded' | 'blq' | 'other' | 'not-used' {
  if (q.blq) return 'blq';
  if (q.ncaTime === null || q.conc === null) return 'not-used';
  const lz = row?.lambdaZ;
  if (lz?.excludedTimes.some((t) => near(t, q.ncaTime!))) return 'excluded';
  if (lz?.points.some((p) => near(p.time, q.ncaTime!))) return 'fit';
  return 'other';
}

function paramOf(row: NcaRow | null, code: string): number | null {
  return row?.parameters.find((p) => p.PPTESTCD === code)?.value ?? null;
}

/**
 * One subject's curve on a log scale with the lambda_z regression: the points used (filled, large),
 * points the reviewer excluded (×), other samples, BLQ samples at LLOQ/2 and the fitted line
 * ln C = intercept − λz·t over the fit's time span (LAMZICPT and LAMZ from pk.nca).
 */
export function lambdaZFigure(p: PkProfile, row: NcaRow | null, concUnit: string): { data: PlotTrace[]; layout: PlotLayout; fitPoints: number } {
  const groups = { fit: [] as PkPoint[], excluded: [] as PkPoint[], other: [] as PkPoint[], blq: [] as PkPoint[] };
  for (const q of p.points) {
    const r = lambdaZRole(q, row);
    if (r === 'fit' || r === 'excluded' || r === 'other') groups[r].push(q);
    else if (r === 'blq' && q.time !== null && blqY(q) !== null) groups.blq.push(q);
  }
  const measured = measuredPoints(p);
  const data: PlotTrace[] = [
    {
      type: 'scatter',
      mode: 'lines',
      name: 'Observed',
      x: measured.map((q) => q.ncaTime ?? q.time),
      y: measured.map((q) => q.conc),
      line: { color: '#8a939f', width: 1.2 },
      hoverinfo: 'skip',
    },
  ];
  const pointTrace = (name: string, pts: PkPoint[], marker: Record<string, unknown>, what: string) => ({
    type: 'scatter',
    mode: 'markers',
    name,
    x: pts.map((q) => q.ncaTime ?? q.time),
    y: pts.map((q) => (q.blq ? blqY(q) : q.conc)),
    customdata: pts.map((q) => (q.ncaTime !== null && !q.blq ? `${LZ_PREFIX}${q.ncaTime}` : `blq:${q.time}`)),
    marker,
    hovertemplate: `%{x:.2f} h · %{y:.4g} ${displayUnit(concUnit)}<br>${what}<extra></extra>`,
    visible: pts.length ? true : 'legendonly',
  });
  data.push(pointTrace('Other samples', groups.other, { color: '#4c5563', size: 9, symbol: 'circle' }, 'Not in the λz fit — click to exclude from an automatic fit, or set a range'));
  data.push(pointTrace('Used for λz', groups.fit, { color: palette.accent, size: 13, symbol: 'circle', line: { width: 2, color: '#0b2f5c' } }, 'Used for λz — click to exclude'));
  data.push(pointTrace('Excluded by the reviewer', groups.excluded, { color: palette.danger, size: 13, symbol: 'x-thin-open', line: { width: 3, color: palette.danger } }, 'Excluded from λz — click to include again'));
  data.push(pointTrace('BLQ (at LLOQ/2)', groups.blq, { color: '#8a939f', size: 10, symbol: 'circle-open', line: { width: 2, color: '#8a939f' } }, 'Below the LLOQ (not used for λz)'));
  const lz = row?.lambdaZ;
  const lam = paramOf(row, 'LAMZ');
  const icpt = paramOf(row, 'LAMZICPT');
  if (lz && lam !== null && icpt !== null) {
    const ts = [lz.lower, lz.upper];
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: `λz fit (t½ ${sig(paramOf(row, 'LAMZHL'))} h, adj. R² ${sig(lz.adjR2, 3)})`,
      x: ts,
      y: ts.map((t) => Math.exp(icpt - lam * t)),
      line: { color: palette.accent, width: 2.5, dash: 'dash' },
      hoverinfo: 'skip',
    });
  }
  const layout: PlotLayout = {
    xaxis: { title: { text: 'Time since dose (h)' }, zeroline: false },
    yaxis: { title: { text: `Concentration (${displayUnit(concUnit)}), log scale` }, type: 'log', exponentformat: 'none' },
    hovermode: 'closest',
    legend: { orientation: 'h', y: -0.22 },
    margin: { b: 90 },
  };
  return { data, layout, fitPoints: groups.fit.length };
}

/** ln(value) = a + b·ln(dose) drawn as value = exp(a)·dose^b (the core's fit) over the doses observed. */
export function powerLine(fit: { intercept: number; slope: number }, doses: readonly number[]): { x: number[]; y: number[] } {
  const lo = Math.min(...doses);
  const hi = Math.max(...doses);
  const n = 24;
  const x = Array.from({ length: n + 1 }, (_, i) => Math.exp(Math.log(lo) + ((Math.log(hi) - Math.log(lo)) * i) / n));
  return { x, y: x.map((d) => Math.exp(fit.intercept + fit.slope * Math.log(d))) };
}

/** "b = 1.014 (90% CI 0.977–1.050)" */
export function slopeText(fit: { slope: number; ciLower: number; ciUpper: number; level: number }): string {
  return `b = ${fit.slope.toFixed(3)} (${Math.round(fit.level * 100)}% CI ${fit.ciLower.toFixed(3)}–${fit.ciUpper.toFixed(3)})`;
}

/** Log–log dose proportionality plot of one parameter: points per subject coloured by dose level, the fitted power line, b and its CI in the corner. */
export function doseProportionalityFigure(
  param: DoseProp['parameters'][number],
  doseUnit: string,
  levelOf: (usubjid: string) => number | null,
  o: Pick<PkFigureOptions, 'doseColor' | 'doseLabel'>,
): { data: PlotTrace[]; layout: PlotLayout } {
  const data: PlotTrace[] = [];
  const groups = byLevel(param.points.map((p) => ({ ...p, doseLevel: levelOf(p.usubjid) })));
  for (const [level, pts] of groups) {
    const color = o.doseColor(level);
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: o.doseLabel(level),
      x: pts.map((p) => p.dose),
      y: pts.map((p) => p.value),
      customdata: pts.map((p) => [p.usubjid]),
      marker: { color, size: 8, line: { width: 1, color: '#ffffff' } },
      hovertemplate: `<b>%{customdata[0]}</b><br>%{x} ${displayUnit(doseUnit)}<br>${param.label} %{y:.4g} ${displayUnit(param.unit)}<extra></extra>`,
    });
  }
  const doses = [...new Set(param.points.map((p) => p.dose))].sort((a, b) => a - b);
  const annotations: PlotLayout[] = [];
  if (param.fit && param.points.length) {
    const line = powerLine(param.fit, param.points.map((p) => p.dose));
    data.push({ type: 'scatter', mode: 'lines', name: 'Power model fit', x: line.x, y: line.y, line: { color: palette.text, width: 2, dash: 'dash' }, hoverinfo: 'skip' });
    annotations.push({ xref: 'paper', yref: 'paper', x: 0, y: 1.02, xanchor: 'left', yanchor: 'bottom', showarrow: false, align: 'left', text: `${slopeText(param.fit)} · R² ${param.fit.r2.toFixed(3)}, n = ${param.fit.n}`, font: { size: 12 } });
  }
  return {
    data,
    layout: {
      // the doses given as x ticks, decades on y: a log axis' 1-2-5 ticks crowd a small plot
      xaxis: { title: { text: `Dose (${displayUnit(doseUnit)}), log scale` }, type: 'log', tickvals: doses, ticktext: doses.map((d) => String(d)) },
      yaxis: { title: { text: `${param.label} (${displayUnit(param.unit)}), log scale` }, type: 'log', dtick: 1, exponentformat: 'none' },
      margin: { t: 40 },
      hovermode: 'closest',
      showlegend: false,
      annotations,
    },
  };
}
