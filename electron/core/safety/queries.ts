import { aeKey } from '../../../shared/safety/aeTables';
import type { DispositionRecord } from '../../../shared/endOfTreatment';
import type { DsDeath } from '../../../shared/safety/index';
import type { Db } from '../store/db';

// SQL of the safety feature's AE tables (most AE reading is shared: electron/core/queries/subjects.ts).

/**
 * SUPPAE action per treatment (QNAM AEACN1, AEACN2, … as SDTMIG v3.4 gives for AEACN = MULTIPLE),
 * keyed by subject and AESEQ (IDVAR AESEQ), in QNAM order.
 */
export function loadSuppAeacn(db: Db, snapshotId: number): Map<string, string[]> {
  const rows = db
    .prepare(`SELECT usubjid, idvarval, qval FROM rec_suppae WHERE snapshot_id = ? AND upper(qnam) GLOB 'AEACN[0-9A-Z]*' AND upper(idvar) = 'AESEQ' AND qval IS NOT NULL AND qval <> '' ORDER BY usubjid, idvarval, qnam, row_no`)
    .all(snapshotId) as { usubjid: string; idvarval: string; qval: string }[];
  const m = new Map<string, string[]>();
  for (const r of rows) {
    const k = aeKey({ usubjid: r.usubjid, aeseq: Number(r.idvarval) });
    let l = m.get(k);
    if (!l) m.set(k, (l = []));
    l.push(r.qval);
  }
  return m;
}

/** DS records of death (DSDECOD = DEATH, CDISC CT C66727). */
export function dsDeaths(db: Db, snapshotId: number): DsDeath[] {
  return db
    .prepare(`SELECT usubjid, dsstdtc, dsterm FROM rec_ds WHERE snapshot_id = ? AND upper(dsdecod) = 'DEATH' ORDER BY usubjid, dsstdtc`)
    .all(snapshotId) as DsDeath[];
}

/** Cohort of each subject from SUPPDM (QNAM COHORT / COHORTID). */
export function cohortsOf(db: Db, snapshotId: number): Map<string, string> {
  const rows = db
    .prepare(`SELECT usubjid, qval FROM rec_suppdm WHERE snapshot_id = ? AND upper(qnam) IN ('COHORT', 'COHORTID', 'COHORTN') AND qval IS NOT NULL AND qval <> '' ORDER BY usubjid, row_no`)
    .all(snapshotId) as { usubjid: string; qval: string }[];
  const m = new Map<string, string>();
  for (const r of rows) if (!m.has(r.usubjid)) m.set(r.usubjid, r.qval);
  return m;
}

/** AE rows with a fatal outcome (AEOUT = FATAL or AESDTH = Y), with their file and row for a located query. */
export function fatalAeRowsLocated(db: Db, snapshotId: number): { file_name: string; row_no: number; aeser: string | null; aeout: string | null; aesdth: string | null }[] {
  return db
    .prepare(
      `SELECT f.file_name, a.row_no, a.aeser, a.aeout, json_extract(a.extra, '$.AESDTH') aesdth
       FROM rec_ae a JOIN snapshot_file f ON f.file_id = a.file_id
       WHERE a.snapshot_id = ? AND (upper(a.aeout) = 'FATAL' OR upper(json_extract(a.extra, '$.AESDTH')) = 'Y')
       ORDER BY f.file_name, a.row_no`,
    )
    .all(snapshotId) as { file_name: string; row_no: number; aeser: string | null; aeout: string | null; aesdth: string | null }[];
}

/** AE rows with a fatal outcome (AEOUT = FATAL or AESDTH = Y): their seriousness fields. */
export function fatalAeRows(db: Db, snapshotId: number): { aeser: string | null; aeout: string | null; aesdth: string | null }[] {
  return db
    .prepare(`SELECT aeser, aeout, json_extract(extra, '$.AESDTH') aesdth FROM rec_ae WHERE snapshot_id = ? AND (upper(aeout) = 'FATAL' OR upper(json_extract(extra, '$.AESDTH')) = 'Y')`)
    .all(snapshotId) as { aeser: string | null; aeout: string | null; aesdth: string | null }[];
}

/** DS records per subject, dated ones first in date order, then file order. */
export function mappingDsRows(db: Db, snapshotId: number): (DispositionRecord & { usubjid: string })[] {
  return db
    .prepare(`SELECT usubjid, dsdecod, dsterm, dscat, dsscat, epoch, dsstdtc FROM rec_ds WHERE snapshot_id = ? ORDER BY usubjid, dsstdtc IS NULL, dsstdtc, row_no`)
    .all(snapshotId) as (DispositionRecord & { usubjid: string })[];
}

