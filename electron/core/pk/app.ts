import type { z } from 'zod';
import type { contract, Output } from '../../../shared/contract';
import type { LambdaZChoice, NcaRow } from '../../../shared/api/pk';
import { doseLevelOf } from '../../../shared/dlt';
import { accumulationRatio, doseProportionality, nca, type BlqOptions, type NcaParameter, type NcaResult } from '../../../shared/nca';
import {
  baselineWeight,
  ppTarget,
  buildDoses,
  buildProfiles,
  chooseMatrix,
  describe,
  DOSE_DEPENDENT_CODES,
  isExcretaMatrix,
  matrixOf,
  renalClearance,
  seedParameters,
  tauFromEx,
  timeFallbacks,
  toNcaInput,
  urineExcretion,
  type NcaInput,
  type PkDosingDefaults,
  type PkInterval,
  type PkProfile,
  type TimeBasis,
  type TimeFallback,
} from '../../../shared/pk';
import { encodeCurves } from '../../../shared/pk/curves';
import { ncaTableRow } from '../../../shared/pk/ncaTable';
import { toColumns } from '../../../shared/columns';
import { CallError, type App, type CoreContext } from '../context';
import { auditLambdaZ } from '../audit/hooks';
import { utcIso } from '../audit/clock';
import { attribution } from '../access/actor';
import { snapshotContext } from '../cohorts/app';
import { loadSubjects } from '../queries/subjects';
import { snapshotMemo } from '../snapshots/memo';
import { choiceHistory, insertChoice, latestChoices, type StoredChoice } from './choices';
import { ncaFile } from './ncafile';
import { lastChoiceId, loadAvailable, loadEx, loadPc, loadPp, loadUrine, loadWeights, snapshotStudy } from './queries';

// Handlers of the pk feature: profiles from a snapshot, NCA per subject with the reviewer's lambda_z
// choice, summary by dose level, PP comparison, dose proportionality, NCA of a CSV file.

type In<M extends keyof typeof contract> = z.output<(typeof contract)[M]['input']>;
type AucMethod = 'linear' | 'lin-up-log-down';

export function registerPk(app: App): void {
  app.method('pk.profiles', (input, ctx) => profilesOf(ctx, input));
  app.method('pk.curves', (input, ctx) => curvesOf(ctx, input));
  app.method('pk.nca', (input, ctx) => ncaOf(ctx, input));
  app.method('pk.setLambdaZ', (input, ctx) => setLambdaZ(ctx, input));
  app.method('pk.lambdaZHistory', ({ snapshotId, usubjid }, ctx) => {
    studyOf(ctx, snapshotId);
    return choiceHistory(ctx.db, snapshotId, usubjid).map((c) => ({ ...c }));
  });
  // The PP comparison depends on the snapshot, the study definition, the request and the λz choices: once per state of those.
  app.method('pk.compareReported', (input, ctx) =>
    snapshotMemo(ctx.db, input.snapshotId, 'pk.compareReported', { input, definition: snapshotContext(ctx, input.snapshotId).definition, choices: lastChoiceId(ctx.db, input.snapshotId) }, () => compareReported(ctx, input)),
  );
  app.method('pk.doseProportionality', (input, ctx) => doseProportionalityOf(ctx, input));
  app.method('pk.urine', (input, ctx) => urineOf(ctx, input));
  app.method('pk.ncaFile', (input) => ncaFile(input));
}

// ---- gathering -------------------------------------------------------------------------------

interface StudyPk {
  studyId: string;
  analytes: string[];
  analyte: string | null;
  /** The matrix analysed (matrixOf(PCSPEC)), or null when the analyte has no sample. */
  matrix: string | null;
  available: { analyte: string; matrix: string; samples: number }[];
  profiles: readonly PkProfile[];
  /** timeFallbacks of each interval's profiles. */
  fallbacks: Record<PkInterval, readonly TimeFallback[]>;
  tauH: number | null;
  tauSource: 'study' | 'EX' | null;
  tauNote: string;
  doseLevel: Map<string, { level: number; label: string } | null>;
  part: Map<string, 'escalation' | 'expansion'>;
  notes: string[];
  unplaced: { usubjid: string; analyte: string; matrix: string; count: number }[];
}

function studyOf(ctx: CoreContext, snapshotId: number): string {
  const r = snapshotStudy(ctx.db, snapshotId);
  if (!r) throw new CallError('not-found', `no snapshot ${snapshotId}`);
  return r.study_id;
}

const matrixLabel = (m: string) => (m === '' ? '(PCSPEC not given)' : m);

/** τ: the study definition's pk.tauH, else the consistent spacing of repeated EX doses, else unknown (never the cycle length). */
export function resolveTau(ctx: CoreContext, snapshotId: number, definitionTauH: number | undefined): { tauH: number | null; source: 'study' | 'EX' | null; note: string } {
  if (definitionTauH && definitionTauH > 0) return { tauH: definitionTauH, source: 'study', note: `τ = ${definitionTauH} h from the study definition (pk.tauH)` };
  const fromEx = snapshotMemo(ctx.db, snapshotId, 'pk.tauFromEx', null, () => tauFromEx(loadEx(ctx.db, snapshotId)));
  if (fromEx.tauH !== null) return { tauH: fromEx.tauH, source: 'EX', note: `τ = ${fromEx.tauH} h ${fromEx.note}` };
  return { tauH: null, source: null, note: `τ unknown: ${fromEx.note}; no steady-state parameter is computed until the study definition gives the dosing interval (pk.tauH)` };
}

