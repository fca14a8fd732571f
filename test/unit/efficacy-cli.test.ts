import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/app';
import { tmpDir } from '../helpers/snapshot';
import { referencePaths, referenceText } from '../helpers/reference';

// End to end through the real CLI (node bin/dosedesk.mjs): `km` against R survival 3.5.3 on the lung
// data (../shared/reference/survival/km_expected.json, from lung.csv) and `ci` against R binom.test
// (../shared/reference/binomial/binom_expected.csv), both to 1e-9.

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const REFS = referencePaths(['survival/lung.csv', 'survival/km_expected.json', 'binomial/binom_expected.csv'], 'efficacy-cli.test.ts (dosedesk km and ci vs R)');
const [LUNG = '', KM_JSON = null, BINOM = null] = REFS ?? [];
const expected = REFS ? JSON.parse(referenceText(KM_JSON)) : {};
const dir = tmpDir('dosedesk-eff-cli-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function dosedesk(...args: string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, [path.join(ROOT, 'bin/dosedesk.mjs'), ...args, '--db', path.join(dir, 'cli.sqlite')], { cwd: ROOT });
  return JSON.parse(stdout);
}

const CONF = [['log', 'log'], ['log-log', 'log_log'], ['plain', 'plain']] as const;
const close = (a: number | null, b: number) => expect(Math.abs((a as number) - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));

interface CliGroup {
  group: string; n: number; events: number; censored: number;
  median: { estimate: number | null; lower: number | null; upper: number | null };
  at: Array<{ time: number; surv: number; stdErr: number | null; lower: number | null; upper: number | null; nRisk: number }>;
}
interface CliKm { n: number; groups: CliGroup[]; logRank: { chisq: number; df: number; pValue: number; groups: Array<{ label: string; observed: number; expected: number }> } | null }

/** A group of the R survival reference (../shared/reference/survival), as its JSON gives it. */
interface RefCi {
  median: number | null;
  median_lcl_95: number | null;
  median_ucl_95: number | null;
  surv_at: Array<{ time: number; surv: number; std_err: number; lower_95: number; upper_95: number; n_risk: number }>;
}
type RefGroup = { n: number; events: number; censored: number; number_at_risk: Array<{ time: number; n_risk_summary_survfit: number }> } & Record<string, unknown>;

function checkGroup(g: CliGroup, ref: RefGroup, key: string): void {
  expect(g.n).toBe(ref.n);
  expect(g.events).toBe(ref.events);
  expect(g.censored).toBe(ref.censored);
  const r = ref[key] as RefCi;
  expect(g.median).toEqual({ estimate: r.median, lower: r.median_lcl_95, upper: r.median_ucl_95 });
  for (const nr of ref.number_at_risk) expect(g.at.find((a) => a.time === nr.time)!.nRisk).toBe(nr.n_risk_summary_survfit);
  for (const s of r.surv_at) {
    const a = g.at.find((x) => x.time === s.time)!;
    close(a.surv, s.surv);
    close(a.stdErr, s.std_err);
    close(a.lower, s.lower_95);
    close(a.upper, s.upper_95);
    expect(a.nRisk).toBe(s.n_risk);
  }
}

describe.skipIf(!REFS)('dosedesk km (lung, R survival 3.5.3)', () => {
  const at = '0,180,365,730';
  it.each(CONF)('overall, --conf-type %s', async (conf, key) => {
    const out = (await dosedesk('km', '--input', LUNG, '--time', 'time', '--event', 'status', '--conf-type', conf, '--at', at)) as CliKm;
    expect(out.n).toBe(expected.dataset.n);
    expect(out.groups).toHaveLength(1);
    checkGroup(out.groups[0]!, expected.overall, key);
    expect(out.logRank).toBeNull();
  }, 60_000);

  it.each(CONF)('by sex with log-rank, --conf-type %s', async (conf, key) => {
    const out = (await dosedesk('km', '--input', LUNG, '--time', 'time', '--event', 'status', '--event-value', '2', '--group', 'sex', '--conf-type', conf, '--at', at)) as CliKm;
    expect(out.groups.map((g) => g.group)).toEqual(['sex=1', 'sex=2']);
    checkGroup(out.groups[0]!, expected.by_sex.male_sex1, key);
    checkGroup(out.groups[1]!, expected.by_sex.female_sex2, key);
    const lr = expected.logrank_sex;
    close(out.logRank!.chisq, lr.chisq);
    expect(out.logRank!.df).toBe(lr.df);
    close(out.logRank!.pValue, lr.p_value);
    close(out.logRank!.groups[0]!.expected, lr.expected['sex=1']);
    expect(out.logRank!.groups.map((g) => g.observed)).toEqual([lr.observed['sex=1'], lr.observed['sex=2']]);
  }, 60_000);

  it('prints CSV with --format csv, and refuses a missing column with a message', async () => {
    const { stdout } = await run(process.execPath, [path.join(ROOT, 'bin/dosedesk.mjs'), 'km', '--input', LUNG, '--time', 'time', '--event', 'status', '--at', '180', '--format', 'csv', '--db', path.join(dir, 'cli.sqlite')], { cwd: ROOT });
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('group,n,events,median,median_lower,median_upper,time,surv,std_err,lower,upper,n_risk');
    expect(lines[1]!.split(',').slice(0, 4)).toEqual(['all', '228', '165', '310']);
    await expect(run(process.execPath, [path.join(ROOT, 'bin/dosedesk.mjs'), 'km', '--input', LUNG, '--time', 'days', '--event', 'status', '--db', path.join(dir, 'cli.sqlite')], { cwd: ROOT }))
      .rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/time column "days" not found/) });
  }, 60_000);
});

describe.skipIf(!REFS)('dosedesk ci (R binom.test)', () => {
  const rows = referenceText(BINOM).trim().split(/\r?\n/).slice(1).map((l) => l.split(',').map(Number));
  type Ci = { x: number; n: number; estimate: number; lower: number; upper: number };
  const check = (o: Ci, [x, n, p, lo, hi]: number[]) => {
    expect([o.x, o.n]).toEqual([x, n]);
    close(o.estimate, p!);
    close(o.lower, lo!);
    close(o.upper, hi!);
  };

  it('equals every row of binom_expected.csv to 1e-9 (efficacy.binomialCi, the method the command calls)', async () => {
    expect(rows.length).toBeGreaterThan(10);
    const core = createCore({ dbPath: path.join(dir, 'ci.sqlite') });
    try {
      for (const row of rows) check((await core.call('efficacy.binomialCi', { x: row[0]!, n: row[1]! })) as Ci, row);
    } finally {
      core.close();
    }
  });

  it('prints the same through the command line (first and last rows of the reference)', async () => {
    for (const row of [rows[0]!, rows[rows.length - 1]!, rows.find((r) => r[0] === 7)!]) check((await dosedesk('ci', String(row[0]), String(row[1]))) as Ci, row);
  }, 60_000);
});
