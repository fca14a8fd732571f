// NCA against the Phoenix WinNonlin reference outputs in shared/reference/nca/ (see nca_rules.md there):
//  - theoph_nca_expected.csv: WinNonlin 6.3/7.0, Theoph, extravascular, dose 320 mg for every subject,
//    linear and linear-up/log-down; compared to 1e-6 relative on every column.
//  - pkdata2_winnonlin_sd_linear_expected.csv: WinNonlin 8.0, single dose 100 at t=0, linear.
//  - pkdata2_winnonlin_ss_luld_tau9_expected.csv: WinNonlin 8.2, steady state, tau 9, dose time 0.25,
//    lin-up/log-down. Both pkdata2 files print 4 decimals: compared to half a unit in the last printed digit.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { referencePath } from '../helpers/reference';
import { nca } from '../../shared/nca/nca';
import type { AucMethod, NcaResult } from '../../shared/nca/types';

const refDir = referencePath('nca', 'nca.reference.test.ts (NCA vs Phoenix WinNonlin)');

function readCsv(file: string): Record<string, string>[] {
  if (!refDir) return [];
  const lines = readFileSync(path.join(refDir, file), 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0]!.split(',');
  return lines.slice(1).map((l) => {
    const cells = l.split(',');
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
}

function param(r: NcaResult, code: string): number | null {
  const p = r.parameters.find((x) => x.PPTESTCD === code);
  if (!p) throw new Error(`parameter ${code} not reported`);
  return p.value;
}

type Getter = (r: NcaResult) => number | null | undefined;
const byCode = (code: string): Getter => (r) => param(r, code);

/** Groups concentration rows by subject, in file order. */
function profiles(rows: Record<string, string>[], subj: string, time: string, conc: string) {
  const out = new Map<string, { time: number[]; conc: number[] }>();
  for (const row of rows) {
    const id = row[subj]!;
    if (!out.has(id)) out.set(id, { time: [], conc: [] });
    out.get(id)!.time.push(Number(row[time]));
    out.get(id)!.conc.push(Number(row[conc]));
  }
  return out;
}

function expectColumnsMapped(rows: Record<string, string>[], map: Record<string, Getter>, ignored: string[]) {
  const cols = Object.keys(rows[0]!).filter((c) => !ignored.includes(c));
  expect(cols.filter((c) => !(c in map))).toEqual([]);
}

describe.skipIf(!refDir)('Theoph vs WinNonlin (theoph_nca_expected.csv, dose 320 mg, nca_rules.md §1-§3)', () => {
  const data = profiles(readCsv('theoph.csv'), 'Subject', 'Time', 'conc');
  const expected = readCsv('theoph_nca_expected.csv');
  // Column of the reference file → our parameter (CDISC code).
  const map: Record<string, Getter> = {
    Rsq: byCode('R2'),
    Rsq_adjusted: byCode('R2ADJ'),
    Corr_XY: byCode('CORRXY'),
    No_points_lambda_z: byCode('LAMZNPT'),
    Lambda_z: byCode('LAMZ'),
    Lambda_z_lower: byCode('LAMZLL'),
    Lambda_z_upper: byCode('LAMZUL'),
    HL_Lambda_z: byCode('LAMZHL'),
    Tlag: byCode('TLAG'),
    Tmax: byCode('TMAX'),
    Cmax: byCode('CMAX'),
    Cmax_D: byCode('CMAXD'),
    Tlast: byCode('TLST'),
    Clast: byCode('CLST'),
    AUClast: byCode('AUCLST'),
    AUCall: byCode('AUCALL'),
    AUCINF_obs: byCode('AUCIFO'),
    AUCINF_D_obs: byCode('AUCIFOD'),
    'AUC_%Extrap_obs': byCode('AUCPEO'),
    Vz_F_obs: byCode('VZFO'),
    Cl_F_obs: byCode('CLFO'),
    AUCINF_pred: byCode('AUCIFP'),
    AUCINF_D_pred: byCode('AUCIFPD'),
    'AUC_%Extrap_pred': byCode('AUCPEP'),
    Vz_F_pred: byCode('VZFP'),
    Cl_F_pred: byCode('CLFP'),
    AUMClast: byCode('AUMCLST'),
    AUMCINF_obs: byCode('AUMCIFO'),
    'AUMC_%Extrap_obs': byCode('AUMCPEO'),
    AUMCINF_pred: byCode('AUMCIFP'),
    'AUMC_%Extrap_pred': byCode('AUMCPEP'),
    MRTlast: byCode('MRTEVLST'),
    MRTINF_obs: byCode('MRTEVIFO'),
    MRTINF_pred: byCode('MRTEVIFP'),
  };

  it('maps every reference column', () => {
    expectColumnsMapped(expected, map, ['auc_method', 'dose_mg', 'Subject']);
  });

  for (const row of expected) {
    const method: AucMethod = row.auc_method === 'linear' ? 'linear' : 'lin-up-log-down';
    it(`subject ${row.Subject}, ${row.auc_method}: every column within 1e-6 relative`, () => {
      expect(['linear', 'linear-up/log-down']).toContain(row.auc_method);
      const p = data.get(row.Subject!)!;
      const r = nca(
        { time: p.time, conc: p.conc, dose: Number(row.dose_mg), route: 'extravascular' },
        { aucMethod: method, units: { time: 'h', conc: 'mg/L', dose: 'mg' } },
      );
      expect(r.lambdaZMethod).toBe('auto');
      for (const [col, get] of Object.entries(map)) {
        const want = Number(row[col]);
        const got = get(r);
        expect(got, col).not.toBeNull();
        const tol = Math.max(1e-6 * Math.abs(want), 1e-12);
        expect(Math.abs(got! - want), `${col}: got ${got}, WinNonlin ${want}`).toBeLessThanOrEqual(tol);
      }
    });
  }

  it('subject 6 uses 7 points from 2.03 h and subject 8 6 points from 3.53 h (nca_rules.md §3.5)', () => {
    const r6 = nca({ ...data.get('6')!, dose: 320, route: 'extravascular' });
    const r8 = nca({ ...data.get('8')!, dose: 320, route: 'extravascular' });
    expect([r6.lambdaZ!.nPoints, r6.lambdaZ!.lower]).toEqual([7, 2.03]);
    expect([r8.lambdaZ!.nPoints, r8.lambdaZ!.lower]).toEqual([6, 3.53]);
  });
});

/** |got − printed| ≤ half a unit of the last printed decimal. */
function expectPrinted(got: number | null | undefined, printed: string, label: string) {
  if (printed === 'Missing') {
    expect(got ?? null, label).toBeNull();
    return;
  }
  const decimals = printed.includes('.') ? printed.split('.')[1]!.length : 0;
  expect(got, label).not.toBeNull();
  expect(got, label).not.toBeUndefined();
  const half = 0.5 * 10 ** -decimals;
  expect(Math.abs(got! - Number(printed)), `${label}: got ${got}, WinNonlin ${printed}`).toBeLessThanOrEqual(
    half + 1e-12 * Math.max(1, Math.abs(Number(printed))), // floating noise on exact half-way values
  );
}

const pk2 = profiles(readCsv('pkdata2.csv'), 'Subject', 'Time', 'Concentration');

const commonPk2: Record<string, Getter> = {
  N_Samples: (r) => r.nSamples,
  Dose: (r) => r.dose,
  Rsq: byCode('R2'),
  Rsq_adjusted: byCode('R2ADJ'),
  Corr_XY: byCode('CORRXY'),
  No_points_lambda_z: byCode('LAMZNPT'),
  Lambda_z: byCode('LAMZ'),
  Lambda_z_intercept: byCode('LAMZICPT'),
  Lambda_z_lower: byCode('LAMZLL'),
  Lambda_z_upper: byCode('LAMZUL'),
  HL_Lambda_z: byCode('LAMZHL'),
  Span: byCode('LAMZSPN'),
  Tlag: byCode('TLAG'),
  Tmax: byCode('TMAX'),
  Cmax: byCode('CMAX'),
  Cmax_D: byCode('CMAXD'),
  Tlast: byCode('TLST'),
  Clast: byCode('CLST'),
  Clast_pred: byCode('CLSTP'),
  AUClast: byCode('AUCLST'),
  AUClast_D: byCode('AUCLSTD'),
  AUCall: byCode('AUCALL'),
  AUCINF_obs: byCode('AUCIFO'),
  AUCINF_D_obs: byCode('AUCIFOD'),
  'AUC_%Extrap_obs': byCode('AUCPEO'),
  AUCINF_pred: byCode('AUCIFP'),
  AUCINF_D_pred: byCode('AUCIFPD'),
  'AUC_%Extrap_pred': byCode('AUCPEP'),
  MRTINF_obs: byCode('MRTEVIFO'),
  MRTINF_pred: byCode('MRTEVIFP'),
};

describe.skipIf(!refDir)('pkdata2 single dose, linear, vs WinNonlin 8.0 (pkdata2_winnonlin_sd_linear_expected.csv)', () => {
  const expected = readCsv('pkdata2_winnonlin_sd_linear_expected.csv');
  const map: Record<string, Getter> = {
    ...commonPk2,
    Vz_F_obs: byCode('VZFO'),
    Cl_F_obs: byCode('CLFO'),
    Vz_F_pred: byCode('VZFP'),
    Cl_F_pred: byCode('CLFP'),
    AUMClast: byCode('AUMCLST'),
    AUMCINF_obs: byCode('AUMCIFO'),
    'AUMC_%Extrap_obs': byCode('AUMCPEO'),
    AUMCINF_pred: byCode('AUMCIFP'),
    'AUMC_%Extrap_pred': byCode('AUMCPEP'),
    MRTlast: byCode('MRTEVLST'),
  };
  it('maps every reference column', () => {
    expectColumnsMapped(expected, map, ['Subject', 'Formulation', 'winnonlin_version', 'setting_dose_time', 'setting_dose']);
  });
  for (const row of expected) {
    it(`subject ${row.Subject}: every column to the printed precision`, () => {
      const p = pk2.get(row.Subject!)!;
      const r = nca(
        { ...p, dose: Number(row.setting_dose), doseTime: Number(row.setting_dose_time), route: 'extravascular' },
        { aucMethod: 'linear' },
      );
      for (const [col, get] of Object.entries(map)) expectPrinted(get(r), row[col]!, `subject ${row.Subject} ${col}`);
    });
  }
});

describe.skipIf(!refDir)('pkdata2 steady state, tau 9, dose at 0.25, lin-up/log-down, vs WinNonlin 8.2 (nca_rules.md §4)', () => {
  const expected = readCsv('pkdata2_winnonlin_ss_luld_tau9_expected.csv');
  const map: Record<string, Getter> = {
    ...commonPk2,
    Tmin: byCode('TMIN'),
    Cmin: byCode('CMIN'),
    Ctau: byCode('CTROUGH'),
    Cavg: byCode('CAVG'),
    Swing: byCode('SWING'),
    Swing_Tau: byCode('SWINGTAU'),
    'Fluctuation%': byCode('FLUCP'),
    'Fluctuation%_Tau': byCode('FLUCPTAU'),
    CLss_F: byCode('CLFTAU'),
    Vz_F: byCode('VZFTAU'),
    Accumulation_Index: byCode('AILAMZ'),
    AUC_TAU: byCode('AUCTAU'),
    AUC_TAU_D: byCode('AUCTAUD'),
    'AUC_TAU_%Extrap': (r) => r.interval?.auctauPctExtrap,
    AUMC_TAU: byCode('AUMCTAU'),
  };
  it('maps every reference column', () => {
    expectColumnsMapped(expected, map, [
      'Subject',
      'Formulation',
      'winnonlin_version',
      'setting_tau',
      'setting_dose_time',
      'setting_dose',
    ]);
  });
  for (const row of expected) {
    it(`subject ${row.Subject}: every column to the printed precision`, () => {
      const p = pk2.get(row.Subject!)!;
      const r = nca(
        {
          ...p,
          dose: Number(row.setting_dose),
          doseTime: Number(row.setting_dose_time),
          tau: Number(row.setting_tau),
          route: 'extravascular',
        },
        { aucMethod: 'lin-up-log-down' },
      );
      expect(r.addedDosePoint?.reason).toBe('cmin-interval');
      for (const [col, get] of Object.entries(map)) expectPrinted(get(r), row[col]!, `subject ${row.Subject} ${col}`);
    });
  }
  it('subject 1: point added at dose time = Cmin of the interval 121.239; Ctau interpolated 137.7219 (nca_rules.md §4)', () => {
    const r = nca(
      { ...pk2.get('1')!, dose: 100, doseTime: 0.25, tau: 9, route: 'extravascular' },
      { aucMethod: 'lin-up-log-down' },
    );
    expect(r.addedDosePoint).toEqual({ time: 0.25, conc: 121.239, reason: 'cmin-interval' });
    expect(r.interval!.ctau!).toBeCloseTo(137.7219, 4);
  });
});
