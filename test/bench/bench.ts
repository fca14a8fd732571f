// `npm run bench`: speed as ratios and throughputs measured in one run on this machine (never as
// timed assertions in tests). Prints `name=value` lines; the headline figures come last.
// `npm run bench -- --only cli` runs one section (cli, import, threads, pk, efficacy, views); `--sizes demo,500,2000,10k`
// chooses the study sizes of the views section (views.bench.ts). The last lines are each goal with its
// figure and whether it is met.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../electron/core/app';
import { generateStudy, writeSnapshot } from '../../electron/core/demo/generate';

const results: [string, string | number][] = [];
const report = (name: string, value: string | number) => {
  results.push([name, value]);
  console.log(`${name}=${value}`);
};
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt > 0 ? process.argv[onlyAt + 1] : undefined;
const SECTIONS = ['cli', 'import', 'threads', 'pk', 'efficacy', 'views'];
if (onlyAt > 0 && !SECTIONS.includes(only ?? '')) {
  console.error(`bench: --only expects one of ${SECTIONS.join(', ')}, found ${JSON.stringify(only ?? '')}`);
  process.exit(2);
}
const wants = (section: string) => only === undefined || only === section;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dosedesk-bench-'));

/** A CSV snapshot of `subjects` subjects: the shared pre-generated one when present (read-only), else generated here. */
async function csvSnapshot(subjects: number): Promise<{ dir: string; files: string[]; rows: number }> {
  const shared = path.join('/work/bench-data', `csv-${subjects}`);
  let dir = shared;
  if (!fs.existsSync(path.join(shared, 'dm.csv'))) {
    dir = path.join(tmp, `csv-${subjects}`);
    await writeSnapshot(dir, generateStudy({ subjects }), { format: 'csv' });
  }
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.csv'));
  // Data rows per file (header excluded, no quoted line breaks in generated data), as both tools see them.
  let rows = 0;
  for (const f of files) {
    const text = fs.readFileSync(path.join(dir, f), 'latin1');
    let n = 0;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
    rows += n - 1 + (text.endsWith('\n') ? 0 : 1);
  }
  return { dir, files, rows };
}

/** Size of a database with its WAL (what the import wrote). */
function dbBytes(file: string): number {
  return [file, `${file}-wal`].reduce((n, f) => n + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0);
}

/**
 * Import of a CSV snapshot through `snapshot.import` (validation, lineage, checks, one transaction)
 * on a fresh database: best wall time and its process CPU time of `runs` runs. Beside it, at 2,000
 * subjects, the sqlite3 shell's `.import --csv` of the same files (no validation, no lineage, every
 * column TEXT): the ratio is rows/s of DoseDesk over rows/s of sqlite3 (1.0 = as fast), by wall time
 * and by CPU time (the machine's other load inflates wall time, much less CPU time).
 */
