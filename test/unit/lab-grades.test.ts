import { describe, expect, it } from 'vitest';
import { ctcaeLabGrade, edishQuadrant, LAB_TERMS, parseToxgr, type LabValue } from '../../shared/labs';
import { baselineOf, edishPoint, isPostBaseline, shiftTable, subjectLabs, type LabRecord } from '../../shared/labs';

// Every expected grade below is read by hand off the CTCAE v5.0 tables (NCI, 27 Nov 2017), term by
// term, at each threshold and just beyond it: ">a - b" holds a < x ≤ b, "<a - b" holds b ≤ x < a.

const term = (name: string) => LAB_TERMS.find((t) => t.term === name)!;
const v = (value: number | null, unit: string | null, lln: number | null, uln: number | null, extra: Partial<LabValue> = {}): LabValue => ({ value, text: value === null ? null : String(value), unit, lln, uln, ...extra });
const grade = (name: string, value: LabValue, baseline: { value: number | null; unit: string | null; uln: number | null } | null = null) => ctcaeLabGrade(term(name), value, baseline).grade;

describe('CTCAE v5.0 Investigations: ALT / AST increased', () => {
  it('baseline normal: G1 >ULN-3.0×ULN, G2 >3.0-5.0, G3 >5.0-20.0, G4 >20.0 × ULN (ULN 40 U/L)', () => {
    const normal = { value: 20, unit: 'U/L', uln: 40 };
    for (const t of ['Alanine aminotransferase increased', 'Aspartate aminotransferase increased'])
      expect([40, 41, 120, 121, 200, 201, 800, 801].map((x) => grade(t, v(x, 'U/L', 7, 40), normal))).toEqual([0, 1, 1, 2, 2, 3, 3, 4]);
  });
  it('baseline abnormal (baseline 60 > ULN 40): G1 1.5-3.0 × baseline, G2 >3.0-5.0, G3 >5.0-20.0, G4 >20.0 × baseline', () => {
    const abn = { value: 60, unit: 'U/L', uln: 40 };
    // 1.5 × 60 = 90 (grade 1 from 90 inclusive); 3 × 60 = 180; 5 × 60 = 300; 20 × 60 = 1200.
    expect([89, 90, 180, 181, 300, 301, 1200, 1201].map((x) => grade('Alanine aminotransferase increased', v(x, 'U/L', 7, 40), abn))).toEqual([0, 1, 1, 2, 2, 3, 3, 4]);
    // The same 130 U/L: 3.25 × ULN (grade 2) with a normal baseline, 2.17 × baseline (grade 1) with an abnormal one.
    expect(grade('Alanine aminotransferase increased', v(130, 'U/L', 7, 40), { value: 30, unit: 'U/L', uln: 40 })).toBe(2);
    expect(grade('Alanine aminotransferase increased', v(130, 'U/L', 7, 40), abn)).toBe(1);
    // Baseline in µkat/L (1 µkat/L = 60 U/L): 1.0 µkat/L = 60 U/L, so 181 U/L is > 3.0 × baseline.
    expect(grade('Alanine aminotransferase increased', v(181, 'U/L', 7, 40), { value: 1.0, unit: 'ukat/L', uln: 0.6 })).toBe(2);
  });
  it('no ULN: not gradable, with the reason', () => {
    const g = ctcaeLabGrade(term('Alanine aminotransferase increased'), v(100, 'U/L', null, null));
    expect(g).toEqual({ grade: null, notGradable: 'upper limit of normal (LBSTNRHI) missing: needed to grade 100 U/L' });
  });
});

describe('CTCAE v5.0 Investigations: Blood bilirubin increased', () => {
  it('baseline normal: G1 >ULN-1.5×ULN, G2 >1.5-3.0, G3 >3.0-10.0, G4 >10.0 × ULN (ULN 21 µmol/L)', () => {
    // 1.5 × 21 = 31.5; 3 × 21 = 63; 10 × 21 = 210.
    expect([21, 21.1, 31.5, 31.6, 63, 63.1, 210, 210.1].map((x) => grade('Blood bilirubin increased', v(x, 'umol/L', 3, 21), { value: 10, unit: 'umol/L', uln: 21 }))).toEqual([0, 1, 1, 2, 2, 3, 3, 4]);
  });
  it('baseline abnormal (30 µmol/L > ULN 21): G1 >1.0-1.5, G2 >1.5-3.0, G3 >3.0-10.0, G4 >10.0 × baseline', () => {
    expect([30, 30.1, 45, 45.1, 90, 90.1, 300, 300.1].map((x) => grade('Blood bilirubin increased', v(x, 'umol/L', 3, 21), { value: 30, unit: 'umol/L', uln: 21 }))).toEqual([0, 1, 1, 2, 2, 3, 3, 4]);
    // Baseline 1.76 mg/dL (= 30.1 µmol/L at 17.1 µmol/L per mg/dL); 91 µmol/L = 3.02 × baseline: grade 3.
    expect(grade('Blood bilirubin increased', v(91, 'umol/L', 3, 21), { value: 1.76, unit: 'mg/dL', uln: 1.2 })).toBe(3);
  });
});

