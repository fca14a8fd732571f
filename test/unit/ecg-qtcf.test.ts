// The pure QTcF rules (shared/ecg.ts), each value worked by hand from the cited definition:
// Fridericia LS (1920), QTcF = QT / RR^(1/3), QT in ms, RR in s; RR = 60 / HR (beats/min);
// ICH E14 (2005) §3.2.2 categorical analysis: QTc > 450, > 480, > 500 ms; increase > 30, > 60 ms
// (strictly greater: a value on the boundary is not in the category).
import { describe, expect, it } from 'vitest';
import { categoryTable, intervalMs, qtcfCategories, qtcfFridericia, qtcfPoints, rrSecondsFromHeartRate, subjectQtcf, type EcgRecord } from '../../shared/ecg';

let row = 0;
const rec = (usubjid: string, testcd: string, value: number | null, unit: string | null, dtc: string, o: Partial<EcgRecord> = {}): EcgRecord => ({
  usubjid, domain: 'EG', testcd, test: null, dtc, tpt: null, repnum: null, value, text: value === null ? null : String(value), unit, baselineFlag: false, file: 'eg.csv', rowNo: ++row, ...o,
});

describe('Fridericia (1920): QTcF = QT / RR^(1/3)', () => {
  it('at 60 beats/min (RR 1 s) QTcF equals QT', () => expect(qtcfFridericia(400, 1)).toBe(400));
  // 0.729 = 0.9^3, so RR^(1/3) = 0.9 and QTcF = 360 / 0.9 = 400 ms.
  it('RR 0.729 s: 360 / 0.9 = 400 ms', () => expect(qtcfFridericia(360, 0.729)).toBeCloseTo(400, 9));
  // 0.512 = 0.8^3: 432 / 0.8 = 540 ms.
  it('RR 0.512 s: 432 / 0.8 = 540 ms', () => expect(qtcfFridericia(432, 0.512)).toBeCloseTo(540, 9));
  // RR 1.331 s = 1.1^3 (45 beats/min): 440 / 1.1 = 400 ms.
  it('RR 1.331 s: 440 / 1.1 = 400 ms', () => expect(qtcfFridericia(440, 1.331)).toBeCloseTo(400, 9));
});

describe('units: ms or s, heart rate in beats/min, anything else not computable', () => {
  it('ms and msec as given, s and sec × 1000', () => {
    expect(intervalMs(400, 'ms', 'QT')).toEqual({ value: 400 });
    expect(intervalMs(400, 'msec', 'QT')).toEqual({ value: 400 });
    expect(intervalMs(0.4, 's', 'QT')).toEqual({ value: 400 });
    expect(intervalMs(0.4, 'sec', 'QT')).toEqual({ value: 400 });
  });
  it('unknown or missing unit, no value, non-positive: a reason, never a guess', () => {
    expect(intervalMs(400, 'mm', 'QT')).toEqual({ notComputable: 'QT unit "mm" is not ms, msec, s or sec' });
    expect(intervalMs(400, null, 'RR')).toEqual({ notComputable: 'RR unit (none) is not ms, msec, s or sec' });
    expect(intervalMs(null, 'ms', 'QT')).toEqual({ notComputable: 'QT has no numeric result' });
    expect(intervalMs(0, 'ms', 'RR')).toEqual({ notComputable: 'RR 0 is not a positive interval' });
  });
  it('RR = 60 / HR: 75 beats/min gives 0.8 s; 60 gives 1 s', () => {
    expect(rrSecondsFromHeartRate(75, 'beats/min')).toEqual({ value: 0.8 });
    expect(rrSecondsFromHeartRate(60, 'BEATS/MIN')).toEqual({ value: 1 });
    expect(rrSecondsFromHeartRate(60, 'Hz')).toEqual({ notComputable: 'heart rate unit "Hz" is not beats/min' });
  });
});

describe('ICH E14 (2005) §3.2.2 categories at their boundaries (strictly greater)', () => {
  it('450, 480, 500 ms are not above themselves; 450.1, 480.1, 500.1 are', () => {
    expect(qtcfCategories(450, null)).toEqual({ gt450: false, gt480: false, gt500: false, incGt30: null, incGt60: null });
    expect(qtcfCategories(450.1, null)).toMatchObject({ gt450: true, gt480: false });
    expect(qtcfCategories(480, null)).toMatchObject({ gt450: true, gt480: false });
    expect(qtcfCategories(480.1, null)).toMatchObject({ gt480: true, gt500: false });
    expect(qtcfCategories(500, null)).toMatchObject({ gt500: false });
    expect(qtcfCategories(500.1, null)).toMatchObject({ gt450: true, gt480: true, gt500: true });
  });
  it('an increase of 30 or 60 ms is not above 30 or 60; 30.1 and 60.1 are', () => {
    expect(qtcfCategories(430, 30)).toMatchObject({ incGt30: false, incGt60: false });
    expect(qtcfCategories(430, 30.1)).toMatchObject({ incGt30: true, incGt60: false });
    expect(qtcfCategories(460, 60)).toMatchObject({ incGt30: true, incGt60: false });
    expect(qtcfCategories(460, 60.1)).toMatchObject({ incGt30: true, incGt60: true });
  });
});

