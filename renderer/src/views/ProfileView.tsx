import { MappingBanner } from '../components/MappingBanner';
import { ReviewPanel } from '../components/ReviewMarks';
import { useEffect, useMemo, useState } from 'react';
import type { Output } from '../../../shared/contract';
import { studyDayFromIso } from '../../../shared/dates';
import { invoke } from '../api';
import { Plot } from '../components/Plot';
import { labelMargin } from '../components/axes';
import { EmptyState, ErrorState, LoadingState } from '../components/States';
import { isoDate, responseWords } from '../format';
import { useReview, type Review } from '../review';
import { GRADE_COLORS, RESPONSE_COLORS } from '../theme';
import { useCall } from '../useCall';
import type { ViewProps } from './types';
import { displayUnit } from '../../../shared/units';
import { SubjectPicker } from '../components/SubjectPicker';
import { laneKeys, type LaneIndex, type LaneKey } from '../lanes';

// Patient profile (README.md#the-views): one subject on one time axis (study day, day 1 = first dose):
// exposure with the doses given, AEs as bars by grade (serious and DLT marked), tumour response
// (% change of the sum of diameters, time-point responses), PK concentrations, ADA, labs when LB
// is present; demographics and disposition in the header. J / K: previous / next subject.

type Lane = Output<'subjects.timeline'>['subjects'][number];

/** What every subject's profile shares: the lane index (the J/K order, the study's dose levels and domains). */
interface SnapshotData {
  index: LaneIndex;
  keys: LaneKey[];
  missing: string[];
}

/** One subject's records, asked for when the subject is opened (a large study is not read whole for one profile). */
interface SubjectData {
  /** The subject's timeline (header, exposure track); null when the timeline does not list it. */
  lane: Lane | null;
  /** ADA status and samples, and the DLT table's row: of this subject only. */
  ada: Output<'safety.ada'> | null;
  dlt: Output<'safety.dltTable'> | null;
  aes: Output<'safety.aeListing'> | null;
  tumour: Output<'efficacy.tumourSeries'> | null;
  pk: Output<'pk.profiles'>[];
  cm?: Output<'cm.listing'> | null;
  missing: string[];
}

type ProfileData = SnapshotData & SubjectData;

async function optional<T>(p: Promise<T>, what: string, missing: string[]): Promise<T | null> {
  try {
    return await p;
  } catch {
    missing.push(what);
    return null;
  }
}

async function loadSnapshotData(snapshotId: number): Promise<SnapshotData> {
  const index = await invoke('subjects.lanes', { snapshotId });
  return { index, keys: laneKeys(index), missing: [] };
}

async function loadSubjectData(snapshotId: number, usubjid: string): Promise<SubjectData> {
  const missing: string[] = [];
  const usubjids = [usubjid];
  const [timeline, ada, dlt, aes, tumour, pk1, pk2] = await Promise.all([
    invoke('subjects.timeline', { snapshotId, usubjids }),
    optional(invoke('safety.ada', { snapshotId, usubjids }), 'anti-drug antibodies', missing),
    optional(invoke('safety.dltTable', { snapshotId, usubjids }), 'DLT table', missing),
    optional(invoke('safety.aeListing', { snapshotId, usubjids }), 'adverse events', missing),
    optional(invoke('efficacy.tumourSeries', { snapshotId, usubjids }), 'tumour measurements', missing),
    optional(invoke('pk.profiles', { snapshotId, interval: 'single', usubjids }), 'PK (single dose)', []),
    optional(invoke('pk.profiles', { snapshotId, interval: 'steady', usubjids }), 'PK (steady state)', []),
  ]);
  const cm = await optional(invoke('cm.listing', { snapshotId, usubjids }), 'concomitant medications', missing);
  return { lane: timeline.subjects[0] ?? null, ada, dlt, aes, tumour, pk: [pk1, pk2].filter((x): x is Output<'pk.profiles'> => !!x), cm, missing };
}

/** Subjects in profile order (J/K): dose level, then subject id; only those passing the filters (the current one always). */
export function profileOrder(lanes: LaneKey[], inFilter: Review['inFilter'], current: string | null): LaneKey[] {
  return lanes.filter((l) => l.usubjid === current || inFilter(l)).sort((a, b) => (a.level ?? 1e9) - (b.level ?? 1e9) || a.usubjid.localeCompare(b.usubjid));
}

/** Study day with the time of day as a fraction (PK samples within a day): day 1.5 = noon of day 1 when dosed at midnight. */
function fractionalStudyDay(dtc: string | null, firstDtc: string): number | null {
  const day = studyDayFromIso(dtc, firstDtc);
  if (day === null || !dtc) return null;
  const t = (s: string) => {
    const m = /T(\d{2}):(\d{2})/.exec(s);
    return m ? (Number(m[1]) * 60 + Number(m[2])) / 1440 : 0;
  };
  return day + t(dtc) - t(firstDtc);
}

const titleCase = (s: string) => s.charAt(0) + s.slice(1).toLowerCase();

