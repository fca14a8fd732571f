import { z } from 'zod';

/** Declares one API method: what it does, its input schema and its output schema. */
export const method = <I extends z.ZodType, O extends z.ZodType>(description: string, input: I, output: O) => ({ description, input, output });

export const SnapshotId = z.number().int().positive();

/** Only these subjects (USUBJID); absent = every subject of the snapshot. */
export const Usubjids = z.array(z.string()).max(1_000_000).optional();

/**
 * The session of the signed-in account, on every method that writes (issue 11). Optional in the schema
 * because a database without accounts (a scratch database) accepts writes without one; the core
 * refuses a write without a session once any account exists (electron/core/access/actor.ts).
 */
export const WriteSession = z.string().min(16).max(200).optional();
