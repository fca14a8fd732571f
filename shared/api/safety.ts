import { z } from 'zod';
import { columnsOf } from '../columns';
import { lazySchema } from '../lazySchema';
import { method, RowsAs, SnapshotId, Usubjids } from './method';

// Contract methods of the safety feature (merged into shared/contract.ts): AE listing, incidence
// tables, safety listings, the DLT table with the escalation recommendation, immunogenicity (ADA),
// and the rule engine on a typed-in history. The rules are in shared/safety/, shared/ada.ts and
// shared/escalation/.

const Part = lazySchema(() => z.enum(['escalation', 'expansion']));
const Design = lazySchema(() => z.enum(['3+3', 'atd', 'boin', 'mtpi2']));

export const AeListingRow = lazySchema(() => z.object({
  usubjid: z.string(),
  level: z.number().int().nullable(),
  dose: z.number().nullable(),
  part: Part,
  aeseq: z.number().nullable(),
  studyDay: z.number().int().nullable(),
  aeterm: z.string(),
  aedecod: z.string().nullable(),
  aebodsys: z.string().nullable(),
  grade: z.number().int().nullable(),
  /** AESEV (severity, not CTCAE grade). */
  severity: z.string().nullable(),
  serious: z.boolean(),
  related: z.boolean(),
  dlt: z.boolean(),
  aeout: z.string().nullable(),
  aeacn: z.string().nullable(),
  /** Data query: fatal outcome (AEOUT FATAL or AESDTH Y) but AESER is not Y. */
  fatalNotSerious: z.boolean(),
  teae: z.boolean(),
  aestdtc: z.string().nullable(),
  aeendtc: z.string().nullable(),
}));
export type AeListingRow = z.infer<typeof AeListingRow>;

/** One condition of an AG Grid text or number column filter. */
const GridCondition = lazySchema(() => z.object({
  filterType: z.string().optional(),
  type: z.string().optional(),
  filter: z.union([z.string(), z.number()]).nullable().optional(),
  filterTo: z.union([z.string(), z.number()]).nullable().optional(),
}));
/** An AG Grid column filter model: one condition, or several joined by AND / OR. */
const GridFilter = lazySchema(() => GridCondition.extend({ operator: z.enum(['AND', 'OR']).optional(), conditions: z.array(GridCondition).max(10).optional() }));

const IncidenceCell = lazySchema(() => z.object({
  subjects: z.number().int(),
  percent: z.number().nullable(),
  events: z.number().int(),
  byWorstGrade: z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int(), z.number().int()]),
  worstGradeMissing: z.number().int(),
  /** Events in the cell without a CTCAE grade (left out of grade >= 3 tables: "grade not collected for N AEs"). */
  ungradedEvents: z.number().int(),
}));

export const IncidenceTable = lazySchema(() => z.object({
  minGrade: z.union([z.literal(1), z.literal(3)]),
  groups: z.array(z.object({ key: z.string(), label: z.string(), n: z.number().int() })),
  totalN: z.number().int(),
  rows: z.array(
    z.object({
      kind: z.enum(['any', 'soc', 'pt']),
      soc: z.string().nullable(),
      pt: z.string().nullable(),
      cells: z.record(z.string(), IncidenceCell),
      total: IncidenceCell,
    }),
  ),
}));
export type IncidenceTable = z.infer<typeof IncidenceTable>;

const SubjectEventCount = lazySchema(() => z.object({ subjects: z.number().int(), events: z.number().int() }));
const CountsByGroup = lazySchema(() => z.object({ byGroup: z.record(z.string(), SubjectEventCount), total: SubjectEventCount }));
const Groups = lazySchema(() => z.array(z.object({ key: z.string(), label: z.string(), n: z.number().int() })));

