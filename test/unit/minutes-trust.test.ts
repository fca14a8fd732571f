/**
 * Verification that means something (issue 11 "Trust"): the forgeries of the hostile review, each
 * reported NOT intact with its reason; a genuine export verifying here and, with the exported trust
 * root (`--trust`), on "another machine" (a fresh database); the legacy fixture (exported by the code
 * before the trust root, test/fixtures/minutes/README.md) verifying as legacy; the audit chain's
 * signed checkpoints catching truncation, a recomputed chain and an emptied table.
 *
 * Rules: RFC 5280 §6.1 (a certificate chains to a trust anchor when its signature verifies with the
 * anchor's key and the anchor is a CA); ISO 32000-1 §12.8 (a signature covers its ByteRange; a later
 * incremental update is outside earlier signatures).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { PDFDocument as IncDocument, StandardFonts as IncFonts, rgb } from '@cantoo/pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import type { Output } from '../../shared/contract';
import { MeetingExport } from '../../shared/api/meetings';
import { minutesDocument } from '../../electron/core/meetings/minutes';
import { createSigningIdentity, findAttachment, renderMinutesPdf, signPdf, verifyMinutesPdf } from '../../electron/core/minutes';
import { issueSigningIdentity } from '../../electron/core/minutes/authority';
import { auditEntryHash, GENESIS_HASH } from '../../electron/core/audit/log';
import { useScryptParamsForTests } from '../../electron/core/users/crypto';
import { PDFDocument } from 'pdf-lib';
import { tmpDir } from '../helpers/snapshot';
import { holdSignedMeeting, type HeldMeeting } from './minutes-helpers';

const FIXTURES = path.resolve(__dirname, '../fixtures/minutes');
const LEGACY_PDF = path.join(FIXTURES, 'legacy-2026-12-03-minutes.pdf');
const HAS_PDFSIG = spawnSync('pdfsig', ['-v']).error === undefined;

let dir: string;
let dbPath: string;
let core: Core;
let held: HeldMeeting;
let pdfPath: string;
let genuine: Buffer;
let exported: Output<'minutes.export'>;
let rootPem: string;

beforeAll(async () => {
  useScryptParamsForTests({ N: 2 ** 10, r: 8, p: 1 });
  dir = tmpDir('dosedesk-minutes-trust-');
  dbPath = path.join(dir, 'db.sqlite');
  core = createCore({ dbPath });
  held = await holdSignedMeeting(core);
  pdfPath = path.join(dir, 'genuine.pdf');
  exported = await core.call('minutes.export', { session: held.sue, meetingId: held.meetingId, password: held.users.sue.password, outPath: pdfPath });
  genuine = fs.readFileSync(pdfPath);
  rootPem = path.join(dir, 'root.pem');
  await core.call('minutes.exportTrust', { outPath: rootPem });
}, 180_000);
afterAll(() => {
  core?.close();
  fs.rmSync(dir, { recursive: true, force: true });
  useScryptParamsForTests(null);
});

const verify = (file: string, trust?: string[]) => core.call('minutes.verify', { path: file, ...(trust ? { trust } : {}) });
const write = (name: string, bytes: Uint8Array): string => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, bytes);
  return f;
};
const genuineExport = () => MeetingExport.parse(JSON.parse(exported.recordJson));
const manifestOf = async (pdf: Uint8Array) => JSON.parse(new TextDecoder().decode(findAttachment(await PDFDocument.load(pdf, { updateMetadata: false }), 'minutes-manifest.json')!));
/** What a forger draws: the genuine document with the committee's decision shown as "escalate". */
function forgedDocument() {
  const doc = minutesDocument(genuineExport());
  doc.doseLevels[0]!.decision.decision = 'escalate';
  return doc;
}

