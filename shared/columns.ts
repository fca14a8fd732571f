import { z } from 'zod';
import { lazySchema } from './lazySchema';

// Rows sent as columns: one array per field instead of one object per row, so that a field's name
// travels once, not 25,000 times, and a field with few distinct values (a grade, a dose level, a
// subject with several rows, yes/no) travels as a dictionary and small indexes. The rows a view
// gets back are equal to the core's, field by field (test/unit/columns.test.ts): nothing is rounded
// or dropped. Used where a view needs every row of a large answer (labs.shift, labs.edish, safety.ada
// as the views ask for them); the default of those methods stays rows.

export type Column = { values: unknown[] } | { dict: (string | number | boolean | null)[]; index: number[] };

/** The rows of type R as columns. `row` is never set: it only carries R for `fromColumns`. */
export interface Columns<R> {
  n: number;
  fields: Record<string, Column>;
  readonly row?: R;
}

// Built on first use, as the contract's schemas are (shared/lazySchema.ts).
const ColumnsSchema = lazySchema(() => z.object({
  n: z.number().int().min(0),
  fields: z.record(z.string(), z.union([z.object({ values: z.array(z.unknown()) }), z.object({ dict: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])), index: z.array(z.number().int()) })])),
}));

/** The contract's schema of rows of type R (`row`'s output type, when given) sent as columns. */
export function columnsOf<R>(_row?: z.ZodType<R>): z.ZodType<Columns<R>> {
  return ColumnsSchema as unknown as z.ZodType<Columns<R>>;
}

type Scalar = string | number | boolean | null;
const isScalar = (v: unknown): v is Scalar => v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** A dictionary when the values are scalars and at most half of them distinct; else null. */
function dictionary(values: readonly unknown[]): Column | null {
  const at = new Map<Scalar, number>();
  const dict: Scalar[] = [];
  const index: number[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!isScalar(v)) return null;
    let k = at.get(v);
    if (k === undefined) {
      k = dict.length;
      at.set(v, k);
      dict.push(v);
      if (dict.length * 2 > values.length) return null;
    }
    index[i] = k;
  }
  return { dict, index };
}

/**
 * The rows as columns. Every row must have the first row's fields and no other, none undefined
 * (JSON would turn undefined into null or drop it, and the rows would not come back equal).
 */
export function toColumns<R extends object>(rows: readonly R[]): Columns<R> {
  const keys = rows.length > 0 ? Object.keys(rows[0]!) : [];
  const fields: Record<string, Column> = {};
  for (const k of keys) {
    const values = rows.map((r, i) => {
      const v = (r as Record<string, unknown>)[k];
      if (v === undefined) throw new Error(`toColumns: row ${i} has no value for field ${JSON.stringify(k)} (every row needs the first row's fields)`);
      return v;
    });
    fields[k] = dictionary(values) ?? { values };
  }
  rows.forEach((r, i) => {
    if (Object.keys(r).length !== keys.length) throw new Error(`toColumns: row ${i} has fields ${Object.keys(r).join(', ')}; the first row has ${keys.join(', ')}`);
  });
  return { n: rows.length, fields };
}

/** The rows back, each with the fields in the order sent. */
export function fromColumns<R>(c: Columns<R>): R[] {
  const keys = Object.keys(c.fields);
  const get = keys.map((k) => {
    const col = c.fields[k]!;
    if ('values' in col) return (i: number) => col.values[i];
    return (i: number) => col.dict[col.index[i]!];
  });
  const rows = new Array<R>(c.n);
  for (let i = 0; i < c.n; i++) {
    const row: Record<string, unknown> = {};
    for (let j = 0; j < keys.length; j++) row[keys[j]!] = get[j]!(i);
    rows[i] = row as R;
  }
  return rows;
}
