import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { CoreEvent, ImportIssue, ImportResult } from '../../../shared/contract';
import { parseIsoDate } from '../../../shared/dates';
import { StudyDefinition, withStudyMapping } from '../../../shared/study';
import { createReader, detectFormat } from '../readers/index';
import { describeAt, JsonScanner, JsonSyntaxError, skipWhitespace } from '../readers/json-scan';
import type { Cell, DatasetHeader, ReaderFormat } from '../readers/types';
import { openDb, type Db } from '../store/db';
import { systemClock, type Clock } from '../audit/clock';
import { DOMAIN_BY_NAME, type DomainSpec } from '../store/domains';
import { LocatedError, formatLocation, type Location } from './errors';
import { openSnapshotSource, type SourceFile } from './sources';
import { fatalNotSeriousQueries } from '../safety/checks';
import { deriveDefinition } from './derive';
import { suppOrphans } from './supp';

// Snapshot import: hash every file, refuse an identical snapshot, then read, check and store every
// domain in ONE transaction on a connection of its own. Any error — in the first file or the last
// check — rolls the transaction back, so the database is exactly as it was before.

export interface ImportOptions {
  importId?: string;
  label?: string;
  /** How the snapshot's source is recorded, when not by its path (an upload: the uploaded folder's or file's own name). */
  sourceName?: string;
  user?: string;
  onProgress?: (e: CoreEvent) => void;
  signal?: AbortSignal;
  /** The time recorded as imported_at (the core context's clock; the system clock when absent). */
  clock?: Clock;
  /** Writes the import's audit entry on the import's connection, in its transaction (the snapshot and its entry commit together). */
  audit?: (db: Db, r: { snapshotId: number; studyId: string; contentHash: string; domains: ImportResult['domains']; warnings: number }) => void;
}

/** Errors listed per file; the rest are counted, one line per code and column (so one re-import can fix them all). */
export const MAX_ERRORS_PER_FILE = 200;
/** Every file's errors are gathered; past this many in all, reading stops (a wrong format, not a few bad rows). */
const MAX_ERRORS_TOTAL = 5000;

interface PlannedFile {
  src: SourceFile;
  format: ReaderFormat;
  domain: string | null;
  sha256: string;
  size: number;
  /** Placed by its DOMAIN (RDOMAIN) variable as one part of a split domain (SDTMIG §4.1.7): LBCH → LB, SUPPLBCH → SUPPLB. */
  split?: boolean;
  /** Not placed in any domain: stored (rows whole, with lineage) and reported, read by no analysis. */
  unplaced?: boolean;
}

/**
 * Errors: every one is counted; up to MAX_ERRORS_PER_FILE per file are listed with their row, the
 * rest of each file × code × column become one line with their count. The list comes out grouped
 * (file, code, column, row) so that a data manager fixes one kind of problem at a time.
 * Warnings are grouped per file × column × code so a systematic problem is one line with a count.
 */
class IssueLog {
  private readonly listed: ImportIssue[] = [];
  private readonly perFile = new Map<string, number>();
  private readonly overflow = new Map<string, ImportIssue>();
  private total = 0;
  private readonly warnings = new Map<string, ImportIssue>();

  error(loc: Location, code: string): void {
    this.total++;
    const n = this.perFile.get(loc.file) ?? 0;
    this.perFile.set(loc.file, n + 1);
    if (n < MAX_ERRORS_PER_FILE) {
      this.listed.push(toIssue('error', code, loc));
      return;
    }
    const k = `${loc.file}\u0000${code}\u0000${loc.column ?? ''}`;
    const o = this.overflow.get(k);
    if (o) o.count++;
    else this.overflow.set(k, toIssue('error', code, { file: loc.file, entry: loc.entry, column: loc.column, expected: loc.expected, found: `more rows like this one (the first at row ${loc.row ?? '?'}, found ${loc.found}): counted, not listed — at most ${MAX_ERRORS_PER_FILE} errors are listed per file` }));
  }

  get errors(): ImportIssue[] {
    const order = (i: ImportIssue) => [i.file, i.code, i.column ?? ''] as const;
    const listed = [...this.listed].sort((a, b) => {
      const x = order(a);
      const y = order(b);
      for (let j = 0; j < 3; j++) if (x[j] !== y[j]) return x[j] < y[j] ? -1 : 1;
      return (a.row ?? 0) - (b.row ?? 0);
    });
    // Each file's uncounted rest right after that file's listed errors.
    const out: ImportIssue[] = [];
    const files = [...new Set(listed.map((i) => i.file))];
    for (const f of files) {
      out.push(...listed.filter((i) => i.file === f));
      out.push(...[...this.overflow.values()].filter((o) => o.file === f));
    }
    return out;
  }

  get errorCount(): number {
    return this.total;
  }

  get full(): boolean {
    return this.total >= MAX_ERRORS_TOTAL;
  }

  /** `each`: one warning per row (data queries a data manager must answer row by row), not grouped. */
  warn(loc: Location, code: string, each = false): void {
    const k = `${loc.file}\u0000${loc.column ?? ''}\u0000${code}${each ? `\u0000${loc.row ?? ''}` : ''}`;
    const w = this.warnings.get(k);
    if (w) w.count++;
    else this.warnings.set(k, toIssue('warning', code, loc));
  }

  warningList(): ImportIssue[] {
    return [...this.warnings.values()];
  }
}

function toIssue(severity: 'warning' | 'error', code: string, l: Location): ImportIssue {
  return {
    severity,
    code,
    file: l.entry !== undefined ? `${l.file}: ${l.entry}` : l.file,
    row: l.row ?? null,
    line: l.line ?? null,
    column: l.column ?? null,
    expected: l.expected,
    found: l.found,
    count: 1,
    message: formatLocation(l),
  };
}

class Cancelled extends Error {}

