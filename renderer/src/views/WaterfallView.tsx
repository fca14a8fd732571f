import { MappingBanner } from '../components/MappingBanner';
import { useMemo, useState } from 'react';
import { loadTumourSeries, type TumourSeries } from '../tumourSeries';
import '../components/EfficacyViews.css';
import { Plot } from '../components/Plot';
import { EmptyState, ErrorState, LoadingState } from '../components/States';
import { ViewToggle } from '../components/ViewToggle';
import { borLabel, waterfallBars, waterfallFigure, type BorKind, type ColourBy } from '../components/WaterfallFigure';
import { count, plural } from '../format';
import { useReview, useViewCount } from '../review';
import { useCall } from '../useCall';
import type { ViewProps } from './types';
import { TableCsvButton } from '../components/TableCsvButton';

// Waterfall plot (README.md#the-views): best % change of the sum of target-lesion diameters from baseline per
// subject, sorted, coloured by dose level or by best overall response (BOR), BOR labels, the
// RECIST 1.1 +20 % / −30 % lines. Subjects without a post-baseline sum are listed, not drawn.
// Data: efficacy.tumourSeries, as efficacy.plotColumns sends it.

export function WaterfallView({ snapshot, onImport, dataVersion }: ViewProps) {
  const [state, retry] = useCall<TumourSeries>(snapshot ? () => loadTumourSeries(snapshot.snapshotId, false) : null, [snapshot?.snapshotId, dataVersion]);
  return (
    <section className="view" aria-labelledby="view-title">
      <header className="view-header">
        <h1 id="view-title">Waterfall plot</h1>
        <p className="view-sub">Best change in the sum of target-lesion diameters from baseline, one bar per subject, largest increase first.</p>
      </header>
      <MappingBanner view="waterfall" snapshot={snapshot} dataVersion={dataVersion} />
      {!snapshot ? (
        <EmptyState title="No snapshot loaded" action={<button type="button" className="btn btn-primary" onClick={onImport}>Import snapshot…</button>}>
          <p>Import a snapshot with tumour measurements (TU/TR, and RS for the responses) to see the waterfall plot.</p>
        </EmptyState>
      ) : state.status === 'loading' || state.status === 'idle' ? (
        <LoadingState what="the tumour measurements" />
      ) : state.status === 'error' ? (
        <ErrorState title="The tumour measurements could not be loaded" error={state.error} onRetry={retry} />
      ) : (
        <WaterfallBody series={state.data} />
      )}
    </section>
  );
}

