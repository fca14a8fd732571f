import { createHash } from 'node:crypto';
import { isoWithOffset } from '../../../shared/meeting';
import { aeListing, aeSearchText, groupKeyOf, groupRanks, inDltWindow, ptOf, socOf, type AeListingRow } from '../../../shared/safety/index';
import type { StudyDefinition } from '../../../shared/study';
import { CallError, type CoreContext } from '../context';
import { snapshotContext } from '../cohorts/app';
import { loadAes, loadSubjects } from '../queries/subjects';
import { levelGroups, treatedSubjects } from './groups';
import { aeFactsDeps, writeAeFacts, type AeFactRow } from './queries';

// AE facts in SQLite (issue 14): one row per AE with what the AE grid and the incidence tables read,
// derived by the same pure functions as safety.aeListing (shared/safety/listings.ts aeListing, the TEAE
// rule, socOf/ptOf, the dose-level groups of safety.incidence) and stored once per snapshot, so that
// the grid pages, sorts, filters and searches in SQL and the incidence tables are GROUP BY queries.
// The facts depend on the study definition (dose plan, grade variable, DLT window …) and the data
// cut-off (treated subjects): they are rebuilt when either changes.

/** Bumped when what a fact holds changes, so that facts built by an earlier DoseDesk are rebuilt. */
const FACTS_VERSION = 1;

/** SHA-256 of what the facts are derived under: the study definition as the handlers read it and the cut-off. */
export function aeFactsDepsOf(definition: StudyDefinition, cutoff: string | null): string {
  return createHash('sha256').update(JSON.stringify({ v: FACTS_VERSION, definition, cutoff }), 'utf8').digest('hex');
}

/** The facts of a snapshot's AEs, in aeListing order (pure derivation; the SQL is in queries.ts). */
export function deriveAeFacts(ctx: CoreContext, snapshotId: number, definition: StudyDefinition, cutoff: string | null): AeFactRow[] {
  const subjects = loadSubjects(ctx.db, snapshotId, definition.cycleLengthDays);
  const aes = loadAes(ctx.db, snapshotId, definition.ae.gradeVariable);
  const rows = aeListing(subjects, aes, definition);
  const treated = treatedSubjects(subjects, cutoff);
  const { groupOf } = levelGroups(treated, definition);
  const ranks = {
    usubjid: groupRanks(rows.map((r) => r.usubjid)),
    level: groupRanks(rows.map((r) => r.level)),
    aebodsys: groupRanks(rows.map((r) => r.aebodsys)),
    aedecod: groupRanks(rows.map((r) => r.aedecod)),
  };
  return rows.map((r, i) => {
    const a = aes[i]!;
    const grp = groupOf.get(r.usubjid) ?? null;
    return {
      ord: i,
      usubjid: r.usubjid,
      level: r.level,
      dose: r.dose,
      part: r.part,
      aeseq: r.aeseq,
      study_day: r.studyDay,
      aeterm: r.aeterm,
      aedecod: r.aedecod,
      aebodsys: r.aebodsys,
      soc: socOf(a),
      pt: ptOf(a),
      grade: r.grade,
      severity: r.severity,
      serious: r.serious ? 1 : 0,
      related: r.related ? 1 : 0,
      aerel: a.aerel ?? null,
      dlt: r.dlt ? 1 : 0,
      in_dlt_window: inDltWindow(r.studyDay, definition.dltWindowDays) ? 1 : 0,
      aeout: r.aeout,
      aeacn: r.aeacn,
      fatal_not_serious: r.fatalNotSerious ? 1 : 0,
      teae: r.teae ? 1 : 0,
      aestdtc: r.aestdtc,
      aeendtc: r.aeendtc,
      row_no: a.rowNo,
      treated: grp === null ? 0 : 1,
      grp,
      rank_usubjid: ranks.usubjid.get(groupKeyOf(r.usubjid))!,
      rank_level: ranks.level.get(groupKeyOf(r.level))!,
      rank_aebodsys: ranks.aebodsys.get(groupKeyOf(r.aebodsys))!,
      rank_aedecod: ranks.aedecod.get(groupKeyOf(r.aedecod))!,
    };
  });
}

/** A stored fact as the row of safety.aeListing it was derived from. */
export function listingRowOf(f: AeFactRow): AeListingRow {
  return {
    usubjid: f.usubjid,
    level: f.level,
    dose: f.dose,
    part: f.part,
    aeseq: f.aeseq,
    studyDay: f.study_day,
    aeterm: f.aeterm,
    aedecod: f.aedecod,
    aebodsys: f.aebodsys,
    grade: f.grade,
    severity: f.severity,
    serious: f.serious === 1,
    related: f.related === 1,
    dlt: f.dlt === 1,
    aeout: f.aeout,
    aeacn: f.aeacn,
    fatalNotSerious: f.fatal_not_serious === 1,
    teae: f.teae === 1,
    aestdtc: f.aestdtc,
    aeendtc: f.aeendtc,
  };
}

const building = new WeakMap<object, Map<number, Promise<void>>>();

/**
 * Makes sure the snapshot's AE facts are stored under the current study definition and cut-off;
 * builds them in one write transaction when not (under the core's write gate, so that it waits for
 * an import instead of contending with it). Returns the definition and cut-off it checked.
 */
export async function ensureAeFacts(ctx: CoreContext, snapshotId: number): Promise<{ definition: StudyDefinition; cutoff: string | null; deps: string }> {
  const { definition, cutoff } = snapshotContext(ctx, snapshotId);
  const deps = aeFactsDepsOf(definition, cutoff);
  if (aeFactsDeps(ctx.db, snapshotId) === deps) return { definition, cutoff, deps };
  let perDb = building.get(ctx.db);
  if (!perDb) building.set(ctx.db, (perDb = new Map()));
  // Two calls of one view arrive together: the second waits for the first's build.
  let job = perDb.get(snapshotId);
  if (!job) {
    job = ctx.writeGate
      .run(() => {
        if (aeFactsDeps(ctx.db, snapshotId) === deps) return;
        const facts = deriveAeFacts(ctx, snapshotId, definition, cutoff);
        const search = facts.map((f) => aeSearchText(listingRowOf(f)));
        const ms = ctx.clock();
        try {
          ctx.db.transaction(() => writeAeFacts(ctx.db, snapshotId, deps, isoWithOffset(ms, -new Date(ms).getTimezoneOffset()), facts, search))();
        } catch (e) {
          if ((e as { code?: string }).code === 'SQLITE_BUSY') throw new CallError('conflict', 'the AE facts of this snapshot could not be stored: the database is busy (another DoseDesk process is writing to it); try again when it has finished');
          throw e;
        }
      })
      .finally(() => perDb.delete(snapshotId));
    perDb.set(snapshotId, job);
  }
  await job;
  return { definition, cutoff, deps };
}
