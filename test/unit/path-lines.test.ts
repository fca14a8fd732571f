import { describe, expect, it } from 'vitest';
import { DATA_SHAPE, pathLines, polylinePath } from '../../renderer/src/components/pathLines';
import { expectsMarks } from '../../renderer/src/drawnMark';

// Many lines as one SVG path per group (renderer/src/components/pathLines.ts): the large spider and
// waterfall. The shape holds the lines, a trace that draws nothing holds the hover points, a trace
// of no points the legend entry; Plot counts the figure drawn only when the shape's path is there.

const pt = (x: number, y: number, id: string) => ({ x, y, customdata: [id] });

describe('pathLines', () => {
  it('writes each polyline as a move then its lines, in data coordinates', () => {
    expect(polylinePath([[pt(1, 0, 'A'), pt(42, -12.5, 'A'), pt(84, 3, 'A')], [pt(1, 0, 'B')], [pt(-3, 0, 'C'), pt(40, 20.1, 'C')]])).toBe('M1,0L42,-12.5L84,3M1,0M-3,0L40,20.1');
    expect(polylinePath([])).toBe('');
  });

  it('gives a shape between the grid and the traces, a hover trace of every point and a legend entry, in one legend group', () => {
    const g = pathLines({ name: 'DL2', legendgroup: 'L2', color: '#123456', width: 2, lines: [[pt(0, 0, 'A'), pt(42, -30, 'A')], [pt(0, 0, 'B'), pt(40, 25, 'B')]], hovertemplate: '%{customdata[0]}' });
    expect(g.shape).toMatchObject({ type: 'path', xref: 'x', yref: 'y', layer: 'between', path: 'M0,0L42,-30M0,0L40,25', legendgroup: 'L2', name: `${DATA_SHAPE}DL2`, line: { color: '#123456', width: 2 } });
    const [hover, legend] = g.traces;
    expect(hover).toMatchObject({ type: 'scatter', mode: 'none', showlegend: false, legendgroup: 'L2', x: [0, 42, 0, 40], y: [0, -30, 0, 25], hovertemplate: '%{customdata[0]}' });
    expect(hover!.customdata).toEqual([['A'], ['A'], ['B'], ['B']]);
    expect(legend).toMatchObject({ mode: 'lines', name: 'DL2', legendgroup: 'L2', x: [null], y: [null], line: { color: '#123456', width: 2 } });
    expect(g.traces).toHaveLength(2);
  });

  it('Plot expects the data shapes drawn, not the hover traces (they draw nothing) nor the reference lines', () => {
    const g = pathLines({ name: 'DL1', legendgroup: 'L1', color: '#000', width: 2, lines: [[pt(0, 0, 'A'), pt(1, 1, 'A')]], hovertemplate: '' });
    const layout = { shapes: [{ type: 'line', name: 'ref20' }, g.shape, { ...g.shape, visible: false }] };
    expect(expectsMarks(g.traces, layout)).toEqual({ svg: false, gl: false, shapes: [1] });
    expect(expectsMarks([{ x: [1, 2], y: [1, 2] }, ...g.traces])).toEqual({ svg: true, gl: false, shapes: [] });
  });
});
