import { countValues, type MappingEntry, type MappingUnused } from '../../../shared/mapping';
import { parseIsoDate } from '../../../shared/dates';
import type { Db } from '../store/db';
import { DOMAIN_BY_NAME } from '../store/domains';
import { suppOrphans } from '../import/supp';
import { domainFileColumns, partialDateFlaggedColumns, shortDateValueCounts, snapshotFiles, type SnapshotFileRow } from './queries';

// The import's own entries of the mapping report: per domain the rows read (over every file of a
// split domain), and what the import kept but cannot give any analysis — files not placed in a
// domain, partial dates, variables DoseDesk does not read, supplemental qualifiers without a parent,
// domains no analysis reads. Analyses add their own entries (PK, immunogenicity, tumour, safety).

export const IMPORT_ANALYSIS = 'Import';

/** The views that read a domain: where a banner says that some of its rows attach to nothing. */
export const VIEWS_OF_DOMAIN: Readonly<Record<string, readonly string[]>> = {
  DM: ['cohorts', 'swimmer', 'profile'],
  EX: ['cohorts', 'swimmer', 'pk', 'profile'],
  AE: ['cohorts', 'swimmer', 'aes', 'profile'],
  PC: ['pk', 'profile'],
  PP: ['pk'],
  TU: ['spider', 'waterfall', 'efficacy', 'profile'],
  TR: ['spider', 'waterfall', 'efficacy', 'profile'],
  RS: ['swimmer', 'waterfall', 'efficacy', 'profile'],
  DS: ['swimmer', 'efficacy', 'profile'],
  IS: ['immunogenicity', 'swimmer', 'pk', 'profile'],
  LB: ['profile'],
  VS: ['profile'],
};

/** Domains kept whole (not modelled as typed tables) that an analysis nevertheless reads. */
const READ_WHOLE: ReadonlyMap<string, string> = new Map([['EG', 'ECG (QTcF)'], ['CM', 'Concomitant medications']]);

/** Values listed per reason: the most frequent first; the rest are counted in `rows`. */
const MAX_VALUES = 50;

type FileRow = SnapshotFileRow;

