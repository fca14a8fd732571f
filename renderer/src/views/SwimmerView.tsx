import { MappingBanner } from '../components/MappingBanner';
import { useMemo, useState } from 'react';
import type { Output } from '../../../shared/contract';
import { invoke } from '../api';
import { Plot, themeFontSize } from '../components/Plot';
import { EmptyState, ErrorState, LoadingState } from '../components/States';
import { count, isoDate } from '../format';
import { useReview, type Review, useViewCount } from '../review';
import { GRADE_COLORS, RESPONSE_COLORS } from '../theme';
import { useCall } from '../useCall';
import type { ViewProps } from './types';
import { displayUnit } from '../../../shared/units';
import { exposureHoverLine } from '../components/exposureHover';
import { laneKeys, type LaneIndex, type LaneKey } from '../lanes';
import { labelMargin, legendAboveMargin } from '../components/axes';

// Swimmer (README.md#the-views): one lane per treated subject from the first dose (study day 1) to the end of
// treatment (or the cut-off while ongoing), coloured by the dose actually given over time (EX
// segments: intra-patient escalation and reductions change the colour along the lane), the DLT
// window shaded, markers for time-point responses, DLTs, SAEs, ADA-positive samples and death, an
// arrow for ongoing treatment and the end-of-treatment reason at the lane's end.

type Timeline = Output<'subjects.timeline'>;
type Responses = Output<'efficacy.responses'>;
type AeListing = Output<'safety.aeListing'>;
type Ada = Output<'safety.ada'>;
type Lane = Timeline['subjects'][number];

export interface SwimmerData {
  timeline: Timeline;
  responses: Responses | null;
  /** The AEs drawn on the lanes: serious or DLT-flagged (from safety.listings, not every AE of the study). */
  aes: { rows: AeListing['rows'] } | null;
  ada: Ada | null;
  /** Exposure per subject for the lane hover (exposure.summary). */
  exposure?: Output<'exposure.summary'> | null;
  /** Calls that failed (the plot is drawn without their markers). */
  missing: string[];
}

async function settle<T>(p: Promise<T>, what: string, missing: string[]): Promise<T | null> {
  try {
    return await p;
  } catch {
    missing.push(what);
    return null;
  }
}

/** The lanes of the subjects `usubjids` (all without) and what is drawn on them (responses, SAEs and DLTs, ADA, exposure for the hover). */
export async function loadLanes(snapshotId: number, usubjids?: string[]): Promise<SwimmerData> {
  const missing: string[] = [];
  const [timeline, responses, listings, ada, exposure] = await Promise.all([
    invoke('subjects.timeline', { snapshotId, usubjids }),
    settle(invoke('efficacy.responses', { snapshotId, usubjids }), 'responses (efficacy.responses)', missing),
    settle(invoke('safety.listings', { snapshotId, usubjids }), 'SAEs and DLTs (safety.listings)', missing),
    settle(invoke('safety.ada', { snapshotId, usubjids }), 'anti-drug antibodies (safety.ada)', missing),
    settle(invoke('exposure.summary', { snapshotId, usubjids }), 'exposure (exposure.summary)', missing),
  ]);
  // An AE both serious and a DLT is in both listings: taken once, from the SAEs.
  const aes = listings ? { rows: [...listings.saes, ...listings.dlts.filter((r) => !r.serious)] } : null;
  return { timeline, responses, aes, ada, exposure, missing };
}

export type SwimmerSort = 'level-duration' | 'duration' | 'first-dose' | 'subject';
const SORTS: { id: SwimmerSort; label: string }[] = [
  { id: 'level-duration', label: 'Dose level, then duration' },
  { id: 'duration', label: 'Duration' },
  { id: 'first-dose', label: 'First dose date' },
  { id: 'subject', label: 'Subject' },
];

const duration = (l: LaneKey) => l.laneEndDay ?? 0;

