// The expected answers for a snapshot of the demo study, derived from the subject plans (not from
// the written files), so tests can check what the app computes from the files against them.
import { eotVisible, deathVisible, visible } from './domains.js';
import { isoDate } from './dates.js';
import { adaSamples } from './immuno.js';
import { DLT_WINDOW_DAYS, DOSE_PLAN, type Part, type Response, type SubjectPlan } from './scenario.js';
import { armOf } from './domains.js';

export type DltWindowStatus = 'dlt' | 'completed' | 'pending' | 'not-evaluable';
export type AdaStatus = 'negative' | 'baseline-positive' | 'treatment-induced' | 'treatment-boosted';

export interface SubjectTruth {
  usubjid: string;
  level: number;
  /** Planned (assigned) dose, mg/kg. */
  plannedDose: number;
  part: Part;
  armcd: string;
  cohort: string;
  firstDoseDate: string;
  /** Last day of the DLT window (study day 21). */
  dltWindowEnd: string;
  weightKg: number;
  /** mg/kg of each infusion given on or before the cut, in order. */
  dosesMgPerKg: number[];
  dlt: boolean;
  dltCount: number;
  dltWindowStatus: DltWindowStatus;
  /** true = DLT-evaluable, false = not evaluable, null = window still open at the cut. */
  dltEvaluable: boolean | null;
  /** Related AEs of grade >= 3 starting inside the window without the DLT flag. */
  possibleDltNotFlagged: number;
  aeCount: number;
  saeCount: number;
  worstGrade: number;
  grade3plus: boolean;
  /** Still on treatment at the cut (no end-of-treatment disposition yet). */
  ongoing: boolean;
  eotReason: string | null;
  /** Confirmed best overall response (RECIST 1.1); null when no post-baseline assessment. */
  bor: Response | null;
  death: boolean;
  deathDate: string | null;
  adaStatus: AdaStatus;
}

export interface LevelTruth {
  level: number;
  dose: number;
  nTreated: number;
  nEvaluable: number;
  nDlt: number;
  nPending: number;
  nNotEvaluable: number;
}

export interface StudyTruth {
  cutoff: string | null;
  subjects: SubjectTruth[];
  /** Escalation part only, per dose level (the tallies the 3+3 rule uses). */
  escalation: LevelTruth[];
  expansion: LevelTruth[];
}

/**
 * Confirmed best overall response, RECIST 1.1 with confirmation (docs/CLINICAL_RULES.md#recist,
 * RECIST 1.1 §4.4, §4.6.1; admiralonco derive_param_confirmed_bor with accept_sd = FALSE,
 * max_nr_ne = 1): CR confirmed by a later CR >= `confirmDays` later (only CR/NE between); PR
 * confirmed by a later CR/PR >= `confirmDays` later (only CR/PR/NE between); SD = any CR/PR/SD
 * >= `minSdDays` after first dose; PD as is; otherwise NE. Assessments after the first PD are
 * ignored. Preference CR > PR > SD > PD > NE.
 */
export function confirmedBor(tps: Array<{ offset: number; resp: Response }>, confirmDays = 28, minSdDays = 42): Response | null {
  if (tps.length === 0) return null;
  const seq: typeof tps = [];
  for (const t of tps) {
    seq.push(t);
    if (t.resp === 'PD') break;
  }
  const rank: Record<Response, number> = { CR: 5, PR: 4, SD: 3, PD: 2, NE: 1 };
  let best: Response = 'NE';
  const better = (r: Response): void => {
    if (rank[r] > rank[best]) best = r;
  };
  seq.forEach((t, i) => {
    const later = seq.slice(i + 1);
    if (t.resp === 'CR' || t.resp === 'PR') {
      const allowed = t.resp === 'CR' ? ['CR', 'NE'] : ['CR', 'PR', 'NE'];
      let ne = 0;
      for (const u of later) {
        if (u.offset - t.offset >= confirmDays && (t.resp === 'CR' ? u.resp === 'CR' : u.resp === 'CR' || u.resp === 'PR')) {
          better(t.resp);
          break;
        }
        if (!allowed.includes(u.resp)) break;
        if (u.resp === 'NE' && ++ne > 1) break;
      }
    }
    if ((t.resp === 'CR' || t.resp === 'PR' || t.resp === 'SD') && t.offset >= minSdDays) better('SD');
    if (t.resp === 'PD') better('PD');
  });
  return best;
}

