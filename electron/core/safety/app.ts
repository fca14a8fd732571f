import type { Output } from '../../../shared/contract';
import { adaIncidence, adaSubjectStatus, hasPositiveSample, type IsRecord } from '../../../shared/ada';
import { toColumns } from '../../../shared/columns';
import { doseLevelOf } from '../../../shared/dlt';
import { HistoryParseError } from '../../../shared/escalation/history';
import { recommend } from '../../../shared/escalation/index';
import {
  aeListing,
  deathListing,
  dltTable,
  describeSteps,
  isFatalAe,
  ledToDiscontinuation,
  lookahead,
  snapshotHistory,
  summarizeRecommendation,
  FATAL_NOT_SERIOUS_QUERY,
  groupKeyOf,
  incidenceFromCounts,
  searchWords,
  type IncidenceCount,
  type RuleSummary,
} from '../../../shared/safety/index';
import { countValues } from '../../../shared/mapping';
import { CallError, type App, type CoreContext, type Handler } from '../context';
import { snapshotAnswer, snapshotContext } from '../cohorts/app';
import { adaCodingReport, loadIsRows } from '../immunogenicity/queries';
import { loadAes, loadSubjects } from '../queries/subjects';
import { aeFactsPage, aeIncidenceCounts, AE_GRID_COLUMNS, cohortsOf, dsDeaths } from './queries';
import { ensureAeFacts, listingRowOf } from './aeFacts';
import { snapshotMemo } from '../snapshots/memo';
import { onlySubjects } from '../snapshots/onlySubjects';
import { levelGroups, treatedSubjects } from './groups';
import { labSafetyOf } from '../labs/app';
import { labsGrade3InWindow } from '../../../shared/labs';
import type { StudyDefinition } from '../../../shared/study';

// Handlers of the safety feature. Queries gather the data; the rules are in shared/safety/,
// shared/ada.ts and shared/escalation/.

export function registerSafety(app: App): void {
  app.method('safety.aeListing', ({ snapshotId, usubjids }, ctx) => {
    const { definition } = snapshotContext(ctx, snapshotId);
    const only = usubjids ? new Set(usubjids) : null;
    const aes = loadAes(ctx.db, snapshotId, definition.ae.gradeVariable);
    return { snapshotId, rows: aeListing(loadSubjects(ctx.db, snapshotId, definition.cycleLengthDays), only ? aes.filter((a) => only.has(a.usubjid)) : aes, definition) };
  });
  app.method('safety.aeListingPage', (input, ctx) => aeListingPage(ctx, input));
  app.method('safety.incidence', ({ snapshotId, by, minGrade }, ctx) => incidence(ctx, snapshotId, by, minGrade));
  app.method('safety.listings', ({ snapshotId, usubjids }, ctx) => {
    const all = snapshotAnswer(ctx, snapshotId, 'safety.listings', () => listings(ctx, snapshotId));
    if (!usubjids) return all;
    const only = new Set(usubjids);
    const of = <R extends { usubjid: string }>(rows: readonly R[]) => rows.filter((r) => only.has(r.usubjid));
    return { ...all, saes: of(all.saes), dlts: of(all.dlts), possibleDltsNotFlagged: of(all.possibleDltsNotFlagged), notScreenedGradeNotCollected: of(all.notScreenedGradeNotCollected), possibleDltLabs: of(all.possibleDltLabs), discontinuations: of(all.discontinuations), deaths: of(all.deaths) };
  });
  app.method('safety.dltTable', ({ snapshotId, usubjids }, ctx) => {
    const t = dltTableOf(ctx, snapshotId);
    return usubjids ? { ...t, levels: t.levels.map((l) => onlySubjects(l, usubjids)) } : t;
  });
  app.method('safety.dltIndex', ({ snapshotId }, ctx) =>
    snapshotAnswer(ctx, snapshotId, 'safety.dltIndex', () => ({
      snapshotId,
      levels: dltTableOf(ctx, snapshotId).levels.map((l) => ({ level: l.level, part: l.part, usubjid: l.subjects.map((s) => s.usubjid), status: l.subjects.map((s) => s.status), dlts: l.subjects.map((s) => s.dlts.length) })),
    })),
  );
  // Derived from the snapshot and the study definition only: once per snapshot (the PK, swimmer, profile and immunogenicity views all ask).
  const adaOf = (ctx: CoreContext, snapshotId: number) => snapshotAnswer(ctx, snapshotId, 'safety.ada', () => ada(ctx, snapshotId));
  app.method('safety.ada', ({ snapshotId, usubjids, samples, as }, ctx) => adaAnswer(onlySubjects(adaOf(ctx, snapshotId), usubjids), samples, as));
  // The PK view marks these subjects' curves: their ids, not every subject's samples (9.5 MB at 10,000 subjects).
  app.method('safety.adaEmergent', ({ snapshotId }, ctx) =>
    snapshotAnswer(ctx, snapshotId, 'safety.adaEmergent', () => {
      const a = adaOf(ctx, snapshotId);
      return { snapshotId, present: a.present, treatmentEmergent: a.subjects.filter((s) => s.treatmentEmergent).map((s) => s.usubjid) };
    }),
  );
  app.method('safety.recommend', (input) => recommendOnHistory(input));
  app.method('safety.lookahead', ({ snapshotId, patients }, ctx) => snapshotAnswer(ctx, snapshotId, 'safety.lookahead', () => lookaheadOf(ctx, snapshotId, patients), { patients }));
}