async function importAt(subjects: number, runs: number, compare: boolean): Promise<{ ms: number; rows: number }> {
  const { dir, files, rows } = await csvSnapshot(subjects);
  report(`import_rows_${subjects}`, rows);
  let best = Infinity;
  let bestCpu = Infinity;
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const db = path.join(tmp, `dd-${subjects}-${i}.sqlite`);
    const core = createCore({ dbPath: db });
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await core.call('snapshot.import', { path: dir });
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    core.close();
    if (r.status !== 'imported') throw new Error(`bench import failed: ${JSON.stringify(r.errors.slice(0, 3))}`);
    best = Math.min(best, ms);
    bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1000);
    bytes = dbBytes(db);
    fs.rmSync(db, { force: true });
    fs.rmSync(`${db}-wal`, { force: true });
    fs.rmSync(`${db}-shm`, { force: true });
  }
  report(`import_ms_${subjects}`, Math.round(best));
  report(`import_cpu_ms_${subjects}`, Math.round(bestCpu));
  report(`import_rows_per_s_${subjects}`, Math.round(rows / (best / 1000)));
  report(`import_db_mb_${subjects}`, (bytes / 1e6).toFixed(1));
  if (!compare) return { ms: best, rows };

  const sqlite = spawnSync('sqlite3', ['-version']);
  if (sqlite.status !== 0) {
    console.log('sqlite3 shell not found: apt-get install sqlite3 to compare');
    return { ms: best, rows };
  }
  let bestSqlite = Infinity;
  let bestSqliteCpu = Infinity;
  let sqliteBytes = 0;
  for (let i = 0; i < runs; i++) {
    const sdb = path.join(tmp, `sq-${subjects}-${i}.sqlite`);
    const script = files.map((f) => `.import --csv ${JSON.stringify(path.join(dir, f))} ${f.replace(/\.csv$/, '')}`).join('\n') + '\n';
    const cpu0 = childCpuMs();
    const s0 = performance.now();
    const out = spawnSync('sqlite3', [sdb], { input: script });
    const sms = performance.now() - s0;
    const cpu1 = childCpuMs();
    if (out.status !== 0) throw new Error(`sqlite3 .import failed: ${out.stderr}`);
    bestSqlite = Math.min(bestSqlite, sms);
    if (cpu0 !== null && cpu1 !== null) bestSqliteCpu = Math.min(bestSqliteCpu, cpu1 - cpu0);
    sqliteBytes = dbBytes(sdb);
    fs.rmSync(sdb, { force: true });
  }
  report(`sqlite3_import_ms_${subjects}`, Math.round(bestSqlite));
  report(`sqlite3_db_mb_${subjects}`, (sqliteBytes / 1e6).toFixed(1));
  report('import_vs_sqlite3_ratio', (bestSqlite / best).toFixed(3));
  if (Number.isFinite(bestSqliteCpu) && bestSqliteCpu > 0) {
    report(`sqlite3_import_cpu_ms_${subjects}`, Math.round(bestSqliteCpu));
    report('import_vs_sqlite3_cpu_ratio', (bestSqliteCpu / bestCpu).toFixed(3));
  }
  return { ms: best, rows };
}

/**
 * Import at 500, 2,000 and 10,000 subjects (issue 14 items 7 and 8). Growth: the time per row at
 * 10,000 over the time per row at 2,000 (1.00 = linear; above it, the import grows faster than the
 * data). 10,000 subjects run once (some 2.5 M rows: minutes on a loaded machine).
 */
async function importBench(): Promise<void> {
  await importAt(500, 3, false);
  const at2k = await importAt(2000, 3, true);
  const at10k = await importAt(10000, 1, false);
  report('import_growth_10k_over_2k', (at10k.ms / at10k.rows / (at2k.ms / at2k.rows)).toFixed(2));
}

/** CPU time of this process's finished children (Linux: /proc/self/stat cutime + cstime, 10 ms ticks); null elsewhere. */
function childCpuMs(): number | null {
  try {
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
    // After "pid (comm) ", field 3 (state) is index 0: cutime and cstime are fields 16 and 17.
    return (Number(fields[16 - 3]) + Number(fields[17 - 3])) * 10;
  } catch {
    return null;
  }
}

/** CLI start-up: best of 5 of `dosedesk ci 3 10` (a pure calculation) from the built bundle (goal < 300 ms). */
function cliStartBench(): void {
  const root = path.resolve(import.meta.dirname, '../..');
  if (spawnSync(process.execPath, [path.join(root, 'scripts/build-cli.mjs')], { stdio: 'ignore' }).status !== 0) return console.log('cli bundle did not build');
  let best = Infinity;
  const cpu0 = childCpuMs();
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [path.join(root, 'bin/dosedesk.mjs'), 'ci', '3', '10'], { env: { ...process.env, DOSEDESK_DB: path.join(tmp, 'cli.sqlite') } });
    if (r.status !== 0) return console.log(`dosedesk ci failed: ${r.stderr}`);
    // A pure calculation: the run must not have created the database.
    if (fs.existsSync(path.join(tmp, 'cli.sqlite'))) return console.log('dosedesk ci created a database: it should open none');
    best = Math.min(best, performance.now() - t0);
  }
  report('cli_start_ms', Math.round(best));
  // CPU time (user + system) per run, which the machine's other load does not inflate as it does wall time.
  const cpu1 = childCpuMs();
  if (cpu0 !== null && cpu1 !== null) report('cli_start_cpu_ms', Math.round((cpu1 - cpu0) / 5));
  // Node's own start on this machine at this moment (best of 5 of `node -e 0`): what no CLI can go below.
  let bare = Infinity;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    bare = Math.min(bare, performance.now() - t0);
  }
  report('node_start_ms', Math.round(bare));
}

