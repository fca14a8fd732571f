import { isoWithOffset } from '../../../shared/meeting';

// The clock of every recorded time: audit entries, sessions, signatures, imports, choices (21 CFR
// 11.10(e): "computer-generated, time-stamped"). It is the context's `clock` (CoreContext.clock), a
// plain function handlers read instead of calling Date.now(), so that a test replaces it
// (createCore({ clock }) or `core.ctx.clock = …`) to exercise inactivity expiry, password ageing and
// the times written into records.

/** Milliseconds since the Unix epoch, now. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

/** What carries a clock: the core context, or the importer's connection with the context's clock. */
export interface Clocked {
  clock: Clock;
}

export interface Stamp {
  ms: number;
  /** ISO 8601 local time with its UTC offset. */
  iso: string;
  /** IANA time zone of the workstation. */
  timeZone: string;
}

export function stampAt(ms: number): Stamp {
  return { ms, iso: isoWithOffset(ms, -new Date(ms).getTimezoneOffset()), timeZone: localTimeZone() };
}

export function stamp(ctx: Clocked): Stamp {
  return stampAt(ctx.clock());
}

/** The context's time as UTC ISO 8601 (the format of import and lambda_z choice times). */
export function utcIso(ctx: Clocked): string {
  return new Date(ctx.clock()).toISOString();
}

export function localTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}