describe('time points, baseline and change', () => {
  it('QTcF given wins over QT/RR; QT with RR; QT with HR (EG, then VS); RR and HR both absent → not computable', () => {
    const pts = qtcfPoints([
      rec('S1', 'QTCF', 455, 'ms', '2025-01-10'),
      rec('S1', 'QT', 400, 'ms', '2025-01-10'),
      rec('S1', 'RR', 1000, 'ms', '2025-01-10'),
      // 432 ms / 0.512^(1/3) = 432 / 0.8 = 540 ms (RR given in seconds).
      rec('S1', 'QT', 432, 'ms', '2025-01-11'),
      rec('S1', 'RR', 0.512, 's', '2025-01-11'),
      // 400 ms at 75 beats/min: RR 0.8 s, 0.8^(1/3) = 0.9283178; 400 / 0.9283178 = 430.887 ms.
      rec('S1', 'QT', 400, 'ms', '2025-01-12'),
      rec('S1', 'PULSE', 75, 'beats/min', '2025-01-12', { domain: 'VS' }),
      rec('S1', 'QT', 400, 'ms', '2025-01-13'),
      // A heart rate alone is not an ECG time point.
      rec('S1', 'PULSE', 60, 'beats/min', '2025-01-14', { domain: 'VS' }),
    ]);
    expect(pts.map((p) => [p.dtc, p.source, p.qtcf === null ? null : Math.round(p.qtcf * 1000) / 1000, p.notComputable])).toEqual([
      ['2025-01-10', 'QTcF as given', 455, null],
      ['2025-01-11', 'QT and RR', 540, null],
      ['2025-01-12', 'QT and heart rate (VS)', 430.887, null],
      ['2025-01-13', null, null, 'RR and heart rate both absent at this time point'],
    ]);
  });

  it('baseline: the flagged record, else the last pre-dose value; change = QTcF − baseline after the first dose', () => {
    const flagged = qtcfPoints([
      rec('S1', 'QTCF', 400, 'ms', '2025-01-01', { baselineFlag: true }),
      rec('S1', 'QTCF', 410, 'ms', '2025-01-05'),
      rec('S1', 'QTCF', 431, 'ms', '2025-01-12'),
    ]);
    const s1 = subjectQtcf('S1', flagged, '2025-01-06');
    expect(s1.baseline!.qtcf).toBe(400);
    // 431 − 400 = 31 ms: > 30, not > 60. The 2025-01-05 value is pre-dose, not the baseline: no change.
    expect(s1.points.map((p) => [p.postBaseline, p.change])).toEqual([[false, null], [false, null], [true, 31]]);
    expect([s1.maxQtcf, s1.maxChange]).toEqual([431, 31]);
    // Without a flag the last value on or before the first dose (a first-dose-day ECG without a time is pre-dose).
    const s2 = subjectQtcf('S2', qtcfPoints([rec('S2', 'QTCF', 400, 'ms', '2025-01-01'), rec('S2', 'QTCF', 420, 'ms', '2025-01-06'), rec('S2', 'QTCF', 450, 'ms', '2025-01-13')]), '2025-01-06');
    expect(s2.baseline!.qtcf).toBe(420);
    expect([s2.maxQtcf, s2.maxChange]).toEqual([450, 30]);
    // VSBLFL = Y on the VS pulse a QTcF was computed from flags that time point as the baseline:
    // 2025-01-01 QT 400 / (60/60 = 1 s) = 400 ms, rather than the later pre-dose 2025-01-05 QTcF 410.
    const s3 = subjectQtcf('S3', qtcfPoints([
      rec('S3', 'QT', 400, 'ms', '2025-01-01'),
      rec('S3', 'PULSE', 60, 'beats/min', '2025-01-01', { domain: 'VS', baselineFlag: true }),
      rec('S3', 'QTCF', 410, 'ms', '2025-01-05'),
    ]), '2025-01-06');
    expect(s3.baseline?.dtc).toBe('2025-01-01');
    const table = categoryTable([s1, s2], new Map([['S1', 'L1'], ['S2', 'L1']]), ['L1']);
    // S1: max 431 (no absolute category), increase 31 > 30. S2: max 450 is not > 450, increase 30 is not > 30.
    expect(table).toEqual([{ group: 'L1', evaluable: 2, evaluableChange: 2, gt450: 0, gt480: 0, gt500: 0, incGt30: 1, incGt60: 0 }]);
  });
});
