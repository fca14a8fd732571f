// A PC result as a number, a BLQ flag and the LLOQ (docs/CLINICAL_RULES.md#pk-profiles).
// SDTMIG v3.4 PC: PCSTRESN holds the numeric result; a result below the lower limit of quantitation
// is reported in PCSTRESC as text ("<BLQ", "BLQ", "<1.40", "< LLOQ") with PCSTRESN empty, and the
// limit in PCLLOQ. Rules (in this order):
//   1. PCSTRESN present and finite → measurable, conc = PCSTRESN.
//   2. PCSTRESC "<x" (x a number) → BLQ, LLOQ = PCLLOQ if given, else x.
//   3. PCSTRESC naming BLQ/BLOQ/BQL/LLOQ/"BELOW" (with or without "<") → BLQ, LLOQ = PCLLOQ.
//   4. PCSTRESC a plain number (PCSTRESN not filled by the sender) → measurable.
//   5. Anything else (empty, "NS", "NR", "NOT DONE") → missing: conc null, not BLQ.

export interface ParsedConcentration {
  conc: number | null;
  blq: boolean;
  lloq: number | null;
}

const LESS_THAN = /^<\s*=?\s*([0-9]*\.?[0-9]+(?:[eE][+-]?\d+)?)\s*$/;
const BLQ_WORD = /^<?\s*(BLQ|BLOQ|BQL|BQ|LLOQ|<\s*LLOQ|BELOW\b.*|NQ)\s*$/i;
const NUMBER = /^[+-]?([0-9]*\.?[0-9]+(?:[eE][+-]?\d+)?)$/;

export function parseConcentration(stresn: number | null | undefined, stresc: string | null | undefined, pclloq: number | null | undefined): ParsedConcentration {
  const lloq = typeof pclloq === 'number' && Number.isFinite(pclloq) && pclloq > 0 ? pclloq : null;
  if (typeof stresn === 'number' && Number.isFinite(stresn)) return { conc: stresn, blq: false, lloq };
  const text = (stresc ?? '').trim();
  const lt = LESS_THAN.exec(text);
  if (lt) return { conc: null, blq: true, lloq: lloq ?? Number(lt[1]) };
  if (BLQ_WORD.test(text)) return { conc: null, blq: true, lloq };
  if (NUMBER.test(text)) return { conc: Number(text), blq: false, lloq };
  return { conc: null, blq: false, lloq };
}
