import path from 'node:path';
import { command, commandHelp, parseArgs, snapshotArg, str, UsageError, type Command, type OptionSpec } from './cliArgs';
import { createCore, CallError, type Core } from './app';
import { defaultDbPath } from './store/db';
import { pkCommands } from './pk/cli';
import { efficacyCommands } from './efficacy/cli';
import { safetyCommands } from './safety/cli';
import { auditCommands } from './audit/cli';
import { minutesCommands } from './minutes/cli';
import { withCliSession } from './access/cli';
import { mappingCommands } from './mapping/cli';
import { reviewCommands } from './review/cli';

export { parseArgs, snapshotArg, str, UsageError, type Command, type ParsedArgs } from './cliArgs';

// `dosedesk <command>`: the contract's handlers, headless. Output is JSON (CSV where tabular and
// asked for) so that validation teams can compare it with reference tools. Each command declares its
// options (cliArgs.ts); the database is opened only when a handler reads it (createCore lazy), so the
// pure calculations (ci, recommend --design, nca --input, km --input) neither need nor create one.

/** `dosedesk serve`: the browser host opens its own core. */
const SERVE = {
  usage: '  dosedesk serve [--port N] [--no-open]               serve the UI in a browser (same as npm run serve)',
  options: { port: 'string', 'no-open': 'boolean' } satisfies OptionSpec,
};

export const COMMANDS: Record<string, Command> = {
  import: command(
    `  dosedesk import <path> [--db FILE] [--label TEXT] [--user USERNAME]
                                                       import a snapshot (folder, .zip or file); prints a JSON summary;
                                                       --user (password from DOSEDESK_PASSWORD or asked) once the
                                                       database has accounts`,
    { label: 'string', user: 'string' },
    async (core, args) => {
      const p = args.positional[1];
      if (!p) throw new UsageError('import: expected a path to a snapshot folder, .zip or file');
      const r = await withCliSession(core, args, 'import', (session) => core.call('snapshot.import', { path: path.resolve(p), label: str(args, 'label'), session }));
      return {
        ok: r.ok,
        output: {
          status: r.status,
          snapshotId: r.snapshotId,
          studyId: r.studyId,
          contentHash: r.contentHash,
          domains: r.domains,
          warnings: r.warnings,
          errors: r.errors,
          needsConfirmation: r.needsConfirmation,
          elapsedMs: r.elapsedMs,
        },
      };
    },
  ),
  snapshots: command('  dosedesk snapshots [--study ID]                      list snapshots (JSON)', { study: 'string' }, async (core, args) => {
    return { ok: true, output: await core.call('snapshots.list', { studyId: str(args, 'study') }) };
  }),
  summary: command('  dosedesk summary <snapshot>                          provenance, domains, warnings and the cohort table (JSON)', {}, async (core, args) => {
    const snapshotId = snapshotArg(args.positional[1], 'summary');
    const s = await core.call('snapshot.get', { snapshotId });
    const cohorts = await core.call('cohorts.summary', { snapshotId });
    // Who the efficacy analyses count (issue 10): ORR/DCR and PFS need a baseline tumour assessment.
    const analysisSets = [
      (await core.call('efficacy.responseSummary', { snapshotId })).analysisSet,
      (await core.call('efficacy.km', { snapshotId, endpoint: 'PFS', at: [] })).analysisSet,
      (await core.call('efficacy.km', { snapshotId, endpoint: 'OS', at: [] })).analysisSet,
    ];
    return { ok: true, output: { ...s, cohorts, efficacyAnalysisSets: analysisSets } };
  }),
  ...mappingCommands,
  diff: command('  dosedesk diff <a> <b>                                records added / changed / removed per domain (JSON)', {}, async (core, args) => {
    const base = snapshotArg(args.positional[1], 'diff (first snapshot)');
    const target = snapshotArg(args.positional[2], 'diff (second snapshot)');
    return { ok: true, output: await core.call('snapshot.diff', { base, target }) };
  }),
  ...pkCommands,
  ...efficacyCommands,
  ...safetyCommands,
  ...auditCommands,
  ...minutesCommands,
  ...reviewCommands,
};

/** Commands that compute from their arguments or a file alone: they open no database. */
export const NO_DATABASE = ['ci', 'recommend --design …', 'nca --input …', 'km --input …', 'help'];

function usage(): string {
  return `dosedesk — the DoseDesk command line

${[...Object.values(COMMANDS).map((c) => c.usage), SERVE.usage].join('\n')}

Options: --db FILE (or DOSEDESK_DB) selects the database; default ${defaultDbPath()}.
The database is opened (and created if absent) only by commands that read or write it; these need none:
${NO_DATABASE.join(', ')}. \`dosedesk <command> --help\` lists a command's options.
Exit code: 0 on success, 1 when the command failed (e.g. the import had errors), 2 on bad usage.`;
}

export async function main(argv: string[]): Promise<number> {
  const cmd = argv[0];
  if (!cmd || cmd === '--help' || cmd === '-h' || (cmd === 'help' && !argv[1])) {
    process.stdout.write(usage() + '\n');
    return cmd ? 0 : 2;
  }
  if (cmd === 'help') return main([argv[1]!, '--help']);
  const command = cmd === 'serve' ? SERVE : COMMANDS[cmd];
  if (!command) {
    process.stderr.write(`dosedesk: unknown command ${JSON.stringify(cmd)}\n\n${usage()}\n`);
    return 2;
  }
  let core: Core | undefined;
  try {
    const args = parseArgs(cmd, argv.slice(1), command.options);
    if (args.flags.has('help')) {
      process.stdout.write(commandHelp(cmd, command));
      return 0;
    }
    const dbPath = str(args, 'db') ?? defaultDbPath();
    if (!('run' in command)) {
      const port = str(args, 'port') ?? '0';
      if (!/^\d+$/.test(port) || Number(port) > 65535) throw new UsageError(`serve: --port expects a port number (0-65535), found ${JSON.stringify(port)}`);
      const { runBrowserHost } = await import('./host/run');
      await runBrowserHost({ dbPath, port: Number(port), open: !args.flags.has('no-open') });
      return 0;
    }
    core = createCore({ dbPath, lazy: true });
    const { output, ok } = await command.run(core, args);
    process.stdout.write(typeof output === 'string' ? output : JSON.stringify(output, null, 2) + '\n');
    return ok ? 0 : 1;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`dosedesk: ${e.message}\n`);
      return 2;
    }
    if (e instanceof CallError) {
      process.stderr.write(`dosedesk: ${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    core?.close();
  }
}
