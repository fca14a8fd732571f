import { toColumns } from '../../../shared/columns';
import type { Output } from '../../../shared/contract';
import { edishPoint, LAB_TERMS, shiftTable, subjectLabs, type LabRecord, type SubjectLabs } from '../../../shared/labs';
import type { App, CoreContext } from '../context';
import { snapshotAnswer, snapshotContext } from '../cohorts/app';
import { loadSubjects } from '../queries/subjects';
import type { Db } from '../store/db';
import type { StudyDefinition } from '../../../shared/study';
import { levelGroups, treatedSubjects } from '../safety/groups';
import { snapshotMemo } from '../snapshots/memo';
import { isGradedTest, loadLbRows, type LbRow } from './queries';

// Handlers of the laboratory-safety feature. Queries gather the LB rows; the rules (CTCAE v5.0
// grades, baseline, shift, eDISH) are in shared/labs/.

export function registerLabs(app: App): void {
  app.method('labs.shift', ({ snapshotId, subjectRows, as }, ctx) => {
    const t = snapshotAnswer(ctx, snapshotId, 'labs.shift', () => shift(ctx, snapshotId, subjectRows), { subjectRows });
    return as === 'columns' ? { ...t, subjects: [], subjectColumns: toColumns(t.subjects) } : t;
  });
  app.method('labs.edish', ({ snapshotId, as }, ctx) => {
    const e = snapshotAnswer(ctx, snapshotId, 'labs.edish', () => edish(ctx, snapshotId));
    return as === 'columns' ? { ...e, points: [], pointColumns: toColumns(e.points) } : e;
  });
}

export interface LabSafety {
  groups: { key: string; label: string }[];
  groupOf: Map<string, string>;
  /** Graded results per treated subject with LB rows of a graded test. */
  subjects: Map<string, SubjectLabs>;
  /** The treated subjects' rows of graded tests, per subject (for eDISH). */
  rows: Map<string, LbRow[]>;
  firstDose: Map<string, string | null>;
  /** Rows of graded tests whose subject was not dosed by the cut-off (no baseline, no post-baseline). */
  untreatedRows: LbRow[];
  /** Rows of tests no CTCAE rule here grades. */
  otherRows: LbRow[];
  fileOf: Map<LabRecord, string | null>;
}

/** Every treated subject's graded lab results (memoised per snapshot and study definition). */
export function labSafetyOf(ctx: CoreContext, snapshotId: number): LabSafety {
  const { definition, cutoff } = snapshotContext(ctx, snapshotId);
  return labSafety(ctx.db, snapshotId, definition, cutoff);
}

/**
 * One subject's graded lab results, as labSafetyOf grades them (the same rule, subjectLabs, on the
 * same rows), without grading the whole study: the patient profile (13 s at 10,000 subjects after a
 * restart, when the study's grades are not in memory). `treated` = dosed by the cut-off.
 */
export function subjectLabSafety(ctx: CoreContext, snapshotId: number, usubjid: string): { labs: SubjectLabs | undefined; treated: boolean } {
  const { definition, cutoff } = snapshotContext(ctx, snapshotId);
  const s = treatedSubjects(loadSubjects(ctx.db, snapshotId, definition.cycleLengthDays), cutoff).find((x) => x.usubjid === usubjid);
  if (!s) return { labs: undefined, treated: false };
  const rows = loadLbRows(ctx.db, snapshotId, usubjid).filter(isGradedTest);
  return { labs: rows.length ? subjectLabs(usubjid, rows, s.firstDoseDtc) : undefined, treated: true };
}

/** The same, for a caller that has the definition (the mapping report). */
export function labSafety(db: Db, snapshotId: number, definition: StudyDefinition, cutoff: string | null): LabSafety {
  return snapshotMemo(db, snapshotId, 'labSafety', { definition, cutoff }, () => {
    const treated = treatedSubjects(loadSubjects(db, snapshotId, definition.cycleLengthDays), cutoff);
    const { groups, groupOf } = levelGroups(treated, definition);
    const firstDose = new Map(treated.map((s) => [s.usubjid, s.firstDoseDtc]));
    const all = loadLbRows(db, snapshotId);
    const rows = new Map<string, LbRow[]>();
    const untreatedRows: LbRow[] = [];
    const otherRows: LbRow[] = [];
    const fileOf = new Map<LabRecord, string | null>();
    for (const r of all) {
      fileOf.set(r, r.file);
      if (!isGradedTest(r)) otherRows.push(r);
      else if (!firstDose.has(r.usubjid)) untreatedRows.push(r);
      else {
        let l = rows.get(r.usubjid);
        if (!l) rows.set(r.usubjid, (l = []));
        l.push(r);
      }
    }
    const subjects = new Map([...rows].map(([u, l]) => [u, subjectLabs(u, l, firstDose.get(u) ?? null)]));
    return { groups, groupOf, subjects, rows, firstDose, untreatedRows, otherRows, fileOf };
  });
}

/**
 * A subject–term pair with nothing to read beyond the shift table: grade 0 at baseline and at its
 * worst post-baseline result, every result gradable. The view lists the others first (at 10,000
 * subjects four pairs in five are such, and all of them were 34 MB).
 */
