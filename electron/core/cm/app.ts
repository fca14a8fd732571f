import type { Output } from '../../../shared/contract';
import { cmOngoing, cmTiming } from '../../../shared/conmeds';
import { studyDayFromIso } from '../../../shared/dates';
import type { StudyDefinition } from '../../../shared/study';
import type { App, CoreContext } from '../context';
import { snapshotContext } from '../cohorts/app';
import { loadSubjects } from '../queries/subjects';
import { levelGroups, treatedSubjects } from '../safety/groups';
import type { Db } from '../store/db';
import { cmRowCount, loadCmRows, type CmRecord } from './queries';

// Handlers of the concomitant-medications feature. The query gathers CM; the timing rules (prior, in
// the DLT window, ongoing) are in shared/conmeds.ts.

export function registerCm(app: App): void {
  app.method('cm.listing', ({ snapshotId, usubjids }, ctx) => listing(ctx, snapshotId, usubjids));
}

type Row = Output<'cm.listing'>['rows'][number];

export interface CmData {
  groups: { key: string; label: string }[];
  rows: Row[];
  /** CM rows of subjects not dosed by the cut-off (screen failures, not yet dosed): not listed. */
  untreated: CmRecord[];
  cmRows: number;
}

export function cmData(db: Db, snapshotId: number, definition: StudyDefinition, cutoff: string | null, usubjids?: readonly string[]): CmData {
  const treated = treatedSubjects(loadSubjects(db, snapshotId, definition.cycleLengthDays), cutoff);
  const { groups, groupOf } = levelGroups(treated, definition);
  const bySubject = new Map(treated.map((s) => [s.usubjid, s]));
  const rows: Row[] = [];
  const untreated: CmRecord[] = [];
  const all = loadCmRows(db, snapshotId, usubjids);
  for (const r of all) {
    const s = bySubject.get(r.usubjid);
    if (!s) {
      untreated.push(r);
      continue;
    }
    const first = s.firstDoseDtc;
    rows.push({
      usubjid: r.usubjid,
      group: groupOf.get(r.usubjid)!,
      part: s.part,
      cmseq: r.cmseq,
      cmtrt: r.cmtrt,
      cmdecod: r.cmdecod,
      cmclas: r.cmclas,
      cmindc: r.cmindc,
      dose: r.cmdose ?? r.cmdostxt,
      cmdosu: r.cmdosu,
      cmdosfrq: r.cmdosfrq,
      cmroute: r.cmroute,
      cmstdtc: r.cmstdtc,
      cmendtc: r.cmendtc,
      startDay: studyDayFromIso(r.cmstdtc, first),
      endDay: studyDayFromIso(r.cmendtc, first),
      ongoing: cmOngoing(r.cmendtc, r.cmenrf, r.cmenrtpt),
      timing: cmTiming(r.cmstdtc, r.cmstrf, first, definition.dltWindowDays),
      file: r.file,
      rowNo: r.rowNo,
    });
  }
  return { groups, rows, untreated, cmRows: usubjids ? all.length : cmRowCount(db, snapshotId) };
}

function listing(ctx: CoreContext, snapshotId: number, usubjids: string[] | undefined): Output<'cm.listing'> {
  const { definition, cutoff } = snapshotContext(ctx, snapshotId);
  const C = cmData(ctx.db, snapshotId, definition, cutoff, usubjids);
  const notes: string[] = [];
  const possibly = C.rows.filter((r) => r.timing === 'possibly in DLT window').length;
  if (possibly) notes.push(`${possibly} medication(s) have a partial start date (CMSTDTC) that may fall in the DLT window: marked "possibly in DLT window".`);
  const unknown = C.rows.filter((r) => r.timing === 'start unknown').length;
  if (unknown) notes.push(`${unknown} medication(s) have no usable start date (CMSTDTC empty or not a date, no CMSTRF = BEFORE): "start unknown".`);
  if (C.untreated.length) notes.push(`${C.untreated.length} CM record(s) of subjects not dosed by the data cut-off are not listed.`);
  notes.push(`DLT window: days 1–${definition.dltWindowDays} (day 1 = first dose). Ongoing: CMENRTPT = ONGOING, or no CMENDTC with CMENRF = AFTER or DURING/AFTER.`);
  return { snapshotId, present: C.cmRows > 0, dltWindowDays: definition.dltWindowDays, groups: C.groups, rows: C.rows, notes };
}
