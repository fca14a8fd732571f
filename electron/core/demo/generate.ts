// Deterministic generator of the IBB0979 demo study (synthetic SDTM). See README.md beside this
// file for the design of the study, the choices made where SDTM leaves room, and the two cuts.
//
//   const study = generateStudy({ seed: 979, subjects: 25 });
//   const snap = cutSnapshot(study, CUT1);
//   await writeSnapshot('out/cut1', snap);
import { StudyDefinition } from '../../../shared/study.js';
import { dayOf } from './dates.js';
import {
  buildAe, buildDm, buildDs, buildEx, buildIs, buildLb, buildPc, buildSuppdm, buildTs, buildTumour, buildVs,
} from './domains.js';
import { buildCm, buildEg } from './cmEg.js';
import { buildPlans, DESIGNED_SUBJECTS, DOSE_PLAN, HORIZON, STUDYID, type SubjectPlan } from './scenario.js';
import type { Domain } from './table.js';
import { studyTruth, type StudyTruth } from './truth.js';

export { CUT1, CUT2, HORIZON, DOSE_PLAN, DESIGNED_SUBJECTS } from './scenario.js';
export type { Domain } from './table.js';
export type { StudyTruth, SubjectTruth, LevelTruth } from './truth.js';
export { writeSnapshot, type WriteOptions, type WrittenFile } from './write.js';

export const DEFAULT_SEED = 979;

export interface GenerateOptions {
  seed?: number;
  /** Number of subjects; the first 25 are the designed study, more are random subjects. */
  subjects?: number;
}

/** A snapshot: the SDTM domains as seen at a cut, the study definition and the expected answers. */
export interface DemoSnapshot {
  definition: StudyDefinition;
  /** Domains by dataset name (DM, SUPPDM, EX, AE, SUPPAE, PC, PP, TU, TR, RS, DS, IS, LB, VS, CM, EG, TS). */
  domains: Record<string, Domain>;
  truth: StudyTruth;
}

export interface DemoStudy extends DemoSnapshot {
  seed: number;
  subjects: number;
  /** Subject plans (everything that happens to each subject); cuts are derived from them. */
  plans: SubjectPlan[];
}

/** The study definition (study.json) of IBB0979, optionally for a data cut-off. */
export function studyDefinition(dataCutoff?: string): StudyDefinition {
  return StudyDefinition.parse({
    studyId: STUDYID,
    title: 'IBB0979 first-in-human: accelerated titration then 3+3 dose escalation, 6-patient expansion at the RP2D',
    ...(dataCutoff ? { dataCutoff } : {}),
    doseUnit: 'mg/kg',
    doseLevels: DOSE_PLAN.map((dose, i) => ({ level: i + 1, dose, label: `${dose} mg/kg` })),
    dltWindowDays: 21,
    cycleLengthDays: 21,
    minDosesForEvaluability: 1,
    // ATD design 2 (trigger counted in course 1); after the second grade-2 patient the first 3+3
    // cohort starts at the next level (protocol choice, docs/CLINICAL_RULES.md#accelerated-titration hand-off).
    escalation: { design: 'atd', atdDesign: 2, atdHandoff: 'next-level', deescalation: true, sixAtMtd: true, targetToxicity: 0.3, expansionSize: 6 },
    pk: { route: 'iv-infusion', infusionDurationH: 1, tauH: 504, analyte: 'IBB0979' },
    recist: { confirmationDays: 28, minSdDays: 42 },
    ada: { boostFold: 4 },
  });
}

function buildDomains(plans: SubjectPlan[], seed: number, cutDay: number, cutoff: string | null): Record<string, Domain> {
  const { ae, suppae } = buildAe(plans, cutDay);
  const { pc, pp } = buildPc(plans, seed, cutDay);
  const { tu, tr, rs } = buildTumour(plans, cutDay);
  const list = [
    buildDm(plans, cutDay), buildSuppdm(plans, cutDay), buildEx(plans, cutDay), ae, suppae, pc, pp, tu, tr, rs,
    buildDs(plans, cutDay), buildIs(plans, seed, cutDay), buildLb(plans, seed, cutDay), buildVs(plans, seed, cutDay), buildCm(plans, seed, cutDay),
    buildEg(plans, seed, cutDay), buildTs(plans, cutoff),
  ];
  return Object.fromEntries(list.map((d) => [d.name, d]));
}

/** Generates the whole study up to HORIZON (no cut applied beyond the end of the data). */
export function generateStudy(opts: GenerateOptions = {}): DemoStudy {
  const seed = opts.seed ?? DEFAULT_SEED;
  const subjects = opts.subjects ?? DESIGNED_SUBJECTS;
  const plans = buildPlans(seed, subjects);
  const horizonDay = dayOf(HORIZON);
  return {
    seed,
    subjects,
    plans,
    definition: studyDefinition(HORIZON),
    domains: buildDomains(plans, seed, horizonDay, HORIZON),
    truth: studyTruth(plans, seed, horizonDay, HORIZON),
  };
}

/**
 * The study as seen at a data cut-off (inclusive): subjects first dosed after the cut are absent,
 * every record is dated on/before the cut, AEs still ongoing at the cut have no end date, subjects
 * still on treatment have no RFXENDTC and no end-of-treatment disposition, deaths after the cut
 * are not known.
 */
export function cutSnapshot(study: DemoStudy, cutoffDate: string): DemoSnapshot {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(cutoffDate)) throw new Error(`cut-off must be YYYY-MM-DD, got ${cutoffDate}`);
  const cutDay = Math.min(dayOf(cutoffDate), dayOf(HORIZON));
  return {
    definition: studyDefinition(cutoffDate),
    domains: buildDomains(study.plans, study.seed, cutDay, cutoffDate),
    truth: studyTruth(study.plans, study.seed, cutDay, cutoffDate),
  };
}