const DOMAIN_NAME = /^(SUPP[A-Z]{2}|[A-Z]{2})$/;

function domainFromName(fileName: string): string | null {
  const base = path.basename(fileName).replace(/\.[^.]+$/, '').toUpperCase();
  return DOMAIN_NAME.test(base) ? base : null;
}

async function sha256Of(src: SourceFile): Promise<{ sha256: string; size: number }> {
  const h = createHash('sha256');
  let size = 0;
  for await (const chunk of src.open()) {
    h.update(chunk);
    size += chunk.length;
  }
  return { sha256: h.digest('hex'), size };
}

/** SHA-256 over the sorted SHA-256 of the files: the same files give the same hash, whatever their order or container. */
export function contentHash(fileHashes: string[]): string {
  return createHash('sha256').update([...fileHashes].sort().join('\n')).digest('hex');
}

function emptyResult(status: ImportResult['status'], started: number): ImportResult {
  return {
    ok: false,
    status,
    snapshotId: null,
    studyId: null,
    contentHash: null,
    domains: {},
    warnings: [],
    errors: [],
    needsConfirmation: [],
    elapsedMs: Date.now() - started,
  };
}

export async function importSnapshot(dbFile: string, sourcePath: string, opts: ImportOptions = {}): Promise<ImportResult> {
  const started = Date.now();
  const importId = opts.importId ?? 'import';
  const issues = new IssueLog();
  const result = emptyResult('failed', started);
  let filesTotal = 0;
  let bytesTotal = 0;
  let bytesDone = 0;
  let rowsDone = 0;
  let lastEmit = 0;
  let rowsAtEmit = 0;
  let lastYield = Date.now();
  // Throttled: at most every 100 ms, but at least every PROGRESS_ROWS rows (a fast machine still sees a long file move).
  const progress = (phase: Extract<CoreEvent, { type: 'import.progress' }>['phase'], file: string | null, filesDone: number, force = false) => {
    const now = Date.now();
    if (!force && now - lastEmit < 100 && rowsDone - rowsAtEmit < PROGRESS_ROWS) return;
    lastEmit = now;
    rowsAtEmit = rowsDone;
    opts.onProgress?.({ type: 'import.progress', importId, phase, file, filesDone, filesTotal, bytesDone, bytesTotal, rows: rowsDone });
  };
  const checkCancel = () => {
    if (opts.signal?.aborted) throw new Cancelled();
  };

  const fail = (e: unknown): ImportResult => {
    if (e instanceof Cancelled) return { ...result, status: 'cancelled', errors: [], warnings: issues.warningList(), elapsedMs: Date.now() - started };
    if (e instanceof LocatedError) issues.error(e.location, 'invalid-file');
    else if ((e as { code?: string })?.code === 'SQLITE_BUSY') issues.error({ file: sourcePath, expected: 'the database free for writing', found: 'another DoseDesk process is writing to it (for example a command-line import): try again when it has finished' }, 'busy');
    else if (!(e instanceof TooManyErrors)) issues.error({ file: sourcePath, expected: 'a readable snapshot', found: String((e as Error)?.message ?? e) }, 'internal');
    return { ...result, status: 'failed', errors: issues.errors, warnings: issues.warningList(), elapsedMs: Date.now() - started };
  };

  // 1. Enumerate and hash.
  let planned: PlannedFile[];
  let studyJson: SourceFile | undefined;
  // Files that are no dataset (define.xml, a PDF, a README): listed in the provenance with their SHA-256, not read.
  const others: SourceFile[] = [];
  try {
    const source = await openSnapshotSource(sourcePath);
    planned = [];
    for (const src of source.files) {
      const base = path.basename(src.name);
      if (base.toLowerCase() === 'study.json') {
        studyJson = src;
        continue;
      }
      const format = detectFormat(base);
      if (!format) {
        issues.warn({ file: src.name, expected: 'a domain file (.csv, .json, .ndjson, .xpt) or study.json', found: 'another file: listed in the provenance with its SHA-256, not read' }, 'ignored-file');
        others.push(src);
        continue;
      }
      planned.push({ src, format, domain: domainFromName(base), sha256: '', size: 0 });
    }
    if (planned.length === 0) throw new LocatedError({ file: sourcePath, expected: 'at least one SDTM domain file', found: 'none' });
    filesTotal = planned.length;
    const hashed = [...planned.map((p) => p.src), ...(studyJson ? [studyJson] : [])];
    const hashes: string[] = [];
    for (const [i, src] of hashed.entries()) {
      checkCancel();
      progress('hashing', src.name, i);
      const { sha256, size } = await sha256Of(src);
      hashes.push(sha256);
      const p = planned.find((x) => x.src === src);
      if (p) Object.assign(p, { sha256, size });
      bytesTotal += size;
    }
    result.contentHash = contentHash(hashes);
  } catch (e) {
    return fail(e);
  }

  const db = openDb(dbFile);
  // A large import transaction: keep its pages in memory rather than spilling them page by page.
  db.pragma('cache_size = -524288');
  db.pragma('temp_store = MEMORY');
  try {
    // 2. Identical files already imported: report, write nothing.
    const dup = db.prepare('SELECT snapshot_id, study_id FROM snapshot WHERE content_hash = ?').get(result.contentHash) as
      | { snapshot_id: number; study_id: string }
      | undefined;
    if (dup) {
      return { ...result, ok: true, status: 'duplicate', snapshotId: dup.snapshot_id, studyId: dup.study_id, warnings: issues.warningList(), elapsedMs: Date.now() - started };
    }

    // 3. study.json (optional).
    let definition: StudyDefinition | undefined;
    if (studyJson) definition = await readStudyJson(studyJson);

    // 4. Which domain each file holds: its name (ae.csv) or, failing that, the dataset name inside it.
    //    A split domain's parts (lbch.xpt, DOMAIN = LB) by their DOMAIN variable; a file that cannot be
    //    placed is a warning and is kept whole, never a failed import.
    const readers = new Map<PlannedFile, { header: DatasetHeader; batches: AsyncIterable<{ firstRow: number; rows: Cell[][] }> }>();
    const bytesRead = new Map<PlannedFile, number>();
    for (const p of planned) {
      // The bytes the reader has taken from the file so far: the progress bar moves by them (a 60k-row LB is one file).
      const reader = createReader(p.format, p.src.name, countBytes(p.src.open(), (n) => bytesRead.set(p, (bytesRead.get(p) ?? 0) + n)));
      let header: DatasetHeader;
      try {
        header = await reader.header();
      } catch (e) {
        // A file whose name is not a domain and cannot even be read as a dataset (a define.csv of free text): kept, not read.
        if (p.domain || !(e instanceof LocatedError)) throw e;
        issues.warn({ ...e.location, expected: `${e.location.expected} (the file is not named after an SDTM domain: stored, not read)`, found: e.location.found }, 'unplaced-file');
        p.unplaced = true;
        readers.set(p, { header: { columns: [], notes: ['not placed in a domain: not readable as a dataset'] }, batches: noBatches() });
        continue;
      }
      if (p.src.notes) header.notes.push(...p.src.notes); // e.g. the real path behind a symbolic link
      readers.set(p, { header, batches: reader.batches() });
      const declared = header.datasetName?.toUpperCase();
      if (!p.domain) p.domain = declared && DOMAIN_NAME.test(declared) ? declared : null;
      else if (declared && declared !== p.domain) {
        issues.warn({ file: p.src.name, expected: `dataset name ${p.domain} (from the file name)`, found: declared }, 'dataset-name');
      }
      if (!p.domain) {
        const placed = await placeSplit(p, header);
        if (placed.domain) {
          p.domain = placed.domain;
          p.split = true;
        } else {
          p.unplaced = true;
          header.notes.push('not placed in a domain: rows stored whole, read by no analysis');
          issues.warn(
            {
              file: p.src.name,
              column: placed.column,
              expected: 'a file named after its SDTM domain (ae.csv), a dataset name inside it, or a DOMAIN variable whose value begins the name (split domain, SDTMIG 4.1.7: LBCH with DOMAIN = LB)',
              found: `${placed.found}: the file is stored, not read`,
            },
            'unplaced-file',
          );
        }
      }
    }
    // One whole file per domain; a split domain's parts are merged (their records keep their own file and row).
    const seen = new Map<string, string>();
    for (const p of planned) {
      if (!p.domain || p.split) continue;
      const other = seen.get(p.domain);
      if (other) throw new LocatedError({ file: p.src.name, expected: `one file per domain`, found: `${p.domain} also in ${other}` });
      seen.set(p.domain, p.src.name);
    }

    // 5. One transaction for everything.
    db.exec('BEGIN IMMEDIATE');
    try {
      const studyId = definition?.studyId ?? (await firstStudyId(planned, readers)) ?? 'UNKNOWN';
      const nowIso = new Date((opts.clock ?? systemClock)()).toISOString();
      const user = opts.user ?? safeUser();
      const recordedSource = opts.sourceName ?? path.resolve(sourcePath);
      const label = opts.label ?? (definition?.dataCutoff ? `Data cut ${definition.dataCutoff}` : path.basename(recordedSource));
      const placeholder = JSON.stringify(definition ?? { studyId });
      const studyRow = db.prepare('SELECT study_id FROM study WHERE study_id = ?').get(studyId);
      if (!studyRow) {
        db.prepare('INSERT INTO study (study_id, title, definition, definition_source, updated_at) VALUES (?, ?, ?, ?, ?)').run(
          studyId,
          definition?.title ?? null,
          placeholder,
          definition ? 'study.json' : 'derived',
          nowIso,
        );
      }
      const snapshotId = Number(
        db
          .prepare(
            `INSERT INTO snapshot (study_id, content_hash, label, data_cutoff, imported_at, imported_by, source_path, definition, definition_source)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(studyId, result.contentHash, label, definition?.dataCutoff ?? null, nowIso, user, recordedSource, placeholder, definition ? 'study.json' : 'derived')
          .lastInsertRowid,
      );
      // Not part of the content hash (which covers the data and study.json), so that a README added beside the same data is still the same snapshot.
      for (const o of others) {
        const { sha256, size } = await sha256Of(o);
        db.prepare(
          `INSERT INTO snapshot_file (snapshot_id, file_name, domain, format, size, sha256, row_count, subject_count, columns, notes) VALUES (?, ?, NULL, 'other', ?, ?, 0, 0, '[]', ?)`,
        ).run(snapshotId, o.name, size, sha256, JSON.stringify(['not a dataset: listed, not read, not part of the content hash']));
      }
      if (studyJson) {
        const { sha256, size } = await sha256Of(studyJson);
        db.prepare(
          `INSERT INTO snapshot_file (snapshot_id, file_name, domain, format, size, sha256, row_count, subject_count, columns, notes) VALUES (?, ?, NULL, 'json', ?, ?, 0, 0, '[]', '[]')`,
        ).run(snapshotId, studyJson.name, size, sha256);
      }

      const tables = new Set(planned.map((p) => (p.domain ? DOMAIN_BY_NAME.get(p.domain)?.table : undefined) ?? 'rec_generic'));
      const rebuild = deferIndexes(db, tables);

      let filesDone = 0;
      let structural = false;
      const columnsSeen = new Map<string, Set<string>>();
      for (const p of planned) {
        checkCancel();
        const { header, batches } = readers.get(p)!;
        const spec = p.domain ? DOMAIN_BY_NAME.get(p.domain) : undefined;
        const fileId = Number(
          db
            .prepare(
              `INSERT INTO snapshot_file (snapshot_id, file_name, domain, format, size, sha256, row_count, subject_count, columns, notes) VALUES (?, ?, ?, ?, ?, ?, 0, 0, ?, ?)`,
            )
            .run(snapshotId, p.src.name, p.domain, p.format, p.size, p.sha256, JSON.stringify(header.columns.map((c) => c.name.toUpperCase())), JSON.stringify(header.notes))
            .lastInsertRowid,
        );
        const writer = spec ? domainWriter(db, spec, p.src.name, header, issues, studyId) : genericWriter(db, p.domain ?? '', header);
        if (!writer) structural = true;
        const domainIdx = p.split ? header.columns.findIndex((c) => c.name.toUpperCase() === (p.domain!.startsWith('SUPP') ? 'RDOMAIN' : 'DOMAIN')) : -1;
        const expectDomain = p.domain?.startsWith('SUPP') ? p.domain.slice(4) : p.domain;
        let rows = 0;
        const bytesBefore = bytesDone;
        try {
          for await (const batch of writer ? batches : noBatches()) {
            // Let the event loop run now and then (progress events, a Cancel request, other calls of the host).
            if (Date.now() - lastYield > 50) {
              await new Promise((r) => setImmediate(r));
              lastYield = Date.now();
            }
            checkCancel();
            for (let i = 0; i < batch.rows.length; i++) {
              // A split file holds one domain: a row of another (DOMAIN = QS in an LB part) is kept and reported.
              if (domainIdx >= 0 && cellText(batch.rows[i]![domainIdx]) !== expectDomain) {
                issues.warn({ file: p.src.name, row: batch.firstRow + i, column: header.columns[domainIdx]!.name.toUpperCase(), expected: `${expectDomain} (as the file's first row)`, found: JSON.stringify(cellText(batch.rows[i]![domainIdx])) }, 'split-domain');
              }
              writer!.write(snapshotId, fileId, batch.firstRow + i, batch.rows[i]!);
            }
            if (issues.full) throw new TooManyErrors();
            rows += batch.rows.length;
            rowsDone += batch.rows.length;
            bytesDone = bytesBefore + Math.min(p.size, bytesRead.get(p) ?? 0);
            progress('reading', p.src.name, filesDone);
          }
          writer?.flush();
        } catch (e) {
          if (!(e instanceof LocatedError)) throw e;
          // An unplaced file is read by nothing: a broken one is a warning, with the rows read before the break kept.
          if (p.unplaced) {
            writer?.flush();
            issues.warn({ ...e.location, found: `${e.location.found} (file not placed in a domain: rows after this one not read)` }, 'unplaced-file');
          } else {
            issues.error(e.location, 'invalid-file');
            structural = true;
          }
        }
        bytesDone = bytesBefore + p.size;
        filesDone++;
        const subjects = !writer || (spec && !spec.subjectLevel) ? 0 : writer.subjects();
        // Readers may add notes while reading rows (e.g. Windows-1252 text found in an XPT row).
        db.prepare('UPDATE snapshot_file SET row_count = ?, subject_count = ?, notes = ? WHERE file_id = ?').run(rows, subjects, JSON.stringify(header.notes), fileId);
        if (p.domain) {
          // Split parts add up to one domain: rows summed, columns the union, subjects counted once.
          const prev = result.domains[p.domain];
          const cols = new Set([...(columnsSeen.get(p.domain) ?? []), ...header.columns.map((c) => c.name.toUpperCase())]);
          columnsSeen.set(p.domain, cols);
          result.domains[p.domain] = {
            rows: (prev?.rows ?? 0) + rows,
            subjects: prev ? domainSubjects(db, snapshotId, p.domain) : subjects,
            columns: cols.size,
          };
        }
        progress('reading', p.src.name, filesDone, true);
      }
      // A file that could not be read to its end (or lacks a required variable) would make the checks
      // across domains report rows that are only missing; errors of single values do not (their rows
      // are written, the value left empty), so their import still reports the checks' errors too.
      if (structural) throw new TooManyErrors();
      for (const sql of rebuild) db.exec(sql);

      // 6. Checks across domains, in SQL over what was just written.
      progress('checking', null, filesDone, true);
      checkSubjectsInDm(db, snapshotId, planned, issues);
      checkDuplicateKeys(db, snapshotId, issues);
      for (const q of fatalNotSeriousQueries(db, snapshotId)) issues.warn(q, 'fatal-not-serious', true);
      checkSuppParents(db, snapshotId, issues);
      if (issues.errorCount) throw new TooManyErrors();

      // 7. The study definition: study.json, else derived from the data (and marked for confirmation).
      const derived = deriveDefinition(db, snapshotId, studyId, definition);
      result.needsConfirmation = derived.needsConfirmation;
      const defJson = JSON.stringify(derived.definition);
      db.prepare('UPDATE snapshot SET definition = ?, definition_source = ?, data_cutoff = ? WHERE snapshot_id = ?').run(
        defJson,
        derived.source,
        derived.definition.dataCutoff ?? null,
        snapshotId,
      );
      // A study.json updates the study's definition; a derived one fills it only if the study had none confirmed.
      // The study's data mapping (saved in the app) stays where the new study.json does not set it.
      const before = db.prepare('SELECT definition FROM study WHERE study_id = ?').get(studyId) as { definition: string };
      const old = StudyDefinition.safeParse(JSON.parse(before.definition));
      const studyDefJson = old.success ? JSON.stringify(withStudyMapping(withStudyMapping(derived.definition, old.data), derived.definition)) : defJson;
      db.prepare(
        `UPDATE study SET definition = ?, definition_source = ?, title = coalesce(?, title), updated_at = ?
         WHERE study_id = ? AND (? = 'study.json' OR definition_source = 'derived')`,
      ).run(studyDefJson, derived.source, derived.definition.title ?? null, nowIso, studyId, derived.source);

      const insIssue = db.prepare(
        'INSERT INTO import_issue (snapshot_id, severity, code, file, row_no, column_name, expected, found, count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const w of issues.warningList()) insIssue.run(snapshotId, 'warning', w.code, w.file, w.row, w.column, w.expected, w.found, w.count);
      checkCancel();
      opts.audit?.(db, { snapshotId, studyId, contentHash: result.contentHash!, domains: result.domains, warnings: issues.warningList().length });
      progress('committing', null, filesDone, true);
      db.exec('COMMIT');
      progress('done', null, filesDone, true);
      return {
        ...result,
        ok: true,
        status: 'imported',
        snapshotId,
        studyId,
        warnings: issues.warningList(),
        errors: [],
        elapsedMs: Date.now() - started,
      };
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw e;
    }
  } catch (e) {
    return fail(e);
  } finally {
    db.close();
  }
}