/** Treatment-related TEAE incidence (AEREL; shared/safety/aeTables.ts). */
export const RelatedIncidence = lazySchema(() => IncidenceTable.extend({
  snapshotId: SnapshotId,
  dataCutoff: z.string().nullable(),
  /** TEAEs with AEREL empty, UNKNOWN or unrecognised: neither related nor unrelated. */
  relationshipMissing: CountsByGroup,
  /** AEREL values of the TEAEs and how each was read. */
  aerelValues: z.array(z.object({ value: z.string(), reading: z.enum(['related', 'not-related', 'missing']), events: z.number().int() })),
}));
export type RelatedIncidence = z.infer<typeof RelatedIncidence>;

const DoseChangeAction = lazySchema(() => z.enum(['any', 'withdrawn', 'reduced', 'interrupted', 'increased']));
const AeActionCell = lazySchema(() => z.object({ subjects: z.number().int(), percent: z.number().nullable(), events: z.number().int() }));

/** TEAEs leading to dose change or discontinuation (AEACN, CDISC CT C66767; shared/safety/aeTables.ts). */
export const AeActionResult = lazySchema(() => z.object({
  snapshotId: SnapshotId,
  dataCutoff: z.string().nullable(),
  groups: Groups,
  totalN: z.number().int(),
  rows: z.array(z.object({ action: DoseChangeAction, cells: z.record(z.string(), AeActionCell), total: AeActionCell })),
  /** TEAEs whose AEACN is UNKNOWN, MULTIPLE without per-treatment actions in SUPPAE AEACN1, AEACN2, …, empty or outside C66767. */
  notInterpretable: CountsByGroup,
  /** AEACN values of the TEAEs and how each was read. */
  aeacnValues: z.array(z.object({ value: z.string(), reading: z.string(), events: z.number().int() })),
  /** The TEAEs that changed treatment, then those whose action is not interpretable (except empty AEACN). */
  listing: z.array(AeListingRow.extend({ action: z.string() })),
}));
export type AeActionResult = z.infer<typeof AeActionResult>;

const SocGradeCell = lazySchema(() => z.object({
  subjects: z.number().int(),
  worstGrade: z.number().int().nullable(),
  byWorstGrade: z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int(), z.number().int()]),
  worstGradeMissing: z.number().int(),
}));

/** SOC × dose level worst CTCAE grade of TEAEs (shared/safety/aeTables.ts socGradeGrid). */
export const SocGradeGridResult = lazySchema(() => z.object({
  snapshotId: SnapshotId,
  dataCutoff: z.string().nullable(),
  groups: Groups,
  rows: z.array(z.object({ soc: z.string(), cells: z.record(z.string(), SocGradeCell), total: SocGradeCell })),
}));
export type SocGradeGridResult = z.infer<typeof SocGradeGridResult>;

const AeBrief = lazySchema(() => z.object({
  aeseq: z.number().nullable(),
  aeterm: z.string(),
  aedecod: z.string().nullable(),
  grade: z.number().int().nullable(),
  /** AESEV: severity, not a CTCAE grade (shown beside a missing grade). */
  severity: z.string().nullable(),
  aestdtc: z.string().nullable(),
  studyDay: z.number().int().nullable(),
  /** AEREL empty, UNKNOWN or unrecognised: screened as a possible DLT all the same (shared/cohorts.ts mayBeRelated). */
  relationshipMissing: z.boolean().optional(),
}));

/** A laboratory result of CTCAE grade >= 3 inside the DLT window (shared/labs/, labs.shift). */
const LabBrief = lazySchema(() => z.object({
  testcd: z.string(),
  term: z.string(),
  grade: z.number().int(),
  /** 'LBTOXGR' or 'derived' (from the value and the normal range). */
  source: z.string(),
  result: z.string().nullable(),
  unit: z.string().nullable(),
  lbdtc: z.string().nullable(),
  studyDay: z.number().int().nullable(),
}));

const Decision = lazySchema(() => z.object({ action: z.string(), nextLevel: z.number().int().nullable(), recommendedLevel: z.number().int().nullable(), explanation: z.string() }));

export const RuleSummary = lazySchema(() => z.object({
  design: Design,
  error: z.string().nullable(),
  action: z.string().nullable(),
  nextLevel: z.number().int().nullable(),
  continues: z.boolean().nullable(),
  recommendedLevel: z.number().int().nullable(),
  explanation: z.string(),
  determined: z.boolean(),
  rule: z.string().nullable(),
  whenComplete: Decision.nullable(),
  pending: z.number().int(),
  openSlots: z.number().int(),
  warnings: z.array(z.string()),
}));
export type RuleSummary = z.infer<typeof RuleSummary>;

