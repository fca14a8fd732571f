import { MappingBanner } from '../components/MappingBanner';
import type { CellStyle, ColDef } from 'ag-grid-community';
import { type CSSProperties, useCallback, useMemo, useState } from 'react';
import type { Output } from '../../../shared/contract';
import { invoke } from '../api';
import { DataGrid } from '../components/DataGrid';
import { atRiskAt, forestFigure, kmFigure, kmTicks, rateText, type KmGroup, type KmResult, type ResponseGroup } from '../components/EfficacyFigures';
import '../components/EfficacyViews.css';
import { Plot } from '../components/Plot';
import { EmptyState, ErrorState, LoadingState } from '../components/States';
import { ViewToggle } from '../components/ViewToggle';
import { count, plural, responseWords } from '../format';
import { useReview, useViewCount } from '../review';
import { useCall } from '../useCall';
import { loadTumourSeries, type TumourSeries } from '../tumourSeries';
import type { ViewProps } from './types';
import { TableCsvButton } from '../components/TableCsvButton';

// Efficacy (README.md#the-views; docs/CLINICAL_RULES.md#recist, #kaplan-meier): ORR and DCR with exact 95 % CIs (Clopper–Pearson) by dose level and by part,
// as a table and a forest-style plot; the best-response table; Kaplan–Meier curves for PFS and OS
// with the numbers at risk under the plot, medians with CIs and the log-rank test; the censoring
// rules. Data: efficacy.tumourSeries (subjects, BOR; as efficacy.plotColumns sends it), efficacy.responseSummary, efficacy.km — all
// computed in the core; the view only lays them out.

type Summary = Output<'efficacy.responseSummary'>;
type KmBy = 'none' | 'level' | 'part';

/** Whole months 0…199: the at-risk times asked of efficacy.km (the table shows those on the axis ticks). */
const AT_MONTHS = Array.from({ length: 200 }, (_, i) => i);

export function EfficacyView({ snapshot, onImport, dataVersion }: ViewProps) {
  const [state, retry] = useCall<TumourSeries>(snapshot ? () => loadTumourSeries(snapshot.snapshotId, false) : null, [snapshot?.snapshotId, dataVersion]);
  return (
    <section className="view" aria-labelledby="view-title">
      <header className="view-header">
        <h1 id="view-title">Efficacy</h1>
        <p className="view-sub">Response rates with exact confidence intervals, best overall response per subject, and progression-free and overall survival.</p>
      </header>
      <MappingBanner view="efficacy" snapshot={snapshot} dataVersion={dataVersion} />
      {!snapshot ? (
        <EmptyState title="No snapshot loaded" action={<button type="button" className="btn btn-primary" onClick={onImport}>Import snapshot…</button>}>
          <p>Import a snapshot with tumour assessments (TU/TR/RS) to see response rates and survival.</p>
        </EmptyState>
      ) : state.status === 'loading' || state.status === 'idle' ? (
        <LoadingState what="the tumour responses" />
      ) : state.status === 'error' ? (
        <ErrorState title="The tumour responses could not be loaded" error={state.error} onRetry={retry} />
      ) : (
        <EfficacyBody series={state.data} snapshotId={snapshot.snapshotId} dataVersion={dataVersion} />
      )}
    </section>
  );
}

