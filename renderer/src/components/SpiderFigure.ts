import type { PlotSubject } from '../../../shared/efficacy/columns';
import { legendAboveMargin } from './axes';
import { pathLines, type PathPoint } from './pathLines';
import { WEBGL_POINTS } from './webgl';

// The spider plot's figure (README.md#the-views): % change of the sum of target-lesion diameters from
// baseline over time, one line per subject, coloured by dose level, with the RECIST 1.1 thresholds
// (+20 % progression, −30 % partial response; Eisenhauer 2009 §4.3.1) drawn as labelled reference
// lines. Pure: data in, plotly traces and layout out. The values come from efficacy.tumourSeries
// (as efficacy.plotColumns sends them); nothing clinical is computed here.

/** What the spider and the waterfall read of a subject (efficacy.tumourSeries' TumourSubject is one). */
export type TumourSubject = PlotSubject;
export type PlotTrace = Record<string, unknown>;
export type PlotLayout = Record<string, unknown>;

/** RECIST 1.1 thresholds of the sum of diameters (Eisenhauer 2009 §4.3.1): PD at +20 % from nadir, PR at −30 % from baseline. */
export const RECIST_LINES = [
  { value: 20, label: '+20% (progression threshold)' },
  { value: -30, label: '−30% (partial response threshold)' },
] as const;

/** Lines as one SVG path per dose level above this many points (pathLines.ts; webgl.ts: plotly's SVG scatter slows down past about a thousand). */
export { WEBGL_POINTS } from './webgl';

export type TimeUnit = 'days' | 'weeks';

/** A subject has a spider line when at least one post-baseline assessment has a % change from baseline. */
export function hasSpiderLine(s: TumourSubject): boolean {
  return s.points.some((p) => !p.baseline && p.pctFromBaseline !== null);
}

/** The plotted points of one subject: baseline and post-baseline points with a % change, by study day. */
export function spiderPoints(s: TumourSubject): TumourSubject['points'] {
  return s.points.filter((p) => p.pctFromBaseline !== null).sort((a, b) => a.studyDay - b.studyDay);
}

export function timeValue(studyDay: number, unit: TimeUnit): number {
  return unit === 'weeks' ? Math.round((studyDay / 7) * 100) / 100 : studyDay;
}

/** Right margin (px) that holds the reference-line labels outside the plot area (spider). */
export const LABEL_MARGIN = 130;

/**
 * Horizontal dashed reference lines (plot-wide, y in data units), labelled at the right end; the −30 % label at the left where
 * bars fill the right (waterfall); 'margin': both labels in the right margin, outside the plot area, where no data line can cross
 * them (spider: subjects' lines run to the right edge).
 */
export function referenceLines(minus30Label: 'left' | 'right' | 'margin' = 'right'): { shapes: PlotLayout[]; annotations: PlotLayout[] } {
  const shapes = RECIST_LINES.map((r) => ({
    type: 'line',
    xref: 'paper',
    x0: 0,
    x1: 1,
    yref: 'y',
    y0: r.value,
    y1: r.value,
    line: { color: r.value > 0 ? '#b42318' : '#1e7a46', width: 1.5, dash: 'dash' },
    name: `ref${r.value}`,
  }));
  if (minus30Label === 'margin')
    return {
      shapes,
      annotations: RECIST_LINES.map((r) => ({
        xref: 'paper',
        x: 1,
        xanchor: 'left',
        xshift: 6,
        yref: 'y',
        y: r.value,
        yanchor: 'middle',
        align: 'left',
        // "+20% (progression threshold)" one word a line, to fit the margin also in presentation mode's larger type.
        text: r.label.replace(/[()]/g, '').split(' ').join('<br>'),
        showarrow: false,
        font: { color: r.value > 0 ? '#b42318' : '#1e7a46' },
        name: `ref${r.value}`,
      })),
    };
  const left = (v: number) => v < 0 && minus30Label === 'left';
  const annotations = RECIST_LINES.map((r) => ({
    xref: 'paper',
    x: left(r.value) ? 0 : 1,
    xanchor: left(r.value) ? 'left' : 'right',
    yref: 'y',
    y: r.value,
    yanchor: r.value > 0 ? 'bottom' : 'top',
    text: r.label,
    showarrow: false,
    font: { color: r.value > 0 ? '#b42318' : '#1e7a46' },
    bgcolor: 'rgba(255,255,255,0.8)',
    name: `ref${r.value}`,
  }));
  return { shapes, annotations };
}

export interface SpiderOptions {
  unit: TimeUnit;
  doseColor(level: number): string;
  doseLabel(level: number): string;
  /** New or changed since the "new since" snapshot: said in the hover. */
  isNew?(usubjid: string): boolean;
}

/** Colour and legend label of a subject's dose level; subjects whose dose is not in the plan are grey. */
function levelKey(level: number | null): number {
  return level ?? 0;
}