export const DltTableResult = lazySchema(() => z.object({
  snapshotId: SnapshotId,
  dataCutoff: z.string().nullable(),
  dltWindowDays: z.number().int(),
  design: z.object({ design: Design, atdDesign: z.number().int().nullable(), deescalation: z.boolean(), sixAtMtd: z.boolean(), targetToxicity: z.number(), levels: z.number().int() }),
  levels: z.array(
    z.object({
      /** Planned level; 0 for placebo (never in the history or the rule). */
      level: z.number().int(),
      placebo: z.boolean(),
      dose: z.number(),
      part: Part,
      treated: z.number().int(),
      evaluable: z.number().int(),
      withDlt: z.number().int(),
      pending: z.number().int(),
      notEvaluable: z.number().int(),
      possibleDltsNotFlagged: z.number().int(),
      /** Related AEs in the window, not flagged, without a CTCAE grade: the possible-DLT screen cannot assess them. */
      ungradedNotScreened: z.number().int(),
      /** Lab results of CTCAE grade >= 3 in the DLT window (no causality in LB: all are listed for the committee). */
      possibleDltLabs: z.number().int(),
      subjects: z.array(
        z.object({
          usubjid: z.string(),
          firstDoseDtc: z.string(),
          windowEndDtc: z.string(),
          daysLeft: z.number().int().nullable(),
          status: z.enum(['dlt', 'completed', 'in-window', 'not-evaluable']),
          evaluable: z.boolean(),
          reason: z.string(),
          dlts: z.array(AeBrief),
          possibleDlts: z.array(AeBrief),
          ungradedNotScreened: z.array(AeBrief),
          possibleDltLabs: z.array(LabBrief),
          /** End of treatment the window used: DS treatment disposition, else the last exposure (EXENDTC, EXSTDTC, RFXENDTC); null while ongoing. */
          endOfTreatment: z.object({ dtc: z.string().nullable(), source: z.string().nullable(), detail: z.string() }).nullable(),
          historyLetter: z.string().nullable(),
          cohortId: z.string().nullable(),
          ongoing: z.boolean(),
        }),
      ),
    }),
  ),
  /** The escalation history in the reference notation (escalation part only). */
  history: z.string(),
  excluded: z.array(z.object({ usubjid: z.string(), level: z.number().int(), firstDoseDtc: z.string(), reason: z.string() })),
  unplanned: z.array(z.string()),
  /** The protocol rule (study definition `escalation`). */
  recommendation: RuleSummary,
  /** BOIN and mTPI-2 at the definition's target, for context only. */
  boin: RuleSummary,
  mtpi2: RuleSummary,
  notes: z.array(z.string()),
}));
export type DltTableResult = z.infer<typeof DltTableResult>;

const AdaSample = lazySchema(() => z.object({
  dtc: z.string().nullable(),
  visit: z.string().nullable(),
  visitnum: z.number().nullable(),
  studyDay: z.number().int().nullable(),
  result: z.enum(['POSITIVE', 'NEGATIVE']).nullable(),
  /** Titre as reported, on the scale of `titreScale` (log10 values stay log10). */
  titre: z.number().nullable(),
  /** "<x": positive below the minimum reportable titre x (titre = x). */
  belowReportable: z.boolean(),
  nab: z.enum(['POSITIVE', 'NEGATIVE']).nullable(),
  baselineFlag: z.boolean(),
}));

