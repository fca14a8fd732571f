// An in-memory SDTM dataset: column metadata (name, type, label) and rows of cells.
import type { Cell, ColumnMeta } from '../readers/types.js';

export interface Domain {
  /** Dataset name, upper case (DM, SUPPAE, ...). */
  name: string;
  label: string;
  columns: ColumnMeta[];
  rows: Cell[][];
}

/** Column spec `NAME:C|N:Label` → ColumnMeta. */
export function cols(specs: readonly string[]): ColumnMeta[] {
  return specs.map((s) => {
    const [name, t, label] = s.split(':') as [string, string, string];
    return { name, type: t === 'N' ? 'number' : 'string', label };
  });
}

export function domain(name: string, label: string, specs: readonly string[]): Domain {
  return { name, label, columns: cols(specs), rows: [] };
}
