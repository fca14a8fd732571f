import {
  CellApiModule,
  CellStyleModule,
  ClientSideRowModelApiModule,
  ClientSideRowModelModule,
  ColumnApiModule,
  CsvExportModule,
  ModuleRegistry,
  NumberFilterModule,
  QuickFilterModule,
  RenderApiModule,
  RowApiModule,
  RowAutoHeightModule,
  RowStyleModule,
  ScrollApiModule,
  TextFilterModule,
  TooltipModule,
  themeQuartz,
  type ColDef, type GridApi, type ICellRendererParams, type IRowNode, type RowClassParams } from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { createRoot } from 'react-dom/client';
import { offScreenHost } from './offScreen';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { shortHash } from '../format';
import { useReview } from '../review';
import { gridFilterParts, gridFootnote, sidecarName, type ColumnFilter, type ExportSidecar } from '../exports';
import { downloadBlob, FONT_FAMILY } from './Plot';
import { CaptureButton, tableCapture } from './meeting/capture';
import { gridShowsRows, markWhenShown } from '../drawnMark';

// A table over AG Grid (community): sorting, floating filters, a quick-filter box, a column chooser,
// CSV export of the header and the rows shown (nothing else: R and Excel read it as is) with a
// sidecar JSON of the same name holding title, snapshot, view filters, the grid's own search and
// column filters and the row count (the footnote under the grid says the same), a click on a row opens
// the subject, a "new" badge on rows whose subject or record is new or changed since the chosen
// snapshot. Grouping (the community edition has no row grouping): the rows are sorted by the group
// column first (the user's sort applies inside each group) and a pinned "group" column names the
// group and its row count on the group's first row, which also gets a rule above it.

// Only the AG Grid modules the app uses (not AllCommunityModule: a smaller bundle to load). A grid
// option or API call of a module missing here logs AG Grid's "error #200" (module not registered)
// in the console, which the end-to-end tests fail on; add the module here then.
ModuleRegistry.registerModules([
  ClientSideRowModelModule, // rowData, sorting
  ClientSideRowModelApiModule, // forEachNodeAfterFilter(AndSort)
  TextFilterModule, // filter: true (and floating filters)
  NumberFilterModule, // agNumberColumnFilter
  QuickFilterModule, // the Search box
  CsvExportModule, // CSV
  ColumnApiModule, // getColumn, getAllDisplayedColumns, getAllGridColumns
  RowApiModule, // getDisplayedRowAtIndex, getDisplayedRowCount
  ScrollApiModule, // getHorizontalPixelRange, ensureColumnVisible
  RenderApiModule, // refreshCells
  CellApiModule, // getCellValue (table capture)
  CellStyleModule, // cellStyle, cellClass
  RowStyleModule, // rowClass, rowClassRules
  TooltipModule, // tooltipField, headerTooltip, tooltipValueGetter
  RowAutoHeightModule, // autoHeight columns
]);

export type Row = Record<string, unknown>;

/**
 * A small grid built off screen and removed, in idle time after AG Grid is loaded (prefetch.ts): the
 * browser compiles AG Grid's code at its first use, so the first grid a committee opened paid for
 * compiling its start, columns, filters, rows and measured row heights. Nothing of it stays in the page.
 */
export async function warmUpGrid(): Promise<void> {
  const el = offScreenHost('grid-warm-up', 800);
  const root = createRoot(el);
  const rowData = Array.from({ length: 30 }, (_, i) => ({ id: `S-${i}`, n: i, text: i % 3 ? 'short' : 'a longer text that wraps onto a second line in its cell' }));
  const columnDefs: ColDef[] = [
    { field: 'id', pinned: 'left' },
    { field: 'n', type: 'numericColumn', filter: 'agNumberColumnFilter' },
    { field: 'text', wrapText: true, autoHeight: true, flex: 1 },
  ];
  try {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5000); // a hidden window draws no frame: never wait longer
      root.render(
        <AgGridReact
          theme={themeQuartz}
          rowData={rowData}
          columnDefs={columnDefs}
          defaultColDef={{ sortable: true, filter: true, floatingFilter: true, resizable: true, wrapHeaderText: true, autoHeaderHeight: true }}
          onFirstDataRendered={() => {
            clearTimeout(timer);
            resolve();
          }}
        />,
      );
    });
  } finally {
    root.unmount();
    el.remove();
  }
}

