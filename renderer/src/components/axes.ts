// Axis conventions applied to every figure by Plot.tsx (pure: a layout in, a layout out).

type Layout = Record<string, unknown>;

/**
 * Log axes that read as full values: plotly labels the ticks between decades with bare "small
 * digits" by default ("10, 2, 3, 4 … 100", where 4 means 40); `minorloglabels: 'complete'` writes
 * them in full (10, 20, 50, 100), and `exponentformat: 'none'` writes decades as 1, 10, 100, 1000
 * rather than 1k or 10³. A figure's own choice of either setting (or its own tick values) is kept.
 */
export function readableLogAxes(layout: Layout): Layout {
  let out: Layout | null = null;
  for (const [key, axis] of Object.entries(layout)) {
    if (!/^[xy]axis\d*$/.test(key) || !axis || typeof axis !== 'object') continue;
    const a = axis as Layout;
    if (a.type !== 'log') continue;
    out ??= { ...layout };
    out[key] = { minorloglabels: 'complete', exponentformat: 'none', ...a };
  }
  return out ?? layout;
}

/** The relayout that undoes a zoom: per axis of the drawn figure, the layout's own range, or autorange. */
export function resetAxesUpdate(layout: Layout, drawnKeys: readonly string[]): Layout {
  const update: Layout = {};
  for (const key of drawnKeys) {
    if (!/^[xy]axis\d*$/.test(key)) continue;
    const axis = (layout[key] as Layout | undefined) ?? {};
    if (Array.isArray(axis.range)) update[`${key}.range`] = [...(axis.range as unknown[])];
    else update[`${key}.autorange`] = axis.autorange ?? true; // keeps 'reversed'
  }
  return update;
}

/** The left margin (px) that holds axis labels of `chars` characters at `font` px from the first drawing (about 0.62 em per character; see legendAboveMargin). */
export function labelMargin(chars: number, font: number): number {
  return Math.ceil(chars * font * 0.62) + 14;
}

/**
 * The top margin (px) that holds a horizontal legend above the plot area from the first drawing.
 * When plotly has to widen a margin for the legend or the axis labels (automargin), it draws the
 * whole figure a second time: about a third of a large figure's drawing (the swimmer's 200 lanes, the
 * spider's 10,000 lines). Estimated for a legend about `width` px wide at about 0.6 em per
 * character and 46 px per entry's symbol and gaps (calibrated on the swimmer's and the spider's
 * legends); where it falls short plotly still widens the margin (and draws twice, as before).
 */
export function legendAboveMargin(traces: readonly Layout[], font: number, legendTitle = '', yGap = 0, width = 820): number {
  // One entry per legend group (or per trace outside a group), named as its first trace.
  const names = new Map<string, string>();
  for (const t of traces) if (t.showlegend !== false && t.visible !== false && !names.has(String(t.legendgroup ?? t.name))) names.set(String(t.legendgroup ?? t.name), String(t.name ?? ''));
  const titleWidth = legendTitle ? legendTitle.length * font * 0.6 + 12 : 0;
  const widthOf = [...names.values()].reduce((w, name) => w + name.length * font * 0.6 + 46, titleWidth);
  // rows of (font + 7) px, 10 px of padding, the title's 10, 10 px below the legend and the legend's own offset above the plot area (`yGap`), 4 px spare
  return Math.max(60, Math.ceil(widthOf / width) * (font + 7) + (legendTitle ? 10 : 0) + 24 + yGap);
}

/**
 * A vertical legend at the plot's right (plotly's default place): the right margin widened to hold
 * it from the first drawing (see legendAboveMargin: plotly would otherwise widen it and draw the
 * figure twice). About 0.55 em per character of the longest entry or the legend's title, 40 px for
 * the symbol and 36 px of gaps (calibrated on the waterfall's, the eDISH's and the PK legends as
 * drawn in Chromium: 171 and 221 px for entries of 16 and 26 characters); only a margin too small is
 * widened, and a legend plotly would not show (fewer than two entries) is left alone.
 */
export function withLegendRoom(layout: Layout, traces: readonly Layout[]): Layout {
  const legend = (layout.legend ?? {}) as Layout;
  const font = Number(((legend.font ?? layout.font ?? {}) as Layout).size ?? 12);
  if (layout.showlegend === false || legend.orientation === 'h' || (typeof legend.x === 'number' && legend.x < 1)) return layout;
  const entries = traces.filter((t) => t.showlegend !== false && t.visible !== false);
  if (layout.showlegend !== true && entries.length < 2) return layout;
  const title = String(((legend.title ?? {}) as Layout).text ?? '');
  const chars = Math.max(title.length, ...entries.map((t) => String(t.name ?? '').length));
  const right = Math.ceil(chars * font * 0.55) + 76;
  const margin = (layout.margin ?? {}) as Layout;
  return typeof margin.r === 'number' && margin.r >= right ? layout : { ...layout, margin: { ...margin, r: right } };
}
