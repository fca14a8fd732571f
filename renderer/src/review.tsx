import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Output, SnapshotInfo, StudyInfo } from '../../shared/contract';
import { invoke } from './api';
import { cutoffText, dose, isoDate, shortHash } from './format';
import type { NewSinceChoice, ReviewFilters, Selection } from './selection';
import { PLACEBO_COLOR, doseLevelColor } from './theme';
import { levelsText } from './exports';

export { levelsText };
import './review.css';

// The review selection shared by every view (issue 4 "Shared behaviour"): filters by dose level,
// part and subjects; "new since" an earlier snapshot (snapshot.changes); opening a subject's
// profile and coming back to where one was; presentation mode; the footnote every export carries.
// The state itself lives in the app's Selection (renderer/src/selection.ts, persisted); this
// context derives what views need from it.

export type Changes = Output<'snapshot.changes'>;

export interface SubjectKey {
  usubjid: string;
  /** Dose level (null: dose not in the plan — shown only when no dose-level filter is set). */
  level: number | null;
  part: string;
}

export interface NewSinceState {
  snapshotId: number | null;
  changes: Changes | null;
  newOnly: boolean;
  status: 'off' | 'loading' | 'ok' | 'error';
  error: unknown;
}

export interface Review {
  snapshot: SnapshotInfo | null;
  study: StudyInfo | null;
  /** The study's snapshots, newest first (the "new since" picker lists the earlier ones). */
  snapshots: SnapshotInfo[];
  filters: ReviewFilters;
  setFilters(patch: Partial<ReviewFilters>): void;
  /** True when the subject passes the dose-level, part, subject and "new only" filters. */
  inFilter(s: SubjectKey): boolean;
  newSince: NewSinceState;
  setNewSince(patch: Partial<NewSinceChoice>): void;
  /** New or changed since the "new since" snapshot (absent from it, or with an added/changed record). False when no comparison is chosen. */
  isNew(usubjid: string): boolean;
  /** 'new' = absent from the earlier snapshot's DM; 'changed' = present before, with added or changed records; null = unchanged or no comparison. */
  subjectStatus(usubjid: string): 'new' | 'changed' | null;
  /** True when the record (domain, row number in the current snapshot) was added or changed since the earlier snapshot. */
  isChangedRecord(domain: string, rowNo: number): boolean;
  /** Opens the patient profile of a subject; back() returns to the view (and scroll position) one came from. */
  openSubject(usubjid: string): void;
  back(): void;
  canGoBack: boolean;
  /** The subject the patient profile shows. */
  profileSubject: string | null;
  setProfileSubject(usubjid: string): void;
  presentation: boolean;
  setPresentation(on: boolean): void;
  /** The review filters in words ("DL6, escalation"), "all subjects" when nothing is filtered. */
  filtersText: string;
  /** The review filters in words when any is active (the presentation banner, "filtered:" wording), else null. */
  activeFilters: string | null;
  /** Subjects the current view shows and has in all (set by a view that counts them, for the filter banner); null when the view does not count. */
  viewCount: ViewCount | null;
  setViewCount(c: ViewCount | null): void;
  /** "Data cut-off 2025-11-21 · snapshot f60f51e6cec0 · filters: DL4–DL7, escalation" (+ " · extra"). */
  footnote(extra?: string): string;
  doseColor(level: number | null): string;
  doseLabel(level: number | null): string;
  /** The planned dose levels of the study definition, lowest first. */
  levels: { level: number; dose: number; unit: string }[];
  /** Changes the current view (by id). */
  goToView(id: string): void;
}

export interface ViewCount {
  view: string;
  shown: number;
  total: number;
  noun: string;
}

const ReviewContext = createContext<Review | null>(null);

export function useReview(): Review {
  const r = useContext(ReviewContext);
  if (!r) throw new Error('useReview() outside <ReviewProvider>');
  return r;
}

