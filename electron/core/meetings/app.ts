import type { z } from 'zod';
import { contract, type Output } from '../../../shared/contract';
import type { MeetingView } from '../../../shared/api/meetings';
import {
  checkQuorum,
  departsFromRule,
  lockIssues,
  TABLE_FIGURE_MIME,
  TableFigure,
  MeetingContent,
  requiredSigners,
  type Figure,
  type RecordVersion,
  type ReviewedLevel,
  type RuleRecommendation,
} from '../../../shared/meeting';
import { CallError, type App, type CoreContext } from '../context';
import { stamp } from '../audit/clock';
import { appendAudit, listAudit } from '../audit/log';
import { anchorAudit, auditHead, ensureLocalAuthority, signatureRef } from '../audit/anchor';
import { dltTableOf, lookaheadOf } from '../safety/app';
import { lookaheadRecord } from '../minutes/lookahead';
import { snapshotInfo } from '../snapshots/app';
import { attribution, auditReason, requireRole, type SignedIn } from '../access/actor';
import { assertActiveUnlocked, authenticate, currentKey, findUser } from '../users/accounts';
import { decryptPrivateKey, type EncryptedKey } from '../users/crypto';
import { getSettings } from '../users/settings';
import { diffPaths } from './diff';
import { recordHash, sha256Hex, signPayload, verifyExport } from './sign';
import {
  getFigure,
  insertMeeting,
  insertSignature,
  insertVersion,
  latestVersion,
  latestVersions,
  listVersions,
  loadSignatures,
  loadVersion,
  lockVersion,
  markDistributed,
  markSigned,
  publicKeys,
  putFigure,
  saveDraft,
  studyTitleAndDefinition,
  type StoredVersion,
} from './queries';

// Handlers of meetings (issue 5; docs/CLINICAL_RULES.md#meetings; 21 CFR 11.10, 11.50, 11.70). The lifecycle is
// enforced here and, as defence in depth, by SQLite triggers: draft -> final (locked; no edits) ->
// signed (every required signer) -> distributed; a change after locking is an amendment (a new
// draft version that references the version it amends and carries a reason). Every change is
// audited with old -> new values.

type In<M extends keyof typeof contract> = z.output<(typeof contract)[M]['input']>;

export function registerMeetings(app: App): void {
  app.method('meetings.list', (input, ctx) => listMeetings(ctx, input.studyId));
  app.method('meetings.create', (input, ctx) => createMeeting(ctx, input));
  app.method('meetings.get', ({ meetingId, version }, ctx) => view(ctx, loadVersion(ctx.db, meetingId, version)));
  app.method('meetings.update', (input, ctx) => updateMeeting(ctx, input));
  app.method('meetings.addFigure', (input, ctx) => addFigure(ctx, input));
  app.method('meetings.figure', ({ sha256 }, ctx) => {
    const f = getFigure(ctx.db, sha256);
    if (!f) throw new CallError('not-found', `no captured figure ${sha256}`);
    return { sha256: f.sha256, mime: f.mime, dataBase64: f.data.toString('base64') };
  });
  app.method('meetings.finalize', (input, ctx) => finalize(ctx, input));
  app.method('meetings.sign', (input, ctx) => signVersion(ctx, input));
  app.method('meetings.distribute', (input, ctx) => distribute(ctx, input));
  app.method('meetings.amend', (input, ctx) => amend(ctx, input));
  app.method('meetings.exportRecord', (input, ctx) => exportRecord(ctx, input));
  app.method('meetings.verifyExport', (input) => {
    try {
      return verifyExport(input.export);
    } catch (e) {
      throw new CallError('invalid-input', (e as Error).message);
    }
  });
}

// ---- helpers ---------------------------------------------------------------------------------------

const editor = (ctx: CoreContext, what: string): SignedIn => requireRole(ctx, getSettings(ctx.db).editorRoles, what);

function requireDraft(ctx: CoreContext, meetingId: number, version: number): StoredVersion {
  const v = loadVersion(ctx.db, meetingId, version);
  if (v.row.status !== 'draft') throw new CallError('conflict', `meeting ${meetingId} version ${version} is ${v.row.status} (locked): it cannot be edited; create an amendment (meetings.amend) with a reason`);
  if (latestVersion(ctx.db, meetingId) !== version) throw new CallError('conflict', `version ${version} of meeting ${meetingId} is superseded`);
  return v;
}