function WaterfallBody({ series }: { series: TumourSeries }) {
  const review = useReview();
  const [colourBy, setColourBy] = useState<ColourBy>('level');
  const [kind, setKind] = useState<BorKind>('confirmed');
  const [tableOpen, setTableOpen] = useState(false);
  const { inFilter } = review;
  const selected = useMemo(() => series.subjects.filter((s) => inFilter(s)), [series, inFilter]);
  useViewCount('waterfall', selected.length, series.subjects.length, 'subjects');
  const bars = useMemo(() => waterfallBars(selected, kind), [selected, kind]);
  const fig = useMemo(() => waterfallFigure(bars, { colourBy, kind, doseColor: review.doseColor, doseLabel: review.doseLabel }), [bars, colourBy, kind, review.doseColor, review.doseLabel]);
  const notDrawn = selected.filter((s) => s.bestPctChange === null);

  if (series.assessed === 0)
    return (
      <EmptyState title="This snapshot has no tumour measurements">
        <p>
          The waterfall plot needs the target-lesion measurements of the TR domain (with TU, or SUMDIAM records). None of the{' '}
          {plural(series.subjects.length, 'treated subject')} has one. Import a snapshot that includes TR and TU.
        </p>
      </EmptyState>
    );
  if (selected.length === 0)
    return (
      <EmptyState title="No subject matches the filters">
        <p>None of the {plural(series.subjects.length, 'treated subject')} passes the current filters. Widen the dose-level, part or subject filters.</p>
      </EmptyState>
    );

  const below30 = bars.filter((b) => b.best <= -30).length;
  const above20 = bars.filter((b) => b.best >= 20).length;
  return (
    <>
      <div className="view-toolbar">
        <ViewToggle label="Colour by" value={colourBy} onChange={setColourBy} testId="waterfall-colour" options={[{ value: 'level', label: 'Dose level' }, { value: 'bor', label: 'Best response' }]} />
        <ViewToggle
          label="BOR"
          value={kind}
          onChange={setKind}
          testId="waterfall-bor-kind"
          options={[{ value: 'confirmed', label: 'Confirmed' }, { value: 'unconfirmed', label: 'Unconfirmed' }]}
        />
      </div>
      <p className="view-facts" data-testid="waterfall-summary" data-bars={bars.length}>
        <span>
          <strong>{count(bars.length)}</strong> of {plural(selected.length, 'subject')} with a post-baseline sum
        </span>
        <span>
          <strong>{count(below30)}</strong> at or below −30%
        </span>
        <span>
          <strong>{count(above20)}</strong> at or above +20%
        </span>
      </p>
      {bars.length === 0 ? (
        <EmptyState title="No post-baseline tumour assessment yet">
          <p>The subjects in the selection have a baseline scan only; their bars appear after the first post-baseline assessment.</p>
        </EmptyState>
      ) : (
        <Plot
          title="Best change in sum of target-lesion diameters from baseline"
          footnote={review.footnote(`BOR ${kind === 'confirmed' ? 'with' : 'without'} confirmation of CR/PR (RECIST 1.1, ≥ ${series.confirmationDays} days)`)}
          data={fig.data}
          layout={fig.layout}
          height={500}
          testId="waterfall"
          exportName="waterfall"
          onSubjectClick={review.openSubject}
          description={`Waterfall plot of ${bars.length} subjects, best percent change from baseline sorted descending, reference lines at +20% and −30%.`}
          legendNote={
            <>
              Label on each bar: best overall response (RECIST 1.1{kind === 'confirmed' ? ', CR/PR confirmed' : ', unconfirmed'}; NN = non-CR/non-PD, — = no
              evaluable response yet). The bar is the smallest sum relative to baseline, so a subject can have PD (new lesion, or +20% from the nadir) with a
              bar below zero. Dashed lines: +20% and −30%. Click a bar to open the subject's profile.
            </>
          }
        />
      )}
      <details className="note-box" onToggle={(e) => setTableOpen(e.currentTarget.open)}>
        <summary>Bars as a table ({plural(bars.length, 'subject')})</summary>
        <div className="table-tools">
          <TableCsvButton tableTestId="waterfall-table" title="Waterfall bars in plot order" fileStem="waterfall" />
        </div>
        <div className="table-scroll">
        <table className="data-table compact-table" data-testid="waterfall-table">
          <caption className="sr-only">Waterfall bars in plot order</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Subject</th>
              <th scope="col">Dose level</th>
              <th scope="col" className="num">
                Best change
              </th>
              <th scope="col">BOR ({kind})</th>
            </tr>
          </thead>
          <tbody>
            {tableOpen && bars.map((b, i) => (
              <tr key={b.usubjid}>
                <td>{i + 1}</td>
                <th scope="row" className="mono">
                  {b.usubjid}
                </th>
                <td>{review.doseLabel(b.level)}</td>
                <td className="num">{b.best.toFixed(1)}%</td>
                <td>{borLabel(b.bor)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      </details>
      {notDrawn.length > 0 && (
        <div className="note-box" data-testid="waterfall-not-drawn">
          <h3>Not drawn: {plural(notDrawn.length, 'subject')} without a post-baseline assessment</h3>
          <ul className="subject-list">
            {notDrawn.map((s) => (
              <li key={s.usubjid}>
                <button type="button" className="subject-link" onClick={() => review.openSubject(s.usubjid)} title={s.notes.join(' ') || undefined}>
                  {s.usubjid}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
