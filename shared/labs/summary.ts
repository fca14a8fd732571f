import { toDayNumber } from '../dates';
import { ctcaeLabGrade, termsOfTestcd, LAB_TERMS, type LabBaseline, type LabGrade, type LabTermDef } from './ctcae';

// Per-subject laboratory summaries: baseline, worst post-baseline CTCAE grade per term, the shift
// table (baseline grade × worst post-baseline grade by dose level), eDISH (FDA, Guidance for
// Industry "Drug-Induced Liver Injury: Premarketing Clinical Evaluation", July 2009) and the lab
// results of grade ≥ 3 inside the DLT window.

export interface LabRecord {
  usubjid: string;
  testcd: string;
  dtc: string | null;
  value: number | null;
  text: string | null;
  unit: string | null;
  lln: number | null;
  uln: number | null;
  toxgr: string | null;
  nrind: string | null;
  /** LBBLFL = Y (or LBLOBXFL = Y, SDTMIG v3.4). */
  baselineFlag: boolean;
  rowNo: number;
}

/** Date part of an ISO 8601 value ('2025-01-06T08:00' → '2025-01-06'); partial dates stay partial. */
const dateOf = (dtc: string | null): string => (dtc ?? '').slice(0, 10);

/**
 * Post-baseline: collected after the first dose. With both times known the instants are compared;
 * otherwise a result of the first-dose day counts as pre-dose (the SDTMIG baseline is the last
 * result before first dose, and day-1 samples are drawn before the infusion). A result without a
 * full date cannot be placed and is neither baseline nor post-baseline.
 */
export function isPostBaseline(dtc: string | null, firstDoseDtc: string | null): boolean | null {
  if (!firstDoseDtc || toDayNumber(dateOf(dtc)) === null || dateOf(dtc).length < 10) return null;
  const d = dateOf(dtc);
  const f = dateOf(firstDoseDtc);
  if (d !== f) return d > f;
  if (dtc!.length > 10 && firstDoseDtc.length > 10) return dtc! > firstDoseDtc;
  return false;
}

/**
 * The baseline record of one subject's results of one test: the one flagged LBBLFL = Y (the last
 * if several), else the last result with a numeric value on or before the first dose (SDTMIG
 * v3.4 LBLOBXFL; admiral derive_var_base with the last pre-dose record). Null when none.
 */
export function baselineOf(records: readonly LabRecord[], firstDoseDtc: string | null): LabRecord | null {
  const sorted = [...records].sort((a, b) => (a.dtc ?? '').localeCompare(b.dtc ?? '') || a.rowNo - b.rowNo);
  const flagged = sorted.filter((r) => r.baselineFlag);
  if (flagged.length) return flagged[flagged.length - 1]!;
  const pre = sorted.filter((r) => r.value !== null && isPostBaseline(r.dtc, firstDoseDtc) === false);
  return pre.length ? pre[pre.length - 1]! : null;
}

export interface GradedRecord {
  record: LabRecord;
  term: LabTermDef;
  grade: LabGrade;
  studyDay: number | null;
  /** False for the baseline record. */
  postBaseline: boolean;
}

export interface SubjectTermSummary {
  usubjid: string;
  term: string;
  testcd: string;
  /** Grade of the baseline record; null when there is none or it is not gradable. */
  baselineGrade: number | null;
  /** Highest grade among the gradable post-baseline results; null when none is gradable. */
  worstGrade: number | null;
  worst: GradedRecord | null;
  postBaseline: number;
  notGradable: GradedRecord[];
}

export interface SubjectLabs {
  usubjid: string;
  /** Every result of a graded test, graded per term (post-baseline and baseline). */
  graded: GradedRecord[];
  terms: SubjectTermSummary[];
  /** Results that were neither baseline nor post-baseline (no full date, no first dose). */
  undated: LabRecord[];
  /** Results on or before the first dose other than the baseline record (e.g. day-1 pre-dose when screening is flagged). */
  preDose: LabRecord[];
}