function view(ctx: CoreContext, v: StoredVersion): MeetingView {
  const { record, row } = v;
  const signatures = loadSignatures(ctx.db, record.meetingId, record.version);
  const signed = new Set(signatures.map((s) => s.userId));
  const c = record.content;
  const versions = listVersions(ctx.db, record.meetingId).map((r) => {
    const rec = JSON.parse(r.record) as RecordVersion;
    return { version: r.version, status: r.status, amends: rec.amends, amendmentReason: rec.amendmentReason, createdAt: r.created_at, createdBy: r.created_by };
  });
  return {
    meetingId: record.meetingId,
    version: record.version,
    status: row.status,
    latestVersion: versions[versions.length - 1]!.version,
    versions,
    record,
    recordHash: row.record_hash,
    signatures,
    pendingSigners: row.status === 'draft' ? [] : record.requiredSigners.filter((s) => !signed.has(s.userId)),
    quorum: checkQuorum(c.attendees, c.quorum),
    departures: c.levels.map((l) => ({ level: l.level, ...(l.decision ? departsFromRule(l.decision, l.recommendation, l.level, l.whenComplete) : { departs: false, why: 'no decision recorded yet' }) })),
    lockIssues: row.status === 'draft' ? lockIssues(c) : [],
    distribution: row.distribution ? JSON.parse(row.distribution) : null,
  };
}

function checkAttendees(ctx: CoreContext, attendees: MeetingContent['attendees']): void {
  for (const a of attendees) {
    if (a.userId === null) continue;
    const u = findUser(ctx.db, a.userId);
    if (!u) throw new CallError('invalid-input', `attendee ${a.name}: no user ${a.userId}`);
    if (u.active !== 1) throw new CallError('invalid-input', `attendee ${a.name}: account ${u.username} is deactivated`);
  }
}

const pickRule = (r: Output<'safety.dltTable'>['recommendation']): RuleRecommendation => ({
  design: r.design,
  error: r.error,
  action: r.action,
  nextLevel: r.nextLevel,
  recommendedLevel: r.recommendedLevel,
  explanation: r.explanation,
  determined: r.determined,
  rule: r.rule,
  continues: r.continues,
  pending: r.pending,
  openSlots: r.openSlots,
  warnings: r.warnings,
});

function parseContent(c: unknown): MeetingContent {
  const p = MeetingContent.safeParse(c);
  if (!p.success) throw new CallError('invalid-input', p.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), p.error.issues);
  return p.data;
}

// ---- meetings.list / create ------------------------------------------------------------------------

function listMeetings(ctx: CoreContext, studyId?: string): Output<'meetings.list'> {
  const rows = latestVersions(ctx.db, studyId);
  return rows.map((r) => {
    const rec = JSON.parse(r.record) as RecordVersion;
    return { meetingId: r.meeting_id, title: rec.content.title, studyId: rec.content.studyId, snapshotId: rec.content.snapshot.snapshotId, startAt: rec.content.startAt, latestVersion: r.version, status: r.status, levels: rec.content.levels.map((l) => l.level) };
  });
}

