import type { AeFacts } from '../model';

// Worst CTCAE grade per subject × SOC × PT (docs/CLINICAL_RULES.md#ctcae-grades).
// Convention (ICH E3 §12.2.2 summary tables; the usual ADaM ADAE/"worst grade" analyses): a subject
// with several events of the same preferred term is counted once, at the highest CTCAE grade among
// them. An event without a grade (AETOXGR missing) does not lower nor raise the worst grade; a
// subject whose events all lack a grade has worst grade null ("grade missing").

/** The SOC label of an AE: AEBODSYS (MedDRA primary SOC), else "Not coded". */
export function socOf(ae: AeFacts): string {
  return ae.aebodsys?.trim() || 'Not coded';
}

/** The preferred term of an AE: AEDECOD (MedDRA PT), else the verbatim AETERM. */
export function ptOf(ae: AeFacts): string {
  return ae.aedecod?.trim() || ae.aeterm?.trim() || 'Not coded';
}

/** max(grade) over events, ignoring missing grades; null when every grade is missing. */
export function worstGrade(aes: readonly AeFacts[]): number | null {
  let w: number | null = null;
  for (const a of aes) if (a.grade !== null && (w === null || a.grade > w)) w = a.grade;
  return w;
}

export interface WorstGradeRow {
  usubjid: string;
  soc: string;
  pt: string;
  /** Highest CTCAE grade among the subject's events of this PT; null when none is graded. */
  worstGrade: number | null;
  /** Number of events of this PT in the subject. */
  events: number;
}

/** One row per subject × SOC × PT with the worst grade and the number of events, in input order of first appearance. */
export function worstGradeBySubjectSocPt(aes: readonly AeFacts[]): WorstGradeRow[] {
  const rows = new Map<string, WorstGradeRow>();
  for (const a of aes) {
    const soc = socOf(a);
    const pt = ptOf(a);
    const k = `${a.usubjid}\u0000${soc}\u0000${pt}`;
    let r = rows.get(k);
    if (!r) rows.set(k, (r = { usubjid: a.usubjid, soc, pt, worstGrade: null, events: 0 }));
    r.events++;
    if (a.grade !== null && (r.worstGrade === null || a.grade > r.worstGrade)) r.worstGrade = a.grade;
  }
  return [...rows.values()];
}

/**
 * CTCAE grade from the text of AETOXGR or of the study's grade variable: "3", "GRADE 3", "Grade 3"
 * (CTCAE v5.0 grades 1-5). AESEV (MILD / MODERATE / SEVERE) is a severity scale, not a CTCAE grade,
 * and is never turned into one (issue 10 item 4: a missing grade is "not collected", not 0).
 */
export function ctcaeGrade(text: string | null | undefined): number | null {
  const m = text ? /(?:^|\D)([1-5])(?:\D|$)/.exec(text.trim()) : null;
  return m ? Number(m[1]) : null;
}

/**
 * Data query: a fatal AE not recorded as serious. SDTMIG v3.4 AE assumptions / ICH E2A: an AE that
 * results in death is serious by definition (AESDTH = Y is one of the seriousness criteria), so
 * AEOUT = FATAL or AESDTH = Y requires AESER = Y.
 */
export function isFatalNotSerious(ae: { aeout: string | null; aesdth: string | null; aeser: string | null }): boolean {
  const fatal = (ae.aeout ?? '').trim().toUpperCase() === 'FATAL' || (ae.aesdth ?? '').trim().toUpperCase() === 'Y';
  return fatal && (ae.aeser ?? '').trim().toUpperCase() !== 'Y';
}

/** "grade not collected for N AEs" — the words every grade count shows beside itself when N > 0. */
export function gradeNotCollectedText(n: number): string {
  return `grade not collected for ${n} AE${n === 1 ? '' : 's'}`;
}
