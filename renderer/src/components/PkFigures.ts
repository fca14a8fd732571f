import type { Output } from '../../../shared/contract';
import { scatterType } from './webgl';
import { displayUnit } from '../../../shared/units';
import { significant } from '../../../shared/pk/ncaTable';
import { palette } from '../theme';

// The PK view's figures (README.md#the-views PK): concentration–time per subject and mean ± SD per dose
// level, one subject's curve with its lambda_z points, and the dose-proportionality power model.
// Pure: data in, plotly traces and layout out. Every number comes from the core (pk.profiles,
// pk.nca, pk.doseProportionality); the only arithmetic here is the descriptive mean ± SD drawn on
// the mean plot and the fitted power line exp(a)·dose^b drawn from the core's a and b.

export type PkProfiles = Output<'pk.profiles'>;
export type PkProfile = PkProfiles['profiles'][number];
/** What pk.profiles and pk.curves both say about the analysis (analyte, matrix, τ, time-basis fallbacks). */
export type PkHead = Omit<PkProfiles, 'profiles'>;
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

/** Numbers for hover text and table cells: 4 significant digits, whole numbers from 10,000 (10^digits) up (no exponent, no separators, so the text reads back as the number). */
export function sig(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '';
  return String(significant(v, digits));
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

export type PkCurves = Output<'pk.curves'>;
type CurveLevel = PkCurves['levels'][number];

/** Above this many subjects in the selection the PK view opens on the per-level mean curves; per-subject curves stay one click away. */
export const INDIVIDUAL_CURVES_MAX = 1000;

/**
 * Individual concentration–time curves from pk.curves' columns: one trace per dose level holding all
 * its subjects' lines (separated by gaps) so that the figure stays a handful of traces at 10,000
 * subjects; BLQ samples as hollow markers at LLOQ/2 (one "BLQ" trace); subjects with
 * treatment-emergent ADA drawn with a grey halo under their line. customdata[0] is the subject (a click opens it).
 */
export function individualFigure(curves: PkCurves, o: PkFigureOptions): { data: PlotTrace[]; layout: PlotLayout } {
  const basis = o.timeBasis;
  let total = 0;
  for (const l of curves.levels) total += l.points?.conc.length ?? 0;
  const type = scatterType(total);
  const halo = { x: [] as (number | null)[], y: [] as (number | null)[] };
  const blq = { x: [] as number[], y: [] as number[], cd: [] as string[][], color: [] as string[] };
  const lines: PlotTrace[] = [];
  for (const level of curves.levels) {
    const c = level.points;
    if (!c) continue;
    const label = o.doseLabel(level.doseLevel);
    const color = o.doseColor(level.doseLevel);
    const x: (number | null)[] = [];
    const y: (number | null)[] = [];
    const customdata: (string[] | null)[] = [];
    level.subjects.forEach((i, k) => {
      const usubjid = curves.subjects.usubjid[i]!;
      const ada = o.adaPositive.has(usubjid);
      const measured: { t: number; j: number }[] = [];
      for (let j = level.start[k]!; j < level.start[k + 1]!; j++) {
        const actual = c.actualH[j] ?? null;
        const nominal = c.nominalH[j] ?? null;
        const t = basis === 'actual' ? (actual ?? nominal) : (nominal ?? actual);
        if (t === null) continue;
        if (c.blq[j] === 1) {
          const lloq = c.lloq[j] ?? null;
          if (lloq !== null && lloq > 0) {
            blq.x.push(t);
            blq.y.push(lloq / 2);
            blq.cd.push([usubjid, label, sig(lloq), c.pcdtc[j] ?? '—']);
            blq.color.push(color);
          }
        } else if (c.conc[j] !== null && c.conc[j] !== undefined) measured.push({ t, j });
      }
      if (!measured.length) return;
      measured.sort((a, b) => a.t - b.t);
      for (const { t, j } of measured) {
        x.push(t);
        y.push(c.conc[j]!);
        customdata.push([usubjid, label, c.pcdtc[j] ?? '—', ada ? '<br>Treatment-emergent ADA' : '']);
        if (ada) {
          halo.x.push(t);
          halo.y.push(c.conc[j]!);
        }
      }
      x.push(null);
      y.push(null);
      customdata.push(null);
      if (ada) {
        halo.x.push(null);
        halo.y.push(null);
      }
    });
    lines.push({
      type,
      mode: 'lines+markers',
      name: label,
      legendgroup: `L${levelKey(level.doseLevel)}`,
      x,
      y,
      customdata,
      connectgaps: false,
      line: { color, width: 1.6 },
      marker: { color, size: 5 },
      hovertemplate: `<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{y:.4g} ${displayUnit(o.concUnit)} at %{x:.1f} h<br>Sample %{customdata[2]}%{customdata[3]}<extra></extra>`,
    });
  }
  const data: PlotTrace[] = [];
  if (halo.x.length)
    data.push({ type, mode: 'lines', name: 'Treatment-emergent ADA (grey halo)', x: halo.x, y: halo.y, line: { color: 'rgba(29,36,48,0.28)', width: 10 }, hoverinfo: 'skip', connectgaps: false });
  data.push(...lines);
  data.push({
    type,
    mode: 'markers',
    name: 'BLQ (drawn at LLOQ/2)',
    x: blq.x,
    y: blq.y,
    customdata: blq.cd,
    marker: { symbol: 'circle-open', size: 9, color: blq.color, line: { width: 1.8, color: blq.color } },
    hovertemplate: `<b>%{customdata[0]}</b><br>%{customdata[1]}<br>Below the LLOQ (%{customdata[2]} ${displayUnit(o.concUnit)}) at %{x:.1f} h<br>Sample %{customdata[3]}<extra></extra>`,
    visible: blq.x.length ? true : 'legendonly',
  });
  const layout: PlotLayout = { ...axisTitle(o), hovermode: 'closest', legend: { title: { text: 'Dose level' } } };
  return { data, layout };
}

/**
 * The per-level mean curves of pk.curves (shared/pk/curves.ts meanCurve) against nominal time:
 * arithmetic mean ± SD, or geometric mean ×/÷ geometric SD (error bars from mean/gSD to mean·gSD).
 */
export function meanFigure(curves: PkCurves, o: PkFigureOptions, kind: 'arithmetic' | 'geometric'): { data: PlotTrace[]; layout: PlotLayout; levels: number } {
  const data: PlotTrace[] = [];
  for (const level of curves.levels) {
    const t = traceOfMean(level, o, kind);
    if (t) data.push(t);
  }
  const layout: PlotLayout = { ...axisTitle({ ...o, timeBasis: 'nominal' }), hovermode: 'closest', legend: { title: { text: 'Dose level' } } };
  return { data, layout, levels: data.length };
}

function traceOfMean(level: CurveLevel, o: PkFigureOptions, kind: 'arithmetic' | 'geometric'): PlotTrace | null {
  const s = level.summary;
  const idx = s.time.map((_, i) => i).filter((i) => kind === 'arithmetic' || s.geoMean[i] !== null);
  if (!idx.length) return null;
  const color = o.doseColor(level.doseLevel);
  const label = o.doseLabel(level.doseLevel);
  const unit = displayUnit(o.concUnit);
  const common = { type: 'scatter', mode: 'lines+markers', name: `${label} (n = ${level.subjects.length})`, x: idx.map((i) => s.time[i]), line: { color, width: 2 }, marker: { color, size: 6 } };
  if (kind === 'arithmetic')
    return {
      ...common,
      y: idx.map((i) => s.mean[i]),
      error_y: { type: 'data', array: idx.map((i) => s.sd[i] ?? 0), visible: true, color, thickness: 1.2, width: 3 },
      customdata: idx.map((i) => [label, s.n[i], s.nBlq[i], sig(s.sd[i])]),
      hovertemplate: `<b>%{customdata[0]}</b><br>%{x} h (nominal)<br>Mean %{y:.4g} ± SD %{customdata[3]} ${unit}<br>n measured %{customdata[1]}, BLQ %{customdata[2]}<extra></extra>`,
    };
  return {
    ...common,
    y: idx.map((i) => s.geoMean[i]),
    error_y: {
      type: 'data',
      symmetric: false,
      array: idx.map((i) => (s.geoSd[i] ? s.geoMean[i]! * s.geoSd[i]! - s.geoMean[i]! : 0)),
      arrayminus: idx.map((i) => (s.geoSd[i] ? s.geoMean[i]! - s.geoMean[i]! / s.geoSd[i]! : 0)),
      visible: true,
      color,
      thickness: 1.2,
      width: 3,
    },
    customdata: idx.map((i) => [label, s.nGeo[i], s.nBlq[i], sig(s.geoSd[i])]),
    hovertemplate: `<b>%{customdata[0]}</b><br>%{x} h (nominal)<br>Geometric mean %{y:.4g} ×/÷ geometric SD %{customdata[3]} ${unit}<br>n > 0 %{customdata[1]}, BLQ %{customdata[2]}<extra></extra>`,
  };
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
