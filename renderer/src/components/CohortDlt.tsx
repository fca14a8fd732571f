import { Fragment, useEffect, useMemo, useState, type CSSProperties, type ReactNode } from 'react';
import type { Output } from '../../../shared/contract';
import { invoke } from '../api';
import { count, isoDate, plural, shortHash } from '../format';
import { useReview } from '../review';
import { PART_LABELS } from '../theme';
import { useCall } from '../useCall';
import { markWhenShown } from '../drawnMark';
import { EmptyState, ErrorState, LoadingState } from './States';
import { ReviewBadge } from './ReviewMarks';
import { downloadTableCsv } from './tableExport';
import { DLT_CSV_HEADER, dltCsvRows } from '../tableCsv';
import { cohortFilterText } from '../exports';
import { ACTION_LABELS, DESIGN_LABELS } from '../../../shared/escalation/vocabulary';

// The Cohorts view's decision panel: per dose level the DLT table (safety.dltTable: each subject's
// first dose, window end or days left, evaluable or why not, DLTs, possible DLTs not flagged), the
// protocol rule's recommendation with its explanation, BOIN and mTPI-2 beside it for context, and
// what changed since the previous snapshot (or the "new since" one).

type DltTable = Output<'safety.dltTable'>;
type Rule = DltTable['recommendation'];
type Level = DltTable['levels'][number];
type Subj = Level['subjects'][number];

// The rule engine's words are the shared ones (shared/escalation/vocabulary.ts): the meeting screen
// and the signed minutes print the same (issue 13 "one vocabulary").
const DESIGN_LABEL: Record<Rule['design'], string> = DESIGN_LABELS;

export function actionText(action: string | null): string {
  if (!action) return 'No decision';
  return ACTION_LABELS[action] ?? action;
}

function ruleLevel(r: Rule): string {
  if (r.nextLevel !== null) return `next: DL${r.nextLevel}`;
  if (r.recommendedLevel !== null) return `recommended: DL${r.recommendedLevel}`;
  return '';
}

function RuleCard({ rule, main, testId }: { rule: Rule; main?: boolean; testId: string }) {
  return (
    <article className={`rule-card${main ? ' rule-main' : ''}`} data-testid={testId} aria-label={`${DESIGN_LABEL[rule.design]} ${main ? 'protocol rule' : 'for context'}`}>
      <header>
        <span className="rule-design">{DESIGN_LABEL[rule.design]}</span>
        <span className="muted">{main ? 'protocol rule' : 'for context'}</span>
      </header>
      <div className="rule-action" data-testid={`${testId}-action`} data-action={rule.action ?? ''}>
        {actionText(rule.action)} <span className="rule-level">{ruleLevel(rule)}</span>
      </div>
      <p className="rule-expl" data-testid={`${testId}-explanation`}>
        {rule.explanation}
      </p>
      {!rule.determined && rule.whenComplete && (
        <p className="rule-when">
          When the pending windows complete without DLT: <b>{actionText(rule.whenComplete.action)}</b>
          {rule.whenComplete.nextLevel !== null ? ` (DL${rule.whenComplete.nextLevel})` : ''}.
        </p>
      )}
      {rule.pending > 0 && <p className="rule-when">{plural(rule.pending, 'subject')} still inside the DLT window.</p>}
      {rule.warnings.length > 0 && (
        <ul className="rule-warnings">
          {rule.warnings.map((w, i) => (
            <li key={i}>{w}</li>
          ))}
        </ul>
      )}
    </article>
  );
}

/** Where the end of treatment came from (shared/endOfTreatment.ts); the cell's tooltip gives the record. */
const EOT_SOURCE: Record<string, string> = { DS: 'DS treatment disposition', EXENDTC: 'last exposure (EXENDTC)', EXSTDTC: 'last dose (EXSTDTC)', RFXENDTC: 'DM RFXENDTC' };

const STATUS_TEXT: Record<Subj['status'], string> = { dlt: 'DLT', completed: 'Completed', 'in-window': 'In window', 'not-evaluable': 'Not evaluable' };

