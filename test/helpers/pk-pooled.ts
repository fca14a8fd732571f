import { table } from './conventions';

// A pharmaverse-convention PK export that pools specimens (issue 10): plasma AND urine samples of
// the same analyte (PCSPEC = PLASMA / URINE; urine as collection intervals "0-6h", "6-12h",
// "12-24h" with PCDTC = start, PCENDTC = end, PCELTM = planned end, PCVOL/PCVOLU the collected
// volume), a metabolite, a sample not done, and PP with PPCAT (analyte) and PPSPEC (matrix) as
// admiral's ADPP → PP writes them. No study.json; EX doses 28 days apart for one subject and 21 days
// apart (dates only) for the other, so τ is unknown. Used by test/unit/pk.matrix.test.ts (values
// worked by hand there) and test/e2e/pk.spec.ts.

export const S = 'CDISCPILOT01';
export const A = '01-701-1015';
export const B = '01-701-1023';

const dm = table('DM', ['STUDYID', 'DOMAIN', 'USUBJID', 'SUBJID', 'RFXSTDTC', 'AGE', 'SEX', 'ARMCD', 'ARM'], [
  [S, 'DM', A, '1015', '2014-01-02T08:00', 63, 'F', 'XAN54', 'Xanomeline 54 mg'],
  [S, 'DM', B, '1023', '2014-02-03', 64, 'M', 'XAN54', 'Xanomeline 54 mg'],
]);

// A: times of day; B: EXSTDTC as dates only (the actual-time basis must fall back, and say so).
const ex = table('EX', ['STUDYID', 'DOMAIN', 'USUBJID', 'EXSEQ', 'EXTRT', 'EXDOSE', 'EXDOSU', 'EXROUTE', 'EXSTDTC', 'VISIT'], [
  [S, 'EX', A, 1, 'XANOMELINE', 54, 'mg', 'ORAL', '2014-01-02T08:00', 'CYCLE 1 DAY 1'],
  [S, 'EX', A, 2, 'XANOMELINE', 54, 'mg', 'ORAL', '2014-01-30T08:00', 'CYCLE 2 DAY 1'],
  [S, 'EX', B, 1, 'XANOMELINE', 54, 'mg', 'ORAL', '2014-02-03', 'CYCLE 1 DAY 1'],
  [S, 'EX', B, 2, 'XANOMELINE', 54, 'mg', 'ORAL', '2014-02-24', 'CYCLE 2 DAY 1'],
]);

