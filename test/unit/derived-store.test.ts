// The derived store (issue 14 item 2): snapshotMemo keeps what it derives from a snapshot in the
// database (table snapshot_derived), so that a second core on the same file — the next start of the
// app, the CLI — serves it without deriving it again. A row serves only the same snapshot, name,
// deps (study definition, mapping, cut-off) and derivation version; outputs are identical to a fresh
// derivation. Each case runs on a generated study (electron/core/demo/generate.ts: IBB0979's 25
// designed subjects and random ones) written in CSV, Dataset-JSON and XPT.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/app';
import { generateStudy, writeSnapshot } from '../../electron/core/demo/generate';
import { DERIVATION_VERSION, decodeDerivation, encodeDerivation, memoStats, snapshotMemo } from '../../electron/core/snapshots/memo';
import { openDb } from '../../electron/core/store/db';
import { tmpDir } from '../helpers/snapshot';

const VIEWS = ['safety.dltTable', 'subjects.timeline', 'cohorts.summary', 'safety.aeListing', 'safety.incidence', 'efficacy.responseSummary'] as const;
type View = (typeof VIEWS)[number];
const inputOf = (m: View, snapshotId: number) => (m === 'safety.incidence' ? { snapshotId, by: 'level' as const, minGrade: 1 as const } : { snapshotId });

type AnyCore = ReturnType<typeof createCore>;
const callView = (core: AnyCore, m: View, snapshotId: number) => (core.call as (m: string, i: unknown) => Promise<unknown>)(m, inputOf(m, snapshotId));
const dbOf = (core: AnyCore) => core.ctx.db;

for (const format of ['csv', 'json', 'xpt'] as const) {
  describe(`derived store, ${format} snapshot`, () => {
    let dir: string;
    let dbPath: string;
    let snapshotId: number;
    const first: Record<string, string> = {};

    beforeAll(async () => {
      dir = tmpDir('dosedesk-derived-');
      dbPath = path.join(dir, 'db.sqlite');
      const snap = path.join(dir, 'snap');
      await writeSnapshot(snap, generateStudy({ subjects: 40 }), { format });
      const core = createCore({ dbPath });
      const r = await core.call('snapshot.import', { path: snap });
      expect(r.status).toBe('imported');
      snapshotId = (r as { snapshotId: number }).snapshotId;
      for (const m of VIEWS) first[m] = JSON.stringify(await callView(core, m, snapshotId));
      core.close();
    }, 120_000);
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('a second core on the same file serves the views from SQLite without deriving them again, byte for byte', async () => {
      const core = createCore({ dbPath });
      try {
        for (const m of VIEWS) expect(JSON.stringify(await callView(core, m, snapshotId)), m).toBe(first[m]);
        const stats = memoStats(dbOf(core));
        // Whole outputs are stored for these three, so nothing under them is derived either.
        for (const name of ['safety.dltTable', 'subjects.timeline', 'cohorts.summary']) expect(stats.fromStore[name], name).toBe(1);
        expect(stats.computed['safety.dltTable']).toBeUndefined();
        expect(stats.computed['subjects.timeline']).toBeUndefined();
        expect(stats.computed['cohorts.summary']).toBeUndefined();
        // The AE listing and incidence start from stored subject and AE facts.
        expect(stats.computed.subjects).toBeUndefined();
        expect(stats.computed.aes).toBeUndefined();
        expect(stats.fromStore.subjects).toBeGreaterThanOrEqual(1);
        // labSafety maps each record object to its file (identity matters): never stored, derived again.
        expect(stats.fromStore.labSafety).toBeUndefined();
      } finally {
        core.close();
      }
    });

    it('and equals a fresh derivation on a database without stored rows', async () => {
      const core = createCore({ dbPath });
      try {
        dbOf(core).prepare('DELETE FROM snapshot_derived').run();
        for (const m of VIEWS) expect(JSON.stringify(await callView(core, m, snapshotId)), m).toBe(first[m]);
        expect(memoStats(dbOf(core)).computed['safety.dltTable']).toBe(1);
      } finally {
        core.close();
      }
    });

    it('a changed mapping in the study definition derives again (and the old definition still finds its rows)', async () => {
      const core = createCore({ dbPath });
      try {
        const [study] = await core.call('studies.list', {});
        // The AE grade variable is a study-wide mapping (shared/study.ts MAPPING_FIELDS): part of every snapshot's definition.
        await core.call('study.saveDefinition', { studyId: study!.studyId, definition: { ...study!.definition, ae: { ...study!.definition.ae, gradeVariable: 'AEGRADE' } } });
        await core.call('safety.dltTable', { snapshotId });
        const stats = memoStats(dbOf(core));
        expect(stats.computed['safety.dltTable']).toBe(1);
        expect(stats.computed.aes).toBe(1); // AE facts read the new grade variable
        expect(stats.fromStore['safety.dltTable']).toBeUndefined();
        await core.call('study.saveDefinition', { studyId: study!.studyId, definition: study!.definition });
      } finally {
        core.close();
      }
      const again = createCore({ dbPath });
      try {
        expect(JSON.stringify(await again.call('safety.dltTable', { snapshotId }))).toBe(first['safety.dltTable']);
        expect(memoStats(dbOf(again)).fromStore['safety.dltTable']).toBe(1);
      } finally {
        again.close();
      }
    });

    it('a row of another derivation version is not served: derived again and replaced', async () => {
      const core = createCore({ dbPath });
      try {
        const db = dbOf(core);
        db.prepare("UPDATE snapshot_derived SET version = '0.0.0+0'").run();
        expect(JSON.stringify(await core.call('cohorts.summary', { snapshotId }))).toBe(first['cohorts.summary']);
        expect(memoStats(db).computed['cohorts.summary']).toBe(1);
        const versions = db.prepare('SELECT DISTINCT version FROM snapshot_derived').all() as { version: string }[];
        expect(versions.map((v) => v.version)).toEqual([DERIVATION_VERSION]);
      } finally {
        core.close();
      }
    });
  });
}