/** Grade every result of one subject: baseline per test, each record per term, worst post-baseline per term. */
export function subjectLabs(usubjid: string, records: readonly LabRecord[], firstDoseDtc: string | null): SubjectLabs {
  const byTest = new Map<string, LabRecord[]>();
  for (const r of records) {
    const cd = r.testcd.trim().toUpperCase();
    if (!termsOfTestcd(cd).length) continue;
    let l = byTest.get(cd);
    if (!l) byTest.set(cd, (l = []));
    l.push(r);
  }
  const graded: GradedRecord[] = [];
  const terms: SubjectTermSummary[] = [];
  const undated: LabRecord[] = [];
  const preDose: LabRecord[] = [];
  const firstDay = toDayNumber(dateOf(firstDoseDtc));
  for (const [cd, recs] of byTest) {
    const base = baselineOf(recs, firstDoseDtc);
    const baseline: LabBaseline | null = base ? { value: base.value, unit: base.unit, uln: base.uln } : null;
    for (const r of recs) {
      if (r === base) continue;
      const post = isPostBaseline(r.dtc, firstDoseDtc);
      if (post === null) undated.push(r);
      else if (!post) preDose.push(r);
    }
    for (const term of termsOfTestcd(cd)) {
      const s: SubjectTermSummary = { usubjid, term: term.term, testcd: cd, baselineGrade: null, worstGrade: null, worst: null, postBaseline: 0, notGradable: [] };
      if (base) {
        const g = ctcaeLabGrade(term, base, null);
        s.baselineGrade = g.grade;
        graded.push({ record: base, term, grade: g, studyDay: studyDayOf(base.dtc, firstDay), postBaseline: false });
      }
      for (const r of recs) {
        if (r === base || isPostBaseline(r.dtc, firstDoseDtc) !== true) continue;
        s.postBaseline++;
        const g = ctcaeLabGrade(term, r, baseline);
        const gr: GradedRecord = { record: r, term, grade: g, studyDay: studyDayOf(r.dtc, firstDay), postBaseline: true };
        graded.push(gr);
        if (g.grade === null) s.notGradable.push(gr);
        else if (s.worstGrade === null || g.grade > s.worstGrade) {
          s.worstGrade = g.grade;
          s.worst = gr;
        }
      }
      terms.push(s);
    }
  }
  const order = (t: string) => LAB_TERMS.findIndex((d) => d.term === t);
  terms.sort((a, b) => order(a.term) - order(b.term));
  return { usubjid, graded, terms, undated, preDose };
}

/** Study day (day 1 = first dose, no day 0) of a full date. */
function studyDayOf(dtc: string | null, firstDay: number | null): number | null {
  const d = toDayNumber(dateOf(dtc));
  if (d === null || firstDay === null || dateOf(dtc).length < 10) return null;
  return d >= firstDay ? d - firstDay + 1 : d - firstDay;
}

// ---------------------------------------------------------------------------------------------
// Shift table

export const GRADE_KEYS = ['0', '1', '2', '3', '4', 'missing'] as const;
export type GradeKey = (typeof GRADE_KEYS)[number];
const keyOf = (g: number | null): GradeKey => (g === null ? 'missing' : (String(Math.min(4, Math.max(0, g))) as GradeKey));

export interface ShiftCell {
  baseline: GradeKey;
  worst: GradeKey;
  subjects: number;
}

export interface ShiftBlock {
  term: string;
  testcd: string;
  group: string;
  /** Subjects of the group with at least one result of the test. */
  subjects: number;
  /** Baseline grade × worst post-baseline grade ("missing": no gradable result), subjects counted once. */
  cells: ShiftCell[];
  /** Post-baseline results of the group that could not be graded. */
  notGradable: number;
}

/**
 * Shift table (ICH E3 §12.4.2.2 "shift tables"; the CTCAE-grade shift of oncology CSRs): per term
 * and group, the number of subjects by baseline grade × worst post-baseline grade. Every subject
 * with a result of the test counts once; "missing" holds those without a gradable baseline or
 * post-baseline result. Cells with zero subjects are left out.
 */
export function shiftTable(subjects: readonly SubjectLabs[], groupOf: ReadonlyMap<string, string>, groups: readonly string[]): ShiftBlock[] {
  const blocks: ShiftBlock[] = [];
  for (const def of LAB_TERMS)
    for (const group of groups) {
      const cells = new Map<string, ShiftCell>();
      let n = 0;
      let ng = 0;
      for (const s of subjects) {
        if (groupOf.get(s.usubjid) !== group) continue;
        const t = s.terms.find((x) => x.term === def.term);
        if (!t) continue;
        n++;
        ng += t.notGradable.length;
        const b = keyOf(t.baselineGrade);
        const w = keyOf(t.worstGrade);
        const k = `${b}:${w}`;
        const c = cells.get(k) ?? { baseline: b, worst: w, subjects: 0 };
        c.subjects++;
        cells.set(k, c);
      }
      if (n === 0) continue;
      const ord = (k: GradeKey) => GRADE_KEYS.indexOf(k);
      blocks.push({ term: def.term, testcd: def.testcd, group, subjects: n, cells: [...cells.values()].sort((a, b) => ord(a.baseline) - ord(b.baseline) || ord(a.worst) - ord(b.worst)), notGradable: ng });
    }
  return blocks;
}

