// PK on a pharmaverse-convention export that pools specimens (issue 10, items 1, 7, 8): PC holds
// plasma AND urine samples of the same analyte (PCSPEC = PLASMA / URINE; urine as collection
// intervals "0-6h", "6-12h", "12-24h" with PCDTC = start, PCENDTC = end, PCELTM = planned end,
// PCVOL/PCVOLU the collected volume), a metabolite, a sample not done, and PP with PPCAT (analyte)
// and PPSPEC (matrix) as admiral's ADPP → PP writes them. No study.json; EX carries doses 28 days
// apart for one subject and 21 days apart (dates only) for the other, so τ is unknown.
// Built by hand and written in CSV, Dataset-JSON and SAS XPT; every expected number is worked by hand
// below from the cited rule.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { parseArgs } from '../../electron/core/cli';
import { pkCommands } from '../../electron/core/pk/cli';
import { pkMapping } from '../../electron/core/pk/mapping';
import { StudyDefinition } from '../../shared/study';
import { FORMATS, writeFixture } from '../helpers/conventions';
import { A, B, POOLED_PK_DOMAINS, S } from '../helpers/pk-pooled';
import { tmpDir } from '../helpers/snapshot';

const DOMAINS = POOLED_PK_DOMAINS;
const param = (row: { parameters: { PPTESTCD: string; value: number | null }[] }, code: string) => row.parameters.find((p) => p.PPTESTCD === code)?.value;
const INTERVAL_CODES = ['AUCTAU', 'CTROUGH', 'CAVG', 'FLUCP', 'SWING', 'SWINGTAU', 'AILAMZ', 'ARAUC'];

