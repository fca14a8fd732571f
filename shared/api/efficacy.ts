import { z } from 'zod';
import { lazySchema } from '../lazySchema';
import { method, SnapshotId, Usubjids } from './method';

// Contract methods of the efficacy feature (merged into shared/contract.ts): tumour response
// (spider / waterfall series, time-point responses, BOR), ORR / DCR with exact CIs, Kaplan–Meier
// for PFS and OS, and the validation entry points behind the CLI (KM of a CSV file, binomial CI).

const Response = lazySchema(() => z.enum(['CR', 'PR', 'SD', 'NON-CR/NON-PD', 'PD', 'NE', 'ND']));
const BestResponse = lazySchema(() => z.enum(['CR', 'PR', 'SD', 'NON-CR/NON-PD', 'PD', 'NE', 'ND', 'MISSING']));
const ConfType = lazySchema(() => z.enum(['log', 'log-log', 'plain']));
const Part = lazySchema(() => z.enum(['escalation', 'expansion']));

const SubjectKey = lazySchema(() => ({
  usubjid: z.string(),
  /** Dose level of the first dose in the study definition's plan; null when the dose is not in the plan. */
  level: z.number().int().nullable(),
  dose: z.number().nullable(),
  doseUnit: z.string().nullable(),
  part: Part,
  firstDoseDtc: z.string(),
}));

export const TumourPoint = lazySchema(() => z.object({
  dtc: z.string(),
  studyDay: z.number().int(),
  baseline: z.boolean(),
  /** The evaluator whose reading is used (accepted record, else INVESTIGATOR). */
  evaluator: z.string(),
  sum: z.number().nullable(),
  sumSource: z.enum(['SUMDIAM', 'derived']).nullable(),
  nadir: z.number().nullable(),
  pctFromBaseline: z.number().nullable(),
  pctFromNadir: z.number().nullable(),
  newLesion: z.boolean(),
  response: Response.nullable(),
  responseSource: z.enum(['RS', 'computed']).nullable(),
}));

export const BorResult = lazySchema(() => z.object({
  response: BestResponse,
  dtc: z.string().nullable(),
  firstResponseDtc: z.string().nullable(),
  dor: z.object({ days: z.number(), event: z.boolean(), endDtc: z.string() }).nullable(),
}));

export const TumourSubject = lazySchema(() => z.object({
  ...SubjectKey,
  baselineDtc: z.string().nullable(),
  /** A tumour assessment on or before the first dose (TR, or a TU lesion then): in the ORR/DCR and PFS analysis sets. */
  hasBaselineAssessment: z.boolean(),
  baselineSum: z.number().nullable(),
  points: z.array(TumourPoint),
  /** Waterfall bar: best (smallest) % change from baseline; null without a post-baseline sum. */
  bestPctChange: z.number().nullable(),
  bor: z.object({ confirmed: BorResult, unconfirmed: BorResult }),
  notes: z.array(z.string()),
}));
export type TumourSubject = z.infer<typeof TumourSubject>;

const Rate = lazySchema(() => z.object({ count: z.number().int(), estimate: z.number().nullable(), lower: z.number(), upper: z.number() }));

export const ResponseGroup = lazySchema(() => z.object({
  key: z.string(),
  label: z.string(),
  level: z.number().int().nullable(),
  part: Part.nullable(),
  nTreated: z.number().int(),
  /**
   * The denominator: subjects of the response analysis set (a baseline tumour assessment) with at least
   * one post-baseline time-point response (BOR not MISSING).
   */
  nEvaluable: z.number().int(),
  /** Treated subjects left out of the analysis set: no baseline tumour assessment. */
  nNoBaseline: z.number().int(),
  /** In the analysis set without any post-baseline time-point response yet: not in the denominator. */
  nNoPostBaseline: z.number().int(),
  counts: z.object({ CR: z.number().int(), PR: z.number().int(), SD: z.number().int(), 'NON-CR/NON-PD': z.number().int(), PD: z.number().int(), NE: z.number().int() }),
  /** ORR = (CR + PR) / nEvaluable, exact Clopper–Pearson CI. */
  orr: Rate,
  /** DCR = (CR + PR + SD + NON-CR/NON-PD) / nEvaluable, exact Clopper–Pearson CI. */
  dcr: Rate,
}));
export type ResponseGroup = z.infer<typeof ResponseGroup>;

