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
import { RECORD_ATTACHMENT_NAME } from './document.js';

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
}

export interface MinutesVerification {
  /** Every signature valid, the last covering the whole file, the record attached: nothing to report. */
  intact: boolean;
  signatures: VerifiedSignature[];
  lastCoversWholeFile: boolean;
  record: unknown | null;
  recordAttachmentFound: boolean;
  problems: string[];
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
export async function verifyMinutesPdf(bytes: Uint8Array): Promise<MinutesVerification> {
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
    };
    signatures.push(sig);
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

  let record: unknown | null = null;
  let recordAttachmentFound = false;
  if (doc) {
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

  return { intact: problems.length === 0, signatures, lastCoversWholeFile, record, recordAttachmentFound, problems };
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