async function createMeeting(ctx: CoreContext, input: In<'meetings.create'>): Promise<MeetingView> {
  const u = editor(ctx, 'draft meeting records');
  const snap = snapshotInfo(ctx, input.snapshotId);
  const t = dltTableOf(ctx, input.snapshotId);
  const study = studyTitleAndDefinition(ctx.db, snap.studyId);
  const doseUnit = (JSON.parse(study.definition) as { doseUnit?: string }).doseUnit ?? '';
  const levels: ReviewedLevel[] = [...new Set(input.levels)].map((lvl) => {
    // Everyone treated at this dose, by part, as the DLT table (and the Cohorts view) split them; the
    // rule reads the escalation part.
    const parts = t.levels.filter((l) => l.level === lvl && !l.placebo);
    const entry = parts.find((l) => l.part === 'escalation') ?? parts[0];
    if (!entry) throw new CallError('invalid-input', `dose level ${lvl} is not in snapshot ${input.snapshotId} (levels: ${[...new Set(t.levels.map((l) => l.level))].join(', ') || 'none'})`);
    const wc = t.recommendation.whenComplete;
    return {
      level: lvl,
      dose: entry.dose,
      doseUnit,
      dltTable: entry,
      parts,
      recommendation: pickRule(t.recommendation),
      whenComplete: wc ? { action: wc.action, nextLevel: wc.nextLevel } : null,
      context: { boin: pickRule(t.boin), mtpi2: pickRule(t.mtpi2) },
      history: t.history,
      decision: null,
      votes: [],
    };
  });
  checkAttendees(ctx, input.attendees);
  const content = parseContent({
    title: input.title,
    committee: input.committee,
    meetingNumber: input.meetingNumber,
    studyId: snap.studyId,
    studyTitle: study.title,
    startAt: input.startAt,
    endAt: input.endAt,
    timeZone: input.timeZone,
    format: input.format,
    snapshot: { snapshotId: snap.snapshotId, contentHash: snap.contentHash, label: snap.label, dataCutoff: t.dataCutoff ?? snap.dataCutoff },
    design: t.design,
    attendees: input.attendees,
    quorum: input.quorum ?? getSettings(ctx.db).quorum,
    conflicts: [],
    levels,
    observations: {},
    actionItems: [],
    figures: [],
    ...(input.lookahead ? { lookahead: lookaheadRecord(lookaheadOf(ctx, input.snapshotId, input.lookahead)) } : {}),
  });
  const now = stamp(ctx).iso;
  const meetingId = ctx.db
    .transaction(() => {
      const id = insertMeeting(ctx.db, snap.studyId, snap.snapshotId, now, u.username);
      const record: RecordVersion = { schema: 'dosedesk.meeting/1', meetingId: id, version: 1, amends: null, amendmentReason: null, content, lockedAt: null, lockedBy: null, requiredSigners: [] };
      insertVersion(ctx.db, record, now, u.username);
      appendAudit(ctx, { user: u.username, action: 'create', entity: 'meeting', entityId: id, new: { version: 1, record } });
      return id;
    })
    .immediate();
  return view(ctx, loadVersion(ctx.db, meetingId, 1));
}

// ---- meetings.update / addFigure -------------------------------------------------------------------

function applyChanges(c: MeetingContent, ch: In<'meetings.update'>['changes']): unknown {
  const { levels, observations, removeFigures, ...plain } = ch;
  const next: Record<string, unknown> = { ...c };
  for (const [k, v] of Object.entries(plain)) if (v !== undefined) next[k] = v;
  if (observations) next.observations = { ...c.observations, ...observations };
  if (removeFigures?.length) {
    const unknown = removeFigures.filter((h) => !c.figures.some((f) => f.sha256 === h));
    if (unknown.length) throw new CallError('invalid-input', `no figure ${unknown.join(', ')} in this draft`);
    next.figures = c.figures.filter((f) => !removeFigures.includes(f.sha256));
  }
  if (levels) {
    next.levels = c.levels.map((l) => ({ ...l }));
    for (const e of levels) {
      const target = (next.levels as ReviewedLevel[]).find((l) => l.level === e.level);
      if (!target) throw new CallError('invalid-input', `level ${e.level} is not reviewed in this meeting (${c.levels.map((l) => l.level).join(', ')})`);
      if (e.decision !== undefined) target.decision = e.decision;
      if (e.votes !== undefined) target.votes = e.votes;
    }
  }
  return next;
}