/** The analyte × matrix pairs with their sample counts: read once per snapshot (a GROUP BY over every PC row), afresh for a few subjects. */
function availableOf(ctx: CoreContext, snapshotId: number, usubjids?: readonly string[]) {
  return usubjids ? loadAvailable(ctx.db, snapshotId, usubjids) : snapshotMemo(ctx.db, snapshotId, 'pk.available', null, () => loadAvailable(ctx.db, snapshotId));
}

/** The analyte analysed: the one asked for, else the study definition's pk.analyte when present, else the first. */
function chooseAnalyte(analytes: readonly string[], asked: string | undefined, defined: string | undefined): string | null {
  if (asked !== undefined && !analytes.includes(asked)) throw new CallError('not-found', `no PC records of analyte ${JSON.stringify(asked)} (PCTESTCD: ${analytes.join(', ') || 'none'})`);
  if (asked !== undefined) return asked;
  return defined && analytes.includes(defined) ? defined : (analytes[0] ?? null);
}

function gather(ctx: CoreContext, snapshotId: number, opts: { analyte?: string; matrix?: string; cycle?: number; usubjids?: readonly string[] }): StudyPk {
  const studyId = studyOf(ctx, snapshotId);
  const { definition } = snapshotContext(ctx, snapshotId);
  // A chosen few subjects are read afresh; the whole snapshot's profiles are built once (snapshotMemo).
  const available = availableOf(ctx, snapshotId, opts.usubjids);
  const analytes = [...new Set(available.map((a) => a.analyte))].sort();
  const notes: string[] = [];
  const analyte = chooseAnalyte(analytes, opts.analyte, definition.pk.analyte);
  const present = available.filter((a) => a.analyte === analyte).map((a) => a.matrix);
  let matrix: string | null = null;
  if (opts.matrix !== undefined) {
    matrix = matrixOf(opts.matrix);
    if (!present.includes(matrix)) throw new CallError('not-found', `no ${analyte ?? 'PC'} samples in matrix ${JSON.stringify(opts.matrix)} (PCSPEC: ${present.map(matrixLabel).join(', ') || 'none'})`);
  } else matrix = chooseMatrix(present, definition.pk.matrix);
  if (analytes.length === 0) notes.push('the snapshot has no PC records');
  if (definition.pk.matrix && opts.matrix === undefined && analyte !== null && !present.includes(matrixOf(definition.pk.matrix)))
    notes.push(`the study definition's matrix ${definition.pk.matrix} has no ${analyte} sample; ${matrixLabel(matrix ?? '')} is shown`);
  const tau = resolveTau(ctx, snapshotId, definition.pk.tauH);
  const defaults: PkDosingDefaults = {
    route: definition.pk.route,
    infusionDurationH: definition.pk.infusionDurationH,
    ...(tau.tauH !== null ? { tauH: tau.tauH } : {}),
    cycleLengthDays: definition.cycleLengthDays,
  };
  const excreta = matrix !== null && isExcretaMatrix(matrix);
  if (excreta) notes.push(`${matrix} samples are collected over intervals: they are analysed as amounts excreted (urine table), not by NCA`);
  const build = () =>
    buildProfiles(loadPc(ctx.db, snapshotId, opts.usubjids, analyte!), loadEx(ctx.db, snapshotId, opts.usubjids), loadWeights(ctx.db, snapshotId, opts.usubjids), defaults, {
      analyte: analyte!,
      matrix: matrix!,
      steadyCycle: opts.cycle,
    });
  // The subjects placed on nominal time on the actual basis are found once with the profiles (a pass over every sample).
  const withFallbacks = () => {
    const b = build();
    return { ...b, fallbacks: { single: timeFallbacks(b.profiles.filter((p) => p.interval === 'single')), steady: timeFallbacks(b.profiles.filter((p) => p.interval === 'steady')) } };
  };
  const built =
    analyte === null || matrix === null || excreta
      ? { profiles: [], unplaced: [], fallbacks: { single: [], steady: [] } }
      : opts.usubjids
        ? withFallbacks()
        : snapshotMemo(ctx.db, snapshotId, 'pk.profiles', { defaults, analyte, matrix, cycle: opts.cycle ?? null }, withFallbacks);
  for (const u of built.unplaced) notes.push(`${u.usubjid}: ${u.count} ${u.analyte} ${matrixLabel(u.matrix)} sample(s) could not be placed after a dose (no PCRFTDTC/PCELTM/PCDTC matching an EX dose)`);
  const doseLevel = new Map<string, { level: number; label: string } | null>();
  const part = new Map<string, 'escalation' | 'expansion'>();
  for (const s of loadSubjects(ctx.db, snapshotId)) {
    part.set(s.usubjid, s.part);
    const l = doseLevelOf(s.firstDose, definition.doseLevels);
    doseLevel.set(s.usubjid, l ? { level: l.level, label: l.label ?? `${l.dose} ${definition.doseUnit}` } : null);
  }
  return {
    studyId,
    analytes,
    analyte,
    matrix,
    available,
    profiles: built.profiles,
    fallbacks: built.fallbacks,
    tauH: tau.tauH,
    tauSource: tau.source,
    tauNote: tau.note,
    doseLevel,
    part,
    notes,
    unplaced: built.unplaced,
  };
}