function SubjectRow({ s, onOpen, mark, snapshotId }: { s: Subj; onOpen(u: string): void; mark: 'new' | 'changed' | null; snapshotId: number }) {
  return (
    <tr data-testid="dlt-subject" data-usubjid={s.usubjid} data-status={s.status}>
      <th scope="row">
        <button type="button" className="link mono" onClick={() => onOpen(s.usubjid)}>
          {s.usubjid}
        </button>
        {mark && <span className={`badge badge-${mark}`}>{mark}</span>}
        <ReviewBadge snapshotId={snapshotId} usubjid={s.usubjid} />
      </th>
      <td className="mono-nums">{isoDate(s.firstDoseDtc)}</td>
      <td className="mono-nums" data-col="window">
        {s.status === 'in-window' ? (
          <span className="pill pill-warning">{plural(s.daysLeft ?? 0, 'day')} left</span>
        ) : null}{' '}
        <span className={s.status === 'in-window' ? '' : 'muted'}>ends {isoDate(s.windowEndDtc)}</span>
      </td>
      <td data-col="evaluable">
        <span className={`status status-${s.status}`}>{STATUS_TEXT[s.status]}</span>
        <span className="muted"> · {s.evaluable ? 'evaluable' : 'not evaluable'}</span>
        {!s.evaluable || s.status === 'dlt' ? <div className="reason">{s.reason}</div> : null}
      </td>
      <td data-col="eot" className="mono-nums">
        {s.endOfTreatment ? (
          <span title={s.endOfTreatment.detail} data-testid="eot">
            {isoDate(s.endOfTreatment.dtc)} <span className="muted eot-source" data-testid="eot-source">{EOT_SOURCE[s.endOfTreatment.source ?? ''] ?? s.endOfTreatment.source ?? ''}</span>
          </span>
        ) : (
          <span className="muted">ongoing</span>
        )}
      </td>
      <td data-col="dlts">
        {s.dlts.length === 0 ? (
          <span className="muted">none</span>
        ) : (
          s.dlts.map((a, i) => (
            <div key={i}>
              <span className="pill pill-danger">G{a.grade ?? '?'}</span> {a.aedecod ?? a.aeterm} <span className="muted">day {a.studyDay ?? '?'}</span>
            </div>
          ))
        )}
      </td>
      <td data-col="possible">
        {s.possibleDlts.length === 0 && s.ungradedNotScreened.length === 0 && s.possibleDltLabs.length === 0 ? (
          <span className="muted">none</span>
        ) : (
          s.possibleDlts.map((a, i) => (
            <div key={i} className="possible-dlt">
              ⚠ G{a.grade ?? '?'} {a.aedecod ?? a.aeterm} <span className="muted">day {a.studyDay ?? '?'}</span>
              {a.relationshipMissing && <span className="muted" data-testid="relationship-missing"> · relationship missing (AEREL)</span>}
            </div>
          ))
        )}
        {s.possibleDltLabs.map((x, i) => (
          <div key={`l${i}`} className="possible-dlt-lab" data-testid="possible-dlt-lab">
            ⚠ G{x.grade} {x.term} <span className="muted">(LB {x.testcd} {x.result ?? ''} {x.unit ?? ''}, day {x.studyDay ?? '?'}{x.source === 'LBTOXGR' ? ', LBTOXGR' : ''})</span>
          </div>
        ))}
        {s.ungradedNotScreened.map((a, i) => (
          <div key={`u${i}`} className="ungraded-ae" data-testid="not-screened">
            <span className="pill pill-warning">grade not collected</span> {a.aedecod ?? a.aeterm} <span className="muted">day {a.studyDay ?? '?'}</span>
            {a.severity && <span className="muted"> · severity {a.severity} (AESEV)</span>}
            <div className="reason">{a.relationshipMissing ? 'relationship missing' : 'related'}, in the window, no CTCAE grade: cannot be screened as a possible DLT</div>
          </div>
        ))}
      </td>
    </tr>
  );
}