/** Optional sections, added by later features: each module exports `bench(report)`. */
async function optional(modulePath: string): Promise<void> {
  const full = path.resolve(import.meta.dirname, modulePath);
  if (!fs.existsSync(full)) return;
  const mod = (await import(full)) as { bench?: (report: (n: string, v: string | number) => void, tmp: string) => Promise<void> | void };
  await mod.bench?.(report, tmp);
}

try {
  if (wants('cli')) cliStartBench();
  if (wants('import')) await importBench();
  if (wants('threads')) await optional('./threads.bench.ts');
  if (wants('pk')) await optional('../../electron/core/pk/bench.ts');
  if (wants('efficacy')) await optional('../../electron/core/efficacy/bench.ts');
  if (wants('views')) await optional('./views.bench.ts');
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
console.log('\n# summary');
for (const [k, v] of results) if (/ratio|per_s|_ms_|_ms$|_bytes|growth_/.test(k)) console.log(`${k}=${v}`);

/** The goals of issue 14 (and the CLI's start-up): figure, comparison, target, in words. */
const GOALS: { name: string | RegExp; op: '<' | '<=' | '>='; target: number; what: string }[] = [
  { name: 'view_ms_max_10k', op: '<', target: 300, what: 'every view drawn (click to first plot or grid with pixels) at 10,000 subjects' },
  { name: 'ae_filter_ms_200k', op: '<', target: 150, what: 'AE grid search on ~200,000 AEs' },
  { name: 'cold_start_ms_demo', op: '<', target: 1500, what: 'cold start to the Cohorts view drawn, demo' },
  { name: 'import_vs_sqlite3_ratio', op: '>=', target: 1.0, what: "import rate over the sqlite3 shell's .import (validation and lineage included)" },
  { name: 'growth_import_10k_vs_2k', op: '<=', target: 5.5, what: 'import time 10,000 / 2,000 subjects (5× the data: linear ≈ 5)' },
  { name: 'growth_view_max_10k_vs_2k', op: '<=', target: 5.5, what: 'slowest view 10,000 / 2,000 subjects (linear ≈ 5)' },
  { name: /^view_bytes_.+_10k$/, op: '<=', target: 2_000_000, what: 'bytes of core responses per view at 10,000 subjects (~2 MB)' },
  { name: 'cli_start_ms', op: '<', target: 300, what: 'CLI start-up (dosedesk ci)' },
];

/** "met" / "NOT met" of one figure against its goal. */
function goalVerdict(value: string | number, op: '<' | '<=' | '>=', target: number): 'met' | 'NOT met' | 'not measured' {
  const v = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(v)) return 'not measured';
  const ok = op === '<' ? v < target : op === '<=' ? v <= target : v >= target;
  return ok ? 'met' : 'NOT met';
}

console.log('\n# goals');
let met = 0;
let checked = 0;
for (const g of GOALS) {
  const figures = results.filter(([k]) => (typeof g.name === 'string' ? k === g.name : g.name.test(k)));
  const label = typeof g.name === 'string' ? g.name : g.name.source;
  if (!figures.length) {
    console.log(`goal ${label} ${g.op} ${g.target}: not measured in this run — ${g.what}`);
    continue;
  }
  for (const [k, v] of figures) {
    const verdict = goalVerdict(v, g.op, g.target);
    if (verdict !== 'not measured') checked++;
    if (verdict === 'met') met++;
    console.log(`goal ${k} ${g.op} ${g.target}: ${k}=${v} — ${verdict} — ${g.what}`);
  }
}
console.log(`goals met: ${met} of ${checked} measured`);
