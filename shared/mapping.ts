import { z } from 'zod';
import { lazySchema } from './lazySchema';

// The mapping report: for every domain of a snapshot, how many rows each analysis read and used, and
// which rows it did not use and why — so that nothing DoseDesk cannot interpret is dropped in silence
// (a PC urine sample outside the chosen matrix, an IS test code no rule recognises, a second
// evaluator's RS record). Shown in the snapshot's Provenance page and as a banner at the top of any
// view whose data are partly or wholly unused.

export const MappingValue = lazySchema(() => z.object({ value: z.string(), count: z.number().int() }));
export type MappingValue = z.infer<typeof MappingValue>;

export const MappingUnused = lazySchema(() => z.object({
  /** The variable whose values decided it (PCSPEC, ISTESTCD, RSEVAL, AETOXGR …), or null. */
  variable: z.string().nullable(),
  /** Why these rows were not used, in words for a clinician ("specimen is not the chosen matrix (PLASMA)"). */
  reason: z.string(),
  rows: z.number().int(),
  /** The values seen, most frequent first, with their row counts. */
  values: z.array(MappingValue),
  /** The study-definition setting that would make them usable (e.g. 'ada.bindingTestcds'), or null. */
  mapTo: z.string().nullable(),
}));
export type MappingUnused = z.infer<typeof MappingUnused>;

export const MappingEntry = lazySchema(() => z.object({
  domain: z.string(),
  /** The analysis that reads the domain: 'PK (NCA)', 'Immunogenicity', 'Tumour response', 'Safety' … */
  analysis: z.string(),
  /** The views whose top banner reports this entry when rows are unused ('pk', 'immunogenicity', …). */
  views: z.array(z.string()),
  rowsRead: z.number().int(),
  rowsUsed: z.number().int(),
  unused: z.array(MappingUnused),
  /** Settings in force that decided what was used ("matrix PLASMA", "titre scale log10 (from ISSTRESU)"). */
  settings: z.array(z.string()).default([]),
}));
export type MappingEntry = z.infer<typeof MappingEntry>;

/** Count values into the report's form, most frequent first. */
export function countValues(values: Iterable<string | null | undefined>): MappingValue[] {
  const counts = new Map<string, number>();
  for (const v of values) {
    const key = v == null || v === '' ? '(empty)' : v;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}
