import { StudyDefinition } from '../../../shared/study';
import type { Db } from '../store/db';

// What a snapshot without (or with an incomplete) study.json can tell about the study: dose levels
// from each subject's first EX dose, the title from TS. Everything derived is listed in
// `needsConfirmation` so the UI asks the user, who confirms or corrects it (stored with the study).

export interface DerivedDefinition {
  definition: StudyDefinition;
  source: 'study.json' | 'derived' | 'user';
  needsConfirmation: string[];
}

export function deriveDefinition(db: Db, snapshotId: number, studyId: string, fromFile: StudyDefinition | undefined): DerivedDefinition {
  const needs: string[] = [];
  const stored = db.prepare('SELECT definition, definition_source FROM study WHERE study_id = ?').get(studyId) as
    | { definition: string; definition_source: 'study.json' | 'derived' | 'user' }
    | undefined;
  if (!fromFile && stored?.definition_source === 'user') {
    // The user already answered for this study: keep their answers.
    return { definition: StudyDefinition.parse(JSON.parse(stored.definition)), source: 'user', needsConfirmation: [] };
  }
  const base = fromFile ?? StudyDefinition.parse({ studyId, title: tsValue(db, snapshotId, 'TITLE') ?? undefined });
  const def: StudyDefinition = { ...base };
  if (def.doseLevels.length === 0) {
    def.doseLevels = firstDoses(db, snapshotId).map((dose, i) => ({ level: i + 1, dose }));
    const unit = db.prepare(`SELECT exdosu FROM rec_ex WHERE snapshot_id = ? AND exdosu IS NOT NULL LIMIT 1`).get(snapshotId) as { exdosu: string } | undefined;
    if (unit) def.doseUnit = unit.exdosu;
    needs.push('doseLevels');
  }
  if (!fromFile) needs.push('dataCutoff', 'dltWindowDays', 'escalation');
  // τ is never guessed (issue 10): without it steady-state PK parameters need a consistent EX spacing.
  if (!fromFile && !def.pk.tauH) needs.push('pk.tauH');
  return { definition: def, source: fromFile ? 'study.json' : 'derived', needsConfirmation: needs };
}

/** The distinct first doses (EXDOSE of each subject's earliest EX record), ascending. */
function firstDoses(db: Db, snapshotId: number): number[] {
  const rows = db
    .prepare(
      `SELECT DISTINCT exdose FROM (
         SELECT usubjid, exdose, row_number() OVER (PARTITION BY usubjid ORDER BY exstdtc, row_no) rn
         FROM rec_ex WHERE snapshot_id = ? AND exdose > 0)
       WHERE rn = 1 ORDER BY exdose`,
    )
    .all(snapshotId) as { exdose: number }[];
  return rows.map((r) => r.exdose);
}

function tsValue(db: Db, snapshotId: number, parmcd: string): string | null {
  const r = db.prepare('SELECT tsval FROM rec_ts WHERE snapshot_id = ? AND tsparmcd = ? ORDER BY tsseq LIMIT 1').get(snapshotId, parmcd) as
    | { tsval: string }
    | undefined;
  return r?.tsval ?? null;
}
