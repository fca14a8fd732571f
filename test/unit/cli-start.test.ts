// The CLI's start-up (issue 13, "a fast CLI"): the bundle runs without tsx; a pure calculation opens
// no database and loads neither the native SQLite module nor the PDF and signing stack; every command
// reads its options strictly. Runs a bundle built for this test (scripts/build-cli.mjs --outdir), so
// that it never races other tests that run out/cli.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tmpDir } from '../helpers/snapshot';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = path.join(ROOT, 'out', `cli-test-${process.pid}`);
const TRACE = path.join(ROOT, 'test/helpers/trace-modules.mjs');
const dir = tmpDir('dosedesk-cli-start-');

// The packages that must not load for a command that needs neither a database nor a PDF.
const HEAVY = ['better-sqlite3', 'pdf-lib', '@cantoo/pdf-lib', '@pdf-lib/fontkit', 'node-forge', '@signpdf/signpdf', '@signpdf/signer-p12', '@signpdf/placeholder-pdf-lib', 'tsx'];

beforeAll(() => {
  const b = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build-cli.mjs'), '--outdir', OUT], { cwd: ROOT, encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`build-cli failed: ${b.stderr}`);
}, 120_000);
afterAll(() => {
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs the bundle's main as bin/dosedesk.mjs does, with `env` added (and HOME etc. as given). */
function run(args: string[], env: Record<string, string | undefined> = {}, node: string[] = []) {
  const runner = `const { main } = await import(${JSON.stringify(new URL(`file://${OUT}/cli.mjs`).href)}); process.exitCode = await main(process.argv.slice(1));`;
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) childEnv[k] = v;
  return spawnSync(process.execPath, [...node, '--input-type=module', '-e', runner, '--', ...args], { cwd: ROOT, env: childEnv, encoding: 'utf8', timeout: 60_000 });
}

/** The package names a traced run loaded (ESM imports and CommonJS requires). */
function loadedPackages(args: string[], env: Record<string, string> = {}): Set<string> {
  const trace = path.join(dir, `trace-${Math.random().toString(36).slice(2)}.txt`);
  const r = run(args, { ...env, DOSEDESK_TRACE_MODULES: trace }, ['--import', TRACE]);
  expect(fs.existsSync(trace), `no trace written: ${r.stderr}`).toBe(true);
  const names = new Set<string>();
  for (const line of fs.readFileSync(trace, 'utf8').split('\n')) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(line);
    if (m) names.add(m[1]!);
  }
  return names;
}

describe('dosedesk ci without a database', () => {
  it('computes with HOME and the configuration folder absent, and creates no database anywhere', () => {
    const home = path.join(dir, 'no-such-home');
    const r = run(['ci', '3', '10'], { HOME: home, XDG_CONFIG_HOME: undefined, DOSEDESK_DB: undefined });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // R: binom.test(3, 10)$conf.int = 0.06673951 0.65245285 (Clopper & Pearson 1934, exact).
    const out = JSON.parse(r.stdout) as { estimate: number; lower: number; upper: number };
    expect(out.estimate).toBe(0.3);
    expect(out.lower).toBeCloseTo(0.06673951, 7);
    expect(out.upper).toBeCloseTo(0.65245285, 7);
    expect(fs.existsSync(home)).toBe(false);
  });

  it('ci, recommend --design, km --input and nca --input with --db in a missing folder leave the folder absent', () => {
    const db = path.join(dir, 'absent', 'dosedesk.sqlite');
    const km = path.join(dir, 'km.csv');
    fs.writeFileSync(km, 'time,status\n5,1\n8,0\n12,1\n');
    expect(run(['ci', '0', '6', '--db', db]).status).toBe(0);
    const rec = run(['recommend', '--design', '3+3', '--levels', '3', '--history', '1NNN', '--db', db]);
    expect(rec.status).toBe(0);
    // Korn et al. (1994) 3+3: 0 DLT of 3 at level 1 -> escalate to level 2.
    expect(JSON.parse(rec.stdout)).toMatchObject({ nextLevel: 2 });
    const k = run(['km', '--input', km, '--time', 'time', '--event', 'status', '--db', db]);
    expect(k.stderr).toBe('');
    expect(k.status).toBe(0);
    // One extravascular profile; AUC0-t by the linear trapezoidal rule (Gabrielsson & Weiner 2016):
    // (0+10)/2*1 + (10+8)/2*1 + (8+4)/2*2 + (4+1)/2*4 = 5 + 9 + 12 + 10 = 36.
    const pc = path.join(dir, 'pc.csv');
    fs.writeFileSync(pc, 'id,t,c\nA,0,0\nA,1,10\nA,2,8\nA,4,4\nA,8,1\n');
    const n = run(['nca', '--input', pc, '--subject', 'id', '--time', 't', '--conc', 'c', '--dose', '100', '--route', 'extravascular', '--db', db]);
    expect(n.stderr).toBe('');
    expect(n.status).toBe(0);
    expect((JSON.parse(n.stdout) as { rows: { AUCLST: number }[] }).rows[0]!.AUCLST).toBeCloseTo(36, 10);
    expect(fs.existsSync(path.dirname(db))).toBe(false);
  });

  it('a command that reads the database does create it (the check above can fail)', () => {
    const db = path.join(dir, 'made', 'dosedesk.sqlite');
    expect(run(['snapshots', '--db', db]).status).toBe(0);
    expect(fs.existsSync(db)).toBe(true);
  });
});

