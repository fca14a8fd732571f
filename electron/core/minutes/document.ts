/**
 * The input model of the minutes PDF (docs/CLINICAL_RULES.md#meetings "What the minutes of a
 * dose-escalation meeting contain"). Deliberately independent of the meeting record (`electron/core/meetings`):
 * the two meet through one mapping function (meeting record → MinutesDocument).
 *
 * Everything here is plain data: strings are printed as given (after WinAnsi sanitising),
 * nothing is recomputed by the renderer.
 */
import type { CommitteeDecision } from '../../../shared/meeting';

/** One attendee: role as in the charter (chair, PI, medical monitor, statistician, secretary…). */
export interface MinutesAttendee {
  name: string;
  role: string;
  voting: boolean;
  present: boolean;
}

/** Quorum as defined by the committee charter (docs/CLINICAL_RULES.md#committee-decisions). */
export interface MinutesQuorum {
  /** The charter's rule in words, or a count, e.g. "Chair + 2 voting members". */
  required: string;
  /** Number of voting members present. */
  present: number;
  met: boolean;
}

/** A declared conflict of interest ("none" is recorded as an empty list). */
export interface MinutesConflict {
  name: string;
  declaration: string;
}

/** A simple table: header cells and rows of cells, printed as given. */
export interface MinutesTable {
  columns: string[];
  rows: string[][];
}

/** The rule-based recommendation as computed from the data (3+3 / ATD, or BOIN / mTPI-2 for context). */
export interface MinutesRuleRecommendation {
  /** Design and rule applied, e.g. "3+3 (with de-escalation)". */
  rule: string;
  /** Recommended action, e.g. "Expand cohort to 6". */
  action: string;
  /** Inputs and reasoning in words, e.g. "1 DLT in 3 evaluable subjects". */
  explanation?: string;
}

/** A committee decision key (shared/meeting.ts COMMITTEE_DECISIONS), or "not recorded". */
export type MinutesDecisionKind = CommitteeDecision | 'not recorded';

/** The committee's decision on one dose level. */
export interface MinutesDecision {
  decision: MinutesDecisionKind;
  /** Next dose in words, e.g. "DL3, 2.0 mg/kg"; empty when not applicable (stop). */
  nextDose: string;
  cohortSize: number | null;
  rationale: string;
  /** True when the decision differs from the rule's recommendation (rationale then required). */
  departsFromRule: boolean;
  /** Conditions attached, e.g. sentinel dosing. */
  conditions?: string;
}

export interface MinutesVote {
  name: string;
  /** "for" | "against" | "abstain" or free text. */
  vote: string;
}

export interface MinutesDoseLevel {
  /** Dose level label, e.g. "DL2". */
  level: string;
  dose: number | string;
  unit: string;
  /** Per-subject DLT table as shown to the committee (the escalation part: what the rule reads). */
  dltTable: MinutesTable;
  /** Everyone treated at the dose, one table per part (escalation, expansion); absent in records made before. */
  parts?: { label: string; table: MinutesTable }[];
  /** Cumulative summary for the level in words, e.g. "3 treated, 3 evaluable, 1 DLT". */
  summary?: string;
  recommendation: MinutesRuleRecommendation;
  /** Other designs shown beside the rule for context (BOIN, mTPI-2). */
  context: { rule: string; action: string }[];
  decision: MinutesDecision;
  votes: MinutesVote[];
}

export interface MinutesObservations {
  safety: string;
  pk: string;
  efficacy: string;
}

export interface MinutesActionItem {
  text: string;
  owner: string;
  /** ISO date or free text. */
  due: string;
}

/** A captured figure, as the committee saw it. */
export interface MinutesFigure {
  title: string;
  /** PNG bytes (rendered at high resolution; scaled to fit). Used when given. */
  png?: Uint8Array;
  /** SVG text; drawn as vector when no PNG is given. */
  svg?: string;
  /** A table captured as data: printed as a table at 9 pt over as many pages as it needs. */
  table?: MinutesTable;
  caption: string;
}

/** One signature manifestation (21 CFR 11.50(a): printed name, date and time, meaning). */
export interface MinutesSignatureManifestation {
  printedName: string;
  /** Role / title (MHRA 2018 §6.14 also asks for the title). */
  role: string;
  /** Meaning of the signature, e.g. "Approved as Chair". */
  meaning: string;
  /** ISO 8601 date-time WITH offset, e.g. "2025-03-14T16:05:00+01:00". */
  signedAt: string;
  /** IANA time zone name, e.g. "Europe/Berlin". */
  timezone: string;
  /** Optional: the hash of the record content the signature covers (11.70). */
  recordHash?: string;
}

export interface MinutesDocument {
  /** E.g. "Dose Escalation Committee Meeting Minutes". */
  title: string;
  studyId: string;
  studyTitle: string;
  /** Committee name and meeting number, optional. */
  committee?: string;
  meetingNumber?: string | number;
  meeting: {
    /** ISO date YYYY-MM-DD. */
    date: string;
    /** HH:MM or "14:00-15:10". */
    time: string;
    timezone: string;
    location?: string;
  };
  version: {
    number: string | number;
    /** "draft" | "final" | "signed" | … */
    status: string;
    /** The version this one amends, if an amendment. */
    amends?: string | number;
    reason?: string;
  };
  snapshot: {
    label: string;
    /** Hex SHA-256 of the snapshot content. */
    contentHash: string;
    /** ISO date of the data cut-off. */
    dataCutoff: string;
  };
  attendees: MinutesAttendee[];
  quorum: MinutesQuorum;
  conflicts: MinutesConflict[];
  doseLevels: MinutesDoseLevel[];
  /** On request: the look-ahead decision table (electron/core/minutes/lookahead.ts). */
  lookahead?: { intro: string; table: MinutesTable };
  /** Departures from the rule and decisions that contradict each other, each with its rationale. */
  contradictions?: MinutesContradiction[];
  observations: MinutesObservations;
  actionItems: MinutesActionItem[];
  figures: MinutesFigure[];
  signatures: MinutesSignatureManifestation[];
  /** The machine-readable record (JSON text), attached to the PDF as `minutes-record.json`. */
  recordJson: string;
}

/** A contradiction (shared/meeting.ts meetingContradictions) and the rationale the committee gave. */
export interface MinutesContradiction {
  /** "DL6, DL7" */
  levels: string;
  message: string;
  rationale: string;
}

/** The attachment name and MIME type of the record inside the PDF. */
export const RECORD_ATTACHMENT_NAME = 'minutes-record.json';
export const RECORD_ATTACHMENT_MIME = 'application/json';

/** The trust manifest attached to minutes exported with a trust root (see app.ts MinutesManifest). */
export const MANIFEST_ATTACHMENT_NAME = 'minutes-manifest.json';

/**
 * The version of what renderMinutesPdf draws. Bump it whenever the drawing of the same record changes
 * (layout, fonts, wording): minutes rendered by another version are then checked against the page
 * digests signed into their manifest instead of being re-rendered (app.ts verifyMinutes). Here, not in
 * render.ts, so that reading it loads no PDF library.
 */
export const MINUTES_RENDERER = 'dosedesk-minutes-render/2';
// /1: standard Helvetica/Courier, decision words of the PDF's own, one DLT table per level.
// /2 (issue 12 item 5, issue 13): DejaVu embedded (PDF/A-3b), the shared vocabulary, every part
//     treated at a dose, departures and contradictions with their rationale, labels at >= 8 pt,
//     the look-ahead table on request.
