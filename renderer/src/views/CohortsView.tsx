import { MappingBanner } from '../components/MappingBanner';
import type { CSSProperties } from 'react';
import type { CohortRow, Output } from '../../../shared/contract';
import { invoke } from '../api';
import { EmptyState, ErrorState, LoadingState } from '../components/States';
import { count, dose, isoDate, plural, shortHash } from '../format';
import { doseLevelColor, PART_LABELS } from '../theme';
import { useCall } from '../useCall';
import { CohortDltPanel } from '../components/CohortDlt';
import { LookaheadPanel } from '../components/LookaheadPanel';
import { useReview } from '../review';
import { gradeNotCollectedText } from '../../../shared/safety/grades';
import type { ViewProps } from './types';
import { CaptureTableButton } from '../components/meeting/capture';
import { useEffect } from 'react';
import { downloadTableCsv } from '../components/tableExport';
import { COHORT_CSV_HEADER, cohortCsvRows } from '../tableCsv';
import { cohortFilterText } from '../exports';

// Cohorts (README.md#the-views): one row per dose level and part, the table the committee opens first.

type Summary = Output<'cohorts.summary'>;

/** Subjects treated who are neither window-complete nor still inside the window: stopped before day W without a DLT, or under-dosed. */
export function notEvaluable(r: CohortRow): number {
  return r.treated - r.windowComplete - r.windowOpen;
}

function totals(rows: CohortRow[]) {
  const sum = (f: (r: CohortRow) => number) => rows.reduce((n, r) => n + f(r), 0);
  return {
    treated: sum((r) => r.treated),
    windowComplete: sum((r) => r.windowComplete),
    windowOpen: sum((r) => r.windowOpen),
    notEvaluable: sum(notEvaluable),
    subjectsGrade3: sum((r) => r.subjectsGrade3),
    teaesWithoutGrade: sum((r) => r.teaesWithoutGrade),
    subjectsSevere: sum((r) => r.subjectsSevere),
    saes: sum((r) => r.saes),
    subjectsWithSae: sum((r) => r.subjectsWithSae),
    dltAes: sum((r) => r.dltAes),
    subjectsWithDlt: sum((r) => r.subjectsWithDlt),
    ongoing: sum((r) => r.ongoing),
  };
}

export function CohortsView({ study, snapshot, onImport, dataVersion }: ViewProps) {
  const [state, retry] = useCall<Summary>(snapshot ? () => invoke('cohorts.summary', { snapshotId: snapshot.snapshotId }) : null, [snapshot?.snapshotId, dataVersion]);

  if (!snapshot) {
    return (
      <section className="view" aria-labelledby="view-title">
        <ViewHeader />
        <EmptyState
          title="No snapshot loaded"
          action={
            <button type="button" className="btn btn-primary" onClick={onImport}>
              Import snapshot…
            </button>
          }
        >
          <p>Import a study data snapshot — a folder or a .zip of SDTM domain files (CSV, Dataset-JSON or SAS transport) — to see its cohorts.</p>
        </EmptyState>
      </section>
    );
  }

  return (
    <section className="view" aria-labelledby="view-title">
      <ViewHeader />
      <MappingBanner view="cohorts" snapshot={snapshot} dataVersion={dataVersion} />
      {state.status === 'loading' || state.status === 'idle' ? (
        <LoadingState what="the cohort summary" />
      ) : state.status === 'error' ? (
        <ErrorState title="The cohort summary could not be loaded" error={state.error} onRetry={retry} />
      ) : (
        <>
          <CohortsBody summary={state.data} studyTitle={study?.title ?? null} snapshotLabel={snapshot.label} hash={snapshot.contentHash} />
          {state.data.dataCutoff && <CohortDltPanel snapshotId={snapshot.snapshotId} dataVersion={dataVersion} />}
          {state.data.dataCutoff && <LookaheadPanel snapshotId={snapshot.snapshotId} dataVersion={dataVersion} />}
        </>
      )}
    </section>
  );
}

function ViewHeader() {
  return (
    <header className="view-header">
      <h1 id="view-title">Cohorts</h1>
      <p className="view-sub">Dose levels, DLT-window status and key safety counts at the data cut-off.</p>
    </header>
  );
}