/**
 * One trace per dose level holding all its subjects' lines (separated by gaps), so that the figure
 * stays a handful of traces at 10,000 subjects; each point carries [usubjid, level label, scan
 * date, response] for the hover and the click. Above WEBGL_POINTS points the lines of a level are
 * one SVG path (pathLines.ts: no per-scan markers, the hover and the click kept). New lesions are a
 * separate trace of open stars.
 */
export function spiderFigure(subjects: TumourSubject[], o: SpiderOptions): { data: PlotTrace[]; layout: PlotLayout; lines: number; points: number } {
  const withLines = subjects.filter(hasSpiderLine);
  const byLevel = new Map<number, TumourSubject[]>();
  for (const s of withLines) {
    const k = levelKey(s.level);
    let l = byLevel.get(k);
    if (!l) byLevel.set(k, (l = []));
    l.push(s);
  }
  let points = 0;
  for (const s of withLines) points += spiderPoints(s).length;
  const large = points > WEBGL_POINTS;
  const data: PlotTrace[] = [];
  const lineShapes: PlotLayout[] = [];
  const hovertemplate = `<b>%{customdata[0]}</b><br>%{customdata[1]}<br>Scan %{customdata[2]} (${o.unit === 'weeks' ? 'week' : 'day'} %{x})<br>%{y:.1f}% from baseline<br>Response: %{customdata[3]} %{customdata[4]}<extra></extra>`;
  for (const level of [...byLevel.keys()].sort((a, b) => a - b)) {
    const name = level ? o.doseLabel(level) : 'Dose not in plan';
    const color = level ? o.doseColor(level) : '#7f8c8d';
    const lines: PathPoint[][] = byLevel.get(level)!.map((s) =>
      spiderPoints(s).map((p) => {
        const extra = [p.newLesion ? '· new lesion' : '', o.isNew?.(s.usubjid) ? '<br><i>new or changed since the comparison snapshot</i>' : ''].join(' ');
        return {
          x: timeValue(p.studyDay, o.unit),
          y: Math.round(p.pctFromBaseline! * 10) / 10,
          customdata: [s.usubjid, level ? o.doseLabel(level) : 'dose not in plan', p.dtc, p.baseline ? 'baseline' : (p.response ?? 'not assessed'), extra],
        };
      }),
    );
    if (large) {
      const drawn = pathLines({ name, legendgroup: `L${level}`, color, width: 2, lines, hovertemplate });
      lineShapes.push(drawn.shape);
      data.push(...drawn.traces);
      continue;
    }
    const gap = <T,>(f: (p: PathPoint) => T) => lines.flatMap((l) => [...l.map(f), null]);
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name,
      legendgroup: `L${level}`,
      x: gap((p) => p.x),
      y: gap((p) => p.y),
      customdata: gap((p) => p.customdata),
      connectgaps: false,
      line: { color, width: 2 },
      marker: { color, size: 6 },
      hovertemplate,
    });
  }
  const nx: number[] = [];
  const ny: number[] = [];
  const ncd: string[][] = [];
  for (const s of withLines)
    for (const p of spiderPoints(s))
      if (p.newLesion) {
        nx.push(timeValue(p.studyDay, o.unit));
        ny.push(Math.round(p.pctFromBaseline! * 10) / 10);
        ncd.push([s.usubjid, p.dtc, p.response ?? 'not assessed']);
      }
  data.push({
    type: 'scatter',
    mode: 'markers',
    name: 'New lesion',
    x: nx,
    y: ny,
    customdata: ncd,
    marker: { symbol: 'star-open', size: 15, color: '#1d2430', line: { width: 2, color: '#1d2430' } },
    hovertemplate: '<b>%{customdata[0]}</b><br>New lesion on the scan of %{customdata[1]}<br>Response: %{customdata[2]}<extra></extra>',
    showlegend: true,
    visible: nx.length ? true : 'legendonly',
  });
  const ref = referenceLines('margin');
  const layout: PlotLayout = {
    // The reference labels sit in the right margin; the legend above the plot area, out of their way.
    // The left and top margins hold the y axis ("−100%" and its title) and the legend (1.02 of the plot
    // area's height up: about 12 px) from the first drawing (legendAboveMargin: plotly would otherwise
    // draw the 10,000 lines twice).
    margin: { l: 76, r: LABEL_MARGIN, t: legendAboveMargin(data, 12, 'Dose level', 12) },
    xaxis: { title: { text: o.unit === 'weeks' ? 'Weeks since first dose (study day / 7)' : 'Study day (day 1 = first dose)' }, zeroline: false },
    yaxis: { title: { text: 'Change in sum of diameters from baseline (%)' }, zeroline: true, zerolinecolor: '#9aa3ad', ticksuffix: '%' },
    shapes: [...lineShapes, ...ref.shapes],
    annotations: ref.annotations,
    hovermode: 'closest',
    legend: { title: { text: 'Dose level' }, orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom' },
  };
  return { data, layout, lines: withLines.length, points };
}
