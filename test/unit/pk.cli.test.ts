// `dosedesk nca` end to end (a real process through bin/dosedesk.mjs) on the Theoph reference:
// ../shared/reference/nca/theoph.csv against theoph_nca_expected.csv (Phoenix WinNonlin; dose 320 mg
// for every subject, as nca_rules.md §3 "Dose" says the reference used), both AUC methods, 1e-6 relative.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tmpDir } from '../helpers/snapshot';
import { referencePath } from '../helpers/reference';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const refDir = referencePath('nca', 'pk.cli.test.ts (dosedesk nca vs Phoenix WinNonlin)');
const dir = tmpDir('dosedesk-nca-cli-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/dosedesk.mjs'), ...args, '--db', path.join(dir, 'db.sqlite')], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function readCsv(file: string | null): Record<string, string>[] {
  if (file === null) return [];
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const head = lines[0]!.split(',');
  return lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((c, i) => [head[i]!, c])));
}

const expected = readCsv(refDir && path.join(refDir, 'theoph_nca_expected.csv'));
// reference column → PPTESTCD
const COLUMNS: Record<string, string> = { Cmax: 'CMAX', AUClast: 'AUCLST', AUCINF_obs: 'AUCIFO', HL_Lambda_z: 'LAMZHL', Cl_F_obs: 'CLFO' };
const base = ['nca', '--input', path.join(refDir ?? '', 'theoph.csv'), '--subject', 'Subject', '--time', 'Time', '--conc', 'conc', '--dose', '320', '--route', 'extravascular'];

describe('dosedesk nca --input (Theoph vs WinNonlin)', () => {
  for (const [method, refMethod] of [
    ['linear', 'linear'],
    ['lin-up-log-down', 'linear-up/log-down'],
  ] as const) {
    it.skipIf(!refDir)(`matches theoph_nca_expected.csv, ${method}`, () => {
      const r = run([...base, '--auc', method]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as { rows: Record<string, number | string | null>[]; units: Record<string, string> };
      expect(out.rows).toHaveLength(12);
      const ref = expected.filter((e) => e.auc_method === refMethod);
      expect(ref).toHaveLength(12);
      for (const subject of ['1', '6', '8', '9']) {
        const row = out.rows.find((x) => String(x.subject) === subject)!;
        const e = ref.find((x) => x.Subject === subject)!;
        for (const [col, code] of Object.entries(COLUMNS)) {
          const want = Number(e[col]);
          const got = row[code] as number;
          expect(Math.abs(got - want) / Math.abs(want), `subject ${subject} ${col}`).toBeLessThan(1e-6);
        }
      }
    }, 120_000);
  }

  it.skipIf(!refDir)('prints one CSV row per subject with PPTESTCD columns', () => {
    const r = run([...base, '--format', 'csv']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(13);
    const head = lines[0]!.split(',');
    expect(head.slice(0, 2)).toEqual(['subject', 'dose']);
    expect(head).toEqual(expect.arrayContaining(['CMAX', 'TMAX', 'AUCLST', 'AUCIFO', 'LAMZHL', 'CLFO', 'VZFO']));
    const s1 = lines[1]!.split(',');
    const e1 = expected.find((x) => x.auc_method === 'linear' && x.Subject === '1')!;
    expect(Number(s1[head.indexOf('CMAX')])).toBe(Number(e1.Cmax));
  }, 120_000);

  it('says why λz is empty: 2 points after Cmax → "not estimable" in the CSV note and the JSON (PKNCA min.hl.points = 3)', () => {
    // A: (0,0) (1,10) (2,8) (4,4): Cmax at 1 h, 2 points after it. B: (0,0) (1,20) (2,16) (4,8) (8,2): 3 points, λz = ln2/2.
    const file = path.join(dir, 'lz.csv');
    fs.writeFileSync(file, 'ID,T,C\nA,0,0\nA,1,10\nA,2,8\nA,4,4\nB,0,0\nB,1,20\nB,2,16\nB,4,8\nB,8,2\n');
    const args = ['nca', '--input', file, '--subject', 'ID', '--time', 'T', '--conc', 'C', '--dose', '100', '--route', 'extravascular'];
    const csv = run([...args, '--format', 'csv']).stdout.trim().split('\n');
    const head = csv[0]!.split(',');
    expect(head.at(-1)).toBe('note');
    const a = csv[1]!.split(',');
    const b = csv[2]!.split(',');
    expect(csv[1]!.endsWith(',"not estimable: only 2 points after Cmax, at least 3 needed"')).toBe(true); // quoted: it holds a comma
    expect(a[head.indexOf('LAMZHL')]).toBe('');
    expect(b.at(-1)).toBe('');
    expect(Number(b[head.indexOf('LAMZHL')])).toBeCloseTo(2, 9);
    const json = JSON.parse(run(args).stdout) as { rows: { subject: string; note: string | null; LAMZHL: number | null }[] };
    expect(json.rows[0]).toMatchObject({ subject: 'A', note: 'not estimable: only 2 points after Cmax, at least 3 needed', LAMZHL: null });
  }, 120_000);

  it.skipIf(!refDir)('exits 2 with a usage message when the dose is missing', () => {
    const r = run(base.filter((a, i) => a !== '--dose' && base[i - 1] !== '--dose'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--dose N or --dose-col COL/);
  }, 120_000);

  it('dosedesk nca --snapshot runs pk.nca on an imported snapshot (CSV: one row per subject)', () => {
    const cut = path.join(root, 'resources/demo/cut1'); // committed with the repository
    const imp = run(['import', cut]);
    expect(imp.code).toBe(0);
    const id = String(JSON.parse(imp.stdout).snapshotId);
    const json = JSON.parse(run(['nca', '--snapshot', id]).stdout) as { rows: { usubjid: string }[]; summary: unknown[] };
    const csvOut = run(['nca', '--snapshot', id, '--format', 'csv']).stdout.trim().split('\n');
    expect(json.rows.length).toBeGreaterThan(0);
    expect(csvOut).toHaveLength(json.rows.length + 1);
    expect(csvOut[0]!.split(',').slice(0, 4)).toEqual(['USUBJID', 'PCTESTCD', 'PCSPEC', 'DOSE_LEVEL']);
    expect(csvOut.slice(1).map((l) => l.split(',')[0])).toEqual(json.rows.map((r) => r.usubjid));
  }, 180_000);
});
