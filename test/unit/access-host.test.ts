import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { chromiumLaunch, findChromium } from '../../electron/core/host/run';
import { startHost, type Host } from '../../electron/core/host/server';
import { useScryptParamsForTests } from '../../electron/core/users/crypto';
import { miniSnapshot, tmpDir } from '../helpers/snapshot';
import { addUser, bootstrapAdmin } from './meetings-helpers';
import { holdSignedMeeting } from './minutes-helpers';

// Issue 11, the browser host: what a page may make the core do with paths, and where the host token
// travels. The host on 127.0.0.1 with the real core and a real SQLite file; requests over HTTP as the
// page sends them (token header, JSON body).

let dir: string;
let core: Core;
let host: Host;

beforeEach(async () => {
  useScryptParamsForTests({ N: 2 ** 10, r: 8, p: 1 });
  dir = tmpDir('dosedesk-access-host-');
  const rendererDir = path.join(dir, 'renderer');
  fs.mkdirSync(rendererDir);
  core = createCore({ dbPath: path.join(dir, 'db.sqlite'), user: 'os-user' });
  host = await startHost({ core, rendererDir });
});
afterEach(async () => {
  await host.close();
  core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the host's JSON replies, read field by field by the assertions
async function api(method: string, input: unknown): Promise<{ status: number; body: { ok: boolean; result?: any; error?: { error: string; kind: string } } }> {
  const res = await fetch(`http://127.0.0.1:${host.port}/api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'x-dosedesk-token': host.token }, body: JSON.stringify(input) });
  return { status: res.status, body: (await res.json()) as never };
}

/** Uploads a folder's files as the page does (POST /api/stage, PUT each file); returns the staging path. */
async function stage(folder: string): Promise<string> {
  const s = (await (await fetch(`http://127.0.0.1:${host.port}/api/stage`, { method: 'POST', headers: { 'x-dosedesk-token': host.token } })).json()) as { result: { stageId: string; path: string } };
  for (const name of fs.readdirSync(folder)) {
    const put = await fetch(`http://127.0.0.1:${host.port}/api/stage/${s.result.stageId}/${encodeURIComponent(name)}`, { method: 'PUT', headers: { 'x-dosedesk-token': host.token }, body: fs.readFileSync(path.join(folder, name)) });
    expect(put.status).toBe(200);
  }
  return s.result.path;
}

describe('paths from a page', () => {
  it('refuses the import of a server path: without a session, and with one unless the files were uploaded', async () => {
    const admin = await bootstrapAdmin(core);
    const src = miniSnapshot(path.join(dir, 'server-side-folder'));
    const noSession = await api('snapshot.import', { path: src });
    // no session: kind 'unauthenticated', HTTP 401 (was 'conflict' / 409 before the error kinds of issue 13)
    expect(noSession.status).toBe(401);
    expect(noSession.body.error!.kind).toBe('unauthenticated');
    expect(noSession.body.error!.error).toMatch(/^not logged in/);
    const notUploaded = await api('snapshot.import', { path: src, session: admin });
    expect(notUploaded.status).toBe(400);
    expect(notUploaded.body.error!.error).toMatch(/reads only files you uploaded or picked/);
    // nothing about the folder's content comes back (issue 11: it listed the file names)
    expect(JSON.stringify(noSession.body) + JSON.stringify(notUploaded.body)).not.toMatch(/dm\.csv|ex\.csv/);
    expect(await core.call('snapshots.list', {})).toEqual([]);
    // /etc is not an upload either, nor a path that climbs out of a staging folder
    const staged = await stage(src);
    for (const p of ['/etc', path.join(staged, '..', '..')]) expect((await api('snapshot.import', { path: p, session: admin })).status).toBe(400);
    // uploads are private to this user, like the database
    expect(fs.statSync(staged).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(staged, 'dm.csv')).mode & 0o777).toBe(0o600);
    // what the page uploaded is imported, under the signed-in account
    const ok = await api('snapshot.import', { path: staged, session: admin });
    expect(ok.status).toBe(200);
    expect(ok.body.result.status).toBe('imported');
    expect((await core.call('audit.list', { action: 'import' })).map((e) => e.user)).toEqual(['admin']);
  });

  it('never reads a file named by path for minutes.verify, pk.ncaFile or efficacy.kmFile', async () => {
    const admin = await bootstrapAdmin(core);
    const secret = path.join(dir, 'secret.pdf');
    fs.writeFileSync(secret, '%PDF-1.7 not for the page');
    for (const [m, input] of [
      ['minutes.verify', { path: secret }],
      ['minutes.verify', { path: secret, session: admin }],
      ['pk.ncaFile', { path: secret, subject: 'a', time: 'b', conc: 'c', dose: 1, route: 'iv-bolus', session: admin }],
      ['efficacy.kmFile', { path: secret, time: 'a', event: 'b', session: admin }],
    ] as const) {
      const r = await api(m, input);
      expect(r.body.ok, `${m} ${JSON.stringify(input)}`).toBe(false);
      expect(r.body.error!.error).toMatch(/not logged in|reads only files you uploaded/);
      expect(JSON.stringify(r.body)).not.toMatch(/sha256|[0-9a-f]{64}/);
    }
  });

  it('minutes.export writes no file the page names; the PDF comes back as a download', async () => {
    const held = await holdSignedMeeting(core);
    const out = path.join(dir, 'elsewhere', 'minutes.pdf');
    const refused = await api('minutes.export', { session: held.sue, meetingId: held.meetingId, password: held.users.sue.password, outPath: out });
    expect(refused.status).toBe(400);
    expect(refused.body.error!.error).toMatch(/does not write to a path/);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.existsSync(path.dirname(out))).toBe(false);
    const r = await api('minutes.export', { session: held.sue, meetingId: held.meetingId, password: held.users.sue.password });
    expect(r.status).toBe(200);
    expect(r.body.result.pdfPath).toBeNull();
    const pdf = Buffer.from(r.body.result.pdfBase64 as string, 'base64');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBe(r.body.result.bytes);
    expect(JSON.parse(r.body.result.recordJson as string)).toMatchObject({ record: { meetingId: held.meetingId } });
  }, 120_000);
});

describe('concurrency through the host', () => {
  it('a login during an import succeeds; a second import is refused while the first runs', async () => {
    const admin = await bootstrapAdmin(core);
    const bob = await addUser(core, admin, 'bob', 'voting-member', 'Bob');
    const staged = await stage(miniSnapshot(path.join(dir, 'snap')));
    const other = await stage(miniSnapshot(path.join(dir, 'snap2'), { 'ts.csv': 'STUDYID,DOMAIN,TSSEQ,TSPARMCD,TSVAL\r\nS1,TS,1,TITLE,other\r\n' }));
    const reading = new Promise<void>((resolve) => {
      const off = core.onEvent((e) => {
        if (e.phase === 'reading') {
          off();
          resolve();
        }
      });
    });
    const imp = api('snapshot.import', { path: staged, session: admin });
    await reading;
    const [login, second] = await Promise.all([api('auth.login', { username: 'bob', password: bob.password }), api('snapshot.import', { path: other, session: admin })]);
    expect(login.status).toBe(200);
    expect(login.body.result.session).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second.status).toBe(409);
    expect(second.body.error!.error).toMatch(/an import is running/);
    expect((await imp).body.result.status).toBe('imported');
  });
});

