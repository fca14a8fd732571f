import type { Output } from '../../../shared/contract';
import { doseLevelOf } from '../../../shared/dlt';
import { levelExposure, subjectExposure, type ExRecord, type SubjectExposure } from '../../../shared/exposureIntensity';
import type { StudyDefinition } from '../../../shared/study';
import type { App, CoreContext } from '../context';
import { snapshotContext } from '../cohorts/app';
import { loadSubjects } from '../queries/subjects';
import { levelGroups, treatedSubjects } from '../safety/groups';
import { snapshotMemo } from '../snapshots/memo';
import { onlySubjects } from '../snapshots/onlySubjects';
import type { Db } from '../store/db';
import { loadExRecords } from './queries';

// Handlers of the exposure feature. The query gathers EX; the rules (cycles, dose intensity, delays,
// reductions, interruptions) are in shared/exposureIntensity.ts.

export function registerExposure(app: App): void {
  app.method('exposure.summary', ({ snapshotId, usubjids }, ctx) => onlySubjects(summary(ctx, snapshotId), usubjids));
}

export interface ExposureData {
  groups: { key: string; label: string }[];
  subjects: (SubjectExposure & { usubjid: string; group: string; part: 'escalation' | 'expansion' })[];
  /** EX rows of subjects not dosed by the cut-off (not in any table). */
  untreatedRows: ExRecord[];
  exRows: number;
}

export function exposureData(db: Db, snapshotId: number, definition: StudyDefinition, cutoff: string | null): ExposureData {
  return snapshotMemo(db, snapshotId, 'exposure', { definition, cutoff }, () => {
    const treated = treatedSubjects(loadSubjects(db, snapshotId, definition.cycleLengthDays), cutoff);
    const { groups, groupOf } = levelGroups(treated, definition);
    const ex = loadExRecords(db, snapshotId);
    const subjects = treated.map((s) => {
      const level = s.placebo === true ? null : doseLevelOf(s.firstDose, definition.doseLevels);
      const plan = {
        plannedDose: level?.dose ?? null,
        doseUnit: definition.doseUnit,
        cycleLengthDays: definition.cycleLengthDays,
        dosesPerCycle: definition.exposure.dosesPerCycle,
        delayDays: definition.exposure.delayDays,
      };
      return { usubjid: s.usubjid, group: groupOf.get(s.usubjid)!, part: s.part, ...subjectExposure(ex.get(s.usubjid) ?? [], plan, s.placebo === true) };
    });
    const treatedIds = new Set(treated.map((s) => s.usubjid));
    const untreatedRows = [...ex].filter(([u]) => !treatedIds.has(u)).flatMap(([, rs]) => rs);
    return { groups, subjects, untreatedRows, exRows: [...ex.values()].reduce((n, rs) => n + rs.length, 0) };
  });
}

function summary(ctx: CoreContext, snapshotId: number): Output<'exposure.summary'> {
  const { definition, cutoff } = snapshotContext(ctx, snapshotId);
  const E = exposureData(ctx.db, snapshotId, definition, cutoff);
  const levels = E.groups.map((g) => ({ group: g.key, ...levelExposure(E.subjects.filter((s) => s.group === g.key)) }));
  const notes = [
    `Dose intensity = cumulative dose ÷ weeks from the first administration to the end of the last cycle started (last cycle start + ${definition.cycleLengthDays} days); planned = ${definition.exposure.dosesPerCycle} × the assigned level's dose per ${definition.cycleLengthDays}-day cycle; relative dose intensity = actual ÷ planned (Hryniuk & Bush 1984; Longo et al. 1991).`,
    `A cycle is delayed when it starts more than ${definition.exposure.delayDays} days after the previous cycle's start + ${definition.cycleLengthDays} days; a reduction is a dose below the assigned level's; an interruption is an EX record with EXOCCUR = N, EXDOSE = 0 (not on placebo) or an EXADJ that says the dose was interrupted, withheld or missed.`,
  ];
  const unused = E.subjects.reduce((n, s) => n + s.notUsed.length, 0);
  if (unused) notes.push(`${unused} EX record(s) are not counted (incomplete EXSTDTC, empty EXDOSE, or a unit that is not the plan's): listed per subject with file and row.`);
  if (E.untreatedRows.length) notes.push(`${E.untreatedRows.length} EX record(s) belong to subjects not dosed by the data cut-off: not in the table.`);
  return {
    snapshotId,
    present: E.exRows > 0,
    doseUnit: definition.doseUnit,
    cycleLengthDays: definition.cycleLengthDays,
    dosesPerCycle: definition.exposure.dosesPerCycle,
    delayDays: definition.exposure.delayDays,
    groups: E.groups,
    subjects: E.subjects.map((s) => ({ ...s })),
    levels,
    notes,
  };
}
