import type { z } from 'zod';

/** Declares one API method: what it does, its input schema and its output schema. */
export const method = <I extends z.ZodType, O extends z.ZodType>(description: string, input: I, output: O) => ({ description, input, output });
