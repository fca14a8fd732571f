// CTCAE v5.0 grades of laboratory results (NCI, Common Terminology Criteria for Adverse Events
// v5.0, 27 November 2017; the term names and thresholds below are the CTCAE's own). A grade comes
// from LBTOXGR when the sponsor gave one, otherwise it is derived from the result in standard units
// (LBSTRESN, LBSTRESU) and the normal range (LBSTNRLO, LBSTNRHI). What cannot be graded — a
// non-numeric result, a unit that cannot be converted, a normal range missing where the threshold
// needs it — is "not gradable" with its reason, never a guess.
//
// Only the laboratory part of each term is graded: the parts of a grade that need clinical
// information (symptoms, intervention, transfusion, hospitalisation) are not in LB. Where CTCAE
// separates two grades on symptoms alone over the same range, the lower grade is given and the
// result says so (`note`).

export type LabDirection = 'high' | 'low';

export interface LabTermDef {
  /** The CTCAE v5.0 term. */
  term: string;
  /** CDISC LBTESTCD (controlled terminology C65047). */
  testcd: string;
  direction: LabDirection;
  /** CTCAE v5.0 system organ class of the term. */
  soc: string;
}

const INV = 'Investigations';
const MET = 'Metabolism and nutrition disorders';

/** The graded terms, in the order of the tables. */
export const LAB_TERMS: readonly LabTermDef[] = [
  { term: 'Alanine aminotransferase increased', testcd: 'ALT', direction: 'high', soc: INV },
  { term: 'Aspartate aminotransferase increased', testcd: 'AST', direction: 'high', soc: INV },
  { term: 'Blood bilirubin increased', testcd: 'BILI', direction: 'high', soc: INV },
  { term: 'Creatinine increased', testcd: 'CREAT', direction: 'high', soc: INV },
  { term: 'Neutrophil count decreased', testcd: 'NEUT', direction: 'low', soc: INV },
  { term: 'Platelet count decreased', testcd: 'PLAT', direction: 'low', soc: INV },
  { term: 'Anemia', testcd: 'HGB', direction: 'low', soc: 'Blood and lymphatic system disorders' },
  { term: 'Hyperkalemia', testcd: 'K', direction: 'high', soc: MET },
  { term: 'Hypokalemia', testcd: 'K', direction: 'low', soc: MET },
  { term: 'Hypernatremia', testcd: 'SODIUM', direction: 'high', soc: MET },
  { term: 'Hyponatremia', testcd: 'SODIUM', direction: 'low', soc: MET },
];

export const GRADED_TESTCDS: ReadonlySet<string> = new Set(LAB_TERMS.map((t) => t.testcd));

export function termsOfTestcd(testcd: string | null | undefined): LabTermDef[] {
  const cd = (testcd ?? '').trim().toUpperCase();
  return LAB_TERMS.filter((t) => t.testcd === cd);
}

export interface LabValue {
  /** LBSTRESN. */
  value: number | null;
  /** LBSTRESC (shown when the result is not numeric). */
  text: string | null;
  /** LBSTRESU. */
  unit: string | null;
  /** LBSTNRLO, LBSTNRHI (standard units). */
  lln: number | null;
  uln: number | null;
  /** LBTOXGR, LBNRIND as given. */
  toxgr?: string | null;
  nrind?: string | null;
}

export type LabGrade =
  | { grade: number; source: 'LBTOXGR' | 'derived'; basis: string; note: string | null }
  | { grade: null; notGradable: string };

const gradable = (grade: number, basis: string, note: string | null = null): LabGrade => ({ grade, source: 'derived', basis, note });
const notGradable = (reason: string): LabGrade => ({ grade: null, notGradable: reason });

// ---------------------------------------------------------------------------------------------
// Units (SI standard units; CDISC UNIT code list spellings and the usual variants)

const norm = (u: string | null | undefined): string => (u ?? '').trim().replace(/\s+/g, '').replace(/µ|μ/g, 'u').replace(/\*\*/g, '^').toUpperCase();

/**
 * Factor that turns a cell count in `unit` into 10^9/L (CTCAE v5.0 gives neutrophil and platelet
 * thresholds in 10^9/L and /mm³; 1 /mm³ = 1 /µL = 10^6/L = 0.001 × 10^9/L). Null when unknown.
 */