function CohortsBody({ summary, snapshotLabel, hash }: { summary: Summary; studyTitle: string | null; snapshotLabel: string; hash: string }) {
  const review = useReview();
  const { filters, setViewCount } = review;
  // The review filters (dose levels, part) select the rows; the totals are of the rows shown.
  // Placebo is not a dose level: its row stays whatever dose levels are chosen.
  const rows = summary.rows.filter((r) => (r.placebo || !filters.doseLevels || filters.doseLevels.includes(r.level)) && (filters.part === 'all' || filters.part === r.part));
  const t = totals(rows);
  const all = totals(summary.rows);
  // What of the filters applies to this table (dose level and part); null when it shows every row.
  const filtered = rows.length < summary.rows.length ? cohortFilterText(filters.doseLevels, filters.part) : null;
  useEffect(() => setViewCount({ view: 'cohorts', shown: t.treated, total: all.treated, noun: 'subjects treated' }), [setViewCount, t.treated, all.treated]);
  if (!summary.dataCutoff) {
    return (
      <EmptyState title="This snapshot has no data cut-off date">
        <p>
          Without a cut-off DoseDesk cannot tell which DLT windows are complete. Add <span className="mono">dataCutoff</span> to the snapshot's{' '}
          <span className="mono">study.json</span>, or enter it in the study definition when you import, then import the snapshot again.
        </p>
      </EmptyState>
    );
  }
  if (summary.rows.length === 0) {
    return (
      <EmptyState title="No dosed subjects at this data cut-off">
        <p>
          No subject in this snapshot received a dose on a planned dose level on or before {isoDate(summary.dataCutoff)}. Check that EX holds the doses
          and that the study definition's dose levels match the doses given.
        </p>
      </EmptyState>
    );
  }
  const W = summary.dltWindowDays;
  const title = 'Cohort summary by dose level';
  const footnote = review.footnote(filtered ? `${rowsText(rows.length, summary.rows.length)}` : undefined);
  const exportCsv = () =>
    downloadTableCsv({
      fileName: `cohorts-${shortHash(hash)}.csv`,
      title,
      header: COHORT_CSV_HEADER,
      rows: cohortCsvRows(rows),
      footnote,
      snapshot: review.snapshot,
      viewFilters: review.filtersText,
      tableFilters: filtered ? [filtered] : [],
      total: summary.rows.length,
    });
  return (
    <>
      <dl className="context-bar" aria-label="Summary context">
        <div>
          <dt>Data cut-off</dt>
          <dd data-testid="cohorts-cutoff">{isoDate(summary.dataCutoff)}</dd>
        </div>
        <div>
          <dt>DLT window</dt>
          <dd data-testid="cohorts-window">
            {W} days <span className="muted">(study days 1–{W})</span>
          </dd>
        </div>
        <div>
          <dt>Snapshot</dt>
          <dd>
            {snapshotLabel} <span className="mono muted">{shortHash(hash)}</span>
          </dd>
        </div>
      </dl>

      {/* Filtered headline numbers say so: "12 of 25 · Subjects treated · filtered: DL6". */}
      <div className="kpis" role="list" aria-label={filtered ? `Totals of the rows shown (filtered: ${filtered})` : 'Totals'}>
        <Kpi label="Subjects treated" value={t.treated} of={filtered ? all.treated : undefined} filtered={filtered} testId="kpi-treated" />
        <Kpi label="Inside the DLT window" value={t.windowOpen} of={filtered ? all.windowOpen : undefined} filtered={filtered} tone={t.windowOpen > 0 ? 'warning' : undefined} />
        <Kpi label="Subjects with a DLT" value={t.subjectsWithDlt} of={filtered ? all.subjectsWithDlt : undefined} filtered={filtered} tone={t.subjectsWithDlt > 0 ? 'danger' : undefined} />
        <Kpi label="Subjects with an SAE" value={t.subjectsWithSae} of={filtered ? all.subjectsWithSae : undefined} filtered={filtered} />
        <Kpi label="On treatment" value={t.ongoing} of={filtered ? all.ongoing : undefined} filtered={filtered} />
      </div>

      <div className="table-tools">
        <button type="button" className="btn btn-small" onClick={exportCsv} data-testid="cohorts-export-csv">
          CSV
        </button>
        <CaptureTableButton tableTestId="cohorts-table" title={title} footnote={footnote} testId="cohorts-table-capture" />
      </div>
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Cohort table">
        <table className="data-table cohorts-table" data-testid="cohorts-table">
          <caption className="sr-only">Cohort summary by dose level at data cut-off {isoDate(summary.dataCutoff)}</caption>
          <thead>
            <tr className="group-row">
              <td colSpan={2} />
              <th scope="colgroup" colSpan={3} className="group">
                DLT window (subjects)
              </th>
              <td />
              <th scope="colgroup" colSpan={2} className="group">
                SAEs
              </th>
              <th scope="colgroup" colSpan={2} className="group">
                DLT-flagged AEs
              </th>
              <td />
            </tr>
            <tr>
              <th scope="col">Dose level</th>
              <th scope="col" className="num">
                Treated<sup>a</sup>
              </th>
              <th scope="col" className="num">
                Complete<sup>b</sup>
              </th>
              <th scope="col" className="num window-open-col">
                In window<sup>c</sup>
              </th>
              <th scope="col" className="num">
                Not evaluable<sup>d</sup>
              </th>
              <th scope="col" className="num">
                Grade ≥ 3 AE<sup>e</sup>
              </th>
              <th scope="col" className="num">
                Events<sup>f</sup>
              </th>
              <th scope="col" className="num">
                Subjects
              </th>
              <th scope="col" className="num">
                Events<sup>g</sup>
              </th>
              <th scope="col" className="num">
                Subjects
              </th>
              <th scope="col" className="num">
                Ongoing<sup>h</sup>
              </th>
            </tr>
          </thead>
          {(['escalation', 'expansion'] as const).map((part) => {
            const partRows = rows.filter((r) => r.part === part);
            if (partRows.length === 0) return null;
            return (
              <tbody key={part} data-part={part}>
                <tr className="part-row">
                  <th scope="rowgroup" colSpan={11}>
                    {PART_LABELS[part]}
                  </th>
                </tr>
                {partRows.map((r) => (
                  <CohortTableRow key={`${r.part}-${r.level}`} r={r} />
                ))}
              </tbody>
            );
          })}
          <tfoot>
            <tr data-testid="cohorts-total" data-filtered={filtered ? 'true' : 'false'}>
              <th scope="row">
                {filtered ? (
                  <>
                    Shown dose levels <span className="muted total-filter">(filtered: {filtered})</span>
                  </>
                ) : (
                  'All dose levels'
                )}
              </th>
              <td className="num">{count(t.treated)}</td>
              <td className="num">{count(t.windowComplete)}</td>
              <td className="num">{count(t.windowOpen)}</td>
              <td className="num">{count(t.notEvaluable)}</td>
              <td className="num">
                <Grade3 subjects={t.subjectsGrade3} ungraded={t.teaesWithoutGrade} severe={t.subjectsSevere} />
              </td>
              <td className="num">{count(t.saes)}</td>
              <td className="num">{count(t.subjectsWithSae)}</td>
              <td className="num">{count(t.dltAes)}</td>
              <td className="num">{count(t.subjectsWithDlt)}</td>
              <td className="num">{count(t.ongoing)}</td>
            </tr>
          </tfoot>
        </table>
      </div>

      <p className="plot-footnote" data-testid="cohorts-footnote">
        {footnote}
      </p>
      <ol className="footnotes" aria-label="Column definitions" type="a">
        <li>
          Treated: subjects whose first dose, on or before the data cut-off, matches this planned dose level. Expansion subjects are counted in their own
          rows (outlined colour swatch).
        </li>
        <li>
          Complete: DLT-evaluable — completed the {W}-day DLT window (study day 1 = first dose) with the minimum exposure, or had a DLT with onset inside
          it.
        </li>
        <li>In window: still inside the DLT window at the data cut-off; the window's last day and the days left are listed per subject.</li>
        <li>Not evaluable: treatment ended before day {W} without a DLT, or the minimum exposure in the window was not given.</li>
        <li>
          Grade ≥ 3 AE: subjects with at least one treatment-emergent adverse event of CTCAE grade 3 or higher (AETOXGR, or the study's grade variable).
          AEs without a CTCAE grade cannot be counted here: the cell says “grade not collected for N AEs” instead of a silent 0. Severity (AESEV)
          is shown beside it as severity — subjects with a SEVERE AE — never as a CTCAE grade.
        </li>
        <li>SAEs: treatment-emergent serious adverse events (AESER = Y), as events and as subjects with at least one.</li>
        <li>DLT-flagged AEs: treatment-emergent AEs flagged as DLT in SUPPAE (AEDLT / DLTFL), as events and as subjects with at least one.</li>
        <li>
          Ongoing: subjects still on treatment at the data cut-off (no end of treatment and no death recorded). End of treatment is the DS disposition
          of the treatment epoch (EPOCH = TREATMENT, or DSSCAT naming treatment), else — once the study ended — the last exposure in EX; an end-of-study
          record is not an end of treatment.
        </li>
        {rows.some((r) => r.placebo) && <li className="no-marker">Placebo: subjects given placebo (EXDOSE 0 with EXTRT or ARM saying placebo, or ARMCD PBO) — their own row, not a dose level, never in the escalation history or rule.</li>}
      </ol>
    </>
  );
}

/** "3 of 5 dose-level rows" (the Cohorts table's footnote when filtered). */
function rowsText(shown: number, total: number): string {
  return `${count(shown)} of ${count(total)} dose-level rows shown`;
}

/** A headline number; when the table is filtered it reads "12 of 25" and names the filter, never a bare 12 that passes for the study's. */
function Kpi({ label, value, tone, of, filtered, testId }: { label: string; value: number; tone?: 'warning' | 'danger'; of?: number; filtered?: string | null; testId?: string }) {
  return (
    <div className={`kpi${tone ? ` kpi-${tone}` : ''}`} role="listitem" data-testid={testId}>
      <div className="kpi-value">
        {count(value)}
        {of !== undefined && <span className="kpi-of"> of {count(of)}</span>}
      </div>
      <div className="kpi-label">{label}</div>
      {filtered && <div className="kpi-filtered">filtered: {filtered}</div>}
    </div>
  );
}

/** A count cell's content: zeros are drawn muted so that the non-zero counts stand out. */
function n(v: number) {
  return v === 0 ? <span className="zero">0</span> : count(v);
}

/**
 * Subjects with a grade >= 3 TEAE; when some TEAEs have no CTCAE grade, says so instead of a bare
 * count (a 0 over ungraded AEs is not "no grade 3"), with the AESEV SEVERE subjects as severity.
 */
function Grade3({ subjects, ungraded, severe }: { subjects: number; ungraded: number; severe: number }) {
  if (ungraded === 0) return n(subjects);
  return (
    <span className="grade-missing" data-testid="grade-not-collected">
      {subjects > 0 ? count(subjects) : null}
      <span className="pill pill-warning" title="These AEs have no CTCAE grade (AETOXGR empty): they cannot be counted as grade ≥ 3 or below.">
        {gradeNotCollectedText(ungraded)}
      </span>
      {severe > 0 && <span className="muted severity-note">severity SEVERE (AESEV): {plural(severe, 'subject')}</span>}
    </span>
  );
}

function CohortTableRow({ r }: { r: CohortRow }) {
  const ne = notEvaluable(r);
  return (
    <tr data-level={r.level} data-part={r.part} data-testid="cohort-row">
      <th scope="row" data-col="dose">
        <div className="level-cell">
        <span className={`swatch${r.part === 'expansion' ? ' swatch-outline' : ''}`} style={{ '--swatch': doseLevelColor(r.level) } as CSSProperties} aria-hidden="true" />
        {r.placebo ? (
          <span className="level-name">Placebo</span>
        ) : (
          <>
            <span className="level-name">DL{r.level}</span>
            <span className="level-dose">{dose(r.dose, r.doseUnit)}</span>
          </>
        )}
        </div>
      </th>
      <td className="num strong" data-col="treated">
        {count(r.treated)}
      </td>
      <td className="num" data-col="windowComplete">
        {n(r.windowComplete)}
      </td>
      <td className="num window-open-col" data-col="windowOpen">
        <span className={`cell-value${r.windowOpen > 0 ? ' pill pill-warning' : ' zero'}`}>{count(r.windowOpen)}</span>
        {r.windowEnds.length > 0 && (
          <ul className="window-ends" aria-label={`Open DLT windows at DL${r.level}`}>
            {[...r.windowEnds]
              .sort((a, b) => a.windowEnd.localeCompare(b.windowEnd))
              .map((w) => (
                <li key={w.usubjid}>
                  <span className="mono subj">{w.usubjid}</span>
                  <span>
                    ends {w.windowEnd} · {plural(w.daysLeft, 'day')} left
                  </span>
                </li>
              ))}
          </ul>
        )}
      </td>
      <td className="num" data-col="notEvaluable">
        {n(ne)}
      </td>
      <td className="num" data-col="subjectsGrade3">
        <Grade3 subjects={r.subjectsGrade3} ungraded={r.teaesWithoutGrade} severe={r.subjectsSevere} />
      </td>
      <td className="num" data-col="saes">
        {n(r.saes)}
      </td>
      <td className="num" data-col="subjectsWithSae">
        {n(r.subjectsWithSae)}
      </td>
      <td className="num" data-col="dltAes">
        {r.dltAes > 0 ? <span className="pill pill-danger">{count(r.dltAes)}</span> : n(r.dltAes)}
      </td>
      <td className="num" data-col="subjectsWithDlt">
        {n(r.subjectsWithDlt)}
      </td>
      <td className="num" data-col="ongoing">
        {n(r.ongoing)}
      </td>
    </tr>
  );
}
