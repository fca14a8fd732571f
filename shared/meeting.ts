import { z } from 'zod';
import { lazySchema } from './lazySchema';
import { ACTION_LABELS, type EscalationAction } from './escalation/vocabulary';

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
export const IsoDateTimeWithOffset = lazySchema(() => z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, 'expected an ISO date-time with a time zone offset, e.g. 2025-03-04T09:30+01:00'));

// ---- vocabulary ---------------------------------------------------------------------------------

// One vocabulary: these keys and these words are what the screen shows AND what the signed PDF
// prints (renderer/src/components/meeting/labels.ts and electron/core/minutes re-use them). What a
// member signs on screen reads the same in the filed minutes. Changing a word changes the printed
// pages: bump MINUTES_RENDERER (electron/core/minutes/render.ts).

/** Account roles (issue 5). */
export const ROLES = ['administrator', 'chair', 'voting-member', 'non-voting-attendee', 'secretary'] as const;
export const Role = lazySchema(() => z.enum(ROLES));
export type Role = z.infer<typeof Role>;

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  administrator: 'Administrator',
  chair: 'Chair',
  'voting-member': 'Voting member',
  'non-voting-attendee': 'Non-voting attendee',
  secretary: 'Secretary',
};

/** Signature meanings (21 CFR 11.50(a)(3): "review, approval, responsibility, or authorship"). */
export const MEANINGS = ['authored', 'reviewed', 'approved'] as const;
export const Meaning = lazySchema(() => z.enum(MEANINGS));
export type Meaning = z.infer<typeof Meaning>;

export const MEANING_LABELS: Readonly<Record<Meaning, string>> = { authored: 'Authored', reviewed: 'Reviewed', approved: 'Approved' };

/** The committee's decisions (issue 5; docs/CLINICAL_RULES.md#committee-decisions). */
export const COMMITTEE_DECISIONS = ['escalate', 'stay', 'expand-cohort', 'de-escalate', 'declare-mtd', 'declare-rp2d', 'open-expansion', 'stop'] as const;
export const CommitteeDecision = lazySchema(() => z.enum(COMMITTEE_DECISIONS));
export type CommitteeDecision = z.infer<typeof CommitteeDecision>;

export const DECISION_LABELS: Readonly<Record<CommitteeDecision, string>> = {
  escalate: 'Escalate',
  stay: 'Stay at this level',
  'expand-cohort': 'Expand the cohort',
  'de-escalate': 'De-escalate',
  'declare-mtd': 'Declare the MTD',
  'declare-rp2d': 'Declare the RP2D',
  'open-expansion': 'Open the expansion',
  stop: 'Stop the study',
};

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
// Everything signed or filed is a strict object (issue 13): an unknown key is an error with its
// path, never carried silently into what is hashed and signed. Keys added after records were first
// signed are optional, so that every earlier record still parses.
export const RuleRecommendation = lazySchema(() => z.strictObject({
  design: z.string(),
  error: z.string().nullable(),
  action: z.string().nullable(),
  nextLevel: z.number().int().nullable(),
  recommendedLevel: z.number().int().nullable(),
  explanation: z.string(),
  determined: z.boolean(),
  rule: z.string().nullable(),
  continues: z.boolean().nullable().optional(),
  pending: z.number().int().optional(),
  openSlots: z.number().int().optional(),
  warnings: z.array(z.string()).optional(),
}));
export type RuleRecommendation = z.infer<typeof RuleRecommendation>;

export const DecisionRecord = lazySchema(() => z.strictObject({
  decision: CommitteeDecision,
  /** Dose level for the next patients (null for stop; the declared level for MTD / RP2D / expansion). */
  nextLevel: z.number().int().positive().nullable(),
  nextDose: z.number().nonnegative().nullable(),
  cohortSize: z.number().int().positive().nullable(),
  rationale: z.string().max(20000).default(''),
  conditions: z.string().max(5000).default(''),
}));
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

// ---- contradictions between decisions --------------------------------------------------------------

/** One level's decision as the consistency checks read it. */
export interface LevelDecision {
  level: number;
  decision: Pick<DecisionRecord, 'decision' | 'nextLevel'> | null;
}

/** Two or more decisions of one meeting that cannot all hold, or one that departs from the rule. */
export interface Contradiction {
  kind: 'departs-from-rule' | 'two-mtds' | 'dosing-above-mtd' | 'rp2d-above-mtd' | 'stop-beside-dosing' | 'different-next-levels';
  /** The reviewed levels whose decisions are involved; each needs a rationale. */
  levels: number[];
  /** In clinicians' words, e.g. "the MTD is declared at DL6, but DL7's decision “Stay at this level” doses patients at DL7, above it". */
  message: string;
}

