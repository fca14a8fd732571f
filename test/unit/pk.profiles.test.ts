// Profiles from PC/EX records (shared/pk): times since dose, dose amounts, BLQ strings and interval
// assignment, on hand-made records worked by hand from the rules written in shared/pk/profiles.ts,
// shared/pk/concentration.ts and shared/pk/times.ts (ISO 8601 durations, SDTMIG v3.4 PC).
import { describe, expect, it } from 'vitest';
import {
  baselineWeight,
  buildProfiles,
  describe as describeStats,
  doseInMg,
  isoDurationToHours,
  parseConcentration,
  toNcaInput,
  type ExRecord,
  type PcRecord,
  type WeightRecord,
} from '../../shared/pk';

const pc = (usubjid: string, pcdtc: string | null, result: string | number | null, more: Partial<PcRecord> = {}): PcRecord => ({
  usubjid,
  pctestcd: 'DRUG',
  pcstresn: typeof result === 'number' ? result : null,
  pcstresc: result === null ? null : String(result),
  pcstresu: 'ug/mL',
  pclloq: null,
  pcdtc,
  pcrftdtc: null,
  pceltm: null,
  pctptnum: null,
  ...more,
});
const ex = (usubjid: string, exstdtc: string, exdose: number, more: Partial<ExRecord> = {}): ExRecord => ({
  usubjid,
  exdose,
  exdosu: 'mg/kg',
  exstdtc,
  exendtc: null,
  exroute: 'INTRAVENOUS',
  ...more,
});
const defaults = { route: 'iv-infusion' as const, infusionDurationH: 1, tauH: 504 };

describe('ISO 8601 durations (PCELTM) and BLQ strings', () => {
  it('reads durations in hours, signed, with days and weeks (ISO 8601-1 §5.5.2.4)', () => {
    expect(isoDurationToHours('PT1H')).toBe(1);
    expect(isoDurationToHours('-PT15M')).toBe(-0.25);
    expect(isoDurationToHours('P1DT12H')).toBe(36);
    expect(isoDurationToHours('PT0,5H')).toBe(0.5);
    expect(isoDurationToHours('P1W')).toBe(168);
    expect(isoDurationToHours('P1M')).toBeNull(); // months have no fixed length
    expect(isoDurationToHours('PT')).toBeNull();
    expect(isoDurationToHours('1H')).toBeNull();
  });

  it('classifies PCSTRESC/PCSTRESN as measurable, BLQ (with LLOQ) or missing', () => {
    expect(parseConcentration(1.5, '1.5', 0.1)).toEqual({ conc: 1.5, blq: false, lloq: 0.1 });
    expect(parseConcentration(null, '<1.40', null)).toEqual({ conc: null, blq: true, lloq: 1.4 });
    expect(parseConcentration(null, '<1.40', 1.5)).toEqual({ conc: null, blq: true, lloq: 1.5 }); // PCLLOQ wins
    expect(parseConcentration(null, '<BLQ', 0.05)).toEqual({ conc: null, blq: true, lloq: 0.05 });
    expect(parseConcentration(null, 'BLQ', null)).toEqual({ conc: null, blq: true, lloq: null });
    expect(parseConcentration(null, '0.25', null)).toEqual({ conc: 0.25, blq: false, lloq: null });
    expect(parseConcentration(null, 'NS', null)).toEqual({ conc: null, blq: false, lloq: null });
    expect(parseConcentration(null, null, null)).toEqual({ conc: null, blq: false, lloq: null });
  });
});

