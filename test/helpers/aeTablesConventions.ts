// Hand-built snapshot of the committee's AE tables (test/unit/ae-tables.test.ts, test/e2e):
// pharmaversesdtm / CDISC pilot conventions for AEREL (NONE, REMOTE, POSSIBLE, PROBABLE; one empty,
// one UNKNOWN) and CDISC CT C66767 for AEACN (plus MULTIPLE, an empty one and a sponsor value
// "DOSE DELAYED" that is not in the code list; a MULTIPLE resolved by SUPPAE AEACN1/AEACN2 and one without). Two dose levels of three subjects each.
import { table } from './conventions';

export const AE_STUDY = {
  studyId: 'AETAB1',
  dataCutoff: '2024-06-30',
  doseUnit: 'mg',
  doseLevels: [{ level: 1, dose: 50 }, { level: 2, dose: 100 }],
  dltWindowDays: 21,
  cycleLengthDays: 21,
  escalation: { design: '3+3', deescalation: false },
};

const subjects: [string, number, string][] = [
  ['01-701-1015', 50, '2024-01-01'],
  ['01-701-1023', 50, '2024-01-02'],
  ['01-701-1028', 50, '2024-01-03'],
  ['01-701-1033', 100, '2024-02-01'],
  ['01-701-1034', 100, '2024-02-02'],
  ['01-701-1047', 100, '2024-02-03'],
];

const ae = (id: string, seq: number, term: string, soc: string, grade: string | null, rel: string | null, acn: string | null, st: string) =>
  ['AETAB1', 'AE', id, seq, term.toUpperCase(), term, soc, grade, rel, acn, st];
const NS = 'Nervous system disorders';
const GI = 'Gastrointestinal disorders';

export function aeTableDomains() {
  return [
    table('DM', ['STUDYID', 'DOMAIN', 'USUBJID', 'RFXSTDTC', 'AGE', 'SEX', 'ARMCD', 'ARM'], subjects.map(([id, d, st]) => ['AETAB1', 'DM', id, st, 61, 'M', `D${d}`, `Drug ${d} mg`])),
    table('EX', ['STUDYID', 'DOMAIN', 'USUBJID', 'EXSEQ', 'EXTRT', 'EXDOSE', 'EXDOSU', 'EXSTDTC', 'EXENDTC'], subjects.map(([id, d, st]) => ['AETAB1', 'EX', id, 1, 'DRUG', d, 'mg', st, st])),
    table('AE', ['STUDYID', 'DOMAIN', 'USUBJID', 'AESEQ', 'AETERM', 'AEDECOD', 'AEBODSYS', 'AETOXGR', 'AEREL', 'AEACN', 'AESTDTC'], [
      /* a1 */ ae('01-701-1015', 1, 'Headache', NS, '1', 'PROBABLE', 'DOSE NOT CHANGED', '2024-01-03'),
      /* a2 */ ae('01-701-1015', 2, 'Headache', NS, '2', 'POSSIBLE', 'DRUG INTERRUPTED', '2024-01-10'),
      /* a3 */ ae('01-701-1023', 1, 'Nausea', GI, '3', 'NONE', 'DOSE REDUCED', '2024-01-05'),
      /* a4 */ ae('01-701-1023', 2, 'Diarrhoea', GI, '2', null, null, '2024-01-06'),
      /* a5 */ ae('01-701-1028', 1, 'Rash', 'Skin and subcutaneous tissue disorders', '1', 'REMOTE', 'NOT APPLICABLE', '2024-01-08'),
      /* a6 */ ae('01-701-1033', 1, 'Neutropenia', 'Blood and lymphatic system disorders', '4', 'PROBABLE', 'DRUG WITHDRAWN', '2024-02-10'),
      /* a7 */ ae('01-701-1033', 2, 'Nausea', GI, '1', 'POSSIBLE', 'DOSE NOT CHANGED', '2024-02-04'),
      /* a8 */ ae('01-701-1034', 1, 'Nausea', GI, '3', 'UNKNOWN', 'MULTIPLE', '2024-02-05'),
      /* a9 */ ae('01-701-1034', 2, 'Fatigue', 'General disorders and administration site conditions', null, 'POSSIBLE', 'DOSE DELAYED', '2024-02-06'),
      /* a10 */ ae('01-701-1047', 1, 'Nausea', GI, '2', 'PROBABLE', 'DOSE REDUCED', '2024-02-05'),
      /* a11 */ ae('01-701-1047', 2, 'Nausea', GI, '3', 'PROBABLE', 'DRUG INTERRUPTED', '2024-02-20'),
      // Before the first dose (2024-02-03): not treatment-emergent, in no table.
      /* a12 */ ae('01-701-1047', 3, 'Headache', NS, '2', 'PROBABLE', 'DRUG WITHDRAWN', '2024-01-20'),
      // Two study treatments (SDTMIG v3.4 AE): AEACN MULTIPLE, the action per treatment in SUPPAE AEACN1 / AEACN2.
      /* a13 */ ae('01-701-1028', 2, 'Vomiting', GI, '2', 'PROBABLE', 'MULTIPLE', '2024-01-15'),
    ]),
    table('SUPPAE', ['STUDYID', 'RDOMAIN', 'USUBJID', 'IDVAR', 'IDVARVAL', 'QNAM', 'QLABEL', 'QVAL'], [
      ['AETAB1', 'AE', '01-701-1028', 'AESEQ', '2', 'AEACN1', 'Action Taken with Study Treatment 1', 'DRUG WITHDRAWN'],
      ['AETAB1', 'AE', '01-701-1028', 'AESEQ', '2', 'AEACN2', 'Action Taken with Study Treatment 2', 'DOSE NOT CHANGED'],
    ]),
  ];
}
