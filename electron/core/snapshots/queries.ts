import type { StudyInfo } from '../../../shared/contract';
import type { Db } from '../store/db';
import { contentSql, type DomainSpec } from '../store/domains';

// SQL of studies and snapshots (the import's own SQL is in import/importer.ts). Table names come from
// the fixed DOMAINS list, never from user input.

export interface StudyRow {
  study_id: string;
  title: string | null;
  definition: string;
  definition_source: StudyInfo['definitionSource'];
  snapshots: number;
}

const STUDY_SQL = `SELECT s.*, (SELECT count(*) FROM snapshot n WHERE n.study_id = s.study_id) snapshots FROM study s`;

export function allStudies(db: Db): StudyRow[] {
  return db.prepare(`${STUDY_SQL} ORDER BY s.study_id`).all() as StudyRow[];
}

export function studyById(db: Db, studyId: string): StudyRow | undefined {
  return db.prepare(`${STUDY_SQL} WHERE s.study_id = ?`).get(studyId) as StudyRow | undefined;
}

export function studyDefinitionRow(db: Db, studyId: string): { definition: string; definition_source: string } | undefined {
  return db.prepare('SELECT definition, definition_source FROM study WHERE study_id = ?').get(studyId) as { definition: string; definition_source: string } | undefined;
}

/** The user's definition replaces the study's (source 'user'); the title only when the definition gives one. */
export function updateStudyDefinition(db: Db, studyId: string, definitionJson: string, title: string | null, updatedAt: string): void {
  db.prepare(`UPDATE study SET definition = ?, definition_source = 'user', title = coalesce(?, title), updated_at = ? WHERE study_id = ?`).run(definitionJson, title, updatedAt, studyId);
}

export interface SnapshotRow {
  snapshot_id: number;
  study_id: string;
  label: string;
  content_hash: string;
  data_cutoff: string | null;
  imported_at: string;
  imported_by: string;
  source_path: string;
  definition_source: string;
  subjects: number;
}

const SNAPSHOT_SQL = `SELECT s.*, (SELECT count(*) FROM rec_dm d WHERE d.snapshot_id = s.snapshot_id) subjects FROM snapshot s`;

/** Snapshots of one study (or all, by study), the latest data cut-off first. */
export function snapshotRows(db: Db, studyId?: string): SnapshotRow[] {
  return (
    studyId
      ? db.prepare(`${SNAPSHOT_SQL} WHERE s.study_id = ? ORDER BY s.data_cutoff DESC, s.snapshot_id DESC`).all(studyId)
      : db.prepare(`${SNAPSHOT_SQL} ORDER BY s.study_id, s.data_cutoff DESC, s.snapshot_id DESC`).all()
  ) as SnapshotRow[];
}

export function snapshotById(db: Db, snapshotId: number): SnapshotRow | undefined {
  return db.prepare(`${SNAPSHOT_SQL} WHERE s.snapshot_id = ?`).get(snapshotId) as SnapshotRow | undefined;
}

export interface SnapshotFileRow {
  file_name: string;
  domain: string | null;
  format: string;
  size: number;
  sha256: string;
  row_count: number;
  subject_count: number;
  columns: string;
  notes: string;
}

export function snapshotFiles(db: Db, snapshotId: number): SnapshotFileRow[] {
  return db.prepare('SELECT * FROM snapshot_file WHERE snapshot_id = ? ORDER BY file_name').all(snapshotId) as SnapshotFileRow[];
}

export interface ImportIssueRow {
  severity: 'warning' | 'error';
  code: string;
  file: string;
  row_no: number | null;
  column_name: string | null;
  expected: string;
  found: string;
  count: number;
}

export function importIssues(db: Db, snapshotId: number): ImportIssueRow[] {
  return db.prepare('SELECT * FROM import_issue WHERE snapshot_id = ? ORDER BY issue_id').all(snapshotId) as ImportIssueRow[];
}

export interface DomainDiffCounts {
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
}

