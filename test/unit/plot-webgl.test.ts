import { describe, expect, it } from 'vitest';
import { scatterType, svgScatterPoints, WEBGL_POINTS, webglWhenLarge } from '../../renderer/src/components/webgl';
import { spiderFigure, WEBGL_POINTS as SPIDER_WEBGL_POINTS } from '../../renderer/src/components/SpiderFigure';
import type { TumourSubject } from '../../shared/api/efficacy';
import { waterfallBars, waterfallFigure, PATH_BARS } from '../../renderer/src/components/WaterfallFigure';
import { DATA_SHAPE } from '../../renderer/src/components/pathLines';

// When a figure is drawn with WebGL (renderer/src/components/webgl.ts): above 1,000 scatter points
// every SVG scatter trace of the figure becomes scattergl, bars and traces already WebGL are kept;
// the spider and waterfall builders switch at the same threshold, to lines drawn as one SVG path per
// group (pathLines.ts).

const line = (n: number, type?: string) => ({ ...(type ? { type } : {}), x: Array.from({ length: n }, (_, i) => i), y: Array.from({ length: n }, (_, i) => i) });

describe('webglWhenLarge', () => {
  it('keeps a figure of exactly 1,000 scatter points in SVG and switches at 1,001, counting all its scatter traces together', () => {
    expect(WEBGL_POINTS).toBe(1000);
    const small = [line(600), line(400, 'scatter')];
    expect(svgScatterPoints(small)).toBe(1000);
    expect(webglWhenLarge(small)).toBe(small);
    const large = [line(600), line(401, 'scatter')];
    expect(webglWhenLarge(large).map((t) => t.type)).toEqual(['scattergl', 'scattergl']);
    // The figure given is not changed (exports draw it as given).
    expect(large.map((t) => t.type)).toEqual([undefined, 'scatter']);
  });

  it('counts and changes only SVG scatter traces: bars and scattergl traces stay as they are', () => {
    const data = [line(5000, 'bar'), line(900, 'scattergl'), line(999)];
    expect(svgScatterPoints(data)).toBe(999);
    expect(webglWhenLarge(data)).toBe(data);
    const more = [line(5000, 'bar'), line(200), line(900)];
    expect(webglWhenLarge(more).map((t) => t.type)).toEqual(['bar', 'scattergl', 'scattergl']);
  });

  it('neither counts nor changes a trace that draws nothing (mode none: the hover points of path lines)', () => {
    const data = [{ ...line(50_000), mode: 'none' }, line(999)];
    expect(svgScatterPoints(data)).toBe(999);
    expect(webglWhenLarge(data)).toBe(data);
    const more = [{ ...line(50_000), mode: 'none' }, line(1001)];
    expect(webglWhenLarge(more).map((t) => t.type)).toEqual([undefined, 'scattergl']);
  });

  it('leaves a large figure with a text trace (labels drawn as SVG text) as it is', () => {
    const data = [line(1500), { ...line(10), mode: 'text', text: Array(10).fill('label') }];
    expect(webglWhenLarge(data)).toBe(data);
  });

  it('scatterType: the builders’ own switch at the same threshold', () => {
    expect(scatterType(1000)).toBe('scatter');
    expect(scatterType(1001)).toBe('scattergl');
    expect(SPIDER_WEBGL_POINTS).toBe(WEBGL_POINTS);
    expect(PATH_BARS).toBe(WEBGL_POINTS);
  });
});

/** A tumour series as efficacy.tumourSeries gives it (the shape of efficacy-figures.test.ts's helper): baseline 0 %, then the % changes. */
function subject(usubjid: string, level: number, pcts: number[]): TumourSubject {
  const resp = { response: 'SD' as TumourSubject['bor']['confirmed']['response'], dtc: null, firstResponseDtc: null, dor: null };
  return {
    usubjid, level, dose: null, doseUnit: null, part: 'escalation', firstDoseDtc: '2025-01-01', baselineDtc: '2024-12-28', hasBaselineAssessment: true, baselineSum: 50,
    points: pcts.map((p, i) => ({ dtc: `2025-0${i + 1}-01`, studyDay: i === 0 ? -3 : i * 42, baseline: i === 0, evaluator: 'INVESTIGATOR', sum: null, sumSource: null, nadir: null, pctFromBaseline: p, pctFromNadir: null, newLesion: false, response: null, responseSource: null })),
    bestPctChange: Math.min(...pcts.slice(1)),
    bor: { confirmed: resp, unconfirmed: resp },
    notes: [],
  };
}
const opts = { doseColor: (l: number | null) => `c${l}`, doseLabel: (l: number | null) => `DL${l}` };

const dataShapes = (layout: Record<string, unknown>) => ((layout.shapes ?? []) as { name?: string }[]).filter((s) => s.name?.startsWith(DATA_SHAPE));

describe('figure builders switch to path lines above 1,000 points', () => {
  it('spider: 500 subjects × 2 points (baseline and one assessment: 1,000) as traces; one more assessment (1,001) as one path per dose level', () => {
    const many = (extra: boolean) => Array.from({ length: 500 }, (_, i) => subject(`S${i}`, 1 + (i % 3), extra && i === 0 ? [0, -10, -20] : [0, -10]));
    const svg = spiderFigure(many(false), { unit: 'days', ...opts });
    expect(svg.points).toBe(1000);
    expect(svg.data.filter((t) => t.mode === 'lines+markers')).toHaveLength(3);
    expect(dataShapes(svg.layout)).toEqual([]);
    const large = spiderFigure(many(true), { unit: 'days', ...opts });
    expect(large.points).toBe(1001);
    expect(large.data.filter((t) => t.mode === 'lines+markers')).toEqual([]);
    expect(dataShapes(large.layout).map((s) => s.name)).toEqual(['data:DL1', 'data:DL2', 'data:DL3']);
    // Every point still hovers: the three hover traces hold the 1,001 points.
    expect(large.data.filter((t) => t.mode === 'none').reduce((n, t) => n + (t.x as unknown[]).length, 0)).toBe(1001);
    expect(large.data.some((t) => t.type === 'scattergl')).toBe(false);
  });

  it('waterfall: 1,000 bars as bars, 1,001 as segments in one path', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => subject(`S${String(i).padStart(5, '0')}`, 1, [0, (i % 200) - 100]));
    const fig = (n: number) => waterfallFigure(waterfallBars(many(n), 'confirmed'), { colourBy: 'level', kind: 'confirmed', ...opts });
    expect(fig(1000).data.every((t) => t.type === 'bar')).toBe(true);
    expect(fig(1001).data[0]!.mode).toBe('none');
    expect(dataShapes(fig(1001).layout)).toHaveLength(1);
  });
});
