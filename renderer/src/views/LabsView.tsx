import type { ColDef } from 'ag-grid-community';
import { useEffect, useMemo, useState } from 'react';
import { invoke } from '../api';
import { DataGrid, type Row } from '../components/DataGrid';
import '../components/EfficacyViews.css';
import { EcgSection } from '../components/EcgSection';
import { edishFigure, edishRows, groupLevel, shiftRows, type EdishResult, type ShiftResult } from '../components/LabFigures';
import { MappingBanner } from '../components/MappingBanner';
import '../components/PkViews.css';
import { Plot } from '../components/Plot';
import { InTurn } from '../components/WhenNear';
import { EmptyState, ErrorState, LoadingState } from '../components/States';
import { markWhenShown } from '../drawnMark';
import { count, plural } from '../format';
import { useReview } from '../review';
import { useCall } from '../useCall';
import { displayUnit } from '../../../shared/units';
import type { ViewProps } from './types';

// Laboratory safety: CTCAE v5.0 grades of ALT, AST, bilirubin, creatinine, neutrophils, platelets,
// haemoglobin, potassium and sodium (labs.shift: LBTOXGR, else derived from the value and the normal
// range — shared/labs/ctcae.ts), the shift table baseline × worst post-baseline grade by dose level,
// eDISH (labs.edish, FDA DILI guidance 2009) and the results that could not be graded, with why;
// then the ECG section (QTcF and the ICH E14 categories, components/EcgSection.tsx).

type LabData = { shift: ShiftResult; edish: EdishResult };

export function LabsView({ snapshot, onImport, dataVersion }: ViewProps) {
  // The per-subject table lists the subject–term pairs with something to read; the others (grade 0 throughout) on request (LabsBody).
  const [state, retry] = useCall<LabData>(
    snapshot
      ? async () => {
          // Both asked at once: the eDISH answer travels while the shift columns are decoded.
          const [shift, edish] = await Promise.all([
            invoke('labs.shift', { snapshotId: snapshot.snapshotId, subjectRows: 'notable', as: 'columns' }),
            invoke('labs.edish', { snapshotId: snapshot.snapshotId, as: 'columns' }),
          ]);
          return { shift: shiftRows(shift), edish: edishRows(edish) };
        }
      : null,
    [snapshot?.snapshotId, dataVersion],
  );
  return (
    <section className="view" aria-labelledby="view-title">
      <header className="view-header">
        <h1 id="view-title">Laboratory</h1>
        <p className="view-sub">CTCAE v5.0 grades of the key laboratory tests, shift from baseline to the worst post-baseline grade by dose level, and eDISH for drug-induced liver injury.</p>
      </header>
      <MappingBanner view="labs" snapshot={snapshot} dataVersion={dataVersion} />
      {!snapshot ? (
        <EmptyState title="No snapshot loaded" action={<button type="button" className="btn btn-primary" onClick={onImport}>Import snapshot…</button>}>
          <p>Import a snapshot with laboratory results (LB domain) to see the laboratory safety tables.</p>
        </EmptyState>
      ) : state.status === 'loading' || state.status === 'idle' ? (
        <LoadingState what="the laboratory results" />
      ) : state.status === 'error' ? (
        <ErrorState title="The laboratory results could not be loaded" error={state.error} onRetry={retry} />
      ) : !state.data.shift.present ? (
        <EmptyState title="This snapshot has no graded laboratory results">
          <p>The laboratory view needs LB results of ALT, AST, BILI, CREAT, NEUT, PLAT, HGB, K or SODIUM for dosed subjects. None was found in this snapshot.</p>
        </EmptyState>
      ) : (
        <LabsBody data={state.data} snapshotId={snapshot.snapshotId} />
      )}
      {/* After the laboratory part has answered: until then the ECG section would sit on screen and load at once. */}
      {snapshot && (state.status === 'ok' || state.status === 'error') && <EcgSection snapshotId={snapshot.snapshotId} dataVersion={dataVersion} />}
    </section>
  );
}

const GRADES = ['0', '1', '2', '3', '4', 'missing'] as const;

