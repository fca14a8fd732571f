import { AllCommunityModule, ModuleRegistry, themeQuartz, type ColDef, type GridApi, type ICellRendererParams, type IDatasource, type IGetRowsParams, type RowClassParams, type ValueFormatterParams } from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Input, Output } from '../../../shared/contract';
import { invoke } from '../api';
import { shortHash } from '../format';
import { useReview } from '../review';
import { gridFilterParts, gridFootnote, sidecarName, type ColumnFilter, type ExportSidecar } from '../exports';
import { downloadBlob, FONT_FAMILY } from './Plot';
import { CaptureButton, tableCapture } from './meeting/capture';
import { ErrorState } from './States';

// The AE grid over AG Grid's infinite row model: the core keeps every AE as a stored fact and sends
// one page at a time (safety.aeListingPage), sorted, filtered and searched in SQL, so that 200,000
// AEs are never sent or held here. The same tools as DataGrid.tsx: quick search (every word, as AG
// Grid's quick filter), floating column filters, sort, group by (rows sorted by the group, the
// group's label and row count on its first row), column chooser, CSV of the whole filtered set
// (fetched page by page) with its sidecar JSON, capture for the minutes, subject badges, a click on a
// row opens the subject.

ModuleRegistry.registerModules([AllCommunityModule]);

type Row = Record<string, unknown>;
type Page = Output<'safety.aeListingPage'>;
type PageRow = Page['rows'][number];
type Query = Omit<Input<'safety.aeListingPage'>, 'offset' | 'limit'>;

const GROUP_COL = '__group';
const PRESENTATION_SCALE = 17 / 13;
/** Rows per page fetched while scrolling, and per request of the CSV export. */
const BLOCK = 200;
const EXPORT_BLOCK = 10_000;
/** Rows drawn beyond the visible ones (AG Grid's default 10): each row is ~20 cells, all in the DOM,
 *  and a new search draws them all again. */
const ROW_BUFFER = 3;
/** Rows a capture for the minutes holds (the first ones in the grid's order). */
const CAPTURE_ROWS = 500;

export interface AeGridProps<T extends Row> {
  snapshotId: number;
  title: string;
  footnote: string;
  columnDefs: ColDef<T>[];
  toRow(r: PageRow): T;
  testId: string;
  exportName: string;
  onSubjectClick?(usubjid: string): void;
  groupable?: { field: 'aebodsys' | 'aedecod' | 'usubjid' | 'level'; headerName: string }[];
  height?: number;
  /** The review filters as the core applies them (dose levels, part, subjects). */
  review: { levels: number[] | null; part: 'escalation' | 'expansion' | null; usubjids: string[] | null };
  /** Rows after the review filters and in all, once known. */
  onCounts?(selected: number, unfiltered: number): void;
}

type SortModel = { colId: string; sort: 'asc' | 'desc' }[];

/** A page as the grid asks for it. One builder, so that a first page fetched as the search is typed
 *  is found again, by its key, when the grid asks for it. */
function pageQuery(base: Query, offset: number, limit: number, sortModel: SortModel, filterModel: unknown): Input<'safety.aeListingPage'> {
  return { ...base, offset, limit, sort: sortModel.map((s) => ({ colId: s.colId, sort: s.sort })), filters: filterModel as Query['filters'] };
}

/** The grid's sort in AG Grid's order (the sortModel its datasource is given). */
function sortModelOf(a: GridApi | null): SortModel {
  return (a?.getColumnState() ?? [])
    .filter((c) => c.sort)
    .sort((x, y) => (x.sortIndex ?? 0) - (y.sortIndex ?? 0))
    .map((c) => ({ colId: c.colId, sort: c.sort! }));
}

const csvCell = (v: unknown) => `"${String(v ?? '').replace(/"/g, '""')}"`;