describe('CTCAE v5.0 Investigations: Creatinine increased', () => {
  it('G1 >ULN-1.5×ULN, G2 >1.5-3.0×ULN, G3 >3.0-6.0×ULN, G4 >6.0×ULN (ULN 100 µmol/L, baseline 60)', () => {
    // × baseline 60: 1.5× = 90, 3× = 180 — so the baseline criterion decides at 91 (grade 2) and 181 (grade 3).
    const b = { value: 60, unit: 'umol/L', uln: 100 };
    // × ULN alone (no baseline): 100 → 0, 101 → 1, 150 → 1, 151 → 2, 300 → 2, 301 → 3, 600 → 3, 601 → 4.
    expect([100, 101, 150, 151, 300, 301, 600, 601].map((x) => grade('Creatinine increased', v(x, 'umol/L', 50, 100)))).toEqual([0, 1, 1, 2, 2, 3, 3, 4]);
    // With baseline 60 the higher criterion wins: 100 is 1.67 × baseline (grade 2), 601 still 6.01 × ULN (grade 4).
    expect([100, 601].map((x) => grade('Creatinine increased', v(x, 'umol/L', 50, 100), b))).toEqual([2, 4]);
    expect(grade('Creatinine increased', v(90, 'umol/L', 50, 100), b)).toBe(0);
    expect(grade('Creatinine increased', v(91, 'umol/L', 50, 100), b)).toBe(2);
    expect(grade('Creatinine increased', v(181, 'umol/L', 50, 100), b)).toBe(3);
  });
  it('baseline in mg/dL, result in µmol/L: 88.42 µmol/L per mg/dL', () => {
    // Baseline 0.7 mg/dL = 61.9 µmol/L; 93 µmol/L is 1.503 × baseline: grade 2 though < ULN.
    expect(grade('Creatinine increased', v(93, 'umol/L', 50, 100), { value: 0.7, unit: 'mg/dL', uln: 1.1 })).toBe(2);
  });
});

describe('CTCAE v5.0 Investigations: Neutrophil and Platelet count decreased', () => {
  it('neutrophils (10^9/L): G1 <LLN-1.5, G2 <1.5-1.0, G3 <1.0-0.5, G4 <0.5 (LLN 2.0)', () => {
    expect([2.0, 1.99, 1.5, 1.49, 1.0, 0.99, 0.5, 0.49].map((x) => grade('Neutrophil count decreased', v(x, '10^9/L', 2.0, 7.5)))).toEqual([0, 1, 1, 2, 2, 3, 3, 4]);
  });
  it('neutrophils in /µL (cells/mm³ = 10^-3 × 10^9/L): 999 /µL is grade 3', () => {
    expect(grade('Neutrophil count decreased', v(999, 'cells/uL', 2000, 7500))).toBe(3);
    expect(grade('Neutrophil count decreased', v(1.2, 'GI/L', 2.0, 7.5))).toBe(2);
  });
  it('platelets (10^9/L): G1 <LLN-75, G2 <75-50, G3 <50-25, G4 <25 (LLN 150)', () => {
    expect([150, 149, 75, 74, 50, 49, 25, 24].map((x) => grade('Platelet count decreased', v(x, '10^9/L', 150, 400)))).toEqual([0, 1, 1, 2, 2, 3, 3, 4]);
  });
  it('LLN needed only above the absolute thresholds', () => {
    expect(grade('Platelet count decreased', v(40, '10^9/L', null, null))).toBe(3);
    expect(ctcaeLabGrade(term('Platelet count decreased'), v(120, '10^9/L', null, null))).toEqual({ grade: null, notGradable: 'lower limit of normal (LBSTNRLO) missing: needed to grade 120 10^9/L' });
  });
  it('a count unit that cannot be converted is not gradable', () => {
    expect(ctcaeLabGrade(term('Neutrophil count decreased'), v(40, '%', 40, 75))).toEqual({ grade: null, notGradable: 'unit "%" cannot be converted to 10^9/L' });
  });
});

