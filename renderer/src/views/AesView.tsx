import { MappingBanner } from '../components/MappingBanner';
import type { CellStyle, ColDef } from 'ag-grid-community';
import { useCallback, useMemo, useState } from 'react';
import type { Output } from '../../../shared/contract';
import { invoke } from '../api';
import { DeathsTable, gradeCellStyle, groupLevel, IncidenceBySocTable, LabDltTable, ListingTable, WorstGradeTable, type Incidence } from '../components/AesTables';
import { AeCommitteeTables } from '../components/AeCommitteeTables';
import { WhenNear } from '../components/WhenNear';
import { AeGrid } from '../components/AeGrid';
import { FATAL_NOT_SERIOUS_QUERY, ynOf } from '../../../shared/safety/aeFacts';
import '../components/EfficacyViews.css';
import { EmptyState, ErrorState, LoadingState } from '../components/States';
import { shortHash } from '../format';
import { useReview, useViewCount } from '../review';
import { useCall } from '../useCall';
import type { ViewProps } from './types';

// Adverse events (README.md#the-views): every AE in an AG Grid (filter, sort, group by SOC/PT, column
// chooser, CSV), TEAE incidence by dose level × worst grade, SAE and DLT listings, AEs leading to
// discontinuation, deaths. Data: safety.aeListing, safety.incidence, safety.listings.

type Listing = Output<'safety.aeListingPage'>;
type AeRow = Output<'safety.aeListing'>['rows'][number];
type Listings = Output<'safety.listings'>;

/** One grid row: flat values, booleans as Y/N (what the floating text filters and the CSV show). */
export interface AeGridRow {
  [k: string]: unknown;
  usubjid: string;
  level: number | null;
  part: string;
  studyDay: number | null;
  aeterm: string;
  aedecod: string | null;
  aebodsys: string | null;
  grade: number | null;
  /** AESEV: severity, not a CTCAE grade. */
  severity: string | null;
  serious: 'Y' | 'N';
  related: 'Y' | 'N';
  dlt: 'Y' | 'N';
  aeout: string | null;
  aeacn: string | null;
  /** Data query on the record ("fatal, AESER not Y"), or null. */
  query: string | null;
  teae: 'Y' | 'N';
  aestdtc: string | null;
  aeendtc: string | null;
}

const yn = ynOf;

export function toGridRow(r: AeRow): AeGridRow {
  return {
    usubjid: r.usubjid,
    level: r.level,
    part: r.part,
    studyDay: r.studyDay,
    aeterm: r.aeterm,
    aedecod: r.aedecod,
    aebodsys: r.aebodsys,
    grade: r.grade,
    severity: r.severity,
    serious: yn(r.serious),
    related: yn(r.related),
    dlt: yn(r.dlt),
    aeout: r.aeout,
    aeacn: r.aeacn,
    query: r.fatalNotSerious ? FATAL_NOT_SERIOUS_QUERY : null,
    teae: yn(r.teae),
    aestdtc: r.aestdtc,
    aeendtc: r.aeendtc,
  };
}

// A row still loading (the grid's page not yet answered) has no data: its cells stay blank, not "not in plan".
const levelText = (p: { value?: unknown; data?: unknown }) => (!p.data ? '' : p.value === 0 ? 'Placebo' : typeof p.value === 'number' ? `DL${p.value}` : 'not in plan');
/** A missing CTCAE grade is "not collected", never 0 or blank (AESEV is a separate column). */
const gradeText = (p: { value?: unknown; data?: unknown }) => (!p.data ? '' : typeof p.value === 'number' ? String(p.value) : 'not collected');
const QUERY_STYLE: CellStyle = { color: '#8a3b00', fontWeight: '700' };
const FLAG_Y: CellStyle = { fontWeight: '700' };
const FLAG_N: CellStyle = { color: '#5b6472' };
const flagStyle = (p: { value?: unknown }): CellStyle => (p.value === 'Y' ? FLAG_Y : FLAG_N);

