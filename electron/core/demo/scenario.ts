// The IBB0979 demo study as a list of subject plans: everything that happens to each subject
// (dates are day offsets from the first dose, 0 = study day 1). Domains, the data cut and the
// truth object are all derived from these plans, so they agree by construction.
//
// Escalation story (designed subjects 1-25, see README.md):
//  - accelerated titration (Simon 1997 design 2: one patient per level, trigger counted in course 1)
//    at 0.01, 0.03, 0.1 mg/kg; a related grade-2 toxicity in course 1 at 0.03 (first) and at 0.1
//    (second) ends the accelerated phase; 3+3 cohorts from 0.3 mg/kg (protocol choice);
//  - 3+3: 0.3 (0/3; one not-evaluable subject replaced), 1 (0/3), 3 (1/3 -> 6, 1/6), 10 (2/3: MTD
//    exceeded) -> MTD = RP2D = 3 mg/kg; expansion of 6 at 3 mg/kg.
import { aeTerm, BACKGROUND_TERMS, BACKGROUND_WEIGHTS, DLT_EVENTS } from './catalogue.js';
import { dayOf } from './dates.js';
import { Rng, STREAM } from './prng.js';
import { TYPICAL, type TwoCompParams } from './pk.js';

export const STUDYID = 'IBB0979';
/** Dose plan, mg/kg, levels 1..7. */
export const DOSE_PLAN = [0.01, 0.03, 0.1, 0.3, 1, 3, 10] as const;
export const CYCLE_DAYS = 21;
export const DLT_WINDOW_DAYS = 21;
/** Last day of data in the generated (uncut) study. */
export const HORIZON = '2026-03-31';
/** The two shipped data cut-offs (see README.md). */
export const CUT1 = '2025-08-22';
export const CUT2 = '2025-11-21';
export const DESIGNED_SUBJECTS = 25;

export type Part = 'ESCALATION' | 'EXPANSION';
export type AdaPattern = 'NEG' | 'INDUCED' | 'BL_POS' | 'BL_BOOST';
export type Response = 'CR' | 'PR' | 'SD' | 'PD' | 'NE';
export type Evaluator = 'INVESTIGATOR' | 'INDEPENDENT ASSESSOR';

export interface PlannedAe {
  decod: string;
  term: string;
  grade: 1 | 2 | 3 | 4 | 5;
  related: boolean;
  serious: boolean;
  /** Onset, days from first dose (0 = study day 1). */
  start: number;
  /** Minutes after the day's dose start, when the onset time is known (infusion reactions). */
  startAfterDoseMin?: number;
  /** Days from onset to resolution; null = not resolved. */
  duration: number | null;
  dlt: boolean;
  action: string;
  /** Dates recorded only to the month (partial ISO 8601). */
  partialStart?: boolean;
  partialEnd?: boolean;
  fatal?: boolean;
  /** AESEQ, assigned once all AEs of the subject are known (ordered by onset). */
  seq: number;
}

export interface Dose {
  cycle: number;
  offset: number;
  mgkg: number;
  /** Infusion start, minutes since 1970-01-01. */
  startMin: number;
  durationMin: number;
  /** Reason for a dose change versus the previous infusion (EXADJ), if any. */
  adj: string | null;
}

export interface Lesion {
  linkId: string;
  kind: 'TARGET' | 'NON-TARGET';
  loc: string;
  nodal: boolean;
  /** Baseline diameter, mm (LDIAM, or short axis for nodes); 0 for non-targets. */
  base: number;
}

export interface Reading {
  evaluator: Evaluator;
  sizes: number[];
  sum: number;
  targetResp: Response;
  ntStatus: 'PRESENT' | 'ABSENT' | 'UNEQUIVOCAL PROGRESSION' | null;
  resp: Response;
}

export interface Assessment {
  k: number;
  offset: number;
  fraction: number;
  newLesion: boolean;
  ntProgress: boolean;
  readings: Reading[];
  /** The evaluator whose reading is accepted (RSACPTFL = Y when there are two). */
  accepted: Evaluator;
}

export interface Eot {
  offset: number;
  reason: string;
}