describe('the host token', () => {
  it('is not on the Chromium command line: a 0600 launch page hands it over in the fragment', () => {
    const launch = chromiumLaunch(host.url);
    try {
      expect(host.url).toContain(host.token);
      expect(launch.args.join(' ')).not.toContain(host.token);
      expect(fs.statSync(launch.launchFile).mode & 0o777).toBe(0o600);
      expect(fs.statSync(launch.dataDir).mode & 0o777).toBe(0o700);
      const page = fs.readFileSync(launch.launchFile, 'utf8');
      expect(page).toContain(`http://127.0.0.1:${host.port}/#token=${host.token}`);
      expect(page).not.toContain('?token=');
    } finally {
      fs.rmSync(launch.dataDir, { recursive: true, force: true });
    }
  });

  const chromium = findChromium();
  it.skipIf(!chromium)('reaches the page in a real Chromium, whose processes never show it', async () => {
    // A stand-in page: reads the token from the fragment and makes one call with it (a failed login of
    // "probe", which lands in the audit trail), as the real renderer does (renderer/src/api.ts).
    const rendererDir = path.join(dir, 'probe-renderer');
    fs.mkdirSync(rendererDir);
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>probe</title><script src="/probe.js"></script>');
    fs.writeFileSync(
      path.join(rendererDir, 'probe.js'),
      "const t = new URLSearchParams(location.hash.slice(1)).get('token'); fetch('/api/auth.login', { method: 'POST', headers: { 'Content-Type': 'application/json', 'x-dosedesk-token': t }, body: JSON.stringify({ username: 'probe', password: 'x' }) });",
    );
    const probeHost = await startHost({ core, rendererDir });
    const launch = chromiumLaunch(probeHost.url);
    const child = spawn(chromium!, [...launch.args, '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'], { stdio: 'ignore', detached: true });
    try {
      const deadline = Date.now() + 45_000;
      let seen = false;
      let cmdlines: string[] = [];
      while (Date.now() < deadline && !seen) {
        await new Promise((r) => setTimeout(r, 250));
        cmdlines = fs
          .readdirSync('/proc')
          .filter((p) => /^\d+$/.test(p))
          .flatMap((p) => {
            try {
              return [fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ')];
            } catch {
              return [];
            }
          })
          .filter((c) => c.includes(launch.dataDir));
        expect(cmdlines.filter((c) => c.includes(probeHost.token))).toEqual([]);
        seen = (await core.call('audit.list', { user: 'probe' })).length > 0;
      }
      expect(cmdlines.length).toBeGreaterThan(0);
      expect(seen).toBe(true);
    } finally {
      // the browser and the helpers it started (its own process group)
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      await probeHost.close();
      fs.rmSync(launch.dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
