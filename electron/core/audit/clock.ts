import { isoWithOffset } from '../../../shared/meeting';

// The system clock of audit entries, sessions and signatures (21 CFR 11.10(e): "computer-generated,
// time-stamped"). Tests inject a clock per core context (setClock) to exercise inactivity expiry.

export interface Clock {
  nowMs(): number;
}

const systemClock: Clock = { nowMs: () => Date.now() };
const clocks = new WeakMap<object, Clock>();

/** Use `clock` for everything stamped through this context (tests only). */
export function setClock(ctx: object, clock: Clock): void {
  clocks.set(ctx, clock);
}

export function clockOf(ctx: object): Clock {
  return clocks.get(ctx) ?? systemClock;
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

export function stamp(ctx: object): Stamp {
  return stampAt(clockOf(ctx).nowMs());
}

export function localTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}
