import type PlotlyLib from 'plotly.js-strict-dist-min';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { shortHash } from '../format';
import { useReview } from '../review';
import { palette } from '../theme';
import { readableLogAxes, resetAxesUpdate, withLegendRoom } from './axes';
import { CaptureButton, dataUrlToBase64 } from './meeting/capture';
import { webglWhenLarge } from './webgl';
import { markersAsTraces } from './pathLines';
import { expectsMarks } from '../drawnMark';
import { offScreenHost } from './offScreen';

// A small React wrapper over plotly.js: responsive, theme-aware fonts (bigger in presentation mode),
// a click on a point opens the subject (its usubjid is the point's customdata, or customdata[0]),
// and "PNG" / "SVG" export with the title and the footnote drawn into the image.
// After every draw the plot is checked for what a person would see (SVG marks of its traces, WebGL
// canvases with painted pixels): only then is it marked drawn (data-drawn="true" and, the first
// time, performance.mark('view:<testId>:drawn'), which the bench reads); otherwise a message says
// that the plot failed to draw, in place of the plot (data-drawn="failed").

type Layout = Record<string, unknown>;
type Trace = Record<string, unknown>;
type Plotly = typeof PlotlyLib;

// plotly (about 7 MB of script) is not loaded at start-up: the first view (Cohorts) has no plot. It is
// loaded in idle time once the first view is drawn (prefetch.ts), or at the first plot drawn if that
// comes first (README.md#performance).
let plotlyLoading: Promise<Plotly> | null = null;
let plotlyLoaded: Plotly | null = null;
export function loadPlotly(): Promise<Plotly> {
  plotlyLoading ??= import('plotly.js-strict-dist-min').then(
    (m) => (plotlyLoaded = m.default),
    (e: unknown) => {
      plotlyLoading = null; // a later plot tries again
      throw e;
    },
  );
  return plotlyLoading;
}

/**
 * Two small figures drawn off screen and removed, in idle time after plotly is loaded (prefetch.ts):
 * the browser compiles plotly's code at its first use, so the first plot a committee opened paid for
 * compiling the drawing of axes, bars, markers, lines, text, legends, shapes and annotations (the
 * swimmer's first opening at 10,000 subjects: 100–150 ms more than its second). Draws the kinds of
 * traces and axes the views draw; nothing of it stays in the page.
 */
export async function warmUpPlotly(next: () => Promise<void>): Promise<void> {
  const Plotly = await loadPlotly();
  const figures: { data: Record<string, unknown>[]; layout: Layout }[] = [
    {
      data: [
        { type: 'bar', orientation: 'h', name: 'a', y: [0, 1], x: [20, 30], base: [0.5, 2.5], width: 0.5, customdata: [['a', 'a'], ['b', 'b']], hovertemplate: '%{customdata[1]}<extra></extra>' },
        { type: 'scatter', mode: 'markers', name: 'b', x: [5, 9], y: [0, 1], marker: { symbol: 'diamond', size: 9, line: { color: '#ffffff', width: 1 } } },
        { type: 'scatter', mode: 'lines+markers', name: 'c', x: [1, 4, null, 8], y: [0.2, 0.4, null, 0.8], line: { dash: 'dot' } },
        { type: 'scatter', mode: 'text', name: 'd', x: [31], y: [1], text: ['Ended'], textposition: 'middle right', cliponaxis: false },
      ],
      layout: {
        barmode: 'overlay',
        legend: { orientation: 'h', x: 0, y: 1, yanchor: 'bottom' },
        yaxis: { tickmode: 'array', tickvals: [0, 1], ticktext: ['A <b>NEW</b>', 'B'], range: [1.5, -0.5], minor: { tickmode: 'array', tickvals: [0.5], showgrid: true } },
        shapes: [
          { type: 'path', xref: 'x', yref: 'y', path: 'M1,0L4,1M5,0L6,1', line: { width: 1 } },
          { type: 'line', xref: 'paper', x0: 0, x1: 1, yref: 'y', y0: 0.5, y1: 0.5, line: { dash: 'dash' } },
        ],
        annotations: [{ xref: 'paper', x: 1, y: 0.5, yref: 'y', text: 'a<br>b', showarrow: false, xanchor: 'left' }],
      },
    },
    {
      data: [
        { type: 'bar', name: 'a', x: ['A', 'B'], y: [10, 30], text: ['1/3', '2/5'], textposition: 'outside', marker: { color: ['#1f5fae', '#c0392b'] } },
        { type: 'scatter', mode: 'lines+markers', name: 'b', x: ['A', 'B'], y: [5, 50], error_y: { type: 'data', array: [1, 2] } },
      ],
      layout: { yaxis: { type: 'log' }, legend: { orientation: 'v', x: 1.02 } },
    },
  ];
  for (const f of figures) {
    await next();
    const el = offScreenHost('plotly-warm-up', 700);
    try {
      await Plotly.newPlot(el, f.data, mergeLayout(themeLayout(false), f.layout), { displaylogo: false, displayModeBar: false });
    } finally {
      Plotly.purge(el);
      el.remove();
    }
  }
}