function EfficacyBody({ series, snapshotId, dataVersion }: { series: TumourSeries; snapshotId: number; dataVersion: number }) {
  const review = useReview();
  const [confirm, setConfirm] = useState(true);
  const [kmBy, setKmBy] = useState<KmBy>('none');
  const [ci, setCi] = useState(false);
  const { inFilter } = review;
  const selected = useMemo(() => series.subjects.filter((s) => inFilter(s)), [series, inFilter]);
  useViewCount('efficacy', selected.length, series.subjects.length, 'subjects');
  // The selection goes to the core as a subject list only when a filter removes someone.
  const usubjids = selected.length === series.subjects.length ? undefined : selected.map((s) => s.usubjid);
  const key = [snapshotId, dataVersion, confirm, usubjids?.join(',') ?? 'all'];
  const [byLevel, retryLevel] = useCall<Summary>(() => invoke('efficacy.responseSummary', { snapshotId, confirm, by: 'level', usubjids }), key);
  const [byPart, retryPart] = useCall<Summary>(() => invoke('efficacy.responseSummary', { snapshotId, confirm, by: 'part', usubjids }), key);
  const kmKey = [snapshotId, dataVersion, kmBy, usubjids?.join(',') ?? 'all'];
  const [pfs, retryPfs] = useCall<KmResult>(() => invoke('efficacy.km', { snapshotId, endpoint: 'PFS', by: kmBy, unit: 'months', at: AT_MONTHS, usubjids, subjects: false }), kmKey);
  const [os, retryOs] = useCall<KmResult>(() => invoke('efficacy.km', { snapshotId, endpoint: 'OS', by: kmBy, unit: 'months', at: AT_MONTHS, usubjids, subjects: false }), kmKey);

  if (selected.length === 0)
    return (
      <EmptyState title="No subject matches the filters">
        <p>None of the {plural(series.subjects.length, 'treated subject')} passes the current filters. Widen the dose-level, part or subject filters.</p>
      </EmptyState>
    );
  const noTumourData = series.assessed === 0;

  return (
    <>
      <div className="view-toolbar">
        <ViewToggle
          label="CR/PR"
          value={confirm ? 'confirmed' : 'unconfirmed'}
          onChange={(v) => setConfirm(v === 'confirmed')}
          testId="efficacy-confirm"
          options={[{ value: 'confirmed', label: 'Confirmed' }, { value: 'unconfirmed', label: 'Unconfirmed' }]}
        />
      </div>
      {noTumourData && (
        <div className="note-box" role="note">
          <h3>No tumour assessments in this snapshot</h3>
          <p>The snapshot has no TU/TR/RS records: response rates cannot be estimated (no subject is evaluable). Survival below uses DM, DS and the dates of all records.</p>
        </div>
      )}
      <h2 className="section-title">Response rates</h2>
      {byLevel.status === 'error' ? (
        <ErrorState title="The response rates could not be loaded" error={byLevel.error} onRetry={retryLevel} />
      ) : byPart.status === 'error' ? (
        <ErrorState title="The response rates could not be loaded" error={byPart.error} onRetry={retryPart} />
      ) : byLevel.status !== 'ok' || byPart.status !== 'ok' ? (
        <LoadingState what="the response rates" />
      ) : (
        <ResponseRates byLevel={byLevel.data} byPart={byPart.data} confirmationDays={series.confirmationDays} />
      )}

      <h2 className="section-title">Best overall response per subject</h2>
      <BestResponseTable subjects={selected} confirmationDays={series.confirmationDays} />

      <h2 className="section-title">Progression-free and overall survival</h2>
      <div className="view-toolbar">
        <ViewToggle label="Curves" value={kmBy} onChange={setKmBy} testId="km-by" options={[{ value: 'none', label: 'All subjects' }, { value: 'level', label: 'By dose level' }, { value: 'part', label: 'By part' }]} />
        <label className="view-check">
          <input type="checkbox" checked={ci} onChange={(e) => setCi(e.target.checked)} data-testid="km-ci" /> 95% confidence bands
        </label>
      </div>
      {[
        { state: pfs, retry: retryPfs, endpoint: 'PFS' as const },
        { state: os, retry: retryOs, endpoint: 'OS' as const },
      ].map(({ state, retry, endpoint }) =>
        state.status === 'error' ? (
          <ErrorState key={endpoint} title={`The ${endpoint} curves could not be loaded`} error={state.error} onRetry={retry} />
        ) : state.status !== 'ok' ? (
          <LoadingState key={endpoint} what={`the ${endpoint} curves`} />
        ) : (
          <KmPanel key={endpoint} km={state.data} ci={ci} />
        ),
      )}
      {pfs.status === 'ok' && (
        <details className="help-box" data-testid="censoring-rules">
          <summary>How PFS and OS are derived: events and censoring rules</summary>
          <div className="help-text">{pfs.data.censoringRules}</div>
        </details>
      )}
    </>
  );
}

/** The groups of the rate table: dose levels, then parts, then all subjects. */
function rateRows(byLevel: Summary, byPart: Summary): { section: string; g: ResponseGroup }[] {
  return [
    ...byLevel.groups.map((g) => ({ section: 'Dose level', g })),
    ...byPart.groups.map((g) => ({ section: 'Part', g })),
    { section: 'All', g: byLevel.overall },
  ];
}

/** A group's short label in the forest plot: DL3, Escalation, Expansion, All. */
function groupLabel(g: ResponseGroup): string {
  return g.level !== null ? `DL${g.level}` : g.part ? (g.part === 'escalation' ? 'Escalation' : 'Expansion') : g.key === 'all' ? 'All' : g.label;
}