const AdaSubjectFacts = lazySchema(() => z.object({
  usubjid: z.string(),
  level: z.number().int().nullable(),
  part: Part,
  baselineStatus: z.enum(['positive', 'negative', 'missing']),
  baselineTitre: z.number().nullable(),
  postBaselineSamples: z.number().int(),
  treatmentInduced: z.boolean(),
  treatmentBoosted: z.boolean(),
  treatmentEmergent: z.boolean(),
  evaluable: z.boolean(),
  category: z.enum(['treatment-induced', 'treatment-boosted', 'baseline-positive', 'negative', 'no-post-baseline-sample']),
  persistence: z.enum(['persistent', 'transient']).nullable(),
  maxPostTitre: z.number().nullable(),
  maxFoldRise: z.number().nullable(),
  nabPositive: z.boolean().nullable(),
  notes: z.array(z.string()),
}));

/** An ADA subject's status and samples (Shankar et al. 2014). */
const AdaSubject = lazySchema(() => AdaSubjectFacts.extend({ samples: z.array(AdaSample) }));

/** A sample and the index of its subject (safety.ada as columns). */
const AdaSampleOf = lazySchema(() => AdaSample.extend({ subject: z.number().int() }));

export const AdaResult = lazySchema(() => z.object({
  snapshotId: SnapshotId,
  boostFold: z.number(),
  /** False when the snapshot has no ADA records (no IS domain or no ADA test codes). */
  present: z.boolean(),
  /** Scale of the reported titres (linear or log10) and what told it; scale null = unknown (boosts not assessed). */
  titreScale: z.object({ scale: z.enum(['linear', 'log10']).nullable(), source: z.string() }),
  /** IS records read, and those used as ADA records (binding, neutralising, titre). */
  isRows: z.number().int(),
  adaRows: z.number().int(),
  /** ISTESTCD values no convention or ada.*Testcds setting recognises, with row counts. */
  unrecognisedTestcds: z.array(z.object({ value: z.string(), count: z.number().int() })),
  /** Located warnings: titre scale unknown, unparseable results. */
  warnings: z.array(z.string()),
  subjects: z.array(AdaSubject),
  /** Asked `as: 'columns'` (`subjects` is then empty): the subjects without their samples, and their samples with the subject's index; null as rows. */
  subjectColumns: columnsOf(AdaSubjectFacts).nullable(),
  sampleColumns: columnsOf(AdaSampleOf).nullable(),
  incidence: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      sampled: z.number().int(),
      evaluable: z.number().int(),
      baselinePositive: z.number().int(),
      treatmentInduced: z.number().int(),
      treatmentBoosted: z.number().int(),
      treatmentEmergent: z.number().int(),
      treatmentEmergentPercent: z.number().nullable(),
      persistent: z.number().int(),
      transient: z.number().int(),
      nabPositive: z.number().int(),
    }),
  ),
}));
export type AdaResult = z.infer<typeof AdaResult>;

const LookaheadDecision = lazySchema(() => RuleSummary.pick({ design: true, error: true, action: true, nextLevel: true, continues: true, recommendedLevel: true, determined: true, whenComplete: true, explanation: true }));

export const LookaheadResult = lazySchema(() => z.object({
  snapshotId: SnapshotId,
  dataCutoff: z.string().nullable(),
  design: Design,
  targetToxicity: z.number(),
  /** K: the number of next evaluable patients looked at (1..6). */
  maxPatients: z.number().int(),
  /** The live decisions on the current history (the DLT table's). */
  current: z.object({ history: z.string(), protocol: LookaheadDecision, boin: LookaheadDecision, mtpi2: LookaheadDecision }),
  /** Every outcome path, depth first; each decided by the same rule code as the live recommendation. */
  paths: z.array(
    z.object({
      steps: z.array(z.object({ level: z.number().int(), patients: z.number().int(), dlts: z.number().int(), size: z.number().int(), kind: z.enum(['pending', 'fill', 'cohort']) })),
      /** The steps in words: "DL2: 1 DLT in 3 → DL2: 0 DLTs in 3". */
      path: z.string(),
      patients: z.number().int(),
      dlts: z.number().int(),
      history: z.string(),
      protocol: LookaheadDecision,
      boin: LookaheadDecision,
      mtpi2: LookaheadDecision,
    }),
  ),
  /** Why there is no path, or null. */
  note: z.string().nullable(),
}));
export type LookaheadResult = z.infer<typeof LookaheadResult>;