export interface PlotProps {
  title: string;
  footnote: string;
  data: Trace[];
  layout?: Layout;
  config?: Record<string, unknown>;
  /** Plot height in CSS pixels (the width follows the container). */
  height?: number;
  testId: string;
  /** File name stem of exports (default: testId); the snapshot hash prefix is appended. */
  exportName?: string;
  onSubjectClick?(usubjid: string): void;
  /** A short note under the plot (e.g. what a marker means when the legend cannot say it). */
  legendNote?: ReactNode;
  /** Extra content under the plot (a custom legend). */
  children?: ReactNode;
  /** Accessible description of the figure (screen readers cannot read the canvas/SVG). */
  description?: string;
  /** 'auto' (default): scatter traces drawn with WebGL above webgl.ts's WEBGL_POINTS; 'never': as the figure gives them. */
  webgl?: 'auto' | 'never';
}

export const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', 'DejaVu Sans', Arial, sans-serif";

/** The theme's font size (px) for plotly: larger in presentation mode. */
export const themeFontSize = (presentation: boolean): number => (presentation ? 17 : 12);

/** The theme's fonts, axis and grid colours for plotly; presentation mode is larger and darker. */
export function themeLayout(presentation: boolean): Layout {
  const size = themeFontSize(presentation);
  const axis = { gridcolor: presentation ? '#c9ced6' : '#e6e9ed', linecolor: presentation ? '#1d2430' : '#aab2bd', zerolinecolor: '#aab2bd', tickfont: { size }, title: { font: { size: size + 1 } }, automargin: true };
  return {
    font: { family: FONT_FAMILY, size, color: presentation ? '#000000' : palette.text },
    paper_bgcolor: '#ffffff',
    plot_bgcolor: '#ffffff',
    margin: { l: 60, r: 24, t: 16, b: 48 },
    hoverlabel: { font: { family: FONT_FAMILY, size: size + 1 } },
    legend: { font: { size } },
    xaxis: axis,
    yaxis: axis,
  };
}

/** Deep-merges b into a (plain objects only; arrays and values of b win). */
export function mergeLayout(a: Layout, b: Layout): Layout {
  const out: Layout = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const av = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && av && typeof av === 'object' && !Array.isArray(av) ? mergeLayout(av as Layout, v as Layout) : v;
  }
  return out;
}

/** The subject of a clicked point: customdata as a string, or the first element of an array. */
export function subjectOfPoint(customdata: unknown): string | null {
  if (typeof customdata === 'string') return customdata;
  if (Array.isArray(customdata) && typeof customdata[0] === 'string') return customdata[0];
  return null;
}