/** EX rows: subject, start and dose. */
export function exRows(db: Db, snapshotId: number): { usubjid: string; exstdtc: string | null; exdose: number | null }[] {
  return db.prepare(`SELECT usubjid, exstdtc, exdose FROM rec_ex WHERE snapshot_id = ?`).all(snapshotId) as { usubjid: string; exstdtc: string | null; exdose: number | null }[];
}

// ---- AE facts (electron/core/safety/aeFacts.ts): one row per AE, derived once per snapshot ----

/** One stored AE fact: a row of aeListing plus what the grid and the incidence tables read (migration 6). */
export interface AeFactRow {
  ord: number;
  usubjid: string;
  level: number | null;
  dose: number | null;
  part: 'escalation' | 'expansion';
  aeseq: number | null;
  study_day: number | null;
  aeterm: string;
  aedecod: string | null;
  aebodsys: string | null;
  soc: string;
  pt: string;
  grade: number | null;
  severity: string | null;
  serious: number;
  related: number;
  aerel: string | null;
  dlt: number;
  in_dlt_window: number;
  aeout: string | null;
  aeacn: string | null;
  fatal_not_serious: number;
  teae: number;
  aestdtc: string | null;
  aeendtc: string | null;
  row_no: number;
  treated: number;
  grp: string | null;
  rank_usubjid: number;
  rank_level: number;
  rank_aebodsys: number;
  rank_aedecod: number;
}

/** Search rows of a snapshot: rowid = snapshot_id * 2^32 + ord (migration 6). */
const SEARCH_ROWID = 4294967296;

/** The dependency hash the snapshot's AE facts were built under, or null when none are stored. */
export function aeFactsDeps(db: Db, snapshotId: number): string | null {
  return (db.prepare('SELECT deps FROM ae_fact_build WHERE snapshot_id = ?').get(snapshotId) as { deps: string } | undefined)?.deps ?? null;
}

/** Replaces the snapshot's AE facts (the caller holds one write transaction around it). */
export function writeAeFacts(db: Db, snapshotId: number, deps: string, builtAt: string, rows: readonly AeFactRow[], search: readonly string[]): void {
  db.prepare('DELETE FROM ae_fact WHERE snapshot_id = ?').run(snapshotId);
  db.prepare('DELETE FROM ae_fact_search WHERE rowid BETWEEN ? AND ?').run(snapshotId * SEARCH_ROWID, snapshotId * SEARCH_ROWID + SEARCH_ROWID - 1);
  db.prepare('DELETE FROM ae_fact_build WHERE snapshot_id = ?').run(snapshotId);
  const ins = db.prepare(
    `INSERT INTO ae_fact (snapshot_id, ord, usubjid, level, dose, part, aeseq, study_day, aeterm, aedecod, aebodsys, soc, pt, grade, severity, serious, related, aerel, dlt, in_dlt_window,
       aeout, aeacn, fatal_not_serious, teae, aestdtc, aeendtc, row_no, treated, grp, rank_usubjid, rank_level, rank_aebodsys, rank_aedecod)
     VALUES (@snapshot_id, @ord, @usubjid, @level, @dose, @part, @aeseq, @study_day, @aeterm, @aedecod, @aebodsys, @soc, @pt, @grade, @severity, @serious, @related, @aerel, @dlt, @in_dlt_window,
       @aeout, @aeacn, @fatal_not_serious, @teae, @aestdtc, @aeendtc, @row_no, @treated, @grp, @rank_usubjid, @rank_level, @rank_aebodsys, @rank_aedecod)`,
  );
  for (const r of rows) ins.run({ snapshot_id: snapshotId, ...r });
  const insSearch = db.prepare('INSERT INTO ae_fact_search (rowid, search) VALUES (?, ?)');
  search.forEach((t, ord) => insSearch.run(snapshotId * SEARCH_ROWID + ord, t));
  // One b-tree segment instead of the dozens a bulk insert leaves: a search reads every segment, and a
  // connection's first search loads them all (at 200,000 AEs: first search ~105 → ~35 ms; 1.4 s here).
  db.prepare("INSERT INTO ae_fact_search (ae_fact_search) VALUES ('optimize')").run();
  db.prepare('INSERT INTO ae_fact_build (snapshot_id, deps, built_at, row_count) VALUES (?, ?, ?, ?)').run(snapshotId, deps, builtAt, rows.length);
}

