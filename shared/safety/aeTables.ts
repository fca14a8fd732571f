import type { AeFacts } from '../model';
import { incidenceTable, percentOf, type IncidenceTable } from './incidence';

// The AE tables a dose-escalation committee asks for beside the TEAE incidence
// (docs/CLINICAL_RULES.md#teae): treatment-related TEAE incidence (AEREL), TEAEs leading to a dose
// change or discontinuation (AEACN), and the SOC × dose-level grid of worst grade. Each reuses the
// incidence table (subjects counted once per SOC/PT at their worst grade, denominator = treated
// subjects) on a subset of the TEAEs; no second counting rule.

/** Relationship of an AE to study treatment as read from AEREL; 'missing' = empty, UNKNOWN or a value DoseDesk does not recognise. */
export type AeRelationship = 'related' | 'not-related' | 'missing';

// AEREL is sponsor-defined (SDTMIG v3.4 AE: no CDISC code list). Values seen in practice:
// Y/N; RELATED / NOT RELATED; POSSIBLY / PROBABLY / DEFINITELY RELATED, UNLIKELY RELATED (WHO-UMC
// causality categories); the CDISC pilot (pharmaversesdtm ae) NONE / REMOTE / POSSIBLE / PROBABLE,
// where the pilot's analyses count POSSIBLE and PROBABLE as drug-related.
const RELATED = new Set(['Y', 'YES', 'RELATED', 'POSSIBLY RELATED', 'PROBABLY RELATED', 'DEFINITELY RELATED', 'POSSIBLE', 'PROBABLE', 'DEFINITE', 'CERTAIN', 'LIKELY', 'LIKELY RELATED']);
const NOT_RELATED = new Set(['N', 'NO', 'NOT RELATED', 'UNRELATED', 'UNLIKELY RELATED', 'UNLIKELY', 'NONE', 'REMOTE', 'NOT SUSPECTED']);

/**
 * AEREL → related / not related / missing. Anything else (empty, UNKNOWN, NOT ASSESSED, an unknown
 * sponsor code) is "relationship missing": reported and counted apart, never guessed.
 */
export function aeRelationship(aerel: string | null | undefined): AeRelationship {
  const v = (aerel ?? '').trim().toUpperCase().replace(/\s+/g, ' ');
  if (RELATED.has(v)) return 'related';
  if (NOT_RELATED.has(v)) return 'not-related';
  return 'missing';
}

/** Action taken with study treatment (AEACN, CDISC CT C66767), plus what DoseDesk cannot interpret. */
export type AeAction = 'withdrawn' | 'reduced' | 'increased' | 'interrupted' | 'not-changed' | 'not-applicable' | 'unknown' | 'multiple' | 'missing' | 'unrecognised';

// C66767 "Action Taken with Study Treatment" submission values.
const ACTIONS: Record<string, AeAction> = {
  'DRUG WITHDRAWN': 'withdrawn',
  'DOSE REDUCED': 'reduced',
  'DOSE INCREASED': 'increased',
  'DRUG INTERRUPTED': 'interrupted',
  // DOSE RATE REDUCED (an infusion given more slowly) is counted with the reductions: the dose delivered per unit time was lowered.
  'DOSE RATE REDUCED': 'reduced',
  'DOSE NOT CHANGED': 'not-changed',
  'NOT APPLICABLE': 'not-applicable',
  UNKNOWN: 'unknown',
  // Several study treatments: the actions per treatment are in SUPPAE (aeActions below).
  MULTIPLE: 'multiple',
};

/** AEACN → action category (empty → 'missing'; a value outside C66767 → 'unrecognised'). */
export function aeAction(aeacn: string | null | undefined): AeAction {
  const v = (aeacn ?? '').trim().toUpperCase().replace(/\s+/g, ' ');
  if (!v) return 'missing';
  return ACTIONS[v] ?? 'unrecognised';
}

/**
 * The actions of one AE. SDTMIG v3.4 AE assumptions: with several study treatments AEACN is MULTIPLE
 * and the action per treatment is in SUPPAE (QNAM AEACN1, AEACN2, …, same C66767 values); `supp`
 * holds those values for the AE. MULTIPLE without them stays 'multiple' (not interpretable).
 */
