import fs from 'node:fs';
import path from 'node:path';
import { CallError, type CoreContext } from '../context';
import { peekSession, userCount } from '../users/accounts';

// Paths named by the UI (issue 11, "paths from the API"). The renderer runs web content: whatever it
// sends is treated as coming from a page, not from the person at the keyboard. So, for calls that
// arrive through Electron IPC or the browser host (transport 'ui'):
// - no method writes to a path the page names (minutes.export returns the PDF; the app saves it through
//   Electron's save dialog or a browser download);
// - a method that reads a path reads only what the user handed over in this run: files uploaded through
//   the page (the host's staging folders) or a file/folder picked in the native dialog (Electron), and
//   once accounts exist only with a live session.
// The CLI and the tests call the core directly (transport 'local': the person runs the command).

/** Inputs that name a file or folder to read, per method. */
const READ_PATHS: Record<string, string> = {
  'snapshot.import': 'path',
  'minutes.verify': 'path',
  'pk.ncaFile': 'path',
  'efficacy.kmFile': 'path',
};

/** Inputs that name a file to write, per method. */
const WRITE_PATHS: Record<string, string> = {
  'minutes.export': 'outPath',
};

const real = (p: string): string => {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
};

/** True when `p` is `root` or inside it (both resolved through symlinks). */
export function isWithin(p: string, root: string): boolean {
  const a = real(p);
  const b = real(root);
  return a === b || a.startsWith(b.endsWith(path.sep) ? b : b + path.sep);
}

/** Throws when a UI call names a path it may not use. */
export function checkUiPaths(ctx: CoreContext, method: string, input: unknown): void {
  const o = (input ?? {}) as Record<string, unknown>;
  const w = WRITE_PATHS[method];
  if (w && o[w] !== undefined) {
    throw new CallError('invalid-input', `${method}: the app does not write to a path it is given (${w}); the file comes back to the app, which saves it where you choose`);
  }
  const r = READ_PATHS[method];
  if (!r || typeof o[r] !== 'string') return;
  const p = o[r] as string;
  if (userCount(ctx.db) > 0) {
    if (typeof o.session !== 'string') throw new CallError('unauthenticated', `not logged in: ${method} reads a file and needs a signed-in account`, { auth: 'no-session' });
    peekSession(ctx, o.session);
  }
  if (![...ctx.readRoots].some((root) => isWithin(p, root))) {
    throw new CallError('invalid-input', `${method}: the app reads only files you uploaded or picked in this session (${r} is neither)`);
  }
}