export const AE_COLUMNS: ColDef<AeGridRow>[] = [
  { field: 'usubjid', headerName: 'Subject', pinned: 'left', width: 170 },
  { field: 'level', headerName: 'Dose level', width: 110, valueFormatter: levelText, filter: 'agNumberColumnFilter' },
  { field: 'part', headerName: 'Part', width: 115, hide: true },
  { field: 'studyDay', headerName: 'Onset day', width: 110, type: 'numericColumn', filter: 'agNumberColumnFilter' },
  { field: 'aeterm', headerName: 'Reported term', width: 200, tooltipField: 'aeterm' },
  { field: 'aedecod', headerName: 'Preferred term', width: 190, tooltipField: 'aedecod' },
  { field: 'aebodsys', headerName: 'System organ class', width: 230, tooltipField: 'aebodsys' },
  { field: 'grade', headerName: 'Grade', width: 120, cellStyle: gradeCellStyle, filter: 'agNumberColumnFilter', valueFormatter: gradeText },
  { field: 'severity', headerName: 'Severity (AESEV)', width: 150 },
  { field: 'serious', headerName: 'Serious', width: 100, cellStyle: flagStyle },
  { field: 'related', headerName: 'Related', width: 100, cellStyle: flagStyle },
  { field: 'dlt', headerName: 'DLT', width: 85, cellStyle: flagStyle },
  { field: 'aeout', headerName: 'Outcome', width: 200, tooltipField: 'aeout' },
  { field: 'aeacn', headerName: 'Action taken', width: 180, tooltipField: 'aeacn' },
  { field: 'query', headerName: 'Data query', width: 230, cellStyle: () => QUERY_STYLE },
  { field: 'teae', headerName: 'TEAE', width: 90, hide: true },
  { field: 'aestdtc', headerName: 'Start', width: 120, hide: true },
  { field: 'aeendtc', headerName: 'End', width: 120, hide: true },
];

const GROUPABLE: { field: 'aebodsys' | 'aedecod' | 'usubjid' | 'level'; headerName: string }[] = [
  { field: 'aebodsys', headerName: 'System organ class' },
  { field: 'aedecod', headerName: 'Preferred term' },
  { field: 'usubjid', headerName: 'Subject' },
  { field: 'level', headerName: 'Dose level' },
];

export function AesView({ snapshot, onImport, dataVersion }: ViewProps) {
  const id = snapshot?.snapshotId;
  const deps = [id, dataVersion];
  // One row is enough here: whether the snapshot has AEs (the grid fetches its own pages).
  const [listing, retry] = useCall<Listing>(id ? () => invoke('safety.aeListingPage', { snapshotId: id, limit: 1 }) : null, deps);
  const [any, retryAny] = useCall<Incidence>(id ? () => invoke('safety.incidence', { snapshotId: id, by: 'level', minGrade: 1 }) : null, deps);
  const [g3, retryG3] = useCall<Incidence>(id ? () => invoke('safety.incidence', { snapshotId: id, by: 'level', minGrade: 3 }) : null, deps);
  return (
    <section className="view" aria-labelledby="view-title">
      <header className="view-header">
        <h1 id="view-title">Adverse events</h1>
        <p className="view-sub">Every adverse event, TEAE incidence by dose level and worst grade, and the SAE, DLT, discontinuation and death listings.</p>
      </header>
      <MappingBanner view="aes" snapshot={snapshot} dataVersion={dataVersion} />
      {!snapshot ? (
        <EmptyState title="No snapshot loaded" action={<button type="button" className="btn btn-primary" onClick={onImport}>Import snapshot…</button>}>
          <p>Import a snapshot with an AE domain to see the adverse events.</p>
        </EmptyState>
      ) : listing.status === 'loading' || listing.status === 'idle' ? (
        <LoadingState what="the adverse events" />
      ) : listing.status === 'error' ? (
        <ErrorState title="The adverse events could not be loaded" error={listing.error} onRetry={retry} />
      ) : (
        <AesBody
          listing={listing.data}
          incidence={any.status === 'ok' && g3.status === 'ok' ? { any: any.data, g3: g3.data } : any.status === 'error' || g3.status === 'error' ? { error: any.status === 'error' ? any.error : (g3 as { error: unknown }).error, retry: () => (retryAny(), retryG3()) } : null}
          hash={snapshot.contentHash}
        />
      )}
    </section>
  );
}

type Loadable<T> = T | { error: unknown; retry(): void } | null;
const failed = <T extends object>(v: Loadable<T>): v is { error: unknown; retry(): void } => !!v && 'error' in v && 'retry' in v;