/** The conventions part of the profiles and NCA outputs. */
function conventions(g: StudyPk, interval: PkInterval, basis: TimeBasis) {
  return {
    matrix: g.matrix,
    available: g.available,
    tauSource: g.tauSource,
    tauNote: g.tauNote,
    // On the nominal basis every sample is on its planned time: nothing falls back the other way that matters here.
    timeFallback: basis === 'actual' ? [...g.fallbacks[interval]] : [],
  };
}

function head(p: PkProfile, g: StudyPk) {
  const lvl = g.doseLevel.get(p.usubjid) ?? null;
  const { index: _i, notes: _n, ...dose } = p.dose;
  void _i;
  void _n;
  return {
    usubjid: p.usubjid,
    analyte: p.analyte,
    matrix: p.matrix,
    doseLevel: lvl?.level ?? null,
    doseLevelLabel: lvl?.label ?? null,
    part: g.part.get(p.usubjid) ?? 'escalation',
    dose,
    weightKg: p.weightKg,
    weightSource: p.weightSource,
    notes: p.notes,
  };
}

function unitsOf(profiles: readonly PkProfile[]) {
  return { time: 'h', conc: profiles.find((p) => p.concUnit)?.concUnit ?? '', dose: 'mg' };
}

// ---- pk.profiles -----------------------------------------------------------------------------

function profilesOf(ctx: CoreContext, input: In<'pk.profiles'>): Output<'pk.profiles'> {
  const g = gather(ctx, input.snapshotId, input);
  const profiles = g.profiles.filter((p) => p.interval === input.interval);
  return {
    snapshotId: input.snapshotId,
    analyte: g.analyte,
    analytes: g.analytes,
    interval: input.interval,
    timeBasis: input.timeBasis,
    tauH: g.tauH,
    ...conventions(g, input.interval, input.timeBasis),
    units: unitsOf(profiles),
    profiles: profiles.map((p) => ({ ...head(p, g), points: pointsOut(p, input.timeBasis) })),
    notes: g.notes,
  };
}

/** A profile's samples as pk.profiles sends them: both time bases, the time on the requested one, and where NCA placed each. */
function pointsOut(p: PkProfile, basis: TimeBasis) {
  const used = toNcaInput(p, basis).used;
  return p.points.map((pt, i) => {
    const u = used[i]!;
    return {
      time: basis === 'actual' ? (pt.actualH ?? pt.nominalH) : (pt.nominalH ?? pt.actualH),
      actualH: pt.actualH,
      nominalH: pt.nominalH,
      conc: pt.conc,
      blq: pt.blq,
      lloq: pt.lloq,
      pcdtc: pt.pcdtc,
      timeSource: pt.timeSource,
      actualNote: pt.actualNote,
      ncaTime: 'time' in u ? u.time : null,
      ncaNote: 'dropped' in u ? u.dropped : null,
    };
  });
}

// ---- pk.curves -------------------------------------------------------------------------------

/**
 * The profiles of pk.profiles as columns per dose level (shared/pk/curves.ts) with each level's mean
 * curves; the samples only when asked (`individual`). Built once per snapshot, study definition and
 * request for the whole snapshot; a selection (`usubjids`) is taken from that, never read afresh.
 */
function curvesOf(ctx: CoreContext, input: In<'pk.curves'>): Output<'pk.curves'> {
  const { usubjids, individual, ...which } = input;
  const g = gather(ctx, input.snapshotId, which);
  const profiles = g.profiles.filter((p) => p.interval === input.interval);
  const { definition } = snapshotContext(ctx, input.snapshotId);
  const deps = { definition, analyte: g.analyte, matrix: g.matrix, cycle: input.cycle ?? null, interval: input.interval, basis: input.timeBasis };
  const encode = (keep?: ReadonlySet<string>) => {
    const subjects = snapshotMemo(ctx.db, input.snapshotId, 'pk.curveSubjects', deps, () =>
      profiles.map((p) => {
        const h = head(p, g);
        return { usubjid: h.usubjid, doseLevel: h.doseLevel, doseLevelLabel: h.doseLevelLabel, part: h.part, cycle: p.dose.cycle, points: pointsOut(p, input.timeBasis) };
      }),
    );
    return encodeCurves(subjects, { withPoints: individual, ...(keep ? { keep } : {}) });
  };
  const encoded = usubjids ? encode(new Set(usubjids)) : snapshotMemo(ctx.db, input.snapshotId, 'pk.curves', { ...deps, individual }, () => encode());
  return {
    snapshotId: input.snapshotId,
    analyte: g.analyte,
    analytes: g.analytes,
    interval: input.interval,
    timeBasis: input.timeBasis,
    tauH: g.tauH,
    ...conventions(g, input.interval, input.timeBasis),
    units: unitsOf(profiles),
    ...encoded,
    notes: g.notes,
  };
}

// ---- NCA of one profile ------------------------------------------------------------------------

interface Computed {
  row: NcaRow;
  result: NcaResult | null;
}