function ResponseRates({ byLevel, byPart, confirmationDays }: { byLevel: Summary; byPart: Summary; confirmationDays: number }) {
  const review = useReview();
  const rows = useMemo(() => rateRows(byLevel, byPart), [byLevel, byPart]);
  const { doseColor } = review;
  const colorOf = useCallback((g: ResponseGroup) => (g.level !== null ? doseColor(g.level) : g.part === 'expansion' ? '#1f5fae' : g.part === 'escalation' ? '#5b6472' : '#1d2430'), [doseColor]);
  const fig = useMemo(() => forestFigure(rows.map(({ g }) => ({ label: groupLabel(g), group: g, color: colorOf(g) }))), [rows, colorOf]);
  const conf = byLevel.confirmed ? `CR/PR confirmed by a later assessment ≥ ${confirmationDays} days apart (RECIST 1.1)` : 'CR/PR not required to be confirmed';
  return (
    <div className="rates-layout">
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Response rates">
        <div className="table-tools">
          <TableCsvButton tableTestId="rates-table" title={`ORR and DCR with exact 95% CIs — ${byLevel.confirmed ? 'confirmed' : 'unconfirmed'} responses`} fileStem="response-rates" />
        </div>
        <table className="data-table compact-table" data-testid="rates-table">
          <caption>
            ORR and DCR with exact 95% CIs — {byLevel.confirmed ? 'confirmed' : 'unconfirmed'} responses
          </caption>
          <thead>
            <tr>
              <th scope="col">Group</th>
              <th scope="col" className="num">
                Treated
              </th>
              <th scope="col" className="num">
                Evaluable
              </th>
              <th scope="col" className="num">
                CR
              </th>
              <th scope="col" className="num">
                PR
              </th>
              <th scope="col" className="num">
                SD<sup>a</sup>
              </th>
              <th scope="col" className="num">
                PD
              </th>
              <th scope="col" className="num">
                NE
              </th>
              <th scope="col">ORR n/N, % (95% CI)</th>
              <th scope="col">DCR n/N, % (95% CI)</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ section, g }) => (
              <tr key={`${section}-${g.key}`} data-testid="rate-row" data-key={`${section}:${g.key}`} className={section === 'All' ? 'any-row' : undefined}>
                <th scope="row">
                  <span className="level-chip">
                    <span className="swatch" style={{ '--swatch': colorOf(g) } as CSSProperties} aria-hidden="true" />
                    {g.level !== null ? review.doseLabel(g.level) : g.label}
                  </span>
                </th>
                <td className="num">{count(g.nTreated)}</td>
                <td className="num" data-col="n">
                  {count(g.nEvaluable)}
                </td>
                <td className="num">{g.counts.CR}</td>
                <td className="num">{g.counts.PR}</td>
                <td className="num">{g.counts.SD + g.counts['NON-CR/NON-PD']}</td>
                <td className="num">{g.counts.PD}</td>
                <td className="num">{g.counts.NE}</td>
                <td data-col="orr" data-count={g.orr.count}>
                  {g.orr.count}/{g.nEvaluable} <span className="ci">{rateText(g.orr)}</span>
                </td>
                <td data-col="dcr" data-count={g.dcr.count}>
                  {g.dcr.count}/{g.nEvaluable} <span className="ci">{rateText(g.dcr)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <ol className="footnotes" type="a">
          <li>SD includes non-CR/non-PD (non-target disease only). {conf}.</li>
        </ol>
        <p className="muted" data-testid="response-analysis-set">
          Analysis set: treated subjects with a baseline tumour assessment (a TR measurement or TU lesion on or before the first dose) —{' '}
          <strong>{count(byLevel.analysisSet.nIncluded)}</strong> of {count(byLevel.analysisSet.nTreated)} treated
          {byLevel.analysisSet.nExcluded > 0 ? `; ${count(byLevel.analysisSet.nExcluded)} excluded: no baseline tumour assessment` : ''}. Evaluable (the denominator N): those of the
          set with at least one post-baseline response assessment
          {byLevel.overall.nNoPostBaseline > 0 ? `; ${count(byLevel.overall.nNoPostBaseline)} not yet assessed` : ''}.
        </p>
      </div>
      {rows.every(({ g }) => g.nEvaluable === 0) ? (
        <p className="note-box" data-testid="efficacy-forest-empty">
          No subject in the selection has a post-baseline response assessment yet: there is no rate to plot.
        </p>
      ) : (
      <Plot
        title="ORR and DCR by group"
        footnote={review.footnote(`${byLevel.confirmed ? 'confirmed' : 'unconfirmed'} responses · exact (Clopper–Pearson) 95% CIs`)}
        data={fig.data}
        layout={fig.layout}
        height={Math.max(260, 60 + rows.length * 34)}
        testId="efficacy-forest"
        exportName="efficacy-forest"
        description="Forest plot of objective response rate and disease control rate with 95% confidence intervals per dose level, part and overall."
      />
      )}
    </div>
  );
}