export function ProfileView({ snapshot, onImport, dataVersion }: ViewProps) {
  const review = useReview();
  const [state, retry] = useCall<SnapshotData>(snapshot ? () => loadSnapshotData(snapshot.snapshotId) : null, [snapshot?.snapshotId, dataVersion]);
  return (
    <section className="view view-wide" aria-labelledby="view-title">
      <MappingBanner view="profile" snapshot={snapshot} dataVersion={dataVersion} />
      {!snapshot ? (
        <>
          <header className="view-header">
            <h1 id="view-title">Patient profile</h1>
          </header>
          <EmptyState
            title="No snapshot loaded"
            action={
              <button type="button" className="btn btn-primary" onClick={onImport}>
                Import snapshot…
              </button>
            }
          >
            <p>Import a study data snapshot, then click a subject in any view to open its profile.</p>
          </EmptyState>
        </>
      ) : state.status === 'loading' || state.status === 'idle' ? (
        <>
          <header className="view-header">
            <h1 id="view-title">Patient profile</h1>
          </header>
          <LoadingState what="the subject's data" />
        </>
      ) : state.status === 'error' ? (
        <>
          <header className="view-header">
            <h1 id="view-title">Patient profile</h1>
          </header>
          <ErrorState title="The patient profile could not be loaded" error={state.error} onRetry={retry} />
        </>
      ) : (
        <ProfileBody data={state.data} review={review} snapshotId={snapshot.snapshotId} dataVersion={dataVersion} />
      )}
    </section>
  );
}

function ProfileBody({ data: shared, review, snapshotId, dataVersion }: { data: SnapshotData; review: Review; snapshotId: number; dataVersion: ViewProps['dataVersion'] }) {
  const order = useMemo(() => profileOrder(shared.keys, review.inFilter, review.profileSubject), [shared, review.inFilter, review.profileSubject]);
  const orderIds = useMemo(() => order.map((s) => s.usubjid), [order]);
  const lane = shared.keys.find((s) => s.usubjid === review.profileSubject) ?? order[0] ?? null;
  const idx = lane ? order.findIndex((s) => s.usubjid === lane.usubjid) : -1;
  const { setProfileSubject } = review;
  const [subject, retrySubject] = useCall<SubjectData>(lane ? () => loadSubjectData(snapshotId, lane.usubjid) : null, [snapshotId, lane?.usubjid, dataVersion]);
  const data: ProfileData | null = subject.status === 'ok' ? { ...shared, ...subject.data, missing: [...shared.missing, ...subject.data.missing] } : null;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.altKey || e.ctrlKey || e.metaKey || (t && ['INPUT', 'SELECT', 'TEXTAREA'].includes(t.tagName))) return;
      const k = e.key.toLowerCase();
      if (k !== 'j' && k !== 'k') return;
      const next = order[idx + (k === 'j' ? 1 : -1)];
      if (next) setProfileSubject(next.usubjid);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [order, idx, setProfileSubject]);

  if (!lane) {
    return (
      <>
        <header className="view-header">
          <h1 id="view-title">Patient profile</h1>
        </header>
        <EmptyState title="No treated subject">
          <p>This snapshot has no subject dosed on or before the data cut-off (EX), so there is no profile to show.</p>
        </EmptyState>
      </>
    );
  }
  return (
    <>
      <header className="view-header profile-head">
        <div>
          <h1 id="view-title">
            Patient profile <span className="mono" data-testid="profile-subject">{lane.usubjid}</span>
            {review.subjectStatus(lane.usubjid) && <span className={`badge badge-${review.subjectStatus(lane.usubjid)}`}>{review.subjectStatus(lane.usubjid)}</span>}
          </h1>
          <p className="view-sub">All of one subject's data on one time axis (study day; day 1 = first dose).</p>
        </div>
        <div className="profile-nav" role="group" aria-label="Subjects">
          {review.canGoBack && (
            <button type="button" className="btn btn-small" onClick={review.back} data-testid="profile-back">
              ← Back
            </button>
          )}
          <button type="button" className="btn btn-small" disabled={idx <= 0} onClick={() => order[idx - 1] && setProfileSubject(order[idx - 1]!.usubjid)} title="Previous subject (K)">
            ← Previous <kbd>K</kbd>
          </button>
          <span className="filter-info">
            {idx + 1} of {order.length}
          </span>
          <button type="button" className="btn btn-small" disabled={idx < 0 || idx >= order.length - 1} onClick={() => order[idx + 1] && setProfileSubject(order[idx + 1]!.usubjid)} title="Next subject (J)">
            Next <kbd>J</kbd> →
          </button>
          <SubjectPicker ids={orderIds} current={lane.usubjid} onPick={setProfileSubject} testId="profile-picker" />
        </div>
      </header>
      {subject.status === 'error' ? (
        <ErrorState title={`The records of ${lane.usubjid} could not be loaded`} error={subject.error} onRetry={retrySubject} />
      ) : !data ? (
        <LoadingState what={`the records of ${lane.usubjid}`} />
      ) : !data.lane ? (
        <ErrorState title={`The timeline of ${lane.usubjid} could not be found`} error={new Error(`subjects.timeline does not list ${lane.usubjid}`)} onRetry={retrySubject} />
      ) : (
        <>
          <ProfileHeader lane={data.lane} data={data} review={review} />
          <ReviewPanel snapshotId={snapshotId} usubjid={lane.usubjid} />
          <ProfileTracks lane={data.lane} data={data} review={review} snapshotId={snapshotId} />
        </>
      )}
    </>
  );
}

