// Units of NCA parameters, derived from the concentration, time and dose units.
//
// Unit algebra (C = conc unit "M_c/V_c", T = time unit, D = dose unit "M_d" or "M_d/kg"):
//   AUC = T·C  → "h*ug/mL";  AUMC = T²·C → "h^2*ug/mL";  λz = 1/T
//   CL = D/AUC = M_d/(T·M_c/V_c) = (M_d/M_c)·V_c/T  → expressed in L/T:
//        factor = (M_d in g)·(V_c in L)/(M_c in g)   e.g. mg and ug/mL: 1e-3·1e-3/1e-6 = 1 → L/h
//                                                    mg and ng/mL: 1e-3·1e-3/1e-9 = 1000 → L/h
//   V  = D/C (Vz = D/(λz·AUC), Vss = MRT·CL) = (M_d/M_c)·V_c → L with the same factor.
//   A dose per kg ("mg/kg") gives "L/h/kg" and "L/kg".
// When a unit is not a plain mass or mass/volume (e.g. nmol/L with a dose in mg, where the molar mass
// would be needed), the value is left unconverted and the unit is the expression "mg/(h*nmol/L)".
// Dose-normalised values keep the expression, e.g. Cmax/D "(ug/mL)/mg".

import type { NcaUnits } from './types';

export type UnitKind =
  | 'none'
  | 'count'
  | 'percent'
  | 'time'
  | 'conc'
  | 'dose'
  | 'auc'
  | 'aumc'
  | 'rate'
  | 'clearance'
  | 'volume'
  | 'concPerDose'
  | 'aucPerDose';

export interface DerivedUnit {
  /** Unit of the reported value. */
  unit: string;
  /** Reported value = raw value × factor. */
  factor: number;
  /** Unit expression of the raw value (dose/(time·conc) algebra). */
  expression: string;
}

export type UnitTable = Record<UnitKind, DerivedUnit>;

const MASS_G: Record<string, number> = {
  g: 1,
  mg: 1e-3,
  ug: 1e-6,
  'µg': 1e-6,
  'μg': 1e-6,
  mcg: 1e-6,
  ng: 1e-9,
  pg: 1e-12,
};
const VOLUME_L: Record<string, number> = {
  l: 1,
  dl: 0.1,
  ml: 1e-3,
  ul: 1e-6,
  'µl': 1e-6,
  'μl': 1e-6,
};

/** Mass unit in grams, or null. */
export function massFactor(unit: string): number | null {
  return MASS_G[unit.trim()] ?? null;
}

/** Volume unit in litres (L, dL, mL, uL; any case), or null. */
export function volumeFactor(unit: string): number | null {
  return VOLUME_L[unit.trim().toLowerCase()] ?? null;
}

/** "mass/volume" concentration unit → grams per litre of one unit, as mass and volume factors. */
export function parseConcUnit(unit: string): { massG: number; volumeL: number } | null {
  const m = /^\s*([^/\s]+)\s*\/\s*([^/\s]+)\s*$/.exec(unit);
  if (!m) return null;
  const massG = massFactor(m[1]!);
  const volumeL = VOLUME_L[m[2]!.toLowerCase()] ?? null;
  return massG !== null && volumeL !== null ? { massG, volumeL } : null;
}

/** Dose unit "mass" or "mass/kg". */
export function parseDoseUnit(unit: string): { massG: number; perKg: boolean } | null {
  const m = /^\s*([^/\s]+)\s*(\/\s*kg)?\s*$/.exec(unit);
  if (!m) return null;
  const massG = massFactor(m[1]!);
  return massG === null ? null : { massG, perKg: m[2] !== undefined };
}

function wrap(u: string): string {
  return /[/*]/.test(u) ? `(${u})` : u;
}

function same(expression: string): DerivedUnit {
  return { unit: expression, factor: 1, expression };
}

function buildUnitTable(units: NcaUnits): UnitTable {
  const T = units.time ?? '';
  const C = units.conc ?? '';
  const D = units.dose ?? '';
  const haveTC = T !== '' && C !== '';
  const haveAll = haveTC && D !== '';
  const auc = haveTC ? `${T}*${C}` : '';
  const clExpr = haveAll ? `${D}/(${auc})` : '';
  const vExpr = haveAll ? `${D}/${wrap(C)}` : '';
  let clearance = same(clExpr);
  let volume = same(vExpr);
  if (haveAll) {
    const c = parseConcUnit(C);
    const d = parseDoseUnit(D);
    if (c && d) {
      // Rounded to 12 significant digits: the factors are powers of ten (1e-3·1e-3/1e-9 = 1000, not 1000.0000000000001).
      const factor = Number(((d.massG * c.volumeL) / c.massG).toPrecision(12));
      const perKg = d.perKg ? '/kg' : '';
      clearance = { unit: `L/${T}${perKg}`, factor, expression: clExpr };
      volume = { unit: `L${perKg}`, factor, expression: vExpr };
    }
  }
  return {
    none: same(''),
    count: same(''),
    percent: same('%'),
    time: same(T),
    conc: same(C),
    dose: same(D),
    auc: same(auc),
    aumc: same(haveTC ? `${T}^2*${C}` : ''),
    rate: same(T !== '' ? `1/${T}` : ''),
    clearance,
    volume,
    concPerDose: same(C !== '' && D !== '' ? `${wrap(C)}/${D}` : ''),
    aucPerDose: same(haveAll ? `${wrap(auc)}/${D}` : ''),
  };
}

const cache = new Map<string, UnitTable>();

/** Unit table for these units (memoised; the result must not be mutated). */
export function deriveUnits(units: NcaUnits | undefined): UnitTable {
  const u = units ?? {};
  const key = `${u.time ?? ''}\u0000${u.conc ?? ''}\u0000${u.dose ?? ''}`;
  let table = cache.get(key);
  if (!table) {
    table = buildUnitTable(u);
    if (cache.size > 256) cache.clear();
    cache.set(key, table);
  }
  return table;
}
