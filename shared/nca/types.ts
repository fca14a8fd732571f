// Types of the non-compartmental analysis (NCA) module. See nca.ts for the rules and their sources.

/** Route of administration. IV infusion needs `duration`. */
export type Route = 'extravascular' | 'iv-bolus' | 'iv-infusion';

/**
 * AUC/AUMC integration (docs/CLINICAL_RULES.md#nca "AUClast"):
 * - 'linear': linear trapezoid on every segment (WinNonlin "Linear Trapezoidal with Linear Interpolation").
 * - 'lin-up-log-down': log trapezoid on falling segments with both concentrations > 0, linear otherwise.
 */
export type AucMethod = 'linear' | 'lin-up-log-down';

/** What to do with a BLQ sample: set it to 0, drop it, or set it to LLOQ/2 (needs `lloq`). */
export type BlqRule = 'zero' | 'drop' | 'lloq/2';

/**
 * BLQ handling by position relative to the measurable (non-BLQ, non-missing) concentrations:
 * `first` = before the first measurable one, `middle` = between measurable ones, `last` = after the
 * last measurable one. Default: first 'zero', middle 'drop', last 'drop'.
 */
export interface BlqOptions {
  first: BlqRule;
  middle: BlqRule;
  last: BlqRule;
  /** Lower limit of quantification, in concentration units; required by 'lloq/2'. */
  lloq?: number;
}

/**
 * Reviewer's choice for the terminal slope. 'auto' = best fit (docs/CLINICAL_RULES.md#nca "λz selection").
 * 'range' = fit exactly the measurable points with start ≤ t ≤ end (times on the sample clock).
 * 'exclude' = the automatic best fit after removing the samples at these times.
 */
export type LambdaZChoice =
  | { kind: 'auto' }
  | { kind: 'range'; start: number; end: number }
  | { kind: 'exclude'; times: number[] };

export type LambdaZMethod = 'auto' | 'manual-range' | 'manual-exclusion';

export interface NcaUnits {
  /** e.g. "h" */
  time?: string;
  /** e.g. "ug/mL", "ng/mL", "mg/L" */
  conc?: string;
  /** e.g. "mg", "ug", "mg/kg" */
  dose?: string;
}

export interface NcaProfile {
  /** Sample times on the study clock (strictly increasing). */
  time: readonly number[];
  /** Concentrations; null = missing, or BLQ when `blq[i]` is true. */
  conc: readonly (number | null)[];
  /** BLQ flags, same length as `conc`. A flagged sample is handled by the BLQ rules whatever its value. */
  blq?: readonly boolean[];
  /** Dose amount (in `units.dose`). */
  dose: number;
  /** Time of the dose on the same clock as `time` (default 0). Samples before it are dropped. */
  doseTime?: number;
  route: Route;
  /** Infusion duration (time units), required for 'iv-infusion'. */
  duration?: number;
  /** Dosing interval; when given, the interval (tau) parameters are computed. */
  tau?: number;
  /**
   * Whether the profile is at steady state (default: true when `tau` is given). At steady state a
   * missing dose-time sample is set to Cmin of the interval (WinNonlin, docs/CLINICAL_RULES.md#nca "Dosing interval") and CL/Vz use
   * AUCtau; with `steadyState: false` a tau profile is a first dose (for the accumulation ratio).
   */
  steadyState?: boolean;
}

export interface NcaOptions {
  /** Default 'linear' (WinNonlin's default method). */
  aucMethod?: AucMethod;
  /** Minimum number of points of an automatic λz fit (PKNCA min.hl.points; default 3). */
  minHlPoints?: number;
  /** Fits within this of the best adjusted R² compete on number of points (PKNCA adj.r.squared.factor; 1e-4). */
  adjRSquaredFactor?: number;
  /** Allow the Tmax sample into the automatic λz fit for non-bolus routes (PKNCA allow.tmax.in.half.life; false). */
  allowTmaxInHalfLife?: boolean;
  /** Reviewer's λz choice (default auto). */
  lambdaZ?: LambdaZChoice;
  blq?: Partial<BlqOptions>;
  units?: NcaUnits;
}

