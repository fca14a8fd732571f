import type { Core } from '../context';

// The concomitant-medications listing of `dosedesk tables` (the command lives in the safety feature):
//   dosedesk tables --snapshot ID --table cm [--format json|csv]
// JSON gives the contract's output (cm.listing); CSV one line per medication record.

export const CM_TABLES = ['cm'] as const;

export const CM_COLUMNS = [
  'usubjid', 'group', 'groupLabel', 'cmseq', 'cmtrt', 'cmdecod', 'cmclas', 'cmindc', 'dose', 'cmdosu', 'cmdosfrq', 'cmroute',
  'cmstdtc', 'cmendtc', 'startDay', 'endDay', 'ongoing', 'timing', 'file', 'rowNo',
];

export async function cmTable(core: Core, snapshotId: number, format: 'json' | 'csv'): Promise<{ json: unknown } | { csv: { rows: Record<string, unknown>[]; columns: string[] } }> {
  const t = await core.call('cm.listing', { snapshotId });
  if (format === 'json') return { json: t };
  const label = new Map(t.groups.map((g) => [g.key, g.label]));
  const rows = t.rows.map((r) => ({ ...r, groupLabel: label.get(r.group) ?? r.group, ongoing: r.ongoing === null ? '' : r.ongoing ? 'Y' : 'N' }));
  return { csv: { rows, columns: CM_COLUMNS } };
}