export interface SubjectPlan {
  index: number;
  usubjid: string;
  subjid: string;
  siteid: string;
  country: string;
  age: number;
  sex: 'M' | 'F';
  race: string;
  weight: number;
  height: number;
  level: number;
  part: Part;
  cohort: string;
  replacement: boolean;
  consentDay: number;
  firstDoseDay: number;
  screeningOffset: number;
  doses: Dose[];
  eot: Eot | null;
  deathOffset: number | null;
  aes: PlannedAe[];
  lesions: Lesion[];
  baselineScanOffset: number;
  assessments: Assessment[];
  newLesionLoc: string;
  ada: AdaPattern;
  pk: TwoCompParams;
}

// ---------------------------------------------------------------------------------------------
// Designed subjects

interface AeSpec extends Omit<PlannedAe, 'term' | 'seq' | 'action'> {
  action?: string;
}
interface DoseMod {
  cycle: number;
  mgkg: number;
  delay?: number;
  adj: string;
}
interface Spec {
  site: string;
  level: number;
  part: Part;
  cohort: string;
  start: string;
  sex: 'M' | 'F';
  age: number;
  /** Target-lesion sum as a fraction of baseline at each 6-weekly assessment (0 = complete response). */
  traj: number[];
  newAt?: number;
  /** Assessment (1-based k) at which a non-target lesion shows unequivocal progression. */
  ntAt?: number;
  eot?: Eot;
  death?: string;
  mods?: DoseMod[];
  aes?: AeSpec[];
  ada?: AdaPattern;
  /** Assessments (1-based k) also read by an independent assessor, with that reader's fraction. */
  second?: Array<{ k: number; fraction: number }>;
  replacement?: boolean;
  /** Accelerated-titration subject: background AEs kept at grade 1 (in course 1, or always). */
  atd?: 'course1' | 'all';
}

const ae = (
  decod: string,
  grade: PlannedAe['grade'],
  start: number,
  duration: number | null,
  o: Partial<AeSpec> = {},
): AeSpec => ({ decod, grade, start, duration, related: false, serious: false, dlt: false, ...o });

const ESC = 'ESCALATION';
const EXP = 'EXPANSION';

