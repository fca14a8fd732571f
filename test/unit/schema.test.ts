/**
 * The database migrations (electron/core/store/schema.ts) are append-only: a released migration's
 * SQL never changes, because a database that already ran it would silently differ from one that runs
 * the edited text under the same PRAGMA user_version. To change the schema, append the next migration.
 *
 * So the SHA-256 of each released migration's text is pinned here. If this test fails because you
 * edited a released migration, undo the edit and append a new migration instead; when you APPEND one,
 * add its hash to the list (that is the only legitimate change to it).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../electron/core/store/db';
import { DOMAINS } from '../../electron/core/store/domains';
import { MIGRATIONS, SCHEMA_VERSION } from '../../electron/core/store/schema';
import { tmpDir } from '../helpers/snapshot';

const RELEASED: readonly [number, string][] = [
  [1, '702cef8e5dee39a516158975b76ca2949b39be452f6d9ef6bdf10b3413735333'],
  [2, '7f80ce4acb82ce03cdbecc01fbbd2eebdff57e03512bea4671887b0c64597dce'],
  [3, '009643e61f968bb4cd0e8d916059bf0924dfc69188959522e07f349759cff59c'],
  [4, '13791e9006af04fc81b9506b5b2399e121f1c7a938a9f8f02fd401e1d97d0931'],
  [5, 'e339abed1b941b156b62d5a7eb38547b400283e1051fe3040b9deaf0f059c725'],
  [6, '76bd4e93cf8959da8b54f5e8c6aeba8593480856170b5b5e70bad81346fcfe4d'],
  [7, 'd0fb36e35907d24c0960535d300868f2f225947fb961598e594b89f5ef1ce3b4'],
  [8, '9b1f5b3c769fe76a12db6d0928fcdcefb226b7efc631bffea32190844323add1'],
];

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

let dir: string;
let fresh: Db;
let release: Db;

beforeAll(() => {
  dir = tmpDir('dosedesk-schema-');
  fresh = openDb(path.join(dir, 'fresh.db'));
  // a database made by the release of 2026-12-03 (test/fixtures/release-db), opened read-only: as it was made
  const rel = path.join(dir, 'release.db');
  fs.writeFileSync(rel, zlib.gunzipSync(fs.readFileSync(path.resolve(__dirname, '../fixtures/release-db/release.db.gz'))));
  release = openDb(rel, { readonly: true });
});
afterAll(() => {
  fresh?.close();
  release?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The schema as SQLite stores it (every table, index and trigger with its SQL), minus SQLite's own. */
function schemaOf(db: Db, upTo?: string[]): { type: string; name: string; sql: string }[] {
  const rows = db.prepare("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as { type: string; name: string; sql: string }[];
  return upTo ? rows.filter((r) => upTo.includes(r.name)) : rows;
}

describe('migrations', () => {
  it('are numbered 1, 2, 3, … without gaps; the schema version is the last', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('released migrations are unchanged (SHA-256 of their SQL text pinned; append, never edit)', () => {
    for (const [version, hash] of RELEASED) {
      const m = MIGRATIONS.find((x) => x.version === version);
      expect(m, `migration ${version} is missing`).toBeDefined();
      expect(sha256(m!.sql), `migration ${version} (${m!.name}) was edited after its release: restore it and append a new migration`).toBe(hash);
    }
  });

  it('the literal SQL makes exactly the schema the release of 2026-12-03 made (its database, committed)', () => {
    const released = schemaOf(release);
    expect(released.length).toBeGreaterThan(40);
    // tables, indexes and triggers that existed at release are identical, statement for statement
    expect(schemaOf(fresh, released.map((r) => r.name))).toEqual(released);
  });

  it('every variable DOMAINS stores in a column has its column (a new one needs a new migration)', () => {
    for (const d of DOMAINS) {
      const cols = new Set((fresh.prepare(`PRAGMA table_info(${d.table})`).all() as { name: string; type: string }[]).map((c) => `${c.name} ${c.type}`));
      expect(cols.size, `table ${d.table} of domain ${d.domain}`).toBeGreaterThan(0);
      for (const v of d.variables) expect(cols.has(`${v.name.toLowerCase()} ${v.type}`), `${d.domain}.${v.name} (${v.type}) has no column in ${d.table}`).toBe(true);
    }
  });
});