describe('what dosedesk ci loads', () => {
  it('neither better-sqlite3 nor the PDF and signing stack nor tsx', () => {
    const loaded = loadedPackages(['ci', '3', '10', '--db', path.join(dir, 'none', 'x.sqlite')]);
    expect(HEAVY.filter((p) => loaded.has(p))).toEqual([]);
  });

  it('the trace sees them when a command needs them: snapshots loads better-sqlite3, minutes verify pdf-lib and node-forge', () => {
    const db = path.join(dir, 'traced.sqlite');
    expect(loadedPackages(['snapshots', '--db', db]).has('better-sqlite3')).toBe(true);
    const notPdf = path.join(dir, 'not.pdf');
    fs.writeFileSync(notPdf, 'not a PDF');
    const loaded = loadedPackages(['minutes', 'verify', notPdf, '--db', db]);
    expect(loaded.has('pdf-lib')).toBe(true);
    expect(loaded.has('node-forge')).toBe(true);
  });

  it("the bundle's static graph (esbuild metafile) imports none of them; they are in chunks loaded on demand or required on use", () => {
    const meta = JSON.parse(fs.readFileSync(path.join(OUT, 'meta.json'), 'utf8')) as { outputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[] }> };
    const rel = (p: string) => path.relative(ROOT, path.resolve(ROOT, p));
    const outputs = new Map(Object.entries(meta.outputs).map(([k, v]) => [rel(k), v]));
    const seen = new Set<string>();
    const external = new Set<string>();
    const walk = (f: string) => {
      if (seen.has(f)) return;
      seen.add(f);
      for (const i of outputs.get(f)!.imports) {
        if (i.kind === 'dynamic-import') continue;
        if (i.external) external.add(i.path);
        else walk(rel(i.path));
      }
    };
    walk(rel(path.join(OUT, 'cli.mjs')));
    expect(seen.size).toBeGreaterThan(1);
    expect([...external].filter((e) => !e.startsWith('node:'))).toEqual([]);
  });
});

describe('arguments (node:util parseArgs, strict)', () => {
  it('an unknown option, a missing value and a value given to a flag are usage errors (exit 2) naming the option', () => {
    const unknown = run(['ci', '3', '10', '--levle', '0.9']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/ci: unknown option --levle; expected one of .*--level/);
    const missing = run(['recommend', '--design', '3+3', '--levels', '3', '--history']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/recommend: --history needs a value/);
    const flag = run(['bor', '--snapshot', '1', '--confirm=yes']);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toMatch(/bor: --confirm takes no value/);
  });

  it('--help per command lists its options; dosedesk --help names the database location and the commands that need none', () => {
    const h = run(['nca', '--help']);
    expect(h.status).toBe(0);
    expect(h.stdout).toMatch(/dosedesk nca --input FILE\.csv/);
    expect(h.stdout).toMatch(/options of nca: .*--dose-col VALUE.*--db VALUE --help/);
    const db = path.join(dir, 'where.sqlite');
    const all = run(['--help'], { DOSEDESK_DB: db });
    expect(all.status).toBe(0);
    expect(all.stdout).toContain(`default ${db}`);
    expect(all.stdout).toMatch(/these need none:\s+ci, recommend --design/);
    expect(fs.existsSync(db)).toBe(false);
  });
});