/** The level a declaration names: its next level, else the reviewed level itself. */
const declaredLevel = (l: LevelDecision): number => l.decision?.nextLevel ?? l.level;

const label = (d: CommitteeDecision): string => `“${DECISION_LABELS[d]}”`;

/**
 * Decisions of one meeting checked against each other (issue 12 item 5). A dose-escalation
 * committee names at most one maximum tolerated dose, doses no patient above it, declares no
 * recommended phase 2 dose above it (the RP2D is at or below the MTD: Le Tourneau, Lee & Siu 2009,
 * J Natl Cancer Inst 101:708, "Dose escalation methods in phase I cancer clinical trials"), does not
 * stop the study while dosing the next patients, and sends the next patients to one level. Each
 * finding is not forbidden — the committee may have a reason (a backfill cohort, a lower RP2D) —
 * but it needs an explicit rationale, which the minutes print beside it.
 */
export function crossLevelContradictions(levels: readonly LevelDecision[]): Contradiction[] {
  const out: Contradiction[] = [];
  const decided = levels.filter((l): l is LevelDecision & { decision: NonNullable<LevelDecision['decision']> } => l.decision !== null);
  const mtds = decided.filter((l) => l.decision.decision === 'declare-mtd');
  if (mtds.length > 1) {
    out.push({
      kind: 'two-mtds',
      levels: mtds.map((l) => l.level),
      message: `the MTD is declared more than once (${mtds.map((l) => `at DL${declaredLevel(l)} in the decision on DL${l.level}`).join(', ')}); a committee names one MTD`,
    });
  }
  const mtd = mtds.length ? Math.min(...mtds.map(declaredLevel)) : null;
  const dosing = decided.filter((l) => DOSING_DECISIONS.has(l.decision.decision) && l.decision.nextLevel !== null);
  if (mtd !== null) {
    const mtdFrom = mtds.find((l) => declaredLevel(l) === mtd)!.level;
    for (const l of dosing) {
      if (l.decision.nextLevel! > mtd) {
        out.push({
          kind: 'dosing-above-mtd',
          levels: [mtdFrom, l.level].filter((v, i, a) => a.indexOf(v) === i),
          message: `the MTD is declared at DL${mtd}, but DL${l.level}'s decision ${label(l.decision.decision)} doses the next patients at DL${l.decision.nextLevel}, above it`,
        });
      }
    }
    for (const l of decided) {
      if (l.decision.decision === 'declare-rp2d' && declaredLevel(l) > mtd) {
        out.push({ kind: 'rp2d-above-mtd', levels: [mtdFrom, l.level].filter((v, i, a) => a.indexOf(v) === i), message: `the RP2D is declared at DL${declaredLevel(l)}, above the MTD declared at DL${mtd}` });
      }
    }
  }
  const stops = decided.filter((l) => l.decision.decision === 'stop');
  for (const s of stops) {
    for (const l of dosing) {
      out.push({ kind: 'stop-beside-dosing', levels: [s.level, l.level], message: `DL${s.level}'s decision ${label('stop')} stands beside DL${l.level}'s decision ${label(l.decision.decision)}, which doses the next patients at DL${l.decision.nextLevel}` });
    }
  }
  const targets = [...new Set(dosing.map((l) => l.decision.nextLevel!))];
  if (targets.length > 1) {
    out.push({
      kind: 'different-next-levels',
      levels: dosing.map((l) => l.level),
      message: `the decisions send the next patients to different levels (${dosing.map((l) => `DL${l.level}: ${label(l.decision.decision)} to DL${l.decision.nextLevel}`).join('; ')})`,
    });
  }
  return out;
}

/** "the decision departs from the rule: the rule recommends “Stop: MTD identified” (…); the committee decided “Stay at this level” at DL7". */
function departureInWords(l: CheckedLevel, why: string): string {
  const rec = l.recommendation;
  const d = l.decision!;
  if (!rec || rec.error || !rec.action) return `the decision departs from the rule: ${why}`;
  const agreeing = decisionsForAction(rec.action as EscalationAction, rec.nextLevel, l.level).map(label);
  const action = ACTION_LABELS[rec.action] ?? rec.action;
  return (
    `the decision departs from the rule: the rule recommends “${action}”${rec.nextLevel !== null ? ` at DL${rec.nextLevel}` : ''} ` +
    `(agreeing decision${agreeing.length > 1 ? 's' : ''}: ${agreeing.join(' or ')}); the committee decided ${label(d.decision)}${d.nextLevel !== null ? ` at DL${d.nextLevel}` : ''}`
  );
}