function LabsBody({ data: { shift, edish }, snapshotId }: { data: LabData; snapshotId: number }) {
  const review = useReview();
  const levelShown = (group: string) => !review.filters.doseLevels || (groupLevel(group) !== null && review.filters.doseLevels.includes(groupLevel(group)!));
  const terms = useMemo(() => [...new Set(shift.blocks.map((b) => b.term))], [shift]);
  const [term, setTerm] = useState(terms[0] ?? '');
  const blocks = shift.blocks.filter((b) => b.term === term && levelShown(b.group));
  const groupLabel = (key: string) => shift.groups.find((g) => g.key === key)?.label ?? key;
  const footnote = review.footnote('CTCAE v5.0 (NCI 2017); LBTOXGR where given, else derived from LBSTRESN and LBSTNRLO/LBSTNRHI');
  const hy = edish.points.filter((p) => p.quadrant === "Potential Hy's law");
  const severe = new Set(shift.subjects.filter((s) => (s.worstGrade ?? 0) >= 3).map((s) => s.usubjid));
  // The shift table is what the committee reads first: the view counts as drawn when its rows are painted; the eDISH and the grids follow (InTurn).
  useEffect(() => markWhenShown('view:lab-shift:drawn', () => document.querySelector('[data-testid="lab-shift"] tbody tr') !== null), []);
  return (
    <>
      <p className="view-facts" data-testid="lab-facts">
        <span>
          <strong>{count(shift.subjectCount)}</strong> subjects with graded tests
        </span>
        <span>
          <strong>{count(severe.size)}</strong> with a grade ≥ 3 result after baseline
        </span>
        <span data-testid="lab-hys-law">
          <strong>{count(hy.length)}</strong> potential Hy&apos;s law {hy.length === 1 ? 'case' : 'cases'}
          {hy.length > 0 && <> ({hy.map((p) => p.usubjid).join(', ')})</>}
        </span>
        <span data-testid="lab-not-gradable" className={shift.notGradable.length ? 'warn' : undefined}>
          <strong>{count(shift.notGradable.length)}</strong> {shift.notGradable.length === 1 ? 'result' : 'results'} not gradable
        </span>
      </p>
      {shift.notes.length + edish.notes.length > 0 && (
        <ul className="rule-warnings" data-testid="lab-notes">
          {[...shift.notes, ...edish.notes].map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}

      {review.filters.part !== 'all' && <p className="muted" data-testid="lab-part-filter">The part filter is not applied in this view: every part is shown.</p>}
      <h2 className="section-title">Shift table: baseline grade × worst post-baseline grade</h2>
      {(review.filters.usubjids !== null || review.newSince.newOnly) && <p className="muted">The shift table counts every subject of the dose levels shown; the subject and "new only" filters apply to the eDISH plot and the per-subject table.</p>}
      <label className="field-inline">
        CTCAE term{' '}
        <select value={term} onChange={(e) => setTerm(e.target.value)} data-testid="lab-shift-term">
          {terms.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <div className="table-scroll">
        <table className="data-table" data-testid="lab-shift">
          <caption className="sr-only">Shift table of {term}: subjects by baseline grade and worst post-baseline grade, per dose level</caption>
          <thead>
            <tr>
              <th scope="col">Dose level</th>
              <th scope="col">Baseline grade</th>
              {GRADES.map((g) => (
                <th scope="col" key={g}>
                  Worst {g === 'missing' ? 'missing' : `grade ${g}`}
                </th>
              ))}
              <th scope="col">Not gradable results</th>
            </tr>
          </thead>
          <tbody>
            {blocks.flatMap((b) =>
              GRADES.filter((bg) => b.cells.some((c) => c.baseline === bg)).map((bg, i) => (
                <tr key={`${b.group}:${bg}`} data-group={b.group} data-baseline={bg}>
                  {i === 0 && (
                    <th scope="rowgroup" rowSpan={GRADES.filter((x) => b.cells.some((c) => c.baseline === x)).length}>
                      {groupLabel(b.group)} <span className="muted">(n = {b.subjects})</span>
                    </th>
                  )}
                  <td>{bg === 'missing' ? 'missing' : `grade ${bg}`}</td>
                  {GRADES.map((wg) => {
                    const n = b.cells.find((c) => c.baseline === bg && c.worst === wg)?.subjects ?? 0;
                    return (
                      <td key={wg} data-worst={wg} className={n > 0 && (wg === '3' || wg === '4') ? 'warn' : undefined}>
                        {n || ''}
                      </td>
                    );
                  })}
                  {i === 0 && <td rowSpan={GRADES.filter((x) => b.cells.some((c) => c.baseline === x)).length}>{b.notGradable || ''}</td>}
                </tr>
              )),
            )}
          </tbody>
        </table>
      </div>
      <p className="muted">Subjects counted once, at the highest grade of their post-baseline results; "missing": no gradable result. {footnote}</p>

      <InTurn after='[data-testid="lab-shift"] tbody tr, [data-testid="lab-shift"] tbody:empty' minHeight={560}>
        <LabsBelow shift={shift} edish={edish} snapshotId={snapshotId} footnote={footnote} />
      </InTurn>
    </>
  );
}

/** The eDISH and the per-subject grids, mounted once the shift table above is painted (InTurn). */
function LabsBelow({ shift, edish, snapshotId, footnote }: { shift: ShiftResult; edish: EdishResult; snapshotId: number; footnote: string }) {
  // "List them too": every subject–term pair, asked apart so that the rest of the view stays as it is.
  const [allRows, setAllRows] = useState(false);
  const [all] = useCall(allRows ? async () => shiftRows(await invoke('labs.shift', { snapshotId, subjectRows: 'all', as: 'columns' })) : null, [allRows, snapshotId]);
  const pairs = all.status === 'ok' ? all.data.subjects : shift.subjects;
  const leftOut = all.status === 'ok' ? 0 : shift.subjectRowsLeftOut;
  const review = useReview();
  // The dose-level, subject and "new only" filters apply; labs.shift has no part per subject, so the part filter does not (said above the shift table).
  const shown = (usubjid: string, group: string) => review.inFilter({ usubjid, level: groupLevel(group), part: review.filters.part });
  const shownEdish = useMemo(() => ({ ...edish, points: edish.points.filter((p) => shown(p.usubjid, p.group)) }), [edish, review.inFilter]); // eslint-disable-line react-hooks/exhaustive-deps -- review is a new object each render; its members used are the inputs
  const fig = useMemo(() => edishFigure(shownEdish, review), [shownEdish, review.doseColor, review.doseLabel]); // eslint-disable-line react-hooks/exhaustive-deps -- review is a new object each render; its members used are the inputs

  const worstRows = useMemo<Row[]>(
    () =>
      pairs.filter((s) => shown(s.usubjid, s.group)).map((s) => ({
        usubjid: s.usubjid,
        level: review.doseLabel(groupLevel(s.group)),
        term: s.term,
        baselineGrade: s.baselineGrade ?? 'missing',
        worstGrade: s.worstGrade ?? 'missing',
        worstResult: s.worstResult === null ? '' : `${s.worstResult} ${displayUnit(s.worstUnit)}`.trim(),
        worstDay: s.worstStudyDay,
        source: s.worstSource === null ? '' : s.worstSource === 'LBTOXGR' ? 'LBTOXGR' : `derived: ${s.worstBasis ?? ''}`,
        note: s.worstNote ?? '',
        notGradable: s.notGradable,
      })),
    [pairs, review.doseLabel, review.inFilter], // eslint-disable-line react-hooks/exhaustive-deps -- review is a new object each render; its members used are the inputs
  );
  const worstCols = useMemo<ColDef<Row>[]>(
    () => [
      { headerName: 'Subject', field: 'usubjid', pinned: 'left', minWidth: 160 },
      { headerName: 'Dose level', field: 'level', minWidth: 140 },
      { headerName: 'CTCAE term', field: 'term', minWidth: 230 },
      { headerName: 'Baseline grade', field: 'baselineGrade', minWidth: 110 },
      { headerName: 'Worst post-baseline grade', field: 'worstGrade', minWidth: 130 },
      { headerName: 'Result', field: 'worstResult', minWidth: 110 },
      { headerName: 'Study day', field: 'worstDay', type: 'numericColumn', minWidth: 90 },
      { headerName: 'Grade from', field: 'source', minWidth: 260 },
      { headerName: 'Note', field: 'note', minWidth: 220, hide: true },
      { headerName: 'Not gradable', field: 'notGradable', type: 'numericColumn', minWidth: 100 },
    ],
    [],
  );
  const ngRows = useMemo<Row[]>(() => shift.notGradable.map((n) => ({ ...n, where: `${n.file ?? '?'} row ${n.rowNo}`, result: n.result === null ? '' : `${n.result} ${displayUnit(n.unit)}`.trim() })), [shift]);
  const ngCols = useMemo<ColDef<Row>[]>(
    () => [
      { headerName: 'Subject', field: 'usubjid', pinned: 'left', minWidth: 160 },
      { headerName: 'Test', field: 'testcd', minWidth: 90 },
      { headerName: 'CTCAE term', field: 'term', minWidth: 220 },
      { headerName: 'Date', field: 'dtc', minWidth: 120 },
      { headerName: 'Result', field: 'result', minWidth: 110 },
      { headerName: 'Where', field: 'where', minWidth: 130 },
      { headerName: 'Why not gradable', field: 'reason', minWidth: 380, flex: 1 },
    ],
    [],
  );

  return (
    <>
      <h2 className="section-title">eDISH: peak ALT or AST against peak total bilirubin</h2>
      {shownEdish.points.length === 0 ? (
        <EmptyState title="No subject has both an aminotransferase and a bilirubin result after baseline">
          <p>eDISH needs post-baseline ALT or AST and total bilirubin with an upper limit of normal.</p>
        </EmptyState>
      ) : (
        <Plot
          title="eDISH: peak ALT or AST (× ULN) against peak total bilirubin (× ULN)"
          footnote={review.footnote("FDA Guidance for Industry, Drug-Induced Liver Injury: Premarketing Clinical Evaluation (2009); Hy's-law lines at 3 × ULN and 2 × ULN")}
          data={fig.data}
          layout={fig.layout}
          height={480}
          testId="lab-edish"
          exportName="edish"
          onSubjectClick={review.openSubject}
          description={`eDISH scatter of ${plural(shownEdish.points.length, 'subject')}: peak ALT or AST over ULN against peak total bilirubin over ULN on log axes, coloured by dose level, with dashed lines at 3 × ULN and 2 × ULN.`}
          legendNote="Diamonds: potential Hy's law (ALT or AST > 3 × ULN and bilirubin > 2 × ULN). Peaks may be on different days (see the dates on hover). Click a point to open the subject's profile."
        />
      )}
      {edish.notPlotted.length > 0 && (
        <p className="muted" data-testid="lab-edish-not-plotted">
          Not plotted: {edish.notPlotted.map((n) => `${n.usubjid} (${n.reason})`).join('; ')}.
        </p>
      )}

      <h2 className="section-title">Worst grade per subject and term</h2>
      {leftOut > 0 && (
        <p className="muted" data-testid="lab-worst-left-out">
          Listed: the subject–term pairs with a grade ≥ 1 at baseline or after, a missing grade or a result not gradable. {count(leftOut)} more{' '}
          {leftOut === 1 ? 'pair' : 'pairs'} in the study {leftOut === 1 ? 'is' : 'are'} grade 0 at baseline and at every result after (counted in the shift table above).{' '}
          <button type="button" className="btn btn-small" onClick={() => setAllRows(true)} disabled={all.status === 'loading'}>
            {all.status === 'loading' ? 'Listing them…' : 'List them too'}
          </button>
          {all.status === 'error' && <span className="warn"> They could not be loaded: {String(all.error instanceof Error ? all.error.message : all.error)}</span>}
        </p>
      )}
      <DataGrid
        title="Worst CTCAE grade per subject and term"
        footnote={leftOut > 0 ? `${footnote} · subject–term pairs graded 0 throughout not listed` : footnote}
        rows={worstRows}
        columnDefs={worstCols}
        testId="lab-worst"
        exportName="lab-worst-grade"
        onSubjectClick={review.openSubject}
        height={worstRows.length <= 30 ? 'auto' : 520}
      />

      <h2 className="section-title">Results not gradable</h2>
      {ngRows.length === 0 ? (
        <p className="muted">Every result of the graded tests could be graded.</p>
      ) : (
        <DataGrid title="Laboratory results not gradable" footnote={footnote} rows={ngRows} columnDefs={ngCols} testId="lab-not-gradable-grid" exportName="lab-not-gradable" onSubjectClick={review.openSubject} height="auto" />
      )}
    </>
  );
}