/** The 25 designed subjects, in order of first dose. */
const DESIGN: Spec[] = [
  // --- accelerated titration, one patient per level ---
  { site: '101', level: 1, part: ESC, cohort: 'ATD-L1', start: '2025-01-13', sex: 'M', age: 58, traj: [1.05, 1.1, 1.45], atd: 'all',
    mods: [{ cycle: 4, mgkg: 0.03, adj: 'INTRA-PATIENT DOSE ESCALATION' }, { cycle: 6, mgkg: 0.1, adj: 'INTRA-PATIENT DOSE ESCALATION' }] },
  { site: '101', level: 2, part: ESC, cohort: 'ATD-L2', start: '2025-02-10', sex: 'F', age: 64, traj: [1.4], atd: 'course1', death: '2025-07-08',
    aes: [ae('Nausea', 2, 2, 5, { related: true })] },
  { site: '102', level: 3, part: ESC, cohort: 'ATD-L3', start: '2025-03-10', sex: 'M', age: 49, traj: [0.95, 1.3], atd: 'course1',
    aes: [
      ae('Infusion related reaction', 2, 0, 0, { related: true, startAfterDoseMin: 35, action: 'DRUG INTERRUPTED' }),
      ae('Fatigue', 1, 56, 30, { partialStart: true, partialEnd: true }),
      ae('Pneumonia', 3, 70, 12, { serious: true, action: 'DRUG INTERRUPTED' }),
    ] },
  // --- 3+3 at 0.3 mg/kg: subject 6 withdraws on day 12 (not DLT-evaluable) and is replaced ---
  { site: '101', level: 4, part: ESC, cohort: '3+3-L4', start: '2025-04-07', sex: 'M', age: 71, traj: [1.3],
    aes: [ae('Sepsis', 5, 50, 5, { serious: true, fatal: true })] },
  { site: '201', level: 4, part: ESC, cohort: '3+3-L4', start: '2025-04-10', sex: 'F', age: 55, traj: [0.92, 0.88, 0.9, 1.25], ada: 'BL_BOOST',
    mods: [{ cycle: 6, mgkg: 0.3, delay: 7, adj: 'ADVERSE EVENT' }],
    aes: [ae('Small intestinal obstruction', 3, 100, 8, { serious: true, action: 'DRUG INTERRUPTED' })] },
  { site: '102', level: 4, part: ESC, cohort: '3+3-L4', start: '2025-04-14', sex: 'F', age: 62, traj: [],
    eot: { offset: 11, reason: 'WITHDRAWAL BY SUBJECT' } },
  { site: '101', level: 4, part: ESC, cohort: '3+3-L4', start: '2025-04-28', sex: 'M', age: 67, traj: [1.35], death: '2025-10-20', replacement: true },
  // --- 3+3 at 1 mg/kg ---
  { site: '201', level: 5, part: ESC, cohort: '3+3-L5', start: '2025-05-26', sex: 'F', age: 52, traj: [0.65, 0.6, 0.55, 0.58, 0.82], ada: 'INDUCED',
    second: [{ k: 1, fraction: 0.76 }] },
  { site: '101', level: 5, part: ESC, cohort: '3+3-L5', start: '2025-05-29', sex: 'M', age: 60, traj: [1.0, 1.05, 1.4],
    aes: [ae('Lymphocyte count decreased', 3, 7, 10, { related: true })] },
  { site: '102', level: 5, part: ESC, cohort: '3+3-L5', start: '2025-06-02', sex: 'F', age: 45, traj: [1.08, 1.05], newAt: 2 },
  // --- 3+3 at 3 mg/kg: 1 DLT in 3 -> 3 more ---
  { site: '101', level: 6, part: ESC, cohort: '3+3-L6', start: '2025-06-30', sex: 'F', age: 57, traj: [0.55, 0.35, 0, 0], ada: 'INDUCED',
    second: [{ k: 3, fraction: 0 }], aes: [ae('Hypothyroidism', 2, 90, null, { related: true })] },
  { site: '201', level: 6, part: ESC, cohort: '3+3-L6', start: '2025-07-03', sex: 'M', age: 63, traj: [0.9, 0.85, 1.25],
    mods: [{ cycle: 2, mgkg: 1, delay: 7, adj: 'ADVERSE EVENT' }],
    aes: [ae('Febrile neutropenia', 3, 9, 6, { related: true, serious: true, dlt: true, action: 'DRUG INTERRUPTED' })] },
  { site: '102', level: 6, part: ESC, cohort: '3+3-L6', start: '2025-07-07', sex: 'M', age: 50, traj: [0.85, 0.62, 0.58, 0.55], ada: 'INDUCED',
    second: [{ k: 2, fraction: 0.6 }], aes: [ae('Rash', 2, 30, 14, { related: true })] },
  { site: '101', level: 6, part: ESC, cohort: '3+3-L6-EXT', start: '2025-07-31', sex: 'F', age: 66, traj: [0.95, 1.0, 0.97, 1.3], ada: 'BL_POS' },
  { site: '201', level: 6, part: ESC, cohort: '3+3-L6-EXT', start: '2025-08-04', sex: 'M', age: 59, traj: [0.8],
    eot: { offset: 62, reason: 'ADVERSE EVENT' },
    aes: [ae('Pneumonitis', 3, 58, 25, { related: true, serious: true, action: 'DRUG WITHDRAWN' })] },
  { site: '102', level: 6, part: ESC, cohort: '3+3-L6-EXT', start: '2025-08-07', sex: 'F', age: 48, traj: [0.62, 0.6, 0.57] },
  // --- 3+3 at 10 mg/kg: 2 DLT in 3 -> MTD exceeded; MTD = 3 mg/kg (6 patients, 1 DLT) ---
  { site: '101', level: 7, part: ESC, cohort: '3+3-L7', start: '2025-09-08', sex: 'M', age: 61, traj: [0.78, 0.66, 0.62],
    mods: [{ cycle: 2, mgkg: 3, delay: 7, adj: 'ADVERSE EVENT' }],
    aes: [ae('Thrombocytopenia', 4, 8, 12, { related: true, serious: true, dlt: true, action: 'DOSE REDUCED' })] },
  { site: '201', level: 7, part: ESC, cohort: '3+3-L7', start: '2025-09-11', sex: 'F', age: 54, traj: [0.92, 1.3],
    aes: [ae('Infusion related reaction', 2, 0, 0, { related: true, startAfterDoseMin: 40, action: 'DRUG INTERRUPTED' })] },
  { site: '102', level: 7, part: ESC, cohort: '3+3-L7', start: '2025-09-15', sex: 'M', age: 69, traj: [],
    eot: { offset: 17, reason: 'ADVERSE EVENT' },
    aes: [
      ae('Alanine aminotransferase increased', 3, 14, 14, { related: true, dlt: true, action: 'DRUG WITHDRAWN' }),
      ae('Aspartate aminotransferase increased', 2, 14, 12, { related: true, action: 'DRUG WITHDRAWN' }),
    ] },
  // --- expansion at the RP2D, 3 mg/kg ---
  { site: '101', level: 6, part: EXP, cohort: 'EXP-L6', start: '2025-10-13', sex: 'F', age: 58, traj: [0.88, 0.75, 0.66, 0.6] },
  { site: '201', level: 6, part: EXP, cohort: 'EXP-L6', start: '2025-10-16', sex: 'M', age: 62, traj: [1.35],
    aes: [ae('Pyrexia', 2, 8, 3, { serious: true })] },
  { site: '102', level: 6, part: EXP, cohort: 'EXP-L6', start: '2025-10-20', sex: 'F', age: 51, traj: [0.94, 0.9, 0.85] },
  { site: '101', level: 6, part: EXP, cohort: 'EXP-L6', start: '2025-10-27', sex: 'M', age: 73, traj: [1.1, 1.12], ntAt: 2 },
  { site: '201', level: 6, part: EXP, cohort: 'EXP-L6', start: '2025-11-03', sex: 'F', age: 44, traj: [0.6, 0.55] },
  { site: '102', level: 6, part: EXP, cohort: 'EXP-L6', start: '2025-11-10', sex: 'M', age: 56, traj: [0.95] },
];