function BestResponseTable({ subjects, confirmationDays }: { subjects: TumourSeries['subjects']; confirmationDays: number }) {
  const review = useReview();
  const rows = useMemo(
    () =>
      subjects.map((s) => ({
        usubjid: s.usubjid,
        level: s.level !== null ? `DL${s.level}` : 'not in plan',
        part: s.part,
        borConfirmed: s.bor.confirmed.response,
        borUnconfirmed: s.bor.unconfirmed.response,
        bestPct: s.bestPctChange === null ? null : Math.round(s.bestPctChange * 10) / 10,
        firstResponse: s.bor.confirmed.firstResponseDtc ?? s.bor.unconfirmed.firstResponseDtc,
        dorDays: s.bor.confirmed.dor?.days ?? null,
        dorStatus: s.bor.confirmed.dor ? (s.bor.confirmed.dor.event ? 'ended (PD/death)' : 'ongoing (censored)') : null,
        notes: s.notes.join(' '),
      })),
    [subjects],
  );
  const borCell = (p: { value?: unknown }): CellStyle => {
    const v = String(p.value ?? '');
    return v === 'CR' || v === 'PR' ? { fontWeight: 700 } : v === 'PD' ? { color: '#b42318', fontWeight: 600 } : {};
  };
  const cols = useMemo<ColDef<(typeof rows)[number]>[]>(
    () => [
      { field: 'usubjid', headerName: 'Subject', pinned: 'left', width: 170 },
      { field: 'level', headerName: 'Dose level', width: 110 },
      { field: 'part', headerName: 'Part', width: 120 },
      { field: 'borConfirmed', headerName: 'BOR (confirmed)', width: 210, wrapText: true, autoHeight: true, cellStyle: borCell, valueFormatter: (p) => responseWords(p.value as string) },
      { field: 'borUnconfirmed', headerName: 'BOR (unconfirmed)', width: 210, wrapText: true, autoHeight: true, cellStyle: borCell, valueFormatter: (p) => responseWords(p.value as string) },
      { field: 'bestPct', headerName: 'Best % change', width: 140, type: 'numericColumn', valueFormatter: (p) => (p.value === null || p.value === undefined ? '' : `${(p.value as number).toFixed(1)}%`) },
      { field: 'firstResponse', headerName: 'First CR/PR', width: 130 },
      { field: 'dorDays', headerName: 'DoR (days)', width: 120, type: 'numericColumn' },
      { field: 'dorStatus', headerName: 'DoR status', width: 160 },
      { field: 'notes', headerName: 'Notes', flex: 1, minWidth: 200 },
    ],
    [],
  );
  return (
    <DataGrid
      title="Best overall response (RECIST 1.1)"
      footnote={review.footnote(`BOR with and without confirmation of CR/PR (≥ ${confirmationDays} days); DoR from the first confirmed CR/PR to PD or death, censored at the last assessment`)}
      rows={rows}
      columnDefs={cols}
      testId="efficacy-bor"
      exportName="best-response"
      onSubjectClick={review.openSubject}
      height={Math.min(460, 80 + rows.length * 33)}
    />
  );
}

/** A short row label of the at-risk table: DL4, Escalation, All. */
function shortLabel(g: KmGroup): string {
  const m = /^Level (\d+)/.exec(g.label);
  return m ? `DL${m[1]}` : g.label === 'All treated' ? 'All' : g.label;
}

