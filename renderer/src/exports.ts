// What an exported table holds (issue 12 items 3 and 6): the CSV is the header and the rows only,
// so that R (read.csv) and Excel open it as is; the title, provenance, view filters, the grid's own
// search and column filters and the row count go into a sidecar JSON file of the same name. Pure
// text functions here (unit-tested); the download itself is downloadBlob in components/Plot.tsx.

export type CsvValue = string | number | boolean | null | undefined;

/**
 * One CSV field per RFC 4180 §2: a field holding a comma, a double quote, CR or LF is enclosed in
 * double quotes and its quotes doubled; other fields are written as they are. Empty for null/undefined.
 */
export function csvField(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The CSV text: the header line, then one line per row, CRLF line breaks (RFC 4180 §2.1), nothing else. */
export function csvText(header: string[], rows: CsvValue[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** "5 of 261 rows" (or "261 rows" when nothing is hidden). */
export function rowCountText(shown: number, total: number, noun = 'rows'): string {
  const f = (n: number) => n.toLocaleString('en-US');
  return shown === total ? `${f(total)} ${noun}` : `${f(shown)} of ${f(total)} ${noun}`;
}

/** An AG Grid column filter model entry (text, number, date or set filters, possibly combined). */
export interface ColumnFilter {
  filterType?: string;
  type?: string;
  filter?: unknown;
  filterTo?: unknown;
  dateFrom?: unknown;
  dateTo?: unknown;
  values?: unknown[];
  operator?: string;
  conditions?: ColumnFilter[];
}

const OPS: Record<string, string> = {
  contains: 'contains',
  notContains: 'does not contain',
  equals: '=',
  notEqual: '≠',
  startsWith: 'starts with',
  endsWith: 'ends with',
  lessThan: '<',
  lessThanOrEqual: '≤',
  greaterThan: '>',
  greaterThanOrEqual: '≥',
  inRange: 'between',
  blank: 'is blank',
  notBlank: 'is not blank',
};

function conditionText(c: ColumnFilter): string {
  if (c.conditions && c.conditions.length) return c.conditions.map(conditionText).join(` ${(c.operator ?? 'AND').toLowerCase()} `);
  if (c.values) return `in {${c.values.map(String).join(', ')}}`;
  const op = OPS[c.type ?? ''] ?? c.type ?? '';
  const a = c.filter ?? c.dateFrom;
  const b = c.filterTo ?? c.dateTo;
  if (c.type === 'blank' || c.type === 'notBlank') return op;
  if (c.type === 'inRange') return `${op} ${String(a)} and ${String(b)}`;
  return `${op} ${JSON.stringify(a ?? '')}`;
}

/**
 * The grid's own filters in words: the quick-filter search and each column filter, e.g.
 * ['search "neutropenia"', 'Grade ≥ 3', 'Subject contains "003"']. Empty when none is set.
 */
export function gridFilterParts(quick: string, model: Record<string, ColumnFilter> | null | undefined, headerOf: (colId: string) => string): string[] {
  const parts: string[] = [];
  if (quick.trim()) parts.push(`search ${JSON.stringify(quick.trim())}`);
  for (const [col, f] of Object.entries(model ?? {})) parts.push(`${headerOf(col)} ${conditionText(f)}`);
  return parts;
}

/** The grid's footnote addition: "table: search "x" · 5 of 261 rows", or just the row count when nothing is filtered. */
export function gridFootnote(parts: string[], shown: number, total: number): string {
  const count = rowCountText(shown, total);
  return parts.length ? `table filtered: ${parts.join(', ')} · ${count} shown` : count;
}

/** What the sidecar JSON of a table export holds (`<file>.json` beside `<file>.csv`). */
export interface ExportSidecar {
  title: string;
  /** The CSV file this describes. */
  csvFile: string;
  snapshot: { contentHash: string | null; dataCutoff: string | null };
  /** The review filters in words ("DL6", "all subjects"). */
  viewFilters: string;
  /** The table's own search and column filters in words; empty when none. */
  tableFilters: string[];
  rows: { exported: number; total: number };
  columns: string[];
  /** The footnote as shown under the table. */
  footnote: string;
  exportedAt: string;
}

/** The sidecar's file name: the CSV's with .json. */
export function sidecarName(csvFile: string): string {
  return csvFile.replace(/\.csv$/i, '') + '.json';
}

/** "Filtered: DL6 · 12 of 25 subjects" — the presentation-mode banner; null when nothing is filtered. */
export function filterBannerText(filters: string | null, counts: { shown: number; total: number; noun: string } | null): string | null {
  if (!filters) return null;
  return counts ? `Filtered: ${filters} · ${rowCountText(counts.shown, counts.total, counts.noun)}` : `Filtered: ${filters}`;
}

/**
 * The dose-level and part filters in words ("DL6", "DL4–DL7, escalation"): what of the review
 * filters applies to a per-level table such as Cohorts. Null when neither is set.
 */
export function cohortFilterText(doseLevels: number[] | null, part: 'all' | 'escalation' | 'expansion'): string | null {
  const parts: string[] = [];
  if (doseLevels) parts.push(levelsText(doseLevels));
  if (part !== 'all') parts.push(part);
  return parts.length ? parts.join(', ') : null;
}

/** "DL4–DL7" for a run of three or more consecutive levels, "DL1, DL3, DL5" otherwise. */
export function levelsText(levels: number[]): string {
  const s = [...new Set(levels)].sort((a, b) => a - b);
  if (s.length === 0) return 'no dose level';
  if (s.length > 2 && s.every((l, i) => i === 0 || l === s[i - 1]! + 1)) return `DL${s[0]}–DL${s[s.length - 1]}`;
  return s.map((l) => `DL${l}`).join(', ');
}
