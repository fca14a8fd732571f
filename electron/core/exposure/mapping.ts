import { countValues, type MappingEntry, type MappingUnused } from '../../../shared/mapping';
import type { StudyDefinition } from '../../../shared/study';
import type { Db } from '../store/db';
import { cutoffOf, declaredCutoff } from '../queries/subjects';
import { exposureData } from './app';

// The exposure part of the mapping report (shared/mapping.ts): which EX rows counted in the exposure
// table (administrations and interruptions) and which did not, and why.

export function exposureMapping(db: Db, snapshotId: number, definition: StudyDefinition): MappingEntry[] {
  const E = exposureData(db, snapshotId, definition, cutoffOf(db, snapshotId, definition.dataCutoff ?? declaredCutoff(db, snapshotId)));
  if (E.exRows === 0) return [];
  const byReason = new Map<string, string[]>();
  // push, not a copy of the reason's list per row (quadratic on a large EX)
  const add = (reason: string, value: string | null) => {
    const l = byReason.get(reason);
    if (l) l.push(value ?? '');
    else byReason.set(reason, [value ?? '']);
  };
  for (const s of E.subjects)
    for (const e of s.notUsed) add(e.detail.replace(/^EXSTDTC "[^"]*"/, 'EXSTDTC').replace(/^EXDOSU \S+ is not/, 'EXDOSU is not').replace(/^EX record over \d+ days \([^)]*\)/, 'EX record over an interval (EXENDTC after EXSTDTC)'), e.dtc);
  for (const r of E.untreatedRows) add('subject not dosed by the data cut-off: not in the exposure table', r.startDtc);
  const unused: MappingUnused[] = [...byReason].map(([reason, values]) => ({
    variable: reason.startsWith('EX record over') ? 'EXENDTC' : reason.startsWith('EXDOSU') ? 'EXDOSU' : reason.startsWith('EXDOSE') ? 'EXDOSE' : reason.startsWith('EXSTDTC') ? 'EXSTDTC' : 'USUBJID',
    reason,
    rows: values.length,
    values: countValues(values).slice(0, 10),
    mapTo: null,
  }));
  return [
    {
      domain: 'EX',
      analysis: 'Exposure (dose intensity)',
      views: ['exposure'],
      rowsRead: E.exRows,
      rowsUsed: E.exRows - unused.reduce((n, u) => n + u.rows, 0),
      unused,
      settings: [
        `cycle length ${definition.cycleLengthDays} days, ${definition.exposure.dosesPerCycle} administration(s) per cycle`,
        `delay: a cycle starting more than ${definition.exposure.delayDays} days after the previous start + cycle length`,
        `dose unit ${definition.doseUnit}`,
      ],
    },
  ];
}
