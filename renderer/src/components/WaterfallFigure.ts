import { RESPONSE_COLORS } from '../theme';
import { WEBGL_POINTS } from './webgl';
import { pathLines, type PathPoint } from './pathLines';
import { referenceLines, type PlotLayout, type PlotTrace, type TumourSubject } from './SpiderFigure';
import { responseWords } from '../format';

// The waterfall plot's figure (README.md#the-views): one bar per subject, the best (smallest) % change of the
// sum of diameters from baseline (efficacy.tumourSeries `bestPctChange`), sorted from the largest
// increase to the largest decrease, coloured by dose level or by best overall response, with the
// RECIST 1.1 +20 % / −30 % reference lines. Pure: data in, plotly traces and layout out.

export type ColourBy = 'level' | 'bor';
export type BorKind = 'confirmed' | 'unconfirmed';

export interface WaterfallBar {
  usubjid: string;
  level: number | null;
  best: number;
  bor: string;
}

/** Text labels on the bars only while they stay readable. */
export const MAX_LABELLED_BARS = 60;

/** Bars of the subjects with a post-baseline sum, sorted by best % change descending (ties by subject id, for a stable order). */
export function waterfallBars(subjects: TumourSubject[], kind: BorKind): WaterfallBar[] {
  return subjects
    .filter((s) => s.bestPctChange !== null)
    .map((s) => ({ usubjid: s.usubjid, level: s.level, best: Math.round(s.bestPctChange! * 10) / 10, bor: s.bor[kind].response }))
    .sort((a, b) => b.best - a.best || a.usubjid.localeCompare(b.usubjid));
}

/** BOR as a short label: NON-CR/NON-PD → "NN", missing → "—". */
export function borLabel(bor: string): string {
  if (bor === 'NON-CR/NON-PD') return 'NN';
  if (bor === 'MISSING' || bor === 'ND') return '—';
  return bor;
}

export function borColor(bor: string): string {
  if (bor in RESPONSE_COLORS) return RESPONSE_COLORS[bor as keyof typeof RESPONSE_COLORS];
  if (bor === 'NON-CR/NON-PD') return RESPONSE_COLORS.SD;
  return RESPONSE_COLORS.NE;
}

/** Above this many bars the bars are drawn as line segments in one SVG path per colour (pathLines.ts: plotly's bars slow down past about a thousand marks). */
export const PATH_BARS = WEBGL_POINTS;

const BOR_ORDER = ['CR', 'PR', 'SD', 'NON-CR/NON-PD', 'PD', 'NE', 'ND', 'MISSING'];

export interface WaterfallOptions {
  colourBy: ColourBy;
  kind: BorKind;
  doseColor(level: number | null): string;
  doseLabel(level: number | null): string;
}