/** A choice made on one time basis, expressed on the other through the samples both bases place. */
export function translateChoice(choice: LambdaZChoice, from: NcaInput, to: NcaInput): LambdaZChoice {
  if (choice.kind === 'auto') return choice;
  const pairs: { a: number; b: number }[] = [];
  from.used.forEach((u, i) => {
    const v = to.used[i]!;
    if ('time' in u && 'time' in v) pairs.push({ a: u.time, b: v.time });
  });
  const near = (x: number, y: number) => Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x));
  if (choice.kind === 'exclude') return { kind: 'exclude', times: choice.times.map((t) => pairs.find((p) => near(p.a, t))?.b ?? t) };
  const inRange = pairs.filter((p) => p.a >= choice.start - 1e-9 && p.a <= choice.end + 1e-9).map((p) => p.b);
  return inRange.length ? { kind: 'range', start: Math.min(...inRange), end: Math.max(...inRange) } : choice;
}

function computeRow(
  p: PkProfile,
  g: StudyPk,
  basis: TimeBasis,
  aucMethod: AucMethod,
  blq: Partial<BlqOptions> | undefined,
  stored: StoredChoice | null,
): Computed {
  const input = toNcaInput(p, basis);
  let lambdaZ: LambdaZChoice = { kind: 'auto' };
  if (stored) lambdaZ = stored.timeBasis === basis ? stored.choice : translateChoice(stored.choice, toNcaInput(p, stored.timeBasis), input);
  const base = { ...head(p, g), choice: stored ? { choice: stored.choice, timeBasis: stored.timeBasis, reason: stored.reason, by: stored.by, at: stored.at } : null };
  if (!input.profile) {
    return { row: { ...base, parameters: [], lambdaZ: null, lambdaZNote: 'no sample with a time on this basis' }, result: null };
  }
  if (p.interval === 'steady' && p.tauH === null) {
    // A steady-state parameter needs τ; none is invented (issue 10).
    return { row: { ...base, parameters: [], lambdaZ: null, lambdaZNote: 'no steady-state parameter: the dosing interval τ is unknown (set pk.tauH in the study definition)' }, result: null };
  }
  let result: NcaResult;
  try {
    result = nca(input.profile, {
      aucMethod,
      lambdaZ,
      blq: { ...blq, ...(input.lloq !== null ? { lloq: input.lloq } : {}) },
      units: { time: 'h', conc: p.concUnit, dose: 'mg' },
    });
  } catch (e) {
    return { row: { ...base, parameters: [], lambdaZ: null, lambdaZNote: `NCA not possible: ${(e as Error).message}` }, result: null };
  }
  // The single-dose profile carries τ only for the accumulation ratio's AUCtau: its Ctrough, swing,
  // fluctuation and Cavg would be extrapolations over an interval the subject never had (issue 10).
  const parameters = result.parameters.filter((q) => p.interval === 'steady' || !INTERVAL_CODES.has(q.PPTESTCD)).map((q) => toParam(q, input.doseUnknown));
  const f = result.lambdaZ;
  return {
    row: {
      ...base,
      parameters,
      lambdaZ: f
        ? {
            method: f.method,
            points: f.times.map((t, i) => ({ time: t, conc: f.concs[i]! })),
            excludedTimes: f.excludedTimes,
            lower: f.lower,
            upper: f.upper,
            nPoints: f.nPoints,
            r2: Number.isFinite(f.r2) ? f.r2 : null,
            adjR2: Number.isFinite(f.adjR2) ? f.adjR2 : null,
          }
        : null,
      lambdaZNote: result.lambdaZNote,
    },
    result,
  };
}

/** Parameters of the dosing interval (shared/nca/nca.ts buildParameters), reported for steady-state profiles only. */
const INTERVAL_CODES: ReadonlySet<string> = new Set(['AUCTAU', 'AUCTAUD', 'AUMCTAU', 'CTROUGH', 'CAVG', 'FLUCP', 'FLUCPTAU', 'SWING', 'SWINGTAU', 'AILAMZ', 'CLTAU', 'CLFTAU', 'VZTAU', 'VZFTAU']);

function toParam(q: NcaParameter, doseUnknown: boolean) {
  return { PPTESTCD: q.PPTESTCD, name: q.name, value: doseUnknown && DOSE_DEPENDENT_CODES.has(q.PPTESTCD) ? null : q.value, unit: q.unit, ...(q.reason ? { reason: q.reason } : {}) };
}

/** NCA rows of one interval; steady-state rows get the observed accumulation ratio R (ARAUC). */
function ncaRows(
  ctx: CoreContext,
  snapshotId: number,
  g: StudyPk,
  interval: PkInterval,
  basis: TimeBasis,
  aucMethod: AucMethod,
  blq: Partial<BlqOptions> | undefined,
  only?: ReadonlySet<string>,
): Computed[] {
  if (g.analyte === null) return [];
  const choices = latestChoices(ctx.db, snapshotId, g.analyte, interval);
  // Choices are keyed by analyte (not matrix): they apply to the analyte's circulating-matrix profile.
  const keep = (p: PkProfile) => p.interval === interval && (!only || only.has(p.usubjid));
  const rows = g.profiles.filter(keep).map((p) => computeRow(p, g, basis, aucMethod, blq, choices.get(p.usubjid) ?? null));
  if (interval === 'steady' && g.tauH !== null) {
    const firstChoices = latestChoices(ctx.db, snapshotId, g.analyte, 'single');
    const firsts = new Map(g.profiles.filter((p) => p.interval === 'single').map((p) => [p.usubjid, p]));
    for (const c of rows) {
      const first = firsts.get(c.row.usubjid);
      let value: number | null = null;
      const d1 = first?.dose.exdose ?? null;
      const dn = c.row.dose.exdose;
      if (first && d1 !== null && dn !== null && Math.abs(d1 - dn) > 0.005 * Math.abs(d1)) {
        // R compares the same dose at steady state and after the first dose; with a dose change it would mix dose and accumulation.
        c.row.notes = [...c.row.notes, `R not computed: dose changed from ${d1} to ${dn} ${c.row.dose.exdosu ?? ''} between cycle 1 and cycle ${c.row.dose.cycle}`];
      } else if (first && c.result?.interval) {
        const r1 = computeRow(first, g, basis, aucMethod, blq, firstChoices.get(first.usubjid) ?? null).result;
        if (r1?.interval && Math.abs(r1.interval.tau - c.result.interval.tau) < 1e-9) value = accumulationRatio(c.result, r1).value;
      }
      c.row.parameters.push({ PPTESTCD: 'ARAUC', name: 'Accumulation Ratio AUC', value, unit: '' });
    }
  }
  return rows;
}

