// Safety tables, listings and the DLT table / escalation history from a snapshot. Every number is
// worked by hand from the rows of ./safety-fixture.ts (imported as real CSV files into a real SQLite
// file) with the rules cited: docs/CLINICAL_RULES.md#teae (TEAE = onset on/after first dose; incidence counts subjects;
// worst CTCAE grade per subject × SOC/PT; DLT evaluability), ICH E3 §12.2.2 (subjects with AEs by SOC
// and PT, % of treated subjects), CDISC CT (AEACN DRUG WITHDRAWN, AEOUT FATAL, DSDECOD DEATH), and
// ../shared/reference/escalation/escalation_rules.md for the history notation and the rule.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import type { AeFacts, SubjectFacts } from '../../shared/model';
import { incidenceTable, snapshotHistory, worstGrade, worstGradeBySubjectSocPt } from '../../shared/safety/index';
import { StudyDefinition } from '../../shared/study';
import { tmpDir } from '../helpers/snapshot';
import { writeSafetyFixture } from './safety-fixture';

let dir: string;
let core: Core;
let snapshotId: number;

beforeAll(async () => {
  dir = tmpDir('dosedesk-safety-');
  core = createCore({ dbPath: path.join(dir, 'db.sqlite'), user: 'tester' });
  const r = await core.call('snapshot.import', { path: writeSafetyFixture(path.join(dir, 'snap')) });
  expect(r.errors).toEqual([]);
  snapshotId = r.snapshotId!;
});
afterAll(() => {
  core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const ae = (usubjid: string, aedecod: string, aebodsys: string, grade: number | null, extra: Partial<AeFacts> = {}): AeFacts => ({
  usubjid, aeseq: null, aeterm: aedecod, aedecod, aebodsys, grade, serious: false, related: false, dlt: false, aeacn: null, aeout: null, aestdtc: '2025-01-10', aeendtc: null, rowNo: 0, ...extra,
});

describe('worst CTCAE grade per subject × SOC × PT (CLINICAL_RULES.md#ctcae-grades)', () => {
  it('two events of one PT count once at the higher grade; ungraded events neither raise nor lower it', () => {
    const rows = worstGradeBySubjectSocPt([
      ae('A', 'Nausea', 'GI', 1),
      ae('A', 'Nausea', 'GI', 3),
      ae('A', 'Nausea', 'GI', null),
      ae('A', 'Vomiting', 'GI', null),
      ae('B', 'Nausea', 'GI', 2),
    ]);
    expect(rows.map((r) => [r.usubjid, r.pt, r.worstGrade, r.events])).toEqual([
      ['A', 'Nausea', 3, 3],
      ['A', 'Vomiting', null, 1],
      ['B', 'Nausea', 2, 1],
    ]);
    expect(worstGrade([ae('A', 'x', 'y', null)])).toBeNull();
  });
  it('incidence counts subjects, events alongside; % of treated subjects including those without AEs (pure)', () => {
    // 3 treated at L1 (A, B, C — C has no AE): Nausea in A (2 events) and B -> 2/3 = 66.7 %, 3 events.
    const t = incidenceTable(
      [{ key: 'L1', label: 'L1' }],
      [{ usubjid: 'A', group: 'L1' }, { usubjid: 'B', group: 'L1' }, { usubjid: 'C', group: 'L1' }],
      [ae('A', 'Nausea', 'GI', 1), ae('A', 'Nausea', 'GI', 3), ae('B', 'Nausea', 'GI', 2), ae('Z', 'Nausea', 'GI', 2)],
      1,
    );
    const nausea = t.rows.find((r) => r.pt === 'Nausea')!;
    expect([nausea.cells.L1!.subjects, nausea.cells.L1!.events, nausea.cells.L1!.percent, nausea.cells.L1!.byWorstGrade]).toEqual([2, 3, 66.7, [0, 1, 1, 0, 0]]);
    expect(t.groups).toEqual([{ key: 'L1', label: 'L1', n: 3 }]);
  });
});

describe('TEAE incidence from the fixture snapshot (safety.incidence)', () => {
  it('by dose level, any grade: denominators are the treated subjects per level', async () => {
    const t = await core.call('safety.incidence', { snapshotId, by: 'level', minGrade: 1 });
    // treated: L1 {001}, L2 {002}, L3 {003, 008 expansion}, L4 {004, 005, 006, 007}
    expect(t.groups.map((g) => [g.key, g.n])).toEqual([['L1', 1], ['L2', 1], ['L3', 2], ['L4', 4]]);
    expect(t.totalN).toBe(8);
    const any = t.rows[0]!;
    expect(any.kind).toBe('any');
    // TEAEs: 001 3 (g1, g2, g2), 002 1 (back pain on 2025-01-30 is before the first dose: not a TEAE),
    // 003 2 (g2, g5), 008 1 (g3), 004 2 (g3, g1), 005 1 (g3), 006 2 (g4, g2), 007 1 (g1).
    expect(Object.values(any.cells).map((c) => [c.subjects, c.percent, c.events])).toEqual([[1, 100, 3], [1, 100, 1], [2, 100, 3], [4, 100, 6]]);
    expect([any.total.subjects, any.total.percent, any.total.events]).toEqual([8, 100, 13]);
    // worst grades: L3 003 = 5, 008 = 3; L4 004 = 3, 005 = 3, 006 = 4, 007 = 1
    expect(any.cells.L3!.byWorstGrade).toEqual([0, 0, 1, 0, 1]);
    expect(any.cells.L4!.byWorstGrade).toEqual([1, 0, 2, 1, 0]);
    // SOCs by subjects over all levels (desc), then events, then name; PTs under their SOC
    expect(t.rows.filter((r) => r.kind === 'soc').map((r) => [r.soc, r.total.subjects, r.total.events])).toEqual([
      ['Gastrointestinal disorders', 5, 6],
      ['Blood and lymphatic system disorders', 2, 2],
      ['Skin and subcutaneous tissue disorders', 2, 2],
      ['General disorders and administration site conditions', 1, 1],
      ['Infections and infestations', 1, 1],
      ['Nervous system disorders', 1, 1],
    ]);
    const nausea = t.rows.find((r) => r.kind === 'pt' && r.pt === 'Nausea')!;
    // Nausea: L1 001 (2 events, worst 2); L4 004 (g1), 005 (g3), 006 (g2), 007 (g1) -> 4/4, 4 events
    expect([nausea.cells.L1!.subjects, nausea.cells.L1!.events, nausea.cells.L1!.byWorstGrade]).toEqual([1, 2, [0, 1, 0, 0, 0]]);
    expect([nausea.cells.L4!.subjects, nausea.cells.L4!.percent, nausea.cells.L4!.byWorstGrade]).toEqual([4, 100, [2, 1, 1, 0, 0]]);
    expect(t.rows.some((r) => r.pt === 'Back pain')).toBe(false);
  });
  it('by dose level, grade >= 3', async () => {
    const t = await core.call('safety.incidence', { snapshotId, by: 'level', minGrade: 3 });
    // grade >= 3 TEAEs: 003 Sepsis g5, 008 Rash g3, 004 Neutropenia g3, 005 Nausea g3, 006 Neutropenia g4
    const any = t.rows[0]!;
    expect(Object.values(any.cells).map((c) => [c.subjects, c.percent, c.events])).toEqual([[0, 0, 0], [0, 0, 0], [2, 100, 2], [3, 75, 3]]);
    expect([any.total.subjects, any.total.percent]).toEqual([5, 62.5]);
    expect(t.rows.filter((r) => r.kind === 'soc').map((r) => [r.soc, r.total.subjects])).toEqual([
      ['Blood and lymphatic system disorders', 2],
      ['Gastrointestinal disorders', 1],
      ['Infections and infestations', 1],
      ['Skin and subcutaneous tissue disorders', 1],
    ]);
  });
  it('by part: escalation 7 treated, expansion 1', async () => {
    const t = await core.call('safety.incidence', { snapshotId, by: 'part', minGrade: 1 });
    expect(t.groups.map((g) => [g.key, g.n])).toEqual([['escalation', 7], ['expansion', 1]]);
    expect([t.rows[0]!.cells.escalation!.events, t.rows[0]!.cells.expansion!.events]).toEqual([12, 1]);
  });
});

describe('AE listing and safety listings (safety.aeListing, safety.listings)', () => {
  it('every AE with level, part, study day (no day 0) and TEAE flag', async () => {
    const { rows } = await core.call('safety.aeListing', { snapshotId });
    expect(rows).toHaveLength(14);
    const backPain = rows.find((r) => r.aedecod === 'Back pain')!;
    // 2025-01-30 vs first dose 2025-02-03: 4 days before -> study day -4, not treatment-emergent
    expect([backPain.level, backPain.studyDay, backPain.teae]).toEqual([2, -4, false]);
    const dlt = rows.find((r) => r.dlt)!;
    // 2025-04-07 vs 2025-04-03 -> day 5
    expect([dlt.usubjid, dlt.level, dlt.studyDay, dlt.grade, dlt.serious, dlt.related, dlt.aeacn]).toEqual(['S1-006', 4, 5, 4, true, true, 'DRUG INTERRUPTED']);
    expect(rows.find((r) => r.usubjid === 'S1-008')!.part).toBe('expansion');
  });
  it('SAEs, DLTs, possible DLTs not flagged, discontinuations, deaths', async () => {
    const l = await core.call('safety.listings', { snapshotId });
    expect(l.saes.map((r) => [r.usubjid, r.aedecod])).toEqual([['S1-003', 'Sepsis'], ['S1-006', 'Neutropenia']]);
    expect(l.dlts.map((r) => r.usubjid)).toEqual(['S1-006']);
    // related grade >= 3 in days 1..21 without the DLT flag: 004 neutropenia (day 8), 005 nausea (day 8), 008 rash (day 6)
    expect(l.possibleDltsNotFlagged.map((r) => [r.usubjid, r.aedecod, r.studyDay])).toEqual([['S1-004', 'Neutropenia', 8], ['S1-005', 'Nausea', 8], ['S1-008', 'Rash', 6]]);
    expect(l.discontinuations.map((r) => [r.usubjid, r.aeacn])).toEqual([['S1-005', 'DRUG WITHDRAWN']]);
    // death of 003: DM DTHDTC 2025-05-20, DS DEATH, AE sepsis FATAL grade 5; 2025-03-03 -> 2025-05-20 = study day 79
    expect(l.deaths).toEqual([
      { usubjid: 'S1-003', level: 3, dose: 0.1, part: 'escalation', deathDtc: '2025-05-20', studyDay: 79, sources: ['DM', 'DS', 'AE'], causes: ['Sepsis', 'Died of sepsis'], onTreatmentOrAfter: true },
    ]);
  });
});

describe('DLT table and escalation history from the snapshot (safety.dltTable)', () => {
  it('per level: subjects, window status, evaluability with reason, possible DLTs', async () => {
    const t = await core.call('safety.dltTable', { snapshotId });
    expect(t.dataCutoff).toBe('2025-06-01');
    const l4 = t.levels.find((l) => l.part === 'escalation' && l.level === 4)!;
    expect([l4.treated, l4.evaluable, l4.withDlt, l4.pending, l4.notEvaluable, l4.possibleDltsNotFlagged]).toEqual([4, 2, 1, 1, 1, 2]);
    const s7 = l4.subjects.find((s) => s.usubjid === 'S1-007')!;
    // first dose 2025-05-20: cut-off 2025-06-01 is study day 13 of 21 -> 8 days left, window ends 2025-06-09 (day 21)
    expect([s7.status, s7.daysLeft, s7.windowEndDtc, s7.historyLetter]).toEqual(['in-window', 8, '2025-06-09', 'P']);
    const s5 = l4.subjects.find((s) => s.usubjid === 'S1-005')!;
    expect([s5.status, s5.evaluable, s5.historyLetter]).toEqual(['not-evaluable', false, null]);
    expect(s5.reason).toMatch(/study day 10/);
    expect(l4.subjects.find((s) => s.usubjid === 'S1-006')!.dlts.map((a) => [a.aedecod, a.grade, a.studyDay])).toEqual([['Neutropenia', 4, 5]]);
    expect(t.levels.map((l) => `${l.part}:${l.level}`)).toEqual(['escalation:1', 'escalation:2', 'escalation:3', 'escalation:4', 'expansion:3']);
  });
  it("history '1N 2G 3G 4NTP': G only for related grade-2 during accelerated titration; not-evaluable excluded; pending P", async () => {
    const t = await core.call('safety.dltTable', { snapshotId });
    // 001: unrelated grade-2 headache -> N (protocol default: related toxicity); 002 related grade 2 -> G;
    // 003 related grade 2 -> G (second grade-2 patient ends the accelerated phase, S8);
    // 004 related grade 3 without DLT flag after the switch -> N; 005 not evaluable (left out);
    // 006 DLT -> T; 007 pending -> P. Expansion subject 008 is not in the history.
    expect(t.history).toBe('1N 2G 3G 4NTP');
    expect(t.excluded.map((e) => e.usubjid)).toEqual(['S1-005']);
    // escalation_rules.md (b) then (a): after the switch the 3+3 cohort at level 4 has 1 DLT in 2
    // evaluable patients and 1 pending -> incomplete cohort, continue at level 4; not determined
    // (a third N gives 1/3 -> expand, a T gives 2/3 -> MTD exceeded).
    const r = t.recommendation;
    expect([r.design, r.action, r.nextLevel, r.continues, r.determined, r.pending]).toEqual(['atd', 'CONTINUE_COHORT', 4, true, false, 1]);
    expect(r.explanation.length).toBeGreaterThan(40);
    expect(t.boin.design).toBe('boin');
    expect(t.mtpi2.design).toBe('mtpi2');
    expect(t.boin.error).toBeNull();
  });
  it('with the 3+3 design the history has no G and runs at one level form cohorts of 3', async () => {
    const d2 = tmpDir('dosedesk-safety-3p3-');
    const c2 = createCore({ dbPath: path.join(d2, 'db.sqlite') });
    try {
      const r = await c2.call('snapshot.import', { path: writeSafetyFixture(path.join(d2, 'snap'), { design: '3+3' }) });
      const t = await c2.call('safety.dltTable', { snapshotId: r.snapshotId! });
      expect(t.history).toBe('1N 2N 3N 4NTP');
      expect([t.recommendation.design, t.recommendation.action]).toEqual(['3+3', 'CONTINUE_COHORT']);
    } finally {
      c2.close();
      fs.rmSync(d2, { recursive: true, force: true });
    }
  });
});

describe('snapshotHistory (pure): accelerated-titration options', () => {
  const def = (escalation: Record<string, unknown>) =>
    StudyDefinition.parse({ studyId: 'X', doseLevels: [1, 2, 4, 8].map((dose, i) => ({ level: i + 1, dose })), dltWindowDays: 21, escalation });
  const subj = (usubjid: string, firstDoseDtc: string, dose: number): SubjectFacts => ({
    usubjid, siteid: null, age: null, sex: null, arm: null, part: 'escalation', firstDoseDtc, firstDose: dose, doseUnit: 'mg', doseDtcs: [firstDoseDtc], lastDoseDtc: firstDoseDtc, deathDtc: null, endOfTreatmentDtc: null, endOfTreatmentReason: null,
  });
  const subjects = [subj('A', '2025-01-01', 1), subj('B', '2025-02-01', 2), subj('C', '2025-03-01', 4)];
  const aes = [
    ae('A', 'Headache', 'N', 2, { aestdtc: '2025-01-05', related: false }),
    ae('B', 'Rash', 'S', 2, { aestdtc: '2025-02-05', related: true }),
    ae('B', 'Rash', 'S', 2, { aestdtc: '2025-03-20', related: true }), // later course (day 48)
  ];
  it("grade2 'any' counts the unrelated grade 2: A and B are G, the second G ends the accelerated phase", () => {
    const h = snapshotHistory(subjects, aes, def({ design: 'atd', atdDesign: 2 }), '2025-06-01', { grade2: 'any' });
    expect(h.history).toBe('1G 2G 3N');
  });
  it("design 4 counts later courses: B's grade 2 in course 3 is written as the annotation g (history.ts)", () => {
    const h = snapshotHistory(subjects, aes, def({ design: 'atd', atdDesign: 4 }), '2025-06-01');
    expect(h.history).toBe('1N 2Gg 3N');
  });
  it('cohort ids (SUPPDM COHORT) group the subjects when every subject has one', () => {
    const h = snapshotHistory(
      [subj('A', '2025-01-01', 1), subj('B', '2025-01-02', 1), subj('C', '2025-01-03', 1), subj('D', '2025-01-04', 1)],
      [],
      def({ design: '3+3' }),
      '2025-06-01',
      { cohortOf: new Map([['A', 'c1'], ['B', 'c1'], ['C', 'c2'], ['D', 'c2']]) },
    );
    expect(h.history).toBe('1NN 1NN');
  });
});
