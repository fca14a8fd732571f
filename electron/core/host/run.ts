import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from '../app';
import { startHost } from './server';
import { seedDemoIfEmpty } from '../snapshots/seed';

// Runs the browser host until interrupted: the UI at a 127.0.0.1 address printed on stdout, opened
// in the system's Chromium when there is one.

const here = path.dirname(fileURLToPath(import.meta.url));
export const RENDERER_DIR = path.resolve(here, '../../../out/renderer');

export function findChromium(): string | undefined {
  for (const c of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (c && fs.existsSync(c)) return c;
  }
  return undefined;
}

export async function runBrowserHost(opts: { dbPath: string; port?: number; open?: boolean }): Promise<void> {
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`the UI is not built (${RENDERER_DIR} is missing): run \`npm run build\` first`);
  }
  const core = createCore({ dbPath: opts.dbPath });
  await seedDemoIfEmpty(core);
  const host = await startHost({ core, rendererDir: RENDERER_DIR, port: opts.port });
  process.stdout.write(`DoseDesk is serving on ${host.url}\n(database: ${opts.dbPath}; stop with Ctrl+C)\n`);
  const chromium = opts.open ? findChromium() : undefined;
  if (chromium) {
    const dataDir = fs.mkdtempSync(path.join((await import('node:os')).tmpdir(), 'dosedesk-chromium-'));
    spawn(chromium, [`--app=${host.url}`, `--user-data-dir=${dataDir}`, '--no-first-run', '--disable-background-networking', '--disable-sync', '--disable-component-update'], {
      stdio: 'ignore',
      detached: true,
    }).unref();
  } else if (opts.open) {
    process.stdout.write('No Chromium found: open the address above in a browser.\n');
  }
  const stop = async () => {
    await host.close();
    core.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await new Promise(() => {});
}
