import { createPublicKey, sign as rsaSign, verify as rsaVerify } from 'node:crypto';
import type Forge from 'node-forge';
import { requireOnUse } from '../lazy';
import { canonicalJson } from '../../../shared/meeting';
import type { Db } from '../store/db';
import { authorityKey, ensureAuthority, type Authority } from '../minutes/authority';
import { stamp, type Clock } from './clock';
import { appendAudit } from './log';
import {
  auditEntryCount,
  auditHashAt,
  auditHeadRow,
  authorityCertificates,
  authoritySince,
  checkpointRows,
  insertCheckpoint,
  signatureCount,
  signaturesAll,
  signaturesWithAuditHead,
  userAccountCount,
  type CheckpointRow,
} from './queries';

// node-forge is loaded at first use (certificates), not by every command that imports this module.
const forge = requireOnUse<typeof Forge>('node-forge');

// Anchors of the audit chain (issue 11 "Trust"). A hash chain alone cannot tell that its newest
// entries were deleted, that it was recomputed after an edit, or that the table was emptied. So every
// e-signature and every minutes export writes a CHECKPOINT: the chain's head (seq, hash) at that
// moment, signed (RSA PKCS#1 v1.5, SHA-256) with the installation's signing-authority key, which
// lives outside the database. The export also prints the head into the signed minutes (their
// manifest). audit.verify checks every checkpoint: its signature, and that entry `seq` still
// exists with hash `hash`. An empty trail beside users, signatures or checkpoints is broken too.
// Limitation: entries written after the newest checkpoint can still be removed unseen.

export type { CheckpointRow } from './queries';

const payload = (c: Omit<CheckpointRow, 'checkpoint_id' | 'signature'>): Buffer =>
  Buffer.from(canonicalJson({ type: 'dosedesk-audit-checkpoint', seq: c.seq, hash: c.hash, at: c.at, kind: c.kind, ref: c.ref, authority: c.authority_fingerprint }), 'utf8');

/** The installation's authority, created (and audited) on first need. */
export function ensureLocalAuthority(ctx: { db: Db; dbPath: string; clock: Clock }): Authority {
  return ensureAuthority(ctx.db, ctx.dbPath, stamp(ctx).iso, (a) =>
    appendAudit(ctx, {
      user: 'system',
      action: 'create',
      entity: 'signing-authority',
      entityId: a.authorityId,
      new: { subject: a.subject, certificateSha256: a.fingerprint, keyFile: a.keyFile },
      reason: 'first start: the organisation trust root that issues the signing certificates',
    }),
  );
}

/** The head of the chain: the newest entry's seq and hash (null when empty). */
export function auditHead(db: Db): { seq: number; hash: string } | null {
  return auditHeadRow(db) ?? null;
}

/**
 * Writes a signed checkpoint of the current head (in the caller's transaction when there is one).
 * The authority must exist already (ensureLocalAuthority outside the transaction).
 */
export function anchorAudit(ctx: { db: Db; clock: Clock }, kind: 'signature' | 'export', ref: string): { seq: number; hash: string } {
  const head = auditHead(ctx.db);
  if (!head) throw new Error('anchorAudit: the audit trail is empty');
  const { authority, keyPem } = authorityKey(ctx.db);
  const row = { seq: head.seq, hash: head.hash, at: stamp(ctx).iso, kind, ref, authority_fingerprint: authority.fingerprint };
  const signature = rsaSign('sha256', payload(row), keyPem).toString('base64');
  insertCheckpoint(ctx.db, { ...row, signature });
  return head;
}

export interface CheckpointCheck {
  checkpoints: number;
  /** The first checkpoint that no longer holds, in words; null when all hold. */
  problem: string | null;
}

/** Every checkpoint: signed by a known authority, and its entry still in the chain with its hash. */
export function verifyCheckpoints(db: Db): CheckpointCheck {
  const rows = checkpointRows(db);
  const certs = new Map(authorityCertificates(db).map((r) => [r.fingerprint, r.certificate]));
  const entries = auditEntryCount(db);
  const what = (c: CheckpointRow) => `checkpoint ${c.checkpoint_id} (${c.kind}${c.ref ? ' ' + c.ref : ''}, ${c.at})`;
  for (const c of rows) {
    const pem = certs.get(c.authority_fingerprint);
    let ok = false;
    try {
      ok = pem !== undefined && rsaVerify('sha256', payload(c), createPublicKey(forge.pki.publicKeyToPem(forge.pki.certificateFromPem(pem).publicKey)), Buffer.from(c.signature, 'base64'));
    } catch {
      ok = false;
    }
    if (!ok) return { checkpoints: rows.length, problem: `${what(c)} is not signed by this installation's signing authority: the checkpoint was forged or altered` };
    const e = auditHashAt(db, c.seq);
    if (!e) {
      return {
        checkpoints: rows.length,
        problem:
          entries === 0
            ? `the audit trail is empty, but ${what(c)} recorded entry ${c.seq}: the table was emptied`
            : `${what(c)} recorded entry ${c.seq} with hash ${c.hash.slice(0, 16)}…, which is no longer in the trail: the newest entries were deleted`,
      };
    }
    if (e.hash !== c.hash) return { checkpoints: rows.length, problem: `${what(c)} recorded entry ${c.seq} with hash ${c.hash.slice(0, 16)}…, the trail now has ${e.hash.slice(0, 16)}…: the chain was rewritten` };
  }
  if (entries === 0) {
    const users = userAccountCount(db);
    const sigs = signatureCount(db);
    if (users > 0 || sigs > 0) return { checkpoints: rows.length, problem: `the audit trail is empty while ${users} user account(s) and ${sigs} signature(s) exist: the table was emptied` };
  }
  // Each e-signature signed the head of its time into its own payload: that entry must still hold.
  for (const s of signaturesWithAuditHead(db)) {
    const h = JSON.parse(s.audit_head) as { seq: number; hash: string };
    const e = auditHashAt(db, h.seq);
    const who = `the e-signature ${s.signature_id} (meeting ${s.meeting_id} version ${s.version}, ${s.signed_at})`;
    if (!e) return { checkpoints: rows.length, problem: `${who} signed audit entry ${h.seq}, which is no longer in the trail: ${entries === 0 ? 'the table was emptied' : 'entries were deleted'}` };
    if (e.hash !== h.hash) return { checkpoints: rows.length, problem: `${who} signed audit entry ${h.seq} with hash ${h.hash.slice(0, 16)}…, the trail now has ${e.hash.slice(0, 16)}…: the chain was rewritten` };
  }
  // Signatures made since the authority existed each left a checkpoint; a missing one was deleted.
  const since = authoritySince(db);
  if (since) {
    const sigs = signaturesAll(db);
    const refs = new Set(rows.filter((r) => r.kind === 'signature').map((r) => r.ref));
    for (const s of sigs) {
      if (Date.parse(s.signed_at) < Date.parse(since)) continue;
      if (!refs.has(signatureRef(s.meeting_id, s.version, s.signature_id))) return { checkpoints: rows.length, problem: `the signature ${s.signature_id} of meeting ${s.meeting_id} version ${s.version} (${s.signed_at}) has no audit checkpoint: checkpoints were deleted` };
    }
  }
  return { checkpoints: rows.length, problem: null };
}

export const signatureRef = (meetingId: number, version: number, signatureId: number): string => `meeting ${meetingId} version ${version} signature ${signatureId}`;
