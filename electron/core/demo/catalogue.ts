// Controlled vocabulary used by the demo generator: MedDRA preferred terms with their primary
// system organ class (MedDRA 27.0 names), verbatim terms as an investigator might write them,
// and the CTCAE v5.0 laboratory link where a term is defined by a lab value.

export type LabTest = 'ALT' | 'AST' | 'NEUT' | 'PLAT' | 'HGB';

export interface AeTerm {
  decod: string;
  soc: string;
  /** Verbatim terms (AETERM). */
  terms: readonly string[];
  /** Probability that the investigator judges it related to IBB0979. */
  pRelated: number;
  /** Relative frequency among background AEs (0 = only scripted). */
  weight: number;
  lab?: LabTest;
}

const GEN = 'General disorders and administration site conditions';
const GI = 'Gastrointestinal disorders';
const BLOOD = 'Blood and lymphatic system disorders';
const INV = 'Investigations';
const SKIN = 'Skin and subcutaneous tissue disorders';
const RESP = 'Respiratory, thoracic and mediastinal disorders';
const META = 'Metabolism and nutrition disorders';
const INF = 'Infections and infestations';
const MSK = 'Musculoskeletal and connective tissue disorders';

export const AE_TERMS: readonly AeTerm[] = [
  { decod: 'Fatigue', soc: GEN, terms: ['Fatigue', 'Tiredness'], pRelated: 0.5, weight: 14 },
  { decod: 'Pyrexia', soc: GEN, terms: ['Fever', 'Pyrexia'], pRelated: 0.4, weight: 7 },
  { decod: 'Nausea', soc: GI, terms: ['Nausea'], pRelated: 0.5, weight: 10 },
  { decod: 'Diarrhoea', soc: GI, terms: ['Diarrhea', 'Loose stools'], pRelated: 0.4, weight: 8 },
  { decod: 'Vomiting', soc: GI, terms: ['Vomiting'], pRelated: 0.4, weight: 5 },
  { decod: 'Constipation', soc: GI, terms: ['Constipation'], pRelated: 0.1, weight: 6 },
  { decod: 'Decreased appetite', soc: META, terms: ['Loss of appetite', 'Anorexia'], pRelated: 0.3, weight: 6 },
  { decod: 'Hypokalaemia', soc: META, terms: ['Low potassium'], pRelated: 0.2, weight: 3 },
  {
    decod: 'Infusion related reaction',
    soc: 'Injury, poisoning and procedural complications',
    terms: ['Infusion related reaction', 'Infusion reaction'],
    pRelated: 1,
    weight: 5,
  },
  { decod: 'Rash', soc: SKIN, terms: ['Rash', 'Skin rash'], pRelated: 0.6, weight: 5 },
  { decod: 'Pruritus', soc: SKIN, terms: ['Itching'], pRelated: 0.5, weight: 4 },
  { decod: 'Anaemia', soc: BLOOD, terms: ['Anemia'], pRelated: 0.3, weight: 6, lab: 'HGB' },
  { decod: 'Neutropenia', soc: BLOOD, terms: ['Neutropenia'], pRelated: 0.6, weight: 3, lab: 'NEUT' },
  { decod: 'Thrombocytopenia', soc: BLOOD, terms: ['Thrombocytopenia', 'Low platelets'], pRelated: 0.6, weight: 3, lab: 'PLAT' },
  { decod: 'Febrile neutropenia', soc: BLOOD, terms: ['Febrile neutropenia'], pRelated: 0.8, weight: 0, lab: 'NEUT' },
  { decod: 'Alanine aminotransferase increased', soc: INV, terms: ['ALT increased', 'Elevated ALT'], pRelated: 0.6, weight: 4, lab: 'ALT' },
  { decod: 'Aspartate aminotransferase increased', soc: INV, terms: ['AST increased'], pRelated: 0.6, weight: 3, lab: 'AST' },
  { decod: 'Lymphocyte count decreased', soc: INV, terms: ['Lymphopenia'], pRelated: 0.6, weight: 0 },
  { decod: 'Hypertension', soc: 'Vascular disorders', terms: ['Hypertension', 'High blood pressure'], pRelated: 0.3, weight: 4 },
  { decod: 'Headache', soc: 'Nervous system disorders', terms: ['Headache'], pRelated: 0.3, weight: 6 },
  { decod: 'Arthralgia', soc: MSK, terms: ['Joint pain'], pRelated: 0.2, weight: 4 },
  { decod: 'Back pain', soc: MSK, terms: ['Back pain'], pRelated: 0.05, weight: 4 },
  { decod: 'Cough', soc: RESP, terms: ['Cough'], pRelated: 0.1, weight: 5 },
  { decod: 'Dyspnoea', soc: RESP, terms: ['Shortness of breath', 'Dyspnea'], pRelated: 0.1, weight: 4 },
  { decod: 'Pneumonitis', soc: RESP, terms: ['Pneumonitis'], pRelated: 0.9, weight: 0 },
  { decod: 'Urinary tract infection', soc: INF, terms: ['UTI', 'Urinary tract infection'], pRelated: 0, weight: 3 },
  { decod: 'Pneumonia', soc: INF, terms: ['Pneumonia'], pRelated: 0, weight: 0 },
  { decod: 'Sepsis', soc: INF, terms: ['Sepsis'], pRelated: 0, weight: 0 },
  { decod: 'Small intestinal obstruction', soc: GI, terms: ['Small bowel obstruction'], pRelated: 0, weight: 0 },
  { decod: 'Hypothyroidism', soc: 'Endocrine disorders', terms: ['Hypothyroidism'], pRelated: 0.9, weight: 1 },
];

