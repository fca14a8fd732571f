/**
 * Signed minutes end to end through the contract (issue 5 "Minutes"; docs/CLINICAL_RULES.md#meetings; 21 CFR 11.50,
 * 11.70, 11.200; ISO 32000-1 §12.8 for the PDF signature): a meeting held on the shipped demo study
 * (resources/demo/cut1), locked and signed by the chair and a voting member, exported by the
 * secretary (minutes.export) to a real file on a real SQLite database, then checked with poppler's
 * pdfsig (the outside tool) and minutes.verify, and again after tampering.
 *
 * The exported pages are rendered to test-results/minutes/export-*.png (pdftoppm -r 70) to be looked at.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument as IncDocument, StandardFonts as IncFonts } from '@cantoo/pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import type { Output } from '../../shared/contract';
import { pdfsigReport, verifyMinutesPdf } from '../../electron/core/minutes';
import { useScryptParamsForTests } from '../../electron/core/users/crypto';
import { tmpDir } from '../helpers/snapshot';
import { holdSignedMeeting, type HeldMeeting } from './minutes-helpers';

const OUT = path.resolve(__dirname, '../../test-results/minutes');

function hasTool(name: string): boolean {
  try {
    execFileSync(name, ['-v'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}
const HAS_PDFSIG = hasTool('pdfsig');
const HAS_PDFTOPPM = hasTool('pdftoppm');
const HAS_PDFTOTEXT = hasTool('pdftotext');
const NO_PDFSIG = 'pdfsig (poppler-utils) is not installed: the outside check cannot run';

let dir: string;
let core: Core;
let held: HeldMeeting;
let pdfPath: string;
let exported: Output<'minutes.export'>;

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  useScryptParamsForTests({ N: 2 ** 10, r: 8, p: 1 });
  dir = tmpDir('dosedesk-minutes-export-');
  core = createCore({ dbPath: path.join(dir, 'db.sqlite') });
  held = await holdSignedMeeting(core);
  pdfPath = path.join(dir, 'out', 'SRC-minutes.pdf');
}, 120_000);
afterAll(() => {
  core?.close();
  fs.rmSync(dir, { recursive: true, force: true });
  useScryptParamsForTests(null);
});

const exportToFile = () => core.call('minutes.export', { session: held.sue, meetingId: held.meetingId, password: held.users.sue.password, outPath: pdfPath });

describe('minutes.export of a signed meeting to a file', () => {
  let r: Awaited<ReturnType<typeof exportToFile>>;
  beforeAll(async () => {
    r = await exportToFile();
    exported = r;
  }, 60_000);

  it('writes the PDF and the JSON record beside it; the result describes what was written', () => {
    expect(held.signed.status).toBe('signed');
    expect(r.pdfPath).toBe(pdfPath);
    expect(r.fileName).toBe('SRC-minutes.pdf');
    expect(r.pdfBase64).toBeUndefined();
    expect(r.jsonFileName).toBe('SRC-minutes.json');
    expect(r.jsonPath).toBe(path.join(dir, 'out', 'SRC-minutes.json'));
    const bytes = fs.readFileSync(pdfPath);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(r.sha256).toBe(sha256(bytes));
    expect(r.bytes).toBe(bytes.length);
    expect(fs.readFileSync(r.jsonPath!, 'utf8')).toBe(r.recordJson);
    expect(r.signedBy).toMatchObject({ username: 'sue', printedName: 'Susan Secretary', userId: held.users.sue.userId });
    expect(r.signedBy.certificateFingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(r.status).toBe('signed');
    expect([r.meetingId, r.version]).toEqual([held.meetingId, 1]);
  });

  it('the JSON record is the meeting export with its Part 11 signatures, and it verifies offline', async () => {
    const rec = JSON.parse(r.recordJson);
    expect(rec.format).toBe('dosedesk.meeting-export/1');
    expect(rec.recordHash).toBe(held.signed.recordHash);
    expect(rec.record.content.snapshot.contentHash).toBe(held.contentHash);
    const check = await core.call('meetings.verifyExport', { export: rec });
    expect(check.ok).toBe(true);
    expect(check.signatures.map((s) => [s.printedName, s.meaning, s.valid])).toEqual([
      ['Dr Carol Chen', 'approved', true],
      ['Dr Robert Berg', 'reviewed', true],
    ]);
  });

  it('the file it wrote was verified before returning: intact', () => {
    expect(r.verification.problems).toEqual([]);
    expect(r.verification.intact).toBe(true);
    expect(r.verification.sha256).toBe(r.sha256);
  });

  it.skipIf(!HAS_PDFSIG)(`pdfsig: "Signature is Valid." and "Total document signed" (the outside tool)${HAS_PDFSIG ? '' : ` - SKIPPED: ${NO_PDFSIG}`}`, async () => {
    const out = execFileSync('pdfsig', [pdfPath], { encoding: 'utf8' });
    expect(out).toContain('Signature is Valid.');
    expect(out).toContain('Total document signed');
    expect(out).toContain('Signer Certificate Common Name: Susan Secretary');
    expect(out).toContain('adbe.pkcs7.detached');
  });

  it('minutes.verify on the file: intact, who signed the PDF, the record signers with their meanings, the snapshot', async () => {
    const v = await core.call('minutes.verify', { path: pdfPath });
    expect(v.intact).toBe(true);
    expect(v.problems).toEqual([]);
    expect(v.sha256).toBe(r.sha256);
    expect(v.signatures).toHaveLength(1);
    const s = v.signatures[0]!;
    expect(s).toMatchObject({ name: 'Susan Secretary', knownUser: 'Susan Secretary', digestValid: true, signatureValid: true, coversWholeFile: true, certificateFingerprint: r.signedBy.certificateFingerprint });
    expect(s.reason).toContain(`record SHA-256 ${held.signed.recordHash}`);
    expect(Date.parse(s.signedAt!)).toBeGreaterThan(0);
    expect(v.record).toMatchObject({ meetingId: held.meetingId, version: 1, status: 'signed', recordHash: held.signed.recordHash, exportedBy: 'sue' });
    expect(v.record!.snapshot.contentHash).toBe(held.contentHash);
    expect(v.record!.snapshot.dataCutoff).toBe('2025-08-22'); // resources/demo/cut1.truth.json "cutoff"
    expect(v.record!.signatures.map((x) => [x.printedName, x.meaning, x.valid])).toEqual([
      ['Dr Carol Chen', 'approved', true],
      ['Dr Robert Berg', 'reviewed', true],
    ]);
    expect(v.record!.signatures.map((x) => x.signedAt)).toEqual(held.signed.signatures.map((x) => x.signedAt));
    expect(v.recordCheck?.ok).toBe(true);
    expect(v.snapshotKnown).toBe(true);
    if (HAS_PDFSIG) {
      expect(v.pdfsig?.signatures.map((x) => [x.validation, x.totalDocumentSigned])).toEqual([['Signature is Valid.', true]]);
    } else expect(v.pdfsig).toBeNull();
  });

  it('minutes.verify on the bytes (pdfBase64) says the same', async () => {
    const v = await core.call('minutes.verify', { pdfBase64: fs.readFileSync(pdfPath).toString('base64') });
    expect(v.intact).toBe(true);
    expect(v.record?.recordHash).toBe(held.signed.recordHash);
  });

  it('the export is audited with the PDF\'s SHA-256 (after the record export entry)', async () => {
    const entries = await core.call('audit.list', { action: 'export' });
    const minutes = entries.filter((e) => e.entity === 'minutes');
    expect(minutes).toHaveLength(1);
    expect(minutes[0]!.user).toBe('sue');
    expect(minutes[0]!.entityId).toBe(String(held.meetingId));
    expect(minutes[0]!.newValue).toMatchObject({ version: 1, pdfSha256: r.sha256, fileName: 'SRC-minutes.pdf', certificateSha256: r.signedBy.certificateFingerprint, intact: true });
    const record = entries.filter((e) => e.entity === 'meeting');
    expect(record.length).toBeGreaterThan(0);
    expect(record[record.length - 1]!.seq).toBeLessThan(minutes[0]!.seq);
    expect((await core.call('audit.verify', {})).ok).toBe(true);
    const ids = await core.call('audit.list', { entity: 'pdf-signing-identity' });
    expect(ids.map((e) => [e.action, e.user, (e.newValue as { certificateSha256: string }).certificateSha256])).toEqual([['create', 'sue', r.signedBy.certificateFingerprint]]);
  });

  it.skipIf(!HAS_PDFTOTEXT)('the PDF reads as the minutes: snapshot hash, decision, signers and meanings', () => {
    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain(held.contentHash);
    expect(text).toContain('De-escalate');
    expect(text).toContain('Dr Carol Chen');
    expect(text).toContain('Approved as Chair');
    expect(text).toContain('Reviewed as Voting member');
    expect(text).toContain('Tally – For: 2');
  });

  it.skipIf(!HAS_PDFTOPPM)('renders its pages to test-results/minutes/export-*.png', () => {
    fs.mkdirSync(OUT, { recursive: true });
    for (const f of fs.readdirSync(OUT)) if (f.startsWith('export-')) fs.rmSync(path.join(OUT, f));
    fs.copyFileSync(pdfPath, path.join(OUT, 'export-minutes.pdf'));
    execFileSync('pdftoppm', ['-r', '70', '-png', pdfPath, path.join(OUT, 'export')]);
    const pngs = fs.readdirSync(OUT).filter((f) => /^export-\d+\.png$/.test(f));
    expect(pngs.length).toBeGreaterThanOrEqual(4);
  });

  it('a second export reuses the user\'s signing identity (same certificate)', async () => {
    const again = await core.call('minutes.export', { session: held.sue, meetingId: held.meetingId, version: 1, password: held.users.sue.password });
    expect(again.signedBy.certificateFingerprint).toBe(r.signedBy.certificateFingerprint);
    expect(again.pdfPath).toBeNull();
    expect(again.jsonPath).toBeNull();
    expect(again.fileName).toBe(`IBB0979_meeting-${held.meetingId}_v1_minutes.pdf`);
    expect(again.jsonFileName).toBe(`IBB0979_meeting-${held.meetingId}_v1_minutes.json`);
    const bytes = Buffer.from(again.pdfBase64!, 'base64');
    expect(sha256(bytes)).toBe(again.sha256);
    expect(again.verification.intact).toBe(true);
  });
});

describe('a tampered file is not intact', () => {
  let good: Buffer;
  beforeAll(() => {
    good = fs.readFileSync(pdfPath);
  });

  it('one byte changed inside the signed range (the title: "level 6" -> "level 7"): pdfsig "Digest Mismatch.", verify says what no longer matches', async () => {
    // The document title is stored as UTF-16BE hex; "level 6" ends in 0036 ('6').
    const needle = Buffer.from('006C006500760065006C00200036', 'latin1');
    const at = good.indexOf(needle);
    expect(at).toBeGreaterThan(0);
    const bad = Buffer.from(good);
    const pos = at + needle.length - 1; // the last hex digit of 0036
    bad[pos] = '7'.charCodeAt(0);
    // inside the signed range: [a, a+b) or [c, c+d) of the signature's ByteRange
    const [a, b, c, d] = (await verifyMinutesPdf(good)).signatures[0]!.byteRange;
    expect((pos >= a && pos < a + b) || (pos >= c && pos < c + d)).toBe(true);
    const file = path.join(dir, 'tampered-byte.pdf');
    fs.writeFileSync(file, bad);
    const v = await core.call('minutes.verify', { path: file });
    expect(v.intact).toBe(false);
    expect(v.signatures[0]!.digestValid).toBe(false);
    expect(v.problems).toContain('signature 1 (Susan Secretary): the signed bytes changed (digest mismatch)');
    if (HAS_PDFSIG) {
      const out = execFileSync('pdfsig', [file], { encoding: 'utf8' });
      expect(out).toContain('Digest Mismatch.');
      expect(v.problems).toContain('pdfsig (poppler) reports signature #1 (Susan Secretary): Digest Mismatch.');
    }
  });

  it('an unsigned incremental update appended after the signature: not intact (the signature no longer covers the whole file)', async () => {
    const edit = await IncDocument.load(good, { forIncrementalUpdate: true, updateMetadata: false });
    const font = await edit.embedFont(IncFonts.HelveticaBold);
    edit.getPage(2).drawText('DECISION: ESCALATE', { x: 80, y: 420, size: 28, font });
    const bad = Buffer.from(await edit.commit({ useObjectStreams: false }));
    expect(bad.subarray(0, good.length).equals(good)).toBe(true);
    const file = path.join(dir, 'tampered-appended.pdf');
    fs.writeFileSync(file, bad);
    const v = await core.call('minutes.verify', { path: file });
    expect(v.intact).toBe(false);
    // the signed bytes themselves are untouched ...
    expect(v.signatures[0]).toMatchObject({ digestValid: true, signatureValid: true, coversWholeFile: false });
    // ... but something was added after the signature
    expect(v.problems[0]).toMatch(/^bytes were appended after the last signature \(\d+ unsigned bytes at the end of the file; signature 1 does not cover the whole document\)$/);
    if (HAS_PDFSIG) {
      const r = await pdfsigReport(file);
      expect(r.signatures.map((s) => [s.validation, s.totalDocumentSigned])).toEqual([['Signature is Valid.', false]]);
      expect(r.output).toContain('Not total document signed');
    }
  });

  it('the attached record swapped for an edited one (PDF re-signed by an outsider): the record no longer verifies', async () => {
    // What a forger could do without the signers' keys: edit the record JSON and produce a new PDF.
    const rec = JSON.parse(exported.recordJson);
    rec.record.content.levels[0].decision.decision = 'escalate';
    const check = await core.call('meetings.verifyExport', { export: rec });
    expect(check.recordHashOk).toBe(false);
    expect(check.signatures.every((s) => !s.valid)).toBe(true);
  });
});

describe('refusals', () => {
  it('a wrong export password is refused and counts as a failed attempt (11.300(d))', async () => {
    const before = (core.ctx.db.prepare('SELECT failed_attempts n FROM app_user WHERE username = ?').get('sue') as { n: number }).n;
    await expect(core.call('minutes.export', { session: held.sue, meetingId: held.meetingId, password: 'not-the-password', outPath: path.join(dir, 'wrong.pdf') })).rejects.toThrow('wrong user id or password');
    expect(fs.existsSync(path.join(dir, 'wrong.pdf'))).toBe(false);
    const after = (core.ctx.db.prepare('SELECT failed_attempts n FROM app_user WHERE username = ?').get('sue') as { n: number }).n;
    expect(after).toBe(before + 1);
    const failed = await core.call('audit.list', { action: 'sign-failed', user: 'sue' });
    expect(failed[failed.length - 1]!.reason).toMatch(/wrong password \(1 of 5\)/);
    // the right password works again and resets the count
    await core.call('minutes.export', { session: held.sue, meetingId: held.meetingId, password: held.users.sue.password });
    expect((core.ctx.db.prepare('SELECT failed_attempts n FROM app_user WHERE username = ?').get('sue') as { n: number }).n).toBe(0);
  }, 60_000);

  it('a draft is refused: only a locked version is exported as signed minutes', async () => {
    const draft = await core.call('meetings.create', {
      session: held.sue,
      snapshotId: held.snapshotId,
      levels: [held.level],
      title: 'Draft meeting',
      startAt: '2025-09-01T15:00+02:00',
      timeZone: 'Europe/Berlin',
      attendees: [],
    });
    expect(draft.status).toBe('draft');
    await expect(core.call('minutes.export', { session: held.sue, meetingId: draft.meetingId, password: held.users.sue.password })).rejects.toThrow(/is a draft: only a locked version \(final, signed or distributed\) is exported/);
  });

  it('without a live session: refused', async () => {
    await expect(core.call('minutes.export', { session: 'x'.repeat(43), meetingId: held.meetingId, password: held.users.sue.password })).rejects.toThrow(/not logged in/);
  });

  it('verify needs exactly one of path and pdfBase64; a missing file is named', async () => {
    await expect(core.call('minutes.verify', {})).rejects.toThrow(/give either path or pdfBase64/);
    await expect(core.call('minutes.verify', { path: path.join(dir, 'nope.pdf') })).rejects.toThrow(/cannot read .*nope\.pdf: ENOENT/);
  });

  it('a file that is not signed minutes: not intact, and it says why', async () => {
    const v = await core.call('minutes.verify', { pdfBase64: Buffer.from('%PDF-1.7\nnot really\n').toString('base64') });
    expect(v.intact).toBe(false);
    expect(v.problems).toContain('the file carries no PDF digital signature');
    expect(v.record).toBeNull();
    expect(v.snapshotKnown).toBeNull();
  });

  it('after a password change the old identity is retired and a new certificate issued; files signed with the old one are still recognised', async () => {
    const old = exported.signedBy;
    await core.call('auth.changePassword', { username: 'sue', oldPassword: held.users.sue.password, newPassword: 'Secretary-password-4' });
    const sue = (await core.call('auth.login', { username: 'sue', password: 'Secretary-password-4' })).session;
    const r = await core.call('minutes.export', { session: sue, meetingId: held.meetingId, password: 'Secretary-password-4' });
    expect(r.signedBy.certificateFingerprint).not.toBe(old.certificateFingerprint);
    const v = await core.call('minutes.verify', { path: pdfPath });
    expect(v.signatures[0]!.knownUser).toBe('Susan Secretary');
    const retired = core.ctx.db.prepare('SELECT fingerprint, retired_at IS NOT NULL retired FROM user_pdf_identity ORDER BY identity_id').all();
    expect(retired).toEqual([
      { fingerprint: old.certificateFingerprint, retired: 1 },
      { fingerprint: r.signedBy.certificateFingerprint, retired: 0 },
    ]);
  }, 60_000);
});
