import type { MeetingExport } from '../../../shared/api/meetings';
import { checkQuorum, departsFromRule, meetingContradictions, MEANING_LABELS, ROLE_LABELS, TABLE_FIGURE_MIME, TableFigure, type LevelDltTable } from '../../../shared/meeting';
import type { MinutesDocument, MinutesDoseLevel, MinutesRuleRecommendation, MinutesTable } from '../minutes/document';
import { ACTION_LABELS, DESIGN_LABELS } from '../../../shared/escalation/vocabulary';
import { LookaheadRecord, lookaheadMinutes } from '../minutes/lookahead';

// The one mapping from the meeting record (meetings.exportRecord output) to the minutes PDF's
// document model (electron/core/minutes/document.ts). Nothing is recomputed but what the record
// states: quorum and departures are the same pure rules the core applied (shared/meeting.ts).
// The whole export (record, signatures, signers' public keys) travels as the attached JSON.

const designLabel = (d: string) => DESIGN_LABELS[d] ?? d;

type Rule = MeetingExport['record']['content']['levels'][number]['recommendation'];

function ruleText(r: Rule): MinutesRuleRecommendation {
  if (!r) return { rule: 'not computed', action: 'none' };
  if (r.error || !r.action) return { rule: designLabel(r.design), action: 'none', explanation: r.error ?? r.explanation };
  const next = r.nextLevel !== null ? ` (next level DL${r.nextLevel})` : '';
  return { rule: `${designLabel(r.design)}${r.rule ? ` (rule ${r.rule})` : ''}`, action: `${ACTION_LABELS[r.action] ?? r.action}${next}`, explanation: r.explanation };
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

const aeWords = (a: { aedecod: string | null; aeterm: string; grade: number | null; relationshipMissing?: boolean }): string =>
  `${a.aedecod ?? a.aeterm ?? ''}${a.grade ? ` (G${a.grade})` : ''}${a.relationshipMissing ? ' (relationship missing)' : ''}`;

/** One part's per-subject DLT table, as shown to the committee. */
function dltRows(t: LevelDltTable): MinutesTable {
  return {
    columns: ['Subject', 'First dose', 'DLT window end', 'Status', 'DLTs (grade)', 'Possible DLTs, not flagged', 'Note'],
    rows: t.subjects.map((s) => [
      str(s.usubjid),
      str(s.firstDoseDtc),
      str(s.windowEndDtc),
      str(s.status),
      s.dlts.map(aeWords).join('; ') || '–',
      // Related grade >= 3 AEs without the DLT flag, and laboratory results of grade >= 3, in the window.
      [...s.possibleDlts.map(aeWords), ...(s.possibleDltLabs ?? []).map((l) => `${l.term} (lab, G${l.grade})`)].join('; ') || '–',
      str(s.reason),
    ]),
  };
}

const safeJson = (s: string): unknown => {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
};

const PART_WORDS: Record<string, string> = { escalation: 'Escalation', expansion: 'Expansion' };
const partCounts = (t: LevelDltTable): string => `${t.treated} treated, ${t.evaluable} evaluable, ${t.withDlt} with a DLT, ${t.pending} inside the DLT window`;

/** Local date and HH:MM of an ISO date-time with offset, as written (no conversion). */
const localParts = (iso: string) => ({ date: iso.slice(0, 10), time: iso.slice(11, 16) });

export function minutesDocument(exp: MeetingExport): MinutesDocument {
  const { record } = exp;
  const c = record.content;
  const names = new Map(c.attendees.flatMap((a) => (a.userId === null ? [] : [[a.userId, a.name] as const])));
  const q = checkQuorum(c.attendees, c.quorum);
  const start = localParts(c.startAt);
  const levels: MinutesDoseLevel[] = c.levels.map((l) => {
    const t = l.dltTable;
    // Records made since issue 12 hold every part treated at the dose; earlier ones only the escalation part.
    const parts = l.parts && l.parts.length > 0 ? l.parts : [t];
    const treated = parts.reduce((n, p) => n + p.treated, 0);
    const d = l.decision;
    const departs = d ? departsFromRule(d, l.recommendation, l.level, l.whenComplete).departs : false;
    return {
      level: `DL${l.level}`,
      dose: l.dose,
      unit: l.doseUnit,
      dltTable: dltRows(t),
      ...(l.parts && l.parts.length > 0
        ? { parts: parts.map((p) => ({ label: `${PART_WORDS[p.part] ?? p.part}: ${partCounts(p)}`, table: dltRows(p) })) }
        : {}),
      summary:
        l.parts && l.parts.length > 0
          ? `${treated} treated at this dose (${parts.map((p) => `${(PART_WORDS[p.part] ?? p.part).toLowerCase()} ${p.treated}`).join(', ')}); the rule reads the escalation part (${partCounts(t)}); history ${l.history || '(none)'}`
          : `${partCounts(t)}; history ${l.history || '(none)'}`,
      recommendation: ruleText(l.recommendation),
      context: [l.context.boin, l.context.mtpi2].filter((r): r is NonNullable<Rule> => !!r).map((r) => ({ rule: designLabel(r.design), action: ruleText(r).action })),
      decision: d
        ? {
            decision: d.decision,
            nextDose: d.nextLevel === null ? '' : `DL${d.nextLevel}${d.nextDose !== null ? `, ${d.nextDose} ${l.doseUnit}` : ''}`,
            cohortSize: d.cohortSize,
            rationale: d.rationale,
            departsFromRule: departs,
            conditions: d.conditions || undefined,
          }
        : { decision: 'not recorded', nextDose: '', cohortSize: null, rationale: '', departsFromRule: false },
      votes: l.votes.map((v) => ({ name: names.get(v.userId) ?? `user ${v.userId}`, vote: v.comment ? `${v.vote} – ${v.comment}` : v.vote })),
    };
  });
  const figures = new Map(exp.figures.map((f) => [f.sha256, f]));
  return {
    title: c.title,
    studyId: c.studyId,
    studyTitle: c.studyTitle ?? '',
    committee: c.committee || undefined,
    meetingNumber: c.meetingNumber || undefined,
    meeting: { date: start.date, time: c.endAt ? `${start.time}-${localParts(c.endAt).time}` : start.time, timezone: c.timeZone, location: c.format === 'in-person' ? 'In person' : c.format === 'video' ? 'Video conference' : 'Hybrid' },
    version: { number: record.version, status: exp.status, amends: record.amends ?? undefined, reason: record.amendmentReason ?? undefined },
    snapshot: { label: c.snapshot.label, contentHash: c.snapshot.contentHash, dataCutoff: c.snapshot.dataCutoff ?? '' },
    attendees: c.attendees.map((a) => ({ name: a.name, role: ROLE_LABELS[a.role], voting: a.voting, present: a.present })),
    quorum: { required: `${c.quorum.chairRequired ? 'Chair + ' : ''}${c.quorum.minVotingPresent} voting member${c.quorum.minVotingPresent === 1 ? '' : 's'} present`, present: q.votingPresent, met: q.met },
    conflicts: c.conflicts.map((x) => ({ name: x.name, declaration: `${x.declaration}${x.recused ? ' (recused from the vote)' : ''}` })),
    doseLevels: levels,
    ...(c.lookahead ? { lookahead: lookaheadMinutes(LookaheadRecord.parse(c.lookahead)) } : {}),
    contradictions: meetingContradictions(c.levels).map((x) => ({
      levels: x.levels.map((n) => `DL${n}`).join(', '),
      message: x.message,
      rationale: x.levels.map((n) => {
        const r = c.levels.find((l) => l.level === n)?.decision?.rationale.trim() ?? '';
        return x.levels.length > 1 ? `DL${n}: ${r || 'MISSING'}` : r || 'MISSING';
      }).join('\n'),
    })),
    observations: { safety: [c.observations.safety, c.observations.other ? `Other: ${c.observations.other}` : ''].filter(Boolean).join('\n\n'), pk: c.observations.pk, efficacy: c.observations.efficacy },
    actionItems: c.actionItems.map((a) => ({ text: a.text, owner: a.owner, due: a.due ?? '' })),
    figures: c.figures.map((f) => {
      const blob = figures.get(f.sha256);
      const bytes = blob ? Buffer.from(blob.dataBase64, 'base64') : null;
      if (bytes && f.mime === TABLE_FIGURE_MIME) {
        // a table captured as data: printed as a table (a damaged one as "not available", never dropped)
        const t = TableFigure.safeParse(safeJson(bytes.toString('utf8')));
        return { title: f.title, caption: f.caption, ...(t.success ? { table: t.data } : {}) };
      }
      return { title: f.title, caption: f.caption, ...(bytes && f.mime === 'image/png' ? { png: new Uint8Array(bytes) } : bytes ? { svg: bytes.toString('utf8') } : {}) };
    }),
    signatures: exp.signatures.map((s) => ({
      printedName: s.printedName,
      role: s.title ? `${s.title} (${ROLE_LABELS[s.role]})` : ROLE_LABELS[s.role],
      meaning: `${MEANING_LABELS[s.meaning]} as ${ROLE_LABELS[s.role]}`,
      signedAt: s.signedAt,
      timezone: s.timeZone,
      recordHash: s.recordHash,
    })),
    recordJson: JSON.stringify(exp),
  };
}
