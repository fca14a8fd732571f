import type { CellStyle } from 'ag-grid-community';
import { gradeNotCollectedText } from '../../../shared/safety/grades';
import type { Output } from '../../../shared/contract';
import { count } from '../format';
import { GRADE_COLORS } from '../theme';
import { useReview } from '../review';
import { CaptureTableButton } from './meeting/capture';
import { useShownRows } from './MoreRows';
import { downloadTableCsv } from './tableExport';

// The AE view's tables: the grade cell colours of the AE grid, and the TEAE incidence tables by
// dose level (safety.incidence: subjects n (%) of the treated subjects at the level, any grade and
// grade ≥ 3; subjects by worst CTCAE grade). The counts come from the core; the view only divides
// a count by its column's denominator to print the percentage beside it.

export type Incidence = Output<'safety.incidence'>;
type IncidenceRow = Incidence['rows'][number];
type IncidenceCell = IncidenceRow['total'];

/**
 * CTCAE grade cell colours (theme GRADE_COLORS, light to dark) with a text colour of at least 4.5:1
 * contrast (WCAG 2.1 AA): dark text on grades 1–2, white on 3–5; grade 3 is drawn a shade darker
 * (#c43c50, 5.1:1 with white) than the palette's #d1495b (4.4:1).
 */
export const GRADE_CELL_STYLES: Record<number, CellStyle> = {
  1: { backgroundColor: GRADE_COLORS[1], color: '#1d2430', fontWeight: '600', textAlign: 'center' },
  2: { backgroundColor: GRADE_COLORS[2], color: '#1d2430', fontWeight: '600', textAlign: 'center' },
  3: { backgroundColor: '#c43c50', color: '#ffffff', fontWeight: '600', textAlign: 'center' },
  4: { backgroundColor: GRADE_COLORS[4], color: '#ffffff', fontWeight: '600', textAlign: 'center' },
  5: { backgroundColor: GRADE_COLORS[5], color: '#ffffff', fontWeight: '600', textAlign: 'center' },
};
const NO_GRADE: CellStyle = { textAlign: 'center' };

/** The style of a grade cell (shared objects: no allocation per cell, so 200,000 rows stay cheap). */
export function gradeCellStyle(p: { value?: unknown }): CellStyle {
  return (typeof p.value === 'number' && GRADE_CELL_STYLES[p.value]) || NO_GRADE;
}

/** n (%) with the percentage to one decimal; "0" alone for zero. */
export function nPct(n: number, denominator: number): string {
  if (n === 0) return '0';
  return denominator > 0 ? `${n} (${((100 * n) / denominator).toFixed(1)})` : String(n);
}

/** The dose level of an incidence group key ("L4" → 4); null for other groups. */
export function groupLevel(key: string): number | null {
  if (key === 'placebo') return 0;
  const m = /^L(\d+)$/.exec(key);
  return m ? Number(m[1]) : null;
}

export const rowKey = (r: { soc: string | null; pt: string | null }) => `${r.soc ?? ''}|${r.pt ?? ''}`;

/** The export context of a table: the snapshot and the review filters (for the sidecar JSON). */
function useExportContext() {
  const r = useReview();
  return { snapshot: r.snapshot, viewFilters: r.filtersText };
}

/** A CSV file of the header and the rows only; title, snapshot, filters and footnote go in the sidecar JSON (same as the grids' exports). */
function downloadCsv(fileName: string, title: string, header: string[], rows: (string | number)[][], footnote: string, ctx: ReturnType<typeof useExportContext>): void {
  downloadTableCsv({ fileName, title, header, rows, footnote, snapshot: ctx.snapshot, viewFilters: ctx.viewFilters });
}

export interface IncidenceProps {
  any: Incidence;
  g3: Incidence;
  /** The group keys shown (dose-level filter); the total column is always all treated subjects. */
  groups: Incidence['groups'];
  groupLabel(g: Incidence['groups'][number]): string;
  footnote: string;
  fileStem: string;
}

