import type { Db } from '../store/db';

// Snapshots never change once imported (docs/ARCHITECTURE.md#the-flow-of-an-import), so what is derived from one snapshot is kept
// per connection and handed to every view that asks again: the cohort table, the swimmer, the AE
// grid and the DLT table all start from the same subjects and AEs. A result that also depends on
// the study definition or a choice of the caller names those in `deps`. The most recently used
// entries stay; results are frozen, so that no caller can change what the next one receives.

const MAX_ENTRIES = 32;
const perDb = new WeakMap<Db, Map<string, unknown>>();

export function snapshotMemo<T>(db: Db, snapshotId: number, name: string, deps: unknown, compute: () => T): T {
  let entries = perDb.get(db);
  if (!entries) perDb.set(db, (entries = new Map()));
  const key = `${snapshotId}\u0000${name}\u0000${JSON.stringify(deps ?? null)}`;
  if (entries.has(key)) {
    const hit = entries.get(key) as T;
    entries.delete(key);
    entries.set(key, hit);
    return hit;
  }
  const value = deepFreeze(compute());
  entries.set(key, value);
  if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  return value;
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