for (const format of FORMATS) {
  describe(`PK per analyte × matrix on a pooled plasma + urine export (${format})`, () => {
    let dir: string;
    let core: Core;
    let snapshotId: number;
    beforeAll(async () => {
      dir = tmpDir(`dosedesk-pkm-${format}-`);
      core = createCore({ dbPath: path.join(dir, 'db.sqlite') });
      const r = await core.call('snapshot.import', { path: writeFixture(path.join(dir, 'snap'), DOMAINS, format) });
      expect(r.errors).toEqual([]);
      snapshotId = r.snapshotId!;
    });
    afterAll(() => {
      core.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('reports the analytes × matrices present with their sample counts (PCSTAT NOT DONE left out) and analyses plasma by default', async () => {
      const r = await core.call('pk.nca', { snapshotId, interval: 'single' });
      // XAN PLASMA: A 8 in cycle 1 (one NOT DONE not counted) + 3 in cycle 2, B 5 → 16; XAN URINE 3 + 1; XANM1 PLASMA 1.
      expect(r.available).toEqual([
        { analyte: 'XAN', matrix: 'PLASMA', samples: 16 },
        { analyte: 'XAN', matrix: 'URINE', samples: 4 },
        { analyte: 'XANM1', matrix: 'PLASMA', samples: 1 },
      ]);
      expect(r.analyte).toBe('XAN');
      expect(r.matrix).toBe('PLASMA');
      expect(r.rows.every((x) => x.matrix === 'PLASMA')).toBe(true);
    });

    it('NCA on plasma equals the plasma-only hand computation (urine never interleaved)', async () => {
      const r = await core.call('pk.nca', { snapshotId, interval: 'single' });
      const a = r.rows.find((x) => x.usubjid === A)!;
      // Plasma only: Cmax 16 at 2 h (with urine mixed in it would be 20).
      expect(param(a, 'CMAX')).toBe(16);
      expect(param(a, 'TMAX')).toBe(2);
      // Linear trapezoid from (0, 0) (nca_rules.md §3): 1·10/2 + 1·26/2 + 2·28/2 + 4·18/2 + 4·9/2 + 12·3.375/2
      // = 5 + 13 + 28 + 36 + 18 + 20.25 = 120.25.
      expect(param(a, 'AUCLST')).toBeCloseTo(120.25, 10);
      // AUCall (WinNonlin, PKNCA pk.calc.auc.all): + the triangle to the BLQ at 36 h taken as 0: 12·0.375/2 = 2.25.
      expect(param(a, 'AUCALL')).toBeCloseTo(122.5, 10);
      // 12, 6, 3, 0.375 at 4, 8, 12, 24 h halve every 4 h: λz = ln 2 / 4 on 4 points (most points at adj. R² = 1).
      expect(param(a, 'LAMZ')).toBeCloseTo(Math.LN2 / 4, 12);
      expect(param(a, 'LAMZNPT')).toBe(4);
    });

    it('no steady-state parameter without τ: the single-dose row has no interval parameters, the steady-state row none at all', async () => {
      const single = await core.call('pk.nca', { snapshotId, interval: 'single' });
      expect(single.tauH).toBeNull();
      expect(single.tauSource).toBeNull();
      // EX spacings 28 d (A) and 21 d (B) differ: τ is not taken from EX (and never from the cycle length).
      expect(single.tauNote).toMatch(/τ unknown: EX dose spacing varies \(28 d ×1, 21 d ×1\)/);
      for (const row of single.rows) for (const code of INTERVAL_CODES) expect(param(row, code)).toBeUndefined();
      const steady = await core.call('pk.nca', { snapshotId, interval: 'steady' });
      expect(steady.rows.map((x) => x.usubjid)).toEqual([A]);
      expect(steady.rows[0]!.parameters).toEqual([]);
      expect(steady.rows[0]!.lambdaZNote).toMatch(/τ is unknown/);
      expect(steady.summary[0]!.parameters.every((p) => p.n === 0)).toBe(true);
    });

    it('the actual-time basis says for which subject and why it falls back to nominal time; the values are the nominal-time hand computation', async () => {
      const r = await core.call('pk.nca', { snapshotId, interval: 'single', timeBasis: 'actual' });
      expect(r.timeFallback).toEqual([{ usubjid: B, samples: 5, reasons: ['EXSTDTC 2014-02-03 has no time of day'] }]);
      const b = r.rows.find((x) => x.usubjid === B)!;
      // Nominal 1, 2, 4, 8, 12 h: 1·8/2 + 1·20/2 + 2·21/2 + 4·13.5/2 + 4·6.75/2 = 4 + 10 + 21 + 27 + 13.5 = 75.5.
      expect(param(b, 'AUCLST')).toBeCloseTo(75.5, 10);
      expect(param(b, 'CMAX')).toBe(12);
      const nominal = await core.call('pk.nca', { snapshotId, interval: 'single', timeBasis: 'nominal' });
      expect(nominal.timeFallback).toEqual([]);
    });

    it('urine: amount per interval (C × V), cumulative Ae, fe = Ae/dose and CLR = Ae(0–24)/AUC(0–24) worked by hand', async () => {
      const u = await core.call('pk.urine', { snapshotId });
      expect(u.matrix).toBe('URINE');
      expect(u.plasmaMatrix).toBe('PLASMA');
      const a = u.rows.find((x) => x.usubjid === A)!;
      // PKNCA pk.calc.ae: 20 ug/mL × 300 mL = 6000 ug = 6 mg; 10 × 400 = 4 mg; 2 × 500 = 1 mg.
      expect(a.intervals.map((i) => [i.startH, i.endH, i.amountMg, i.cumulativeMg])).toEqual([
        [0, 6, 6, 6],
        [6, 12, 4, 10],
        [12, 24, 1, 11],
      ]);
      expect(a.aeMg).toBe(11);
      expect(a.aeEndH).toBe(24);
      // pk.calc.fe: 11 mg / 54 mg.
      expect(a.fe).toBeCloseTo(11 / 54, 12);
      // pk.calc.clr: plasma AUC(0–24) = AUClast to the 24 h sample = 120.25 h·ug/mL = 0.12025 h·g/L; 0.011 g / 0.12025 = 0.09148 L/h.
      expect(a.aucPlasma).toBeCloseTo(120.25, 10);
      expect(a.clrLPerH).toBeCloseTo(0.011 / 0.12025, 12);
      // B has no PCVOL: no amount, and the row says why.
      const b = u.rows.find((x) => x.usubjid === B)!;
      expect(b.aeMg).toBeNull();
      expect(b.fe).toBeNull();
      expect(b.intervals[0]!.note).toBe('no collection volume (PCVOL)');
      expect(b.intervals[0]!.timeSource).toBe('PCTPT');
    });

    it('choosing urine for NCA gives no concentration profile and says why; an absent matrix is refused', async () => {
      const r = await core.call('pk.profiles', { snapshotId, interval: 'single', matrix: 'urine' });
      expect(r.matrix).toBe('URINE');
      expect(r.profiles).toEqual([]);
      expect(r.notes.join(' ')).toMatch(/URINE samples are collected over intervals/);
      await expect(core.call('pk.nca', { snapshotId, matrix: 'SERUM' })).rejects.toThrow(/no XAN samples in matrix "SERUM" \(PCSPEC: PLASMA, URINE\)/);
      const m1 = await core.call('pk.nca', { snapshotId, analyte: 'XANM1' });
      expect(m1.rows.map((x) => [x.usubjid, x.matrix, param(x, 'CMAX')])).toEqual([[A, 'PLASMA', 2]]);
    });

    it('PP is matched on PPCAT and PPSPEC as well as PPTESTCD', async () => {
      const r = await core.call('pk.compareReported', { snapshotId });
      expect(r.rows.map((x) => [x.usubjid, x.PPTESTCD, x.ppspec, x.reported, x.computed])).toEqual([
        [A, 'CMAX', 'PLASMA', 16, 16],
        [A, 'AUCLST', 'PLASMA', 120.25, expect.closeTo(120.25, 10)],
      ]);
      expect(r.notes).toContain('1 PP record(s) of another analyte than XAN were not compared (PPCAT XANM1 ×1)');
      expect(r.notes).toContain('1 PP record(s) of another matrix than PLASMA were not compared (PPSPEC URINE ×1)');
    });

    it('CLI: dosedesk nca --snapshot takes --analyte and --matrix, reports them, and gives Ae/fe/CLR for urine', async () => {
      const json = (await pkCommands.nca!.run(core, parseArgs('nca', ['--snapshot', String(snapshotId), '--analyte', 'XAN', '--matrix', 'PLASMA'], pkCommands.nca!.options))).output as { matrix: string; available: unknown[]; rows: { usubjid: string }[] };
      expect(json.matrix).toBe('PLASMA');
      expect(json.available).toHaveLength(3);
      const csvOut = String((await pkCommands.nca!.run(core, parseArgs('nca', ['--snapshot', String(snapshotId), '--format', 'csv'], pkCommands.nca!.options))).output).trim().split('\n');
      expect(csvOut[0]!.split(',').slice(0, 3)).toEqual(['USUBJID', 'PCTESTCD', 'PCSPEC']);
      expect(csvOut.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual([`${A},XAN,PLASMA`, `${B},XAN,PLASMA`]);
      const urine = String((await pkCommands.nca!.run(core, parseArgs('nca', ['--snapshot', String(snapshotId), '--matrix', 'URINE', '--format', 'csv'], pkCommands.nca!.options))).output).trim().split('\n');
      const head = urine[0]!.split(',');
      const rowA = urine.find((l) => l.startsWith(A))!.split(',');
      expect(Number(rowA[head.indexOf('AE_MG')])).toBe(11);
      expect(Number(rowA[head.indexOf('FE')])).toBeCloseTo(11 / 54, 12);
    });

    it('mapping report: PC rows read, used by NCA, and not used by reason; PP rows not matched', () => {
      const entries = pkMapping(core.ctx.db, snapshotId, StudyDefinition.parse({ studyId: S }));
      const pcEntry = entries.find((e) => e.domain === 'PC')!;
      expect(pcEntry).toMatchObject({ analysis: 'PK (NCA)', views: ['pk', 'profile'], rowsRead: 22, rowsUsed: 16 });
      const by = Object.fromEntries(pcEntry.unused.map((u) => [u.variable, u]));
      expect(by.PCSTAT).toMatchObject({ rows: 1, values: [{ value: 'NOT DONE', count: 1 }], mapTo: null });
      expect(by.PCTESTCD).toMatchObject({ rows: 1, values: [{ value: 'XANM1', count: 1 }], mapTo: 'pk.analyte' });
      expect(by.PCSPEC).toMatchObject({ rows: 4, values: [{ value: 'URINE', count: 4 }], mapTo: 'pk.matrix' });
      expect(by.PCSPEC!.reason).toMatch(/not the chosen matrix \(PLASMA\)/);
      // Urine: A's 3 collections give amounts; B's has no PCVOL.
      const urineEntry = entries.find((e) => e.analysis === 'PK (urinary excretion)')!;
      expect(urineEntry).toMatchObject({ rowsRead: 4, rowsUsed: 3 });
      expect(urineEntry.unused).toMatchObject([{ variable: 'PCVOL', rows: 1, values: [{ value: 'no collection volume (PCVOL)', count: 1 }] }]);
      const ppEntry = entries.find((e) => e.domain === 'PP')!;
      expect(ppEntry).toMatchObject({ rowsRead: 4, rowsUsed: 2 });
      expect(ppEntry.unused.map((u) => [u.variable, u.rows, u.values, u.mapTo])).toEqual([
        ['PPCAT', 1, [{ value: 'XANM1', count: 1 }], 'pk.analyte'],
        ['PPSPEC', 1, [{ value: 'URINE', count: 1 }], 'pk.matrix'],
      ]);
      // With pk.matrix = URINE the plasma rows become the unused ones.
      const urine = pkMapping(core.ctx.db, snapshotId, StudyDefinition.parse({ studyId: S, pk: { matrix: 'URINE' } }));
      const u = urine.find((e) => e.domain === 'PC')!;
      expect(u.unused.find((x) => x.variable === 'PCSPEC')).toMatchObject({ rows: 16, values: [{ value: 'PLASMA', count: 16 }] });
    });
  });
}

describe('τ from the study definition (pk.tauH) gives the steady-state parameters', () => {
  it('with pk.tauH = 8 the cycle-2 row carries Ctrough and AUCtau worked by hand, and the source is said', async () => {
    const dir = tmpDir('dosedesk-pkm-tau-');
    const core = createCore({ dbPath: path.join(dir, 'db.sqlite') });
    try {
      const r = await core.call('snapshot.import', { path: writeFixture(path.join(dir, 'snap'), DOMAINS, 'csv', { study: { studyId: S, pk: { route: 'extravascular', tauH: 8 } } }) });
      expect(r.errors).toEqual([]);
      const steady = await core.call('pk.nca', { snapshotId: r.snapshotId!, interval: 'steady' });
      expect(steady.tauSource).toBe('study');
      expect(steady.tauNote).toBe('τ = 8 h from the study definition (pk.tauH)');
      const a = steady.rows[0]!;
      expect(param(a, 'CMAX')).toBe(13);
      // No pre-dose sample: WinNonlin puts Cmin of the interval (7) at the dose time (nca_rules.md §4);
      // AUCtau = 1·(7 + 11)/2 + 3·(11 + 13)/2 + 4·(13 + 7)/2 = 9 + 36 + 40 = 85; Ctrough = C(8 h) = 7.
      expect(param(a, 'AUCTAU')).toBeCloseTo(85, 10);
      expect(param(a, 'CTROUGH')).toBe(7);
    } finally {
      core.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
