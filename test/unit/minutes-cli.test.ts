/**
 * `dosedesk minutes export|verify` end to end (issue 5 "Minutes": "dosedesk minutes export <meeting>
 * --out FILE.pdf and dosedesk minutes verify FILE.pdf ... verify says who signed, when, for what
 * meaning, which snapshot, and whether the file is intact — and if not, what no longer matches").
 * The meeting is held on the demo study in-process (test/unit/minutes-helpers.ts) on a real SQLite
 * file; the CLI then runs as a separate process (node bin/dosedesk.mjs) on that file.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/app';
import { useScryptParamsForTests } from '../../electron/core/users/crypto';
import { tmpDir } from '../helpers/snapshot';
import { holdSignedMeeting, type HeldMeeting } from './minutes-helpers';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin/dosedesk.mjs');

function hasTool(name: string): boolean {
  try {
    execFileSync(name, ['-v'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}
const HAS_PDFSIG = hasTool('pdfsig');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; `password` goes to DOSEDESK_PASSWORD unless `stdin` is given (then no variable is set). */
function cli(args: string[], opts: { password?: string; stdin?: string } = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DOSEDESK_PASSWORD;
  if (opts.password !== undefined) env.DOSEDESK_PASSWORD = opts.password;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args, '--db', dbPath], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    if (opts.stdin !== undefined) child.stdin.write(opts.stdin);
    child.stdin.end();
  });
}

let dir: string;
let dbPath: string;
let held: HeldMeeting;

beforeAll(async () => {
  useScryptParamsForTests({ N: 2 ** 10, r: 8, p: 1 });
  dir = tmpDir('dosedesk-minutes-cli-');
  dbPath = path.join(dir, 'db.sqlite');
  const core = createCore({ dbPath });
  try {
    held = await holdSignedMeeting(core);
  } finally {
    core.close();
  }
}, 120_000);
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  useScryptParamsForTests(null);
});

