// A problem found in a snapshot, located precisely enough that a data manager can fix the file:
// which file, which data row (1-based, header not counted) or record, which column, what was
// expected and what was found.
export interface Location {
  file: string;
  /** The entry of a .zip (`file` is then the zip) for a problem of the archive itself. */
  entry?: string;
  /** 1-based data row (CSV record after the header, Dataset-JSON row, XPT observation). */
  row?: number;
  /** Physical line in a text file, when it differs from the row (quoted newlines, header). */
  line?: number;
  /** Byte offset in the file, for binary formats or encoding problems. */
  offset?: number;
  column?: string;
  expected: string;
  found: string;
}

export class LocatedError extends Error {
  readonly location: Location;
  constructor(location: Location) {
    super(formatLocation(location));
    this.name = 'LocatedError';
    this.location = location;
  }
}

export function formatLocation(l: Location): string {
  const where = [
    l.file,
    l.entry !== undefined ? `entry ${l.entry}` : undefined,
    l.row !== undefined ? `row ${l.row}` : undefined,
    l.line !== undefined ? `line ${l.line}` : undefined,
    l.offset !== undefined ? `byte ${l.offset}` : undefined,
    l.column !== undefined ? `column ${l.column}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  return `${where}: expected ${l.expected}, found ${l.found}`;
}
