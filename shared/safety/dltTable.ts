import type { SubjectDlt } from '../cohorts';
import { studyDayFromIso } from '../dates';
import { recommend, recommendForStudy, type CohortTiming, type ParsedHistory, type Recommendation } from '../escalation/index';
import type { AeFacts, SubjectFacts } from '../model';
import type { StudyDefinition } from '../study';
import { aeRelationship } from './aeTables';
import { snapshotHistory, type ExcludedSubject, type HistoryEntry, type SnapshotHistoryOptions } from './escalationHistory';

// The DLT table of a snapshot (README.md#the-views "Cohorts"): per dose level and part the subjects with
// their DLT-window status (shared/dlt.ts, docs/CLINICAL_RULES.md#dlt-window), the escalation history built from the
// escalation part (./escalationHistory.ts), the protocol rule's recommendation (the study
// definition's design through shared/escalation recommendForStudy) and, for context only, BOIN
// (Liu & Yuan 2015, S9) and mTPI-2 (Guo et al. 2017, S12) at the definition's target DLT rate.

export interface RuleSummary {
  design: '3+3' | 'atd' | 'boin' | 'mtpi2';
  /** Set when the rule could not be applied (e.g. a history the design cannot read); the rest is then null. */
  error: string | null;
  action: Recommendation['action'] | null;
  nextLevel: number | null;
  continues: boolean | null;
  recommendedLevel: number | null;
  explanation: string;
  determined: boolean;
  rule: string | null;
  /** For an incomplete but determined cohort: the decision once it is complete. */
  whenComplete: { action: Recommendation['action']; nextLevel: number | null; recommendedLevel: number | null; explanation: string } | null;
  pending: number;
  openSlots: number;
  warnings: string[];
}

export function summarizeRecommendation(r: Recommendation): RuleSummary {
  return {
    design: r.design,
    error: null,
    action: r.action,
    nextLevel: r.nextLevel,
    continues: r.continues,
    recommendedLevel: r.recommendedLevel,
    explanation: r.explanation,
    determined: r.determined,
    rule: r.rule,
    whenComplete: r.whenComplete
      ? { action: r.whenComplete.action, nextLevel: r.whenComplete.nextLevel, recommendedLevel: r.whenComplete.recommendedLevel, explanation: r.whenComplete.explanation }
      : null,
    pending: r.pending,
    openSlots: r.openSlots,
    warnings: r.warnings,
  };
}

function failed(design: RuleSummary['design'], e: unknown): RuleSummary {
  const msg = e instanceof Error ? e.message : String(e);
  return { design, error: msg, action: null, nextLevel: null, continues: null, recommendedLevel: null, explanation: `The ${design} rule could not be applied: ${msg}`, determined: false, rule: null, whenComplete: null, pending: 0, openSlots: 0, warnings: [] };
}

/** The protocol rule (the study definition's design) and BOIN / mTPI-2 beside it, on one history. */
export function snapshotRecommendations(def: StudyDefinition, history: ParsedHistory, cohortTiming?: readonly CohortTiming[]): { protocol: RuleSummary; boin: RuleSummary; mtpi2: RuleSummary } {
  const levels = Math.max(1, def.doseLevels.length);
  const doses = [...def.doseLevels].sort((a, b) => a.level - b.level).map((l) => l.dose);
  const run = (design: RuleSummary['design'], f: () => Recommendation) => {
    try {
      return summarizeRecommendation(f());
    } catch (e) {
      return failed(design, e);
    }
  };
  const target = def.escalation.targetToxicity;
  const timing = cohortTiming ? { cohortTiming } : {};
  return {
    protocol: run(def.escalation.design, () =>
      recommendForStudy(def.escalation, { levels, history, ...timing, ...(doses.length === levels && def.escalation.design === 'atd' ? { doses } : {}) }),
    ),
    boin: run('boin', () => recommend({ design: 'boin', levels, history, target, ...timing })),
    mtpi2: run('mtpi2', () => recommend({ design: 'mtpi2', levels, history, target, ...timing })),
  };
}

export interface AeBrief {
  aeseq: number | null;
  aeterm: string;
  aedecod: string | null;
  grade: number | null;
  /** AESEV, shown beside a missing grade (severity, not CTCAE grade). */
  severity: string | null;
  aestdtc: string | null;
  studyDay: number | null;
  /** Only on an AE whose AEREL is missing (screened as a possible DLT all the same: shared/cohorts.ts mayBeRelated). */
  relationshipMissing?: true;
}