/**
 * The look-ahead table of a snapshot: the history and cohort timing the DLT table's recommendation
 * uses (same builder, same options), then shared/safety/lookahead.ts, which applies that very rule code.
 */
export function lookaheadOf(ctx: CoreContext, snapshotId: number, patients: number): Output<'safety.lookahead'> {
  const { definition, cutoff } = snapshotContext(ctx, snapshotId);
  const esc = definition.escalation;
  const base = { snapshotId, dataCutoff: cutoff, design: esc.design, targetToxicity: esc.targetToxicity, maxPatients: patients };
  const pick = (r: RuleSummary) => ({ design: r.design, error: r.error, action: r.action, nextLevel: r.nextLevel, continues: r.continues, recommendedLevel: r.recommendedLevel, determined: r.determined, whenComplete: r.whenComplete, explanation: r.explanation });
  if (!cutoff) {
    const none = { design: esc.design, error: 'no data cut-off', action: null, nextLevel: null, continues: null, recommendedLevel: null, determined: false, whenComplete: null, explanation: 'No data cut-off is known for this snapshot: the DLT windows cannot be assessed.' };
    return { ...base, current: { history: '', protocol: none, boin: { ...none, design: 'boin' as const }, mtpi2: { ...none, design: 'mtpi2' as const } }, paths: [], note: none.explanation };
  }
  const h = snapshotHistory(loadSubjects(ctx.db, snapshotId, definition.cycleLengthDays), loadAes(ctx.db, snapshotId, definition.ae.gradeVariable), definition, cutoff, { cohortOf: cohortsOf(ctx.db, snapshotId) });
  const r = lookahead(definition, h.parsed, patients, h.cohortTiming);
  return {
    ...base,
    current: { history: r.current.history, protocol: pick(r.current.protocol), boin: pick(r.current.boin), mtpi2: pick(r.current.mtpi2) },
    paths: r.paths.map((p) => ({ steps: p.steps, path: describeSteps(p.steps), patients: p.patients, dlts: p.dlts, history: p.history, protocol: pick(p.protocol), boin: pick(p.boin), mtpi2: pick(p.mtpi2) })),
    note: r.note,
  };
}

/**
 * TEAE incidence as GROUP BY over the stored AE facts (queries.ts aeIncidenceCounts), assembled by
 * shared/safety/aeFacts.ts incidenceFromCounts into incidenceTable's cells and order; the
 * denominators and groups are the treated subjects' (groups.ts), as before.
 */
export async function incidence(ctx: CoreContext, snapshotId: number, by: 'level' | 'part', minGrade: 1 | 3) {
  const { definition, cutoff, deps } = await ensureAeFacts(ctx, snapshotId);
  // Derived once per snapshot, facts and choice (snapshots/memo.ts).
  return snapshotMemo(ctx.db, snapshotId, 'aeIncidence', { deps, by, minGrade }, () => incidenceOfFacts(ctx, snapshotId, definition, cutoff, by, minGrade));
}

