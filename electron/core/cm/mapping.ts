import { countValues, type MappingEntry } from '../../../shared/mapping';
import type { StudyDefinition } from '../../../shared/study';
import type { Db } from '../store/db';
import { cutoffOf, declaredCutoff } from '../queries/subjects';
import { cmData } from './app';

// The concomitant-medications part of the mapping report (shared/mapping.ts): CM rows listed, and the
// rows of subjects not dosed by the data cut-off, which are not.

export function cmMapping(db: Db, snapshotId: number, definition: StudyDefinition): MappingEntry[] {
  const C = cmData(db, snapshotId, definition, cutoffOf(db, snapshotId, definition.dataCutoff ?? declaredCutoff(db, snapshotId)));
  if (C.cmRows === 0) return [];
  return [
    {
      domain: 'CM',
      analysis: 'Concomitant medications',
      views: ['exposure', 'profile'],
      rowsRead: C.cmRows,
      rowsUsed: C.rows.length,
      unused: C.untreated.length
        ? [{ variable: 'USUBJID', reason: 'subject not dosed by the data cut-off: no first dose to place the medication against', rows: C.untreated.length, values: countValues(C.untreated.map((r) => r.usubjid)).slice(0, 10), mapTo: null }]
        : [],
      settings: [`DLT window days 1–${definition.dltWindowDays}`, 'read: CMTRT, CMDECOD, CMCLAS, CMINDC, CMDOSE (else CMDOSTXT), CMDOSU, CMDOSFRQ, CMROUTE, CMSTDTC, CMENDTC, CMSTRF, CMENRF, CMENRTPT'],
    },
  ];
}