const uneventful = (t: SubjectLabs['terms'][number]) => t.baselineGrade === 0 && t.worstGrade === 0 && t.notGradable.length === 0;

function shift(ctx: CoreContext, snapshotId: number, subjectRows: 'all' | 'notable'): Output<'labs.shift'> {
  const L = labSafetyOf(ctx, snapshotId);
  const subs = [...L.subjects.values()];
  const soc = new Map(LAB_TERMS.map((t) => [t.term, t.soc]));
  const blocks = shiftTable(subs, L.groupOf, L.groups.map((g) => g.key)).map((b) => ({ ...b, soc: soc.get(b.term)! }));
  let subjectRowsLeftOut = 0;
  const subjects = subs.flatMap((s) =>
    s.terms
      .filter((t) => {
        const keep = subjectRows === 'all' || !uneventful(t);
        if (!keep) subjectRowsLeftOut++;
        return keep;
      })
      .map((t) => {
        const w = t.worst;
        const g = w?.grade;
        return {
          usubjid: s.usubjid,
          group: L.groupOf.get(s.usubjid)!,
          term: t.term,
          testcd: t.testcd,
          baselineGrade: t.baselineGrade,
          worstGrade: t.worstGrade,
          worstDtc: w?.record.dtc ?? null,
          worstStudyDay: w?.studyDay ?? null,
          worstResult: w ? (w.record.value !== null ? String(w.record.value) : w.record.text) : null,
          worstUnit: w?.record.unit ?? null,
          worstSource: g && g.grade !== null ? g.source : null,
          worstBasis: g && g.grade !== null ? g.basis : null,
          worstNote: g && g.grade !== null ? g.note : null,
          postBaseline: t.postBaseline,
          notGradable: t.notGradable.length,
        };
      }),
  );
  const notGradable = subs.flatMap((s) =>
    s.graded
      .filter((g) => g.grade.grade === null)
      .map((g) => ({
        usubjid: s.usubjid,
        term: g.term.term,
        testcd: g.term.testcd,
        dtc: g.record.dtc,
        file: L.fileOf.get(g.record) ?? null,
        rowNo: g.record.rowNo,
        result: g.record.value !== null ? String(g.record.value) : g.record.text,
        unit: g.record.unit,
        reason: g.grade.grade === null ? g.grade.notGradable : '',
      })),
  );
  const notes: string[] = [];
  if (notGradable.length) notes.push(`${notGradable.length} result(s) could not be graded (listed with file, row and reason); they count in no grade.`);
  const undated = subs.reduce((n, s) => n + s.undated.length, 0);
  if (undated) notes.push(`${undated} result(s) without a full date could not be placed before or after the first dose and are left out.`);
  if (L.untreatedRows.length) notes.push(`${L.untreatedRows.length} result(s) belong to subjects not dosed by the data cut-off and are left out.`);
  notes.push('Baseline: the LBBLFL = Y record, else the last result on or before the first dose (a first-dose-day result without a time counts as pre-dose). Worst grade: the highest grade among post-baseline results.');
  return { snapshotId, present: subs.length > 0, groups: L.groups, subjectCount: subs.length, subjectRowsLeftOut, blocks, subjects, subjectColumns: null, notGradable, notes };
}

function edish(ctx: CoreContext, snapshotId: number): Output<'labs.edish'> {
  const L = labSafetyOf(ctx, snapshotId);
  const points: Output<'labs.edish'>['points'] = [];
  const notPlotted: Output<'labs.edish'>['notPlotted'] = [];
  let skippedResults = 0;
  for (const [u, rows] of L.rows) {
    if (!rows.some((r) => ['ALT', 'AST', 'BILI'].includes(r.testcd))) continue;
    const p = edishPoint(u, rows, L.firstDose.get(u) ?? null);
    skippedResults += p.skipped;
    const group = L.groupOf.get(u)!;
    if (p.quadrant === null || p.aminoXUln === null || p.biliXUln === null) notPlotted.push({ usubjid: u, group, reason: p.notPlotted ?? 'no point' });
    else points.push({ usubjid: u, group, altXUln: p.altXUln, astXUln: p.astXUln, aminoXUln: p.aminoXUln, biliXUln: p.biliXUln, altDtc: p.altDtc, astDtc: p.astDtc, biliDtc: p.biliDtc, quadrant: p.quadrant });
  }
  const notes = ['Peaks of post-baseline results over their own ULN; the ALT or AST peak and the bilirubin peak may be on different days (dates given): a potential Hy\'s law case needs its timing and other causes examined (FDA DILI guidance 2009).'];
  if (skippedResults) notes.push(`${skippedResults} post-baseline ALT/AST/bilirubin result(s) without a numeric value or an upper limit of normal are left out of the peaks.`);
  if (notPlotted.length) notes.push(`${notPlotted.length} subject(s) have no point: ${notPlotted.map((n) => n.usubjid).join(', ')}.`);
  return { snapshotId, present: points.length + notPlotted.length > 0, groups: L.groups, points, pointColumns: null, notPlotted, skippedResults, notes };
}