function incidenceOfFacts(ctx: CoreContext, snapshotId: number, definition: StudyDefinition, cutoff: string | null, by: 'level' | 'part', minGrade: 1 | 3) {
  const treated = treatedSubjects(loadSubjects(ctx.db, snapshotId, definition.cycleLengthDays), cutoff);
  let groups: { key: string; label: string }[];
  let groupOf: Map<string, string>;
  if (by === 'part') {
    groupOf = new Map(treated.map((s) => [s.usubjid, s.part]));
    groups = (['escalation', 'expansion'] as const).filter((p) => treated.some((s) => s.part === p)).map((p) => ({ key: p, label: p === 'escalation' ? 'Escalation' : 'Expansion' }));
  } else ({ groups, groupOf } = levelGroups(treated, definition));
  const counts = aeIncidenceCounts(ctx.db, snapshotId, by, minGrade).map(
    (c): IncidenceCount => ({ kind: c.kind, soc: c.soc, pt: c.pt, group: c.grp, subjects: c.subjects, events: c.events, ungradedEvents: c.ungraded, byWorstGrade: [c.g1, c.g2, c.g3, c.g4, c.g5], worstGradeMissing: c.missing }),
  );
  const table = incidenceFromCounts(
    groups,
    treated.map((s) => ({ usubjid: s.usubjid, group: groupOf.get(s.usubjid)! })),
    counts,
    minGrade,
  );
  return { snapshotId, by, dataCutoff: cutoff, ...table };
}

/** One page of the AE grid from the stored AE facts (queries.ts aeFactsPage). */
async function aeListingPage(ctx: CoreContext, input: Parameters<Handler<'safety.aeListingPage'>>[0]): Promise<Output<'safety.aeListingPage'>> {
  for (const s of input.sort) if (!AE_GRID_COLUMNS.includes(s.colId)) throw new CallError('invalid-input', `safety.aeListingPage: sort: no column ${JSON.stringify(s.colId)} (expected one of ${AE_GRID_COLUMNS.join(', ')})`);
  for (const c of Object.keys(input.filters)) if (!AE_GRID_COLUMNS.includes(c)) throw new CallError('invalid-input', `safety.aeListingPage: filters: no column ${JSON.stringify(c)} (expected one of ${AE_GRID_COLUMNS.join(', ')})`);
  await ensureAeFacts(ctx, input.snapshotId);
  const page = aeFactsPage(ctx.db, {
    snapshotId: input.snapshotId,
    offset: input.offset,
    limit: input.limit,
    sort: input.sort,
    filters: input.filters,
    words: searchWords(input.search),
    levels: input.levels,
    part: input.part,
    usubjids: input.usubjids,
    groupBy: input.groupBy,
    queryText: FATAL_NOT_SERIOUS_QUERY,
  });
  return {
    snapshotId: input.snapshotId,
    rows: page.rows.map(listingRowOf),
    total: page.total,
    selected: page.selected,
    unfiltered: page.unfiltered,
    groups: page.groups.map((g) => ({ key: groupKeyOf(g.value), rows: g.rows })),
  };
}

function listings(ctx: CoreContext, snapshotId: number) {
  const { definition } = snapshotContext(ctx, snapshotId);
  const subjects = loadSubjects(ctx.db, snapshotId, definition.cycleLengthDays);
  const aes = loadAes(ctx.db, snapshotId, definition.ae.gradeVariable);
  const rows = aeListing(subjects, aes, definition);
  const dt = dltTableOf(ctx, snapshotId);
  const possible = new Set<string>();
  const notScreened = new Set<string>();
  for (const l of dt.levels)
    for (const s of l.subjects) {
      for (const a of s.possibleDlts) possible.add(`${s.usubjid}\u0000${a.aeseq}\u0000${a.aestdtc}\u0000${a.aeterm}`);
      for (const a of s.ungradedNotScreened) notScreened.add(`${s.usubjid}\u0000${a.aeseq}\u0000${a.aestdtc}\u0000${a.aeterm}`);
    }
  return {
    snapshotId,
    saes: rows.filter((r) => r.serious),
    dlts: rows.filter((r) => r.dlt),
    possibleDltsNotFlagged: rows.filter((r) => possible.has(`${r.usubjid}\u0000${r.aeseq}\u0000${r.aestdtc}\u0000${r.aeterm}`)),
    notScreenedGradeNotCollected: rows.filter((r) => notScreened.has(`${r.usubjid}\u0000${r.aeseq}\u0000${r.aestdtc}\u0000${r.aeterm}`)),
    // The DLT table's lab results of grade >= 3 in the window (one source for both screens).
    possibleDltLabs: dt.levels.flatMap((l) => l.subjects.flatMap((s) => s.possibleDltLabs.map((x) => ({ usubjid: s.usubjid, level: l.level, dose: l.dose, part: l.part, ...x })))),
    discontinuations: rows.filter((r) => ledToDiscontinuation(r.aeacn)),
    deaths: deathListing(subjects, aes.filter(isFatalAe), dsDeaths(ctx.db, snapshotId), definition),
  };
}

/**
 * The DLT table of a snapshot (safety.dltTable): also what a meeting records for its levels. It
 * depends on the snapshot, the study definition and the cut-off alone, so the whole output is
 * derived once (snapshotMemo: in memory and in the database) — lab screen included.
 */
