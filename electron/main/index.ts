import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, session, shell } from 'electron';
import { contract } from '../../shared/contract';
import { CallError, type CoreClient } from '../core/context';
import { startCorePool, type CorePool } from '../core/worker/pool';
import { defaultDbPath, PRODUCT_NAME } from '../core/paths';
import { isOwnFrameUrl } from './frames';

// The Electron shell: window, hardening, and one ipcMain handler per contract method, each passed to
// the core's threads (core/worker/pool.ts; the core validates the input). Nothing else lives here.

const here = path.dirname(fileURLToPath(import.meta.url));
let core: CorePool | undefined;

/** The app's own page, exactly (issue 11: a substring test let any file:// page under a folder named out/renderer call the core). */
const RENDERER_INDEX = path.join(here, '../renderer/index.html');
const OWN_URL = pathToFileURL(RENDERER_INDEX).toString();

const isOwnFrame = (url: string | undefined): boolean => isOwnFrameUrl(url, OWN_URL);

const refused = { ok: false, error: { error: 'call from an unknown frame', kind: 'invalid-input' } };

function registerIpc(c: CoreClient): void {
  for (const method of Object.keys(contract)) {
    ipcMain.handle(`api:${method}`, async (event, input: unknown) => {
      if (!isOwnFrame(event.senderFrame?.url)) return refused;
      try {
        // 'ui': a page names no path to write and reads only what the user picked (core/access/paths.ts).
        // JSON text (CoreClient.callJson): one string through IPC, parsed in the page (renderer/src/api.ts).
        return { ok: true, json: await c.callJson(method, input, 'ui') };
      } catch (e) {
        return { ok: false, error: e instanceof CallError ? e.toJSON() : { error: (e as Error).message, kind: 'internal' } };
      }
    });
  }
  ipcMain.handle('dialog:pickSnapshot', async (event, kind: unknown) => {
    if (!isOwnFrame(event.senderFrame?.url)) return null;
    const owner = BrowserWindow.fromWebContents(event.sender);
    const options: Electron.OpenDialogOptions = {
      title: 'Import a snapshot',
      properties: kind === 'folder' ? ['openDirectory'] : ['openFile'],
      filters: kind === 'folder' ? [] : [{ name: 'Snapshot (.zip) or SDTM file', extensions: ['zip', 'csv', 'json', 'ndjson', 'xpt'] }],
    };
    const r = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
    const picked = r.canceled ? null : r.filePaths[0] ?? null;
    // The person chose it in the native dialog: the page may now have the core read it.
    if (picked) c.allowRead(picked);
    return picked;
  });
  c.onEvent((e) => BrowserWindow.getAllWindows().forEach((w) => w.webContents.send('core:event', e)));
}

async function createWindow(): Promise<void> {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 680,
    title: 'DoseDesk',
    show: false,
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  // No navigation away from the app, no new windows; external links go to the system browser.
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  // Downloads (the minutes PDF and its JSON) are saved where the person chooses in the save dialog.
  win.webContents.session.on('will-download', (_e, item) => {
    const where = dialog.showSaveDialogSync(win, { defaultPath: item.getFilename() });
    if (where) item.setSavePath(where);
    else item.cancel();
  });
  win.once('ready-to-show', () => win.show());
  await win.loadFile(RENDERER_INDEX);
}

// The data folder is named after the product (~/.config/DoseDesk, %APPDATA%\DoseDesk …), the same
// folder the CLI uses (paths.ts), whatever the package's npm name.
app.setName(PRODUCT_NAME);

app.whenReady().then(async () => {
  // Strict CSP on every response, and no permission (camera, geolocation, …) is ever granted.
  session.defaultSession.webRequest.onHeadersReceived((details, cb) =>
    cb({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [
          "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'",
        ],
      },
    }),
  );
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] }, (_d, cb) => cb({ cancel: true }));
  const dbPath = defaultDbPath();
  // The core in worker threads, off this process's thread (worker/pool.ts); the demo, seeded into an
  // empty database, is prepared like any import (snapshots/prepare.ts).
  core = await startCorePool({ dbPath, seedDemo: true, prepare: true });
  registerIpc(core);
  await createWindow();
});

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault());
});

app.on('window-all-closed', () => {
  void (core?.close() ?? Promise.resolve()).finally(() => app.quit());
});
