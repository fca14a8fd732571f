import { z } from 'zod';
import type { EscalationAction } from './escalation/vocabulary';

// The dose-escalation meeting record (docs/CLINICAL_RULES.md#meetings) and its pure rules:
// canonical JSON (what is hashed and signed), the mapping from the rule engine's actions to the
// committee's decisions (rationale required on a departure), quorum, votes, and what blocks locking.
// No Node, no I/O: the core (electron/core/meetings) stores, audits and signs.

// ---- canonical JSON -----------------------------------------------------------------------------

/**
 * Canonical JSON as in RFC 8785 (JSON Canonicalization Scheme, JCS): object members sorted by the
 * UTF-16 code units of their names (§3.2.3), no whitespace, strings escaped as ECMAScript
 * JSON.stringify does (§3.2.2.2), numbers in ECMAScript Number-to-String form (§3.2.2.3). Members
 * whose value is `undefined` are left out (as JSON.stringify does); non-finite numbers, undefined in
 * arrays, and values that are not JSON (functions, bigint, Date...) are refused. No Unicode
 * normalisation (JCS does none): the bytes hashed are the UTF-8 of this string.
 */
export function canonicalJson(value: unknown): string {
  return canon(value, '$');
}

function canon(v: unknown, path: string): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'string':
      return JSON.stringify(v);
    case 'number':
      if (!Number.isFinite(v)) throw new TypeError(`canonicalJson: ${path} is not a finite number (${v})`);
      return JSON.stringify(v); // ECMAScript Number::toString; -0 gives "0" as JCS requires
    case 'object': {
      if (Array.isArray(v)) {
        return `[${v
          .map((x, i) => {
            if (x === undefined) throw new TypeError(`canonicalJson: ${path}[${i}] is undefined`);
            return canon(x, `${path}[${i}]`);
          })
          .join(',')}]`;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) throw new TypeError(`canonicalJson: ${path} is not a plain object`);
      const keys = Object.keys(v as object)
        .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
        .sort(); // default sort compares UTF-16 code units, as RFC 8785 §3.2.3 asks
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canon((v as Record<string, unknown>)[k], `${path}.${k}`)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: ${path} has a value of type ${typeof v}, which JSON cannot hold`);
  }
}

/** UTF-8 bytes of a string (TextEncoder is in every JS runtime). */
export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

// ---- dates --------------------------------------------------------------------------------------

/**
 * ISO 8601 local date-time with its UTC offset, e.g. 2025-03-04T09:30:00.000+01:00
 * (21 CFR 11.50(a)(2): date and time of signing; EU GMP Annex 11 §14 "time and date").
 * `offsetMinutes` is east of UTC (the negative of Date#getTimezoneOffset()).
 */
export function isoWithOffset(epochMs: number, offsetMinutes: number): string {
  const local = new Date(epochMs + offsetMinutes * 60_000).toISOString().slice(0, 23);
  if (offsetMinutes === 0) return `${local}+00:00`;
  const sign = offsetMinutes > 0 ? '+' : '-';
  const a = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** An ISO date-time that carries its offset (Z or ±hh:mm), as meetings and signatures store them. */
export const IsoDateTimeWithOffset = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, 'expected an ISO date-time with a time zone offset, e.g. 2025-03-04T09:30+01:00');

// ---- vocabulary ---------------------------------------------------------------------------------

/** Account roles (issue 5). */
export const ROLES = ['administrator', 'chair', 'voting-member', 'non-voting-attendee', 'secretary'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** Signature meanings (21 CFR 11.50(a)(3): "review, approval, responsibility, or authorship"). */
export const MEANINGS = ['authored', 'reviewed', 'approved'] as const;
export const Meaning = z.enum(MEANINGS);
export type Meaning = z.infer<typeof Meaning>;

/** The committee's decisions (issue 5; docs/CLINICAL_RULES.md#committee-decisions). */
export const COMMITTEE_DECISIONS = ['escalate', 'stay', 'expand-cohort', 'de-escalate', 'declare-mtd', 'declare-rp2d', 'open-expansion', 'stop'] as const;
export const CommitteeDecision = z.enum(COMMITTEE_DECISIONS);
export type CommitteeDecision = z.infer<typeof CommitteeDecision>;

/** Decisions after which patients are dosed at a next dose level of the escalation. */
const DOSING_DECISIONS: ReadonlySet<CommitteeDecision> = new Set(['escalate', 'stay', 'expand-cohort', 'de-escalate']);

/**
 * The committee decisions that agree with a rule engine action (vocabulary of
 * shared/escalation/vocabulary.ts; docs/CLINICAL_RULES.md#committee-decisions).
 * Actions that only say "the next cohort goes to level k" (switches of design, accelerated
 * titration's intra-patient steps) agree with the decision that moves from the reviewed level to k.
 */
export function decisionsForAction(action: EscalationAction, ruleNextLevel: number | null, reviewedLevel: number): CommitteeDecision[] {
  switch (action) {
    case 'ESCALATE':
    case 'ESCALATE_SINGLE':
      return ['escalate'];
    case 'STAY': // BOIN / mTPI-2: treat the next cohort at the current dose
    case 'STAY_EXPAND_TO_6': // 3+3 1/3: 3 more at the same level
      return ['stay', 'expand-cohort'];
    case 'CONTINUE_COHORT': // the cohort is not complete: keep enrolling at this level
      return ['stay', 'expand-cohort'];
    case 'DEESCALATE':
    case 'DEESCALATE_EXPAND_LOWER':
    case 'DEESCALATE_ELIMINATE':
    case 'DEESCALATE_FILL_LOWER':
      return ['de-escalate'];
    case 'STOP_MTD': // MTD identified: the committee declares it (and may name the RP2D or open the expansion)
      return ['declare-mtd', 'declare-rp2d', 'open-expansion'];
    case 'STOP_MAX_DOSE': // highest planned level tolerated: no MTD; an RP2D or expansion may follow, or stop
      return ['declare-rp2d', 'open-expansion', 'stop'];
    case 'STOP_NO_MTD': // even the lowest level is too toxic
      return ['stop'];
    case 'SWITCH_TO_3P3':
    case 'SWITCH_TO_COHORTS':
    case 'INTRAPATIENT_ESCALATE':
    case 'INTRAPATIENT_NO_ESCALATION':
      if (ruleNextLevel === null) return ['stop'];
      if (ruleNextLevel > reviewedLevel) return ['escalate'];
      if (ruleNextLevel < reviewedLevel) return ['de-escalate'];
      return ['stay', 'expand-cohort'];
  }
}

/** The rule's recommendation as stored in the record (a subset of the safety.dltTable RuleSummary). */
export const RuleRecommendation = z.looseObject({
  design: z.string(),
  error: z.string().nullable(),
  action: z.string().nullable(),
  nextLevel: z.number().int().nullable(),
  recommendedLevel: z.number().int().nullable(),
  explanation: z.string(),
  determined: z.boolean(),
  rule: z.string().nullable(),
});
export type RuleRecommendation = z.infer<typeof RuleRecommendation>;

export const DecisionRecord = z.object({
  decision: CommitteeDecision,
  /** Dose level for the next patients (null for stop; the declared level for MTD / RP2D / expansion). */
  nextLevel: z.number().int().positive().nullable(),
  nextDose: z.number().nonnegative().nullable(),
  cohortSize: z.number().int().positive().nullable(),
  rationale: z.string().max(20000).default(''),
  conditions: z.string().max(5000).default(''),
});
export type DecisionRecord = z.infer<typeof DecisionRecord>;

/**
 * Whether a decision departs from the rule (issue 5: "rationale required when the decision departs
 * from the rule's recommendation"). It departs when the rule gave no action (an error), when the
 * decision is not one that agrees with the action (decisionsForAction), or when patients are to be
 * dosed at another level than the rule's next level. When an incomplete cohort's outcome is already
 * determined, the decision that applies once it is complete also counts as agreeing.
 */
export function departsFromRule(decision: Pick<DecisionRecord, 'decision' | 'nextLevel'>, rec: RuleRecommendation | null, reviewedLevel: number, whenComplete?: { action: string; nextLevel: number | null } | null): { departs: boolean; why: string } {
  if (!rec || rec.error || !rec.action) return { departs: true, why: `the rule gave no recommendation${rec?.error ? ` (${rec.error})` : ''}` };
  const candidates: { action: string; nextLevel: number | null }[] = [{ action: rec.action, nextLevel: rec.nextLevel }];
  if (rec.determined && whenComplete) candidates.push(whenComplete);
  for (const c of candidates) {
    const allowed = decisionsForAction(c.action as EscalationAction, c.nextLevel, reviewedLevel);
    if (!allowed.includes(decision.decision)) continue;
    if (DOSING_DECISIONS.has(decision.decision) && c.nextLevel !== null && decision.nextLevel !== null && decision.nextLevel !== c.nextLevel) continue;
    return { departs: false, why: `agrees with ${c.action}${c.nextLevel !== null ? ` (next level ${c.nextLevel})` : ''}` };
  }
  const c = candidates[0]!;
  return {
    departs: true,
    why: `the rule recommends ${c.action}${c.nextLevel !== null ? ` at level ${c.nextLevel}` : ''} (${decisionsForAction(c.action as EscalationAction, c.nextLevel, reviewedLevel).join(' / ')}); the committee decided ${decision.decision}${decision.nextLevel !== null ? ` at level ${decision.nextLevel}` : ''}`,
  };
}

// ---- the record ---------------------------------------------------------------------------------

export const Attendee = z.object({
  /** The DoseDesk account (needed to vote and sign); null for a guest named only in the minutes. */
  userId: z.number().int().positive().nullable(),
  name: z.string().min(1).max(200),
  role: Role,
  voting: z.boolean(),
  present: z.boolean(),
  affiliation: z.string().max(200).default(''),
});
export type Attendee = z.infer<typeof Attendee>;

export const Quorum = z.object({
  /** Minimum number of voting members present (the committee charter's quorum). */
  minVotingPresent: z.number().int().min(1),
  /** Whether a chair must be present. */
  chairRequired: z.boolean(),
});
export type Quorum = z.infer<typeof Quorum>;

export const Conflict = z.object({
  userId: z.number().int().positive().nullable(),
  name: z.string().min(1).max(200),
  declaration: z.string().max(5000),
  /** A recused member does not vote. */
  recused: z.boolean().default(false),
});

export const Vote = z.object({ userId: z.number().int().positive(), vote: z.enum(['for', 'against', 'abstain']), comment: z.string().max(2000).default('') });
export type Vote = z.infer<typeof Vote>;

/** One dose level's DLT summary as computed at meeting creation (safety.dltTable level entry). */
export const LevelDltTable = z.looseObject({
  level: z.number().int(),
  dose: z.number(),
  part: z.string(),
  treated: z.number().int(),
  evaluable: z.number().int(),
  withDlt: z.number().int(),
  pending: z.number().int(),
  subjects: z.array(z.looseObject({ usubjid: z.string() })),
});

export const ReviewedLevel = z.object({
  level: z.number().int(),
  dose: z.number(),
  doseUnit: z.string(),
  dltTable: LevelDltTable,
  /** The protocol rule's recommendation as computed from the snapshot when the meeting was created. */
  recommendation: RuleRecommendation.nullable(),
  whenComplete: z.object({ action: z.string(), nextLevel: z.number().int().nullable() }).nullable(),
  /** BOIN and mTPI-2 beside it, for context only. */
  context: z.object({ boin: RuleRecommendation.nullable(), mtpi2: RuleRecommendation.nullable() }),
  history: z.string(),
  decision: DecisionRecord.nullable(),
  votes: z.array(Vote),
});
export type ReviewedLevel = z.infer<typeof ReviewedLevel>;

export const Figure = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  mime: z.enum(['image/png', 'image/svg+xml']),
  title: z.string().min(1).max(500),
  caption: z.string().max(5000).default(''),
  bytes: z.number().int().nonnegative(),
  capturedAt: IsoDateTimeWithOffset,
  capturedBy: z.string(),
});
export type Figure = z.infer<typeof Figure>;

export const ActionItem = z.object({ text: z.string().min(1).max(5000), owner: z.string().min(1).max(200), due: z.string().max(40).nullable().default(null), status: z.enum(['open', 'done']).default('open') });

export const Observations = z.object({
  safety: z.string().max(50000).default(''),
  pk: z.string().max(50000).default(''),
  efficacy: z.string().max(50000).default(''),
  other: z.string().max(50000).default(''),
});

export const MeetingContent = z.object({
  title: z.string().min(1).max(500),
  committee: z.string().max(200),
  meetingNumber: z.string().max(50),
  studyId: z.string(),
  studyTitle: z.string().nullable(),
  /** Start (and end) of the meeting with their offset; the IANA time zone it was held in. */
  startAt: IsoDateTimeWithOffset,
  endAt: IsoDateTimeWithOffset.nullable(),
  timeZone: z.string().min(1).max(100),
  format: z.enum(['in-person', 'video', 'hybrid']),
  snapshot: z.object({ snapshotId: z.number().int().positive(), contentHash: z.string(), label: z.string(), dataCutoff: z.string().nullable() }),
  design: z.looseObject({ design: z.string() }).nullable(),
  attendees: z.array(Attendee),
  quorum: Quorum,
  conflicts: z.array(Conflict),
  levels: z.array(ReviewedLevel).min(1),
  observations: Observations,
  actionItems: z.array(ActionItem),
  figures: z.array(Figure),
  /** The look-ahead table, on request (meetings.create `lookahead`), as computed at creation (electron/core/minutes/lookahead.ts). */
  lookahead: z.looseObject({ maxPatients: z.number().int(), history: z.string(), paths: z.array(z.looseObject({})) }).optional(),
});
export type MeetingContent = z.infer<typeof MeetingContent>;

export const RequiredSigner = z.object({ userId: z.number().int().positive(), name: z.string(), role: Role, meanings: z.array(Meaning).min(1) });
export type RequiredSigner = z.infer<typeof RequiredSigner>;

/**
 * One version of the record: what is hashed and signed (canonicalJson, then SHA-256). Status,
 * signatures and distribution are outside it: they follow the version, they do not change it.
 */
export const RecordVersion = z.object({
  schema: z.literal('dosedesk.meeting/1'),
  meetingId: z.number().int().positive(),
  version: z.number().int().positive(),
  /** The version this one amends (null for the original) and why. */
  amends: z.number().int().positive().nullable(),
  amendmentReason: z.string().nullable(),
  content: MeetingContent,
  lockedAt: IsoDateTimeWithOffset.nullable(),
  lockedBy: z.string().nullable(),
  requiredSigners: z.array(RequiredSigner),
});
export type RecordVersion = z.infer<typeof RecordVersion>;

/**
 * What an Ed25519 signature covers: the SHA-256 of the record version's canonical JSON together with
 * the record's identity, the signer, the meaning and the time (21 CFR 11.50 manifestations bound to the
 * record, 11.70 linking). The bytes signed are the UTF-8 of canonicalJson(payload).
 */
export interface SignaturePayload {
  purpose: 'dosedesk.meeting.signature/1';
  meetingId: number;
  version: number;
  recordHash: string;
  userId: number;
  username: string;
  printedName: string;
  meaning: Meaning;
  signedAt: string;
  timeZone: string;
  /** The audit chain's head when the signature was executed (issue 11): signed with the rest. */
  auditHead?: { seq: number; hash: string };
}

export const Signature = z.object({
  signatureId: z.number().int().positive(),
  meetingId: z.number().int().positive(),
  version: z.number().int().positive(),
  recordHash: z.string(),
  userId: z.number().int().positive(),
  username: z.string(),
  printedName: z.string(),
  title: z.string(),
  role: Role,
  meaning: Meaning,
  signedAt: IsoDateTimeWithOffset,
  timeZone: z.string(),
  keyId: z.number().int().positive(),
  algorithm: z.literal('Ed25519'),
  /** base64 */
  signature: z.string(),
  /** The audit chain's head (entry number and hash) at signing, inside the signed payload (absent before issue 11). */
  auditHead: z.object({ seq: z.number().int().positive(), hash: z.string() }).optional(),
});
export type Signature = z.infer<typeof Signature>;

export function signaturePayload(s: Pick<Signature, 'meetingId' | 'version' | 'recordHash' | 'userId' | 'username' | 'printedName' | 'meaning' | 'signedAt' | 'timeZone' | 'auditHead'>): SignaturePayload {
  return {
    purpose: 'dosedesk.meeting.signature/1',
    meetingId: s.meetingId,
    version: s.version,
    recordHash: s.recordHash,
    userId: s.userId,
    username: s.username,
    printedName: s.printedName,
    meaning: s.meaning,
    signedAt: s.signedAt,
    timeZone: s.timeZone,
    // only when present, so that signatures made before issue 11 still verify
    ...(s.auditHead ? { auditHead: { seq: s.auditHead.seq, hash: s.auditHead.hash } } : {}),
  };
}

// ---- rules checked before locking ----------------------------------------------------------------

export interface QuorumCheck {
  met: boolean;
  votingPresent: number;
  required: number;
  chairPresent: boolean;
  explanation: string;
}

/** Quorum: at least `minVotingPresent` voting members present, and a chair present when the charter asks (committee charter; docs/CLINICAL_RULES.md#committee-decisions). */
export function checkQuorum(attendees: readonly Attendee[], quorum: Quorum): QuorumCheck {
  const votingPresent = attendees.filter((a) => a.voting && a.present).length;
  const chairPresent = attendees.some((a) => a.role === 'chair' && a.present);
  const countOk = votingPresent >= quorum.minVotingPresent;
  const chairOk = !quorum.chairRequired || chairPresent;
  const parts = [`${votingPresent} voting member(s) present of ${quorum.minVotingPresent} required`];
  if (quorum.chairRequired) parts.push(chairPresent ? 'chair present' : 'no chair present');
  return { met: countOk && chairOk, votingPresent, required: quorum.minVotingPresent, chairPresent, explanation: `${countOk && chairOk ? 'Quorate' : 'Not quorate'}: ${parts.join('; ')}` };
}

export interface VoteTally {
  for: number;
  against: number;
  abstain: number;
  carried: boolean;
}

/** Votes for > votes against (simple majority of the votes cast, abstentions not counted). */
export function tallyVotes(votes: readonly Vote[]): VoteTally {
  const t = { for: 0, against: 0, abstain: 0 };
  for (const v of votes) t[v.vote]++;
  return { ...t, carried: t.for > t.against };
}

/** Who may vote on a level: present voting attendees with an account who are not recused. */
export function eligibleVoters(content: Pick<MeetingContent, 'attendees' | 'conflicts'>): number[] {
  const recused = new Set(content.conflicts.filter((c) => c.recused && c.userId !== null).map((c) => c.userId!));
  return content.attendees.filter((a) => a.voting && a.present && a.userId !== null && !recused.has(a.userId)).map((a) => a.userId!);
}

export interface ContentIssue {
  path: string;
  message: string;
}

/**
 * Everything that prevents locking the record (21 CFR 11.10(f): enforce the permitted sequence):
 * quorum, a decision per reviewed level, a rationale when the decision departs from the rule, the
 * next dose and cohort size of a dosing decision, one vote per eligible voter and none from anyone
 * else, a carried vote.
 */
export function lockIssues(content: MeetingContent): ContentIssue[] {
  const issues: ContentIssue[] = [];
  const q = checkQuorum(content.attendees, content.quorum);
  if (!q.met) issues.push({ path: 'attendees', message: q.explanation });
  const ids = content.attendees.flatMap((a) => (a.userId === null ? [] : [a.userId]));
  if (new Set(ids).size !== ids.length) issues.push({ path: 'attendees', message: 'an account is listed twice among the attendees' });
  const voters = eligibleVoters(content);
  content.levels.forEach((l, i) => {
    const p = `levels[${i}] (level ${l.level})`;
    if (!l.decision) {
      issues.push({ path: p, message: 'no committee decision recorded' });
      return;
    }
    const d = departsFromRule(l.decision, l.recommendation, l.level, l.whenComplete);
    if (d.departs && l.decision.rationale.trim() === '') issues.push({ path: `${p}.decision.rationale`, message: `a rationale is required: ${d.why}` });
    if (DOSING_DECISIONS.has(l.decision.decision) && (l.decision.nextLevel === null || l.decision.cohortSize === null)) {
      issues.push({ path: `${p}.decision`, message: `${l.decision.decision} needs the next dose level and the cohort size` });
    }
    const seen = new Set<number>();
    for (const v of l.votes) {
      if (seen.has(v.userId)) issues.push({ path: `${p}.votes`, message: `user ${v.userId} voted twice` });
      seen.add(v.userId);
      if (!voters.includes(v.userId)) issues.push({ path: `${p}.votes`, message: `user ${v.userId} is not a present, non-recused voting member` });
    }
    const missing = voters.filter((u) => !seen.has(u));
    if (missing.length) issues.push({ path: `${p}.votes`, message: `no vote recorded for user(s) ${missing.join(', ')}` });
    if (l.votes.length && !tallyVotes(l.votes).carried) issues.push({ path: `${p}.votes`, message: 'the decision was not carried (votes for must outnumber votes against)' });
  });
  return issues;
}

/** Signers a locked version needs: present attendees with an account whose meeting role has a signature meaning configured. */
export function requiredSigners(attendees: readonly Attendee[], meaningsByRole: Partial<Record<Role, Meaning[]>>): RequiredSigner[] {
  const out: RequiredSigner[] = [];
  for (const a of attendees) {
    const meanings = meaningsByRole[a.role] ?? [];
    if (a.present && a.userId !== null && meanings.length) out.push({ userId: a.userId, name: a.name, role: a.role, meanings: [...meanings] });
  }
  return out;
}

// ---- lifecycle ----------------------------------------------------------------------------------

export const MEETING_STATUSES = ['draft', 'final', 'signed', 'distributed'] as const;
export const MeetingStatus = z.enum(MEETING_STATUSES);
export type MeetingStatus = z.infer<typeof MeetingStatus>;

/** The permitted transitions: draft → final (locked) → signed (every required signer) → distributed. */
export function canTransition(from: MeetingStatus, to: MeetingStatus): boolean {
  return (from === 'draft' && to === 'final') || (from === 'final' && to === 'signed') || (from === 'signed' && to === 'distributed');
}

// ---- settings -----------------------------------------------------------------------------------

export const Settings = z.object({
  passwordMinLength: z.number().int().min(8).max(256),
  /** How many of the four classes (lower case, upper case, digit, other) a password must contain. */
  passwordMinClasses: z.number().int().min(1).max(4),
  /** Days until a password expires (0 = never). 21 CFR 11.300(b): periodic revision. */
  passwordExpiryDays: z.number().int().min(0).max(3650),
  /** Failed attempts (login or signature) that lock the account. 11.300(d). */
  lockoutAttempts: z.number().int().min(1).max(100),
  /** Minutes of inactivity after which a session ends (FDA Q&A 2024 on continuous sessions). */
  inactivityMinutes: z.number().int().min(1).max(24 * 60),
  /** Default quorum of a new meeting. */
  quorum: Quorum,
  /** Roles that may draft and edit meeting records. 11.10(g). */
  editorRoles: z.array(Role),
  /** Meanings each meeting role signs with; roles absent here do not sign. */
  signatureMeanings: z.partialRecord(Role, z.array(Meaning)),
});
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = {
  passwordMinLength: 10,
  passwordMinClasses: 3,
  passwordExpiryDays: 180,
  lockoutAttempts: 5,
  inactivityMinutes: 15,
  quorum: { minVotingPresent: 2, chairRequired: true },
  editorRoles: ['secretary', 'chair'],
  signatureMeanings: { chair: ['approved'], 'voting-member': ['reviewed', 'approved'], secretary: ['authored'] },
};