export function dltTableOf(ctx: CoreContext, snapshotId: number): Output<'safety.dltTable'> {
  const { definition, cutoff } = snapshotContext(ctx, snapshotId);
  return snapshotMemo(ctx.db, snapshotId, 'safety.dltTable', { definition, cutoff }, () => deriveDltTable(ctx, snapshotId, definition, cutoff));
}

function deriveDltTable(ctx: CoreContext, snapshotId: number, definition: StudyDefinition, cutoff: string | null): Output<'safety.dltTable'> {
  const esc = definition.escalation;
  const design = {
    design: esc.design,
    atdDesign: esc.atdDesign ?? null,
    deescalation: esc.deescalation,
    sixAtMtd: esc.sixAtMtd,
    targetToxicity: esc.targetToxicity,
    levels: definition.doseLevels.length,
  };
  const notes: string[] = [];
  if (!cutoff) {
    notes.push('No data cut-off is known for this snapshot (none declared and no complete dates): the DLT windows cannot be assessed.');
    const empty = { design: esc.design, error: 'no data cut-off', action: null, nextLevel: null, continues: null, recommendedLevel: null, explanation: notes[0]!, determined: false, rule: null, whenComplete: null, pending: 0, openSlots: 0, warnings: [] };
    return { snapshotId, dataCutoff: null, dltWindowDays: definition.dltWindowDays, design, levels: [], history: '', excluded: [], unplanned: [], recommendation: empty, boin: { ...empty, design: 'boin' as const }, mtpi2: { ...empty, design: 'mtpi2' as const }, notes };
  }
  if (definition.doseLevels.length === 0) notes.push('The study definition has no dose levels: subjects cannot be placed on a level.');
  if (esc.design === 'atd') notes.push('Accelerated titration: G marks a subject whose worst related toxicity in the DLT window was grade >= 2 without a DLT, during the accelerated phase only (protocol choice, shared/safety/escalationHistory.ts).');
  const t = dltTable(loadSubjects(ctx.db, snapshotId, definition.cycleLengthDays), loadAes(ctx.db, snapshotId, definition.ae.gradeVariable), definition, cutoff, { cohortOf: cohortsOf(ctx.db, snapshotId) });
  const placebo = t.levels.filter((l) => l.placebo).reduce((n, l) => n + l.treated, 0);
  if (placebo) notes.push(`${placebo} subject(s) on placebo are shown in their own Placebo row and are not part of the escalation history or the rule.`);
  const ungraded = t.levels.reduce((n, l) => n + l.ungradedNotScreened, 0);
  if (ungraded) {
    notes.push(
      `The possible-DLT screen cannot assess ${ungraded} related AE(s) in the DLT window that have no CTCAE grade (grade not collected; AESEV is severity, not grade)` +
        (esc.design === 'atd' ? '; nor can the accelerated-titration grade-2 trigger (G) see them.' : '.'),
    );
  }
  if (t.unplanned.length) notes.push(`${t.unplanned.length} subject(s) had a first dose that is not a planned level and are not in the table: ${t.unplanned.join(', ')}.`);
  const labs = labSafetyOf(ctx, snapshotId);
  const levels = t.levels.map((l) => {
    const subjects = l.subjects.map((s) => {
      const sl = labs.subjects.get(s.usubjid);
      const possibleDltLabs = sl
        ? labsGrade3InWindow(sl, s.windowEndDtc).map((g) => ({
            testcd: g.term.testcd,
            term: g.term.term,
            grade: g.grade.grade!,
            source: g.grade.grade !== null ? g.grade.source : 'derived',
            result: g.record.value !== null ? String(g.record.value) : g.record.text,
            unit: g.record.unit,
            lbdtc: g.record.dtc,
            studyDay: g.studyDay,
          }))
        : [];
      return { ...s, possibleDltLabs };
    });
    return { ...l, possibleDltLabs: subjects.reduce((n, s) => n + s.possibleDltLabs.length, 0), subjects };
  });
  const labCount = levels.reduce((n, l) => n + l.possibleDltLabs, 0);
  if (labCount) notes.push(`${labCount} laboratory result(s) of CTCAE grade >= 3 inside the DLT window (LB; grade from LBTOXGR or derived from CTCAE v5.0 and the normal range): a laboratory DLT may be recorded only in LB, so the committee sees each beside the AE screen.`);
  return {
    snapshotId,
    dataCutoff: t.dataCutoff,
    dltWindowDays: t.dltWindowDays,
    design,
    levels,
    history: t.history,
    excluded: t.excluded,
    unplanned: t.unplanned,
    recommendation: t.recommendation,
    boin: t.boin,
    mtpi2: t.mtpi2,
    notes,
  };
}

