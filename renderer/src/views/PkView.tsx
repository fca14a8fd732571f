import { MappingBanner } from '../components/MappingBanner';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Input, Output, StudyInfo } from '../../../shared/contract';
import { fromColumns } from '../../../shared/columns';
import { ncaTableRow } from '../../../shared/pk/ncaTable';
import { isExcretaMatrix } from '../../../shared/pk/profiles';
import { invoke } from '../api';
import '../components/EfficacyViews.css';
import '../components/PkViews.css';
import { Plot } from '../components/Plot';
import { doseProportionalityFigure, individualFigure, INDIVIDUAL_CURVES_MAX, meanFigure, slopeText, type NcaResult, type NcaRow, type PkCurves, type PkProfiles, type YScale } from '../components/PkFigures';
import { LambdaZPanel } from '../components/PkLambdaZPanel';
import { CompareReportedTable, NcaSummaryTable, NcaTable, TABLE_DIGITS, type NcaTableData } from '../components/PkTables';
import { AlsoInSnapshot, matrixName, PkConventions, UrineSection } from '../components/PkConventions';
import { EmptyState, ErrorState, LoadingState } from '../components/States';
import { ViewToggle } from '../components/ViewToggle';
import { displayUnit } from '../../../shared/units';
import { count, plural } from '../format';
import { useReview } from '../review';
import { useCall, type CallState } from '../useCall';
import { InTurn, WhenNear } from '../components/WhenNear';
import type { ViewProps } from './types';
import { TableCsvButton } from '../components/TableCsvButton';

// PK (README.md#the-views): concentration–time per subject and mean ± SD per dose level (linear or log
// scale, actual or nominal time, single dose or steady state), BLQ samples drawn distinctly,
// treatment-emergent ADA marked on the curves (safety.ada); the NCA table with the seed's
// parameters and the summary statistics by dose level; a subject's lambda_z fit, editable and
// stored (pk.setLambdaZ); dose proportionality (power model, 90% CI on b); reported (PP) against
// computed. One analyte (PCTESTCD) × matrix (PCSPEC) at a time, plasma by default; the other pairs
// the snapshot holds are named; urine is shown as amounts excreted (pk.urine), never mixed into the
// curves. Data: pk.profiles, pk.nca, pk.urine, pk.doseProportionality, pk.compareReported, safety.ada.

type Interval = 'single' | 'steady';
type TimeBasis = 'actual' | 'nominal';
type Display = 'individual' | 'mean' | 'geomean';

/** One subject with a profile of the interval (pk.curves' subject columns). */
interface SubjectRow {
  usubjid: string;
  doseLevel: number | null;
  part: 'escalation' | 'expansion';
  cycle: number;
  samples: number;
  measured: number;
  blq: number;
}
type AdaEmergent = Output<'safety.adaEmergent'>;

export function PkView({ snapshot, study, onImport, dataVersion }: ViewProps) {
  return (
    <section className="view" aria-labelledby="view-title">
      <header className="view-header">
        <h1 id="view-title">Pharmacokinetics</h1>
        <p className="view-sub">Concentration–time profiles, non-compartmental analysis with the reviewer's λz choices, and dose proportionality.</p>
      </header>
      <MappingBanner view="pk" snapshot={snapshot} dataVersion={dataVersion} />
      {!snapshot ? (
        <EmptyState title="No snapshot loaded" action={<button type="button" className="btn btn-primary" onClick={onImport}>Import snapshot…</button>}>
          <p>Import a snapshot with PK concentrations (PC) and exposure (EX) to see the profiles and the NCA.</p>
        </EmptyState>
      ) : (
        <PkBody snapshotId={snapshot.snapshotId} study={study} dataVersion={dataVersion} />
      )}
    </section>
  );
}

/** The analyte × matrix shown (undefined = the core's default: pk.analyte / pk.matrix, else plasma). */
interface Choice {
  analyte?: string;
  matrix?: string;
}

