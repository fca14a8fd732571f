import { z } from 'zod';
import { columnsOf } from '../columns';
import { lazySchema } from '../lazySchema';
import type { NcaTableRow } from '../pk/ncaTable';
import { method, RowsAs, SnapshotId, Usubjids, WriteSession } from './method';

// Contract methods of the pk feature (merged into shared/contract.ts). The rules behind them:
// shared/pk/profiles.ts (profiles from PC/EX), shared/nca (NCA), shared/pk/summary.ts (statistics).

const Interval = lazySchema(() => z.enum(['single', 'steady']));
const TimeBasis = lazySchema(() => z.enum(['actual', 'nominal']));
const AucMethod = lazySchema(() => z.enum(['linear', 'lin-up-log-down']));
const Route = lazySchema(() => z.enum(['extravascular', 'iv-bolus', 'iv-infusion']));
const BlqRule = lazySchema(() => z.enum(['zero', 'drop', 'lloq/2']));
const Blq = lazySchema(() => z.object({ first: BlqRule.optional(), middle: BlqRule.optional(), last: BlqRule.optional() }));
const Num = lazySchema(() => z.number().nullable());

export const LambdaZChoice = lazySchema(() => z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('auto') }),
  z.object({ kind: z.literal('range'), start: z.number(), end: z.number() }).refine((c) => c.end > c.start, { message: 'end must be after start' }),
  z.object({ kind: z.literal('exclude'), times: z.array(z.number()).min(1).max(1000) }),
]));
export type LambdaZChoice = z.infer<typeof LambdaZChoice>;

/** One NCA parameter; `reason` says why a λz-dependent value is empty (λz not estimable). */
export const PkParameter = lazySchema(() => z.object({ PPTESTCD: z.string(), name: z.string(), value: Num, unit: z.string(), reason: z.string().optional() }));

export const PkPointOut = lazySchema(() => z.object({
  /** Time on the requested basis (h since the dose; the other basis when this one is missing); null = not placeable. */
  time: Num,
  actualH: Num,
  nominalH: Num,
  conc: Num,
  blq: z.boolean(),
  lloq: Num,
  pcdtc: z.string().nullable(),
  timeSource: z.enum(['PCRFTDTC', 'PCELTM', 'EX']),
  /** Why the sample has no actual time (the actual basis then uses its nominal time), or null. */
  actualNote: z.string().nullable(),
  /** Time used by NCA (pre-dose samples at 0), or null when NCA left it out (`ncaNote` says why). */
  ncaTime: Num,
  ncaNote: z.string().nullable(),
}));

const DoseOut = lazySchema(() => z.object({
  cycle: z.number().int(),
  exstdtc: z.string().nullable(),
  /** EXDOSE in EXDOSU (e.g. mg/kg). */
  exdose: Num,
  exdosu: z.string().nullable(),
  /** Amount given, mg (EXDOSE × baseline weight when per kg). */
  doseMg: Num,
  route: Route,
  infusionDurationH: Num,
  durationSource: z.enum(['EX', 'study']).nullable(),
}));

const SubjectHead = lazySchema(() => ({
  usubjid: z.string(),
  analyte: z.string(),
  /** PCSPEC of the profile (upper-cased; '' = not given). */
  matrix: z.string(),
  doseLevel: z.number().int().nullable(),
  doseLevelLabel: z.string().nullable(),
  /** Study part (DM arm / SUPPDM), for the review filters. */
  part: z.enum(['escalation', 'expansion']),
  dose: DoseOut,
  weightKg: Num,
  weightSource: z.string().nullable(),
  notes: z.array(z.string()),
}));

export const PkProfileOut = lazySchema(() => z.object({ ...SubjectHead, points: z.array(PkPointOut) }));

/** PCSPEC to analyse (default: the study definition's pk.matrix, else PLASMA, SERUM, BLOOD). */
const Matrix = lazySchema(() => z.string().max(40).optional());