class TooManyErrors extends Error {}

/**
 * Indexes are built after the load rather than kept up to date row by row (one sort instead of a
 * B-tree insert per row). Only for a table that holds no earlier snapshot: rebuilding an index over
 * every earlier snapshot would make each import cost more than the last. The indexes are dropped
 * inside the import's transaction, so a failed import rolls them back with everything else; they are
 * rebuilt from their own CREATE INDEX text, so the schema after the import is the schema before it.
 */
function deferIndexes(db: Db, tables: Iterable<string>): string[] {
  const rebuild: string[] = [];
  for (const t of tables) {
    if (db.prepare(`SELECT 1 FROM ${t} LIMIT 1`).get()) continue;
    const indexes = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`).all(t) as { name: string; sql: string }[];
    for (const i of indexes) {
      db.exec(`DROP INDEX "${i.name.replace(/"/g, '""')}"`);
      rebuild.push(i.sql);
    }
  }
  return rebuild;
}

/** Rows between two progress events at most, whatever the time. */
const PROGRESS_ROWS = 5000;

/** Passes a file's chunks through, telling `add` each chunk's size as the reader takes it. */
async function* countBytes(src: AsyncIterable<Uint8Array>, add: (n: number) => void): AsyncIterable<Uint8Array> {
  for await (const c of src) {
    add(c.length);
    yield c;
  }
}

function safeUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/** study.json is a few KB; anything past this is not a study definition. */
const MAX_STUDY_JSON_BYTES = 16 << 20;

async function readStudyJson(src: SourceFile): Promise<StudyDefinition> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const c of src.open()) {
    chunks.push(c);
    size += c.length;
    if (size > MAX_STUDY_JSON_BYTES) throw new LocatedError({ file: src.name, offset: MAX_STUDY_JSON_BYTES, expected: `a study definition of at most ${MAX_STUDY_JSON_BYTES} bytes`, found: 'a larger file' });
  }
  const text = Buffer.concat(chunks).toString('utf8');
  let raw: unknown;
  try {
    raw = parseJsonLocated(text);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    throw new LocatedError({ file: src.name, offset: Buffer.byteLength(text.slice(0, e.index)), expected: e.expected, found: e.found });
  }
  const parsed = StudyDefinition.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new LocatedError({
      file: src.name,
      column: issue.path.join('.') || '(root)',
      expected: issue.message,
      found: shortJson(issue.path.reduce<unknown>((o, k) => (o as Record<PropertyKey, unknown> | undefined)?.[k as PropertyKey], raw)),
    });
  }
  return parsed.data;
}

/** JSON.parse with the depth limit and byte location of the snapshot readers' scanner. */
function parseJsonLocated(text: string): unknown {
  const sc = new JsonScanner();
  const end = skipWhitespace(text, sc.value(text, 0, true));
  if (end < text.length) throw new JsonSyntaxError(end, 'end of file after one JSON value', describeAt(text, end));
  return sc.result;
}

function shortJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? 'nothing';
  } catch {
    return 'a value nested too deeply to show';
  }
}

/** STUDYID of the first DM row when there is no study.json. */
async function firstStudyId(planned: PlannedFile[], readers: Map<PlannedFile, { header: DatasetHeader }>): Promise<string | undefined> {
  const dm = planned.find((p) => p.domain === 'DM') ?? planned[0];
  if (!dm) return undefined;
  const reader = createReader(dm.format, dm.src.name, dm.src.open());
  const header = await reader.header();
  const idx = header.columns.findIndex((c) => c.name.toUpperCase() === 'STUDYID');
  if (idx < 0) return undefined;
  for await (const b of reader.batches()) {
    const v = b.rows[0]?.[idx];
    if (v !== null && v !== undefined && String(v).trim()) return String(v).trim();
    break;
  }
  void readers;
  return undefined;
}

interface RowWriter {
  write(snapshotId: number, fileId: number, rowNo: number, row: Cell[]): void;
  /** Inserts the rows still buffered. */
  flush(): void;
  /** Distinct non-empty USUBJID values written (what count(DISTINCT usubjid) over the file's rows gives), without a scan of the table. */
  subjects(): number;
}

const ISO_DTC = /DTC$/;
// The common case, a complete date (and time) whose day cannot be out of range, skips the full parse.
const PLAIN_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?)?$/;

type Bound = string | number | null;

/**
 * Multi-row INSERTs of up to `perBatch` rows: one statement call per batch instead of per row is
 * most of the import's speed. Rows are written into one flat array reused from batch to batch (no
 * garbage per row); a partial batch at the end goes through the one-row statement.
 */
