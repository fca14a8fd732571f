import type { ImportIssue, Output, SnapshotInfo, StudyInfo } from '../../../shared/contract';
import { StudyDefinition } from '../../../shared/study';
import { CallError, type App, type CoreContext } from '../context';
import { formatLocation } from '../import/errors';
import { importSnapshot } from '../import/importer';
import { auditImportIn } from '../audit/hooks';
import { appendAudit } from '../audit/log';
import { utcIso } from '../audit/clock';
import fs from 'node:fs';
import path from 'node:path';
import { attribution, auditReason, type Actor } from '../access/actor';
import { isWithin } from '../access/paths';
import { DOMAINS } from '../store/domains';
import {
  allStudies,
  changedRecords,
  domainDiffCounts,
  importIssues,
  snapshotById,
  snapshotFiles,
  snapshotRows,
  studyById,
  studyDefinitionRow,
  updateStudyDefinition,
  type SnapshotRow,
  type StudyRow,
} from './queries';

// Studies and snapshots: import, provenance, listing, comparison.

export function registerSnapshots(app: App): void {
  app.method('studies.list', (_input, ctx) => listStudies(ctx));
  app.method('study.saveDefinition', saveDefinition);
  app.method('snapshots.list', ({ studyId }, ctx) => listSnapshots(ctx, studyId));
  app.method('snapshot.get', getSnapshot);
  app.method('snapshot.import', runImport);
  app.method('import.cancel', ({ importId }, ctx) => {
    const c = ctx.imports.get(importId);
    c?.abort();
    return { cancelled: !!c };
  });
  app.method('snapshot.diff', diffSnapshots);
  app.method('snapshot.changes', snapshotChanges);
}

function toStudyInfo(r: StudyRow): StudyInfo {
  return {
    studyId: r.study_id,
    title: r.title,
    definition: StudyDefinition.parse(JSON.parse(r.definition)),
    definitionSource: r.definition_source,
    snapshots: r.snapshots,
  };
}

function listStudies(ctx: CoreContext): StudyInfo[] {
  return allStudies(ctx.db).map(toStudyInfo);
}

/**
 * Stores the definition the user confirmed or completed (dose plan, data mapping …) and, in the same
 * transaction, the audit entry with the old and the new value (21 CFR 11.10(e)): either both are
 * written or neither, attributed as every write is (access/actor.ts).
 */
function saveDefinition(
  { studyId, definition, reason }: { studyId: string; definition: StudyDefinition; reason?: string },
  ctx: CoreContext,
): StudyInfo {
  if (definition.studyId !== studyId) throw new CallError('invalid-input', `definition.studyId ${definition.studyId} does not match ${studyId}`);
  // Who: the signed-in account, or the OS user of a scratch database without accounts (access/actor.ts).
  const who = attribution(ctx, 'saving the study definition');
  return ctx.db.transaction(() => {
    const before = studyDefinitionRow(ctx.db, studyId);
    if (!before) throw new CallError('not-found', `no study ${studyId}`);
    updateStudyDefinition(ctx.db, studyId, JSON.stringify(definition), definition.title ?? null, utcIso(ctx));
    // Both sides with the schema's defaults, so that only what the user changed is recorded.
    const old = StudyDefinition.parse(JSON.parse(before.definition)) as unknown as Record<string, unknown>;
    appendAudit(ctx, {
      user: who.username,
      action: 'change',
      entity: 'study-definition',
      entityId: studyId,
      old: { source: before.definition_source, ...changedFields(old, definition as unknown as Record<string, unknown>).old },
      new: { source: 'user', ...changedFields(old, definition as unknown as Record<string, unknown>).new },
      reason: auditReason(who, reason),
    });
    return toStudyInfo(studyById(ctx.db, studyId)!);
  }).immediate();
}

/** The fields that differ (one level into pk, ada, ae, escalation, recist), as old → new: what the audit entry records. */
export function changedFields(a: Record<string, unknown>, b: Record<string, unknown>): { old: Record<string, unknown>; new: Record<string, unknown> } {
  const out = { old: {} as Record<string, unknown>, new: {} as Record<string, unknown> };
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[k];
    const y = b[k];
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    const isObj = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
    if (isObj(x) && isObj(y)) {
      const inner = changedFields(x as Record<string, unknown>, y as Record<string, unknown>);
      for (const f of Object.keys(inner.new).concat(Object.keys(inner.old))) {
        out.old[`${k}.${f}`] = inner.old[f] ?? null;
        out.new[`${k}.${f}`] = inner.new[f] ?? null;
      }
    } else {
      out.old[k] = x ?? null;
      out.new[k] = y ?? null;
    }
  }
  return out;
}

function toSnapshotInfo(r: SnapshotRow): SnapshotInfo {
  return {
    snapshotId: r.snapshot_id,
    studyId: r.study_id,
    label: r.label,
    contentHash: r.content_hash,
    dataCutoff: r.data_cutoff,
    importedAt: r.imported_at,
    importedBy: r.imported_by,
    sourcePath: r.source_path,
    definitionSource: r.definition_source,
    subjects: r.subjects,
  };
}

export function listSnapshots(ctx: CoreContext, studyId?: string): SnapshotInfo[] {
  return snapshotRows(ctx.db, studyId).map(toSnapshotInfo);
}

export function snapshotInfo(ctx: CoreContext, snapshotId: number): SnapshotInfo {
  const r = snapshotById(ctx.db, snapshotId);
  if (!r) throw new CallError('not-found', `no snapshot ${snapshotId}`);
  return toSnapshotInfo(r);
}

