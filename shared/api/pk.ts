import { z } from 'zod';
import { method, SnapshotId, Usubjids, WriteSession } from './method';

// Contract methods of the pk feature (merged into shared/contract.ts). The rules behind them:
// shared/pk/profiles.ts (profiles from PC/EX), shared/nca (NCA), shared/pk/summary.ts (statistics).

const Interval = z.enum(['single', 'steady']);
const TimeBasis = z.enum(['actual', 'nominal']);
const AucMethod = z.enum(['linear', 'lin-up-log-down']);
const Route = z.enum(['extravascular', 'iv-bolus', 'iv-infusion']);
const BlqRule = z.enum(['zero', 'drop', 'lloq/2']);
const Blq = z.object({ first: BlqRule.optional(), middle: BlqRule.optional(), last: BlqRule.optional() });
const Num = z.number().nullable();

export const LambdaZChoice = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('auto') }),
  z.object({ kind: z.literal('range'), start: z.number(), end: z.number() }).refine((c) => c.end > c.start, { message: 'end must be after start' }),
  z.object({ kind: z.literal('exclude'), times: z.array(z.number()).min(1).max(1000) }),
]);
export type LambdaZChoice = z.infer<typeof LambdaZChoice>;

export const PkParameter = z.object({ PPTESTCD: z.string(), name: z.string(), value: Num, unit: z.string() });

export const PkPointOut = z.object({
  /** Time on the requested basis (h since the dose; the other basis when this one is missing); null = not placeable. */
  time: Num,
  actualH: Num,
  nominalH: Num,
  conc: Num,
  blq: z.boolean(),
  lloq: Num,
  pcdtc: z.string().nullable(),
  timeSource: z.enum(['PCRFTDTC', 'PCELTM', 'EX']),
  /** Time used by NCA (pre-dose samples at 0), or null when NCA left it out (`ncaNote` says why). */
  ncaTime: Num,
  ncaNote: z.string().nullable(),
});

const DoseOut = z.object({
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
});

const SubjectHead = {
  usubjid: z.string(),
  analyte: z.string(),
  doseLevel: z.number().int().nullable(),
  doseLevelLabel: z.string().nullable(),
  /** Study part (DM arm / SUPPDM), for the review filters. */
  part: z.enum(['escalation', 'expansion']),
  dose: DoseOut,
  weightKg: Num,
  weightSource: z.string().nullable(),
  notes: z.array(z.string()),
};

export const PkProfileOut = z.object({ ...SubjectHead, points: z.array(PkPointOut) });

const ProfilesInput = z.object({
  snapshotId: SnapshotId,
  analyte: z.string().max(40).optional(),
  interval: Interval.default('single'),
  timeBasis: TimeBasis.default('actual'),
  /** Cycle of the steady-state profile (default: the latest sampled later cycle). */
  cycle: z.number().int().positive().optional(),
  usubjids: Usubjids,
});

const Units = z.object({ time: z.string(), conc: z.string(), dose: z.string() });

const StoredChoice = z.object({
  choice: LambdaZChoice,
  timeBasis: TimeBasis,
  reason: z.string().nullable(),
  by: z.string(),
  at: z.string(),
});

export const NcaRow = z.object({
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
});
export type NcaRow = z.infer<typeof NcaRow>;

const SummaryStat = z.object({
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
});

const NcaOptionsInput = {
  snapshotId: SnapshotId,
  analyte: z.string().max(40).optional(),
  interval: Interval.default('single'),
  timeBasis: TimeBasis.default('actual'),
  /** AUC method (default linear, WinNonlin's default; lin-up-log-down available). */
  aucMethod: AucMethod.default('linear'),
  cycle: z.number().int().positive().optional(),
  blq: Blq.optional(),
};

const NcaOutput = z.object({
  snapshotId: SnapshotId,
  analyte: z.string().nullable(),
  analytes: z.array(z.string()),
  interval: Interval,
  timeBasis: TimeBasis,
  aucMethod: AucMethod,
  tauH: Num,
  units: Units,
  rows: z.array(NcaRow),
  summary: z.array(
    z.object({ doseLevel: z.number().int().nullable(), doseLevelLabel: z.string().nullable(), n: z.number().int(), parameters: z.array(SummaryStat) }),
  ),
  notes: z.array(z.string()),
});

const ColumnOrNumber = z.union([z.number(), z.string().min(1)]);

export const pkApi = {
  'pk.profiles': method(
    'Concentration-time profiles per subject (one analyte, one dosing interval) with dose, route, BLQ flags and both time bases.',
    z.object(ProfilesInput.shape),
    z.object({
      snapshotId: SnapshotId,
      analyte: z.string().nullable(),
      analytes: z.array(z.string()),
      interval: Interval,
      timeBasis: TimeBasis,
      tauH: Num,
      units: Units,
      profiles: z.array(PkProfileOut),
      notes: z.array(z.string()),
    }),
  ),
  'pk.nca': method(
    'NCA per subject (CDISC PPTESTCD parameters, lambda_z points, reviewer choice) and summary statistics by dose level.',
    z.object({ ...NcaOptionsInput, usubjids: Usubjids }),
    NcaOutput,
  ),
  'pk.setLambdaZ': method(
    "Store a reviewer's lambda_z choice (who and when; a new row each time, the latest wins) and return the recomputed NCA row.",
    z.object({
      session: WriteSession,
      snapshotId: SnapshotId,
      usubjid: z.string().min(1),
      analyte: z.string().min(1).max(40),
      interval: Interval,
      timeBasis: TimeBasis.default('actual'),
      aucMethod: AucMethod.default('linear'),
      choice: LambdaZChoice,
      reason: z.string().max(2000).optional(),
    }),
    NcaRow,
  ),
  'pk.lambdaZHistory': method(
    'Every stored lambda_z choice of a snapshot, oldest first (the audit of reviewer choices).',
    z.object({ snapshotId: SnapshotId, usubjid: z.string().optional() }),
    z.array(StoredChoice.extend({ id: z.number().int(), usubjid: z.string(), analyte: z.string(), interval: Interval })),
  ),
  'pk.compareReported': method(
    'Computed NCA against the PP domain per subject × parameter: absolute and % difference.',
    z.object({ snapshotId: SnapshotId, analyte: z.string().max(40).optional(), timeBasis: TimeBasis.default('actual'), aucMethod: AucMethod.default('linear') }),
    z.object({
      snapshotId: SnapshotId,
      rows: z.array(
        z.object({
          usubjid: z.string(),
          analyte: z.string(),
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
  'pk.doseProportionality': method(
    'Power model ln(parameter) = a + b·ln(dose) for Cmax and AUC: b with its CI (default 90%) and the points.',
    z.object({ ...NcaOptionsInput, level: z.number().gt(0).lt(1).default(0.9) }),
    z.object({
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
    z.object({
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
    z.object({
      file: z.string(),
      codes: z.array(z.string()),
      units: z.record(z.string(), z.string()),
      rows: z.array(z.object({ subject: z.string(), dose: Num, values: z.record(z.string(), Num), note: z.string().nullable() })),
    }),
  ),
} as const;