function adaStatus(samples: ReturnType<typeof adaSamples>, boostFold: number): AdaStatus {
  const base = samples.find((s) => s.baseline);
  const post = samples.filter((s) => !s.baseline);
  if (base?.positive) {
    const b = base.titre ?? 0;
    return post.some((s) => s.titre !== null && b > 0 && s.titre >= boostFold * b) ? 'treatment-boosted' : 'baseline-positive';
  }
  return post.some((s) => s.positive) ? 'treatment-induced' : 'negative';
}

export function subjectTruth(p: SubjectPlan, seed: number, cutDay: number): SubjectTruth {
  const cut = (offset: number): boolean => p.firstDoseDay + offset <= cutDay;
  const given = p.doses.filter((x) => cut(x.offset));
  const aes = p.aes.filter((a) => cut(a.start));
  const win = DLT_WINDOW_DAYS - 1; // offsets 0..20 = study days 1..21
  const dlts = aes.filter((a) => a.dlt && a.start <= win);
  const ended = eotVisible(p, cutDay);
  const stoppedInWindow = ended && p.eot!.offset < win;
  const windowComplete = cut(win);
  const status: DltWindowStatus = dlts.length ? 'dlt' : stoppedInWindow ? 'not-evaluable' : windowComplete ? 'completed' : 'pending';
  const tps = p.assessments
    .filter((a) => cut(a.offset))
    .map((a) => ({ offset: a.offset, resp: a.readings.find((r) => r.evaluator === a.accepted)!.resp }));
  const dead = deathVisible(p, cutDay);
  const worst = aes.reduce((m, a) => Math.max(m, a.grade), 0);
  return {
    usubjid: p.usubjid,
    level: p.level,
    plannedDose: DOSE_PLAN[p.level - 1]!,
    part: p.part,
    armcd: armOf(p).armcd,
    cohort: p.cohort,
    firstDoseDate: isoDate(p.firstDoseDay),
    dltWindowEnd: isoDate(p.firstDoseDay + win),
    weightKg: p.weight,
    dosesMgPerKg: given.map((x) => x.mgkg),
    dlt: dlts.length > 0,
    dltCount: dlts.length,
    dltWindowStatus: status,
    dltEvaluable: status === 'pending' ? null : status !== 'not-evaluable',
    possibleDltNotFlagged: aes.filter((a) => !a.dlt && a.related && a.grade >= 3 && a.start <= win).length,
    aeCount: aes.length,
    saeCount: aes.filter((a) => a.serious).length,
    worstGrade: worst,
    grade3plus: worst >= 3,
    ongoing: !ended,
    eotReason: ended ? p.eot!.reason : null,
    bor: confirmedBor(tps),
    death: dead,
    deathDate: dead ? isoDate(p.firstDoseDay + p.deathOffset!) : null,
    adaStatus: adaStatus(adaSamples(p, seed).filter((s) => cut(s.offset)), 4),
  };
}

function tally(subjects: SubjectTruth[]): LevelTruth[] {
  return DOSE_PLAN.map((dose, i) => {
    const at = subjects.filter((s) => s.level === i + 1);
    return {
      level: i + 1,
      dose,
      nTreated: at.length,
      nEvaluable: at.filter((s) => s.dltEvaluable === true).length,
      nDlt: at.filter((s) => s.dlt).length,
      nPending: at.filter((s) => s.dltWindowStatus === 'pending').length,
      nNotEvaluable: at.filter((s) => s.dltWindowStatus === 'not-evaluable').length,
    };
  });
}

export function studyTruth(plans: SubjectPlan[], seed: number, cutDay: number, cutoff: string | null): StudyTruth {
  const subjects = plans.filter((p) => visible(p, cutDay)).map((p) => subjectTruth(p, seed, cutDay));
  return {
    cutoff,
    subjects,
    escalation: tally(subjects.filter((s) => s.part === 'ESCALATION')),
    expansion: tally(subjects.filter((s) => s.part === 'EXPANSION')),
  };
}