export function batchedInsert(db: Db, table: string, cols: string[]): { add(values: Bound[]): void; flush(): void } {
  const width = cols.length;
  const perBatch = Math.max(1, Math.min(200, Math.floor(32000 / width)));
  const tuple = `(${cols.map(() => '?').join(',')})`;
  const sql = (n: number) => `INSERT INTO ${table} (${cols.join(',')}) VALUES ${Array(n).fill(tuple).join(',')}`;
  const full = db.prepare(sql(perBatch));
  let one: ReturnType<Db['prepare']> | undefined;
  const buf: Bound[] = new Array(perBatch * width).fill(null);
  let n = 0;
  return {
    add(values) {
      const at = n * width;
      for (let j = 0; j < width; j++) buf[at + j] = values[j] ?? null;
      if (++n === perBatch) {
        full.run(buf);
        n = 0;
      }
    },
    flush() {
      if (n > 0) one ??= db.prepare(sql(1));
      for (let r = 0; r < n; r++) one!.run(buf.slice(r * width, (r + 1) * width));
      n = 0;
    },
  };
}

/**
 * The row's variables without a typed column as one JSON object text, keys in file order: the text
 * JSON.stringify gives for the object built key by key, written without building the object. A file
 * whose names repeat (or name `__proto__`, which an object cannot hold as a key) takes the object
 * path, so that the text stays exactly what it always was.
 */
export function extraJson(names: readonly string[], idx: readonly number[]): (row: Cell[]) => string {
  const picked = idx.map((i) => names[i]!);
  if (new Set(picked).size !== picked.length || picked.includes('__proto__')) {
    return (row) => {
      const extra: Record<string, Cell> = {};
      for (const i of idx) extra[names[i]!] = row[i] ?? null;
      return JSON.stringify(extra);
    };
  }
  const prefix = picked.map((name, k) => (k === 0 ? '{' : ',') + JSON.stringify(name) + ':');
  const n = idx.length;
  return (row) => {
    let s = '';
    for (let k = 0; k < n; k++) {
      const v = row[idx[k]!];
      s += prefix[k]! + (v === null || v === undefined ? 'null' : JSON.stringify(v));
    }
    return s + '}';
  };
}

/**
 * One typed variable's check and conversion, decided once per file from the variable's spec:
 * trimmed text (empty = missing); REAL variables as numbers (a non-number is a located error);
 * character variables read as numbers kept as their text; --DTC dates checked as ISO 8601 (a
 * partial date is a warning); code lists checked (a value outside is a warning).
 */
function columnConverter(v: { name: string; type: string }, codelist: readonly string[] | undefined, file: string, issues: IssueLog): (c: Cell, rowNo: number) => Bound {
  const name = v.name;
  const cl = codelist ? new Set(codelist) : null;
  const isDate = ISO_DTC.test(name);
  const text = (s: string, rowNo: number): string => {
    if (isDate && !PLAIN_DATE.test(s)) {
      const d = parseIsoDate(s);
      if (!d) issues.error({ file, row: rowNo, column: name, expected: 'an ISO 8601 date (YYYY-MM-DD[Thh:mm[:ss]], or truncated)', found: JSON.stringify(s) }, 'date');
      else if (d.partial) issues.warn({ file, row: rowNo, column: name, expected: 'a complete date', found: `partial date ${s}` }, 'partial-date');
    }
    if (cl && !cl.has(s)) issues.warn({ file, row: rowNo, column: name, expected: `one of ${[...cl].join(', ')}`, found: JSON.stringify(s) }, 'codelist');
    return s;
  };
  if (v.type === 'REAL') {
    return (c, rowNo) => {
      if (c === null || c === undefined) return null;
      if (typeof c === 'number') return c;
      const t = c.trim();
      if (t === '') return null;
      const x = Number(t);
      if (Number.isFinite(x)) return x;
      issues.error({ file, row: rowNo, column: name, expected: 'a number', found: JSON.stringify(t) }, 'type');
      return null;
    };
  }
  const plain = !isDate && !cl;
  return (c, rowNo) => {
    if (c === null || c === undefined) return null;
    // A character variable stored as a number (e.g. PP results as numerics in XPT): keep its text.
    const t = typeof c === 'number' ? String(c) : c.trim();
    if (t === '') return null;
    return plain ? t : text(t, rowNo);
  };
}

/**
 * Builds the row writer of one known domain: maps the file's columns onto the typed columns,
 * checks required variables, types, dates and code lists, and inserts each row with its lineage.
 * Only the typed columns the file has are written (the others stay NULL).
 */
function domainWriter(db: Db, spec: DomainSpec, file: string, header: DatasetHeader, issues: IssueLog, studyId: string): RowWriter | null {
  const names = header.columns.map((c) => c.name.toUpperCase());
  // Every missing required variable is reported (one fix of the file), and then the file is not read.
  const missing = spec.required.filter((req) => !names.includes(req));
  for (const req of missing) issues.error({ file, row: 0, column: req, expected: `required variable ${req} of ${spec.domain}`, found: `columns ${names.join(', ')}` }, 'required-variable');
  if (missing.length) return null;
  const present = spec.variables.filter((v) => names.includes(v.name));
  const typedIndex = present.map((v) => names.indexOf(v.name));
  const typedSet = new Set(present.map((v) => v.name));
  const extraIdx = names.map((n, i) => (typedSet.has(n) ? -1 : i)).filter((i) => i >= 0);
  const extra = extraIdx.length ? extraJson(names, extraIdx) : null;
  const keyIdx = spec.naturalKey.map((k) => names.indexOf(k));
  const convert = present.map((v) => columnConverter(v, spec.codelists?.[v.name], file, issues));
  const studyIdx = names.indexOf('STUDYID');
  const usubjidAt = present.findIndex((v) => v.name === 'USUBJID');
  const subjects = new Set<Bound>();
  const insert = batchedInsert(db, spec.table, ['snapshot_id', 'file_id', 'row_no', 'rec_key', 'extra', ...present.map((v) => v.name.toLowerCase())]);
  const values: Bound[] = new Array(5 + present.length).fill(null);
  const nVars = present.length;

  const write = (snapshotId: number, fileId: number, rowNo: number, row: Cell[]) => {
    values[0] = snapshotId;
    values[1] = fileId;
    values[2] = rowNo;
    for (let j = 0; j < nVars; j++) values[5 + j] = convert[j]!(row[typedIndex[j]!] ?? null, rowNo);
    if (studyIdx >= 0 && row[studyIdx] !== studyId && row[studyIdx] !== null && String(row[studyIdx]).trim() !== studyId) {
      issues.warn({ file, row: rowNo, column: 'STUDYID', expected: studyId, found: JSON.stringify(row[studyIdx]) }, 'studyid');
    }
    let key = '';
    for (const k of keyIdx) key += (k < 0 ? '' : cellText(row[k])) + '\u001f';
    values[3] = key;
    values[4] = extra ? extra(row) : null;
    if (usubjidAt >= 0 && values[5 + usubjidAt] !== null) subjects.add(values[5 + usubjidAt]!);
    insert.add(values);
  };
  return { write, flush: insert.flush, subjects: () => subjects.size };
}

