import path from 'node:path';
import type { z } from 'zod';
import type { efficacyApi } from '../../../shared/api/efficacy';
import { clopperPearson } from '../../../shared/binomial';
import { doseLevelOf } from '../../../shared/dlt';
import { CENSORING_RULES, deriveOs, derivePfs, type TimeToEvent } from '../../../shared/efficacy/endpoints';
import { defaultAtTimes, kmByGroup, type KmGroupInput } from '../../../shared/efficacy/km';
import { completeDate } from '../../../shared/efficacy/records';
import { deriveSubjectTumour, type SubjectTumourResult } from '../../../shared/efficacy/tumour';
import type { SubjectFacts } from '../../../shared/model';
import { objectiveResponseSummary, type BestResponse } from '../../../shared/recist';
import type { StudyDefinition } from '../../../shared/study';
import { CallError, type App, type CoreContext } from '../context';
import { snapshotAnswer, snapshotContext } from '../cohorts/app';
import { encodeTumourColumns } from '../../../shared/efficacy/columns';
import { loadSubjects } from '../queries/subjects';
import { snapshotMemo } from '../snapshots/memo';
import { onlySubjects } from '../snapshots/onlySubjects';
import { readKmCsv } from './csvTable';
import { loadDeaths, loadLastRecordDates, loadTumourRecords, type DeathFacts, type TumourRecords } from './queries';

// Handlers of the efficacy feature: tumour response, ORR/DCR, Kaplan–Meier for PFS and OS, and
// the validation entry points used by the CLI (KM of a CSV file, binomial CI).
export function registerEfficacy(app: App): void {
  // Derived (and stored) for every subject; a profile's subject is cut from it (no efficacy derivation after a restart).
  const seriesOf = (ctx: CoreContext, snapshotId: number) => snapshotAnswer(ctx, snapshotId, 'efficacy.tumourSeries', () => tumourSeries(ctx, snapshotId));
  app.method('efficacy.tumourSeries', (input, ctx) => onlySubjects(seriesOf(ctx, input.snapshotId), input.usubjids));
  app.method('efficacy.plotColumns', ({ snapshotId, points }, ctx) =>
    snapshotAnswer(ctx, snapshotId, 'efficacy.plotColumns', () => {
      const t = seriesOf(ctx, snapshotId);
      return { snapshotId, dataCutoff: t.dataCutoff, confirmationDays: t.confirmationDays, ...encodeTumourColumns(t.subjects, points) };
    }, { points }),
  );
  app.method('efficacy.responseSummary', (input, ctx) => responseSummary(ctx, input));
  app.method('efficacy.km', (input, ctx) => km(ctx, input));
  app.method('efficacy.responses', (input, ctx) => onlySubjects(snapshotAnswer(ctx, input.snapshotId, 'efficacy.responses', () => responses(ctx, input.snapshotId)), input.usubjids));
  app.method('efficacy.kmFile', (input) => kmFile(input));
  app.method('efficacy.binomialCi', (input) => binomialCi(input));
}

type In<M extends keyof typeof efficacyApi> = z.output<(typeof efficacyApi)[M]['input']>;

interface TreatedSubject {
  facts: SubjectFacts;
  firstDoseDtc: string;
  level: number | null;
  dose: number | null;
  tumour: SubjectTumourResult;
}

interface EfficacyData {
  definition: StudyDefinition;
  cutoff: string | null;
  subjects: TreatedSubject[];
  deaths: Map<string, DeathFacts>;
  /** Latest non-death record date per subject (computed on first use: it scans every domain). */
  lastDates(): Map<string, string>;
}

const afterCutoff = (dtc: string | null, cutoff: string | null): boolean => {
  const d = completeDate(dtc);
  return cutoff !== null && d !== null && d > cutoff;
};

/** Treated subjects (a complete first-dose date on or before the cut-off) with their tumour-response derivation. */
function loadEfficacy(ctx: CoreContext, snapshotId: number): EfficacyData {
  const { definition, cutoff } = snapshotContext(ctx, snapshotId);
  return snapshotMemo(ctx.db, snapshotId, 'efficacy', { definition, cutoff }, () => deriveEfficacy(ctx, snapshotId, definition, cutoff));
}

