import { describe, expect, it } from 'vitest';
import { readableLogAxes, resetAxesUpdate } from '../../renderer/src/components/axes';

// Axis conventions every figure gets from Plot.tsx. plotly's attribute reference (plotly.js 3.x/4.x,
// layout.xaxis.minorloglabels: "small digits" (default) | "complete" | "none"; exponentformat "none")
// names the settings; the e2e test (test/e2e/plots.spec.ts) reads the tick labels as drawn.
describe('readableLogAxes', () => {
  it('asks plotly for full tick values on every log axis (x, y, y2 …) and leaves linear axes alone', () => {
    const out = readableLogAxes({ xaxis: { type: 'linear' }, yaxis: { type: 'log', title: { text: 'c' } }, yaxis4: { type: 'log' }, height: 300 });
    expect(out.yaxis).toEqual({ type: 'log', title: { text: 'c' }, minorloglabels: 'complete', exponentformat: 'none' });
    expect(out.yaxis4).toEqual({ type: 'log', minorloglabels: 'complete', exponentformat: 'none' });
    expect(out.xaxis).toEqual({ type: 'linear' });
    expect(out.height).toBe(300);
  });
  it("keeps a figure's own choice", () => {
    const out = readableLogAxes({ yaxis: { type: 'log', exponentformat: 'power', minorloglabels: 'none' } });
    expect(out.yaxis).toEqual({ type: 'log', exponentformat: 'power', minorloglabels: 'none' });
  });
  it('returns the same object when there is no log axis', () => {
    const layout = { xaxis: { type: 'linear' } };
    expect(readableLogAxes(layout)).toBe(layout);
  });
});

describe('resetAxesUpdate', () => {
  it("restores the figure's own ranges and autoranges every other drawn axis (keeping 'reversed')", () => {
    const layout = { xaxis: { range: [0, 6] }, yaxis: { autorange: 'reversed' } };
    expect(resetAxesUpdate(layout, ['xaxis', 'yaxis', 'yaxis2', 'legend', 'height'])).toEqual({ 'xaxis.range': [0, 6], 'yaxis.autorange': 'reversed', 'yaxis2.autorange': true });
  });
});