export function waterfallFigure(bars: WaterfallBar[], o: WaterfallOptions): { data: PlotTrace[]; layout: PlotLayout } {
  const groupOf = (b: WaterfallBar) => (o.colourBy === 'level' ? String(b.level ?? 0) : b.bor);
  const groups = [...new Set(bars.map(groupOf))].sort((a, b) => (o.colourBy === 'level' ? Number(a) - Number(b) : BOR_ORDER.indexOf(a) - BOR_ORDER.indexOf(b)));
  const labelled = bars.length <= MAX_LABELLED_BARS;
  if (bars.length > PATH_BARS) return waterfallPaths(bars, groups, groupOf, o);
  const data: PlotTrace[] = groups.map((g) => {
    const mine = bars.filter((b) => groupOf(b) === g);
    const level = o.colourBy === 'level' ? (Number(g) || null) : null;
    return {
      type: 'bar',
      name: o.colourBy === 'level' ? o.doseLabel(level) : responseWords(g),
      x: mine.map((b) => b.usubjid),
      y: mine.map((b) => b.best),
      customdata: mine.map((b) => [b.usubjid, o.doseLabel(b.level), responseWords(b.bor)]),
      marker: { color: o.colourBy === 'level' ? o.doseColor(level) : borColor(g), line: { width: 0 } },
      text: labelled ? mine.map((b) => borLabel(b.bor)) : undefined,
      textposition: labelled ? 'outside' : 'none',
      cliponaxis: false,
      textfont: { color: '#1d2430' },
      hovertemplate: `<b>%{customdata[0]}</b><br>%{customdata[1]}<br>Best change %{y:.1f}%<br>BOR (${o.kind}): %{customdata[2]}<extra></extra>`,
    };
  });
  const ref = referenceLines('left');
  const minY = Math.min(-35, ...bars.map((b) => b.best)) - 12;
  const maxY = Math.max(25, ...bars.map((b) => b.best)) + 12;
  return {
    data,
    layout: {
      barmode: 'overlay',
      bargap: bars.length > 200 ? 0 : 0.15,
      xaxis: {
        type: 'category',
        categoryorder: 'array',
        categoryarray: bars.map((b) => b.usubjid),
        showticklabels: bars.length <= 40,
        tickangle: -60,
        title: { text: `Subjects (n = ${bars.length}), sorted by best change` },
      },
      yaxis: { title: { text: 'Best change from baseline (%)' }, ticksuffix: '%', zeroline: true, zerolinecolor: '#5b6472', range: [minY, maxY] },
      shapes: ref.shapes,
      annotations: ref.annotations,
      legend: { title: { text: o.colourBy === 'level' ? 'Dose level' : `BOR (${o.kind})` } },
      hovermode: 'closest',
    },
  };
}

/**
 * The large-study waterfall: each bar a vertical segment from 0 to its value at its rank
 * (1 = largest increase), the segments of a colour group one SVG path (pathLines.ts); same order,
 * colours, hover, click and reference lines.
 */
function waterfallPaths(bars: WaterfallBar[], groups: string[], groupOf: (b: WaterfallBar) => string, o: WaterfallOptions): { data: PlotTrace[]; layout: PlotLayout } {
  const rank = new Map(bars.map((b, i) => [b.usubjid, i + 1]));
  const data: PlotTrace[] = [];
  const lineShapes: PlotLayout[] = [];
  for (const g of groups) {
    const lines: PathPoint[][] = [];
    for (const b of bars) {
      if (groupOf(b) !== g) continue;
      const r = rank.get(b.usubjid)!;
      const customdata = [b.usubjid, o.doseLabel(b.level), responseWords(b.bor), b.best];
      lines.push([{ x: r, y: 0, customdata }, { x: r, y: b.best, customdata }]);
    }
    const level = o.colourBy === 'level' ? (Number(g) || null) : null;
    const drawn = pathLines({
      name: o.colourBy === 'level' ? o.doseLabel(level) : g,
      legendgroup: g,
      color: o.colourBy === 'level' ? o.doseColor(level) : borColor(g),
      width: 2,
      lines,
      hovertemplate: `<b>%{customdata[0]}</b><br>%{customdata[1]}<br>Best change %{customdata[3]:.1f}%<br>BOR (${o.kind}): %{customdata[2]}<extra></extra>`,
    });
    lineShapes.push(drawn.shape);
    data.push(...drawn.traces);
  }
  const ref = referenceLines('left');
  return {
    data,
    layout: {
      xaxis: { title: { text: `Subjects (n = ${bars.length}) by rank of best change` }, range: [0, bars.length + 1], zeroline: false },
      yaxis: { title: { text: 'Best change in sum of diameters from baseline (%)' }, ticksuffix: '%', zeroline: true, zerolinecolor: '#5b6472' },
      shapes: [...lineShapes, ...ref.shapes],
      annotations: ref.annotations,
      // Room for the y axis ("−100%" and its title) from the first drawing (axes.ts legendAboveMargin: plotly would otherwise widen it and draw the bars twice).
      margin: { l: 76 },
      legend: { title: { text: o.colourBy === 'level' ? 'Dose level' : `BOR (${o.kind})` } },
      hovermode: 'closest',
    },
  };
}
