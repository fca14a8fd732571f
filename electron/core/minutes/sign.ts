/**
 * PDF digital signatures on the minutes (ISO 32000-1 §12.8, SubFilter adbe.pkcs7.detached):
 * one signature per signer, each in its own uniquely named signature field.
 *
 * - The first signature: @signpdf/placeholder-pdf-lib adds the placeholder on a pdf-lib document
 *   (a full save is fine: nothing is signed yet).
 * - Every further signature: an INCREMENTAL update written by the @cantoo/pdf-lib fork
 *   (`forIncrementalUpdate`), appending a new field, widget and signature dictionary after the
 *   earlier bytes, so that every earlier signature still covers exactly what it covered.
 *   (Plain pdf-lib rewrites the whole file and would break them.)
 * - @signpdf/signpdf then fills ByteRange and Contents with a detached PKCS#7 (SHA-256, RSA)
 *   made by @signpdf/signer-p12 from the signer's PKCS#12.
 *
 * Identities: a self-signed X.509 certificate + RSA key per signer in a password-protected
 * PKCS#12 (node-forge). The certificate proves integrity and binds the file to the key; it is
 * not a CA-issued identity (pdfsig reports the issuer as unknown).
 */
import forge from 'node-forge';
import { PDFDocument as PdfLibDocument, PDFName as PdfLibName, PDFString as PdfLibString, PDFDict as PdfLibDict, PDFArray as PdfLibArray } from 'pdf-lib';
import {
  PDFDocument as IncDocument,
  PDFArray,
  PDFDict,
  PDFHexString,
  PDFInvalidObject,
  PDFName,
  PDFNumber,
  PDFRef,
  PDFString,
} from '@cantoo/pdf-lib';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { P12Signer } from '@signpdf/signer-p12';
import signpdfDefault from '@signpdf/signpdf';
import { DEFAULT_BYTE_RANGE_PLACEHOLDER, SUBFILTER_ADOBE_PKCS7_DETACHED, SIG_FLAGS, ANNOTATION_FLAGS } from '@signpdf/utils';

// @signpdf/signpdf is CommonJS with `exports.default = new SignPdf()`: vitest's interop hands over that
// instance, plain Node ESM (tsx, the CLI) the whole exports object. Take the instance either way.
const signpdf = ((signpdfDefault as unknown as { default?: typeof signpdfDefault }).default ?? signpdfDefault) as typeof signpdfDefault;

export interface SigningIdentityInput {
  commonName: string;
  organization?: string;
  /** Protects the PKCS#12 (its private key bag). */
  password: string;
  /** Certificate validity in years (default 10). */
  validityYears?: number;
  /** RSA modulus size (default 2048). */
  bits?: number;
}

export interface SigningIdentity {
  /** DER PKCS#12 holding the certificate and the encrypted private key. */
  p12: Uint8Array;
  certificatePem: string;
}

/** A random positive serial number (RFC 5280 §4.1.2.2: positive, at most 20 octets). */
function randomSerial(): string {
  const bytes = forge.random.getBytesSync(16);
  const hex = forge.util.bytesToHex(bytes);
  // Clear the top bit so the INTEGER is positive.
  return ((parseInt(hex.slice(0, 2), 16) & 0x7f) | 0x10).toString(16).padStart(2, '0') + hex.slice(2);
}

/** A self-signed certificate and RSA key in a password-protected PKCS#12. */
export function createSigningIdentity(input: SigningIdentityInput): SigningIdentity {
  if (!input.commonName.trim()) throw new Error('createSigningIdentity: commonName is required');
  if (!input.password) throw new Error('createSigningIdentity: a password is required to protect the PKCS#12');
  const keys = forge.pki.rsa.generateKeyPair({ bits: input.bits ?? 2048, e: 0x10001 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = randomSerial();
  const now = new Date();
  cert.validity.notBefore = new Date(now.getTime() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(now.getTime());
  cert.validity.notAfter.setFullYear(now.getFullYear() + (input.validityYears ?? 10));
  const attrs: forge.pki.CertificateField[] = [{ name: 'commonName', value: input.commonName }];
  if (input.organization) attrs.push({ name: 'organizationName', value: input.organization });
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const asn1 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert], input.password, {
    algorithm: 'aes256',
    friendlyName: input.commonName,
  });
  const der = forge.asn1.toDer(asn1).getBytes();
  return { p12: Uint8Array.from(Buffer.from(der, 'binary')), certificatePem: forge.pki.certificateToPem(cert) };
}

export interface SignPdfInput {
  p12: Uint8Array;
  passphrase: string;
  /** Signer's printed name (signature dictionary /Name). */
  name: string;
  /** Meaning of the signature (signature dictionary /Reason), e.g. "Approved as Chair". */
  reason: string;
  location?: string;
  contactInfo?: string;
  /** Unique field name per signer, e.g. "Signature-2-chair". */
  fieldName: string;
  /** Signing time written to /M and the PKCS#7 signingTime attribute (default: now). */
  signingTime?: Date;
  /** Hex characters reserved for the PKCS#7 in /Contents (default 8192 = 4096 bytes, as @signpdf). */
  signatureLength?: number;
}

/** Does the file already carry a signature dictionary (a ByteRange)? */
export function hasSignature(pdf: Uint8Array): boolean {
  return Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).indexOf('/ByteRange') >= 0;
}

