/**
 * Verify signed minutes without trusting the file: every PDF signature's PKCS#7 message digest is
 * recomputed over its ByteRange (ISO 32000-1 §12.8.1; RFC 2315 §9.3 messageDigest attribute), the
 * signed attributes are checked against the embedded certificate's key, the LAST signature must
 * cover the whole file (otherwise something was appended after it, which pdfsig still calls
 * "Signature is Valid." with "Not total document signed"), and the machine-readable record is
 * read back from its attachment. `problems` says in words what no longer matches.
 *
 * `pdfsigReport` runs poppler's pdfsig for a second opinion (it exits 0 even on a mismatch, so
 * its text is parsed).
 */
import { createHash, createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import forge from 'node-forge';
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFString,
  decodePDFRawStream,
} from 'pdf-lib';
import { MANIFEST_ATTACHMENT_NAME, RECORD_ATTACHMENT_NAME } from './document.js';
import { checkChain, type ChainCheck, type TrustStore } from './authority.js';

export interface VerifiedSignature {
  /** 1-based, in the order the signatures were applied (by the end of their signed range). */
  index: number;
  /** Signer's name: /Name of the signature dictionary, else the certificate's CN. */
  name: string;
  /** ISO time: the PKCS#7 signingTime attribute, else /M of the dictionary; null if neither. */
  signedAt: string | null;
  reason: string;
  fieldName: string;
  /** The message digest in the PKCS#7 equals the digest of the bytes in ByteRange. */
  digestValid: boolean;
  /** The signed attributes verify with the embedded certificate's public key. */
  signatureValid: boolean;
  /** The ByteRange reaches the last byte of the file. */
  coversWholeFile: boolean;
  byteRange: [number, number, number, number];
  certificateSubject: string;
  /** SHA-256 fingerprint (hex) of the signer's certificate. */
  certificateFingerprint: string;
  /** Whether the certificate chains to a trusted DoseDesk root (null when no trust store was given). */
  chain: ChainCheck | null;
}

export interface MinutesVerification {
  /** Every signature valid, the last covering the whole file, the record attached: nothing to report. */
  intact: boolean;
  signatures: VerifiedSignature[];
  lastCoversWholeFile: boolean;
  record: unknown | null;
  recordAttachmentFound: boolean;
  /** The trust manifest (minutes-manifest.json) of minutes exported with a trust root; null for legacy files. */
  manifest: unknown | null;
  problems: string[];
}

export interface VerifyOptions {
  /** Trusted roots and pinned legacy certificates; without it no chain is checked. */
  trust?: TrustStore;
}

// ---------------------------------------------------------------------------------------------
// Reading the signature dictionaries

interface RawSignature {
  fieldName: string;
  name: string;
  reason: string;
  m: string | null;
  byteRange: number[];
}

const asBuffer = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

function pdfText(dict: PDFDict, key: string): string {
  const v = dict.lookup(PDFName.of(key));
  if (v instanceof PDFString || v instanceof PDFHexString) return v.decodeText();
  return '';
}