const COUNTRY: Record<string, string> = { '101': 'FRA', '102': 'FRA', '201': 'BEL', '202': 'BEL', '301': 'ESP' };
const RACES = ['WHITE', 'WHITE', 'WHITE', 'WHITE', 'WHITE', 'WHITE', 'ASIAN', 'BLACK OR AFRICAN AMERICAN'];
const TARGET_LOCS = ['LIVER', 'LUNG', 'LYMPH NODE', 'ADRENAL GLAND', 'PERITONEUM', 'LUNG', 'LIVER'];
const NONTARGET_LOCS = ['BONE', 'PLEURA', 'LYMPH NODE', 'LIVER'];

// ---------------------------------------------------------------------------------------------
// Random subjects (scaling for benchmarks)

function randomSpec(rng: Rng, index: number): Spec {
  const level = rng.weighted([1, 2, 3, 4, 5, 6, 7], [1, 1, 1, 2, 3, 4, 2]);
  const part: Part = level === 6 && rng.chance(0.5) ? EXP : ESC;
  const start0 = dayOf('2025-01-13');
  const startDay = start0 + rng.int(0, dayOf('2026-01-31') - start0);
  const cls = rng.weighted(
    ['PD', 'SD', 'PR', 'CR'],
    level <= 3 ? [60, 40, 0, 0] : level === 4 ? [50, 45, 5, 0] : level === 5 ? [40, 45, 13, 2] : [35, 40, 20, 5],
  );
  const traj: number[] = [];
  let newAt: number | undefined;
  if (cls === 'PD') traj.push(rng.uniform(1.3, 1.6));
  else if (cls === 'SD') {
    const m = rng.int(1, 6);
    let nadir = 1;
    for (let k = 0; k < m; k++) {
      const f = rng.uniform(0.85, 1.1);
      traj.push(f);
      nadir = Math.min(nadir, f);
    }
    traj.push(nadir * rng.uniform(1.35, 1.6));
  } else {
    const deep = cls === 'CR';
    traj.push(rng.uniform(0.75, 0.9));
    const m = rng.int(2, 8);
    for (let k = 0; k < m; k++) traj.push(deep && k >= 1 ? 0 : rng.uniform(0.4, 0.62));
    if (rng.chance(0.5)) {
      traj.push(traj[traj.length - 1]!);
      newAt = traj.length;
    }
  }
  const site = rng.pick(['101', '102', '201', '202', '301']);
  const ada = rng.weighted<AdaPattern>(['NEG', 'INDUCED', 'BL_POS', 'BL_BOOST'], [85, 8, 4, 3]);
  const aes: AeSpec[] = [];
  let eot: Eot | undefined;
  let mods: DoseMod[] | undefined;
  const pDlt = [0, 0, 0, 0.03, 0.05, 0.17, 0.5][level - 1]!;
  if (rng.chance(pDlt)) {
    const d = rng.pick(DLT_EVENTS);
    const at = rng.int(3, 18);
    const withdraw = rng.chance(0.3);
    aes.push(ae(d.decod, d.grade, at, rng.int(5, 15), {
      related: true, serious: d.serious, dlt: true, action: withdraw ? 'DRUG WITHDRAWN' : level > 1 ? 'DOSE REDUCED' : 'DRUG INTERRUPTED',
    }));
    if (withdraw) eot = { offset: at + 3, reason: 'ADVERSE EVENT' };
    else if (level > 1) mods = [{ cycle: 2, mgkg: DOSE_PLAN[level - 2]!, delay: 7, adj: 'ADVERSE EVENT' }];
  } else if (rng.chance(0.02)) {
    eot = { offset: rng.int(3, 18), reason: 'WITHDRAWAL BY SUBJECT' };
  }
  const death = cls === 'PD' || cls === 'SD' ? (rng.chance(0.35) ? -1 : undefined) : undefined;
  return {
    site, level, part, cohort: `${part === EXP ? 'EXP' : 'ESC'}-L${level}-R`, start: '', sex: rng.chance(0.5) ? 'M' : 'F',
    age: rng.int(28, 82), traj, newAt, eot, mods, aes, ada,
    // a death after progression, placed relative to the progression when the plan is built
    death: death === -1 ? `+${rng.int(30, 240)}` : undefined,
    ...{ startDay, index },
  } as Spec & { startDay: number };
}