export function countFactorTo1e9PerL(unit: string | null | undefined): number | null {
  const u = norm(unit).replace(/^X/, '');
  if (['10^9/L', '10*9/L', '10E9/L', '10^9CELLS/L', 'GI/L', '10^3/UL', '10*3/UL', '10E3/UL', '10^3/MM3', '10*3/MM3', 'K/UL', 'THOU/UL', '1000/UL'].includes(u)) return 1;
  if (['/UL', 'CELLS/UL', '/MM3', 'CELLS/MM3', '10^6/L', '10*6/L', '10E6/L'].includes(u)) return 0.001;
  return null;
}

/** The haemoglobin unit family CTCAE v5.0 "Anemia" has thresholds for (g/dL, g/L, mmol/L), or null. */
export function hgbUnit(unit: string | null | undefined): 'g/L' | 'g/dL' | 'mmol/L' | null {
  const u = norm(unit);
  if (u === 'G/L') return 'g/L';
  if (u === 'G/DL') return 'g/dL';
  if (u === 'MMOL/L') return 'mmol/L';
  return null;
}

/** Potassium and sodium in mmol/L: 1 mEq/L = 1 mmol/L for a monovalent ion. */
export function isMmolPerL(unit: string | null | undefined): boolean {
  const u = norm(unit);
  return u === 'MMOL/L' || u === 'MEQ/L';
}

/**
 * Factor from `from` to `to` for a result compared with another record's (the baseline): same
 * unit, or creatinine / bilirubin between mg/dL and µmol/L (creatinine 1 mg/dL = 88.42 µmol/L,
 * molar mass 113.12 g/mol; bilirubin 1 mg/dL = 17.1 µmol/L, molar mass 584.66 g/mol), or
 * aminotransferases between U/L and µkat/L (1 µkat/L = 60 U/L). Null when they cannot be converted.
 */
