import type { AeFacts } from '../model';
import { ptOf, socOf } from './grades';

// Incidence of treatment-emergent AEs by group (dose level or study part), per SOC and PT
// (docs/CLINICAL_RULES.md#teae; ICH E3 §12.2.2 / §14.3.1 "number and percentage of subjects with AEs, by body system
// and preferred term"). Incidence counts SUBJECTS, not events: a subject with several events of one
// PT counts once in that PT, once in its SOC and once in "any AE"; events are counted alongside.
//
// Denominator: the number of TREATED subjects in the group (subjects with at least one dose on or
// before the data cut-off), whether or not they had an AE — not the number with AEs and not the
// DLT-evaluable subjects.  percent = 100 × subjects / treated, rounded to one decimal (null when
// the group has no treated subject).
//
// Grade filter: minGrade 3 counts only events with CTCAE grade >= 3; events without a grade cannot
// be placed and are counted apart in each cell (`ungradedEvents`, "grade not collected for N AEs"),
// their SOC/PT rows kept; minGrade 1 keeps every event ("any grade").  Each cell also gives the subjects by their
// worst grade in that row (grade 1..5, and ungraded).

export interface IncidenceGroup {
  key: string;
  label: string;
  /** Treated subjects in the group: the denominator. */
  n: number;
}

export interface IncidenceCell {
  subjects: number;
  percent: number | null;
  events: number;
  /** Subjects by worst CTCAE grade in the row: index 0 = grade 1 … index 4 = grade 5. */
  byWorstGrade: [number, number, number, number, number];
  /** Subjects whose events in the row are all ungraded. */
  worstGradeMissing: number;
  /** Events without a CTCAE grade (for grade >= 3 these are not counted above: "grade not collected for N AEs"). */
  ungradedEvents: number;
}

export interface IncidenceRow {
  kind: 'any' | 'soc' | 'pt';
  soc: string | null;
  pt: string | null;
  cells: Record<string, IncidenceCell>;
  total: IncidenceCell;
}

export interface IncidenceTable {
  minGrade: 1 | 3;
  groups: IncidenceGroup[];
  /** Treated subjects over all groups (denominator of the total column). */
  totalN: number;
  rows: IncidenceRow[];
}

/** percent = 100 × x / n to one decimal (null when n = 0). */
export function percentOf(x: number, n: number): number | null {
  return n > 0 ? Math.round((1000 * x) / n) / 10 : null;
}

/** An event counts toward a table with this grade threshold (grade >= 3 excludes ungraded events). */
export function meetsGrade(ae: AeFacts, minGrade: 1 | 3): boolean {
  return minGrade === 1 || (ae.grade !== null && ae.grade >= minGrade);
}

class Tally {
  // usubjid -> worst grade (null = only ungraded events so far)
  readonly worst = new Map<string, number | null>();
  events = 0;
  ungraded = 0;
  /** An ungraded event a grade >= 3 table cannot place: counted, not as a subject. */
  addUngraded(): void {
    this.ungraded++;
  }
  add(ae: AeFacts): void {
    this.events++;
    if (ae.grade === null) this.ungraded++;
    const w = this.worst.get(ae.usubjid);
    if (w === undefined) this.worst.set(ae.usubjid, ae.grade);
    else if (ae.grade !== null && (w === null || ae.grade > w)) this.worst.set(ae.usubjid, ae.grade);
  }
  cell(n: number): IncidenceCell {
    const byWorstGrade: [number, number, number, number, number] = [0, 0, 0, 0, 0];
    let missing = 0;
    for (const g of this.worst.values()) {
      if (g === null) missing++;
      else byWorstGrade[Math.min(5, Math.max(1, g)) - 1]!++;
    }
    return { subjects: this.worst.size, percent: percentOf(this.worst.size, n), events: this.events, byWorstGrade, worstGradeMissing: missing, ungradedEvents: this.ungraded };
  }
}

/**
 * The incidence table. `treated` lists every treated subject with its group key (the denominators);
 * `aes` should already be the treatment-emergent AEs (shared/cohorts.ts isTreatmentEmergent); AEs of
 * subjects not in `treated` are ignored. Rows: "any AE", then each SOC followed by its PTs; SOCs and
 * PTs sorted by the number of subjects over all groups (descending), then events, then name.
 */
export function incidenceTable(
  groups: readonly { key: string; label: string }[],
  treated: readonly { usubjid: string; group: string }[],
  aes: readonly AeFacts[],
  minGrade: 1 | 3,
): IncidenceTable {
  const groupOf = new Map(treated.map((t) => [t.usubjid, t.group]));
  const n = new Map<string, number>(groups.map((g) => [g.key, 0]));
  for (const t of treated) n.set(t.group, (n.get(t.group) ?? 0) + 1);
  type Acc = { total: Tally; by: Map<string, Tally> };
  const acc = (): Acc => ({ total: new Tally(), by: new Map() });
  const add = (a: Acc, g: string, ae: AeFacts) => {
    const graded = meetsGrade(ae, minGrade);
    let t = a.by.get(g);
    if (!t) a.by.set(g, (t = new Tally()));
    if (graded) {
      a.total.add(ae);
      t.add(ae);
    } else {
      a.total.addUngraded();
      t.addUngraded();
    }
  };
  const any = acc();
  const socs = new Map<string, { acc: Acc; pts: Map<string, Acc> }>();
  for (const ae of aes) {
    const g = groupOf.get(ae.usubjid);
    // Ungraded events stay in a grade >= 3 table as "grade not collected" (never silently 0).
    if (g === undefined || (!meetsGrade(ae, minGrade) && ae.grade !== null)) continue;
    add(any, g, ae);
    const soc = socOf(ae);
    let s = socs.get(soc);
    if (!s) socs.set(soc, (s = { acc: acc(), pts: new Map() }));
    add(s.acc, g, ae);
    const pt = ptOf(ae);
    let p = s.pts.get(pt);
    if (!p) s.pts.set(pt, (p = acc()));
    add(p, g, ae);
  }
  const totalN = treated.length;
  const row = (kind: IncidenceRow['kind'], soc: string | null, pt: string | null, a: Acc): IncidenceRow => ({
    kind,
    soc,
    pt,
    cells: Object.fromEntries(groups.map((g) => [g.key, (a.by.get(g.key) ?? new Tally()).cell(n.get(g.key) ?? 0)])),
    total: a.total.cell(totalN),
  });
  const order = <T extends { acc: Acc } | Acc>(entries: [string, T][], accOf: (t: T) => Acc) =>
    entries.sort(([na, a], [nb, b]) => accOf(b).total.worst.size - accOf(a).total.worst.size || accOf(b).total.events - accOf(a).total.events || na.localeCompare(nb));
  const rows: IncidenceRow[] = [row('any', null, null, any)];
  for (const [soc, s] of order([...socs.entries()], (x) => x.acc)) {
    rows.push(row('soc', soc, null, s.acc));
    for (const [pt, p] of order([...s.pts.entries()], (x) => x)) rows.push(row('pt', soc, pt, p));
  }
  return { minGrade, groups: groups.map((g) => ({ ...g, n: n.get(g.key) ?? 0 })), totalN, rows };
}
