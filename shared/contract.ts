import { z } from 'zod';
import { lazySchema } from './lazySchema';
import { StudyDefinition } from './study';
import { MappingEntry } from './mapping';
import { method, SnapshotId, WriteSession } from './api/method';
import { pkApi } from './api/pk';
import { efficacyApi } from './api/efficacy';
import { safetyApi } from './api/safety';
import { subjectsApi } from './api/subjects';
import { meetingsApi } from './api/meetings';
import { minutesApi } from './api/minutes';
import { labsApi } from './api/labs';
import { ecgApi } from './api/ecg';
import { exposureApi } from './api/exposure';
import { cmApi } from './api/cm';
import { reviewApi } from './api/review';

// The one API contract. Every method DoseDesk offers is declared here once, with its input and
// output schema. electron/core implements each in one handler; Electron IPC, the browser host and
// the CLI all dispatch to that handler map and validate inputs against these schemas.


export const SnapshotInfo = lazySchema(() => z.object({
  snapshotId: SnapshotId,
  studyId: z.string(),
  label: z.string(),
  contentHash: z.string(),
  dataCutoff: z.string().nullable(),
  importedAt: z.string(),
  importedBy: z.string(),
  sourcePath: z.string(),
  definitionSource: z.string(),
  subjects: z.number().int(),
}));
export type SnapshotInfo = z.infer<typeof SnapshotInfo>;

export const DomainCount = lazySchema(() => z.object({
  domain: z.string(),
  file: z.string(),
  format: z.string(),
  rows: z.number().int(),
  subjects: z.number().int(),
  columns: z.number().int(),
}));
export type DomainCount = z.infer<typeof DomainCount>;

export const ImportIssue = lazySchema(() => z.object({
  severity: z.enum(['warning', 'error']),
  code: z.string(),
  file: z.string(),
  row: z.number().int().nullable(),
  line: z.number().int().nullable().optional(),
  column: z.string().nullable(),
  expected: z.string(),
  found: z.string(),
  /** How many rows showed the same problem (warnings are grouped per file, column and code). */
  count: z.number().int(),
  message: z.string(),
}));
export type ImportIssue = z.infer<typeof ImportIssue>;

export const SnapshotFile = lazySchema(() => z.object({
  fileName: z.string(),
  domain: z.string().nullable(),
  format: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  rows: z.number().int(),
  subjects: z.number().int(),
  columns: z.array(z.string()),
  notes: z.array(z.string()),
}));

export const ImportResult = lazySchema(() => z.object({
  ok: z.boolean(),
  /** 'imported', 'duplicate' (identical files already imported: nothing written), 'failed', 'cancelled'. */
  status: z.enum(['imported', 'duplicate', 'failed', 'cancelled']),
  snapshotId: SnapshotId.nullable(),
  studyId: z.string().nullable(),
  contentHash: z.string().nullable(),
  domains: z.record(z.string(), z.object({ rows: z.number().int(), subjects: z.number().int(), columns: z.number().int() })),
  warnings: z.array(ImportIssue),
  errors: z.array(ImportIssue),
  /** What the study definition lacks and the user should confirm (e.g. dose levels derived from EX). */
  needsConfirmation: z.array(z.string()),
  elapsedMs: z.number(),
}));
export type ImportResult = z.infer<typeof ImportResult>;

export const DiffCount = lazySchema(() => z.object({
  domain: z.string(),
  added: z.number().int(),
  changed: z.number().int(),
  removed: z.number().int(),
  unchanged: z.number().int(),
}));

export const CohortRow = lazySchema(() => z.object({
  /** Planned level; 0 for the placebo row. */
  level: z.number().int(),
  placebo: z.boolean(),
  dose: z.number(),
  doseUnit: z.string(),
  part: z.enum(['escalation', 'expansion']),
  treated: z.number().int(),
  /** Subjects who completed the DLT window or had a DLT in it. */
  windowComplete: z.number().int(),
  /** Subjects still inside their DLT window at the data cut-off. */
  windowOpen: z.number().int(),
  /** Subjects not DLT-evaluable: treatment ended before the window closed without a DLT, or too little exposure. */
  notEvaluable: z.number().int(),
  /** The open windows' last days (ISO dates), for "days left". */
  windowEnds: z.array(z.object({ usubjid: z.string(), windowEnd: z.string(), daysLeft: z.number().int() })),
  /** Subjects with a TEAE of CTCAE grade >= 3 among the graded AEs. */
  subjectsGrade3: z.number().int(),
  /** TEAEs without a CTCAE grade: the grade counts say "grade not collected for N AEs" beside them. */
  teaesWithoutGrade: z.number().int(),
  /** Subjects with a TEAE of AESEV SEVERE (severity, not CTCAE grade). */
  subjectsSevere: z.number().int(),
  saes: z.number().int(),
  subjectsWithSae: z.number().int(),
  dltAes: z.number().int(),
  subjectsWithDlt: z.number().int(),
  ongoing: z.number().int(),
}));
export type CohortRow = z.infer<typeof CohortRow>;

