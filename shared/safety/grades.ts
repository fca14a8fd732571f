import type { AeFacts } from '../model';

// Worst CTCAE grade per subject × SOC × PT (DESIGN §4 "TEAE, worst grade").
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
