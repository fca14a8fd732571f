import type { ColDef } from 'ag-grid-community';
import { useMemo } from 'react';
import type { Output } from '../../../shared/contract';
import { invoke } from '../api';
import { DataGrid, type Row } from '../components/DataGrid';
import '../components/EfficacyViews.css';
import { groupLevel } from '../components/LabFigures';
import { CmSection } from '../components/CmSection';
import { MappingBanner } from '../components/MappingBanner';
import { EmptyState, ErrorState, LoadingState } from '../components/States';
import { TableCsvButton } from '../components/TableCsvButton';
import { count } from '../format';
import { useReview } from '../review';
import { useCall } from '../useCall';
import { displayUnit } from '../../../shared/units';
import type { ViewProps } from './types';

// Exposure (exposure.summary, rules in shared/exposureIntensity.ts): by dose level and per subject,
// cycles started, cumulative dose, dose intensity and relative dose intensity, delays, reductions and
// interruptions; then the concomitant medications listing (components/CmSection.tsx).

type Exposure = Output<'exposure.summary'>;

export const pct = (x: number | null) => (x === null ? '' : `${Math.round(x * 100)} %`);
const range = (a: number | null, b: number | null, f: (x: number) => string) => (a === null || b === null ? '' : a === b ? f(a) : `${f(a)}–${f(b)}`);

export function ExposureView({ snapshot, onImport, dataVersion }: ViewProps) {
  const [state, retry] = useCall<Exposure>(snapshot ? () => invoke('exposure.summary', { snapshotId: snapshot.snapshotId }) : null, [snapshot?.snapshotId, dataVersion]);
  return (
    <section className="view" aria-labelledby="view-title">
      <header className="view-header">
        <h1 id="view-title">Exposure</h1>
        <p className="view-sub">Cycles started, dose intensity and relative dose intensity, dose delays, reductions and interruptions, from EX and the dosing plan.</p>
      </header>
      <MappingBanner view="exposure" snapshot={snapshot} dataVersion={dataVersion} />
      {!snapshot ? (
        <EmptyState title="No snapshot loaded" action={<button type="button" className="btn btn-primary" onClick={onImport}>Import snapshot…</button>}>
          <p>Import a snapshot with exposure records (EX domain) to see the exposure tables.</p>
        </EmptyState>
      ) : state.status === 'loading' || state.status === 'idle' ? (
        <LoadingState what="the exposure" />
      ) : state.status === 'error' ? (
        <ErrorState title="The exposure could not be loaded" error={state.error} onRetry={retry} />
      ) : !state.data.present ? (
        <EmptyState title="This snapshot has no exposure records">
          <p>The exposure tables need EX records (EXSTDTC, EXDOSE). None was found in this snapshot.</p>
        </EmptyState>
      ) : (
        <ExposureBody data={state.data} />
      )}
      {snapshot && <CmSection snapshotId={snapshot.snapshotId} dataVersion={dataVersion} />}
    </section>
  );
}

