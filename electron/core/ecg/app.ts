import type { Output } from '../../../shared/contract';
import { categoryTable, ecgRole, qtcfPoints, subjectQtcf, type EcgRecord, type QtcfPoint, type SubjectQtcf } from '../../../shared/ecg';
import { studyDayFromIso } from '../../../shared/dates';
import type { StudyDefinition } from '../../../shared/study';
import type { App, CoreContext } from '../context';
import { snapshotAnswer, snapshotContext } from '../cohorts/app';
import { loadSubjects } from '../queries/subjects';
import type { Db } from '../store/db';
import { levelGroups, treatedSubjects } from '../safety/groups';
import { snapshotMemo } from '../snapshots/memo';
import { domainsPresent, loadEgRows, loadVsRows } from './queries';

// Handlers of the ECG feature. Queries gather the EG and VS rows; the rules (QTcF by Fridericia
// 1920, baseline, change, ICH E14 categories) are in shared/ecg.ts.

export function registerEcg(app: App): void {
  app.method('ecg.qtcf', ({ snapshotId }, ctx) => snapshotAnswer(ctx, snapshotId, 'ecg.qtcf', () => qtcf(ctx, snapshotId)));
  app.method('ecg.categories', ({ snapshotId }, ctx) => snapshotAnswer(ctx, snapshotId, 'ecg.categories', () => categories(ctx, snapshotId)));
}

export interface EcgSafety {
  groups: { key: string; label: string }[];
  groupOf: Map<string, string>;
  firstDose: Map<string, string | null>;
  present: Set<string>;
  subjects: SubjectQtcf[];
  /** Every EG and VS row with why it gave no QTcF (null: used). */
  rowUse: Map<EcgRecord, string | null>;
  egRows: number;
  vsRows: number;
}

export function ecgSafetyOf(ctx: CoreContext, snapshotId: number): EcgSafety {
  const { definition, cutoff } = snapshotContext(ctx, snapshotId);
  return ecgSafety(ctx.db, snapshotId, definition, cutoff);
}

// Reasons a row gives no QTcF, in the mapping report's words (grouped there by reason).
export const WHY = {
  otherTest: 'not a test the QTcF derivation reads (EG: QT, RR, HR, QTCF; VS: PULSE, HR); shown on the patient profile only',
  givenWins: 'QTcF is given at this time point (EGTESTCD QTCF): QT, RR and heart rate are not needed',
  noEcg: 'heart rate without an ECG (EG QT) at the same date-time and time point',
  notComputable: 'not computable (unit, missing QT, RR and heart rate both absent): listed in the ECG view with file, row and reason',
  untreated: 'subject not dosed by the data cut-off: no baseline or post-baseline',
  undated: 'no full date: cannot be placed before or after the first dose',
  preDose: 'on or before the first dose but not the baseline (EGBLFL = Y, else the last pre-dose QTcF): neither baseline nor post-baseline',
  hrUnused: 'heart rate not needed: RR (EG) or an EG heart rate at the same time point was used',
} as const;

export function ecgSafety(db: Db, snapshotId: number, definition: StudyDefinition, cutoff: string | null): EcgSafety {
  return snapshotMemo(db, snapshotId, 'ecgSafety', { definition, cutoff }, () => {
    const treated = treatedSubjects(loadSubjects(db, snapshotId, definition.cycleLengthDays), cutoff);
    const { groups, groupOf } = levelGroups(treated, definition);
    const firstDose = new Map(treated.map((s) => [s.usubjid, s.firstDoseDtc]));
    const eg = loadEgRows(db, snapshotId);
    const vs = loadVsRows(db, snapshotId);
    const rowUse = new Map<EcgRecord, string | null>();
    const read: EcgRecord[] = [];
    for (const r of [...eg, ...vs]) {
      if (!ecgRole(r)) rowUse.set(r, WHY.otherTest);
      else if (!firstDose.has(r.usubjid)) rowUse.set(r, WHY.untreated);
      else read.push(r);
    }
    const points = qtcfPoints(read);
    const used = new Set<EcgRecord>();
    const bySubject = new Map<string, QtcfPoint[]>();
    for (const p of points) {
      let l = bySubject.get(p.usubjid);
      if (!l) bySubject.set(p.usubjid, (l = []));
      l.push(p);
    }
    const subjects = [...bySubject].map(([u, ps]) => subjectQtcf(u, ps, firstDose.get(u) ?? null));
    for (const s of subjects)
      for (const { point, postBaseline } of s.points) {
        const why = point.qtcf === null ? WHY.notComputable : point === s.baseline || postBaseline ? null : postBaseline === null ? WHY.undated : WHY.preDose;
        for (const r of point.records) {
          rowUse.set(r, why);
          if (why === null) used.add(r);
        }
      }
    // Rows read but not part of any point's computation.
    const timeKey = (x: { usubjid: string; dtc: string | null; tpt: string | null; repnum: string | null }) => `${x.usubjid}\u001f${x.dtc ?? ''}\u001f${(x.tpt ?? '').trim().toUpperCase()}\u001f${(x.repnum ?? '').trim()}`;
    const pointKeys = new Set(points.map(timeKey));
    // Sets, not a search of every point for every row (quadratic at thousands of subjects).
    const givenKeys = new Set(points.filter((p) => p.source === 'QTcF as given' && p.records[0]).map(timeKey));
    for (const r of read) {
      if (rowUse.has(r)) continue;
      const k = timeKey(r);
      rowUse.set(r, !pointKeys.has(k) ? WHY.noEcg : givenKeys.has(k) ? WHY.givenWins : WHY.hrUnused);
    }
    return { groups, groupOf, firstDose, present: domainsPresent(db, snapshotId), subjects, rowUse, egRows: eg.length, vsRows: vs.length };
  });
}