/** Lanes in display order (top first). */
export function sortLanes<L extends LaneKey>(lanes: L[], sort: SwimmerSort): L[] {
  const bySubject = (a: LaneKey, b: LaneKey) => a.usubjid.localeCompare(b.usubjid);
  const cmp: Record<SwimmerSort, (a: LaneKey, b: LaneKey) => number> = {
    'level-duration': (a, b) => (a.level ?? 1e9) - (b.level ?? 1e9) || duration(b) - duration(a) || bySubject(a, b),
    duration: (a, b) => duration(b) - duration(a) || bySubject(a, b),
    'first-dose': (a, b) => a.firstDoseDtc.localeCompare(b.firstDoseDtc) || bySubject(a, b),
    subject: bySubject,
  };
  return [...lanes].sort(cmp[sort]);
}

const RESPONSE_SYMBOL: Record<string, string> = { CR: 'star', PR: 'triangle-up', SD: 'square', 'NON-CR/NON-PD': 'square-open', PD: 'x', NE: 'circle-open' };
const RESPONSE_LABEL: Record<string, string> = { CR: 'CR — complete response', PR: 'PR — partial response', SD: 'SD — stable disease', 'NON-CR/NON-PD': 'Non-CR/non-PD', PD: 'PD — progressive disease', NE: 'NE — not evaluable' };
const RESPONSE_COLOR: Record<string, string> = { ...RESPONSE_COLORS, 'NON-CR/NON-PD': '#9a7d0a' };
const titleCase = (s: string) => s.charAt(0) + s.slice(1).toLowerCase();

/** Lane pitch in pixels (the plot's height follows it) and the offset of DLT/SAE (above) and ADA (below) markers from the lane's centre, in lanes. */
export const LANE_PX = 30;
export const LANE_PX_PRESENTATION = 34;
export const MARK_DY = 0.3;
/** Size (px) of the off-lane markers: at MARK_DY × 30 px = 9 px from the centre, a 9 px marker (10.4 px when presenting, 34 px lanes) stays inside its lane's ±15 px. */
const OFF_LANE_MARKER = 9;

