import type { Core } from '../context';

// The ECG table of `dosedesk tables` (the command lives in the safety feature):
//   dosedesk tables --snapshot ID --table qtc [--format json|csv]
// JSON gives the contract's outputs (ecg.qtcf and ecg.categories); CSV gives one line per subject and
// ECG time point (QTcF, change from baseline, the ICH E14 categories it falls in).

export const ECG_TABLES = ['qtc'] as const;

export interface EcgCsv {
  rows: Record<string, unknown>[];
  columns: string[];
}

const round1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);

export async function ecgTable(core: Core, snapshotId: number, _which: (typeof ECG_TABLES)[number], format: 'json' | 'csv'): Promise<{ json: unknown } | { csv: EcgCsv }> {
  const q = await core.call('ecg.qtcf', { snapshotId });
  const c = await core.call('ecg.categories', { snapshotId });
  if (format === 'json') return { json: { qtcf: q, categories: c } };
  const label = new Map(q.groups.map((g) => [g.key, g.label]));
  const rows = [
    ...q.points.map((p) => ({
      usubjid: p.usubjid,
      group: p.group,
      groupLabel: label.get(p.group) ?? p.group,
      dtc: p.dtc,
      tpt: p.tpt,
      repnum: p.repnum,
      studyDay: p.studyDay,
      qtcf: round1(p.qtcf),
      source: p.source,
      baseline: p.baseline ? 'Y' : '',
      postBaseline: p.postBaseline === null ? '' : p.postBaseline ? 'Y' : 'N',
      change: round1(p.change),
      gt450: p.postBaseline ? (p.qtcf > 450 ? 'Y' : 'N') : '',
      gt480: p.postBaseline ? (p.qtcf > 480 ? 'Y' : 'N') : '',
      gt500: p.postBaseline ? (p.qtcf > 500 ? 'Y' : 'N') : '',
      incGt30: p.change === null ? '' : p.change > 30 ? 'Y' : 'N',
      incGt60: p.change === null ? '' : p.change > 60 ? 'Y' : 'N',
      reason: '',
    })),
    ...q.notComputable.map((n) => ({ usubjid: n.usubjid, dtc: n.dtc, tpt: n.tpt, source: 'not computable', reason: `${n.reason} (${n.file ?? '?'} row ${n.rowNo})` })),
  ];
  return { csv: { rows, columns: ['usubjid', 'group', 'groupLabel', 'dtc', 'tpt', 'repnum', 'studyDay', 'qtcf', 'source', 'baseline', 'postBaseline', 'change', 'gt450', 'gt480', 'gt500', 'incGt30', 'incGt60', 'reason'] } };
}