export interface DataGridProps<T extends Row = Row> {
  title: string;
  footnote: string;
  rows: T[];
  columnDefs: ColDef<T>[];
  testId: string;
  /** CSV file name stem; the snapshot hash prefix is appended. */
  exportName: string;
  onSubjectClick?(usubjid: string): void;
  subjectField?: string;
  /** Columns the user may group by. */
  groupable?: { field: string; headerName: string }[];
  /** The SDTM domain of the rows and the field holding the row number, for the record-level "new" badge. */
  recordDomain?: string;
  rowNoField?: string;
  /** Grid height in pixels, or 'auto' (the grid grows with its rows, up to AUTO_HEIGHT_ROWS rows). */
  height?: number | 'auto';
  /**
   * The rows with their full values, for a grid that holds them rounded (the NCA table at 10,000
   * subjects): the CSV keeps the grid's order, filters and columns and takes each cell from the row of
   * the same subject.
   */
  exportRows?(): Promise<T[]>;
}

const GROUP_COL = '__group';
/** Font size in presentation mode over the normal one (17 px / 13 px, the theme below). */
const PRESENTATION_SCALE = 17 / 13;

/** The most rows a grid of height 'auto' draws all at once; more scroll in a fixed height. */
export const AUTO_HEIGHT_ROWS = 60;