function deriveEfficacy(ctx: CoreContext, snapshotId: number, definition: StudyDefinition, cutoff: string | null): EfficacyData {
  const records = loadTumourRecords(ctx.db, snapshotId);
  const deaths = loadDeaths(ctx.db, snapshotId);
  const subjects: TreatedSubject[] = [];
  for (const facts of loadSubjects(ctx.db, snapshotId)) {
    const firstDoseDtc = completeDate(facts.firstDoseDtc);
    if (firstDoseDtc === null || (cutoff !== null && firstDoseDtc > cutoff)) continue;
    const all = records.get(facts.usubjid) ?? { tu: [], tr: [], rs: [] };
    const rec: TumourRecords = {
      tu: all.tu.filter((r) => !afterCutoff(r.dtc, cutoff)),
      tr: all.tr.filter((r) => !afterCutoff(r.dtc, cutoff)),
      rs: all.rs.filter((r) => !afterCutoff(r.dtc, cutoff)),
    };
    const death = deaths.get(facts.usubjid);
    const tumour = deriveSubjectTumour(
      { firstDoseDtc, ...rec, deathDtc: death && !afterCutoff(death.dtc, cutoff) ? completeDate(death.dtc) : null },
      definition.recist,
    );
    const lvl = doseLevelOf(facts.firstDose, definition.doseLevels);
    subjects.push({ facts, firstDoseDtc, level: lvl?.level ?? null, dose: lvl?.dose ?? facts.firstDose, tumour });
  }
  let lastDates: Map<string, string> | null = null;
  return { definition, cutoff, subjects, deaths, lastDates: () => (lastDates ??= loadLastRecordDates(ctx.db, snapshotId, cutoff)) };
}

function subjectKey(s: TreatedSubject, def: StudyDefinition) {
  return { usubjid: s.facts.usubjid, level: s.level, dose: s.dose, doseUnit: s.level !== null ? def.doseUnit : s.facts.doseUnit, part: s.facts.part, firstDoseDtc: s.firstDoseDtc };
}

function tumourSeries(ctx: CoreContext, snapshotId: number) {
  const { definition, cutoff, subjects } = loadEfficacy(ctx, snapshotId);
  return {
    snapshotId,
    dataCutoff: cutoff,
    confirmationDays: definition.recist.confirmationDays,
    minSdDays: definition.recist.minSdDays,
    subjects: subjects.map((s) => ({
      ...subjectKey(s, definition),
      baselineDtc: s.tumour.baselineDtc,
      hasBaselineAssessment: s.tumour.hasBaselineAssessment,
      baselineSum: s.tumour.baselineSum,
      points: s.tumour.points,
      bestPctChange: s.tumour.bestPctChange,
      bor: { confirmed: s.tumour.confirmed, unconfirmed: s.tumour.unconfirmed },
      notes: s.tumour.notes,
    })),
  };
}

function responses(ctx: CoreContext, snapshotId: number) {
  const { definition, subjects } = loadEfficacy(ctx, snapshotId);
  return {
    snapshotId,
    subjects: subjects.map((s) => ({
      ...subjectKey(s, definition),
      responses: s.tumour.points
        .filter((p) => p.response !== null && p.responseSource !== null)
        .map((p) => ({ dtc: p.dtc, studyDay: p.studyDay, response: p.response!, source: p.responseSource!, evaluator: p.evaluator, newLesion: p.newLesion })),
    })),
  };
}

interface Group {
  key: string;
  label: string;
  level: number | null;
  part: 'escalation' | 'expansion' | null;
  order: number;
}

/** The group of a subject: dose level (plan order; doses not in the plan last) or part. */
function groupOf(s: TreatedSubject, by: 'level' | 'part' | 'none', def: StudyDefinition): Group {
  if (by === 'none') return { key: 'all', label: 'All treated', level: null, part: null, order: 0 };
  if (by === 'part') return { key: s.facts.part, label: s.facts.part === 'escalation' ? 'Escalation' : 'Expansion', level: null, part: s.facts.part, order: s.facts.part === 'escalation' ? 0 : 1 };
  if (s.level === null) return { key: 'unplanned', label: 'Dose not in plan', level: null, part: null, order: Number.MAX_SAFE_INTEGER };
  return { key: `L${s.level}`, label: `Level ${s.level} (${s.dose} ${def.doseUnit})`, level: s.level, part: null, order: s.level };
}

