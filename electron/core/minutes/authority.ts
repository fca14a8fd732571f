import { createHash, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type Forge from 'node-forge';
import { requireOnUse } from '../lazy';
import type { Db } from '../store/db';
import { authorityById, firstAuthority, insertAuthority, type AuthorityRow } from './queries';

// node-forge is loaded at first use (certificates), not by every command that imports this module.
const forge = requireOnUse<typeof Forge>('node-forge');

// The organisation trust root (issue 11 "Trust"; README.md#meetings-and-signed-minutes: signing identities chain to the
// installation's own signing authority). At first need the installation creates a local signing
// authority: an RSA key in a 0600 file beside the database (never inside it) and a self-signed CA
// certificate (RFC 5280 §4.2.1.9 basicConstraints cA=TRUE, keyUsage keyCertSign) kept in the
// signing_authority table. Users' PDF signing certificates are issued by it, so minutes.verify can
// refuse any signature whose certificate does not chain to a trusted root: the local one (only while
// its key file is present and matches, so that a root slipped into the database is not trusted) or
// roots handed over with `--trust FILE` (dosedesk minutes export-trust) on another machine.
//
// A trust file is a PEM bundle: CA certificates are roots; end-entity certificates in it are pinned
// LEGACY signing certificates (self-signed per-user identities of DoseDesk before the trust root),
// so that minutes exported before this change still verify elsewhere, marked "legacy".

export type { AuthorityRow } from './queries';

export interface Authority {
  authorityId: number;
  certificatePem: string;
  certificate: Forge.pki.Certificate;
  /** SHA-256 (hex) of the CA certificate's DER. */
  fingerprint: string;
  subject: string;
  keyFile: string;
  createdAt: string;
}

/** In-memory databases keep their key in memory (tests, never a real installation). */
const memoryKeys = new WeakMap<Db, string>();

/** The authority's key file: beside the database, `<db>.signing-authority.key` (mode 0600). */
export function authorityKeyFile(dbPath: string): string {
  return dbPath === ':memory:' ? ':memory:' : `${dbPath}.signing-authority.key`;
}

/** SHA-256 (hex) of a certificate's DER encoding (what pdfsig and openssl x509 -fingerprint show). */
export function fingerprintOf(cert: Forge.pki.Certificate): string {
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes();
  return createHash('sha256').update(Buffer.from(der, 'binary')).digest('hex');
}

export const subjectOf = (cert: Forge.pki.Certificate): string =>
  cert.subject.attributes.map((a) => `${a.shortName ?? a.name}=${String(a.value)}`).join(', ');

/** A random positive serial number (RFC 5280 §4.1.2.2: positive, at most 20 octets). */
function randomSerial(): string {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x10;
  return b.toString('hex');
}

/** RSA key pair made by Node's native crypto (forge's pure-JS generation takes seconds). */
export function rsaKeyPair(bits = 2048): { privateKey: Forge.pki.rsa.PrivateKey; publicKey: Forge.pki.rsa.PublicKey; privateKeyPem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 0x10001 });
  const privateKeyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const priv = forge.pki.privateKeyFromPem(privateKeyPem) as Forge.pki.rsa.PrivateKey;
  return { privateKey: priv, publicKey: forge.pki.setRsaPublicKey(priv.n, priv.e), privateKeyPem };
}

function loadKey(db: Db, row: AuthorityRow): string | null {
  if (row.key_file === ':memory:') return memoryKeys.get(db) ?? null;
  try {
    return fs.readFileSync(row.key_file, 'utf8');
  } catch {
    return null;
  }
}

/** Does the PEM private key belong to the certificate? (compares the public keys) */
function keyMatches(keyPem: string, cert: Forge.pki.Certificate): boolean {
  try {
    const fromKey = createPublicKey(keyPem).export({ type: 'spki', format: 'der' });
    const fromCert = createPublicKey(forge.pki.publicKeyToPem(cert.publicKey)).export({ type: 'spki', format: 'der' });
    return Buffer.compare(fromKey, fromCert) === 0;
  } catch {
    return false;
  }
}

function toAuthority(row: AuthorityRow): Authority {
  const certificate = forge.pki.certificateFromPem(row.certificate);
  return { authorityId: row.authority_id, certificatePem: row.certificate, certificate, fingerprint: row.fingerprint, subject: subjectOf(certificate), keyFile: row.key_file, createdAt: row.created_at };
}

export interface LocalAuthorityState {
  authority: Authority | null;
  /** The key file is present and holds the CA certificate's key: the local root may be trusted. */
  keyOk: boolean;
  /** Why the local root is not trusted, when it is not. */
  problem: string | null;
}