/**
 * The NCA rows of every subject (ncaRows without `only`), once per snapshot, study definition, request
 * and state of the reviewers' λz choices: pk.nca, pk.doseProportionality and pk.compareReported share them.
 * `g` must be the whole snapshot's (gather without usubjids).
 */
function allNcaRows(ctx: CoreContext, snapshotId: number, g: StudyPk, interval: PkInterval, basis: TimeBasis, aucMethod: AucMethod, blq: Partial<BlqOptions> | undefined, cycle: number | undefined): NcaRow[] {
  const deps = { definition: snapshotContext(ctx, snapshotId).definition, analyte: g.analyte, matrix: g.matrix, cycle: cycle ?? null, interval, basis, aucMethod, blq: blq ?? null, choices: lastChoiceId(ctx.db, snapshotId) };
  return snapshotMemo(ctx.db, snapshotId, 'pk.ncaRows', deps, () => ncaRows(ctx, snapshotId, g, interval, basis, aucMethod, blq).map((c) => c.row));
}

function summarise(rows: readonly NcaRow[], interval: PkInterval) {
  const groups = new Map<string, NcaRow[]>();
  for (const r of rows) {
    const k = r.doseLevel === null ? '' : String(r.doseLevel);
    let l = groups.get(k);
    if (!l) groups.set(k, (l = []));
    l.push(r);
  }
  const keys = [...groups.keys()].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : Number(a) - Number(b)));
  return keys.map((k) => {
    const list = groups.get(k)!;
    const byLabel = new Map<string, { code: string; logNormal: boolean; unit: string; values: (number | null)[] }>();
    for (const r of list) {
      for (const sp of seedParameters(interval, r.dose.route)) {
        const p = r.parameters.find((q) => q.PPTESTCD === sp.code);
        let e = byLabel.get(sp.label);
        if (!e) byLabel.set(sp.label, (e = { code: sp.code, logNormal: sp.logNormal, unit: '', values: [] }));
        if (!e.unit && p?.unit) e.unit = p.unit;
        e.values.push(p?.value ?? null);
      }
    }
    return {
      doseLevel: list[0]!.doseLevel,
      doseLevelLabel: list[0]!.doseLevelLabel,
      n: list.length,
      parameters: [...byLabel].map(([label, e]) => ({
        label,
        PPTESTCD: e.code,
        unit: e.unit,
        ...describe(e.values),
        cvKind: e.logNormal ? ('geometric' as const) : ('arithmetic' as const),
      })),
    };
  });
}

function ncaOf(ctx: CoreContext, input: In<'pk.nca'>): Output<'pk.nca'> {
  const g = gather(ctx, input.snapshotId, input);
  const rows = input.usubjids
    ? ncaRows(ctx, input.snapshotId, g, input.interval, input.timeBasis, input.aucMethod, input.blq, new Set(input.usubjids)).map((c) => c.row)
    : allNcaRows(ctx, input.snapshotId, g, input.interval, input.timeBasis, input.aucMethod, input.blq, input.cycle);
  const summary = summarise(rows, input.interval);
  return {
    snapshotId: input.snapshotId,
    analyte: g.analyte,
    analytes: g.analytes,
    interval: input.interval,
    timeBasis: input.timeBasis,
    aucMethod: input.aucMethod,
    tauH: g.tauH,
    ...conventions(g, input.interval, input.timeBasis),
    units: unitsOf(g.profiles),
    ...(input.fields === 'all' ? { rows, table: null } : tableOf(rows, summary, input.as, input.digits)),
    summary,
    notes: g.notes,
  };
}

/** The NCA table's part of the rows (fields 'table'); as columns, its cells (shared/pk/ncaTable.ts) at `digits` significant digits. */
function tableOf(rows: readonly NcaRow[], summary: ReturnType<typeof summarise>, as: 'rows' | 'columns', digits: number | null): Pick<Output<'pk.nca'>, 'rows' | 'table'> {
  const codes = [...new Set([...summary.flatMap((g) => g.parameters.map((p) => p.PPTESTCD)), 'AUCPEO'])];
  if (as === 'columns') return { rows: [], table: { codes, rows: toColumns(rows.map((r) => ncaTableRow(r, codes, digits))) } };
  return { rows: tableRows(rows, codes), table: null };
}

