import { describe, expect, it } from 'vitest';
import { CENSORING_RULES, DAYS_PER_MONTH, deriveOs, derivePfs, type EndpointInput } from '../../shared/efficacy/endpoints';
import { kmByGroup } from '../../shared/efficacy/km';
import { acceptedEvaluator, isRecistTimePoint, normalizeResponse, type RsRecord, type TrRecord, type TuRecord } from '../../shared/efficacy/records';
import { deriveSubjectTumour, lesionsOf, nonTargetResponse } from '../../shared/efficacy/tumour';

// Hand-worked cases. Rules: RECIST 1.1 (Eisenhauer 2009) as summarised in
// ../shared/reference/recist/recist_rules.md §1 (target categories, nodes by short axis), §2
// (28-day confirmation), §3 (minimum SD duration); the evaluator and PFS/OS rules are DoseDesk's,
// written in shared/efficacy/records.ts (acceptedEvaluator) and shared/efficacy/endpoints.ts
// (CENSORING_RULES).

const RECIST = { confirmationDays: 28, minSdDays: 42 };

const tu = (linkId: string, result: string, loc: string, dtc = '2025-01-05', locDetail: string | null = null): TuRecord => ({ linkId, result, loc, locDetail, evaluator: 'INVESTIGATOR', dtc });
const tr = (dtc: string, linkId: string | null, testcd: string, value: number | null, o: Partial<TrRecord> = {}): TrRecord => ({
  linkId, testcd, value, text: value === null ? null : String(value), evaluator: 'INVESTIGATOR', evaluatorId: null, accepted: null, dtc, ...o,
});
const state = (dtc: string, linkId: string, text: string, o: Partial<TrRecord> = {}): TrRecord => ({ ...tr(dtc, linkId, 'TUMSTATE', null, o), text });
const rs = (dtc: string, response: string, o: Partial<RsRecord> = {}): RsRecord => ({
  testcd: 'OVRLRESP', response, evaluator: 'INVESTIGATOR', evaluatorId: null, accepted: null, dtc, ...o,
});

