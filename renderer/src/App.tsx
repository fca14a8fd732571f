import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ImportResult, SnapshotInfo, StudyInfo } from '../../shared/contract';
import { invoke } from './api';
import { ImportDialog } from './components/ImportDialog';
import { ErrorState, LoadingState } from './components/States';
import { isoDate, shortHash } from './format';
import { loadSelection, saveSelection, type Selection } from './selection';
import { findView, VIEW_GROUPS, VIEWS } from './views';

// The app shell: top bar (product, study and snapshot picker, import), the views' navigation and
// the current view. The selection is one for the whole app and survives a restart.

type Loaded = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ok'; studies: StudyInfo[]; snapshots: SnapshotInfo[] };

/** A snapshot as the picker shows it: data cut-off, label, hash prefix. */
export function snapshotOptionText(s: SnapshotInfo): string {
  return `${isoDate(s.dataCutoff)} · ${s.label} · ${shortHash(s.contentHash)}`;
}

export function App() {
  const [selection, setSelection] = useState<Selection>(loadSelection);
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [dataVersion, setDataVersion] = useState(0);
  const [importOpen, setImportOpen] = useState(false);

  const select = useCallback((patch: Partial<Selection>) => {
    setSelection((s) => {
      const next = { ...s, ...patch };
      saveSelection(next);
      return next;
    });
  }, []);

  // Studies, then the chosen study's snapshots (newest first). A stored choice that no longer exists falls back to the first study / newest snapshot.
  useEffect(() => {
    let live = true;
    (async () => {
      const studies = await invoke('studies.list', {});
      const study = studies.find((s) => s.studyId === selection.studyId) ?? studies[0] ?? null;
      const snapshots = study ? await invoke('snapshots.list', { studyId: study.studyId }) : [];
      if (!live) return;
      setLoaded({ status: 'ok', studies, snapshots });
      const snap = snapshots.find((s) => s.snapshotId === selection.snapshotId) ?? snapshots[0] ?? null;
      if ((study?.studyId ?? null) !== selection.studyId || (snap?.snapshotId ?? null) !== selection.snapshotId) {
        select({ studyId: study?.studyId ?? null, snapshotId: snap?.snapshotId ?? null });
      }
    })().catch((error: unknown) => live && setLoaded({ status: 'error', error }));
    return () => {
      live = false;
    };
  }, [selection.studyId, selection.snapshotId, dataVersion, select]);

  const study = loaded.status === 'ok' ? (loaded.studies.find((s) => s.studyId === selection.studyId) ?? null) : null;
  const snapshot = loaded.status === 'ok' ? (loaded.snapshots.find((s) => s.snapshotId === selection.snapshotId) ?? null) : null;
  const view = findView(selection.view);
  const View = view.component;

  const onImported = useCallback(
    (r: ImportResult) => {
      if (r.studyId && r.snapshotId) select({ studyId: r.studyId, snapshotId: r.snapshotId });
      setDataVersion((v) => v + 1);
    },
    [select],
  );

  const groups = useMemo(() => Object.entries(VIEW_GROUPS).map(([g, title]) => ({ title, views: VIEWS.filter((v) => v.group === g) })).filter((g) => g.views.length), []);

  useEffect(() => {
    document.title = `${view.label} — ${study ? `${study.studyId} — ` : ''}DoseDesk`;
  }, [view.label, study]);

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">DoseDesk</span>
        </div>
        <div className="pickers">
          <label className="picker">
            <span className="picker-label">Study</span>
            <select
              className="input"
              data-testid="study-picker"
              value={study?.studyId ?? ''}
              disabled={loaded.status !== 'ok' || loaded.studies.length === 0}
              onChange={(e) => select({ studyId: e.target.value, snapshotId: null })}
            >
              {loaded.status === 'ok' && loaded.studies.length === 0 && <option value="">No study yet</option>}
              {loaded.status === 'ok' &&
                loaded.studies.map((s) => (
                  <option key={s.studyId} value={s.studyId}>
                    {s.studyId}
                  </option>
                ))}
            </select>
          </label>
          <label className="picker picker-wide">
            <span className="picker-label">Snapshot</span>
            <select
              className="input mono-nums"
              data-testid="snapshot-picker"
              value={snapshot?.snapshotId ?? ''}
              disabled={loaded.status !== 'ok' || loaded.snapshots.length === 0}
              onChange={(e) => select({ snapshotId: Number(e.target.value) })}
            >
              {loaded.status === 'ok' && loaded.snapshots.length === 0 && <option value="">No snapshot yet</option>}
              {loaded.status === 'ok' &&
                loaded.snapshots.map((s) => (
                  <option key={s.snapshotId} value={s.snapshotId}>
                    {snapshotOptionText(s)}
                  </option>
                ))}
            </select>
          </label>
        </div>
        <div className="topbar-actions">
          <button type="button" className="btn btn-primary" onClick={() => setImportOpen(true)}>
            Import snapshot…
          </button>
        </div>
      </header>

      <div className="body">
        <nav className="sidenav" aria-label="Views">
          <div className="sidenav-inner">
          {study && (
            <div className="study-card" title={study.title ?? undefined}>
              <div className="study-id">{study.studyId}</div>
              {study.title && <div className="study-title">{study.title}</div>}
            </div>
          )}
          {groups.map((g) => (
            <div key={g.title} className="nav-group">
              <div className="nav-group-title">{g.title}</div>
              <ul>
                {g.views.map((v) => (
                  <li key={v.id}>
                    <button type="button" className="nav-item" aria-current={v.id === view.id ? 'page' : undefined} onClick={() => select({ view: v.id })}>
                      {v.label}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ))}
          </div>
        </nav>
        <main className="main" id="main">
          {loaded.status === 'loading' ? (
            <LoadingState what="studies and snapshots" />
          ) : loaded.status === 'error' ? (
            <ErrorState title="DoseDesk could not read its database" error={loaded.error} onRetry={() => setDataVersion((v) => v + 1)} />
          ) : (
            <View study={study} snapshot={snapshot} onImport={() => setImportOpen(true)} dataVersion={dataVersion} />
          )}
        </main>
      </div>

      <ImportDialog open={importOpen} onClose={() => setImportOpen(false)} onImported={onImported} />
    </div>
  );
}
