import { createHash } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import type { Db } from '../store/db';
import { deleteOtherVersions, setBusyTimeout, storeDerivation, storedDerivation } from './queries';

// Snapshots never change once imported (docs/ARCHITECTURE.md#the-flow-of-an-import), so what is derived from one snapshot is
// derived once and handed to every view that asks again: the cohort table, the swimmer, the AE grid
// and the DLT table all start from the same subjects and AEs. A result that also depends on the study
// definition, a mapping or a choice of the caller names those in `deps`.
//
// Two levels: the most recently used results of this connection in memory (frozen, so that no caller
// changes what the next one receives), and every result in the database (table snapshot_derived),
// so that another connection — the next start of the app, the CLI — reads it instead of deriving it
// again. A stored row serves only the same snapshot, name, deps (by SHA-256) and DERIVATION_VERSION.
//
// DERIVATION_VERSION: any change to the code of a memoised derivation (querySubjects, queryAes, the
// DLT table, the timeline, the Cohorts summary, the lab and ECG screens, the PK profiles, efficacy,
// the mapping report, the handlers' answers stored through snapshotAnswer (cohorts/app.ts), or the
// shared/ rules they call) must bump DERIVATION_CODE in the same commit,
// or restarted apps would keep serving the old result. (Not the package.json version: importing
// package.json breaks the ESM loaders of Playwright and plain Node, and the packaged app has no
// file path to read it from.)
//
// Writing is a side effect of a read: one short statement of its own, skipped (never waited for,
// never an error) when the database is read-only, another writer holds the lock, the caller is inside
// a transaction, or the result is not plain data (Map, Set, arrays and plain objects of strings,
// numbers, booleans and null are; class instances, objects shared between two places and Maps keyed
// by objects are not: such a result stays in memory only, e.g. labSafety's record-to-file Map).

export const DERIVATION_CODE = 2;
export const DERIVATION_VERSION = `derivations-${DERIVATION_CODE}`;

const MAX_ENTRIES = 32;
const perDb = new WeakMap<Db, Map<string, unknown>>();

/** Where this connection's snapshotMemo results came from, per name (tests and the bench read it). */
export interface MemoStats {
  computed: Record<string, number>;
  fromStore: Record<string, number>;
  fromMemory: Record<string, number>;
}
const statsOf = new WeakMap<Db, MemoStats & { purged: boolean }>();

export function memoStats(db: Db): MemoStats {
  let s = statsOf.get(db);
  if (!s) statsOf.set(db, (s = { computed: {}, fromStore: {}, fromMemory: {}, purged: false }));
  return s;
}

const count = (m: Record<string, number>, name: string) => (m[name] = (m[name] ?? 0) + 1);

/**
 * `opts.answer`: the value is a handler's answer, sent as JSON, so an object it holds twice (the same
 * AE row in two listings) may come back from the store as two equal copies.
 */
export function snapshotMemo<T>(db: Db, snapshotId: number, name: string, deps: unknown, compute: () => T, opts: { answer?: boolean } = {}): T {
  let entries = perDb.get(db);
  if (!entries) perDb.set(db, (entries = new Map()));
  const stats = memoStats(db);
  const depsJson = JSON.stringify(deps ?? null);
  const key = `${snapshotId}\u0000${name}\u0000${depsJson}`;
  if (entries.has(key)) {
    const hit = entries.get(key) as T;
    entries.delete(key);
    entries.set(key, hit);
    count(stats.fromMemory, name);
    return hit;
  }
  const depsHash = createHash('sha256').update(depsJson).digest('hex');
  let value = readStored<T>(db, snapshotId, name, depsHash);
  if (value === NOT_STORED) {
    value = compute();
    count(stats.computed, name);
    store(db, snapshotId, name, depsHash, value, opts.answer ?? false);
  } else count(stats.fromStore, name);
  value = deepFreeze(value);
  entries.set(key, value);
  if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  return value;
}

const NOT_STORED: unique symbol = Symbol('not stored');

function readStored<T>(db: Db, snapshotId: number, name: string, depsHash: string): T | typeof NOT_STORED {
  let payload: Buffer | undefined;
  try {
    payload = storedDerivation(db, snapshotId, name, depsHash, DERIVATION_VERSION);
  } catch {
    return NOT_STORED; // a database made before the derived store (opened read-only, not migrated)
  }
  if (!payload) return NOT_STORED;
  try {
    return decodeDerivation(payload) as T;
  } catch {
    return NOT_STORED; // unreadable row: derive again (and replace it)
  }
}

