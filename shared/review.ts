// Review marks that follow the data (docs/CLINICAL_RULES.md#review-marks): a subject's records in
// one snapshot, identified across snapshots by domain + natural key, and the changes between two
// snapshots' record sets (added, changed with the variables that differ, removed). Pure: the core
// reads the records (electron/core/review/queries.ts) and stores the marks.

/** A cell as stored: typed columns are numbers or text, the extra bag keeps what the reader gave. */
export type ReviewValue = string | number | boolean | null | undefined;

/** One record of one subject: its domain, its identity across snapshots and every variable. */
export interface ReviewRecord {
  domain: string;
  /** Values of the identifying variables (the natural key without USUBJID: the set is one subject's), in the key's order. */
  key: string[];
  /** Every variable of the record (SDTM names, upper case). */
  values: Record<string, ReviewValue>;
}

export interface VariableChange {
  name: string;
  before: string | null;
  after: string | null;
}

export interface RecordChange {
  domain: string;
  /** The record's identity: the natural key's values (a trailing "#n" tells duplicates of one key apart). */
  key: string[];
  change: 'added' | 'changed' | 'removed';
  /** For 'changed': the variables whose values differ (none for added or removed). */
  variables: VariableChange[];
}

/**
 * A value as compared: text, trimmed; an empty string and a missing variable are both null; a number
 * as its shortest decimal text (a CSV "3" and an XPT 3 are the same value).
 */
export function normalizeReviewValue(v: ReviewValue): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const t = v.trim();
  return t === '' ? null : t;
}

/**
 * Variables left out of the comparison: the sequence number (--SEQ) is a row number the sponsor may
 * renumber between cuts (SDTMIG 3.4 §4.1.9: unique within a subject and domain, not stable), so a
 * renumbered record is not a change of the data the reviewer saw.
 */
export function isComparedVariable(domain: string, name: string): boolean {
  return name !== `${domain}SEQ`;
}

/**
 * The identifying variables of a domain DoseDesk keeps whole (CM, EG, MH, …), whose stored key is
 * USUBJID + --SEQ: the topic variable (--TESTCD, else --TRT, else --TERM, else --DECOD) with the
 * timing variables present (--DTC, --STDTC, VISITNUM or VISIT, --TPTNUM or --TPT); SUPP-- by RDOMAIN,
 * IDVAR, IDVARVAL, QNAM (SDTMIG 3.4 §8.4). Only when a domain has neither topic nor timing is --SEQ
 * the key (then a renumbering shows as records removed and added). USUBJID is left out: a record set
 * is one subject's.
 */
export function genericKeyVariables(domain: string, columns: readonly string[]): string[] {
  const has = (c: string) => columns.includes(c);
  if (domain.startsWith('SUPP')) return ['RDOMAIN', 'IDVAR', 'IDVARVAL', 'QNAM'].filter(has);
  const first = (...names: string[]) => names.find(has);
  const topic = first(`${domain}TESTCD`, `${domain}TRT`, `${domain}TERM`, `${domain}DECOD`);
  const timing = [first(`${domain}DTC`), first(`${domain}STDTC`), first('VISITNUM', 'VISIT'), first(`${domain}TPTNUM`, `${domain}TPT`)].filter((x): x is string => !!x);
  if (!topic && timing.length === 0) return [`${domain}SEQ`].filter(has);
  return [...(topic ? [topic] : []), ...timing];
}

/** The compared content of a record: its variables (but --SEQ), normalised, in name order. */
export function recordFingerprint(r: ReviewRecord): string {
  const names = Object.keys(r.values)
    .filter((n) => isComparedVariable(r.domain, n))
    .sort();
  const parts: string[] = [];
  for (const n of names) {
    const v = normalizeReviewValue(r.values[n]);
    if (v !== null) parts.push(`${n}=${JSON.stringify(v)}`);
  }
  return parts.join(',');
}

/**
 * Records by identity (domain + key). Two records with the same key (duplicates, warned at import)
 * are told apart by their content order: "#1", "#2", … after the key, so that the same pair in the
 * next cut matches itself.
 */
