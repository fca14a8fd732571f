import { MappingBanner } from '../components/MappingBanner';
import type { ColDef } from 'ag-grid-community';
import { useCallback, useEffect, useMemo } from 'react';
import { invoke } from '../api';
import { DataGrid, type Row } from '../components/DataGrid';
import '../components/EfficacyViews.css';
import { adaRows, CATEGORY_LABELS, incidenceFigure, incidenceLevel, incidenceText, isAdaPositive, titreFigure, type AdaIncidence, type AdaResult } from '../components/ImmunogenicityFigures';
import '../components/PkViews.css';
import { Plot } from '../components/Plot';
import { InTurn } from '../components/WhenNear';
import { TableCsvButton } from '../components/TableCsvButton';
import { CaptureTableButton } from '../components/meeting/capture';
import { markWhenShown } from '../drawnMark';
import { EmptyState, ErrorState, LoadingState } from '../components/States';
import { count, plural } from '../format';
import { useReview, useViewCount } from '../review';
import { useSharedCall } from '../useCall';
import type { ViewProps } from './types';

// Immunogenicity (docs/CLINICAL_RULES.md#ada; README.md#the-views): ADA status per subject (baseline positive, treatment-induced,
// treatment-boosted, treatment-emergent, negative; neutralising antibodies where tested), the
// treatment-emergent ADA incidence by dose level (table and bars) and titres over time. The
// statuses and the incidence are safety.ada's (shared/ada.ts, Shankar et al. 2014); this view
// lays them out. ADA-positive marks on the swimmer and the PK curves come from the same method.

export function ImmunogenicityView({ snapshot, onImport, dataVersion }: ViewProps) {
  // The samples it draws (positive subjects) and lists (baselines), as columns: 10,000 subjects in 1.4 MB instead of 9.5 MB.
  const [state, retry] = useSharedCall<AdaResult>(snapshot ? `safety.ada|${snapshot.snapshotId}|${dataVersion}|positive` : null, async () =>
    adaRows(await invoke('safety.ada', { snapshotId: snapshot!.snapshotId, samples: 'positive', as: 'columns' })),
  );
  return (
    <section className="view" aria-labelledby="view-title">
      <header className="view-header">
        <h1 id="view-title">Immunogenicity</h1>
        <p className="view-sub">Anti-drug antibody (ADA) status per subject, treatment-emergent ADA incidence by dose level, and titres over time.</p>
      </header>
      <MappingBanner view="immunogenicity" snapshot={snapshot} dataVersion={dataVersion} />
      {!snapshot ? (
        <EmptyState title="No snapshot loaded" action={<button type="button" className="btn btn-primary" onClick={onImport}>Import snapshot…</button>}>
          <p>Import a snapshot with ADA results (IS domain) to see the immunogenicity summary.</p>
        </EmptyState>
      ) : state.status === 'loading' || state.status === 'idle' ? (
        <LoadingState what="the ADA results" />
      ) : state.status === 'error' ? (
        <ErrorState title="The ADA results could not be loaded" error={state.error} onRetry={retry} />
      ) : (
        <ImmunogenicityBody ada={state.data} />
      )}
    </section>
  );
}

const yesNo = (v: boolean | null) => (v === null ? '—' : v ? 'Yes' : 'No');