function groupSubjects(subjects: TreatedSubject[], by: 'level' | 'part' | 'none', def: StudyDefinition): Array<{ group: Group; members: TreatedSubject[] }> {
  const m = new Map<string, { group: Group; members: TreatedSubject[] }>();
  for (const s of subjects) {
    const g = groupOf(s, by, def);
    let e = m.get(g.key);
    if (!e) m.set(g.key, (e = { group: g, members: [] }));
    e.members.push(s);
  }
  return [...m.values()].sort((a, b) => a.group.order - b.group.order);
}

const rate = (r: { count: number; estimate: number; lower: number; upper: number }) => ({
  count: r.count, estimate: Number.isFinite(r.estimate) ? r.estimate : null, lower: r.lower, upper: r.upper,
});

const NO_BASELINE = 'no baseline tumour assessment (no TR or TU record on or before the first dose)';
const RESPONSE_SET_RULE =
  'Treated subjects with a baseline tumour assessment (a TR measurement or TU lesion on or before the first dose; RECIST 1.1 §4.1, §4.3.1). ORR and DCR are over those of them with at least one post-baseline response assessment; the others are not yet assessed and are counted apart.';
const PFS_SET_RULE = 'Treated subjects with a baseline tumour assessment (a TR measurement or TU lesion on or before the first dose): progression needs a baseline to progress from.';
const OS_SET_RULE = 'All treated subjects (a complete first-dose date on or before the data cut-off).';

/** The analysis set of an endpoint among the given treated subjects. */
function analysisSet(name: string, rule: string, subjects: TreatedSubject[], baselineNeeded: boolean) {
  const excluded = baselineNeeded ? subjects.filter((s) => !s.tumour.hasBaselineAssessment) : [];
  return {
    name,
    rule,
    nTreated: subjects.length,
    nIncluded: subjects.length - excluded.length,
    nExcluded: excluded.length,
    excluded: excluded.map((s) => ({ usubjid: s.facts.usubjid, reason: NO_BASELINE })),
  };
}

/**
 * ORR / DCR of one group. The analysis set is the subjects with a baseline tumour assessment; the
 * denominator is those of them with a post-baseline response assessment (BOR not MISSING). Subjects
 * in the set not yet assessed (an interim data cut of a phase 1: the first scan is still to come) are
 * counted apart rather than as non-responders. Subjects without a baseline are outside the set.
 */
function responseGroup(group: Omit<Group, 'order'>, members: TreatedSubject[], confirm: boolean, level: number) {
  const inSet = members.filter((s) => s.tumour.hasBaselineAssessment);
  const all: BestResponse[] = inSet.map((s) => (confirm ? s.tumour.confirmed : s.tumour.unconfirmed).response);
  const bors = all.filter((b) => b !== 'MISSING');
  const sum = objectiveResponseSummary(bors, { level, nonCrNonPdAsSd: true });
  const c = sum.counts;
  return {
    key: group.key, label: group.label, level: group.level, part: group.part,
    nTreated: members.length,
    nEvaluable: sum.n,
    nNoBaseline: members.length - inSet.length,
    nNoPostBaseline: all.length - bors.length,
    counts: { CR: c.CR, PR: c.PR, SD: c.SD, 'NON-CR/NON-PD': c['NON-CR/NON-PD'], PD: c.PD, NE: c.NE + c.ND },
    orr: rate(sum.orr),
    dcr: rate(sum.dcr),
  };
}

function responseSummary(ctx: CoreContext, input: In<'efficacy.responseSummary'>) {
  const { definition, subjects } = efficacyOfSubjects(loadEfficacy(ctx, input.snapshotId), input.usubjids);
  return {
    snapshotId: input.snapshotId,
    confirmed: input.confirm,
    by: input.by,
    analysisSet: analysisSet('ORR/DCR', RESPONSE_SET_RULE, subjects, true),
    groups: groupSubjects(subjects, input.by, definition).map(({ group, members }) => responseGroup(group, members, input.confirm, input.level)),
    overall: responseGroup({ key: 'all', label: 'All treated', level: null, part: null }, subjects, input.confirm, input.level),
  };
}

