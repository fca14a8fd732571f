// plotly.js-dist-min ships without types; the renderer uses a small part of its API (see components/Plot.tsx).
declare module 'plotly.js-dist-min' {
  const Plotly: {
    react(el: HTMLElement, data: unknown[], layout?: Record<string, unknown>, config?: Record<string, unknown>): Promise<HTMLElement>;
    newPlot(el: HTMLElement, data: unknown[], layout?: Record<string, unknown>, config?: Record<string, unknown>): Promise<HTMLElement>;
    purge(el: HTMLElement): void;
    toImage(figure: HTMLElement | { data: unknown[]; layout: Record<string, unknown> }, opts: { format: 'png' | 'svg' | 'jpeg' | 'webp'; width: number; height: number; scale?: number }): Promise<string>;
    Plots: { resize(el: HTMLElement): Promise<void> | void };
  };
  export default Plotly;
}