/** Names of the signature fields in a file (all revisions), in field order. */
export async function signatureFieldNames(pdf: Uint8Array): Promise<string[]> {
  const doc = await PdfLibDocument.load(pdf, { updateMetadata: false });
  const acro = doc.catalog.lookupMaybe(PdfLibName.of('AcroForm'), PdfLibDict);
  const fields = acro?.lookupMaybe(PdfLibName.of('Fields'), PdfLibArray);
  const names: string[] = [];
  if (!fields) return names;
  for (let i = 0; i < fields.size(); i++) {
    const field = fields.lookupMaybe(i, PdfLibDict);
    const ft = field?.lookupMaybe(PdfLibName.of('FT'), PdfLibName);
    const t = field?.lookupMaybe(PdfLibName.of('T'), PdfLibString);
    if (ft?.asString() === '/Sig' && t) names.push(t.decodeText());
  }
  return names;
}

/** Sign with the PKCS#12: fills the single remaining placeholder (ByteRange + Contents). */
async function fillPlaceholder(withPlaceholder: Uint8Array, input: SignPdfInput): Promise<Uint8Array> {
  const signer = new P12Signer(Buffer.from(input.p12), { passphrase: input.passphrase });
  const signed = await signpdf.sign(Buffer.from(withPlaceholder), signer, input.signingTime);
  return new Uint8Array(signed.buffer, signed.byteOffset, signed.byteLength);
}

/** First signature: placeholder via @signpdf/placeholder-pdf-lib on pdf-lib, full save. */
async function firstPlaceholder(pdf: Uint8Array, input: SignPdfInput): Promise<Uint8Array> {
  const doc = await PdfLibDocument.load(pdf, { updateMetadata: false });
  pdflibAddPlaceholder({
    pdfDoc: doc,
    reason: input.reason,
    contactInfo: input.contactInfo ?? '',
    name: input.name,
    location: input.location ?? '',
    signingTime: input.signingTime,
    signatureLength: input.signatureLength,
    subFilter: SUBFILTER_ADOBE_PKCS7_DETACHED,
    appName: 'DoseDesk',
  });
  // placeholder-pdf-lib always names its field "Signature1": give it the signer's unique name.
  const acro = doc.catalog.lookup(PdfLibName.of('AcroForm'), PdfLibDict);
  const fields = acro.lookup(PdfLibName.of('Fields'), PdfLibArray);
  const widget = fields.lookup(fields.size() - 1, PdfLibDict);
  widget.set(PdfLibName.of('T'), PdfLibString.of(input.fieldName));
  return doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
}

/**
 * Later signatures: a new signature field appended as an incremental update with @cantoo/pdf-lib
 * (same structure as placeholder-pdf-lib writes: /Sig dictionary kept out of object streams,
 * invisible widget on the last page, AcroForm /Fields extended, SigFlags = SignaturesExist|AppendOnly).
 */
