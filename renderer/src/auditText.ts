import { DECISION_LABELS } from './components/meeting/labels';

// The audit trail's old and new values as field changes a reader can follow ("pk.tauH: — → 504",
// "reviewed level 2 · decision: Stay at this level → Escalate") instead of raw JSON. Pure: the audit
// entries store flat maps of changed paths (meetings/diff.ts diffPaths, snapshots changedFields) or
// whole objects (a creation); both are flattened to leaf paths and only the paths whose value differs
// are listed. The raw JSON stays available in the view.

export interface FieldChange {
  field: string;
  old: string;
  new: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Leaf paths of a value (objects are walked; arrays and primitives are leaves). */
function flatten(v: unknown, path: string, out: Map<string, unknown>): void {
  if (isObj(v) && (Object.keys(v).length > 0 || path === '')) {
    for (const [k, x] of Object.entries(v)) flatten(x, path ? `${path}.${k}` : k, out);
    return;
  }
  if (path) out.set(path, v);
  else if (v !== null && v !== undefined) out.set('value', v);
}

/** "content.levels[1].decision.decision" → "reviewed level 2 · decision". */
export function fieldLabel(path: string): string {
  let p = path.replace(/^content\./, '').replace(/^record\.content\./, 'record.');
  p = p.replace(/(^|\.)levels\[(\d+)\]\.?/, (_m, pre: string, i: string) => `${pre}reviewed level ${Number(i) + 1} · `);
  p = p.replace(/decision\.decision$/, 'decision');
  return p.replace(/ · $/, '');
}

const MAX_TEXT = 120;

/** One value in words: "—" for none, yes/no, decisions by their label, lists joined, long text cut. */
export function valueWords(v: unknown, field = ''): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') return String(v);
  let s: string;
  if (typeof v === 'string') s = /decision$/.test(field) && v in DECISION_LABELS ? DECISION_LABELS[v as keyof typeof DECISION_LABELS] : v;
  else if (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object')) s = v.length ? v.map((x) => valueWords(x)).join(', ') : '(none)';
  else if (Array.isArray(v)) s = v.length === 1 ? '1 entry' : `${v.length} entries`; // votes, attendees: the raw JSON has them
  else if (isObj(v) && typeof v.decision === 'string' && v.decision in DECISION_LABELS) s = DECISION_LABELS[v.decision as keyof typeof DECISION_LABELS];
  else s = JSON.stringify(v);
  return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s;
}

/** The fields that differ between an audit entry's old and new value, in the entry's order. */
export function auditFieldChanges(oldValue: unknown, newValue: unknown): FieldChange[] {
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  flatten(oldValue, '', a);
  flatten(newValue, '', b);
  const out: FieldChange[] = [];
  for (const path of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(path);
    const y = b.get(path);
    const none = (v: unknown) => (v === undefined || v === '' ? null : v);
    if (JSON.stringify(none(x)) === JSON.stringify(none(y))) continue; // e.g. the version both sides name
    const field = fieldLabel(path);
    out.push({ field, old: valueWords(x, field), new: valueWords(y, field) });
  }
  return out;
}

/** "pk.tauH: — → 504; decision: Stay at this level → Escalate" (at most `max` fields, then "+ n more"). */
export function auditChangeText(oldValue: unknown, newValue: unknown, max = 8): string {
  const changes = auditFieldChanges(oldValue, newValue);
  const shown = changes.slice(0, max).map((c) => `${c.field}: ${c.old} → ${c.new}`);
  if (changes.length > max) shown.push(`+ ${changes.length - max} more`);
  return shown.join('; ');
}