export function identifyRecords(records: readonly ReviewRecord[]): Map<string, { record: ReviewRecord; key: string[]; fingerprint: string }> {
  const groups = new Map<string, { record: ReviewRecord; fingerprint: string }[]>();
  for (const record of records) {
    const id = `${record.domain}\u001f${record.key.join('\u001f')}`;
    const g = groups.get(id) ?? [];
    g.push({ record, fingerprint: recordFingerprint(record) });
    groups.set(id, g);
  }
  const out = new Map<string, { record: ReviewRecord; key: string[]; fingerprint: string }>();
  for (const [id, g] of groups) {
    if (g.length === 1) {
      out.set(id, { ...g[0]!, key: g[0]!.record.key });
      continue;
    }
    g.sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
    g.forEach((x, i) => out.set(`${id}\u001f#${i + 1}`, { ...x, key: [...x.record.key, `#${i + 1}`] }));
  }
  return out;
}

/**
 * A subject's whole record set as one text: every record's domain, key and content, sorted. Equal
 * texts mean no record was added, removed or changed (the core stores its SHA-256 with each mark).
 */
export function subjectFingerprint(records: readonly ReviewRecord[]): string {
  return [...identifyRecords(records)]
    .map(([id, r]) => `${id}\u001e${r.fingerprint}`)
    .sort()
    .join('\n');
}

const DOMAIN_ORDER = ['DM', 'SUPPDM', 'EX', 'AE', 'SUPPAE', 'DS', 'RS', 'TR', 'TU', 'PC', 'PP', 'IS', 'LB', 'VS', 'EG', 'CM'];
const domainRank = (d: string) => {
  const i = DOMAIN_ORDER.indexOf(d);
  return i < 0 ? DOMAIN_ORDER.length : i;
};

/**
 * The changes from a subject's records in the reviewed snapshot (`before`) to another snapshot
 * (`after`): a key only after = added; only before = removed; in both with a different content =
 * changed, with each differing variable (but --SEQ) and its values. Ordered by domain (DM, EX, AE, …),
 * then key.
 */
export function compareSubjectRecords(before: readonly ReviewRecord[], after: readonly ReviewRecord[]): RecordChange[] {
  const a = identifyRecords(before);
  const b = identifyRecords(after);
  const changes: RecordChange[] = [];
  for (const [id, r] of b) {
    const old = a.get(id);
    if (!old) changes.push({ domain: r.record.domain, key: r.key, change: 'added', variables: [] });
    else if (old.fingerprint !== r.fingerprint) changes.push({ domain: r.record.domain, key: r.key, change: 'changed', variables: changedVariables(old.record, r.record) });
  }
  for (const [id, r] of a) if (!b.has(id)) changes.push({ domain: r.record.domain, key: r.key, change: 'removed', variables: [] });
  return changes.sort((x, y) => domainRank(x.domain) - domainRank(y.domain) || x.domain.localeCompare(y.domain) || x.key.join('\u001f').localeCompare(y.key.join('\u001f')));
}

/** Variables of one record whose normalised values differ, in name order (--SEQ left out). */
export function changedVariables(before: ReviewRecord, after: ReviewRecord): VariableChange[] {
  const names = [...new Set([...Object.keys(before.values), ...Object.keys(after.values)])].filter((n) => isComparedVariable(after.domain, n)).sort();
  const out: VariableChange[] = [];
  for (const name of names) {
    const x = normalizeReviewValue(before.values[name]);
    const y = normalizeReviewValue(after.values[name]);
    if (x !== y) out.push({ name, before: x, after: y });
  }
  return out;
}

/** One line per change, for tooltips, the CLI and the audit trail: "AE HEADACHE / 2024-01-03: changed AETOXGR 2 → 3". */
export function changeText(c: RecordChange): string {
  const key = c.key.filter((k) => k !== '').join(' / ');
  const what = c.change === 'changed' ? `changed ${c.variables.map((v) => `${v.name} ${v.before ?? '(empty)'} → ${v.after ?? '(empty)'}`).join(', ')}` : c.change;
  return `${c.domain} ${key}: ${what}`;
}

/** Status of a subject's review on a snapshot: a mark whose data are unchanged, only marks whose data changed since, or no mark. */
export type ReviewStatus = 'current' | 'changed' | 'none';

/** The subject's status from its reviewers' marks: current when any mark still holds. */
export function subjectReviewStatus(marks: readonly { changes: readonly RecordChange[] }[]): ReviewStatus {
  if (marks.length === 0) return 'none';
  return marks.some((m) => m.changes.length === 0) ? 'current' : 'changed';
}
