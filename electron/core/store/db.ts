import type Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrate } from './schema';
import { requireNow } from '../lazy';

export type Db = Database.Database;

export { defaultDbPath } from '../paths';

/**
 * The database holds password hashes, encrypted signing keys and the audit trail: it is created 0600
 * in a folder created 0700 (issue 11: it was 0644), before SQLite opens it. An existing file or
 * folder the user made keeps its folder's mode; the file itself is tightened to 0600.
 */
export function privateFile(file: string): void {
  const dir = path.dirname(file);
  if (!fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  chmodIfExists(file, 0o600);
}

function chmodIfExists(f: string, mode: number): void {
  try {
    if (process.platform !== 'win32') fs.chmodSync(f, mode);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/**
 * Opens (creating if needed) the store: WAL so readers never block the importer's connection,
 * foreign keys on, migrations applied. `nativeBinding` lets Electron load a build of
 * better-sqlite3 made for its own ABI while Node (tests, CLI) uses the default one.
 */
export function openDb(file: string, opts: { readonly?: boolean } = {}): Db {
  if (file !== ':memory:' && !opts.readonly) privateFile(file);
  const nativeBinding = process.env.DOSEDESK_SQLITE_BINDING || undefined;
  // Loaded here, not at import: commands that need no database never load the native module.
  const Sqlite = requireNow<typeof Database>('better-sqlite3');
  const db = new Sqlite(file, { readonly: opts.readonly ?? false, nativeBinding });
  db.pragma('journal_mode = WAL');
  // SQLite creates the -wal and -shm files with the database file's mode; make sure of it.
  if (file !== ':memory:' && !opts.readonly) for (const f of [`${file}-wal`, `${file}-shm`]) chmodIfExists(f, 0o600);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Reads map the file (up to 1 GiB) instead of copying each page into this connection's cache: a
  // connection's first AE search at 200,000 AEs read its index in ~30 ms instead of ~120 ms. SQLite
  // writes through its usual calls either way. The cost: a disk error while reading a mapped page
  // stops the process instead of failing the call (README, Performance).
  if (file !== ':memory:') db.pragma('mmap_size = 1073741824');
  if (!opts.readonly) migrate(db);
  return db;
}