const BY_DECOD = new Map(AE_TERMS.map((t) => [t.decod, t]));

export function aeTerm(decod: string): AeTerm {
  const t = BY_DECOD.get(decod);
  if (!t) throw new Error(`unknown AE term ${decod}`);
  return t;
}

export const BACKGROUND_TERMS = AE_TERMS.filter((t) => t.weight > 0);
export const BACKGROUND_WEIGHTS = BACKGROUND_TERMS.map((t) => t.weight);

/** DLT-type events used for scaled (random) subjects: term and CTCAE grade. */
export const DLT_EVENTS: ReadonlyArray<{ decod: string; grade: 3 | 4; serious: boolean }> = [
  { decod: 'Febrile neutropenia', grade: 3, serious: true },
  { decod: 'Neutropenia', grade: 4, serious: false },
  { decod: 'Thrombocytopenia', grade: 4, serious: true },
  { decod: 'Alanine aminotransferase increased', grade: 3, serious: false },
  { decod: 'Pneumonitis', grade: 3, serious: true },
  { decod: 'Rash', grade: 3, serious: false },
];

/** CTCAE v5.0 severity words for AESEV (grade 1 mild, 2 moderate, >= 3 severe). */
export function severity(grade: number): string {
  return grade <= 1 ? 'MILD' : grade === 2 ? 'MODERATE' : 'SEVERE';
}

export interface LabDef {
  testcd: LabTest;
  test: string;
  unit: string;
  lo: number;
  hi: number;
  /** Typical baseline value and spread (SD). */
  mean: number;
  sd: number;
  decimals: number;
}

export const LABS: readonly LabDef[] = [
  { testcd: 'ALT', test: 'Alanine Aminotransferase', unit: 'U/L', lo: 7, hi: 40, mean: 22, sd: 7, decimals: 0 },
  { testcd: 'AST', test: 'Aspartate Aminotransferase', unit: 'U/L', lo: 10, hi: 40, mean: 24, sd: 6, decimals: 0 },
  { testcd: 'NEUT', test: 'Neutrophils', unit: '10^9/L', lo: 2, hi: 7.5, mean: 4.2, sd: 1.1, decimals: 2 },
  { testcd: 'PLAT', test: 'Platelets', unit: '10^9/L', lo: 150, hi: 400, mean: 250, sd: 55, decimals: 0 },
  { testcd: 'HGB', test: 'Hemoglobin', unit: 'g/L', lo: 120, hi: 160, mean: 131, sd: 10, decimals: 0 },
];