/** Subjects by worst TEAE grade per dose level: any TEAE, grade 1…5, grade missing, and grade ≥ 3. */
export function WorstGradeTable({ any, g3, groups, groupLabel, footnote, fileStem }: IncidenceProps) {
  const exportCtx = useExportContext();
  const anyRow = any.rows.find((r) => r.kind === 'any');
  const g3Row = g3.rows.find((r) => r.kind === 'any');
  const cellOf = (row: IncidenceRow | undefined, key: string | null): IncidenceCell | null => (row ? (key === null ? row.total : (row.cells[key] ?? null)) : null);
  const cols = [...groups.map((g) => ({ key: g.key as string | null, n: g.n, label: groupLabel(g) })), { key: null, n: any.totalN, label: 'All treated' }];
  const lines: { label: string; id: string; value(key: string | null): number }[] = [
    { label: 'Any TEAE', id: 'any', value: (k) => cellOf(anyRow, k)?.subjects ?? 0 },
    ...[1, 2, 3, 4, 5].map((grade) => ({ label: `Worst grade ${grade}`, id: `grade${grade}`, value: (k: string | null) => cellOf(anyRow, k)?.byWorstGrade[grade - 1] ?? 0 })),
    { label: 'Worst grade not collected', id: 'missing', value: (k) => cellOf(anyRow, k)?.worstGradeMissing ?? 0 },
    { label: 'Grade ≥ 3 TEAE', id: 'g3', value: (k) => cellOf(g3Row, k)?.subjects ?? 0 },
  ];
  // AEs without a CTCAE grade cannot be placed in the grade >= 3 line: said beside it, never a silent 0.
  const ungradedOf = (k: string | null) => cellOf(g3Row, k)?.ungradedEvents ?? 0;
  const cellText = (l: (typeof lines)[number], c: (typeof cols)[number]) => {
    const base = nPct(l.value(c.key), c.n);
    const u = l.id === 'g3' ? ungradedOf(c.key) : 0;
    return u > 0 ? `${base} · ${gradeNotCollectedText(u)}` : base;
  };
  const title = 'Subjects by worst TEAE grade (CTCAE)';
  const exportCsv = () =>
    downloadCsv(
      `${fileStem}.csv`,
      title,
      ['', ...cols.map((c) => `${c.label} (N=${c.n})`)],
      lines.map((l) => [l.label, ...cols.map((c) => cellText(l, c))]),
      footnote,
      exportCtx,
    );
  return (
    <div className="table-wrap worst-grade-wrap" tabIndex={0} role="region" aria-label={title}>
      <table className="data-table compact-table" data-testid="ae-worst-grade">
        <caption>
          <span>{title}</span>{' '}
          <button type="button" className="btn btn-small" onClick={exportCsv} data-testid="ae-worst-grade-export-csv">
            CSV
          </button>
        </caption>
        <thead>
          <tr>
            <th scope="col">Subjects, n (%)</th>
            {cols.map((c) => (
              <th scope="col" className="num" key={c.key ?? 'total'} data-group={c.key ?? 'total'}>
                {c.label}
                <br />
                <span className="muted">N = {count(c.n)}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={l.id} className={l.id === 'any' || l.id === 'g3' ? 'any-row' : undefined}>
              <th scope="row">
                {/^grade\d$/.test(l.id) && <span className="grade-cell" style={{ ...(GRADE_CELL_STYLES[Number(l.id.slice(5))] as object), marginRight: 8 }} aria-hidden="true">{l.id.slice(5)}</span>}
                {l.label}
              </th>
              {cols.map((c) => (
                <td className="num" key={c.key ?? 'total'} data-line={l.id} data-group={c.key ?? 'total'} data-n={l.value(c.key)}>
                  {nPct(l.value(c.key), c.n)}
                  {l.id === 'g3' && ungradedOf(c.key) > 0 && (
                    <div className="grade-not-collected" data-testid="g3-not-collected">
                      {gradeNotCollectedText(ungradedOf(c.key))}
                    </div>
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="footnotes">{footnote}</p>
    </div>
  );
}

/** TEAE incidence by SOC and PT: per dose level, subjects with any grade and with grade ≥ 3, n (%). */
export function IncidenceBySocTable({ any, g3, groups, groupLabel, footnote, fileStem }: IncidenceProps) {
  const exportCtx = useExportContext();
  const g3ByKey = new Map(g3.rows.map((r) => [rowKey(r), r]));
  const cols = [...groups.map((g) => ({ key: g.key as string | null, n: g.n, label: groupLabel(g) })), { key: null, n: any.totalN, label: 'All treated' }];
  const subjects = (r: IncidenceRow | undefined, key: string | null) => (r ? (key === null ? r.total.subjects : (r.cells[key]?.subjects ?? 0)) : 0);
  const title = 'TEAE incidence by system organ class and preferred term';
  const rowName = (r: IncidenceRow) => (r.kind === 'any' ? 'Any TEAE' : r.kind === 'soc' ? (r.soc ?? 'SOC not coded') : (r.pt ?? 'PT not coded'));
  const exportCsv = () =>
    downloadCsv(
      `${fileStem}.csv`,
      title,
      ['SOC', 'PT', ...cols.flatMap((c) => [`${c.label} (N=${c.n}) any grade`, `${c.label} (N=${c.n}) grade >= 3`])],
      any.rows.map((r) => [r.kind === 'any' ? 'Any TEAE' : (r.soc ?? ''), r.pt ?? '', ...cols.flatMap((c) => [nPct(subjects(r, c.key), c.n), nPct(subjects(g3ByKey.get(rowKey(r)), c.key), c.n)])]),
      footnote,
      exportCtx,
    );
  return (
    <div className="table-wrap incidence-wrap" tabIndex={0} role="region" aria-label={title}>
      <table className="data-table compact-table" data-testid="ae-incidence">
        <caption>
          <span>{title}</span>{' '}
          <button type="button" className="btn btn-small" onClick={exportCsv} data-testid="ae-incidence-export-csv">
            CSV
          </button>{' '}
          <CaptureTableButton tableTestId="ae-incidence" title={title} footnote={footnote} testId="ae-incidence-capture" />
        </caption>
        <thead>
          <tr>
            <td />
            {cols.map((c) => (
              <th scope="colgroup" colSpan={2} className="group-head" key={c.key ?? 'total'}>
                {c.label} <span className="muted">(N = {count(c.n)})</span>
              </th>
            ))}
          </tr>
          <tr>
            <th scope="col">SOC / PT, subjects n (%)</th>
            {cols.map((c) => [
              <th scope="col" className="num" key={`${c.key ?? 'total'}-any`}>
                Any grade
              </th>,
              <th scope="col" className="num" key={`${c.key ?? 'total'}-g3`}>
                Grade ≥ 3
              </th>,
            ])}
          </tr>
        </thead>
        <tbody>
          {any.rows.map((r) => {
            const r3 = g3ByKey.get(rowKey(r));
            return (
              <tr key={rowKey(r)} className={`${r.kind}-row`} data-testid="incidence-row" data-key={rowKey(r)}>
                <th scope="row">{rowName(r)}</th>
                {cols.map((c) => [
                  <td className="num" key={`${c.key ?? 'total'}-any`} data-group={c.key ?? 'total'} data-grade="any" data-n={subjects(r, c.key)}>
                    {nPct(subjects(r, c.key), c.n)}
                  </td>,
                  <td className="num" key={`${c.key ?? 'total'}-g3`} data-group={c.key ?? 'total'} data-grade="3" data-n={subjects(r3, c.key)}>
                    {nPct(subjects(r3, c.key), c.n)}
                  </td>,
                ])}
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="footnotes">{footnote}</p>
    </div>
  );
}

export type ListingRow = Output<'safety.listings'>['saes'][number];

const LISTING_HEADER = ['Subject', 'Dose level', 'Onset day', 'Reported term', 'Preferred term', 'Grade', 'Serious', 'Related', 'DLT', 'Outcome', 'Action taken'];
const yn = (b: boolean) => (b ? 'Y' : 'N');
const levelName = (l: number | null) => (l === null ? 'not in plan' : `DL${l}`);
function listingValues(r: ListingRow): (string | number)[] {
  return [r.usubjid, levelName(r.level), r.studyDay ?? '', r.aeterm, r.aedecod ?? '', r.grade ?? '', yn(r.serious), yn(r.related), yn(r.dlt), r.aeout ?? '', r.aeacn ?? ''];
}

/** A safety listing (SAEs, DLTs, discontinuations…) as a plain table: small, printable, a click on the subject opens the profile; CSV of header and rows, sidecar JSON with title and footnote. */
export function ListingTable({ title, rows, footnote, testId, fileName, onSubject }: { title: string; rows: ListingRow[]; footnote: string; testId: string; fileName: string; onSubject(usubjid: string): void }) {
  const exportCtx = useExportContext();
  const exportCsv = () => downloadCsv(fileName, title, LISTING_HEADER, rows.map(listingValues), footnote, exportCtx);
  const { shown, more } = useShownRows(rows, testId);
  return (
    <div className="table-wrap listing-wrap" tabIndex={0} role="region" aria-label={title}>
      <table className="data-table compact-table" data-testid={testId}>
        <caption>
          <span>
            {title} <span className="count-badge">{rows.length}</span>
          </span>{' '}
          <button type="button" className="btn btn-small" onClick={exportCsv} data-testid={`${testId}-export-csv`}>
            CSV
          </button>
        </caption>
        <thead>
          <tr>
            {LISTING_HEADER.map((h) => (
              <th scope="col" key={h} className={h === 'Onset day' || h === 'Grade' ? 'num' : undefined}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((r, i) => (
            <tr key={`${r.usubjid}-${r.aeseq ?? i}-${i}`}>
              <th scope="row">
                <button type="button" className="subject-link" onClick={() => onSubject(r.usubjid)}>
                  {r.usubjid}
                </button>
              </th>
              <td>{levelName(r.level)}</td>
              <td className="num">{r.studyDay ?? ''}</td>
              <td>{r.aeterm}</td>
              <td>{r.aedecod ?? ''}</td>
              <td className="num">
                {r.grade !== null && (
                  <span className="grade-cell" style={GRADE_CELL_STYLES[r.grade] as object}>
                    {r.grade}
                  </span>
                )}
              </td>
              <td>{yn(r.serious)}</td>
              <td>{yn(r.related)}</td>
              <td>{yn(r.dlt)}</td>
              <td>{r.aeout ?? ''}</td>
              <td>{r.aeacn ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more}
      <p className="footnotes">{footnote}</p>
    </div>
  );
}

export type DeathRow = Output<'safety.listings'>['deaths'][number];

export function DeathsTable({ rows, footnote, fileName, onSubject }: { rows: DeathRow[]; footnote: string; fileName: string; onSubject(usubjid: string): void }) {
  const exportCtx = useExportContext();
  const title = 'Deaths';
  const header = ['Subject', 'Dose level', 'Date of death', 'Study day', 'Cause(s)', 'Recorded in'];
  const values = (d: DeathRow) => [d.usubjid, levelName(d.level), d.deathDtc ?? '', d.studyDay ?? '', d.causes.join('; '), d.sources.join(', ')];
  const { shown, more } = useShownRows(rows, 'ae-deaths');
  return (
    <div className="table-wrap listing-wrap" tabIndex={0} role="region" aria-label={title}>
      <table className="data-table compact-table" data-testid="ae-deaths">
        <caption>
          <span>
            {title} <span className="count-badge">{rows.length}</span>
          </span>{' '}
          <button type="button" className="btn btn-small" onClick={() => downloadCsv(fileName, title, header, rows.map(values), footnote, exportCtx)} data-testid="ae-deaths-export-csv">
            CSV
          </button>
        </caption>
        <thead>
          <tr>
            {header.map((h) => (
              <th scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((d) => (
            <tr key={d.usubjid}>
              <th scope="row">
                <button type="button" className="subject-link" onClick={() => onSubject(d.usubjid)}>
                  {d.usubjid}
                </button>
              </th>
              {values(d)
                .slice(1)
                .map((v, i) => (
                  <td key={i}>{v}</td>
                ))}
            </tr>
          ))}
        </tbody>
      </table>
      {more}
      <p className="footnotes">{footnote}</p>
    </div>
  );
}

export type LabDltRow = Output<'safety.listings'>['possibleDltLabs'][number];

/**
 * Laboratory results of CTCAE grade ≥ 3 inside the DLT window (safety.listings possibleDltLabs: the
 * very rows of the Cohorts view's DLT table). LB has no causality: every such result is listed.
 */
export function LabDltTable({ rows, footnote, fileName, onSubject }: { rows: LabDltRow[]; footnote: string; fileName: string; onSubject(usubjid: string): void }) {
  const exportCtx = useExportContext();
  const title = 'Laboratory results of grade ≥ 3 in the DLT window';
  const header = ['Subject', 'Dose level', 'Study day', 'Date', 'Test (LBTESTCD)', 'CTCAE term', 'Result', 'Unit', 'Grade', 'Grade source'];
  const source = (s: string) => (s === 'LBTOXGR' ? 'as recorded (LBTOXGR)' : 'derived from the value and normal range');
  const values = (r: LabDltRow): (string | number)[] => [r.usubjid, levelName(r.level), r.studyDay ?? '', r.lbdtc ?? '', r.testcd, r.term, r.result ?? '', r.unit ?? '', r.grade, source(r.source)];
  const { shown, more } = useShownRows(rows, 'ae-possible-dlt-labs');
  return (
    <div className="table-wrap listing-wrap" tabIndex={0} role="region" aria-label={title}>
      <table className="data-table compact-table" data-testid="ae-possible-dlt-labs">
        <caption>
          <span>
            {title} <span className="count-badge">{rows.length}</span>
          </span>{' '}
          <button type="button" className="btn btn-small" onClick={() => downloadCsv(fileName, title, header, rows.map(values), footnote, exportCtx)} data-testid="ae-possible-dlt-labs-export-csv">
            CSV
          </button>
        </caption>
        <thead>
          <tr>
            {header.map((h) => (
              <th scope="col" key={h} className={h === 'Study day' || h === 'Grade' ? 'num' : undefined}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((r, i) => (
            <tr key={`${r.usubjid}-${r.testcd}-${r.term}-${r.lbdtc ?? ''}-${i}`}>
              <th scope="row">
                <button type="button" className="subject-link" onClick={() => onSubject(r.usubjid)}>
                  {r.usubjid}
                </button>
              </th>
              <td>{levelName(r.level)}</td>
              <td className="num">{r.studyDay ?? ''}</td>
              <td>{r.lbdtc ?? ''}</td>
              <td>{r.testcd}</td>
              <td>{r.term}</td>
              <td>{r.result ?? ''}</td>
              <td>{r.unit ?? ''}</td>
              <td className="num">
                <span className="grade-cell" style={GRADE_CELL_STYLES[r.grade] as object}>
                  {r.grade}
                </span>
              </td>
              <td>{source(r.source)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more}
      <p className="footnotes">{footnote}</p>
    </div>
  );
}