/** The NCA table's part of each row (pk.nca `fields: 'table'`): the summary's parameters and AUCPEO, no λz points. */
function tableRows(rows: readonly NcaRow[], codes: readonly string[]): NcaRow[] {
  const shown = new Set(codes);
  return rows.map((r) => ({
    ...r,
    parameters: r.parameters.filter((p) => shown.has(p.PPTESTCD)),
    lambdaZ: r.lambdaZ ? { ...r.lambdaZ, points: [], excludedTimes: [] } : null,
  }));
}

// ---- pk.setLambdaZ ---------------------------------------------------------------------------

function setLambdaZ(ctx: CoreContext, input: In<'pk.setLambdaZ'>): Output<'pk.setLambdaZ'> {
  const who = attribution(ctx, 'a lambda_z choice');
  const g = gather(ctx, input.snapshotId, { analyte: input.analyte, matrix: input.matrix, usubjids: [input.usubjid] });
  const p = g.profiles.find((x) => x.usubjid === input.usubjid && x.interval === input.interval);
  if (!p) throw new CallError('not-found', `no ${input.interval} profile of ${input.analyte} for ${input.usubjid} in snapshot ${input.snapshotId}`);
  const now = utcIso(ctx);
  const trial: StoredChoice = { id: 0, usubjid: p.usubjid, analyte: p.analyte, interval: input.interval, timeBasis: input.timeBasis, choice: input.choice, reason: input.reason ?? null, by: who.username, at: now };
  const check = computeRow(p, g, input.timeBasis, input.aucMethod, undefined, trial);
  if (input.choice.kind !== 'auto') {
    if (input.choice.kind === 'exclude') {
      const times = new Set(toNcaInput(p, input.timeBasis).used.flatMap((u) => ('time' in u ? [u.time] : [])));
      const unknown = input.choice.times.filter((t) => ![...times].some((x) => Math.abs(x - t) <= 1e-9 * Math.max(1, Math.abs(t))));
      if (unknown.length) throw new CallError('invalid-input', `excluded time(s) ${unknown.join(', ')} h match no sample of the profile`);
    }
    if (input.choice.kind === 'range') {
      const { start, end } = input.choice;
      const inside = toNcaInput(p, input.timeBasis).used.some((u) => 'time' in u && u.time >= start - 1e-9 && u.time <= end + 1e-9);
      if (!inside) throw new CallError('invalid-input', `the range ${start}–${end} h holds no sample of the profile`);
    }
    // A choice that leaves λz not estimable (fewer than 3 points after Cmax, or a slope ≥ 0) is the
    // reviewer's to make: it is stored, and the row says "not estimable: …" with λz and its dependants empty.
    if (!check.row.lambdaZ && !/^not estimable/.test(check.row.lambdaZNote ?? '')) throw new CallError('invalid-input', `the choice gives no lambda_z fit: ${check.row.lambdaZNote ?? 'no fit'}`);
  }
  const previous = latestChoices(ctx.db, input.snapshotId, p.analyte, input.interval).get(p.usubjid) ?? null;
  const c = {
    studyId: g.studyId,
    snapshotId: input.snapshotId,
    usubjid: p.usubjid,
    analyte: p.analyte,
    interval: input.interval,
    timeBasis: input.timeBasis,
    choice: input.choice,
    reason: input.reason ?? null,
    by: who.username,
    at: now,
  };
  // The choice and its audit entry (who, when, old → new, reason) are written together.
  ctx.db.transaction(() => {
    insertChoice(ctx.db, c);
    auditLambdaZ(ctx, who, { ...c, previous: previous ? { choice: previous.choice, timeBasis: previous.timeBasis } : { choice: { kind: 'auto' } } });
  })();
  const rows = ncaRows(ctx, input.snapshotId, g, input.interval, input.timeBasis, input.aucMethod, undefined, new Set([p.usubjid]));
  return rows[0]!.row;
}

// ---- pk.compareReported ------------------------------------------------------------------------

const normUnit = (u: string | null) => (u ?? '').replace(/\s+/g, '').replace(/[·.]/g, '*').replace(/[µμ]/g, 'u').toLowerCase();

