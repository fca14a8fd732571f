import { z } from 'zod';
import { lazySchema } from '../lazySchema';
import { method } from './method';
import {
  ActionItem,
  Attendee,
  Conflict,
  DecisionRecord,
  FIGURE_MIMES,
  IsoDateTimeWithOffset,
  Meaning,
  MeetingStatus,
  Observations,
  Quorum,
  RecordVersion,
  Role,
  Settings,
  Signature,
  Vote,
} from '../meeting';

// Contract methods of users, authentication, settings, the audit trail and meetings (issue 5;
// docs/CLINICAL_RULES.md#meetings; 21 CFR Part 11). Rules in shared/meeting.ts; handlers in electron/core/users,
// electron/core/audit and electron/core/meetings.
//
// Sessions: `auth.login` returns a token; every method that changes something takes it as `session`
// in its input (the same over IPC, the browser host and the CLI). A session ends at logout or after
// `inactivityMinutes` without a call (settings). Signing never relies on the session: `meetings.sign`
// asks for the user id and the password every time (21 CFR 11.200(a)(1)(ii)).

const Session = lazySchema(() => z.string().min(16).max(200));
const Reason = lazySchema(() => z.string().trim().min(1, 'a reason is required').max(5000));
const Password = lazySchema(() => z.string().min(1).max(1024));
const Username = lazySchema(() => z.string().trim().min(2).max(64).regex(/^[A-Za-z0-9._@-]+$/, 'letters, digits and . _ @ - only'));
const MeetingId = lazySchema(() => z.number().int().positive());
const Version = lazySchema(() => z.number().int().positive());

export const UserInfo = lazySchema(() => z.object({
  userId: z.number().int().positive(),
  username: z.string(),
  printedName: z.string(),
  title: z.string(),
  role: Role,
  active: z.boolean(),
  locked: z.boolean(),
  mustChangePassword: z.boolean(),
  passwordExpiresAt: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  keyId: z.number().int().nullable(),
  publicKey: z.string().nullable(),
}));
export type UserInfo = z.infer<typeof UserInfo>;

export const AuditEntry = lazySchema(() => z.strictObject({
  seq: z.number().int(),
  at: z.string(),
  user: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  oldValue: z.unknown().nullable(),
  newValue: z.unknown().nullable(),
  reason: z.string().nullable(),
  prevHash: z.string(),
  hash: z.string(),
}));
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditVerifyResult = lazySchema(() => z.object({
  ok: z.boolean(),
  entries: z.number().int(),
  lastHash: z.string().nullable(),
  firstBroken: z.object({ seq: z.number().int(), position: z.number().int(), problem: z.string() }).nullable(),
  /** Signed checkpoints of the chain's head (e-signatures, minutes exports) that were checked. */
  checkpoints: z.number().int().optional(),
}));
export type AuditVerifyResult = z.infer<typeof AuditVerifyResult>;

const PublicKey = lazySchema(() => z.strictObject({ keyId: z.number().int().positive(), userId: z.number().int().positive(), username: z.string(), algorithm: z.literal('Ed25519'), publicKeyPem: z.string() }));

export const MeetingView = lazySchema(() => z.object({
  meetingId: MeetingId,
  version: Version,
  status: MeetingStatus,
  latestVersion: Version,
  versions: z.array(z.object({ version: Version, status: MeetingStatus, amends: Version.nullable(), amendmentReason: z.string().nullable(), createdAt: z.string(), createdBy: z.string() })),
  record: RecordVersion,
  /** SHA-256 of the record version's canonical JSON (null while a draft). */
  recordHash: z.string().nullable(),
  signatures: z.array(Signature),
  /** Required signers who have not signed yet (empty for a draft). */
  pendingSigners: z.array(z.object({ userId: z.number().int(), name: z.string(), role: Role, meanings: z.array(Meaning) })),
  quorum: z.object({ met: z.boolean(), votingPresent: z.number().int(), required: z.number().int(), chairPresent: z.boolean(), explanation: z.string() }),
  departures: z.array(z.object({ level: z.number().int(), departs: z.boolean(), why: z.string() })),
  /** What prevents locking (empty when the draft can be locked). */
  lockIssues: z.array(z.object({ path: z.string(), message: z.string() })),
  distribution: z.object({ at: z.string(), by: z.string(), recipients: z.array(z.string()), note: z.string() }).nullable(),
}));
export type MeetingView = z.infer<typeof MeetingView>;

export const MeetingExport = lazySchema(() => z.strictObject({
  format: z.literal('dosedesk.meeting-export/1'),
  record: RecordVersion,
  recordHash: z.string(),
  status: MeetingStatus,
  signatures: z.array(Signature),
  /** The signers' public keys, so that signatures can be checked offline with them alone. */
  publicKeys: z.array(PublicKey),
  figures: z.array(z.strictObject({ sha256: z.string(), mime: z.string(), title: z.string(), dataBase64: z.string() })),
  /** The audit trail entries of this meeting (11.10(b): copies include the audit trail). */
  audit: z.array(AuditEntry),
  exportedAt: z.string(),
  exportedBy: z.string(),
}));
export type MeetingExport = z.infer<typeof MeetingExport>;

