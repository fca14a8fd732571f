import { z } from 'zod';
import { lazySchema } from '../lazySchema';
import { method } from './method';
import { Meaning, MeetingStatus } from '../meeting';
import { ExportCheck } from './meetings';

// Contract methods of the signed minutes (issue 5 "Minutes"; docs/CLINICAL_RULES.md#meetings;
// 21 CFR 11.50). Handlers in electron/core/minutes/app.ts.
//
// minutes.export renders the minutes PDF of a locked meeting record version (final, signed or
// distributed; drafts are refused), attaches the record export (meetings.exportRecord) as JSON, and
// applies a PDF digital signature (adbe.pkcs7.detached, whole file) made with the exporting user's
// signing identity: a self-signed X.509 certificate and RSA key in a PKCS#12 encrypted with the
// user's password, created on first use. The password is asked again at every export (21 CFR
// 11.200(a)(1)(ii)); a wrong one counts towards lock-out. The file written is verified before the
// call returns.
//
// minutes.verify checks a PDF without trusting it: every PDF signature's digest and certificate, that
// the LAST signature covers the whole file, the attached record (record hash, figure hashes, every
// Ed25519 signature), whether the snapshot it cites is in this database, and whose certificate signed.

const Session = lazySchema(() => z.string().min(16).max(200));
const Password = lazySchema(() => z.string().min(1).max(1024));

/** One PDF digital signature, as read from the file. */
export const PdfSignatureCheck = lazySchema(() => z.object({
  /** 1-based, in the order the signatures were applied. */
  index: z.number().int(),
  /** /Name of the signature dictionary, else the certificate's common name. */
  name: z.string(),
  fieldName: z.string(),
  /** ISO date-time (the PKCS#7 signing time), null when the file does not say. */
  signedAt: z.string().nullable(),
  /** /Reason: the meaning of the signature, e.g. "Exported and certified by …". */
  reason: z.string(),
  /** The PKCS#7 message digest equals the digest of the bytes in the signed range. */
  digestValid: z.boolean(),
  /** The signed attributes verify with the embedded certificate's public key. */
  signatureValid: z.boolean(),
  /** The signed range reaches the last byte of the file. */
  coversWholeFile: z.boolean(),
  certificateSubject: z.string(),
  /** SHA-256 (hex) of the signer's certificate. */
  certificateFingerprint: z.string(),
  /** Printed name of the DoseDesk user whose signing certificate this is in this database, else null. */
  knownUser: z.string().nullable(),
  /**
   * chained: issued by a trusted DoseDesk root (this installation's, or one given with --trust);
   * legacy: a self-signed DoseDesk certificate of before the trust root, pinned by this database or a
   * trust file; untrusted: neither (a self-made certificate, a damaged one).
   */
  trust: z.enum(['chained', 'legacy', 'untrusted']),
  trustDetail: z.string(),
}));
export type PdfSignatureCheck = z.infer<typeof PdfSignatureCheck>;

/** What the attached record says (the machine-readable minutes). */
export const AttachedRecordSummary = lazySchema(() => z.object({
  meetingId: z.number().int(),
  version: z.number().int(),
  status: MeetingStatus,
  title: z.string(),
  studyId: z.string(),
  recordHash: z.string(),
  snapshot: z.object({ contentHash: z.string(), label: z.string(), dataCutoff: z.string().nullable() }),
  exportedAt: z.string(),
  exportedBy: z.string(),
  /** The Part 11 signatures of the record (Ed25519), each checked against the public key it carries. */
  signatures: z.array(z.object({ printedName: z.string(), meaning: Meaning, signedAt: z.string(), valid: z.boolean() })),
}));
export type AttachedRecordSummary = z.infer<typeof AttachedRecordSummary>;

export const PdfsigResult = lazySchema(() => z.object({
  /** False when poppler's pdfsig is not installed. */
  available: z.boolean(),
  exitCode: z.number().int().nullable(),
  output: z.string(),
  signatures: z.array(
    z.object({
      index: z.number().int(),
      fieldName: z.string(),
      commonName: z.string(),
      signingTime: z.string(),
      signedRanges: z.string(),
      totalDocumentSigned: z.boolean(),
      /** e.g. "Signature is Valid." or "Digest Mismatch." */
      validation: z.string(),
      signatureValid: z.boolean(),
      certificateValidation: z.string(),
    }),
  ),
}));

export const TrustRootInfo = lazySchema(() => z.object({
  fingerprint: z.string(),
  subject: z.string(),
  /** "this installation" or the trust file it came from. */
  source: z.string(),
}));

