import { describe, expect, it } from 'vitest';
import {
  bestOverallResponse, durationOfResponse, durationOfResponseFromAssessments, objectiveResponseSummary,
  percentChange, percentChangeSeries, sumOfDiameters, targetLesionResponse, timePointResponse,
  type AssessmentResponse, type BestResponse,
} from '../../shared/recist';
import { clopperPearson } from '../../shared/binomial';
import { referencePath, referenceText } from '../helpers/reference';

const REF_CASES = referencePath('recist/recist_bor_cases_admiralonco.csv', 'recist.test.ts (BOR vs admiralonco)');

// ---------------------------------------------------------------------------------------------
// Confirmed BOR: the 27 admiralonco cases (reference/recist/recist_bor_cases_admiralonco.csv,
// transcribed from admiralonco tests/testthat/test-derive_param_confirmed_bor.R; rules §5)
// ---------------------------------------------------------------------------------------------

interface BorCase {
  case: string; subject: string; reference_date: string; assessments: string; pd_date_subject9_only: string;
  ref_start_window_days: string; ref_confirm_days: string; max_nr_ne: string; accept_sd: string;
  missing_as_ne: string; expected_cbor: string; expected_cbor_date: string;
}
function readCases(): BorCase[] {
  if (!REF_CASES) return [];
  const lines = referenceText(REF_CASES).trim().split(/\r?\n/);
  const header = lines[0]!.split(',');
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    expect(cells.length).toBe(header.length);
    return Object.fromEntries(header.map((h, i) => [h, cells[i]!])) as unknown as BorCase;
  });
}
function parseAssessments(s: string): Array<{ date: string; response: AssessmentResponse }> {
  if (s === '') return [];
  return s.split(';').map((item) => {
    const k = item.indexOf(':');
    return { date: item.slice(0, k), response: item.slice(k + 1) as AssessmentResponse };
  });
}
const bool = (s: string) => {
  expect(['TRUE', 'FALSE']).toContain(s);
  return s === 'TRUE';
};

describe.skipIf(!REF_CASES)('confirmed best overall response vs admiralonco (recist_bor_cases_admiralonco.csv)', () => {
  const cases = readCases();
  it('has all 27 cases', () => expect(cases.length).toBe(27));
  it.each(cases)('$case subject $subject → $expected_cbor $expected_cbor_date', (c) => {
    const result = bestOverallResponse(parseAssessments(c.assessments), {
      firstDoseDate: c.reference_date,
      confirm: true,
      minSdDays: Number(c.ref_start_window_days),
      confirmationDays: Number(c.ref_confirm_days),
      maxNrNe: Number(c.max_nr_ne),
      acceptSd: bool(c.accept_sd),
      missingAsNe: bool(c.missing_as_ne),
      // admiralonco source_pd: the PD date where the case gives one, nothing else truncated.
      firstPdDate: c.pd_date_subject9_only === '' ? null : c.pd_date_subject9_only,
      stopAtFirstPd: false,
    });
    expect(result.response).toBe(c.expected_cbor);
    expect(result.date).toBe(c.expected_cbor_date === '' ? null : c.expected_cbor_date);
  });
});

