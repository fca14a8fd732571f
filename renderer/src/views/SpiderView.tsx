import { MappingBanner } from '../components/MappingBanner';
import { useMemo, useState } from 'react';
import { loadTumourSeries, type TumourSeries } from '../tumourSeries';
import '../components/EfficacyViews.css';
import { Plot } from '../components/Plot';
import { hasSpiderLine, spiderFigure, type TimeUnit } from '../components/SpiderFigure';
import { EmptyState, ErrorState, LoadingState } from '../components/States';
import { ViewToggle } from '../components/ViewToggle';
import { count, plural } from '../format';
import { useReview, useViewCount } from '../review';
import { useCall } from '../useCall';
import type { ViewProps } from './types';

// Spider plot (README.md#the-views): % change of the sum of target-lesion diameters from baseline over time,
// one line per subject coloured by dose level, the RECIST 1.1 +20 % / −30 % reference lines, new
// lesions marked. Data: efficacy.tumourSeries as efficacy.plotColumns sends it (the accepted evaluator's sums; SUMDIAM or derived).

export function SpiderView({ snapshot, onImport, dataVersion }: ViewProps) {
  const [state, retry] = useCall<TumourSeries>(snapshot ? () => loadTumourSeries(snapshot.snapshotId, true) : null, [snapshot?.snapshotId, dataVersion]);
  return (
    <section className="view" aria-labelledby="view-title">
      <header className="view-header">
        <h1 id="view-title">Spider plot</h1>
        <p className="view-sub">Change in the sum of target-lesion diameters from baseline over time, one line per subject.</p>
      </header>
      <MappingBanner view="spider" snapshot={snapshot} dataVersion={dataVersion} />
      {!snapshot ? (
        <EmptyState title="No snapshot loaded" action={<button type="button" className="btn btn-primary" onClick={onImport}>Import snapshot…</button>}>
          <p>Import a snapshot with tumour measurements (TU/TR, and RS for the responses) to see the spider plot.</p>
        </EmptyState>
      ) : state.status === 'loading' || state.status === 'idle' ? (
        <LoadingState what="the tumour measurements" />
      ) : state.status === 'error' ? (
        <ErrorState title="The tumour measurements could not be loaded" error={state.error} onRetry={retry} />
      ) : (
        <SpiderBody series={state.data} />
      )}
    </section>
  );
}

function SpiderBody({ series }: { series: TumourSeries }) {
  const review = useReview();
  const [unit, setUnit] = useState<TimeUnit>('days');
  const { inFilter } = review;
  const selected = useMemo(() => series.subjects.filter((s) => inFilter(s)), [series, inFilter]);
  useViewCount('spider', selected.length, series.subjects.length, 'subjects');
  const fig = useMemo(
    () => spiderFigure(selected, { unit, doseColor: review.doseColor, doseLabel: review.doseLabel, isNew: review.newSince.changes ? review.isNew : undefined }),
    [selected, unit, review.doseColor, review.doseLabel, review.isNew, review.newSince.changes],
  );
  const withoutLine = selected.filter((s) => !hasSpiderLine(s));
  const anyTumourData = series.assessed > 0;

  if (!anyTumourData)
    return (
      <EmptyState title="This snapshot has no tumour measurements">
        <p>
          The spider plot needs the target-lesion measurements of the TR domain (with TU to identify the lesions, or SUMDIAM records). None of the{' '}
          {plural(series.subjects.length, 'treated subject')} in this snapshot has one. Import a snapshot that includes TR and TU.
        </p>
      </EmptyState>
    );
  if (selected.length === 0)
    return (
      <EmptyState title="No subject matches the filters">
        <p>None of the {plural(series.subjects.length, 'treated subject')} passes the current dose-level, part or subject filters. Widen the filters to see their lines.</p>
      </EmptyState>
    );

  const newLesions = selected.reduce((n, s) => n + s.points.filter((p) => p.newLesion).length, 0);
  const derived = selected.some((s) => s.points.some((p) => p.sumSource === 'derived'));
  const footnote = review.footnote(`${plural(fig.lines, 'subject')} with post-baseline measurements`);
  return (
    <>
      <div className="view-toolbar">
        <ViewToggle label="Time" value={unit} onChange={setUnit} testId="spider-unit" options={[{ value: 'days', label: 'Study day' }, { value: 'weeks', label: 'Weeks' }]} />
      </div>
      <p className="view-facts" data-testid="spider-summary" data-lines={fig.lines}>
        <span>
          <strong>{count(fig.lines)}</strong> of {plural(selected.length, 'subject')} in the selection with post-baseline tumour measurements
        </span>
        <span>
          <strong>{count(newLesions)}</strong> {newLesions === 1 ? 'scan' : 'scans'} with a new lesion
        </span>
      </p>
      {fig.lines === 0 ? (
        <EmptyState title="No post-baseline tumour assessment yet">
          <p>The subjects in the selection have a baseline scan only; their lines appear after the first post-baseline assessment.</p>
        </EmptyState>
      ) : (
        <Plot
          title="Change in sum of target-lesion diameters from baseline"
          footnote={footnote}
          data={fig.data}
          layout={fig.layout}
          height={520}
          testId="spider"
          exportName="spider"
          onSubjectClick={review.openSubject}
          description={`Spider plot: ${fig.lines} subject lines, percent change from baseline against ${unit === 'weeks' ? 'weeks' : 'study day'}, with reference lines at +20% and −30%.`}
          legendNote={
            <>
              Dashed lines: RECIST 1.1 thresholds — +20% (progression, measured from the nadir) and −30% (partial response, from baseline). Open star: a
              scan with a new lesion (progression regardless of the sum). Baseline is the last scan before the first dose (drawn at its study day).{' '}
              {derived ? 'Some sums were derived from the TR lesion measurements (no SUMDIAM record).' : ''} Click a line to open the subject's profile.
            </>
          }
        />
      )}
      {withoutLine.length > 0 && (
        <div className="note-box" data-testid="spider-no-post-baseline">
          <h3>Not drawn: {plural(withoutLine.length, 'subject')} without a post-baseline measurement</h3>
          <ul className="subject-list">
            {withoutLine.map((s) => (
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
