import type { ColDef } from 'ag-grid-community';
import { useCallback, useMemo } from 'react';
import type { Output } from '../../../shared/contract';
import { displayUnit } from '../../../shared/units';
import { localTimestamp } from '../format';
import { useReview } from '../review';
import { DataGrid, type Row } from './DataGrid';
import type { NcaTableRow } from '../../../shared/pk/ncaTable';
import { sig, type NcaResult, type NcaRow } from './PkFigures';

// The PK view's tables (README.md#the-views PK): the NCA table (one row per subject, the seed's parameters
// with their units in the headers, the lambda_z fit and who chose it), the summary statistics by
// dose level, and the reported (PP) against computed comparison. The numbers are the core's
// (pk.nca, pk.compareReported); the cells show 4 significant digits, the CSV the full values.

type Compare = Output<'pk.compareReported'>;

/** "λz" for the summary's "lambda_z"; other labels as the core names them. */
export function paramLabel(label: string): string {
  return label === 'lambda_z' ? 'λz' : label;
}

export function headerOf(label: string, unit: string): string {
  // "DF (fluctuation %)" already names its unit
  if (!unit || (unit === '%' && label.includes('%'))) return paramLabel(label);
  return `${paramLabel(label)} (${displayUnit(unit)})`;
}

/** The parameters of the table, in the core's order: the summary names the seed's parameters of this interval. */
export function seedColumns(nca: NcaResult): { code: string; label: string; unit: string }[] {
  const seen = new Map<string, { code: string; label: string; unit: string }>();
  for (const g of nca.summary) for (const p of g.parameters) if (!seen.has(p.PPTESTCD) || (!seen.get(p.PPTESTCD)!.unit && p.unit)) seen.set(p.PPTESTCD, { code: p.PPTESTCD, label: p.label, unit: p.unit });
  return [...seen.values()];
}

/** The reviewer's λz choice in words: "manual range 168–480 h, set by jdoe at 2025-11-21 14:03 (UTC+01:00)". */
export function choiceText(row: NcaRow): string {
  const lz = row.lambdaZ;
  const c = row.choice;
  const span = lz ? `${lz.nPoints} points, ${sig(lz.lower)}–${sig(lz.upper)} h` : 'no fit';
  if (!c) return `automatic (best adjusted R², then most points): ${span}`;
  const basis = c.timeBasis === 'nominal' ? ' (nominal time)' : '';
  const what =
    c.choice.kind === 'range'
      ? `manual range ${sig(c.choice.start)}–${sig(c.choice.end)} h${basis}`
      : c.choice.kind === 'exclude'
        ? `${c.choice.times.length === 1 ? '1 point' : `${c.choice.times.length} points`} excluded (${c.choice.times.map((t) => sig(t)).join(', ')} h${basis})`
        : `automatic (reset): ${span}`;
  return `${what}, set by ${c.by} at ${localTimestamp(c.at)}${c.reason ? ` — “${c.reason}”` : ''}`;
}

const methodText: Record<string, string> = { auto: 'automatic', 'manual-range': 'manual range', 'manual-exclusion': 'manual exclusion' };

/** Significant digits of the NCA table's cells (pk.nca sends them so; the CSV asks for the full values). */
export const TABLE_DIGITS = 4;

/** Suffix of the row key that holds why a parameter is empty (λz not estimable). */
const WHY = ':why';

const num = (headerName: string, field: string, extra: Partial<ColDef<Row>> = {}): ColDef<Row> => ({
  headerName,
  field,
  type: 'numericColumn',
  filter: 'agNumberColumnFilter',
  valueFormatter: (p) => (p.value === null && p.data?.[`${field}${WHY}`] ? 'not estimable' : sig(p.value as number | null)),
  tooltipValueGetter: (p) => (p.data?.[`${field}${WHY}`] as string | undefined) ?? undefined,
  useValueFormatterForExport: false,
  minWidth: 110,
  // Numbers need little room: 130 px (not the grid's default 200) shows about twice as many parameters
  // before the grid scrolls sideways; long headers wrap instead of being cut.
  width: 130,
  wrapHeaderText: true,
  autoHeaderHeight: true,
  ...extra,
});