// ---------------------------------------------------------------------------------------------
// Tumour measurements and RECIST 1.1 time-point responses

/**
 * Target-lesion response at one assessment, RECIST 1.1 (Eisenhauer 2009, Table 1 and §4.3.1;
 * docs/CLINICAL_RULES.md#recist): CR = all non-nodal targets gone and every node
 * < 10 mm short axis; PD = sum >= 1.2 × nadir and >= +5 mm; PR = sum <= 0.7 × baseline; else SD.
 */
export function targetResponse(sizes: readonly number[], lesions: readonly Lesion[], base: number, nadir: number, sum: number): Response {
  const targets = lesions.filter((l) => l.kind === 'TARGET');
  const cr = targets.every((l, i) => (l.nodal ? sizes[i]! < 10 : sizes[i] === 0));
  if (cr) return 'CR';
  if (sum >= 1.2 * nadir && sum - nadir >= 5) return 'PD';
  if (sum <= 0.7 * base) return 'PR';
  return 'SD';
}

/** Overall time-point response from target, non-target and new lesions (RECIST 1.1 Table 1). */
export function overallResponse(target: Response, nt: Reading['ntStatus'], newLesion: boolean): Response {
  if (newLesion || target === 'PD' || nt === 'UNEQUIVOCAL PROGRESSION') return 'PD';
  if (target === 'CR') return nt === null || nt === 'ABSENT' ? 'CR' : 'PR';
  return target;
}