/** PDF date "D:20250314160500+01'00'" → ISO "2025-03-14T16:05:00+01:00" (ISO 32000-1 §7.9.4). */
export function pdfDateToIso(s: string): string | null {
  const m = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?/.exec(s);
  if (!m) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', se = '00', tz] = m;
  let offset = 'Z';
  if (tz && tz !== 'Z') {
    const digits = tz.replace(/'/g, '');
    offset = `${digits.slice(0, 3)}:${digits.slice(3, 5)}`;
  }
  return `${y}-${mo}-${d}T${h}:${mi}:${se}${offset}`;
}

/** Signature fields via the AcroForm (the latest revision of every object wins). */
function signaturesFromForm(doc: PDFDocument): RawSignature[] {
  const out: RawSignature[] = [];
  const acro = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
  const fields = acro?.lookupMaybe(PDFName.of('Fields'), PDFArray);
  if (!fields) return out;
  const visit = (field: PDFDict, parentName: string): void => {
    const t = pdfText(field, 'T');
    const name = parentName && t ? `${parentName}.${t}` : t || parentName;
    const kids = field.lookupMaybe(PDFName.of('Kids'), PDFArray);
    if (kids) for (let i = 0; i < kids.size(); i++) {
      const kid = kids.lookupMaybe(i, PDFDict);
      if (kid) visit(kid, name);
    }
    const v = field.lookupMaybe(PDFName.of('V'), PDFDict);
    const br = v?.lookupMaybe(PDFName.of('ByteRange'), PDFArray);
    if (!v || !br) return;
    const byteRange: number[] = [];
    for (let i = 0; i < br.size(); i++) {
      const n = br.lookup(i);
      byteRange.push(n instanceof PDFNumber ? n.asNumber() : NaN);
    }
    out.push({ fieldName: name, name: pdfText(v, 'Name'), reason: pdfText(v, 'Reason'), m: pdfText(v, 'M') || null, byteRange });
  };
  for (let i = 0; i < fields.size(); i++) {
    const f = fields.lookupMaybe(i, PDFDict);
    if (f) visit(f, '');
  }
  return out;
}

/** Fallback when the file no longer parses: every "/ByteRange [a b c d]" in the raw bytes. */
function signaturesFromBytes(buf: Buffer): RawSignature[] {
  const text = buf.toString('latin1');
  const out: RawSignature[] = [];
  const re = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ fieldName: '', name: '', reason: '', m: null, byteRange: [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// PKCS#7 (CMS SignedData) checks

const DIGESTS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const OID_SIGNING_TIME = '1.2.840.113549.1.9.5';

interface Pkcs7Check {
  digestValid: boolean;
  signatureValid: boolean;
  signingTime: string | null;
  certificateSubject: string;
  certificateCommonName: string;
  certificateFingerprint: string;
  /** The signer's certificate as parsed (with its original TBS bytes, for the chain check). */
  certificate: forge.pki.Certificate | null;
  error?: string;
}

interface SignerInfoParts {
  serialHex: string;
  digestAlgorithm: string;
  authenticatedAttributes: forge.asn1.Asn1[];
  signature: Buffer;
}

/**
 * SignerInfo (RFC 2315 §9.2): SEQUENCE { version, issuerAndSerialNumber, digestAlgorithm,
 * [0] IMPLICIT authenticatedAttributes OPTIONAL, digestEncryptionAlgorithm, encryptedDigest, … }.
 */
function parseSignerInfo(node: forge.asn1.Asn1): SignerInfoParts | null {
  const parts = Array.isArray(node.value) ? (node.value as forge.asn1.Asn1[]) : null;
  if (!parts || parts.length < 5) return null;
  const issuerAndSerial = parts[1]!.value as forge.asn1.Asn1[];
  const serial = issuerAndSerial?.[1];
  const digestAlg = (parts[2]!.value as forge.asn1.Asn1[])?.[0];
  if (!serial || !digestAlg) return null;
  let i = 3;
  let authenticatedAttributes: forge.asn1.Asn1[] = [];
  if (parts[i]!.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && parts[i]!.type === 0) {
    authenticatedAttributes = parts[i]!.value as forge.asn1.Asn1[];
    i++;
  }
  const encryptedDigest = parts[i + 1];
  if (!encryptedDigest || typeof encryptedDigest.value !== 'string') return null;
  return {
    serialHex: forge.util.bytesToHex(serial.value as string),
    digestAlgorithm: forge.asn1.derToOid(digestAlg.value as string),
    authenticatedAttributes,
    signature: Buffer.from(encryptedDigest.value, 'binary'),
  };
}

function subjectString(cert: forge.pki.Certificate): string {
  return cert.subject.attributes.map((a) => `${a.shortName ?? a.name}=${String(a.value)}`).join(', ');
}

/** Check a detached PKCS#7 against the bytes it claims to sign. */
export function checkPkcs7(der: Buffer, signedBytes: Buffer): Pkcs7Check {
  const fail = (error: string): Pkcs7Check => ({
    digestValid: false,
    signatureValid: false,
    signingTime: null,
    certificateSubject: '',
    certificateCommonName: '',
    certificateFingerprint: '',
    certificate: null,
    error,
  });
  let msg: { certificates?: forge.pki.Certificate[]; rawCapture?: { signerInfos?: forge.asn1.Asn1[] } };
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')), { parseAllBytes: false } as never);
    msg = forge.pkcs7.messageFromAsn1(asn1) as unknown as typeof msg;
  } catch (e) {
    return fail(`the signature value is not a readable PKCS#7 (${(e as Error).message})`);
  }
  const signerInfo = msg.rawCapture?.signerInfos?.[0];
  if (!signerInfo) return fail('the PKCS#7 has no signer');
  const info = parseSignerInfo(signerInfo);
  if (!info) return fail('the PKCS#7 signer info is malformed');

  const digestOid = info.digestAlgorithm;
  const algorithm = DIGESTS[digestOid];
  if (!algorithm) return fail(`unsupported digest algorithm ${digestOid}`);
  const attrs = info.authenticatedAttributes;
  let messageDigest: string | null = null;
  let signingTime: string | null = null;
  for (const attr of attrs) {
    const parts = attr.value as forge.asn1.Asn1[];
    const oid = forge.asn1.derToOid(parts[0]!.value as string);
    const first = (parts[1]!.value as forge.asn1.Asn1[])[0];
    if (!first) continue;
    if (oid === OID_MESSAGE_DIGEST) messageDigest = forge.util.bytesToHex(first.value as string);
    if (oid === OID_SIGNING_TIME) {
      const v = first.value as string;
      const date = first.type === forge.asn1.Type.UTCTIME ? forge.asn1.utcTimeToDate(v) : forge.asn1.generalizedTimeToDate(v);
      signingTime = date.toISOString();
    }
  }
  const actual = createHash(algorithm).update(signedBytes).digest('hex');
  const digestValid = messageDigest !== null && messageDigest === actual;

  // The certificate whose issuer + serial match the signer (else the first one).
  const certs = msg.certificates ?? [];
  const serial = info.serialHex;
  const cert = certs.find((c) => c.serialNumber.replace(/^0+/, '') === serial.replace(/^0+/, '')) ?? certs[0];
  if (!cert) return { ...fail('the PKCS#7 carries no certificate'), digestValid, signingTime };
  const certPem = forge.pki.certificateToPem(cert);
  const certDer = forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes();
  const fingerprint = createHash('sha256').update(Buffer.from(certDer, 'binary')).digest('hex');

  // RFC 2315 §9.3: the signature is over the DER of the authenticated attributes as a SET OF.
  let signatureValid = false;
  if (attrs.length > 0) {
    const set = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, attrs);
    const setDer = Buffer.from(forge.asn1.toDer(set).getBytes(), 'binary');
    const signature = info.signature;
    try {
      signatureValid = cryptoVerify(algorithm, setDer, createPublicKey(certPem), signature);
    } catch {
      signatureValid = false;
    }
  }
  const cn = cert.subject.getField('CN');
  return {
    digestValid,
    signatureValid,
    signingTime,
    certificateSubject: subjectString(cert),
    certificateCommonName: cn ? String(cn.value) : '',
    certificateFingerprint: fingerprint,
    certificate: cert,
  };
}

// ---------------------------------------------------------------------------------------------
// The attached record

/** The bytes of an embedded file by name (EmbeddedFiles name tree, ISO 32000-1 §7.11.4). */
export function findAttachment(doc: PDFDocument, fileName: string): Uint8Array | null {
  const names = doc.catalog.lookupMaybe(PDFName.of('Names'), PDFDict);
  const root = names?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict);
  if (!root) return null;
  const found: { name: string; spec: PDFDict }[] = [];
  const walk = (node: PDFDict, depth: number): void => {
    if (depth > 32) return;
    const arr = node.lookupMaybe(PDFName.of('Names'), PDFArray);
    if (arr) for (let i = 0; i + 1 < arr.size(); i += 2) {
      const key = arr.lookup(i);
      const spec = arr.lookupMaybe(i + 1, PDFDict);
      const keyText = key instanceof PDFString || key instanceof PDFHexString ? key.decodeText() : '';
      if (spec) found.push({ name: pdfText(spec, 'UF') || pdfText(spec, 'F') || keyText, spec });
    }
    const kids = node.lookupMaybe(PDFName.of('Kids'), PDFArray);
    if (kids) for (let i = 0; i < kids.size(); i++) {
      const kid = kids.lookupMaybe(i, PDFDict);
      if (kid) walk(kid, depth + 1);
    }
  };
  walk(root, 0);
  const hit = found.find((f) => f.name === fileName);
  if (!hit) return null;
  const ef = hit.spec.lookupMaybe(PDFName.of('EF'), PDFDict);
  const ref = ef?.get(PDFName.of('F')) ?? ef?.get(PDFName.of('UF'));
  const stream = ref instanceof PDFRef ? doc.context.lookup(ref) : ref;
  if (!(stream instanceof PDFRawStream)) return null;
  return decodePDFRawStream(stream).decode();
}