const PC_HEAD = ['STUDYID', 'DOMAIN', 'USUBJID', 'PCSEQ', 'PCTESTCD', 'PCTEST', 'PCSPEC', 'PCSTAT', 'PCSTRESC', 'PCSTRESN', 'PCSTRESU', 'PCLLOQ', 'PCDTC', 'PCENDTC', 'PCRFTDTC', 'PCELTM', 'PCTPT', 'PCVOL', 'PCVOLU'];
let seq = 0;
const pc = (u: string, testcd: string, spec: string, res: string, dtc: string, ref: string | null, eltm: string, tpt: string, more: { end?: string; vol?: number; stat?: string } = {}) => {
  const n = Number(res);
  const measurable = res !== '' && Number.isFinite(n);
  return [S, 'PC', u, ++seq, testcd, testcd === 'XAN' ? 'Xanomeline' : 'Xanomeline M1', spec, more.stat ?? null, res === '' ? null : res, measurable ? n : null, 'ug/mL', 0.5, dtc, more.end ?? null, ref, eltm, tpt, more.vol ?? null, more.vol !== undefined ? 'mL' : null];
};
const r1 = '2014-01-02T08:00';
const r2 = '2014-01-30T08:00';
const pcRows = [
  // A, cycle 1 plasma: 10, 16, 12, 6, 3, 0.375 at 1, 2, 4, 8, 12, 24 h; BLQ before the dose and at 36 h.
  pc(A, 'XAN', 'PLASMA', '<BLQ', '2014-01-02T07:55', r1, '-PT5M', 'Pre-dose'),
  pc(A, 'XAN', 'PLASMA', '10', '2014-01-02T09:00', r1, 'PT1H', '1h Post-dose'),
  pc(A, 'XAN', 'PLASMA', '16', '2014-01-02T10:00', r1, 'PT2H', '2h Post-dose'),
  pc(A, 'XAN', 'PLASMA', '12', '2014-01-02T12:00', r1, 'PT4H', '4h Post-dose'),
  pc(A, 'XAN', 'PLASMA', '6', '2014-01-02T16:00', r1, 'PT8H', '8h Post-dose'),
  pc(A, 'XAN', 'PLASMA', '3', '2014-01-02T20:00', r1, 'PT12H', '12h Post-dose'),
  pc(A, 'XAN', 'PLASMA', '0.375', '2014-01-03T08:00', r1, 'PT24H', '24h Post-dose'),
  pc(A, 'XAN', 'PLASMA', '<BLQ', '2014-01-03T20:00', r1, 'PT36H', '36h Post-dose'),
  pc(A, 'XAN', 'PLASMA', '', '2014-01-04T08:00', r1, 'PT48H', '48h Post-dose', { stat: 'NOT DONE' }),
  // A, urine over 0-6, 6-12, 12-24 h: 20 ug/mL × 300 mL, 10 × 400, 2 × 500 (larger than any plasma value:
  // mixed in, Cmax would be 20 and Tmax a collection's time).
  pc(A, 'XAN', 'URINE', '20', '2014-01-02T08:00', r1, 'PT6H', '0-6h', { end: '2014-01-02T14:00', vol: 300 }),
  pc(A, 'XAN', 'URINE', '10', '2014-01-02T14:00', r1, 'PT12H', '6-12h', { end: '2014-01-02T20:00', vol: 400 }),
  pc(A, 'XAN', 'URINE', '2', '2014-01-02T20:00', r1, 'PT24H', '12-24h', { end: '2014-01-03T08:00', vol: 500 }),
  // A, a metabolite in plasma.
  pc(A, 'XANM1', 'PLASMA', '2', '2014-01-02T09:00', r1, 'PT1H', '1h Post-dose'),
  // A, cycle 2 plasma (a sampled later dose: a steady-state profile exists, τ does not).
  pc(A, 'XAN', 'PLASMA', '11', '2014-01-30T09:00', r2, 'PT1H', '1h Post-dose'),
  pc(A, 'XAN', 'PLASMA', '13', '2014-01-30T12:00', r2, 'PT4H', '4h Post-dose'),
  pc(A, 'XAN', 'PLASMA', '7', '2014-01-30T16:00', r2, 'PT8H', '8h Post-dose'),
  // B: no PCRFTDTC, EXSTDTC without a time: 8, 12, 9, 4.5, 2.25 at nominal 1, 2, 4, 8, 12 h.
  pc(B, 'XAN', 'PLASMA', '8', '2014-02-03T09:00', null, 'PT1H', '1h Post-dose'),
  pc(B, 'XAN', 'PLASMA', '12', '2014-02-03T10:00', null, 'PT2H', '2h Post-dose'),
  pc(B, 'XAN', 'PLASMA', '9', '2014-02-03T12:00', null, 'PT4H', '4h Post-dose'),
  pc(B, 'XAN', 'PLASMA', '4.5', '2014-02-03T16:00', null, 'PT8H', '8h Post-dose'),
  pc(B, 'XAN', 'PLASMA', '2.25', '2014-02-03T20:00', null, 'PT12H', '12h Post-dose'),
  // B, urine without a volume: no amount can be derived.
  pc(B, 'XAN', 'URINE', '15', '2014-02-03T08:00', null, 'PT6H', '0-6h', { end: '2014-02-03T14:00' }),
];
const pcDomain = table('PC', PC_HEAD, pcRows);

const pp = table('PP', ['STUDYID', 'DOMAIN', 'USUBJID', 'PPSEQ', 'PPTESTCD', 'PPCAT', 'PPSPEC', 'PPSTRESN', 'PPSTRESU', 'PPRFTDTC'], [
  [S, 'PP', A, 1, 'CMAX', 'XAN', 'PLASMA', 16, 'ug/mL', r1],
  [S, 'PP', A, 2, 'AUCLST', 'XAN', 'PLASMA', 120.25, 'h*ug/mL', r1],
  [S, 'PP', A, 3, 'RCAMINT', 'XAN', 'URINE', 11, 'mg', r1],
  [S, 'PP', A, 4, 'CMAX', 'XANM1', 'PLASMA', 2, 'ug/mL', r1],
]);

export const POOLED_PK_DOMAINS = [dm, ex, pcDomain, pp];