function makeLesions(rng: Rng, minNonTargets: number): Lesion[] {
  const n = rng.int(2, 4);
  const out: Lesion[] = [];
  for (let i = 0; i < n; i++) {
    const loc = rng.pick(TARGET_LOCS);
    const nodal = loc === 'LYMPH NODE';
    out.push({ linkId: `T${String(i + 1).padStart(2, '0')}`, kind: 'TARGET', loc, nodal, base: nodal ? rng.int(15, 30) : rng.int(14, 48) });
  }
  const sum = out.reduce((a, l) => a + l.base, 0);
  if (sum < 35) out[0]!.base += 35 - sum;
  const nnt = Math.max(minNonTargets, rng.int(0, 2));
  for (let i = 0; i < nnt; i++) {
    const loc = rng.pick(NONTARGET_LOCS);
    out.push({ linkId: `NT${String(i + 1).padStart(2, '0')}`, kind: 'NON-TARGET', loc, nodal: loc === 'LYMPH NODE', base: 0 });
  }
  return out;
}

function read(rng: Rng, lesions: Lesion[], evaluator: Evaluator, f: number, base: number, nadir: number, newLesion: boolean, ntProgress: boolean): Reading {
  const targets = lesions.filter((l) => l.kind === 'TARGET');
  const sizes = targets.map((l) => {
    if (f === 0) return l.nodal ? rng.int(5, 9) : 0;
    const v = Math.round(l.base * f * (1 + 0.03 * rng.normal()));
    return Math.max(l.nodal ? 5 : 3, v);
  });
  const sum = sizes.reduce((a, b) => a + b, 0);
  const hasNt = lesions.length > targets.length;
  const ntStatus: Reading['ntStatus'] = !hasNt ? null : ntProgress ? 'UNEQUIVOCAL PROGRESSION' : f === 0 ? 'ABSENT' : 'PRESENT';
  const targetResp = targetResponse(sizes, lesions, base, nadir, sum);
  return { evaluator, sizes, sum, targetResp, ntStatus, resp: overallResponse(targetResp, ntStatus, newLesion) };
}

// ---------------------------------------------------------------------------------------------
// Building a plan

function backgroundAes(rng: Rng, n: number, lastOffset: number, windowEnd: number, atd: Spec['atd'], endTreatment: number): AeSpec[] {
  const out: AeSpec[] = [];
  for (let i = 0; i < n; i++) {
    const t = rng.weighted(BACKGROUND_TERMS, BACKGROUND_WEIGHTS);
    const start = rng.int(0, Math.max(0, lastOffset));
    let grade = rng.weighted([1, 2, 3] as const, [62, 33, 5]) as 1 | 2 | 3;
    let related = rng.chance(t.pRelated);
    const durDraw = rng.int(1, 28);
    const unresolved = rng.chance(0.06);
    const serious3 = rng.chance(0.25);
    if (start < windowEnd && grade === 3) grade = 2; // no unscripted grade >= 3 inside the DLT window
    if (atd === 'all' || (atd === 'course1' && start < windowEnd)) grade = 1; // ATD: grade 0-1 keeps titration going
    if (t.decod === 'Infusion related reaction' && start >= endTreatment) continue;
    if (t.decod === 'Infusion related reaction') related = true;
    const duration = unresolved ? null : grade === 1 ? Math.min(durDraw, 14) : durDraw;
    const action = start >= endTreatment ? 'NOT APPLICABLE' : grade >= 3 ? 'DRUG INTERRUPTED' : 'DOSE NOT CHANGED';
    out.push({ decod: t.decod, grade, start, duration, related, serious: grade >= 3 && serious3, dlt: false, action });
  }
  return out;
}