const SUPP_KEY = ['USUBJID', 'RDOMAIN', 'IDVAR', 'IDVARVAL', 'QNAM'];

function genericWriter(db: Db, domain: string, header: DatasetHeader): RowWriter {
  const names = header.columns.map((c) => c.name.toUpperCase());
  const usubjidIdx = names.indexOf('USUBJID');
  const seqIdx = names.findIndex((n) => n === `${domain}SEQ`);
  // A SUPP-- kept whole (SUPPLB) is keyed like SUPPAE, so that its duplicates are found across split files.
  const suppIdx = domain.startsWith('SUPP') ? SUPP_KEY.map((k) => names.indexOf(k)) : null;
  const extra = extraJson(names, names.map((_, i) => i));
  const subjects = new Set<string>();
  const insert = batchedInsert(db, 'rec_generic', ['snapshot_id', 'file_id', 'row_no', 'rec_key', 'extra', 'domain', 'usubjid']);
  const values: Bound[] = new Array(7).fill(null);
  return {
    write(snapshotId, fileId, rowNo, row) {
      const usubjid = usubjidIdx >= 0 ? cellText(row[usubjidIdx]) || null : null;
      const key = suppIdx
        ? suppIdx.map((k) => (k < 0 ? '' : cellText(row[k]))).join('\u001f') + '\u001f'
        : `${usubjid ?? ''}\u001f${seqIdx >= 0 ? cellText(row[seqIdx]) : rowNo}`;
      if (usubjid !== null) subjects.add(usubjid);
      values[0] = snapshotId;
      values[1] = fileId;
      values[2] = rowNo;
      values[3] = key;
      values[4] = names.length ? extra(row) : '{}';
      values[5] = domain;
      values[6] = usubjid;
      insert.add(values);
    },
    flush: insert.flush,
    subjects: () => subjects.size,
  };
}

function cellText(v: Cell | undefined): string {
  return v === null || v === undefined ? '' : typeof v === 'string' ? v.trim() : String(v);
}

function checkSubjectsInDm(db: Db, snapshotId: number, planned: PlannedFile[], issues: IssueLog): void {
  const subjectDomains = planned.filter((p) => DOMAIN_BY_NAME.get(p.domain!)?.subjectLevel && p.domain !== 'DM');
  if (subjectDomains.length === 0) return;
  if (!planned.some((p) => p.domain === 'DM')) {
    issues.error({ file: subjectDomains[0]!.src.name, expected: 'a DM domain listing every subject', found: 'no DM file in the snapshot' }, 'no-dm');
    return;
  }
  for (const p of subjectDomains) {
    const spec = DOMAIN_BY_NAME.get(p.domain!)!;
    const bad = db
      .prepare(
        `SELECT r.row_no, r.usubjid FROM ${spec.table} r JOIN snapshot_file f ON f.file_id = r.file_id
         WHERE r.snapshot_id = ? AND f.file_name = ? AND (r.usubjid IS NULL OR r.usubjid NOT IN (SELECT usubjid FROM rec_dm WHERE snapshot_id = ? AND usubjid IS NOT NULL))
         ORDER BY r.row_no`,
      )
      .iterate(snapshotId, p.src.name, snapshotId) as IterableIterator<{ row_no: number; usubjid: string | null }>;
    for (const b of bad) {
      issues.error({ file: p.src.name, row: b.row_no, column: 'USUBJID', expected: 'a subject listed in DM', found: JSON.stringify(b.usubjid ?? '') }, 'unknown-subject');
    }
  }
}

/**
 * Natural keys are unique per domain, across the parts of a split domain (a record of LBCH and one of
 * LBHE with the same key are duplicates). The warning is located at the key's first record and names
 * the other files. Domains kept whole are checked on USUBJID + --SEQ, which SDTMIG 4.1.7 requires
 * unique across a split domain's datasets.
 */