export function AeGrid<T extends Row>({ snapshotId, title, footnote, columnDefs, toRow, testId, exportName, onSubjectClick, groupable, height = 520, review: reviewFilter, onCounts }: AeGridProps<T>) {
  const review = useReview();
  const { presentation, snapshot, subjectStatus, newSince } = review;
  const api = useRef<GridApi<T> | null>(null);
  const drawn = useRef(false);
  const [search, setSearch] = useState('');
  const [groupBy, setGroupBy] = useState<string>('');
  const [chooserOpen, setChooserOpen] = useState(false);
  const [hidden, setHidden] = useState<Set<string>>(new Set(columnDefs.filter((c) => c.hide).map((c) => String(c.field ?? c.colId))));
  const [counts, setCounts] = useState<{ total: number; selected: number; parts: string[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [exporting, setExporting] = useState(false);
  const groupCounts = useRef(new Map<string, number>());
  const searchMark = useRef(false);
  /** The first page of a search, asked for as it is typed: the core answers while React and AG Grid
   *  make the new query's datasource (about half of a search's time at 200,000 AEs). */
  const ahead = useRef<{ key: string; answer: Promise<Page> } | null>(null);
  const [offView, setOffView] = useState<{ left: string[]; right: string[] }>({ left: [], right: [] });
  const onCountsRef = useRef(onCounts);
  useEffect(() => {
    onCountsRef.current = onCounts;
  }, [onCounts]);

  const theme = useMemo(
    () =>
      themeQuartz.withParams({
        fontFamily: FONT_FAMILY,
        fontSize: presentation ? 17 : 13,
        headerFontSize: presentation ? 17 : 13,
        rowHeight: presentation ? 40 : 32,
        headerHeight: presentation ? 44 : 36,
        foregroundColor: presentation ? '#000000' : '#1d2430',
        headerTextColor: presentation ? '#000000' : '#3b4452',
        borderColor: presentation ? '#8a939f' : '#d9dde3',
        accentColor: '#1f5fae',
      }),
    [presentation],
  );

  // Kept (not a new object every render): a new defaultColDef makes AG Grid rebuild its columns and cells.
  const defaultColDef = useMemo<ColDef<T>>(() => {
    const k = presentation ? PRESENTATION_SCALE : 1;
    return { sortable: true, filter: true, floatingFilter: true, resizable: true, width: Math.round(200 * k), minWidth: Math.round(80 * k), wrapHeaderText: true, autoHeaderHeight: true };
  }, [presentation]);

  const groupKey = useCallback((data: Row | undefined) => (data && groupBy ? String(data[groupBy] ?? '(missing)') : ''), [groupBy]);
  const headerOf = useCallback((colId: string) => api.current?.getColumn(colId)?.getColDef().headerName ?? colId, []);

  const { levels, part, usubjids } = reviewFilter;
  const baseQuery = useMemo<Query>(
    () => ({ snapshotId, search, levels, part, usubjids, groupBy: (groupBy || null) as Query['groupBy'] }),
    [snapshotId, search, levels, part, usubjids, groupBy],
  );

  // A new datasource (new query) makes AG Grid drop its cached pages and ask again from the first row.
  const current = useRef<IDatasource | null>(null);
  const datasource = useMemo<IDatasource>(() => {
    const ds: IDatasource = {
      getRows: (p: IGetRowsParams) => {
        const query = pageQuery(baseQuery, p.startRow, p.endRow - p.startRow, p.sortModel as SortModel, p.filterModel);
        const key = JSON.stringify(query);
        const answer = ahead.current?.key === key ? ahead.current.answer : invoke('safety.aeListingPage', query);
        ahead.current = null;
        answer.then(
          (r) => {
            // A page of a query the user has since changed (typing on) is still handed to AG Grid, which
            // drops it (its block is gone) and frees its place: a page never answered holds one of the
            // grid's two loads for good, and after two the grid stopped asking (empty while typing).
            // The counts and marks are the current query's only.
            if (current.current !== ds) {
              p.successCallback([], 0);
              return;
            }
            setError(null);
            groupCounts.current = new Map(r.groups.map((g) => [g.key, g.rows]));
            p.successCallback(r.rows.map(toRow), r.total);
            const parts = gridFilterParts(baseQuery.search ?? '', p.filterModel as Record<string, ColumnFilter>, headerOf);
            setCounts((c) => (c && c.total === r.total && c.selected === r.selected && c.parts.join('\u0000') === parts.join('\u0000') ? c : { total: r.total, selected: r.selected, parts }));
            onCountsRef.current?.(r.selected, r.unfiltered);
            if (groupBy) api.current?.refreshCells({ columns: [GROUP_COL], force: true });
            // The bench times the search from typing to the filtered rows drawn: marked after the frame that draws them.
            if (searchMark.current && p.startRow === 0) {
              searchMark.current = false;
              requestAnimationFrame(() => setTimeout(() => performance.mark(`view:${testId}:filtered`), 0));
            }
            if (!drawn.current && p.startRow === 0) {
              drawn.current = true;
              requestAnimationFrame(() => setTimeout(() => performance.mark(`view:${testId}:drawn`), 0));
            }
          },
          (e: unknown) => {
            if (current.current === ds) setError(e);
            p.failCallback();
          },
        );
      },
    };
    return ds;
  }, [baseQuery, toRow, headerOf, groupBy, testId]);
  // Answers are async, so this runs before any page of the new query comes back.
  useEffect(() => {
    current.current = datasource;
  }, [datasource]);

  const cols = useMemo<ColDef<T>[]>(() => {
    const k = presentation ? PRESENTATION_SCALE : 1;
    const withBadge = columnDefs.map((c) => {
      const id = String(c.field ?? c.colId);
      const base: ColDef<T> = { ...c, hide: hidden.has(id) };
      if (k !== 1) {
        if (c.width) base.width = Math.round(c.width * k);
        if (c.minWidth) base.minWidth = Math.round(c.minWidth * k);
      }
      if (c.field === 'usubjid' && newSince.changes) {
        base.cellRenderer = (p: ICellRendererParams<T>) => {
          const u = String(p.value ?? '');
          const st = subjectStatus(u);
          return (
            <span>
              {u}
              {st && <span className={`badge badge-${st}`} data-badge={st}>{st}</span>}
            </span>
          );
        };
      }
      return base;
    });
    if (!groupBy) return withBadge;
    const g = groupable?.find((x) => x.field === groupBy);
    const groupCol: ColDef<T> = {
      colId: GROUP_COL,
      headerName: g?.headerName ?? groupBy,
      pinned: 'left',
      sortable: false,
      filter: false,
      width: 260,
      valueGetter: (p) => groupKey(p.data as Row | undefined),
      cellRenderer: (p: ICellRendererParams<T>) => {
        const i = p.node.rowIndex ?? 0;
        const prev = i > 0 ? p.api.getDisplayedRowAtIndex(i - 1) : undefined;
        const key = groupKey(p.data as Row | undefined);
        if (!p.data || (prev?.data && groupKey(prev.data as Row) === key)) return null;
        return (
          <span className="group-label">
            {key} <span className="muted">({groupCounts.current.get(key) ?? ''})</span>
          </span>
        );
      },
    };
    return [groupCol, ...withBadge];
  }, [presentation, columnDefs, hidden, groupBy, groupable, groupKey, newSince.changes, subjectStatus]);

  const rowClassRules = useMemo(
    () => ({
      'group-start': (p: RowClassParams<T>) => {
        if (!groupBy || !p.data) return false;
        const i = p.node.rowIndex ?? 0;
        if (i === 0) return false;
        const prev = p.api.getDisplayedRowAtIndex(i - 1);
        return !!prev?.data && groupKey(prev.data as Row) !== groupKey(p.data as Row);
      },
    }),
    [groupBy, groupKey],
  );

  const onViewport = useCallback(() => {
    const a = api.current;
    if (!a) return;
    const { left, right } = a.getHorizontalPixelRange();
    const l: string[] = [];
    const r: string[] = [];
    for (const c of a.getAllDisplayedColumns()) {
      if (c.getPinned()) continue;
      const mid = (c.getLeft() ?? 0) + c.getActualWidth() / 2;
      const name = c.getColDef().headerName ?? c.getColId();
      if (mid > right) r.push(name);
      else if (mid < left) l.push(name);
    }
    setOffView((o) => (o.left.join('\u0000') === l.join('\u0000') && o.right.join('\u0000') === r.join('\u0000') ? o : { left: l, right: r }));
  }, []);
  const scrollTo = (side: 'left' | 'right') => {
    const a = api.current;
    if (!a) return;
    const centre = a.getAllDisplayedColumns().filter((c) => !c.getPinned());
    const target = side === 'right' ? centre[centre.length - 1] : centre[0];
    if (target) a.ensureColumnVisible(target, side === 'right' ? 'end' : 'start');
  };

  // The first page is asked for at once; the grid's new query renders after, as a transition, so the
  // request leaves before React and AG Grid rebuild the grid.
  const onSearch = (text: string) => {
    searchMark.current = true;
    const q = pageQuery({ ...baseQuery, search: text }, 0, BLOCK, sortModelOf(api.current), api.current?.getFilterModel() ?? {});
    const answer = invoke('safety.aeListingPage', q);
    answer.catch(() => undefined); // its error is the grid's to show, if the grid asks for this page
    ahead.current = { key: JSON.stringify(q), answer };
    startTransition(() => setSearch(text));
  };

  /** Every row of the grid's current query (sort, filters, search), fetched in pages. */
  const fetchAll = useCallback(
    async (max = Infinity): Promise<T[]> => {
      const a = api.current;
      const sort = sortModelOf(a);
      const filters = (a?.getFilterModel() ?? {}) as Query['filters'];
      const out: T[] = [];
      for (let offset = 0; out.length < max; offset += EXPORT_BLOCK) {
        const r = await invoke('safety.aeListingPage', { ...baseQuery, sort, filters, offset, limit: Math.min(EXPORT_BLOCK, max - out.length) });
        out.push(...r.rows.map(toRow));
        if (r.rows.length < EXPORT_BLOCK) break;
      }
      return out;
    },
    [baseQuery, toRow],
  );

  const shownColumns = () => (api.current?.getAllGridColumns() ?? []).filter((c) => c.isVisible() && c.getColId() !== GROUP_COL);
  const formatted = (c: ReturnType<typeof shownColumns>[number], row: T) => {
    const def = c.getColDef();
    const value = row[def.field as string];
    const fmt = def.valueFormatter;
    return typeof fmt === 'function' ? fmt({ value, data: row } as ValueFormatterParams<T>) : value;
  };

  const exportCsv = async () => {
    const a = api.current;
    if (!a || exporting) return;
    setExporting(true);
    try {
      const fileName = `${exportName}-${shortHash(snapshot?.contentHash)}.csv`;
      const columns = shownColumns();
      const rows = await fetchAll();
      // Header and rows only, every value quoted (as AG Grid's own export); the rest goes in the sidecar.
      const lines = [columns.map((c) => csvCell(c.getColDef().headerName ?? c.getColId())).join(','), ...rows.map((r) => columns.map((c) => csvCell(formatted(c, r))).join(','))];
      downloadBlob(new Blob([lines.join('\r\n')], { type: 'text/csv' }), fileName);
      const parts = gridFilterParts(search, a.getFilterModel() as Record<string, ColumnFilter>, headerOf);
      const total = counts?.selected ?? rows.length;
      const sidecar: ExportSidecar = {
        title,
        csvFile: fileName,
        snapshot: { contentHash: snapshot?.contentHash ?? null, dataCutoff: snapshot?.dataCutoff ?? null },
        viewFilters: review.filtersText,
        tableFilters: parts,
        rows: { exported: rows.length, total },
        columns: columns.map((c) => c.getColDef().headerName ?? c.getColId()),
        footnote: `${footnote} · ${gridFootnote(parts, rows.length, total)}`,
        exportedAt: new Date().toISOString(),
      };
      downloadBlob(new Blob([JSON.stringify(sidecar, null, 2)], { type: 'application/json' }), sidecarName(fileName));
    } catch (e) {
      setError(e);
    } finally {
      setExporting(false);
    }
  };

  const shown = counts?.total ?? 0;
  const selected = counts?.selected ?? 0;
  const captureNote = shown > CAPTURE_ROWS ? ` · the first ${CAPTURE_ROWS.toLocaleString('en-US')} of ${shown.toLocaleString('en-US')} rows in the grid's order` : '';
  const shownFootnote = `${footnote} · ${gridFootnote(counts?.parts ?? [], shown, selected)}`;
  const choosable = columnDefs.map((c) => ({ id: String(c.field ?? c.colId), name: c.headerName ?? String(c.field ?? c.colId) }));

  return (
    <section className={`grid-card${presentation ? ' grid-presentation' : ''}`} data-testid={testId} aria-label={title}>
      <header className="grid-head">
        <h2 className="grid-title">{title}</h2>
        <div className="grid-tools">
          <SearchBox label={title} testId={`${testId}-search`} onSearch={onSearch} />
          {groupable && groupable.length > 0 && (
            <label className="picker">
              <span className="picker-label">Group by</span>
              <select className="input" value={groupBy} onChange={(e) => setGroupBy(e.target.value)} data-testid={`${testId}-groupby`}>
                <option value="">None</option>
                {groupable.map((g) => (
                  <option key={g.field} value={g.field}>
                    {g.headerName}
                  </option>
                ))}
              </select>
            </label>
          )}
          <div className="menu-wrap">
            <button type="button" className="btn btn-small" aria-expanded={chooserOpen} onClick={() => setChooserOpen((o) => !o)} data-testid={`${testId}-columns`}>
              Columns
            </button>
            {chooserOpen && (
              <fieldset className="menu" aria-label="Columns shown">
                <legend className="sr-only">Columns shown</legend>
                {choosable.map((c) => (
                  <label key={c.id} className="menu-check">
                    <input
                      type="checkbox"
                      checked={!hidden.has(c.id)}
                      onChange={(e) =>
                        setHidden((h) => {
                          const n = new Set(h);
                          if (e.target.checked) n.delete(c.id);
                          else n.add(c.id);
                          return n;
                        })
                      }
                    />
                    {c.name}
                  </label>
                ))}
              </fieldset>
            )}
          </div>
          <button type="button" className="btn btn-small" onClick={() => void exportCsv()} disabled={exporting} data-testid={`${testId}-export-csv`}>
            {exporting ? 'CSV…' : 'CSV'}
          </button>
          <CaptureButton
            title={title}
            caption={`${shownFootnote}${captureNote}`}
            testId={`${testId}-capture`}
            render={async () => {
              if (!api.current) throw new Error('the table is not ready');
              const columns = shownColumns();
              const rows = await fetchAll(CAPTURE_ROWS);
              return tableCapture(
                columns.map((c) => c.getColDef().headerName ?? c.getColId()),
                rows.map((r) => columns.map((c) => String(formatted(c, r) ?? ''))),
              );
            }}
          />
        </div>
      </header>
      {(offView.left.length > 0 || offView.right.length > 0) && (
        <p className="grid-more" data-testid={`${testId}-more-columns`}>
          {offView.left.length > 0 && (
            <button type="button" className="btn btn-small btn-quiet" onClick={() => scrollTo('left')} title={offView.left.join(', ')} data-testid={`${testId}-more-left`}>
              ← {offView.left.length} column{offView.left.length === 1 ? '' : 's'} to the left
            </button>
          )}
          {offView.right.length > 0 && (
            <button type="button" className="btn btn-small btn-quiet" onClick={() => scrollTo('right')} title={offView.right.join(', ')} data-testid={`${testId}-more-right`}>
              {offView.right.length} more column{offView.right.length === 1 ? '' : 's'} to the right: {offView.right.slice(0, 4).join(', ')}
              {offView.right.length > 4 ? ' …' : ''} →
            </button>
          )}
        </p>
      )}
      {error !== null && <ErrorState title="The adverse events could not be loaded" error={error} onRetry={() => api.current?.purgeInfiniteCache()} />}
      <div className="grid-body" style={{ height }}>
        <AgGridReact<T>
          theme={theme}
          rowModelType="infinite"
          datasource={datasource}
          cacheBlockSize={BLOCK}
          rowBuffer={ROW_BUFFER}
          maxBlocksInCache={50}
          columnDefs={cols}
          defaultColDef={defaultColDef}
          rowClassRules={rowClassRules}
          onGridReady={(e) => (api.current = e.api)}
          onBodyScroll={onViewport}
          onGridSizeChanged={onViewport}
          onDisplayedColumnsChanged={onViewport}
          onColumnResized={onViewport}
          onFirstDataRendered={onViewport}
          onRowClicked={(e) => {
            const u = e.data ? (e.data as Row).usubjid : undefined;
            if (typeof u === 'string' && onSubjectClick) onSubjectClick(u);
          }}
          rowClass={onSubjectClick ? 'row-clickable' : undefined}
          animateRows={false}
          suppressColumnVirtualisation={columnDefs.length <= 40}
        />
      </div>
      <p className="plot-footnote" data-testid={`${testId}-footnote`}>
        {shownFootnote}
      </p>
    </section>
  );
}

/** The grid's search box, with its own state: a keystroke redraws the box alone at once. */
function SearchBox({ label, testId, onSearch }: { label: string; testId: string; onSearch(text: string): void }) {
  const [text, setText] = useState('');
  return (
    <label className="grid-quick">
      <span className="sr-only">Search {label}</span>
      <input
        className="input"
        type="search"
        placeholder="Search…"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          onSearch(e.target.value);
        }}
        data-testid={testId}
      />
    </label>
  );
}