describe('snapshot_derived rows', () => {
  it('go with their snapshot (ON DELETE CASCADE) and are skipped, not waited for, when another connection writes', () => {
    const dir = tmpDir('dosedesk-derived-');
    const file = path.join(dir, 'db.sqlite');
    const db = openDb(file);
    const cols = (t: string) => (db.prepare(`PRAGMA table_info(${t})`).all() as { name: string; notnull: number; dflt_value: unknown }[]).filter((c) => c.notnull && c.dflt_value === null).map((c) => c.name);
    const insert = (t: string, values: Record<string, unknown>) => {
      const names = [...new Set([...Object.keys(values), ...cols(t)])];
      db.prepare(`INSERT OR IGNORE INTO ${t} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`).run(...names.map((n) => values[n] ?? 'x'));
    };
    // A study and a snapshot row with only their required columns (no domain rows refer to it).
    insert('study', { study_id: 'S', definition: '{}', definition_source: 'derived' });
    insert('snapshot', { snapshot_id: 7, study_id: 'S', content_hash: 'h7', definition: '{}', definition_source: 'derived' });
    expect(db.prepare('SELECT count(*) n FROM snapshot').get()).toEqual({ n: 1 });
    let runs = 0;
    expect(snapshotMemo(db, 7, 'x', { a: 1 }, () => ({ n: ++runs }))).toEqual({ n: 1 });
    expect(db.prepare('SELECT count(*) n FROM snapshot_derived WHERE snapshot_id = 7').get()).toEqual({ n: 1 });

    // Another connection holds the write lock: the result is still returned, and nothing is stored.
    const other = openDb(file);
    other.exec('BEGIN IMMEDIATE');
    expect(snapshotMemo(db, 7, 'y', null, () => ({ n: ++runs }))).toEqual({ n: 2 });
    other.exec('ROLLBACK');
    other.close();
    expect(db.prepare("SELECT count(*) n FROM snapshot_derived WHERE name = 'y'").get()).toEqual({ n: 0 });

    db.prepare('DELETE FROM snapshot WHERE snapshot_id = 7').run();
    expect(db.prepare('SELECT count(*) n FROM snapshot_derived').get()).toEqual({ n: 0 });
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('encodeDerivation / decodeDerivation', () => {
  it('give back Maps, Sets, undefined, NaN, ±Infinity and -0; refuse class instances, shared objects and object-keyed Maps', () => {
    const v = { m: new Map<string, unknown>([['a', [1, undefined, null]]]), s: new Set([1, 2]), u: undefined, n: [NaN, Infinity, -Infinity, -0, 0.1 + 0.2], t: 'x' };
    const back = decodeDerivation(encodeDerivation(v)) as typeof v;
    expect(back.m).toBeInstanceOf(Map);
    expect([...back.m]).toEqual([['a', [1, undefined, null]]]);
    expect((back.m.get('a') as unknown[]).length).toBe(3);
    expect(1 in (back.m.get('a') as unknown[])).toBe(true); // not a hole
    expect([...back.s]).toEqual([1, 2]);
    expect('u' in back).toBe(true);
    expect(back.n[0]).toBeNaN();
    expect(back.n.slice(1, 3)).toEqual([Infinity, -Infinity]);
    expect(Object.is(back.n[3], -0)).toBe(true);
    expect(back.n[4]).toBe(0.1 + 0.2);
    expect(() => encodeDerivation({ d: new Date(0) })).toThrow();
    const shared = { a: 1 };
    expect(() => encodeDerivation({ x: shared, y: shared })).toThrow();
    // A handler's answer (sent as JSON, identity never read) is stored with its shared objects as copies.
    const copied = decodeDerivation(encodeDerivation({ x: shared, y: shared }, { sharedObjects: true })) as { x: object; y: object };
    expect(copied).toEqual({ x: { a: 1 }, y: { a: 1 } });
    expect(copied.x).not.toBe(copied.y);
    expect(() => encodeDerivation(new Map([[{ k: 1 }, 'file']]))).toThrow();
  });
});
