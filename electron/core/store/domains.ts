// The SDTM domains DoseDesk understands: for each, the variables stored in typed columns, those
// required, the natural key that matches a record across snapshots, and the code lists checked.
// Every variable not listed here is kept in the row's `extra` JSON; domains not listed here go
// whole into `rec_generic`. The import fills the domain tables from it; the tables themselves are
// created by migration 1 (electron/core/store/schema.ts), frozen as literal SQL: a variable added
// here needs a new migration that adds its column (test/unit/schema.test.ts checks that every
// variable listed here has its column).

export type SqlType = 'TEXT' | 'REAL';

export interface VariableSpec {
  name: string;
  type: SqlType;
}

export interface DomainSpec {
  domain: string;
  table: string;
  /** Variables stored in typed columns (column name = variable name, lower-cased). */
  variables: VariableSpec[];
  /** Variables that must be present in the file (a missing one is an error). */
  required: string[];
  /** Variables that, together, identify the same record in another snapshot of the study. */
  naturalKey: string[];
  /** SDTM controlled terminology checked on import (a value outside it is a warning). */
  codelists?: Record<string, readonly string[]>;
  /** Whether rows belong to a subject (USUBJID must then be in DM). */
  subjectLevel: boolean;
}

const T = (...names: string[]): VariableSpec[] => names.map((name) => ({ name, type: 'TEXT' }));
const N = (...names: string[]): VariableSpec[] => names.map((name) => ({ name, type: 'REAL' }));

const NY = ['N', 'Y'] as const;
const SUPP: Omit<DomainSpec, 'domain' | 'table'> = {
  variables: [...T('STUDYID', 'RDOMAIN', 'USUBJID', 'IDVAR', 'IDVARVAL', 'QNAM', 'QLABEL', 'QVAL', 'QORIG', 'QEVAL')],
  required: ['USUBJID', 'RDOMAIN', 'QNAM', 'QVAL'],
  naturalKey: ['USUBJID', 'RDOMAIN', 'IDVAR', 'IDVARVAL', 'QNAM'],
  subjectLevel: true,
};

