// Decision vocabulary of the rule engine (docs/CLINICAL_RULES.md#incomplete-cohorts,
// #committee-decisions; action names as in the R package `escalation`, S5).

export const ESCALATION_ACTIONS = [
  'ESCALATE',
  'STAY', // BOIN / mTPI-2
  'STAY_EXPAND_TO_6',
  'CONTINUE_COHORT',
  'DEESCALATE',
  'DEESCALATE_EXPAND_LOWER',
  'DEESCALATE_ELIMINATE', // BOIN elimination / mTPI-2 DU
  'STOP_MTD',
  'STOP_MAX_DOSE',
  'STOP_NO_MTD',
  'ESCALATE_SINGLE',
  'SWITCH_TO_3P3',
  'SWITCH_TO_COHORTS',
  'INTRAPATIENT_ESCALATE',
  'INTRAPATIENT_NO_ESCALATION',
  'DEESCALATE_FILL_LOWER',
] as const;
export type EscalationAction = (typeof ESCALATION_ACTIONS)[number];

/** How certain a rule is (docs/CLINICAL_RULES.md#incomplete-cohorts). */
export type RuleCertainty = 'source-explicit' | 'source-implied' | 'package-behaviour' | 'protocol-choice';

export type DesignName = '3+3' | 'atd' | 'boin' | 'mtpi2';

/** The decision of a rule for the current state of the trial. */
export interface Decision {
  action: EscalationAction;
  /** Level for the next patient(s); null when the trial (or the escalation part) stops. */
  nextLevel: number | null;
  /** Whether dose escalation continues. */
  continues: boolean;
  /**
   * The level the rule recommends now, as the `escalation` package's `recommended_dose` (S5):
   * the next level while the trial continues; the MTD (or top level) when it stops; null when no
   * level is acceptable.
   */
  recommendedLevel: number | null;
  /** Short id of the rule applied, e.g. "3+3/expand-1-of-3". */
  rule: string;
  certainty: RuleCertainty;
  /** Source codes of the reference file (S1..S17) or "ATD-13"-style case ids. */
  sources: string[];
  /** One paragraph naming the rule applied, with the counts. */
  explanation: string;
}

export interface Recommendation extends Decision {
  design: DesignName;
  /**
   * True when the current cohort is incomplete (patients still to enrol or pending) but every
   * possible outcome of the missing patients leads to the same decision (e.g. 2 DLTs among the
   * first 2 of 3 in 3+3). The action is still CONTINUE_COHORT; `whenComplete` gives the outcome.
   */
  determined: boolean;
  /** For an incomplete but determined cohort: the decision that applies once it is complete. */
  whenComplete?: Decision;
  /** Patients still to enrol in the current cohort (0 when the cohort is full). */
  openSlots: number;
  /** Patients inside their DLT window at the current level. */
  pending: number;
  /** Path problems that do not stop the engine (e.g. more than 6 patients at a 3+3 level). */
  warnings: string[];
  /** Cohorts that were not where the rule pointed (see ruleDepartures); absent when none. */
  departures?: { cohortIndex: number; level: number; expectedAction: EscalationAction; expectedLevel: number | null; kind: 'after-stop' | 'window-open' | 'elsewhere'; message: string }[];
}

/** Words for the rule engine's actions, as the committee reads them (UI and minutes). */
export const ACTION_LABELS: Record<string, string> = {
  ESCALATE: 'Escalate to the next level',
  ESCALATE_SINGLE: 'Escalate (single-patient cohort)',
  STAY: 'Stay at the current level',
  STAY_EXPAND_TO_6: 'Expand the cohort to 6',
  CONTINUE_COHORT: 'Continue the current cohort',
  DEESCALATE: 'De-escalate',
  DEESCALATE_EXPAND_LOWER: 'De-escalate and expand the lower level',
  DEESCALATE_ELIMINATE: 'De-escalate and eliminate this level',
  DEESCALATE_FILL_LOWER: 'De-escalate and fill the lower level',
  STOP_MTD: 'Stop: MTD identified',
  STOP_MAX_DOSE: 'Stop: highest level reached',
  STOP_NO_MTD: 'Stop: no tolerable level',
  SWITCH_TO_3P3: 'Switch to 3+3 cohorts',
  SWITCH_TO_COHORTS: 'Switch to cohorts',
  INTRAPATIENT_ESCALATE: 'Intra-patient escalation',
  INTRAPATIENT_NO_ESCALATION: 'No intra-patient escalation',
};

export const DESIGN_LABELS: Record<string, string> = { '3+3': '3+3', atd: 'Accelerated titration', boin: 'BOIN', mtpi2: 'mTPI-2' };