export const ExportCheck = lazySchema(() => z.object({
  recordHashOk: z.boolean(),
  computedRecordHash: z.string(),
  figuresOk: z.boolean(),
  signatures: z.array(z.object({ signatureId: z.number().int(), printedName: z.string(), meaning: Meaning, signedAt: z.string(), valid: z.boolean(), problem: z.string().nullable() })),
  ok: z.boolean(),
}));

const LevelEdit = lazySchema(() => z.strictObject({
  level: z.number().int(),
  decision: DecisionRecord.nullable().optional(),
  votes: z.array(Vote).max(100).optional(),
}));

export const MeetingChanges = lazySchema(() => z.strictObject({
  title: z.string().min(1).max(500).optional(),
  committee: z.string().max(200).optional(),
  meetingNumber: z.string().max(50).optional(),
  startAt: IsoDateTimeWithOffset.optional(),
  endAt: IsoDateTimeWithOffset.nullable().optional(),
  timeZone: z.string().min(1).max(100).optional(),
  format: z.enum(['in-person', 'video', 'hybrid']).optional(),
  attendees: z.array(Attendee).max(100).optional(),
  quorum: Quorum.optional(),
  conflicts: z.array(Conflict).max(100).optional(),
  levels: z.array(LevelEdit).max(50).optional(),
  observations: Observations.partial().optional(),
  actionItems: z.array(ActionItem).max(200).optional(),
  /** Figures to take out of the draft (by SHA-256). */
  removeFigures: z.array(z.string()).max(200).optional(),
}));

