// Display formatting shared by the views: dates, hashes, sizes, counts.

/** The first 12 hex digits of a content hash: enough to tell snapshots apart on screen; minutes cite the full hash. */
export function shortHash(hash: string | null | undefined): string {
  return hash ? hash.slice(0, 12) : '—';
}

/** ISO date (YYYY-MM-DD) as written; "not set" when absent. Dates stay ISO 8601 on purpose: clinical readers compare them with the listings. */
export function isoDate(d: string | null | undefined): string {
  return d ? d.slice(0, 10) : 'not set';
}

/** A timestamp in the user's local time, with the zone: "2025-11-21 14:03 (UTC+01:00)". */
export function localTimestamp(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  const off = -d.getTimezoneOffset();
  const zone = `UTC${off >= 0 ? '+' : '-'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())} (${zone})`;
}

/** Bytes with a binary unit: 1536 → "1.5 KiB". */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

const intFormat = new Intl.NumberFormat('en-US');
export function count(n: number): string {
  return intFormat.format(n);
}

/** A dose as written in the plan, without float noise: 0.1 → "0.1", 10 → "10". */
export function dose(value: number, unit: string): string {
  return `${Number(value.toPrecision(6))} ${unit}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** A best overall response for clinicians: MISSING (no post-baseline assessment; admiralonco) reads "Not evaluable / no assessment". */
export function responseWords(bor: string | null | undefined): string {
  if (bor === null || bor === undefined) return '—';
  if (bor === 'MISSING') return 'Not evaluable / no assessment';
  if (bor === 'NON-CR/NON-PD') return 'Non-CR/non-PD';
  return bor;
}

/** The data cut-off as cited under figures: "2025-11-21", or "2025-11-21 (derived from the data)" when no study.json declared it. */
export function cutoffText(s: { dataCutoff: string | null; definitionSource?: string } | null | undefined): string {
  if (!s?.dataCutoff) return 'not set';
  return s.definitionSource === 'derived' ? `${isoDate(s.dataCutoff)} (derived from the data)` : isoDate(s.dataCutoff);
}
