import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { defaultDbPath, resourcesDir, userDataDir, type Platform } from '../../electron/core/paths';

// The database and resource locations as plain functions (electron/core/paths.ts): the app, the CLI
// and the browser host resolve the same database, and the demo is found both in a checkout (source
// and bundle) and in an installed app (electron-builder's extraResources under process.resourcesPath).

const ROOT = path.resolve(__dirname, '../..');
const linux: Platform = { platform: 'linux', env: {}, home: '/home/ana' };

describe('data folder', () => {
  it('follows Electron userData for the product name DoseDesk on each platform', () => {
    expect(userDataDir(linux)).toBe('/home/ana/.config/DoseDesk');
    expect(userDataDir({ ...linux, env: { XDG_CONFIG_HOME: '/x/cfg' } })).toBe('/x/cfg/DoseDesk');
    expect(userDataDir({ platform: 'darwin', env: {}, home: '/Users/ana' })).toBe('/Users/ana/Library/Application Support/DoseDesk');
    expect(userDataDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, home: 'C:\\Users\\ana' })).toBe('C:\\Users\\ana\\AppData\\Roaming\\DoseDesk');
  });

  it('puts the database there unless DOSEDESK_DB says otherwise', () => {
    expect(defaultDbPath(linux)).toBe('/home/ana/.config/DoseDesk/dosedesk.sqlite');
    expect(defaultDbPath({ ...linux, env: { DOSEDESK_DB: '/tmp/x.sqlite' } })).toBe('/tmp/x.sqlite');
  });

  it('the CLI names the same default database as the app (dosedesk --help)', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'dosedesk-home-'));
    const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: '', DOSEDESK_DB: '' };
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/dosedesk.mjs'), '--help'], { env, encoding: 'utf8' });
    expect(r.stdout).toContain(path.join(home, '.config', 'DoseDesk', 'dosedesk.sqlite'));
  });

  it('the Electron shell sets the product name, so userData is the same folder', () => {
    const main = fs.readFileSync(path.join(ROOT, 'electron/main/index.ts'), 'utf8');
    expect(main).toMatch(/app\.setName\(PRODUCT_NAME\)/);
    expect(main).toMatch(/defaultDbPath\(\)/);
    expect(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).productName).toBe('DoseDesk');
  });
});

describe('resources folder', () => {
  const env = {};
  it('is found from the source tree and from the electron-vite bundle of a checkout', () => {
    expect(resourcesDir({ packaged: false, moduleDir: path.join(ROOT, 'electron/core/snapshots'), env })).toBe(path.join(ROOT, 'resources'));
    expect(resourcesDir({ packaged: false, moduleDir: path.join(ROOT, 'out/main'), env })).toBe(path.join(ROOT, 'resources'));
  });

  it('is process.resourcesPath in an installed app, where the bundle sits inside app.asar', () => {
    const installed = '/opt/DoseDesk/resources';
    const exists = (p: string): boolean => p === path.join(installed, 'demo');
    expect(resourcesDir({ packaged: true, resourcesPath: installed, moduleDir: `${installed}/app.asar/out/main`, env }, exists)).toBe(installed);
  });

  it('is DOSEDESK_RESOURCES when set, and null (not a silent skip) when nothing holds demo/', () => {
    expect(resourcesDir({ packaged: false, moduleDir: '/nowhere', env: { DOSEDESK_RESOURCES: '/r' } })).toBe('/r');
    expect(resourcesDir({ packaged: false, moduleDir: '/nowhere/at/all', env }, () => false)).toBeNull();
  });

  it('electron-builder ships the demo and fonts as extra resources and unpacks better-sqlite3', () => {
    const cfg = fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8');
    expect(cfg).toMatch(/from: resources\/demo\s+to: demo/);
    expect(cfg).toMatch(/from: resources\/fonts\s+to: fonts/);
    expect(cfg).toMatch(/better-sqlite3/);
    for (const t of ['AppImage', 'deb', 'nsis', 'dmg']) expect(cfg).toContain(t);
  });
});