export function CohortDltPanel({ snapshotId, dataVersion }: { snapshotId: number; dataVersion: number }) {
  const review = useReview();
  const { snapshots, newSince } = review;
  // Compared with the "new since" snapshot when chosen, else with the snapshot just before this one.
  const idx = snapshots.findIndex((s) => s.snapshotId === snapshotId);
  const base = newSince.snapshotId !== null ? (snapshots.find((s) => s.snapshotId === newSince.snapshotId) ?? null) : idx >= 0 ? (snapshots[idx + 1] ?? null) : null;
  // The table's head (levels' counts, history, rules: safety.dltTable without subject rows) and its
  // index (each level's subjects in order, with status); the rows themselves come with useRows.
  const [state, retry] = useCall(
    async () => {
      const [now, index, before, beforeIndex, changes] = await Promise.all([
        invoke('safety.dltTable', { snapshotId, usubjids: [] }),
        invoke('safety.dltIndex', { snapshotId }),
        base ? invoke('safety.dltTable', { snapshotId: base.snapshotId, usubjids: [] }) : Promise.resolve(null),
        base ? invoke('safety.dltIndex', { snapshotId: base.snapshotId }) : Promise.resolve(null),
        base ? invoke('snapshot.changes', { base: base.snapshotId, target: snapshotId }) : Promise.resolve(null),
      ]);
      return { now, index, before, beforeIndex, changes };
    },
    [snapshotId, base?.snapshotId, dataVersion],
  );
  // The Cohorts view is drawn once the cohort table's rows and the DLT panel are on screen (the bench reads this mark).
  const ready = state.status === 'ok';
  const index = state.status === 'ok' ? state.data.index : null;
  const levels = useMemo(() => {
    if (state.status !== 'ok') return [];
    const ids = new Map(state.data.index.levels.map((l) => [`${l.part}|${l.level}`, l.usubjid]));
    const { doseLevels, part } = review.filters;
    return state.data.now.levels
      .filter((l) => (l.placebo || !doseLevels || doseLevels.includes(l.level)) && (part === 'all' || part === l.part))
      .map((l) => ({ ...l, ids: ids.get(`${l.part}|${l.level}`) ?? [] }));
  }, [state, review.filters]);
  const shownSubjects = levels.reduce((n, l) => n + l.ids.length, 0);
  const windowed = shownSubjects > WINDOW_ABOVE;
  // Rows of the table in view (windowed above WINDOW_ABOVE subjects).
  const win = useWindow(shownSubjects + levels.length, windowed);
  const rows = useRows(snapshotId, dataVersion, levels, windowed ? win.range : null);
  const [csvError, setCsvError] = useState<unknown>(null);
  useEffect(() => {
    if (!ready) return;
    // … with its subject rows, once they came (a filtered-out table has none to wait for).
    const rowsIn = () => document.querySelector('[data-testid="dlt-subject"]') !== null || document.querySelector('[data-testid="dlt-subject-pending"]') === null;
    return markWhenShown('view:cohorts:drawn', () => document.querySelector('[data-testid="cohorts-table"] [data-testid="cohort-row"]') !== null && document.querySelector('.dlt-panel') !== null && rowsIn());
  }, [ready]);
  if (state.status === 'error') return <ErrorState title="The DLT table could not be loaded" error={state.error} onRetry={retry} />;
  if (state.status !== 'ok' || !index) return <LoadingState what="the DLT table and the escalation rule" />;
  const { now, before, beforeIndex, changes } = state.data;
  const newSet = new Set(changes?.newSubjects ?? []);
  const changedSet = new Set(changes?.changedSubjects ?? []);
  // "new" / "changed" badges only when the reader chose a comparison snapshot ("New since"); the
  // section below still summarises the changes since the snapshot before this one.
  const compared = newSince.snapshotId !== null;
  const mark = (u: string) => (!compared ? null : newSet.has(u) ? 'new' : changedSet.has(u) ? 'changed' : null);
  const range = win.range;
  const allSubjects = index.levels.reduce((n, l) => n + l.usubjid.length, 0);
  const row = (u: string) => {
    const s = rows.rows.get(u);
    return s ? <SubjectRow key={u} s={s} onOpen={review.openSubject} mark={mark(u)} snapshotId={snapshotId} /> : <PendingRow key={u} usubjid={u} failed={rows.error} onRetry={rows.retry} />;
  };
  const footnote = review.footnote(
    `DLT window ${now.dltWindowDays} days from the first dose; design ${DESIGN_LABEL[now.design.design]}${shownSubjects < allSubjects ? ` · ${count(shownSubjects)} of ${count(allSubjects)} subjects shown` : ''}`,
  );

  return (
    <section className="dlt-panel" aria-labelledby="decision-title">
      <h2 id="decision-title" className="section-title">
        Escalation decision
      </h2>
      {levels.length < now.levels.length && (
        <p className="filter-info" data-testid="rule-unfiltered-note">
          The rule, its history and the changes below use every dose level; the filters (
          {cohortFilterText(review.filters.doseLevels, review.filters.part) ?? review.filtersText}) apply to the DLT table only.
        </p>
      )}
      <div className="rules">
        <RuleCard rule={now.recommendation} main testId="rule-protocol" />
        <RuleCard rule={now.boin} testId="rule-boin" />
        <RuleCard rule={now.mtpi2} testId="rule-mtpi2" />
      </div>
      <p className="history">
        <span className="picker-label">Escalation history</span> <code data-testid="dlt-history">{now.history || '—'}</code>
        <span className="muted"> · N = evaluable without DLT, T = DLT, P = window still open{now.design.design === 'atd' ? ', G = grade-2 toxicity (accelerated titration)' : ''}; one group per cohort, escalation part only.</span>
      </p>
      {now.notes.length > 0 && (
        <ul className="rule-warnings">
          {now.notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      )}

      <ChangesSince now={now} index={index} before={before} beforeIndex={beforeIndex} base={base} changes={changes} />

      <div className="table-tools">
        <h2 className="section-title table-tools-title">DLT table by dose level</h2>
        {levels.length > 0 && (
          <button
            type="button"
            className="btn btn-small"
            data-testid="dlt-table-export-csv"
            onClick={async () => {
              const filtered = levels.length < now.levels.length ? cohortFilterText(review.filters.doseLevels, review.filters.part) : null;
              // Every subject row of the levels shown (the screen holds only the rows in view).
              setCsvError(null);
              const full = await invoke('safety.dltTable', { snapshotId }).catch((e: unknown) => (setCsvError(e), null));
              if (!full) return;
              const shown = new Set(levels.map((l) => `${l.part}|${l.level}`));
              downloadTableCsv({
                fileName: `dlt-table-${shortHash(review.snapshot?.contentHash)}.csv`,
                title: 'DLT table by dose level',
                header: DLT_CSV_HEADER,
                rows: dltCsvRows(full.levels.filter((l) => shown.has(`${l.part}|${l.level}`))),
                footnote,
                snapshot: review.snapshot,
                viewFilters: review.filtersText,
                tableFilters: filtered ? [filtered] : [],
                total: allSubjects,
              });
            }}
          >
            CSV
          </button>
        )}
      </div>
      {csvError !== null && <ErrorState title="The DLT table's CSV could not be made" error={csvError} />}
      {levels.length === 0 ? (
        <EmptyState title="No dose level matches the filters">
          <p>Clear the dose-level or part filter to see the DLT table.</p>
        </EmptyState>
      ) : (
        <div className={`table-wrap${windowed ? ' dlt-windowed' : ''}`} tabIndex={0} role="region" aria-label="DLT table" ref={win.ref} data-windowed={windowed ? 'true' : undefined}>
          <table className="data-table dlt-table" data-testid="dlt-table" aria-rowcount={windowed ? shownSubjects + levels.length + 1 : undefined}>
            <caption className="sr-only">Subjects per dose level with their DLT window and DLTs</caption>
            <thead>
              <tr>
                <th scope="col">Subject</th>
                <th scope="col">First dose</th>
                <th scope="col">DLT window ({now.dltWindowDays} days)</th>
                <th scope="col">Evaluable</th>
                <th scope="col" title="DS disposition of the treatment epoch, else the last exposure (EX) once the study ended; end of study is not end of treatment">
                  End of treatment (source)
                </th>
                <th scope="col">DLTs</th>
                <th scope="col">Possible DLT, not flagged</th>
              </tr>
            </thead>
            {windowed ? (
              <WindowedBodies levels={levels} range={range} render={(l) => <LevelRow l={l} />} row={row} />
            ) : levels.map((l) => (
              <tbody key={`${l.part}-${l.level}`} data-testid="dlt-level" data-level={l.level} data-part={l.part}>
                <LevelRow l={l} />
                {l.ids.map(row)}
              </tbody>
            ))}
          </table>
        </div>
      )}
      <p className="plot-footnote" data-testid="dlt-footnote">
        {footnote}
      </p>
    </section>
  );
}

function LevelRow({ l }: { l: Level }) {
  const review = useReview();
  return (
    <tr className="level-row">
      <th scope="rowgroup" colSpan={7}>
        <span className={`swatch${l.part === 'expansion' ? ' swatch-outline' : ''}`} style={{ '--swatch': review.doseColor(l.level) } as CSSProperties} aria-hidden="true" />{' '}
        <b>{review.doseLabel(l.level)}</b> <span className="muted">{PART_LABELS[l.part]}</span>
        <span className="level-counts" data-testid="dlt-level-counts">
          {count(l.treated)} treated · {count(l.evaluable)} evaluable · <b className={l.withDlt ? 'danger' : ''}>{count(l.withDlt)} with DLT</b> · {count(l.pending)} in window · {count(l.notEvaluable)} not evaluable
          {l.possibleDltsNotFlagged > 0 && <> · <span className="warn">{count(l.possibleDltsNotFlagged)} possible DLT not flagged</span></>}
          {l.possibleDltLabs > 0 && <> · <span className="warn" data-testid="level-lab-grade3">{count(l.possibleDltLabs)} lab grade ≥ 3 in window</span></>}
          {l.ungradedNotScreened > 0 && <> · <span className="warn" data-testid="dlt-level-not-screened">cannot screen {count(l.ungradedNotScreened)} related AE{l.ungradedNotScreened === 1 ? '' : 's'} without a grade</span></>}
          {l.placebo && <> · <span className="muted">placebo: not in the escalation history or rule</span></>}
        </span>
      </th>
    </tr>
  );
}

// A large DLT table (a pooled review of thousands of subjects) keeps in the DOM only the rows in
// view: each level's summary row and subject rows form one list of items of an estimated height;
// spacer rows stand for the rest, so the scroll bar and keyboard scrolling (the region is focusable:
// arrows, Page Up/Down, Home/End) behave as for the whole table. Small tables render every row.
const WINDOW_ABOVE = 200;
const ROW_HEIGHT = 44;
const OVERSCAN = 30;

interface Range {
  first: number;
  last: number;
}

/** A level of the table: its head (counts) and its subjects' ids in order (safety.dltIndex). */
type ShownLevel = Level & { ids: string[] };

function flatItems(levels: readonly ShownLevel[]): { l: ShownLevel; u: string | null }[] {
  const items: { l: ShownLevel; u: string | null }[] = [];
  for (const l of levels) {
    items.push({ l, u: null });
    for (const u of l.ids) items.push({ l, u });
  }
  return items;
}

/** Rows asked at a time when the table is windowed: the rows in view, rounded out to blocks of this many. */
const ROW_BLOCK = 100;

/**
 * The subject rows of the table, asked with safety.dltTable's usubjids and kept: those of every level
 * shown when the table is not windowed, else the rows in view (and around them) as the reader
 * scrolls. 10,000 subjects' rows were 5 MB, more than the rest of the view together.
 */
function useRows(snapshotId: number, dataVersion: number, levels: readonly ShownLevel[], range: Range | null): { rows: Map<string, Subj>; error: boolean; retry(): void } {
  const [rows, setRows] = useState<Map<string, Subj>>(() => new Map());
  const [error, setError] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => setRows(new Map()), [snapshotId, dataVersion]);
  const items = useMemo(() => flatItems(levels), [levels]);
  const from = range ? Math.floor(range.first / ROW_BLOCK) * ROW_BLOCK : 0;
  const to = range ? Math.ceil(range.last / ROW_BLOCK) * ROW_BLOCK : items.length;
  const missing = useMemo(() => items.slice(from, to).flatMap((it) => (it.u !== null && !rows.has(it.u) ? [it.u] : [])), [items, from, to, rows]);
  const key = missing.join('\u0000');
  useEffect(() => {
    if (!missing.length || !levels.length) return;
    let live = true;
    setError(false);
    invoke('safety.dltTable', { snapshotId, usubjids: missing }).then(
      (t) => {
        if (!live) return;
        setRows((old) => {
          const next = new Map(old);
          for (const l of t.levels) for (const s of l.subjects) next.set(s.usubjid, s);
          return next;
        });
      },
      () => live && setError(true),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- key stands for missing
  }, [snapshotId, key, attempt]);
  return { rows, error, retry: () => setAttempt((a) => a + 1) };
}

/** A row of the table whose data are on their way (or failed: with a retry). */
function PendingRow({ usubjid, failed, onRetry }: { usubjid: string; failed: boolean; onRetry(): void }) {
  return (
    <tr data-testid="dlt-subject-pending" data-usubjid={usubjid}>
      <th scope="row" className="mono">
        {usubjid}
      </th>
      <td colSpan={6} className="muted">
        {failed ? (
          <>
            This row could not be loaded.{' '}
            <button type="button" className="btn btn-small" onClick={onRetry}>
              Retry
            </button>
          </>
        ) : (
          'Loading…'
        )}
      </td>
    </tr>
  );
}

function useWindow(total: number, enabled: boolean): { ref: (el: HTMLDivElement | null) => void; range: Range } {
  const [el, setEl] = useState<HTMLDivElement | null>(null);
  const [range, setRange] = useState<Range>({ first: 0, last: Math.min(total, 60) });
  useEffect(() => {
    if (!enabled || !el) return;
    const update = () => {
      const first = Math.max(0, Math.floor(el.scrollTop / ROW_HEIGHT) - OVERSCAN);
      const last = Math.min(total, Math.ceil((el.scrollTop + el.clientHeight) / ROW_HEIGHT) + OVERSCAN);
      setRange((r) => (r.first === first && r.last === last ? r : { first, last }));
    };
    update();
    el.addEventListener('scroll', update, { passive: true });
    window.addEventListener('resize', update);
    return () => {
      el.removeEventListener('scroll', update);
      window.removeEventListener('resize', update);
    };
  }, [el, total, enabled]);
  return { ref: setEl, range };
}

function WindowedBodies({ levels, range, render, row }: { levels: readonly ShownLevel[]; range: Range; render(l: Level): ReactNode; row(u: string): ReactNode }) {
  const items = useMemo(() => flatItems(levels), [levels]);
  const shown = items.slice(range.first, range.last);
  // Consecutive items of one level share a tbody (the e2e and the CSV read rows per level).
  const groups: { l: ShownLevel; items: typeof shown }[] = [];
  for (const it of shown) {
    const g = groups[groups.length - 1];
    if (g && g.l === it.l) g.items.push(it);
    else groups.push({ l: it.l, items: [it] });
  }
  return (
    <>
      <tbody aria-hidden="true">
        <tr style={{ height: range.first * ROW_HEIGHT }} />
      </tbody>
      {groups.map((g) => (
        <tbody key={`${g.l.part}-${g.l.level}`} data-testid="dlt-level" data-level={g.l.level} data-part={g.l.part}>
          {g.items.map((it) => (it.u !== null ? row(it.u) : <Fragment key="level">{render(it.l)}</Fragment>))}
        </tbody>
      ))}
      <tbody aria-hidden="true">
        <tr style={{ height: Math.max(0, items.length - Math.max(range.last, range.first)) * ROW_HEIGHT }} />
      </tbody>
    </>
  );
}

type DltIndex = Output<'safety.dltIndex'>;

function ChangesSince({ now, index, before, beforeIndex, base, changes }: { now: DltTable; index: DltIndex; before: DltTable | null; beforeIndex: DltIndex | null; base: { label: string; dataCutoff: string | null; contentHash: string } | null; changes: Output<'snapshot.changes'> | null }) {
  if (!base || !before || !beforeIndex || !changes) {
    return (
      <p className="changes muted" data-testid="changes-since">
        No earlier snapshot of this study to compare with.
      </p>
    );
  }
  const prev = new Map(beforeIndex.levels.flatMap((l) => l.usubjid.map((u, i) => [u, { status: l.status[i]!, dlts: l.dlts[i]! }] as const)));
  const placebo = new Set(now.levels.filter((l) => l.placebo).map((l) => `${l.part}|${l.level}`));
  const items: string[] = [];
  for (const l of index.levels)
    l.usubjid.forEach((u, i) => {
      const status = l.status[i]!;
      const p = prev.get(u);
      if (!p) items.push(`${u} new at ${placebo.has(`${l.part}|${l.level}`) ? 'Placebo' : `DL${l.level}`} (${STATUS_TEXT[status].toLowerCase()})`);
      else if (p.status !== status) items.push(`${u}: ${STATUS_TEXT[p.status].toLowerCase()} → ${STATUS_TEXT[status].toLowerCase()}`);
      else if (l.dlts[i]! > p.dlts) items.push(`${u}: new DLT`);
    });
  const r0 = before.recommendation;
  const r1 = now.recommendation;
  const recChanged = r0.action !== r1.action || r0.nextLevel !== r1.nextLevel || r0.recommendedLevel !== r1.recommendedLevel;
  return (
    <div className="changes" data-testid="changes-since">
      <h3>
        Since {isoDate(base.dataCutoff)} <span className="muted mono">{shortHash(base.contentHash)}</span>
      </h3>
      <p>
        {plural(changes.newSubjects.length, 'new subject')}, {plural(changes.changedSubjects.length - changes.newSubjects.length, 'subject')} with new or changed records; history{' '}
        <code>{before.history || '—'}</code> → <code>{now.history || '—'}</code>.{' '}
        {recChanged ? (
          <b>
            Recommendation changed: {actionText(r0.action)} {ruleLevel(r0)} → {actionText(r1.action)} {ruleLevel(r1)}.
          </b>
        ) : (
          <>Recommendation unchanged ({actionText(r1.action)}).</>
        )}
      </p>
      {items.length > 0 && (
        <ul className="changes-list">
          {items.map((x) => (
            <li key={x}>{x}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
