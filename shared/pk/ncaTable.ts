// The PK view's NCA table as flat rows: what each cell of a subject's row shows of pk.nca's NcaRow (the
// parameters the table lists, the λz fit, who chose it), one object per subject with no nested parts,
// so that pk.nca can send the table as columns (shared/columns.ts): 10,000 subjects in about 1 MB
// instead of 14 MB. Pure. The table's cells show 4 significant digits; the view asks for the values at
// that precision and for the full values when it writes the CSV (renderer/src/components/PkTables.tsx).

/** The fields of an NcaRow the table reads (structural: shared/api/pk.ts NcaRow has them). */
export interface NcaRowFields {
  usubjid: string;
  doseLevel: number | null;
  part: 'escalation' | 'expansion';
  dose: { cycle: number; doseMg: number | null };
  notes: string[];
  parameters: { PPTESTCD: string; value: number | null; reason?: string }[];
  lambdaZ: { method: 'auto' | 'manual-range' | 'manual-exclusion'; lower: number; upper: number; nPoints: number; adjR2: number | null } | null;
  lambdaZNote: string | null;
  choice: { choice: { kind: 'auto' | 'range' | 'exclude' }; by: string; at: string } | null;
}

export interface NcaTableRow {
  usubjid: string;
  doseLevel: number | null;
  part: 'escalation' | 'expansion';
  cycle: number;
  doseMg: number | null;
  /** The table's parameters in the order of its `codes`; null = not computed (then `why` may say why). */
  values: (number | null)[];
  /** PPTESTCD → why its value is empty (λz not estimable); only the empty ones. */
  why: Record<string, string>;
  lzMethod: 'auto' | 'manual-range' | 'manual-exclusion' | null;
  lzPoints: number | null;
  lzAdjR2: number | null;
  lzLower: number | null;
  lzUpper: number | null;
  lzNote: string | null;
  /** The reviewer's stored choice in force: its kind, who and when; null = automatic, never chosen. */
  choiceKind: 'auto' | 'range' | 'exclude' | null;
  choiceBy: string | null;
  choiceAt: string | null;
  notes: string[];
}

/** x at `digits` significant digits, as the table prints it (integers from 10^digits up); null stays null. */
export function significant(x: number | null, digits: number): number | null {
  if (x === null || x === 0 || !Number.isFinite(x)) return x;
  if (Math.abs(x) >= 10 ** digits) return Math.round(x);
  return Number(x.toPrecision(digits));
}

/** A subject's row of the NCA table: `codes` are the parameters shown; `digits` null = full values. */
export function ncaTableRow(r: NcaRowFields, codes: readonly string[], digits: number | null): NcaTableRow {
  const round = (x: number | null) => (digits === null ? x : significant(x, digits));
  const why: Record<string, string> = {};
  const values = codes.map((code) => {
    const p = r.parameters.find((q) => q.PPTESTCD === code);
    if (p?.value === null && p.reason) why[code] = p.reason;
    return round(p?.value ?? null);
  });
  const lz = r.lambdaZ;
  return {
    usubjid: r.usubjid,
    doseLevel: r.doseLevel,
    part: r.part,
    cycle: r.dose.cycle,
    doseMg: round(r.dose.doseMg),
    values,
    why,
    lzMethod: lz?.method ?? null,
    lzPoints: lz?.nPoints ?? null,
    lzAdjR2: lz ? round(lz.adjR2) : null,
    lzLower: lz ? round(lz.lower) : null,
    lzUpper: lz ? round(lz.upper) : null,
    lzNote: r.lambdaZNote,
    choiceKind: r.choice?.choice.kind ?? null,
    choiceBy: r.choice?.by ?? null,
    choiceAt: r.choice?.at ?? null,
    notes: r.notes,
  };
}
