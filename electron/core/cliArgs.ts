import type { Core } from './context';

// The CLI's argument helpers, shared by every feature's cli.ts (and so not in cli.ts, which imports
// those features).

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

export function parseArgs(argv: string[]): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
      else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) flags.set(a.slice(2), argv[++i]!);
      else flags.set(a.slice(2), true);
    } else positional.push(a);
  }
  return { positional, flags };
}

export class UsageError extends Error {}

export function str(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  if (v === true) throw new UsageError(`--${name} needs a value`);
  return v;
}

export function snapshotArg(v: string | undefined, what: string): number {
  const n = Number(v);
  if (!v || !Number.isInteger(n) || n <= 0) throw new UsageError(`${what}: expected a snapshot id (a positive whole number), found ${JSON.stringify(v ?? '')}`);
  return n;
}

export type Command = (core: Core, args: ParsedArgs) => Promise<{ output: unknown; ok: boolean }>;