describe('sum of diameters derived from lesions (no SUMDIAM), nodes by short axis', () => {
  // Target lesions: T01 liver (longest diameter), T02 lymph node by TULOC (has LDIAM and SAXIS: the
  // short axis counts), T03 a mediastinal node by TULOCDTL measured by LPERP (nodal by its location, so
  // LPERP is its short axis; before issue 10 it was called nodal because of the LPERP test code itself,
  // which made every lesion with an LPERP record a node).
  const lesionsTu = [tu('T01', 'TARGET', 'LIVER'), tu('T02', 'TARGET', 'LYMPH NODE'), tu('T03', 'TARGET', 'MEDIASTINUM', '2025-01-05', 'SUBCARINAL LYMPH NODE'), tu('NT01', 'NON-TARGET', 'BONE')];
  const visit = (dtc: string, t1: number, t2ld: number, t2sa: number, t3: number, nt = 'PRESENT'): TrRecord[] => [
    tr(dtc, 'T01', 'LDIAM', t1), tr(dtc, 'T02', 'LDIAM', t2ld), tr(dtc, 'T02', 'SAXIS', t2sa), tr(dtc, 'T03', 'LPERP', t3), state(dtc, 'NT01', nt),
  ];
  const records = [
    ...visit('2025-01-05', 40, 25, 15, 20), // baseline: 40 + 15 + 20 = 75 (not 40 + 25 + 20)
    ...visit('2025-02-21', 28, 20, 9, 12), //  49: −34.7 % ≤ −30 % → PR (with LDIAM of the node: 60, −20 %, SD)
    ...visit('2025-04-04', 24, 18, 8, 10), //  42: −44 % → PR; confirms 02-21 (42 days ≥ 28)
    ...visit('2025-05-16', 30, 19, 9, 12), //  51: +21.4 % and +9 mm from the nadir 42 → PD
  ];
  const r = deriveSubjectTumour({ firstDoseDtc: '2025-01-10', tu: lesionsTu, tr: records, rs: [] }, RECIST);

  it('classifies lesions: nodal by TULOC / TULOCDTL, or by a SAXIS record; never by LPERP', () => {
    const l = lesionsOf(lesionsTu, records);
    expect(l.get('T01')).toEqual({ role: 'TARGET', nodal: false, nodalByLocation: false });
    expect(l.get('T02')).toEqual({ role: 'TARGET', nodal: true, nodalByLocation: true });
    expect(l.get('T03')).toEqual({ role: 'TARGET', nodal: true, nodalByLocation: true });
    expect(l.get('NT01')).toEqual({ role: 'NON-TARGET', nodal: false, nodalByLocation: false });
    // The same mediastinal lesion without a nodal location: LPERP does not make it a node.
    const plain = lesionsOf([tu('T03', 'TARGET', 'MEDIASTINUM')], [tr('2025-01-05', 'T03', 'LPERP', 20)]);
    expect(plain.get('T03')).toEqual({ role: 'TARGET', nodal: false, nodalByLocation: false });
    // A SAXIS record does (SDTM CT: SAXIS = short axis, recorded for nodes).
    const sa = lesionsOf([tu('T04', 'TARGET', 'MEDIASTINUM')], [tr('2025-01-05', 'T04', 'SAXIS', 20)]);
    expect(sa.get('T04')).toEqual({ role: 'TARGET', nodal: true, nodalByLocation: false });
  });

  it('sums longest diameters and nodal short axes, with % change from baseline and nadir', () => {
    expect(r.baselineDtc).toBe('2025-01-05');
    expect(r.points.map((p) => p.sum)).toEqual([75, 49, 42, 51]);
    expect(r.points.every((p) => p.sumSource === 'derived')).toBe(true);
    expect(r.points[1]!.pctFromBaseline).toBeCloseTo((100 * (49 - 75)) / 75, 12);
    expect(r.points[3]!.nadir).toBe(42);
    expect(r.points[3]!.pctFromNadir).toBeCloseTo((100 * (51 - 42)) / 42, 12);
    expect(r.bestPctChange).toBeCloseTo(-44, 12);
    // Study day: day 1 = first dose 2025-01-10, no day 0 (SDTMIG --DY).
    expect(r.points.map((p) => p.studyDay)).toEqual([-5, 43, 85, 127]);
  });

  it('computes time-point responses by RECIST 1.1 Table 1 where RS gives none', () => {
    expect(r.points.map((p) => [p.response, p.responseSource])).toEqual([
      [null, null], ['PR', 'computed'], ['PR', 'computed'], ['PD', 'computed'],
    ]);
  });

  it('gives the confirmed BOR, first response and duration of response', () => {
    expect(r.confirmed.response).toBe('PR');
    expect(r.confirmed.firstResponseDtc).toBe('2025-02-21');
    // 2025-02-21 → PD 2025-05-16: 84 days elapsed, + 1 (ADaM AVAL = ADT − STARTDT + 1).
    expect(r.confirmed.dor).toEqual({ days: 85, event: true, endDtc: '2025-05-16' });
    expect(r.unconfirmed.response).toBe('PR');
  });

  it('makes the time point NE when a target lesion was not measured', () => {
    const missing = records.filter((x) => !(x.dtc === '2025-02-21' && x.linkId === 'T03'));
    const m = deriveSubjectTumour({ firstDoseDtc: '2025-01-10', tu: lesionsTu, tr: missing, rs: [] }, RECIST);
    expect(m.points[1]!.sum).toBeNull();
    expect(m.points[1]!.response).toBe('NE');
  });

  it('flags a new lesion at the assessment that found it (TU NEW) and makes it PD', () => {
    const withNew = deriveSubjectTumour(
      { firstDoseDtc: '2025-01-10', tu: [...lesionsTu, tu('NEW01', 'NEW', 'LUNG', '2025-04-04')], tr: records, rs: [] },
      RECIST,
    );
    expect(withNew.points.map((p) => p.newLesion)).toEqual([false, false, true, false]);
    expect(withNew.points[2]!.response).toBe('PD'); // "Any | Any | Yes → PD" (Table 1)
    // The PR of 02-21 is no longer confirmed (the next assessment is PD): BOR SD (day 43 ≥ 42).
    expect(withNew.confirmed.response).toBe('SD');
  });
});