// ---------------------------------------------------------------------------------------------

/** Verify signed minutes: signatures, whole-file coverage, and the attached record. */
export async function verifyMinutesPdf(bytes: Uint8Array, options: VerifyOptions = {}): Promise<MinutesVerification> {
  const buf = asBuffer(bytes);
  const problems: string[] = [];
  let doc: PDFDocument | null = null;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: true, throwOnInvalidObject: false });
  } catch (e) {
    problems.push(`the file no longer parses as a PDF (${(e as Error).message})`);
  }

  let raws = doc ? signaturesFromForm(doc) : [];
  if (raws.length === 0) raws = signaturesFromBytes(buf);
  // Order of application = order of the end of the signed range.
  raws.sort((a, b) => (a.byteRange[2] ?? 0) + (a.byteRange[3] ?? 0) - ((b.byteRange[2] ?? 0) + (b.byteRange[3] ?? 0)));

  const signatures: VerifiedSignature[] = [];
  raws.forEach((raw, i) => {
    const index = i + 1;
    const [a, b, c, d] = raw.byteRange;
    const who = (name: string): string => `signature ${index} (${name || raw.fieldName || 'unnamed'})`;
    const wellFormed =
      raw.byteRange.length === 4 &&
      [a, b, c, d].every((n) => Number.isInteger(n) && n! >= 0) &&
      a === 0 &&
      b! < c! &&
      c! + d! <= buf.length &&
      buf[b!] === 0x3c /* < */ &&
      buf[c! - 1] === 0x3e; /* > */
    const base: VerifiedSignature = {
      index,
      name: raw.name,
      signedAt: raw.m ? pdfDateToIso(raw.m) : null,
      reason: raw.reason,
      fieldName: raw.fieldName,
      digestValid: false,
      signatureValid: false,
      coversWholeFile: wellFormed && c! + d! === buf.length,
      byteRange: [a ?? NaN, b ?? NaN, c ?? NaN, d ?? NaN],
      certificateSubject: '',
      certificateFingerprint: '',
      chain: null,
    };
    if (!wellFormed) {
      problems.push(`${who(raw.name)}: its byte range [${raw.byteRange.join(' ')}] does not match the file (the file was cut or rearranged)`);
      signatures.push(base);
      return;
    }
    const hex = buf.subarray(b! + 1, c! - 1).toString('latin1').replace(/\s+/g, '');
    const der = Buffer.from(hex, 'hex');
    const signed = Buffer.concat([buf.subarray(a!, a! + b!), buf.subarray(c!, c! + d!)]);
    const check = checkPkcs7(der, signed);
    const sig: VerifiedSignature = {
      ...base,
      name: raw.name || check.certificateCommonName,
      signedAt: check.signingTime ?? base.signedAt,
      digestValid: check.digestValid,
      signatureValid: check.signatureValid,
      certificateSubject: check.certificateSubject,
      certificateFingerprint: check.certificateFingerprint,
      chain: options.trust && check.certificate ? checkChain(check.certificate, check.certificateFingerprint, options.trust, check.signingTime ? new Date(check.signingTime) : null) : null,
    };
    signatures.push(sig);
    if (sig.chain?.status === 'untrusted') problems.push(`${who(sig.name)}: its certificate is not trusted: ${sig.chain.detail}`);
    if (check.error) problems.push(`${who(sig.name)}: ${check.error}`);
    if (!check.digestValid) problems.push(`${who(sig.name)}: the signed bytes changed (digest mismatch)`);
    else if (!check.signatureValid && !check.error) problems.push(`${who(sig.name)}: the signature does not verify with its certificate`);
  });

  const last = signatures[signatures.length - 1];
  const lastCoversWholeFile = last !== undefined && last.coversWholeFile;
  if (signatures.length === 0) {
    problems.push('the file carries no PDF digital signature');
  } else if (!lastCoversWholeFile) {
    const end = last!.byteRange[2] + last!.byteRange[3];
    if (Number.isFinite(end) && end < buf.length) {
      problems.push(`bytes were appended after the last signature (${buf.length - end} unsigned bytes at the end of the file; signature ${last!.index} does not cover the whole document)`);
    } else if (problems.length === 0) {
      problems.push(`the last signature (${last!.index}) does not cover the whole document`);
    }
  }

  // Every revision after the first may add nothing but a signature (ISO 32000-1 §12.8.2.2 DocMDP
  // spirit): revision k = the bytes up to the end of signature k's range.
  for (let k = 1; k < signatures.length; k++) {
    const prevEnd = signatures[k - 1]!.byteRange[2] + signatures[k - 1]!.byteRange[3];
    const end = signatures[k]!.byteRange[2] + signatures[k]!.byteRange[3];
    if (!Number.isFinite(prevEnd) || !Number.isFinite(end) || end > buf.length || prevEnd >= end) continue;
    const changes = await revisionChanges(bytes.subarray(0, prevEnd), bytes.subarray(0, end));
    for (const c of changes) problems.push(`revision ${k + 1} (with signature ${k + 1}, ${signatures[k]!.name || 'unnamed'}) changes more than a signature: ${c}`);
  }

  let record: unknown | null = null;
  let manifest: unknown | null = null;
  let recordAttachmentFound = false;
  if (doc) {
    const man = findAttachment(doc, MANIFEST_ATTACHMENT_NAME);
    if (man) {
      try {
        manifest = JSON.parse(new TextDecoder().decode(man));
      } catch {
        problems.push(`the attached ${MANIFEST_ATTACHMENT_NAME} is not valid JSON`);
      }
    }
    const att = findAttachment(doc, RECORD_ATTACHMENT_NAME);
    if (att) {
      recordAttachmentFound = true;
      try {
        record = JSON.parse(new TextDecoder().decode(att));
      } catch {
        problems.push(`the attached ${RECORD_ATTACHMENT_NAME} is not valid JSON`);
      }
    }
  }
  if (!recordAttachmentFound) problems.push(`the machine-readable record (${RECORD_ATTACHMENT_NAME}) is not attached`);

  return { intact: problems.length === 0, signatures, lastCoversWholeFile, record, recordAttachmentFound, manifest, problems };
}