export const StudyInfo = lazySchema(() => z.object({
  studyId: z.string(),
  title: z.string().nullable(),
  definition: StudyDefinition,
  definitionSource: z.enum(['study.json', 'derived', 'user']),
  snapshots: z.number().int(),
}));
export type StudyInfo = z.infer<typeof StudyInfo>;

export const contract = {
  'studies.list': method('Studies in the database, with their definitions.', () => z.object({}), () => z.array(StudyInfo)),
  'study.saveDefinition': method(
    'Store the study definition the user confirmed or completed (what study.json did not give).',
    () => z.object({
      studyId: z.string(),
      definition: StudyDefinition,
      /** The signed-in session (auth.login): when given it must be valid, and the audit entry names its account. */
      session: WriteSession,
      /** Why the definition changed (kept in the audit trail). */
      reason: z.string().max(1000).optional(),
    }),
    () => StudyInfo,
  ),
  'snapshots.list': method(
    'Snapshots, newest first, optionally of one study.',
    () => z.object({ studyId: z.string().optional() }),
    () => z.array(SnapshotInfo),
  ),
  'snapshot.get': method(
    'One snapshot with its provenance: files and their SHA-256, per-domain counts, stored warnings.',
    () => z.object({ snapshotId: SnapshotId }),
    () => z.object({ info: SnapshotInfo, files: z.array(SnapshotFile), domains: z.array(DomainCount), issues: z.array(ImportIssue) }),
  ),
  'snapshot.mapping': method(
    "The snapshot's mapping report: per domain and analysis, rows read and used, and the rows not used with why, their values and the study-definition setting that would make them usable.",
    () => z.object({ snapshotId: SnapshotId }),
    () => z.array(MappingEntry),
  ),
  'snapshot.import': method(
    'Import a snapshot (folder, .zip or single domain file) in one transaction; progress is sent as import.progress events.',
    () => z.object({ session: WriteSession, path: z.string().min(1), importId: z.string().max(100).optional(), label: z.string().max(200).optional() }),
    () => ImportResult,
  ),
  'import.cancel': method('Cancel a running import: it rolls back.', () => z.object({ importId: z.string() }), () => z.object({ cancelled: z.boolean() })),
  'snapshot.diff': method(
    'Records added, changed and removed per domain between two snapshots of the same study, matched by natural keys.',
    () => z.object({ base: SnapshotId, target: SnapshotId }),
    () => z.object({ base: SnapshotId, target: SnapshotId, domains: z.array(DiffCount) }),
  ),
  'snapshot.changes': method(
    'What is new or changed in the target snapshot since the base: per subject, and per record (domain, row number in the target, natural key), for the "new since" marks of every view.',
    () => z.object({ base: SnapshotId, target: SnapshotId }),
    () => z.object({
      base: SnapshotId,
      target: SnapshotId,
      /** Subjects absent from the base snapshot's DM. */
      newSubjects: z.array(z.string()),
      /** Subjects with at least one added or changed record in any domain. */
      changedSubjects: z.array(z.string()),
      records: z.array(z.object({ domain: z.string(), usubjid: z.string().nullable(), rowNo: z.number().int(), key: z.array(z.string()), status: z.enum(['added', 'changed']) })),
    }),
  ),
  'cohorts.summary': method(
    'Per dose level: subjects treated, DLT-window status, grade >= 3 AEs, SAEs, DLT-flagged AEs, subjects ongoing.',
    () => z.object({ snapshotId: SnapshotId }),
    () => z.object({ snapshotId: SnapshotId, dataCutoff: z.string().nullable(), dltWindowDays: z.number().int(), rows: z.array(CohortRow) }),
  ),
  ...pkApi,
  ...efficacyApi,
  ...safetyApi,
  ...subjectsApi,
  ...meetingsApi,
  ...minutesApi,
  ...labsApi,
  ...ecgApi,
  ...exposureApi,
  ...cmApi,
  ...reviewApi,
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type Input<M extends MethodName> = z.input<Contract[M]['input']>;
export type Output<M extends MethodName> = z.output<Contract[M]['output']>;

/** Events pushed from the core to the UI (over IPC or the browser host's event stream). */
export const ImportProgress = lazySchema(() => z.object({
  type: z.literal('import.progress'),
  importId: z.string(),
  phase: z.enum(['hashing', 'reading', 'checking', 'committing', 'done']),
  file: z.string().nullable(),
  filesDone: z.number().int(),
  filesTotal: z.number().int(),
  bytesDone: z.number(),
  bytesTotal: z.number(),
  rows: z.number().int(),
}));
export type CoreEvent = z.infer<typeof ImportProgress>;

/** How a transport reports a failed call: the message, and a location when the input was at fault. */
export interface ApiError {
  error: string;
  /**
   * 'unauthenticated': no live session (not logged in, ended, locked after inactivity): sign in again;
   * 'forbidden': signed in, but the account's role or state does not allow the call.
   */
  kind: 'invalid-input' | 'not-found' | 'conflict' | 'unauthenticated' | 'forbidden' | 'internal';
  details?: unknown;
}

/** A typed client: what the renderer and the CLI call. */
export type Invoke = <M extends MethodName>(method: M, input: Input<M>) => Promise<Output<M>>;
