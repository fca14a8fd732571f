import { DEFAULT_SETTINGS, Settings } from '../../../shared/meeting';
import type { Db } from '../store/db';
import { settingRows, upsertSetting } from './queries';

// Settings (table `setting`, one JSON value per key); a key never stored has its default
// (shared/meeting.ts DEFAULT_SETTINGS). Changes go through users/app.ts settings.set (audited).

export function getSettings(db: Db): Settings {
  const rows = settingRows(db);
  const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const r of rows) if (r.key in DEFAULT_SETTINGS) merged[r.key] = JSON.parse(r.value);
  return Settings.parse(merged);
}

export function putSettings(db: Db, patch: Partial<Settings>, at: string, by: string): void {
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) upsertSetting(db, k, JSON.stringify(v), at, by);
}
