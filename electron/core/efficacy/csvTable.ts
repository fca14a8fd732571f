import path from 'node:path';
import type { KmGroupInput } from '../../../shared/efficacy/km';
import { createReader, fileSource, type Cell } from '../readers/index';

// A survival table read from a CSV file (the `dosedesk km --input` validation path), with the
// project's CSV reader. Status coding follows R's Surv(): without an explicit event value, numeric
// 0/1 (1 = event) or 1/2 (2 = event, when the largest value is 2), or TRUE/FALSE.

const MISSING = new Set(['', 'NA', '.', 'NAN']);

const isMissing = (c: Cell): boolean => c === null || (typeof c === 'string' && MISSING.has(c.trim().toUpperCase()));

function columnIndex(names: string[], wanted: string, what: string): number {
  let i = names.indexOf(wanted);
  if (i < 0) i = names.findIndex((n) => n.toLowerCase() === wanted.toLowerCase());
  if (i < 0) throw new Error(`${what} column "${wanted}" not found; the file has: ${names.join(', ')}`);
  return i;
}

/** The event flag of each status value: explicit value, else R's Surv() coding. */
export function eventCoder(values: readonly string[], eventValue?: string): { isEvent: (v: string) => boolean; coding: string } {
  if (eventValue !== undefined) return { isEvent: (v) => v === eventValue, coding: `event when status = ${JSON.stringify(eventValue)}` };
  const distinct = new Set(values);
  const upper = new Set([...distinct].map((v) => v.toUpperCase()));
  if ([...upper].every((v) => v === 'TRUE' || v === 'FALSE' || v === 'T' || v === 'F'))
    return { isEvent: (v) => /^(TRUE|T)$/i.test(v), coding: 'TRUE = event, FALSE = censored (R Surv logical status)' };
  const nums = [...distinct].map(Number);
  if (nums.some((n) => !Number.isFinite(n))) throw new Error(`status values ${[...distinct].slice(0, 5).join(', ')} are not 0/1, 1/2 or TRUE/FALSE: give --event-value`);
  const max = Math.max(...nums);
  const shift = max === 2 ? 1 : 0;
  if (nums.some((n) => n - shift !== 0 && n - shift !== 1)) throw new Error(`status values ${[...distinct].join(', ')} are not 0/1 or 1/2: give --event-value`);
  return shift
    ? { isEvent: (v) => Number(v) === 2, coding: '1 = censored, 2 = event (R Surv numeric status)' }
    : { isEvent: (v) => Number(v) === 1, coding: '0 = censored, 1 = event (R Surv numeric status)' };
}

export interface KmTable {
  n: number;
  /** Rows left out because the time, the status or the group was missing (R na.omit). */
  dropped: number;
  eventCoding: string;
  groups: KmGroupInput[];
}

export async function readKmCsv(file: string, cols: { time: string; event: string; eventValue?: string; group?: string }): Promise<KmTable> {
  const reader = createReader('csv', path.basename(file), fileSource(file));
  const header = await reader.header();
  const names = header.columns.map((c) => c.name);
  const it = columnIndex(names, cols.time, 'time');
  const ie = columnIndex(names, cols.event, 'event');
  const ig = cols.group !== undefined ? columnIndex(names, cols.group, 'group') : -1;
  const rows: Array<{ time: number; status: string; group: string }> = [];
  let dropped = 0;
  for await (const batch of reader.batches()) {
    for (const r of batch.rows) {
      const t = r[it];
      const s = r[ie];
      const g = ig >= 0 ? r[ig] : 'all';
      if (isMissing(t ?? null) || isMissing(s ?? null) || isMissing(g ?? null)) {
        dropped++;
        continue;
      }
      const time = Number(t);
      if (!Number.isFinite(time)) throw new Error(`${path.basename(file)} row ${batch.firstRow + batch.rows.indexOf(r)}: time "${t}" is not a number`);
      rows.push({ time, status: String(s).trim(), group: String(g).trim() });
    }
  }
  const { isEvent, coding } = eventCoder([...new Set(rows.map((r) => r.status))], cols.eventValue);
  const values = [...new Set(rows.map((r) => r.group))];
  const numeric = values.every((v) => Number.isFinite(Number(v)));
  values.sort((a, b) => (numeric ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0)); // R factor level order
  const groups = values.map((v) => {
    const members = rows.filter((r) => r.group === v);
    return { label: ig >= 0 ? `${names[ig]}=${v}` : 'all', times: members.map((r) => r.time), events: members.map((r) => isEvent(r.status)) };
  });
  return { n: rows.length, dropped, eventCoding: coding, groups };
}
