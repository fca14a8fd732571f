import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';

// Small snapshots written as real files for the import tests.

export function tmpDir(prefix = 'dosedesk-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function csv(rows: (string | number | null)[][]): string {
  return rows.map((r) => r.map((v) => (v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))).join(',')).join('\r\n') + '\r\n';
}

/** A minimal, valid three-subject snapshot in CSV. */
export function miniSnapshot(dir: string, overrides: Record<string, string> = {}): string {
  fs.mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {
    'dm.csv': csv([
      ['STUDYID', 'DOMAIN', 'USUBJID', 'SUBJID', 'RFXSTDTC', 'AGE', 'SEX', 'ARMCD', 'ARM'],
      ['S1', 'DM', 'S1-001', '001', '2025-01-06', 61, 'F', 'L1', '0.01 mg/kg'],
      ['S1', 'DM', 'S1-002', '002', '2025-02-03', 55, 'M', 'L2', '0.03 mg/kg'],
      ['S1', 'DM', 'S1-003', '003', '2025-03-03', 70, 'M', 'L2', '0.03 mg/kg'],
    ]),
    'ex.csv': csv([
      ['STUDYID', 'DOMAIN', 'USUBJID', 'EXSEQ', 'EXTRT', 'EXDOSE', 'EXDOSU', 'EXSTDTC'],
      ['S1', 'EX', 'S1-001', 1, 'DRUG', 0.01, 'mg/kg', '2025-01-06T09:00'],
      ['S1', 'EX', 'S1-002', 1, 'DRUG', 0.03, 'mg/kg', '2025-02-03T09:00'],
      ['S1', 'EX', 'S1-003', 1, 'DRUG', 0.03, 'mg/kg', '2025-03-03T09:00'],
    ]),
    'ae.csv': csv([
      ['STUDYID', 'DOMAIN', 'USUBJID', 'AESEQ', 'AETERM', 'AEDECOD', 'AEBODSYS', 'AETOXGR', 'AESER', 'AEREL', 'AESTDTC'],
      ['S1', 'AE', 'S1-001', 1, 'Nausea', 'Nausea', 'Gastrointestinal disorders', '1', 'N', 'RELATED', '2025-01-08'],
      ['S1', 'AE', 'S1-002', 1, 'Neutropenia', 'Neutropenia', 'Blood and lymphatic system disorders', '3', 'Y', 'RELATED', '2025-02-10'],
    ]),
    'suppae.csv': csv([
      ['STUDYID', 'RDOMAIN', 'USUBJID', 'IDVAR', 'IDVARVAL', 'QNAM', 'QLABEL', 'QVAL'],
      ['S1', 'AE', 'S1-002', 'AESEQ', '1', 'AEDLT', 'Dose-limiting toxicity', 'Y'],
    ]),
    ...overrides,
  };
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

/** A fingerprint of every row of every table: equal before and after means the database was not touched. */
export function dbFingerprint(db: Database.Database): string {
  const h = createHash('sha256');
  const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`).all() as { name: string }[];
  for (const { name } of tables) {
    h.update(`#${name}\n`);
    // Rows in a stable order that needs no rowid (WITHOUT ROWID tables, FTS5's shadow tables): sorted by their JSON text.
    const rows = (db.prepare(`SELECT * FROM "${name}"`).raw().all() as unknown[]).map((r) => JSON.stringify(r)).sort();
    for (const r of rows) h.update(r + '\n');
  }
  return h.digest('hex');
}
