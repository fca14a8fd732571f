import type { Database } from 'better-sqlite3';
import { DOMAINS, type DomainSpec } from './domains';

// The database schema, in numbered migrations. PRAGMA user_version holds the number of the last
// migration applied; migrations are append-only: never edit one that has shipped, add the next.

function domainTableSql(d: DomainSpec): string {
  const cols = d.variables.map((v) => `  ${v.name.toLowerCase()} ${v.type}`).join(',\n');
  return `CREATE TABLE ${d.table} (
  snapshot_id INTEGER NOT NULL REFERENCES snapshot(snapshot_id),
  file_id INTEGER NOT NULL REFERENCES snapshot_file(file_id),
  row_no INTEGER NOT NULL,
  rec_key TEXT NOT NULL,
  extra TEXT,
${cols}
) STRICT;
${d.subjectLevel ? `CREATE INDEX ${d.table}_subject ON ${d.table}(snapshot_id, usubjid);` : `CREATE INDEX ${d.table}_snapshot ON ${d.table}(snapshot_id);`}`;
}

export const MIGRATIONS: readonly { version: number; name: string; up: (db: Database) => void }[] = [
  {
    version: 1,
    name: 'studies, snapshots, provenance, SDTM domain tables',
    up: (db) => {
      db.exec(`
CREATE TABLE study (
  study_id TEXT PRIMARY KEY,
  title TEXT,
  -- the study definition (shared/study.ts) as last confirmed: from study.json, derived, or answered in the UI
  definition TEXT NOT NULL,
  definition_source TEXT NOT NULL CHECK (definition_source IN ('study.json', 'derived', 'user')),
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE snapshot (
  snapshot_id INTEGER PRIMARY KEY,
  study_id TEXT NOT NULL REFERENCES study(study_id),
  -- SHA-256 over the sorted SHA-256 of the snapshot's files: what minutes cite
  content_hash TEXT NOT NULL UNIQUE,
  label TEXT NOT NULL,
  data_cutoff TEXT,
  imported_at TEXT NOT NULL,
  imported_by TEXT NOT NULL,
  source_path TEXT NOT NULL,
  -- the study definition as it was for this snapshot (study.json of the cut, or derived)
  definition TEXT NOT NULL,
  definition_source TEXT NOT NULL
) STRICT;

CREATE TABLE snapshot_file (
  file_id INTEGER PRIMARY KEY,
  snapshot_id INTEGER NOT NULL REFERENCES snapshot(snapshot_id),
  file_name TEXT NOT NULL,
  domain TEXT,
  format TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  row_count INTEGER NOT NULL,
  subject_count INTEGER NOT NULL,
  columns TEXT NOT NULL,
  notes TEXT NOT NULL,
  UNIQUE (snapshot_id, file_name)
) STRICT;

CREATE TABLE import_issue (
  issue_id INTEGER PRIMARY KEY,
  snapshot_id INTEGER NOT NULL REFERENCES snapshot(snapshot_id),
  severity TEXT NOT NULL CHECK (severity IN ('warning', 'error')),
  code TEXT NOT NULL,
  file TEXT NOT NULL,
  row_no INTEGER,
  column_name TEXT,
  expected TEXT NOT NULL,
  found TEXT NOT NULL,
  count INTEGER NOT NULL DEFAULT 1
) STRICT;

-- any domain DoseDesk does not model (kept whole, with lineage)
CREATE TABLE rec_generic (
  snapshot_id INTEGER NOT NULL REFERENCES snapshot(snapshot_id),
  file_id INTEGER NOT NULL REFERENCES snapshot_file(file_id),
  row_no INTEGER NOT NULL,
  rec_key TEXT NOT NULL,
  extra TEXT,
  domain TEXT NOT NULL,
  usubjid TEXT
) STRICT;
CREATE INDEX rec_generic_snapshot ON rec_generic(snapshot_id, domain);
`);
      for (const d of DOMAINS) db.exec(domainTableSql(d));
    },
  },
  {
    version: 2,
    name: "PK: reviewers' lambda_z choices (append-only)",
    up: (db) => {
      db.exec(`
-- A reviewer's choice of the terminal-slope (lambda_z) points for one NCA profile. Append-only: a new
-- choice is a new row and the latest row (highest choice_id) for a profile is the one in force.
CREATE TABLE pk_lambda_z_choice (
  choice_id INTEGER PRIMARY KEY,
  study_id TEXT NOT NULL REFERENCES study(study_id),
  snapshot_id INTEGER NOT NULL REFERENCES snapshot(snapshot_id),
  usubjid TEXT NOT NULL,
  analyte TEXT NOT NULL,
  interval TEXT NOT NULL CHECK (interval IN ('single', 'steady')),
  -- the clock the choice's times refer to
  time_basis TEXT NOT NULL CHECK (time_basis IN ('actual', 'nominal')),
  -- {"kind":"auto"} | {"kind":"range","start":..,"end":..} | {"kind":"exclude","times":[..]}
  choice TEXT NOT NULL,
  reason TEXT,
  made_by TEXT NOT NULL,
  made_at TEXT NOT NULL
) STRICT;
CREATE INDEX pk_lambda_z_choice_profile ON pk_lambda_z_choice(snapshot_id, usubjid, analyte, interval);
CREATE TRIGGER pk_lambda_z_choice_no_update BEFORE UPDATE ON pk_lambda_z_choice
BEGIN SELECT RAISE(ABORT, 'pk_lambda_z_choice is append-only'); END;
CREATE TRIGGER pk_lambda_z_choice_no_delete BEFORE DELETE ON pk_lambda_z_choice
BEGIN SELECT RAISE(ABORT, 'pk_lambda_z_choice is append-only'); END;
`);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export function migrate(db: Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(`database schema version ${current} is newer than this DoseDesk (${SCHEMA_VERSION}); update DoseDesk`);
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return SCHEMA_VERSION;
}
