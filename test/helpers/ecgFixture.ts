// A hand-built ECG snapshot in the pharmaverse (pharmaversesdtm eg/vs, admiral) convention, shared
// by test/unit/ecg-conventions.test.ts (where every value is worked by hand) and test/e2e/ecg.spec.ts.
import { table } from './conventions';

export const study = {
  studyId: 'EG1',
  dataCutoff: '2025-06-01',
  doseUnit: 'mg',
  doseLevels: [
    { level: 1, dose: 10 },
    { level: 2, dose: 30 },
  ],
  dltWindowDays: 21,
  minDosesForEvaluability: 1,
  escalation: { design: '3+3' },
};

export const DM = table('DM', ['STUDYID', 'DOMAIN', 'USUBJID', 'SUBJID', 'RFXSTDTC', 'ARMCD', 'ARM'], [
  ['EG1', 'DM', 'EG1-001', '001', '2025-01-06', 'L1', 'Escalation 10 mg'],
  ['EG1', 'DM', 'EG1-002', '002', '2025-01-06', 'L1', 'Escalation 10 mg'],
  ['EG1', 'DM', 'EG1-003', '003', '2025-02-03', 'L2', 'Escalation 30 mg'],
  ['EG1', 'DM', 'EG1-004', '004', null, 'SCRNFAIL', 'Screen Failure'],
]);
export const EX = table('EX', ['STUDYID', 'DOMAIN', 'USUBJID', 'EXSEQ', 'EXTRT', 'EXDOSE', 'EXDOSU', 'EXSTDTC'], [
  ['EG1', 'EX', 'EG1-001', 1, 'DRUG', 10, 'mg', '2025-01-06'],
  ['EG1', 'EX', 'EG1-002', 1, 'DRUG', 10, 'mg', '2025-01-06'],
  ['EG1', 'EX', 'EG1-003', 1, 'DRUG', 30, 'mg', '2025-02-03'],
]);
const EGH = ['STUDYID', 'DOMAIN', 'USUBJID', 'EGSEQ', 'EGTESTCD', 'EGTEST', 'EGORRES', 'EGORRESU', 'EGSTRESC', 'EGSTRESN', 'EGSTRESU', 'EGBLFL', 'VISIT', 'EGDTC'];
const TEST: Record<string, string> = { QT: 'QT Interval', RR: 'RR Interval', HR: 'Heart Rate', QTCF: 'QTcF Interval', PR: 'PR Interval' };
let seq = 0;
const eg = (u: string, cd: string, v: number, unit: string, bl: string | null, visit: string, dtc: string) => ['EG1', 'EG', u, ++seq, cd, TEST[cd]!, String(v), unit, String(v), v, unit, bl, visit, dtc];
export const EG = table('EG', EGH, [
  // EG1-001 (level 1, first dose 2025-01-06). Baseline (EGBLFL = Y): QT 400 ms, RR 1000 ms = 1 s:
  // QTcF 400 / 1 = 400 ms. Day 8: QT 432 ms, RR 512 ms = 0.512 s = 0.8^3: QTcF 432 / 0.8 = 540 ms,
  // change +140 ms: > 450, > 480, > 500, > 30, > 60. PR: not read by the QTcF derivation.
  eg('EG1-001', 'QT', 400, 'msec', 'Y', 'SCREENING', '2025-01-03'),
  eg('EG1-001', 'RR', 1000, 'msec', 'Y', 'SCREENING', '2025-01-03'),
  eg('EG1-001', 'PR', 160, 'msec', 'Y', 'SCREENING', '2025-01-03'),
  eg('EG1-001', 'QT', 432, 'msec', null, 'WEEK 2', '2025-01-13'),
  eg('EG1-001', 'RR', 512, 'msec', null, 'WEEK 2', '2025-01-13'),
  // EG1-002 (level 1): no EGBLFL. 2025-01-02: QT 380, HR 60 beats/min (RR 1 s): 380 ms, pre-dose, not
  // the last: neither baseline nor post-baseline. 2025-01-06 (first-dose day, no time: pre-dose): QT
  // 400, HR 60: 400 ms, the baseline. 2025-01-13: QT 430 with VS PULSE 60 beats/min (no EG RR or HR):
  // 430 ms, change +30: not > 450, not > 30 (strictly greater).
  eg('EG1-002', 'QT', 380, 'msec', null, 'SCREENING', '2025-01-02'),
  eg('EG1-002', 'HR', 60, 'beats/min', null, 'SCREENING', '2025-01-02'),
  eg('EG1-002', 'QT', 400, 'msec', null, 'DAY 1', '2025-01-06'),
  eg('EG1-002', 'HR', 60, 'beats/min', null, 'DAY 1', '2025-01-06'),
  eg('EG1-002', 'QT', 430, 'msec', null, 'WEEK 2', '2025-01-13'),
  // EG1-003 (level 2, first dose 2025-02-03). Baseline QTcF given 450 msec. Day 8: QTcF given 0.481 sec
  // = 481 ms (the QT 400 / RR 1000 beside it is not needed): change +31: > 450, > 480, not > 500; > 30,
  // not > 60. Day 15: QT in "mm" (not an interval unit); day 22: QT without RR or heart rate: both not
  // computable, located.
  eg('EG1-003', 'QTCF', 450, 'msec', 'Y', 'SCREENING', '2025-01-31'),
  eg('EG1-003', 'QTCF', 0.481, 'sec', null, 'WEEK 2', '2025-02-10'),
  eg('EG1-003', 'QT', 400, 'msec', null, 'WEEK 2', '2025-02-10'),
  eg('EG1-003', 'RR', 1000, 'msec', null, 'WEEK 2', '2025-02-10'),
  eg('EG1-003', 'QT', 400, 'mm', null, 'WEEK 3', '2025-02-17'),
  eg('EG1-003', 'QT', 400, 'msec', null, 'WEEK 4', '2025-02-24'),
  // EG1-004: screen failure, never dosed.
  eg('EG1-004', 'QT', 410, 'msec', null, 'SCREENING', '2025-01-20'),
]);
export const VS = table('VS', ['STUDYID', 'DOMAIN', 'USUBJID', 'VSSEQ', 'VSTESTCD', 'VSTEST', 'VSORRES', 'VSORRESU', 'VSSTRESC', 'VSSTRESN', 'VSSTRESU', 'VISIT', 'VSDTC'], [
  ['EG1', 'VS', 'EG1-002', 1, 'PULSE', 'Pulse Rate', '60', 'beats/min', '60', 60, 'beats/min', 'WEEK 2', '2025-01-13'],
  ['EG1', 'VS', 'EG1-002', 2, 'SYSBP', 'Systolic Blood Pressure', '120', 'mmHg', '120', 120, 'mmHg', 'WEEK 2', '2025-01-13'],
  // A pulse with no ECG at that date: not used by the QTcF derivation.
  ['EG1', 'VS', 'EG1-001', 1, 'PULSE', 'Pulse Rate', '72', 'beats/min', '72', 72, 'beats/min', 'WEEK 3', '2025-01-20'],
]);

