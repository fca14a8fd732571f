import { useMemo } from 'react';
import { invoke } from '../api';
import { count } from '../format';
import { useReview } from '../review';
import { useCall } from '../useCall';
import { useNearScreen } from '../useNearScreen';
import { qtcfFigure, type QtcCategories, type QtcfResult } from './EcgFigure';
import { groupLevel } from './LabFigures';
import { Plot } from './Plot';
import { EmptyState, ErrorState, LoadingState } from './States';

// The Laboratory view's ECG section: QTcF (Fridericia 1920) over time by dose level, the ICH E14
// (2005) categories by dose level (ecg.categories) and the ECG time points whose QTcF could not be
// computed, with file, row and why (ecg.qtcf).

export function EcgSection({ snapshotId, dataVersion }: { snapshotId: number; dataVersion: unknown }) {
  // Loaded when scrolled near (useNearScreen): the laboratory tables above draw first.
  const [ref, near] = useNearScreen<HTMLElement>();
  const [state, retry] = useCall<{ q: QtcfResult; c: QtcCategories }>(
    near ? async () => ({ q: await invoke('ecg.qtcf', { snapshotId }), c: await invoke('ecg.categories', { snapshotId }) }) : null,
    [snapshotId, dataVersion, near],
  );
  return (
    <section aria-labelledby="ecg-title" data-testid="ecg-section" ref={ref}>
      <h2 className="section-title" id="ecg-title">ECG: QTcF</h2>
      {state.status === 'loading' || state.status === 'idle' ? (
        <LoadingState what="the ECG results" />
      ) : state.status === 'error' ? (
        <ErrorState title="The ECG results could not be loaded" error={state.error} onRetry={retry} />
      ) : !state.data.q.present ? (
        <div data-testid="ecg-empty">
          <EmptyState title="No QTcF in this snapshot">
            <p>
              {state.data.q.missingDomains.includes('EG')
                ? `The snapshot has no EG domain${state.data.q.missingDomains.includes('VS') ? ' and no VS domain' : ''}: QTcF needs EG records of QT with RR or heart rate (EG, or VS PULSE/HR), or QTcF itself.`
                : 'The EG domain holds no QT or QTcF record of a dosed subject.'}
            </p>
          </EmptyState>
        </div>
      ) : (
        <EcgBody q={state.data.q} c={state.data.c} />
      )}
    </section>
  );
}

const CATS = [
  ['gt450', '> 450 ms'],
  ['gt480', '> 480 ms'],
  ['gt500', '> 500 ms'],
  ['incGt30', 'Increase > 30 ms'],
  ['incGt60', 'Increase > 60 ms'],
] as const;

function EcgBody({ q, c }: { q: QtcfResult; c: QtcCategories }) {
  const review = useReview();
  const shown = (usubjid: string, group: string) => review.inFilter({ usubjid, level: groupLevel(group), part: review.filters.part });
  const shownQ = useMemo(() => ({ ...q, points: q.points.filter((p) => shown(p.usubjid, p.group)) }), [q, review.inFilter]); // eslint-disable-line react-hooks/exhaustive-deps -- shown reads review.inFilter
  const fig = useMemo(() => qtcfFigure(shownQ, review), [shownQ, review.doseColor, review.doseLabel]); // eslint-disable-line react-hooks/exhaustive-deps -- review is a new object each render; its functions are the inputs
  const label = (key: string) => c.groups.find((g) => g.key === key)?.label ?? key;
  const footnote = review.footnote('QTcF = QT / RR^(1/3) (Fridericia 1920); categories ICH E14 (2005)');
  return (
    <>
      {q.notes.length + c.notes.length > 0 && (
        <ul className="rule-warnings" data-testid="ecg-notes">
          {[...q.notes, ...c.notes].map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      <Plot
        title="QTcF over time by dose level"
        footnote={footnote}
        data={fig.data}
        layout={fig.layout}
        height={420}
        testId="ecg-qtcf"
        exportName="qtcf"
        onSubjectClick={review.openSubject}
        description={`QTcF against study day, one line per subject (${count(new Set(shownQ.points.map((p) => p.usubjid)).size)} subjects), coloured by dose level, with dashed lines at 450, 480 and 500 ms.`}
        legendNote="Squares: the baseline ECG. Click a point to open the subject's profile."
      />
      <table className="data-table" data-testid="ecg-categories">
        <caption>ICH E14 categories by dose level: subjects by their highest post-baseline QTcF and increase from baseline (cumulative)</caption>
        <thead>
          <tr>
            <th scope="col">Dose level</th>
            <th scope="col">Evaluable (post-baseline QTcF)</th>
            {CATS.slice(0, 3).map(([k, t]) => (
              <th scope="col" key={k}>{t}</th>
            ))}
            <th scope="col">Evaluable (baseline and post-baseline)</th>
            {CATS.slice(3).map(([k, t]) => (
              <th scope="col" key={k}>{t}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {c.rows.map((r) => (
            <tr key={r.group} data-group={r.group}>
              <th scope="row">{label(r.group)}</th>
              <td data-cat="evaluable">{r.evaluable}</td>
              {CATS.slice(0, 3).map(([k]) => (
                <td key={k} data-cat={k}>{r[k]}</td>
              ))}
              <td data-cat="evaluableChange">{r.evaluableChange}</td>
              {CATS.slice(3).map(([k]) => (
                <td key={k} data-cat={k}>{r[k]}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{footnote}</p>
      {q.notComputable.length > 0 && (
        <>
          <h3>QTcF not computable</h3>
          <ul data-testid="ecg-not-computable">
            {q.notComputable.map((n) => (
              <li key={`${n.file}-${n.rowNo}`}>
                {n.usubjid} {n.dtc ?? '(no date)'}
                {n.tpt ? ` ${n.tpt}` : ''}: {n.reason} ({n.file ?? '?'} row {n.rowNo}, {n.testcd})
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