export const meetingsApi = {
  // ---- users and authentication ----
  'auth.status': method('Whether the first administrator still has to be created, and the session rules in force.', () => z.object({}), () => z.object({ needsBootstrap: z.boolean(), users: z.number().int(), inactivityMinutes: z.number().int() })),
  'users.bootstrap': method(
    'First start: create the administrator. Allowed only while there are no users.',
    () => z.object({ username: Username, printedName: z.string().trim().min(1).max(200), title: z.string().max(200).default('Administrator'), password: Password, identityVerification: z.string().max(2000).default('first administrator, created at installation') }),
    () => UserInfo,
  ),
  'auth.login': method(
    'Log in with user id and password; returns the session token to pass as `session`. Failed attempts count towards lock-out.',
    () => z.object({ username: z.string().min(1).max(64), password: Password }),
    () => z.object({ session: z.string(), user: UserInfo, inactivityMinutes: z.number().int() }),
  ),
  'auth.logout': method('End a session.', () => z.object({ session: Session }), () => z.object({ ended: z.boolean() })),
  'auth.whoami': method('The user of a live session (a call counts as activity).', () => z.object({ session: Session }), () => UserInfo),
  'auth.changePassword': method(
    'Change one\'s own password with the current one (also when it expired or an administrator reset it); re-encrypts the signing key.',
    () => z.object({ username: z.string().min(1).max(64), oldPassword: Password, newPassword: Password }),
    () => UserInfo,
  ),
  'users.list': method('Every account, active or not (nothing is ever deleted).', () => z.object({}), () => z.array(UserInfo)),
  'users.create': method(
    'Administrator: create a named account with a temporary password (changed at first login) and a signing key pair; records how identity was verified (11.100(b)).',
    () => z.object({ session: Session, username: Username, printedName: z.string().trim().min(1).max(200), title: z.string().max(200).default(''), role: Role, password: Password, identityVerification: z.string().trim().min(1).max(2000) }),
    () => UserInfo,
  ),
  'users.update': method(
    'Administrator: change an account\'s printed name, title or role (audited, with a reason).',
    () => z.object({ session: Session, userId: z.number().int().positive(), printedName: z.string().trim().min(1).max(200).optional(), title: z.string().max(200).optional(), role: Role.optional(), reason: Reason }),
    () => UserInfo,
  ),
  'users.setActive': method('Administrator: deactivate (or reactivate) an account; accounts are never deleted.', () => z.object({ session: Session, userId: z.number().int().positive(), active: z.boolean(), reason: Reason }), () => UserInfo),
  'users.unlock': method('Administrator: unlock an account locked after failed attempts.', () => z.object({ session: Session, userId: z.number().int().positive(), reason: Reason }), () => UserInfo),
  'users.resetPassword': method(
    'Administrator: set a temporary password (the user must change it); the old signing key is retired and a new one issued.',
    () => z.object({ session: Session, userId: z.number().int().positive(), temporaryPassword: Password, reason: Reason }),
    () => UserInfo,
  ),
  'settings.get': method('Password rules, lock-out, inactivity, default quorum, editor roles, signature meanings per role.', () => z.object({}), () => Settings),
  'settings.set': method('Administrator: change settings (audited old -> new, with a reason).', () => z.object({ session: Session, settings: Settings.partial(), reason: Reason }), () => Settings),

  // ---- audit trail ----
  'audit.list': method(
    'Audit trail entries, oldest first, filtered by user, action, entity, entity id and time (ISO, inclusive).',
    () => z.object({
      user: z.string().optional(),
      action: z.string().optional(),
      entity: z.string().optional(),
      entityId: z.string().optional(),
      from: z.string().optional(),
      to: z.string().optional(),
      limit: z.number().int().positive().max(1_000_000).optional(),
    }),
    () => z.array(AuditEntry),
  ),
  'audit.verify': method('Recompute the hash chain of the audit trail and check its signed checkpoints; names the first edited, deleted or reordered entry, or the checkpoint that shows truncation, a rewritten chain or an emptied table.', () => z.object({}), () => AuditVerifyResult),

  // ---- meetings ----
  'meetings.list': method(
    'Meetings with their latest version and status.',
    () => z.object({ studyId: z.string().optional() }),
    () => z.array(z.object({ meetingId: MeetingId, title: z.string(), studyId: z.string(), snapshotId: z.number().int(), startAt: z.string(), latestVersion: Version, status: MeetingStatus, levels: z.array(z.number().int()) })),
  ),
  'meetings.create': method(
    'Open a draft meeting record on one snapshot (cited by content hash) and one or more dose levels; the DLT table and the rule\'s recommendation are computed from the snapshot now and stored.',
    () => z.object({
      session: Session,
      snapshotId: z.number().int().positive(),
      levels: z.array(z.number().int()).min(1).max(50),
      title: z.string().min(1).max(500),
      committee: z.string().max(200).default('Safety Review Committee'),
      meetingNumber: z.string().max(50).default(''),
      startAt: IsoDateTimeWithOffset,
      endAt: IsoDateTimeWithOffset.nullable().default(null),
      timeZone: z.string().min(1).max(100),
      format: z.enum(['in-person', 'video', 'hybrid']).default('in-person'),
      attendees: z.array(Attendee).max(100).default([]),
      quorum: Quorum.optional(),
      /** On request: store the look-ahead table for the next K (1..6) evaluable patients in the record; the minutes print it. */
      lookahead: z.number().int().min(1).max(6).optional(),
    }),
    () => MeetingView,
  ),
  'meetings.get': method('One version of a meeting record (the latest when no version is given), with signatures, pending signers, quorum, departures from the rule and what blocks locking.', () => z.object({ meetingId: MeetingId, version: Version.optional() }), () => MeetingView),
  'meetings.update': method('Edit a draft (a locked version cannot change: amend it). Every change is audited old -> new.', () => z.object({ session: Session, meetingId: MeetingId, version: Version, changes: MeetingChanges, reason: z.string().max(5000).optional() }), () => MeetingView),
  'meetings.addFigure': method(
    'Capture a figure or table into a draft as it was shown (PNG or SVG; a table as its data, application/vnd.dosedesk.table+json {columns, rows}, printed in the minutes as a paginated table), stored as a blob with its SHA-256.',
    () => z.object({ session: Session, meetingId: MeetingId, version: Version, title: z.string().min(1).max(500), caption: z.string().max(5000).default(''), mime: z.enum(FIGURE_MIMES), dataBase64: z.string().min(1).max(60_000_000) }),
    () => MeetingView,
  ),
  'meetings.figure': method('A captured figure\'s bytes (base64) by SHA-256.', () => z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }), () => z.object({ sha256: z.string(), mime: z.string(), dataBase64: z.string() })),
  'meetings.finalize': method('Lock a draft (final): checks quorum, decisions, rationale where the decision departs from the rule, votes; fixes the required signers.', () => z.object({ session: Session, meetingId: MeetingId, version: Version }), () => MeetingView),
  'meetings.sign': method(
    'Sign a locked version: re-authenticates with user id (number or user name) and password (a wrong password counts towards lock-out); Ed25519 over the record hash, meaning and time.',
    () => z.object({ meetingId: MeetingId, version: Version, userId: z.union([z.number().int().positive(), z.string().min(1).max(64)]), password: Password, meaning: Meaning }),
    () => MeetingView,
  ),
  'meetings.distribute': method('Record the distribution of a signed version (to whom, when).', () => z.object({ session: Session, meetingId: MeetingId, version: Version, recipients: z.array(z.string().min(1).max(500)).min(1).max(200), note: z.string().max(5000).default('') }), () => MeetingView),
  'meetings.amend': method('Start an amendment of a locked version: a new draft version that references it and carries the reason; it needs its own signatures.', () => z.object({ session: Session, meetingId: MeetingId, reason: Reason }), () => MeetingView),
  'meetings.exportRecord': method(
    'The full record version as JSON with its signatures, the signers\' public keys, the figures and the meeting\'s audit entries (audited as an export).',
    () => z.object({ meetingId: MeetingId, version: Version, session: Session.optional() }),
    () => MeetingExport,
  ),
  'meetings.verifyExport': method('Check an exported record offline: record hash, figure hashes, every signature against the public keys it carries.', () => z.object({ export: z.unknown() }), () => ExportCheck),
} as const;