describe('CTCAE v5.0 Blood and lymphatic system disorders: Anemia', () => {
  it('g/L: G1 <LLN-100, G2 <100-80, G3 <80 (LLN 120)', () => {
    expect([120, 119, 100, 99, 80, 79].map((x) => grade('Anemia', v(x, 'g/L', 120, 160)))).toEqual([0, 1, 1, 2, 2, 3]);
  });
  it('g/dL: G1 <LLN-10.0, G2 <10.0-8.0, G3 <8.0; mmol/L: G1 <LLN-6.2, G2 <6.2-4.9, G3 <4.9', () => {
    expect([12, 11.9, 10, 9.9, 8, 7.9].map((x) => grade('Anemia', v(x, 'g/dL', 12, 16)))).toEqual([0, 1, 1, 2, 2, 3]);
    expect([7.4, 7.3, 6.2, 6.1, 4.9, 4.8].map((x) => grade('Anemia', v(x, 'mmol/L', 7.4, 9.9)))).toEqual([0, 1, 1, 2, 2, 3]);
  });
  it('an unknown unit is not gradable', () => {
    expect(ctcaeLabGrade(term('Anemia'), v(7, 'mg/mL', 12, 16)).grade).toBeNull();
  });
});

describe('CTCAE v5.0 Metabolism and nutrition disorders: potassium and sodium', () => {
  it('Hyperkalemia: G1 >ULN-5.5, G2 >5.5-6.0, G3 >6.0-7.0, G4 >7.0 mmol/L (ULN 5.1)', () => {
    expect([5.1, 5.2, 5.5, 5.6, 6.0, 6.1, 7.0, 7.1].map((x) => grade('Hyperkalemia', v(x, 'mmol/L', 3.5, 5.1)))).toEqual([0, 1, 1, 2, 2, 3, 3, 4]);
  });
  it('Hypokalemia: G1 <LLN-3.0 (grade 2 needs symptoms), G3 <3.0-2.5, G4 <2.5 mmol/L (LLN 3.5); mEq/L = mmol/L', () => {
    expect([3.5, 3.4, 3.0, 2.9, 2.5, 2.4].map((x) => grade('Hypokalemia', v(x, 'mEq/L', 3.5, 5.1)))).toEqual([0, 1, 1, 3, 3, 4]);
    const g = ctcaeLabGrade(term('Hypokalemia'), v(3.2, 'mmol/L', 3.5, 5.1));
    expect(g.grade === 1 && g.note).toMatch(/grade 2 if symptomatic/);
  });
  it('Hypernatremia: G1 >ULN-150, G2 >150-155, G3 >155-160, G4 >160 mmol/L (ULN 145)', () => {
    expect([145, 146, 150, 151, 155, 156, 160, 161].map((x) => grade('Hypernatremia', v(x, 'mmol/L', 135, 145)))).toEqual([0, 1, 1, 2, 2, 3, 3, 4]);
  });
  it('Hyponatremia: G1 <LLN-130, G2 125-129, G3 120-124, G4 <120 mmol/L (LLN 135)', () => {
    expect([135, 134, 130, 129, 125, 124, 120, 119].map((x) => grade('Hyponatremia', v(x, 'mmol/L', 135, 145)))).toEqual([0, 1, 1, 2, 2, 3, 3, 4]);
  });
  it('a high potassium is grade 0 for hypokalemia; mg/dL is not gradable', () => {
    expect(grade('Hypokalemia', v(6.5, 'mmol/L', 3.5, 5.1))).toBe(0);
    expect(grade('Hyperkalemia', v(6.5, 'mmol/L', 3.5, 5.1))).toBe(3);
    expect(ctcaeLabGrade(term('Hyperkalemia'), v(20, 'mg/dL', 14, 20)).grade).toBeNull();
  });
});

describe('LBTOXGR and results that cannot be graded', () => {
  it('LBTOXGR wins over the value; for K/Na its direction comes from the range or LBNRIND', () => {
    expect(ctcaeLabGrade(term('Alanine aminotransferase increased'), v(41, 'U/L', 7, 40, { toxgr: '3' }))).toMatchObject({ grade: 3, source: 'LBTOXGR' });
    expect(grade('Hyperkalemia', v(6.5, 'mmol/L', 3.5, 5.1, { toxgr: '3' }))).toBe(3);
    expect(grade('Hypokalemia', v(6.5, 'mmol/L', 3.5, 5.1, { toxgr: '3' }))).toBe(0);
    expect(grade('Hyponatremia', v(118, 'mmol/L', null, null, { toxgr: '4', nrind: 'LOW' }))).toBe(4);
    expect(ctcaeLabGrade(term('Hyponatremia'), v(118, 'mmol/L', null, null, { toxgr: '4' })).grade).toBeNull();
    expect([parseToxgr('Grade 2'), parseToxgr('-3'), parseToxgr('2.0'), parseToxgr('high'), parseToxgr('')]).toEqual([2, 3, 2, null, null]);
  });
  it('a non-numeric result and a missing result are not gradable', () => {
    expect(ctcaeLabGrade(term('Blood bilirubin increased'), { value: null, text: '<3', unit: 'umol/L', lln: 3, uln: 21 })).toEqual({ grade: null, notGradable: 'result "<3" is not numeric (LBSTRESN empty)' });
    expect(ctcaeLabGrade(term('Blood bilirubin increased'), { value: null, text: null, unit: 'umol/L', lln: 3, uln: 21 }).grade).toBeNull();
  });
});