const KmStep = lazySchema(() => z.object({
  time: z.number(), surv: z.number(), lower: z.number().nullable(), upper: z.number().nullable(),
  nRisk: z.number().int(), nEvent: z.number().int(), nCensor: z.number().int(),
}));
export const KmGroup = lazySchema(() => z.object({
  label: z.string(),
  n: z.number().int(),
  events: z.number().int(),
  censored: z.number().int(),
  steps: z.array(KmStep),
  censorMarks: z.array(z.object({ time: z.number(), surv: z.number() })),
  median: z.object({ estimate: z.number().nullable(), lower: z.number().nullable(), upper: z.number().nullable() }),
  at: z.array(z.object({ time: z.number(), surv: z.number(), stdErr: z.number().nullable(), lower: z.number().nullable(), upper: z.number().nullable(), nRisk: z.number().int() })),
}));
export const KmLogRank = lazySchema(() => z.object({
  chisq: z.number(),
  df: z.number().int(),
  pValue: z.number().nullable(),
  groups: z.array(z.object({ label: z.string(), n: z.number().int(), observed: z.number(), expected: z.number() })),
}));

const AtTimes = lazySchema(() => z.array(z.number().nonnegative()).max(200));

/** Who an analysis counts: the rule, the counts and the subjects left out with why. */
export const AnalysisSet = lazySchema(() => z.object({
  name: z.string(),
  rule: z.string(),
  nTreated: z.number().int(),
  nIncluded: z.number().int(),
  nExcluded: z.number().int(),
  excluded: z.array(z.object({ usubjid: z.string(), reason: z.string() })),
}));
export type AnalysisSet = z.infer<typeof AnalysisSet>;