/** Every stored AE fact of a snapshot in listing order, with its search text (tests compare them with aeListing). */
export function allAeFacts(db: Db, snapshotId: number): (AeFactRow & { search: string | null })[] {
  return db
    .prepare('SELECT a.*, s.search FROM ae_fact a LEFT JOIN ae_fact_search s ON s.rowid = a.snapshot_id * @k + a.ord WHERE a.snapshot_id = @id ORDER BY a.ord')
    .all({ id: snapshotId, k: SEARCH_ROWID }) as (AeFactRow & { search: string | null })[];
}

/** A column of the AE grid: its SQL value (what filters compare), its sort key, and whether it is numeric. */
interface GridColumn {
  value: string;
  sort: string;
  numeric: boolean;
}
const flag = (c: string): GridColumn => ({ value: `CASE WHEN ${c} = 1 THEN 'Y' ELSE 'N' END`, sort: c, numeric: false });
const text = (c: string): GridColumn => ({ value: c, sort: c, numeric: false });
const num = (c: string): GridColumn => ({ value: c, sort: c, numeric: true });
/** The grid's columns (renderer/src/views/AesView.tsx AE_COLUMNS) by colId. `query` is bound as @query (its words). */
const GRID_COLUMNS: Record<string, GridColumn> = {
  usubjid: text('usubjid'),
  level: num('level'),
  part: text('part'),
  studyDay: num('study_day'),
  aeterm: text('aeterm'),
  aedecod: text('aedecod'),
  aebodsys: text('aebodsys'),
  grade: num('grade'),
  severity: text('severity'),
  serious: flag('serious'),
  related: flag('related'),
  dlt: flag('dlt'),
  aeout: text('aeout'),
  aeacn: text('aeacn'),
  query: { value: 'CASE WHEN fatal_not_serious = 1 THEN @query END', sort: 'fatal_not_serious', numeric: false },
  teae: flag('teae'),
  aestdtc: text('aestdtc'),
  aeendtc: text('aeendtc'),
};
/** Group-by columns: the stored rank of each group label (the grid's group order). */
const GROUP_RANK: Record<string, string> = { usubjid: 'rank_usubjid', level: 'rank_level', aebodsys: 'rank_aebodsys', aedecod: 'rank_aedecod' };

export interface GridCondition {
  filterType?: string;
  type?: string;
  filter?: string | number | null;
  filterTo?: string | number | null;
}
export interface GridFilter extends GridCondition {
  operator?: 'AND' | 'OR';
  conditions?: GridCondition[];
}
export interface AePageQuery {
  snapshotId: number;
  offset: number;
  limit: number;
  sort: { colId: string; sort: 'asc' | 'desc' }[];
  filters: Record<string, GridFilter>;
  /** Lower-cased words that must all occur in the row's search text. */
  words: string[];
  levels: number[] | null;
  part: 'escalation' | 'expansion' | null;
  usubjids: string[] | null;
  groupBy: string | null;
  queryText: string;
}

/** SQL of one column filter (AG Grid's text and number filter models); null when it cannot be read. */
function conditionSql(col: GridColumn, c: GridCondition, p: Record<string, unknown>): string | null {
  const k = `p${Object.keys(p).length}`;
  const v = col.value;
  if (c.type === 'blank') return col.numeric ? `${v} IS NULL` : `(${v} IS NULL OR trim(${v}) = '')`;
  if (c.type === 'notBlank') return col.numeric ? `${v} IS NOT NULL` : `(${v} IS NOT NULL AND trim(${v}) <> '')`;
  if (col.numeric) {
    const x = Number(c.filter);
    if (c.filter === null || c.filter === undefined || !Number.isFinite(x)) return null;
    p[k] = x;
    const ops: Record<string, string> = { equals: '=', notEqual: '<>', lessThan: '<', lessThanOrEqual: '<=', greaterThan: '>', greaterThanOrEqual: '>=' };
    if (c.type && ops[c.type]) return `${v} ${ops[c.type]} @${k}`;
    if (c.type === 'inRange') {
      const to = Number(c.filterTo);
      if (!Number.isFinite(to)) return null;
      p[`${k}to`] = to;
      return `(${v} > @${k} AND ${v} < @${k}to)`;
    }
    return null;
  }
  if (c.filter === null || c.filter === undefined) return null;
  // Case-insensitive as AG Grid's text filter (lower() folds ASCII letters).
  p[k] = String(c.filter).toLowerCase();
  const lv = `lower(${v})`;
  switch (c.type ?? 'contains') {
    case 'contains':
      return `instr(${lv}, @${k}) > 0`;
    case 'notContains':
      return `(${v} IS NULL OR instr(${lv}, @${k}) = 0)`;
    case 'equals':
      return `${lv} = @${k}`;
    case 'notEqual':
      return `(${v} IS NULL OR ${lv} <> @${k})`;
    case 'startsWith':
      return `substr(${lv}, 1, length(@${k})) = @${k}`;
    case 'endsWith':
      return `(length(${lv}) >= length(@${k}) AND substr(${lv}, -length(@${k})) = @${k})`;
    default:
      return null;
  }
}

