import { doseLevelOf } from '../../../shared/dlt';
import { dispositionKind, type DispositionRecord } from '../../../shared/endOfTreatment';
import { countValues, type MappingEntry, type MappingUnused } from '../../../shared/mapping';
import { actionNotInterpretable, aeActions, aeKey, aeRelationship } from '../../../shared/safety/aeTables';
import { exRows, fatalAeRows, loadSuppAeacn, mappingDsRows } from './queries';
import { isFatalNotSerious } from '../../../shared/safety/grades';
import type { StudyDefinition } from '../../../shared/study';
import { loadAes, loadSubjects } from '../queries/subjects';
import type { Db } from '../store/db';

// The safety analyses' part of the mapping report (shared/mapping.ts): which AE rows carry a CTCAE
// grade, which AEs are data queries, which DS records gave the end of treatment and which did not
// (end of study is not end of treatment), and which EX rows could not be placed on a dose level.

const VIEWS = ['cohorts', 'aes', 'swimmer'];

export function safetyMapping(db: Db, snapshotId: number, definition: StudyDefinition): MappingEntry[] {
  return [aeEntry(db, snapshotId, definition), aeTablesEntry(db, snapshotId, definition), dsEntry(db, snapshotId), exEntry(db, snapshotId, definition)].filter((e): e is MappingEntry => e !== null);
}

function aeEntry(db: Db, snapshotId: number, def: StudyDefinition): MappingEntry | null {
  const gv = def.ae.gradeVariable?.trim() || null;
  const aes = loadAes(db, snapshotId, gv);
  if (aes.length === 0) return null;
  const ungraded = aes.filter((a) => a.grade === null);
  const unused: MappingUnused[] = [];
  if (ungraded.length) {
    unused.push({
      variable: 'AETOXGR',
      reason: `no CTCAE grade (AETOXGR empty${gv ? ` and ${gv} empty` : ''}): counted as "grade not collected", left out of the grade >= 3 counts and of the possible-DLT screen; AESEV is shown as severity, never as grade`,
      rows: ungraded.length,
      values: countValues(ungraded.map((a) => `AESEV ${a.severity ?? '(empty)'}`)),
      mapTo: 'ae.gradeVariable',
    });
  }
  const queries = fatalAeRows(db, snapshotId);
  const fatalNs = queries.filter((q) => isFatalNotSerious(q));
  if (fatalNs.length) {
    unused.push({
      variable: 'AESER',
      reason: 'data query: fatal outcome (AEOUT FATAL or AESDTH Y) but AESER is not Y; counted as the data say (not serious) and flagged in the AE grid and the snapshot warnings',
      rows: fatalNs.length,
      values: countValues(fatalNs.map((q) => `AESER ${q.aeser || '(empty)'}`)),
      mapTo: null,
    });
  }
  return {
    domain: 'AE',
    analysis: 'Safety (CTCAE grade)',
    views: VIEWS,
    rowsRead: aes.length,
    rowsUsed: aes.length - ungraded.length,
    unused,
    settings: [gv ? `CTCAE grade from AETOXGR, else ${gv} (SUPPAE QNAM or AE column)` : 'CTCAE grade from AETOXGR'],
  };
}

/**
 * The related-AE and dose-change tables (shared/safety/aeTables.ts): AEs whose AEREL is empty,
 * UNKNOWN or not a known relationship value, and AEs whose AEACN says nothing about the treatment
 * (UNKNOWN, MULTIPLE without per-treatment SUPPAE AEACN1, AEACN2, …, empty, outside CDISC CT C66767).
 */
function aeTablesEntry(db: Db, snapshotId: number, def: StudyDefinition): MappingEntry | null {
  const aes = loadAes(db, snapshotId, def.ae.gradeVariable?.trim() || null);
  if (aes.length === 0) return null;
  const relMissing = aes.filter((a) => aeRelationship(a.aerel) === 'missing');
  const supp = loadSuppAeacn(db, snapshotId);
  const acnUnread = aes.filter((a) => aeActions(a.aeacn, supp.get(aeKey(a))).some(actionNotInterpretable));
  const unused: MappingUnused[] = [];
  if (relMissing.length)
    unused.push({
      variable: 'AEREL',
      reason: 'relationship to study treatment empty, UNKNOWN or not a recognised value: counted as "relationship missing" beside the treatment-related AE table, never as related or unrelated; the possible-DLT screen includes it, marked "relationship missing"',
      rows: relMissing.length,
      values: countValues(relMissing.map((a) => a.aerel?.trim() || null)),
      mapTo: null,
    });
  if (acnUnread.length)
    unused.push({
      variable: 'AEACN',
      reason: 'action taken with study treatment empty, UNKNOWN, MULTIPLE without SUPPAE AEACN1, AEACN2, … (or one of those UNKNOWN or empty), or outside CDISC CT C66767: counted as "not interpretable" beside the dose-change table',
      rows: acnUnread.length,
      values: countValues(acnUnread.map((a) => a.aeacn?.trim() || null)),
      mapTo: null,
    });
  const unread = new Set([...relMissing, ...acnUnread]);
  return {
    domain: 'AE',
    analysis: 'Related AEs and AEs leading to dose change (AEREL, AEACN)',
    views: ['aes'],
    rowsRead: aes.length,
    rowsUsed: aes.length - unread.size,
    unused,
    settings: ['related = AEREL Y, RELATED, POSSIBLY/PROBABLY/DEFINITELY RELATED, POSSIBLE, PROBABLE, DEFINITE; not related = N, NOT RELATED, UNLIKELY RELATED, UNRELATED, NONE, REMOTE', 'dose change = AEACN DRUG WITHDRAWN, DOSE REDUCED, DOSE RATE REDUCED, DRUG INTERRUPTED, DOSE INCREASED (CDISC CT C66767); AEACN MULTIPLE read from SUPPAE AEACN1, AEACN2, … (IDVAR AESEQ)'],
  };
}