export const efficacyApi = {
  'efficacy.tumourSeries': method(
    'Per treated subject: the spider series (study day, % change of the sum of diameters from baseline and nadir, new lesions, time-point response), the waterfall value (best % change), BOR with and without confirmation, dose level and part (of the chosen subjects, or of all).',
    () => z.object({ snapshotId: SnapshotId, usubjids: Usubjids }),
    () => z.object({
      snapshotId: SnapshotId,
      dataCutoff: z.string().nullable(),
      confirmationDays: z.number().int(),
      minSdDays: z.number().int(),
      subjects: z.array(TumourSubject),
    }),
  ),
  'efficacy.plotColumns': method(
    "What the spider and waterfall plots and the best-response table show of efficacy.tumourSeries, as columns (shared/efficacy/columns.ts): per subject the level, part, best % change (0.1), BOR confirmed and unconfirmed with the first response date, duration of the confirmed response, notes; with points, every assessment's date, study day, % change from baseline (0.1), response, baseline / new-lesion / sum-source flags.",
    () => z.object({ snapshotId: SnapshotId, points: z.boolean().default(true) }),
    () => z.object({
      snapshotId: SnapshotId,
      dataCutoff: z.string().nullable(),
      confirmationDays: z.number().int(),
      subjects: z.object({
        usubjid: z.array(z.string()),
        level: z.array(z.number().int().nullable()),
        part: z.array(Part),
        bestPctChange: z.array(z.number().nullable()),
        borConfirmed: z.array(BestResponse),
        borUnconfirmed: z.array(BestResponse),
        firstResponseConfirmed: z.array(z.string().nullable()),
        firstResponseUnconfirmed: z.array(z.string().nullable()),
        dorDays: z.array(z.number().nullable()),
        dorEvent: z.array(z.boolean().nullable()),
        notes: z.array(z.array(z.string())),
        start: z.array(z.number().int()),
      }),
      points: z.object({
        dtc: z.array(z.string()),
        studyDay: z.array(z.number().int()),
        pctFromBaseline: z.array(z.number().nullable()),
        response: z.array(Response.nullable()),
        baseline: z.array(z.number().int()),
        newLesion: z.array(z.number().int()),
        derived: z.array(z.number().int()),
        sumdiam: z.array(z.number().int()),
      }),
      assessed: z.number().int(),
    }),
  ),
  'efficacy.responseSummary': method(
    'Per dose level (or part) and overall: n treated, n evaluable, BOR counts, ORR and DCR with exact 95% CIs. Confirmation of CR/PR required by default (non-randomised trial, RECIST 1.1).',
    () => z.object({ snapshotId: SnapshotId, confirm: z.boolean().default(true), by: z.enum(['level', 'part']).default('level'), level: z.number().gt(0).lt(1).default(0.95), usubjids: Usubjids }),
    () => z.object({ snapshotId: SnapshotId, confirmed: z.boolean(), by: z.enum(['level', 'part']), analysisSet: AnalysisSet, groups: z.array(ResponseGroup), overall: ResponseGroup }),
  ),
  'efficacy.km': method(
    'Kaplan–Meier curves for PFS or OS from a snapshot, overall or by dose level or part: step curve with CI and censor marks, median with CI, S(t) and numbers at risk at the given times, log-rank when grouped; the per-subject times and the censoring rules.',
    () => z.object({
      snapshotId: SnapshotId,
      endpoint: z.enum(['PFS', 'OS']),
      by: z.enum(['level', 'part', 'none']).default('none'),
      confType: ConfType.default('log-log'),
      level: z.number().gt(0).lt(1).default(0.95),
      /** Time unit of the curves and of `at`: months (days / 30.4375) by default. */
      unit: z.enum(['days', 'months']).default('months'),
      at: AtTimes.optional(),
      usubjids: Usubjids,
      /** False: without the per-subject times (`subjects` empty), for a caller that draws the curves only. */
      subjects: z.boolean().default(true),
    }),
    () => z.object({
      snapshotId: SnapshotId,
      endpoint: z.enum(['PFS', 'OS']),
      unit: z.enum(['days', 'months']),
      by: z.enum(['level', 'part', 'none']),
      confType: ConfType,
      level: z.number(),
      /** PFS: subjects with a baseline tumour assessment; OS: all treated. */
      analysisSet: AnalysisSet,
      groups: z.array(KmGroup),
      logRank: KmLogRank.nullable(),
      subjects: z.array(z.object({
        usubjid: z.string(), group: z.string(), event: z.boolean(), dtc: z.string(), days: z.number(), months: z.number(),
        reason: z.string(), imputed: z.string().nullable(),
      })),
      censoringRules: z.string(),
    }),
  ),
  'efficacy.responses': method(
    'Every time-point response per treated subject (accepted evaluator; RS OVRLRESP or computed by RECIST 1.1): the swimmer markers. With usubjids, only those subjects.',
    () => z.object({ snapshotId: SnapshotId, usubjids: Usubjids }),
    () => z.object({
      snapshotId: SnapshotId,
      subjects: z.array(z.object({
        ...SubjectKey,
        responses: z.array(z.object({ dtc: z.string(), studyDay: z.number().int(), response: Response, source: z.enum(['RS', 'computed']), evaluator: z.string(), newLesion: z.boolean() })),
      })),
    }),
  ),
  'efficacy.kmFile': method(
    'Kaplan–Meier of a CSV file (validation against reference tools): per group n, events, median with CI, S(t) and numbers at risk at the given times; log-rank when grouped. Rows with a missing time or status are dropped and counted.',
    () => z.object({
      path: z.string().min(1),
      time: z.string().min(1),
      event: z.string().min(1),
      /** The status value that means an event; without it R's Surv() coding: 0/1 (1 = event), 1/2 (2 = event), TRUE/FALSE. */
      eventValue: z.string().optional(),
      group: z.string().optional(),
      confType: ConfType.default('log-log'),
      level: z.number().gt(0).lt(1).default(0.95),
      at: AtTimes.default([]),
    }),
    () => z.object({
      file: z.string(),
      n: z.number().int(),
      dropped: z.number().int(),
      eventCoding: z.string(),
      confType: ConfType,
      level: z.number(),
      groups: z.array(KmGroup),
      logRank: KmLogRank.nullable(),
    }),
  ),
  'efficacy.binomialCi': method(
    'Exact Clopper–Pearson confidence interval for x responders out of n (as R binom.test).',
    () => z.object({ x: z.number().int().nonnegative(), n: z.number().int().nonnegative(), level: z.number().gt(0).lt(1).default(0.95) }).refine((v) => v.x <= v.n, { message: 'x must not exceed n', path: ['x'] }),
    () => z.object({ x: z.number().int(), n: z.number().int(), level: z.number(), estimate: z.number().nullable(), lower: z.number(), upper: z.number(), method: z.string() }),
  ),
} as const;