describe('several evaluators per scan: the accepted one is used', () => {
  const records: TrRecord[] = [
    tr('2025-02-25', null, 'SUMDIAM', 100),
    tr('2025-04-12', null, 'SUMDIAM', 65, { accepted: 'N' }),
    tr('2025-04-12', null, 'SUMDIAM', 80, { evaluator: 'INDEPENDENT ASSESSOR', accepted: 'Y' }),
    // No accepted flag at this scan: the INVESTIGATOR's reading is used (documented rule 3).
    tr('2025-05-24', null, 'SUMDIAM', 60),
    tr('2025-05-24', null, 'SUMDIAM', 75, { evaluator: 'INDEPENDENT ASSESSOR' }),
  ];
  const responses: RsRecord[] = [
    rs('2025-04-12', 'PR', { accepted: 'N' }),
    rs('2025-04-12', 'SD', { evaluator: 'INDEPENDENT ASSESSOR', accepted: 'Y' }),
  ];
  const r = deriveSubjectTumour({ firstDoseDtc: '2025-03-01', tu: [], tr: records, rs: responses }, RECIST);

  it('takes the sum and the response of the accepted evaluator', () => {
    expect(r.points.map((p) => [p.evaluator, p.sum, p.sumSource])).toEqual([
      ['INVESTIGATOR', 100, 'SUMDIAM'],
      ['INDEPENDENT ASSESSOR', 80, 'SUMDIAM'],
      ['INVESTIGATOR', 60, 'SUMDIAM'],
    ]);
    expect(r.points[1]!.response).toBe('SD');
    expect(r.points[1]!.responseSource).toBe('RS');
    // 60 vs baseline 100: −40 % → PR, computed from the sums (no lesion detail); nadir 80 → −25 %.
    expect(r.points[2]!.response).toBe('PR');
    expect(r.points[2]!.pctFromNadir).toBeCloseTo(-25, 12);
  });

  it('gives BOR PR unconfirmed and SD confirmed (no later assessment confirms the PR)', () => {
    expect(r.unconfirmed.response).toBe('PR');
    expect(r.unconfirmed.dtc).toBe('2025-05-24');
    // 2025-04-12 is day 43 from the first dose 2025-03-01 (≥ 42): SD.
    expect(r.confirmed.response).toBe('SD');
    expect(r.confirmed.dtc).toBe('2025-04-12');
  });

  it('chooses evaluators by the documented rule', () => {
    expect(acceptedEvaluator([{ evaluator: 'A', accepted: null }, { evaluator: 'B', accepted: 'Y' }])).toBe('B');
    expect(acceptedEvaluator([{ evaluator: 'INVESTIGATOR', accepted: 'N' }, { evaluator: 'READER 2', accepted: null }])).toBe('READER 2');
    expect(acceptedEvaluator([{ evaluator: 'READER 2', accepted: null }, { evaluator: 'INVESTIGATOR', accepted: null }])).toBe('INVESTIGATOR');
    expect(acceptedEvaluator([{ evaluator: 'READER 2', accepted: null }, { evaluator: 'READER 1', accepted: null }])).toBe('READER 1');
    expect(acceptedEvaluator([])).toBeNull();
  });
});

describe('partial dates in tumour assessments', () => {
  it('leaves out records without a complete date, and says so', () => {
    const r = deriveSubjectTumour(
      {
        firstDoseDtc: '2025-01-10',
        tu: [],
        tr: [tr('2025-01-05', null, 'SUMDIAM', 50), tr('2025-02', null, 'SUMDIAM', 20), tr('2025-02-21', null, 'SUMDIAM', 45)],
        rs: [rs('2025-03', 'CR')],
      },
      RECIST,
    );
    expect(r.points.map((p) => p.dtc)).toEqual(['2025-01-05', '2025-02-21']);
    expect(r.points[1]!.response).toBe('SD'); // −10 %: computed, the partial CR is not used
    expect(r.notes).toHaveLength(2);
    expect(r.notes.join(' ')).toMatch(/1 TR record.*complete date/);
  });
});

