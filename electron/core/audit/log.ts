import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../shared/meeting';
import type { AuditEntry, AuditVerifyResult } from '../../../shared/api/meetings';
import type { Db } from '../store/db';
import { stamp, type Clock } from './clock';
import { auditHeadRow, auditRowsFiltered, auditRowsInStoredOrder, insertAuditRow, type AuditRow } from './queries';

// The audit trail (21 CFR 11.10(e); EU GMP Annex 11 §9): append-only table audit_log (migration 3),
// written by the core only — no contract method appends to it. Each entry carries the hash of the
// previous one; hash = SHA-256 over the canonical JSON (RFC 8785) of the entry's fields including
// prev_hash, so an edited, deleted or reordered entry breaks the chain (verifyAuditChain). SQLite
// triggers refuse UPDATE and DELETE (defence in depth; someone with the file can drop them, the
// chain still tells). Limitation: removing the newest entries (truncation) leaves a valid shorter
// chain; the head hash is reported so that it can be compared with one noted elsewhere (e.g. the
// audit entries embedded in exported minutes).

export const GENESIS_HASH = '0'.repeat(64);

export type AuditAction =
  | 'bootstrap'
  | 'login'
  | 'login-failed'
  | 'lockout'
  | 'logout'
  | 'session-expired'
  | 'password-change'
  | 'password-reset'
  | 'unlock'
  | 'create'
  | 'change'
  | 'deactivate'
  | 'reactivate'
  | 'lock'
  | 'sign'
  | 'sign-failed'
  | 'amend'
  | 'distribute'
  | 'export'
  | 'lambda-z'
  | 'import'
  | 'review-mark'
  | 'review-unmark'
  | 'acknowledge-unreviewed';

export interface AuditInput {
  user: string;
  action: AuditAction;
  entity: string;
  entityId?: string | number | null;
  old?: unknown;
  new?: unknown;
  reason?: string | null;
}

type Row = AuditRow;

/** The hash of one entry: SHA-256 of the canonical JSON of every field but `hash` (values as stored). */
export function auditEntryHash(r: Omit<Row, 'hash'>): string {
  const body = canonicalJson({
    seq: r.seq,
    at: r.at,
    user: r.user,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    oldValue: r.old_value,
    newValue: r.new_value,
    reason: r.reason,
    prevHash: r.prev_hash,
  });
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

const json = (v: unknown): string | null => (v === undefined || v === null ? null : canonicalJson(v));

/**
 * Appends one entry (in the caller's transaction when there is one). `ctx` gives the clock.
 * Returns the new entry's seq and hash.
 */
export function appendAudit(ctx: { db: Db; clock: Clock }, e: AuditInput): { seq: number; hash: string } {
  const db = ctx.db;
  const write = () => {
    const last = auditHeadRow(db);
    const row: Omit<Row, 'hash'> = {
      seq: (last?.seq ?? 0) + 1,
      at: stamp(ctx).iso,
      user: e.user,
      action: e.action,
      entity: e.entity,
      entity_id: e.entityId === undefined || e.entityId === null ? null : String(e.entityId),
      old_value: json(e.old),
      new_value: json(e.new),
      reason: e.reason ?? null,
      prev_hash: last?.hash ?? GENESIS_HASH,
    };
    const hash = auditEntryHash(row);
    insertAuditRow(db, { ...row, hash });
    return { seq: row.seq, hash };
  };
  return db.inTransaction ? write() : db.transaction(write).immediate();
}

/**
 * Walks the chain in seq order and names the first entry that does not hold: its stored hash is not
 * the hash of its content (edited), its prev_hash is not the previous entry's hash (an entry before
 * it was deleted, inserted or moved), or its seq does not follow the previous one (deleted or reordered).
 */
export function verifyAuditChain(db: Db): AuditVerifyResult {
  let prevHash = GENESIS_HASH;
  let prevSeq = 0;
  let position = 0;
  for (const r of auditRowsInStoredOrder(db)) {
    position++;
    const broken = (problem: string): AuditVerifyResult => ({ ok: false, entries: position, lastHash: prevHash === GENESIS_HASH ? null : prevHash, firstBroken: { seq: r.seq, position, problem } });
    if (r.seq !== prevSeq + 1) return broken(`entry ${r.seq} follows entry ${prevSeq}: ${r.seq > prevSeq + 1 ? `entr${r.seq - prevSeq - 1 === 1 ? 'y' : 'ies'} ${prevSeq + 1}${r.seq - prevSeq > 2 ? `..${r.seq - 1}` : ''} missing (deleted)` : 'out of order (reordered)'}`);
    const { hash, ...rest } = r;
    if (auditEntryHash(rest) !== hash) return broken(`entry ${r.seq} (${r.action} ${r.entity}${r.entity_id ? ' ' + r.entity_id : ''} at ${r.at}) was altered: its content does not match its hash`);
    if (r.prev_hash !== prevHash) return broken(`entry ${r.seq} does not follow the entry before it (prev_hash mismatch): an entry was deleted, inserted or reordered`);
    prevHash = hash;
    prevSeq = r.seq;
  }
  return { ok: true, entries: position, lastHash: position ? prevHash : null, firstBroken: null };
}

export interface AuditFilter {
  user?: string;
  action?: string;
  entity?: string;
  entityId?: string;
  from?: string;
  to?: string;
  limit?: number;
}

const parseJson = (s: string | null): unknown => (s === null ? null : JSON.parse(s));

export function toEntry(r: Row): AuditEntry {
  return { seq: r.seq, at: r.at, user: r.user, action: r.action, entity: r.entity, entityId: r.entity_id, oldValue: parseJson(r.old_value), newValue: parseJson(r.new_value), reason: r.reason, prevHash: r.prev_hash, hash: r.hash };
}

/**
 * Entries, oldest first. `from` / `to` compare instants: entries are stored as local time with an
 * offset, so the comparison is done on Date.parse of both sides (a date alone means the whole day, UTC).
 */
export function listAudit(db: Db, f: AuditFilter): AuditEntry[] {
  const rows = auditRowsFiltered(db, f);
  const bound = (s: string | undefined, end: boolean): number | null => {
    if (!s) return null;
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(s);
    const t = Date.parse(dateOnly ? `${s}T${end ? '23:59:59.999' : '00:00:00.000'}Z` : s);
    if (Number.isNaN(t)) throw new Error(`not a date or date-time: ${JSON.stringify(s)}`);
    return t;
  };
  const from = bound(f.from, false);
  const to = bound(f.to, true);
  const out: AuditEntry[] = [];
  for (const r of rows) {
    const t = Date.parse(r.at);
    if (from !== null && t < from) continue;
    if (to !== null && t > to) continue;
    out.push(toEntry(r));
    if (f.limit && out.length >= f.limit) break;
  }
  return out;
}