/** The plotly traces of the swimmer: lanes (one trace per dose level, for the legend), the DLT window, markers. */
export function swimmerFigure(lanes: Lane[], d: SwimmerData, r: Pick<Review, 'doseColor' | 'doseLabel' | 'subjectStatus'>, presentation: boolean) {
  const W = d.timeline.dltWindowDays;
  const y = new Map(lanes.map((l, i) => [l.usubjid, i]));
  const traces: Record<string, unknown>[] = [];
  // the axis reaches every lane end, death and end-of-treatment label anchor
  const maxDay = Math.max(W, ...lanes.map((l) => Math.max(l.laneEndDay ?? 1, l.death?.day ?? 0)));
  const ms = presentation ? 1.3 : 1;
  const xMax = maxDay * 1.04 + 4;
  // days per pixel at a narrow plot width (~900 px): label offsets in pixels whatever the follow-up length
  const dayPerPx = xMax / 900;

  // DLT window: one light band under every lane, days 1..W (one bar, not one per lane: each bar is
  // styled and drawn on its own, 200 of them took a tenth of the figure's drawing).
  traces.push({
    type: 'bar',
    orientation: 'h',
    name: `DLT window (days 1–${W})`,
    y: [(lanes.length - 1) / 2],
    x: [W],
    base: [0.5],
    width: Math.max(1, lanes.length),
    marker: { color: 'rgba(31, 95, 174, 0.13)', line: { width: 0 } },
    hoverinfo: 'skip',
    legendrank: 1,
  });

  // Exposure segments, one trace per dose level (a level's colour is the same in every view).
  const byLevel = new Map<string, { level: number | null; x: number[]; base: number[]; y: number[]; cd: [string, string][] }>();
  // a map, not a search of every subject for every segment (quadratic at thousands of subjects)
  const exposureOf = new Map((d.exposure?.subjects ?? []).map((x) => [x.usubjid, x]));
  for (const l of lanes) {
    for (const s of l.segments) {
      const key = s.level === null ? 'none' : String(s.level);
      let t = byLevel.get(key);
      if (!t) byLevel.set(key, (t = { level: s.level, x: [], base: [], y: [], cd: [] }));
      t.y.push(y.get(l.usubjid)!);
      t.base.push(s.startDay - 0.5);
      t.x.push(s.endDay - s.startDay + 1);
      const doseText = s.dose === null ? 'dose not recorded' : `${s.dose} ${displayUnit(s.unit)}`.trim();
      const exposureLine = exposureHoverLine(exposureOf.get(l.usubjid));
      t.cd.push([
        l.usubjid,
        `<b>${l.usubjid}</b> · ${r.doseLabel(l.level)} (first dose) · ${titleCase(l.part)}<br>${s.level !== null ? `DL${s.level}: ` : ''}${doseText}, study days ${s.startDay}–${s.endDay} (${s.startDtc} – ${s.endDtc}) · ${s.administrations} dose${s.administrations === 1 ? '' : 's'}<br>${exposureLine ? `${exposureLine}<br>` : ''}${l.ongoing ? `Ongoing at the cut-off (day ${l.laneEndDay})` : `Treatment ended day ${l.endOfTreatment?.day ?? '?'}: ${l.endOfTreatment?.reason.toLowerCase() ?? ''}`}`,
      ]);
    }
  }
  for (const [, t] of [...byLevel.entries()].sort(([a], [b]) => (a === 'none' ? 1e9 : Number(a)) - (b === 'none' ? 1e9 : Number(b)))) {
    traces.push({
      type: 'bar',
      orientation: 'h',
      name: t.level === null ? 'Dose not in the plan' : r.doseLabel(t.level),
      y: t.y,
      x: t.x,
      base: t.base,
      width: 0.5,
      marker: { color: r.doseColor(t.level), line: { width: 0 } },
      customdata: t.cd,
      hovertemplate: '%{customdata[1]}<extra></extra>',
      legendrank: 10 + (t.level ?? 99),
    });
  }

  const markerTrace = (name: string, points: { u: string; x: number; dy: number; text: string }[], marker: Record<string, unknown>, rank: number) => {
    if (points.length === 0) return;
    traces.push({
      type: 'scatter',
      mode: 'markers',
      name,
      x: points.map((p) => p.x),
      y: points.map((p) => y.get(p.u)! + p.dy),
      customdata: points.map((p) => [p.u, p.text]),
      hovertemplate: '%{customdata[1]}<extra></extra>',
      marker: { ...marker, size: Math.round(((marker.size as number) ?? 10) * ms) },
      legendrank: rank,
    });
  };

  // Time-point responses on the lane.
  const resp = new Map<string, { u: string; x: number; dy: number; text: string }[]>();
  for (const s of d.responses?.subjects ?? []) {
    if (!y.has(s.usubjid)) continue;
    for (const p of s.responses) {
      if (p.response === 'ND') continue;
      let l = resp.get(p.response);
      if (!l) resp.set(p.response, (l = []));
      l.push({ u: s.usubjid, x: p.studyDay, dy: 0, text: `<b>${s.usubjid}</b><br>${RESPONSE_LABEL[p.response] ?? p.response} on day ${p.studyDay} (${isoDate(p.dtc)})<br>${p.source === 'RS' ? 'RS' : 'computed by RECIST 1.1'} · ${p.evaluator.toLowerCase()}${p.newLesion ? ' · new lesion' : ''}` });
    }
  }
  for (const [k, rank] of [['CR', 40], ['PR', 41], ['SD', 42], ['NON-CR/NON-PD', 43], ['PD', 44], ['NE', 45]] as const) {
    const pts = resp.get(k);
    if (pts) markerTrace(RESPONSE_LABEL[k]!, pts, { symbol: RESPONSE_SYMBOL[k], color: RESPONSE_COLOR[k], size: k === 'CR' ? 13 : 10, line: { color: '#1d2430', width: k === 'PD' || k.endsWith('open') || k === 'NE' ? 2 : 1 } }, rank);
  }

  // DLTs and SAEs above the lane.
  const dlts: { u: string; x: number; dy: number; text: string }[] = [];
  const saes: { u: string; x: number; dy: number; text: string }[] = [];
  for (const a of d.aes?.rows ?? []) {
    if (!y.has(a.usubjid) || a.studyDay === null) continue;
    const text = `<b>${a.usubjid}</b><br>${a.aedecod ?? a.aeterm}, grade ${a.grade ?? '?'} on day ${a.studyDay}${a.serious ? ' · serious' : ''}${a.dlt ? ' · DLT' : ''}${a.related ? ' · related' : ''}`;
    if (a.dlt) dlts.push({ u: a.usubjid, x: a.studyDay, dy: -MARK_DY, text });
    if (a.serious) saes.push({ u: a.usubjid, x: a.studyDay, dy: a.dlt ? MARK_DY : -MARK_DY, text });
  }
  markerTrace('DLT', dlts, { symbol: 'diamond', color: GRADE_COLORS[4], size: OFF_LANE_MARKER, line: { color: '#ffffff', width: 1 } }, 50);
  markerTrace('SAE', saes, { symbol: 'triangle-down', color: '#1d2430', size: OFF_LANE_MARKER, line: { color: '#ffffff', width: 1 } }, 51);

  // ADA-positive post-baseline samples below the lane (first positive sample per subject).
  const ada: { u: string; x: number; dy: number; text: string }[] = [];
  for (const s of d.ada?.subjects ?? []) {
    if (!y.has(s.usubjid)) continue;
    const pos = s.samples.find((x) => !x.baselineFlag && x.result === 'POSITIVE' && x.studyDay !== null && x.studyDay > 1);
    if (pos) ada.push({ u: s.usubjid, x: pos.studyDay!, dy: MARK_DY, text: `<b>${s.usubjid}</b><br>ADA positive from day ${pos.studyDay}${pos.titre !== null ? `, titre ${pos.titre}` : ''}<br>${s.category}${s.maxPostTitre !== null ? ` · max titre ${s.maxPostTitre}` : ''}` });
  }
  markerTrace('ADA positive', ada, { symbol: 'hexagon', color: '#9b4f96', size: OFF_LANE_MARKER, line: { color: '#ffffff', width: 1 } }, 52);

  // Death, ongoing arrow and the end-of-treatment reason at the lane's end.
  const followUp = lanes.filter((l) => l.death?.day != null && l.laneEndDay !== null && l.death.day > l.laneEndDay);
  if (followUp.length) {
    traces.push({
      type: 'scatter',
      mode: 'lines',
      name: 'Follow-up to death',
      x: followUp.flatMap((l) => [l.laneEndDay! + 0.5, l.death!.day!, null]),
      y: followUp.flatMap((l) => [y.get(l.usubjid)!, y.get(l.usubjid)!, null]),
      line: { color: '#5b6472', width: 1.5, dash: 'dot' },
      hoverinfo: 'skip',
      legendrank: 53,
    });
  }
  const deaths = lanes.filter((l) => l.death?.day != null).map((l) => ({ u: l.usubjid, x: l.death!.day!, dy: 0, text: `<b>${l.usubjid}</b><br>Death on day ${l.death!.day} (${l.death!.dtc})` }));
  markerTrace('Death', deaths, { symbol: 'x-thin', color: '#000000', size: 14, line: { color: '#000000', width: 3 } }, 53);
  const ongoing = lanes.filter((l) => l.ongoing && l.laneEndDay !== null).map((l) => ({ u: l.usubjid, x: l.laneEndDay! + 1.5, dy: 0, text: `<b>${l.usubjid}</b><br>On treatment at the data cut-off (day ${l.laneEndDay})` }));
  markerTrace('Ongoing at cut-off', ongoing, { symbol: 'triangle-right', color: '#1d2430', size: 11 }, 54);
  const ended = lanes.filter((l) => !l.ongoing && l.laneEndDay !== null && l.endOfTreatment);
  if (ended.length) {
    traces.push({
      type: 'scatter',
      mode: 'text',
      name: 'End-of-treatment reason',
      showlegend: false,
      // after the lane's end and after a later death, so the dotted follow-up line never runs through the text
      x: ended.map((l) => Math.max(l.laneEndDay!, l.death?.day ?? 0) + (l.death ? 16 : 6) * ms * dayPerPx),
      y: ended.map((l) => y.get(l.usubjid)!),
      text: ended.map((l) => titleCase(l.endOfTreatment!.reason)),
      textposition: 'middle right',
      cliponaxis: false,
      textfont: { size: presentation ? 14 : 11, color: '#3b4452' },
      customdata: ended.map((l) => [l.usubjid, `<b>${l.usubjid}</b><br>Treatment ended on day ${l.endOfTreatment!.day ?? '?'}: ${l.endOfTreatment!.reason.toLowerCase()}`]),
      hovertemplate: '%{customdata[1]}<extra></extra>',
    });
  }

  const tickText = lanes.map((l) => {
    const st = r.subjectStatus(l.usubjid);
    const badge = st === 'new' ? ' <span style="color:#135c33"><b>NEW</b></span>' : st === 'changed' ? ' <span style="color:#6b4500"><b>CHG</b></span>' : '';
    return `${l.usubjid}${badge}`;
  });
  // the right margin holds the longest end-of-treatment reason (about 0.6 em per character) so that none is clipped
  const longest = Math.max(0, ...ended.map((l) => titleCase(l.endOfTreatment!.reason).length));
  const right = Math.max(60, Math.ceil(longest * (presentation ? 14 : 11) * 0.62) + 24);
  // The left margin holds the lane labels and the top one the legend from the first drawing, so that
  // plotly does not draw the figure twice to widen them (legendAboveMargin); the labels at about 0.62
  // em per character, as above.
  const font = themeFontSize(presentation);
  const labelChars = Math.max(0, ...lanes.map((l, i) => l.usubjid.length + (tickText[i] !== l.usubjid ? 4 : 0)));
  const left = labelMargin(labelChars, font);
  const top = legendAboveMargin(traces, font);
  const layout = {
    barmode: 'overlay',
    bargap: 0,
    showlegend: true,
    legend: { orientation: 'h', x: 0, y: 1.0, yanchor: 'bottom', traceorder: 'normal' },
    margin: { l: left, r: right, t: top, b: 50 },
    xaxis: { title: { text: 'Study day (day 1 = first dose)' }, range: [0, xMax], zeroline: false },
    yaxis: {
      tickmode: 'array',
      tickvals: lanes.map((_, i) => i),
      ticktext: tickText,
      // Every lane's label is drawn in full: 'allow' spares plotly measuring 200 labels to hide any cut by the edge (0.5 s at 200 lanes).
      ticklabeloverflow: 'allow',
      autorange: false,
      range: [lanes.length - 0.5, -0.5],
      showgrid: false,
      zeroline: false, // y = 0 is the first lane's centre, not a value
      fixedrange: true,
      // a faint line between lanes: each marker visibly belongs to one lane
      minor: { tickmode: 'array', tickvals: lanes.slice(1).map((_, i) => i + 0.5), showgrid: true, gridcolor: '#e3e7ec', ticklen: 0 },
    },
    hovermode: 'closest',
  };
  return { traces, layout };
}