export interface LambdaZFit {
  method: LambdaZMethod;
  /** Terminal rate constant, −slope of ln C on t (1/time). May be ≤ 0 for a manual range; then no derived parameter is computed. */
  lambdaZ: number;
  /** Intercept of ln C on t, on the sample clock (WinNonlin Lambda_z_intercept). */
  intercept: number;
  r2: number;
  /** Adjusted R²; NaN for a 2-point manual fit. */
  adjR2: number;
  /** Correlation of t and ln C (WinNonlin Corr_XY). */
  corrXY: number;
  nPoints: number;
  /** First and last time of the fit (sample clock). */
  lower: number;
  upper: number;
  /** Times and concentrations used in the fit. */
  times: number[];
  concs: number[];
  /** Times the reviewer excluded (manual-exclusion only). */
  excludedTimes: number[];
}

export interface NcaParameter {
  /** CDISC SDTM PP test code. */
  PPTESTCD: string;
  /** CDISC PPTEST name. */
  name: string;
  /** Value in `unit` (converted when the unit algebra allows; see units.ts). */
  value: number | null;
  unit: string;
  /** Present when a conversion was applied: the value before conversion and its unit expression. */
  rawValue?: number | null;
  rawUnit?: string;
  /** Why the value is empty, for the parameters that depend on a λz that is not estimable. */
  reason?: string;
}

/** Dosing-interval (tau) results. Times are on the sample clock. */
export interface NcaIntervalResult {
  tau: number;
  steadyState: boolean;
  /** Minimum observed concentration in [doseTime, doseTime + tau] and its time. */
  cmin: number | null;
  tmin: number | null;
  /** Concentration at doseTime + tau (interpolated, or extrapolated with λz beyond Tlast). */
  ctau: number | null;
  auctau: number | null;
  aumctau: number | null;
  /** % of AUCtau extrapolated beyond Tlast. */
  auctauPctExtrap: number | null;
  cavg: number | null;
  fluctuationPct: number | null;
  fluctuationPctTau: number | null;
  swing: number | null;
  swingTau: number | null;
  /** Dose/AUCtau (CL/F for extravascular). */
  clss: number | null;
  /** Dose/(λz·AUCtau) (Vz/F for extravascular). */
  vzss: number | null;
  accumulationIndex: number | null;
  /** Steady-state MRT = (AUMCtau + tau·(AUCINF_obs − AUCtau))/AUCtau (− duration/2 for infusion). */
  mrtss: number | null;
  /** MRTss·CLss, IV routes only. */
  vss: number | null;
}

export interface NcaResult {
  route: Route;
  aucMethod: AucMethod;
  dose: number;
  doseTime: number;
  /** Number of samples used after BLQ/missing handling and dropping pre-dose samples. */
  nSamples: number;
  /** Point added at dose time (not observed): its value and why. */
  addedDosePoint: { time: number; conc: number; reason: 'zero' | 'c0' | 'cmin-interval' } | null;
  cmax: number | null;
  tmax: number | null;
  cmin: number | null;
  tmin: number | null;
  tlast: number | null;
  clast: number | null;
  /** Time since dose of the sample before the first measurable concentration (extravascular only). */
  tlag: number | null;
  /** Back-extrapolated (or observed) concentration at dose time, IV bolus only. */
  c0: number | null;
  auclast: number;
  aucall: number;
  aumclast: number;
  lambdaZMethod: LambdaZMethod;
  lambdaZ: LambdaZFit | null;
  /** Why λz is missing, when it is. */
  lambdaZNote: string | null;
  halfLife: number | null;
  span: number | null;
  clastPred: number | null;
  aucinfObs: number | null;
  aucinfPred: number | null;
  aucPctExtrapObs: number | null;
  aucPctExtrapPred: number | null;
  /** % of AUCINF from dose time to the first sample (IV bolus back-extrapolation). */
  aucPctBackExtrapObs: number | null;
  aucPctBackExtrapPred: number | null;
  aumcinfObs: number | null;
  aumcinfPred: number | null;
  aumcPctExtrapObs: number | null;
  aumcPctExtrapPred: number | null;
  mrtlast: number | null;
  mrtinfObs: number | null;
  mrtinfPred: number | null;
  /** Dose/AUCINF (CL/F for extravascular). */
  clObs: number | null;
  clPred: number | null;
  /** Dose/(λz·AUCINF) (Vz/F for extravascular). */
  vzObs: number | null;
  vzPred: number | null;
  /** MRTINF·CL, IV routes only. */
  vssObs: number | null;
  vssPred: number | null;
  interval: NcaIntervalResult | null;
  /** Every reported parameter with its CDISC code and unit. Typed fields above are unconverted. */
  parameters: NcaParameter[];
}