function ProfileHeader({ lane, data, review }: { lane: Lane; data: ProfileData; review: Review }) {
  const dltRow = data.dlt?.levels.flatMap((l) => l.subjects).find((s) => s.usubjid === lane.usubjid) ?? null;
  const resp = tumourResponses(data.tumour?.subjects.find((s) => s.usubjid === lane.usubjid));
  const ada = data.ada?.subjects.find((s) => s.usubjid === lane.usubjid) ?? null;
  const item = (label: string, value: React.ReactNode, testId?: string) => (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
  return (
    <section aria-label="Subject summary" data-testid="profile-header">
      <dl className="context-bar profile-facts">
        {item('Dose level', <span><span className="swatch" style={{ '--swatch': review.doseColor(lane.level) } as React.CSSProperties} aria-hidden="true" /> {review.doseLabel(lane.level)}</span>, 'profile-level')}
        {item('Part', titleCase(lane.part))}
        {item('Age / sex', `${lane.age ?? '—'} / ${lane.sex ?? '—'}`, 'profile-demographics')}
        {item('Race', lane.race ? titleCase(lane.race) : '—')}
        {item('Site / country', `${lane.siteid ?? '—'} / ${lane.country ?? '—'}`)}
        {item('First dose', isoDate(lane.firstDoseDtc))}
        {item('Last dose', isoDate(lane.lastDoseDtc))}
        {item('Treatment', lane.ongoing ? `Ongoing at cut-off (day ${lane.laneEndDay})` : `Ended day ${lane.endOfTreatment?.day ?? '?'}: ${titleCase(lane.endOfTreatment?.reason ?? '')}`, 'profile-treatment')}
        {item('DLT window', dltRow ? `${dltRow.status === 'in-window' ? `open, ${dltRow.daysLeft} days left` : dltRow.status.replace('-', ' ')} · ends ${isoDate(dltRow.windowEndDtc)}` : `ends ${isoDate(lane.dltWindowEndDtc)}`)}
        {item(
          'Best response',
          resp ? (
            <span title="RECIST 1.1 best overall response with confirmation, from the same time-point responses the tumour panel shows">
              {responseWords(resp.bor)} <span className="muted">(confirmed{resp.borDay !== null ? `, day ${resp.borDay}` : ''} · evaluator {resp.evaluators.join(', ') || '—'})</span>
            </span>
          ) : (
            '—'
          ),
          'profile-bor',
        )}
        {item('ADA', ada ? ada.category.replace(/-/g, ' ') : '—')}
        {lane.death && item('Death', `${isoDate(lane.death.dtc)} (day ${lane.death.day ?? '?'})`)}
      </dl>
      {lane.disposition.length > 0 && (
        <p className="profile-disposition" data-testid="profile-disposition">
          <span className="picker-label">Disposition</span>{' '}
          {lane.disposition.map((d, i) => (
            <span key={i} className="disp-item">
              {isoDate(d.dsstdtc)} {d.day !== null ? `(day ${d.day})` : ''} {titleCase(d.dsdecod)}
              {d.dsterm && d.dsterm.toUpperCase() !== d.dsdecod.toUpperCase() ? ` — ${d.dsterm}` : ''}
            </span>
          ))}
        </p>
      )}
    </section>
  );
}

interface Track {
  key: string;
  title: string;
  weight: number;
  traces: Record<string, unknown>[];
  yaxis: Record<string, unknown>;
  shapes?: Record<string, unknown>[];
}

function ProfileTracks({ lane, data, review, snapshotId }: { lane: Lane; data: ProfileData; review: Review; snapshotId: number }) {
  const [labs] = useCall<Output<'subjects.labs'>>(() => invoke('subjects.labs', { snapshotId, usubjid: lane.usubjid }), [snapshotId, lane.usubjid]);
  const [labTest, setLabTest] = useState<string>('');
  const labData = labs.status === 'ok' ? labs.data : null;
  const testcd = labData?.tests.find((t) => t.testcd === labTest)?.testcd ?? labData?.tests[0]?.testcd ?? '';
  const first = lane.firstDoseDtc;
  const end = lane.laneEndDay ?? 1;
  const u = lane.usubjid;

  const { doseColor, doseLabel, presentation } = review;
  const tracks = useMemo(() => {
    const out: Track[] = [];
    const cd = (text: string) => [u, text];
    // Exposure.
    out.push({
      key: 'exposure',
      title: 'Exposure',
      weight: 1,
      yaxis: { showticklabels: false, range: [-0.6, 0.6], fixedrange: true },
      traces: [
        ...lane.segments.map((s, i) => ({
          type: 'bar',
          orientation: 'h',
          name: s.level !== null ? `Dose ${doseLabel(s.level)}` : `Dose ${s.dose ?? '?'} ${displayUnit(s.unit)} (not in the plan)`,
          y: [0],
          x: [s.endDay - s.startDay + 1],
          base: [s.startDay - 0.5],
          width: 0.5,
          marker: { color: doseColor(s.level) },
          customdata: [cd(`${s.dose ?? '?'} ${displayUnit(s.unit)} · days ${s.startDay}–${s.endDay} · ${s.administrations} doses`)],
          hovertemplate: '%{customdata[1]}<extra></extra>',
          // One legend entry per dose level received (the colours of every view's dose levels).
          legendgroup: `dose-${s.level ?? s.dose}`,
          legendrank: 1 + (s.level ?? 99),
          showlegend: lane.segments.findIndex((x) => x.level === s.level && (s.level !== null || x.dose === s.dose)) === i,
        })),
        { type: 'scatter', mode: 'markers', name: 'Dose given', x: lane.doseDays, y: lane.doseDays.map(() => 0), marker: { symbol: 'line-ns', size: 18, line: { width: 2, color: '#1d2430' } }, hovertemplate: 'Dose on day %{x}<extra></extra>', showlegend: false },
      ],
    });
    // AEs.
    const aes = (data.aes?.rows ?? []).filter((a) => a.usubjid === u && a.studyDay !== null).sort((a, b) => a.studyDay! - b.studyDay!);
    if (aes.length) {
      const labels = aes.map((a, i) => `${a.aedecod ?? a.aeterm}${aes.findIndex((b) => (b.aedecod ?? b.aeterm) === (a.aedecod ?? a.aeterm)) !== i ? ` (${i + 1})` : ''}`);
      const traces: Record<string, unknown>[] = [];
      for (const g of [1, 2, 3, 4, 5, null] as const) {
        const idx = aes.map((a, i) => (a.grade === g ? i : -1)).filter((i) => i >= 0);
        if (!idx.length) continue;
        traces.push({
          type: 'bar',
          orientation: 'h',
          name: g === null ? 'AE, grade missing' : `AE grade ${g}`,
          y: idx.map((i) => labels[i]),
          base: idx.map((i) => aes[i]!.studyDay! - 0.5),
          x: idx.map((i) => Math.max(1, (studyDayFromIso(aes[i]!.aeendtc, first) ?? end) - aes[i]!.studyDay! + 1)),
          width: 0.7,
          yaxis: 'y2',
          marker: { color: g === null ? '#c3c9d1' : GRADE_COLORS[g], line: { color: idx.map((i) => (aes[i]!.serious ? '#000000' : 'rgba(0,0,0,0)')), width: idx.map((i) => (aes[i]!.serious ? 2.5 : 0)) } },
          customdata: idx.map((i) => {
            const a = aes[i]!;
            return cd(`${a.aedecod ?? a.aeterm} (${a.aebodsys ?? 'SOC ?'})<br>grade ${a.grade ?? '?'}, day ${a.studyDay}${a.aeendtc ? ` to ${studyDayFromIso(a.aeendtc, first) ?? a.aeendtc}` : ', not resolved'}${a.serious ? ' · serious' : ''}${a.dlt ? ' · DLT' : ''}${a.related ? ' · related' : ''}<br>outcome: ${a.aeout ?? '—'} · action: ${a.aeacn ?? '—'}`);
          }),
          hovertemplate: '%{customdata[1]}<extra></extra>',
          legendgroup: 'ae',
        });
      }
      const dlt = aes.map((a, i) => ({ a, i })).filter((x) => x.a.dlt);
      if (dlt.length) traces.push({ type: 'scatter', mode: 'markers', name: 'DLT', yaxis: 'y2', x: dlt.map((x) => x.a.studyDay), y: dlt.map((x) => labels[x.i]), marker: { symbol: 'diamond', size: 12, color: GRADE_COLORS[4], line: { color: '#fff', width: 1 } }, hovertemplate: 'DLT: %{y}, day %{x}<extra></extra>' });
      if (aes.some((a) => a.serious)) traces.push({ type: 'scatter', mode: 'markers', name: 'Serious (black outline)', yaxis: 'y2', x: [null], y: [null], marker: { symbol: 'square', size: 12, color: '#ffffff', line: { color: '#000', width: 2.5 } }, hoverinfo: 'skip' });
      out.push({ key: 'aes', title: 'Adverse events', weight: Math.min(8, Math.max(2, aes.length * 0.45)), yaxis: { type: 'category', autorange: 'reversed', automargin: true, tickfont: { size: presentation ? 14 : 11 } }, traces });
    }
    // Concomitant medications (cm.listing): bars from start to end (to the lane end while ongoing or
    // with no end date); those that started in the DLT window (or may have, by a partial date) in orange.
    const cms = (data.cm?.rows ?? []).filter((c) => c.usubjid === u);
    const placed = cms.filter((c) => c.startDay !== null || c.timing === 'prior');
    if (cms.length) {
      const cmName = (c: (typeof cms)[number]) => c.cmdecod ?? c.cmtrt ?? 'CM';
      // A medication given more than once gets its CMSEQ (or row) so that each record has its own row.
      const cmLabel = (c: (typeof cms)[number]) => `${cmName(c)}${cms.filter((x) => cmName(x) === cmName(c)).length > 1 ? ` #${c.cmseq ?? c.rowNo}` : ''}`;
      const marked = (c: (typeof cms)[number]) => c.timing === 'in DLT window' || c.timing === 'possibly in DLT window';
      const traces: Record<string, unknown>[] = [];
      for (const inWin of [true, false]) {
        const idx = placed.map((c, i) => (marked(c) === inWin ? i : -1)).filter((i) => i >= 0);
        if (!idx.length) continue;
        // A medication taken since before the first dose is drawn from day −14 (its real start is in the
        // hover), so that a start a year earlier does not squeeze every other track into a sliver.
        const start = (c: (typeof cms)[number]) => Math.max(c.startDay ?? PRIOR_CM_DAY, PRIOR_CM_DAY);
        traces.push({
          type: 'bar',
          orientation: 'h',
          name: inWin ? 'Medication started in the DLT window' : 'Concomitant medication',
          yaxis: 'y7',
          y: idx.map((i) => cmLabel(placed[i]!)),
          base: idx.map((i) => start(placed[i]!) - 0.5),
          x: idx.map((i) => Math.max(1, (placed[i]!.endDay ?? end) - start(placed[i]!) + 1)),
          width: 0.6,
          marker: { color: inWin ? '#d9822b' : '#9aa5b1' },
          customdata: idx.map((i) => {
            const c = placed[i]!;
            return cd(`${c.cmdecod ?? c.cmtrt}${c.cmindc ? ` for ${c.cmindc.toLowerCase()}` : ''}<br>${[c.dose, c.cmdosu].filter(Boolean).join(' ')} ${c.cmdosfrq ?? ''} ${c.cmroute ?? ''}<br>${c.cmstdtc ?? 'start ?'}${c.startDay !== null ? ` (day ${c.startDay})` : ''} – ${c.cmendtc ?? (c.ongoing ? 'ongoing' : 'end ?')} · ${c.timing}`);
          }),
          hovertemplate: '%{customdata[1]}<extra></extra>',
          legendgroup: 'cm',
        });
      }
      const unplaced = cms.length - placed.length;
      if (traces.length)
        out.push({
          key: 'cm',
          title: `Concomitant medications${unplaced ? ` (${unplaced} with a partial or missing start date not drawn: see the Exposure & con-meds view)` : ''}`,
          weight: Math.min(5, Math.max(1.2, placed.length * 0.4)),
          yaxis: { type: 'category', autorange: 'reversed', automargin: true, tickfont: { size: presentation ? 14 : 11 } },
          traces,
        });
    }
    // Tumour response.
    const ts = data.tumour?.subjects.find((s) => s.usubjid === u);
    const pts = ts?.points.filter((p) => p.pctFromBaseline !== null) ?? [];
    const resp = tumourResponses(ts);
    if (pts.length && resp) {
      const borPt = resp.borDtc ? pts.find((p) => p.dtc === resp.borDtc) : undefined;
      out.push({
        key: 'tumour',
        title: `% change in sum of diameters · responses of ${resp.evaluators.join(', ') || '—'} · BOR ${resp.bor}`,
        weight: 2.2,
        yaxis: { ticksuffix: '%', zeroline: true },
        shapes: [20, -30].map((v) => ({ type: 'line', xref: 'x', yref: 'y3', x0: 0, x1: end + 2, y0: v, y1: v, line: { dash: 'dash', width: 1.5, color: v > 0 ? RESPONSE_COLORS.PD : RESPONSE_COLORS.PR } })),
        traces: [
          {
            type: 'scatter',
            mode: 'lines+markers+text',
            name: '% change from baseline',
            yaxis: 'y3',
            x: pts.map((p) => p.studyDay),
            y: pts.map((p) => p.pctFromBaseline),
            text: pts.map((p) => (p.baseline ? 'BL' : (p.response ?? '') + (p.newLesion ? ' (new lesion)' : ''))),
            textposition: 'top center',
            cliponaxis: false,
            line: { color: doseColor(lane.level), width: 2.5 },
            marker: { size: 9, color: pts.map((p) => (p.response && p.response in RESPONSE_COLORS ? RESPONSE_COLORS[p.response as keyof typeof RESPONSE_COLORS] : '#8a939f')) },
            customdata: pts.map((p) => cd(`day ${p.studyDay}: ${p.pctFromBaseline?.toFixed(1)}% (sum ${p.sum ?? '?'} mm${p.sumSource === 'derived' ? ', derived' : ''})${p.response ? ` · ${p.response} (${p.responseSource === 'RS' ? 'RS' : 'computed, RECIST 1.1'}; ${p.evaluator})` : ''}${p.newLesion ? ' · new lesion' : ''}`)),
            hovertemplate: '%{customdata[1]}<extra></extra>',
            showlegend: false,
          },
          // The assessment that gives the best overall response shown in the header.
          ...(borPt
            ? [{ type: 'scatter', mode: 'markers', name: `BOR ${resp.bor} (confirmed)`, yaxis: 'y3', x: [borPt.studyDay], y: [borPt.pctFromBaseline], marker: { symbol: 'star', size: 16, color: 'rgba(0,0,0,0)', line: { color: '#1d2430', width: 1.5 } }, hovertemplate: `Best overall response ${resp.bor}, day %{x}<extra></extra>` }]
            : []),
        ],
      });
    }
    // PK.
    const pk = data.pk.flatMap((p) => p.profiles.filter((x) => x.usubjid === u).flatMap((x) => x.points.map((pt) => ({ ...pt, analyte: x.analyte, unit: displayUnit(p.units.conc) }))));
    const seen = new Set<string>();
    const pkPts = pk.filter((p) => p.pcdtc && !seen.has(p.pcdtc) && seen.add(p.pcdtc)).map((p) => ({ ...p, day: fractionalStudyDay(p.pcdtc, first) })).filter((p) => p.day !== null).sort((a, b) => a.day! - b.day!);
    if (pkPts.length) {
      const unit = pkPts[0]!.unit;
      const q0 = pkPts.filter((p) => !p.blq && p.conc !== null);
      // A gap in the line between dosing intervals sampled apart (more than 5 days without a sample).
      const q = q0.flatMap((p, i) => (i > 0 && p.day! - q0[i - 1]!.day! > 5 ? [{ ...p, day: null, conc: null }, p] : [p]));
      const blq = pkPts.filter((p) => p.blq || p.conc === null);
      out.push({
        key: 'pk',
        title: `PK concentration (${unit})`,
        weight: 2,
        yaxis: { rangemode: 'tozero' },
        traces: [
          { type: 'scatter', mode: 'lines+markers', name: `${pkPts[0]!.analyte} concentration`, yaxis: 'y4', x: q.map((p) => p.day), y: q.map((p) => p.conc), connectgaps: false, line: { color: '#3d5a80', width: 1.5 }, marker: { size: 6, color: '#3d5a80' }, hovertemplate: `day %{x:.2f}: %{y} ${unit}<extra></extra>`, showlegend: false },
          ...(blq.length ? [{ type: 'scatter', mode: 'markers', name: 'BLQ sample', yaxis: 'y4', x: blq.map((p) => p.day), y: blq.map(() => 0), marker: { symbol: 'circle-open', size: 8, color: '#8a939f', line: { width: 1.5 } }, hovertemplate: 'day %{x:.2f}: below the limit of quantification<extra></extra>' }] : []),
        ],
      });
    }
    // ADA.
    const ada = data.ada?.subjects.find((s) => s.usubjid === u);
    const samples = ada?.samples.filter((s) => s.studyDay !== null) ?? [];
    if (samples.length) {
      out.push({
        key: 'ada',
        title: data.ada?.titreScale.scale === 'log10' ? 'ADA titre (log10)' : 'ADA titre',
        weight: 1.5,
        yaxis: { rangemode: 'tozero' },
        traces: [
          {
            type: 'scatter',
            mode: 'lines+markers',
            name: 'ADA titre',
            yaxis: 'y5',
            x: samples.map((s) => s.studyDay),
            y: samples.map((s) => (s.result === 'POSITIVE' ? (s.titre ?? 1) : 0)),
            line: { color: '#9b4f96', width: 1.5 },
            marker: { symbol: samples.map((s) => (s.result === 'POSITIVE' ? 'hexagon' : 'circle-open')), size: 10, color: '#9b4f96' },
            customdata: samples.map((s) => cd(`day ${s.studyDay}${s.visit ? ` (${s.visit})` : ''}: ADA ${s.result?.toLowerCase() ?? 'missing'}${s.titre !== null ? `, titre ${s.belowReportable ? '<' : ''}${s.titre}${data.ada?.titreScale.scale === 'log10' ? ' log10' : ''}` : ''}${s.baselineFlag ? ' · baseline' : ''}`)),
            hovertemplate: '%{customdata[1]}<extra></extra>',
            showlegend: false,
          },
        ],
      });
    }
    // Labs.
    const test = labData?.tests.find((t) => t.testcd === testcd);
    if (test) {
      const lp = test.points.filter((p) => p.day !== null && p.value !== null);
      const band = normalRangeBand(test.points);
      const range = (p: (typeof lp)[number]) => (p.normalLow !== null || p.normalHigh !== null ? ` · normal ${p.normalLow ?? '—'}–${p.normalHigh ?? '—'}` : '');
      out.push({
        key: 'labs',
        title: `${test.test ?? test.testcd}${test.unit ? ` (${displayUnit(test.unit)})` : ''}`,
        weight: 1.8,
        yaxis: {},
        traces: [
          // The normal range (LBSTNRLO–LBSTNRHI) shaded: a lower edge, then the upper edge filled down to it.
          ...(band
            ? [
                { type: 'scatter', mode: 'lines', name: 'normal-range-low', yaxis: 'y6', x: band.x, y: band.low, line: { width: 0, shape: 'hv' }, hoverinfo: 'skip', showlegend: false },
                { type: 'scatter', mode: 'lines', name: 'Normal range (LBSTNRLO–LBSTNRHI)', yaxis: 'y6', x: band.x, y: band.high, fill: 'tonexty', fillcolor: 'rgba(46,139,87,0.16)', line: { width: 0, shape: 'hv' }, hoverinfo: 'skip' },
              ]
            : []),
          {
            type: 'scatter',
            mode: 'lines+markers',
            name: test.testcd,
            yaxis: 'y6',
            x: lp.map((p) => p.day),
            y: lp.map((p) => p.value),
            line: { color: '#5b6472', width: 1.5 },
            marker: { size: 8, color: lp.map((p) => (p.nrind === 'HIGH' || p.nrind === 'LOW' || p.nrind === 'ABNORMAL' ? '#b42318' : '#5b6472')) },
            customdata: lp.map((p) => cd(`day ${p.day}: ${p.value} ${displayUnit(test.unit)}${range(p)}${p.nrind ? ` · ${p.nrind.toLowerCase()}` : ''}<br>${labGradeText(p).join('<br>')}`)),
            hovertemplate: '%{customdata[1]}<extra></extra>',
            showlegend: false,
          },
        ],
      });
    }
    return out;
  }, [lane, data, doseColor, doseLabel, presentation, labData, testcd, u, first, end]);

  const fig = useMemo(() => {
    const gap = 0.05;
    const total = tracks.reduce((n, t) => n + t.weight, 0);
    const free = 1 - gap * (tracks.length - 1);
    let top = 1;
    // The left margin holds the category tracks' labels (AE terms, medications) from the first drawing,
    // as the swimmer's lane labels (labelMargin): plotly would otherwise widen it
    // (automargin) and draw the whole figure again. A label longer than estimated still widens it.
    const labelChars = Math.max(0, ...tracks.filter((t) => t.yaxis.type === 'category').flatMap((t) => t.traces.flatMap((tr) => (Array.isArray(tr.y) ? tr.y : [])).map((y) => (typeof y === 'string' ? y.length : 0))));
    const left = Math.max(56, labelMargin(labelChars, review.presentation ? 14 : 11));
    const layout: Record<string, unknown> = {
      barmode: 'overlay',
      hovermode: 'closest',
      showlegend: true,
      legend: { orientation: 'v', x: 1.01, xanchor: 'left', y: 1, yanchor: 'top' },
      margin: { l: left, r: 170, t: 30, b: 50 },
      xaxis: { title: { text: 'Study day (day 1 = first dose)' }, range: xRange(tracks, end), anchor: tracks.length ? `y${axisNo(tracks[tracks.length - 1]!.key)}`.replace('y1', 'y') : 'y' },
      annotations: [] as unknown[],
      shapes: [] as unknown[],
    };
    for (const t of tracks) {
      const h = (t.weight / total) * free;
      const n = axisNo(t.key);
      const name = n === 1 ? 'yaxis' : `yaxis${n}`;
      layout[name] = { ...t.yaxis, domain: [Math.max(0, top - h), top], anchor: 'x' };
      (layout.annotations as unknown[]).push({ xref: 'paper', yref: 'paper', x: 0, y: top, xanchor: 'left', yanchor: 'bottom', text: `<b>${t.title}</b>`, showarrow: false, font: { size: review.presentation ? 15 : 12 } });
      (layout.shapes as unknown[]).push(...(t.shapes ?? []));
      // The DLT window, shaded across every track.
      (layout.shapes as unknown[]).push({ type: 'rect', xref: 'x', yref: `${n === 1 ? 'y' : `y${n}`} domain`, x0: 0.5, x1: data.index.dltWindowDays + 0.5, y0: 0, y1: 1, fillcolor: 'rgba(31,95,174,0.07)', line: { width: 0 }, layer: 'below' });
      top = top - h - gap;
    }
    return { data: tracks.flatMap((t) => t.traces), layout, height: Math.max(420, tracks.reduce((n, t) => n + t.weight, 0) * 70 + 140) };
  }, [tracks, end, data.index.dltWindowDays, review.presentation]);

  const absent = [
    !data.index.domains.includes('AE') && 'AE',
    !data.index.domains.includes('TR') && !data.index.domains.includes('RS') && 'TR/RS (tumour response)',
    !data.index.domains.includes('PC') && 'PC (PK)',
    !data.index.domains.includes('IS') && 'IS (ADA)',
    labData && !labData.present && 'LB (labs)',
  ].filter(Boolean);

  const selectedTest = labData?.tests.find((t) => t.testcd === testcd) ?? null;
  const studyLevels = [...new Set(data.index.lanes.level)].sort((a, b) => (a ?? 1e9) - (b ?? 1e9));
  const received = new Set(lane.segments.map((s) => s.level));
  return (
    <>
      <p className="profile-dose-legend" data-testid="profile-dose-legend" aria-label="Dose level colours">
        <span className="picker-label">Dose colours</span>
        {studyLevels.map((l) => (
          <span key={String(l)} className={`dose-key${received.has(l) ? ' dose-key-received' : ''}`} data-level={l ?? ''} title={received.has(l) ? 'received by this subject' : undefined}>
            <span className="swatch" style={{ '--swatch': review.doseColor(l) } as React.CSSProperties} aria-hidden="true" /> {review.doseLabel(l)}
            {received.has(l) ? ' ✓' : ''}
          </span>
        ))}
      </p>
      {labData && labData.tests.length > 0 && (
        <div className="view-tools">
          <label className="picker">
            <span className="picker-label">Lab test</span>
            <select className="input input-compact" value={testcd} onChange={(e) => setLabTest(e.target.value)} data-testid="profile-lab">
              {labData.tests.map((t) => (
                <option key={t.testcd} value={t.testcd}>
                  {t.test ?? t.testcd}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      <Plot
        title={`Patient profile ${u}`}
        footnote={review.footnote(`subject ${u}`)}
        data={fig.data}
        layout={fig.layout}
        height={fig.height}
        testId="profile"
        exportName={`profile-${u}`}
        description={`Tracks: ${tracks.map((t) => t.title).join(', ')}.`}
        legendNote={
          <>
            Shaded: the DLT window (days 1–{data.index.dltWindowDays}). AE bars run from onset to resolution (to the lane end when not resolved), coloured
            by CTCAE grade; a black outline marks a serious AE, ◆ a DLT. Concomitant medications are grey bars, orange when started in the DLT
            window (a medication taken since before the first dose is drawn from day {PRIOR_CM_DAY}; its start date is in the hover). Exposure bars and the tumour line have the colour of the dose level (✓ above: levels this
            subject received). Tumour: dashed lines at +20% (progression) and −30% (partial response); ☆ marks the assessment giving the best overall response
            of the header (both from the accepted evaluator&apos;s time-point responses). Labs: the normal range (LBSTNRLO–LBSTNRHI) shaded green; the hover and
            the table below give each result&apos;s CTCAE v5.0 grade as the Laboratory view grades it: as recorded (LBTOXGR) when given, else derived from the
            value and normal range, or &quot;not gradable&quot; with the reason.
            {absent.length > 0 && <span className="plot-warn"> Not in this snapshot: {absent.join(', ')}.</span>}
          </>
        }
      >
        <ul className="sr-only" data-testid="profile-tracks">
          {tracks.map((t) => (
            <li key={t.key} data-track={t.key}>
              {t.title}
            </li>
          ))}
        </ul>
      </Plot>
      {selectedTest && <LabResultsTable test={selectedTest} />}
    </>
  );
}

type LabTest = Output<'subjects.labs'>['tests'][number];
type LabPoint = LabTest['points'][number];

/**
 * The CTCAE grade words of one lab result, one line per term: the grade the labs feature gives it
 * ("as recorded (LBTOXGR)" or "derived from the value and normal range"), or "not gradable: reason".
 * A test no CTCAE rule covers shows LBTOXGR as recorded, if any.
 */
export function labGradeText(p: Pick<LabPoint, 'ctcae' | 'toxgr'>): string[] {
  if (p.ctcae.length === 0) return [p.toxgr ? `CTCAE grade ${p.toxgr}, as recorded (LBTOXGR)` : 'no CTCAE grade (no CTCAE rule for this test)'];
  return p.ctcae.map((g) =>
    g.grade === null ? `${g.term}: not gradable: ${g.notGradable ?? 'reason unknown'}` : `${g.term}: grade ${g.grade}, ${g.source === 'LBTOXGR' ? 'as recorded (LBTOXGR)' : `derived from the value and normal range (${g.basis ?? ''})`}`,
  );
}

/** The selected lab test's results with their CTCAE grades, as a small table under the profile. */
function LabResultsTable({ test }: { test: LabTest }) {
  const unit = displayUnit(test.unit);
  return (
    <div className="table-wrap listing-wrap" tabIndex={0} role="region" aria-label={`Results of ${test.test ?? test.testcd}`}>
      <table className="data-table compact-table" data-testid="profile-lab-results">
        <caption>
          {test.test ?? test.testcd} ({test.testcd}): results and CTCAE v5.0 grade
        </caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              Study day
            </th>
            <th scope="col">Date</th>
            <th scope="col" className="num">
              Result{unit ? ` (${unit})` : ''}
            </th>
            <th scope="col">Normal range</th>
            <th scope="col">CTCAE grade</th>
          </tr>
        </thead>
        <tbody>
          {test.points.map((p) => (
            <tr key={p.rowNo} data-testid="profile-lab-row" data-row={p.rowNo}>
              <td className="num">{p.day ?? ''}</td>
              <td>{p.dtc ?? ''}</td>
              <td className="num">{p.value ?? p.text ?? ''}</td>
              <td>{p.normalLow !== null || p.normalHigh !== null ? `${p.normalLow ?? '—'}–${p.normalHigh ?? '—'}` : 'not given'}</td>
              <td data-testid="profile-lab-grade">
                {labGradeText(p).map((t, i) => (
                  <div key={i}>{t}</div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type TumourSubjectData = NonNullable<Output<'efficacy.tumourSeries'>>['subjects'][number];

/**
 * The responses the header and the tumour panel both show, from one derivation (efficacy.tumourSeries):
 * the time-point responses of the accepted evaluator per assessment (RSACPTFL/TRACPTFL, else the
 * investigator: shared/efficacy/records.ts acceptedEvaluator) and the confirmed best overall response
 * computed from exactly those (RECIST 1.1 §4.4, shared/recist.ts). Null without tumour data.
 */
export function tumourResponses(ts: TumourSubjectData | undefined): { bor: string; borDtc: string | null; borDay: number | null; evaluators: string[] } | null {
  if (!ts || ts.points.length === 0) return null;
  const borDtc = ts.bor.confirmed.dtc;
  const borPoint = borDtc ? ts.points.find((p) => p.dtc === borDtc) : undefined;
  const evaluators = [...new Set(ts.points.filter((p) => !p.baseline && p.response !== null).map((p) => p.evaluator))];
  return { bor: ts.bor.confirmed.response, borDtc, borDay: borPoint?.studyDay ?? null, evaluators };
}

/** The normal-range band of one lab test over study days (points with both limits), as steps; null when no point has both. */
export function normalRangeBand(points: { day: number | null; normalLow: number | null; normalHigh: number | null }[]): { x: number[]; low: number[]; high: number[] } | null {
  const ps = points.filter((p): p is { day: number; normalLow: number; normalHigh: number } => p.day !== null && p.normalLow !== null && p.normalHigh !== null).sort((a, b) => a.day - b.day);
  if (ps.length === 0) return null;
  // One point alone still shows as a band a day wide.
  const x = ps.length === 1 ? [ps[0]!.day - 0.5, ps[0]!.day + 0.5] : ps.map((p) => p.day);
  const src = ps.length === 1 ? [ps[0]!, ps[0]!] : ps;
  return { x, low: src.map((p) => p.normalLow), high: src.map((p) => p.normalHigh) };
}

/** The x range covering every point and bar of every track (AEs and samples after the end of treatment included). */
function xRange(tracks: Track[], end: number): [number, number] {
  let lo = 0;
  let hi = end;
  for (const t of tracks)
    for (const tr of t.traces) {
      const xs = (tr.x as (number | null)[] | undefined) ?? [];
      const base = tr.base as number[] | undefined;
      xs.forEach((x, i) => {
        if (typeof x !== 'number') return;
        const a = base ? base[i]! : x;
        const b = base ? base[i]! + x : x;
        lo = Math.min(lo, a);
        hi = Math.max(hi, b);
      });
    }
  const pad = Math.max(2, (hi - lo) * 0.02);
  return [lo - pad, hi + pad];
}

/** Where a medication begun before the first dose starts on the profile's axis (study day). */
const PRIOR_CM_DAY = -14;

const AXIS: Record<string, number> = { exposure: 1, aes: 2, tumour: 3, pk: 4, ada: 5, labs: 6, cm: 7 };
function axisNo(key: string): number {
  return AXIS[key] ?? 1;
}

