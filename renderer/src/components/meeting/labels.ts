import type { MeetingStatus, RuleRecommendation } from '../../../../shared/meeting';

// Words for the meeting record's vocabulary, and time-zone helpers for the meeting's date and time.
// Decision, role and signature-meaning words are the shared ones (shared/meeting.ts): the signed PDF
// prints the same words (issue 13 "one vocabulary"); nothing here may translate them.

export { DECISION_LABELS, MEANING_LABELS, ROLE_LABELS } from '../../../../shared/meeting';

export { ACTION_LABELS, DESIGN_LABELS } from '../../../../shared/escalation/vocabulary';
import { ACTION_LABELS } from '../../../../shared/escalation/vocabulary';

export const STATUS_LABELS: Record<MeetingStatus, string> = { draft: 'Draft', final: 'Final (locked)', signed: 'Signed', distributed: 'Distributed' };

/** "Stop: MTD identified (MTD DL6)" / "De-escalate → DL6" / the error. */
export function ruleActionText(r: RuleRecommendation | null): string {
  if (!r) return 'not computed';
  if (r.error || !r.action) return `no recommendation${r.error ? `: ${r.error}` : ''}`;
  const label = ACTION_LABELS[r.action] ?? r.action;
  if (r.nextLevel !== null) return `${label} → DL${r.nextLevel}`;
  if (r.recommendedLevel !== null && r.action.startsWith('STOP')) return `${label} (DL${r.recommendedLevel})`;
  return label;
}

/** Offset (minutes east of UTC) of an IANA time zone at an instant, from Intl ("GMT+01:00"). */
export function zoneOffsetMinutes(timeZone: string, epochMs: number): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(new Date(epochMs)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2025-11-24T14:00" (a datetime-local value) in `timeZone` → "2025-11-24T14:00:00+01:00". */
export function localToIso(local: string, timeZone: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!m) return local;
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  // The offset at the instant itself (two passes settle a change of offset near the wall time).
  let off = zoneOffsetMinutes(timeZone, asUtc);
  off = zoneOffsetMinutes(timeZone, asUtc - off * 60_000);
  const a = Math.abs(off);
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00${off === 0 ? '+00:00' : `${off > 0 ? '+' : '-'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`}`;
}

/** The wall time of an ISO date-time with offset, as written: "2025-11-24T14:00". */
export function isoToLocal(iso: string): string {
  return iso.slice(0, 16);
}

/** Now, in `timeZone`, as a datetime-local value rounded to the minute. */
export function nowLocal(timeZone: string): string {
  const now = Date.now();
  const d = new Date(now + zoneOffsetMinutes(timeZone, now) * 60_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

export function localTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** "2025-11-24 14:00 (UTC+01:00)" of an ISO date-time with offset, as written (no conversion). */
export function whenText(iso: string | null | undefined): string {
  if (!iso) return '—';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  if (!m) return iso;
  return `${m[1]} ${m[2]} (UTC${m[3] === 'Z' ? '+00:00' : m[3]})`;
}