describe('a genuine export', () => {
  it('chains to this installation\'s root, prints the root\'s fingerprint, anchors the audit head, and verifies intact', async () => {
    const root = await core.call('minutes.trustRoot', {});
    expect(exported.trustRootFingerprint).toBe(root.fingerprint);
    expect(root.keyOk).toBe(true);
    // the CA key file beside the database is readable by its owner only
    expect(fs.statSync(root.keyFile).mode & 0o777).toBe(0o600);
    const v = await verify(pdfPath);
    expect(v.problems).toEqual([]);
    expect(v.status).toBe('intact');
    expect(v.signatures.map((s) => s.trust)).toEqual(['chained']);
    expect(v.pages!.differing).toEqual([]);
    expect(v.pages!.compared).toBeGreaterThan(3);
    expect(v.exportRecord).toBe('matches');
    expect(v.auditHead).toEqual(exported.auditHead);
    if (spawnSync('pdftotext', ['-v']).error === undefined) {
      const text = execFileSync('pdftotext', [pdfPath, '-'], { encoding: 'utf8' });
      expect(text.replace(/\s+/g, '')).toContain(root.fingerprint);
    }
  });

  it('on another machine (a fresh database): NOT intact without the root, intact with --trust of the exported root', async () => {
    const other = createCore({ dbPath: path.join(dir, 'other.sqlite') });
    try {
      const without = await other.call('minutes.verify', { path: pdfPath });
      expect(without.intact).toBe(false);
      expect(without.problems.join('\n')).toMatch(/signature 1 \(Susan Secretary\): its certificate is not trusted/);
      const withRoot = await other.call('minutes.verify', { path: pdfPath, trust: [rootPem] });
      expect(withRoot.problems).toEqual([]);
      expect(withRoot.status).toBe('intact');
      expect(withRoot.exportRecord).toBeNull(); // not the exporting database: no SHA-256 to compare with
      expect(withRoot.trustRoots.map((r) => r.source)).toEqual([rootPem]);
    } finally {
      other.close();
    }
  });

  it('the CLI: minutes export-trust writes the root, verify --trust on a fresh database exits 0', () => {
    const bin = path.resolve(__dirname, '../../bin/dosedesk.mjs');
    const root2 = path.join(dir, 'root-cli.pem');
    const a = spawnSync(process.execPath, [bin, 'minutes', 'export-trust', '--out', root2, '--db', dbPath], { encoding: 'utf8' });
    expect(a.status).toBe(0);
    expect(fs.readFileSync(root2, 'utf8')).toContain('BEGIN CERTIFICATE');
    const fresh = path.join(dir, 'fresh-cli.sqlite');
    const b = spawnSync(process.execPath, [bin, 'minutes', 'verify', pdfPath, '--trust', root2, '--db', fresh], { encoding: 'utf8' });
    expect(b.stdout).toContain('INTACT - every signature valid and chained to a trusted DoseDesk root');
    expect(b.stdout).toContain(`trust: CHAINED - issued by the trusted root`);
    expect(b.status).toBe(0);
  }, 60_000);
});