function ada(ctx: CoreContext, snapshotId: number) {
  const { definition, cutoff } = snapshotContext(ctx, snapshotId);
  const boostFold = definition.ada.boostFold;
  const subjects = loadSubjects(ctx.db, snapshotId, definition.cycleLengthDays);
  const rows = loadIsRows(ctx.db, snapshotId);
  // Coding, result forms and titre scale under the study definition (shared/ada.ts; immunogenicity/queries.ts).
  const coding = adaCodingReport(rows, definition);
  const bySubject = new Map<string, IsRecord[]>();
  for (const r of coding.adaRows) {
    let l = bySubject.get(r.usubjid);
    if (!l) bySubject.set(r.usubjid, (l = []));
    l.push(r);
  }
  const treated = treatedSubjects(subjects, cutoff);
  const { groups, groupOf } = levelGroups(treated, definition);
  const statuses = treated
    .filter((s) => bySubject.has(s.usubjid))
    .map((s) => adaSubjectStatus(s.usubjid, bySubject.get(s.usubjid)!, s.firstDoseDtc, boostFold, { coding: coding.coding, scale: coding.scale }));
  const info = new Map(subjects.map((s) => [s.usubjid, s]));
  return {
    snapshotId,
    boostFold,
    present: statuses.some((s) => s.samples.length > 0),
    titreScale: { scale: coding.scale, source: coding.scaleSource },
    isRows: rows.length,
    adaRows: coding.adaRows.length,
    unrecognisedTestcds: countValues(coding.unrecognised.map((r) => r.istestcd)),
    warnings: coding.warnings,
    subjects: statuses.map((s) => {
      const sub = info.get(s.usubjid)!;
      return { ...s, level: sub.placebo ? 0 : (doseLevelOf(sub.firstDose, definition.doseLevels)?.level ?? null), part: sub.part };
    }),
    subjectColumns: null,
    sampleColumns: null,
    incidence: adaIncidence(statuses, groups, groupOf),
  };
}

/**
 * safety.ada as a view asks for it. samples "positive": the Immunogenicity view draws the titres of the
 * subjects with a positive sample and lists the others' baseline (10,000 subjects: 9.5 MB with every
 * sample). As columns: the subjects without samples, and the samples with their subject's index.
 */
function adaAnswer(a: Output<'safety.ada'>, samples: 'all' | 'positive', as: 'rows' | 'columns'): Output<'safety.ada'> {
  const subjects = samples === 'all' ? a.subjects : a.subjects.map((s) => (hasPositiveSample(s) ? s : { ...s, samples: s.samples.filter((x) => x.baselineFlag) }));
  if (as === 'rows') return samples === 'all' ? a : { ...a, subjects };
  return {
    ...a,
    subjects: [],
    subjectColumns: toColumns(subjects.map(({ samples: _, ...facts }) => facts)),
    sampleColumns: toColumns(subjects.flatMap((s, subject) => s.samples.map((x) => ({ ...x, subject })))),
  };
}

function recommendOnHistory(input: {
  design: '3+3' | 'atd' | 'boin' | 'mtpi2';
  levels: number;
  history: string;
  deescalation?: boolean | undefined;
  sixAtMtd?: boolean | undefined;
  atdDesign?: 2 | 3 | 4 | undefined;
  atdHandoff?: 'expand-trigger-level' | 'next-level' | undefined;
  target?: number | undefined;
}) {
  if (input.design === 'atd' && input.atdDesign === undefined) throw new CallError('invalid-input', "design 'atd' needs atdDesign (2, 3 or 4)");
  try {
    const r = recommend({
      design: input.design,
      levels: input.levels,
      history: input.history,
      ...(input.deescalation !== undefined ? { deescalation: input.deescalation } : {}),
      ...(input.sixAtMtd !== undefined ? { sixAtMtd: input.sixAtMtd } : {}),
      ...(input.atdDesign !== undefined ? { atdDesign: input.atdDesign } : {}),
      ...(input.atdHandoff !== undefined ? { atdHandoff: input.atdHandoff } : {}),
      ...(input.target !== undefined ? { target: input.target } : {}),
    });
    return { ...summarizeRecommendation(r), history: input.history };
  } catch (e) {
    if (e instanceof HistoryParseError || e instanceof RangeError) throw new CallError('invalid-input', e.message, e instanceof HistoryParseError ? { position: e.position, character: e.character } : undefined);
    throw e;
  }
}