function updateMeeting(ctx: CoreContext, input: In<'meetings.update'>): MeetingView {
  const u = editor(ctx, 'edit meeting records');
  return ctx.db
    .transaction(() => {
      const v = requireDraft(ctx, input.meetingId, input.version);
      const content = parseContent(applyChanges(v.record.content, input.changes));
      if (input.changes.attendees) checkAttendees(ctx, content.attendees);
      const d = diffPaths(v.record.content, content, 'content');
      if (Object.keys(d.new).length === 0) return view(ctx, v);
      const record: RecordVersion = { ...v.record, content };
      saveDraft(ctx.db, record);
      appendAudit(ctx, { user: u.username, action: 'change', entity: 'meeting', entityId: input.meetingId, old: { version: input.version, ...d.old }, new: { version: input.version, ...d.new }, reason: input.reason ?? null });
      return view(ctx, loadVersion(ctx.db, input.meetingId, input.version));
    })
    .immediate();
}

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function addFigure(ctx: CoreContext, input: In<'meetings.addFigure'>): MeetingView {
  const u = editor(ctx, 'capture figures');
  const data = Buffer.from(input.dataBase64, 'base64');
  if (data.length === 0) throw new CallError('invalid-input', 'dataBase64: empty');
  if (input.mime === 'image/png' && !data.subarray(0, 8).equals(PNG_MAGIC)) throw new CallError('invalid-input', 'dataBase64: not a PNG image');
  if (input.mime === 'image/svg+xml' && !/<svg[\s>]/.test(data.subarray(0, 4096).toString('utf8'))) throw new CallError('invalid-input', 'dataBase64: not an SVG image');
  if (input.mime === TABLE_FIGURE_MIME) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString('utf8'));
    } catch (e) {
      throw new CallError('invalid-input', `dataBase64: not a table (JSON: ${(e as Error).message})`);
    }
    const t = TableFigure.safeParse(parsed);
    if (!t.success) throw new CallError('invalid-input', `dataBase64: not a table: ${t.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(table)'}: ${i.message}`).join('; ')}`);
  }
  const sha256 = sha256Hex(data);
  const now = stamp(ctx).iso;
  return ctx.db
    .transaction(() => {
      const v = requireDraft(ctx, input.meetingId, input.version);
      if (v.record.content.figures.some((f) => f.sha256 === sha256)) throw new CallError('conflict', `this figure (${sha256.slice(0, 12)}…) is already in the record`);
      putFigure(ctx.db, sha256, input.mime, data, now);
      const figure: Figure = { sha256, mime: input.mime, title: input.title, caption: input.caption, bytes: data.length, capturedAt: now, capturedBy: u.username };
      const record: RecordVersion = { ...v.record, content: { ...v.record.content, figures: [...v.record.content.figures, figure] } };
      saveDraft(ctx.db, record);
      appendAudit(ctx, { user: u.username, action: 'change', entity: 'meeting', entityId: input.meetingId, new: { version: input.version, figureAdded: figure } });
      return view(ctx, loadVersion(ctx.db, input.meetingId, input.version));
    })
    .immediate();
}

// ---- lifecycle -------------------------------------------------------------------------------------

function finalize(ctx: CoreContext, input: In<'meetings.finalize'>): MeetingView {
  const u = editor(ctx, 'lock meeting records');
  return ctx.db
    .transaction(() => {
      const v = requireDraft(ctx, input.meetingId, input.version);
      const content = parseContent(v.record.content);
      const issues = lockIssues(content);
      if (issues.length) throw new CallError('conflict', `cannot lock meeting ${input.meetingId} version ${input.version}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
      const signers = requiredSigners(content.attendees, getSettings(ctx.db).signatureMeanings);
      if (signers.length === 0) throw new CallError('conflict', 'cannot lock: no present attendee with an account has a role that signs (settings.signatureMeanings)');
      const record: RecordVersion = { ...v.record, lockedAt: stamp(ctx).iso, lockedBy: u.username, requiredSigners: signers };
      const hash = recordHash(record);
      lockVersion(ctx.db, input.meetingId, input.version, JSON.stringify(record), hash);
      appendAudit(ctx, { user: u.username, action: 'lock', entity: 'meeting', entityId: input.meetingId, old: { version: input.version, status: 'draft' }, new: { version: input.version, status: 'final', recordHash: hash, requiredSigners: signers } });
      return view(ctx, loadVersion(ctx.db, input.meetingId, input.version));
    })
    .immediate();
}

/**
 * 21 CFR 11.50 / 11.70 / 11.200: re-authentication with user id and password at every signature (a
 * wrong password counts towards lock-out), only required signers with a meaning allowed for their
 * meeting role, one signature per signer and version, Ed25519 over the record hash + meaning + time.
 */