/** An analyte × matrix the snapshot holds, with its number of samples (PCSTAT not NOT DONE). */
const Available = lazySchema(() => z.object({ analyte: z.string(), matrix: z.string(), samples: z.number().int() }));

/** What decided the analysis beyond the data: the matrix, τ and the time basis fallbacks. */
const Conventions = lazySchema(() => ({
  matrix: z.string().nullable(),
  available: z.array(Available),
  /** Where τ came from: the study definition (pk.tauH), EX dose spacing, or null = unknown (no steady-state parameter). */
  tauSource: z.enum(['study', 'EX']).nullable(),
  tauNote: z.string(),
  /** Subjects whose samples are placed on nominal time on the actual-time basis, and why. */
  timeFallback: z.array(z.object({ usubjid: z.string(), samples: z.number().int(), reasons: z.array(z.string()) })),
}));

const ProfilesInput = lazySchema(() => z.object({
  snapshotId: SnapshotId,
  analyte: z.string().max(40).optional(),
  matrix: Matrix,
  interval: Interval.default('single'),
  timeBasis: TimeBasis.default('actual'),
  /** Cycle of the steady-state profile (default: the latest sampled later cycle). */
  cycle: z.number().int().positive().optional(),
  usubjids: Usubjids,
}));

const Units = lazySchema(() => z.object({ time: z.string(), conc: z.string(), dose: z.string() }));

const StoredChoice = lazySchema(() => z.object({
  choice: LambdaZChoice,
  timeBasis: TimeBasis,
  reason: z.string().nullable(),
  by: z.string(),
  at: z.string(),
}));

export const NcaRow = lazySchema(() => z.object({
  ...SubjectHead,
  parameters: z.array(PkParameter),
  lambdaZ: z
    .object({
      method: z.enum(['auto', 'manual-range', 'manual-exclusion']),
      points: z.array(z.object({ time: z.number(), conc: z.number() })),
      excludedTimes: z.array(z.number()),
      lower: z.number(),
      upper: z.number(),
      nPoints: z.number().int(),
      r2: Num,
      adjR2: Num,
    })
    .nullable(),
  lambdaZNote: z.string().nullable(),
  /** The reviewer's stored choice in force (latest for this subject × analyte × interval), or null (automatic). */
  choice: StoredChoice.nullable(),
}));
export type NcaRow = z.infer<typeof NcaRow>;

const SummaryStat = lazySchema(() => z.object({
  label: z.string(),
  PPTESTCD: z.string(),
  unit: z.string(),
  n: z.number().int(),
  mean: Num,
  sd: Num,
  /** Arithmetic CV% = 100·SD/mean. */
  cvPct: Num,
  geoMean: Num,
  /** Geometric CV% = 100·√(exp(s²_ln) − 1). */
  geoCvPct: Num,
  median: Num,
  min: Num,
  max: Num,
  /** 'geometric' for log-normal parameters (report geoMean and geoCvPct), 'arithmetic' for Tmax and DF. */
  cvKind: z.enum(['geometric', 'arithmetic']),
}));

const NcaOptionsInput = lazySchema(() => ({
  snapshotId: SnapshotId,
  analyte: z.string().max(40).optional(),
  matrix: Matrix,
  interval: Interval.default('single'),
  timeBasis: TimeBasis.default('actual'),
  /** AUC method (default linear, WinNonlin's default; lin-up-log-down available). */
  aucMethod: AucMethod.default('linear'),
  cycle: z.number().int().positive().optional(),
  blq: Blq.optional(),
}));