/**
 * The `ord` of each of the snapshot's AE facts whose search text holds every word. LIKE '%word%' lets
 * the trigram index find the candidates (a word with % or _ only widens it); instr() then keeps the rows
 * that hold the word itself. Searched once per page request: the page and its count both read the list.
 */
function searchOrds(db: Db, snapshotId: number, words: readonly string[]): number[] {
  const params: Record<string, unknown> = { lo: snapshotId * SEARCH_ROWID, hi: snapshotId * SEARCH_ROWID + SEARCH_ROWID - 1 };
  const conds = words.map((w, i) => {
    params[`w${i}`] = w;
    return `s.search LIKE '%' || @w${i} || '%' AND instr(s.search, @w${i}) > 0`;
  });
  return db.prepare(`SELECT s.rowid - @lo FROM ae_fact_search s WHERE ${conds.join(' AND ')} AND s.rowid BETWEEN @lo AND @hi`).pluck().all(params) as number[];
}

/** The WHERE clause of a page query (review filters, column filters, the quick search's `ords`) and its parameters. */
function pageWhere(q: AePageQuery, ords: readonly number[] | null): { where: string; params: Record<string, unknown> } {
  const params: Record<string, unknown> = { id: q.snapshotId, query: q.queryText };
  const and: string[] = ['snapshot_id = @id'];
  if (q.levels) {
    params.levels = JSON.stringify(q.levels);
    and.push('level IN (SELECT value FROM json_each(@levels))');
  }
  if (q.part) {
    params.part = q.part;
    and.push('part = @part');
  }
  if (q.usubjids) {
    params.usubjids = JSON.stringify(q.usubjids);
    and.push('usubjid IN (SELECT value FROM json_each(@usubjids))');
  }
  for (const [colId, f] of Object.entries(q.filters)) {
    const col = GRID_COLUMNS[colId];
    if (!col) continue;
    const conds = f.conditions?.length ? f.conditions : [f];
    const parts = conds.map((c) => conditionSql(col, c, params)).filter((s): s is string => s !== null);
    if (parts.length) and.push(`(${parts.join(f.operator === 'OR' ? ' OR ' : ' AND ')})`);
  }
  if (ords) {
    params.ords = JSON.stringify(ords);
    and.push('ord IN (SELECT value FROM json_each(@ords))');
  }
  return { where: and.join(' AND '), params };
}

/** The grid columns a page may sort and filter by (unknown ones are refused by the handler). */
export const AE_GRID_COLUMNS: readonly string[] = Object.keys(GRID_COLUMNS);
export const AE_GROUP_COLUMNS: readonly string[] = Object.keys(GROUP_RANK);

/**
 * One page of AE facts: the rows after the review filters, the column filters and the quick search,
 * sorted by the group (when grouped), then the sort model, then listing order (AG Grid's sort is
 * stable); nulls first in ascending order as AG Grid sorts them. With `total` and, when grouped, the
 * rows per group.
 */
