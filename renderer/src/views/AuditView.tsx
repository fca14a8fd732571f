import type { ColDef } from 'ag-grid-community';
import { useEffect, useMemo, useState } from 'react';
import type { AuditEntry, AuditVerifyResult } from '../../../shared/api/meetings';
import { invoke } from '../api';
import { errorText } from '../auth';
import { DataGrid } from '../components/DataGrid';
import { ErrorState, LoadingState } from '../components/States';
import { whenText } from '../components/meeting/labels';
import { auditChangeText } from '../auditText';
import { plural, shortHash } from '../format';
import type { ViewProps } from './types';

// The audit trail (21 CFR 11.10(e); Annex 11 §9): append-only, written by the system, hash-chained.
// Filters by user, action, entity and time go to audit.list; the grid adds sorting, search and CSV
// export; "Verify chain" recomputes the chain (audit.verify) and names the first broken entry.

interface Row extends Record<string, unknown> {
  seq: number;
  at: string;
  user: string;
  action: string;
  entity: string;
  entityId: string;
  changes: string;
  oldValue: string;
  newValue: string;
  reason: string;
  hash: string;
}

/** A value as one line of text for the grid and the CSV (JSON for objects). */
export function valueText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function toRow(e: AuditEntry): Row {
  return { seq: e.seq, at: e.at, user: e.user, action: e.action, entity: e.entity, entityId: e.entityId ?? '', changes: auditChangeText(e.oldValue, e.newValue), oldValue: valueText(e.oldValue), newValue: valueText(e.newValue), reason: e.reason ?? '', hash: e.hash };
}

interface Filters {
  user: string;
  action: string;
  entity: string;
  from: string;
  to: string;
}
const NO_FILTERS: Filters = { user: '', action: '', entity: '', from: '', to: '' };