export function SwimmerView({ snapshot, onImport, dataVersion }: ViewProps) {
  const review = useReview();
  // The lanes first (sort, filters, pager); what is drawn on them is asked for the lanes shown (SwimmerBody).
  const [state, retry] = useCall<LaneIndex>(snapshot ? () => invoke('subjects.lanes', { snapshotId: snapshot.snapshotId }) : null, [snapshot?.snapshotId, dataVersion]);
  const [sort, setSort] = useState<SwimmerSort>('level-duration');

  return (
    <section className="view view-wide" aria-labelledby="view-title">
      <header className="view-header">
        <h1 id="view-title">Swimmer</h1>
        <p className="view-sub">One lane per treated subject: treatment duration, dose given over time, DLT window, responses and events.</p>
      </header>
      <MappingBanner view="swimmer" snapshot={snapshot} dataVersion={dataVersion} />
      {!snapshot ? (
        <EmptyState
          title="No snapshot loaded"
          action={
            <button type="button" className="btn btn-primary" onClick={onImport}>
              Import snapshot…
            </button>
          }
        >
          <p>Import a study data snapshot to see the subjects' treatment lanes.</p>
        </EmptyState>
      ) : state.status === 'loading' || state.status === 'idle' ? (
        <LoadingState what="the subjects' timelines" />
      ) : state.status === 'error' ? (
        <ErrorState title="The swimmer plot could not be loaded" error={state.error} onRetry={retry} />
      ) : (
        <SwimmerBody index={state.data} snapshotId={snapshot.snapshotId} dataVersion={dataVersion} sort={sort} setSort={setSort} review={review} />
      )}
    </section>
  );
}