describe('dose amount and weight (rules in shared/pk/profiles.ts)', () => {
  const w: WeightRecord[] = [
    { usubjid: 'A', weightKg: 81, dtc: '2025-01-01', baseline: false, source: 'VS' },
    { usubjid: 'A', weightKg: 80, dtc: '2025-01-02', baseline: true, source: 'VS' },
    { usubjid: 'A', weightKg: 79, dtc: '2025-01-06', baseline: false, source: 'VS' },
    { usubjid: 'A', weightKg: 60, dtc: '2025-03-01', baseline: false, source: 'VS' },
  ];
  it('prefers the VSBLFL=Y weight, else the last weight on/before the first dose, else DM/SUPPDM', () => {
    expect(baselineWeight(w, '2025-01-06T09:00')?.kg).toBe(80);
    expect(baselineWeight(w.filter((x) => !x.baseline), '2025-01-06T09:00')?.kg).toBe(79); // same day counts, 60 kg is after
    expect(baselineWeight([{ usubjid: 'A', weightKg: 70, dtc: null, baseline: true, source: 'SUPPDM' }], '2025-01-06')?.kg).toBe(70);
    expect(baselineWeight([], '2025-01-06')).toBeNull();
  });
  it('converts EXDOSE to mg, × weight when per kg', () => {
    expect(doseInMg(0.01, 'mg/kg', 80).mg).toBe(0.8);
    expect(doseInMg(250, 'ug', null).mg).toBe(0.25);
    expect(doseInMg(3, 'mg/kg', null).mg).toBeNull();
    expect(doseInMg(3, 'mL', 70).mg).toBeNull();
  });
});