export function DataGrid<T extends Row>({ title, footnote, rows, columnDefs, testId, exportName, onSubjectClick, subjectField = 'usubjid', groupable, recordDomain, rowNoField = 'rowNo', height: asked = 520, exportRows }: DataGridProps<T>) {
  // 'auto' draws every row into the page (no virtual scrolling): above AUTO_HEIGHT_ROWS rows the grid scrolls in a fixed height instead.
  const height = asked === 'auto' && rows.length > AUTO_HEIGHT_ROWS ? 520 : asked;
  const review = useReview();
  const { presentation, snapshot, subjectStatus, isChangedRecord, newSince } = review;
  const api = useRef<GridApi<T> | null>(null);
  const drawn = useRef(false);
  const [quick, setQuick] = useState('');
  const [groupBy, setGroupBy] = useState<string>('');
  const [chooserOpen, setChooserOpen] = useState(false);
  const [hidden, setHidden] = useState<Set<string>>(new Set(columnDefs.filter((c) => c.hide).map((c) => String(c.field ?? c.colId))));
  const groupCounts = useRef(new Map<string, number>());
  // The grid's own filters and the rows they leave (a search showing 5 rows must not be footnoted "261 of 261").
  const [gridFilter, setGridFilter] = useState<{ parts: string[]; shown: number }>({ parts: [], shown: rows.length });
  // Columns scrolled out of view on either side: said above the grid, so a column off to the right
  // (the AE listing's "Action taken") is never missed; the buttons scroll to it.
  const [offView, setOffView] = useState<{ left: string[]; right: string[] }>({ left: [], right: [] });

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

  const groupKey = useCallback((data: Row | undefined) => (data && groupBy ? String(data[groupBy] ?? '(missing)') : ''), [groupBy]);

  const cols = useMemo<ColDef<T>[]>(() => {
    // Presentation mode's type is 17/13 of the normal size: columns widen by as much, so that no
    // header or value that fits at the desk is broken or cut on the projector (the grid scrolls instead).
    const k = presentation ? PRESENTATION_SCALE : 1;
    const withBadge = columnDefs.map((c) => {
      const id = String(c.field ?? c.colId);
      const base: ColDef<T> = { ...c, hide: hidden.has(id) };
      if (k !== 1) {
        if (c.width) base.width = Math.round(c.width * k);
        if (c.minWidth) base.minWidth = Math.round(c.minWidth * k);
      }
      if (c.field === subjectField && newSince.changes) {
        base.cellRenderer = (p: ICellRendererParams<T>) => {
          const u = String(p.value ?? '');
          const rowNo = p.data && recordDomain ? Number((p.data as Row)[rowNoField]) : NaN;
          const recChanged = recordDomain && Number.isFinite(rowNo) && isChangedRecord(recordDomain, rowNo);
          const st = subjectStatus(u);
          const badge = st === 'new' ? 'new' : recChanged ? 'changed' : st === 'changed' && !recordDomain ? 'changed' : null;
          return (
            <span>
              {u}
              {badge && <span className={`badge badge-${badge}`} data-badge={badge}>{badge}</span>}
            </span>
          );
        };
      }
      return base;
    });
    // Nothing cut off: a grid wider than its box scrolls sideways under a pinned first column (the
    // subject or level that names the row); a grid that pins none gets its first shown column pinned.
    if (!withBadge.some((c) => c.pinned && !c.hide)) {
      const first = withBadge.findIndex((c) => !c.hide);
      if (first >= 0) withBadge[first] = { ...withBadge[first]!, pinned: 'left' };
    }
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
        const k = groupKey(p.data as Row | undefined);
        if (prev && groupKey(prev.data as Row | undefined) === k) return null;
        return (
          <span className="group-label">
            {k} <span className="muted">({groupCounts.current.get(k) ?? ''})</span>
          </span>
        );
      },
    };
    return [groupCol, ...withBadge];
  }, [presentation, columnDefs, hidden, groupBy, groupable, groupKey, subjectField, newSince.changes, subjectStatus, isChangedRecord, recordDomain, rowNoField]);

  const postSortRows = useCallback(
    (params: { nodes: IRowNode<T>[] }) => {
      if (!groupBy) return;
      const order = new Map<string, IRowNode<T>[]>();
      for (const n of params.nodes) {
        const k = groupKey(n.data as Row | undefined);
        let l = order.get(k);
        if (!l) order.set(k, (l = []));
        l.push(n);
      }
      const keys = [...order.keys()].sort((a, b) => a.localeCompare(b));
      params.nodes.length = 0;
      for (const k of keys) params.nodes.push(...order.get(k)!);
    },
    [groupBy, groupKey],
  );

  const rowClassRules = useMemo(
    () => ({
      'group-start': (p: RowClassParams<T>) => {
        if (!groupBy) return false;
        const i = p.node.rowIndex ?? 0;
        if (i === 0) return false;
        const prev = p.api.getDisplayedRowAtIndex(i - 1);
        return groupKey(prev?.data as Row | undefined) !== groupKey(p.data as Row | undefined);
      },
    }),
    [groupBy, groupKey],
  );

  // Drawn (the bench's mark) once rows with cells are on screen — or the "no rows" message of an empty grid.
  const section = useRef<HTMLElement>(null);
  const stopMark = useRef<() => void>(() => undefined);
  const markDrawn = useCallback(() => {
    if (drawn.current) return;
    drawn.current = true;
    stopMark.current = markWhenShown(`view:${testId}:drawn`, () => gridShowsRows(section.current, rows.length));
  }, [testId, rows.length]);
  useEffect(() => () => stopMark.current(), []);

  const headerOf = useCallback((colId: string) => api.current?.getColumn(colId)?.getColDef().headerName ?? colId, []);
  const onModelUpdated = useCallback(() => {
    const a = api.current;
    if (!a) return;
    const parts = gridFilterParts(String(a.getGridOption('quickFilterText') ?? ''), a.getFilterModel() as Record<string, ColumnFilter>, headerOf);
    const shown = a.getDisplayedRowCount();
    setGridFilter((g) => (g.shown === shown && g.parts.join('\u0000') === parts.join('\u0000') ? g : { parts, shown }));
    if (!groupBy) return;
    const m = new Map<string, number>();
    a.forEachNodeAfterFilter((n) => {
      const k = groupKey(n.data as Row | undefined);
      m.set(k, (m.get(k) ?? 0) + 1);
    });
    groupCounts.current = m;
    a.refreshCells({ columns: [GROUP_COL], force: true });
  }, [groupBy, groupKey, headerOf]);

  useEffect(() => {
    api.current?.onSortChanged();
  }, [groupBy]);

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

  const shownFootnote = `${footnote} · ${gridFootnote(gridFilter.parts, gridFilter.shown, rows.length)}`;
  const [exportError, setExportError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const exportCsv = async () => {
    const a = api.current;
    if (!a || exporting) return;
    setExportError(null);
    let full: Map<string, T> | null = null;
    if (exportRows) {
      setExporting(true);
      try {
        full = new Map((await exportRows()).map((r) => [String(r[subjectField]), r]));
      } catch (e) {
        setExportError(e instanceof Error ? e.message : String(e));
        return;
      } finally {
        setExporting(false);
      }
      // The grid may have gone (another analyte or interval chosen) while the full values came.
      if (a.isDestroyed()) return;
      const missing: string[] = [];
      a.forEachNodeAfterFilterAndSort((n) => {
        const id = n.data ? String(n.data[subjectField]) : null;
        if (id !== null && !full!.has(id)) missing.push(id);
      });
      if (missing.length) {
        setExportError(`the full values of ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''} were not in the answer; the table may have changed: export again`);
        return;
      }
    }
    const fileName = `${exportName}-${shortHash(snapshot?.contentHash)}.csv`;
    const columns = a.getAllGridColumns().filter((c) => c.isVisible() && c.getColId() !== GROUP_COL);
    // Header and rows only (AG Grid exports the rows after filter and sort); the rest goes in the sidecar.
    a.exportDataAsCsv({
      fileName,
      columnKeys: columns.map((c) => c.getColId()),
      ...(full && {
        processCellCallback: (p) => {
          const row = p.node?.data ? full.get(String(p.node.data[subjectField])) : undefined;
          const id = p.column.getColId();
          if (!row || !(id in row)) return p.value as string;
          const v = row[id];
          return v === null || v === undefined ? '' : String(v);
        },
      }),
    });
    const parts = gridFilterParts(quick, a.getFilterModel() as Record<string, ColumnFilter>, headerOf);
    const shown = a.getDisplayedRowCount();
    const sidecar: ExportSidecar = {
      title,
      csvFile: fileName,
      snapshot: { contentHash: snapshot?.contentHash ?? null, dataCutoff: snapshot?.dataCutoff ?? null },
      viewFilters: review.filtersText,
      tableFilters: parts,
      rows: { exported: shown, total: rows.length },
      columns: columns.map((c) => c.getColDef().headerName ?? c.getColId()),
      footnote: `${footnote} · ${gridFootnote(parts, shown, rows.length)}`,
      exportedAt: new Date().toISOString(),
    };
    downloadBlob(new Blob([JSON.stringify(sidecar, null, 2)], { type: 'application/json' }), sidecarName(fileName));
  };

  const choosable = columnDefs.map((c) => ({ id: String(c.field ?? c.colId), name: c.headerName ?? String(c.field ?? c.colId) }));

  return (
    <section ref={section} className={`grid-card${presentation ? ' grid-presentation' : ''}`} data-testid={testId} aria-label={title}>
      <header className="grid-head">
        <h2 className="grid-title">{title}</h2>
        <div className="grid-tools">
          <label className="grid-quick">
            <span className="sr-only">Search {title}</span>
            <input className="input" type="search" placeholder="Search…" value={quick} onChange={(e) => setQuick(e.target.value)} data-testid={`${testId}-search`} />
          </label>
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
          <button type="button" className="btn btn-small" onClick={exportCsv} disabled={exporting} aria-busy={exporting || undefined} data-testid={`${testId}-export-csv`}>
            CSV
          </button>
          <CaptureButton
            title={title}
            caption={shownFootnote}
            testId={`${testId}-capture`}
            render={async () => {
              const a = api.current;
              if (!a) throw new Error('the table is not ready');
              const columns = a.getAllDisplayedColumns().filter((c) => c.getColId() !== GROUP_COL);
              const rows: string[][] = [];
              a.forEachNodeAfterFilterAndSort((n) => void rows.push(columns.map((c) => String(a.getCellValue({ rowNode: n, colKey: c, useFormatter: true }) ?? ''))));
              const head = columns.map((c) => c.getColDef().headerName ?? c.getColId());
              return tableCapture(head, rows);
            }}
          />
        </div>
      </header>
      {exportError && (
        <p className="form-problem" role="alert" data-testid={`${testId}-export-error`}>
          The CSV could not be made: {exportError}
        </p>
      )}
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
      <div className="grid-body" style={height === 'auto' ? undefined : { height }}>
        <AgGridReact<T>
          theme={theme}
          rowData={rows}
          columnDefs={cols}
          defaultColDef={{ sortable: true, filter: true, floatingFilter: true, resizable: true, width: Math.round(200 * (presentation ? PRESENTATION_SCALE : 1)), minWidth: Math.round(80 * (presentation ? PRESENTATION_SCALE : 1)), wrapHeaderText: true, autoHeaderHeight: true /* a long header wraps, never cut to "Treatment-in…" */ }}
          quickFilterText={quick}
          cacheQuickFilter={true /* each row's search text is built once, not again on every keystroke */}
          domLayout={height === 'auto' ? 'autoHeight' : 'normal'}
          postSortRows={groupBy ? postSortRows : undefined}
          rowClassRules={rowClassRules}
          onModelUpdated={onModelUpdated}
          onGridReady={(e) => {
            api.current = e.api;
            // firstDataRendered never fires for a grid without rows: it is drawn when it says so.
            if (rows.length === 0) markDrawn();
          }}
          onBodyScroll={onViewport}
          onGridSizeChanged={onViewport}
          onDisplayedColumnsChanged={onViewport}
          onColumnResized={onViewport}
          onFirstDataRendered={() => {
            onViewport();
            markDrawn();
          }}
          onRowClicked={(e) => {
            const u = e.data ? (e.data as Row)[subjectField] : undefined;
            if (typeof u === 'string' && onSubjectClick) onSubjectClick(u);
          }}
          rowClass={onSubjectClick ? 'row-clickable' : undefined}
          animateRows={false}
          suppressColumnVirtualisation={columnDefs.length <= 40 /* every cell in the DOM (screen readers, tests); rows stay virtual */}
        />
      </div>
      <p className="plot-footnote" data-testid={`${testId}-footnote`}>
        {shownFootnote}
      </p>
    </section>
  );
}
