import { z } from 'zod';
import { lazySchema } from './lazySchema';

// The study definition: what SDTM does not carry. Read from an optional `study.json` beside the
// domain files; what is missing is derived (dose levels from EX) or asked for in the UI.

export const DoseLevel = lazySchema(() => z.object({
  /** 1-based level number in escalation order. */
  level: z.number().int().positive(),
  /** Planned dose in `doseUnit` (mg/kg for IBB0979). */
  dose: z.number().positive(),
  label: z.string().optional(),
}));
export type DoseLevel = z.infer<typeof DoseLevel>;

export const EscalationDesign = lazySchema(() => z.object({
  /** The protocol's rule: 3+3, accelerated titration (handing over to 3+3), BOIN or mTPI-2. */
  design: z.enum(['3+3', 'atd', 'boin', 'mtpi2']).default('3+3'),
  /** Accelerated titration design number (Simon et al. 1997): 2, 3 or 4. */
  atdDesign: z.union([z.literal(2), z.literal(3), z.literal(4)]).optional(),
  /**
   * Accelerated titration hand-off to 3+3 after the grade-2 trigger: 'expand-trigger-level' adds
   * patients at the trigger level (Simon et al. 1997, the reference's default); 'next-level' starts the
   * first 3+3 cohort at the next level (a protocol choice).
   */
  atdHandoff: z.enum(['expand-trigger-level', 'next-level']).default('expand-trigger-level'),
  /** 3+3: allow de-escalation to a lower level when a level exceeds the MTD. */
  deescalation: z.boolean().default(true),
  /** 3+3 "6 at the MTD" variant: the declared MTD must have 6 evaluable patients. */
  sixAtMtd: z.boolean().default(true),
  /** Target DLT rate for BOIN / mTPI-2. */
  targetToxicity: z.number().min(0.05).max(0.5).default(0.3),
  /** Size of the expansion cohort at the RP2D. */
  expansionSize: z.number().int().positive().default(6),
}));
export type EscalationDesign = z.infer<typeof EscalationDesign>;

export const PkDosing = lazySchema(() => z.object({
  route: z.enum(['extravascular', 'iv-bolus', 'iv-infusion']).default('iv-infusion'),
  /** Infusion duration in hours (IV infusion). */
  infusionDurationH: z.number().positive().optional(),
  /** Dosing interval in hours for steady-state parameters (21-day cycle = 504 h). */
  tauH: z.number().positive().optional(),
  /** PCTESTCD of the analyte shown by default. */
  analyte: z.string().optional(),
  /** PCSPEC of the matrix used for NCA and shown by default (plasma, else serum, else blood when unset). */
  matrix: z.string().optional(),
}));

export const StudyDefinition = lazySchema(() => z.object({
  studyId: z.string().min(1),
  title: z.string().optional(),
  /** Data cut-off date, ISO 8601 (YYYY-MM-DD). */
  dataCutoff: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  doseUnit: z.string().default('mg/kg'),
  doseLevels: z.array(DoseLevel).default([]),
  /** DLT observation window in days from first dose (day 1 .. day N). */
  dltWindowDays: z.number().int().positive().default(21),
  cycleLengthDays: z.number().int().positive().default(21),
  /** Minimum number of doses received inside the DLT window to be DLT-evaluable without a DLT. */
  minDosesForEvaluability: z.number().int().positive().default(1),
  escalation: EscalationDesign.default({} as never),
  pk: PkDosing.default({} as never),
  /** RECIST: minimum interval for confirmation of CR/PR (days) and minimum SD duration from first dose (days). */
  recist: z
    .object({ confirmationDays: z.number().int().positive().default(28), minSdDays: z.number().int().positive().default(42) })
    .default({} as never),
  /** Immunogenicity: fold rise in titre that makes a baseline-positive subject treatment-boosted. */
  ada: z
    .object({
      boostFold: z.number().positive().default(4),
      /** ISTESTCD values of binding-antibody results, beyond the conventions DoseDesk recognises itself. */
      bindingTestcds: z.array(z.string()).optional(),
      /** ISTESTCD values of neutralising-antibody results. */
      neutralisingTestcds: z.array(z.string()).optional(),
      /** ISTESTCD values of titre records. */
      titreTestcds: z.array(z.string()).optional(),
      /** Scale of the reported titres when ISSTRESU / ISORRESU cannot tell. */
      titreScale: z.enum(['linear', 'log10']).optional(),
    })
    .default({} as never),
  /**
   * Exposure (docs/CLINICAL_RULES.md#exposure-intensity): a cycle is delayed when it starts more than
   * `delayDays` after the previous cycle's start + cycle length (the protocol's visit window, 3 days by
   * default); `dosesPerCycle` administrations of the level's dose are planned per cycle.
   */
  exposure: z
    .object({ delayDays: z.number().int().nonnegative().default(3), dosesPerCycle: z.number().int().positive().default(1) })
    .default({} as never),
  /** Adverse events: where the CTCAE grade is (AETOXGR, or a SUPPAE QNAM a sponsor uses instead). */
  ae: z.object({ gradeVariable: z.string().optional() }).default({} as never),
}));
export type StudyDefinition = z.infer<typeof StudyDefinition>;

/**
 * The data-mapping settings of a study definition: how this sponsor's codes and variables are read
 * (PK analyte, matrix and tau; ADA test codes and titre scale; where the AE grade is). They are set
 * in study.json or in the app's "Data mapping" form and apply to every snapshot of the study.
 */
export const MAPPING_FIELDS = [
  ['pk', 'analyte'],
  ['pk', 'matrix'],
  ['pk', 'tauH'],
  ['ada', 'bindingTestcds'],
  ['ada', 'neutralisingTestcds'],
  ['ada', 'titreTestcds'],
  ['ada', 'titreScale'],
  ['ae', 'gradeVariable'],
] as const;

/**
 * A snapshot's definition with the study's mapping settings applied: a setting the study's current
 * definition gives wins (the mapping lives with the study, so a mapping saved today applies to the
 * snapshots already imported and to later ones); a setting it lacks stays the snapshot's own.
 */
export function withStudyMapping(snapshotDef: StudyDefinition, studyDef: StudyDefinition): StudyDefinition {
  const out: StudyDefinition = { ...snapshotDef, pk: { ...snapshotDef.pk }, ada: { ...snapshotDef.ada }, ae: { ...snapshotDef.ae } };
  for (const [group, field] of MAPPING_FIELDS) {
    const v = (studyDef[group] as Record<string, unknown>)[field];
    if (v !== undefined) (out[group] as Record<string, unknown>)[field] = v;
  }
  return out;
}