function KmPanel({ km, ci }: { km: KmResult; ci: boolean }) {
  const review = useReview();
  const ticks = useMemo(() => kmTicks(km), [km]);
  const { doseColor, presentation } = review;
  const by = km.by;
  const colorOf = useCallback(
    (g: KmGroup, i: number) => {
      const m = /^Level (\d+)/.exec(g.label);
      if (m) return doseColor(Number(m[1]));
      if (by === 'part') return g.label === 'Expansion' ? '#1f5fae' : '#5b6472';
      return i === 0 ? '#1f5fae' : '#8a939f';
    },
    [doseColor, by],
  );
  const fig = useMemo(() => kmFigure(km, ticks, { colorOf, shortLabel, ci, presentation }), [km, ticks, ci, presentation, colorOf]);
  const name = km.endpoint === 'PFS' ? 'Progression-free survival' : 'Overall survival';
  const testId = `km-${km.endpoint.toLowerCase()}`;
  const p = km.logRank?.pValue;
  const fmt = (v: number | null) => (v === null ? 'NR' : v.toFixed(1));
  const set = km.analysisSet;
  return (
    <div className="km-panel" data-testid={`${testId}-panel`}>
      <p className="muted" data-testid={`${testId}-analysis-set`}>
        {km.endpoint} analysis set:{' '}
        {km.endpoint === 'PFS' ? 'subjects with a baseline tumour assessment' : 'all treated subjects'} — <strong>{count(set.nIncluded)}</strong> of {count(set.nTreated)} treated
        {set.nExcluded > 0 ? `; ${count(set.nExcluded)} excluded: no baseline tumour assessment` : ''}.
      </p>
      {set.nIncluded === 0 ? (
        // An empty analysis set draws no curve: say so rather than show an empty plot.
        <div data-testid={`${testId}-empty`}>
          <EmptyState title={`No ${name.toLowerCase()} curve`}>
            No treated subject is in the {km.endpoint} analysis set
            {km.endpoint === 'PFS' ? ': this snapshot has no baseline tumour assessment (TU/TR)' : ''}.
          </EmptyState>
        </div>
      ) : (
      <>
      <Plot
        title={`${name} (Kaplan–Meier)`}
        footnote={review.footnote(
          `${km.endpoint}: ${km.groups.reduce((n, g) => n + g.events, 0)} events in ${km.groups.reduce((n, g) => n + g.n, 0)} subjects · ${Math.round(km.level * 100)}% CI ${km.confType}${p !== undefined && p !== null ? ` · log-rank p = ${p < 0.001 ? '< 0.001' : p.toFixed(3)}` : ''}`,
        )}
        data={fig.data}
        layout={fig.layout}
        height={420 + 18 * km.groups.length}
        testId={testId}
        exportName={testId}
        description={`${name}: Kaplan–Meier curves with censor ticks and the number at risk under the time axis.`}
        legendNote="Vertical ticks: censored subjects. The numbers under the time axis are the subjects at risk at each tick (neither an event nor censored before it)."
      />
      <div className="sr-only">
        <table data-testid={`${testId}-at-risk`}>
          <caption>Number at risk, {name}</caption>
          <thead>
            <tr>
              <th scope="col">Group</th>
              {ticks.map((t) => (
                <th scope="col" key={t}>
                  {t} months
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {km.groups.map((g) => (
              <tr key={g.label}>
                <th scope="row">{g.label}</th>
                {ticks.map((t) => (
                  <td key={t}>{atRiskAt(g, t) ?? ''}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="table-wrap km-medians" tabIndex={0} role="region" aria-label={`${name} medians`}>
        <div className="table-tools">
          <TableCsvButton tableTestId={`${testId}-medians`} title={`${name}: median with CI`} fileStem={`${testId}-medians`} />
        </div>
        <table className="data-table compact-table" data-testid={`${testId}-medians`}>
          <caption>
            {name}: median with {Math.round(km.level * 100)}% CI ({km.confType}), in {km.unit}
          </caption>
          <thead>
            <tr>
              <th scope="col">Group</th>
              <th scope="col" className="num">
                n
              </th>
              <th scope="col" className="num">
                Events
              </th>
              <th scope="col" className="num">
                Censored
              </th>
              <th scope="col">Median (95% CI)</th>
            </tr>
          </thead>
          <tbody>
            {km.groups.map((g) => (
              <tr key={g.label} data-testid="km-median-row">
                <th scope="row">{g.label}</th>
                <td className="num">{g.n}</td>
                <td className="num">{g.events}</td>
                <td className="num">{g.censored}</td>
                <td>
                  {fmt(g.median.estimate)} <span className="ci">({fmt(g.median.lower)}–{fmt(g.median.upper)})</span>
                </td>
              </tr>
            ))}
          </tbody>
          {km.logRank && (
            <tfoot>
              <tr>
                <td colSpan={5} data-testid={`${testId}-logrank`}>
                  Log-rank test: χ² = {km.logRank.chisq.toFixed(2)}, df = {km.logRank.df}, p = {p === null || p === undefined ? '—' : p < 0.001 ? '< 0.001' : p.toFixed(3)}
                </td>
              </tr>
            </tfoot>
          )}
        </table>
        <p className="footnotes">NR: not reached (the curve or its confidence limit does not fall to 50%).</p>
      </div>
      </>
      )}
    </div>
  );
}