export function aeActions(aeacn: string | null | undefined, supp: readonly string[] = []): AeAction[] {
  const a = aeAction(aeacn);
  return a === 'multiple' && supp.length > 0 ? supp.map((v) => aeAction(v)) : [a];
}

/** Key of an AE for its SUPPAE values (IDVAR AESEQ). */
export const aeKey = (ae: { usubjid: string; aeseq: number | null }) => `${ae.usubjid}\u0000${ae.aeseq ?? ''}`;

/** Actions that change study treatment and are counted in the dose-change table. */
export const DOSE_CHANGE_ACTIONS = ['withdrawn', 'reduced', 'interrupted', 'increased'] as const;
export type DoseChangeAction = (typeof DOSE_CHANGE_ACTIONS)[number];

/** Actions that say nothing about whether treatment changed: counted as "not interpretable". */
export function actionNotInterpretable(a: AeAction): boolean {
  return a === 'unknown' || a === 'multiple' || a === 'missing' || a === 'unrecognised';
}

type Groups = readonly { key: string; label: string }[];
type Treated = readonly { usubjid: string; group: string }[];

export interface SubjectEventCount {
  subjects: number;
  events: number;
}

export interface RelatedIncidence extends IncidenceTable {
  /** TEAEs whose relationship is missing (empty, UNKNOWN or unrecognised AEREL), per group and in total. */
  relationshipMissing: { byGroup: Record<string, SubjectEventCount>; total: SubjectEventCount };
}

function countSubjectsEvents(groups: Groups, treated: Treated, aes: readonly AeFacts[]): { byGroup: Record<string, SubjectEventCount>; total: SubjectEventCount } {
  const groupOf = new Map(treated.map((t) => [t.usubjid, t.group]));
  const subj = new Map<string, Set<string>>(groups.map((g) => [g.key, new Set()]));
  const events = new Map<string, number>(groups.map((g) => [g.key, 0]));
  const all = new Set<string>();
  let total = 0;
  for (const ae of aes) {
    const g = groupOf.get(ae.usubjid);
    if (g === undefined) continue;
    subj.get(g)?.add(ae.usubjid);
    events.set(g, (events.get(g) ?? 0) + 1);
    all.add(ae.usubjid);
    total++;
  }
  return {
    byGroup: Object.fromEntries(groups.map((g) => [g.key, { subjects: subj.get(g.key)!.size, events: events.get(g.key) ?? 0 }])),
    total: { subjects: all.size, events: total },
  };
}

/**
 * Treatment-related TEAE incidence: the incidence table (shared/safety/incidence.ts) on the TEAEs
 * with AEREL read as related (ICH E3 §12.2.2 "summary of adverse events … related to treatment").
 * TEAEs whose relationship is missing are not counted as related nor as unrelated: their subjects
 * and events are given apart per group. `teaes` = treatment-emergent AEs with `aerel` set.
 */
export function relatedIncidence(groups: Groups, treated: Treated, teaes: readonly AeFacts[], minGrade: 1 | 3): RelatedIncidence {
  const related = teaes.filter((a) => aeRelationship(a.aerel) === 'related');
  const missing = teaes.filter((a) => aeRelationship(a.aerel) === 'missing');
  return { ...incidenceTable(groups, treated, related, minGrade), relationshipMissing: countSubjectsEvents(groups, treated, missing) };
}

export interface AeActionCell {
  /** Subjects with >= 1 TEAE of the action (the group's treated subjects as denominator). */
  subjects: number;
  percent: number | null;
  events: number;
}

export interface AeActionTable {
  groups: { key: string; label: string; n: number }[];
  totalN: number;
  /** Per action: per group and total. 'any' = any of withdrawn, reduced, interrupted, increased. */
  rows: { action: DoseChangeAction | 'any'; cells: Record<string, AeActionCell>; total: AeActionCell }[];
  /** TEAEs whose AEACN (or a SUPPAE AEACNx) says nothing interpretable (UNKNOWN, MULTIPLE without SUPPAE, empty, outside C66767). */
  notInterpretable: { byGroup: Record<string, SubjectEventCount>; total: SubjectEventCount };
}

