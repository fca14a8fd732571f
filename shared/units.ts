// Units as a clinical document writes them. SDTM and the NCA carry units in ASCII (PCSTRESU "ug/mL",
// PPSTRESU "h*ug/mL"): the CDISC UNIT code list itself spells micro as "u" (e.g. C48152 "ug") because
// transport files are ASCII, while protocols, CSRs and SI (BIPM SI Brochure, 9th ed., §3: prefix
// symbol µ) write µg/mL and h·µg/mL. Stored values stay as imported; only what is shown changes.

/** Unit symbols after which a leading "u" is the SI prefix micro (g, L, mol, IU, …; also "mcg"). */
const MICRO = /(^|[^A-Za-z])u(g|L|l|mol|M|IU|U|m|s|Eq|eq)(?![A-Za-z])/g;

/**
 * The unit as shown in views, tables and exports: "u" as the micro prefix becomes "µ" (ug/mL →
 * µg/mL, umol/L → µmol/L), "mcg" becomes "µg", and "*" as a product becomes the middle dot
 * (h*ug/mL → h·µg/mL). Anything else is returned as given (trimmed); empty or missing gives ''.
 */
export function displayUnit(unit: string | null | undefined): string {
  if (!unit) return '';
  return unit
    .trim()
    .replace(/(^|[^A-Za-z])mcg(?![A-Za-z])/g, '$1µg')
    .replace(MICRO, '$1µ$2')
    .replace(/\s*\*\s*/g, '·');
}