async function signVersion(ctx: CoreContext, input: In<'meetings.sign'>): Promise<MeetingView> {
  const pre = loadVersion(ctx.db, input.meetingId, input.version);
  if (pre.row.status === 'draft') throw new CallError('conflict', `meeting ${input.meetingId} version ${input.version} is a draft: lock it (meetings.finalize) before signing`);
  if (pre.row.status !== 'final') throw new CallError('conflict', `meeting ${input.meetingId} version ${input.version} is already ${pre.row.status}: every required signer has signed`);
  if (latestVersion(ctx.db, input.meetingId) !== input.version) throw new CallError('conflict', `version ${input.version} of meeting ${input.meetingId} is superseded by an amendment: sign the latest version`);
  const u = await authenticate(ctx, input.userId, input.password, 'sign');
  const signer = pre.record.requiredSigners.find((s) => s.userId === u.user_id);
  if (!signer) throw new CallError('conflict', `${u.username} is not a required signer of meeting ${input.meetingId} version ${input.version}`);
  if (!signer.meanings.includes(input.meaning)) throw new CallError('invalid-input', `${u.username} signs as ${signer.role}: meaning must be ${signer.meanings.join(' or ')}, not ${input.meaning}`);
  const key = currentKey(ctx.db, u.user_id);
  if (!key) throw new CallError('conflict', `${u.username} has no signing key`);
  const privateKey = await decryptPrivateKey(JSON.parse(key.private_key) as EncryptedKey, input.password);
  ensureLocalAuthority(ctx); // issue 11: the signature anchors the audit chain's head (audit/anchor.ts)
  const when = stamp(ctx);
  return ctx.db
    .transaction(() => {
      // The account as it is now: locked or deactivated since the password was checked = no signature.
      assertActiveUnlocked(ctx.db, u.user_id);
      const v = loadVersion(ctx.db, input.meetingId, input.version);
      if (v.row.status !== 'final') throw new CallError('conflict', `meeting ${input.meetingId} version ${input.version} is ${v.row.status}`);
      if (loadSignatures(ctx.db, input.meetingId, input.version).some((s) => s.userId === u.user_id)) throw new CallError('conflict', `${u.username} has already signed version ${input.version}`);
      const hash = recordHash(v.record);
      if (hash !== v.row.record_hash) throw new CallError('internal', `stored record of meeting ${input.meetingId} version ${input.version} does not match its hash: refusing to sign`);
      const head = auditHead(ctx.db); // issue 11: the signature signs the audit chain's head
      const unsigned = { meetingId: input.meetingId, version: input.version, recordHash: hash, userId: u.user_id, username: u.username, printedName: u.printed_name, meaning: input.meaning, signedAt: when.iso, timeZone: when.timeZone, ...(head ? { auditHead: head } : {}) };
      const signature = signPayload(unsigned, privateKey);
      const signatureId = insertSignature(ctx.db, { ...unsigned, title: u.title, role: signer.role, keyId: key.key_id, signature });
      const signedBy = new Set(loadSignatures(ctx.db, input.meetingId, input.version).map((s) => s.userId));
      const complete = v.record.requiredSigners.every((s) => signedBy.has(s.userId));
      if (complete) markSigned(ctx.db, input.meetingId, input.version);
      appendAudit(ctx, {
        user: u.username,
        action: 'sign',
        entity: 'meeting',
        entityId: input.meetingId,
        old: { version: input.version, status: 'final' },
        new: { version: input.version, signatureId, printedName: u.printed_name, meaning: input.meaning, signedAt: when.iso, recordHash: hash, keyId: key.key_id, status: complete ? 'signed' : 'final' },
      });
      anchorAudit(ctx, 'signature', signatureRef(input.meetingId, input.version, signatureId));
      return view(ctx, loadVersion(ctx.db, input.meetingId, input.version));
    })
    .immediate();
}