const NcaOutput = lazySchema(() => z.object({
  snapshotId: SnapshotId,
  analyte: z.string().nullable(),
  analytes: z.array(z.string()),
  interval: Interval,
  timeBasis: TimeBasis,
  aucMethod: AucMethod,
  tauH: Num,
  ...Conventions,
  units: Units,
  rows: z.array(NcaRow),
  /** Asked with fields 'table' as columns: the NCA table's rows (`codes` = the parameters of their `values`); else null. */
  table: z.object({ codes: z.array(z.string()), rows: columnsOf<NcaTableRow>() }).nullable(),
  summary: z.array(
    z.object({ doseLevel: z.number().int().nullable(), doseLevelLabel: z.string().nullable(), n: z.number().int(), parameters: z.array(SummaryStat) }),
  ),
  notes: z.array(z.string()),
}));

const NumOrNull = lazySchema(() => z.array(z.number().nullable()));
const Ints = lazySchema(() => z.array(z.number().int()));

/** shared/pk/curves.ts CurvePoints: one array per field of pk.profiles' points. */
const CurvePoints = lazySchema(() => z.object({
  actualH: NumOrNull,
  nominalH: NumOrNull,
  conc: NumOrNull,
  lloq: NumOrNull,
  /** 1 = BLQ. */
  blq: Ints,
  pcdtc: z.array(z.string().nullable()),
  /** Index into PCRFTDTC, PCELTM, EX. */
  timeSource: Ints,
  /** Index into `texts`, −1 = none. */
  actualNote: Ints,
  /** 0 = NCA uses the sample at its time, 1 = at the dose time (last pre-dose sample), 2 = left out. */
  ncaAt: Ints,
  ncaNote: Ints,
}));

/** shared/pk/curves.ts CurveSummary: mean ± SD and geometric mean ×/÷ geometric SD at each nominal time. */
const CurveSummary = lazySchema(() => z.object({
  time: z.array(z.number()),
  n: Ints,
  nBlq: Ints,
  mean: z.array(z.number()),
  sd: NumOrNull,
  nGeo: Ints,
  geoMean: NumOrNull,
  geoSd: NumOrNull,
}));

const ColumnOrNumber = lazySchema(() => z.union([z.number(), z.string().min(1)]));