describe('eDISH (FDA DILI guidance 2009): quadrants at 3 × ULN (ALT or AST) and 2 × ULN (total bilirubin)', () => {
  it('thresholds are strict', () => {
    expect(edishQuadrant(3, 2)).toBe('Normal range');
    expect(edishQuadrant(3.01, 2)).toBe("Temple's corollary");
    expect(edishQuadrant(3, 2.01)).toBe('Hyperbilirubinaemia');
    expect(edishQuadrant(3.01, 2.01)).toBe("Potential Hy's law");
  });
  const rec = (testcd: string, dtc: string, value: number | null, uln: number, rowNo: number): LabRecord => ({ usubjid: 'S', testcd, dtc, value, text: value === null ? null : String(value), unit: 'U/L', lln: 0, uln, toxgr: null, nrind: null, baselineFlag: false, rowNo });
  it('peaks of post-baseline ALT/AST and bilirubin over their ULN, on different days', () => {
    const p = edishPoint('S', [
      rec('ALT', '2025-01-06', 500, 40, 1), // day 1, pre-dose: not post-baseline
      rec('ALT', '2025-01-13', 160, 40, 2), // 4.0 × ULN
      rec('AST', '2025-01-20', 180, 40, 3), // 4.5 × ULN
      rec('BILI', '2025-01-27', 50, 20, 4), // 2.5 × ULN
      rec('BILI', '2025-01-28', null, 20, 5), // no value: skipped
    ], '2025-01-06');
    expect(p).toMatchObject({ altXUln: 4, astXUln: 4.5, aminoXUln: 4.5, biliXUln: 2.5, quadrant: "Potential Hy's law", skipped: 1 });
  });
});

describe('baseline, post-baseline, worst grade and shift', () => {
  const r = (usubjid: string, testcd: string, dtc: string, value: number, extra: Partial<LabRecord> = {}): LabRecord => ({ usubjid, testcd, dtc, value, text: String(value), unit: '10^9/L', lln: 150, uln: 400, toxgr: null, nrind: null, baselineFlag: false, rowNo: 0, ...extra });
  it('the first-dose day without times is pre-dose; with times, instants are compared', () => {
    expect(isPostBaseline('2025-01-06', '2025-01-06')).toBe(false);
    expect(isPostBaseline('2025-01-06T10:00', '2025-01-06T09:00')).toBe(true);
    expect(isPostBaseline('2025-01', '2025-01-06')).toBeNull();
  });
  it('LBBLFL wins; otherwise the last result on or before first dose', () => {
    const a = r('S', 'PLAT', '2024-12-30', 200, { rowNo: 1, baselineFlag: true });
    const b = r('S', 'PLAT', '2025-01-06', 180, { rowNo: 2 });
    expect(baselineOf([a, b], '2025-01-06')).toBe(a);
    expect(baselineOf([{ ...a, baselineFlag: false }, b], '2025-01-06')).toBe(b);
  });
  it('worst post-baseline grade and the shift cells', () => {
    const s1 = subjectLabs('S1', [r('S1', 'PLAT', '2025-01-06', 160, { rowNo: 1 }), r('S1', 'PLAT', '2025-01-13', 70, { rowNo: 2 }), r('S1', 'PLAT', '2025-01-20', 40, { rowNo: 3 })], '2025-01-06');
    const s2 = subjectLabs('S2', [r('S2', 'PLAT', '2025-01-06', 140, { rowNo: 1 }), r('S2', 'PLAT', '2025-01-13', 145, { rowNo: 2 })], '2025-01-06');
    const s3 = subjectLabs('S3', [r('S3', 'PLAT', '2025-01-13', 100, { rowNo: 1, unit: 'mmol/L' })], '2025-01-06');
    expect(s1.terms[0]).toMatchObject({ baselineGrade: 0, worstGrade: 3 });
    const shift = shiftTable([s1, s2, s3], new Map([['S1', 'L1'], ['S2', 'L1'], ['S3', 'L2']]), ['L1', 'L2']);
    expect(shift.map((b) => [b.group, b.subjects, b.notGradable, b.cells.map((c) => `${c.baseline}>${c.worst}:${c.subjects}`)])).toEqual([
      ['L1', 2, 0, ['0>3:1', '1>1:1']],
      ['L2', 1, 1, ['missing>missing:1']],
    ]);
  });
});