describe('dosedesk minutes export', () => {
  let out: string;
  let run: Run;
  beforeAll(async () => {
    out = path.join(dir, 'minutes.pdf');
    run = await cli(['minutes', 'export', String(held.meetingId), '--out', out, '--user', 'sue'], { password: held.users.sue.password });
  }, 120_000);

  it('exits 0, writes the PDF and the JSON beside it, and prints what it wrote', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const r = JSON.parse(run.stdout);
    expect(r).toMatchObject({ meetingId: held.meetingId, version: 1, status: 'signed', pdf: out, json: path.join(dir, 'minutes.json'), intact: true, problems: [] });
    expect(r.signedBy).toMatchObject({ username: 'sue', printedName: 'Susan Secretary' });
    expect(fs.existsSync(out)).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'minutes.json'), 'utf8')).recordHash).toBe(held.signed.recordHash);
  });

  it.skipIf(!HAS_PDFSIG)(`pdfsig on the CLI's file: "Signature is Valid." and "Total document signed"${HAS_PDFSIG ? '' : ' - SKIPPED: pdfsig (poppler-utils) is not installed'}`, () => {
    const text = execFileSync('pdfsig', [out], { encoding: 'utf8' });
    expect(text).toContain('Signature is Valid.');
    expect(text).toContain('Total document signed');
  });

  it('logs in, exports and logs out: the audit trail shows it', () => {
    const core = createCore({ dbPath });
    try {
      const rows = core.ctx.db.prepare("SELECT action, entity FROM audit_log WHERE user = 'sue' ORDER BY seq DESC LIMIT 5").all() as { action: string; entity: string }[];
      // the first export creates sue's PDF signing identity (after re-authentication)
      expect(rows.reverse().map((r) => `${r.action} ${r.entity}`)).toEqual(['login user', 'create pdf-signing-identity', 'export meeting', 'export minutes', 'logout user']);
    } finally {
      core.close();
    }
  });

  it('dosedesk minutes verify: exit 0 and, in words, who signed, when, for what meaning, which snapshot, intact', async () => {
    const v = await cli(['minutes', 'verify', out]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^.*minutes\.pdf: INTACT/);
    expect(v.stdout).toContain(`content hash ${held.contentHash} (in this database)`);
    expect(v.stdout).toContain('data cut-off 2025-08-22'); // resources/demo/cut1.truth.json "cutoff"
    const [carol, bob] = held.signed.signatures;
    expect(v.stdout).toContain(`- Dr Carol Chen: approved, signed ${carol!.signedAt} - valid`);
    expect(v.stdout).toContain(`- Dr Robert Berg: reviewed, signed ${bob!.signedAt} - valid`);
    expect(v.stdout).toMatch(/1\. Susan Secretary \(certificate of DoseDesk user Susan Secretary\), signed \d{4}-\d\d-\d\dT/);
    expect(v.stdout).toContain('covers the whole file: yes');
    expect(v.stdout).not.toContain('What no longer matches');
  }, 60_000);

  it('dosedesk minutes verify on a copy with one byte changed: exit 1, NOT INTACT, and what no longer matches', async () => {
    const bytes = fs.readFileSync(out);
    const at = bytes.indexOf('/Location (DoseDesk)');
    expect(at).toBeGreaterThan(0);
    bytes[at + '/Location ('.length] = 'd'.charCodeAt(0);
    const bad = path.join(dir, 'minutes-changed.pdf');
    fs.writeFileSync(bad, bytes);
    const v = await cli(['minutes', 'verify', bad]);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain('minutes-changed.pdf: NOT INTACT');
    expect(v.stdout).toContain('What no longer matches:');
    expect(v.stdout).toContain('signature 1 (Susan Secretary): the signed bytes changed (digest mismatch)');
    if (HAS_PDFSIG) expect(v.stdout).toContain('#1 Digest Mismatch.');
  }, 60_000);

  it('dosedesk minutes verify --format json gives the contract\'s result', async () => {
    const v = await cli(['minutes', 'verify', out, '--format', 'json']);
    expect(v.code).toBe(0);
    const r = JSON.parse(v.stdout);
    expect(r.intact).toBe(true);
    expect(r.record.snapshot.contentHash).toBe(held.contentHash);
  }, 60_000);
});

describe('dosedesk minutes export: password and refusals', () => {
  it('reads the password from stdin when DOSEDESK_PASSWORD is not set (no terminal)', async () => {
    const out = path.join(dir, 'piped.pdf');
    const r = await cli(['minutes', 'export', String(held.meetingId), '--out', out, '--user', 'carol', '--version', '1'], { stdin: `${held.users.carol.password}\n` });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).signedBy.printedName).toBe('Dr Carol Chen');
    const v = await cli(['minutes', 'verify', out]);
    expect(v.code).toBe(0);
    expect(v.stdout).toContain('1. Dr Carol Chen (certificate of DoseDesk user Dr Carol Chen)');
  }, 120_000);

  it('a wrong password: exit 1, nothing written', async () => {
    const out = path.join(dir, 'wrong.pdf');
    const r = await cli(['minutes', 'export', String(held.meetingId), '--out', out, '--user', 'sue'], { password: 'Wrong-password-9' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('wrong user id or password');
    expect(fs.existsSync(out)).toBe(false);
  }, 60_000);

  it('bad usage: exit 2 with the reason', async () => {
    const noUser = await cli(['minutes', 'export', String(held.meetingId), '--out', path.join(dir, 'x.pdf')], { password: 'x' });
    expect(noUser.code).toBe(2);
    expect(noUser.stderr).toContain('--user USERNAME is required');
    const noFile = await cli(['minutes', 'verify']);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain('minutes verify: expected FILE.pdf');
  }, 60_000);

  it('an unknown meeting: exit 1', async () => {
    const r = await cli(['minutes', 'export', '999', '--out', path.join(dir, 'none.pdf'), '--user', 'sue'], { password: held.users.sue.password });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no meeting 999');
  }, 60_000);
});