function AesBody({ listing, incidence, hash }: { listing: Listing; incidence: Loadable<{ any: Incidence; g3: Incidence }>; hash: string }) {
  const review = useReview();
  const { filters, newSince } = review;
  // The review filters as the core applies them (review.tsx inFilter): dose levels, part, subjects, new only.
  const gridReview = useMemo(() => {
    let usubjids = filters.usubjids ?? null;
    if (newSince.newOnly && newSince.changes) {
      const changed = new Set([...newSince.changes.newSubjects, ...newSince.changes.changedSubjects]);
      usubjids = usubjids ? usubjids.filter((u) => changed.has(u)) : [...changed];
    }
    return { levels: filters.doseLevels ?? null, part: filters.part === 'all' ? null : filters.part, usubjids };
  }, [filters.doseLevels, filters.part, filters.usubjids, newSince.newOnly, newSince.changes]);
  const [selected, setSelected] = useState<number | null>(null);
  useViewCount('aes', selected ?? listing.unfiltered, listing.unfiltered, 'AE records');

  if (listing.unfiltered === 0)
    return (
      <EmptyState title="No adverse events in this snapshot">
        <p>The snapshot has no AE records (no AE domain, or no events recorded up to the data cut-off). If events are expected, check that ae.* was part of the export.</p>
      </EmptyState>
    );

  const subjectsFiltered = review.filters.doseLevels || review.filters.part !== 'all' || review.filters.usubjids || (review.newSince.newOnly && review.newSince.changes);
  const n = selected ?? listing.unfiltered;
  return (
    <>
      <AeGrid<AeGridRow>
        snapshotId={listing.snapshotId}
        title="All adverse events"
        footnote={review.footnote(`${n < listing.unfiltered ? `${n.toLocaleString('en-US')} of ${listing.unfiltered.toLocaleString('en-US')} AE records pass the review filters · ` : ''}grade: CTCAE (AETOXGR, else the study's grade variable; “not collected” when neither) · severity: AESEV, not a grade · TEAE: onset on or after the first dose`)}
        columnDefs={AE_COLUMNS}
        toRow={toGridRow}
        testId="aes"
        exportName="adverse-events"
        onSubjectClick={review.openSubject}
        groupable={GROUPABLE}
        height={review.presentation ? 620 : 540}
        review={gridReview}
        onCounts={setSelected}
      />

      <h2 className="section-title">TEAE incidence by dose level</h2>
      {incidence === null ? (
        <LoadingState what="the incidence tables" />
      ) : failed(incidence) ? (
        <ErrorState title="The incidence tables could not be loaded" error={incidence.error} onRetry={incidence.retry} />
      ) : (
        <IncidenceSection any={incidence.any} g3={incidence.g3} hash={hash} partial={!!subjectsFiltered} />
      )}

      {/* Below the incidence (mounted once it answered) and loaded when scrolled near: at 10,000
          subjects the committee tables and the listings were 5.5 MB that the grid did not wait for. */}
      {incidence !== null && (
        <>
          <WhenNear what="the committee tables" margin={BELOW_MARGIN}>
            <AeCommitteeTables snapshotId={listing.snapshotId} dataVersion={listing} />
          </WhenNear>
          <h2 className="section-title">Listings</h2>
          <WhenNear what="the safety listings" margin={BELOW_MARGIN}>
            <AeListings snapshotId={listing.snapshotId} dataVersion={listing} />
          </WhenNear>
        </>
      )}
    </>
  );
}

function IncidenceSection({ any, g3, hash, partial }: { any: Incidence; g3: Incidence; hash: string; partial: boolean }) {
  const review = useReview();
  const [socOpen, setSocOpen] = useState(false);
  const groups = any.groups.filter((g) => {
    const level = groupLevel(g.key);
    return !review.filters.doseLevels || (level !== null && review.filters.doseLevels.includes(level));
  });
  const groupLabel = (g: Incidence['groups'][number]) => {
    const level = groupLevel(g.key);
    return level !== null ? review.doseLabel(level) : g.label;
  };
  const note = `Treatment-emergent AEs; a subject counts once per row at the worst grade; % of the treated subjects of the column (N).${partial ? ' The dose-level filter selects columns; the tables count all treated subjects of each level (both parts).' : ''}`;
  const footnote = review.footnote(note);
  if (any.totalN === 0)
    return (
      <EmptyState title="No treated subjects">
        <p>No subject of this snapshot received a dose on or before the data cut-off, so no incidence can be computed.</p>
      </EmptyState>
    );
  return (
    <>
      <WorstGradeTable any={any} g3={g3} groups={groups} groupLabel={groupLabel} footnote={footnote} fileStem={`ae-worst-grade-${shortHash(hash)}`} />
      <details className="incidence-details" data-testid="ae-incidence-details" onToggle={(e) => setSocOpen(e.currentTarget.open)}>
        <summary>By system organ class and preferred term ({any.rows.filter((r) => r.kind === 'pt').length} preferred terms)</summary>
        {socOpen && <IncidenceBySocTable any={any} g3={g3} groups={groups} groupLabel={groupLabel} footnote={footnote} fileStem={`ae-incidence-${shortHash(hash)}`} />}
      </details>
    </>
  );
}

