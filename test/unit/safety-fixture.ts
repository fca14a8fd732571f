// A small escalation study written as real SDTM CSV files, for the safety tests. Every expected
// number in the tests that use it is worked by hand from these rows (see the comments there).
import fs from 'node:fs';
import path from 'node:path';
import { csv } from '../helpers/snapshot';

export const FIXTURE_CUTOFF = '2025-06-01';

export function writeSafetyFixture(dir: string, escalation: Record<string, unknown> = { design: 'atd', atdDesign: 2, atdHandoff: 'next-level' }): string {
  fs.mkdirSync(dir, { recursive: true });
  const study = {
    studyId: 'S1',
    dataCutoff: FIXTURE_CUTOFF,
    doseUnit: 'mg/kg',
    doseLevels: [0.01, 0.03, 0.1, 0.3, 1].map((dose, i) => ({ level: i + 1, dose })),
    dltWindowDays: 21,
    minDosesForEvaluability: 1,
    escalation,
    ada: { boostFold: 4 },
  };
  const esc = (l: number, d: number) => [`ESC-L${l}`, `Escalation ${d} mg/kg`];
  const files: Record<string, string> = {
    'study.json': JSON.stringify(study, null, 2),
    'dm.csv': csv([
      ['STUDYID', 'DOMAIN', 'USUBJID', 'SUBJID', 'RFXSTDTC', 'DTHDTC', 'DTHFL', 'AGE', 'SEX', 'ARMCD', 'ARM'],
      ['S1', 'DM', 'S1-001', '001', '2025-01-06', null, null, 61, 'F', ...esc(1, 0.01)],
      ['S1', 'DM', 'S1-002', '002', '2025-02-03', null, null, 55, 'M', ...esc(2, 0.03)],
      ['S1', 'DM', 'S1-003', '003', '2025-03-03', '2025-05-20', 'Y', 70, 'M', ...esc(3, 0.1)],
      ['S1', 'DM', 'S1-004', '004', '2025-04-01', null, null, 48, 'F', ...esc(4, 0.3)],
      ['S1', 'DM', 'S1-005', '005', '2025-04-02', null, null, 66, 'F', ...esc(4, 0.3)],
      ['S1', 'DM', 'S1-006', '006', '2025-04-03', null, null, 59, 'M', ...esc(4, 0.3)],
      ['S1', 'DM', 'S1-007', '007', '2025-05-20', null, null, 63, 'M', ...esc(4, 0.3)],
      ['S1', 'DM', 'S1-008', '008', '2025-04-05', null, null, 52, 'F', 'EXP-L3', 'Expansion 0.1 mg/kg'],
    ]),
    'ex.csv': csv([
      ['STUDYID', 'DOMAIN', 'USUBJID', 'EXSEQ', 'EXTRT', 'EXDOSE', 'EXDOSU', 'EXSTDTC'],
      ['S1', 'EX', 'S1-001', 1, 'DRUG', 0.01, 'mg/kg', '2025-01-06T09:00'],
      ['S1', 'EX', 'S1-002', 1, 'DRUG', 0.03, 'mg/kg', '2025-02-03T09:00'],
      ['S1', 'EX', 'S1-003', 1, 'DRUG', 0.1, 'mg/kg', '2025-03-03T09:00'],
      ['S1', 'EX', 'S1-004', 1, 'DRUG', 0.3, 'mg/kg', '2025-04-01T09:00'],
      ['S1', 'EX', 'S1-005', 1, 'DRUG', 0.3, 'mg/kg', '2025-04-02T09:00'],
      ['S1', 'EX', 'S1-006', 1, 'DRUG', 0.3, 'mg/kg', '2025-04-03T09:00'],
      ['S1', 'EX', 'S1-007', 1, 'DRUG', 0.3, 'mg/kg', '2025-05-20T09:00'],
      ['S1', 'EX', 'S1-008', 1, 'DRUG', 0.1, 'mg/kg', '2025-04-05T09:00'],
    ]),
    'ae.csv': csv([
      ['STUDYID', 'DOMAIN', 'USUBJID', 'AESEQ', 'AETERM', 'AEDECOD', 'AEBODSYS', 'AETOXGR', 'AESER', 'AEREL', 'AEACN', 'AEOUT', 'AESTDTC', 'AEENDTC'],
      ['S1', 'AE', 'S1-001', 1, 'nausea', 'Nausea', 'Gastrointestinal disorders', '1', 'N', 'NOT RELATED', 'DOSE NOT CHANGED', 'RECOVERED/RESOLVED', '2025-01-08', '2025-01-09'],
      ['S1', 'AE', 'S1-001', 2, 'headache', 'Headache', 'Nervous system disorders', '2', 'N', 'NOT RELATED', 'DOSE NOT CHANGED', 'RECOVERED/RESOLVED', '2025-01-12', '2025-01-13'],
      ['S1', 'AE', 'S1-001', 3, 'nausea again', 'Nausea', 'Gastrointestinal disorders', '2', 'N', 'NOT RELATED', 'DOSE NOT CHANGED', 'RECOVERED/RESOLVED', '2025-02-15', '2025-02-16'],
      ['S1', 'AE', 'S1-002', 1, 'back pain', 'Back pain', 'Musculoskeletal and connective tissue disorders', '1', 'N', 'NOT RELATED', 'NOT APPLICABLE', 'RECOVERED/RESOLVED', '2025-01-30', '2025-02-01'],
      ['S1', 'AE', 'S1-002', 2, 'tiredness', 'Fatigue', 'General disorders and administration site conditions', '2', 'N', 'RELATED', 'DOSE NOT CHANGED', 'RECOVERED/RESOLVED', '2025-02-10', '2025-02-20'],
      ['S1', 'AE', 'S1-003', 1, 'rash', 'Rash', 'Skin and subcutaneous tissue disorders', '2', 'N', 'RELATED', 'DOSE NOT CHANGED', 'RECOVERED/RESOLVED', '2025-03-10', '2025-03-17'],
      ['S1', 'AE', 'S1-003', 2, 'sepsis', 'Sepsis', 'Infections and infestations', '5', 'Y', 'NOT RELATED', 'NOT APPLICABLE', 'FATAL', '2025-05-15', '2025-05-20'],
      ['S1', 'AE', 'S1-004', 1, 'neutropenia', 'Neutropenia', 'Blood and lymphatic system disorders', '3', 'N', 'RELATED', 'DRUG INTERRUPTED', 'RECOVERED/RESOLVED', '2025-04-08', '2025-04-15'],
      ['S1', 'AE', 'S1-004', 2, 'nausea', 'Nausea', 'Gastrointestinal disorders', '1', 'N', 'RELATED', 'DOSE NOT CHANGED', 'RECOVERED/RESOLVED', '2025-04-05', '2025-04-06'],
      ['S1', 'AE', 'S1-005', 1, 'vomiting and nausea', 'Nausea', 'Gastrointestinal disorders', '3', 'N', 'RELATED', 'DRUG WITHDRAWN', 'RECOVERED/RESOLVED', '2025-04-09', '2025-04-14'],
      ['S1', 'AE', 'S1-006', 1, 'febrile neutropenia', 'Neutropenia', 'Blood and lymphatic system disorders', '4', 'Y', 'RELATED', 'DRUG INTERRUPTED', 'RECOVERED/RESOLVED', '2025-04-07', '2025-04-20'],
      ['S1', 'AE', 'S1-006', 2, 'nausea', 'Nausea', 'Gastrointestinal disorders', '2', 'N', 'RELATED', 'DOSE NOT CHANGED', 'RECOVERED/RESOLVED', '2025-04-08', '2025-04-09'],
      ['S1', 'AE', 'S1-007', 1, 'nausea', 'Nausea', 'Gastrointestinal disorders', '1', 'N', 'RELATED', 'DOSE NOT CHANGED', 'NOT RECOVERED/NOT RESOLVED', '2025-05-22', null],
      ['S1', 'AE', 'S1-008', 1, 'rash', 'Rash', 'Skin and subcutaneous tissue disorders', '3', 'N', 'RELATED', 'DRUG INTERRUPTED', 'RECOVERED/RESOLVED', '2025-04-10', '2025-04-20'],
    ]),
    'suppae.csv': csv([
      ['STUDYID', 'RDOMAIN', 'USUBJID', 'IDVAR', 'IDVARVAL', 'QNAM', 'QLABEL', 'QVAL'],
      ['S1', 'AE', 'S1-006', 'AESEQ', '1', 'AEDLT', 'Dose-limiting toxicity', 'Y'],
    ]),
    'ds.csv': csv([
      ['STUDYID', 'DOMAIN', 'USUBJID', 'DSSEQ', 'DSTERM', 'DSDECOD', 'DSCAT', 'DSSTDTC'],
      ['S1', 'DS', 'S1-005', 1, 'Withdrew consent', 'WITHDRAWAL BY SUBJECT', 'DISPOSITION EVENT', '2025-04-11'],
      ['S1', 'DS', 'S1-003', 1, 'Died of sepsis', 'DEATH', 'DISPOSITION EVENT', '2025-05-20'],
    ]),
  };
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}