function ImmunogenicityBody({ ada }: { ada: AdaResult }) {
  const review = useReview();
  const { inFilter, doseColor, doseLabel } = review;
  const selected = useMemo(() => ada.subjects.filter((s) => inFilter(s)), [ada, inFilter]);
  useViewCount('immunogenicity', selected.length, ada.subjects.length, 'subjects');
  const incidence = useMemo(() => ada.incidence.filter((r) => r.key === 'total' || !review.filters.doseLevels || (incidenceLevel(r.key) !== null && review.filters.doseLevels.includes(incidenceLevel(r.key)!))), [ada, review.filters.doseLevels]);
  const bars = useMemo(() => incidenceFigure(incidence, { doseColor, doseLabel }), [incidence, doseColor, doseLabel]);
  if (!ada.present)
    return ada.isRows > 0 ? (
      <EmptyState title="No IS test code is recognised as an ADA test">
        <p data-testid="ada-unrecognised">
          The IS domain has {plural(ada.isRows, 'record')}, but none of its test codes is a binding, neutralising or titre ADA code DoseDesk knows:{' '}
          {ada.unrecognisedTestcds.map((v) => `${v.value} (${v.count})`).join(', ')}. Name the study's codes in the study definition (ada.bindingTestcds, ada.neutralisingTestcds, ada.titreTestcds).
        </p>
      </EmptyState>
    ) : (
      <EmptyState title="This snapshot has no ADA results">
        <p>The immunogenicity view needs anti-drug antibody results in the IS domain (ADA test codes with a result per visit). None was found in this snapshot; import one that includes IS.</p>
      </EmptyState>
    );
  if (selected.length === 0)
    return (
      <EmptyState title="No subject matches the filters">
        <p>None of the {plural(ada.subjects.length, 'subject')} with ADA samples passes the current dose-level, part or subject filters. Widen the filters.</p>
      </EmptyState>
    );

  const total = ada.incidence.find((r) => r.key === 'total');
  const footnote = review.footnote(`ADA status per Shankar et al. 2014; boosted = ≥ ${ada.boostFold}-fold rise over a positive baseline titre`);
  const positive = selected.filter(isAdaPositive).length;
  const filtered = review.filters.part !== 'all' || review.filters.usubjids !== null || review.newSince.newOnly;
  return (
    <>
      <p className="view-facts" data-testid="ada-facts">
        <span>
          <strong>{count(selected.length)}</strong> subjects with ADA samples
        </span>
        {total && (
          <span data-testid="ada-total">
            Treatment-emergent ADA <strong>{incidenceText(total)}</strong> of evaluable subjects
          </span>
        )}
        <span>
          <strong>{count(positive)}</strong> with at least one positive sample
        </span>
        <span data-testid="ada-scale">
          Titre scale <strong>{ada.titreScale.scale ?? 'unknown'}</strong> ({ada.titreScale.source})
        </span>
      </p>
      {(ada.warnings.length > 0 || ada.unrecognisedTestcds.length > 0) && (
        <ul className="rule-warnings" data-testid="ada-warnings">
          {ada.unrecognisedTestcds.length > 0 && (
            <li>IS records not used (test code not an ADA code): {ada.unrecognisedTestcds.map((v) => `${v.value} (${v.count})`).join(', ')}.</li>
          )}
          {ada.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}

      <h2 className="section-title">Treatment-emergent ADA incidence by dose level</h2>
      {filtered && <p className="muted">The incidence counts all subjects of each dose level; the part, subject and "new only" filters apply to the subject table and the titres.</p>}
      <IncidenceTable rows={incidence} footnote={footnote} />
      <InTurn after={INCIDENCE_ROWS} minHeight={1400}>
        <AdaBelow ada={ada} selected={selected} bars={bars} footnote={footnote} />
      </InTurn>

      <section className="ada-defs" data-testid="ada-definitions" aria-labelledby="ada-defs-title">
        <h3 id="ada-defs-title">Definitions</h3>
        <dl>
          <dt>Baseline positive</dt>
          <dd>ADA detected in the baseline sample (the last sample on or before the first dose, or the one flagged ISBLFL = Y); not boosted = treatment-unaffected.</dd>
          <dt>Treatment-induced</dt>
          <dd>ADA negative (or missing) at baseline and positive in at least one post-baseline sample.</dd>
          <dt>Treatment-boosted</dt>
          <dd>ADA positive at baseline, with a post-baseline titre at least {ada.boostFold}-fold the baseline titre.</dd>
          <dt>Treatment-emergent</dt>
          <dd>Treatment-induced or treatment-boosted. Incidence = treatment-emergent subjects / evaluable subjects (a baseline and at least one post-baseline sample).</dd>
          <dt>Persistent / transient</dt>
          <dd>
            Of treatment-emergent ADA. Persistent: positive at ≥ 2 post-baseline time points with the first and last positive ≥ 16 weeks apart, or positive at the last time
            point. Transient: positive at one time point only (not the last), or at time points &lt; 16 weeks apart with the last sample negative.
          </dd>
          <dt>Negative</dt>
          <dd>No positive sample after the first dose and not positive at baseline.</dd>
          <dt>Neutralising (NAb)</dt>
          <dd>A positive neutralising-antibody result in any sample, where the NAb assay was run.</dd>
        </dl>
        <p>
          Source: <cite>Shankar G, Arkin S, Cocea L, et al. Assessment and reporting of the clinical immunogenicity of therapeutic proteins and peptides — harmonized terminology and
          tactical recommendations. AAPS J. 2014;16(4):658–673. doi:10.1208/s12248-014-9599-2</cite>
        </p>
      </section>
    </>
  );
}

const INCIDENCE_TITLE = 'Treatment-emergent ADA incidence by dose level';
/** The incidence table's rows: the view's drawn mark, and what the rest of the view waits for (InTurn). */
const INCIDENCE_ROWS = '[data-testid="ada-incidence"] tbody tr';
const INCIDENCE_COLUMNS: { label: string; cell(r: AdaIncidence): string | number }[] = [
  { label: 'Sampled', cell: (r) => r.sampled },
  { label: 'Evaluable (N)', cell: (r) => r.evaluable },
  { label: 'Treatment-emergent n/N (%)', cell: incidenceText },
  { label: 'Treatment-induced', cell: (r) => r.treatmentInduced },
  { label: 'Treatment-boosted', cell: (r) => r.treatmentBoosted },
  { label: 'Baseline positive', cell: (r) => r.baselinePositive },
  { label: 'Persistent', cell: (r) => r.persistent },
  { label: 'Transient', cell: (r) => r.transient },
  { label: 'NAb positive', cell: (r) => r.nabPositive },
];

/**
 * The incidence as a plain table (a row per dose level and the total): what the committee reads
 * first, so the view counts as drawn when its rows are painted. A grid (AG Grid) took 150–250 ms to
 * start for these few rows at every opening.
 */
function IncidenceTable({ rows, footnote }: { rows: AdaIncidence[]; footnote: string }) {
  const { doseLabel } = useReview();
  useEffect(() => markWhenShown('view:ada-incidence:drawn', () => document.querySelector(INCIDENCE_ROWS) !== null), []);
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={INCIDENCE_TITLE}>
      <table className="data-table compact-table" data-testid="ada-incidence">
        <caption>
          <span>{INCIDENCE_TITLE}</span> <TableCsvButton tableTestId="ada-incidence" title={INCIDENCE_TITLE} fileStem="ada-incidence" footnote={footnote} />{' '}
          <CaptureTableButton tableTestId="ada-incidence" title={INCIDENCE_TITLE} footnote={footnote} testId="ada-incidence-capture" />
        </caption>
        <thead>
          <tr>
            <th scope="col">Dose level</th>
            {INCIDENCE_COLUMNS.map((c) => (
              <th scope="col" className="num" key={c.label}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-key={r.key} className={r.key === 'total' ? 'any-row' : undefined}>
              <th scope="row">{incidenceLevel(r.key) !== null ? doseLabel(incidenceLevel(r.key)) : r.label}</th>
              {INCIDENCE_COLUMNS.map((c) => (
                <td className="num" key={c.label}>
                  {c.cell(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="footnotes">{footnote}</p>
    </div>
  );
}

/** The incidence bars, the per-subject statuses and the titres: mounted once the incidence table above is painted (InTurn). */
function AdaBelow({ ada, selected, bars, footnote }: { ada: AdaResult; selected: AdaResult['subjects']; bars: ReturnType<typeof incidenceFigure>; footnote: string }) {
  const review = useReview();
  const { doseLabel } = review;
  const titres = useMemo(() => titreFigure(selected, { doseColor: review.doseColor, doseLabel: review.doseLabel, scale: ada.titreScale.scale }), [selected, review.doseColor, review.doseLabel, ada.titreScale.scale]);
  const scale = ada.titreScale.scale;
  const titreText = useCallback((t: number | null) => (t === null ? '' : scale === 'log10' ? `${t} log10` : String(t)), [scale]);

  const statusRows = useMemo<Row[]>(
    () =>
      selected.map((s) => {
        const base = s.samples.find((x) => x.baselineFlag);
        return {
          usubjid: s.usubjid,
          level: doseLabel(s.level),
          levelNo: s.level ?? 1e9,
          part: s.part,
          baseline: s.baselineStatus === 'missing' ? 'missing' : `${s.baselineStatus}${s.baselineTitre !== null ? ` (titre ${base?.belowReportable ? '<' : ''}${titreText(s.baselineTitre)})` : ''}`,
          baselineDay: base?.studyDay ?? null,
          category: CATEGORY_LABELS[s.category],
          treatmentEmergent: s.evaluable ? yesNo(s.treatmentEmergent) : 'not evaluable',
          treatmentInduced: yesNo(s.treatmentInduced),
          treatmentBoosted: yesNo(s.treatmentBoosted),
          persistence: s.persistence ?? '—',
          maxPostTitre: s.maxPostTitre,
          maxFoldRise: s.maxFoldRise,
          nab: s.nabPositive === null ? 'not tested' : s.nabPositive ? 'Positive' : 'Negative',
          postBaselineSamples: s.postBaselineSamples,
          notes: s.notes.join('; '),
        };
      }),
    [selected, doseLabel, titreText],
  );
  const statusCols = useMemo<ColDef<Row>[]>(
    () => [
      { headerName: 'Subject', field: 'usubjid', pinned: 'left', minWidth: 160, width: 160 },
      { headerName: 'Dose level', field: 'level', minWidth: 150, width: 150, comparator: (_a, _b, na, nb) => Number(na.data?.levelNo) - Number(nb.data?.levelNo) },
      { headerName: 'Part', field: 'part', minWidth: 110, width: 110 },
      { headerName: 'Baseline', field: 'baseline', minWidth: 150, width: 150 },
      { headerName: 'ADA status', field: 'category', minWidth: 200, width: 250, wrapText: true, autoHeight: true },
      { headerName: 'Treatment-emergent', field: 'treatmentEmergent', minWidth: 150, width: 150 },
      { headerName: 'Induced', field: 'treatmentInduced', minWidth: 100, width: 100, hide: true },
      { headerName: 'Boosted', field: 'treatmentBoosted', minWidth: 100, width: 100, hide: true },
      { headerName: 'Persistence', field: 'persistence', minWidth: 120, width: 120 },
      { headerName: 'Max post-baseline titre', field: 'maxPostTitre', type: 'numericColumn', filter: 'agNumberColumnFilter', minWidth: 130, width: 130 },
      { headerName: 'Max fold rise', field: 'maxFoldRise', type: 'numericColumn', filter: 'agNumberColumnFilter', minWidth: 110, width: 110, valueFormatter: (p) => (p.value === null || p.value === undefined ? '' : String(Number((p.value as number).toPrecision(3)))) },
      { headerName: 'Neutralising (NAb)', field: 'nab', minWidth: 140, width: 140 },
      { headerName: 'Post-baseline samples', field: 'postBaselineSamples', type: 'numericColumn', minWidth: 120, width: 120 },
      { headerName: 'Notes', field: 'notes', minWidth: 220, width: 220, hide: true },
    ],
    [],
  );

  return (
    <>
      <Plot
          title="Treatment-emergent ADA by dose level"
          footnote={footnote}
          data={bars.data}
          layout={bars.layout}
          height={340}
          testId="ada-incidence-plot"
          exportName="ada-incidence"
          description="Bar chart of the percentage of evaluable subjects with treatment-emergent ADA per dose level; n/N above each bar."
        />

      <h2 className="section-title">ADA status per subject</h2>
      <DataGrid
        title="ADA status per subject"
        footnote={footnote}
        rows={statusRows}
        columnDefs={statusCols}
        testId="ada-status"
        exportName="ada-status"
        onSubjectClick={review.openSubject}
        groupable={[
          { field: 'category', headerName: 'ADA status' },
          { field: 'level', headerName: 'Dose level' },
        ]}
        height={statusRows.length <= 30 ? 'auto' : 560}
      />

      <h2 className="section-title">Titres over time</h2>
      {titres.subjects === 0 ? (
        <EmptyState title="No ADA-positive subject in the selection">
          <p>No subject in the selection has a positive ADA sample, so there is no titre to draw.</p>
        </EmptyState>
      ) : (
        <Plot
          title="ADA titres over time, ADA-positive subjects"
          footnote={footnote}
          data={titres.data}
          layout={titres.layout}
          height={420}
          testId="ada-titres"
          exportName="ada-titres"
          onSubjectClick={review.openSubject}
          description={`ADA titres of ${titres.subjects} ADA-positive subjects against study day on a log scale, coloured by dose level.`}
          legendNote="Filled circles: positive samples at their titre. Hollow circles on the dotted line: negative samples (no titre). Click a line to open the subject's profile."
        />
      )}
    </>
  );
}