function missingDomains(E: EcgSafety): string[] {
  return ['EG', 'VS'].filter((d) => !E.present.has(d));
}

function qtcf(ctx: CoreContext, snapshotId: number): Output<'ecg.qtcf'> {
  const E = ecgSafetyOf(ctx, snapshotId);
  const points: Output<'ecg.qtcf'>['points'] = [];
  const notComputable: Output<'ecg.qtcf'>['notComputable'] = [];
  for (const s of E.subjects)
    for (const { point: p, postBaseline, change } of s.points) {
      if (p.qtcf === null) {
        const r = p.records[0]!;
        notComputable.push({ usubjid: p.usubjid, dtc: p.dtc, tpt: p.tpt, domain: r.domain, testcd: r.testcd, file: r.file, rowNo: r.rowNo, reason: p.notComputable ?? '' });
        continue;
      }
      points.push({
        usubjid: p.usubjid,
        group: E.groupOf.get(p.usubjid)!,
        dtc: p.dtc,
        tpt: p.tpt,
        repnum: p.repnum,
        studyDay: studyDayFromIso(p.dtc, E.firstDose.get(p.usubjid) ?? null),
        qtcf: p.qtcf,
        source: p.source!,
        baseline: p === s.baseline,
        postBaseline,
        change,
      });
    }
  const notes: string[] = [];
  if (notComputable.length) notes.push(`${notComputable.length} ECG time point(s) have no QTcF: not computable (listed with file, row and reason); they count in no category.`);
  const noBaseline = E.subjects.filter((s) => !s.baseline && s.maxQtcf !== null).map((s) => s.usubjid);
  if (noBaseline.length) notes.push(`No baseline QTcF (no EGBLFL = Y and no pre-dose value) for ${noBaseline.join(', ')}: no change from baseline.`);
  notes.push('QTcF = QT / RR^(1/3), QT in ms, RR in s (Fridericia 1920); RR = 60 / heart rate when RR is absent; the QTcF given (EGTESTCD QTCF) wins. Baseline: EGBLFL = Y, else the last QTcF on or before the first dose.');
  return { snapshotId, present: E.subjects.length > 0, missingDomains: missingDomains(E), groups: E.groups, points, notComputable, notes };
}

function categories(ctx: CoreContext, snapshotId: number): Output<'ecg.categories'> {
  const E = ecgSafetyOf(ctx, snapshotId);
  const rows = categoryTable(E.subjects, E.groupOf, E.groups.map((g) => g.key));
  const subjects = E.subjects.map((s) => ({ usubjid: s.usubjid, group: E.groupOf.get(s.usubjid)!, baselineQtcf: s.baseline?.qtcf ?? null, maxQtcf: s.maxQtcf, maxChange: s.maxChange }));
  const notes = [
    'ICH E14 (2005) categorical analysis: subjects whose highest post-baseline QTcF is > 450, > 480, > 500 ms (of those with a post-baseline QTcF), and whose highest increase from baseline is > 30, > 60 ms (of those with a baseline too). Categories are cumulative: a subject > 500 ms counts in > 480 and > 450.',
  ];
  return { snapshotId, present: E.subjects.length > 0, missingDomains: missingDomains(E), groups: E.groups, rows, subjects, notes };
}
