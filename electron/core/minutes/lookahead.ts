import type { LookaheadRecord } from '../../../shared/meeting';
import type { Output } from '../../../shared/contract';
import { ACTION_LABELS, DESIGN_LABELS } from '../../../shared/escalation/vocabulary';
import type { MinutesTable } from './document';

// The look-ahead table as an optional section of the minutes, on request (meetings.create
// `lookahead: K`). The meeting record stores the look-ahead computed at creation from the snapshot
// (safety.lookahead: every decision is the rule engine's own, shared/safety/lookahead.ts) in the
// compact form of LookaheadRecord (shared/meeting.ts, strict like all of the record); the minutes print it as a table. Nothing is recomputed when the minutes are
// rendered or verified: the record is what was signed.

export { LookaheadRecord } from '../../../shared/meeting';

type Live = Output<'safety.lookahead'>;

/** The compact form of safety.lookahead's result that the meeting record stores. */
export function lookaheadRecord(la: Live): LookaheadRecord {
  const d = (r: Live['paths'][number]['protocol']) => ({
    action: r.action,
    nextLevel: r.nextLevel,
    recommendedLevel: r.recommendedLevel,
    whenComplete: r.determined && r.whenComplete ? { action: r.whenComplete.action, nextLevel: r.whenComplete.nextLevel } : null,
    error: r.error,
  });
  return {
    design: la.design,
    targetToxicity: la.targetToxicity,
    maxPatients: la.maxPatients,
    history: la.current.history,
    paths: la.paths.map((p) => ({ path: p.path, patients: p.patients, dlts: p.dlts, history: p.history, protocol: d(p.protocol), boin: d(p.boin), mtpi2: d(p.mtpi2) })),
    note: la.note,
  };
}

/** A decision in the minutes' words (the rule engine's action labels, as in the dose-level sections). */
function decisionText(r: LookaheadRecord['paths'][number]['protocol']): string {
  if (r.error) return `not applicable: ${r.error}`;
  const label = (a: string | null) => (a ? (ACTION_LABELS[a] ?? a) : 'No decision');
  const level = r.nextLevel !== null ? ` (DL${r.nextLevel})` : r.recommendedLevel !== null ? ` (DL${r.recommendedLevel})` : '';
  const when = r.whenComplete ? `; whatever the rest: ${label(r.whenComplete.action)}${r.whenComplete.nextLevel !== null ? ` (DL${r.whenComplete.nextLevel})` : ''}` : '';
  return `${label(r.action)}${level}${when}`;
}

/** The minutes' look-ahead section: an introduction in words and one table row per outcome path. */
export function lookaheadMinutes(rec: LookaheadRecord): { intro: string; table: MinutesTable } {
  const design = DESIGN_LABELS[rec.design] ?? rec.design;
  const intro =
    `What the protocol rule (${design}) and, for context, BOIN and mTPI-2 (target ${Math.round(rec.targetToxicity * 100)}%) would decide if the next ` +
    `${rec.maxPatients} evaluable patient${rec.maxPatients === 1 ? '' : 's'} had 0, 1, 2, ... DLTs, from the history ${rec.history || '(none)'} ` +
    '(patients still inside their DLT window count first; new cohorts go where the protocol rule points). Computed from the snapshot when the record was created.' +
    (rec.note ? ` ${rec.note}` : '');
  return {
    intro,
    table: {
      columns: ['Next patients (outcome)', 'Patients', 'DLTs', `Protocol rule (${design})`, 'BOIN', 'mTPI-2'],
      rows: rec.paths.map((p) => [p.path, String(p.patients), String(p.dlts), decisionText(p.protocol), decisionText(p.boin), decisionText(p.mtpi2)]),
    },
  };
}
