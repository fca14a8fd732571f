import type { ColDef } from 'ag-grid-community';
import { useMemo } from 'react';
import type { Output } from '../../../shared/contract';
import { invoke } from '../api';
import { DataGrid, type Row } from './DataGrid';
import { groupLevel } from './LabFigures';
import { ErrorState, LoadingState } from './States';
import { count } from '../format';
import { useReview } from '../review';
import { useCall } from '../useCall';

// The concomitant medications listing (cm.listing, shared/conmeds.ts): per subject and dose level, each
// medication placed against the first dose and the DLT window; those that started in the window (or may
// have, by a partial date) marked.

type CmListing = Output<'cm.listing'>;

export function CmSection({ snapshotId, dataVersion }: { snapshotId: number; dataVersion: number }) {
  const [state, retry] = useCall<CmListing>(() => invoke('cm.listing', { snapshotId }), [snapshotId, dataVersion]);
  return (
    <>
      <h2 className="section-title" id="cm-title">
        Concomitant medications
      </h2>
      {state.status === 'loading' || state.status === 'idle' ? (
        <LoadingState what="the concomitant medications" />
      ) : state.status === 'error' ? (
        <ErrorState title="The concomitant medications could not be loaded" error={state.error} onRetry={retry} />
      ) : !state.data.present ? (
        <p className="muted" data-testid="cm-absent">
          This snapshot has no CM domain: no concomitant medication to list.
        </p>
      ) : (
        <CmBody data={state.data} />
      )}
    </>
  );
}

function CmBody({ data }: { data: CmListing }) {
  const review = useReview();
  const label = (key: string) => data.groups.find((g) => g.key === key)?.label ?? key;
  const shown = data.rows.filter((r) => review.inFilter({ usubjid: r.usubjid, level: groupLevel(r.group), part: r.part }));
  const rows = useMemo<Row[]>(
    () =>
      shown.map((r) => ({
        usubjid: r.usubjid,
        level: label(r.group),
        medication: r.cmdecod ?? r.cmtrt ?? '(no CMTRT)',
        cmtrt: r.cmtrt,
        cmclas: r.cmclas,
        cmindc: r.cmindc,
        dose: [r.dose, r.cmdosu].filter(Boolean).join(' '),
        cmdosfrq: r.cmdosfrq,
        cmroute: r.cmroute,
        cmstdtc: r.cmstdtc,
        cmendtc: r.cmendtc,
        startDay: r.startDay,
        endDay: r.endDay,
        ongoing: r.ongoing === null ? 'unknown' : r.ongoing ? 'ongoing' : '',
        timing: r.timing,
        rowNo: r.rowNo,
      })),
    [shown], // eslint-disable-line react-hooks/exhaustive-deps -- label reads data, which shown derives from
  );
  const cols = useMemo<ColDef<Row>[]>(
    () => [
      { headerName: 'Subject', field: 'usubjid', pinned: 'left', minWidth: 160 },
      { headerName: 'Dose level', field: 'level', minWidth: 140 },
      { headerName: 'Medication (CMDECOD)', field: 'medication', minWidth: 180 },
      { headerName: 'Started', field: 'timing', minWidth: 170, cellClass: (p) => (String(p.value).includes('DLT window') && !String(p.value).startsWith('after') ? 'cell-flag' : '') },
      { headerName: 'Start', field: 'cmstdtc', minWidth: 110 },
      { headerName: 'Start day', field: 'startDay', type: 'numericColumn', minWidth: 90 },
      { headerName: 'End', field: 'cmendtc', minWidth: 110 },
      { headerName: 'End day', field: 'endDay', type: 'numericColumn', minWidth: 90 },
      { headerName: 'Ongoing', field: 'ongoing', minWidth: 90 },
      { headerName: 'Indication', field: 'cmindc', minWidth: 170 },
      { headerName: 'Dose', field: 'dose', minWidth: 90 },
      { headerName: 'Frequency', field: 'cmdosfrq', minWidth: 90 },
      { headerName: 'Route', field: 'cmroute', minWidth: 110 },
      { headerName: 'Class (CMCLAS)', field: 'cmclas', minWidth: 200, hide: true },
      { headerName: 'Verbatim (CMTRT)', field: 'cmtrt', minWidth: 180, hide: true },
    ],
    [],
  );
  const inWindow = shown.filter((r) => r.timing === 'in DLT window').length;
  const possibly = shown.filter((r) => r.timing === 'possibly in DLT window').length;
  const footnote = review.footnote(`DLT window days 1–${data.dltWindowDays} (day 1 = first dose); partial start dates placed by the range they may stand for`);
  return (
    <>
      <p className="view-facts" data-testid="cm-facts">
        <span>
          <strong>{count(shown.length)}</strong> medication records
        </span>
        <span className={inWindow ? 'warn' : undefined}>
          <strong>{count(inWindow)}</strong> started in the DLT window
        </span>
        {possibly > 0 && (
          <span className="warn">
            <strong>{count(possibly)}</strong> possibly in the DLT window (partial start date)
          </span>
        )}
      </p>
      {data.notes.length > 0 && (
        <ul className="rule-warnings" data-testid="cm-notes">
          {data.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      <DataGrid
        title="Concomitant medications"
        footnote={footnote}
        rows={rows}
        columnDefs={cols}
        testId="cm-listing"
        exportName="concomitant-medications"
        onSubjectClick={review.openSubject}
        groupable={[{ field: 'level', headerName: 'Dose level' }, { field: 'usubjid', headerName: 'Subject' }, { field: 'timing', headerName: 'Started' }]}
        recordDomain="CM"
        height={rows.length <= 30 ? 'auto' : 520}
      />
    </>
  );
}
