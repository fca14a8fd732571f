// The hand-built sponsor-convention snapshot of the safety tests (test/unit/safety-conventions.test.ts,
// where every number is worked by hand) and of the Cohorts / AE e2e specs: CDISC pilot style (AESEV
// without AETOXGR for some AEs, DS end of study only, EX over intervals, placebo with EXDOSE 0),
// SDTMIG/admiral style DS per EPOCH / DSSCAT, and two fatal AEs coded AESER N.
import { table } from './conventions';

export const STUDY = {
  studyId: 'CONV1',
  dataCutoff: '2024-06-30',
  doseUnit: 'mg',
  doseLevels: [{ level: 1, dose: 50 }, { level: 2, dose: 100 }],
  dltWindowDays: 21,
  cycleLengthDays: 21,
  escalation: { design: '3+3', deescalation: false },
};

const dm = (id: string, arm: string, armcd: string, rfx: string, dth: string | null = null) => ['CONV1', 'DM', id, rfx, dth, dth ? 'Y' : null, 60, 'F', armcd, arm];

export function domains() {
  return [
    table('DM', ['STUDYID', 'DOMAIN', 'USUBJID', 'RFXSTDTC', 'DTHDTC', 'DTHFL', 'AGE', 'SEX', 'ARMCD', 'ARM'], [
      dm('01-701-1001', 'Drug 50 mg', 'D50', '2024-01-01'),
      dm('01-701-1002', 'Drug 50 mg', 'D50', '2024-01-02'),
      dm('01-701-1003', 'Drug 50 mg', 'D50', '2024-01-03'),
      dm('01-701-1004', 'Drug 100 mg', 'D100', '2024-02-01', '2024-04-10'),
      dm('01-701-1005', 'Drug 100 mg', 'D100', '2024-02-02'),
      dm('01-701-1006', 'Drug 100 mg', 'D100', '2024-02-03'),
      dm('01-701-1007', 'Drug 50 mg', 'D50', '2024-01-04'),
      dm('01-701-1008', 'Placebo', 'Pbo', '2024-01-05'),
      dm('01-701-1009', 'Placebo', 'PBO', '2024-02-04'),
      dm('01-701-1010', 'Drug 75 mg', 'D75', '2024-03-01'),
    ]),
    table('EX', ['STUDYID', 'DOMAIN', 'USUBJID', 'EXSEQ', 'EXTRT', 'EXDOSE', 'EXDOSU', 'EXSTDTC', 'EXENDTC'], [
      // Daily dosing over an interval (CDISC pilot style): stopped on day 8 (2024-01-01 + 7).
      ['CONV1', 'EX', '01-701-1001', 1, 'DRUG', 50, 'mg', '2024-01-01', '2024-01-08'],
      ['CONV1', 'EX', '01-701-1002', 1, 'DRUG', 50, 'mg', '2024-01-02', '2024-02-28'],
      // Infusions every 21 days, each on one day.
      ['CONV1', 'EX', '01-701-1003', 1, 'DRUG', 50, 'mg', '2024-01-03', '2024-01-03'],
      ['CONV1', 'EX', '01-701-1003', 2, 'DRUG', 50, 'mg', '2024-01-24', '2024-01-24'],
      ['CONV1', 'EX', '01-701-1004', 1, 'DRUG', 100, 'mg', '2024-02-01', '2024-02-01'],
      ['CONV1', 'EX', '01-701-1005', 1, 'DRUG', 100, 'mg', '2024-02-02', '2024-02-02'],
      ['CONV1', 'EX', '01-701-1006', 1, 'DRUG', 100, 'mg', '2024-02-03', '2024-02-03'],
      ['CONV1', 'EX', '01-701-1007', 1, 'DRUG', 50, 'mg', '2024-01-04', '2024-01-04'],
      ['CONV1', 'EX', '01-701-1008', 1, 'PLACEBO', 0, 'mg', '2024-01-05', '2024-01-30'],
      ['CONV1', 'EX', '01-701-1009', 1, 'PLACEBO', 0, 'mg', '2024-02-04', '2024-02-04'],
      ['CONV1', 'EX', '01-701-1010', 1, 'DRUG', 75, 'mg', '2024-03-01', '2024-03-01'],
    ]),
    table('AE', ['STUDYID', 'DOMAIN', 'USUBJID', 'AESEQ', 'AETERM', 'AEDECOD', 'AEBODSYS', 'AETOXGR', 'AESEV', 'AESER', 'AEREL', 'AEOUT', 'AESDTH', 'AESTDTC', 'AEENDTC'], [
      /* row 1 */ ['CONV1', 'AE', '01-701-1001', 1, 'HEADACHE', 'Headache', 'Nervous system disorders', null, 'SEVERE', 'N', 'PROBABLE', 'RECOVERED/RESOLVED', 'N', '2024-01-05', '2024-01-06'],
      /* row 2 */ ['CONV1', 'AE', '01-701-1002', 1, 'NAUSEA', 'Nausea', 'Gastrointestinal disorders', '3', 'SEVERE', 'N', 'RELATED', 'RECOVERED/RESOLVED', 'N', '2024-01-10', '2024-01-12'],
      /* row 3 */ ['CONV1', 'AE', '01-701-1003', 1, 'DIARRHOEA', 'Diarrhoea', 'Gastrointestinal disorders', null, 'MILD', 'N', 'NOT RELATED', 'RECOVERED/RESOLVED', 'N', '2024-01-20', '2024-01-21'],
      /* row 4 */ ['CONV1', 'AE', '01-701-1004', 1, 'PNEUMONIA', 'Pneumonia', 'Infections and infestations', null, 'SEVERE', 'N', 'NOT RELATED', 'FATAL', 'Y', '2024-04-01', '2024-04-10'],
      /* row 5 */ ['CONV1', 'AE', '01-701-1005', 1, 'NEUTROPENIA', 'Neutropenia', 'Blood and lymphatic system disorders', '4', 'SEVERE', 'Y', 'RELATED', 'RECOVERED/RESOLVED', 'N', '2024-02-11', '2024-02-20'],
      /* row 6 */ ['CONV1', 'AE', '01-701-1006', 1, 'FATIGUE', 'Fatigue', 'General disorders and administration site conditions', '3', 'SEVERE', 'N', 'RELATED', 'RECOVERED/RESOLVED', 'N', '2024-02-07', '2024-02-15'],
      /* row 7 */ ['CONV1', 'AE', '01-701-1006', 2, 'SEPSIS', 'Sepsis', 'Infections and infestations', null, 'SEVERE', 'N', 'NOT RELATED', 'FATAL', null, '2024-03-01', '2024-03-05'],
      /* row 8 */ ['CONV1', 'AE', '01-701-1008', 1, 'HEADACHE', 'Headache', 'Nervous system disorders', '1', 'MILD', 'N', 'NOT RELATED', 'RECOVERED/RESOLVED', 'N', '2024-01-07', '2024-01-08'],
      /* row 9 */ ['CONV1', 'AE', '01-701-1007', 1, 'RASH', 'Rash', 'Skin and subcutaneous tissue disorders', '2', 'MODERATE', 'N', 'RELATED', 'RECOVERED/RESOLVED', 'N', '2024-01-06', '2024-01-09'],
    ]),
    table('SUPPAE', ['STUDYID', 'RDOMAIN', 'USUBJID', 'IDVAR', 'IDVARVAL', 'QNAM', 'QLABEL', 'QVAL'], [
      ['CONV1', 'AE', '01-701-1005', 'AESEQ', '1', 'AEDLT', 'Dose-limiting toxicity', 'Y'],
      ['CONV1', 'AE', '01-701-1006', 'AESEQ', '1', 'AEDLT', 'Dose-limiting toxicity', 'Y'],
    ]),
    table('DS', ['STUDYID', 'DOMAIN', 'USUBJID', 'DSSEQ', 'DSTERM', 'DSDECOD', 'DSCAT', 'DSSCAT', 'EPOCH', 'DSSTDTC'], [
      // CDISC pilot: the only disposition event is the end of STUDY.
      ['CONV1', 'DS', '01-701-1001', 1, 'ADVERSE EVENT', 'ADVERSE EVENT', 'DISPOSITION EVENT', null, null, '2024-03-01'],
      // SDTMIG / admiral: one record per epoch.
      ['CONV1', 'DS', '01-701-1002', 1, 'INFORMED CONSENT OBTAINED', 'INFORMED CONSENT OBTAINED', 'PROTOCOL MILESTONE', null, 'SCREENING', '2023-12-20'],
      ['CONV1', 'DS', '01-701-1002', 2, 'COMPLETED', 'COMPLETED', 'DISPOSITION EVENT', null, 'TREATMENT', '2024-02-28'],
      ['CONV1', 'DS', '01-701-1002', 3, 'COMPLETED', 'COMPLETED', 'DISPOSITION EVENT', null, 'FOLLOW-UP', '2024-04-01'],
      // By DSSCAT.
      ['CONV1', 'DS', '01-701-1003', 1, 'PROGRESSIVE DISEASE', 'PROGRESSIVE DISEASE', 'DISPOSITION EVENT', 'STUDY TREATMENT', null, '2024-02-10'],
      ['CONV1', 'DS', '01-701-1003', 2, 'DEATH', 'DEATH', 'DISPOSITION EVENT', 'STUDY PARTICIPATION', null, '2024-03-15'],
      ['CONV1', 'DS', '01-701-1004', 1, 'DEATH', 'DEATH', 'DISPOSITION EVENT', null, null, '2024-04-10'],
    ]),
  ];
}

