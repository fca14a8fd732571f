// plotly.js-strict-dist-min ships without types; the renderer uses a small part of its API (see components/Plot.tsx).
// The strict bundle is plotly's build for a Content-Security-Policy without 'unsafe-eval' (its WebGL
// traces do not generate code at run time), so the app's CSP stays strict and WebGL plots still draw.
declare module 'plotly.js-strict-dist-min' {
  const Plotly: {
    react(el: HTMLElement, data: unknown[], layout?: Record<string, unknown>, config?: Record<string, unknown>): Promise<HTMLElement>;
    newPlot(el: HTMLElement, data: unknown[], layout?: Record<string, unknown>, config?: Record<string, unknown>): Promise<HTMLElement>;
    relayout(el: HTMLElement, update: Record<string, unknown>): Promise<HTMLElement>;
    purge(el: HTMLElement): void;
    toImage(figure: HTMLElement | { data: unknown[]; layout: Record<string, unknown> }, opts: { format: 'png' | 'svg' | 'jpeg' | 'webp'; width: number; height: number; scale?: number }): Promise<string>;
    Plots: { resize(el: HTMLElement): Promise<void> | void };
  };
  export default Plotly;
}