/** A reviewed level as the checks need it (a subset of ReviewedLevel). */
type CheckedLevel = Pick<ReviewedLevel, 'level' | 'decision' | 'recommendation' | 'whenComplete'>;

/**
 * Every contradiction of a meeting record: each decision that departs from the rule's
 * recommendation (departsFromRule) and every conflict between decisions (crossLevelContradictions).
 * Each one needs a rationale on the decision of every level it names; the minutes show them all.
 */
export function meetingContradictions(levels: readonly CheckedLevel[]): Contradiction[] {
  const out: Contradiction[] = [];
  for (const l of levels) {
    if (!l.decision) continue;
    const d = departsFromRule(l.decision, l.recommendation, l.level, l.whenComplete);
    if (d.departs) out.push({ kind: 'departs-from-rule', levels: [l.level], message: departureInWords(l, d.why) });
  }
  return [...out, ...crossLevelContradictions(levels.map((l) => ({ level: l.level, decision: l.decision })))];
}

// ---- the record ---------------------------------------------------------------------------------

export const Attendee = lazySchema(() => z.strictObject({
  /** The DoseDesk account (needed to vote and sign); null for a guest named only in the minutes. */
  userId: z.number().int().positive().nullable(),
  name: z.string().min(1).max(200),
  role: Role,
  voting: z.boolean(),
  present: z.boolean(),
  affiliation: z.string().max(200).default(''),
}));
export type Attendee = z.infer<typeof Attendee>;

export const Quorum = lazySchema(() => z.strictObject({
  /** Minimum number of voting members present (the committee charter's quorum). */
  minVotingPresent: z.number().int().min(1),
  /** Whether a chair must be present. */
  chairRequired: z.boolean(),
}));
export type Quorum = z.infer<typeof Quorum>;

export const Conflict = lazySchema(() => z.strictObject({
  userId: z.number().int().positive().nullable(),
  name: z.string().min(1).max(200),
  declaration: z.string().max(5000),
  /** A recused member does not vote. */
  recused: z.boolean().default(false),
}));

export const Vote = lazySchema(() => z.strictObject({ userId: z.number().int().positive(), vote: z.enum(['for', 'against', 'abstain']), comment: z.string().max(2000).default('') }));
export type Vote = z.infer<typeof Vote>;

/** One dose level's DLT summary as computed at meeting creation (safety.dltTable level entry). */
const AeBriefRecord = lazySchema(() => z.strictObject({
  aeseq: z.number().nullable(),
  aeterm: z.string(),
  aedecod: z.string().nullable(),
  grade: z.number().int().nullable(),
  severity: z.string().nullable().optional(),
  aestdtc: z.string().nullable(),
  studyDay: z.number().int().nullable(),
  relationshipMissing: z.boolean().optional(),
}));

/** A laboratory result of CTCAE grade >= 3 inside the DLT window (safety.dltTable possibleDltLabs). */
const LabBriefRecord = lazySchema(() => z.strictObject({
  testcd: z.string(),
  term: z.string(),
  grade: z.number().int(),
  /** 'LBTOXGR' or 'derived' (from the value and the normal range). */
  source: z.string(),
  result: z.string().nullable(),
  unit: z.string().nullable(),
  lbdtc: z.string().nullable(),
  studyDay: z.number().int().nullable(),
}));

const DltSubjectRecord = lazySchema(() => z.strictObject({
  usubjid: z.string(),
  firstDoseDtc: z.string(),
  windowEndDtc: z.string(),
  daysLeft: z.number().int().nullable(),
  status: z.string(),
  evaluable: z.boolean(),
  reason: z.string(),
  dlts: z.array(AeBriefRecord),
  possibleDlts: z.array(AeBriefRecord),
  /** Absent in records made before laboratory grades were screened. */
  possibleDltLabs: z.array(LabBriefRecord).optional(),
  ungradedNotScreened: z.array(AeBriefRecord).optional(),
  endOfTreatment: z.strictObject({ dtc: z.string().nullable(), source: z.string().nullable(), detail: z.string() }).nullable().optional(),
  historyLetter: z.string().nullable(),
  cohortId: z.string().nullable(),
  ongoing: z.boolean(),
}));

