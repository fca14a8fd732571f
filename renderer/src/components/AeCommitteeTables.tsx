import type { Output } from '../../../shared/contract';
import { shortHash } from '../format';
import { useReview } from '../review';
import { useCall } from '../useCall';
import { GRADE_CELL_STYLES, groupLevel, ListingTable, nPct } from './AesTables';
import { ErrorState, LoadingState } from './States';
import { TableCsvButton } from './TableCsvButton';
import { invoke } from '../api';

// The AE tables a dose-escalation committee asks for (README.md#the-views): treatment-related
// TEAE incidence (safety.relatedIncidence), TEAEs leading to dose change or discontinuation
// (safety.aeAction) and the SOC × dose-level worst-grade heat grid (safety.socGradeGrid). The
// counts come from the core (shared/safety/aeTables.ts); the view only prints them.

type Related = Output<'safety.relatedIncidence'>;
type Action = Output<'safety.aeAction'>;
type Grid = Output<'safety.socGradeGrid'>;
type Group = { key: string; label: string; n: number };

const ACTION_LABEL: Record<string, string> = {
  any: 'Any AE leading to a dose change or discontinuation',
  withdrawn: 'Discontinuation (DRUG WITHDRAWN)',
  reduced: 'Dose reduction (DOSE REDUCED, DOSE RATE REDUCED)',
  interrupted: 'Interruption (DRUG INTERRUPTED)',
  increased: 'Dose increase (DOSE INCREASED)',
};

function useGroups(groups: Group[]) {
  const review = useReview();
  const shown = groups.filter((g) => {
    const level = groupLevel(g.key);
    return !review.filters.doseLevels || (level !== null && review.filters.doseLevels.includes(level));
  });
  const label = (g: Group) => {
    const level = groupLevel(g.key);
    return level !== null ? review.doseLabel(level) : g.label;
  };
  return { shown, label };
}

export function AeCommitteeTables({ snapshotId, dataVersion }: { snapshotId: number; dataVersion: unknown }) {
  const deps = [snapshotId, dataVersion];
  const [related, retryRelated] = useCall<Related>(() => invoke('safety.relatedIncidence', { snapshotId, minGrade: 1 }), deps);
  const [action, retryAction] = useCall<Action>(() => invoke('safety.aeAction', { snapshotId }), deps);
  const [grid, retryGrid] = useCall<Grid>(() => invoke('safety.socGradeGrid', { snapshotId }), deps);
  const part = <T,>(s: typeof related | typeof action | typeof grid, what: string, retry: () => void, render: (d: T) => React.ReactNode) =>
    s.status === 'ok' ? render(s.data as T) : s.status === 'error' ? <ErrorState title={`The ${what} could not be loaded`} error={s.error} onRetry={retry} /> : <LoadingState what={`the ${what}`} />;
  return (
    <>
      <h2 className="section-title">Treatment-related AEs</h2>
      {part<Related>(related, 'treatment-related AE table', retryRelated, (d) => <RelatedTable t={d} />)}
      <h2 className="section-title">AEs leading to dose change or discontinuation</h2>
      {part<Action>(action, 'dose-change tables', retryAction, (d) => <ActionTables t={d} />)}
      <h2 className="section-title">Worst grade by SOC and dose level</h2>
      {part<Grid>(grid, 'worst-grade grid', retryGrid, (d) => <SocGradeGrid t={d} />)}
    </>
  );
}