export function ncaTableRows(codes: readonly string[], rows: readonly NcaTableRow[], doseLabel: (l: number | null) => string): Row[] {
  return rows.map((r) => {
    const out: Row = {
      usubjid: r.usubjid,
      level: doseLabel(r.doseLevel),
      levelNo: r.doseLevel ?? 1e9,
      part: r.part,
      cycle: r.cycle,
      doseMg: r.doseMg,
      // "not estimable: only 2 points after Cmax, …" is the visible reason for the empty λz columns.
      lzMethod: r.lzMethod ? methodText[r.lzMethod] : r.lzNote?.startsWith('not estimable') ? r.lzNote : 'no fit',
      lzPoints: r.lzPoints,
      lzAdjR2: r.lzAdjR2,
      lzRange: r.lzLower !== null && r.lzUpper !== null ? `${sig(r.lzLower)}–${sig(r.lzUpper)}` : '',
      lzBy: r.choiceBy && r.choiceAt ? `${r.choiceBy}, ${localTimestamp(r.choiceAt)}` : '',
      notes: [...r.notes, ...(r.lzNote ? [r.lzNote] : [])].join('; '),
    };
    codes.forEach((code, i) => {
      out[code] = r.values[i] ?? null;
      if (r.why[code]) out[`${code}${WHY}`] = r.why[code];
    });
    return out;
  });
}

/** The NCA table's rows as pk.nca sends them (fields 'table', as columns), decoded. */
export interface NcaTableData {
  codes: string[];
  rows: NcaTableRow[];
}

/**
 * The NCA table: the cells at the 4 significant digits they show (`table`); the CSV asks for the full
 * values (`fullTable`) and writes them in the grid's order, filters and columns.
 */
export function NcaTable({ nca, table, fullTable, footnote, onSelect }: { nca: NcaResult; table: NcaTableData; fullTable(): Promise<NcaTableData>; footnote: string; onSelect(usubjid: string): void }) {
  const review = useReview();
  const cols = seedColumns(nca);
  const data = useMemo(() => ncaTableRows(table.codes, table.rows, review.doseLabel), [table, review.doseLabel]);
  const exportRows = useCallback(async () => {
    const full = await fullTable();
    return ncaTableRows(full.codes, full.rows, review.doseLabel);
  }, [fullTable, review.doseLabel]);
  const columnDefs = useMemo<ColDef<Row>[]>(
    () => [
      { headerName: 'Subject', field: 'usubjid', pinned: 'left', minWidth: 160 },
      { headerName: 'Dose level', field: 'level', minWidth: 150, comparator: (_a, _b, na, nb) => Number(na.data?.levelNo) - Number(nb.data?.levelNo) },
      { headerName: 'Part', field: 'part', hide: true },
      num('Cycle', 'cycle', { hide: true, minWidth: 90 }),
      num(`Dose (${displayUnit(nca.units.dose)})`, 'doseMg', { hide: true }),
      ...cols.map((c) => num(headerOf(c.label, c.unit), c.code, { headerTooltip: `${c.code}${c.unit ? ` (${displayUnit(c.unit)})` : ''}` })),
      num('AUC %extrap (%)', 'AUCPEO', { hide: nca.interval === 'steady' }),
      { headerName: 'λz method', field: 'lzMethod', minWidth: 140 },
      num('λz points', 'lzPoints', { minWidth: 100 }),
      num('λz adj. R²', 'lzAdjR2', { minWidth: 110, valueFormatter: (p) => sig(p.value as number | null, 4) }),
      { headerName: 'λz range (h)', field: 'lzRange', minWidth: 130 },
      { headerName: 'λz set by', field: 'lzBy', minWidth: 200 },
      { headerName: 'Notes', field: 'notes', minWidth: 240, hide: true },
    ],
    [cols.map((c) => c.code + c.unit).join(','), nca.interval, nca.units.dose], // eslint-disable-line react-hooks/exhaustive-deps -- `cols` is rebuilt from nca at every render; the column definitions change only when the parameters shown (codes, units), the interval or the dose unit do: new definitions at every render would reset the grid's column state (widths, sort, shown columns)
  );
  return (
    <DataGrid
      title={`NCA parameters — ${nca.interval === 'steady' ? 'steady state' : 'single dose (cycle 1)'}, ${nca.analyte ?? ''}`}
      footnote={`${footnote} · cells, their sorting and number filters at ${TABLE_DIGITS} significant digits; the CSV holds the full values`}
      rows={data}
      exportRows={exportRows}
      columnDefs={columnDefs}
      testId="pk-nca"
      exportName="pk-nca"
      onSubjectClick={onSelect}
      height={data.length <= 30 ? 'auto' : 560}
    />
  );
}

const STATS: { key: 'n' | 'mean' | 'sd' | 'cvPct' | 'geoMean' | 'geoCvPct'; label: string }[] = [
  { key: 'n', label: 'n' },
  { key: 'mean', label: 'Mean' },
  { key: 'sd', label: 'SD' },
  { key: 'cvPct', label: 'CV%' },
  { key: 'geoMean', label: 'Geometric mean' },
  { key: 'geoCvPct', label: 'Geometric CV%' },
];