function compareReported(ctx: CoreContext, input: In<'pk.compareReported'>): Output<'pk.compareReported'> {
  const pp = loadPp(ctx.db, input.snapshotId);
  const notes: string[] = [];
  if (pp.length === 0) return { snapshotId: input.snapshotId, rows: [], notes: ['the snapshot has no PP domain'] };
  const g = gather(ctx, input.snapshotId, { analyte: input.analyte, matrix: input.matrix });
  const { definition } = snapshotContext(ctx, input.snapshotId);
  const byInterval = new Map<PkInterval, Map<string, NcaRow>>();
  for (const iv of ['single', 'steady'] as const) {
    byInterval.set(iv, new Map(allNcaRows(ctx, input.snapshotId, g, iv, input.timeBasis, input.aucMethod, undefined, undefined).map((r) => [r.usubjid, r])));
  }
  const rows: Output<'pk.compareReported'>['rows'] = [];
  const skipped = { analyte: new Map<string, number>(), matrix: new Map<string, number>() };
  const tally = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const r of pp) {
    // Matched on PPCAT (analyte) and PPSPEC (matrix) as well as PPTESTCD (shared/pk/reported.ts).
    const t = ppTarget(r.ppcat, r.ppspec, g.available, definition.pk.matrix);
    if (t.analyte !== g.analyte) {
      tally(skipped.analyte, r.ppcat ?? '(empty)');
      continue;
    }
    if (t.matrix !== g.matrix) {
      tally(skipped.matrix, r.ppspec ?? '(empty)');
      continue;
    }
    const steadyRow = byInterval.get('steady')!.get(r.usubjid);
    const sameTime = (a: string | null, b: string | null) => !!a && !!b && a.slice(0, 16) === b.slice(0, 16);
    const interval: PkInterval = steadyRow && sameTime(r.pprftdtc, steadyRow.dose.exstdtc) ? 'steady' : 'single';
    const row = byInterval.get(interval)!.get(r.usubjid);
    const p = row?.parameters.find((q) => q.PPTESTCD === r.pptestcd) ?? null;
    const computed = p?.value ?? null;
    const reported = r.ppstresn;
    const difference = computed !== null && reported !== null ? computed - reported : null;
    rows.push({
      usubjid: r.usubjid,
      analyte: g.analyte!,
      matrix: g.matrix ?? '',
      ppcat: r.ppcat,
      ppspec: r.ppspec,
      interval,
      PPTESTCD: r.pptestcd,
      reported,
      reportedUnit: r.ppstresu,
      computed,
      computedUnit: p?.unit ?? null,
      difference,
      pctDifference: difference !== null && reported !== null && reported !== 0 ? (100 * difference) / reported : null,
      unitsMatch: p !== null && normUnit(p.unit) === normUnit(r.ppstresu),
    });
  }
  const list = (m: Map<string, number>) => [...m].map(([k, n]) => `${k} ×${n}`).join(', ');
  const nOf = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  if (skipped.analyte.size) notes.push(`${nOf(skipped.analyte)} PP record(s) of another analyte than ${g.analyte} were not compared (PPCAT ${list(skipped.analyte)})`);
  if (skipped.matrix.size) notes.push(`${nOf(skipped.matrix)} PP record(s) of another matrix than ${matrixLabel(g.matrix ?? '')} were not compared (PPSPEC ${list(skipped.matrix)})`);
  return { snapshotId: input.snapshotId, rows, notes: [...g.notes, ...notes] };
}

// ---- pk.doseProportionality --------------------------------------------------------------------

function doseProportionalityOf(ctx: CoreContext, input: In<'pk.doseProportionality'>): Output<'pk.doseProportionality'> {
  const g = gather(ctx, input.snapshotId, input);
  const rows = allNcaRows(ctx, input.snapshotId, g, input.interval, input.timeBasis, input.aucMethod, input.blq, input.cycle);
  const doseUnit = rows.find((r) => r.dose.exdosu)?.dose.exdosu ?? '';
  const codes =
    input.interval === 'single'
      ? [
          { code: 'CMAX', label: 'Cmax' },
          { code: 'AUCLST', label: 'AUC0-t' },
          { code: 'AUCIFO', label: 'AUC0-inf' },
        ]
      : [
          { code: 'CMAX', label: 'Css,max' },
          { code: 'AUCTAU', label: 'AUCtau' },
        ];
  return {
    snapshotId: input.snapshotId,
    interval: input.interval,
    doseUnit,
    parameters: codes.map(({ code, label }) => {
      const points: { usubjid: string; dose: number; value: number }[] = [];
      let unit = '';
      for (const r of rows) {
        const p = r.parameters.find((q) => q.PPTESTCD === code);
        if (p?.unit && !unit) unit = p.unit;
        // Dose as given (EXDOSE in EXDOSU, e.g. mg/kg): the planned dose scale of the escalation.
        if (p && p.value !== null && p.value > 0 && r.dose.exdose !== null && r.dose.exdose > 0 && r.dose.exdosu === doseUnit) {
          points.push({ usubjid: r.usubjid, dose: r.dose.exdose, value: p.value });
        }
      }
      try {
        const f = doseProportionality(points, { level: input.level });
        return {
          PPTESTCD: code,
          label,
          unit,
          points,
          fit: { n: f.n, intercept: f.intercept, slope: f.slope, seSlope: f.seSlope, ciLower: f.ciLower, ciUpper: f.ciUpper, level: f.level, r2: f.r2, criterion: f.criterion },
          note: null,
        };
      } catch (e) {
        return { PPTESTCD: code, label, unit, points, fit: null, note: (e as Error).message };
      }
    }),
  };
}

// ---- pk.urine ------------------------------------------------------------------------------------

