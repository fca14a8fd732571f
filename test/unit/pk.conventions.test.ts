// The pure PK conventions of issue 10: matrix choice, τ from EX, urine amounts (PKNCA pk.calc.ae,
// pk.calc.fe, pk.calc.clr), collection time points, and which profile a PP record belongs to.
// Expected values worked by hand from the rule cited in each function's comment.
import { describe, expect, it } from 'vitest';
import {
  amountExcreted,
  chooseMatrix,
  cumulativeAmounts,
  fractionExcreted,
  parseCollectionTimepoint,
  ppTarget,
  renalClearance,
  tauFromEx,
  type ExRecord,
} from '../../shared/pk';

const ex = (usubjid: string, exstdtc: string): ExRecord => ({ usubjid, exdose: 1, exdosu: 'mg', exstdtc, exendtc: null, exroute: 'ORAL' });

describe('chooseMatrix', () => {
  it('the study definition first, then plasma, serum, blood; urine only when nothing else', () => {
    expect(chooseMatrix(['PLASMA', 'URINE'], 'urine')).toBe('URINE');
    expect(chooseMatrix(['PLASMA', 'URINE'])).toBe('PLASMA');
    expect(chooseMatrix(['URINE', 'SERUM'])).toBe('SERUM');
    expect(chooseMatrix(['URINE', ''])).toBe('');
    expect(chooseMatrix(['URINE'])).toBe('URINE');
    expect(chooseMatrix(['PLASMA'], 'SERUM')).toBe('PLASMA');
    expect(chooseMatrix([])).toBeNull();
  });
});

describe('tauFromEx', () => {
  it('a consistent spacing of repeated doses gives τ (times: hours; dates only: whole days)', () => {
    expect(tauFromEx([ex('A', '2025-01-01T08:00'), ex('A', '2025-01-22T08:00'), ex('B', '2025-02-01T09:00'), ex('B', '2025-02-22T09:30')]).tauH).toBe(504.25);
    expect(tauFromEx([ex('A', '2025-01-01'), ex('A', '2025-01-22'), ex('A', '2025-02-12')]).tauH).toBe(504);
  });
  it('single doses or varying spacing give no τ, with the reason', () => {
    expect(tauFromEx([ex('A', '2025-01-01T08:00'), ex('B', '2025-01-05T08:00')])).toMatchObject({ tauH: null, gaps: 0, note: expect.stringMatching(/no repeated dose/) });
    expect(tauFromEx([ex('A', '2025-01-01'), ex('A', '2025-01-22'), ex('A', '2025-02-15')])).toMatchObject({ tauH: null, note: expect.stringMatching(/varies \(21 d ×1, 24 d ×1\)/) });
  });
});

describe('urine amounts', () => {
  const base = { pcstresc: null, pclloq: null };
  it('Ae = C × V with units (pk.calc.ae): 2.5 ug/mL × 0.4 L = 1 mg; 500 ng/mL × 200 mL = 0.1 mg', () => {
    expect(amountExcreted({ ...base, pcstresn: 2.5, pcstresu: 'ug/mL', pcvol: 0.4, pcvolu: 'L' }).mg).toBe(1);
    expect(amountExcreted({ ...base, pcstresn: 500, pcstresu: 'ng/mL', pcvol: 200, pcvolu: 'mL' }).mg).toBe(0.1);
  });
  it('a mass result is an amount; BLQ is 0; a missing volume or unknown unit says why', () => {
    expect(amountExcreted({ ...base, pcstresn: 750, pcstresu: 'ug', pcvol: null, pcvolu: null }).mg).toBe(0.75);
    expect(amountExcreted({ pcstresn: null, pcstresc: '<BLQ', pcstresu: 'ug/mL', pclloq: 0.1, pcvol: 300, pcvolu: 'mL' })).toMatchObject({ mg: 0, blq: true });
    expect(amountExcreted({ ...base, pcstresn: 2, pcstresu: 'ug/mL', pcvol: null, pcvolu: null })).toMatchObject({ mg: null, note: 'no collection volume (PCVOL)' });
    expect(amountExcreted({ ...base, pcstresn: 2, pcstresu: 'mmol/L', pcvol: 1, pcvolu: 'L' }).mg).toBeNull();
  });
  it('cumulative Ae stops at a gap or an unknown amount', () => {
    expect(cumulativeAmounts([{ startH: 0, endH: 6, amountMg: 1 }, { startH: 6, endH: 12, amountMg: 2 }, { startH: 12, endH: 24, amountMg: 0.5 }]).cumulative).toEqual([1, 3, 3.5]);
    const gap = cumulativeAmounts([{ startH: 0, endH: 6, amountMg: 1 }, { startH: 8, endH: 12, amountMg: 2 }]);
    expect(gap.cumulative).toEqual([1, null]);
    expect(gap.note).toBe('cumulative Ae stops: gap between 6 h and 8 h');
    expect(cumulativeAmounts([{ startH: 0, endH: 6, amountMg: null }]).cumulative).toEqual([null]);
    expect(cumulativeAmounts([{ startH: 2, endH: 6, amountMg: 1 }]).note).toMatch(/starts at 2 h, not at the dose/);
  });
  it('fe = Ae/dose (pk.calc.fe) and CLR = Ae/AUC in L/h (pk.calc.clr): 5 mg / 250 h·ng/mL = 5e-3 g / 2.5e-4 h·g/L = 20 L/h', () => {
    expect(fractionExcreted(5, 100)).toBe(0.05);
    expect(fractionExcreted(5, null)).toBeNull();
    expect(renalClearance(5, 250, 'ng/mL')).toBeCloseTo(20, 12);
    expect(renalClearance(5, 0, 'ng/mL')).toBeNull();
  });
  it('collection time points', () => {
    expect(parseCollectionTimepoint('0-6h')).toEqual([0, 6]);
    expect(parseCollectionTimepoint('6 - 12 H')).toEqual([6, 12]);
    expect(parseCollectionTimepoint('12-24 hours')).toEqual([12, 24]);
    expect(parseCollectionTimepoint('Pre-dose')).toBeNull();
  });
});

describe('ppTarget', () => {
  const available = [
    { analyte: 'XAN', matrix: 'PLASMA' },
    { analyte: 'XAN', matrix: 'URINE' },
    { analyte: 'M1', matrix: 'PLASMA' },
  ];
  it('PPCAT names the analyte, PPSPEC the matrix; an empty PPSPEC is the default matrix', () => {
    expect(ppTarget('XAN', 'PLASMA', available)).toEqual({ analyte: 'XAN', matrix: 'PLASMA', unmatched: null });
    expect(ppTarget('XAN', 'urine', available)).toEqual({ analyte: 'XAN', matrix: 'URINE', unmatched: null });
    expect(ppTarget('XAN', null, available)).toEqual({ analyte: 'XAN', matrix: 'PLASMA', unmatched: null });
    expect(ppTarget('XAN', 'SERUM', available)).toMatchObject({ unmatched: 'PPSPEC' });
    expect(ppTarget('OTHER', 'PLASMA', available)).toMatchObject({ analyte: null, unmatched: 'PPCAT' });
    expect(ppTarget(null, null, [{ analyte: 'XAN', matrix: 'PLASMA' }])).toMatchObject({ analyte: 'XAN', matrix: 'PLASMA' });
  });
});