// ---------------------------------------------------------------------------------------------
// eDISH

export type EdishQuadrant = "Potential Hy's law" | "Temple's corollary" | 'Hyperbilirubinaemia' | 'Normal range';

/**
 * eDISH quadrant (FDA DILI guidance, July 2009, section on Hy's law; Watkins et al. 2008, eDISH):
 * peak ALT or AST > 3 × ULN with peak total bilirubin > 2 × ULN is a potential Hy's law case;
 * > 3 × ULN alone is "Temple's corollary" (hepatocellular injury without jaundice); bilirubin > 2 × ULN
 * alone is hyperbilirubinaemia (cholestasis, Gilbert's). The thresholds are strict ("greater than").
 */
export function edishQuadrant(aminoXUln: number, biliXUln: number): EdishQuadrant {
  const a = aminoXUln > 3;
  const b = biliXUln > 2;
  return a && b ? "Potential Hy's law" : a ? "Temple's corollary" : b ? 'Hyperbilirubinaemia' : 'Normal range';
}

export interface EdishPoint {
  usubjid: string;
  /** Peak post-baseline ALT / ULN, AST / ULN, and the higher of them (the x axis). */
  altXUln: number | null;
  astXUln: number | null;
  aminoXUln: number | null;
  /** Peak post-baseline total bilirubin / ULN (the y axis). */
  biliXUln: number | null;
  altDtc: string | null;
  astDtc: string | null;
  biliDtc: string | null;
  quadrant: EdishQuadrant | null;
  /** Why the subject has no point: no post-baseline ALT/AST or bilirubin with a ULN. */
  notPlotted: string | null;
}

/**
 * One eDISH point per subject: the peaks of the post-baseline results over their own ULN (the peaks
 * need not be on the same day; the guidance asks that the timing of a potential case be examined,
 * hence the dates). Results without a numeric value or a ULN are left out of the peaks and counted.
 */
export function edishPoint(usubjid: string, records: readonly LabRecord[], firstDoseDtc: string | null): EdishPoint & { skipped: number } {
  let skipped = 0;
  const peak = (cd: string): { x: number; dtc: string | null } | null => {
    let best: { x: number; dtc: string | null } | null = null;
    for (const r of records) {
      if (r.testcd.trim().toUpperCase() !== cd || isPostBaseline(r.dtc, firstDoseDtc) !== true) continue;
      if (r.value === null || r.uln === null || r.uln <= 0) {
        skipped++;
        continue;
      }
      const x = r.value / r.uln;
      if (!best || x > best.x) best = { x, dtc: r.dtc };
    }
    return best;
  };
  const alt = peak('ALT');
  const ast = peak('AST');
  const bili = peak('BILI');
  const amino = alt || ast ? Math.max(alt?.x ?? -Infinity, ast?.x ?? -Infinity) : null;
  const missing = [amino === null ? 'ALT or AST' : null, bili === null ? 'total bilirubin' : null].filter(Boolean);
  return {
    usubjid,
    altXUln: alt?.x ?? null,
    astXUln: ast?.x ?? null,
    aminoXUln: amino,
    biliXUln: bili?.x ?? null,
    altDtc: alt?.dtc ?? null,
    astDtc: ast?.dtc ?? null,
    biliDtc: bili?.dtc ?? null,
    quadrant: amino !== null && bili ? edishQuadrant(amino, bili.x) : null,
    notPlotted: missing.length ? `no post-baseline ${missing.join(' nor ')} with a numeric result and an upper limit of normal` : null,
    skipped,
  };
}

// ---------------------------------------------------------------------------------------------
// DLT window

/**
 * Lab results of CTCAE grade ≥ 3 inside the DLT window (study day 1 to the window's last day, the
 * window as the DLT table has it), by date then term: shown beside the AE screen "possible DLT — not flagged", since
 * a laboratory DLT may be recorded in LB without an AE. A lab result has no causality: every such
 * result is listed for the committee to judge.
 */
export function labsGrade3InWindow(s: SubjectLabs, windowEndDtc: string): GradedRecord[] {
  const end = dateOf(windowEndDtc);
  const order = (g: GradedRecord) => LAB_TERMS.indexOf(g.term);
  return s.graded
    .filter((g) => g.grade.grade !== null && g.grade.grade >= 3 && g.postBaseline && dateOf(g.record.dtc) <= end)
    .sort((a, b) => (a.record.dtc ?? '').localeCompare(b.record.dtc ?? '') || order(a) - order(b));
}
