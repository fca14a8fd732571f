import type { CSSProperties } from 'react';
import { count, isoDate, shortHash } from '../format';
import { levelsText, useReview } from '../review';
import { filterBannerText } from '../exports';

// The review filter bar of the app shell: dose levels as colour chips, part, "new since" an
// earlier snapshot with "new only", the subject selection, Back and presentation mode.

export function FilterBar() {
  const r = useReview();
  const { filters, setFilters, levels, snapshot, snapshots, newSince, setNewSince } = r;
  const chosen = filters.doseLevels ? new Set(filters.doseLevels) : null;
  const earlier = snapshots.filter((s) => snapshot && s.snapshotId !== snapshot.snapshotId && (s.dataCutoff ?? s.importedAt) <= (snapshot.dataCutoff ?? snapshot.importedAt));

  const toggleLevel = (level: number) => {
    // From "All", a click selects that level alone; then each click adds or removes a level.
    const all = levels.map((l) => l.level);
    if (!chosen) {
      setFilters({ doseLevels: [level] });
      return;
    }
    const cur = new Set(chosen);
    if (cur.has(level)) cur.delete(level);
    else cur.add(level);
    const next = all.filter((l) => cur.has(l));
    setFilters({ doseLevels: next.length === all.length || next.length === 0 ? null : next });
  };

  return (
    <div className="filterbar" role="region" aria-label="Review filters" data-testid="filter-bar">
      {r.canGoBack && (
        <button type="button" className="btn btn-small" onClick={r.back} data-testid="back" title="Back (Alt+←)">
          ← Back
        </button>
      )}
      {levels.length > 0 && (
        <div className="filter-group" role="group" aria-label="Dose levels">
          <span className="picker-label">Dose levels</span>
          <button type="button" className="chip" aria-pressed={!chosen} onClick={() => setFilters({ doseLevels: null })} data-testid="level-chip-all">
            All
          </button>
          {levels.map((l) => (
            <button
              key={l.level}
              type="button"
              className="chip chip-level"
              aria-pressed={!!chosen && chosen.has(l.level)}
              style={{ '--chip': r.doseColor(l.level) } as CSSProperties}
              onClick={() => toggleLevel(l.level)}
              title={r.doseLabel(l.level)}
              data-testid={`level-chip-${l.level}`}
            >
              <span className="chip-dot" aria-hidden="true" />
              DL{l.level}
            </button>
          ))}
        </div>
      )}
      <label className="picker">
        <span className="picker-label">Part</span>
        <select className="input input-compact" value={filters.part} onChange={(e) => setFilters({ part: e.target.value as typeof filters.part })} data-testid="part-filter">
          <option value="all">All</option>
          <option value="escalation">Escalation</option>
          <option value="expansion">Expansion</option>
        </select>
      </label>
      <label className="picker">
        <span className="picker-label">New since</span>
        <select
          className="input input-compact mono-nums"
          value={newSince.snapshotId ?? ''}
          onChange={(e) => setNewSince({ snapshotId: e.target.value ? Number(e.target.value) : null })}
          disabled={earlier.length === 0}
          data-testid="new-since"
        >
          <option value="">{earlier.length === 0 ? 'No earlier snapshot' : 'No comparison'}</option>
          {earlier.map((s) => (
            <option key={s.snapshotId} value={s.snapshotId}>
              {isoDate(s.dataCutoff)} · {s.label} · {shortHash(s.contentHash)}
            </option>
          ))}
        </select>
      </label>
      <label className={`check${newSince.snapshotId === null ? ' disabled' : ''}`}>
        <input type="checkbox" checked={newSince.newOnly} disabled={newSince.snapshotId === null} onChange={(e) => setNewSince({ newOnly: e.target.checked })} data-testid="new-only" />
        New only
      </label>
      {newSince.status === 'ok' && newSince.changes && (
        <span className="filter-info" data-testid="new-since-summary">
          {count(newSince.changes.newSubjects.length)} new, {count(newSince.changes.changedSubjects.length - newSince.changes.newSubjects.length)} changed subjects
        </span>
      )}
      {newSince.status === 'loading' && <span className="filter-info">Comparing…</span>}
      {newSince.status === 'error' && (
        <span className="filter-info filter-error" role="alert">
          The comparison failed: {newSince.error instanceof Error ? newSince.error.message : String(newSince.error)}
        </span>
      )}
      {filters.usubjids && (
        <span className="chip chip-static" data-testid="subject-filter">
          {filters.usubjids.length === 1 ? filters.usubjids[0] : `${count(filters.usubjids.length)} subjects`}
          <button type="button" className="chip-x" aria-label="Clear the subject selection" onClick={() => setFilters({ usubjids: null })}>
            ×
          </button>
        </span>
      )}
      {(filters.doseLevels || filters.part !== 'all' || filters.usubjids) && (
        <button type="button" className="btn btn-small btn-quiet" onClick={() => setFilters({ doseLevels: null, part: 'all', usubjids: null })} title={`Showing ${filters.doseLevels ? levelsText(filters.doseLevels) : 'all levels'}`}>
          Clear filters
        </button>
      )}
      <FilterSummary className="filter-info filter-summary" testId="filter-summary" />
      <span className="filterbar-spacer" />
      <button type="button" className="btn btn-small" aria-pressed={r.presentation} onClick={() => r.setPresentation(!r.presentation)} data-testid="presentation-toggle" title="Presentation mode (P)">
        {r.presentation ? 'Exit presentation' : 'Present'} <kbd>P</kbd>
      </button>
    </div>
  );
}

/** "Filtered: DL6 · 12 of 25 subjects" while a review filter is active (nothing otherwise). */
function FilterSummary({ className, testId }: { className: string; testId: string }) {
  const r = useReview();
  const text = filterBannerText(r.activeFilters, r.viewCount);
  if (!text) return null;
  return (
    <span className={className} data-testid={testId} role="status">
      {text}
    </span>
  );
}

/**
 * Presentation mode hides the filter bar: this compact banner keeps the active filters (and, where
 * the view counts them, the subjects shown of all) in sight, so that no number on the wall is read
 * as the whole study's by mistake. Nothing when no filter is active.
 */
export function FilterBanner() {
  const r = useReview();
  if (!r.activeFilters) return null;
  return (
    <div className="filter-banner" role="region" aria-label="Active filters">
      <FilterSummary className="filter-banner-text" testId="filter-banner" />
      <button type="button" className="btn btn-small btn-quiet" onClick={() => r.setFilters({ doseLevels: null, part: 'all', usubjids: null })} data-testid="filter-banner-clear">
        Clear filters
      </button>
    </div>
  );
}