function buildPlan(spec: Spec & { startDay?: number; index?: number }, index: number, seed: number, subjNo: number, horizonDay: number): SubjectPlan {
  const rng = Rng.stream(seed, index, STREAM.plan);
  const firstDoseDay = spec.startDay ?? dayOf(spec.start);
  const horizonOff = horizonDay - firstDoseDay;
  const weight = Math.round((spec.sex === 'M' ? rng.uniform(58, 98) : rng.uniform(48, 85)) * 10) / 10;
  const height = Math.round(spec.sex === 'M' ? rng.uniform(165, 190) : rng.uniform(152, 175));
  const race = rng.pick(RACES);
  const screeningOffset = -rng.int(7, 14);
  const consentOffset = screeningOffset - rng.int(2, 10);
  const baselineScanOffset = screeningOffset + rng.int(0, 3);
  const doseMinuteOfDay = 8 * 60 + rng.int(0, 150);

  // Lesions and assessments every 6 weeks, until progression, end of treatment or the horizon.
  const lrng = Rng.stream(seed, index, STREAM.lesions);
  const lesions = makeLesions(lrng, spec.ntAt !== undefined ? 1 : 0);
  const newLesionLoc = lrng.pick(['LIVER', 'LUNG', 'BONE', 'BRAIN']);
  const baseSum = lesions.reduce((a, l) => a + l.base, 0);
  const assessments: Assessment[] = [];
  let pdOffset: number | null = null;
  let nadir = baseSum;
  const explicitDeath = spec.death && !spec.death.startsWith('+') ? dayOf(spec.death) - firstDoseDay : null;
  for (let k = 1; k <= spec.traj.length || (spec.traj.length > 0 && k < 200); k++) {
    const offset = 42 * k + rng.int(0, 3);
    if (offset > horizonOff) break;
    if (spec.eot && offset > spec.eot.offset) break;
    if (explicitDeath !== null && offset >= explicitDeath) break;
    const f = k <= spec.traj.length ? spec.traj[k - 1]! : spec.traj[spec.traj.length - 1]!;
    const newLesion = spec.newAt === k;
    const ntProgress = spec.ntAt === k;
    const inv = read(lrng, lesions, 'INVESTIGATOR', f, baseSum, nadir, newLesion, ntProgress);
    const readings = [inv];
    const second = spec.second?.find((s) => s.k === k);
    if (second) readings.push(read(lrng, lesions, 'INDEPENDENT ASSESSOR', second.fraction, baseSum, nadir, newLesion, ntProgress));
    const accepted: Evaluator = second ? 'INDEPENDENT ASSESSOR' : 'INVESTIGATOR';
    assessments.push({ k, offset, fraction: f, newLesion, ntProgress, readings, accepted });
    nadir = Math.min(nadir, inv.sum);
    const acc = readings.find((r) => r.evaluator === accepted)!;
    if (acc.resp === 'PD' || inv.resp === 'PD') {
      pdOffset = offset;
      break;
    }
  }

  let eot: Eot | null = spec.eot ?? (pdOffset !== null ? { offset: pdOffset + 2, reason: 'PROGRESSIVE DISEASE' } : null);
  if (eot && eot.offset > horizonOff) eot = null;
  let deathOffset: number | null = explicitDeath;
  if (spec.death?.startsWith('+') && pdOffset !== null) deathOffset = pdOffset + Number(spec.death.slice(1));
  const fatal = spec.aes?.find((a) => a.fatal);
  if (fatal) deathOffset = fatal.start + (fatal.duration ?? 0);
  if (deathOffset !== null && deathOffset > horizonOff) deathOffset = null;
  if (deathOffset !== null && (eot === null || deathOffset < eot.offset)) eot = { offset: deathOffset, reason: 'DEATH' };

  // Infusions every 21 days (plus delays), before progression / end of treatment.
  const stop = pdOffset !== null && eot?.reason === 'PROGRESSIVE DISEASE' ? pdOffset : eot ? eot.offset : horizonOff + 1;
  const doses: Dose[] = [];
  let mgkg: number = DOSE_PLAN[spec.level - 1]!;
  let delay = 0;
  for (let cycle = 1; ; cycle++) {
    const mod = spec.mods?.find((m) => m.cycle === cycle);
    if (mod) delay += mod.delay ?? 0;
    const offset = CYCLE_DAYS * (cycle - 1) + delay;
    if (offset >= stop || offset > horizonOff) break;
    const adj = mod && mod.mgkg !== mgkg ? mod.adj : null;
    if (mod) mgkg = mod.mgkg;
    const startMin = (firstDoseDay + offset) * 1440 + doseMinuteOfDay + rng.int(-20, 20);
    doses.push({ cycle, offset, mgkg, startMin, durationMin: 60 + rng.int(0, 8), adj });
  }
  const lastDose = doses.length ? doses[doses.length - 1]!.offset : 0;
  const treatmentEnd = eot ? eot.offset : horizonOff;

  // AEs: scripted ones plus background events from day 1 to 28 days after the last infusion.
  const arng = Rng.stream(seed, index, STREAM.ae);
  const nBackground = spec.startDay !== undefined ? arng.int(12, 28) : Math.min(24, 4 + 2 * doses.length + arng.int(-2, 2));
  let aeLimit = Math.min(eot ? lastDose + 28 : horizonOff, horizonOff);
  if (deathOffset !== null) aeLimit = Math.min(aeLimit, deathOffset - 1);
  if (eot?.reason === 'WITHDRAWAL BY SUBJECT') aeLimit = Math.min(aeLimit, eot.offset);
  const specs = [...(spec.aes ?? []), ...backgroundAes(arng, nBackground, aeLimit, DLT_WINDOW_DAYS, spec.atd, treatmentEnd + 1)];
  const seen = new Set<string>();
  const aes: PlannedAe[] = specs
    .filter((a) => {
      // one record per term and onset day (a second identical record would be a duplicate key)
      const k = `${a.decod}|${a.start}`;
      if (a.start > horizonOff || seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .map((a) => {
      const t = aeTerm(a.decod);
      let duration = a.duration;
      if (deathOffset !== null && duration !== null && a.start + duration > deathOffset) duration = deathOffset - a.start;
      return {
        ...a,
        duration,
        term: t.terms[(a.start + a.grade) % t.terms.length]!,
        action: a.action ?? (a.fatal ? 'NOT APPLICABLE' : 'DOSE NOT CHANGED'),
        seq: 0,
      };
    })
    .sort((x, y) => x.start - y.start || x.decod.localeCompare(y.decod));
  aes.forEach((a, i) => (a.seq = i + 1));

  const prng = Rng.stream(seed, index, STREAM.pk);
  const wt = weight / 70;
  const pk: TwoCompParams = {
    cl: TYPICAL.cl * Math.exp(0.3 * prng.normal()) * Math.pow(wt, 0.75),
    v1: TYPICAL.v1 * Math.exp(0.2 * prng.normal()) * wt,
    q: TYPICAL.q * Math.pow(wt, 0.75),
    v2: TYPICAL.v2 * Math.exp(0.2 * prng.normal()) * wt,
  };

  return {
    index,
    usubjid: `${STUDYID}-${spec.site}-${String(subjNo).padStart(3, '0')}`,
    subjid: String(subjNo).padStart(3, '0'),
    siteid: spec.site,
    country: COUNTRY[spec.site] ?? 'FRA',
    age: spec.age,
    sex: spec.sex,
    race,
    weight,
    height,
    level: spec.level,
    part: spec.part,
    cohort: spec.cohort,
    replacement: spec.replacement ?? false,
    consentDay: firstDoseDay + consentOffset,
    firstDoseDay,
    screeningOffset,
    doses,
    eot,
    deathOffset,
    aes,
    lesions,
    baselineScanOffset,
    assessments,
    newLesionLoc,
    ada: spec.ada ?? 'NEG',
    pk,
  };
}

/** All subject plans: the designed subjects first, then random ones up to `subjects`. */
export function buildPlans(seed: number, subjects: number, horizonDay = dayOf(HORIZON)): SubjectPlan[] {
  const plans: SubjectPlan[] = [];
  const perSite = new Map<string, number>();
  for (let i = 0; i < subjects; i++) {
    const spec = i < DESIGN.length ? DESIGN[i]! : randomSpec(Rng.stream(seed, i, STREAM.times), i);
    const n = (perSite.get(spec.site) ?? 0) + 1;
    perSite.set(spec.site, n);
    plans.push(buildPlan(spec, i, seed, n, horizonDay));
  }
  return plans;
}
