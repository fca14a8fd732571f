import { describe, expect, it } from 'vitest';
import { titreFigure, type AdaSubject } from '../../renderer/src/components/ImmunogenicityFigures';
import { edishFigure, type EdishResult } from '../../renderer/src/components/LabFigures';
import { DATA_SHAPE, dotsPath, MARKER_FILL_RULE, markersAsTraces, markerShapes, pathMarkers } from '../../renderer/src/components/pathLines';
import { WEBGL_POINTS } from '../../renderer/src/components/webgl';
import { expectsMarks } from '../../renderer/src/drawnMark';

// Markers as SVG paths (renderer/src/components/pathLines.ts): above WEBGL_POINTS the ADA titres and
// the eDISH draw their markers as one path of zero-length segments per group (round caps from
// styles.css paint the dots), not in a WebGL canvas. The points, the hover and the click stay those of
// the smaller figure; an image export turns the dots back into plotly markers (no page style there).

const colours = { doseColor: (l: number | null) => `#00000${l ?? 0}`, doseLabel: (l: number | null) => (l === null ? 'Not in plan' : `DL${l}`) };

describe('dotsPath and markerShapes', () => {
  it('writes a zero-length segment per point, leaving out what a log axis cannot place', () => {
    expect(dotsPath([{ x: 1, y: 2 }, { x: 3.5, y: -4 }])).toBe('M1,2L1,2M3.5,-4L3.5,-4');
    expect(dotsPath([{ x: 1, y: 2 }, { x: 3.5, y: -4 }, { x: 0, y: 5 }, { x: NaN, y: 1 }], { y: true })).toBe('M1,2L1,2M0,5L0,5');
    expect(dotsPath([{ x: 1, y: 2 }, { x: 0, y: 5 }], { x: true, y: true })).toBe('M1,2L1,2');
  });

  it('gives a data shape with the marker fill rule, and a white one inside when hollow; none without a point', () => {
    const points = [{ x: 10, y: 40 }, { x: 20, y: 80 }];
    const [filled, ...rest] = markerShapes({ name: 'DL1', legendgroup: 'L1', color: '#123456', size: 10, points });
    expect(rest).toEqual([]);
    expect(filled).toMatchObject({ type: 'path', xref: 'x', yref: 'y', layer: 'between', path: 'M10,40L10,40M20,80L20,80', fillrule: MARKER_FILL_RULE, line: { color: '#123456', width: 10 }, legendgroup: 'L1', name: `${DATA_SHAPE}DL1` });
    const ring = markerShapes({ name: 'neg', legendgroup: 'negative', color: '#123456', size: 12, hollow: true, points });
    expect(ring.map((s) => [s.line, s.path])).toEqual([
      [{ color: '#123456', width: 12 }, 'M10,40L10,40M20,80L20,80'],
      [{ color: '#ffffff', width: 8 }, 'M10,40L10,40M20,80L20,80'],
    ]);
    expect(markerShapes({ name: 'x', legendgroup: 'x', color: '#000', size: 10, points: [{ x: 0, y: 1 }], log: { x: true } })).toEqual([]);
  });

  it('pathMarkers hovers every point, and Plot expects its shapes drawn', () => {
    const g = pathMarkers({ name: 'DL2', legendgroup: 'L2', color: '#222222', size: 10, points: [{ x: 1, y: 1, customdata: ['A'] }, { x: 2, y: 3, customdata: ['B'] }], hovertemplate: '%{customdata[0]}' });
    expect(g.traces[0]).toMatchObject({ mode: 'none', showlegend: false, legendgroup: 'L2', x: [1, 2], y: [1, 3], customdata: [['A'], ['B']] });
    expect(g.traces[1]).toMatchObject({ mode: 'markers', name: 'DL2', legendgroup: 'L2', x: [null], marker: { size: 10, color: '#222222' } });
    expect(expectsMarks(g.traces, { shapes: [{ type: 'line' }, ...g.shapes] })).toEqual({ svg: false, gl: false, shapes: [1] });
  });

  it('an image export draws the same dots as plotly markers, below the figure’s traces, and keeps the other shapes', () => {
    const dots = markerShapes({ name: 'DL1', legendgroup: 'L1', color: '#123456', size: 10, points: [{ x: 1.5, y: 2e-7 }, { x: 3, y: 40 }] });
    const ref = { type: 'line', x0: 0, x1: 1, y0: 2, y1: 2 };
    const own = { type: 'scatter', mode: 'markers', x: [1], y: [1] };
    const out = markersAsTraces({ data: [own], layout: { shapes: [ref, ...dots, { ...dots[0], visible: false }] } });
    expect(out.layout.shapes).toEqual([ref]);
    expect(out.data).toEqual([
      { type: 'scatter', mode: 'markers', x: [1.5, 3], y: [2e-7, 40], legendgroup: 'L1', showlegend: false, hoverinfo: 'skip', marker: { size: 10, color: '#123456' } },
      { type: 'scatter', mode: 'markers', x: [1.5, 3], y: [2e-7, 40], legendgroup: 'L1', showlegend: false, hoverinfo: 'skip', marker: { size: 10, color: '#123456' }, visible: false },
      own,
    ]);
    const plain = { data: [own], layout: { shapes: [ref] } };
    expect(markersAsTraces(plain)).toBe(plain);
  });
});

