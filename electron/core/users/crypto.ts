import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, scrypt, timingSafeEqual, type KeyObject } from 'node:crypto';

// Password hashing and the users' signing keys.
// - Passwords: scrypt (RFC 7914; memory-hard), N = 2^15, r = 8, p = 1 (128·N·r = 32 MiB per hash),
//   a 16-byte random salt per user, 32-byte output, compared in constant time.
// - Signing keys: Ed25519 (RFC 8032) pairs from node:crypto. The private key (PKCS#8 DER) is encrypted
//   with AES-256-GCM under a key derived from the password by scrypt with its own salt; the
//   parameters travel with the ciphertext so that they can be raised later.

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export const SCRYPT_PARAMS: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

let params: ScryptParams = SCRYPT_PARAMS;

/**
 * Tests only: cheaper parameters for new hashes so that suites creating many accounts stay fast on a
 * loaded machine. Each stored hash and key carries its own parameters, so verification is unaffected.
 */
export function useScryptParamsForTests(p: ScryptParams | null): void {
  params = p ?? SCRYPT_PARAMS;
}

/** The parameters new hashes get. */
export function currentScryptParams(): ScryptParams {
  return params;
}

/** How many times the KDF ran (tests: an unknown user name costs a hash like a known one). */
export const kdfCalls = { n: 0 };

function scryptAsync(secret: string, salt: Buffer, keyLen: number, prm: ScryptParams): Promise<Buffer> {
  kdfCalls.n++;
  return new Promise((resolve, reject) =>
    scrypt(secret.normalize('NFC'), salt, keyLen, { N: prm.N, r: prm.r, p: prm.p, maxmem: 256 * prm.N * prm.r + 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export interface PasswordHash extends ScryptParams {
  salt: string;
  hash: string;
}

export async function hashPassword(password: string, prm: ScryptParams = params): Promise<PasswordHash> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, 32, prm);
  return { ...prm, salt: salt.toString('base64'), hash: hash.toString('base64') };
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const got = await scryptAsync(password, Buffer.from(stored.salt, 'base64'), expected.length, stored);
  return got.length === expected.length && timingSafeEqual(got, expected);
}

export interface EncryptedKey extends ScryptParams {
  v: 1;
  kdf: 'scrypt';
  cipher: 'aes-256-gcm';
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

export async function encryptPrivateKey(privateKey: KeyObject, password: string, prm: ScryptParams = params): Promise<EncryptedKey> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await scryptAsync(password, salt, 32, prm);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  const data = Buffer.concat([c.update(der), c.final()]);
  return { v: 1, kdf: 'scrypt', cipher: 'aes-256-gcm', ...prm, salt: salt.toString('base64'), iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64'), data: data.toString('base64') };
}

/** Decrypts with the password; throws when the password is wrong (the GCM tag does not verify). */
export async function decryptPrivateKey(enc: EncryptedKey, password: string): Promise<KeyObject> {
  const key = await scryptAsync(password, Buffer.from(enc.salt, 'base64'), 32, enc);
  const d = createDecipheriv('aes-256-gcm', key, Buffer.from(enc.iv, 'base64'));
  d.setAuthTag(Buffer.from(enc.tag, 'base64'));
  const der = Buffer.concat([d.update(Buffer.from(enc.data, 'base64')), d.final()]);
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

export interface NewKeyPair {
  publicKeyPem: string;
  privateKey: KeyObject;
}

export function newSigningKeyPair(): NewKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKey };
}

export const publicKeyOf = (pem: string): KeyObject => createPublicKey(pem);

// ---- password rules (settings) ----

/** The four character classes counted by the password rule: lower case, upper case, digit, other. */
export function passwordClasses(pw: string): number {
  return [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{Ll}\p{Lu}\p{Nd}]/u].filter((re) => re.test(pw)).length;
}

/** Why a password does not meet the rules (empty when it does). */
export function passwordProblems(pw: string, rules: { passwordMinLength: number; passwordMinClasses: number }, username?: string): string[] {
  const out: string[] = [];
  if ([...pw].length < rules.passwordMinLength) out.push(`at least ${rules.passwordMinLength} characters`);
  if (passwordClasses(pw) < rules.passwordMinClasses) out.push(`at least ${rules.passwordMinClasses} of: lower case, upper case, digit, other character`);
  if (username && pw.toLowerCase().includes(username.toLowerCase())) out.push('must not contain the user name');
  return out;
}
