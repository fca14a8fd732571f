import { hasPositiveSample } from '../../../shared/ada';
import { fromColumns } from '../../../shared/columns';
import type { Output } from '../../../shared/contract';
import { markerShapes, pathLines, type PathPoint } from './pathLines';
import { WEBGL_POINTS } from './webgl';

// The immunogenicity view's figures (README.md#the-views): treatment-emergent ADA incidence by dose level
// (bars, % of evaluable subjects with n/N on the bar) and ADA titres over time (log scale) per
// ADA-positive subject, coloured by dose level. Pure: safety.ada's result in, plotly traces out;
// statuses and incidence are the core's (shared/ada.ts, Shankar et al. 2014).

export type AdaResult = Output<'safety.ada'>;
export type AdaSubject = AdaResult['subjects'][number];
export type AdaIncidence = AdaResult['incidence'][number];
export type PlotTrace = Record<string, unknown>;
export type PlotLayout = Record<string, unknown>;

/** The status shown per subject, in the words of Shankar et al. 2014. */
export const CATEGORY_LABELS: Record<AdaSubject['category'], string> = {
  'treatment-induced': 'Treatment-induced',
  'treatment-boosted': 'Treatment-boosted',
  'baseline-positive': 'Baseline positive (not boosted)',
  negative: 'Negative',
  'no-post-baseline-sample': 'No post-baseline sample',
};

/** The dose level of an incidence row ("L4" → 4); null for the total and unplanned rows. */
export function incidenceLevel(key: string): number | null {
  const m = /^L(\d+)$/.exec(key);
  return m ? Number(m[1]) : null;
}

/** "2/10 (20.0%)": treatment-emergent subjects over evaluable subjects. */
export function incidenceText(r: AdaIncidence): string {
  return `${r.treatmentEmergent}/${r.evaluable}${r.treatmentEmergentPercent === null ? '' : ` (${r.treatmentEmergentPercent.toFixed(1)}%)`}`;
}

/** Bars of treatment-emergent ADA incidence (%) by dose level, n/N on each bar; the total row is left out (it is in the table). */
export function incidenceFigure(rows: readonly AdaIncidence[], o: { doseColor(l: number | null): string; doseLabel(l: number | null): string }): { data: PlotTrace[]; layout: PlotLayout } {
  const bars = rows.filter((r) => r.key !== 'total');
  const x = bars.map((r) => {
    const l = incidenceLevel(r.key);
    return l !== null ? `DL${l}` : r.label;
  });
  return {
    data: [
      {
        type: 'bar',
        x,
        y: bars.map((r) => r.treatmentEmergentPercent ?? 0),
        text: bars.map((r) => `${r.treatmentEmergent}/${r.evaluable}`),
        textposition: 'outside',
        cliponaxis: false,
        customdata: bars.map((r) => [incidenceLevel(r.key) !== null ? o.doseLabel(incidenceLevel(r.key)) : r.label, incidenceText(r), r.treatmentInduced, r.treatmentBoosted]),
        marker: { color: bars.map((r) => o.doseColor(incidenceLevel(r.key))) },
        hovertemplate: '<b>%{customdata[0]}</b><br>Treatment-emergent ADA %{customdata[1]}<br>induced %{customdata[2]}, boosted %{customdata[3]}<extra></extra>',
        name: 'Treatment-emergent ADA',
      },
    ],
    layout: {
      xaxis: { title: { text: 'Dose level' }, type: 'category' },
      yaxis: { title: { text: 'Treatment-emergent ADA (% of evaluable)' }, range: [0, Math.max(20, ...bars.map((r) => (r.treatmentEmergentPercent ?? 0) * 1.2))], ticksuffix: '%' },
      showlegend: false,
      bargap: 0.35,
    },
  };
}

/** A subject is drawn on the titre plot when any sample is ADA-positive. */
export const isAdaPositive: (s: AdaSubject) => boolean = hasPositiveSample;