function checkDuplicateKeys(db: Db, snapshotId: number, issues: IssueLog): void {
  const domains = db.prepare('SELECT DISTINCT domain FROM snapshot_file WHERE snapshot_id = ? AND domain IS NOT NULL').all(snapshotId) as { domain: string }[];
  for (const { domain } of domains) {
    const spec = DOMAIN_BY_NAME.get(domain);
    const keyNames = spec ? spec.naturalKey : domain.startsWith('SUPP') ? SUPP_KEY : ['USUBJID', `${domain}SEQ`];
    if (!spec && !domain.startsWith('SUPP')) {
      // Only when every file of the domain has --SEQ (otherwise the row number stands in for it).
      const withoutSeq = db
        .prepare(`SELECT 1 FROM snapshot_file WHERE snapshot_id = ? AND domain = ? AND NOT EXISTS (SELECT 1 FROM json_each(columns) WHERE value = ?)`)
        .get(snapshotId, domain, `${domain}SEQ`);
      if (withoutSeq) continue;
    }
    // The file lineage of each duplicate is only gathered when the domain is split (the common case stays one plain GROUP BY).
    const split = (db.prepare('SELECT count(*) n FROM snapshot_file WHERE snapshot_id = ? AND domain = ?').get(snapshotId, domain) as { n: number }).n > 1;
    const dups = db
      .prepare(
        `SELECT r.rec_key, count(*) n, ${split ? 'group_concat(DISTINCT r.file_id)' : 'min(r.file_id)'} files,
                min(r.file_id * 4294967296 + r.row_no) first
         FROM ${spec?.table ?? 'rec_generic'} r
         WHERE r.snapshot_id = ? ${spec ? '' : 'AND r.domain = ?'} GROUP BY r.rec_key HAVING n > 1 ORDER BY first`,
      )
      .all(...(spec ? [snapshotId] : [snapshotId, domain])) as { rec_key: string; n: number; files: string | number; first: number }[];
    const fileName = db.prepare('SELECT file_name FROM snapshot_file WHERE file_id = ?');
    const nameOf = (id: number) => (fileName.get(id) as { file_name: string }).file_name;
    for (const d of dups) {
      // A subject listed twice in DM makes every per-subject number ambiguous: that stops the import.
      const report = domain === 'DM' ? issues.error.bind(issues) : issues.warn.bind(issues);
      const files = String(d.files).split(',').map(Number).sort((x, y) => x - y).map(nameOf);
      report(
        {
          file: nameOf(Math.floor(d.first / 4294967296)),
          row: d.first % 4294967296,
          column: keyNames.join('+'),
          expected: `one record per natural key${files.length > 1 ? ` across the parts of ${domain}` : ''}`,
          found: `${d.n} records with ${d.rec_key.split('\u001f').slice(0, keyNames.length).join(' / ')}${files.length > 1 ? ` (in ${files.join(', ')})` : ''}`,
        },
        'duplicate-key',
      );
    }
  }
}

/** SUPP-- records whose parent record is not in the snapshot (import/supp.ts): kept, one grouped warning per file. */
function checkSuppParents(db: Db, snapshotId: number, issues: IssueLog): void {
  for (const o of suppOrphans(db, snapshotId)) {
    const rdomain = o.rdomain ?? o.domain.slice(4);
    if (o.why === 'no-domain') {
      issues.warn({ file: o.file, row: o.row, column: 'RDOMAIN', expected: `the parent domain ${rdomain} in the snapshot`, found: `no ${rdomain} file: qualifier ${o.qnam ?? ''} kept, attached to no record` }, 'supp-orphan');
    } else {
      issues.warn(
        {
          file: o.file,
          row: o.row,
          column: 'IDVARVAL',
          expected: `a parent record in ${rdomain} (${o.usubjid ?? ''}${o.idvar ? `, ${o.idvar} = ${o.idvarval ?? ''}` : ''})`,
          found: `none: qualifier ${o.qnam ?? ''} kept, attached to no record`,
        },
        'supp-orphan',
      );
    }
  }
}

/** Subjects of a domain over all its files (a split domain's parts share subjects). */
function domainSubjects(db: Db, snapshotId: number, domain: string): number {
  const spec = DOMAIN_BY_NAME.get(domain);
  if (spec && !spec.subjectLevel) return 0;
  return spec
    ? (db.prepare(`SELECT count(DISTINCT usubjid) n FROM ${spec.table} WHERE snapshot_id = ?`).get(snapshotId) as { n: number }).n
    : (db.prepare(`SELECT count(DISTINCT usubjid) n FROM rec_generic WHERE snapshot_id = ? AND domain = ?`).get(snapshotId, domain) as { n: number }).n;
}

async function* noBatches(): AsyncIterable<{ firstRow: number; rows: Cell[][] }> {}

const SPLIT_PART = /^[A-Z0-9]{1,2}$/;

/**
 * A split domain's part (SDTMIG 4.1.7): the DOMAIN variable holds the 2-letter domain and the file
 * or dataset name is that code plus up to two characters (LBCH, QSGI). A split SUPP (SUPPLBCH) is
 * placed by RDOMAIN the same way. Read from the file's first row. Returns the domain, or why not.
 */
async function placeSplit(p: PlannedFile, header: DatasetHeader): Promise<{ domain: string | null; column?: string; found: string }> {
  const names = [path.basename(p.src.name).replace(/\.[^.]+$/, '').toUpperCase(), header.datasetName?.toUpperCase()].filter((n): n is string => !!n);
  const supp = names.some((n) => n.startsWith('SUPP'));
  const variable = supp ? 'RDOMAIN' : 'DOMAIN';
  const idx = header.columns.findIndex((c) => c.name.toUpperCase() === variable);
  if (idx < 0) return { domain: null, found: `${names.join(' / ')}, which is not an SDTM domain name, and no ${variable} variable` };
  let value = '';
  const reader = createReader(p.format, p.src.name, p.src.open());
  await reader.header();
  for await (const b of reader.batches()) {
    value = cellText(b.rows[0]?.[idx]).toUpperCase();
    break;
  }
  const prefix = supp ? `SUPP${value}` : value;
  if (/^[A-Z]{2}$/.test(value) && names.some((n) => n.startsWith(prefix) && SPLIT_PART.test(n.slice(prefix.length)))) {
    return { domain: supp ? `SUPP${value}` : value, found: '' };
  }
  return { domain: null, column: variable, found: value ? `${variable} = ${value}, which does not begin the name ${names.join(' / ')}` : `an empty ${variable} in the first row` };
}