/** How near the screen (px) the sections below the incidence tables start loading. */
const BELOW_MARGIN = '200px';

function AeListings({ snapshotId, dataVersion }: { snapshotId: number; dataVersion: unknown }) {
  const [listings, retry] = useCall<Listings>(() => invoke('safety.listings', { snapshotId }), [snapshotId, dataVersion]);
  if (listings.status === 'error') return <ErrorState title="The safety listings could not be loaded" error={listings.error} onRetry={retry} />;
  if (listings.status !== 'ok') return <LoadingState what="the safety listings" />;
  return <ListingsSection listings={listings.data} />;
}

function ListingsSection({ listings }: { listings: Listings }) {
  const review = useReview();
  const hash = shortHash(review.snapshot?.contentHash);
  const { inFilter } = review;
  const pick = useCallback((rows: AeRow[]) => rows.filter((r) => inFilter(r)), [inFilter]);
  const deaths = useMemo(() => listings.deaths.filter((d) => inFilter(d)), [listings, inFilter]);
  const labs = useMemo(() => listings.possibleDltLabs.filter((x) => inFilter(x)), [listings, inFilter]);
  const labNote = 'laboratory results of CTCAE v5.0 grade ≥ 3 inside the DLT window (LB; grade as recorded in LBTOXGR, else derived from the value and normal range), the rows of the Cohorts view\'s DLT table: LB has no causality, so each is listed for the committee';
  const labTable =
    labs.length === 0 ? (
      <p key="ae-possible-dlt-labs" className="note-box" data-testid="ae-possible-dlt-labs-empty">
        <strong>Laboratory results of grade ≥ 3 in the DLT window:</strong> none in the selection ({labNote}).
      </p>
    ) : (
      <LabDltTable key="ae-possible-dlt-labs" rows={labs} footnote={review.footnote(labNote)} fileName={`possible-dlt-lab-listing-${hash}.csv`} onSubject={review.openSubject} />
    );
  const sections = [
    { rows: pick(listings.saes), title: 'Serious adverse events', id: 'ae-saes', file: 'sae-listing', note: 'AESER = Y' },
    { rows: pick(listings.dlts), title: 'Dose-limiting toxicities', id: 'ae-dlts', file: 'dlt-listing', note: 'AEs flagged as DLT in SUPPAE (AEDLT / DLTFL)' },
    { rows: pick(listings.discontinuations), title: 'AEs leading to discontinuation', id: 'ae-discontinuations', file: 'ae-discontinuation-listing', note: 'AEACN = DRUG WITHDRAWN' },
    { rows: pick(listings.possibleDltsNotFlagged), title: 'Possible DLTs not flagged', id: 'ae-possible-dlts', file: 'possible-dlt-listing', note: 'related AEs (or AEs whose relationship is missing) of grade ≥ 3 inside the DLT window without the DLT flag: for the investigator to confirm or explain' },
    // Shown only when there are any: the screen above cannot assess AEs without a grade (never a silent "none").
    ...(listings.notScreenedGradeNotCollected.length > 0
      ? [{ rows: pick(listings.notScreenedGradeNotCollected), title: 'Not screened: grade not collected', id: 'ae-not-screened', file: 'not-screened-listing', note: 'related AEs inside the DLT window without the DLT flag and without a CTCAE grade (AESEV is severity, not grade): the possible-DLT screen cannot assess them' }]
      : []),
  ];
  return (
    <div className="listing-section">
      {sections.flatMap((l) => [
        l.rows.length === 0 ? (
          <p key={l.id} className="note-box" data-testid={`${l.id}-empty`}>
            <strong>{l.title}:</strong> none in the selection ({l.note}).
          </p>
        ) : (
          <ListingTable key={l.id} title={l.title} rows={l.rows} footnote={review.footnote(l.note)} testId={l.id} fileName={`${l.file}-${hash}.csv`} onSubject={review.openSubject} />
        ),
        // Lab results of grade >= 3 in the window go right under the AE possible-DLT screen.
        ...(l.id === 'ae-possible-dlts' ? [labTable] : []),
      ])}
      {deaths.length === 0 ? (
        <p className="note-box" data-testid="ae-deaths-empty">
          <strong>Deaths:</strong> none in the selection (DM DTHFL/DTHDTC, DS death, fatal AEs).
        </p>
      ) : (
        <DeathsTable rows={deaths} footnote={review.footnote('from DM (DTHFL/DTHDTC), DS (death) and AEs with a fatal outcome')} fileName={`death-listing-${hash}.csv`} onSubject={review.openSubject} />
      )}
    </div>
  );
}