describe('codes', () => {
  it('normalises RS responses and reads non-target states', () => {
    expect(normalizeResponse('Non-CR/Non-PD')).toBe('NON-CR/NON-PD');
    expect(normalizeResponse('NOT EVALUABLE')).toBe('NE');
    expect(normalizeResponse('partial response')).toBe('PR');
    expect(normalizeResponse('??')).toBeNull();
    const recs = [state('2025-01-01', 'NT01', 'ABSENT'), state('2025-01-01', 'NT02', 'ABSENT')];
    expect(nonTargetResponse(['NT01', 'NT02'], recs)).toBe('CR');
    expect(nonTargetResponse(['NT01', 'NT02', 'NT03'], recs)).toBe('NE');
    expect(nonTargetResponse(['NT01'], [state('2025-01-01', 'NT01', 'UNEQUIVOCAL PROGRESSION')])).toBe('PD');
    expect(nonTargetResponse([], recs)).toBeNull();
  });

  it('uses RECIST 1.1 time-point records of RS only (not BESTRSP, iRECIST or ECOG)', () => {
    expect(isRecistTimePoint({ testcd: 'OVRLRESP', category: 'RECIST 1.1' })).toBe(true);
    expect(isRecistTimePoint({ testcd: 'OVRLRESP', category: null })).toBe(true);
    expect(isRecistTimePoint({ testcd: 'OVRLRESP', category: 'iRECIST' })).toBe(false);
    expect(isRecistTimePoint({ testcd: 'BESTRSP', category: 'RECIST 1.1' })).toBe(false);
    expect(isRecistTimePoint({ testcd: 'ECOG', category: 'ECOG' })).toBe(false);
    const r = deriveSubjectTumour(
      {
        firstDoseDtc: '2025-01-10', tu: [],
        tr: [tr('2025-01-05', null, 'SUMDIAM', 50), tr('2025-02-21', null, 'SUMDIAM', 30)],
        rs: [rs('2025-02-21', 'SD', { category: 'iRECIST' }), rs('2025-06-30', 'PR', { testcd: 'BESTRSP' })],
      },
      RECIST,
    );
    expect(r.points.map((p) => [p.dtc, p.response, p.responseSource])).toEqual([['2025-01-05', null, null], ['2025-02-21', 'PR', 'computed']]);
  });
});

// ---------------------------------------------------------------------------------------------
// PFS / OS, worked by hand from CENSORING_RULES (shared/efficacy/endpoints.ts)
// ---------------------------------------------------------------------------------------------

const base: EndpointInput = { firstDoseDtc: '2025-01-10', responses: [], deathDtc: null, died: false, lastKnownAliveDtc: null, cutoffDtc: '2025-12-31' };

describe('PFS', () => {
  it('event at the first PD when it comes before death', () => {
    const p = derivePfs({ ...base, responses: [{ dtc: '2025-02-21', response: 'SD' }, { dtc: '2025-04-04', response: 'PD' }], deathDtc: '2025-06-01', died: true });
    // 2025-01-10 → 2025-04-04 = 84 days, + 1.
    expect(p).toMatchObject({ event: true, dtc: '2025-04-04', days: 85, reason: 'progression' });
    expect(p.months).toBeCloseTo(85 / 30.4375, 12);
  });
  it('event at death without progression (no assessment at all)', () => {
    expect(derivePfs({ ...base, deathDtc: '2025-02-01', died: true })).toMatchObject({ event: true, dtc: '2025-02-01', days: 23, reason: 'death' });
  });
  it('censored at the last adequate assessment (an NE after it does not count)', () => {
    const p = derivePfs({ ...base, responses: [{ dtc: '2025-02-21', response: 'SD' }, { dtc: '2025-04-04', response: 'PR' }, { dtc: '2025-05-16', response: 'NE' }], lastKnownAliveDtc: '2025-07-01' });
    expect(p).toMatchObject({ event: false, dtc: '2025-04-04', days: 85, reason: 'last adequate assessment' });
  });
  it('censored at day 1 without an adequate post-baseline assessment', () => {
    expect(derivePfs({ ...base, responses: [{ dtc: '2025-02-21', response: 'NE' }] })).toMatchObject({ event: false, dtc: '2025-01-10', days: 1, reason: 'no adequate assessment' });
  });
  it('ignores assessments and deaths after the data cut-off', () => {
    const p = derivePfs({ ...base, cutoffDtc: '2025-03-31', responses: [{ dtc: '2025-02-21', response: 'SD' }, { dtc: '2025-04-04', response: 'PD' }], deathDtc: '2025-05-01', died: true });
    expect(p).toMatchObject({ event: false, dtc: '2025-02-21', days: 43 });
  });
});