export function summaryRows(nca: NcaResult, doseLabel: (l: number | null) => string): Row[] {
  const out: Row[] = [];
  for (const g of nca.summary) {
    STATS.forEach((s, i) => {
      const r: Row = { level: doseLabel(g.doseLevel), levelNo: g.doseLevel ?? 1e9, order: i, statistic: s.label };
      for (const p of g.parameters) {
        // geometric statistics are not reported for Tmax and DF (cvKind arithmetic: not log-normal)
        r[p.PPTESTCD] = p.cvKind === 'arithmetic' && (s.key === 'geoMean' || s.key === 'geoCvPct') ? null : p[s.key];
      }
      out.push(r);
    });
  }
  return out;
}

export function NcaSummaryTable({ nca, footnote }: { nca: NcaResult; footnote: string }) {
  const review = useReview();
  const cols = seedColumns(nca);
  const data = useMemo(() => summaryRows(nca, review.doseLabel), [nca, review.doseLabel]);
  const columnDefs = useMemo<ColDef<Row>[]>(
    () => [
      { headerName: 'Dose level', field: 'level', pinned: 'left', minWidth: 150, comparator: (_a, _b, na, nb) => Number(na.data?.levelNo) - Number(nb.data?.levelNo) || Number(na.data?.order) - Number(nb.data?.order) },
      { headerName: 'Statistic', field: 'statistic', pinned: 'left', minWidth: 140, sortable: false },
      ...cols.map((c) => num(headerOf(c.label, c.unit), c.code, { valueFormatter: (p) => (p.data?.statistic === 'n' ? String(p.value ?? '') : sig(p.value as number | null)) })),
    ],
    [cols.map((c) => c.code + c.unit).join(',')], // eslint-disable-line react-hooks/exhaustive-deps -- `cols` is rebuilt from nca at every render; the column definitions change only when the parameters shown (codes, units) do: new definitions at every render would reset the grid's column state
  );
  return (
    <DataGrid
      title={`NCA summary statistics by dose level — ${nca.interval === 'steady' ? 'steady state' : 'single dose'}`}
      footnote={`${footnote} · CV% = 100·SD/mean; geometric CV% = 100·√(exp(s²ln) − 1); geometric statistics not given for Tmax and DF`}
      rows={data}
      columnDefs={columnDefs}
      testId="pk-summary"
      exportName="pk-summary"
      height={data.length <= 48 ? 'auto' : 560}
    />
  );
}

export function CompareReportedTable({ rows, footnote, onSubjectClick }: { rows: Compare['rows']; footnote: string; onSubjectClick(u: string): void }) {
  const data = useMemo(
    () =>
      rows.map((r) => ({
        ...r,
        interval: r.interval === 'steady' ? 'steady state' : 'single dose',
        reportedUnit: displayUnit(r.reportedUnit),
        computedUnit: displayUnit(r.computedUnit),
        unitsMatch: r.unitsMatch ? 'yes' : 'NO',
        flag: r.pctDifference !== null && Math.abs(r.pctDifference) > 1 ? 'differs > 1%' : '',
      })),
    [rows],
  );
  const columnDefs = useMemo<ColDef<Row>[]>(
    () => [
      { headerName: 'Subject', field: 'usubjid', pinned: 'left', minWidth: 160 },
      { headerName: 'Profile', field: 'interval', minWidth: 120 },
      { headerName: 'PPTESTCD', field: 'PPTESTCD', minWidth: 110 },
      num('Reported (PP)', 'reported'),
      { headerName: 'Reported unit', field: 'reportedUnit', minWidth: 110 },
      num('Computed', 'computed'),
      { headerName: 'Computed unit', field: 'computedUnit', minWidth: 110 },
      num('Difference', 'difference'),
      num('Difference (%)', 'pctDifference', { valueFormatter: (p) => (p.value === null || p.value === undefined ? '' : `${(p.value as number).toFixed(2)}`) }),
      { headerName: 'Units match', field: 'unitsMatch', minWidth: 100 },
      { headerName: 'Flag', field: 'flag', minWidth: 120, cellClass: (p) => (p.value ? 'cell-flag' : '') },
    ],
    [],
  );
  return (
    <DataGrid
      title="Reported (PP) against computed NCA parameters"
      footnote={`${footnote} · difference = computed − reported; % difference = 100·(computed − reported)/reported`}
      rows={data}
      columnDefs={columnDefs}
      testId="pk-compare"
      exportName="pk-compare"
      onSubjectClick={onSubjectClick}
      groupable={[
        { field: 'PPTESTCD', headerName: 'Parameter' },
        { field: 'usubjid', headerName: 'Subject' },
      ]}
      height={data.length <= 15 ? 'auto' : 480}
    />
  );
}
