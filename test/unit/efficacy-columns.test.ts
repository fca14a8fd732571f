// efficacy.plotColumns: the spider's, the waterfall's and the best-response table's data as columns (shared/efficacy/columns.ts).
// Decoded, they equal efficacy.tumourSeries field by field (the % changes at the 0.1 the figures
// draw), and the figures built from them are the figures built from the series: checked on the
// shipped demo (resources/demo/cut2). Derived sums and two evaluators: test/unit/recist-conventions.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { decodeTumourColumns, encodeTumourColumns } from '../../shared/efficacy/columns';
import { spiderFigure } from '../../renderer/src/components/SpiderFigure';
import { waterfallBars, waterfallFigure } from '../../renderer/src/components/WaterfallFigure';
import { plottedFields } from '../helpers/plotColumns';
import { tmpDir } from '../helpers/snapshot';

const CUT2 = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../resources/demo/cut2');
const opts = { doseColor: (l: number) => `c${l}`, doseLabel: (l: number) => `DL${l}` };

let dir: string;
let core: Core;
let snapshotId: number;
beforeAll(async () => {
  dir = tmpDir('dosedesk-efficacy-columns-');
  core = createCore({ dbPath: path.join(dir, 'db.sqlite') });
  snapshotId = (await core.call('snapshot.import', { path: CUT2 })).snapshotId!;
});
afterAll(() => {
  core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('efficacy.plotColumns', () => {
  it('decodes to the series as the figures read it; the spider and waterfall figures are the same', async () => {
    const series = await core.call('efficacy.tumourSeries', { snapshotId });
    const c = await core.call('efficacy.plotColumns', { snapshotId });
    const decoded = decodeTumourColumns(c);
    expect(decoded).toEqual(series.subjects.map((s) => plottedFields(s)));
    // The demo has what the columns flag: baselines, new lesions, responses, BOR of both kinds, more than one scan a subject.
    expect(c.points.baseline.length).toBeGreaterThan(5);
    expect(c.points.newLesion.length).toBeGreaterThan(0);
    expect(c.subjects.borConfirmed.some((b, i) => b !== c.subjects.borUnconfirmed[i])).toBe(true);
    expect(c.subjects.dorDays.some((d) => d !== null) && c.subjects.firstResponseConfirmed.some((d) => d !== null)).toBe(true);
    expect(c.assessed).toBe(series.subjects.filter((s) => s.points.length > 0).length);
    expect(c.confirmationDays).toBe(series.confirmationDays);
    for (const unit of ['days', 'weeks'] as const) expect(spiderFigure(decoded, { unit, ...opts })).toEqual(spiderFigure(series.subjects, { unit, ...opts }));
    for (const kind of ['confirmed', 'unconfirmed'] as const) {
      const bars = waterfallBars(decoded, kind);
      expect(bars).toEqual(waterfallBars(series.subjects, kind));
      expect(waterfallFigure(bars, { colourBy: 'bor', kind, ...opts })).toEqual(waterfallFigure(waterfallBars(series.subjects, kind), { colourBy: 'bor', kind, ...opts }));
    }
  });

  it('without points: the subjects only, and how many were assessed', async () => {
    const series = await core.call('efficacy.tumourSeries', { snapshotId });
    const c = await core.call('efficacy.plotColumns', { snapshotId, points: false });
    expect(decodeTumourColumns(c)).toEqual(series.subjects.map((s) => plottedFields(s, false)));
    expect(c.points.dtc).toEqual([]);
    expect(c.subjects.start.every((x) => x === 0)).toBe(true);
    expect(c.assessed).toBeGreaterThan(0);
    expect(JSON.stringify(c).length).toBeLessThan(JSON.stringify(series).length / 5);
  });

  it('a subject with several notes and a sum without source keep them', () => {
    const s = plottedFields({
      usubjid: 'S-1', level: null, dose: null, doseUnit: null, part: 'expansion', firstDoseDtc: '2025-01-01', baselineDtc: null, hasBaselineAssessment: false, baselineSum: null,
      points: [{ dtc: '2025-02-01', studyDay: 32, baseline: false, evaluator: 'INVESTIGATOR', sum: null, sumSource: null, nadir: null, pctFromBaseline: null, pctFromNadir: null, newLesion: true, response: 'PD', responseSource: 'RS' }],
      bestPctChange: null,
      bor: { confirmed: { response: 'PD', dtc: null, firstResponseDtc: null, dor: null }, unconfirmed: { response: 'PD', dtc: null, firstResponseDtc: null, dor: null } },
      notes: ['no baseline scan', 'new lesion only'],
    });
    expect(decodeTumourColumns(encodeTumourColumns([s], true))).toEqual([s]);
  });
});
