import { describe, expect, it } from 'vitest';
import { clopperPearson } from '../../shared/binomial';
import { kmFigure, kmLastTime, kmTicks, kmTickStep, rateText, type KmResult } from '../../renderer/src/components/EfficacyFigures';
import { kaplanMeier } from '../../shared/survival';
import { hasSpiderLine, RECIST_LINES, spiderFigure } from '../../renderer/src/components/SpiderFigure';
import type { TumourSubject } from '../../shared/api/efficacy';
import { borLabel, waterfallBars, waterfallFigure, PATH_BARS } from '../../renderer/src/components/WaterfallFigure';

// The figure builders of the spider, waterfall and efficacy views: pure functions from contract
// results to plotly data. The clinical values come from the core; these tests check what is drawn.

function subject(usubjid: string, level: number | null, pcts: (number | null)[], bor = 'SD'): TumourSubject {
  const bestPost = pcts.slice(1).filter((p): p is number => p !== null);
  const resp = { response: bor as TumourSubject['bor']['confirmed']['response'], dtc: null, firstResponseDtc: null, dor: null };
  return {
    usubjid, level, dose: null, doseUnit: null, part: 'escalation', firstDoseDtc: '2025-01-01', baselineDtc: '2024-12-28', hasBaselineAssessment: true, baselineSum: 50,
    points: pcts.map((p, i) => ({ dtc: `2025-0${i + 1}-01`, studyDay: i === 0 ? -3 : i * 42, baseline: i === 0, evaluator: 'INVESTIGATOR', sum: null, sumSource: null, nadir: null, pctFromBaseline: p, pctFromNadir: null, newLesion: i === 2, response: null, responseSource: null })),
    bestPctChange: bestPost.length ? Math.min(...bestPost) : null,
    bor: { confirmed: resp, unconfirmed: resp },
    notes: [],
  };
}

const opts = { doseColor: (l: number | null) => `c${l}`, doseLabel: (l: number | null) => `DL${l}` };

describe('spider figure', () => {
  it('draws one line per subject with a post-baseline % change, grouped in one trace per dose level, and the RECIST 1.1 lines (+20 %, −30 %; Eisenhauer 2009 §4.3.1)', () => {
    const s = [subject('A', 1, [0, -10, -35]), subject('B', 1, [0, 25]), subject('C', 2, [0, null]), subject('D', 2, [0])];
    expect(s.map(hasSpiderLine)).toEqual([true, true, false, false]);
    const fig = spiderFigure(s, { unit: 'days', ...opts });
    expect(fig.lines).toBe(2);
    const lines = fig.data.filter((t) => t.mode === 'lines+markers');
    expect(lines).toHaveLength(1);
    // A gap (null) separates the subjects inside a trace.
    expect(lines[0]!.y).toEqual([0, -10, -35, null, 0, 25, null]);
    expect((fig.layout.shapes as { y0: number }[]).map((r) => r.y0)).toEqual(RECIST_LINES.map((r) => r.value));
    expect(RECIST_LINES.map((r) => r.value)).toEqual([20, -30]);
    // New lesions: their own trace.
    expect(fig.data.find((t) => t.name === 'New lesion')!.x).toEqual([84]);
    // Weeks: study day / 7.
    expect(spiderFigure(s, { unit: 'weeks', ...opts }).data[0]!.x).toEqual([-0.43, 6, 12, null, -0.43, 6, null]);
  });
});

