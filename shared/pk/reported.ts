// Which computed profile a reported PK parameter (PP) belongs to (SDTMIG v3.4 PP: PPCAT "used to
// define a category of related records", by convention the analyte — pharmaverse/admiral and the
// CDISC pilot put the PCTESTCD there —; PPSPEC the specimen the parameter was derived from).
//   analyte = PPCAT when it is a PCTESTCD of the snapshot; else the only analyte when there is one;
//             else none (the record is not compared, and the mapping report says so).
//   matrix  = PPSPEC (upper-cased) when given; else the analyte's default matrix (chooseMatrix without
//             a user choice), since a sponsor that omits PPSPEC reports the primary matrix.
// A PP record is compared with a computed value only when analyte, matrix and PPTESTCD all match.

import { chooseMatrix, matrixOf } from './profiles';

export interface PpTarget {
  analyte: string | null;
  matrix: string | null;
  /** Why it matches no profile, or null. */
  unmatched: null | 'PPCAT' | 'PPSPEC';
}

export function ppTarget(
  ppcat: string | null,
  ppspec: string | null,
  available: readonly { analyte: string; matrix: string }[],
  definedMatrix?: string,
): PpTarget {
  const analytes = [...new Set(available.map((a) => a.analyte))];
  const cat = (ppcat ?? '').trim();
  const analyte = analytes.includes(cat) ? cat : analytes.find((a) => a.toUpperCase() === cat.toUpperCase()) ?? (analytes.length === 1 ? analytes[0]! : null);
  if (analyte === null) return { analyte: null, matrix: null, unmatched: 'PPCAT' };
  const present = available.filter((a) => a.analyte === analyte).map((a) => a.matrix);
  const spec = matrixOf(ppspec);
  const matrix = spec !== '' ? spec : chooseMatrix(present, definedMatrix);
  if (matrix === null || !present.includes(matrix)) return { analyte, matrix: spec || null, unmatched: 'PPSPEC' };
  return { analyte, matrix, unmatched: null };
}