export { MANIFEST_ATTACHMENT_NAME } from './document.js';

// ---------------------------------------------------------------------------------------------
// What a later revision changed

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** A comparable JSON-able form of a PDF object, references resolved, streams by decoded SHA-256. */
function canon(doc: PDFDocument, obj: unknown, skip: readonly string[] = [], depth = 0): unknown {
  if (depth > 40) return '…';
  const o = obj instanceof PDFRef ? doc.context.lookup(obj) : obj;
  if (o instanceof PDFDict) {
    const out: Record<string, unknown> = {};
    const keys = o.keys().map((k) => k.asString()).sort();
    for (const k of keys) if (!skip.includes(k) && k !== '/Parent' && k !== '/P') out[k] = canon(doc, o.get(PDFName.of(k.slice(1))), [], depth + 1);
    return out;
  }
  if (o instanceof PDFArray) return o.asArray().map((v) => canon(doc, v, [], depth + 1));
  if (o instanceof PDFRawStream) {
    let data: Uint8Array;
    try {
      data = decodePDFRawStream(o).decode();
    } catch {
      data = o.contents;
    }
    return { stream: canon(doc, o.dict, ['/Length', '/Filter', '/DecodeParms'], depth + 1), sha256: sha(data) };
  }
  if (o instanceof PDFString || o instanceof PDFHexString) return `(${o.decodeText()})`;
  if (o instanceof PDFNumber) return o.asNumber();
  return o === undefined ? null : String(o);
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** An invisible signature widget: Widget, FT Sig, a zero-area Rect, no visible appearance. */
function isInvisibleSignatureWidget(doc: PDFDocument, annot: PDFDict): boolean {
  const name = (k: string) => annot.lookupMaybe(PDFName.of(k), PDFName)?.asString();
  if (name('Subtype') !== '/Widget' || name('FT') !== '/Sig') return false;
  const rect = annot.lookupMaybe(PDFName.of('Rect'), PDFArray);
  const r = rect ? rect.asArray().map((v) => (v instanceof PDFNumber ? v.asNumber() : NaN)) : [0, 0, 0, 0];
  if (r.length !== 4 || (Math.abs(r[2]! - r[0]!) > 0 && Math.abs(r[3]! - r[1]!) > 0)) return false;
  const ap = annot.lookupMaybe(PDFName.of('AP'), PDFDict);
  const n = ap?.get(PDFName.of('N'));
  const stream = n instanceof PDFRef ? doc.context.lookup(n) : n;
  if (stream instanceof PDFRawStream) {
    try {
      if (new TextDecoder().decode(decodePDFRawStream(stream).decode()).trim() !== '') return false;
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * What the later revision `cur` changed, beyond adding an invisible signature field, compared with
 * the earlier revision `prev` (its prefix): the document catalog (but the AcroForm), the page count,
 * each page (content streams, resources, boxes) and its annotations, and the form's fields.
 */
export async function revisionChanges(prev: Uint8Array, cur: Uint8Array): Promise<string[]> {
  const load = (b: Uint8Array) => PDFDocument.load(b, { updateMetadata: false, ignoreEncryption: true, throwOnInvalidObject: false });
  let a: PDFDocument;
  let b: PDFDocument;
  try {
    [a, b] = [await load(prev), await load(cur)];
  } catch (e) {
    return [`a revision cannot be read (${(e as Error).message})`];
  }
  const out: string[] = [];
  if (!same(canon(a, a.catalog, ['/AcroForm', '/Pages']), canon(b, b.catalog, ['/AcroForm', '/Pages']))) out.push('the document catalog changed (attachments, names, actions or outlines)');
  const pa = a.getPages();
  const pb = b.getPages();
  if (pa.length !== pb.length) out.push(`the page count changed from ${pa.length} to ${pb.length}`);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (!same(canon(a, pa[i]!.node, ['/Annots']), canon(b, pb[i]!.node, ['/Annots']))) out.push(`page ${i + 1}'s content or resources changed (something was drawn on it)`);
    const annA = pa[i]!.node.lookupMaybe(PDFName.of('Annots'), PDFArray)?.asArray() ?? [];
    const annB = pb[i]!.node.lookupMaybe(PDFName.of('Annots'), PDFArray)?.asArray() ?? [];
    const before = annA.map((x) => canon(a, x));
    for (let j = 0; j < annB.length; j++) {
      if (j < before.length && same(before[j], canon(b, annB[j]))) continue;
      const ann = annB[j] instanceof PDFRef ? b.context.lookup(annB[j] as PDFRef) : annB[j];
      if (j < before.length || !(ann instanceof PDFDict) || !isInvisibleSignatureWidget(b, ann)) out.push(`page ${i + 1} gained or changed an annotation that is not an invisible signature field`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// poppler's pdfsig, for a second opinion

export interface PdfsigSignature {
  index: number;
  fieldName: string;
  commonName: string;
  distinguishedName: string;
  signingTime: string;
  hashAlgorithm: string;
  signatureType: string;
  signedRanges: string;
  /** "Total document signed" printed for this signature. */
  totalDocumentSigned: boolean;
  /** The text after "Signature Validation:", e.g. "Signature is Valid." or "Digest Mismatch." */
  validation: string;
  signatureValid: boolean;
  certificateValidation: string;
}

export interface PdfsigReport {
  /** False when pdfsig is not installed. */
  available: boolean;
  /** pdfsig's exit code (it exits 0 even on a digest mismatch). */
  exitCode: number | null;
  output: string;
  signatures: PdfsigSignature[];
}

/** Parse pdfsig's text output (poppler-utils 22–25 format). */
export function parsePdfsigOutput(output: string): PdfsigSignature[] {
  const blocks = output.split(/^Signature #(\d+):\s*$/m);
  const out: PdfsigSignature[] = [];
  for (let i = 1; i + 1 < blocks.length; i += 2) {
    const body = blocks[i + 1]!;
    const field = (label: string): string => {
      const m = new RegExp(`^\\s*-\\s*${label}:\\s*(.*)$`, 'm').exec(body);
      return m ? m[1]!.trim() : '';
    };
    const validation = field('Signature Validation');
    out.push({
      index: Number(blocks[i]),
      fieldName: field('Signature Field Name'),
      commonName: field('Signer Certificate Common Name'),
      distinguishedName: field('Signer full Distinguished Name'),
      signingTime: field('Signing Time'),
      hashAlgorithm: field('Signing Hash Algorithm'),
      signatureType: field('Signature Type'),
      signedRanges: field('Signed Ranges'),
      totalDocumentSigned: /^\s*-\s*Total document signed\s*$/m.test(body),
      validation,
      signatureValid: validation === 'Signature is Valid.',
      certificateValidation: field('Certificate Validation'),
    });
  }
  return out;
}

/** Run `pdfsig` on a file and parse what it prints. */
export async function pdfsigReport(path: string, pdfsigPath = 'pdfsig'): Promise<PdfsigReport> {
  try {
    const { stdout, stderr } = await promisify(execFile)(pdfsigPath, [path], { maxBuffer: 16 * 1024 * 1024 });
    const output = `${stdout}${stderr}`;
    return { available: true, exitCode: 0, output, signatures: parsePdfsigOutput(output) };
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { code?: string | number; stdout?: string; stderr?: string };
    if (err.code === 'ENOENT') return { available: false, exitCode: null, output: '', signatures: [] };
    const output = `${err.stdout ?? ''}${err.stderr ?? ''}`;
    return { available: true, exitCode: typeof err.code === 'number' ? err.code : null, output, signatures: parsePdfsigOutput(output) };
  }
}

// ---------------------------------------------------------------------------------------------
// The visible pages against the pages rendered from the record

/**
 * A page's drawing as comparable text: its decoded content streams with the resource names (random
 * per render in pdf-lib) replaced by what they stand for — a font by its base font name without the
 * subset tag, an XObject or graphics state by its order of first use.
 */
function pageDrawing(doc: PDFDocument, pageIndex: number): string {
  const page = doc.getPages()[pageIndex]!;
  const node = page.node;
  const contents = node.get(PDFName.of('Contents'));
  const streams: PDFRawStream[] = [];
  const add = (o: unknown) => {
    const x = o instanceof PDFRef ? doc.context.lookup(o) : o;
    if (x instanceof PDFRawStream) streams.push(x);
    else if (x instanceof PDFArray) x.asArray().forEach(add);
  };
  add(contents);
  let text = streams
    .map((st) => {
      try {
        return Buffer.from(decodePDFRawStream(st).decode()).toString('latin1');
      } catch {
        return Buffer.from(st.contents).toString('latin1');
      }
    })
    .join('\n');
  const res = node.Resources();
  const fonts = res?.lookupMaybe(PDFName.of('Font'), PDFDict);
  const names = new Map<string, string>();
  for (const [k, v] of fonts?.entries() ?? []) {
    const f = v instanceof PDFRef ? doc.context.lookup(v) : v;
    const base = f instanceof PDFDict ? f.lookupMaybe(PDFName.of('BaseFont'), PDFName)?.asString() ?? '?' : '?';
    names.set(k.asString(), `/Font(${base.replace(/^\/[A-Z]{6}\+/, '/')})`);
  }
  let n = 0;
  for (const cat of ['XObject', 'ExtGState', 'Pattern', 'Shading']) {
    const d = res?.lookupMaybe(PDFName.of(cat), PDFDict);
    for (const [k] of d?.entries() ?? []) if (!names.has(k.asString())) names.set(k.asString(), `/${cat}(${n++})`);
  }
  // Longest names first so that /F1-12 is not replaced inside /F1-123.
  for (const [k, v] of [...names].sort((a, b) => b[0].length - a[0].length)) text = text.split(k).join(v);
  return text;
}

/**
 * Each page's drawing (pageDrawing) as a SHA-256: signed into the manifest at export, so that any
 * later DoseDesk, whose renderer may draw the same record differently, can still tell that every
 * page is the one exported.
 */
export async function pageDigests(file: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(file, { updateMetadata: false, ignoreEncryption: true, throwOnInvalidObject: false });
  return doc.getPages().map((_, i) => createHash('sha256').update(pageDrawing(doc, i), 'latin1').digest('hex'));
}

/** Compare each page of `file` with the same page of `rendered`; returns the 1-based pages that differ. */
export async function comparePages(file: Uint8Array, rendered: Uint8Array): Promise<{ compared: number; differing: number[] }> {
  const a = await PDFDocument.load(file, { updateMetadata: false, ignoreEncryption: true, throwOnInvalidObject: false });
  const b = await PDFDocument.load(rendered, { updateMetadata: false });
  const na = a.getPageCount();
  const nb = b.getPageCount();
  const differing: number[] = [];
  for (let i = 0; i < Math.max(na, nb); i++) {
    if (i >= na || i >= nb || pageDrawing(a, i) !== pageDrawing(b, i)) differing.push(i + 1);
  }
  return { compared: Math.max(na, nb), differing };
}
