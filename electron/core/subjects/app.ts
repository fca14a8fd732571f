import { dayNumberToIso, studyDayFromIso, toDayNumber } from '../../../shared/dates';
import { doseLevelOf } from '../../../shared/dlt';
import { exposureSegments, laneEndDtc, type Administration } from '../../../shared/exposure';
import type { Output } from '../../../shared/contract';
import type { App, CoreContext } from '../context';
import { snapshotAnswer, snapshotContext } from '../cohorts/app';
import { onlySubjects } from '../snapshots/onlySubjects';
import { loadSubjects } from '../queries/subjects';
import { domainHasRows, loadDisposition, loadDmRaceCountry, loadExAdministrations, loadSubjectLabs } from './queries';
import { ctcaeLabGrade, termsOfTestcd, type LabGrade } from '../../../shared/labs';
import { subjectLabSafety } from '../labs/app';
import { snapshotMemo } from '../snapshots/memo';
import type { StudyDefinition } from '../../../shared/study';

// Handlers of the subjects feature: the timeline behind the swimmer and the profile header, and a
// subject's labs. Queries gather the rows; the exposure rule is shared/exposure.ts.

export function registerSubjects(app: App): void {
  app.method('subjects.timeline', ({ snapshotId, usubjids }, ctx) => onlySubjects(timeline(ctx, snapshotId), usubjids));
  app.method('subjects.lanes', ({ snapshotId }, ctx) => snapshotAnswer(ctx, snapshotId, 'subjects.lanes', () => lanes(timeline(ctx, snapshotId))));
  app.method('subjects.labs', ({ snapshotId, usubjid }, ctx) => labs(ctx, snapshotId, usubjid));
}

const DOMAIN_TABLES = ['dm', 'ex', 'ae', 'ds', 'rs', 'tr', 'tu', 'pc', 'pp', 'is', 'lb', 'vs'] as const;

function domainsPresent(ctx: CoreContext, snapshotId: number): string[] {
  return DOMAIN_TABLES.filter((t) => domainHasRows(ctx.db, t, snapshotId)).map((t) => t.toUpperCase());
}

// The timeline depends on the snapshot, the study definition and the cut-off alone: derived once
// (snapshotMemo: in memory and in the database).
function timeline(ctx: CoreContext, snapshotId: number): Output<'subjects.timeline'> {
  const { definition, cutoff } = snapshotContext(ctx, snapshotId);
  return snapshotMemo(ctx.db, snapshotId, 'subjects.timeline', { definition, cutoff }, () => deriveTimeline(ctx, snapshotId, definition, cutoff));
}