function store(db: Db, snapshotId: number, name: string, depsHash: string, value: unknown, answer: boolean): void {
  if (db.readonly || db.inTransaction) return;
  let payload: Buffer;
  try {
    payload = encodeDerivation(value, { sharedObjects: answer });
  } catch {
    return; // not plain data: kept in memory only
  }
  let before: number | null = null;
  try {
    before = setBusyTimeout(db, 0);
    const stats = statsOf.get(db)!;
    if (!stats.purged) {
      // Rows of other versions never serve again: drop them once per connection.
      deleteOtherVersions(db, DERIVATION_VERSION);
      stats.purged = true;
    }
    storeDerivation(db, snapshotId, name, depsHash, DERIVATION_VERSION, payload);
  } catch {
    // busy, read-only file, snapshot deleted meanwhile (foreign key): the result is still returned
  } finally {
    if (before !== null) setBusyTimeout(db, before);
  }
}

// Encoding: JSON with a tagged object for what JSON cannot hold, so that decoding gives back an
// equal value: {"\u0000dd": "map", "v": [[k, v], …]}, {"\u0000dd": "set", "v": […]}, {"\u0000dd":
// "undefined"}, {"\u0000dd": "number", "v": "NaN" | "Infinity" | "-Infinity" | "-0"}.
const TAG = '\u0000dd';

class NotPlainData extends Error {}

/**
 * A derivation as deflated JSON; throws NotPlainData for class instances (Date, Buffer, …), functions,
 * objects reached twice (unless `sharedObjects`: they are then written as copies) and Maps keyed by objects.
 */
export function encodeDerivation(value: unknown, { sharedObjects = false } = {}): Buffer {
  // An object reached twice (or a Map keyed by objects) means identity matters to the caller (e.g. a
  // Map from each record to its file): JSON would hand back copies, so such a result is refused.
  const seen = new Set<object>();
  const json = JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    if (raw === undefined) return { [TAG]: 'undefined' };
    if (typeof raw === 'number') {
      if (Number.isFinite(raw) && !Object.is(raw, -0)) return raw;
      return { [TAG]: 'number', v: Object.is(raw, -0) ? '-0' : String(raw) };
    }
    if (typeof raw === 'function' || typeof raw === 'symbol' || typeof raw === 'bigint') throw new NotPlainData(`${typeof raw} at ${key}`);
    if (raw === null || typeof raw !== 'object') return v;
    if (!sharedObjects) {
      if (seen.has(raw)) throw new NotPlainData(`an object reached twice, at ${key}`);
      seen.add(raw);
    }
    if (raw instanceof Map) {
      for (const k of raw.keys()) if (k !== null && typeof k === 'object') throw new NotPlainData(`a Map keyed by objects, at ${key}`);
      return { [TAG]: 'map', v: [...raw] };
    }
    if (raw instanceof Set) return { [TAG]: 'set', v: [...raw] };
    const proto = Object.getPrototypeOf(raw) as unknown;
    if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) throw new NotPlainData(`class instance at ${key}`);
    return v;
  });
  return deflateSync(Buffer.from(json, 'utf8'), { level: 1 });
}

/** The inverse of encodeDerivation. */
export function decodeDerivation(payload: Buffer): unknown {
  return revive(JSON.parse(inflateSync(payload).toString('utf8')) as unknown);
}

function revive(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = revive(v[i]);
    return v;
  }
  const o = v as Record<string, unknown>;
  const tag = o[TAG];
  if (tag !== undefined) {
    if (tag === 'undefined') return undefined;
    if (tag === 'number') return o.v === '-0' ? -0 : Number(o.v);
    if (tag === 'map') return new Map((o.v as [unknown, unknown][]).map(([k, x]) => [revive(k), revive(x)]));
    if (tag === 'set') return new Set((o.v as unknown[]).map(revive));
  }
  for (const k of Object.keys(o)) o[k] = revive(o[k]);
  return o;
}

function deepFreeze<T>(v: T): T {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return v;
  if (v instanceof Map) {
    for (const x of v.values()) deepFreeze(x);
    return v;
  }
  Object.freeze(v);
  for (const x of Object.values(v as object)) deepFreeze(x);
  return v;
}