export function AuditView({ dataVersion }: ViewProps) {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [all, setAll] = useState<AuditEntry[] | null>(null);
  const [state, setState] = useState<{ status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ok'; rows: Row[] }>({ status: 'loading' });
  const [verify, setVerify] = useState<{ busy: boolean; result: AuditVerifyResult | null; error: string | null }>({ busy: false, result: null, error: null });
  const [reload, setReload] = useState(0);
  // Old → new as readable field changes; the raw JSON on demand.
  const [raw, setRaw] = useState(false);

  // Every entry once, for the choices of the filters.
  useEffect(() => {
    invoke('audit.list', {}).then(setAll, () => setAll([]));
  }, [dataVersion, reload]);

  useEffect(() => {
    let live = true;
    const input = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== '')) as Partial<Filters>;
    invoke('audit.list', input).then(
      (entries) => live && setState({ status: 'ok', rows: entries.map(toRow) }),
      (error: unknown) => live && setState({ status: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [filters, dataVersion, reload]);

  const choices = useMemo(() => {
    const set = (k: 'user' | 'action' | 'entity') => [...new Set((all ?? []).map((e) => e[k]))].sort();
    return { user: set('user'), action: set('action'), entity: set('entity') };
  }, [all]);

  const columns = useMemo<ColDef<Row>[]>(
    () => [
      { field: 'seq', headerName: '#', pinned: 'left', width: 80, filter: 'agNumberColumnFilter', sort: 'desc' },
      { field: 'at', headerName: 'When', pinned: 'left', width: 250, cellDataType: 'text', valueFormatter: (p) => whenText(p.value as string) },
      { field: 'user', headerName: 'User', width: 130 },
      { field: 'action', headerName: 'Action', width: 140 },
      { field: 'entity', headerName: 'Entity', width: 120 },
      { field: 'entityId', headerName: 'Id', width: 80 },
      { field: 'changes', headerName: 'Changes (old → new)', flex: 2, minWidth: 320, tooltipField: 'changes', hide: raw },
      { field: 'oldValue', headerName: 'Old value (JSON)', flex: 1, minWidth: 200, tooltipField: 'oldValue', hide: !raw },
      { field: 'newValue', headerName: 'New value (JSON)', flex: 2, minWidth: 260, tooltipField: 'newValue', hide: !raw },
      { field: 'reason', headerName: 'Reason', flex: 1, minWidth: 180, tooltipField: 'reason' },
      { field: 'hash', headerName: 'Entry hash', width: 140, valueFormatter: (p) => shortHash(p.value as string) },
    ],
    [raw],
  );

  const filterText = Object.entries(filters)
    .filter(([, v]) => v)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

  const runVerify = async () => {
    setVerify({ busy: true, result: null, error: null });
    try {
      setVerify({ busy: false, result: await invoke('audit.verify', {}), error: null });
    } catch (e) {
      setVerify({ busy: false, result: null, error: errorText(e) });
    }
  };

  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setFilters((f) => ({ ...f, [k]: e.target.value }));

  return (
    <div className="view audit-view" data-testid="audit-view">
      <header className="view-header">
        <h1>Audit trail</h1>
        <p className="view-sub">Every login, failed login, creation, change (old → new, reason), lock, signature, amendment, export and λz choice, written by the system. Each entry carries the hash of the one before it.</p>
      </header>

      <div className="audit-tools">
        <form className="audit-filters" aria-label="Filter the audit trail" onSubmit={(e) => e.preventDefault()}>
          {(['user', 'action', 'entity'] as const).map((k) => (
            <label key={k} className="picker">
              <span className="picker-label">{k[0]!.toUpperCase() + k.slice(1)}</span>
              <select className="input" value={filters[k]} onChange={set(k)} data-testid={`audit-filter-${k}`}>
                <option value="">All</option>
                {choices[k].map((v) => (
                  <option key={v} value={v}>
                    {v}
                  </option>
                ))}
              </select>
            </label>
          ))}
          <label className="picker">
            <span className="picker-label">From</span>
            <input className="input" type="date" value={filters.from} onChange={set('from')} data-testid="audit-filter-from" />
          </label>
          <label className="picker">
            <span className="picker-label">To</span>
            <input className="input" type="date" value={filters.to} onChange={set('to')} data-testid="audit-filter-to" />
          </label>
          <button type="button" className="btn btn-small" onClick={() => setFilters(NO_FILTERS)} disabled={!filterText}>
            Clear
          </button>
          <button type="button" className="btn btn-small btn-quiet" onClick={() => setReload((r) => r + 1)}>
            Refresh
          </button>
          <label className="picker picker-check">
            <input type="checkbox" checked={raw} onChange={(e) => setRaw(e.target.checked)} data-testid="audit-raw" />
            <span>Show raw JSON</span>
          </label>
        </form>
        <div className="audit-verify">
          <button type="button" className="btn btn-primary" onClick={() => void runVerify()} disabled={verify.busy} data-testid="audit-verify">
            {verify.busy ? 'Verifying…' : 'Verify chain'}
          </button>
        </div>
      </div>

      {verify.error && (
        <p className="form-problem" role="alert">
          {verify.error}
        </p>
      )}
      {verify.result && (
        <div className={`banner ${verify.result.ok ? 'banner-success' : 'banner-danger'}`} role="status" data-testid="audit-verify-result" data-ok={verify.result.ok}>
          {verify.result.ok ? (
            <>
              <strong>Chain intact:</strong> {verify.result.entries} entries recomputed; last hash <span className="mono">{shortHash(verify.result.lastHash)}</span>…
            </>
          ) : (
            <>
              <strong>Chain broken at entry {verify.result.firstBroken?.seq}</strong> (position {verify.result.firstBroken?.position}): {verify.result.firstBroken?.problem}
            </>
          )}
        </div>
      )}

      {state.status === 'loading' && <LoadingState what="the audit trail" />}
      {state.status === 'error' && <ErrorState title="The audit trail could not be read" error={state.error} onRetry={() => setReload((r) => r + 1)} />}
      {state.status === 'ok' && (
        <DataGrid<Row>
          key={raw ? 'raw' : 'words' /* the grid reads the hidden columns once */}
          title="Audit trail"
          footnote={`${plural(state.rows.length, "entry", "entries")} · filters: ${filterText || 'none'} · exported ${whenText(new Date().toISOString().replace(/\.\d+Z$/, 'Z'))}`}
          rows={state.rows}
          columnDefs={columns}
          testId="audit-grid"
          exportName="audit-trail"
          subjectField="__none"
          height={560}
        />
      )}
    </div>
  );
}
