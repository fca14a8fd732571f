import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ImportResult, SnapshotInfo, StudyInfo } from '../../shared/contract';
import { invoke } from './api';
import { AuthProvider, UserBadge } from './auth';
import { FilterBanner, FilterBar } from './components/FilterBar';
import { ImportDialog } from './components/ImportDialog';
import { ErrorState, LoadingState } from './components/States';
import { cutoffText, shortHash } from './format';
import { ReviewProvider, useReview } from './review';
import { loadSelection, saveSelection, type Selection } from './selection';
import { findView, VIEW_GROUPS, VIEWS } from './views';

// The app shell: top bar (product, study and snapshot picker, import), the views' navigation and
// the current view. The selection is one for the whole app and survives a restart.

type Loaded = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ok'; studies: StudyInfo[]; snapshots: SnapshotInfo[] };

/** A snapshot as the picker shows it: data cut-off, label, hash prefix. */
export function snapshotOptionText(s: SnapshotInfo): string {
  return `${cutoffText(s)} · ${s.label} · ${shortHash(s.contentHash)}`;
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

  const reviewViews = useMemo(() => VIEWS.filter((v) => v.group === 'review'), []);

  return (
    <AuthProvider>
    <ReviewProvider selection={selection} select={select} snapshot={snapshot} study={study} snapshots={loaded.status === 'ok' ? loaded.snapshots : []}>
    <Keyboard views={VIEWS} current={view.id} />
    <div className={`app${selection.presentation ? ' presentation' : ''}`}>
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
          <UserBadge />
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
          {view.group === 'review' && snapshot && <FilterBar />}
          {selection.presentation && <PresentationBar views={reviewViews} current={view.id} />}
          {selection.presentation && view.group === 'review' && snapshot && <FilterBanner />}
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
    </ReviewProvider>
    </AuthProvider>
  );
}

/** True when a key press belongs to a text field, a select or a grid cell editor (keyboard shortcuts leave those alone). */
function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || el.isContentEditable || !!el.closest('[role=dialog]');
}

/**
 * Keyboard navigation: Alt+1…9 opens the n-th view, [ and ] the previous / next view, P toggles
 * presentation mode (Escape leaves it), Alt+← goes back. J/K (previous/next subject) belong to the profile view.
 */
function Keyboard({ views, current }: { views: { id: string }[]; current: string }) {
  const r = useReview();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || typingIn(e.target)) return;
      const i = views.findIndex((v) => v.id === current);
      if (e.altKey && /^Digit[1-9]$/.test(e.code)) {
        const v = views[Number(e.code.slice(5)) - 1];
        if (v) {
          e.preventDefault();
          r.goToView(v.id);
        }
      } else if (e.altKey && e.key === 'ArrowLeft') {
        if (r.canGoBack) {
          e.preventDefault();
          r.back();
        }
      } else if (e.altKey) {
        return;
      } else if (e.key === '[' || e.key === ']') {
        const v = views[(i + (e.key === ']' ? 1 : -1) + views.length) % views.length];
        if (v) r.goToView(v.id);
      } else if (e.key === 'p' || e.key === 'P') {
        r.setPresentation(!r.presentation);
      } else if (e.key === 'Escape' && r.presentation) {
        r.setPresentation(false);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [views, current, r]);
  return null;
}

/** In presentation mode the chrome is hidden: a small bar keeps Back, the review views and the way out. */
function PresentationBar({ views, current }: { views: { id: string; label: string }[]; current: string }) {
  const r = useReview();
  return (
    <nav className="present-bar" aria-label="Presentation">
      {r.canGoBack && (
        <button type="button" className="btn btn-small" onClick={r.back}>
          ← Back
        </button>
      )}
      {views.map((v) => (
        <button key={v.id} type="button" className="btn btn-small btn-quiet" aria-current={v.id === current ? 'page' : undefined} onClick={() => r.goToView(v.id)}>
          {v.label}
        </button>
      ))}
      <button type="button" className="btn btn-small" onClick={() => r.setPresentation(false)} data-testid="presentation-exit">
        Exit presentation <kbd>P</kbd>
      </button>
    </nav>
  );
}
