import { describe, expect, it } from 'vitest';
import { legendAboveMargin, readableLogAxes, resetAxesUpdate, withLegendRoom } from '../../renderer/src/components/axes';

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

describe('withLegendRoom', () => {
  const levels = ['DL1 · 0.01 mg/kg', 'DL2 · 0.03 mg/kg'].map((name) => ({ name }));
  const themed = { font: { size: 12 }, legend: { font: { size: 12 } }, margin: { l: 60, r: 24, t: 16, b: 48 } };
  it('widens the right margin for a vertical legend at the right (the longest entry or title), and only a margin too small', () => {
    // 16 characters: ceil(16 × 12 × 0.55) + 76 = 182 px; plotly drew 171 for this legend (the e2e probe)
    expect((withLegendRoom(themed, levels).margin as Record<string, number>).r).toBe(182);
    const titled = withLegendRoom({ ...themed, legend: { font: { size: 12 }, title: { text: 'A legend title of 30 characters' } } }, levels);
    expect((titled.margin as Record<string, number>).r).toBe(Math.ceil(31 * 12 * 0.55) + 76);
    expect((withLegendRoom({ ...themed, margin: { ...themed.margin, r: 300 } }, levels).margin as Record<string, number>).r).toBe(300);
    expect((withLegendRoom(themed, levels).margin as Record<string, number>).l).toBe(60);
  });
  it('leaves the layout alone for a horizontal legend, one placed inside, a hidden one, or one entry', () => {
    for (const layout of [{ ...themed, legend: { orientation: 'h' } }, { ...themed, legend: { x: 0.7 } }, { ...themed, showlegend: false }]) expect(withLegendRoom(layout, levels)).toBe(layout);
    expect(withLegendRoom(themed, [levels[0]!, { name: 'hidden', showlegend: false }])).toBe(themed);
    expect((withLegendRoom({ ...themed, showlegend: true }, [levels[0]!]).margin as Record<string, number>).r).toBe(182);
  });
});
