import { countValues, type MappingEntry, type MappingUnused } from '../../../shared/mapping';
import type { StudyDefinition } from '../../../shared/study';
import type { Db } from '../store/db';
import { cutoffOf, declaredCutoff } from '../queries/subjects';
import { ecgSafety } from './app';
import { hasEgRows } from './queries';

// The ECG part of the mapping report (shared/mapping.ts): which EG and VS rows gave a QTcF, and which
// did not and why — a test the derivation does not read, a value not computable, no date, a subject
// not dosed, a heart rate with no ECG beside it.

export function ecgMapping(db: Db, snapshotId: number, definition: StudyDefinition): MappingEntry[] {
  const declared = declaredCutoff(db, snapshotId);
  const hasEg = hasEgRows(db, snapshotId);
  if (!hasEg) return []; // without EG there is no ECG analysis; VS stays the patient profile's
  const E = ecgSafety(db, snapshotId, definition, cutoffOf(db, snapshotId, definition.dataCutoff ?? declared));
  const entries: MappingEntry[] = [];
  for (const domain of ['EG', 'VS'] as const) {
    const rows = [...E.rowUse].filter(([r]) => r.domain === domain);
    const n = domain === 'EG' ? E.egRows : E.vsRows;
    if (n === 0) continue;
    const byReason = new Map<string, string[]>();
    for (const [r, why] of rows) {
      if (why === null) continue;
      let codes = byReason.get(why);
      if (!codes) byReason.set(why, (codes = []));
      codes.push(r.testcd);
    }
    const unused: MappingUnused[] = [...byReason].map(([reason, codes]) => ({ variable: `${domain}TESTCD`, reason, rows: codes.length, values: countValues(codes), mapTo: null }));
    entries.push({
      domain,
      analysis: 'ECG (QTcF)',
      views: ['labs'], // the ECG section is in the Laboratory view
      rowsRead: n,
      rowsUsed: rows.filter(([, why]) => why === null).length,
      unused,
      settings: ['QTcF: EGTESTCD QTCF as given, else QT / RR^(1/3) (Fridericia 1920), RR = 60 / heart rate when RR is absent', 'baseline: EGBLFL = Y, else the last QTcF on or before the first dose'],
    });
  }
  return entries;
}