export function unitFactor(testcd: string, from: string | null | undefined, to: string | null | undefined): number | null {
  const f = norm(from);
  const t = norm(to);
  if (f === t) return f ? 1 : null;
  const mgdl: Record<string, number> = { CREAT: 88.42, BILI: 17.1 };
  const m = mgdl[testcd];
  if (m !== undefined) {
    if (f === 'MG/DL' && t === 'UMOL/L') return m;
    if (f === 'UMOL/L' && t === 'MG/DL') return 1 / m;
  }
  if (testcd === 'ALT' || testcd === 'AST') {
    const iu = (x: string) => x === 'U/L' || x === 'IU/L';
    if (iu(f) && iu(t)) return 1;
    if (f === 'UKAT/L' && iu(t)) return 60;
    if (iu(f) && t === 'UKAT/L') return 1 / 60;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// The thresholds (CTCAE v5.0, each term as printed; ">a - b" means a < x ≤ b, "<a - b" means b ≤ x < a)

/**
 * Alanine / Aspartate aminotransferase increased (CTCAE v5.0, Investigations):
 * baseline normal:   G1 >ULN - 3.0 × ULN; G2 >3.0 - 5.0 × ULN; G3 >5.0 - 20.0 × ULN; G4 >20.0 × ULN.
 * baseline abnormal: G1 1.5 - 3.0 × baseline; G2 >3.0 - 5.0 × baseline; G3 >5.0 - 20.0 × baseline; G4 >20.0 × baseline.
 * `r` is the result over ULN (baseline normal) or over the baseline value (baseline abnormal).
 */
export function aminotransferaseGrade(r: number, baselineAbnormal: boolean): number {
  if (r > 20) return 4;
  if (r > 5) return 3;
  if (r > 3) return 2;
  if (baselineAbnormal) return r >= 1.5 ? 1 : 0;
  return r > 1 ? 1 : 0;
}

/**
 * Blood bilirubin increased (CTCAE v5.0, Investigations):
 * baseline normal:   G1 >ULN - 1.5 × ULN; G2 >1.5 - 3.0 × ULN; G3 >3.0 - 10.0 × ULN; G4 >10.0 × ULN.
 * baseline abnormal: G1 >1.0 - 1.5 × baseline; G2 >1.5 - 3.0 × baseline; G3 >3.0 - 10.0 × baseline; G4 >10.0 × baseline.
 * `r` is the result over ULN (baseline normal) or over the baseline value (baseline abnormal).
 */
export function bilirubinGrade(r: number): number {
  return r > 10 ? 4 : r > 3 ? 3 : r > 1.5 ? 2 : r > 1 ? 1 : 0;
}

/**
 * Creatinine increased (CTCAE v5.0, Investigations): G1 >ULN - 1.5 × ULN; G2 >1.5 - 3.0 × baseline;
 * >1.5 - 3.0 × ULN; G3 >3.0 × baseline; >3.0 - 6.0 × ULN; G4 >6.0 × ULN. The grade is the higher of
 * the ULN criterion and the baseline criterion (the baseline criterion reaches grade 3 at most).
 */
export function creatinineGrade(xUln: number, xBaseline: number | null): number {
  const byUln = xUln > 6 ? 4 : xUln > 3 ? 3 : xUln > 1.5 ? 2 : xUln > 1 ? 1 : 0;
  const byBase = xBaseline === null ? 0 : xBaseline > 3 ? 3 : xBaseline > 1.5 ? 2 : 0;
  return Math.max(byUln, byBase);
}

/** A decreasing count: grade 4/3/2 below absolute cut-offs, grade 1 below LLN. Null when LLN is needed and missing. */
function lowGrade(v: number, cuts: readonly [number, number, number] | readonly [number, number], lln: number | null): number | null {
  // cuts are [g2, g3, g4?] upper bounds, strictly "<".
  for (let i = cuts.length - 1; i >= 0; i--) if (v < cuts[i]!) return i + 2;
  if (lln === null) return null;
  return v < lln ? 1 : 0;
}

function highGrade(v: number, cuts: readonly [number, number, number], uln: number | null): number | null {
  for (let i = cuts.length - 1; i >= 0; i--) if (v > cuts[i]!) return i + 2;
  if (uln === null) return null;
  return v > uln ? 1 : 0;
}

/**
 * Neutrophil count decreased (CTCAE v5.0, Investigations), 10^9/L: G1 <LLN - 1.5; G2 <1.5 - 1.0;
 * G3 <1.0 - 0.5; G4 <0.5.
 */
export function neutrophilGrade(v: number, lln: number | null): number | null {
  return lowGrade(v, [1.5, 1.0, 0.5], lln);
}

/** Platelet count decreased (CTCAE v5.0, Investigations), 10^9/L: G1 <LLN - 75.0; G2 <75.0 - 50.0; G3 <50.0 - 25.0; G4 <25.0. */
export function plateletGrade(v: number, lln: number | null): number | null {
  return lowGrade(v, [75, 50, 25], lln);
}

/**
 * Anemia (CTCAE v5.0, Blood and lymphatic system disorders): G1 Hgb <LLN - 10.0 g/dL; <LLN - 6.2
 * mmol/L; <LLN - 100 g/L. G2 <10.0 - 8.0 g/dL; <6.2 - 4.9 mmol/L; <100 - 80 g/L. G3 <8.0 g/dL;
 * <4.9 mmol/L; <80 g/L (grade 4 and 5 are clinical: life-threatening, death). Each unit has its own
 * printed thresholds (6.2 mmol/L is not exactly 100 g/L), so none is converted to another.
 */
export function anemiaGrade(v: number, unit: 'g/L' | 'g/dL' | 'mmol/L', lln: number | null): number | null {
  const cuts = { 'g/L': [100, 80], 'g/dL': [10, 8], 'mmol/L': [6.2, 4.9] } as const;
  return lowGrade(v, cuts[unit], lln);
}

/** Hyperkalemia (CTCAE v5.0, Metabolism and nutrition disorders), mmol/L: G1 >ULN - 5.5; G2 >5.5 - 6.0; G3 >6.0 - 7.0; G4 >7.0. */
export function hyperkalemiaGrade(v: number, uln: number | null): number | null {
  return highGrade(v, [5.5, 6.0, 7.0], uln);
}

/**
 * Hypokalemia (CTCAE v5.0, Metabolism and nutrition disorders), mmol/L: G1 <LLN - 3.0; G2
 * symptomatic with <LLN - 3.0, intervention indicated; G3 <3.0 - 2.5; G4 <2.5. Grade 2 differs from
 * grade 1 only by symptoms: a result <LLN - 3.0 is grade 1 here (see `note`).
 */
export function hypokalemiaGrade(v: number, lln: number | null): number | null {
  if (v < 2.5) return 4;
  if (v < 3.0) return 3;
  if (lln === null) return null;
  return v < lln ? 1 : 0;
}

/** Hypernatremia (CTCAE v5.0, Metabolism and nutrition disorders), mmol/L: G1 >ULN - 150; G2 >150 - 155; G3 >155 - 160; G4 >160. */
export function hypernatremiaGrade(v: number, uln: number | null): number | null {
  return highGrade(v, [150, 155, 160], uln);
}

/**
 * Hyponatremia (CTCAE v5.0, Metabolism and nutrition disorders), mmol/L: G1 <LLN - 130; G2 125-129
 * and asymptomatic; G3 125-129 symptomatic, 120-124 regardless of symptoms; G4 <120. On a
 * continuous scale 125 ≤ x < 130 is grade 2 (grade 3 if symptomatic: see `note`), 120 ≤ x < 125 grade 3.
 */
export function hyponatremiaGrade(v: number, lln: number | null): number | null {
  return lowGrade(v, [130, 125, 120], lln);
}

// ---------------------------------------------------------------------------------------------

/** LBTOXGR as a grade 0-4: "3", "GRADE 3", "Grade 3"; a sign ("-2", ADaM's low direction) is dropped. Null when not a grade. */
export function parseToxgr(text: string | null | undefined): number | null {
  const m = text ? /^\s*(?:grade\s*)?[-+]?([0-4])(?:\.0+)?\s*$/i.exec(text) : null;
  return m ? Number(m[1]) : null;
}

/** Direction of a result relative to its range: from the value and LBSTNRLO/HI, else LBNRIND, else a signed LBTOXGR. */
export function resultDirection(r: LabValue): LabDirection | 'normal' | null {
  if (r.value !== null) {
    if (r.uln !== null && r.value > r.uln) return 'high';
    if (r.lln !== null && r.value < r.lln) return 'low';
    if (r.uln !== null && r.lln !== null) return 'normal';
  }
  const nr = (r.nrind ?? '').trim().toUpperCase();
  if (nr === 'HIGH') return 'high';
  if (nr === 'LOW') return 'low';
  if (nr === 'NORMAL') return 'normal';
  if (/^\s*-/.test(r.toxgr ?? '')) return 'low';
  return null;
}

export interface LabBaseline {
  /** The baseline result (LBSTRESN) and its unit and ULN; null value when there is no baseline. */
  value: number | null;
  unit: string | null;
  uln: number | null;
}

const fmt = (x: number) => String(Math.round(x * 1000) / 1000);

/**
 * The CTCAE v5.0 grade of one result for one term. LBTOXGR wins when it is a grade (for the
 * two-directional potassium and sodium its direction comes from the result, LBNRIND or its sign);
 * otherwise the grade is derived from the thresholds above. `baseline` serves the terms whose
 * grades depend on it (ALT, AST, bilirubin: normal or abnormal baseline; creatinine: × baseline).
 */
export function ctcaeLabGrade(def: LabTermDef, r: LabValue, baseline: LabBaseline | null = null): LabGrade {
  const given = parseToxgr(r.toxgr);
  if (given !== null) {
    if (!['K', 'SODIUM'].includes(def.testcd) || given === 0) return { grade: given, source: 'LBTOXGR', basis: `LBTOXGR ${r.toxgr!.trim()}`, note: null };
    const dir = resultDirection(r);
    if (dir === null) return notGradable(`LBTOXGR ${r.toxgr!.trim()} given, but whether it is ${def.term.toLowerCase()} is unknown (no normal range, LBNRIND not HIGH or LOW)`);
    return { grade: dir === def.direction ? given : 0, source: 'LBTOXGR', basis: `LBTOXGR ${r.toxgr!.trim()} (${dir})`, note: null };
  }
  const toxNote = r.toxgr && r.toxgr.trim() ? `LBTOXGR "${r.toxgr.trim()}" is not a grade 0-4; derived from the value` : null;
  const g = derive(def, r, baseline);
  if (g.grade !== null && toxNote) return { ...g, note: g.note ? `${toxNote}; ${g.note}` : toxNote };
  return g;
}

function derive(def: LabTermDef, r: LabValue, baseline: LabBaseline | null): LabGrade {
  if (r.value === null || !Number.isFinite(r.value)) {
    const t = (r.text ?? '').trim();
    return notGradable(t ? `result "${t}" is not numeric (LBSTRESN empty)` : 'no result (LBSTRESN and LBSTRESC empty)');
  }
  const v = r.value;
  const unitText = r.unit && r.unit.trim() ? `"${r.unit.trim()}"` : 'missing';
  const needs = (what: string) => notGradable(`${what} missing: needed to grade ${fmt(v)} ${r.unit ?? ''}`.trim());
  switch (def.testcd) {
    case 'ALT':
    case 'AST': {
      if (r.uln === null || r.uln <= 0) return needs('upper limit of normal (LBSTNRHI)');
      const bAbn = baselineAbnormal(baseline);
      if (bAbn) {
        const f = unitFactor(def.testcd, r.unit, baseline!.unit);
        if (f === null) return notGradable(`baseline unit "${baseline!.unit ?? ''}" and result unit ${unitText} cannot be converted to each other`);
        const x = (v * f) / baseline!.value!;
        return gradable(aminotransferaseGrade(x, true), `${fmt(x)} × baseline (baseline abnormal: ${fmt(baseline!.value!)} > ULN ${fmt(baseline!.uln!)})`);
      }
      const x = v / r.uln;
      return gradable(aminotransferaseGrade(x, false), `${fmt(x)} × ULN (${baseline?.value == null ? 'no baseline: baseline-normal criteria' : 'baseline normal'})`);
    }
    case 'BILI': {
      if (r.uln === null || r.uln <= 0) return needs('upper limit of normal (LBSTNRHI)');
      if (baselineAbnormal(baseline)) {
        const f = unitFactor('BILI', r.unit, baseline!.unit);
        if (f === null) return notGradable(`baseline unit "${baseline!.unit ?? ''}" and result unit ${unitText} cannot be converted to each other`);
        const x = (v * f) / baseline!.value!;
        return gradable(bilirubinGrade(x), `${fmt(x)} × baseline (baseline abnormal: ${fmt(baseline!.value!)} > ULN ${fmt(baseline!.uln!)})`);
      }
      const x = v / r.uln;
      return gradable(bilirubinGrade(x), `${fmt(x)} × ULN (${baseline?.value == null ? 'no baseline: baseline-normal criteria' : 'baseline normal'})`);
    }
    case 'CREAT': {
      if (r.uln === null || r.uln <= 0) return needs('upper limit of normal (LBSTNRHI)');
      const x = v / r.uln;
      let xb: number | null = null;
      let note: string | null = null;
      if (baseline?.value != null && baseline.value > 0) {
        const f = unitFactor('CREAT', r.unit, baseline.unit);
        if (f === null) note = `× baseline not assessed: baseline unit "${baseline.unit ?? ''}" and ${unitText} cannot be converted`;
        else xb = (v * f) / baseline.value;
      } else note = '× baseline not assessed: no baseline';
      return gradable(creatinineGrade(x, xb), `${fmt(x)} × ULN${xb === null ? '' : `, ${fmt(xb)} × baseline`}`, note);
    }
    case 'NEUT':
    case 'PLAT': {
      const f = countFactorTo1e9PerL(r.unit);
      if (f === null) return notGradable(`unit ${unitText} cannot be converted to 10^9/L`);
      const x = v * f;
      const lln = r.lln === null ? null : r.lln * f;
      const g = def.testcd === 'NEUT' ? neutrophilGrade(x, lln) : plateletGrade(x, lln);
      return g === null ? needs('lower limit of normal (LBSTNRLO)') : gradable(g, `${fmt(x)} × 10^9/L`);
    }
    case 'HGB': {
      const u = hgbUnit(r.unit);
      if (u === null) return notGradable(`unit ${unitText} is not one CTCAE v5.0 gives haemoglobin thresholds in (g/dL, g/L, mmol/L)`);
      const g = anemiaGrade(v, u, r.lln);
      return g === null ? needs('lower limit of normal (LBSTNRLO)') : gradable(g, `${fmt(v)} ${u}`, g === 3 ? 'grade 4 and 5 are clinical (life-threatening, death): not from the value' : null);
    }
    case 'K':
    case 'SODIUM': {
      if (!isMmolPerL(r.unit)) return notGradable(`unit ${unitText} is not mmol/L or mEq/L`);
      const K = def.testcd === 'K';
      const g = def.direction === 'high' ? (K ? hyperkalemiaGrade(v, r.uln) : hypernatremiaGrade(v, r.uln)) : K ? hypokalemiaGrade(v, r.lln) : hyponatremiaGrade(v, r.lln);
      if (g === null) return needs(def.direction === 'high' ? 'upper limit of normal (LBSTNRHI)' : 'lower limit of normal (LBSTNRLO)');
      const note = K && def.direction === 'low' && g === 1 ? 'grade 2 if symptomatic with intervention indicated (clinical, not in LB)' : !K && def.direction === 'low' && g === 2 ? 'grade 3 if symptomatic (clinical, not in LB)' : null;
      return gradable(g, `${fmt(v)} mmol/L`, note);
    }
  }
  return notGradable(`${def.testcd} has no CTCAE v5.0 rule here`);
}

/** Baseline abnormal (CTCAE v5.0 "if baseline was abnormal") = the baseline result above its ULN. */
function baselineAbnormal(b: LabBaseline | null): boolean {
  return !!b && b.value !== null && b.uln !== null && b.value > b.uln && b.value > 0;
}
