import { describe, expect, it } from 'vitest';
import { legendAboveMargin, readableLogAxes, resetAxesUpdate } from '../../renderer/src/components/axes';

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

// The margin estimate is a drawing shortcut, not a clinical figure: its reference is plotly's own
// legend as drawn (e2e large-study.spec.ts checks that the spider's margins stay as set at 1,200
// subjects; the swimmer's and the spider's legends were measured in Chromium: rows of 19 px, 10 px
// of padding, 10 for a title).
describe('legendAboveMargin', () => {
  const entry = (name: string, extra: Record<string, unknown> = {}) => ({ name, ...extra });
  it('is at least the 60 px the figures had, and grows by a row of (font + 7) px as the entries pass the width', () => {
    expect(legendAboveMargin([entry('A')], 12)).toBe(60);
    const one = legendAboveMargin([entry('DL1 · 0.01 mg/kg'), entry('DL2 · 0.03 mg/kg')], 12, '', 0, 200);
    const two = legendAboveMargin([entry('DL1 · 0.01 mg/kg'), entry('DL2 · 0.03 mg/kg'), entry('DL3 · 0.1 mg/kg')], 12, '', 0, 200);
    expect(two - one).toBe(19);
  });
  it('counts a legend group once, leaves out hidden entries, and adds the title and the offset above the plot area', () => {
    const base = legendAboveMargin(Array.from({ length: 8 }, (_, i) => entry(`Level ${i}`)), 12, '', 0, 300);
    const grouped = legendAboveMargin([...Array.from({ length: 8 }, (_, i) => entry(`Level ${i}`, { legendgroup: `L${i}` })), ...Array.from({ length: 8 }, (_, i) => entry(`Level ${i}`, { legendgroup: `L${i}` }))], 12, '', 0, 300);
    expect(grouped).toBe(base);
    expect(legendAboveMargin([...Array.from({ length: 8 }, (_, i) => entry(`Level ${i}`)), entry('hidden', { showlegend: false })], 12, '', 0, 300)).toBe(base);
    expect(legendAboveMargin(Array.from({ length: 8 }, (_, i) => entry(`Level ${i}`)), 12, '', 12, 300)).toBe(base + 12);
  });
});