/** Records of one domain added, removed, changed and unchanged from base to target, matched by natural key (rec_key). */
export function domainDiffCounts(db: Db, d: DomainSpec, base: number, target: number): DomainDiffCounts {
  return db
    .prepare(
      `WITH a AS (SELECT rec_key, count(*) || min(${contentSql(d)}) || max(${contentSql(d)}) h FROM ${d.table} WHERE snapshot_id = ? GROUP BY rec_key),
            b AS (SELECT rec_key, count(*) || min(${contentSql(d)}) || max(${contentSql(d)}) h FROM ${d.table} WHERE snapshot_id = ? GROUP BY rec_key)
       SELECT
         coalesce(sum(a.rec_key IS NULL), 0) added,
         coalesce(sum(b.rec_key IS NULL), 0) removed,
         coalesce(sum(a.rec_key IS NOT NULL AND b.rec_key IS NOT NULL AND a.h <> b.h), 0) changed,
         coalesce(sum(a.rec_key IS NOT NULL AND b.rec_key IS NOT NULL AND a.h = b.h), 0) unchanged
       FROM a FULL OUTER JOIN b ON a.rec_key = b.rec_key`,
    )
    .get(base, target) as DomainDiffCounts;
}

export interface ChangedRecordRow {
  usubjid: string | null;
  row_no: number;
  rec_key: string;
  status: 'added' | 'changed';
}

/** Records of one domain in the target that are new (key absent from the base) or changed (same key, other content). */
export function changedRecords(db: Db, d: DomainSpec, base: number, target: number): ChangedRecordRow[] {
  const usub = d.subjectLevel ? 't.usubjid' : 'NULL';
  // The subject narrows the lookup to the (snapshot_id, usubjid) index: records never move between subjects.
  const same = d.subjectLevel ? 'AND o.usubjid IS t.usubjid' : '';
  return db
    .prepare(
      `SELECT ${usub} usubjid, t.row_no, t.rec_key,
              CASE WHEN NOT EXISTS (SELECT 1 FROM ${d.table} o WHERE o.snapshot_id = @base ${same} AND o.rec_key = t.rec_key) THEN 'added' ELSE 'changed' END status
       FROM ${d.table} t
       WHERE t.snapshot_id = @target
         AND NOT EXISTS (SELECT 1 FROM ${d.table} o WHERE o.snapshot_id = @base ${same} AND o.rec_key = t.rec_key AND ${contentSql(d, 'o')} = ${contentSql(d, 't')})
       ORDER BY t.row_no`,
    )
    .all({ base, target }) as ChangedRecordRow[];
}

/** How many snapshots the database holds (0 on first start). */
export function snapshotCount(db: Db): number {
  return (db.prepare('SELECT count(*) n FROM snapshot').get() as { n: number }).n;
}

/** A stored derivation of a snapshot (snapshots/memo.ts), when one matches name, deps and version. */
export function storedDerivation(db: Db, snapshotId: number, name: string, depsHash: string, version: string): Buffer | undefined {
  const r = db
    .prepare('SELECT payload FROM snapshot_derived WHERE snapshot_id = ? AND name = ? AND deps_hash = ? AND version = ?')
    .get(snapshotId, name, depsHash, version) as { payload: Buffer } | undefined;
  return r?.payload;
}

/** Store (or replace, e.g. after a version bump) a derivation of a snapshot. */
export function storeDerivation(db: Db, snapshotId: number, name: string, depsHash: string, version: string, payload: Buffer): void {
  db.prepare('INSERT OR REPLACE INTO snapshot_derived (snapshot_id, name, deps_hash, version, payload) VALUES (?, ?, ?, ?, ?)').run(snapshotId, name, depsHash, version, payload);
}

/** The busy timeout of a connection, to skip a write instead of waiting for another writer (memo.ts). */
export function setBusyTimeout(db: Db, ms: number): number {
  const before = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(ms))}`);
  return before;
}

/** Stored derivations of another derivation version (memo.ts): they never serve again. */
export function deleteOtherVersions(db: Db, version: string): void {
  db.prepare('DELETE FROM snapshot_derived WHERE version <> ?').run(version);
}