/** The NCA as the view holds it: the conventions and summary (`nca`), and the table's rows decoded from columns. */
interface NcaState {
  nca: NcaResult;
  table: NcaTableData;
}

/** The NCA table's cells at the 4 significant digits they show; null digits = the full values (for the CSV). */
async function fetchNca(input: Omit<Input<'pk.nca'>, 'fields' | 'as' | 'digits'>, digits: number | null): Promise<NcaState> {
  const nca = await invoke('pk.nca', { ...input, fields: 'table', as: 'columns', digits });
  if (!nca.table) throw new Error('pk.nca sent no table');
  // The view keeps the decoded rows only, not the columns they came in.
  return { nca: { ...nca, table: null }, table: { codes: nca.table.codes, rows: fromColumns(nca.table.rows) } };
}

/** pk.nca as state that can be refreshed without a loading flash (after a λz change). */
function useNca(snapshotId: number, choice: Choice, interval: Interval, timeBasis: TimeBasis, usubjids: string[] | undefined, ready: boolean, dataVersion: number) {
  const [state, setState] = useState<CallState<NcaState>>({ status: 'idle' });
  const [attempt, setAttempt] = useState(0);
  const key = `${snapshotId}|${choice.analyte ?? ''}|${choice.matrix ?? ''}|${interval}|${timeBasis}|${usubjids?.join(',') ?? 'all'}|${dataVersion}|${attempt}`;
  const input = useMemo(() => ({ snapshotId, ...choice, interval, timeBasis, ...(usubjids ? { usubjids } : {}) }), [key]); // eslint-disable-line react-hooks/exhaustive-deps -- `key` encodes every part of the input
  useEffect(() => {
    if (!ready) return;
    let live = true;
    setState({ status: 'loading' });
    fetchNca(input, TABLE_DIGITS).then(
      (data) => live && setState({ status: 'ok', data }),
      (error: unknown) => live && setState({ status: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [input, ready]);
  // The request in force: a quiet refresh of an earlier one (another analyte or interval chosen since) is dropped.
  const current = useRef(input);
  current.current = input;
  /** A stored λz choice: the row is replaced at once, then the table and summary statistics are fetched again (quietly). */
  const replaceRow = useCallback(
    (row: NcaRow) => {
      setState((s) => {
        if (s.status !== 'ok') return s;
        const rows = s.data.table.rows.map((r) => (r.usubjid === row.usubjid ? ncaTableRow(row, s.data.table.codes, TABLE_DIGITS) : r));
        return { status: 'ok', data: { ...s.data, table: { ...s.data.table, rows } } };
      });
      fetchNca(input, TABLE_DIGITS).then(
        (data) => current.current === input && setState((s) => (s.status === 'ok' ? { status: 'ok', data } : s)),
        () => undefined,
      );
    },
    [input],
  );
  const fullTable = useCallback(async () => (await fetchNca(input, null)).table, [input]);
  return { state, retry: () => setAttempt((a) => a + 1), replaceRow, fullTable };
}

function PkBody({ snapshotId, study, dataVersion: outerVersion }: { snapshotId: number; study: StudyInfo | null; dataVersion: number }) {
  const review = useReview();
  // A τ saved from this view changes the study definition: the view's data are fetched again.
  const [saves, setSaves] = useState(0);
  const dataVersion = outerVersion * 1000 + saves;
  const onDefinitionSaved = () => setSaves((n) => n + 1);
  const [choice, setChoice] = useState<Choice>({});
  const [interval, setProfileInterval] = useState<Interval>('single');
  const [timeBasis, setTimeBasis] = useState<TimeBasis>('actual');
  // null = chosen by the size of the selection: per-subject curves up to INDIVIDUAL_CURVES_MAX subjects, the geometric mean curves above.
  const [displayChoice, setDisplay] = useState<Display | null>(null);
  const [yScale, setYScale] = useState<YScale>('linear');
  const [selected, setSelected] = useState<string | null>(null);

  // Every subject and the level means (small); the samples come with the plot call below, only when drawn.
  const [profilesState, retryProfiles] = useCall<PkCurves>(() => invoke('pk.curves', { snapshotId, ...choice, interval, timeBasis, individual: false }), [snapshotId, choice, interval, timeBasis, dataVersion]);
  const [adaState] = useCall<AdaEmergent>(() => invoke('safety.adaEmergent', { snapshotId }), [snapshotId, dataVersion]);

  const profiles = profilesState.status === 'ok' ? profilesState.data : null;
  const { inFilter } = review;
  const subjectRows = useMemo<SubjectRow[]>(() => {
    if (!profiles) return [];
    const c = profiles.subjects;
    return c.usubjid.map((usubjid, i) => ({ usubjid, doseLevel: c.doseLevel[i] ?? null, part: c.part[i]!, cycle: c.cycle[i]!, samples: c.samples[i]!, measured: c.measured[i]!, blq: c.blq[i]! }));
  }, [profiles]);
  const inSelection = useMemo(() => subjectRows.filter((p) => inFilter({ usubjid: p.usubjid, level: p.doseLevel, part: p.part })), [subjectRows, inFilter]);
  // The selection goes to the core as a subject list only when a filter removes someone (as the efficacy view does).
  const usubjids = useMemo(() => (profiles && inSelection.length < subjectRows.length ? inSelection.map((p) => p.usubjid) : undefined), [profiles, inSelection, subjectRows]);
  const display: Display = displayChoice ?? (inSelection.length > INDIVIDUAL_CURVES_MAX ? 'geomean' : 'individual');
  const individual = display === 'individual';
  const usubjidsKey = usubjids?.join(',') ?? 'all';
  // The plotted data: the level means of the selection, with the samples when per-subject curves are drawn.
  const [plotState, retryPlot] = useCall<PkCurves>(
    profiles && inSelection.length > 0 && (individual || usubjids) ? () => invoke('pk.curves', { snapshotId, ...choice, interval, timeBasis, individual, ...(usubjids ? { usubjids } : {}) }) : null,
    [profiles, usubjidsKey, individual],
  );
  const plotted = individual || usubjids ? (plotState.status === 'ok' ? plotState.data : null) : profiles;
  const nca = useNca(snapshotId, choice, interval, timeBasis, usubjids, !!profiles && inSelection.length > 0, dataVersion);
  // The λz panel's subject: that one profile with every sample detail (pk.profiles for one subject).
  const [selectedState] = useCall<PkProfiles>(selected ? () => invoke('pk.profiles', { snapshotId, ...choice, interval, timeBasis, usubjids: [selected] }) : null, [selected, snapshotId, choice, interval, timeBasis, dataVersion]);

  const selectedKey = `${selected ?? ''}|${JSON.stringify(choice)}|${interval}|${timeBasis}|${dataVersion}`;
  const [selectedNca] = useCall<NcaResult>(selected ? () => invoke('pk.nca', { snapshotId, ...choice, interval, timeBasis, usubjids: [selected] }) : null, [selectedKey, snapshotId]);
  /** The row pk.setLambdaZ returned for the selected subject (shown at once, before any refetch). */
  const [lzRow, setLzRow] = useState<{ key: string; row: NcaRow } | null>(null);

  const adaPositive = useMemo(() => new Set(adaState.status === 'ok' ? adaState.data.treatmentEmergent : []), [adaState]);
  const levelBySubject = useMemo(() => new Map(subjectRows.map((p) => [p.usubjid, p.doseLevel])), [subjectRows]);

  const available = profiles?.available ?? [];
  const analytes = [...new Set(available.map((a) => a.analyte))];
  const matrices = available.filter((a) => a.analyte === profiles?.analyte).map((a) => a.matrix);
  const toolbar = (
    <div className="view-toolbar" data-testid="pk-toolbar">
      <label className="picker">
        <span className="picker-label">Analyte</span>
        <select className="input" value={profiles?.analyte ?? ''} disabled={analytes.length < 2} onChange={(e) => { setChoice({ analyte: e.target.value }); setSelected(null); }} data-testid="pk-analyte">
          {analytes.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </label>
      <label className="picker">
        <span className="picker-label">Matrix</span>
        <select className="input" value={profiles?.matrix ?? ''} disabled={matrices.length < 2} onChange={(e) => { setChoice({ analyte: profiles?.analyte ?? undefined, matrix: e.target.value }); setSelected(null); }} data-testid="pk-matrix">
          {matrices.map((m) => (
            <option key={m} value={m}>
              {matrixName(m)}
            </option>
          ))}
        </select>
      </label>
      <label className="picker">
        <span className="picker-label">Profile</span>
        <select className="input" value={interval} onChange={(e) => { setProfileInterval(e.target.value as Interval); setSelected(null); }} data-testid="pk-cycle">
          <option value="single">Cycle 1 — single dose</option>
          <option value="steady">Steady state — latest sampled later cycle</option>
        </select>
      </label>
      <ViewToggle
        label="Curves"
        value={display}
        onChange={setDisplay}
        testId="pk-display"
        options={[
          { value: 'individual', label: 'Per subject' },
          { value: 'mean', label: 'Mean ± SD' },
          { value: 'geomean', label: 'Geometric mean' },
        ]}
      />
      <ViewToggle label="Scale" value={yScale} onChange={setYScale} testId="pk-scale" options={[{ value: 'linear', label: 'Linear' }, { value: 'log', label: 'Log' }]} />
      <ViewToggle label="Time" value={timeBasis} onChange={setTimeBasis} testId="pk-time" options={[{ value: 'actual', label: 'Actual' }, { value: 'nominal', label: 'Nominal' }]} />
    </div>
  );

  if (profilesState.status === 'error') return <ErrorState title="The PK profiles could not be loaded" error={profilesState.error} onRetry={retryProfiles} />;
  if (!profiles) return <LoadingState what="the PK profiles" />;
  if (profiles.analytes.length === 0)
    return (
      <EmptyState title="This snapshot has no PC domain">
        <p>The PK view needs pharmacokinetic concentrations (PC, with EX for the doses). {profiles.notes.join(' ')} Import a snapshot that includes PC.</p>
      </EmptyState>
    );
  const excreta = profiles.matrix !== null && isExcretaMatrix(profiles.matrix);
  const also = <AlsoInSnapshot profiles={profiles} />;
  const hasUrine = available.some((a) => a.analyte === profiles.analyte && isExcretaMatrix(a.matrix));
  if (excreta)
    return (
      <>
        {toolbar}
        {also}
        <p className="note-box" data-testid="pk-excreta-note">
          {matrixName(profiles.matrix!)} is collected over intervals: it is analysed as amounts excreted (Ae), fraction excreted (fe) and renal clearance (CLR), not by
          concentration–time NCA. Choose a circulating matrix (plasma, serum, blood) for the curves and the NCA.
        </p>
        <h2 className="section-title">Urinary excretion</h2>
        <UrineSection snapshotId={snapshotId} analyte={profiles.analyte ?? undefined} matrix={profiles.matrix!} timeBasis={timeBasis} dataVersion={dataVersion} />
      </>
    );
  if (subjectRows.length === 0)
    return (
      <>
        {toolbar}
        {also}
        <PkConventions profiles={profiles} interval={interval} study={study} onSaved={onDefinitionSaved} />
        <EmptyState title={interval === 'steady' ? 'No steady-state profile yet' : 'No single-dose profile'}>
          <p>
            {interval === 'steady'
              ? 'No subject has samples after a later dose (a steady-state profile needs a sampled cycle after the first). Choose "Cycle 1 — single dose".'
              : `No ${profiles.analyte ?? ''} sample could be placed after a first dose. ${profiles.notes.join(' ')}`}
          </p>
        </EmptyState>
      </>
    );
  if (inSelection.length === 0)
    return (
      <>
        {toolbar}
        {also}
        <EmptyState title="No subject matches the filters">
          <p>None of the {plural(subjectRows.length, 'subject')} with a PK profile passes the current dose-level, part or subject filters. Widen the filters.</p>
        </EmptyState>
      </>
    );

  const concUnit = profiles.units.conc;
  const footnote = review.footnote(`${profiles.analyte ?? ''} in ${matrixName(profiles.matrix ?? '')} · ${interval === 'steady' ? `steady state${profiles.tauH ? `, τ = ${profiles.tauH} h` : ''}` : 'single dose (cycle 1)'} · ${timeBasis} time`);
  const figOpts = { yScale, timeBasis, concUnit, doseColor: review.doseColor, doseLabel: review.doseLabel, adaPositive };
  const selectedProfile = selected && selectedState.status === 'ok' ? (selectedState.data.profiles.find((p) => p.usubjid === selected) ?? null) : null;
  const ncaData = nca.state.status === 'ok' ? nca.state.data : null;
  const ncaSettled = nca.state.status === 'ok' || nca.state.status === 'error';
  // The λz panel needs the subject's whole row (every parameter and the λz points): the table's rows carry only what it shows.
  const selectedRow = selected ? (lzRow?.key === selectedKey ? lzRow.row : selectedNca.status === 'ok' ? (selectedNca.data.rows[0] ?? null) : null) : null;
  const onRow = (row: NcaRow) => {
    setLzRow({ key: selectedKey, row });
    nca.replaceRow(row);
  };

  return (
    <>
      {toolbar}
      {also}
      {plotState.status === 'error' ? (
        <ErrorState title="The PK curves could not be loaded" error={plotState.error} onRetry={retryPlot} />
      ) : !plotted ? (
        <LoadingState what="the PK curves" />
      ) : (
        <ConcentrationPlot
          curves={plotted}
          subjects={inSelection}
          display={display}
          opts={figOpts}
          footnote={footnote}
          adaKnown={adaState.status === 'ok' && adaState.data.present}
          cycles={interval === 'steady' ? [...new Set(inSelection.map((p) => p.cycle))].sort((a, b) => a - b) : []}
        />
      )}
      {profiles.notes.length > 0 && (
        <details className="help-box">
          <summary>{plural(profiles.notes.length, 'note')} on the samples</summary>
          <ul>
            {profiles.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </details>
      )}

      <h2 className="section-title">Non-compartmental analysis</h2>
      <PkConventions profiles={profiles} interval={interval} study={study} onSaved={onDefinitionSaved} />
      {nca.state.status === 'error' ? (
        <ErrorState title="The NCA could not be computed" error={nca.state.error} onRetry={nca.retry} />
      ) : !ncaData ? (
        <LoadingState what="the NCA" />
      ) : (
        <>
          <p className="view-facts" data-testid="pk-nca-facts">
            <span>
              <strong>{count(ncaData.table.rows.length)}</strong> {ncaData.table.rows.length === 1 ? 'subject' : 'subjects'} · AUC {ncaData.nca.aucMethod === 'linear' ? 'linear trapezoidal' : 'linear-up/log-down'}
            </span>
            <span>
              <strong>{count(ncaData.table.rows.filter((r) => r.choiceKind !== null && r.choiceKind !== 'auto').length)}</strong> with a reviewer's λz choice
            </span>
            <span className="muted">Click a row to see and edit that subject's λz fit.</span>
          </p>
          {selectedProfile && (
            <LambdaZPanel
              key={`${selectedProfile.usubjid}|${interval}|${timeBasis}`}
              snapshotId={snapshotId}
              profile={selectedProfile}
              row={selectedRow}
              interval={interval}
              timeBasis={timeBasis}
              matrix={profiles.matrix ?? undefined}
              concUnit={concUnit}
              onRow={onRow}
              onClose={() => setSelected(null)}
            />
          )}
          {/* After the curves are drawn (or failed): building the two grids took 250 ms of the window's thread before the plot could draw. */}
          <InTurn after='[data-testid="pk"] .plot-area[data-drawn="true"], [data-testid="pk"] .plot-area[data-drawn="failed"]' minHeight={640}>
            <NcaTable nca={ncaData.nca} table={ncaData.table} fullTable={nca.fullTable} footnote={footnote} onSelect={setSelected} />
            <NcaSummaryTable nca={ncaData.nca} footnote={footnote} />
          </InTurn>
        </>
      )}

      {hasUrine && (
        <>
          <h2 className="section-title">Urinary excretion</h2>
          <UrineSection snapshotId={snapshotId} analyte={profiles.analyte ?? undefined} timeBasis={timeBasis} dataVersion={dataVersion} />
        </>
      )}

      {/* Below the NCA: mounted after it, when scrolled near (10,000 subjects: 1.9 MB and 11 MB that the curves and the NCA table do not wait for). */}
      <h2 className="section-title">Dose proportionality</h2>
      {ncaSettled && (
        <WhenNear what="the dose proportionality fit">
          <DoseProportionality snapshotId={snapshotId} choice={choice} interval={interval} timeBasis={timeBasis} dataVersion={dataVersion} levelOf={(u) => levelBySubject.get(u) ?? null} />
        </WhenNear>
      )}

      <h2 className="section-title">Reported (PP) against computed</h2>
      {ncaSettled && (
        <WhenNear what="the reported PK parameters">
          <CompareReported snapshotId={snapshotId} choice={choice} timeBasis={timeBasis} interval={interval} dataVersion={dataVersion} subjects={inSelection.map((p) => p.usubjid)} />
        </WhenNear>
      )}
    </>
  );
}

function ConcentrationPlot({
  curves,
  subjects,
  display,
  opts,
  footnote,
  adaKnown,
  cycles,
}: {
  curves: PkCurves;
  subjects: readonly SubjectRow[];
  display: Display;
  opts: Parameters<typeof individualFigure>[1];
  footnote: string;
  adaKnown: boolean;
  cycles: number[];
}) {
  const review = useReview();
  // opts is rebuilt at every render of the parent: the figures depend on its fields, not on its identity.
  const { yScale, timeBasis, concUnit, adaPositive, doseColor, doseLabel } = opts;
  const fig = useMemo(() => {
    const o = { yScale, timeBasis, concUnit, adaPositive, doseColor, doseLabel };
    if (display === 'individual' && curves.levels.every((l) => l.points)) return individualFigure(curves, o);
    return meanFigure(curves, o, display === 'geomean' ? 'geometric' : 'arithmetic');
  }, [curves, display, yScale, timeBasis, concUnit, adaPositive, doseColor, doseLabel]);
  // The counts come from the subject columns, so that they read the same with or without the samples.
  const facts = useMemo(() => {
    let drawn = 0;
    let blq = 0;
    let points = 0;
    let ada = 0;
    for (const s of subjects) {
      if (s.measured > 0) drawn++;
      blq += s.blq;
      points += s.samples;
      if (adaPositive.has(s.usubjid)) ada++;
    }
    return { drawn, blq, points, ada };
  }, [subjects, adaPositive]);
  const cycleText = cycles.length ? ` · cycle ${cycles.join(', ')}` : '';
  const many = subjects.length > INDIVIDUAL_CURVES_MAX;
  return (
    <>
      <p className="view-facts" data-testid="pk-facts" data-subjects={facts.drawn} data-blq={facts.blq} data-points={facts.points}>
        <span>
          <strong>{count(facts.drawn)}</strong> {facts.drawn === 1 ? 'subject' : 'subjects'} with measured concentrations{cycleText}
        </span>
        <span>
          <strong>{count(facts.blq)}</strong> BLQ {facts.blq === 1 ? 'sample' : 'samples'}
        </span>
        {adaKnown && (
          <span>
            <strong>{count(facts.ada)}</strong> with treatment-emergent ADA
          </span>
        )}
        {many && display !== 'individual' && <span className="muted">More than {count(INDIVIDUAL_CURVES_MAX)} subjects: the mean curves per dose level are shown; choose “Per subject” for every curve.</span>}
      </p>
      <Plot
        title={display === 'geomean' ? 'Geometric mean (×/÷ geometric SD) concentration by dose level' : display === 'mean' ? 'Mean (± SD) concentration by dose level' : 'Concentration–time profiles per subject'}
        footnote={footnote}
        data={fig.data}
        layout={fig.layout}
        height={500}
        testId="pk"
        exportName="pk-profiles"
        onSubjectClick={display === 'individual' ? review.openSubject : undefined}
        description={`PK concentrations of ${facts.drawn} subjects against time since dose, ${opts.yScale} scale, coloured by dose level; ${facts.blq} BLQ samples${display === 'individual' ? ' as hollow circles' : ''}.`}
        legendNote={
          display === 'geomean' ? (
            <>Geometric mean of the measured concentrations above zero at each nominal time, with bars from mean ÷ geometric SD to mean × geometric SD; BLQ samples are left out (their count is in the hover). Pre-dose samples are not drawn.</>
          ) : display === 'mean' ? (
            <>Mean and SD of the measured concentrations at each nominal time; BLQ samples are left out of the mean (their count is in the hover). Pre-dose samples are not drawn.</>
          ) : (
            <>
              Lines: measured concentrations of one subject, coloured by dose level. Hollow circles: samples below the lower limit of quantification (BLQ), drawn at LLOQ/2.
              {adaKnown ? ' A grey halo marks subjects with treatment-emergent anti-drug antibodies (Immunogenicity view).' : ''} Click a line to open the subject's profile.
            </>
          )
        }
      />
    </>
  );
}

type DoseProp = Output<'pk.doseProportionality'>;

function DoseProportionality({ snapshotId, choice, interval, timeBasis, dataVersion, levelOf }: { snapshotId: number; choice: Choice; interval: Interval; timeBasis: TimeBasis; dataVersion: number; levelOf(u: string): number | null }) {
  const review = useReview();
  const [state, retry] = useCall<DoseProp>(() => invoke('pk.doseProportionality', { snapshotId, ...choice, interval, timeBasis }), [snapshotId, choice, interval, timeBasis, dataVersion]);
  if (state.status === 'error') return <ErrorState title="Dose proportionality could not be estimated" error={state.error} onRetry={retry} />;
  if (state.status !== 'ok') return <LoadingState what="the dose proportionality fit" />;
  const dp = state.data;
  const shown = dp.parameters.filter((p) => p.points.length > 0);
  if (!shown.length)
    return (
      <EmptyState title="No dose proportionality estimate">
        <p>No subject has both a dose and an NCA parameter for this profile. {dp.parameters.map((p) => p.note).filter(Boolean).join(' ')}</p>
      </EmptyState>
    );
  return (
    <>
      <div className="pk-dp-grid">
        {shown.map((p) => {
          const fig = doseProportionalityFigure(p, dp.doseUnit, levelOf, review);
          return (
            <Plot
              key={p.PPTESTCD}
              title={`${p.label} against dose (log–log)`}
              footnote={review.footnote(`power model ln(${p.label}) = a + b·ln(dose), all subjects with the parameter`)}
              data={fig.data}
              layout={fig.layout}
              height={340}
              testId={`pk-dp-${p.PPTESTCD.toLowerCase()}`}
              onSubjectClick={review.openSubject}
              description={p.fit ? `${p.label} against dose on log-log axes; ${slopeText(p.fit)}.` : `${p.label} against dose; ${p.note ?? 'no fit'}.`}
            />
          );
        })}
      </div>
      <div className="table-tools">
        <TableCsvButton tableTestId="pk-dp-table" title="Power model ln(parameter) = a + b·ln(dose)" fileStem="pk-dose-proportionality" />
      </div>
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Power model estimates">
        <table className="data-table compact-table" data-testid="pk-dp-table">
          <caption>Power model ln(parameter) = a + b·ln(dose): b = 1 means dose-proportional</caption>
          <thead>
            <tr>
              <th scope="col">Parameter</th>
              <th scope="col" className="num">n</th>
              <th scope="col" className="num">Slope b</th>
              <th scope="col">CI of b</th>
              <th scope="col" className="num">R²</th>
              <th scope="col">Proportionality criterion (Smith et al. 2000)</th>
            </tr>
          </thead>
          <tbody>
            {dp.parameters.map((p) => (
              <tr key={p.PPTESTCD} data-testid="pk-dp-row" data-code={p.PPTESTCD}>
                <th scope="row">
                  {p.label} ({displayUnit(p.unit)})
                </th>
                <td className="num">{p.fit?.n ?? p.points.length}</td>
                <td className="num" data-col="slope">
                  {p.fit ? p.fit.slope.toFixed(3) : '—'}
                </td>
                <td data-col="ci">{p.fit ? `${Math.round(p.fit.level * 100)}% CI ${p.fit.ciLower.toFixed(3)}–${p.fit.ciUpper.toFixed(3)}` : (p.note ?? 'no fit')}</td>
                <td className="num">{p.fit ? p.fit.r2.toFixed(3) : '—'}</td>
                <td>
                  {p.fit?.criterion
                    ? `${p.fit.criterion.proportional ? 'within' : 'not within'} ${p.fit.criterion.lower.toFixed(3)}–${p.fit.criterion.upper.toFixed(3)} (dose ratio ${Number(p.fit.criterion.doseRatio.toPrecision(4))}, bounds 0.80–1.25)`
                    : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

type Compare = Output<'pk.compareReported'>;

function CompareReported({ snapshotId, choice, timeBasis, interval, dataVersion, subjects }: { snapshotId: number; choice: Choice; timeBasis: TimeBasis; interval: Interval; dataVersion: number; subjects: string[] }) {
  const review = useReview();
  const [state, retry] = useCall<Compare>(() => invoke('pk.compareReported', { snapshotId, ...choice, timeBasis }), [snapshotId, choice, timeBasis, dataVersion]);
  const keep = useMemo(() => new Set(subjects), [subjects]);
  if (state.status === 'error') return <ErrorState title="The PP comparison could not be loaded" error={state.error} onRetry={retry} />;
  if (state.status !== 'ok') return <LoadingState what="the reported PK parameters" />;
  if (state.data.rows.length === 0)
    return (
      <p className="note-box" data-testid="pk-compare-none">
        This snapshot has no reported PK parameters (PP domain) to compare with the computed NCA.{state.data.notes.length ? ` ${state.data.notes.join(' ')}` : ''}
      </p>
    );
  const rows = state.data.rows.filter((r) => r.interval === interval && keep.has(r.usubjid));
  const off = rows.filter((r) => r.pctDifference !== null && Math.abs(r.pctDifference) > 1).length;
  return (
    <>
      {state.data.notes.length > 0 && (
        <p className="muted" data-testid="pk-compare-notes">
          {state.data.notes.join(' · ')}
        </p>
      )}
      <p className="view-facts">
        <span>
          <strong>{count(rows.length)}</strong> reported values for this profile
        </span>
        <span>
          <strong>{count(off)}</strong> differ from the computed value by more than 1%
        </span>
      </p>
      <CompareReportedTable rows={rows} footnote={review.footnote(`${interval === 'steady' ? 'steady state' : 'single dose'} · ${timeBasis} time`)} onSubjectClick={review.openSubject} />
    </>
  );
}
