import { hasPositiveSample } from '../../../shared/ada';
import { fromColumns } from '../../../shared/columns';
import type { Output } from '../../../shared/contract';

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
 * (a negative sample has no titre), so that the conversion from negative to positive shows.
 */
export function titreFigure(
  subjects: readonly AdaSubject[],
  o: { doseColor(l: number | null): string; doseLabel(l: number | null): string; scale?: 'linear' | 'log10' | null },
): { data: PlotTrace[]; layout: PlotLayout; subjects: number } {
  const pos = subjects.filter(isAdaPositive);
  // log10 titres (pharmaverse convention) are drawn as the dilution they stand for (10^x) on the log axis.
  const lin = (t: number | null) => (t === null ? null : o.scale === 'log10' ? 10 ** t : t);
  const shown = (t: number, below: boolean) => `titre ${below ? '<' : ''}${t}${o.scale === 'log10' ? ` log10 (${below ? '<' : '≈'}${Math.round(10 ** t)})` : ''}`;
  const titres = pos.flatMap((s) => s.samples.map((x) => lin(x.titre)).filter((t): t is number => t !== null && t > 0));
  const floor = titres.length ? Math.min(...titres) / 2 : 1;
  const levels = [...new Set(pos.map((s) => s.level ?? 0))].sort((a, b) => (a === 0 ? 1 : b === 0 ? -1 : a - b));
  const data: PlotTrace[] = [];
  // negative samples: drawn again on top as white-filled circles in the level's colour (hollow), one legend entry
  const nx: number[] = [];
  const ncolor: string[] = [];
  const ncd: string[][] = [];
  for (const lk of levels) {
    const level = lk === 0 ? null : lk;
    const x: (number | null)[] = [];
    const y: (number | null)[] = [];
    const cd: (string[] | null)[] = [];
    for (const s of pos.filter((p) => (p.level ?? 0) === lk)) {
      for (const smp of s.samples) {
        if (smp.studyDay === null) continue;
        const positive = smp.result === 'POSITIVE' && smp.titre !== null && lin(smp.titre)! > 0;
        x.push(smp.studyDay);
        y.push(positive ? lin(smp.titre) : floor);
        if (!positive) {
          nx.push(smp.studyDay);
          ncolor.push(o.doseColor(level));
          ncd.push([s.usubjid, smp.visit ?? smp.dtc ?? '', (smp.result ?? 'no result').toLowerCase()]);
        }
        cd.push([s.usubjid, CATEGORY_LABELS[s.category], smp.visit ?? smp.dtc ?? '', positive ? shown(smp.titre!, smp.belowReportable) : smp.result === 'POSITIVE' ? 'positive, titre not given' : (smp.result ?? 'no result').toLowerCase(), smp.nab ? `NAb ${smp.nab.toLowerCase()}` : '', smp.baselineFlag ? ' (baseline)' : '']);
      }
      x.push(null);
      y.push(null);
      cd.push(null);
    }
    const color = o.doseColor(level);
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: o.doseLabel(level),
      x,
      y,
      customdata: cd,
      connectgaps: false,
      line: { color, width: 2 },
      marker: { color, size: 9, line: { width: 2, color } },
      hovertemplate: '<b>%{customdata[0]}</b> · %{customdata[1]}<br>Day %{x}, %{customdata[2]}%{customdata[5]}<br>%{customdata[3]} %{customdata[4]}<extra></extra>',
    });
  }
  data.push({
    type: 'scatter',
    mode: 'markers',
    name: 'Negative sample (no titre)',
    x: nx,
    y: nx.map(() => floor),
    customdata: ncd,
    marker: { symbol: 'circle', size: 10, color: '#ffffff', line: { width: 2, color: ncolor.length ? ncolor : '#5b6472' } },
    hovertemplate: '<b>%{customdata[0]}</b><br>Day %{x}, %{customdata[1]}<br>ADA %{customdata[2]}<extra></extra>',
    visible: nx.length ? true : 'legendonly',
  });
  return {
    data,
    layout: {
      xaxis: { title: { text: 'Study day (day 1 = first dose)' }, zeroline: false },
      yaxis: { title: { text: 'ADA titre (log scale)' }, type: 'log', exponentformat: 'none' },
      shapes: [{ type: 'line', xref: 'paper', x0: 0, x1: 1, yref: 'y', y0: floor, y1: floor, line: { color: '#8a939f', width: 1, dash: 'dot' } }],
      // annotations on a log axis take log10 of the position (plotly); shapes take the value itself
      annotations: [{ xref: 'paper', x: 1, xanchor: 'right', yref: 'y', y: Math.log10(floor), yanchor: 'bottom', text: 'negative samples (no titre)', showarrow: false, font: { size: 11, color: '#5b6472' } }],
      hovermode: 'closest',
      legend: { title: { text: 'Dose level' } },
    },
    subjects: pos.length,
  };
}