export interface DltTableSubject {
  usubjid: string;
  firstDoseDtc: string;
  windowEndDtc: string;
  /** Days left in the window at the cut-off (pending subjects only). */
  daysLeft: number | null;
  status: SubjectDlt['dlt']['status'];
  evaluable: boolean;
  /** Why evaluable or not (shared/dlt.ts dltStatus). */
  reason: string;
  dlts: AeBrief[];
  /** Related grade >= 3 AEs in the window without the DLT flag: "possible DLT — not flagged". */
  possibleDlts: AeBrief[];
  /** Related AEs in the window without the DLT flag and without a CTCAE grade: the screen cannot tell. */
  ungradedNotScreened: AeBrief[];
  /** End of treatment used for the window: date, source (DS, EXENDTC, EXSTDTC, RFXENDTC) and detail; null while ongoing. */
  endOfTreatment: { dtc: string | null; source: string | null; detail: string } | null;
  /** The subject's letter in the escalation history (escalation part; null when left out). */
  historyLetter: string | null;
  cohortId: string | null;
  ongoing: boolean;
}

export interface DltTableLevel {
  /** Planned level; 0 for placebo (not in the escalation history nor the rule). */
  level: number;
  placebo: boolean;
  dose: number;
  part: 'escalation' | 'expansion';
  treated: number;
  evaluable: number;
  withDlt: number;
  pending: number;
  notEvaluable: number;
  possibleDltsNotFlagged: number;
  /** Related AEs in the window not flagged as DLT that the screen could not assess (no grade). */
  ungradedNotScreened: number;
  subjects: DltTableSubject[];
}

export interface DltTable {
  dataCutoff: string;
  dltWindowDays: number;
  levels: DltTableLevel[];
  history: string;
  entries: HistoryEntry[];
  excluded: ExcludedSubject[];
  unplanned: string[];
  recommendation: RuleSummary;
  boin: RuleSummary;
  mtpi2: RuleSummary;
}

export function dltTable(subjects: readonly SubjectFacts[], aes: readonly AeFacts[], def: StudyDefinition, cutoffDtc: string, opts: SnapshotHistoryOptions = {}): DltTable {
  const h = snapshotHistory(subjects, aes, def, cutoffDtc, opts);
  const entryOf = new Map(h.entries.map((e) => [e.usubjid, e]));
  const firstDtc = new Map(subjects.map((s) => [s.usubjid, s.firstDoseDtc ?? '']));
  const brief = (r: SubjectDlt) => (a: AeFacts): AeBrief => ({
    aeseq: a.aeseq,
    aeterm: a.aeterm,
    aedecod: a.aedecod,
    grade: a.grade,
    severity: a.severity ?? null,
    aestdtc: a.aestdtc,
    studyDay: studyDayFromIso(a.aestdtc, r.firstDoseDtc),
    ...(!a.related && a.aerel !== undefined && aeRelationship(a.aerel) === 'missing' ? { relationshipMissing: true as const } : {}),
  });
  const groups = new Map<string, SubjectDlt[]>();
  for (const r of h.dltRows) {
    const k = `${r.part === 'expansion' ? 1 : 0}:${String(r.level).padStart(4, '0')}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(r);
  }
  const levels = [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, g]): DltTableLevel => {
      g.sort((a, b) => (firstDtc.get(a.usubjid) ?? '').localeCompare(firstDtc.get(b.usubjid) ?? '') || a.usubjid.localeCompare(b.usubjid));
      const rows = g.map((r): DltTableSubject => {
        const e = entryOf.get(r.usubjid);
        return {
          usubjid: r.usubjid,
          firstDoseDtc: r.firstDoseDtc,
          windowEndDtc: r.windowEndDtc,
          daysLeft: r.dlt.status === 'in-window' ? r.dlt.daysLeft : null,
          status: r.dlt.status,
          evaluable: r.dlt.evaluable,
          reason: r.dlt.reason,
          dlts: r.dlts.map(brief(r)),
          possibleDlts: r.possibleDlts.map(brief(r)),
          ungradedNotScreened: r.ungradedNotScreened.map(brief(r)),
          endOfTreatment: r.endOfTreatment,
          historyLetter: e ? e.outcome + (e.laterCourse ?? '') : null,
          cohortId: e?.cohortId ?? null,
          ongoing: r.ongoing,
        };
      });
      return {
        level: g[0]!.level,
        placebo: g[0]!.placebo,
        dose: g[0]!.dose,
        part: g[0]!.part,
        treated: g.length,
        evaluable: rows.filter((r) => r.evaluable).length,
        withDlt: rows.filter((r) => r.status === 'dlt').length,
        pending: rows.filter((r) => r.status === 'in-window').length,
        notEvaluable: rows.filter((r) => r.status === 'not-evaluable').length,
        possibleDltsNotFlagged: rows.reduce((n, r) => n + r.possibleDlts.length, 0),
        ungradedNotScreened: rows.reduce((n, r) => n + r.ungradedNotScreened.length, 0),
        subjects: rows,
      };
    });
  const rec = snapshotRecommendations(def, h.parsed, h.cohortTiming);
  return {
    dataCutoff: cutoffDtc,
    dltWindowDays: def.dltWindowDays,
    levels,
    history: h.history,
    entries: h.entries,
    excluded: h.excluded,
    unplanned: h.unplanned,
    recommendation: rec.protocol,
    boin: rec.boin,
    mtpi2: rec.mtpi2,
  };
}