/** An ADA-positive subject: negative baseline on day 1, then positive titres on the days given. */
function adaSubject(i: number, level: number | null, titres: [number, number][]): AdaSubject {
  const sample = (studyDay: number, result: 'POSITIVE' | 'NEGATIVE', titre: number | null, baseline: boolean) => ({ dtc: null, studyDay, visit: `Day ${studyDay}`, result, titre, belowReportable: false, nab: null, baselineFlag: baseline });
  return {
    usubjid: `S-${i}`,
    level,
    part: 'escalation',
    category: 'treatment-induced',
    samples: [sample(1, 'NEGATIVE', null, true), ...titres.map(([d, t]) => sample(d, 'POSITIVE', t, false))],
  } as unknown as AdaSubject;
}

describe('titreFigure above WEBGL_POINTS samples', () => {
  const subjects = (n: number) => Array.from({ length: n }, (_, i) => adaSubject(i, (i % 3) + 1, [[22, 40 * (1 + (i % 4))], [43, 80]]));

  it('stays plotly lines and markers up to the threshold', () => {
    const small = titreFigure(subjects(Math.floor(WEBGL_POINTS / 3)), colours);
    expect(small.data.filter((t) => t.mode === 'lines+markers')).toHaveLength(3);
    expect(small.layout.shapes).toHaveLength(1);
  });

  it('draws each level as a path of lines, a path of filled dots and rings for the negatives, hovering the same points', () => {
    const all = subjects(Math.floor(WEBGL_POINTS / 3) + 1);
    const large = titreFigure(all, colours);
    const shapes = large.layout.shapes as Record<string, unknown>[];
    // The dotted "negative" line first, then per level its lines and its positive dots, then the negatives' rings (colour and white) per level.
    expect(shapes.map((s) => [s.name ?? s.type, s.fillrule ?? '', (s.line as { width: number }).width])).toEqual([
      ['line', '', 1],
      ...[1, 2, 3].flatMap((l) => [[`${DATA_SHAPE}DL${l}`, '', 2], [`${DATA_SHAPE}DL${l}`, MARKER_FILL_RULE, 10]]),
      ...[1, 2, 3].flatMap((l) => [[`${DATA_SHAPE}Negative sample (no titre) DL${l}`, MARKER_FILL_RULE, 12], [`${DATA_SHAPE}Negative sample (no titre) DL${l} (inside)`, MARKER_FILL_RULE, 8]]),
    ]);
    const floor = shapes[0]!.y0 as number;
    expect(floor).toBe(20); // half the lowest titre, 40
    // DL1's subjects are 0, 3, 6, …: a ring at the floor on day 1, dots at their titres on days 22 and 43.
    const dl1 = all.filter((_, i) => i % 3 === 0);
    expect(shapes[1]!.path).toBe(dl1.map((s) => `M1,${floor}L22,${s.samples[1]!.titre}L43,80`).join(''));
    expect(shapes[2]!.path).toBe(dl1.map((s) => `M22,${s.samples[1]!.titre}L22,${s.samples[1]!.titre}M43,80L43,80`).join(''));
    expect(shapes[7]!.path).toBe(dl1.map(() => `M1,${floor}L1,${floor}`).join(''));
    // No trace draws a mark: the hover traces draw nothing, the legend entries have no point.
    expect(large.data.every((t) => t.mode === 'none' || (t.x as unknown[]).every((v) => v === null))).toBe(true);
    // The hover points are every sample of the level's subjects, with the SVG figure's hover fields.
    const hover = large.data.filter((t) => t.mode === 'none');
    expect(hover.map((t) => t.legendgroup)).toEqual(['L1', 'L2', 'L3']);
    expect(hover[0]!.customdata).toEqual(dl1.flatMap((s) => [[s.usubjid, 'Treatment-induced', 'Day 1', 'negative', '', ' (baseline)'], [s.usubjid, 'Treatment-induced', 'Day 22', `titre ${s.samples[1]!.titre}`, '', ''], [s.usubjid, 'Treatment-induced', 'Day 43', 'titre 80', '', '']]));
    expect(large.data.find((t) => t.name === 'Negative sample (no titre)')).toMatchObject({ legendgroup: 'negative', x: [null], visible: true });
  });
});

