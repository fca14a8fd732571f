/**
 * A database made by an earlier release still opens, upgrades and verifies (migrations are
 * append-only; 21 CFR 11.10(c): records stay accurate and retrievable for their retention period).
 * test/fixtures/release-db holds a database, its signed minutes and its trust file made by the
 * release of 2026-12-03 (schema 5; see its README). Each test unpacks a fresh copy into a temporary
 * folder and opens it with today's core, which applies any newer migration.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { SCHEMA_VERSION } from '../../electron/core/store/schema';
import { tmpDir } from '../helpers/snapshot';

const FIXTURE = path.resolve(__dirname, '../fixtures/release-db');
const PDF = path.join(FIXTURE, 'release-minutes.pdf');
const TRUST = path.join(FIXTURE, 'release-trust.pem');
const facts = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'facts.json'), 'utf8')) as {
  meetingId: number;
  contentHash: string;
  level: number;
  recordHash: string;
  pdfSha256: string;
  auditHead: { seq: number; hash: string };
  trustRootFingerprint: string;
  users: Record<'carol' | 'bob' | 'sue', { userId: number; password: string }>;
};

let dir: string;
let dbPath: string;
let core: Core;

beforeAll(() => {
  dir = tmpDir('dosedesk-release-db-');
  dbPath = path.join(dir, 'release.db');
  fs.writeFileSync(dbPath, zlib.gunzipSync(fs.readFileSync(path.join(FIXTURE, 'release.db.gz'))));
  core = createCore({ dbPath });
}, 60_000);
afterAll(() => {
  core?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the release database of 2026-12-03 opened by today\'s core', () => {
  it('was made at schema 5 and is upgraded to the current schema', () => {
    // the SQLite file header holds user_version as a 4-byte big-endian integer at offset 60
    // (https://www.sqlite.org/fileformat.html#user_version_number)
    expect(zlib.gunzipSync(fs.readFileSync(path.join(FIXTURE, 'release.db.gz'))).readUInt32BE(60)).toBe(5);
    expect(core.ctx.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  });

  it('reads the imported snapshot: the demo cut, its escalation level with the DLT', async () => {
    const snaps = await core.call('snapshots.list', {});
    expect(snaps.map((s) => s.contentHash)).toEqual([facts.contentHash]);
    const cohorts = await core.call('cohorts.summary', { snapshotId: snaps[0]!.snapshotId });
    // resources/demo/cut1.truth.json: one DLT, at escalation level 6
    const withDlt = cohorts.rows.filter((r) => r.part === 'escalation' && r.subjectsWithDlt > 0);
    expect(withDlt.map((r) => [r.level, r.subjectsWithDlt])).toEqual([[facts.level, 1]]);
  });

  it('keeps the signed meeting: record hash, both Ed25519 signatures valid', async () => {
    const m = await core.call('meetings.get', { meetingId: facts.meetingId });
    expect(m.status).toBe('signed');
    expect(m.recordHash).toBe(facts.recordHash);
    expect(m.signatures.map((s) => [s.userId, s.meaning])).toEqual([
      [facts.users.carol.userId, 'approved'],
      [facts.users.bob.userId, 'reviewed'],
    ]);
    const sue = (await core.call('auth.login', { username: 'sue', password: facts.users.sue.password })).session;
    const exp = await core.call('meetings.exportRecord', { meetingId: facts.meetingId, version: 1, session: sue });
    const check = await core.call('meetings.verifyExport', { export: exp });
    expect(check.recordHashOk).toBe(true);
    expect(check.computedRecordHash).toBe(facts.recordHash);
    expect(check.signatures.map((s) => s.valid)).toEqual([true, true]);
    expect(check.ok).toBe(true);
  });

  it('its audit chain and signed checkpoints verify, up to the head signed into the minutes', async () => {
    const v = await core.call('audit.verify', {});
    expect(v.firstBroken).toBeNull();
    expect(v.ok).toBe(true);
    expect(v.entries).toBeGreaterThanOrEqual(facts.auditHead.seq);
    expect(v.checkpoints).toBeGreaterThan(0);
  });

  it('its minutes PDF verifies intact against the release\'s trust file, as exported (same SHA-256)', async () => {
    expect(createHash('sha256').update(fs.readFileSync(PDF)).digest('hex')).toBe(facts.pdfSha256);
    const v = await core.call('minutes.verify', { path: PDF, trust: [TRUST] });
    expect(v.problems).toEqual([]);
    expect(v.status).toBe('intact');
    expect(v.exportRecord).toBe('matches');
    expect(v.auditHead).toEqual(facts.auditHead);
    expect(v.trustRoots.map((r) => r.fingerprint)).toContain(facts.trustRootFingerprint);
    expect(v.signatures.map((s) => s.trust)).toEqual(['chained']);
    expect(v.recordCheck?.ok).toBe(true);
  });

  it('a changed byte in those minutes is caught', async () => {
    const bad = Buffer.from(fs.readFileSync(PDF));
    const at = bad.indexOf('/Producer');
    bad[at + 1] = 'p'.charCodeAt(0);
    const v = await core.call('minutes.verify', { pdfBase64: bad.toString('base64'), trust: [TRUST] });
    expect(v.status).toBe('not-intact');
  });

  it('its accounts still sign in with the passwords set by that release', async () => {
    const s = await core.call('auth.login', { username: 'carol', password: facts.users.carol.password });
    expect(s.session).toMatch(/\S/);
  });
});