describe('OS', () => {
  it('event at death (complete date)', () => {
    expect(deriveOs({ ...base, deathDtc: '2025-07-08', died: true, lastKnownAliveDtc: '2025-07-01' })).toMatchObject({ event: true, dtc: '2025-07-08', days: 180, imputed: null });
  });
  it('censored at the last known alive date; a partial date counts as its first day', () => {
    expect(deriveOs({ ...base, lastKnownAliveDtc: '2025-08-17' })).toMatchObject({ event: false, dtc: '2025-08-17', days: 220, reason: 'last known alive' });
    expect(deriveOs({ ...base, lastKnownAliveDtc: '2025-08' })).toMatchObject({ event: false, dtc: '2025-08-01' });
    expect(deriveOs({ ...base, lastKnownAliveDtc: '2026-02-01' })).toMatchObject({ dtc: '2025-12-31' }); // capped at the cut-off
  });
  it('imputes a partial death date to the first of the month, or to the last known alive date when later', () => {
    expect(deriveOs({ ...base, deathDtc: '2025-09', died: true, lastKnownAliveDtc: '2025-08-10' })).toMatchObject({ event: true, dtc: '2025-09-01' });
    const o = deriveOs({ ...base, deathDtc: '2025-08', died: true, lastKnownAliveDtc: '2025-08-10' });
    expect(o).toMatchObject({ event: true, dtc: '2025-08-10' });
    expect(o.imputed).toMatch(/partial death date 2025-08/);
  });
  it('places a death without a date at the last known alive date', () => {
    expect(deriveOs({ ...base, died: true, lastKnownAliveDtc: '2025-03-03' })).toMatchObject({ event: true, dtc: '2025-03-03', days: 53 });
  });
  it('treats a death after the cut-off as alive', () => {
    expect(deriveOs({ ...base, cutoffDtc: '2025-06-30', deathDtc: '2025-07-08', died: true, lastKnownAliveDtc: '2025-06-20' })).toMatchObject({ event: false, dtc: '2025-06-20' });
  });
  it('documents the rules in plain text for the UI help', () => {
    expect(CENSORING_RULES).toMatch(/Progression-free survival/);
    expect(CENSORING_RULES).toMatch(/last known alive/);
    expect(DAYS_PER_MONTH).toBe(30.4375);
  });
});

describe('KM by group', () => {
  it('starts the step curve at (0, 1), marks censorings, and leaves out empty groups', () => {
    // Hand-worked: times 1, 2+, 3, 4 → S = 3/4 at 1, 3/4 · (1 − 1/2) = 3/8 at 3, 0 at 4 (Kaplan–Meier 1958).
    const r = kmByGroup([{ label: 'a', times: [1, 2, 3, 4], events: [1, 0, 1, 1] }, { label: 'empty', times: [], events: [] }], { confType: 'log', at: [0, 3] });
    expect(r.groups).toHaveLength(1);
    expect(r.logRank).toBeNull();
    const g = r.groups[0]!;
    expect(g.steps.map((s) => [s.time, s.surv])).toEqual([[0, 1], [1, 0.75], [2, 0.75], [3, 0.375], [4, 0]]);
    expect(g.censorMarks).toEqual([{ time: 2, surv: 0.75 }]);
    expect(g.median.estimate).toBe(3);
    expect(g.at.map((a) => [a.time, a.surv, a.nRisk])).toEqual([[0, 1, 4], [3, 0.375, 2]]);
    expect(g.steps[4]!.lower).toBeNull(); // S = 0: no log CI (R gives NA)
  });
});