describe('waterfall figure', () => {
  it('sorts the bars by best % change descending (ties by subject), leaves out subjects without a post-baseline sum and labels the BOR', () => {
    const s = [subject('B', 1, [0, -40], 'PR'), subject('A', 2, [0, 30], 'PD'), subject('C', 1, [0, -40], 'PR'), subject('D', 3, [0]), subject('E', 3, [0, 5], 'NON-CR/NON-PD')];
    const bars = waterfallBars(s, 'confirmed');
    expect(bars.map((b) => b.usubjid)).toEqual(['A', 'E', 'B', 'C']);
    expect(bars.map((b) => borLabel(b.bor))).toEqual(['PD', 'NN', 'PR', 'PR']);
    const fig = waterfallFigure(bars, { colourBy: 'bor', kind: 'confirmed', ...opts });
    expect((fig.layout.xaxis as { categoryarray: string[] }).categoryarray).toEqual(['A', 'E', 'B', 'C']);
    expect(fig.data.map((t) => t.name)).toEqual(['PR', 'Non-CR/non-PD', 'PD']);
  });
  it('draws a large study as segments in one SVG path, in the same order, each hovering with its subject and best change', () => {
    const many = Array.from({ length: PATH_BARS + 1 }, (_, i) => subject(`S${String(i).padStart(5, '0')}`, 1, [0, (i % 200) - 100]));
    const fig = waterfallFigure(waterfallBars(many, 'confirmed'), { colourBy: 'level', kind: 'confirmed', ...opts });
    const [hover, legend] = fig.data;
    expect(hover!.mode).toBe('none');
    expect(legend).toMatchObject({ mode: 'lines', name: 'DL1', x: [null], legendgroup: hover!.legendgroup });
    // Bar r: a segment from (r, 0) to (r, best), by rank of best change (largest increase first).
    const path = ((fig.layout.shapes as { name: string; path: string }[]).find((s) => s.name === 'data:DL1'))!.path;
    const segments = [...path.matchAll(/M(\d+),0L\1,(-?[\d.]+)/g)];
    expect(segments).toHaveLength(PATH_BARS + 1);
    expect(segments.map((m) => Number(m[1]))).toEqual(Array.from({ length: PATH_BARS + 1 }, (_, i) => i + 1));
    const y = segments.map((m) => Number(m[2]));
    for (let i = 1; i < y.length; i++) expect(y[i]!).toBeLessThanOrEqual(y[i - 1]!);
    // The hover at either end of a bar names its subject and its best change.
    const cd = hover!.customdata as unknown[][];
    expect(cd[0]).toEqual(cd[1]);
    expect(cd[0]![3]).toBe(y[0]);
    expect(hover!.hovertemplate).toContain('%{customdata[3]:.1f}%');
  });
});

describe('efficacy figures', () => {
  it('prints a rate with its exact CI as given (Clopper–Pearson, shared/binomial.ts): 4/17', () => {
    const ci = clopperPearson(4, 17);
    expect(rateText({ estimate: ci.estimate, lower: ci.lower, upper: ci.upper })).toBe('23.5% (6.8–49.9)');
    expect(rateText({ estimate: null, lower: 0, upper: 1 })).toBe('—');
  });
  it('spaces the KM ticks for six to ten at-risk columns', () => {
    expect(kmTickStep(5.4, 'months')).toBe(1);
    expect(kmTickStep(14, 'months')).toBe(2);
    expect(kmTickStep(60, 'months')).toBe(6);
  });
  it('the KM x axis reaches the last event or censoring time (the drop that defines the median is drawn)', () => {
    // The clinician's case (issue 12): OS data to 5.9 months, ticks had stopped at 5 and the axis at 5.1.
    // Hand-built KM (Kaplan & Meier 1958): times 1.2, 3.0+, 4.9, 5.8, 5.9+ (+ = censored). S drops to
    // 4/5 · 2/3 = 0.533 at 4.9 and to 0.533 · 1/2 = 0.267 at 5.8: the median (first S ≤ 0.5) is 5.8.
    const km = kaplanMeier([1.2, 3.0, 4.9, 5.8, 5.9], [1, 0, 1, 1, 0]);
    expect(km.surv.map((v) => Number(v.toFixed(3)))).toEqual([0.8, 0.8, 0.533, 0.267, 0.267]);
    const group = {
      label: 'All treated', n: 5, events: 3, censored: 2,
      steps: km.time.map((t, i) => ({ time: t, surv: km.surv[i]!, lower: null, upper: null, nRisk: km.nRisk[i]!, nEvent: km.nEvent[i]!, nCensor: km.nCensor[i]! })),
      censorMarks: [{ time: 3.0, surv: 0.8 }, { time: 5.9, surv: 0.267 }],
      median: { estimate: 5.8, lower: 4.9, upper: null },
      at: [],
    };
    const result = { endpoint: 'OS', unit: 'months', by: 'none', level: 0.95, confType: 'log-log', groups: [group], logRank: null } as unknown as KmResult;
    expect(kmLastTime(result)).toBe(5.9);
    // Step 1 month (5.9 / 1 ≤ 10): ticks 0…6, the first tick at or after 5.9 is 6.
    expect(kmTicks(result)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const fig = kmFigure(result, kmTicks(result), { colorOf: () => '#000000', shortLabel: () => 'All', ci: false, presentation: false });
    const range = (fig.layout.xaxis as { range: number[] }).range;
    expect(range[1]).toBeGreaterThanOrEqual(5.9);
    // A censoring after the last event alone also extends the axis: 14.2 months in steps of 2 → 16.
    const late = { ...result, groups: [{ ...group, steps: group.steps.slice(0, 3), censorMarks: [{ time: 14.2, surv: 0.533 }] }] } as unknown as KmResult;
    expect(kmTicks(late).at(-1)).toBe(16);
    // Exactly on a tick: no extra tick.
    const onTick = { ...result, groups: [{ ...group, censorMarks: [{ time: 6, surv: 0.267 }] }] } as unknown as KmResult;
    expect(kmTicks(onTick)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});