function dsEntry(db: Db, snapshotId: number): MappingEntry | null {
  const ds = mappingDsRows(db, snapshotId);
  if (ds.length === 0) return null;
  const seen = new Set<string>();
  let used = 0;
  const study: typeof ds = [];
  const other: typeof ds = [];
  const later: typeof ds = [];
  // Sorted by date within subject (undated last, as shared/endOfTreatment.ts); the earliest treatment record is used.
  for (const r of ds) {
    const k = dispositionKind(r);
    if (k === 'treatment') {
      if (seen.has(r.usubjid)) later.push(r);
      else {
        seen.add(r.usubjid);
        used++;
      }
    } else if (k === 'study') study.push(r);
    else other.push(r);
  }
  const label = (r: DispositionRecord) => `${r.dsdecod ?? '(empty)'} (${r.epoch ? `EPOCH ${r.epoch}` : r.dsscat ? `DSSCAT ${r.dsscat}` : `DSCAT ${r.dscat ?? '(empty)'}`})`;
  const unused: MappingUnused[] = [];
  if (study.length) unused.push({ variable: 'EPOCH', reason: 'end of study (or a disposition event that does not say treatment): not the end of treatment — used as the end of study (DLT observation ends there); the end of treatment then comes from EX (last exposure)', rows: study.length, values: countValues(study.map(label)), mapTo: null });
  if (later.length) unused.push({ variable: 'DSSTDTC', reason: 'a later treatment disposition record of the same subject: the earliest one ends treatment', rows: later.length, values: countValues(later.map(label)), mapTo: null });
  if (other.length) unused.push({ variable: 'DSCAT', reason: 'protocol milestone or other event (consent, randomisation): not a disposition of treatment', rows: other.length, values: countValues(other.map(label)), mapTo: null });
  return {
    domain: 'DS',
    analysis: 'End of treatment',
    // Every DS record is interpreted (treatment end, study end, milestone): the report lists how, but
    // no view is missing data because of them, so no banner.
    views: [],
    rowsRead: ds.length,
    rowsUsed: used,
    unused,
    settings: ['end of treatment = DS record with EPOCH TREATMENT or DSSCAT/DSCAT naming treatment, else the last exposure (EXENDTC, EXSTDTC, RFXENDTC) once the study ended'],
  };
}

function exEntry(db: Db, snapshotId: number, def: StudyDefinition): MappingEntry | null {
  const ex = exRows(db, snapshotId);
  if (ex.length === 0) return null;
  const subjects = new Map(loadSubjects(db, snapshotId, def.cycleLengthDays).map((s) => [s.usubjid, s]));
  const undated = ex.filter((e) => !e.exstdtc);
  const unplaced = ex.filter((e) => {
    if (!e.exstdtc) return false;
    const s = subjects.get(e.usubjid);
    return !!s && !s.placebo && doseLevelOf(s.firstDose, def.doseLevels) === null;
  });
  const unused: MappingUnused[] = [];
  if (unplaced.length) unused.push({ variable: 'EXDOSE', reason: 'the subject\'s first dose is not a planned dose level (and not placebo): not in the Cohorts rows, the DLT table or the escalation', rows: unplaced.length, values: countValues(unplaced.map((e) => (e.exdose === null ? '(empty)' : String(e.exdose)))), mapTo: 'doseLevels' });
  if (undated.length) unused.push({ variable: 'EXSTDTC', reason: 'no administration date: the dose cannot be placed in time', rows: undated.length, values: countValues(undated.map(() => '(empty)')), mapTo: null });
  const placebo = [...subjects.values()].filter((s) => s.placebo).length;
  return {
    domain: 'EX',
    analysis: 'Dose levels and exposure',
    views: VIEWS,
    rowsRead: ex.length,
    rowsUsed: ex.length - undated.length - unplaced.length,
    unused,
    settings: [`${def.doseLevels.length} planned dose levels (${def.doseUnit})`, ...(placebo ? [`${placebo} subject(s) on placebo (own row, not in the escalation)`] : [])],
  };
}
