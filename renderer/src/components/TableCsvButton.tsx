import { shortHash } from '../format';
import { useReview } from '../review';
import { htmlTableRows } from './meeting/capture';
import { downloadTableCsv } from './tableExport';

// "CSV" for a small HTML table on screen (rates, medians, waterfall bars, power-model estimates,
// urinary excretion): the header and the body rows as the cells read (several lines of a cell
// joined with "; "), the title and footnote in the sidecar JSON. Tables with typed data of their
// own (Cohorts, DLT, AE listings) build their CSV from the data instead.

export function TableCsvButton({ tableTestId, title, fileStem, footnote, testId }: { tableTestId: string; title: string; fileStem: string; footnote?: string; testId?: string }) {
  const review = useReview();
  const exportCsv = () => {
    const el = document.querySelector(`[data-testid="${tableTestId}"]`);
    const table = el instanceof HTMLTableElement ? el : el?.querySelector('table');
    if (!table) return;
    const { head, rows } = htmlTableRows(table);
    downloadTableCsv({
      fileName: `${fileStem}-${shortHash(review.snapshot?.contentHash)}.csv`,
      title,
      header: head,
      rows: rows.map((r) => r.map((c) => c.replace(/\n/g, '; '))),
      footnote: footnote ?? review.footnote(),
      snapshot: review.snapshot,
      viewFilters: review.filtersText,
    });
  };
  return (
    <button type="button" className="btn btn-small" onClick={exportCsv} data-testid={testId ?? `${tableTestId}-export-csv`}>
      CSV
    </button>
  );
}