function getSnapshot({ snapshotId }: { snapshotId: number }, ctx: CoreContext): Output<'snapshot.get'> {
  const info = snapshotInfo(ctx, snapshotId);
  const files = snapshotFiles(ctx.db, snapshotId).map((f) => ({
    fileName: f.file_name,
    domain: f.domain,
    format: f.format,
    size: f.size,
    sha256: f.sha256,
    rows: f.row_count,
    subjects: f.subject_count,
    columns: JSON.parse(f.columns) as string[],
    notes: JSON.parse(f.notes) as string[],
  }));
  const issues = importIssues(ctx.db, snapshotId).map(
    (i): ImportIssue => ({
      severity: i.severity,
      code: i.code,
      file: i.file,
      row: i.row_no,
      column: i.column_name,
      expected: i.expected,
      found: i.found,
      count: i.count,
      message: formatLocation({ file: i.file, row: i.row_no ?? undefined, column: i.column_name ?? undefined, expected: i.expected, found: i.found }),
    }),
  );
  const domains = files
    .filter((f) => f.domain)
    .map((f) => ({ domain: f.domain!, file: f.fileName, format: f.format, rows: f.rows, subjects: f.subjects, columns: f.columns.length }));
  return { info, files, domains, issues };
}

function runImport(input: { session?: string; path: string; importId?: string; label?: string }, ctx: CoreContext): Promise<Output<'snapshot.import'>> {
  return importAs(ctx, input, attribution(ctx, 'importing a snapshot'));
}

/**
 * An import on behalf of `who` (the handler's actor, or SYSTEM for the first-start seeding); the
 * caller holds the core's write gate. The audit entry is written by the importer inside the import's
 * transaction.
 */
export async function importAs(ctx: CoreContext, input: { path: string; importId?: string; label?: string }, who: Actor): Promise<Output<'snapshot.import'>> {
  const importId = input.importId ?? `import-${Date.now()}`;
  if (ctx.imports.has(importId)) throw new CallError('conflict', `import ${importId} is already running`);
  const controller = new AbortController();
  ctx.imports.set(importId, controller);
  try {
    const sourceName = uploadedName(ctx, input.path);
    return await importSnapshot(ctx.dbPath, input.path, {
      importId,
      label: input.label,
      sourceName,
      user: who.username,
      signal: controller.signal,
      onProgress: ctx.emit,
      clock: ctx.clock,
      audit: (db, r) => auditImportIn(db, ctx.clock, who, sourceName ?? input.path, r),
    });
  } finally {
    ctx.imports.delete(importId);
  }
}

/**
 * A path inside one of the browser host's staging folders is a temporary copy of what the user
 * uploaded: the snapshot is recorded by the uploaded folder's (or file's) own name, e.g. "cut3" for
 * <staging>/cut3, not by the temporary path. Undefined for any other path (recorded as it is).
 */
export function uploadedName(ctx: CoreContext, p: string): string | undefined {
  for (const root of ctx.stagingRoots) {
    if (!isWithin(p, root)) continue;
    const rel = path.relative(realOr(root), realOr(p)).split(path.sep).join('/');
    if (rel) return rel;
    // The staging folder itself (files uploaded loose): named by its single entry, else as uploaded files.
    const entries = fs.existsSync(root) ? fs.readdirSync(root) : [];
    return entries.length === 1 ? entries[0]! : `${entries.length} uploaded files`;
  }
  return undefined;
}

function realOr(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * Added, changed and removed records per domain, matched by natural key (store/domains.ts).
 * A key present in both with different content is "changed".
 */
function diffSnapshots({ base, target }: { base: number; target: number }, ctx: CoreContext): Output<'snapshot.diff'> {
  const a = snapshotInfo(ctx, base);
  const b = snapshotInfo(ctx, target);
  if (a.studyId !== b.studyId) throw new CallError('conflict', `snapshots ${base} (${a.studyId}) and ${target} (${b.studyId}) belong to different studies`);
  const domains = [];
  for (const d of DOMAINS) {
    const r = domainDiffCounts(ctx.db, d, base, target);
    if (r.added + r.removed + r.changed + r.unchanged > 0) domains.push({ domain: d.domain, ...r });
  }
  return { base, target, domains };
}

/** Records of the target that are new (key absent from the base) or changed (same key, other content). */
function snapshotChanges({ base, target }: { base: number; target: number }, ctx: CoreContext): Output<'snapshot.changes'> {
  const a = snapshotInfo(ctx, base);
  const b = snapshotInfo(ctx, target);
  if (a.studyId !== b.studyId) throw new CallError('conflict', `snapshots ${base} (${a.studyId}) and ${target} (${b.studyId}) belong to different studies`);
  const records: Output<'snapshot.changes'>['records'] = [];
  for (const d of DOMAINS) {
    const rows = changedRecords(ctx.db, d, base, target);
    for (const r of rows) {
      records.push({ domain: d.domain, usubjid: r.usubjid, rowNo: r.row_no, key: r.rec_key.split('\u001f').slice(0, d.naturalKey.length), status: r.status });
    }
  }
  const newSubjects = records.filter((r) => r.domain === 'DM' && r.status === 'added').map((r) => r.usubjid!);
  const changedSubjects = [...new Set(records.filter((r) => r.usubjid).map((r) => r.usubjid!))].sort();
  return { base, target, newSubjects, changedSubjects, records };
}
