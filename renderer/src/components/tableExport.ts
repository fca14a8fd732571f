import { csvText, sidecarName, type CsvValue, type ExportSidecar } from '../exports';
import { downloadBlob } from './Plot';

// The CSV download of a plain (non-grid) table: <name>.csv with the header and the rows only, and
// <name>.json (the sidecar) with title, snapshot, filters, row count and footnote (see ../exports.ts).

export interface TableExport {
  fileName: string;
  title: string;
  header: string[];
  rows: CsvValue[][];
  footnote: string;
  snapshot: { contentHash: string | null; dataCutoff: string | null } | null;
  /** The review filters in words ("all subjects" when none). */
  viewFilters: string;
  /** The table's own filters in words, if it has any. */
  tableFilters?: string[];
  /** Rows before any filter (default: the rows exported). */
  total?: number;
}

export function downloadTableCsv(t: TableExport): void {
  downloadBlob(new Blob([csvText(t.header, t.rows)], { type: 'text/csv;charset=utf-8' }), t.fileName);
  const sidecar: ExportSidecar = {
    title: t.title,
    csvFile: t.fileName,
    snapshot: { contentHash: t.snapshot?.contentHash ?? null, dataCutoff: t.snapshot?.dataCutoff ?? null },
    viewFilters: t.viewFilters,
    tableFilters: t.tableFilters ?? [],
    rows: { exported: t.rows.length, total: t.total ?? t.rows.length },
    columns: t.header,
    footnote: t.footnote,
    exportedAt: new Date().toISOString(),
  };
  downloadBlob(new Blob([JSON.stringify(sidecar, null, 2)], { type: 'application/json' }), sidecarName(t.fileName));
}
