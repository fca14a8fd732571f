import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Where DoseDesk keeps its database and finds its shipped resources (demo snapshots, fonts), as
// plain functions of the platform and the install layout, so that the Electron app, the CLI and the
// browser host resolve the same places and the packaged layout can be tested without Electron.

export interface Platform {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  home: string;
}

export const PRODUCT_NAME = 'DoseDesk';

export function currentPlatform(): Platform {
  return { platform: process.platform, env: process.env, home: os.homedir() };
}

/**
 * The per-user data folder: what Electron's app.getPath('userData') gives for an app named
 * "DoseDesk" (%APPDATA%\DoseDesk, ~/Library/Application Support/DoseDesk, $XDG_CONFIG_HOME/DoseDesk
 * or ~/.config/DoseDesk). The CLI uses the same folder, so app and CLI share one database.
 */
export function userDataDir(p: Platform = currentPlatform()): string {
  const base =
    p.platform === 'win32'
      ? p.env.APPDATA ?? path.win32.join(p.home, 'AppData', 'Roaming')
      : p.platform === 'darwin'
        ? path.join(p.home, 'Library', 'Application Support')
        : p.env.XDG_CONFIG_HOME || path.join(p.home, '.config');
  return (p.platform === 'win32' ? path.win32 : path.posix).join(base, PRODUCT_NAME);
}

/** The database: $DOSEDESK_DB, else dosedesk.sqlite in the user-data folder. */
export function defaultDbPath(p: Platform = currentPlatform()): string {
  if (p.env.DOSEDESK_DB) return p.env.DOSEDESK_DB;
  return (p.platform === 'win32' ? path.win32 : path.posix).join(userDataDir(p), 'dosedesk.sqlite');
}

export interface Layout {
  /** Electron's process.resourcesPath in a packaged app (electron-builder's extraResources land there). */
  resourcesPath?: string;
  packaged: boolean;
  /** The folder of the running module: the source tree (tsx, tests) or the bundle (out/main). */
  moduleDir: string;
  env: Record<string, string | undefined>;
}

/**
 * The shipped resources folder (holding demo/ and fonts/): $DOSEDESK_RESOURCES; in a packaged app
 * process.resourcesPath; otherwise the checkout's resources/ folder, found by walking up from the
 * running module (the source tree and the bundle in out/ sit at different depths).
 */
export function resourcesDir(layout: Layout, exists: (p: string) => boolean = fs.existsSync): string | null {
  if (layout.env.DOSEDESK_RESOURCES) return layout.env.DOSEDESK_RESOURCES;
  if (layout.packaged && layout.resourcesPath) return layout.resourcesPath;
  for (let dir = layout.moduleDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'resources');
    if (exists(path.join(candidate, 'demo'))) return candidate;
    if (path.dirname(dir) === dir) return null;
  }
}

/** The resources folder of the running process (Electron sets process.resourcesPath and defaultApp). */
export function currentResourcesDir(moduleDir: string): string | null {
  const proc = process as NodeJS.Process & { resourcesPath?: string; defaultApp?: boolean };
  const packaged = !!process.versions.electron && !proc.defaultApp && !!proc.resourcesPath && !/node_modules[\\/]electron[\\/]/.test(proc.resourcesPath);
  return resourcesDir({ resourcesPath: proc.resourcesPath, packaged, moduleDir, env: process.env });
}