function distribute(ctx: CoreContext, input: In<'meetings.distribute'>): MeetingView {
  const u = editor(ctx, 'distribute minutes');
  return ctx.db
    .transaction(() => {
      const v = loadVersion(ctx.db, input.meetingId, input.version);
      if (v.row.status !== 'signed') throw new CallError('conflict', `meeting ${input.meetingId} version ${input.version} is ${v.row.status}: only a version signed by every required signer is distributed`);
      const distribution = { at: stamp(ctx).iso, by: u.username, recipients: input.recipients, note: input.note };
      markDistributed(ctx.db, input.meetingId, input.version, JSON.stringify(distribution));
      appendAudit(ctx, { user: u.username, action: 'distribute', entity: 'meeting', entityId: input.meetingId, old: { version: input.version, status: 'signed' }, new: { version: input.version, status: 'distributed', ...distribution } });
      return view(ctx, loadVersion(ctx.db, input.meetingId, input.version));
    })
    .immediate();
}

function amend(ctx: CoreContext, input: In<'meetings.amend'>): MeetingView {
  const u = editor(ctx, 'amend meeting records');
  return ctx.db
    .transaction(() => {
      const prev = loadVersion(ctx.db, input.meetingId);
      if (prev.row.status === 'draft') throw new CallError('conflict', `version ${prev.row.version} of meeting ${input.meetingId} is still a draft: edit it instead of amending`);
      const record: RecordVersion = {
        schema: 'dosedesk.meeting/1',
        meetingId: input.meetingId,
        version: prev.row.version + 1,
        amends: prev.row.version,
        amendmentReason: input.reason,
        content: prev.record.content,
        lockedAt: null,
        lockedBy: null,
        requiredSigners: [],
      };
      const now = stamp(ctx).iso;
      insertVersion(ctx.db, record, now, u.username);
      appendAudit(ctx, { user: u.username, action: 'amend', entity: 'meeting', entityId: input.meetingId, old: { version: prev.row.version, status: prev.row.status, recordHash: prev.row.record_hash }, new: { version: record.version, amends: prev.row.version, status: 'draft' }, reason: input.reason });
      return view(ctx, loadVersion(ctx.db, input.meetingId, record.version));
    })
    .immediate();
}

// ---- export ----------------------------------------------------------------------------------------

/**
 * The record version with its signatures, the signers' public keys (offline verification), the
 * figures' bytes and the meeting's audit entries (11.10(b)). The export itself is audited first, so
 * the embedded audit entries end with it.
 */
/** The record of a locked version with its signatures (meetings.exportRecord): also what the minutes export. */
export function exportRecord(ctx: CoreContext, input: In<'meetings.exportRecord'>): Output<'meetings.exportRecord'> {
  // The export is audited (who exported what): attributed like every change (access/actor.ts).
  const a = attribution(ctx, 'exporting a meeting record');
  const who = a.username;
  const v = loadVersion(ctx.db, input.meetingId, input.version);
  const hash = recordHash(v.record);
  if (v.row.record_hash !== null && v.row.record_hash !== hash) throw new CallError('internal', `stored record of meeting ${input.meetingId} version ${input.version} does not match its hash`);
  const signatures = loadSignatures(ctx.db, input.meetingId, input.version);
  const at = stamp(ctx).iso;
  appendAudit(ctx, { user: who, action: 'export', entity: 'meeting', entityId: input.meetingId, new: { version: input.version, status: v.row.status, recordHash: hash, signatures: signatures.length }, reason: auditReason(a) });
  const figures = v.record.content.figures.map((f) => {
    const blob = getFigure(ctx.db, f.sha256);
    if (!blob) throw new CallError('internal', `captured figure ${f.sha256} is missing from the store`);
    return { sha256: f.sha256, mime: blob.mime, title: f.title, dataBase64: blob.data.toString('base64') };
  });
  return {
    format: 'dosedesk.meeting-export/1',
    record: v.record,
    recordHash: hash,
    status: v.row.status,
    signatures,
    publicKeys: publicKeys(ctx.db, [...new Set(signatures.map((s) => s.keyId))]),
    figures,
    audit: listAudit(ctx.db, { entity: 'meeting', entityId: String(input.meetingId) }),
    exportedAt: at,
    exportedBy: who,
  };
}
