import { percentOf, type IncidenceCell, type IncidenceGroup, type IncidenceRow, type IncidenceTable } from './incidence';
import type { AeListingRow } from './listings';

// The AE facts the AE grid and the incidence tables read from SQLite (docs/CLINICAL_RULES.md#ae-facts):
// each stored row is one row of aeListing (shared/safety/listings.ts) plus what the grid searches,
// groups and screens by. The clinical rules stay where they are; these functions only say how a
// listing row is searched and placed, and how counts that SQL aggregated become the incidence table
// of incidenceTable (shared/safety/incidence.ts) — the same cells, in the same order.

/** The grid's words for AEs whose fatal outcome is not recorded as serious (shared/safety/grades.ts isFatalNotSerious). */
export const FATAL_NOT_SERIOUS_QUERY = 'fatal outcome but AESER not Y';

/** Y / N, as the grid, its text filters and its CSV show a flag. */
export function ynOf(b: boolean): 'Y' | 'N' {
  return b ? 'Y' : 'N';
}

/**
 * Inside the DLT window: onset on study day 1..W (day 1 = first dose, SDTMIG --DY; the window as
 * docs/CLINICAL_RULES.md#dlt-window states it, the same test as shared/cohorts.ts subjectDltTable).
 */
export function inDltWindow(studyDay: number | null, windowDays: number): boolean {
  return studyDay !== null && studyDay >= 1 && studyDay <= windowDays;
}

/**
 * The quick-search text of an AE: the values of the grid's columns shown by default (subject, dose
 * level, onset day, reported term, PT, SOC, grade, severity, serious, related, DLT, outcome, action,
 * data query), lower-cased and joined by new lines — what AG Grid's quick filter searches in a
 * client-side grid (raw values, not the formatted "DL2"), so that a search finds the same rows.
 */
export function aeSearchText(r: AeListingRow): string {
  return [r.usubjid, r.level, r.studyDay, r.aeterm, r.aedecod, r.aebodsys, r.grade, r.severity, ynOf(r.serious), ynOf(r.related), ynOf(r.dlt), r.aeout, r.aeacn, r.fatalNotSerious ? FATAL_NOT_SERIOUS_QUERY : null]
    .filter((v) => v !== null && v !== undefined)
    .map((v) => String(v))
    .join('\n')
    .toLowerCase();
}

/** The words of a quick search: every word must occur in a row's search text (AG Grid's quick-filter rule). */
export function searchWords(search: string | null | undefined): string[] {
  return (search ?? '').toLowerCase().split(' ').filter((w) => w.length > 0);
}

/** The group label of a grid row as the grid shows it (the value, or "(missing)"). */
export function groupKeyOf(v: unknown): string {
  return String(v ?? '(missing)');
}

/** Rank of each distinct group label in the grid's group order (localeCompare), so that SQL can sort groups as the grid did. */
export function groupRanks(values: readonly unknown[]): Map<string, number> {
  const keys = [...new Set(values.map(groupKeyOf))].sort((a, b) => a.localeCompare(b));
  return new Map(keys.map((k, i) => [k, i]));
}

/** Subjects and events of one incidence row × group, as SQL counted them (shared/safety/incidence.ts Tally). */
export interface IncidenceCount {
  kind: 'any' | 'soc' | 'pt';
  soc: string | null;
  pt: string | null;
  group: string;
  subjects: number;
  events: number;
  ungradedEvents: number;
  byWorstGrade: [number, number, number, number, number];
  worstGradeMissing: number;
}

const emptyCell = (n: number): IncidenceCell => ({ subjects: 0, percent: percentOf(0, n), events: 0, byWorstGrade: [0, 0, 0, 0, 0], worstGradeMissing: 0, ungradedEvents: 0 });

/**
 * The incidence table of incidenceTable from per-group counts. Each subject is in one group, so a
 * row's total is the sum of its groups. Rows: "any AE", then each SOC followed by its PTs; SOCs and
 * PTs by subjects over all groups (descending), then events, then name — incidenceTable's order.
 */
export function incidenceFromCounts(groups: readonly { key: string; label: string }[], treated: readonly { usubjid: string; group: string }[], counts: readonly IncidenceCount[], minGrade: 1 | 3): IncidenceTable {
  const n = new Map<string, number>(groups.map((g) => [g.key, 0]));
  for (const t of treated) n.set(t.group, (n.get(t.group) ?? 0) + 1);
  const totalN = treated.length;
  type Entry = { kind: IncidenceRow['kind']; soc: string | null; pt: string | null; by: Map<string, IncidenceCount> };
  const entries = new Map<string, Entry>();
  const keyOf = (c: { kind: string; soc: string | null; pt: string | null }) => `${c.kind}\u0000${c.soc ?? ''}\u0000${c.pt ?? ''}`;
  entries.set(keyOf({ kind: 'any', soc: null, pt: null }), { kind: 'any', soc: null, pt: null, by: new Map() });
  for (const c of counts) {
    const k = keyOf(c);
    let e = entries.get(k);
    if (!e) entries.set(k, (e = { kind: c.kind, soc: c.soc, pt: c.pt, by: new Map() }));
    e.by.set(c.group, c);
  }
  const cellOf = (c: IncidenceCount | undefined, den: number): IncidenceCell =>
    c ? { subjects: c.subjects, percent: percentOf(c.subjects, den), events: c.events, byWorstGrade: [...c.byWorstGrade], worstGradeMissing: c.worstGradeMissing, ungradedEvents: c.ungradedEvents } : emptyCell(den);
  const row = (e: Entry): IncidenceRow => {
    const total: IncidenceCell = emptyCell(totalN);
    for (const c of e.by.values()) {
      total.subjects += c.subjects;
      total.events += c.events;
      total.ungradedEvents += c.ungradedEvents;
      total.worstGradeMissing += c.worstGradeMissing;
      for (let i = 0; i < 5; i++) total.byWorstGrade[i] = total.byWorstGrade[i]! + c.byWorstGrade[i]!;
    }
    total.percent = percentOf(total.subjects, totalN);
    return { kind: e.kind, soc: e.soc, pt: e.pt, cells: Object.fromEntries(groups.map((g) => [g.key, cellOf(e.by.get(g.key), n.get(g.key) ?? 0)])), total };
  };
  const built = [...entries.values()].map((e) => ({ e, r: row(e) }));
  const order = (a: { r: IncidenceRow; name: string }, b: { r: IncidenceRow; name: string }) => b.r.total.subjects - a.r.total.subjects || b.r.total.events - a.r.total.events || a.name.localeCompare(b.name);
  const socs = built.filter((x) => x.e.kind === 'soc').map((x) => ({ ...x, name: x.e.soc ?? '' }));
  const pts = built.filter((x) => x.e.kind === 'pt').map((x) => ({ ...x, name: x.e.pt ?? '' }));
  const rows: IncidenceRow[] = [built.find((x) => x.e.kind === 'any')!.r];
  for (const s of socs.sort(order)) {
    rows.push(s.r);
    for (const p of pts.filter((p) => p.e.soc === s.e.soc).sort(order)) rows.push(p.r);
  }
  const outGroups: IncidenceGroup[] = groups.map((g) => ({ ...g, n: n.get(g.key) ?? 0 }));
  return { minGrade, groups: outGroups, totalN, rows };
}