export const pkApi = {
  'pk.profiles': method(
    'Concentration-time profiles per subject (one analyte, one dosing interval) with dose, route, BLQ flags and both time bases.',
    () => z.object(ProfilesInput.shape),
    () => z.object({
      snapshotId: SnapshotId,
      analyte: z.string().nullable(),
      analytes: z.array(z.string()),
      interval: Interval,
      timeBasis: TimeBasis,
      tauH: Num,
      ...Conventions,
      units: Units,
      profiles: z.array(PkProfileOut),
      notes: z.array(z.string()),
    }),
  ),
  'pk.curves': method(
    'The profiles of pk.profiles as columns per dose level (one array per field, not one object per sample) with mean ± SD and geometric mean curves per level; the samples only with `individual`.',
    () => z.object({
      ...ProfilesInput.shape,
      /** Send every sample (the per-subject curves); false = the per-level mean curves only. */
      individual: z.boolean().default(true),
    }),
    () => z.object({
      snapshotId: SnapshotId,
      analyte: z.string().nullable(),
      analytes: z.array(z.string()),
      interval: Interval,
      timeBasis: TimeBasis,
      tauH: Num,
      ...Conventions,
      units: Units,
      /** Every subject with a profile of the interval, whether or not in `usubjids`. */
      subjects: z.object({
        usubjid: z.array(z.string()),
        doseLevel: NumOrNull,
        part: z.array(z.enum(['escalation', 'expansion'])),
        cycle: Ints,
        samples: Ints,
        measured: Ints,
        /** BLQ samples with a time and an LLOQ (drawn at LLOQ/2). */
        blq: Ints,
      }),
      /** The subjects asked for (all, or `usubjids`) by dose level, ascending, no level last. */
      levels: z.array(
        z.object({
          doseLevel: z.number().int().nullable(),
          doseLevelLabel: z.string().nullable(),
          /** Indices into `subjects`. */
          subjects: Ints,
          /** Subject k's samples are start[k] … start[k+1] − 1 of `points` (empty without `individual`). */
          start: Ints,
          points: CurvePoints.nullable(),
          summary: CurveSummary,
        }),
      ),
      /** Note texts the points refer to by index. */
      texts: z.array(z.string()),
      notes: z.array(z.string()),
    }),
  ),
  'pk.nca': method(
    'NCA per subject (CDISC PPTESTCD parameters, lambda_z points, reviewer choice) and summary statistics by dose level.',
    () => z.object({
      ...NcaOptionsInput,
      usubjids: Usubjids,
      /** 'table': each row only with the parameters the NCA table shows (the summary's and AUCPEO) and without λz points (lambdaZ.points and excludedTimes empty; ask for the subject alone for them). */
      fields: z.enum(['all', 'table']).default('all'),
      /** With fields 'table': 'columns' sends the table's cells (shared/pk/ncaTable.ts) as `table`, and `rows` empty; with fields 'all' it is not used. */
      as: RowsAs,
      /** Significant digits of the table's numbers when sent as columns (the cells show 4; whole numbers from 10^digits up); null = full values. Not used for rows. */
      digits: z.number().int().min(1).max(17).nullable().default(null),
    }),
    () => NcaOutput,
  ),
  'pk.setLambdaZ': method(
    "Store a reviewer's lambda_z choice (who and when; a new row each time, the latest wins) and return the recomputed NCA row.",
    () => z.object({
      session: WriteSession,
      snapshotId: SnapshotId,
      usubjid: z.string().min(1),
      analyte: z.string().min(1).max(40),
      matrix: Matrix,
      interval: Interval,
      timeBasis: TimeBasis.default('actual'),
      aucMethod: AucMethod.default('linear'),
      choice: LambdaZChoice,
      reason: z.string().max(2000).optional(),
    }),
    () => NcaRow,
  ),
  'pk.lambdaZHistory': method(
    'Every stored lambda_z choice of a snapshot, oldest first (the audit of reviewer choices).',
    () => z.object({ snapshotId: SnapshotId, usubjid: z.string().optional() }),
    () => z.array(StoredChoice.extend({ id: z.number().int(), usubjid: z.string(), analyte: z.string(), interval: Interval })),
  ),
  'pk.compareReported': method(
    'Computed NCA against the PP domain per subject × parameter, matched on PPCAT (analyte), PPSPEC (matrix) and PPTESTCD: absolute and % difference.',
    () => z.object({ snapshotId: SnapshotId, analyte: z.string().max(40).optional(), matrix: Matrix, timeBasis: TimeBasis.default('actual'), aucMethod: AucMethod.default('linear') }),
    () => z.object({
      snapshotId: SnapshotId,
      rows: z.array(
        z.object({
          usubjid: z.string(),
          analyte: z.string(),
          matrix: z.string(),
          /** PPCAT and PPSPEC as reported. */
          ppcat: z.string().nullable(),
          ppspec: z.string().nullable(),
          interval: Interval,
          PPTESTCD: z.string(),
          reported: Num,
          reportedUnit: z.string().nullable(),
          computed: Num,
          computedUnit: z.string().nullable(),
          /** computed − reported. */
          difference: Num,
          /** 100·(computed − reported)/reported. */
          pctDifference: Num,
          unitsMatch: z.boolean(),
        }),
      ),
      notes: z.array(z.string()),
    }),
  ),
  'pk.urine': method(
    'Urinary excretion per subject and dose: amount per collection (conc × volume), cumulative Ae, fe = Ae/dose and CLR = Ae(0–t)/AUC(0–t) of the circulating matrix.',
    () => z.object({
      snapshotId: SnapshotId,
      analyte: z.string().max(40).optional(),
      /** The excreta matrix (default: URINE of the analyte). */
      matrix: Matrix,
      timeBasis: TimeBasis.default('actual'),
      aucMethod: AucMethod.default('linear'),
      usubjids: Usubjids,
    }),
    () => z.object({
      snapshotId: SnapshotId,
      analyte: z.string().nullable(),
      /** The urine matrix analysed, or null when the analyte has none. */
      matrix: z.string().nullable(),
      /** The circulating matrix whose AUC gives CLR. */
      plasmaMatrix: z.string().nullable(),
      available: z.array(Available),
      units: z.object({ amount: z.string(), clr: z.string(), auc: z.string() }),
      rows: z.array(
        z.object({
          usubjid: z.string(),
          doseLevel: z.number().int().nullable(),
          doseLevelLabel: z.string().nullable(),
          part: z.enum(['escalation', 'expansion']),
          cycle: z.number().int(),
          exstdtc: z.string().nullable(),
          doseMg: Num,
          intervals: z.array(
            z.object({
              startH: Num,
              endH: Num,
              timeSource: z.enum(['PCDTC-PCENDTC', 'PCTPT', 'PCELTM']).nullable(),
              pctpt: z.string().nullable(),
              conc: Num,
              blq: z.boolean(),
              concUnit: z.string().nullable(),
              volume: Num,
              volumeUnit: z.string().nullable(),
              amountMg: Num,
              cumulativeMg: Num,
              note: z.string().nullable(),
            }),
          ),
          /** Ae(0–t) in mg over the contiguous collections from the dose, and t. */
          aeMg: Num,
          aeEndH: Num,
          /** fe = Ae/dose (fraction). */
          fe: Num,
          /** AUC(0–t) of the circulating matrix over the same 0–t, and CLR = Ae/AUC in L/h. */
          aucPlasma: Num,
          clrLPerH: Num,
          notes: z.array(z.string()),
        }),
      ),
      /** When no urine parameter can be given at all: why (no urine samples, no volumes …). */
      reason: z.string().nullable(),
      notes: z.array(z.string()),
    }),
  ),
  'pk.doseProportionality': method(
    'Power model ln(parameter) = a + b·ln(dose) for Cmax and AUC: b with its CI (default 90%) and the points.',
    () => z.object({ ...NcaOptionsInput, level: z.number().gt(0).lt(1).default(0.9) }),
    () => z.object({
      snapshotId: SnapshotId,
      interval: Interval,
      doseUnit: z.string(),
      parameters: z.array(
        z.object({
          PPTESTCD: z.string(),
          label: z.string(),
          unit: z.string(),
          points: z.array(z.object({ usubjid: z.string(), dose: z.number(), value: z.number() })),
          fit: z
            .object({
              n: z.number().int(),
              intercept: z.number(),
              slope: z.number(),
              seSlope: z.number(),
              ciLower: z.number(),
              ciUpper: z.number(),
              level: z.number(),
              r2: z.number(),
              criterion: z.object({ doseRatio: z.number(), lower: z.number(), upper: z.number(), proportional: z.boolean() }).nullable(),
            })
            .nullable(),
          note: z.string().nullable(),
        }),
      ),
    }),
  ),
  'pk.ncaFile': method(
    'NCA of a concentration CSV (one profile per subject): parameters keyed by PPTESTCD, one row per subject.',
    () => z.object({
      path: z.string().min(1),
      subject: z.string().min(1),
      time: z.string().min(1),
      conc: z.string().min(1),
      /** A dose for every subject, or the name of the dose column. */
      dose: ColumnOrNumber,
      route: Route,
      /** Infusion duration (number) or its column. */
      duration: ColumnOrNumber.optional(),
      aucMethod: AucMethod.default('linear'),
      tau: z.number().positive().optional(),
      doseTime: z.number().default(0),
      units: z.object({ time: z.string().optional(), conc: z.string().optional(), dose: z.string().optional() }).optional(),
      blq: Blq.optional(),
    }),
    () => z.object({
      file: z.string(),
      codes: z.array(z.string()),
      units: z.record(z.string(), z.string()),
      rows: z.array(z.object({ subject: z.string(), dose: Num, values: z.record(z.string(), Num), note: z.string().nullable() })),
    }),
  ),
} as const;