describe('edishFigure above WEBGL_POINTS subjects', () => {
  const point = (i: number, amino: number, bili: number, quadrant: EdishResult['points'][number]['quadrant']) => ({ usubjid: `S-${i}`, group: `L${(i % 2) + 1}`, altXUln: amino, astXUln: null, aminoXUln: amino, biliXUln: bili, altDtc: '2026-01-02', astDtc: null, biliDtc: '2026-01-03', quadrant });
  const result = (n: number): EdishResult => ({
    snapshotId: 1,
    present: true,
    groups: [],
    points: Array.from({ length: n }, (_, i) => (i === 7 ? point(i, 5, 3, "Potential Hy's law") : point(i, 0.5 + (i % 10) / 10, 0.4, 'Normal range'))),
    pointColumns: null,
    notPlotted: [],
    skippedResults: 0,
    notes: [],
  });

  it('stays plotly markers (circles, a diamond for a potential Hy’s law case) up to the threshold', () => {
    const small = edishFigure(result(WEBGL_POINTS), colours);
    expect(small.data).toHaveLength(2);
    expect((small.data[1]!.marker as { symbol: string[] }).symbol[3]).toBe('diamond'); // subject 7 is the fourth of L2
    expect(small.layout.shapes).toHaveLength(2);
  });

  it('draws each level’s points as one path of dots on the log axes; the Hy’s law case stays a diamond with its hover', () => {
    const r = result(WEBGL_POINTS + 1);
    const large = edishFigure(r, colours);
    const shapes = large.layout.shapes as Record<string, unknown>[];
    expect(shapes).toHaveLength(4);
    const l1 = r.points.filter((p) => p.group === 'L1');
    const l2 = r.points.filter((p) => p.group === 'L2' && p.quadrant === 'Normal range');
    expect(shapes[2]).toMatchObject({ name: `${DATA_SHAPE}DL1`, fillrule: MARKER_FILL_RULE, legendgroup: 'L1', path: dotsPath(l1.map((p) => ({ x: p.aminoXUln, y: p.biliXUln }))) });
    expect(shapes[3]).toMatchObject({ name: `${DATA_SHAPE}DL2`, legendgroup: 'L2', path: dotsPath(l2.map((p) => ({ x: p.aminoXUln, y: p.biliXUln }))) });
    const hover = large.data.filter((t) => t.mode === 'none');
    expect(hover.map((t) => (t.x as number[]).length)).toEqual([l1.length, l2.length]);
    const diamond = large.data.find((t) => t.mode === 'markers' && (t.x as unknown[])[0] !== null)!;
    expect(diamond).toMatchObject({ legendgroup: 'L2', showlegend: false, x: [5], y: [3], marker: { symbol: 'diamond' } });
    expect((diamond.customdata as unknown[][])[0]).toEqual(['S-7', '5.00', '—', '3.00', "Potential Hy's law", '2026-01-02', '—', '2026-01-03']);
    expect(diamond.hovertemplate).toBe(hover[0]!.hovertemplate);
  });
});