function ExposureBody({ data }: { data: Exposure }) {
  const review = useReview();
  const unit = displayUnit(data.doseUnit);
  const shown = (usubjid: string, group: string, part: string) => review.inFilter({ usubjid, level: groupLevel(group), part });
  const levelShown = (group: string) => !review.filters.doseLevels || (groupLevel(group) !== null && review.filters.doseLevels.includes(groupLevel(group)!));
  const label = (key: string) => data.groups.find((g) => g.key === key)?.label ?? key;
  const footnote = review.footnote(`Dose intensity per week; RDI = actual ÷ planned (Hryniuk & Bush 1984; Longo et al. 1991); delay > ${data.delayDays} days after the previous cycle start + ${data.cycleLengthDays} days`);
  const subjects = data.subjects.filter((s) => shown(s.usubjid, s.group, s.part));
  const rows = useMemo<Row[]>(
    () =>
      subjects.map((s) => ({
        usubjid: s.usubjid,
        level: label(s.group),
        cycles: s.cyclesStarted,
        cumulative: Math.round(s.cumulativeDose * 1e4) / 1e4,
        weeks: s.durationDays === null ? null : Math.round((s.durationDays / 7) * 10) / 10,
        di: s.doseIntensity === null ? null : Math.round(s.doseIntensity * 1e4) / 1e4,
        rdi: s.relativeDoseIntensity === null ? `not computed: ${s.rdiNotComputed ?? ''}` : pct(s.relativeDoseIntensity),
        delays: s.delays.map((d) => `C${d.cycle} +${(d.detail.match(/started (\d+) days/) ?? [])[1] ?? '?'} d`).join('; '),
        reductions: s.reductions.map((d) => `C${d.cycle ?? '?'} day ${d.studyDay ?? '?'}: ${d.detail}`).join('; '),
        interruptions: s.interruptions.map((d) => `day ${d.studyDay ?? '?'}: ${d.detail}`).join('; '),
        escalations: s.escalations.map((d) => `C${d.cycle ?? '?'}: ${d.detail}`).join('; '),
        notCounted: s.notUsed.map((d) => `${d.file ?? '?'} row ${d.rowNo}: ${d.detail}`).join('; '),
      })),
    [subjects], // eslint-disable-line react-hooks/exhaustive-deps -- label reads data, which subjects derive from
  );
  const cols = useMemo<ColDef<Row>[]>(
    () => [
      { headerName: 'Subject', field: 'usubjid', pinned: 'left', minWidth: 160 },
      { headerName: 'Dose level', field: 'level', minWidth: 150 },
      { headerName: 'Cycles started', field: 'cycles', type: 'numericColumn', minWidth: 100 },
      { headerName: `Cumulative dose (${unit})`, field: 'cumulative', type: 'numericColumn', minWidth: 130 },
      { headerName: 'Weeks (to end of last cycle)', field: 'weeks', type: 'numericColumn', minWidth: 120 },
      { headerName: `Dose intensity (${unit}/week)`, field: 'di', type: 'numericColumn', minWidth: 130 },
      { headerName: 'RDI', field: 'rdi', minWidth: 110 },
      { headerName: 'Delays', field: 'delays', minWidth: 140 },
      { headerName: 'Reductions', field: 'reductions', minWidth: 240 },
      { headerName: 'Interruptions', field: 'interruptions', minWidth: 240 },
      { headerName: 'Intra-patient escalation', field: 'escalations', minWidth: 200, hide: true },
      { headerName: 'EX records not counted', field: 'notCounted', minWidth: 260 },
    ],
    [unit],
  );
  const withAny = subjects.filter((s) => s.delays.length || s.reductions.length || s.interruptions.length).length;
  return (
    <>
      <p className="view-facts" data-testid="exposure-facts">
        <span>
          <strong>{count(subjects.length)}</strong> treated subjects
        </span>
        <span>
          <strong>{count(subjects.reduce((n, s) => n + s.cyclesStarted, 0))}</strong> cycles started
        </span>
        <span>
          <strong>{count(withAny)}</strong> with a delay, reduction or interruption
        </span>
      </p>
      {data.notes.length > 0 && (
        <ul className="rule-warnings" data-testid="exposure-notes">
          {data.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      <h2 className="section-title">
        <span>Exposure by dose level</span> <TableCsvButton tableTestId="exposure-levels" title="Exposure by dose level" fileStem="exposure-by-level" footnote={footnote} />
      </h2>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Exposure by dose level">
        <table className="data-table" data-testid="exposure-levels">
          <caption className="sr-only">Exposure by dose level: cycles started, relative dose intensity, subjects with a delay, reduction or interruption</caption>
          <thead>
            <tr>
              <th scope="col">Dose level</th>
              <th scope="col">N</th>
              <th scope="col">Cycles: median (range)</th>
              <th scope="col">Cycles: total</th>
              <th scope="col">RDI: median (range)</th>
              <th scope="col">With delay (cycles)</th>
              <th scope="col">With reduction (doses)</th>
              <th scope="col">With interruption (records)</th>
            </tr>
          </thead>
          <tbody>
            {data.levels.filter((l) => levelShown(l.group)).map((l) => (
              <tr key={l.group} data-group={l.group}>
                <th scope="row">{label(l.group)}</th>
                <td>{l.n}</td>
                <td>
                  {l.cyclesMedian ?? ''} {l.cyclesMin !== null && <span className="muted">({range(l.cyclesMin, l.cyclesMax, String)})</span>}
                </td>
                <td>{l.cyclesTotal}</td>
                <td>
                  {pct(l.rdiMedian)} {l.rdiN > 0 && <span className="muted">({range(l.rdiMin, l.rdiMax, pct)}{l.rdiN < l.n ? `; n = ${l.rdiN}` : ''})</span>}
                </td>
                <td className={l.withDelay ? 'warn' : undefined}>{l.withDelay ? `${l.withDelay} (${l.delays})` : '0'}</td>
                <td className={l.withReduction ? 'warn' : undefined}>{l.withReduction ? `${l.withReduction} (${l.reductions})` : '0'}</td>
                <td className={l.withInterruption ? 'warn' : undefined}>{l.withInterruption ? `${l.withInterruption} (${l.interruptions})` : '0'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted">Subjects with at least one delay, reduction or interruption, counted once; events in brackets. Cycles: cycles started. {footnote}</p>
      <DataGrid title="Exposure per subject" footnote={footnote} rows={rows} columnDefs={cols} testId="exposure-subjects" exportName="exposure-per-subject" onSubjectClick={review.openSubject} height={rows.length <= 30 ? 'auto' : 520} />
    </>
  );
}
