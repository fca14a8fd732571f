import type { Core } from '../context';

// The exposure table of `dosedesk tables` (the command lives in the safety feature):
//   dosedesk tables --snapshot ID --table exposure [--format json|csv]
// JSON gives the contract's output (exposure.summary); CSV gives one line per subject and one per dose
// level (row = subject | level), the relative dose intensity as a fraction (1 = 100 %).

export const EXPOSURE_TABLES = ['exposure'] as const;

export interface ExposureCsv {
  rows: Record<string, unknown>[];
  columns: string[];
}

const r4 = (x: number | null) => (x === null ? null : Math.round(x * 1e4) / 1e4);
const events = (es: readonly { cycle: number | null; dtc: string | null; detail: string }[]) => es.map((e) => `${e.cycle !== null ? `C${e.cycle} ` : ''}${e.dtc ?? '?'}: ${e.detail}`);

export async function exposureTable(core: Core, snapshotId: number, format: 'json' | 'csv'): Promise<{ json: unknown } | { csv: ExposureCsv }> {
  const t = await core.call('exposure.summary', { snapshotId });
  if (format === 'json') return { json: t };
  const label = new Map(t.groups.map((g) => [g.key, g.label]));
  const rows: Record<string, unknown>[] = [
    ...t.levels.map((l) => ({
      row: 'level',
      group: l.group,
      groupLabel: label.get(l.group) ?? l.group,
      n: l.n,
      cyclesStarted: l.cyclesTotal,
      cyclesMedian: l.cyclesMedian,
      cyclesMin: l.cyclesMin,
      cyclesMax: l.cyclesMax,
      rdi: r4(l.rdiMedian),
      rdiMin: r4(l.rdiMin),
      rdiMax: r4(l.rdiMax),
      rdiN: l.rdiN,
      delays: l.delays,
      reductions: l.reductions,
      interruptions: l.interruptions,
      subjectsWithDelay: l.withDelay,
      subjectsWithReduction: l.withReduction,
      subjectsWithInterruption: l.withInterruption,
    })),
    ...t.subjects.map((s) => ({
      row: 'subject',
      usubjid: s.usubjid,
      group: s.group,
      groupLabel: label.get(s.group) ?? s.group,
      plannedDose: s.plannedDose,
      unit: t.doseUnit,
      administrations: s.administrations,
      cyclesStarted: s.cyclesStarted,
      cumulativeDose: r4(s.cumulativeDose),
      durationDays: s.durationDays,
      doseIntensity: r4(s.doseIntensity),
      plannedIntensity: r4(s.plannedIntensity),
      rdi: r4(s.relativeDoseIntensity),
      rdiNotComputed: s.rdiNotComputed,
      delays: s.delays.length,
      reductions: s.reductions.length,
      interruptions: s.interruptions.length,
      escalations: s.escalations.length,
      detail: [...events(s.delays).map((x) => `delay ${x}`), ...events(s.reductions).map((x) => `reduction ${x}`), ...events(s.interruptions).map((x) => `interruption ${x}`), ...s.notUsed.map((e) => `not counted (${e.file ?? '?'} row ${e.rowNo}): ${e.detail}`)],
    })),
  ];
  return {
    csv: {
      rows,
      columns: [
        'row', 'usubjid', 'group', 'groupLabel', 'n', 'plannedDose', 'unit', 'administrations', 'cyclesStarted', 'cyclesMedian', 'cyclesMin', 'cyclesMax',
        'cumulativeDose', 'durationDays', 'doseIntensity', 'plannedIntensity', 'rdi', 'rdiMin', 'rdiMax', 'rdiN', 'rdiNotComputed',
        'delays', 'reductions', 'interruptions', 'escalations', 'subjectsWithDelay', 'subjectsWithReduction', 'subjectsWithInterruption', 'detail',
      ],
    },
  };
}