describe('forgeries are NOT intact, with the reason', () => {
  it('the decision shown as "Escalate", the genuine record attached, re-signed with a self-made certificate', async () => {
    const doc = forgedDocument();
    const manifest = await manifestOf(genuine);
    const self = createSigningIdentity({ commonName: 'Susan Secretary', organization: 'DoseDesk', password: 'x' });
    const unsigned = await renderMinutesPdf(doc, {
      createdAt: new Date(manifest.renderedAt),
      trust: { rootFingerprint: manifest.trustRoot.fingerprint, rootSubject: manifest.trustRoot.subject, signerFingerprint: manifest.signer.certificateFingerprint, auditHead: manifest.auditHead },
      manifestJson: JSON.stringify(manifest, null, 2),
    });
    const forged = await signPdf(unsigned, { p12: self.p12, passphrase: 'x', name: 'Susan Secretary', reason: genuineReason(), fieldName: 'DoseDesk-export-sue' });
    const file = write('forged-resigned.pdf', forged);
    if (HAS_PDFSIG) expect(execFileSync('pdfsig', [file], { encoding: 'utf8' })).toContain('Signature is Valid.'); // what fooled the reviewer
    const v = await verify(file);
    expect(v.intact).toBe(false);
    expect(v.status).toBe('not-intact');
    expect(v.signatures[0]!.trust).toBe('untrusted');
    expect(v.problems).toContain('signature 1 (Susan Secretary): its certificate is not trusted: the certificate (issuer CN=Susan Secretary, O=DoseDesk) does not chain to a trusted DoseDesk root (it is self-signed)');
    expect(v.pages!.differing.length).toBeGreaterThan(0);
    expect(v.problems.some((p) => /^the visible text of pages? .* differs from the minutes rendered from the attached record$/.test(p))).toBe(true);
    // the same forgery without a manifest (posing as a legacy file) is no better: not pinned anywhere
    const legacyLook = await signPdf(await renderMinutesPdf(doc), { p12: self.p12, passphrase: 'x', name: 'Susan Secretary', reason: genuineReason(), fieldName: 'DoseDesk-export-sue' });
    const v2 = await verify(write('forged-legacy-look.pdf', legacyLook));
    expect(v2.status).toBe('not-intact');
    expect(v2.signatures[0]!.trust).toBe('untrusted');
  });

  it('a revision appended after the genuine signature paints "DECISION: ESCALATE to dose level 7" on page 1, countersigned with a self-made certificate', async () => {
    const edit = await IncDocument.load(genuine, { forIncrementalUpdate: true, updateMetadata: false });
    const font = await edit.embedFont(IncFonts.HelveticaBold);
    edit.getPage(0).drawText('DECISION: ESCALATE to dose level 7', { x: 70, y: 400, size: 22, font, color: rgb(0.8, 0, 0) });
    const painted = await edit.commit({ useObjectStreams: false });
    const self = createSigningIdentity({ commonName: 'Dr Carol Chen', password: 'y' });
    const countersigned = await signPdf(painted, { p12: self.p12, passphrase: 'y', name: 'Dr Carol Chen', reason: 'Countersigned', fieldName: 'countersign' });
    const file = write('forged-appended.pdf', countersigned);
    if (HAS_PDFSIG) {
      const out = execFileSync('pdfsig', [file], { encoding: 'utf8' });
      expect(out.match(/Signature is Valid\./g)).toHaveLength(2); // both digests hold: pdfsig alone is fooled
    }
    const v = await verify(file);
    expect(v.intact).toBe(false);
    expect(v.signatures.map((s) => [s.digestValid, s.trust])).toEqual([
      [true, 'chained'],
      [true, 'untrusted'],
    ]);
    expect(v.problems).toContain("revision 2 (with signature 2, Dr Carol Chen) changes more than a signature: page 1's content or resources changed (something was drawn on it)");
    expect(v.problems.some((p) => p.startsWith('signature 2 (Dr Carol Chen): its certificate is not trusted'))).toBe(true);
  });

  it('the same appended painting countersigned with a certificate this installation issued: still NOT intact (the revision adds more than a signature)', async () => {
    const edit = await IncDocument.load(genuine, { forIncrementalUpdate: true, updateMetadata: false });
    const font = await edit.embedFont(IncFonts.HelveticaBold);
    edit.getPage(0).drawText('DECISION: ESCALATE to dose level 7', { x: 70, y: 400, size: 22, font });
    const painted = await edit.commit({ useObjectStreams: false });
    const insider = issueSigningIdentity(core.ctx.db, { commonName: 'Dr Robert Berg', password: 'z', now: new Date() });
    const file = write('forged-appended-insider.pdf', await signPdf(painted, { p12: insider.p12, passphrase: 'z', name: 'Dr Robert Berg', reason: 'Countersigned', fieldName: 'countersign' }));
    const v = await verify(file);
    expect(v.signatures.map((s) => s.trust)).toEqual(['chained', 'chained']);
    expect(v.intact).toBe(false);
    expect(v.problems).toContain("revision 2 (with signature 2, Dr Robert Berg) changes more than a signature: page 1's content or resources changed (something was drawn on it)");
    // and this database recorded another SHA-256 for the file it exported
    expect(v.exportRecord).toBe('differs');
  });

  it('one byte flipped inside the embedded certificate\'s self-signature: the fingerprint changes and the certificate no longer chains', async () => {
    const [, b, c] = (await verifyMinutesPdf(genuine)).signatures[0]!.byteRange;
    const hex = genuine.subarray(b + 1, c - 1).toString('latin1');
    const der = Buffer.from(hex, 'hex');
    // The signer's certificate ends with its 256-byte RSA signature; find it by the certificate's DER.
    const certDer = Buffer.from(
      (core.ctx.db.prepare('SELECT certificate FROM user_pdf_identity WHERE fingerprint = ?').get(exported.signedBy.certificateFingerprint) as { certificate: string }).certificate.replace(/-----[^-]+-----|\s/g, ''),
      'base64',
    );
    const at = der.indexOf(certDer);
    expect(at).toBeGreaterThan(0);
    const flipAt = at + certDer.length - 100; // inside the certificate's signature value
    const bad = Buffer.from(genuine);
    const hexPos = b + 1 + 2 * flipAt;
    const old = bad.subarray(hexPos, hexPos + 2).toString('latin1');
    const flipped = (parseInt(old, 16) ^ 0x01).toString(16).padStart(2, '0');
    bad.write(old === old.toUpperCase() ? flipped.toUpperCase() : flipped, hexPos, 'latin1');
    const file = write('forged-cert-flip.pdf', bad);
    const v = await verify(file);
    expect(v.intact).toBe(false);
    expect(v.signatures[0]!.digestValid).toBe(true); // the signed bytes are untouched
    expect(v.signatures[0]!.certificateFingerprint).not.toBe(exported.signedBy.certificateFingerprint);
    expect(v.signatures[0]!.trust).toBe('untrusted');
    expect(v.problems.some((p) => p.startsWith('signature 1 (Susan Secretary): its certificate is not trusted: the certificate (issuer CN=DoseDesk signing authority'))).toBe(true);
  });

  it('a page-text change signed by an insider with a certificate this installation issued: the pages differ from the attached record', async () => {
    const insider = issueSigningIdentity(core.ctx.db, { commonName: 'Susan Secretary', organization: 'DoseDesk', password: 'w', now: new Date() });
    const manifest = await manifestOf(genuine);
    const fp = (await import('../../electron/core/minutes/authority')).fingerprintOf((await import('node-forge')).default.pki.certificateFromPem(insider.certificatePem));
    const m2 = { ...manifest, signer: { ...manifest.signer, certificateFingerprint: fp } };
    const unsigned = await renderMinutesPdf(forgedDocument(), {
      createdAt: new Date(m2.renderedAt),
      trust: { rootFingerprint: m2.trustRoot.fingerprint, rootSubject: m2.trustRoot.subject, signerFingerprint: fp, auditHead: m2.auditHead },
      manifestJson: JSON.stringify(m2, null, 2),
    });
    const file = write('forged-page-text.pdf', await signPdf(unsigned, { p12: insider.p12, passphrase: 'w', name: 'Susan Secretary', reason: genuineReason(), fieldName: 'DoseDesk-export-sue' }));
    const v = await verify(file);
    expect(v.signatures[0]!.trust).toBe('chained');
    expect(v.intact).toBe(false);
    // only the pages that show the decision differ; the SHA-256 this database recorded at export differs too
    expect(v.pages!.differing.length).toBeGreaterThan(0);
    expect(v.pages!.differing.length).toBeLessThan(v.pages!.compared);
    expect(v.problems.some((p) => /^the visible text of pages? [\d, ]+ differs from the minutes rendered from the attached record$/.test(p))).toBe(true);
    expect(v.exportRecord).toBe('differs');
  });
});