/**
 * Chemistry added for the laboratory-safety views (CTCAE grades derived by DoseDesk, so LBTOXGR is
 * left empty): total bilirubin and creatinine in µmol/L, potassium and sodium in mmol/L.
 */
export interface ChemDef {
  testcd: 'BILI' | 'CREAT' | 'K' | 'SODIUM';
  test: string;
  unit: string;
  lo: number;
  hi: number;
  mean: number;
  sd: number;
  /** Visit-to-visit coefficient of variation. */
  cv: number;
  decimals: number;
}

export const CHEM_LABS: readonly ChemDef[] = [
  { testcd: 'BILI', test: 'Bilirubin', unit: 'umol/L', lo: 3, hi: 21, mean: 9, sd: 2.5, cv: 0.08, decimals: 0 },
  { testcd: 'CREAT', test: 'Creatinine', unit: 'umol/L', lo: 50, hi: 110, mean: 76, sd: 12, cv: 0.05, decimals: 0 },
  { testcd: 'K', test: 'Potassium', unit: 'mmol/L', lo: 3.5, hi: 5.1, mean: 4.2, sd: 0.25, cv: 0.04, decimals: 1 },
  { testcd: 'SODIUM', test: 'Sodium', unit: 'mmol/L', lo: 135, hi: 145, mean: 140, sd: 1.8, cv: 0.01, decimals: 0 },
];

/**
 * CTCAE v5.0 grade of a laboratory value (NCI CTCAE v5.0, 2017):
 * ALT/AST increased: G1 >ULN–3×ULN, G2 >3–5×ULN, G3 >5–20×ULN, G4 >20×ULN (normal baseline).
 * Neutrophil count decreased: G1 <LLN–1.5, G2 <1.5–1.0, G3 <1.0–0.5, G4 <0.5 ×10^9/L.
 * Platelet count decreased: G1 <LLN–75, G2 <75–50, G3 <50–25, G4 <25 ×10^9/L.
 * Anaemia: G1 Hb <LLN–100 g/L, G2 <100–80, G3 <80 g/L.
 */
export function labGrade(def: LabDef, v: number): number {
  switch (def.testcd) {
    case 'ALT':
    case 'AST': {
      const r = v / def.hi;
      return r > 20 ? 4 : r > 5 ? 3 : r > 3 ? 2 : r > 1 ? 1 : 0;
    }
    case 'NEUT':
      return v < 0.5 ? 4 : v < 1 ? 3 : v < 1.5 ? 2 : v < def.lo ? 1 : 0;
    case 'PLAT':
      return v < 25 ? 4 : v < 50 ? 3 : v < 75 ? 2 : v < def.lo ? 1 : 0;
    case 'HGB':
      return v < 80 ? 3 : v < 100 ? 2 : v < def.lo ? 1 : 0;
  }
}

/** A value inside the CTCAE band of `grade` (used to make labs agree with lab-defined AEs). */
export function labValueForGrade(def: LabDef, grade: number, u: number): number {
  const band = (a: number, b: number): number => a + (b - a) * (0.2 + 0.6 * u);
  switch (def.testcd) {
    case 'ALT':
    case 'AST': {
      const [a, b] = grade >= 4 ? [21, 25] : grade === 3 ? [5.2, 9] : grade === 2 ? [3.2, 4.8] : [1.2, 2.8];
      return band(a, b) * def.hi;
    }
    case 'NEUT':
      return grade >= 4 ? band(0.1, 0.45) : grade === 3 ? band(0.55, 0.95) : grade === 2 ? band(1.05, 1.45) : band(1.55, 1.95);
    case 'PLAT':
      return grade >= 4 ? band(8, 24) : grade === 3 ? band(27, 48) : grade === 2 ? band(52, 73) : band(80, 145);
    case 'HGB':
      return grade >= 3 ? band(68, 79) : grade === 2 ? band(82, 98) : band(102, 118);
  }
}