/**
 * Subjects with >= 1 TEAE leading to discontinuation (AEACN DRUG WITHDRAWN), dose reduction (DOSE
 * REDUCED), interruption (DRUG INTERRUPTED) or dose increase (DOSE INCREASED), per group; a subject
 * counts once per row however many such AEs (ICH E3 §12.2.2 "AEs leading to discontinuation";
 * CDISC CT C66767). percent = 100 × subjects / treated, one decimal.
 */
export function aeActionTable(groups: Groups, treated: Treated, teaes: readonly AeFacts[], suppAeacn: ReadonlyMap<string, readonly string[]> = new Map()): AeActionTable {
  const actionsOf = (a: AeFacts) => aeActions(a.aeacn, suppAeacn.get(aeKey(a)));
  const n = new Map<string, number>(groups.map((g) => [g.key, 0]));
  for (const t of treated) n.set(t.group, (n.get(t.group) ?? 0) + 1);
  const cell = (aes: readonly AeFacts[], key: string | null): AeActionCell => {
    const c = countSubjectsEvents(groups, treated, aes);
    const se = key === null ? c.total : c.byGroup[key]!;
    return { ...se, percent: percentOf(se.subjects, key === null ? treated.length : (n.get(key) ?? 0)) };
  };
  const rows = (['any', ...DOSE_CHANGE_ACTIONS] as const).map((action) => {
    // With several treatments (SUPPAE AEACNx) an AE counts in a row when any treatment had that action.
    const aes = teaes.filter((a) => actionsOf(a).some((x) => (action === 'any' ? (DOSE_CHANGE_ACTIONS as readonly string[]).includes(x) : x === action)));
    return { action, cells: Object.fromEntries(groups.map((g) => [g.key, cell(aes, g.key)])), total: cell(aes, null) };
  });
  return {
    groups: groups.map((g) => ({ ...g, n: n.get(g.key) ?? 0 })),
    totalN: treated.length,
    rows,
    // Not interpretable when the action for any treatment is unknown (the AE may also count above for another treatment).
    notInterpretable: countSubjectsEvents(groups, treated, teaes.filter((a) => actionsOf(a).some(actionNotInterpretable))),
  };
}

export interface SocGradeCell {
  /** Subjects with >= 1 TEAE in the SOC. */
  subjects: number;
  /** Highest CTCAE grade among them; null when none of their AEs in the SOC has a grade. */
  worstGrade: number | null;
  /** Subjects at each worst grade 1..5 (index 0 = grade 1). */
  byWorstGrade: [number, number, number, number, number];
  /** Subjects whose AEs in the SOC all lack a grade. */
  worstGradeMissing: number;
}

export interface SocGradeGrid {
  groups: { key: string; label: string; n: number }[];
  rows: { soc: string; cells: Record<string, SocGradeCell>; total: SocGradeCell }[];
}

/** Highest grade with at least one subject in a worst-grade distribution (null when all are 0). */
export function highestGrade(byWorstGrade: readonly number[]): number | null {
  for (let g = byWorstGrade.length; g >= 1; g--) if ((byWorstGrade[g - 1] ?? 0) > 0) return g;
  return null;
}

/**
 * SOC × dose-level grid of worst CTCAE grade: the SOC rows of the any-grade TEAE incidence table
 * (each subject once per SOC at its worst grade, shared/safety/grades.ts), the cell's worst grade =
 * the highest grade any of its subjects reached. SOCs in the incidence table's order.
 */
export function socGradeGrid(groups: Groups, treated: Treated, teaes: readonly AeFacts[]): SocGradeGrid {
  return socGradeGridOf(incidenceTable(groups, treated, teaes, 1));
}

/** The SOC × dose-level grid from an any-grade incidence table (however that table was counted). */
export function socGradeGridOf(t: IncidenceTable): SocGradeGrid {
  const cellOf = (c: IncidenceTable['rows'][number]['total']): SocGradeCell => ({ subjects: c.subjects, worstGrade: highestGrade(c.byWorstGrade), byWorstGrade: c.byWorstGrade, worstGradeMissing: c.worstGradeMissing });
  return {
    groups: t.groups,
    rows: t.rows
      .filter((r) => r.kind === 'soc')
      .map((r) => ({ soc: r.soc ?? 'Not coded', cells: Object.fromEntries(Object.entries(r.cells).map(([k, c]) => [k, cellOf(c)])), total: cellOf(r.total) })),
  };
}