export const LevelDltTable = lazySchema(() => z.strictObject({
  level: z.number().int(),
  placebo: z.boolean().optional(),
  dose: z.number(),
  /** escalation / expansion, as the Cohorts view and the DLT table split a level (shared/safety). */
  part: z.string(),
  treated: z.number().int(),
  evaluable: z.number().int(),
  withDlt: z.number().int(),
  pending: z.number().int(),
  notEvaluable: z.number().int().optional(),
  possibleDltsNotFlagged: z.number().int().optional(),
  possibleDltLabs: z.number().int().optional(),
  ungradedNotScreened: z.number().int().optional(),
  subjects: z.array(DltSubjectRecord),
}));
export type LevelDltTable = z.infer<typeof LevelDltTable>;

export const ReviewedLevel = lazySchema(() => z.strictObject({
  level: z.number().int(),
  dose: z.number(),
  doseUnit: z.string(),
  /** The escalation part of the level: what the rule reads (the history is the escalation part's). */
  dltTable: LevelDltTable,
  /**
   * Everyone treated at this dose, one entry per part (escalation, expansion), as the DLT table and
   * the Cohorts view split them (issue 12 item 5). Absent in records made before it: those hold only
   * `dltTable`.
   */
  parts: z.array(LevelDltTable).optional(),
  /** The protocol rule's recommendation as computed from the snapshot when the meeting was created. */
  recommendation: RuleRecommendation.nullable(),
  whenComplete: z.strictObject({ action: z.string(), nextLevel: z.number().int().nullable() }).nullable(),
  /** BOIN and mTPI-2 beside it, for context only. */
  context: z.strictObject({ boin: RuleRecommendation.nullable(), mtpi2: RuleRecommendation.nullable() }),
  history: z.string(),
  decision: DecisionRecord.nullable(),
  votes: z.array(Vote),
}));
export type ReviewedLevel = z.infer<typeof ReviewedLevel>;

const LookaheadDecision = lazySchema(() => z.strictObject({
  action: z.string().nullable(),
  nextLevel: z.number().int().nullable(),
  recommendedLevel: z.number().int().nullable(),
  /** For an incomplete cohort whose outcome is already determined: the decision once it is complete. */
  whenComplete: z.strictObject({ action: z.string(), nextLevel: z.number().int().nullable() }).nullable(),
  error: z.string().nullable(),
}));

/** What the meeting record keeps of a look-ahead (safety.lookahead in compact form; electron/core/minutes/lookahead.ts prints it). */
export const LookaheadRecord = lazySchema(() => z.strictObject({
  design: z.string(),
  targetToxicity: z.number(),
  maxPatients: z.number().int().min(1).max(6),
  history: z.string(),
  paths: z.array(
    z.strictObject({
      /** The steps in words ("DL2: 1 DLT in 3 → DL2: 0 DLTs in 3"). */
      path: z.string(),
      patients: z.number().int(),
      dlts: z.number().int(),
      history: z.string(),
      protocol: LookaheadDecision,
      boin: LookaheadDecision,
      mtpi2: LookaheadDecision,
    }),
  ),
  note: z.string().nullable(),
}));
export type LookaheadRecord = z.infer<typeof LookaheadRecord>;

/**
 * A table captured as data (its columns and the rows shown, as text), not as a picture: the minutes
 * print it as a real table at a readable size over as many pages as it needs (issue 12 item 5: a
 * 261-row AE grid captured as an image was illegible once shrunk onto one page).
 */
export const TABLE_FIGURE_MIME = 'application/vnd.dosedesk.table+json';
export const TableFigure = lazySchema(() => z.strictObject({
  columns: z.array(z.string().max(500)).min(1).max(500),
  rows: z.array(z.array(z.string().max(20000)).max(500)).max(200_000),
}));
export type TableFigure = z.infer<typeof TableFigure>;
export const FIGURE_MIMES = ['image/png', 'image/svg+xml', TABLE_FIGURE_MIME] as const;

export const Figure = lazySchema(() => z.strictObject({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  mime: z.enum(FIGURE_MIMES),
  title: z.string().min(1).max(500),
  caption: z.string().max(5000).default(''),
  bytes: z.number().int().nonnegative(),
  capturedAt: IsoDateTimeWithOffset,
  capturedBy: z.string(),
}));
export type Figure = z.infer<typeof Figure>;

export const ActionItem = lazySchema(() => z.strictObject({ text: z.string().min(1).max(5000), owner: z.string().min(1).max(200), due: z.string().max(40).nullable().default(null), status: z.enum(['open', 'done']).default('open') }));