/** The review selection: only the listed subjects when a list is given. */
function efficacyOfSubjects(data: EfficacyData, usubjids: string[] | undefined): EfficacyData {
  if (!usubjids) return data;
  const keep = new Set(usubjids);
  return { ...data, subjects: data.subjects.filter((s) => keep.has(s.facts.usubjid)) };
}

function km(ctx: CoreContext, input: In<'efficacy.km'>) {
  const data = efficacyOfSubjects(loadEfficacy(ctx, input.snapshotId), input.usubjids);
  const { definition, cutoff, deaths } = data;
  const pfs = input.endpoint === 'PFS';
  const set = pfs ? analysisSet('PFS', PFS_SET_RULE, data.subjects, true) : analysisSet('OS', OS_SET_RULE, data.subjects, false);
  // PFS: only the analysis set (a subject never assessed cannot be censored at day 1 nor progress by dying).
  const subjects = pfs ? data.subjects.filter((s) => s.tumour.hasBaselineAssessment) : data.subjects;
  const lastDates = data.lastDates();
  const tte = new Map<string, TimeToEvent>();
  for (const s of subjects) {
    const death = deaths.get(s.facts.usubjid);
    const args = {
      firstDoseDtc: s.firstDoseDtc,
      responses: s.tumour.points.filter((p) => !p.baseline && p.response !== null).map((p) => ({ dtc: p.dtc, response: p.response! })),
      deathDtc: death?.dtc ?? null,
      died: death?.died ?? false,
      lastKnownAliveDtc: lastDates.get(s.facts.usubjid) ?? null,
      cutoffDtc: cutoff,
    };
    tte.set(s.facts.usubjid, input.endpoint === 'PFS' ? derivePfs(args) : deriveOs(args));
  }
  const timeOf = (t: TimeToEvent) => (input.unit === 'days' ? t.days : t.months);
  const grouped = groupSubjects(subjects, input.by, definition);
  const groups: KmGroupInput[] = grouped.map(({ group, members }) => ({
    label: group.label,
    times: members.map((s) => timeOf(tte.get(s.facts.usubjid)!)),
    events: members.map((s) => tte.get(s.facts.usubjid)!.event),
  }));
  const at = input.at ?? defaultAtTimes(groups.flatMap((g) => g.times), input.unit === 'days' ? 90 : 3);
  const result = kmByGroup(groups, { confType: input.confType, level: input.level, at });
  const labelOf = new Map(grouped.flatMap(({ group, members }) => members.map((s) => [s.facts.usubjid, group.label] as const)));
  return {
    snapshotId: input.snapshotId,
    endpoint: input.endpoint,
    unit: input.unit,
    by: input.by,
    confType: result.confType,
    level: result.level,
    analysisSet: set,
    groups: result.groups,
    logRank: result.logRank,
    // Left out when not asked for: the view draws the curves (1.6 MB of subjects at 10,000).
    subjects: (input.subjects ? subjects : []).map((s) => {
      const t = tte.get(s.facts.usubjid)!;
      return { usubjid: s.facts.usubjid, group: labelOf.get(s.facts.usubjid)!, event: t.event, dtc: t.dtc, days: t.days, months: t.months, reason: t.reason, imputed: t.imputed };
    }),
    censoringRules: CENSORING_RULES,
  };
}

async function kmFile(input: In<'efficacy.kmFile'>) {
  const file = path.resolve(input.path);
  const data = await readKmCsv(file, { time: input.time, event: input.event, eventValue: input.eventValue, group: input.group }).catch((e: unknown) => {
    throw new CallError('invalid-input', e instanceof Error ? e.message : String(e));
  });
  const result = kmByGroup(data.groups, { confType: input.confType, level: input.level, at: input.at });
  return { file, n: data.n, dropped: data.dropped, eventCoding: data.eventCoding, ...result };
}

function binomialCi(input: In<'efficacy.binomialCi'>) {
  const ci = clopperPearson(input.x, input.n, input.level);
  return { x: ci.x, n: ci.n, level: ci.level, estimate: Number.isFinite(ci.estimate) ? ci.estimate : null, lower: ci.lower, upper: ci.upper, method: 'Clopper-Pearson exact (R binom.test)' };
}