export function aeFactsPage(db: Db, q: AePageQuery): { rows: AeFactRow[]; total: number; selected: number; unfiltered: number; groups: { rank: number; value: unknown; rows: number }[] } {
  const ords = q.words.length ? searchOrds(db, q.snapshotId, q.words) : null;
  const { where, params } = pageWhere(q, ords);
  const order: string[] = [];
  const rank = q.groupBy ? GROUP_RANK[q.groupBy] : undefined;
  if (rank) order.push(rank);
  for (const s of q.sort) {
    const col = GRID_COLUMNS[s.colId];
    if (col) order.push(`${col.sort} ${s.sort === 'desc' ? 'DESC' : 'ASC'}`);
  }
  order.push('ord');
  const rows = db.prepare(`SELECT * FROM ae_fact WHERE ${where} ORDER BY ${order.join(', ')} LIMIT @limit OFFSET @offset`).all({ ...params, limit: q.limit, offset: q.offset }) as AeFactRow[];
  // Searched and nothing else narrowing: the words' matches are the rows (each search row is one AE fact's).
  const onlySearch = ords !== null && pageWhere({ ...q, words: [] }, null).where === 'snapshot_id = @id';
  // Nothing narrowing at all: every row (counted at the build, not again per page).
  const unfiltered = (db.prepare('SELECT row_count n FROM ae_fact_build WHERE snapshot_id = ?').get(q.snapshotId) as { n: number }).n;
  const total = onlySearch ? ords.length : where === 'snapshot_id = @id' ? unfiltered : (db.prepare(`SELECT count(*) n FROM ae_fact WHERE ${where}`).get(params) as { n: number }).n;
  const review = q.levels || q.part || q.usubjids ? pageWhere({ ...q, filters: {}, words: [] }, null) : null;
  const selected = review ? (db.prepare(`SELECT count(*) n FROM ae_fact WHERE ${review.where}`).get(review.params) as { n: number }).n : unfiltered;
  // The column's value of any row of the group names it (every row of one rank has the same value).
  const groups = rank ? (db.prepare(`SELECT ${rank} rank, ${q.groupBy} value, count(*) rows FROM ae_fact WHERE ${where} GROUP BY ${rank} ORDER BY ${rank}`).all(params) as { rank: number; value: unknown; rows: number }[]) : [];
  return { rows, total, selected, unfiltered, groups };
}

/**
 * Per incidence row (any AE, SOC, SOC × PT) and group: subjects, events, ungraded events and subjects
 * by worst grade over the treatment-emergent AEs of treated subjects (shared/safety/incidence.ts:
 * with minGrade 3 an ungraded event is counted apart and a graded one below 3 not at all). `by`
 * picks the group: the dose-level group stored at build, or the part.
 */
export function aeIncidenceCounts(db: Db, snapshotId: number, by: 'level' | 'part', minGrade: 1 | 3, only: 'all' | 'related' = 'all'): {
  kind: 'any' | 'soc' | 'pt';
  soc: string | null;
  pt: string | null;
  grp: string;
  subjects: number;
  events: number;
  ungraded: number;
  g1: number;
  g2: number;
  g3: number;
  g4: number;
  g5: number;
  missing: number;
}[] {
  const g = by === 'part' ? 'part' : 'grp';
  const cells = `count(*) FILTER (WHERE ev > 0) subjects, sum(ev) events, sum(ung) ungraded,
    count(*) FILTER (WHERE ev > 0 AND min(5, max(1, worst)) = 1) g1, count(*) FILTER (WHERE ev > 0 AND min(5, max(1, worst)) = 2) g2,
    count(*) FILTER (WHERE ev > 0 AND min(5, max(1, worst)) = 3) g3, count(*) FILTER (WHERE ev > 0 AND min(5, max(1, worst)) = 4) g4,
    count(*) FILTER (WHERE ev > 0 AND min(5, max(1, worst)) = 5) g5, count(*) FILTER (WHERE ev > 0 AND worst IS NULL) missing`;
  return db
    .prepare(
      `WITH s AS MATERIALIZED (
         SELECT ${g} grp, soc, pt, usubjid, sum(@min = 1 OR grade IS NOT NULL) ev, sum(grade IS NULL) ung, max(grade) worst
         FROM ae_fact
         WHERE snapshot_id = @id AND treated = 1 AND teae = 1 AND (grade IS NULL OR grade >= @min) ${only === 'related' ? 'AND related = 1' : ''}
         GROUP BY ${g}, soc, pt, usubjid),
       bysoc AS MATERIALIZED (SELECT grp, soc, usubjid, sum(ev) ev, sum(ung) ung, max(worst) worst FROM s GROUP BY grp, soc, usubjid),
       byany AS (SELECT grp, usubjid, sum(ev) ev, sum(ung) ung, max(worst) worst FROM bysoc GROUP BY grp, usubjid)
       SELECT 'pt' kind, soc, pt, grp, ${cells} FROM s GROUP BY grp, soc, pt
       UNION ALL SELECT 'soc', soc, NULL, grp, ${cells} FROM bysoc GROUP BY grp, soc
       UNION ALL SELECT 'any', NULL, NULL, grp, ${cells} FROM byany GROUP BY grp`,
    )
    .all({ id: snapshotId, min: minGrade }) as never;
}
