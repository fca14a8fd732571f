import { createHash, sign as edSign, verify as edVerify, type KeyObject } from 'node:crypto';
import { MeetingExport, type ExportCheck } from '../../../shared/api/meetings';
import { canonicalJson, signaturePayload, type Signature } from '../../../shared/meeting';
import { publicKeyOf } from '../users/crypto';
import type { z } from 'zod';

// Signature/record linking (21 CFR 11.70): a signature is Ed25519 (RFC 8032) over the UTF-8 bytes of
// the canonical JSON of a payload that holds the SHA-256 of the record version's canonical JSON, the
// meeting id and version, the signer, the meaning and the time (11.50). Verifying recomputes the
// record hash from the record itself, so a signature copied to another record or version, or kept
// on an edited record, fails; only the public key is needed (offline verification).

export const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** SHA-256 (hex) of the record version's canonical JSON (RFC 8785), UTF-8. */
export function recordHash(record: unknown): string {
  return sha256Hex(Buffer.from(canonicalJson(record), 'utf8'));
}

type Unsigned = Omit<Signature, 'signature' | 'signatureId' | 'algorithm' | 'keyId' | 'title' | 'role'>;

export function payloadBytes(s: Unsigned): Buffer {
  return Buffer.from(canonicalJson(signaturePayload(s)), 'utf8');
}

/** The base64 Ed25519 signature of a signature record's payload. */
export function signPayload(s: Unsigned, privateKey: KeyObject): string {
  return edSign(null, payloadBytes(s), privateKey).toString('base64');
}

export interface SignatureCheck {
  valid: boolean;
  problem: string | null;
}

/**
 * Checks one signature against a record version with the signer's public key alone: the signature
 * names this meeting and version, the record's hash now equals the hash signed, and the Ed25519
 * signature over (record hash, signer, meaning, time) verifies.
 */
export function verifyRecordSignature(record: { meetingId: number; version: number }, sig: Signature, publicKeyPem: string): SignatureCheck {
  if (sig.meetingId !== record.meetingId || sig.version !== record.version) {
    return { valid: false, problem: `the signature was given to meeting ${sig.meetingId} version ${sig.version}, not meeting ${record.meetingId} version ${record.version}` };
  }
  const computed = recordHash(record);
  if (sig.recordHash !== computed) return { valid: false, problem: `the record changed after signing (signed hash ${sig.recordHash.slice(0, 12)}…, record now ${computed.slice(0, 12)}…)` };
  let ok = false;
  try {
    ok = edVerify(null, payloadBytes({ ...sig, recordHash: computed }), publicKeyOf(publicKeyPem), Buffer.from(sig.signature, 'base64'));
  } catch (e) {
    return { valid: false, problem: `the signature could not be checked: ${(e as Error).message}` };
  }
  return ok ? { valid: true, problem: null } : { valid: false, problem: 'the Ed25519 signature does not verify with the signer\'s public key (signer, meaning or time altered, or another key)' };
}

/** Checks an exported record (meetings.exportRecord output) offline: record hash, figures, signatures. */
export function verifyExport(raw: unknown): z.infer<typeof ExportCheck> {
  const parsed = MeetingExport.safeParse(raw);
  if (!parsed.success) throw new Error(`not a DoseDesk meeting export: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  // hash what was exported, as exported (the raw record object, not a re-parsed copy with defaults)
  const exp = parsed.data;
  const rawRecord = (raw as { record: unknown }).record;
  const computed = recordHash(rawRecord);
  const figures = new Map(exp.figures.map((f) => [f.sha256, f]));
  const figuresOk =
    exp.record.content.figures.every((f) => figures.has(f.sha256)) && exp.figures.every((f) => sha256Hex(Buffer.from(f.dataBase64, 'base64')) === f.sha256);
  const keys = new Map(exp.publicKeys.map((k) => [k.keyId, k]));
  const rec = rawRecord as { meetingId: number; version: number };
  const signatures = exp.signatures.map((s) => {
    const k = keys.get(s.keyId);
    const check: SignatureCheck = !k || k.userId !== s.userId ? { valid: false, problem: `no public key ${s.keyId} of user ${s.userId} in the export` } : verifyRecordSignature(rec, s, k.publicKeyPem);
    return { signatureId: s.signatureId, printedName: s.printedName, meaning: s.meaning, signedAt: s.signedAt, ...check };
  });
  const recordHashOk = computed === exp.recordHash;
  return { recordHashOk, computedRecordHash: computed, figuresOk, signatures, ok: recordHashOk && figuresOk && signatures.every((s) => s.valid) };
}