/**
 * Up to LANES_ONE_PAGE lanes (after the filters) are drawn on one page; more, LANES_PER_PAGE at a
 * time with the pager. A screen shows about 25 lanes: a page of 100 is four screens, and draws in
 * half the time of 200 (at 10,000 subjects plotly's drawing was most of the view's opening).
 */
export const LANES_ONE_PAGE = 200;
export const LANES_PER_PAGE = 100;

function SwimmerBody({ index, snapshotId, dataVersion, sort, setSort, review }: { index: LaneIndex; snapshotId: number; dataVersion: ViewProps['dataVersion']; sort: SwimmerSort; setSort(s: SwimmerSort): void; review: Review }) {
  const { inFilter } = review;
  const keys = useMemo(() => laneKeys(index), [index]);
  const lanes = useMemo(() => sortLanes(keys.filter((l) => inFilter(l)), sort), [keys, sort, inFilter]);
  useViewCount('swimmer', lanes.length, keys.length, 'subjects');
  // A large study is drawn a page of lanes at a time: a hundred lanes are what a room reads at once,
  // and thousands of SVG lanes would hold the screen for seconds.
  const [page, setPage] = useState(0);
  const pages = lanes.length <= LANES_ONE_PAGE ? 1 : Math.ceil(lanes.length / LANES_PER_PAGE);
  const current = Math.min(page, pages - 1);
  const shown = useMemo(() => (pages === 1 ? lanes : lanes.slice(current * LANES_PER_PAGE, (current + 1) * LANES_PER_PAGE)), [lanes, pages, current]);
  const range = pages === 1 ? null : `lanes ${count(current * LANES_PER_PAGE + 1)}–${count(current * LANES_PER_PAGE + shown.length)} of ${count(lanes.length)}`;
  // A study of more than one page asks for the lanes and markers of the lanes shown only (100 of
  // 10,000 subjects, not 30 MB; also when the filters leave one page); a study of one page asks once
  // for all, so that filters and sorting redraw without a call.
  const only = keys.length > LANES_ONE_PAGE ? shown.map((l) => l.usubjid).sort() : undefined;
  const key = only?.join('\u0000') ?? '';
  const [marks, retryMarks] = useCall(shown.length ? async () => ({ key, ...(await loadLanes(snapshotId, only)) }) : null, [snapshotId, dataVersion, key]);
  // The answer of another page (the call for this one still running) is not drawn on these lanes.
  const data = marks.status === 'ok' && marks.data.key === key ? marks.data : null;
  // The review object is new on every render; its members are stable callbacks, named here.
  const { doseColor, doseLabel, subjectStatus, presentation } = review;
  // The page's lanes in the index's sorted order, with their timelines.
  const drawn = useMemo(() => {
    if (!data) return [];
    const byId = new Map(data.timeline.subjects.map((l) => [l.usubjid, l]));
    return shown.map((k) => byId.get(k.usubjid)).filter((l): l is Lane => !!l);
  }, [shown, data]);
  const fig = useMemo(() => (data ? swimmerFigure(drawn, data, { doseColor, doseLabel, subjectStatus }, presentation) : null), [drawn, data, doseColor, doseLabel, subjectStatus, presentation]);
  if (!index.domains.includes('EX') || keys.length === 0) {
    return (
      <EmptyState title={!index.domains.includes('EX') ? 'This snapshot has no EX domain' : 'No treated subject at this data cut-off'}>
        <p>The swimmer plot draws each subject's exposure from EX (EXSTDTC, EXDOSE). Import a snapshot with EX records dated on or before the data cut-off.</p>
      </EmptyState>
    );
  }
  const W = index.dltWindowDays;
  const domains = index.domains;
  const notes = [
    !domains.includes('RS') && !domains.includes('TR') ? 'no RS/TR: no response markers' : null,
    !domains.includes('AE') ? 'no AE: no DLT/SAE markers' : null,
    !domains.includes('IS') ? 'no IS: no ADA markers' : null,
    ...(data?.missing ?? []).map((m) => `${m} could not be loaded`),
  ].filter(Boolean);
  return (
    <>
      <div className="view-tools">
        <label className="picker">
          <span className="picker-label">Sort lanes by</span>
          <select className="input input-compact" value={sort} onChange={(e) => setSort(e.target.value as SwimmerSort)} data-testid="swimmer-sort">
            {SORTS.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <span className="filter-info" data-testid="swimmer-count">
          {count(lanes.length)} of {count(keys.length)} treated subjects
        </span>
        {range && (
          <span className="pager" role="group" aria-label="Pages of lanes">
            <button type="button" className="btn btn-small" onClick={() => setPage(current - 1)} disabled={current === 0}>
              Previous {LANES_PER_PAGE}
            </button>
            <span className="filter-info" data-testid="swimmer-page" aria-live="polite">
              Showing {range}
            </span>
            <button type="button" className="btn btn-small" onClick={() => setPage(current + 1)} disabled={current === pages - 1}>
              Next {LANES_PER_PAGE}
            </button>
          </span>
        )}
      </div>
      {lanes.length === 0 ? (
        <EmptyState title="No subject matches the filters">
          <p>The dose-level, part or "new only" filters leave no treated subject. Clear the filters in the bar above.</p>
        </EmptyState>
      ) : marks.status === 'error' ? (
        <ErrorState title="The lanes' events could not be loaded" error={marks.error} onRetry={retryMarks} />
      ) : !fig ? (
        <LoadingState what="the lanes' events" />
      ) : (
        <Plot
          title="Swimmer plot: treatment duration by subject"
          footnote={review.footnote(`lanes sorted by ${SORTS.find((s) => s.id === sort)!.label.toLowerCase()}${range ? `; ${range}` : ''}`)}
          data={fig.traces}
          layout={fig.layout}
          height={Math.max(260, shown.length * (review.presentation ? LANE_PX_PRESENTATION : LANE_PX) + 130)}
          testId="swimmer"
          onSubjectClick={review.openSubject}
          description={`Swimmer plot of ${range ?? `${lanes.length} subjects`}. A table of the lanes follows.`}
          legendNote={
            <>
              Each lane runs from the first dose (study day 1) to the end of treatment, or to the data cut-off while treatment is ongoing (▶). Its colour
              is the dose given at the time: a colour change along a lane is an intra-patient dose escalation or reduction. The shaded band is the DLT
              window (days 1–{W}). Markers on the lane are time-point responses; above it DLTs (◆) and SAEs (▼); below it the first ADA-positive sample
              (⬢); ✕ marks death. The text at a lane's end is the reason treatment ended. Click a lane to open the patient profile.
              {notes.length > 0 && <span className="plot-warn"> Not shown: {notes.join('; ')}.</span>}
            </>
          }
        >
          <LaneTable lanes={drawn} review={review} />
        </Plot>
      )}
    </>
  );
}

/**
 * The lanes as a table for screen readers (the plot is an image to them); also what tests count.
 * The hiding box wraps the table: a table's height ignores `height`/`overflow`, so a hidden table of
 * 200 rows would still lengthen the page.
 */
function LaneTable({ lanes, review }: { lanes: Lane[]; review: Review }) {
  return (
    <div className="sr-only">
      <table data-testid="swimmer-lanes">
        <caption>Lanes of the swimmer plot</caption>
        <thead>
          <tr>
            <th scope="col">Subject</th>
            <th scope="col">Dose level</th>
            <th scope="col">Last day</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {lanes.map((l) => (
            <tr key={l.usubjid} data-usubjid={l.usubjid} data-new={review.subjectStatus(l.usubjid) ?? undefined}>
              <th scope="row">
                <button type="button" onClick={() => review.openSubject(l.usubjid)}>
                  {l.usubjid}
                </button>
              </th>
              <td>{review.doseLabel(l.level)}</td>
              <td>{l.laneEndDay}</td>
              <td>{l.ongoing ? 'ongoing' : (l.endOfTreatment?.reason ?? '')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
