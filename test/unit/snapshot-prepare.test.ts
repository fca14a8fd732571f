// Derive once at the end of an import (issue 14 item 2, electron/core/snapshots/prepare.ts): after a
// snapshot is imported the app runs the views' first reads, so that what they derive is stored and a
// view opened later reads it. Checked on a generated study (electron/core/demo/generate.ts): every
// step succeeds; a second core on the prepared file answers each step's call with the same bytes as a
// core on an unprepared copy of the file derives, without deriving the stored results again; and a
// core created with prepareAfterImport prepares by itself after `snapshot.import`.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/app';
import { generateStudy, writeSnapshot } from '../../electron/core/demo/generate';
import { memoStats } from '../../electron/core/snapshots/memo';
import { PREPARE_STEPS, prepareViews } from '../../electron/core/snapshots/prepare';
import { tmpDir } from '../helpers/snapshot';

type AnyCore = ReturnType<typeof createCore>;
const callStep = (core: AnyCore, i: number, snapshotId: number) => (core.call as (m: string, x: unknown) => Promise<unknown>)(PREPARE_STEPS[i]!.method, { ...PREPARE_STEPS[i]!.input, snapshotId });
const storedNames = (core: AnyCore, snapshotId: number) =>
  (core.ctx.db.prepare('SELECT DISTINCT name FROM snapshot_derived WHERE snapshot_id = ? ORDER BY name').pluck().all(snapshotId) as string[]);

describe('preparing the views after an import', () => {
  let dir: string;
  let snap: string;
  let prepared: string;
  let fresh: string;
  let snapshotId: number;

  beforeAll(async () => {
    dir = tmpDir('dosedesk-prepare-');
    snap = path.join(dir, 'snap');
    await writeSnapshot(snap, generateStudy({ subjects: 40 }), { format: 'csv' });
    prepared = path.join(dir, 'prepared.sqlite');
    fresh = path.join(dir, 'fresh.sqlite');
    const core = createCore({ dbPath: prepared });
    const r = await core.call('snapshot.import', { path: snap });
    expect(r.status).toBe('imported');
    snapshotId = r.snapshotId!;
    core.close();
    fs.copyFileSync(prepared, fresh);
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('every step succeeds on a study with every domain, and stores what it derived', async () => {
    const core = createCore({ dbPath: prepared });
    try {
      expect(storedNames(core, snapshotId)).toEqual([]);
      const steps = await prepareViews(core, snapshotId);
      expect(steps.map((s) => s.method)).toEqual(PREPARE_STEPS.map((s) => s.method));
      expect(steps.filter((s) => s.error)).toEqual([]);
      expect(storedNames(core, snapshotId)).toEqual(expect.arrayContaining(['cohorts.summary', 'safety.dltTable', 'subjects.timeline']));
    } finally {
      core.close();
    }
  }, 120_000);

  it('a later core answers every step from the stored results, identical to a core deriving them afresh', async () => {
    const later = createCore({ dbPath: prepared });
    const unprepared = createCore({ dbPath: fresh });
    try {
      for (let i = 0; i < PREPARE_STEPS.length; i++) {
        expect(JSON.stringify(await callStep(later, i, snapshotId)), PREPARE_STEPS[i]!.method).toBe(JSON.stringify(await callStep(unprepared, i, snapshotId)));
      }
      const derivedLater = memoStats(later.ctx.db).computed;
      const derivedFresh = memoStats(unprepared.ctx.db).computed;
      for (const name of ['cohorts.summary', 'safety.dltTable', 'subjects.timeline', 'subjects.lanes', 'subjects', 'aes', 'mapping', 'labs.shift', 'labs.edish', 'ecg.qtcf', 'ecg.categories', 'efficacy.tumourSeries', 'efficacy.responses', 'safety.aeAction', 'safety.relatedIncidence', 'safety.listings', 'safety.lookahead']) {
        expect(derivedFresh[name], `${name} derived by the unprepared core`).toBeGreaterThanOrEqual(1);
        expect(derivedLater[name], `${name} read from the store by the prepared one`).toBeUndefined();
      }
      // What is stored is a subset of what the unprepared core derived: nothing else changed.
      expect(Object.keys(derivedLater).every((n) => n in derivedFresh)).toBe(true);
    } finally {
      later.close();
      unprepared.close();
    }
  }, 120_000);

  it('a core created with prepareAfterImport prepares by itself, after the import has answered', async () => {
    const dbPath = path.join(dir, 'auto.sqlite');
    const core = createCore({ dbPath, prepareAfterImport: true });
    try {
      const r = await core.call('snapshot.import', { path: snap });
      expect(r.status).toBe('imported');
      const want = (() => {
        const p = createCore({ dbPath: prepared });
        try {
          return storedNames(p, snapshotId);
        } finally {
          p.close();
        }
      })();
      await expect.poll(() => storedNames(core, r.snapshotId!), { timeout: 60_000, interval: 200 }).toEqual(want);
    } finally {
      core.close();
    }
  }, 120_000);
});
