import { parseArgs as parseNodeArgs } from 'node:util';
import type { Core } from './context';

// The CLI's argument helpers, shared by every feature's cli.ts (and so not in cli.ts, which imports
// those features). Each command declares its options; node:util parseArgs (strict) reads them, so that
// an unknown option or an option without its value is a usage error naming the option, never ignored.

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/** A command's options: a string takes a value (`--snapshot 3` or `--snapshot=3`), a boolean none. */
export type OptionSpec = Record<string, 'string' | 'boolean'>;

export interface Command {
  /** The usage lines shown by `dosedesk --help` and `dosedesk <command> --help`. */
  usage: string;
  /** The command's own options; --db and --help are every command's. */
  options: OptionSpec;
  run(core: Core, args: ParsedArgs): Promise<{ output: unknown; ok: boolean }>;
}

export const command = (usage: string, options: OptionSpec, run: Command['run']): Command => ({ usage, options, run });

/** Options every command takes. */
export const GLOBAL_OPTIONS: OptionSpec = { db: 'string', help: 'boolean' };

export class UsageError extends Error {}

/**
 * Reads a command's arguments (`argv` without the command name) against its options. Throws a
 * UsageError for an unknown option, a string option without a value or a boolean given one.
 */
export function parseArgs(name: string, argv: string[], options: OptionSpec): ParsedArgs {
  const all: OptionSpec = { ...GLOBAL_OPTIONS, ...options };
  let parsed: ReturnType<typeof parseNodeArgs>;
  try {
    parsed = parseNodeArgs({
      args: argv,
      options: Object.fromEntries(Object.entries(all).map(([k, type]) => [k, { type }])),
      strict: true,
      allowPositionals: true,
    });
  } catch (e) {
    throw new UsageError(`${name}: ${argumentProblem(e, all)} (dosedesk ${name} --help lists its options)`);
  }
  const flags = new Map<string, string | true>();
  for (const [k, v] of Object.entries(parsed.values)) {
    if (v === undefined || v === false) continue;
    flags.set(k, v === true ? true : String(v));
  }
  return { positional: [name, ...parsed.positionals], flags };
}

/** node:util's parse errors in one line, with the option named. */
function argumentProblem(e: unknown, options: OptionSpec): string {
  const code = (e as { code?: string }).code;
  const message = e instanceof Error ? e.message : String(e);
  const option = /'(-[^' ]+)/.exec(message)?.[1] ?? '';
  const known = Object.keys(options).map((k) => `--${k}`).join(', ');
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option}; expected one of ${known}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/does not take an argument/.test(message)) return `${option} takes no value`;
    return `${option} needs a value (to give one that starts with "-", write ${option}=VALUE)`;
  }
  return message.split('\n')[0]!;
}

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

/** `dosedesk <command> --help`: the command's usage and every option it takes. */
export function commandHelp(name: string, c: Pick<Command, 'usage' | 'options'>): string {
  const opts = Object.entries({ ...c.options, ...GLOBAL_OPTIONS })
    .map(([k, t]) => `--${k}${t === 'string' ? ' VALUE' : ''}`)
    .join(' ');
  return `${c.usage}\n\noptions of ${name}: ${opts}\n`;
}