async function incrementalPlaceholder(pdf: Uint8Array, input: SignPdfInput): Promise<Uint8Array> {
  const doc = await IncDocument.load(pdf, { forIncrementalUpdate: true, updateMetadata: false });
  const ctx = doc.context;
  const snapshot = ctx.snapshot;
  if (!snapshot) throw new Error('signPdf: @cantoo/pdf-lib did not open the file for incremental update');
  const pages = doc.getPages();
  const page = pages[pages.length - 1]!;

  const byteRange = PDFArray.withContext(ctx);
  byteRange.push(PDFNumber.of(0));
  for (let i = 0; i < 3; i++) byteRange.push(PDFName.of(DEFAULT_BYTE_RANGE_PLACEHOLDER));
  const signatureDict = ctx.obj({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: SUBFILTER_ADOBE_PKCS7_DETACHED,
    ByteRange: byteRange,
    Contents: PDFHexString.of('0'.repeat(input.signatureLength ?? 8192)), // as placeholder-pdf-lib: room for signatureLength/2 bytes
    Reason: PDFString.of(input.reason),
    M: PDFString.fromDate(input.signingTime ?? new Date()),
    ContactInfo: PDFString.of(input.contactInfo ?? ''),
    Name: PDFString.of(input.name),
    Location: PDFString.of(input.location ?? ''),
    Prop_Build: { Filter: { Name: 'Adobe.PPKLite' }, App: { Name: 'DoseDesk' } },
  });
  // Serialised raw (not in an object stream) so that @signpdf finds the placeholder in the bytes.
  const raw = new Uint8Array(signatureDict.sizeInBytes());
  signatureDict.copyBytesInto(raw, 0);
  const signatureRef = ctx.register(PDFInvalidObject.of(raw));

  const apStream = ctx.formXObject([], { BBox: [0, 0, 0, 0], Resources: {} });
  const widget = ctx.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    Rect: [0, 0, 0, 0],
    V: signatureRef,
    T: PDFString.of(input.fieldName),
    F: ANNOTATION_FLAGS.PRINT,
    P: page.ref,
    AP: { N: ctx.register(apStream) },
  });
  const widgetRef = ctx.register(widget);

  // Page /Annots: extend in place (indirect array → save the array; direct → save the page).
  const annotsRaw = page.node.get(PDFName.of('Annots'));
  if (annotsRaw instanceof PDFRef) {
    const annots = ctx.lookup(annotsRaw, PDFArray);
    annots.push(widgetRef);
    snapshot.markRefForSave(annotsRaw);
  } else {
    const annots = annotsRaw instanceof PDFArray ? annotsRaw : ctx.obj([]);
    annots.push(widgetRef);
    page.node.set(PDFName.of('Annots'), annots);
    snapshot.markRefForSave(page.ref);
  }

  // AcroForm: keep every existing field, add ours, set SigFlags.
  const acroRaw = doc.catalog.get(PDFName.of('AcroForm'));
  let acro: PDFDict;
  if (acroRaw instanceof PDFRef) {
    acro = ctx.lookup(acroRaw, PDFDict);
    snapshot.markRefForSave(acroRaw);
  } else if (acroRaw instanceof PDFDict) {
    acro = acroRaw;
    snapshot.markRefForSave(ctx.trailerInfo.Root as PDFRef);
  } else {
    acro = ctx.obj({ Fields: [] });
    doc.catalog.set(PDFName.of('AcroForm'), ctx.register(acro));
    snapshot.markRefForSave(ctx.trailerInfo.Root as PDFRef);
  }
  const flags = acro.lookupMaybe(PDFName.of('SigFlags'), PDFNumber)?.asNumber() ?? 0;
  acro.set(PDFName.of('SigFlags'), PDFNumber.of(flags | SIG_FLAGS.SIGNATURES_EXIST | SIG_FLAGS.APPEND_ONLY));
  const fieldsRaw = acro.get(PDFName.of('Fields'));
  if (fieldsRaw instanceof PDFRef) {
    ctx.lookup(fieldsRaw, PDFArray).push(widgetRef);
    snapshot.markRefForSave(fieldsRaw);
  } else if (fieldsRaw instanceof PDFArray) {
    fieldsRaw.push(widgetRef);
  } else {
    acro.set(PDFName.of('Fields'), ctx.obj([widgetRef]));
  }

  const update = await doc.saveIncremental(snapshot, { useObjectStreams: false });
  const out = new Uint8Array(pdf.byteLength + update.byteLength);
  out.set(pdf, 0);
  out.set(update, pdf.byteLength);
  return out;
}

/**
 * Add one PDF digital signature. The first signature of a file is placed with pdf-lib; every
 * further one is an incremental update, so earlier signatures stay valid. The new signature
 * covers the whole file as it then is (ByteRange to the last byte).
 */
export async function signPdf(pdfBytes: Uint8Array, input: SignPdfInput): Promise<Uint8Array> {
  if (!input.fieldName.trim()) throw new Error('signPdf: fieldName is required');
  const first = !hasSignature(pdfBytes);
  if (!first) {
    const existing = await signatureFieldNames(pdfBytes);
    if (existing.includes(input.fieldName)) {
      throw new Error(`signPdf: the file already has a signature field named "${input.fieldName}"; each signer needs a unique field`);
    }
  }
  const withPlaceholder = first ? await firstPlaceholder(pdfBytes, input) : await incrementalPlaceholder(pdfBytes, input);
  return fillPlaceholder(withPlaceholder, input);
}
