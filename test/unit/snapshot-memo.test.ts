// snapshotMemo: what is derived from an immutable snapshot is computed once per connection and
// handed out frozen; a result keyed on a study definition is recomputed when the definition changes.
import { describe, expect, it } from 'vitest';
import { snapshotMemo } from '../../electron/core/snapshots/memo';
import { openDb } from '../../electron/core/store/db';

describe('snapshotMemo', () => {
  it('computes once per snapshot, name and deps; other snapshots, names or deps compute afresh', () => {
    const db = openDb(':memory:');
    let runs = 0;
    const get = (snapshotId: number, name: string, deps: unknown) => snapshotMemo(db, snapshotId, name, deps, () => ({ n: ++runs, rows: [{ a: 1 }] }));
    const first = get(1, 'subjects', null);
    expect(get(1, 'subjects', null)).toBe(first);
    expect(runs).toBe(1);
    expect(get(2, 'subjects', null).n).toBe(2);
    expect(get(1, 'aes', null).n).toBe(3);
    expect(get(1, 'dltTable', { cutoff: '2025-01-01' }).n).toBe(4);
    expect(get(1, 'dltTable', { cutoff: '2025-02-01' }).n).toBe(5);
    expect(get(1, 'dltTable', { cutoff: '2025-01-01' }).n).toBe(4);
    // Another connection (another database file) shares nothing.
    expect(snapshotMemo(openDb(':memory:'), 1, 'subjects', null, () => 'other')).toBe('other');
  });

  it('hands out frozen results, so that no caller changes what the next one receives', () => {
    const db = openDb(':memory:');
    const v = snapshotMemo(db, 1, 'x', null, () => ({ rows: [{ grade: 3 }] }));
    expect(() => v.rows.push({ grade: 1 })).toThrow(TypeError);
    expect(() => {
      v.rows[0]!.grade = 5;
    }).toThrow(TypeError);
  });

  it('keeps the most recently used entries and drops the oldest', () => {
    const db = openDb(':memory:');
    let runs = 0;
    for (let i = 0; i < 40; i++) snapshotMemo(db, i, 'x', null, () => ++runs);
    expect(runs).toBe(40);
    snapshotMemo(db, 39, 'x', null, () => ++runs);
    expect(runs).toBe(40);
    snapshotMemo(db, 0, 'x', null, () => ++runs);
    expect(runs).toBe(41);
  });
});
