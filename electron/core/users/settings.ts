import { DEFAULT_SETTINGS, Settings } from '../../../shared/meeting';
import type { Db } from '../store/db';

// Settings (table `setting`, one JSON value per key); a key never stored has its default
// (shared/meeting.ts DEFAULT_SETTINGS). Changes go through users/app.ts settings.set (audited).

export function getSettings(db: Db): Settings {
  const rows = db.prepare('SELECT key, value FROM setting').all() as { key: string; value: string }[];
  const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const r of rows) if (r.key in DEFAULT_SETTINGS) merged[r.key] = JSON.parse(r.value);
  return Settings.parse(merged);
}

export function putSettings(db: Db, patch: Partial<Settings>, at: string, by: string): void {
  const stmt = db.prepare(
    `INSERT INTO setting (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  );
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) stmt.run(k, JSON.stringify(v), at, by);
}
