import { z } from 'zod';
import { buildCounted, lazySchema } from '../lazySchema';

/**
 * Declares one API method: what it does, its input schema and its output schema. The schemas are
 * built on first use (a getter each, kept once built): building all of the contract's zod schemas
 * costs some 70 ms of CPU at every start, and `dosedesk ci` validates one method's input alone.
 */
export function method<I extends z.ZodType, O extends z.ZodType>(description: string, input: () => I, output: () => O): MethodDef<I, O> {
  let i: I | undefined;
  let o: O | undefined;
  return {
    description,
    get input() {
      return (i ??= buildCounted(input));
    },
    get output() {
      return (o ??= buildCounted(output));
    },
  };
}

export interface MethodDef<I extends z.ZodType, O extends z.ZodType> {
  readonly description: string;
  readonly input: I;
  readonly output: O;
}

export const SnapshotId = lazySchema(() => z.number().int().positive());

/** Only these subjects (USUBJID); absent = every subject of the snapshot. */
export const Usubjids = lazySchema(() => z.array(z.string()).max(1_000_000).optional());

/**
 * The session of the signed-in account, on every method that writes (issue 11). Optional in the schema
 * because a database without accounts (a scratch database) accepts writes without one; the core
 * refuses a write without a session once any account exists (electron/core/access/actor.ts).
 */
export const WriteSession = lazySchema(() => z.string().min(16).max(200).optional());

/** Rows (the default) or columns (shared/columns.ts: the same rows in a fraction of the bytes, for a view of 10,000 subjects). */
export const RowsAs = lazySchema(() => z.enum(['rows', 'columns']).default('rows'));
