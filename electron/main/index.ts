import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, session, shell } from 'electron';
import { contract } from '../../shared/contract';
import { CallError, createCore, type Core } from '../core/app';
import { seedDemoIfEmpty } from '../core/snapshots/seed';
import { defaultDbPath, PRODUCT_NAME } from '../core/paths';

// The Electron shell: window, hardening, and one ipcMain handler per contract method, each
// dispatching to the core's handler map (which validates the input). Nothing else lives here.

const here = path.dirname(fileURLToPath(import.meta.url));
let core: Core | undefined;

function isOwnFrame(url: string | undefined): boolean {
  return !!url && url.startsWith('file://') && url.includes('/out/renderer/');
}

function registerIpc(c: Core): void {
  for (const method of Object.keys(contract)) {
    ipcMain.handle(`api:${method}`, async (event, input: unknown) => {
      if (!isOwnFrame(event.senderFrame?.url)) return { ok: false, error: { error: 'call from an unknown frame', kind: 'invalid-input' } };
      try {
        return { ok: true, result: await c.callRaw(method, input) };
      } catch (e) {
        return { ok: false, error: e instanceof CallError ? e.toJSON() : { error: (e as Error).message, kind: 'internal' } };
      }
    });
  }
  ipcMain.handle('dialog:pickSnapshot', async (_e, kind: unknown) => {
    const r = await dialog.showOpenDialog({
      title: 'Import a snapshot',
      properties: kind === 'folder' ? ['openDirectory'] : ['openFile'],
      filters: kind === 'folder' ? [] : [{ name: 'Snapshot (.zip) or SDTM file', extensions: ['zip', 'csv', 'json', 'ndjson', 'xpt'] }],
    });
    return r.canceled ? null : r.filePaths[0] ?? null;
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
  win.once('ready-to-show', () => win.show());
  await win.loadFile(path.join(here, '../renderer/index.html'));
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
  session.defaultSession.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] }, (_d, cb) => cb({ cancel: true }));
  const dbPath = defaultDbPath();
  core = createCore({ dbPath });
  await seedDemoIfEmpty(core);
  registerIpc(core);
  await createWindow();
});

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault());
});

app.on('window-all-closed', () => {
  core?.close();
  app.quit();
});
