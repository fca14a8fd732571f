import { countValues, type MappingEntry, type MappingUnused } from '../../../shared/mapping';
import type { StudyDefinition } from '../../../shared/study';
import type { Db } from '../store/db';
import { cutoffOf, declaredCutoff } from '../queries/subjects';
import { labSafety } from './app';
import { lbRowCount, type LbRow } from './queries';

// The laboratory-safety part of the mapping report (shared/mapping.ts): which LB rows were graded
// (CTCAE v5.0), and which were not and why — a test no rule here grades, a result that cannot be
// graded (non-numeric, unit, normal range), no date to place it, a subject not dosed.

export function labsMapping(db: Db, snapshotId: number, definition: StudyDefinition): MappingEntry[] {
  const n = lbRowCount(db, snapshotId);
  if (n === 0) return [];
  const declared = declaredCutoff(db, snapshotId);
  const L = labSafety(db, snapshotId, definition, cutoffOf(db, snapshotId, definition.dataCutoff ?? declared));
  const unused: MappingUnused[] = [];
  if (L.otherRows.length)
    unused.push({ variable: 'LBTESTCD', reason: 'no CTCAE v5.0 rule here for this test (graded: ALT, AST, BILI, CREAT, NEUT, PLAT, HGB, K, SODIUM); shown on the patient profile only', rows: L.otherRows.length, values: countValues(L.otherRows.map((r) => r.testcd)), mapTo: null });
  const notGradable = new Map<LbRow, string>();
  const graded = new Set<LbRow>();
  let undated = 0;
  let preDose = 0;
  for (const s of L.subjects.values()) {
    undated += s.undated.length;
    preDose += s.preDose.length;
    for (const g of s.graded) {
      const r = g.record as LbRow;
      if (g.grade.grade !== null) graded.add(r);
      else notGradable.set(r, g.grade.notGradable);
    }
  }
  for (const r of graded) notGradable.delete(r);
  if (notGradable.size)
    unused.push({
      variable: 'LBSTRESN',
      reason: 'not gradable: listed in the Laboratory view with file, row and reason; counted in no grade',
      rows: notGradable.size,
      // The reason without the value, so that equal reasons group.
      values: countValues([...notGradable.values()].map((v) => v.replace(/: needed to grade .*$/, '').replace(/^result ".*" is not numeric/, 'result not numeric'))),
      mapTo: null,
    });
  if (preDose)
    unused.push({ variable: 'LBDTC', reason: 'on or before the first dose but not the baseline record (baseline: LBBLFL = Y, else the last pre-dose result): neither baseline nor post-baseline', rows: preDose, values: [], mapTo: null });
  if (undated)
    unused.push({ variable: 'LBDTC', reason: 'no full date: cannot be placed before or after the first dose', rows: undated, values: [], mapTo: null });
  if (L.untreatedRows.length)
    unused.push({ variable: 'USUBJID', reason: 'subject not dosed by the data cut-off: no baseline or post-baseline', rows: L.untreatedRows.length, values: countValues(L.untreatedRows.map((r) => r.usubjid)), mapTo: null });
  return [
    {
      domain: 'LB',
      analysis: 'Laboratory safety (CTCAE v5.0)',
      views: ['labs'],
      rowsRead: n,
      rowsUsed: graded.size,
      unused,
      settings: ['CTCAE v5.0 grade from LBTOXGR, else derived from LBSTRESN, LBSTRESU and LBSTNRLO/LBSTNRHI', 'baseline: LBBLFL = Y, else the last result on or before the first dose'],
    },
  ];
}