/**
 * safety.ada asked as columns, with its subjects back; each subject's samples are those sent (with
 * samples "positive", a subject without a positive sample has its baseline sample alone).
 */
export function adaRows(a: AdaResult): AdaResult {
  if (!a.subjectColumns || !a.sampleColumns) return a;
  const subjects: AdaSubject[] = fromColumns(a.subjectColumns).map((s) => ({ ...s, samples: [] }));
  for (const { subject, ...x } of fromColumns(a.sampleColumns)) subjects[subject]!.samples.push(x);
  return { ...a, subjects, subjectColumns: null, sampleColumns: null };
}

/**
 * Titres of the ADA-positive subjects against study day on a log scale: one trace per dose level
 * (the subjects' lines separated by gaps), positive samples with a titre as filled markers; the
 * subjects' negative samples as hollow markers on a "negative" line drawn below the lowest titre
 * (a negative sample has no titre), so that the conversion from negative to positive shows. Above
 * WEBGL_POINTS samples the lines and markers of a level are SVG paths (pathLines.ts: one node each
 * instead of a WebGL canvas), with the same points, markers, hover and click.
 */
export function titreFigure(
  subjects: readonly AdaSubject[],
  o: { doseColor(l: number | null): string; doseLabel(l: number | null): string; scale?: 'linear' | 'log10' | null },
): { data: PlotTrace[]; layout: PlotLayout; subjects: number } {
  const pos = subjects.filter(isAdaPositive);
  // log10 titres (pharmaverse convention) are drawn as the dilution they stand for (10^x) on the log axis.
  const lin = (t: number | null) => (t === null ? null : o.scale === 'log10' ? 10 ** t : t);
  const shown = (t: number, below: boolean) => `titre ${below ? '<' : ''}${t}${o.scale === 'log10' ? ` log10 (${below ? '<' : '≈'}${Math.round(10 ** t)})` : ''}`;
  let floor = Infinity;
  for (const s of pos) for (const x of s.samples) if (lin(x.titre) !== null && lin(x.titre)! > 0) floor = Math.min(floor, lin(x.titre)! / 2);
  if (floor === Infinity) floor = 1;
  const levels = [...new Set(pos.map((s) => s.level ?? 0))].sort((a, b) => (a === 0 ? 1 : b === 0 ? -1 : a - b));
  // Each level's subjects as lines of samples: [usubjid, status, visit, result, NAb, baseline] for the hover, and which are negative.
  type Sample = PathPoint & { positive: boolean; result: string };
  const byLevel = levels.map((lk) => {
    const level = lk === 0 ? null : lk;
    const lines: Sample[][] = [];
    for (const s of pos.filter((p) => (p.level ?? 0) === lk)) {
      const line: Sample[] = [];
      for (const smp of s.samples) {
        if (smp.studyDay === null) continue;
        const positive = smp.result === 'POSITIVE' && smp.titre !== null && lin(smp.titre)! > 0;
        const result = (smp.result ?? 'no result').toLowerCase();
        line.push({
          x: smp.studyDay,
          y: positive ? lin(smp.titre)! : floor,
          positive,
          result,
          customdata: [s.usubjid, CATEGORY_LABELS[s.category], smp.visit ?? smp.dtc ?? '', positive ? shown(smp.titre!, smp.belowReportable) : smp.result === 'POSITIVE' ? 'positive, titre not given' : result, smp.nab ? `NAb ${smp.nab.toLowerCase()}` : '', smp.baselineFlag ? ' (baseline)' : ''],
        });
      }
      lines.push(line);
    }
    return { level, color: o.doseColor(level), name: o.doseLabel(level), lines };
  });
  const samples = byLevel.reduce((n, l) => n + l.lines.reduce((m, line) => m + line.length, 0), 0);
  const hovertemplate = '<b>%{customdata[0]}</b> · %{customdata[1]}<br>Day %{x}, %{customdata[2]}%{customdata[5]}<br>%{customdata[3]} %{customdata[4]}<extra></extra>';
  const negativeName = 'Negative sample (no titre)';
  const data: PlotTrace[] = [];
  const dataShapes: PlotLayout[] = [];
  if (samples > WEBGL_POINTS) {
    // The negatives' hover is the level's (its "negative" result); their legend entry hides them all, as below.
    const negatives: PlotLayout[] = [];
    for (const l of byLevel) {
      const legendgroup = `L${l.level ?? 0}`;
      const drawn = pathLines({ name: l.name, legendgroup, color: l.color, width: 2, lines: l.lines, hovertemplate, marker: { size: 9, color: l.color } });
      const points = l.lines.flat();
      dataShapes.push(drawn.shape, ...markerShapes({ name: l.name, legendgroup, color: l.color, size: 10, points: points.filter((p) => p.positive), log: { y: true } }));
      negatives.push(...markerShapes({ name: `${negativeName} ${l.name}`, legendgroup: 'negative', color: l.color, size: 12, hollow: true, points: points.filter((p) => !p.positive), log: { y: true } }));
      data.push(...drawn.traces);
    }
    dataShapes.push(...negatives);
    data.push({ type: 'scatter', mode: 'markers', name: negativeName, legendgroup: 'negative', x: [null], y: [null], marker: { symbol: 'circle', size: 10, color: '#ffffff', line: { width: 2, color: '#5b6472' } }, hoverinfo: 'skip', visible: negatives.length ? true : 'legendonly' });
  } else {
    // negative samples: drawn again on top as white-filled circles in the level's colour (hollow), one legend entry
    const negatives = byLevel.flatMap((l) => l.lines.flat().filter((p) => !p.positive).map((p) => ({ p, color: l.color })));
    for (const l of byLevel) {
      const gap = <T,>(f: (p: PathPoint) => T) => l.lines.flatMap((line) => [...line.map(f), null]);
      data.push({
        type: 'scatter',
        mode: 'lines+markers',
        name: l.name,
        x: gap((p) => p.x),
        y: gap((p) => p.y),
        customdata: gap((p) => p.customdata),
        connectgaps: false,
        line: { color: l.color, width: 2 },
        marker: { color: l.color, size: 9, line: { width: 2, color: l.color } },
        hovertemplate,
      });
    }
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: negativeName,
      x: negatives.map((n) => n.p.x),
      y: negatives.map(() => floor),
      customdata: negatives.map((n) => [n.p.customdata[0], n.p.customdata[2], n.p.result]),
      marker: { symbol: 'circle', size: 10, color: '#ffffff', line: { width: 2, color: negatives.length ? negatives.map((n) => n.color) : '#5b6472' } },
      hovertemplate: '<b>%{customdata[0]}</b><br>Day %{x}, %{customdata[1]}<br>ADA %{customdata[2]}<extra></extra>',
      visible: negatives.length ? true : 'legendonly',
    });
  }
  return {
    data,
    layout: {
      xaxis: { title: { text: 'Study day (day 1 = first dose)' }, zeroline: false },
      yaxis: { title: { text: 'ADA titre (log scale)' }, type: 'log', exponentformat: 'none' },
      shapes: [{ type: 'line', xref: 'paper', x0: 0, x1: 1, yref: 'y', y0: floor, y1: floor, line: { color: '#8a939f', width: 1, dash: 'dot' } }, ...dataShapes],
      // annotations on a log axis take log10 of the position (plotly); shapes take the value itself
      annotations: [{ xref: 'paper', x: 1, xanchor: 'right', yref: 'y', y: Math.log10(floor), yanchor: 'bottom', text: 'negative samples (no titre)', showarrow: false, font: { size: 11, color: '#5b6472' } }],
      hovermode: 'closest',
      legend: { title: { text: 'Dose level' } },
    },
    subjects: pos.length,
  };
}
