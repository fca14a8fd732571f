import type { Core } from '../context';

// The laboratory-safety tables of `dosedesk tables` (the command lives in the safety feature):
//   dosedesk tables --snapshot ID --table lab-shift|edish [--format json|csv]
// JSON gives the contract's output (labs.shift, labs.edish); CSV gives one line per shift cell
// (term × dose level × baseline grade × worst grade) or per subject of the eDISH plot.

export const LAB_TABLES = ['lab-shift', 'edish'] as const;

export interface LabCsv {
  rows: Record<string, unknown>[];
  columns: string[];
}

/** The table as JSON, or for CSV its rows and columns (the caller writes them with the tables command's CSV writer). */
export async function labTable(core: Core, snapshotId: number, which: (typeof LAB_TABLES)[number], format: 'json' | 'csv'): Promise<{ json: unknown } | { csv: LabCsv }> {
  if (which === 'lab-shift') {
    const t = await core.call('labs.shift', { snapshotId });
    if (format === 'json') return { json: t };
    const label = new Map(t.groups.map((g) => [g.key, g.label]));
    const rows = t.blocks.flatMap((b) =>
      b.cells.map((c) => ({ term: b.term, testcd: b.testcd, group: b.group, groupLabel: label.get(b.group) ?? b.group, subjectsInGroup: b.subjects, baselineGrade: c.baseline, worstPostBaselineGrade: c.worst, subjects: c.subjects, notGradableResults: b.notGradable })),
    );
    return { csv: { rows, columns: ['term', 'testcd', 'group', 'groupLabel', 'subjectsInGroup', 'baselineGrade', 'worstPostBaselineGrade', 'subjects', 'notGradableResults'] } };
  }
  const e = await core.call('labs.edish', { snapshotId });
  if (format === 'json') return { json: e };
  const rows = [
    ...e.points.map((p) => ({ ...p, reason: '' })),
    ...e.notPlotted.map((n) => ({ usubjid: n.usubjid, group: n.group, quadrant: 'not plotted', reason: n.reason })),
  ];
  return { csv: { rows, columns: ['usubjid', 'group', 'altXUln', 'astXUln', 'aminoXUln', 'biliXUln', 'altDtc', 'astDtc', 'biliDtc', 'quadrant', 'reason'] } };
}