describe('best overall response: other rules (recist_rules.md §3–§5)', () => {
  const base = { firstDoseDate: '2020-02-01', minSdDays: 28 };
  const pdThenSd = [
    { date: '2020-02-16', response: 'PD' as const },
    { date: '2020-03-06', response: 'SD' as const },
  ];
  it('by default assessments after the first PD are ignored (BOR "until progression", §4)', () => {
    expect(bestOverallResponse(pdThenSd, { ...base, confirm: true })).toEqual({ response: 'PD', date: '2020-02-16' });
    expect(bestOverallResponse(pdThenSd, { ...base, confirm: true, stopAtFirstPd: false }).response).toBe('SD');
  });
  it('without confirmation an unconfirmed PR counts (admiralonco derive_param_bor)', () => {
    const a = [
      { date: '2020-02-20', response: 'PR' as const },
      { date: '2020-03-10', response: 'SD' as const },
    ];
    expect(bestOverallResponse(a, { ...base, confirm: false })).toEqual({ response: 'PR', date: '2020-02-20' });
    // with confirmation the PR is not confirmed; the SD at day 38 (>= 28) gives SD
    expect(bestOverallResponse(a, { ...base, confirm: true })).toEqual({ response: 'SD', date: '2020-03-10' });
  });
  it('SD before the minimum duration is NE (§3), without confirmation too', () => {
    const a = [{ date: '2020-02-15', response: 'SD' as const }];
    expect(bestOverallResponse(a, { ...base, confirm: false }).response).toBe('NE');
    expect(bestOverallResponse(a, { ...base, confirm: false, minSdDays: 14 }).response).toBe('SD');
  });
  it('the SD window boundary is inclusive: day reference + minSdDays counts (ADT >= ref + window)', () => {
    const onBoundary = [{ date: '2020-02-29', response: 'SD' as const }]; // 2020-02-01 + 28 days
    const dayBefore = [{ date: '2020-02-28', response: 'SD' as const }];
    expect(bestOverallResponse(onBoundary, { ...base, confirm: true }).response).toBe('SD');
    expect(bestOverallResponse(dayBefore, { ...base, confirm: true }).response).toBe('NE');
  });
  it('confirmation interval is inclusive at exactly 28 days (admiralonco ADT.join >= ADT + ref_confirm)', () => {
    const cr = (d2: string) => [
      { date: '2020-03-01', response: 'CR' as const },
      { date: d2, response: 'CR' as const },
    ];
    expect(bestOverallResponse(cr('2020-03-29'), { ...base, confirm: true }).response).toBe('CR');
    expect(bestOverallResponse(cr('2020-03-28'), { ...base, confirm: true }).response).toBe('SD');
  });
  it('accepts day numbers and rejects partial dates', () => {
    const a = [{ date: 30, response: 'PR' as const }, { date: 60, response: 'PR' as const }];
    expect(bestOverallResponse(a, { firstDoseDate: 1, minSdDays: 42, confirm: true })).toEqual({ response: 'PR', date: 30 });
    expect(() => bestOverallResponse([{ date: '2020-03', response: 'PR' }], { ...base, confirm: true })).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------------------------
// Sums, % change, target response, time-point response (recist_rules.md §1, RECIST 1.1 Table 1)
// ---------------------------------------------------------------------------------------------

describe('sum of diameters and % change (recist_rules.md §1)', () => {
  it('longest diameter for non-nodal lesions, short axis for lymph nodes', () => {
    expect(sumOfDiameters([
      { nodal: false, longestDiameter: 32, shortAxis: 20 },
      { nodal: true, longestDiameter: 25, shortAxis: 17 },
      { nodal: false, longestDiameter: 11 },
    ])).toBe(32 + 17 + 11);
  });
  it('a lesion not measured makes the sum unavailable', () => {
    expect(sumOfDiameters([{ nodal: false, longestDiameter: 10 }, { nodal: true, longestDiameter: 20 }])).toBeNull();
    expect(sumOfDiameters([])).toBeNull();
  });
  it('% change from baseline and from the nadir (smallest previous sum incl. baseline)', () => {
    expect(percentChange(70, 100)).toBe(-30);
    const s = percentChangeSeries([100, 80, 60, null, 75]);
    expect(s.map((p) => p.nadir)).toEqual([100, 100, 80, 60, 60]);
    expect(s.map((p) => p.pctFromBaseline)).toEqual([0, -20, -40, null, -25]);
    expect(s[4]!.pctFromNadir).toBe(25);
    expect(s[0]!.pctFromNadir).toBe(0);
  });
});

describe('target-lesion response (recist_rules.md §1 target categories)', () => {
  it('PR at exactly −30 % from baseline; SD at −29 %', () => {
    expect(targetLesionResponse({ baselineSum: 100, nadirSum: 100, currentSum: 70 })).toBe('PR');
    expect(targetLesionResponse({ baselineSum: 100, nadirSum: 100, currentSum: 71 })).toBe('SD');
  });
  it('PD needs +20 % from the nadir AND +5 mm absolute', () => {
    expect(targetLesionResponse({ baselineSum: 100, nadirSum: 50, currentSum: 60 })).toBe('PD'); // +20 %, +10 mm
    expect(targetLesionResponse({ baselineSum: 100, nadirSum: 50, currentSum: 59 })).toBe('PR'); // +18 % (−41 % vs baseline)
    expect(targetLesionResponse({ baselineSum: 20, nadirSum: 20, currentSum: 24 })).toBe('SD'); // +20 % but only +4 mm
    expect(targetLesionResponse({ baselineSum: 20, nadirSum: 20, currentSum: 25 })).toBe('PD');
  });
  it('PD is judged from the nadir, not the baseline', () => {
    // 40 % below baseline yet +25 % and +12 mm from a nadir of 48 → PD
    expect(targetLesionResponse({ baselineSum: 100, nadirSum: 48, currentSum: 60 })).toBe('PD');
  });
  it('CR: non-nodal lesions gone and nodes < 10 mm short axis', () => {
    const lesions = [{ nodal: false, longestDiameter: 0 }, { nodal: true, shortAxis: 8 }];
    expect(targetLesionResponse({ baselineSum: 50, nadirSum: 30, currentSum: 8, lesions })).toBe('CR');
    const node10 = [{ nodal: false, longestDiameter: 0 }, { nodal: true, shortAxis: 10 }];
    expect(targetLesionResponse({ baselineSum: 50, nadirSum: 30, currentSum: 10, lesions: node10 })).toBe('PR');
    expect(targetLesionResponse({ baselineSum: 50, nadirSum: 30, currentSum: 0 })).toBe('CR');
  });
  it('NE when not all lesions are measured, unless the measured ones already show PD', () => {
    const partial = [{ nodal: false, longestDiameter: 20 }, { nodal: false, longestDiameter: null }];
    expect(targetLesionResponse({ baselineSum: 40, nadirSum: 40, currentSum: null, lesions: partial })).toBe('NE');
    const pd = [{ nodal: false, longestDiameter: 60 }, { nodal: false, longestDiameter: null }];
    expect(targetLesionResponse({ baselineSum: 40, nadirSum: 40, currentSum: null, lesions: pd })).toBe('PD');
    expect(targetLesionResponse({ baselineSum: 40, nadirSum: 40, currentSum: null })).toBe('NE');
  });
});

describe('time-point response: every row of RECIST 1.1 Table 1 (recist_rules.md §1)', () => {
  const rows: Array<[Parameters<typeof timePointResponse>[0], string]> = [
    [{ target: 'CR', nonTarget: 'CR', newLesions: false }, 'CR'],
    [{ target: 'CR', nonTarget: 'NON-CR/NON-PD', newLesions: false }, 'PR'],
    [{ target: 'CR', nonTarget: 'NE', newLesions: false }, 'PR'],
    [{ target: 'PR', nonTarget: 'NON-CR/NON-PD', newLesions: false }, 'PR'],
    [{ target: 'PR', nonTarget: 'NE', newLesions: false }, 'PR'],
    [{ target: 'SD', nonTarget: 'NON-CR/NON-PD', newLesions: false }, 'SD'],
    [{ target: 'SD', nonTarget: 'NE', newLesions: false }, 'SD'],
    [{ target: 'NE', nonTarget: 'NON-CR/NON-PD', newLesions: false }, 'NE'],
    [{ target: 'PD', nonTarget: 'CR', newLesions: false }, 'PD'],
    [{ target: 'PR', nonTarget: 'PD', newLesions: false }, 'PD'],
    [{ target: 'CR', nonTarget: 'CR', newLesions: true }, 'PD'],
    // no non-target disease at baseline; non-target disease only (CR / Non-CR/non-PD / NE / PD)
    [{ target: 'CR', nonTarget: null, newLesions: false }, 'CR'],
    [{ target: null, nonTarget: 'CR', newLesions: false }, 'CR'],
    [{ target: null, nonTarget: 'NON-CR/NON-PD', newLesions: false }, 'NON-CR/NON-PD'],
    [{ target: null, nonTarget: 'NE', newLesions: false }, 'NE'],
    [{ target: null, nonTarget: 'PD', newLesions: false }, 'PD'],
    // new lesions not assessed: no response can be assigned unless PD
    [{ target: 'PR', nonTarget: 'CR', newLesions: null }, 'NE'],
  ];
  it.each(rows)('%j → %s', (input, expected) => expect(timePointResponse(input)).toBe(expected));
});

// ---------------------------------------------------------------------------------------------
// ORR / DCR (docs/CLINICAL_RULES.md#recist; Clopper–Pearson checked against reference/binomial in binomial.test.ts)
// ---------------------------------------------------------------------------------------------

describe('objective response summary', () => {
  it('ORR = CR+PR, DCR = CR+PR+SD over all subjects, with exact CIs', () => {
    const bors: BestResponse[] = ['CR', 'PR', 'PR', 'SD', 'SD', 'PD', 'NE', 'MISSING', 'PD', 'SD', 'PR', 'PD'];
    const s = objectiveResponseSummary(bors);
    expect(s.n).toBe(12);
    expect(s.orr.count).toBe(4);
    expect(s.dcr.count).toBe(7);
    // The CIs are the Clopper–Pearson limits of the counts (validated in binomial.test.ts).
    expect(s.orr.lower).toBe(clopperPearson(4, 12).lower);
    expect(s.dcr.upper).toBe(clopperPearson(7, 12).upper);
  });
  it('5 responders of 12 give R binom.test(5, 12) limits (binom_expected.csv row x=5, n=12)', () => {
    const s = objectiveResponseSummary(['CR', 'PR', 'PR', 'PR', 'PR', 'SD', 'SD', 'PD', 'PD', 'PD', 'NE', 'PD']);
    expect(s.orr.lower).toBeCloseTo(0.15165222980843, 12);
    expect(s.orr.upper).toBeCloseTo(0.723330314317894, 12);
  });
  it('rejects unknown categories', () => {
    expect(() => objectiveResponseSummary(['XX' as BestResponse])).toThrow(RangeError);
  });
});

describe('duration of response', () => {
  it('event at PD or death, whichever first; days = end − start + 1', () => {
    expect(durationOfResponse({ responseDate: '2020-03-01', progressionDate: '2020-05-01', deathDate: '2020-04-01', lastAssessmentDate: '2020-03-15' }))
      .toEqual({ start: '2020-03-01', end: '2020-04-01', event: true, days: 32 });
  });
  it('censored at the last adequate assessment', () => {
    expect(durationOfResponse({ responseDate: '2020-03-01', lastAssessmentDate: '2020-06-01' }))
      .toEqual({ start: '2020-03-01', end: '2020-06-01', event: false, days: 93 });
    expect(durationOfResponse({ responseDate: null, lastAssessmentDate: '2020-06-01' })).toBeNull();
  });
  it('from assessments: first CR/PR to the first later PD; NE visits do not extend censoring', () => {
    const a = [
      { date: '2020-01-15', response: 'SD' as const },
      { date: '2020-02-15', response: 'PR' as const },
      { date: '2020-03-15', response: 'PR' as const },
      { date: '2020-04-15', response: 'NE' as const },
    ];
    expect(durationOfResponseFromAssessments(a)).toEqual({ start: '2020-02-15', end: '2020-03-15', event: false, days: 30 });
    const withPd = [...a, { date: '2020-05-15', response: 'PD' as const }];
    expect(durationOfResponseFromAssessments(withPd)).toMatchObject({ end: '2020-05-15', event: true, days: 91 });
    expect(durationOfResponseFromAssessments([{ date: '2020-01-15', response: 'SD' }])).toBeNull();
  });
});