function deriveTimeline(ctx: CoreContext, snapshotId: number, definition: StudyDefinition, cutoff: string | null): Output<'subjects.timeline'> {
  const facts = loadSubjects(ctx.db, snapshotId, definition.cycleLengthDays);
  const dm = new Map(
    loadDmRaceCountry(ctx.db, snapshotId).map((r) => [r.usubjid, r]),
  );
  const admins = new Map<string, Administration[]>();
  for (const e of loadExAdministrations(ctx.db, snapshotId)) {
    if (cutoff && e.exstdtc.slice(0, 10) > cutoff) continue;
    let l = admins.get(e.usubjid);
    if (!l) admins.set(e.usubjid, (l = []));
    l.push({ startDtc: e.exstdtc, endDtc: e.exendtc, dose: e.exdose, unit: e.exdosu });
  }
  const disposition = new Map<string, { dsdecod: string; dsterm: string | null; dscat: string | null; dsstdtc: string | null }[]>();
  for (const d of loadDisposition(ctx.db, snapshotId)) {
    let l = disposition.get(d.usubjid);
    if (!l) disposition.set(d.usubjid, (l = []));
    l.push(d);
  }

  const subjects = [];
  const notTreated: string[] = [];
  for (const s of facts) {
    const first = s.firstDoseDtc;
    if (!first || (cutoff && first.slice(0, 10) > cutoff)) {
      notTreated.push(s.usubjid);
      continue;
    }
    // Placebo is level 0 (shared/placebo.ts), shown as "Placebo", not "dose not in plan".
    const lvl = s.placebo ? { level: 0, dose: 0 } : doseLevelOf(s.firstDose, definition.doseLevels);
    const a = admins.get(s.usubjid) ?? [];
    const beforeCut = (d: string | null) => (d && (!cutoff || d.slice(0, 10) <= cutoff) ? d : null);
    const eotDtc = beforeCut(s.endOfTreatmentDtc);
    const deathDtc = beforeCut(s.deathDtc);
    const lastAdmin = a.map((x) => x.endDtc ?? x.startDtc).filter((d) => toDayNumber(d) !== null).sort().pop() ?? null;
    const ongoing = !eotDtc && !deathDtc;
    const end = laneEndDtc({ endOfTreatmentDtc: eotDtc, deathDtc, cutoffDtc: cutoff, lastAdministrationDtc: lastAdmin });
    const firstDay = toDayNumber(first);
    const windowEnd = firstDay === null ? null : dayNumberToIso(firstDay + definition.dltWindowDays - 1);
    const d = dm.get(s.usubjid);
    subjects.push({
      usubjid: s.usubjid,
      siteid: s.siteid,
      age: s.age,
      sex: s.sex,
      race: d?.race ?? null,
      country: d?.country ?? null,
      arm: s.arm,
      level: lvl?.level ?? null,
      dose: lvl?.dose ?? s.firstDose,
      doseUnit: lvl ? definition.doseUnit : s.doseUnit,
      part: s.part,
      firstDoseDtc: first,
      lastDoseDtc: s.lastDoseDtc,
      segments: end ? exposureSegments(a, first, end, definition.doseLevels) : [],
      doseDays: a.map((x) => studyDayFromIso(x.startDtc, first)).filter((x): x is number => x !== null),
      laneEndDtc: end,
      laneEndDay: studyDayFromIso(end, first),
      ongoing,
      endOfTreatment: ongoing ? null : { dtc: eotDtc ?? deathDtc, day: studyDayFromIso(eotDtc ?? deathDtc, first), reason: eotDtc ? (s.endOfTreatmentReason ?? 'END OF TREATMENT') : 'DEATH' },
      death: deathDtc ? { dtc: deathDtc, day: studyDayFromIso(deathDtc, first) } : null,
      dltWindowEndDtc: windowEnd,
      disposition: (disposition.get(s.usubjid) ?? []).map((r) => ({ ...r, day: studyDayFromIso(r.dsstdtc, first) })),
    });
  }
  return {
    snapshotId,
    dataCutoff: cutoff,
    dltWindowDays: definition.dltWindowDays,
    cycleLengthDays: definition.cycleLengthDays,
    domains: domainsPresent(ctx, snapshotId),
    subjects,
    notTreated,
  };
}

/** The lane index: what sorting, filtering and paging the lanes read, one column per field (a tenth of the timeline's bytes). */
function lanes(t: Output<'subjects.timeline'>): Output<'subjects.lanes'> {
  const s = t.subjects;
  return {
    snapshotId: t.snapshotId,
    dataCutoff: t.dataCutoff,
    dltWindowDays: t.dltWindowDays,
    domains: t.domains,
    lanes: {
      usubjid: s.map((l) => l.usubjid),
      level: s.map((l) => l.level),
      part: s.map((l) => l.part),
      firstDoseDtc: s.map((l) => l.firstDoseDtc),
      laneEndDay: s.map((l) => l.laneEndDay),
    },
    notTreated: t.notTreated.length,
  };
}

/** A reference-range limit as stored (a number in XPT/Dataset-JSON, text in CSV): its number, else null. */
function limit(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string' || v.trim() === '') return null;
  const n = Number(v.trim());
  return Number.isFinite(n) ? n : null;
}