/** The filters in words, for footnotes: "all subjects" when nothing is filtered. */
export function filtersText(f: ReviewFilters, newSince: { snapshotId: number | null; newOnly: boolean }, base: SnapshotInfo | null): string {
  const parts: string[] = [];
  if (f.doseLevels) parts.push(levelsText(f.doseLevels));
  if (f.part !== 'all') parts.push(f.part);
  if (f.usubjids) parts.push(f.usubjids.length === 1 ? f.usubjids[0]! : `${f.usubjids.length} selected subjects`);
  if (newSince.snapshotId !== null && newSince.newOnly) parts.push(`new or changed since ${base ? isoDate(base.dataCutoff) : `snapshot ${newSince.snapshotId}`}`);
  return parts.length ? parts.join(', ') : 'all subjects';
}

interface BackEntry {
  view: string;
  subject: string | null;
  scrollY: number;
}

/** Scrolls back once the view has grown tall enough (it loads its data asynchronously), for up to 2 s. */
function restoreScroll(y: number): void {
  const until = performance.now() + 2000;
  const step = () => {
    if (document.documentElement.scrollHeight - window.innerHeight >= y - 1 || performance.now() > until) {
      window.scrollTo(0, y);
      return;
    }
    requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
}

export function ReviewProvider({
  selection,
  select,
  snapshot,
  study,
  snapshots,
  children,
}: {
  selection: Selection;
  select(patch: Partial<Selection>): void;
  snapshot: SnapshotInfo | null;
  study: StudyInfo | null;
  snapshots: SnapshotInfo[];
  children: ReactNode;
}) {
  const { filters, newSince: choice, presentation } = selection;
  const [changesState, setChangesState] = useState<{ key: string; status: 'loading' | 'ok' | 'error'; changes: Changes | null; error: unknown } | null>(null);
  const backStack = useRef<BackEntry[]>([]);
  const [backDepth, setBackDepth] = useState(0);

  // The "new since" base must be an earlier snapshot of the same study.
  const base = choice.snapshotId !== null && snapshot && choice.snapshotId !== snapshot.snapshotId ? (snapshots.find((s) => s.snapshotId === choice.snapshotId) ?? null) : null;
  const changesKey = base && snapshot ? `${base.snapshotId}:${snapshot.snapshotId}` : null;

  useEffect(() => {
    if (!changesKey || !base || !snapshot) {
      setChangesState(null);
      return;
    }
    let live = true;
    setChangesState({ key: changesKey, status: 'loading', changes: null, error: null });
    invoke('snapshot.changes', { base: base.snapshotId, target: snapshot.snapshotId }).then(
      (changes) => live && setChangesState({ key: changesKey, status: 'ok', changes, error: null }),
      (error: unknown) => live && setChangesState({ key: changesKey, status: 'error', changes: null, error }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- changesKey names the two snapshots compared; `base` and `snapshot` are looked up anew at every render (new objects, same snapshots): the comparison is fetched again when the pair changes, not at each render
  }, [changesKey]);

  const changes = changesState && changesState.key === changesKey ? changesState.changes : null;
  const sets = useMemo(() => {
    if (!changes) return null;
    return {
      added: new Set(changes.newSubjects),
      changed: new Set(changes.changedSubjects),
      records: new Set(changes.records.map((r) => `${r.domain.toUpperCase()}:${r.rowNo}`)),
    };
  }, [changes]);

  const subjectStatus = useCallback((u: string): 'new' | 'changed' | null => (!sets ? null : sets.added.has(u) ? 'new' : sets.changed.has(u) ? 'changed' : null), [sets]);
  const isNew = useCallback((u: string) => subjectStatus(u) !== null, [subjectStatus]);
  const isChangedRecord = useCallback((domain: string, rowNo: number) => !!sets && sets.records.has(`${domain.toUpperCase()}:${rowNo}`), [sets]);

  const newOnly = choice.newOnly && !!sets;
  const levelSet = useMemo(() => (filters.doseLevels ? new Set(filters.doseLevels) : null), [filters.doseLevels]);
  const subjectSet = useMemo(() => (filters.usubjids ? new Set(filters.usubjids) : null), [filters.usubjids]);
  const inFilter = useCallback(
    (s: SubjectKey) => {
      if (levelSet && (s.level === null || !levelSet.has(s.level))) return false;
      if (filters.part !== 'all' && s.part.toLowerCase() !== filters.part) return false;
      if (subjectSet && !subjectSet.has(s.usubjid)) return false;
      if (newOnly && !isNew(s.usubjid)) return false;
      return true;
    },
    [levelSet, subjectSet, filters.part, newOnly, isNew],
  );

  const setFilters = useCallback((patch: Partial<ReviewFilters>) => select({ filters: { ...filters, ...patch } }), [select, filters]);
  const setNewSince = useCallback((patch: Partial<NewSinceChoice>) => select({ newSince: { ...choice, ...patch } }), [select, choice]);
  const setPresentation = useCallback((on: boolean) => select({ presentation: on }), [select]);
  const setProfileSubject = useCallback((u: string) => select({ subject: u }), [select]);
  const goToView = useCallback((id: string) => select({ view: id }), [select]);

  const openSubject = useCallback(
    (usubjid: string) => {
      backStack.current.push({ view: selection.view, subject: selection.subject, scrollY: window.scrollY });
      setBackDepth(backStack.current.length);
      select({ view: 'profile', subject: usubjid });
      window.scrollTo(0, 0);
    },
    [select, selection.view, selection.subject],
  );
  const back = useCallback(() => {
    const e = backStack.current.pop();
    setBackDepth(backStack.current.length);
    if (!e) return;
    select({ view: e.view, subject: e.subject });
    restoreScroll(e.scrollY);
  }, [select]);

  const def = study?.definition ?? null;
  const levels = useMemo(() => (def ? [...def.doseLevels].sort((a, b) => a.level - b.level).map((l) => ({ level: l.level, dose: l.dose, unit: def.doseUnit })) : []), [def]);
  const doseLabel = useCallback(
    (level: number | null) => {
      if (level === null) return 'Dose not in plan';
      if (level === 0) return 'Placebo';
      const l = levels.find((x) => x.level === level);
      return l ? `DL${level} · ${dose(l.dose, l.unit)}` : `DL${level}`;
    },
    [levels],
  );
  // Placebo is level 0 (shared/placebo.ts): a neutral slate, distinct from "not in plan" grey.
  const doseColor = useCallback((level: number | null) => (level === null ? '#8a939f' : level === 0 ? PLACEBO_COLOR : doseLevelColor(level)), []);

  const fText = filtersText(filters, choice, base);
  const active = !!filters.doseLevels || filters.part !== 'all' || !!filters.usubjids || (base !== null && choice.newOnly);
  const [viewCountState, setViewCountState] = useState<ViewCount | null>(null);
  const setViewCount = useCallback((c: ViewCount | null) => setViewCountState((old) => (old && c && old.view === c.view && old.shown === c.shown && old.total === c.total && old.noun === c.noun ? old : c)), []);
  const footnote = useCallback(
    (extra?: string) => {
      const cutoff = cutoffText(snapshot);
      const text = `Data cut-off ${cutoff} · snapshot ${shortHash(snapshot?.contentHash)} · filters: ${fText}`;
      return extra ? `${text} · ${extra}` : text;
    },
    [snapshot, fText],
  );

  const value: Review = {
    snapshot,
    study,
    snapshots,
    filters,
    setFilters,
    inFilter,
    newSince: {
      snapshotId: base ? base.snapshotId : null,
      changes,
      newOnly: choice.newOnly,
      status: !changesKey ? 'off' : (changesState?.status ?? 'loading'),
      error: changesState?.error ?? null,
    },
    setNewSince,
    isNew,
    subjectStatus,
    isChangedRecord,
    openSubject,
    back,
    canGoBack: backDepth > 0,
    profileSubject: selection.subject,
    setProfileSubject,
    presentation,
    setPresentation,
    filtersText: fText,
    activeFilters: active ? fText : null,
    // Only the current view's count is shown: a count left by another view is ignored.
    viewCount: viewCountState && viewCountState.view === selection.view ? viewCountState : null,
    setViewCount,
    footnote,
    doseColor,
    doseLabel,
    levels,
    goToView,
  };
  return <ReviewContext.Provider value={value}>{children}</ReviewContext.Provider>;
}

/** A view states how many of its subjects (or records) pass the review filters, for the filter summary and the presentation banner. */
export function useViewCount(view: string, shown: number, total: number, noun: string): void {
  const { setViewCount } = useReview();
  useEffect(() => setViewCount({ view, shown, total, noun }), [setViewCount, view, shown, total, noun]);
}
