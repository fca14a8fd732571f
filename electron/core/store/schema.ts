import type { Database } from 'better-sqlite3';

// The database schema, in numbered migrations. PRAGMA user_version holds the number of the last
// migration applied; migrations are append-only: never edit one that has shipped, add the next.
// Each migration is literal SQL text (migration 1 used to be generated from the live DOMAINS spec, so
// an edit of DOMAINS silently changed a released migration: databases made before and after the edit
// had different tables under the same version). test/unit/schema.test.ts pins the SHA-256 of every
// migration's text and checks that the columns DOMAINS names exist after all migrations.

export interface Migration {
  version: number;
  name: string;
  /** The migration's SQL as released: a literal, never computed from code that may change later. */
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'studies, snapshots, provenance, SDTM domain tables',
    sql: `
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

-- The SDTM domain tables, as generated on 2026-12-03 from electron/core/store/domains.ts (DOMAINS) and
-- frozen here: a later change to DOMAINS needs a new migration (ALTER TABLE ... ADD COLUMN), never an
-- edit of this text.
CREATE TABLE rec_dm (
  snapshot_id INTEGER NOT NULL REFERENCES snapshot(snapshot_id),
  file_id INTEGER NOT NULL REFERENCES snapshot_file(file_id),
  row_no INTEGER NOT NULL,
  rec_key TEXT NOT NULL,
  extra TEXT,
  studyid TEXT,
  usubjid TEXT,
  subjid TEXT,
  siteid TEXT,
  rfstdtc TEXT,
  rfendtc TEXT,
  rfxstdtc TEXT,
  rfxendtc TEXT,
  dthdtc TEXT,
  dthfl TEXT,
  age REAL,
  ageu TEXT,
  sex TEXT,
  race TEXT,
  ethnic TEXT,
  armcd TEXT,
  arm TEXT,
  actarmcd TEXT,
  actarm TEXT,
  country TEXT
) STRICT;
CREATE INDEX rec_dm_subject ON rec_dm(snapshot_id, usubjid);

CREATE TABLE rec_suppdm (
  snapshot_id INTEGER NOT NULL REFERENCES snapshot(snapshot_id),
  file_id INTEGER NOT NULL REFERENCES snapshot_file(file_id),
  row_no INTEGER NOT NULL,
  rec_key TEXT NOT NULL,
  extra TEXT,
  studyid TEXT,
  rdomain TEXT,
  usubjid TEXT,
  idvar TEXT,
  idvarval TEXT,
  qnam TEXT,
  qlabel TEXT,
  qval TEXT,
  qorig TEXT,
  qeval TEXT
) STRICT;
CREATE INDEX rec_suppdm_subject ON rec_suppdm(snapshot_id, usubjid);

CREATE TABLE rec_ex (
  snapshot_id INTEGER NOT NULL REFERENCES snapshot(snapshot_id),
  file_id INTEGER NOT NULL REFERENCES snapshot_file(file_id),
  row_no INTEGER NOT NULL,
  rec_key TEXT NOT NULL,
  extra TEXT,
  studyid TEXT,
  usubjid TEXT,
  exseq REAL,
  extrt TEXT,
  exdose REAL,
  exdosu TEXT,
  exdosfrm TEXT,
  exroute TEXT,
  exstdtc TEXT,
  exendtc TEXT,
  visit TEXT,
  visitnum REAL,
  exstdy REAL,
  exendy REAL
) STRICT;
CREATE INDEX rec_ex_subject ON rec_ex(snapshot_id, usubjid);

CREATE TABLE rec_ae (
  snapshot_id INTEGER NOT NULL REFERENCES snapshot(snapshot_id),
  file_id INTEGER NOT NULL REFERENCES snapshot_file(file_id),
  row_no INTEGER NOT NULL,
  rec_key TEXT NOT NULL,
  extra TEXT,
  studyid TEXT,
  usubjid TEXT,
  aeseq REAL,
  aespid TEXT,
  aeterm TEXT,
  aedecod TEXT,
  aebodsys TEXT,
  aesoc TEXT,
  aetoxgr TEXT,
  aesev TEXT,
  aeser TEXT,
  aerel TEXT,
  aeacn TEXT,
  aeout TEXT,
  aestdtc TEXT,
  aeendtc TEXT,
  aestdy REAL,
  aeendy REAL
) STRICT;
CREATE INDEX rec_ae_subject ON rec_ae(snapshot_id, usubjid);

CREATE TABLE rec_suppae (
  snapshot_id INTEGER NOT NULL REFERENCES snapshot(snapshot_id),
  file_id INTEGER NOT NULL REFERENCES snapshot_file(file_id),
  row_no INTEGER NOT NULL,
  rec_key TEXT NOT NULL,
  extra TEXT,
  studyid TEXT,
  rdomain TEXT,
  usubjid TEXT,
  idvar TEXT,
  idvarval TEXT,
  qnam TEXT,
  qlabel TEXT,
  qval TEXT,
  qorig TEXT,
  qeval TEXT
) STRICT;
CREATE INDEX rec_suppae_subject ON rec_suppae(snapshot_id, usubjid);

CREATE TABLE rec_pc (
  snapshot_id INTEGER NOT NULL REFERENCES snapshot(snapshot_id),
  file_id INTEGER NOT NULL REFERENCES snapshot_file(file_id),
  row_no INTEGER NOT NULL,
  rec_key TEXT NOT NULL,
  extra TEXT,
  studyid TEXT,
  usubjid TEXT,
  pcseq REAL,
  pctestcd TEXT,
  pctest TEXT,
  pcorres TEXT,
  pcstresc TEXT,
  pcstresn REAL,
  pcstresu TEXT,
  pcstat TEXT,
  pclloq REAL,
  pcspec TEXT,
  pcdtc TEXT,
  pcrftdtc TEXT,
  pceltm TEXT,
  pctpt TEXT,
  pctptnum REAL,
  visit TEXT,
  visitnum REAL
) STRICT;
CREATE INDEX rec_pc_subject ON rec_pc(snapshot_id, usubjid);

CREATE TABLE rec_pp (
  snapshot_id INTEGER NOT NULL REFERENCES snapshot(snapshot_id),
  file_id INTEGER NOT NULL REFERENCES snapshot_file(file_id),
  row_no INTEGER NOT NULL,
  rec_key TEXT NOT NULL,
  extra TEXT,
  studyid TEXT,
  usubjid TEXT,
  ppseq REAL,
  pptestcd TEXT,
  pptest TEXT,
  ppcat TEXT,
  pporres TEXT,
  ppstresc TEXT,
  ppstresn REAL,
  ppstresu TEXT,
  ppspec TEXT,
  pprftdtc TEXT,
  visit TEXT
) STRICT;
CREATE INDEX rec_pp_subject ON rec_pp(snapshot_id, usubjid);

CREATE TABLE rec_tu (
  snapshot_id INTEGER NOT NULL REFERENCES snapshot(snapshot_id),
  file_id INTEGER NOT NULL REFERENCES snapshot_file(file_id),
  row_no INTEGER NOT NULL,
  rec_key TEXT NOT NULL,
  extra TEXT,
  studyid TEXT,
  usubjid TEXT,
  tuseq REAL,
  tulnkid TEXT,
  tutestcd TEXT,
  tuorres TEXT,
  tustresc TEXT,
  tuloc TEXT,
  tumethod TEXT,
  tueval TEXT,
  tudtc TEXT,
  visit TEXT
) STRICT;
CREATE INDEX rec_tu_subject ON rec_tu(snapshot_id, usubjid);

CREATE TABLE rec_tr (
  snapshot_id INTEGER NOT NULL REFERENCES snapshot(snapshot_id),
  file_id INTEGER NOT NULL REFERENCES snapshot_file(file_id),
  row_no INTEGER NOT NULL,
  rec_key TEXT NOT NULL,
  extra TEXT,
  studyid TEXT,
  usubjid TEXT,
  trseq REAL,
  trlnkid TEXT,
  trtestcd TEXT,
  trorres TEXT,
  trstresc TEXT,
  trstresn REAL,
  trstresu TEXT,
  treval TEXT,
  trevalid TEXT,
  tracptfl TEXT,
  trdtc TEXT,
  visit TEXT,
  visitnum REAL
) STRICT;
CREATE INDEX rec_tr_subject ON rec_tr(snapshot_id, usubjid);

CREATE TABLE rec_rs (
  snapshot_id INTEGER NOT NULL REFERENCES snapshot(snapshot_id),
  file_id INTEGER NOT NULL REFERENCES snapshot_file(file_id),
  row_no INTEGER NOT NULL,
  rec_key TEXT NOT NULL,
  extra TEXT,
  studyid TEXT,
  usubjid TEXT,
  rsseq REAL,
  rstestcd TEXT,
  rstest TEXT,
  rscat TEXT,
  rsorres TEXT,
  rsstresc TEXT,
  rseval TEXT,
  rsevalid TEXT,
  rsacptfl TEXT,
  rsdtc TEXT,
  visit TEXT,
  visitnum REAL
) STRICT;
CREATE INDEX rec_rs_subject ON rec_rs(snapshot_id, usubjid);

CREATE TABLE rec_ds (
  snapshot_id INTEGER NOT NULL REFERENCES snapshot(snapshot_id),
  file_id INTEGER NOT NULL REFERENCES snapshot_file(file_id),
  row_no INTEGER NOT NULL,
  rec_key TEXT NOT NULL,
  extra TEXT,
  studyid TEXT,
  usubjid TEXT,
  dsseq REAL,
  dsterm TEXT,
  dsdecod TEXT,
  dscat TEXT,
  dsscat TEXT,
  epoch TEXT,
  dsstdtc TEXT
) STRICT;
CREATE INDEX rec_ds_subject ON rec_ds(snapshot_id, usubjid);

CREATE TABLE rec_is (
  snapshot_id INTEGER NOT NULL REFERENCES snapshot(snapshot_id),
  file_id INTEGER NOT NULL REFERENCES snapshot_file(file_id),
  row_no INTEGER NOT NULL,
  rec_key TEXT NOT NULL,
  extra TEXT,
  studyid TEXT,
  usubjid TEXT,
  isseq REAL,
  istestcd TEXT,
  istest TEXT,
  iscat TEXT,
  isorres TEXT,
  isstresc TEXT,
  isstresn REAL,
  isstresu TEXT,
  isdtc TEXT,
  visit TEXT,
  visitnum REAL
) STRICT;
CREATE INDEX rec_is_subject ON rec_is(snapshot_id, usubjid);

CREATE TABLE rec_lb (
  snapshot_id INTEGER NOT NULL REFERENCES snapshot(snapshot_id),
  file_id INTEGER NOT NULL REFERENCES snapshot_file(file_id),
  row_no INTEGER NOT NULL,
  rec_key TEXT NOT NULL,
  extra TEXT,
  studyid TEXT,
  usubjid TEXT,
  lbseq REAL,
  lbtestcd TEXT,
  lbtest TEXT,
  lbcat TEXT,
  lborres TEXT,
  lbstresc TEXT,
  lbstresn REAL,
  lbstresu TEXT,
  lbnrind TEXT,
  lbtoxgr TEXT,
  lbdtc TEXT,
  visit TEXT
) STRICT;
CREATE INDEX rec_lb_subject ON rec_lb(snapshot_id, usubjid);

CREATE TABLE rec_vs (
  snapshot_id INTEGER NOT NULL REFERENCES snapshot(snapshot_id),
  file_id INTEGER NOT NULL REFERENCES snapshot_file(file_id),
  row_no INTEGER NOT NULL,
  rec_key TEXT NOT NULL,
  extra TEXT,
  studyid TEXT,
  usubjid TEXT,
  vsseq REAL,
  vstestcd TEXT,
  vstest TEXT,
  vsorres TEXT,
  vsstresc TEXT,
  vsstresn REAL,
  vsstresu TEXT,
  vsdtc TEXT,
  visit TEXT,
  vstpt TEXT
) STRICT;
CREATE INDEX rec_vs_subject ON rec_vs(snapshot_id, usubjid);

CREATE TABLE rec_ts (
  snapshot_id INTEGER NOT NULL REFERENCES snapshot(snapshot_id),
  file_id INTEGER NOT NULL REFERENCES snapshot_file(file_id),
  row_no INTEGER NOT NULL,
  rec_key TEXT NOT NULL,
  extra TEXT,
  studyid TEXT,
  tsseq REAL,
  tsparmcd TEXT,
  tsparm TEXT,
  tsval TEXT
) STRICT;
CREATE INDEX rec_ts_snapshot ON rec_ts(snapshot_id);
`,
  },
  {
    version: 2,
    name: "PK: reviewers' lambda_z choices (append-only)",
    sql: `
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
`,
  },
  {
    version: 3,
    name: 'users, sessions, settings, hash-chained audit trail, meetings and signatures (21 CFR Part 11)',
    sql: `
-- Settings (JSON values), e.g. password rules, lock-out, inactivity, quorum, signature meanings.
CREATE TABLE setting (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
) STRICT;

-- Named local accounts. Never deleted (deactivated instead), user ids never re-issued (11.100(a)).
CREATE TABLE app_user (
  user_id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  printed_name TEXT NOT NULL,
  title TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('administrator', 'chair', 'voting-member', 'non-voting-attendee', 'secretary')),
  active INTEGER NOT NULL DEFAULT 1,
  -- scrypt: {"N":..,"r":..,"p":..,"salt":base64,"hash":base64}
  password TEXT NOT NULL,
  password_changed_at TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_at TEXT,
  identity_verification TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
) STRICT;
CREATE TRIGGER app_user_no_delete BEFORE DELETE ON app_user
BEGIN SELECT RAISE(ABORT, 'accounts are never deleted: deactivate them'); END;
CREATE TRIGGER app_user_no_rename BEFORE UPDATE OF username, user_id ON app_user
BEGIN SELECT RAISE(ABORT, 'user ids are never changed or re-issued'); END;

-- Each user's Ed25519 key pairs; the private key is encrypted with a key derived from the password.
-- A password reset by an administrator retires the key (it cannot be decrypted) and issues a new one;
-- retired public keys stay to verify earlier signatures.
CREATE TABLE user_key (
  key_id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES app_user(user_id),
  public_key TEXT NOT NULL,
  private_key TEXT NOT NULL,
  created_at TEXT NOT NULL,
  retired_at TEXT
) STRICT;
CREATE INDEX user_key_user ON user_key(user_id);
CREATE TRIGGER user_key_no_delete BEFORE DELETE ON user_key
BEGIN SELECT RAISE(ABORT, 'keys are never deleted'); END;
CREATE TRIGGER user_key_public_fixed BEFORE UPDATE OF public_key, user_id ON user_key
BEGIN SELECT RAISE(ABORT, 'a public key never changes'); END;

-- Sessions: the token is returned by auth.login and passed as "session" in inputs; only its SHA-256 is stored.
CREATE TABLE session (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES app_user(user_id),
  created_at TEXT NOT NULL,
  last_seen_ms INTEGER NOT NULL,
  ended_at TEXT,
  end_reason TEXT
) STRICT;

-- The audit trail (11.10(e)): written by the core only, append-only, each entry hash-chained to the last.
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  user TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT,
  old_value TEXT,
  new_value TEXT,
  reason TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

CREATE TABLE meeting (
  meeting_id INTEGER PRIMARY KEY,
  study_id TEXT NOT NULL REFERENCES study(study_id),
  snapshot_id INTEGER NOT NULL REFERENCES snapshot(snapshot_id),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
) STRICT;
CREATE TRIGGER meeting_no_delete BEFORE DELETE ON meeting
BEGIN SELECT RAISE(ABORT, 'meetings are never deleted'); END;

-- Versions of a meeting record. content = the record version (shared/meeting.ts RecordVersion, JSON);
-- record_hash = SHA-256 of its canonical JSON, set when locked.
CREATE TABLE meeting_version (
  meeting_id INTEGER NOT NULL REFERENCES meeting(meeting_id),
  version INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'final', 'signed', 'distributed')),
  record TEXT NOT NULL,
  record_hash TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  distribution TEXT,
  PRIMARY KEY (meeting_id, version)
) STRICT;
CREATE TRIGGER meeting_version_no_delete BEFORE DELETE ON meeting_version
BEGIN SELECT RAISE(ABORT, 'meeting record versions are never deleted'); END;
CREATE TRIGGER meeting_version_locked BEFORE UPDATE OF record, record_hash, meeting_id, version ON meeting_version
WHEN OLD.status <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a locked meeting record version cannot be edited: amend it'); END;
CREATE TRIGGER meeting_version_sequence BEFORE UPDATE OF status ON meeting_version
WHEN NOT (OLD.status = NEW.status
  OR (OLD.status = 'draft' AND NEW.status = 'final')
  OR (OLD.status = 'final' AND NEW.status = 'signed')
  OR (OLD.status = 'signed' AND NEW.status = 'distributed'))
BEGIN SELECT RAISE(ABORT, 'meeting status can only move draft -> final -> signed -> distributed'); END;

CREATE TABLE meeting_signature (
  signature_id INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL,
  version INTEGER NOT NULL,
  user_id INTEGER NOT NULL REFERENCES app_user(user_id),
  key_id INTEGER NOT NULL REFERENCES user_key(key_id),
  username TEXT NOT NULL,
  printed_name TEXT NOT NULL,
  title TEXT NOT NULL,
  role TEXT NOT NULL,
  meaning TEXT NOT NULL,
  signed_at TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  record_hash TEXT NOT NULL,
  signature TEXT NOT NULL,
  FOREIGN KEY (meeting_id, version) REFERENCES meeting_version(meeting_id, version),
  UNIQUE (meeting_id, version, user_id)
) STRICT;
CREATE TRIGGER meeting_signature_no_update BEFORE UPDATE ON meeting_signature
BEGIN SELECT RAISE(ABORT, 'signatures are append-only'); END;
CREATE TRIGGER meeting_signature_no_delete BEFORE DELETE ON meeting_signature
BEGIN SELECT RAISE(ABORT, 'signatures are append-only'); END;

-- Figures and tables captured as shown (PNG or SVG), addressed by their SHA-256.
CREATE TABLE meeting_figure (
  sha256 TEXT PRIMARY KEY,
  mime TEXT NOT NULL,
  data BLOB NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE TRIGGER meeting_figure_no_update BEFORE UPDATE ON meeting_figure
BEGIN SELECT RAISE(ABORT, 'captured figures are immutable'); END;
CREATE TRIGGER meeting_figure_no_delete BEFORE DELETE ON meeting_figure
BEGIN SELECT RAISE(ABORT, 'captured figures are immutable'); END;
`,
  },
  {
    version: 4,
    name: "minutes: users' PDF signing identities (X.509 certificate + PKCS#12)",
    sql: `
-- Each user's PDF signing identity (minutes.export): a self-signed X.509 certificate and RSA key in a
-- PKCS#12 protected by the user's password, itself sealed with AES-256-GCM under a key derived from
-- the password by scrypt (JSON: parameters, salt, iv, tag, data). Created on the first export; a new
-- one replaces it (the old one retired, never deleted) when the password changed. The certificate's
-- SHA-256 fingerprint tells minutes.verify whose certificate signed a file.
CREATE TABLE user_pdf_identity (
  identity_id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES app_user(user_id),
  certificate TEXT NOT NULL,
  fingerprint TEXT NOT NULL UNIQUE,
  p12 TEXT NOT NULL,
  created_at TEXT NOT NULL,
  retired_at TEXT,
  retired_reason TEXT
) STRICT;
CREATE INDEX user_pdf_identity_user ON user_pdf_identity(user_id);
CREATE TRIGGER user_pdf_identity_no_delete BEFORE DELETE ON user_pdf_identity
BEGIN SELECT RAISE(ABORT, 'signing identities are never deleted: they are retired'); END;
CREATE TRIGGER user_pdf_identity_fixed BEFORE UPDATE OF certificate, fingerprint, p12, user_id ON user_pdf_identity
BEGIN SELECT RAISE(ABORT, 'a signing identity never changes: retire it and create a new one'); END;
`,
  },
  {
    version: 5,
    name: 'trust: the organisation signing authority (trust root) and signed audit checkpoints',
    sql: `
-- The installation's signing authority (electron/core/minutes/authority.ts): a self-signed CA
-- certificate whose private key lives in a 0600 file beside the database (never in it). Users' PDF
-- signing certificates are issued by it; minutes.verify trusts what chains to it.
CREATE TABLE signing_authority (
  authority_id INTEGER PRIMARY KEY,
  certificate TEXT NOT NULL,
  fingerprint TEXT NOT NULL UNIQUE,
  key_file TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE TRIGGER signing_authority_no_delete BEFORE DELETE ON signing_authority
BEGIN SELECT RAISE(ABORT, 'the signing authority is never deleted'); END;
CREATE TRIGGER signing_authority_no_update BEFORE UPDATE ON signing_authority
BEGIN SELECT RAISE(ABORT, 'the signing authority never changes'); END;

-- Audit checkpoints (electron/core/audit/anchor.ts): the head of the audit chain (seq, hash) at an
-- e-signature or a minutes export, signed with the authority's key, so that truncating, rewriting
-- or emptying the chain is detected once a checkpoint exists.
CREATE TABLE audit_checkpoint (
  checkpoint_id INTEGER PRIMARY KEY,
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL,
  at TEXT NOT NULL,
  kind TEXT NOT NULL,
  ref TEXT,
  authority_fingerprint TEXT NOT NULL,
  signature TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint
BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;
CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint
BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;

-- The audit head (JSON {seq, hash}) inside each e-signature's signed payload (shared/meeting.ts).
ALTER TABLE meeting_signature ADD COLUMN audit_head TEXT;
`,
  },
  {
    version: 6,
    name: 'review marks that follow the data, and acknowledgements of unreviewed subjects at a meeting',
    sql: `
-- A reviewer's mark on a subject (electron/core/review): made on one snapshot, it holds for later
-- snapshots while the subject's records are unchanged (docs/CLINICAL_RULES.md#review-marks).
-- Append-only: replacing a mark is a new 'mark' row, withdrawing it an 'unmark' row; the latest row
-- of a (study, subject, account) is the one in force.
CREATE TABLE review_mark (
  mark_id INTEGER PRIMARY KEY,
  study_id TEXT NOT NULL REFERENCES study(study_id),
  snapshot_id INTEGER NOT NULL REFERENCES snapshot(snapshot_id),
  usubjid TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('mark', 'unmark')),
  comment TEXT,
  -- SHA-256 of the subject's records in the snapshot as reviewed (shared/review.ts subjectFingerprint)
  fingerprint TEXT NOT NULL,
  records INTEGER NOT NULL,
  user_id INTEGER NOT NULL REFERENCES app_user(user_id),
  username TEXT NOT NULL,
  printed_name TEXT NOT NULL,
  made_at TEXT NOT NULL
) STRICT;
CREATE INDEX review_mark_subject ON review_mark(study_id, usubjid);
CREATE TRIGGER review_mark_no_update BEFORE UPDATE ON review_mark
BEGIN SELECT RAISE(ABORT, 'review marks are append-only'); END;
CREATE TRIGGER review_mark_no_delete BEFORE DELETE ON review_mark
BEGIN SELECT RAISE(ABORT, 'review marks are append-only'); END;

-- Starting or locking a meeting with subjects of its levels whose latest data nobody has reviewed:
-- the warning shown and who acknowledged it (subjects: JSON [{usubjid, level, status}]).
CREATE TABLE review_acknowledgement (
  ack_id INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES meeting(meeting_id),
  version INTEGER NOT NULL,
  snapshot_id INTEGER NOT NULL REFERENCES snapshot(snapshot_id),
  stage TEXT NOT NULL CHECK (stage IN ('start', 'lock')),
  subjects TEXT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES app_user(user_id),
  username TEXT NOT NULL,
  made_at TEXT NOT NULL
) STRICT;
CREATE INDEX review_acknowledgement_meeting ON review_acknowledgement(meeting_id);
CREATE TRIGGER review_acknowledgement_no_update BEFORE UPDATE ON review_acknowledgement
BEGIN SELECT RAISE(ABORT, 'acknowledgements are append-only'); END;
CREATE TRIGGER review_acknowledgement_no_delete BEFORE DELETE ON review_acknowledgement
BEGIN SELECT RAISE(ABORT, 'acknowledgements are append-only'); END;

-- One subject's records of the domains kept whole (CM, EG, …), read per subject by the review marks.
CREATE INDEX rec_generic_subject ON rec_generic(snapshot_id, usubjid);
`,
  },
  {
    version: 7,
    name: 'AE facts: one row per AE with the derived facts the AE grid and incidence tables read',
    sql: `
-- AE facts (electron/core/safety/aeFacts.ts): derived once per snapshot by safety.aeListing's
-- rules (shared/safety/) and kept until the study definition or the cut-off they were derived under
-- changes (deps = SHA-256 of both); then rebuilt in one write transaction. Derived data only: a
-- snapshot's records stay in rec_ae.
CREATE TABLE ae_fact_build (
  snapshot_id INTEGER PRIMARY KEY,
  deps TEXT NOT NULL,
  built_at TEXT NOT NULL,
  row_count INTEGER NOT NULL
) STRICT;
CREATE TABLE ae_fact (
  snapshot_id INTEGER NOT NULL,
  ord INTEGER NOT NULL,
  usubjid TEXT NOT NULL,
  level INTEGER,
  dose REAL,
  part TEXT NOT NULL,
  aeseq REAL,
  study_day INTEGER,
  aeterm TEXT NOT NULL,
  aedecod TEXT,
  aebodsys TEXT,
  soc TEXT NOT NULL,
  pt TEXT NOT NULL,
  grade INTEGER,
  severity TEXT,
  serious INTEGER NOT NULL,
  related INTEGER NOT NULL,
  aerel TEXT,
  dlt INTEGER NOT NULL,
  in_dlt_window INTEGER NOT NULL,
  aeout TEXT,
  aeacn TEXT,
  fatal_not_serious INTEGER NOT NULL,
  teae INTEGER NOT NULL,
  aestdtc TEXT,
  aeendtc TEXT,
  row_no INTEGER NOT NULL,
  treated INTEGER NOT NULL,
  grp TEXT,
  rank_usubjid INTEGER NOT NULL,
  rank_level INTEGER NOT NULL,
  rank_aebodsys INTEGER NOT NULL,
  rank_aedecod INTEGER NOT NULL,
  PRIMARY KEY (snapshot_id, ord)
) STRICT, WITHOUT ROWID;
-- The grid's quick search: each AE's lower-cased search text (shared/safety/aeFacts.ts aeSearchText)
-- under a trigram index, so that LIKE '%word%' finds the rows without reading every one. rowid =
-- snapshot_id * 2^32 + ord (a snapshot's rows are one rowid range).
CREATE VIRTUAL TABLE ae_fact_search USING fts5(search, tokenize = 'trigram', detail = 'none');
CREATE INDEX ae_fact_grade ON ae_fact(snapshot_id, grade, ord);
CREATE INDEX ae_fact_day ON ae_fact(snapshot_id, study_day, ord);
CREATE INDEX ae_fact_level ON ae_fact(snapshot_id, level, ord);
CREATE INDEX ae_fact_soc ON ae_fact(snapshot_id, aebodsys, ord);
CREATE INDEX ae_fact_pt ON ae_fact(snapshot_id, aedecod, ord);
CREATE INDEX ae_fact_incidence ON ae_fact(snapshot_id, treated, teae, grp, soc, pt, usubjid, grade);
`,
  },
  {
    version: 8,
    name: 'derived store: what is derived from a snapshot, stored once (snapshots/memo.ts)',
    sql: `
-- Derivations of one snapshot (subject facts, AE facts, the DLT table …) kept across restarts by
-- electron/core/snapshots/memo.ts. A row serves a call only when its name, the hash of what else it
-- depends on (study definition, mapping, options) and the derivation version all match; anything
-- else recomputes (a new version replaces the row). Never a record: a cache that can be emptied
-- at any time.
CREATE TABLE snapshot_derived (
  snapshot_id INTEGER NOT NULL REFERENCES snapshot(snapshot_id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  deps_hash TEXT NOT NULL,
  version TEXT NOT NULL,
  -- deflated JSON (memo.ts encodes Map, Set, undefined and non-finite numbers)
  payload BLOB NOT NULL,
  PRIMARY KEY (snapshot_id, name, deps_hash)
) STRICT;
`,
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
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return SCHEMA_VERSION;
}