/** Treatment-related TEAEs by SOC and PT: subjects n (%) and their worst grade; relationship-missing TEAEs apart. */
function RelatedTable({ t }: { t: Related }) {
  const review = useReview();
  const { shown, label } = useGroups(t.groups);
  const cols = [...shown.map((g) => ({ key: g.key as string | null, n: g.n, label: label(g) })), { key: null, n: t.totalN, label: 'All treated' }];
  const unknown = t.aerelValues.filter((v) => v.reading === 'missing');
  const footnote = review.footnote(
    `Treatment-emergent AEs with AEREL read as related (${t.aerelValues.filter((v) => v.reading === 'related').map((v) => v.value).join(', ') || 'none in this snapshot'}); a subject counts once per row at the worst grade (G = worst CTCAE grade); % of the treated subjects of the column.` +
      (unknown.length ? ` Relationship missing (${unknown.map((v) => `${v.value} × ${v.events}`).join(', ')}): neither related nor unrelated, counted in the last row.` : ''),
  );
  const cell = (c: Related['rows'][number]['total'] | undefined, n: number) => {
    if (!c || c.subjects === 0) return '0';
    const worst = [5, 4, 3, 2, 1].find((g) => c.byWorstGrade[g - 1]! > 0);
    return `${nPct(c.subjects, n)}${worst ? ` · G${worst}` : ''}${c.worstGradeMissing ? ` · ${c.worstGradeMissing} grade not collected` : ''}`;
  };
  const missing = (k: string | null) => (k === null ? t.relationshipMissing.total : t.relationshipMissing.byGroup[k]) ?? { subjects: 0, events: 0 };
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Treatment-related AEs">
      <table className="data-table compact-table" data-testid="ae-related">
        <caption>
          <span>Treatment-related TEAEs by SOC and preferred term</span> <TableCsvButton tableTestId="ae-related" title="Treatment-related TEAEs by SOC and preferred term" fileStem="ae-related-incidence" footnote={footnote} />
        </caption>
        <thead>
          <tr>
            <th scope="col" style={{ minWidth: 280 }}>SOC / preferred term — subjects, n (%) · worst grade</th>
            {cols.map((c) => (
              <th scope="col" className="num" key={c.key ?? 'total'}>
                {c.label} (N = {c.n})
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {t.rows.map((r, i) => (
            <tr key={i} className={r.kind !== 'pt' ? 'any-row' : undefined}>
              <th scope="row" style={r.kind === 'pt' ? { paddingLeft: 24, fontWeight: 400 } : undefined}>
                {r.kind === 'any' ? 'Any treatment-related TEAE' : r.kind === 'soc' ? r.soc : r.pt}
              </th>
              {cols.map((c) => (
                <td className="num" key={c.key ?? 'total'}>
                  {cell(c.key === null ? r.total : r.cells[c.key], c.n)}
                </td>
              ))}
            </tr>
          ))}
          <tr data-testid="ae-related-missing">
            <th scope="row">Relationship missing (AEREL empty, UNKNOWN or not recognised) — subjects (events)</th>
            {cols.map((c) => (
              <td className="num" key={c.key ?? 'total'}>
                {missing(c.key).subjects} ({missing(c.key).events})
              </td>
            ))}
          </tr>
        </tbody>
      </table>
      <p className="footnotes">{footnote}</p>
    </div>
  );
}

function ActionTables({ t }: { t: Action }) {
  const review = useReview();
  const { shown, label } = useGroups(t.groups);
  const cols = [...shown.map((g) => ({ key: g.key as string | null, n: g.n, label: label(g) })), { key: null, n: t.totalN, label: 'All treated' }];
  const bad = t.aeacnValues.filter((v) => ['unknown', 'multiple', 'missing', 'unrecognised'].includes(v.reading));
  const footnote = review.footnote(
    `Treatment-emergent AEs by AEACN (CDISC CT C66767, Action Taken with Study Treatment); a subject counts once per row; % of the treated subjects of the column.` +
      (bad.length ? ` Not interpretable: ${bad.map((v) => `${v.value} × ${v.events}`).join(', ')} (MULTIPLE: several study treatments without their actions in SUPPAE AEACN1, AEACN2, …). AEACN MULTIPLE with SUPPAE AEACN1, AEACN2, … counts in a row when any treatment had that action.` : ''),
  );
  const ni = (k: string | null) => (k === null ? t.notInterpretable.total : t.notInterpretable.byGroup[k]) ?? { subjects: 0, events: 0 };
  const listing = t.listing.filter((r) => review.inFilter(r));
  return (
    <div className="listing-section">
      <div className="table-wrap" tabIndex={0} role="region" aria-label="AEs leading to dose change or discontinuation">
        <table className="data-table compact-table" data-testid="ae-action">
          <caption>
            <span>Subjects with TEAEs leading to dose change or discontinuation</span> <TableCsvButton tableTestId="ae-action" title="Subjects with TEAEs leading to dose change or discontinuation" fileStem="ae-action" footnote={footnote} />
          </caption>
          <thead>
            <tr>
              <th scope="col" style={{ minWidth: 300 }}>Subjects, n (%)</th>
              {cols.map((c) => (
                <th scope="col" className="num" key={c.key ?? 'total'}>
                  {c.label} (N = {c.n})
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {t.rows.map((r) => (
              <tr key={r.action} className={r.action === 'any' ? 'any-row' : undefined}>
                <th scope="row">{ACTION_LABEL[r.action]}</th>
                {cols.map((c) => {
                  const x = c.key === null ? r.total : r.cells[c.key];
                  return (
                    <td className="num" key={c.key ?? 'total'}>
                      {nPct(x?.subjects ?? 0, c.n)}
                    </td>
                  );
                })}
              </tr>
            ))}
            <tr data-testid="ae-action-not-interpretable">
              <th scope="row">Action not interpretable (UNKNOWN, MULTIPLE, empty, outside C66767) — subjects (events)</th>
              {cols.map((c) => (
                <td className="num" key={c.key ?? 'total'}>
                  {ni(c.key).subjects} ({ni(c.key).events})
                </td>
              ))}
            </tr>
          </tbody>
        </table>
        <p className="footnotes">{footnote}</p>
      </div>
      {listing.length === 0 ? (
        <p className="note-box" data-testid="ae-action-listing-empty">
          <strong>AEs leading to dose change or discontinuation:</strong> none in the selection.
        </p>
      ) : (
        <ListingTable title="AEs leading to dose change or discontinuation (and actions not interpretable)" rows={listing} footnote={review.footnote('TEAEs with AEACN DRUG WITHDRAWN, DOSE REDUCED, DRUG INTERRUPTED or DOSE INCREASED, then those with AEACN UNKNOWN, MULTIPLE or outside C66767')} testId="ae-action-listing" fileName={`ae-action-listing-${shortHash(review.snapshot?.contentHash)}.csv`} onSubject={review.openSubject} />
      )}
    </div>
  );
}

/** SOC × dose level: subjects with a TEAE in the SOC and the worst CTCAE grade, the cell coloured by that grade. */
function SocGradeGrid({ t }: { t: Grid }) {
  const review = useReview();
  const { shown, label } = useGroups(t.groups);
  const footnote = review.footnote('Treatment-emergent AEs; each cell: subjects with ≥ 1 AE in the SOC · G = the worst CTCAE grade among them; colour = that grade; “no grade” when none of the cell\'s AEs has a CTCAE grade.');
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Worst grade by SOC and dose level">
      <table className="data-table compact-table" data-testid="ae-soc-grid">
        <caption>
          <span>Worst CTCAE grade by system organ class and dose level</span> <TableCsvButton tableTestId="ae-soc-grid" title="Worst CTCAE grade by system organ class and dose level" fileStem="ae-soc-grade-grid" footnote={footnote} />
        </caption>
        <thead>
          <tr>
            <th scope="col" style={{ minWidth: 240 }}>System organ class</th>
            {shown.map((g) => (
              <th scope="col" className="num" key={g.key}>
                {label(g)} (N = {g.n})
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {t.rows.map((r) => (
            <tr key={r.soc}>
              <th scope="row">{r.soc}</th>
              {shown.map((g) => {
                const c = r.cells[g.key];
                const style = c?.worstGrade ? GRADE_CELL_STYLES[c.worstGrade] : undefined;
                return (
                  <td key={g.key} className="num" style={style as React.CSSProperties | undefined} data-grade={c?.worstGrade ?? ''} title={c && c.subjects ? `${c.subjects} subject(s); worst grade ${c.worstGrade ?? 'not collected'}` : 'no subject'}>
                    {!c || c.subjects === 0 ? '–' : `${c.subjects} · ${c.worstGrade ? `G${c.worstGrade}` : 'no grade'}`}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="footnotes" data-testid="ae-soc-grid-legend" aria-label="Grade colour legend">
        {[1, 2, 3, 4, 5].map((g) => (
          <span key={g} className="grade-cell" style={{ ...(GRADE_CELL_STYLES[g] as React.CSSProperties), padding: '1px 8px', marginRight: 6 }}>
            G{g}
          </span>
        ))}
        <span style={{ marginRight: 6 }}>= worst CTCAE grade of the cell (1 mild … 5 death) · “–” no subject · “no grade”: grade not collected for the cell's AEs</span>
      </p>
      <p className="footnotes">{footnote}</p>
    </div>
  );
}