export const MinutesVerifyResult = lazySchema(() => z.object({
  /** Nothing to report (also true for a legacy file that verifies as legacy; see status). */
  intact: z.boolean(),
  /**
   * intact: every check holds and the signatures chain to a trusted root; legacy: minutes exported
   * before the trust root (self-signed certificate pinned by this database or a trust file), every
   * other check holding; not-intact: see problems.
   */
  status: z.enum(['intact', 'legacy', 'not-intact']),
  /** The roots the signatures were checked against. */
  trustRoots: z.array(TrustRootInfo),
  /** The visible pages compared with the pages rendered from the attached record; null when not compared (legacy). */
  pages: z.object({ compared: z.number().int(), differing: z.array(z.number().int()), method: z.enum(['re-rendered', 'signed page digests']) }).nullable(),
  /** The audit chain's head signed into the minutes at export (null for legacy files). */
  auditHead: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
  /** This database exported the file and recorded its SHA-256: 'matches' / 'differs'; null when another installation exported it. */
  exportRecord: z.enum(['matches', 'differs', 'missing']).nullable(),
  /** SHA-256 of the file checked. */
  sha256: z.string(),
  bytes: z.number().int(),
  signatures: z.array(PdfSignatureCheck),
  record: AttachedRecordSummary.nullable(),
  /** meetings.verifyExport on the attached record: record hash, figure hashes, every Ed25519 signature. */
  recordCheck: ExportCheck.nullable(),
  /** Whether the snapshot the record cites (by content hash) is in this database; null without a record. */
  snapshotKnown: z.boolean().nullable(),
  /** What no longer matches, in plain words (empty when intact). */
  problems: z.array(z.string()),
  /** poppler's pdfsig on the same bytes, when installed (null when not run). */
  pdfsig: PdfsigResult.nullable(),
}));
export type MinutesVerifyResult = z.infer<typeof MinutesVerifyResult>;

export const MinutesExportResult = lazySchema(() => z.object({
  meetingId: z.number().int(),
  version: z.number().int(),
  status: MeetingStatus,
  /** e.g. "STUDY-001_meeting-3_v1_minutes.pdf" (the base name of outPath when given). */
  fileName: z.string(),
  /** Absolute path written (when outPath was given). */
  pdfPath: z.string().nullable(),
  /** The signed PDF, base64 (omitted when outPath was given). */
  pdfBase64: z.string().optional(),
  /** The separate JSON record file name (written beside the PDF when outPath was given). */
  jsonFileName: z.string(),
  jsonPath: z.string().nullable(),
  /** The same record export that is attached to the PDF (meetings.exportRecord), as JSON text. */
  recordJson: z.string(),
  /** SHA-256 (hex) of the signed PDF. */
  sha256: z.string(),
  bytes: z.number().int(),
  signedBy: z.object({ userId: z.number().int(), username: z.string(), printedName: z.string(), certificateFingerprint: z.string() }),
  /** SHA-256 of the trust root that issued the exporter's certificate (printed in the PDF). */
  trustRootFingerprint: z.string(),
  /** The audit chain's head signed into the minutes. */
  auditHead: z.object({ seq: z.number().int(), hash: z.string() }),
  exportedAt: z.string(),
  /** minutes.verify on the bytes just produced. */
  verification: MinutesVerifyResult,
}));
export type MinutesExportResult = z.infer<typeof MinutesExportResult>;

export const minutesApi = {
  'minutes.export': method(
    'Export the signed minutes PDF of a locked meeting record version (drafts are refused): rendered from the record, the record JSON attached, a PDF digital signature over the whole file by the exporting user (re-enter the password: it unlocks the user\'s PDF signing identity; a wrong one counts towards lock-out). Written to outPath (with the JSON beside it) or returned as base64; audited with the PDF\'s SHA-256; verified before returning.',
    () => z.object({
      session: Session,
      meetingId: z.number().int().positive(),
      /** Default: the latest version. */
      version: z.number().int().positive().optional(),
      password: Password,
      /** Where to write the PDF; `<name>.json` is written beside it. */
      outPath: z.string().min(1).max(4096).optional(),
    }),
    () => MinutesExportResult,
  ),
  'minutes.verify': method(
    'Verify a minutes PDF (a path or the bytes as base64): who signed, when, for what meaning, which snapshot, whether the file is intact (every signature valid and chained to a trusted DoseDesk root — this installation\'s or one given as a trust file; no revision after the first but a signature; nothing after the last signature; every page as rendered from the attached record; the record\'s hash and signatures; the SHA-256 recorded at export when this database exported it), and if not, what no longer matches. Minutes exported before the trust root verify as "legacy".',
    () => z
      .object({
        path: z.string().min(1).max(4096).optional(),
        pdfBase64: z.string().min(1).max(200_000_000).optional(),
        /** Trust files (PEM, from minutes.exportTrust of the exporting installation): paths or the PEM text. */
        trust: z.array(z.string().min(1).max(4096)).max(32).optional(),
        trustPem: z.array(z.string().min(1).max(1_000_000)).max(32).optional(),
      })
      .refine((v) => (v.path === undefined) !== (v.pdfBase64 === undefined), { message: 'give either path or pdfBase64' }),
    () => MinutesVerifyResult,
  ),
  'minutes.trustRoot': method(
    'The organisation trust root of this installation (created at first need): the CA certificate that issues every signing certificate, its SHA-256 fingerprint (printed in every minutes PDF), and whether its key file is present.',
    () => z.object({}),
    () => z.object({
      fingerprint: z.string(),
      subject: z.string(),
      createdAt: z.string(),
      keyFile: z.string(),
      keyOk: z.boolean(),
      problem: z.string().nullable(),
      certificatePem: z.string(),
    }),
  ),
  'minutes.exportTrust': method(
    'The trust file for verifying minutes on another machine: this installation\'s root CA certificate and the legacy self-signed signing certificates of minutes exported before the root existed (PEM). Written to outPath when given.',
    () => z.object({ outPath: z.string().min(1).max(4096).optional() }),
    () => z.object({ pem: z.string(), path: z.string().nullable(), rootFingerprint: z.string(), legacyCertificates: z.number().int() }),
  ),
} as const;