/** The installation's authority as stored, with whether its key file is present and matches. */
export function localAuthority(db: Db): LocalAuthorityState {
  const row = firstAuthority(db);
  if (!row) return { authority: null, keyOk: false, problem: 'this installation has no signing authority yet' };
  const authority = toAuthority(row);
  const key = loadKey(db, row);
  if (key === null) return { authority, keyOk: false, problem: `the signing authority's key file ${row.key_file} is missing: the local trust root is not trusted` };
  if (!keyMatches(key, authority.certificate)) return { authority, keyOk: false, problem: `the signing authority's key file ${row.key_file} does not hold the key of the stored CA certificate: the local trust root is not trusted` };
  return { authority, keyOk: true, problem: null };
}

/**
 * The installation's authority, created on first need: a 3072-bit RSA key written to `<db>.signing-authority.key`
 * with mode 0600 (created exclusively: an existing file is never overwritten) and a self-signed CA
 * certificate valid 20 years. `onCreate` runs inside the insert's transaction (the audit entry).
 */
export function ensureAuthority(db: Db, dbPath: string, now: string, onCreate?: (a: Authority) => void): Authority {
  const state = localAuthority(db);
  if (state.authority) {
    if (!state.keyOk) throw new Error(state.problem!);
    return state.authority;
  }
  const keyFile = authorityKeyFile(dbPath);
  const keys = rsaKeyPair(3072);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = randomSerial();
  const start = new Date(Date.parse(now) || Date.now());
  cert.validity.notBefore = new Date(start.getTime() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(start.getTime());
  cert.validity.notAfter.setFullYear(start.getFullYear() + 20);
  const attrs: Forge.pki.CertificateField[] = [
    { name: 'commonName', value: `DoseDesk signing authority ${randomBytes(4).toString('hex')}` },
    { name: 'organizationName', value: 'DoseDesk' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const pem = forge.pki.certificateToPem(cert);
  const fingerprint = fingerprintOf(cert);
  if (keyFile === ':memory:') memoryKeys.set(db, keys.privateKeyPem);
  else {
    // A key file without an authority in this database belongs to an earlier database at this path:
    // keep it (renamed), never overwrite a key.
    if (fs.existsSync(keyFile)) fs.renameSync(keyFile, `${keyFile}.orphaned-${start.toISOString().replace(/[:.]/g, '-')}`);
    fs.writeFileSync(keyFile, keys.privateKeyPem, { mode: 0o600, flag: 'wx' });
    fs.chmodSync(keyFile, 0o600);
  }
  const id = db.transaction(() => {
    const authorityId = insertAuthority(db, pem, fingerprint, keyFile, now);
    const a = toAuthority({ authority_id: authorityId, certificate: pem, fingerprint, key_file: keyFile, created_at: now });
    onCreate?.(a);
    return authorityId;
  }).immediate();
  return toAuthority({ authority_id: id, certificate: pem, fingerprint, key_file: keyFile, created_at: now });
}

/** The authority's private key (PEM); throws when it cannot be used. */
export function authorityKey(db: Db): { authority: Authority; keyPem: string } {
  const state = localAuthority(db);
  if (!state.authority || !state.keyOk) throw new Error(state.problem ?? 'no signing authority');
  const row = authorityById(db, state.authority.authorityId);
  return { authority: state.authority, keyPem: loadKey(db, row)! };
}

export interface IssuedIdentity {
  /** DER PKCS#12 with the key, the user's certificate and the CA certificate (the chain). */
  p12: Uint8Array;
  certificatePem: string;
}

/** A user's PDF signing certificate issued by the authority (RFC 5280: end entity, digitalSignature + nonRepudiation). */
export function issueSigningIdentity(db: Db, input: { commonName: string; organization?: string; password: string; validityYears?: number; /** The issue time (the core's clock). */ now: Date }): IssuedIdentity {
  if (!input.commonName.trim()) throw new Error('issueSigningIdentity: commonName is required');
  if (!input.password) throw new Error('issueSigningIdentity: a password is required to protect the PKCS#12');
  const { authority, keyPem } = authorityKey(db);
  const caKey = forge.pki.privateKeyFromPem(keyPem);
  const keys = rsaKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = randomSerial();
  const now = input.now;
  cert.validity.notBefore = new Date(now.getTime() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(now.getTime());
  cert.validity.notAfter.setFullYear(now.getFullYear() + (input.validityYears ?? 10));
  if (cert.validity.notAfter > authority.certificate.validity.notAfter) cert.validity.notAfter = authority.certificate.validity.notAfter;
  const attrs: Forge.pki.CertificateField[] = [{ name: 'commonName', value: input.commonName }];
  if (input.organization) attrs.push({ name: 'organizationName', value: input.organization });
  cert.setSubject(attrs);
  cert.setIssuer(authority.certificate.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: authority.certificate.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  const asn1 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert, authority.certificate], input.password, { algorithm: 'aes256', friendlyName: input.commonName });
  const der = forge.asn1.toDer(asn1).getBytes();
  return { p12: Uint8Array.from(Buffer.from(der, 'binary')), certificatePem: forge.pki.certificateToPem(cert) };
}

/** Is this certificate issued by the authority (its signature verifies with the CA key)? */
export function issuedBy(cert: Forge.pki.Certificate, ca: Forge.pki.Certificate): boolean {
  try {
    return ca.verify(cert);
  } catch {
    return false;
  }
}

// ---- trust stores ---------------------------------------------------------------------------------

export interface TrustRoot {
  certificate: Forge.pki.Certificate;
  fingerprint: string;
  subject: string;
  /** Where the root comes from: "this installation" or the trust file's path. */
  source: string;
}

export interface TrustStore {
  roots: TrustRoot[];
  /** Legacy self-signed signing certificates pinned by fingerprint → where from. */
  pinned: Map<string, string>;
}

const isCa = (cert: Forge.pki.Certificate): boolean => {
  const bc = cert.getExtension('basicConstraints') as { cA?: boolean } | null;
  return bc?.cA === true;
};

/** Parse a trust file (PEM bundle). CA certificates must be self-signed; others are pinned legacy certificates. */
export function parseTrustBundle(text: string, source: string): { store: TrustStore; problems: string[] } {
  const store: TrustStore = { roots: [], pinned: new Map() };
  const problems: string[] = [];
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) problems.push(`${source}: no PEM certificate found (expected the file written by "dosedesk minutes export-trust")`);
  blocks.forEach((pem, i) => {
    let cert: Forge.pki.Certificate;
    try {
      cert = forge.pki.certificateFromPem(pem);
    } catch (e) {
      problems.push(`${source}: certificate ${i + 1} cannot be read (${(e as Error).message})`);
      return;
    }
    const fingerprint = fingerprintOf(cert);
    if (isCa(cert)) {
      if (!issuedBy(cert, cert)) problems.push(`${source}: CA certificate ${i + 1} (${subjectOf(cert)}) is not validly self-signed; ignored`);
      else store.roots.push({ certificate: cert, fingerprint, subject: subjectOf(cert), source });
    } else store.pinned.set(fingerprint, `${source} (legacy certificate ${subjectOf(cert)})`);
  });
  return { store, problems };
}

export function mergeTrust(...stores: TrustStore[]): TrustStore {
  const out: TrustStore = { roots: [], pinned: new Map() };
  for (const s of stores) {
    for (const r of s.roots) if (!out.roots.some((x) => x.fingerprint === r.fingerprint)) out.roots.push(r);
    for (const [k, v] of s.pinned) if (!out.pinned.has(k)) out.pinned.set(k, v);
  }
  return out;
}

export interface ChainCheck {
  status: 'chained' | 'legacy' | 'untrusted';
  /** The root's fingerprint (chained) or the pin's source (legacy). */
  root: string | null;
  detail: string;
}

/**
 * Does the signer's certificate chain to a trusted root (RFC 5280 §6.1, one level: issuer name equals
 * the root's subject, the certificate's signature verifies with the root's key, it is not itself a
 * CA, and the signing time lies inside both validity periods)? A certificate pinned as legacy is
 * "legacy"; anything else is "untrusted".
 */
export function checkChain(cert: Forge.pki.Certificate, fingerprint: string, trust: TrustStore, signingTime: Date | null): ChainCheck {
  const at = signingTime ?? new Date();
  const inside = (c: Forge.pki.Certificate) => at >= c.validity.notBefore && at <= c.validity.notAfter;
  for (const r of trust.roots) {
    if (fingerprint === r.fingerprint) return { status: 'untrusted', root: null, detail: 'signed with the trust root itself, not with an issued signing certificate' };
    if (!issuedBy(cert, r.certificate)) continue;
    if (isCa(cert)) return { status: 'untrusted', root: null, detail: 'the signing certificate is a CA certificate, not a signing identity' };
    if (!inside(cert)) return { status: 'untrusted', root: null, detail: `signed at ${at.toISOString()}, outside the certificate's validity (${cert.validity.notBefore.toISOString()} to ${cert.validity.notAfter.toISOString()})` };
    if (!inside(r.certificate)) return { status: 'untrusted', root: null, detail: `signed at ${at.toISOString()}, outside the trust root's validity` };
    return { status: 'chained', root: r.fingerprint, detail: `issued by the trusted root ${r.subject} (SHA-256 ${r.fingerprint}, ${r.source})` };
  }
  const pin = trust.pinned.get(fingerprint);
  if (pin && issuedBy(cert, cert)) return { status: 'legacy', root: null, detail: `legacy: not chained to a root; a self-signed DoseDesk signing certificate known to ${pin}` };
  const issuer = cert.issuer.attributes.map((a) => `${a.shortName ?? a.name}=${String(a.value)}`).join(', ');
  return {
    status: 'untrusted',
    root: null,
    detail:
      trust.roots.length === 0
        ? 'no trusted DoseDesk root is available to check it against (give the exporting installation\'s root with --trust FILE)'
        : `the certificate (issuer ${issuer}) does not chain to a trusted DoseDesk root${issuedBy(cert, cert) ? ' (it is self-signed)' : ' (its signature does not verify with any trusted root)'}`,
  };
}