export const Observations = lazySchema(() => z.strictObject({
  safety: z.string().max(50000).default(''),
  pk: z.string().max(50000).default(''),
  efficacy: z.string().max(50000).default(''),
  other: z.string().max(50000).default(''),
}));

export const MeetingContent = lazySchema(() => z.strictObject({
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
  snapshot: z.strictObject({ snapshotId: z.number().int().positive(), contentHash: z.string(), label: z.string(), dataCutoff: z.string().nullable() }),
  design: z
    .strictObject({ design: z.string(), atdDesign: z.number().int().nullable().optional(), deescalation: z.boolean().optional(), sixAtMtd: z.boolean().optional(), targetToxicity: z.number().optional(), levels: z.number().int().optional() })
    .nullable(),
  attendees: z.array(Attendee),
  quorum: Quorum,
  conflicts: z.array(Conflict),
  levels: z.array(ReviewedLevel).min(1),
  observations: Observations,
  actionItems: z.array(ActionItem),
  figures: z.array(Figure),
  /** The look-ahead table, on request (meetings.create `lookahead`), as computed at creation (electron/core/minutes/lookahead.ts). */
  lookahead: LookaheadRecord.optional(),
}));
export type MeetingContent = z.infer<typeof MeetingContent>;

export const RequiredSigner = lazySchema(() => z.strictObject({ userId: z.number().int().positive(), name: z.string(), role: Role, meanings: z.array(Meaning).min(1) }));
export type RequiredSigner = z.infer<typeof RequiredSigner>;

/**
 * One version of the record: what is hashed and signed (canonicalJson, then SHA-256). Status,
 * signatures and distribution are outside it: they follow the version, they do not change it.
 */
export const RecordVersion = lazySchema(() => z.strictObject({
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
}));
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

export const Signature = lazySchema(() => z.strictObject({
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
  auditHead: z.strictObject({ seq: z.number().int().positive(), hash: z.string() }).optional(),
}));
export type Signature = z.infer<typeof Signature>;

/** The payload's schema: strict, so that nothing but these members is ever signed. */
export const SignaturePayloadSchema = lazySchema(() => z.strictObject({
  purpose: z.literal('dosedesk.meeting.signature/1'),
  meetingId: z.number().int().positive(),
  version: z.number().int().positive(),
  recordHash: z.string(),
  userId: z.number().int().positive(),
  username: z.string(),
  printedName: z.string(),
  meaning: Meaning,
  signedAt: z.string(),
  timeZone: z.string(),
  auditHead: z.strictObject({ seq: z.number().int().positive(), hash: z.string() }).optional(),
}));

export function signaturePayload(s: Pick<Signature, 'meetingId' | 'version' | 'recordHash' | 'userId' | 'username' | 'printedName' | 'meaning' | 'signedAt' | 'timeZone' | 'auditHead'>): SignaturePayload {
  return SignaturePayloadSchema.parse({
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
  });
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
 * quorum, a decision per reviewed level, a rationale when the decision departs from the rule or
 * contradicts another level's decision (crossLevelContradictions), the
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
  const cross = crossLevelContradictions(content.levels.map((l) => ({ level: l.level, decision: l.decision })));
  content.levels.forEach((l, i) => {
    const p = `levels[${i}] (level ${l.level})`;
    if (!l.decision) {
      issues.push({ path: p, message: 'no committee decision recorded' });
      return;
    }
    const d = departsFromRule(l.decision, l.recommendation, l.level, l.whenComplete);
    const noRationale = l.decision.rationale.trim() === '';
    if (d.departs && noRationale) issues.push({ path: `${p}.decision.rationale`, message: `a rationale is required: ${d.why}` });
    for (const c of cross) {
      if (noRationale && c.levels.includes(l.level)) issues.push({ path: `${p}.decision.rationale`, message: `the decisions contradict each other — give a rationale: ${c.message}` });
    }
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
export const MeetingStatus = lazySchema(() => z.enum(MEETING_STATUSES));
export type MeetingStatus = z.infer<typeof MeetingStatus>;

/** The permitted transitions: draft → final (locked) → signed (every required signer) → distributed. */
export function canTransition(from: MeetingStatus, to: MeetingStatus): boolean {
  return (from === 'draft' && to === 'final') || (from === 'final' && to === 'signed') || (from === 'signed' && to === 'distributed');
}

// ---- settings -----------------------------------------------------------------------------------

export const Settings = lazySchema(() => z.object({
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
}));
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
