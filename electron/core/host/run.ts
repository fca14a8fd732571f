import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startHost } from './server';
import { startCorePool } from '../worker/pool';
import { resourcesDir } from '../paths';

// Runs the browser host until interrupted: the UI at a 127.0.0.1 address printed on stdout, opened
// in the system's Chromium when there is one.

const here = path.dirname(fileURLToPath(import.meta.url));
/** The built UI: out/renderer of the checkout (found from the sources or from the CLI bundle in out/cli). */
export const RENDERER_DIR = path.join(path.dirname(resourcesDir({ packaged: false, moduleDir: here, env: {} }) ?? path.resolve(here, '../../../resources')), 'out', 'renderer');

export function findChromium(): string | undefined {
  for (const c of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (c && fs.existsSync(c)) return c;
  }
  return undefined;
}

/**
 * How Chromium opens the UI without the token on its command line (issue 11: `--app=URL?token=…` is
 * readable by every local user in the process list): the command line names a launch page in a folder
 * only this user can read (0700, the file 0600) that sends the browser on to the address with the
 * token in the fragment, which no request carries and the page removes from the address bar.
 */
export function chromiumLaunch(url: string): { args: string[]; launchFile: string; dataDir: string } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dosedesk-chromium-'));
  const u = new URL(url);
  const token = u.searchParams.get('token') ?? '';
  u.search = '';
  u.hash = `token=${token}`;
  const launchFile = path.join(dataDir, 'open.html');
  const target = u.toString().replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  fs.writeFileSync(launchFile, `<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer"><meta http-equiv="refresh" content="0;url=${target}"><title>DoseDesk</title>\n`, { mode: 0o600 });
  fs.chmodSync(launchFile, 0o600);
  return {
    args: [`--app=${pathToFileURL(launchFile).toString()}`, `--user-data-dir=${dataDir}`, '--no-first-run', '--disable-background-networking', '--disable-sync', '--disable-component-update'],
    launchFile,
    dataDir,
  };
}

export async function runBrowserHost(opts: { dbPath: string; port?: number; open?: boolean }): Promise<void> {
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`the UI is not built (${RENDERER_DIR} is missing): run \`npm run build\` first`);
  }
  // The core in worker threads (worker/pool.ts); the demo, seeded into an empty database, is prepared like any import (snapshots/prepare.ts).
  const core = await startCorePool({ dbPath: opts.dbPath, seedDemo: true, prepare: true });
  const host = await startHost({ core, rendererDir: RENDERER_DIR, port: opts.port });
  process.stdout.write(`DoseDesk is serving on ${host.url}\n(database: ${opts.dbPath}; stop with Ctrl+C)\n`);
  const chromium = opts.open ? findChromium() : undefined;
  if (chromium) {
    const launch = chromiumLaunch(host.url);
    spawn(chromium, launch.args, { stdio: 'ignore', detached: true }).unref();
    // The launch page has been read long before this; the token stays only in the page.
    setTimeout(() => fs.rmSync(launch.launchFile, { force: true }), 60_000).unref();
  } else if (opts.open) {
    process.stdout.write('No Chromium found: open the address above in a browser.\n');
  }
  const stop = async () => {
    await host.close();
    await core.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await new Promise(() => {});
}