function urineOf(ctx: CoreContext, input: In<'pk.urine'>): Output<'pk.urine'> {
  studyOf(ctx, input.snapshotId);
  const { definition } = snapshotContext(ctx, input.snapshotId);
  const available = availableOf(ctx, input.snapshotId, input.usubjids);
  const analytes = [...new Set(available.map((a) => a.analyte))].sort();
  const analyte = chooseAnalyte(analytes, input.analyte, definition.pk.analyte);
  const excreta = available.filter((a) => a.analyte === analyte && isExcretaMatrix(a.matrix)).map((a) => a.matrix);
  const units = { amount: 'mg', clr: 'L/h', auc: '' };
  const empty = (reason: string, matrix: string | null = null) => ({ snapshotId: input.snapshotId, analyte, matrix, plasmaMatrix: null, available, units, rows: [], reason, notes: [] });
  if (analyte === null) return empty('the snapshot has no PC records');
  let matrix: string | null;
  if (input.matrix !== undefined) {
    matrix = matrixOf(input.matrix);
    if (!excreta.includes(matrix)) throw new CallError('not-found', `no ${analyte} samples collected in ${JSON.stringify(input.matrix)} (urine matrices: ${excreta.join(', ') || 'none'})`);
  } else matrix = excreta.includes('URINE') ? 'URINE' : (excreta[0] ?? null);
  if (matrix === null) return empty(`no urine parameter: the snapshot has no ${analyte} urine samples (PCSPEC URINE)`);

  // Circulating profiles of the same analyte give AUC(0–t) for CLR.
  const g = gather(ctx, input.snapshotId, { analyte, usubjids: input.usubjids });
  const plasmaMatrix = g.matrix !== null && !isExcretaMatrix(g.matrix) ? g.matrix : null;
  const defaults: PkDosingDefaults = { route: definition.pk.route, infusionDurationH: definition.pk.infusionDurationH, cycleLengthDays: definition.cycleLengthDays };
  const ex = loadEx(ctx.db, input.snapshotId, input.usubjids);
  const weights = loadWeights(ctx.db, input.snapshotId, input.usubjids);
  const records = loadUrine(ctx.db, input.snapshotId, analyte, matrix, input.usubjids);
  const bySubject = new Map<string, typeof records>();
  for (const r of records) {
    let l = bySubject.get(r.usubjid);
    if (!l) bySubject.set(r.usubjid, (l = []));
    l.push(r);
  }
  const notes: string[] = [];
  const rows: Output<'pk.urine'>['rows'] = [];
  const aucUnit = g.profiles.find((p) => p.concUnit)?.concUnit;
  units.auc = aucUnit ? `h*${aucUnit}` : '';
  for (const [usubjid, recs] of bySubject) {
    const subjectEx = ex.filter((e) => e.usubjid === usubjid);
    const firstDtc = subjectEx.filter((e) => e.exdose !== null && e.exdose > 0 && e.exstdtc).map((e) => e.exstdtc!).sort()[0] ?? null;
    const weight = baselineWeight(weights.filter((w) => w.usubjid === usubjid), firstDtc);
    const doses = buildDoses(subjectEx, weight?.kg ?? null, defaults);
    const out = urineExcretion(recs, doses, input.timeBasis);
    if (out.unplaced) notes.push(`${usubjid}: ${out.unplaced} ${matrix} collection(s) could not be placed after a dose`);
    const lvl = g.doseLevel.get(usubjid) ?? null;
    for (const u of out.rows) {
      const rowNotes = [...u.notes];
      let aucPlasma: number | null = null;
      let clr: number | null = null;
      if (u.aeMg !== null && u.aeEndH !== null) {
        const prof = plasmaMatrix ? g.profiles.find((p) => p.usubjid === usubjid && p.dose.index === u.doseIndex) : undefined;
        const inp = prof ? toNcaInput(prof, input.timeBasis) : null;
        if (!prof || !inp?.profile) rowNotes.push(`CLR not given: no ${plasmaMatrix ?? 'plasma'} profile of ${analyte} after this dose`);
        else {
          try {
            // AUC(0–t) over the same 0–t as Ae: nca()'s AUC over an interval of length t (interpolated, or extrapolated with λz past Tlast).
            const r = nca({ ...inp.profile, tau: u.aeEndH, steadyState: false }, { aucMethod: input.aucMethod, blq: inp.lloq !== null ? { lloq: inp.lloq } : {} });
            aucPlasma = r.interval?.auctau ?? null;
          } catch (e) {
            rowNotes.push(`CLR not given: ${(e as Error).message}`);
          }
          clr = renalClearance(u.aeMg, aucPlasma, prof.concUnit);
          if (aucPlasma === null) rowNotes.push(`CLR not given: the ${plasmaMatrix} AUC(0–${u.aeEndH} h) cannot be computed (sampling ends before ${u.aeEndH} h and no λz)`);
          else if (clr === null) rowNotes.push(`CLR not given: the ${plasmaMatrix} concentration unit ${JSON.stringify(prof.concUnit)} is not mass/volume`);
        }
      }
      rows.push({
        usubjid,
        doseLevel: lvl?.level ?? null,
        doseLevelLabel: lvl?.label ?? null,
        part: g.part.get(usubjid) ?? 'escalation',
        cycle: u.cycle,
        exstdtc: u.exstdtc,
        doseMg: u.doseMg,
        intervals: u.intervals,
        aeMg: u.aeMg,
        aeEndH: u.aeEndH,
        fe: u.fe,
        aucPlasma,
        clrLPerH: clr,
        notes: rowNotes,
      });
    }
  }
  rows.sort((a, b) => a.usubjid.localeCompare(b.usubjid) || a.cycle - b.cycle);
  let reason: string | null = null;
  if (rows.length > 0 && rows.every((r) => r.aeMg === null)) {
    const why = [...new Set(rows.flatMap((r) => r.intervals.map((i) => i.note).filter((n): n is string => !!n && !n.startsWith('BLQ'))))];
    reason = `no urine parameter: no amount excreted can be derived (${why.slice(0, 3).join('; ') || rows[0]!.notes.join('; ')}); amounts need PCVOL/PCVOLU with a concentration, or amounts reported in a mass unit`;
  }
  return { snapshotId: input.snapshotId, analyte, matrix, plasmaMatrix, available, units, rows, reason, notes };
}