export function importMappingEntries(db: Db, snapshotId: number): MappingEntry[] {
  const files = snapshotFiles(db, snapshotId);
  const byDomain = new Map<string, FileRow[]>();
  for (const f of files) {
    if (!f.domain) continue;
    const l = byDomain.get(f.domain);
    if (l) l.push(f);
    else byDomain.set(f.domain, [f]);
  }
  const orphans = suppOrphans(db, snapshotId);
  const entries: MappingEntry[] = [];

  for (const [domain, parts] of [...byDomain].sort(([a], [b]) => a.localeCompare(b))) {
    const spec = DOMAIN_BY_NAME.get(domain);
    const rowsRead = parts.reduce((n, f) => n + f.row_count, 0);
    const unused: MappingUnused[] = [];
    const settings: string[] = [];
    if (parts.length > 1) settings.push(`split domain: ${parts.length} files merged (${parts.map((f) => f.file_name).join(', ')})`);
    let rowsUsed = rowsRead;

    const lost = orphans.filter((o) => o.domain === domain);
    const parent = domain.startsWith('SUPP') ? domain.slice(4) : null;
    if (lost.length) {
      rowsUsed -= lost.length;
      unused.push({
        variable: 'QNAM',
        reason: lost.every((o) => o.why === 'no-domain')
          ? `qualifiers of ${parent}, which is not in the snapshot: kept, attached to no record`
          : `qualifiers whose parent record (RDOMAIN, IDVAR = IDVARVAL) is not in the snapshot: kept, attached to no record`,
        rows: lost.length,
        values: countValues(lost.map((o) => o.qnam)).slice(0, MAX_VALUES),
        mapTo: null,
      });
    }
    if (spec) {
      // Only the variables the import warned about hold partial dates: the others are not scanned.
      const flagged = new Set(partialDateFlaggedColumns(db, snapshotId, domain));
      unused.push(...partialDates(db, snapshotId, spec.table, spec.variables.map((v) => v.name).filter((n) => /DTC$/.test(n) && flagged.has(n))));
      const extra = extraVariables(db, snapshotId, domain, new Set(spec.variables.map((v) => v.name)));
      if (extra) unused.push(extra);
    } else {
      // A domain DoseDesk does not model (QS, SUPPLB …) is kept whole; no analysis reads it — except
      // those an analysis reads from the kept records (EG: ECG), whose own entry says what it used.
      rowsUsed = domain.startsWith('SUPP') || READ_WHOLE.has(domain) ? rowsUsed : 0;
      if (READ_WHOLE.has(domain)) settings.push(`kept whole (every variable, with its file and row); read by the ${READ_WHOLE.get(domain)} analysis`);
      else if (!domain.startsWith('SUPP')) {
        unused.push({ variable: null, reason: `no DoseDesk analysis reads ${domain}: every record kept whole, with its file and row`, rows: rowsRead, values: [], mapTo: null });
      }
    }
    entries.push({
      domain,
      analysis: IMPORT_ANALYSIS,
      views: lost.length && parent ? [...(VIEWS_OF_DOMAIN[parent] ?? [])] : [],
      rowsRead,
      rowsUsed,
      unused,
      settings,
    });
  }

  for (const f of files.filter((x) => !x.domain && !(x.format === 'json' && /(^|\/)study\.json$/i.test(x.file_name)))) {
    entries.push({
      domain: '(not placed)',
      analysis: IMPORT_ANALYSIS,
      views: [],
      rowsRead: f.row_count,
      rowsUsed: 0,
      unused: [
        {
          variable: f.format === 'other' ? null : 'DOMAIN',
          reason:
            f.format === 'other'
              ? `file ${f.file_name} is not a dataset (.csv, .json, .ndjson, .xpt): listed with its SHA-256, not read`
              : `file ${f.file_name} is not named after an SDTM domain and holds no DOMAIN variable that places it: stored with its SHA-256 and rows, read by no analysis`,
          rows: f.row_count,
          values: [{ value: f.file_name, count: f.row_count }],
          mapTo: null,
        },
      ],
      settings: [],
    });
  }
  return entries;
}

/** Partial dates (2023-05, 2023) per --DTC variable: kept as given, but they place no event on a study day. */
function partialDates(db: Db, snapshotId: number, table: string, dtcs: string[]): MappingUnused[] {
  const out: MappingUnused[] = [];
  for (const v of dtcs) {
    // A complete date has 10 characters (YYYY-MM-DD); only shorter values can be partial.
    const rows = shortDateValueCounts(db, snapshotId, table, v);
    const partial = rows.filter((r) => parseIsoDate(r.value)?.partial);
    if (!partial.length) continue;
    const values = partial.map((r) => ({ value: r.value, count: r.n })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
    out.push({
      variable: v,
      reason: 'partial date: kept as given; it places the record on no study day (used where a complete date is not needed)',
      rows: values.reduce((n, x) => n + x.count, 0),
      values: values.slice(0, MAX_VALUES),
      mapTo: null,
    });
  }
  return out;
}

/**
 * Variables without a typed column, kept in each row's bag: their names, each with the rows of the
 * files that carry it. Read from the files' column lists, not from the rows, so that the report stays
 * quick on a large study (every view's banner asks for it).
 */
function extraVariables(db: Db, snapshotId: number, domain: string, typed: ReadonlySet<string>): MappingUnused | null {
  const files = domainFileColumns(db, snapshotId, domain);
  const counts = new Map<string, number>();
  let rows = 0;
  for (const f of files) {
    const extra = (JSON.parse(f.columns) as string[]).filter((c) => !typed.has(c) && c !== 'DOMAIN');
    if (extra.length) rows += f.row_count;
    for (const c of extra) counts.set(c, (counts.get(c) ?? 0) + f.row_count);
  }
  if (!counts.size) return null;
  return {
    variable: null,
    reason: 'variables DoseDesk does not read: kept with each row (values listed are the variables, with the rows of the files that carry them)',
    rows,
    values: [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)).slice(0, MAX_VALUES),
    mapTo: null,
  };
}