export const DOMAINS: readonly DomainSpec[] = [
  {
    domain: 'DM',
    table: 'rec_dm',
    variables: [
      ...T('STUDYID', 'USUBJID', 'SUBJID', 'SITEID', 'RFSTDTC', 'RFENDTC', 'RFXSTDTC', 'RFXENDTC', 'DTHDTC', 'DTHFL'),
      ...N('AGE'),
      ...T('AGEU', 'SEX', 'RACE', 'ETHNIC', 'ARMCD', 'ARM', 'ACTARMCD', 'ACTARM', 'COUNTRY'),
    ],
    required: ['STUDYID', 'USUBJID'],
    naturalKey: ['USUBJID'],
    codelists: { SEX: ['M', 'F', 'U', 'UNDIFFERENTIATED'], DTHFL: ['Y'] },
    subjectLevel: true,
  },
  { domain: 'SUPPDM', table: 'rec_suppdm', ...SUPP },
  {
    domain: 'EX',
    table: 'rec_ex',
    variables: [
      ...T('STUDYID', 'USUBJID'),
      ...N('EXSEQ'),
      ...T('EXTRT'),
      ...N('EXDOSE'),
      ...T('EXDOSU', 'EXDOSFRM', 'EXROUTE', 'EXSTDTC', 'EXENDTC', 'VISIT'),
      ...N('VISITNUM', 'EXSTDY', 'EXENDY'),
    ],
    required: ['STUDYID', 'USUBJID', 'EXTRT', 'EXSTDTC'],
    naturalKey: ['USUBJID', 'EXTRT', 'EXSTDTC'],
    subjectLevel: true,
  },
  {
    domain: 'AE',
    table: 'rec_ae',
    variables: [
      ...T('STUDYID', 'USUBJID'),
      ...N('AESEQ'),
      ...T('AESPID', 'AETERM', 'AEDECOD', 'AEBODSYS', 'AESOC', 'AETOXGR', 'AESEV', 'AESER', 'AEREL', 'AEACN', 'AEOUT'),
      ...T('AESTDTC', 'AEENDTC'),
      ...N('AESTDY', 'AEENDY'),
    ],
    required: ['STUDYID', 'USUBJID', 'AETERM'],
    naturalKey: ['USUBJID', 'AETERM', 'AESTDTC'],
    codelists: {
      AESER: NY,
      AESEV: ['MILD', 'MODERATE', 'SEVERE'],
      AETOXGR: ['1', '2', '3', '4', '5'],
      AEACN: ['DOSE INCREASED', 'DOSE NOT CHANGED', 'DOSE RATE REDUCED', 'DOSE REDUCED', 'DRUG INTERRUPTED', 'DRUG WITHDRAWN', 'NOT APPLICABLE', 'UNKNOWN'],
      AEOUT: ['FATAL', 'NOT RECOVERED/NOT RESOLVED', 'RECOVERED/RESOLVED', 'RECOVERED/RESOLVED WITH SEQUELAE', 'RECOVERING/RESOLVING', 'UNKNOWN'],
    },
    subjectLevel: true,
  },
  { domain: 'SUPPAE', table: 'rec_suppae', ...SUPP },
  {
    domain: 'PC',
    table: 'rec_pc',
    variables: [
      ...T('STUDYID', 'USUBJID'),
      ...N('PCSEQ'),
      ...T('PCTESTCD', 'PCTEST', 'PCORRES', 'PCSTRESC'),
      ...N('PCSTRESN'),
      ...T('PCSTRESU', 'PCSTAT'),
      ...N('PCLLOQ'),
      ...T('PCSPEC', 'PCDTC', 'PCRFTDTC', 'PCELTM', 'PCTPT'),
      ...N('PCTPTNUM'),
      ...T('VISIT'),
      ...N('VISITNUM'),
    ],
    required: ['STUDYID', 'USUBJID', 'PCTESTCD'],
    naturalKey: ['USUBJID', 'PCTESTCD', 'VISIT', 'PCTPTNUM', 'PCDTC'],
    subjectLevel: true,
  },
  {
    domain: 'PP',
    table: 'rec_pp',
    variables: [
      ...T('STUDYID', 'USUBJID'),
      ...N('PPSEQ'),
      ...T('PPTESTCD', 'PPTEST', 'PPCAT', 'PPORRES', 'PPSTRESC'),
      ...N('PPSTRESN'),
      ...T('PPSTRESU', 'PPSPEC', 'PPRFTDTC', 'VISIT'),
    ],
    required: ['STUDYID', 'USUBJID', 'PPTESTCD'],
    naturalKey: ['USUBJID', 'PPCAT', 'PPTESTCD', 'PPRFTDTC', 'VISIT'],
    subjectLevel: true,
  },
  {
    domain: 'TU',
    table: 'rec_tu',
    variables: [
      ...T('STUDYID', 'USUBJID'),
      ...N('TUSEQ'),
      ...T('TULNKID', 'TUTESTCD', 'TUORRES', 'TUSTRESC', 'TULOC', 'TUMETHOD', 'TUEVAL', 'TUDTC', 'VISIT'),
    ],
    required: ['STUDYID', 'USUBJID', 'TULNKID'],
    // TUEVALID, like RSEVALID: two radiologists' records of the same lesion are not duplicates.
    naturalKey: ['USUBJID', 'TUEVAL', 'TUEVALID', 'TULNKID', 'TUTESTCD'],
    subjectLevel: true,
  },
  {
    domain: 'TR',
    table: 'rec_tr',
    variables: [
      ...T('STUDYID', 'USUBJID'),
      ...N('TRSEQ'),
      ...T('TRLNKID', 'TRTESTCD', 'TRORRES', 'TRSTRESC'),
      ...N('TRSTRESN'),
      ...T('TRSTRESU', 'TREVAL', 'TREVALID', 'TRACPTFL', 'TRDTC', 'VISIT'),
      ...N('VISITNUM'),
    ],
    required: ['STUDYID', 'USUBJID', 'TRTESTCD'],
    naturalKey: ['USUBJID', 'TREVAL', 'TREVALID', 'TRLNKID', 'TRTESTCD', 'TRDTC'],
    codelists: { TRACPTFL: NY },
    subjectLevel: true,
  },
  {
    domain: 'RS',
    table: 'rec_rs',
    variables: [
      ...T('STUDYID', 'USUBJID'),
      ...N('RSSEQ'),
      ...T('RSTESTCD', 'RSTEST', 'RSCAT', 'RSORRES', 'RSSTRESC', 'RSEVAL', 'RSEVALID', 'RSACPTFL', 'RSDTC', 'VISIT'),
      ...N('VISITNUM'),
    ],
    required: ['STUDYID', 'USUBJID', 'RSTESTCD'],
    naturalKey: ['USUBJID', 'RSEVAL', 'RSEVALID', 'RSTESTCD', 'RSDTC'],
    codelists: { RSACPTFL: NY },
    subjectLevel: true,
  },
  {
    domain: 'DS',
    table: 'rec_ds',
    variables: [...T('STUDYID', 'USUBJID'), ...N('DSSEQ'), ...T('DSTERM', 'DSDECOD', 'DSCAT', 'DSSCAT', 'EPOCH', 'DSSTDTC')],
    required: ['STUDYID', 'USUBJID', 'DSDECOD'],
    naturalKey: ['USUBJID', 'DSCAT', 'DSDECOD', 'DSSTDTC'],
    subjectLevel: true,
  },
  {
    domain: 'IS',
    table: 'rec_is',
    variables: [
      ...T('STUDYID', 'USUBJID'),
      ...N('ISSEQ'),
      ...T('ISTESTCD', 'ISTEST', 'ISCAT', 'ISORRES', 'ISSTRESC'),
      ...N('ISSTRESN'),
      ...T('ISSTRESU', 'ISDTC', 'VISIT'),
      ...N('VISITNUM'),
    ],
    required: ['STUDYID', 'USUBJID', 'ISTESTCD'],
    naturalKey: ['USUBJID', 'ISTESTCD', 'VISIT', 'ISDTC'],
    subjectLevel: true,
  },
  {
    domain: 'LB',
    table: 'rec_lb',
    variables: [
      ...T('STUDYID', 'USUBJID'),
      ...N('LBSEQ'),
      ...T('LBTESTCD', 'LBTEST', 'LBCAT', 'LBORRES', 'LBSTRESC'),
      ...N('LBSTRESN'),
      ...T('LBSTRESU', 'LBNRIND', 'LBTOXGR', 'LBDTC', 'VISIT'),
    ],
    required: ['STUDYID', 'USUBJID', 'LBTESTCD'],
    naturalKey: ['USUBJID', 'LBTESTCD', 'LBDTC', 'VISIT'],
    codelists: { LBNRIND: ['LOW', 'NORMAL', 'HIGH', 'ABNORMAL'] },
    subjectLevel: true,
  },
  {
    domain: 'VS',
    table: 'rec_vs',
    variables: [
      ...T('STUDYID', 'USUBJID'),
      ...N('VSSEQ'),
      ...T('VSTESTCD', 'VSTEST', 'VSORRES', 'VSSTRESC'),
      ...N('VSSTRESN'),
      ...T('VSSTRESU', 'VSDTC', 'VISIT', 'VSTPT'),
    ],
    required: ['STUDYID', 'USUBJID', 'VSTESTCD'],
    naturalKey: ['USUBJID', 'VSTESTCD', 'VSDTC', 'VISIT', 'VSTPT'],
    subjectLevel: true,
  },
  {
    domain: 'TS',
    table: 'rec_ts',
    variables: [...T('STUDYID'), ...N('TSSEQ'), ...T('TSPARMCD', 'TSPARM', 'TSVAL')],
    required: ['STUDYID', 'TSPARMCD', 'TSVAL'],
    naturalKey: ['TSPARMCD', 'TSSEQ'],
    subjectLevel: false,
  },
];

export const DOMAIN_BY_NAME: ReadonlyMap<string, DomainSpec> = new Map(DOMAINS.map((d) => [d.domain, d]));

/** Columns every domain table carries besides its variables: snapshot, lineage, and identity across snapshots. */
export const LINEAGE_COLUMNS = ['snapshot_id', 'file_id', 'row_no', 'rec_key', 'extra'] as const;

/**
 * SQL for a record's content (every typed variable and the extra bag), so that two snapshots'
 * records with the same natural key can be compared without hashing every row at import.
 */
export function contentSql(d: DomainSpec, alias = ''): string {
  const p = alias ? `${alias}.` : '';
  return [...d.variables.map((v) => `quote(${p}${v.name.toLowerCase()})`), `quote(${p}extra)`].join(" || '|' || ");
}
