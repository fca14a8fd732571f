import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrate } from './schema';

export type Db = Database.Database;

export { defaultDbPath } from '../paths';

/**
 * Opens (creating if needed) the store: WAL so readers never block the importer's connection,
 * foreign keys on, migrations applied. `nativeBinding` lets Electron load a build of
 * better-sqlite3 made for its own ABI while Node (tests, CLI) uses the default one.
 */
export function openDb(file: string, opts: { readonly?: boolean } = {}): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const nativeBinding = process.env.DOSEDESK_SQLITE_BINDING || undefined;
  const db = new Database(file, { readonly: opts.readonly ?? false, nativeBinding });
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  if (!opts.readonly) migrate(db);
  return db;
}