function genuineReason(): string {
  return `Exported and certified by Susan Secretary: minutes of meeting ${held.meetingId} version 1 (signed), record SHA-256 ${exported.verification.record!.recordHash}`;
}

describe('legacy minutes (exported before the trust root; test/fixtures/minutes)', () => {
  it('in the database that exported them (opened and migrated by today\'s code): intact as legacy, SHA-256 as recorded at export', async () => {
    const legacyDb = path.join(dir, 'legacy.sqlite');
    fs.writeFileSync(legacyDb, zlib.gunzipSync(fs.readFileSync(path.join(FIXTURES, 'legacy-2026-12-03-db.sqlite.gz'))));
    const c = createCore({ dbPath: legacyDb });
    try {
      const v = await c.call('minutes.verify', { path: LEGACY_PDF });
      expect(v.problems).toEqual([]);
      expect(v.status).toBe('legacy');
      expect(v.intact).toBe(true);
      expect(v.signatures[0]).toMatchObject({ trust: 'legacy', knownUser: 'Susan Secretary' });
      expect(v.signatures[0]!.trustDetail).toMatch(/^legacy: not chained to a root/);
      expect(v.exportRecord).toBe('matches');
      expect(v.pages).toBeNull();
      // a byte changed in the legacy file: not intact
      const bad = Buffer.from(fs.readFileSync(LEGACY_PDF));
      const at = bad.indexOf('/Producer');
      bad[at + 1] = 'p'.charCodeAt(0);
      expect((await c.call('minutes.verify', { pdfBase64: bad.toString('base64') })).status).toBe('not-intact');
      // its audit chain (no checkpoint yet) still verifies after the migration
      expect((await c.call('audit.verify', {})).ok).toBe(true);
    } finally {
      c.close();
    }
  });

  it('on another machine: legacy with the pinned certificates of the trust file; NOT intact without', async () => {
    const other = createCore({ dbPath: path.join(dir, 'other-legacy.sqlite') });
    try {
      const v = await other.call('minutes.verify', { path: LEGACY_PDF, trust: [path.join(FIXTURES, 'legacy-2026-12-03-identities.pem')] });
      expect(v.problems).toEqual([]);
      expect(v.status).toBe('legacy');
      const w = await other.call('minutes.verify', { path: LEGACY_PDF });
      expect(w.status).toBe('not-intact');
      // one byte flipped in the legacy certificate's self-signature: no longer the pinned certificate
      const good = fs.readFileSync(LEGACY_PDF);
      const [, b, c] = (await verifyMinutesPdf(good)).signatures[0]!.byteRange;
      const der = Buffer.from(good.subarray(b + 1, c - 1).toString('latin1'), 'hex');
      const certDer = Buffer.from(fs.readFileSync(path.join(FIXTURES, 'legacy-2026-12-03-identities.pem'), 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64');
      const at = der.indexOf(certDer);
      expect(at).toBeGreaterThan(0);
      const bad = Buffer.from(good);
      const hexPos = b + 1 + 2 * (at + certDer.length - 100);
      const old = bad.subarray(hexPos, hexPos + 2).toString('latin1');
      const flipped = (parseInt(old, 16) ^ 0x01).toString(16).padStart(2, '0');
      bad.write(old === old.toUpperCase() ? flipped.toUpperCase() : flipped, hexPos, 'latin1');
      const x = await other.call('minutes.verify', { pdfBase64: bad.toString('base64'), trust: [path.join(FIXTURES, 'legacy-2026-12-03-identities.pem')] });
      expect(x.status).toBe('not-intact');
      expect(x.signatures[0]!.digestValid).toBe(true);
      expect(x.signatures[0]!.trust).toBe('untrusted');
    } finally {
      other.close();
    }
  });
});

describe('the anchored audit trail', () => {
  /** A copy of the exporting database (WAL checkpointed) to tamper with, as an attacker with the file. */
  function copyDb(name: string): string {
    core.ctx.db.pragma('wal_checkpoint(TRUNCATE)');
    const f = path.join(dir, name);
    fs.copyFileSync(dbPath, f);
    return f;
  }
  async function auditVerify(file: string) {
    const c = createCore({ dbPath: file });
    try {
      return await c.call('audit.verify', {});
    } finally {
      c.close();
    }
  }
  const tamper = (file: string, fn: (db: Database.Database) => void) => {
    const db = new Database(file);
    db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    fn(db);
    db.close();
  };
  /** Recompute every hash from `fromSeq` on, as an attacker who knows the algorithm would. */
  const rechain = (db: Database.Database) => {
    let prev = GENESIS_HASH;
    const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Record<string, unknown>[];
    for (const r of rows) {
      const { hash: _h, ...rest } = r;
      const row = { ...rest, prev_hash: prev } as Parameters<typeof auditEntryHash>[0];
      const h = auditEntryHash(row);
      db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, h, r.seq);
      prev = h;
    }
  };

  it('has a checkpoint per e-signature and per export, and verifies', async () => {
    const r = await core.call('audit.verify', {});
    expect(r.ok).toBe(true);
    // two e-signatures (chair, member) and at least one export
    expect(r.checkpoints).toBeGreaterThanOrEqual(3);
  });

  it('deleting the newest entries is broken', async () => {
    const f = copyDb('truncated.sqlite');
    tamper(f, (db) => {
      const max = (db.prepare('SELECT MAX(seq) AS m FROM audit_log').get() as { m: number }).m;
      db.prepare('DELETE FROM audit_log WHERE seq > ?').run(max - 3);
    });
    const r = await auditVerify(f);
    expect(r.ok).toBe(false);
    expect(r.firstBroken!.problem).toMatch(/which is no longer in the trail: the newest entries were deleted$/);
  });

  it('recomputing the chain after an edit is broken', async () => {
    const f = copyDb('rechained.sqlite');
    tamper(f, (db) => {
      db.prepare("UPDATE audit_log SET reason = 'nothing happened' WHERE seq = 3").run();
      rechain(db);
    });
    const r = await auditVerify(f);
    expect(r.ok).toBe(false);
    expect(r.firstBroken!.problem).toMatch(/the chain was rewritten$/);
  });

  it('emptying the table is broken (checkpoints exist; and users and signatures exist)', async () => {
    const f = copyDb('emptied.sqlite');
    tamper(f, (db) => db.exec('DELETE FROM audit_log'));
    const r = await auditVerify(f);
    expect(r.ok).toBe(false);
    expect(r.entries).toBe(0);
    expect(r.firstBroken!.problem).toMatch(/^the audit trail is empty, but checkpoint 1 .* the table was emptied$/);
    // and with the checkpoints deleted too: the users and signatures still tell
    const g = copyDb('emptied-all.sqlite');
    tamper(g, (db) => db.exec('DROP TRIGGER audit_checkpoint_no_delete; DELETE FROM audit_checkpoint; DELETE FROM audit_log;'));
    const r2 = await auditVerify(g);
    expect(r2.ok).toBe(false);
    expect(r2.firstBroken!.problem).toMatch(/^the audit trail is empty while \d+ user account\(s\) and 2 signature\(s\) exist: the table was emptied$/);
  });

  it('each e-signature signs the audit head into its Part 11 payload: with every checkpoint deleted too, the truncation is still broken', async () => {
    const sigs = held.signed.signatures;
    expect(sigs.every((s) => s.auditHead !== undefined)).toBe(true);
    // the head is inside what the signer's Ed25519 key signed: the exported record verifies, and an altered head does not
    const rec = JSON.parse(exported.recordJson);
    expect(rec.signatures[0].auditHead).toEqual(sigs[0]!.auditHead);
    expect((await core.call('meetings.verifyExport', { export: rec })).ok).toBe(true);
    rec.signatures[0].auditHead.seq -= 1;
    expect((await core.call('meetings.verifyExport', { export: rec })).signatures[0]!.valid).toBe(false);
    const f = copyDb('truncated-no-checkpoints.sqlite');
    const from = sigs[0]!.auditHead!.seq;
    tamper(f, (db) => db.exec(`DROP TRIGGER audit_checkpoint_no_delete; DELETE FROM audit_checkpoint; DELETE FROM audit_log WHERE seq >= ${from};`));
    const r = await auditVerify(f);
    expect(r.ok).toBe(false);
    expect(r.firstBroken!.problem).toMatch(new RegExp(`signed audit entry ${from}, which is no longer in the trail: entries were deleted$`));
  });

  it('a checkpoint not signed by the authority (forged to match a rewritten chain) is broken', async () => {
    const f = copyDb('forged-checkpoint.sqlite');
    tamper(f, (db) => {
      db.exec('DROP TRIGGER audit_checkpoint_no_update');
      db.prepare("UPDATE audit_log SET reason = 'nothing happened' WHERE seq = 3").run();
      rechain(db);
      for (const c of db.prepare('SELECT checkpoint_id, seq FROM audit_checkpoint').all() as { checkpoint_id: number; seq: number }[]) {
        const h = (db.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(c.seq) as { hash: string }).hash;
        db.prepare('UPDATE audit_checkpoint SET hash = ? WHERE checkpoint_id = ?').run(h, c.checkpoint_id);
      }
    });
    const r = await auditVerify(f);
    expect(r.ok).toBe(false);
    expect(r.firstBroken!.problem).toMatch(/is not signed by this installation's signing authority/);
  });
});

describe('every script in the signed minutes', () => {
  const HAS_PDFTOTEXT = spawnSync('pdftotext', ['-v']).error === undefined;
  it.skipIf(!HAS_PDFTOTEXT)('Chinese, Japanese, Korean and Arabic appear in the PDF text; an RLO and an uncovered emoji are shown with their code points; pdfsig validates; verify intact', async () => {
    const m = await core.call('meetings.create', {
      session: held.sue,
      snapshotId: held.snapshotId,
      levels: [held.level],
      title: '安全审查委员会 会議 안전성 검토 اجتماع لجنة السلامة',
      meetingNumber: '7',
      startAt: '2025-09-01T15:00+02:00',
      endAt: '2025-09-01T16:00+02:00',
      timeZone: 'Europe/Berlin',
      format: 'video',
      attendees: [
        { userId: held.users.carol.userId, name: '陈卡罗尔', role: 'chair', voting: true, present: true, affiliation: 'مستشفى' },
        { userId: held.users.bob.userId, name: 'Dr Robert Berg', role: 'voting-member', voting: true, present: true, affiliation: 'Site 02' },
      ],
    });
    await core.call('meetings.update', {
      session: held.sue,
      meetingId: m.meetingId,
      version: 1,
      changes: {
        conflicts: [],
        levels: [
          {
            level: held.level,
            decision: { decision: 'stay', nextLevel: held.level, nextDose: null, cohortSize: 3, rationale: '委员会决定继续观察 (the committee stays).', conditions: '' },
            votes: [
              { userId: held.users.carol.userId, vote: 'for', comment: '' },
              { userId: held.users.bob.userId, vote: 'for', comment: '' },
            ],
          },
        ],
        observations: { safety: 'Reviewed \u202Eetalacse\u202C by the chair 🧬 and 日本語のメモ.', pk: '', efficacy: '' },
      },
    });
    await core.call('meetings.finalize', { session: held.sue, meetingId: m.meetingId, version: 1 });
    const out = path.join(dir, 'scripts.pdf');
    const r = await core.call('minutes.export', { session: held.sue, meetingId: m.meetingId, password: held.users.sue.password, outPath: out });
    expect(r.verification.problems).toEqual([]);
    expect(r.verification.status).toBe('intact');
    expect(r.verification.pages!.differing).toEqual([]);
    const text = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' });
    for (const word of ['安全审查委员会', '会議', '안전성', '검토', 'اجتماع', 'لجنة', '陈卡罗尔', '日本語のメモ']) expect(text).toContain(word);
    // the override is shown, not obeyed: the reversed word stays as typed, between visible markers
    expect(text).toContain('⟨U+202E⟩etalacse⟨U+202C⟩');
    expect(text).not.toContain('\u202E');
    // U+1F9EC (DNA) is in none of the fonts: a visible placeholder, never "?"
    expect(text).toContain('⟨U+1F9EC⟩');
    expect(text).not.toMatch(/chair \?/);
    if (HAS_PDFSIG) {
      const sig = execFileSync('pdfsig', [out], { encoding: 'utf8' });
      expect(sig).toContain('Signature is Valid.');
      expect(sig).toContain('Total document signed');
    }
    const fonts = execFileSync('pdffonts', [out], { encoding: 'utf8' });
    expect(fonts).toMatch(/DroidSansFallback/); // embedded (subset) from fonts-droid-fallback
  }, 120_000);
});
