import { createCipheriv, createDecipheriv, createHash, randomBytes, scrypt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Forge from 'node-forge';
import { requireOnUse } from '../lazy';
import type { z } from 'zod';
import { contract, type Output } from '../../../shared/contract';
import { MeetingExport } from '../../../shared/api/meetings';
import type { AttachedRecordSummary, MinutesVerifyResult, PdfSignatureCheck } from '../../../shared/api/minutes';
import { CallError, type App, type CoreContext } from '../context';
import { stamp } from '../audit/clock';
import { appendAudit } from '../audit/log';
import { exportRecord } from '../meetings/app';
import { minutesDocument } from '../meetings/minutes';
import { verifyExport } from '../meetings/sign';
import { loadVersion } from '../meetings/queries';
import { authenticate, type UserRow } from '../users/accounts';
import { signedIn } from '../access/actor';
import type { renderMinutesPdf, MinutesVerification, PdfsigReport } from './index';
import { anchorAudit, auditHead, ensureLocalAuthority } from '../audit/anchor';
import { issueSigningIdentity, issuedBy, localAuthority, mergeTrust, parseTrustBundle, type TrustStore } from './authority';
import { MANIFEST_ATTACHMENT_NAME, MINUTES_RENDERER } from './document';
import {
  allIdentityCertificates,
  auditHashAt,
  currentIdentity,
  identityCertificatesWithNames,
  insertIdentity,
  minutesExportAudits,
  printedNameByFingerprint,
  retireIdentity,
  snapshotWithContentHash,
} from './queries';

// node-forge is loaded at first use (certificates), not by every command that imports this module.
const forge = requireOnUse<typeof Forge>('node-forge');

// The PDF and signing stack (pdf-lib, fontkit, @signpdf) is imported by the handlers that draw, sign
// or read a PDF, when they run: a command that never touches a PDF (`dosedesk ci`) does not load it.
const loadPdfStack = async () => ({ ...(await import('./index')), ...(await import('./verify')) });
let pdfStackLoading: ReturnType<typeof loadPdfStack> | undefined;
const pdfStack = (): ReturnType<typeof loadPdfStack> =>
  (pdfStackLoading ??= loadPdfStack().catch((e: unknown) => {
    pdfStackLoading = undefined; // tried again at the next use, where the error is reported
    throw e;
  }));

/** Starts loading the PDF stack without waiting for it (the app: the first export then finds it loaded). */
export function preloadPdfStack(): void {
  pdfStack().catch(() => undefined);
}

// Handlers of the signed minutes (issue 5 "Minutes"; docs/CLINICAL_RULES.md#meetings;
// contract in shared/api/minutes.ts).
//
// minutes.export: a locked record version (final / signed / distributed; drafts are refused: a draft
// is not a record anyone may file) -> meetings.exportRecord (the record with its Part 11 signatures,
// public keys, figures and audit entries) -> minutesDocument -> renderMinutesPdf (the export attached
// as minutes-record.json) -> one PDF digital signature (adbe.pkcs7.detached, ISO 32000-1 §12.8) by the
// exporting user, over the whole file. The user re-enters the password (21 CFR 11.200(a)(1)(ii)); a
// wrong one counts towards lock-out like any failed signature (11.300(d)). The password unlocks the
// user's PDF signing identity. The export is audited with the PDF's SHA-256.
//
// minutes.verify: verifyMinutesPdf (every PDF signature's digest and certificate, chained to a trusted
// root (authority.ts); the LAST must cover the whole file; a later revision may add nothing but a
// signature) + meetings.verifyExport on the attached record (record hash, figure hashes, every
// Ed25519 signature) + the pages re-rendered from the attached record and compared with the file's
// (page content streams) + the SHA-256 and audit head recorded at export when this database exported
// it + whether the cited snapshot is in this database + poppler's pdfsig as a second opinion.
//
// Issue 11 ("Trust"): since the trust root, an export also attaches minutes-manifest.json (record
// hash, the root's and the signer's certificate fingerprints, the audit chain's head) and prints the
// root's fingerprint and the audit head on the signatures page; a signed audit checkpoint is written.
// Files without a manifest are legacy (self-signed certificate): they verify as "legacy" only when
// their certificate is pinned (known to this database, or in a trust file).

type In<M extends keyof typeof contract> = z.output<(typeof contract)[M]['input']>;

export function registerMinutes(app: App): void {
  app.method('minutes.export', (input, ctx) => exportMinutes(ctx, input));
  app.method('minutes.verify', async (input, ctx) => {
    if (input.path !== undefined) {
      const p = path.resolve(input.path);
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(p);
      } catch (e) {
        throw new CallError('not-found', `cannot read ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      return verifyMinutes(ctx, bytes, p, input);
    }
    return verifyMinutes(ctx, Buffer.from(input.pdfBase64!, 'base64'), null, input);
  });
  app.method('minutes.trustRoot', (_input, ctx) => trustRoot(ctx));
  app.method('minutes.exportTrust', (input, ctx) => exportTrust(ctx, input));
}

// ---- the PDF signing identity -----------------------------------------------------------------------

/**
 * The PKCS#12 at rest: AES-256-GCM under a 32-byte key from scrypt (RFC 7914; N = 2^15, r = 8, p = 1,
 * 16-byte salt) of the password, on top of the PKCS#12's own password protection (PBES2/AES-256),
 * so that the file's weaker PBKDF2 is not what guards the key in the database.
 */
interface SealedP12 {
  v: 1;
  kdf: 'scrypt';
  N: number;
  r: number;
  p: number;
  cipher: 'aes-256-gcm';
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

const SEAL_PARAMS = { N: 2 ** 15, r: 8, p: 1 };

function scryptKey(password: string, salt: Buffer, prm: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, 32, { ...prm, maxmem: 256 * prm.N * prm.r + 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

async function sealP12(p12: Uint8Array, password: string): Promise<SealedP12> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await scryptKey(password, salt, SEAL_PARAMS);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([c.update(p12), c.final()]);
  return { v: 1, kdf: 'scrypt', ...SEAL_PARAMS, cipher: 'aes-256-gcm', salt: salt.toString('base64'), iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64'), data: data.toString('base64') };
}

/** The PKCS#12 bytes, or null when the password does not open them (it changed since). */
async function openP12(sealed: SealedP12, password: string): Promise<Uint8Array | null> {
  try {
    const key = await scryptKey(password, Buffer.from(sealed.salt, 'base64'), sealed);
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    d.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return new Uint8Array(Buffer.concat([d.update(Buffer.from(sealed.data, 'base64')), d.final()]));
  } catch {
    return null;
  }
}

/** SHA-256 (hex) of a certificate's DER: the fingerprint pdfsig and verifyMinutesPdf report. */
export function certificateFingerprint(pem: string): string {
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(pem))).getBytes();
  return createHash('sha256').update(Buffer.from(der, 'binary')).digest('hex');
}

interface OpenIdentity {
  identityId: number;
  fingerprint: string;
  p12: Uint8Array;
}

/**
 * The user's current PDF signing identity, opened with the (already verified) password; created on
 * first use. When the password no longer opens it (changed or reset since), it is retired and a new
 * one issued: old certificates stay in the table so that files signed with them are still recognised.
 */
async function signingIdentity(ctx: CoreContext, u: UserRow, password: string): Promise<OpenIdentity> {
  const current = currentIdentity(ctx.db, u.user_id);
  const authority = ensureLocalAuthority(ctx);
  // Only a certificate issued by this installation's authority signs; a legacy self-signed one is retired.
  const chained = current !== undefined && issuedBy(forge.pki.certificateFromPem(current.certificate), authority.certificate);
  if (current && chained) {
    const p12 = await openP12(JSON.parse(current.p12) as SealedP12, password);
    if (p12) return { identityId: current.identity_id, fingerprint: current.fingerprint, p12 };
  }
  const retiredReason = current && !chained ? 'not issued by the organisation signing authority (legacy self-signed certificate)' : 'password changed since it was issued';
  const id = issueSigningIdentity(ctx.db, { commonName: u.printed_name, organization: 'DoseDesk', password, now: new Date(ctx.clock()) });
  const fingerprint = certificateFingerprint(id.certificatePem);
  const sealed = await sealP12(id.p12, password);
  const now = stamp(ctx).iso;
  const identityId = ctx.db
    .transaction(() => {
      if (current) retireIdentity(ctx.db, current.identity_id, now, retiredReason);
      const newId = insertIdentity(ctx.db, u.user_id, id.certificatePem, fingerprint, JSON.stringify(sealed), now);
      appendAudit(ctx, {
        user: u.username,
        action: 'create',
        entity: 'pdf-signing-identity',
        entityId: newId,
        old: current ? { identityId: current.identity_id, fingerprint: current.fingerprint } : null,
        new: { identityId: newId, userId: u.user_id, commonName: u.printed_name, certificateSha256: fingerprint, issuerSha256: authority.fingerprint },
        reason: current ? retiredReason : 'first signed export',
      });
      return newId;
    })
    .immediate();
  return { identityId, fingerprint, p12: id.p12 };
}

// ---- minutes.export ------------------------------------------------------------------------------

const safeName = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'study';

/** `<study>_meeting-<id>_v<version>_minutes.pdf` */
export function minutesFileName(studyId: string, meetingId: number, version: number): string {
  return `${safeName(studyId)}_meeting-${meetingId}_v${version}_minutes.pdf`;
}

/** The JSON record's name beside the PDF: `<name>.json` for `<name>.pdf`. */
export const jsonFileNameFor = (pdfName: string): string => `${pdfName.replace(/\.pdf$/i, '')}.json`;

function writeFileAtomic(file: string, data: Uint8Array | string): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

async function exportMinutes(ctx: CoreContext, input: In<'minutes.export'>): Promise<Output<'minutes.export'>> {
  const exporter = signedIn(ctx, 'exporting minutes');
  const v = loadVersion(ctx.db, input.meetingId, input.version);
  const { meetingId, version } = v.record;
  if (v.row.status === 'draft') {
    throw new CallError('conflict', `meeting ${meetingId} version ${version} is a draft: only a locked version (final, signed or distributed) is exported as signed minutes; lock it first (meetings.finalize)`);
  }
  // 11.200(a)(1)(ii): the exporting user re-enters the password; a wrong one counts towards lock-out.
  const u = await authenticate(ctx, exporter.userId, input.password, 'sign');
  const identity = await signingIdentity(ctx, u, input.password);

  const exp = exportRecord(ctx, { meetingId, version, session: input.session });
  const doc = minutesDocument(exp);
  const authority = ensureLocalAuthority(ctx);
  const head = auditHead(ctx.db);
  if (!head) throw new CallError('internal', 'the audit trail is empty: nothing to anchor the minutes to');
  const when = ctx.clock();
  const manifest: MinutesManifest = {
    format: MANIFEST_FORMAT,
    meetingId,
    version,
    recordHash: exp.recordHash,
    trustRoot: { fingerprint: authority.fingerprint, subject: authority.subject },
    signer: { username: u.username, printedName: u.printed_name, certificateFingerprint: identity.fingerprint },
    auditHead: head,
    renderedAt: new Date(when).toISOString(),
    renderer: MINUTES_RENDERER,
  };
  // The pages' digests go into the signed manifest (an attachment, not drawn on a page): render,
  // take the digests, render again with them, and check that the pages did not change.
  const { renderMinutesPdf, pageDigests, signPdf } = await pdfStack();
  const draft = await renderMinutesPdf(doc, renderOptionsOf(manifest));
  manifest.pages = await pageDigests(draft);
  const unsigned = await renderMinutesPdf(doc, renderOptionsOf(manifest));
  const again = await pageDigests(unsigned);
  if (again.join() !== manifest.pages.join()) throw new CallError('internal', 'the minutes pages changed between two renderings of the same record');
  const signed = await signPdf(unsigned, {
    p12: identity.p12,
    passphrase: input.password,
    name: u.printed_name,
    reason: `Exported and certified by ${u.printed_name}: minutes of meeting ${meetingId} version ${version} (${exp.status}), record SHA-256 ${exp.recordHash}`,
    contactInfo: u.username,
    location: 'DoseDesk',
    fieldName: `DoseDesk-export-${u.username}`,
    signingTime: new Date(when),
  });
  const sha256 = createHash('sha256').update(signed).digest('hex');
  const recordJson = doc.recordJson;
  const exporting = { sha256, meetingId, version };

  let pdfPath: string | null = null;
  let jsonPath: string | null = null;
  let fileName = minutesFileName(exp.record.content.studyId, meetingId, version);
  let verification: MinutesVerifyResult;
  if (input.outPath) {
    pdfPath = path.resolve(input.outPath);
    fileName = path.basename(pdfPath);
    jsonPath = path.join(path.dirname(pdfPath), jsonFileNameFor(fileName));
    fs.mkdirSync(path.dirname(pdfPath), { recursive: true });
    writeFileAtomic(pdfPath, signed);
    writeFileAtomic(jsonPath, recordJson);
    verification = await verifyMinutes(ctx, fs.readFileSync(pdfPath), pdfPath, {}, exporting);
  } else {
    verification = await verifyMinutes(ctx, Buffer.from(signed), null, {}, exporting);
  }
  const jsonFileName = jsonFileNameFor(fileName);
  const at = stamp(ctx).iso;
  ctx.db.transaction(() => {
  appendAudit(ctx, {
    user: u.username,
    action: 'export',
    entity: 'minutes',
    entityId: meetingId,
    new: {
      version,
      status: exp.status,
      recordHash: exp.recordHash,
      fileName,
      path: pdfPath,
      pdfSha256: sha256,
      bytes: signed.byteLength,
      jsonFileName,
      jsonSha256: createHash('sha256').update(recordJson, 'utf8').digest('hex'),
      certificateSha256: identity.fingerprint,
      trustRootSha256: authority.fingerprint,
      auditHead: head,
      intact: verification.intact,
    },
  });
  anchorAudit(ctx, 'export', `minutes of meeting ${meetingId} version ${version}, PDF SHA-256 ${sha256}`);
  }).immediate();
  return {
    meetingId,
    version,
    status: exp.status,
    fileName,
    pdfPath,
    ...(pdfPath ? {} : { pdfBase64: Buffer.from(signed).toString('base64') }),
    jsonFileName,
    jsonPath,
    recordJson,
    sha256,
    bytes: signed.byteLength,
    signedBy: { userId: u.user_id, username: u.username, printedName: u.printed_name, certificateFingerprint: identity.fingerprint },
    trustRootFingerprint: authority.fingerprint,
    auditHead: head,
    exportedAt: at,
    verification,
  };
}

// ---- minutes.verify ------------------------------------------------------------------------------

function knownUser(ctx: CoreContext, fingerprint: string): string | null {
  if (!fingerprint) return null;
  return printedNameByFingerprint(ctx.db, fingerprint) ?? null;
}

const pdfsigOf = (r: PdfsigReport): NonNullable<MinutesVerifyResult['pdfsig']> => ({
  available: r.available,
  exitCode: r.exitCode,
  output: r.output,
  signatures: r.signatures.map((s) => ({
    index: s.index,
    fieldName: s.fieldName,
    commonName: s.commonName,
    signingTime: s.signingTime,
    signedRanges: s.signedRanges,
    totalDocumentSigned: s.totalDocumentSigned,
    validation: s.validation,
    signatureValid: s.signatureValid,
    certificateValidation: s.certificateValidation,
  })),
});

/** poppler's pdfsig on the bytes (on the file itself when there is one). */
async function runPdfsig(bytes: Buffer, file: string | null): Promise<PdfsigReport> {
  const { pdfsigReport } = await pdfStack();
  if (file) return pdfsigReport(file);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dosedesk-verify-'));
  try {
    const tmp = path.join(dir, 'minutes.pdf');
    fs.writeFileSync(tmp, bytes);
    return await pdfsigReport(tmp);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---- trust ---------------------------------------------------------------------------------------

/** The trust manifest attached to the minutes since issue 11 (inside the signed range). */
export interface MinutesManifest {
  format: typeof MANIFEST_FORMAT;
  meetingId: number;
  version: number;
  recordHash: string;
  trustRoot: { fingerprint: string; subject: string };
  signer: { username: string; printedName: string; certificateFingerprint: string };
  auditHead: { seq: number; hash: string };
  /** The render time (PDF info dates); the pages are re-rendered with it when verifying. */
  renderedAt: string;
  /** The renderer version (render.ts MINUTES_RENDERER); absent in the first manifests: version 1. */
  renderer?: string;
  /** SHA-256 of each page's drawing as exported (verify.ts pageDigests). */
  pages?: string[];
}
export const MANIFEST_FORMAT = 'dosedesk-minutes-manifest/1' as const;

function parseManifest(raw: unknown): MinutesManifest | null {
  const m = raw as Partial<MinutesManifest> | null;
  if (!m || m.format !== MANIFEST_FORMAT || typeof m.recordHash !== 'string' || !m.trustRoot || !m.signer || !m.auditHead || typeof m.renderedAt !== 'string') return null;
  return m as MinutesManifest;
}

/** What the renderer prints and attaches for a manifest (the same at export and when verifying). */
function renderOptionsOf(m: MinutesManifest): Parameters<typeof renderMinutesPdf>[1] {
  return {
    createdAt: new Date(m.renderedAt),
    trust: { rootFingerprint: m.trustRoot.fingerprint, rootSubject: m.trustRoot.subject, signerFingerprint: m.signer.certificateFingerprint, auditHead: m.auditHead },
    manifestJson: JSON.stringify(m, null, 2),
  };
}

/** This installation's trust: its root (while its key file matches) and its legacy self-signed certificates, pinned. */
function localTrust(ctx: CoreContext): { store: TrustStore; problem: string | null } {
  const st = localAuthority(ctx.db);
  const store: TrustStore = { roots: [], pinned: new Map() };
  if (st.authority && st.keyOk) store.roots.push({ certificate: st.authority.certificate, fingerprint: st.authority.fingerprint, subject: st.authority.subject, source: 'this installation' });
  // Legacy identities: self-signed ones issued before the authority existed (none can be added since).
  for (const r of allIdentityCertificates(ctx.db)) {
    if (st.authority && Date.parse(r.created_at) > Date.parse(st.authority.createdAt)) continue;
    const cert = forge.pki.certificateFromPem(r.certificate);
    if (issuedBy(cert, cert)) store.pinned.set(r.fingerprint, 'this database');
  }
  return { store, problem: st.authority ? st.problem : null };
}

function trustFiles(input: { trust?: string[]; trustPem?: string[] }): { store: TrustStore; problems: string[] } {
  const stores: TrustStore[] = [];
  const problems: string[] = [];
  for (const f of input.trust ?? []) {
    let text: string;
    try {
      text = fs.readFileSync(path.resolve(f), 'utf8');
    } catch (e) {
      throw new CallError('not-found', `cannot read the trust file ${path.resolve(f)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const t = parseTrustBundle(text, path.resolve(f));
    stores.push(t.store);
    problems.push(...t.problems);
  }
  (input.trustPem ?? []).forEach((pem, i) => {
    const t = parseTrustBundle(pem, `trust text ${i + 1}`);
    stores.push(t.store);
    problems.push(...t.problems);
  });
  return { store: mergeTrust(...stores), problems };
}

/** The PEM bundle for other machines: the root, then the legacy certificates with who they belong to. */
function trustBundle(ctx: CoreContext): { pem: string; rootFingerprint: string; legacy: number } {
  const a = ensureLocalAuthority(ctx);
  const parts = [
    `# DoseDesk organisation trust root (verify minutes with: dosedesk minutes verify FILE.pdf --trust THIS_FILE)`,
    `# ${a.subject}`,
    `# SHA-256 ${a.fingerprint}`,
    a.certificatePem.trim(),
  ];
  let legacy = 0;
  const rows = identityCertificatesWithNames(ctx.db);
  for (const r of rows) {
    const cert = forge.pki.certificateFromPem(r.certificate);
    if (!issuedBy(cert, cert)) continue;
    legacy++;
    parts.push(`# legacy self-signed signing certificate of ${r.printed_name} (created ${r.created_at}; minutes signed with it verify as "legacy")`, `# SHA-256 ${r.fingerprint}`, r.certificate.trim());
  }
  return { pem: parts.join('\n') + '\n', rootFingerprint: a.fingerprint, legacy };
}

function trustRoot(ctx: CoreContext): Output<'minutes.trustRoot'> {
  ensureLocalAuthority(ctx);
  const st = localAuthority(ctx.db);
  const a = st.authority!;
  return { fingerprint: a.fingerprint, subject: a.subject, createdAt: a.createdAt, keyFile: a.keyFile, keyOk: st.keyOk, problem: st.problem, certificatePem: a.certificatePem };
}

function exportTrust(ctx: CoreContext, input: In<'minutes.exportTrust'>): Output<'minutes.exportTrust'> {
  const b = trustBundle(ctx);
  let out: string | null = null;
  if (input.outPath) {
    out = path.resolve(input.outPath);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    writeFileAtomic(out, b.pem);
  }
  return { pem: b.pem, path: out, rootFingerprint: b.rootFingerprint, legacyCertificates: b.legacy };
}

interface ExportAudit {
  meetingId: number;
  version: number;
  sha256s: string[];
}

/** The PDFs this database recorded as exported for a meeting version (audit entries 'export' 'minutes'). */
function recordedExports(ctx: CoreContext, meetingId: number, version: number): ExportAudit {
  const rows = minutesExportAudits(ctx.db, meetingId);
  const sha256s = rows.map((r) => JSON.parse(r.new_value ?? 'null') as { version?: number; pdfSha256?: string } | null).filter((v) => v?.version === version && typeof v.pdfSha256 === 'string').map((v) => v!.pdfSha256!);
  return { meetingId, version, sha256s };
}

export async function verifyMinutes(
  ctx: CoreContext,
  bytes: Buffer,
  file: string | null,
  trustInput: { trust?: string[]; trustPem?: string[] } = {},
  exporting: { sha256: string; meetingId: number; version: number } | null = null,
): Promise<MinutesVerifyResult> {
  const local = localTrust(ctx);
  const given = trustFiles(trustInput);
  const trust = mergeTrust(local.store, given.store);
  const { verifyMinutesPdf, renderMinutesPdf, comparePages, pageDigests } = await pdfStack();
  let v: MinutesVerification;
  try {
    v = await verifyMinutesPdf(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { trust });
  } catch (e) {
    // a file pdf-lib cannot make sense of (no catalog, …): nothing in it can be trusted
    v = { intact: false, signatures: [], lastCoversWholeFile: false, record: null, recordAttachmentFound: false, manifest: null, problems: [`the file cannot be read as a PDF (${(e as Error).message})`, 'the file carries no PDF digital signature'] };
  }
  const problems = [...given.problems, ...v.problems];
  const signatures: PdfSignatureCheck[] = v.signatures.map((s) => ({
    index: s.index,
    name: s.name,
    fieldName: s.fieldName,
    signedAt: s.signedAt,
    reason: s.reason,
    digestValid: s.digestValid,
    signatureValid: s.signatureValid,
    coversWholeFile: s.coversWholeFile,
    certificateSubject: s.certificateSubject,
    certificateFingerprint: s.certificateFingerprint,
    knownUser: knownUser(ctx, s.certificateFingerprint),
    trust: s.chain?.status ?? 'untrusted',
    trustDetail: s.chain?.detail ?? 'the certificate could not be read',
  }));
  const manifest = v.manifest === null ? null : parseManifest(v.manifest);
  if (v.manifest !== null && manifest === null) problems.push(`the attached ${MANIFEST_ATTACHMENT_NAME} is not a DoseDesk minutes manifest`);
  const legacy = v.manifest === null;
  if (!legacy) {
    for (const s of signatures) if (s.trust === 'legacy') problems.push(`signature ${s.index} (${s.name}): minutes exported with a trust root must be signed by a certificate it issued, not by a legacy self-signed one`);
  }
  if (local.problem && trust.roots.length === 0 && signatures.some((s) => s.trust === 'untrusted')) problems.push(local.problem);

  let record: AttachedRecordSummary | null = null;
  let recordCheck: MinutesVerifyResult['recordCheck'] = null;
  let snapshotKnown: boolean | null = null;
  let pages: MinutesVerifyResult['pages'] = null;
  let exportRecord: MinutesVerifyResult['exportRecord'] = null;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (v.record !== null) {
    const parsed = MeetingExport.safeParse(v.record);
    if (!parsed.success) {
      problems.push(`the attached record is not a DoseDesk meeting export (${parsed.error.issues.slice(0, 2).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`);
    } else {
      const exp = parsed.data;
      recordCheck = verifyExport(v.record);
      const valid = new Map(recordCheck.signatures.map((s) => [s.signatureId, s]));
      const c = exp.record.content;
      record = {
        meetingId: exp.record.meetingId,
        version: exp.record.version,
        status: exp.status,
        title: c.title,
        studyId: c.studyId,
        recordHash: exp.recordHash,
        snapshot: { contentHash: c.snapshot.contentHash, label: c.snapshot.label, dataCutoff: c.snapshot.dataCutoff },
        exportedAt: exp.exportedAt,
        exportedBy: exp.exportedBy,
        signatures: exp.signatures.map((s) => ({ printedName: s.printedName, meaning: s.meaning, signedAt: s.signedAt, valid: valid.get(s.signatureId)?.valid ?? false })),
      };
      if (!recordCheck.recordHashOk) problems.push(`the attached record was changed: its content now hashes to ${recordCheck.computedRecordHash}, not the ${exp.recordHash} it was exported with`);
      if (!recordCheck.figuresOk) problems.push('a captured figure in the attached record is missing or no longer matches its SHA-256');
      for (const s of recordCheck.signatures) if (!s.valid) problems.push(`the record signature of ${s.printedName} (${s.meaning}, ${s.signedAt}) does not verify: ${s.problem ?? 'invalid'}`);
      // The exporter's PDF signature names the record hash it certified (its /Reason).
      for (const s of signatures) {
        const cited = /record SHA-256 ([0-9a-f]{64})/.exec(s.reason)?.[1];
        if (cited && cited !== exp.recordHash) problems.push(`PDF signature ${s.index} (${s.name}) certified the record with SHA-256 ${cited}, but the attached record states ${exp.recordHash}`);
      }
      snapshotKnown = snapshotWithContentHash(ctx.db, c.snapshot.contentHash);

      if (manifest) {
        if (manifest.recordHash !== exp.recordHash || manifest.meetingId !== exp.record.meetingId || manifest.version !== exp.record.version) problems.push(`the manifest names record ${manifest.recordHash} (meeting ${manifest.meetingId} version ${manifest.version}), not the attached record ${exp.recordHash}`);
        const first = v.signatures[0];
        if (first && first.certificateFingerprint !== manifest.signer.certificateFingerprint) problems.push(`the exporting signature's certificate (SHA-256 ${first.certificateFingerprint}) is not the one the manifest names (${manifest.signer.certificateFingerprint})`);
        if (first?.chain?.status === 'chained' && first.chain.root !== manifest.trustRoot.fingerprint) problems.push(`the exporting signature chains to root ${first.chain.root}, not to the root printed in the minutes (${manifest.trustRoot.fingerprint})`);
        // The visible pages must be what DoseDesk renders from the attached record (the content
        // streams, font and image names normalised): a page painted or re-drawn differently fails.
        // A file rendered by another version of the renderer cannot be re-rendered identically: its
        // pages are checked against the digests signed into its manifest at export instead.
        const exported = new Uint8Array(bytes.buffer, bytes.byteOffset, v.signatures[0] ? v.signatures[0].byteRange[2] + v.signatures[0].byteRange[3] : bytes.byteLength);
        const plural = (d: number[]) => `page${d.length > 1 ? 's' : ''} ${d.join(', ')}`;
        try {
          if ((manifest.renderer ?? 'dosedesk-minutes-render/1') === MINUTES_RENDERER) {
            const rerendered = await renderMinutesPdf(minutesDocument(exp), renderOptionsOf(manifest));
            const cmp = await comparePages(exported, rerendered);
            pages = { ...cmp, method: 're-rendered' };
            if (cmp.differing.length > 0) problems.push(`the visible text of ${plural(cmp.differing)} differs from the minutes rendered from the attached record`);
          } else if (manifest.pages) {
            const now = await pageDigests(exported);
            const differing = Array.from({ length: Math.max(now.length, manifest.pages.length) }, (_, i) => i + 1).filter((n) => now[n - 1] !== manifest.pages![n - 1]);
            pages = { compared: Math.max(now.length, manifest.pages.length), differing, method: 'signed page digests' };
            if (differing.length > 0) problems.push(`${plural(differing)} differ${differing.length > 1 ? '' : 's'} from the pages signed at export`);
          } else problems.push(`the pages were rendered by ${manifest.renderer} and carry no page digests: they cannot be compared with the attached record`);
        } catch (e) {
          problems.push(`the pages could not be compared with the attached record (${(e as Error).message})`);
        }
      }

      // In the database that exported the file: its SHA-256 and the audit head it carries.
      const ours = manifest ? manifest.trustRoot.fingerprint === localAuthority(ctx.db).authority?.fingerprint : signatures.some((s) => s.knownUser !== null);
      if (ours && !(exporting && exporting.sha256 === sha256)) {
        const rec = recordedExports(ctx, exp.record.meetingId, exp.record.version);
        exportRecord = rec.sha256s.includes(sha256) ? 'matches' : rec.sha256s.length ? 'differs' : 'missing';
        if (exportRecord === 'differs') problems.push(`this database exported meeting ${rec.meetingId} version ${rec.version} as a file with SHA-256 ${rec.sha256s.join(' or ')}; this file's SHA-256 is ${sha256}`);
        if (exportRecord === 'missing') problems.push(`this database's audit trail records no export of meeting ${rec.meetingId} version ${rec.version}, although its signing certificate signed this file`);
      }
      if (ours && manifest) {
        const e = auditHashAt(ctx.db, manifest.auditHead.seq);
        if (!e || e.hash !== manifest.auditHead.hash) problems.push(`the minutes anchor audit entry ${manifest.auditHead.seq} (hash ${manifest.auditHead.hash.slice(0, 16)}…), which this database's audit trail ${e ? 'holds with another hash (rewritten)' : 'no longer holds (deleted)'}`);
      }
    }
  }

  const report = await runPdfsig(bytes, file);
  const pdfsig = report.available ? pdfsigOf(report) : null;
  if (pdfsig) {
    for (const s of pdfsig.signatures) if (!s.signatureValid) problems.push(`pdfsig (poppler) reports signature #${s.index} (${s.commonName || s.fieldName}): ${s.validation || 'not valid'}`);
    const last = pdfsig.signatures[pdfsig.signatures.length - 1];
    if (last && !last.totalDocumentSigned) problems.push(`pdfsig (poppler) reports that the last signature (#${last.index}) does not cover the total document`);
  }

  const intact = problems.length === 0;
  return {
    intact,
    status: !intact ? 'not-intact' : legacy ? 'legacy' : 'intact',
    trustRoots: trust.roots.map((r) => ({ fingerprint: r.fingerprint, subject: r.subject, source: r.source })),
    pages,
    auditHead: manifest?.auditHead ?? null,
    exportRecord,
    sha256,
    bytes: bytes.byteLength,
    signatures,
    record,
    recordCheck,
    snapshotKnown,
    problems,
    pdfsig,
  };
}