/** Breaks a long footnote into lines of at most `width` characters at " · " or spaces (plotly text uses <br>). */
export function wrapText(text: string, width = 150): string[] {
  const words = text.split(' ');
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Height of the export's title band (title at the top of the image, 17 px type, 14 px padding). */
export const TITLE_BAND = 44;

/** Is the figure's legend drawn above the plot area (horizontal, anchored at or above its top edge)? */
export function legendAbove(layout: Layout): boolean {
  const l = layout.legend as Layout | undefined;
  if (!l || layout.showlegend === false) return false;
  return typeof l.y === 'number' && l.y >= 1 && (l.yanchor === 'bottom' || l.y > 1);
}

/** The figure as exported: the on-screen layout plus the title at the top and the footnote lines at the bottom. */
export function exportFigure(data: Trace[], layout: Layout, title: string, footnote: string, width: number, height: number, legendHeight = 0): { data: Trace[]; layout: Layout } {
  const margin = { l: 60, r: 24, t: 16, b: 48, ...((layout.margin as Layout | undefined) ?? {}) } as { l: number; r: number; t: number; b: number };
  const lines = wrapText(footnote, Math.max(60, Math.floor(width / 7)));
  const footH = 16 * lines.length + 12;
  // The title takes the top 44 px; a legend above the plot area (anchored at its top edge, growing
  // upwards) sits between the title and the plot, so the top margin holds both, apart.
  const t = Math.max(margin.t + 44, legendAbove(layout) ? TITLE_BAND + legendHeight + 8 : 0);
  const b = margin.b + footH;
  const plotH = Math.max(50, height - t - b);
  const annotations = [
    ...(((layout.annotations as Layout[] | undefined) ?? []) as Layout[]),
    {
      xref: 'paper',
      yref: 'paper',
      x: 0,
      y: -(margin.b + 4) / plotH,
      xanchor: 'left',
      yanchor: 'top',
      align: 'left',
      showarrow: false,
      text: lines.map(escapeHtml).join('<br>'),
      font: { size: 11, color: palette.textMuted },
    },
  ];
  return {
    data,
    layout: {
      ...layout,
      width,
      height,
      autosize: false,
      margin: { ...margin, t, b },
      title: { text: escapeHtml(title), x: 0, xref: 'paper', xanchor: 'left', y: 1, yref: 'container', yanchor: 'top', pad: { t: 14 }, font: { size: 17 } },
      annotations,
    },
  };
}

/** Why a drawn figure shows nothing where it should: null when its SVG marks and WebGL pixels are there. */
export function drawFailure(node: HTMLElement, expected: { svg: boolean; gl: boolean; shapes: number[] }): string | null {
  if (node.querySelector('.no-webgl')) return 'WebGL is not available in this window';
  for (const i of expected.shapes) {
    const d = node.querySelector(`.shapelayer path[data-index="${i}"]`)?.getAttribute('d') ?? '';
    if (d.length < 4) return 'its lines were not drawn';
  }
  if (expected.svg) {
    const marks = [...node.querySelectorAll<SVGElement>('.cartesianlayer .trace path, .cartesianlayer .trace text')].filter((m) => {
      if (m.tagName.toLowerCase() === 'text') return (m.textContent ?? '').trim() !== '';
      const d = m.getAttribute('d') ?? '';
      return d !== '' && d !== 'M0,0Z';
    });
    if (!marks.length) return 'no mark of its data appeared';
  }
  if (expected.gl) {
    // The focus layer (selections) is checked last: it is empty on a plain draw, and reading it whole costs as much as the traces' own canvas.
    const canvases = [...node.querySelectorAll<HTMLCanvasElement>('canvas')]
      .filter((c) => !c.classList.contains('gl-canvas-pick') && c.width > 0 && c.height > 0)
      .sort((a, b) => Number(a.classList.contains('gl-canvas-focus')) - Number(b.classList.contains('gl-canvas-focus')));
    if (!canvases.length) return 'its WebGL canvas is missing';
    if (!canvases.some(painted)) return 'its WebGL canvas stayed empty';
  }
  return null;
}

/** Has the canvas at least one non-transparent pixel? (read back through a 2D canvas: works for WebGL canvases kept with preserveDrawingBuffer, as plotly keeps them) */
function painted(c: HTMLCanvasElement): boolean {
  const copy = document.createElement('canvas');
  copy.width = c.width;
  copy.height = c.height;
  const ctx = copy.getContext('2d', { willReadFrequently: true });
  if (!ctx) return false;
  ctx.drawImage(c, 0, 0);
  const data = ctx.getImageData(0, 0, c.width, c.height).data;
  // A pixel at a time (RGBA as one 32-bit word): any non-zero word has colour or alpha, and a canvas cleared to transparent has none.
  const px = new Uint32Array(data.buffer, data.byteOffset, data.byteLength >> 2);
  for (let i = 0; i < px.length; i++) if (px[i] !== 0) return true;
  return false;
}

/** Waits (a few frames, then at most ~1.5 s; frames do not come while the window is hidden) for the draw to show; the last reason when it never does. */
async function verifyDrawn(node: HTMLElement, data: readonly Trace[], layout: Layout, alive: () => boolean): Promise<string | null> {
  const expected = expectsMarks(data, layout);
  let reason: string | null = null;
  // One frame first, so that a plot counts as drawn only after the page has laid out and painted its
  // SVG (a 10,000-line path takes a frame of its own). Reading a WebGL canvas back waits for its frame
  // to be drawn (in software, without a GPU, seconds for 10,000 lines): two frames there, so that the
  // window goes on drawing the view's tables meanwhile.
  for (let f = 0; f < (expected.gl ? 2 : 1) && alive(); f++) await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  for (let i = 0; i < 30 && alive(); i++) {
    reason = drawFailure(node, expected);
    if (reason === null || reason.startsWith('WebGL is not')) return reason;
    await new Promise((r) => setTimeout(r, 50));
  }
  return reason;
}

/**
 * Test hook: with localStorage 'dosedesk.forceWebgl' = '1' every scatter trace is drawn with WebGL
 * (scattergl), as the figures do by themselves above their point thresholds in a large study; the
 * end-to-end tests use it to check the WebGL path under the app's CSP on the demo's small data.
 */
export function withForcedWebgl(data: Trace[]): Trace[] {
  let forced = false;
  try {
    forced = localStorage.getItem('dosedesk.forceWebgl') === '1';
  } catch {
    forced = false;
  }
  return forced ? data.map((t) => ((t.type ?? 'scatter') === 'scatter' ? { ...t, type: 'scattergl' } : t)) : data;
}

/** Log axes drawn with every digit between decades (plotly's dtick "D1") where the figure did not choose a dtick: set to 1-2-5 ("D2"). */
function crowdedLogAxes(node: HTMLElement & { _fullLayout?: Record<string, { type?: string; dtick?: unknown }> }, layout: Layout): Layout {
  const update: Layout = {};
  for (const [key, axis] of Object.entries(node._fullLayout ?? {})) {
    if (!/^[xy]axis\d*$/.test(key) || !axis || axis.type !== 'log' || axis.dtick !== 'D1') continue;
    if ((layout[key] as Layout | undefined)?.dtick !== undefined) continue;
    update[`${key}.dtick`] = 'D2';
  }
  return update;
}

/** Saves a data: URL (or text) as a file through an object URL (so that it is a real download). */
export function downloadUrl(dataUrl: string, fileName: string): void {
  let blob: Blob;
  if (dataUrl.startsWith('data:image/svg+xml,')) blob = new Blob([decodeURIComponent(dataUrl.slice('data:image/svg+xml,'.length))], { type: 'image/svg+xml' });
  else {
    const [head, b64] = dataUrl.split(',');
    const bin = atob(b64 ?? '');
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    blob = new Blob([bytes], { type: /data:([^;]+)/.exec(head ?? '')?.[1] ?? 'application/octet-stream' });
  }
  downloadBlob(blob, fileName);
}

export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function Plot({ title, footnote, data, layout, config, height = 420, testId, exportName, onSubjectClick, legendNote, children, description, webgl = 'auto' }: PlotProps) {
  const { presentation, snapshot } = useReview();
  const el = useRef<HTMLDivElement>(null);
  const drawn = useRef(false);
  const clickRef = useRef(onSubjectClick);
  clickRef.current = onSubjectClick;
  const [exporting, setExporting] = useState<null | 'png' | 'svg'>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const h = presentation ? Math.round(height * 1.15) : height;
  const fullLayout = withLegendRoom(readableLogAxes(mergeLayout(mergeLayout(themeLayout(presentation), layout ?? {}), { height: h, autosize: true })), data);
  // WebGL draws at the screen's own pixel ratio (plotly's default is 2 everywhere): on a 1× screen a
  // 2× canvas is four times the pixels to fill, and without a GPU that fill is most of a large plot's time.
  const plotConfig = { displaylogo: false, responsive: true, displayModeBar: false, plotGlPixelRatio: Math.max(1, Math.min(2, window.devicePixelRatio || 1)), ...config };
  const clickBound = useRef(false);
  const [failure, setFailure] = useState<string | null>(null);

  // Back to the figure's own axis ranges: its fixed ranges where it sets them, automatic elsewhere.
  const resetZoom = () => {
    const node = el.current as (HTMLDivElement & { _fullLayout?: Layout }) | null;
    if (!node || !drawn.current) return;
    void loadPlotly().then((Plotly) => Plotly.relayout(node, resetAxesUpdate(fullLayout, Object.keys(node._fullLayout ?? {}))));
  };

  useEffect(() => {
    const node = el.current;
    if (!node) return;
    let live = true;
    node.dataset.drawn = 'pending';
    // Large figures with WebGL (webgl.ts); the test hook forces it on small ones.
    const drawData = withForcedWebgl(webgl === 'auto' ? webglWhenLarge(data) : data);
    loadPlotly()
      .then(async (Plotly) => {
        if (!live) return;
        // plotly keeps and mutates the layout it is given (zoomed ranges): it gets a copy, fullLayout stays the figure's own
        await Plotly.react(node, drawData, JSON.parse(JSON.stringify(fullLayout)) as Layout, plotConfig);
        if (!live) return;
        if (!clickBound.current) {
          clickBound.current = true;
          const gd = node as HTMLElement & { on?(ev: string, fn: (e: { points?: { customdata?: unknown }[] }) => void): void };
          gd.on?.('plotly_click', (ev) => {
            const u = subjectOfPoint(ev.points?.[0]?.customdata);
            if (u && clickRef.current) clickRef.current(u);
          });
        }
        // plotly labels every digit (2, 3 … 9) between decades on a tall log axis: crowded when written in full, so 1-2-5 there
        const denser = crowdedLogAxes(node as HTMLElement & { _fullLayout?: Record<string, { type?: string; dtick?: unknown }> }, fullLayout);
        if (Object.keys(denser).length) await Plotly.relayout(node, denser);
        if (!live) return;
        const reason = await verifyDrawn(node, drawData, fullLayout, () => live);
        if (!live) return;
        setFailure(reason);
        if (reason !== null) {
          node.dataset.drawn = 'failed';
          return;
        }
        if (!drawn.current) {
          drawn.current = true;
          performance.mark(`view:${testId}:drawn`);
        }
        node.dataset.drawn = 'true';
      })
      .catch((e: unknown) => {
        if (!live) return;
        node.dataset.drawn = 'failed';
        setFailure(`the drawing library reported: ${e instanceof Error ? e.message : String(e)}`);
      });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- fullLayout is a new object at every render of the caller: its content (serialised) decides a redraw, not its identity; plotConfig derives from config; testId and the refs are fixed for the component's life
  }, [data, JSON.stringify(fullLayout), config, webgl]);

  useEffect(() => {
    const node = el.current;
    if (!node) return;
    const ro = new ResizeObserver(() => {
      if (drawn.current) void plotlyLoaded?.Plots.resize(node);
    });
    ro.observe(node);
    return () => {
      ro.disconnect();
      plotlyLoaded?.purge(node);
      drawn.current = false;
      clickBound.current = false;
    };
  }, []);

  const doExport = async (format: 'png' | 'svg') => {
    setExporting(format);
    setExportError(null);
    try {
      const width = Math.max(900, el.current?.clientWidth ?? 1100);
      // the legend as drawn on screen (same or larger type and a narrower width than the export's): an upper bound of the export's
      const legend = el.current?.querySelector<SVGGraphicsElement>('.legend');
      const legendHeight = legend ? Math.ceil(legend.getBBox().height) : 0;
      const fig = exportFigure(data, readableLogAxes(mergeLayout(themeLayout(false), layout ?? {})), title, footnote, width, height + 120 + legendHeight, legendHeight);
      const Plotly = await loadPlotly();
      const url = await Plotly.toImage(markersAsTraces(fig), { format, width: fig.layout.width as number, height: fig.layout.height as number, scale: format === 'png' ? 2 : 1 });
      downloadUrl(url, `${exportName ?? testId}-${shortHash(snapshot?.contentHash)}.${format}`);
    } catch (e) {
      setExportError(e instanceof Error ? e.message : String(e));
    } finally {
      setExporting(null);
    }
  };

  return (
    <figure className="plot" data-testid={testId} aria-label={title}>
      <figcaption className="plot-head">
        <h2 className="plot-title">{title}</h2>
        <div className="plot-tools" role="group" aria-label={`Export ${title}`}>
          <button type="button" className="btn btn-small" onClick={resetZoom} title="Back to the full axis ranges (also: double-click the plot)" data-testid={`${testId}-reset-zoom`}>
            Reset zoom
          </button>
          <button type="button" className="btn btn-small" onClick={() => void doExport('png')} disabled={exporting !== null} data-testid={`${testId}-export-png`}>
            PNG
          </button>
          <button type="button" className="btn btn-small" onClick={() => void doExport('svg')} disabled={exporting !== null} data-testid={`${testId}-export-svg`}>
            SVG
          </button>
          <CaptureButton
            title={title}
            caption={footnote}
            testId={`${testId}-capture`}
            render={async () => {
              // As shown, without the export's title and footnote: the minutes print them as the figure's title and caption.
              const width = Math.max(900, el.current?.clientWidth ?? 1100);
              const Plotly = await loadPlotly();
              const url = await Plotly.toImage(markersAsTraces({ data, layout: readableLogAxes(mergeLayout(mergeLayout(themeLayout(false), layout ?? {}), { width, height, autosize: false })) }), { format: 'png', width, height, scale: 2 });
              return { mime: 'image/png', dataBase64: dataUrlToBase64(url) };
            }}
          />
        </div>
      </figcaption>
      {description && <p className="sr-only">{description}</p>}
      <div className="plot-frame">
        <div ref={el} className="plot-area" style={{ minHeight: h }} />
        {failure && (
          <div className="plot-failed" role="alert" data-testid={`${testId}-failed`}>
            <strong>This plot failed to draw</strong>&nbsp;({failure}). The figure is missing, not empty: do not read anything from this space.
          </div>
        )}
      </div>
      {children}
      {legendNote && <div className="plot-note">{legendNote}</div>}
      <p className="plot-footnote">{footnote}</p>
      {exportError && (
        <p className="form-problem" role="alert">
          The export failed: {exportError}
        </p>
      )}
    </figure>
  );
}