export const RecommendInput = lazySchema(() => z.object({
  design: Design,
  levels: z.number().int().positive().max(100),
  history: z.string().max(10000),
  deescalation: z.boolean().optional(),
  sixAtMtd: z.boolean().optional(),
  atdDesign: z.union([z.literal(2), z.literal(3), z.literal(4)]).optional(),
  atdHandoff: z.enum(['expand-trigger-level', 'next-level']).optional(),
  target: z.number().min(0.05).max(0.5).optional(),
}));

export const safetyApi = {
  'safety.aeListing': method(
    'Every AE with dose level, part, study day of onset, grade, seriousness, relatedness, DLT flag, outcome, action taken and the TEAE flag (of the chosen subjects, or of all).',
    () => z.object({ snapshotId: SnapshotId, usubjids: Usubjids }),
    () => z.object({ snapshotId: SnapshotId, rows: z.array(AeListingRow) }),
  ),
  'safety.aeListingPage': method(
    'One page of the AE grid from the stored AE facts: rows after the review filters (levels, part, subjects), AG Grid column filters (text and number models) and the quick search (every word in the row), sorted by the group, the sort model, then listing order; with the total and, when grouped, the rows per group.',
    () => z.object({
      snapshotId: SnapshotId,
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(10_000).default(100),
      sort: z.array(z.object({ colId: z.string(), sort: z.enum(['asc', 'desc']) })).max(20).default([]),
      filters: z.record(z.string(), GridFilter).default({}),
      search: z.string().max(1000).default(''),
      levels: z.array(z.number().int()).max(1000).nullable().default(null),
      part: z.enum(['escalation', 'expansion']).nullable().default(null),
      usubjids: z.array(z.string()).max(1_000_000).nullable().default(null),
      groupBy: z.enum(['aebodsys', 'aedecod', 'usubjid', 'level']).nullable().default(null),
    }),
    () => z.object({
      snapshotId: SnapshotId,
      rows: z.array(AeListingRow),
      /** Rows after every filter and the search. */
      total: z.number().int(),
      /** Rows after the review filters alone (levels, part, subjects), before the grid's filters and search. */
      selected: z.number().int(),
      /** Every AE of the snapshot. */
      unfiltered: z.number().int(),
      /** When grouped: each group's label (the value, or "(missing)") and rows after the filters, in the grid's group order. */
      groups: z.array(z.object({ key: z.string(), rows: z.number().int() })),
    }),
  ),
  'safety.incidence': method(
    'TEAE incidence (subjects and events, % of treated subjects) by dose level or part, per SOC and PT sorted by frequency; any grade or grade >= 3.',
    () => z.object({ snapshotId: SnapshotId, by: z.enum(['level', 'part']).default('level'), minGrade: z.union([z.literal(1), z.literal(3)]).default(1) }),
    () => IncidenceTable.extend({ snapshotId: SnapshotId, by: z.enum(['level', 'part']), dataCutoff: z.string().nullable() }),
  ),
  'safety.listings': method(
    'SAEs, DLTs, possible DLTs not flagged, AEs leading to discontinuation (AEACN = DRUG WITHDRAWN) and deaths (DM, DS, fatal AEs). With usubjids, the rows of those subjects only.',
    () => z.object({ snapshotId: SnapshotId, usubjids: Usubjids }),
    () => z.object({
      snapshotId: SnapshotId,
      saes: z.array(AeListingRow),
      dlts: z.array(AeListingRow),
      possibleDltsNotFlagged: z.array(AeListingRow),
      /** Related AEs in the DLT window, not flagged, without a CTCAE grade: the possible-DLT screen cannot assess them. */
      notScreenedGradeNotCollected: z.array(AeListingRow),
      /** Lab results of CTCAE grade >= 3 inside the DLT window: the rows of safety.dltTable's possibleDltLabs, with the subject and level. */
      possibleDltLabs: z.array(LabBrief.extend({ usubjid: z.string(), level: z.number().int(), dose: z.number(), part: Part })),
      discontinuations: z.array(AeListingRow),
      deaths: z.array(
        z.object({
          usubjid: z.string(),
          level: z.number().int().nullable(),
          dose: z.number().nullable(),
          part: Part,
          deathDtc: z.string().nullable(),
          studyDay: z.number().int().nullable(),
          sources: z.array(z.enum(['DM', 'DS', 'AE'])),
          causes: z.array(z.string()),
          onTreatmentOrAfter: z.boolean(),
        }),
      ),
    }),
  ),
  'safety.dltTable': method(
    'Per dose level the subjects and their DLT-window status, the escalation history, the protocol rule recommendation and BOIN / mTPI-2 beside it. With usubjids, each level lists only those subjects (its counts and the recommendation stay the whole level\'s: one patient\'s profile).',
    () => z.object({ snapshotId: SnapshotId, usubjids: Usubjids }),
    () => DltTableResult,
  ),
  'safety.dltIndex': method(
    "The DLT table's subjects in its order, per dose level and part, as columns: subject, DLT-window status, number of DLTs. What the Cohorts view windows, filters and compares with an earlier snapshot; the rows on screen come from safety.dltTable with usubjids.",
    () => z.object({ snapshotId: SnapshotId }),
    () => z.object({
      snapshotId: SnapshotId,
      levels: z.array(z.object({
        level: z.number().int(),
        part: Part,
        usubjid: z.array(z.string()),
        status: z.array(z.enum(['dlt', 'completed', 'in-window', 'not-evaluable'])),
        dlts: z.array(z.number().int()),
      })),
    }),
  ),
  'safety.ada': method(
    'Immunogenicity: ADA status per subject (Shankar et al. 2014), titres over time, incidence by dose level. With usubjids, only those subjects are listed (the incidence stays the whole study\'s). samples "positive": every sample of the subjects with a positive sample, the baseline sample alone of the others (what the Immunogenicity view draws and lists).',
    () => z.object({ snapshotId: SnapshotId, usubjids: Usubjids, samples: z.enum(['all', 'positive']).default('all'), as: RowsAs }),
    () => AdaResult,
  ),
  'safety.adaEmergent': method(
    'The subjects with treatment-emergent ADA (induced or boosted; safety.ada), as a list of USUBJID: what the PK view marks on its curves, without the samples.',
    () => z.object({ snapshotId: SnapshotId }),
    () => z.object({ snapshotId: SnapshotId, present: z.boolean(), treatmentEmergent: z.array(z.string()) }),
  ),
  'safety.recommend': method(
    'The escalation rule on a history in the reference notation ("1NNN 2NNT"): action, next level, whether the trial continues, recommended level, explanation.',
    () => RecommendInput,
    () => RuleSummary.extend({ history: z.string() }),
  ),
  'safety.lookahead': method(
    'Look-ahead decision table: what the protocol rule, BOIN and mTPI-2 would decide if the next 1..K (K <= 6) evaluable patients had 0, 1, 2, … DLTs, as outcome paths (shared/safety/lookahead.ts).',
    () => z.object({ snapshotId: SnapshotId, patients: z.number().int().min(1).max(6).default(3) }),
    () => LookaheadResult,
  ),
  'safety.relatedIncidence': method(
    'Treatment-related TEAE incidence (AEREL read as related) by dose level, per SOC and PT with worst grade; TEAEs with missing or unrecognised AEREL counted apart.',
    () => z.object({ snapshotId: SnapshotId, minGrade: z.union([z.literal(1), z.literal(3)]).default(1) }),
    () => RelatedIncidence,
  ),
  'safety.aeAction': method(
    'Subjects with TEAEs leading to discontinuation, dose reduction, interruption or increase (AEACN, CDISC CT C66767) by dose level, the listing, and the AEACN values that cannot be interpreted.',
    () => z.object({ snapshotId: SnapshotId }),
    () => AeActionResult,
  ),
  'safety.socGradeGrid': method(
    'SOC × dose level grid of TEAEs: subjects per cell and the worst CTCAE grade reached.',
    () => z.object({ snapshotId: SnapshotId }),
    () => SocGradeGridResult,
  ),
} as const;