describe('time since dose', () => {
  it('uses PCRFTDTC when present: PCDTC − PCRFTDTC (h)', () => {
    const { profiles } = buildProfiles(
      [
        pc('A', '2025-01-06T08:45', '<BLQ', { pcrftdtc: '2025-01-06T09:00', pclloq: 0.05 }),
        pc('A', '2025-01-06T10:30', 2, { pcrftdtc: '2025-01-06T09:00' }),
        pc('A', '2025-01-07T09:00', 1, { pcrftdtc: '2025-01-06T09:00' }),
        pc('A', '2025-01-10T09:00', '<0.10', { pcrftdtc: '2025-01-06T09:00' }),
      ],
      [ex('A', '2025-01-06T09:00', 0.01, { exendtc: '2025-01-06T10:30' })],
      [{ usubjid: 'A', weightKg: 80, dtc: '2025-01-02', baseline: true, source: 'VS' }],
      defaults,
    );
    expect(profiles).toHaveLength(1);
    const p = profiles[0]!;
    expect(p.interval).toBe('single');
    expect(p.points.map((x) => x.actualH)).toEqual([-0.25, 1.5, 24, 96]);
    expect(p.points.every((x) => x.timeSource === 'PCRFTDTC')).toBe(true);
    expect(p.points.map((x) => x.blq)).toEqual([true, false, false, true]);
    expect(p.points[3]!.lloq).toBe(0.1);
    // 0.01 mg/kg × 80 kg; infusion 09:00 → 10:30 = 1.5 h from EXENDTC − EXSTDTC
    expect(p.dose).toMatchObject({ doseMg: 0.8, route: 'iv-infusion', infusionDurationH: 1.5, durationSource: 'EX', cycle: 1 });
    // The BLQ pre-dose sample of the first dose is left out (nca() puts 0 at the dose time).
    const input = toNcaInput(p, 'actual');
    expect(input.profile!.time).toEqual([1.5, 24, 96]);
    expect(input.profile!.blq).toEqual([false, false, true]);
    expect(input.profile).toMatchObject({ dose: 0.8, route: 'iv-infusion', duration: 1.5, tau: 504, steadyState: false, doseTime: 0 });
  });

  it('without PCRFTDTC uses PCELTM: the dose nearest PCDTC − PCELTM; actual = PCDTC − EXSTDTC, nominal = PCELTM', () => {
    const { profiles } = buildProfiles(
      [pc('B', '2025-02-03T10:05', 0.9, { pceltm: 'PT1H' }), pc('B', '2025-02-04T09:30', 'BLQ', { pceltm: 'PT24H', pclloq: 0.05 })],
      [ex('B', '2025-02-03T09:00', 0.03, { exroute: null })],
      [{ usubjid: 'B', weightKg: 70, dtc: null, baseline: true, source: 'SUPPDM' }],
      { route: 'iv-infusion', tauH: 504 }, // no infusion duration anywhere
    );
    const p = profiles[0]!;
    expect(p.points.map((x) => x.actualH)).toEqual([65 / 60, 24.5]);
    expect(p.points.map((x) => x.nominalH)).toEqual([1, 24]);
    expect(p.points.map((x) => x.timeSource)).toEqual(['PCELTM', 'PCELTM']);
    expect(p.dose.doseMg).toBe(2.1); // 0.03 mg/kg × 70 kg (SUPPDM)
    expect(p.dose.route).toBe('iv-bolus');
    expect(p.notes.join(' ')).toMatch(/no infusion duration/);
    expect(toNcaInput(p, 'nominal').profile!.time).toEqual([1, 24]);
  });

  it('with neither, derives the dose from EX (latest at/before PCDTC; within 2 h before a dose = its pre-dose sample)', () => {
    const { profiles } = buildProfiles(
      [
        pc('C', '2025-03-03T08:30', '<BLQ'),
        pc('C', '2025-03-03T11:00', 3),
        pc('C', '2025-03-04T09:00', 2),
        pc('C', '2025-03-24T08:00', 0.5),
        pc('C', '2025-03-24T12:00', 3.5),
        pc('C', '2025-03-25T09:00', 2.5),
        pc('C', '2025-03-26T09:00', 1.5),
        pc('C', '2025-03-27T09:00', 1),
      ],
      [ex('C', '2025-03-03T09:00', 0.03, { exendtc: '2025-03-03T10:00', visit: 'CYCLE 1 DAY 1' }), ex('C', '2025-03-24T09:00', 0.03, { exendtc: '2025-03-24T10:00', visit: 'CYCLE 2 DAY 1' })],
      [{ usubjid: 'C', weightKg: 60, dtc: '2025-02-28', baseline: false, source: 'VS' }],
      defaults,
    );
    const single = profiles.find((p) => p.interval === 'single')!;
    const steady = profiles.find((p) => p.interval === 'steady')!;
    expect(single.points.map((x) => x.actualH)).toEqual([-0.5, 2, 24]);
    expect(single.points.every((x) => x.timeSource === 'EX')).toBe(true);
    expect(steady.dose).toMatchObject({ cycle: 2, doseMg: 1.8 });
    expect(steady.points.map((x) => x.actualH)).toEqual([-1, 3, 24, 48, 72]);
    // At steady state the pre-dose trough starts the interval (t = 0) and tau is the study's.
    const input = toNcaInput(steady, 'actual');
    expect(input.profile!.time).toEqual([0, 3, 24, 48, 72]);
    expect(input.profile!.conc).toEqual([0.5, 3.5, 2.5, 1.5, 1]);
    expect(input.profile).toMatchObject({ tau: 504, steadyState: true, dose: 1.8 });
  });

  it('puts samples that match no dose aside, counted per subject', () => {
    const r = buildProfiles([pc('D', '2025-01-01T08:00', 1, { pcrftdtc: '2024-12-01T08:00' })], [ex('D', '2025-01-01T07:00', 1)], [], defaults);
    expect(r.profiles).toHaveLength(0);
    expect(r.unplaced).toEqual([{ usubjid: 'D', analyte: 'DRUG', matrix: '', count: 1 }]);
  });
});

describe('summary statistics (shared/pk/summary.ts)', () => {
  it('gives mean, SD, CV%, geometric mean and geometric CV% worked by hand', () => {
    // values 1, 2, 4: mean 7/3, SD √(((−4/3)²+(−1/3)²+(5/3)²)/2) = √(7/3); ln values 0, ln2, 2ln2 → geomean 2,
    // s² of ln = (ln2)², geometric CV% = 100·√(exp((ln2)²) − 1)
    const d = describeStats([1, 2, null, 4]);
    expect(d.n).toBe(3);
    expect(d.mean).toBeCloseTo(7 / 3, 12);
    expect(d.sd).toBeCloseTo(Math.sqrt(7 / 3), 12);
    expect(d.cvPct).toBeCloseTo((100 * Math.sqrt(7 / 3)) / (7 / 3), 10);
    expect(d.geoMean).toBeCloseTo(2, 12);
    expect(d.geoCvPct).toBeCloseTo(100 * Math.sqrt(Math.exp(Math.LN2 ** 2) - 1), 10);
    expect(d.median).toBe(2);
    expect(describeStats([0, 1]).geoMean).toBeNull();
  });
});
