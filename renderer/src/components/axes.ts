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