function labs(ctx: CoreContext, snapshotId: number, usubjid: string) {
  const present = domainHasRows(ctx.db, 'lb', snapshotId);
  const first = loadSubjects(ctx.db, snapshotId).find((s) => s.usubjid === usubjid)?.firstDoseDtc ?? null;
  const rows = loadSubjectLabs(ctx.db, snapshotId, usubjid);
  const gradesOf = labGrades(ctx, snapshotId, usubjid);
  const tests = new Map<string, { testcd: string; test: string | null; unit: string | null; points: Output<'subjects.labs'>['tests'][number]['points'] }>();
  for (const r of rows) {
    let t = tests.get(r.lbtestcd);
    if (!t) tests.set(r.lbtestcd, (t = { testcd: r.lbtestcd, test: r.lbtest, unit: r.lbstresu, points: [] }));
    const ctcae = gradesOf(r.lbtestcd, r.row_no, r.lbdtc);
    t.points.push({ dtc: r.lbdtc, day: first ? studyDayFromIso(r.lbdtc, first) : null, value: r.lbstresn, text: r.lbstresc, nrind: r.lbnrind, toxgr: r.lbtoxgr, normalLow: limit(r.lo), normalHigh: limit(r.hi), rowNo: r.row_no, ctcae });
  }
  return { snapshotId, usubjid, present, tests: [...tests.values()] };
}

type PointGrade = Output<'subjects.labs'>['tests'][number]['points'][number]['ctcae'][number];
const pointGrade = (term: string, g: LabGrade): PointGrade =>
  g.grade === null ? { term, grade: null, source: null, basis: null, notGradable: g.notGradable } : { term, grade: g.grade, source: g.source, basis: g.basis, notGradable: null };

/**
 * The CTCAE grades of one subject's LB rows, taken from the laboratory-safety feature (subjectLabSafety:
 * the grades the Laboratory view, the shift table and the DLT screen use), so the profile never
 * grades differently. Rows that feature does not grade get the reason; a pre-dose row other than the
 * baseline is graded like the baseline (ctcaeLabGrade without a baseline).
 */
function labGrades(ctx: CoreContext, snapshotId: number, usubjid: string): (testcd: string, rowNo: number, dtc: string | null) => PointGrade[] {
  const { labs: sl, treated } = subjectLabSafety(ctx, snapshotId, usubjid);
  const key = (testcd: string, rowNo: number, dtc: string | null) => `${testcd.trim().toUpperCase()}\u0000${rowNo}\u0000${dtc ?? ''}`;
  const graded = new Map<string, PointGrade[]>();
  for (const g of sl?.graded ?? []) {
    const k = key(g.record.testcd, g.record.rowNo, g.record.dtc);
    let l = graded.get(k);
    if (!l) graded.set(k, (l = []));
    l.push(pointGrade(g.term.term, g.grade));
  }
  const undated = new Set((sl?.undated ?? []).map((r) => key(r.testcd, r.rowNo, r.dtc)));
  const preDose = new Map((sl?.preDose ?? []).map((r) => [key(r.testcd, r.rowNo, r.dtc), r]));
  return (testcd, rowNo, dtc) => {
    const terms = termsOfTestcd(testcd.trim().toUpperCase());
    if (!terms.length) return [];
    const k = key(testcd, rowNo, dtc);
    const g = graded.get(k);
    if (g) return g;
    const pre = preDose.get(k);
    if (pre) return terms.map((t) => pointGrade(t.term, ctcaeLabGrade(t, pre, null)));
    const reason = !treated
      ? 'the subject had no dose by the data cut-off: no baseline to grade against'
      : undated.has(k)
        ? 'no full date: the result cannot be placed before or after the first dose'
        : 'not graded';
    return terms.map((t) => ({ term: t.term, grade: null, source: null, basis: null, notGradable: reason }));
  };
}
