import path from 'node:path';
import { parseArgs, snapshotArg, str, UsageError, type Command } from './cliArgs';
import { createCore, CallError, type Core } from './app';
import { defaultDbPath } from './store/db';
import { pkCommands } from './pk/cli';
import { efficacyCommands } from './efficacy/cli';
import { safetyCommands } from './safety/cli';
import { auditCommands } from './audit/cli';
import { minutesCommands } from './minutes/cli';
import { withCliSession } from './access/cli';
import { mappingCommands } from './mapping/cli';

export { parseArgs, snapshotArg, str, UsageError, type Command, type ParsedArgs } from './cliArgs';

// `dosedesk <command>`: the contract's handlers, headless. Output is JSON (CSV where tabular and
// asked for) so that validation teams can compare it with reference tools.

const USAGE = `dosedesk — the DoseDesk command line

  dosedesk import <path> [--db FILE] [--label TEXT] [--user USERNAME]
                                                       import a snapshot (folder, .zip or file); prints a JSON summary;
                                                       --user (password from DOSEDESK_PASSWORD or asked) once the
                                                       database has accounts
  dosedesk snapshots [--study ID]                      list snapshots (JSON)
  dosedesk summary <snapshot>                          provenance, domains, warnings and the cohort table (JSON)
  dosedesk mapping <snapshot>                          the mapping report: per domain and analysis, rows read, used, not used and why (JSON)
  dosedesk diff <a> <b>                                records added / changed / removed per domain (JSON)
  dosedesk nca --input FILE.csv --subject COL --time COL --conc COL (--dose N | --dose-col COL)
              --route extravascular|iv-bolus|iv-infusion [--duration N|COL] [--auc linear|lin-up-log-down]
              [--tau N --dose-time N] [--format json|csv]  NCA per subject of a CSV, parameters by PPTESTCD
  dosedesk nca --snapshot ID [--analyte PCTESTCD] [--matrix PCSPEC] [--interval single|steady] [--time actual|nominal]
              [--format json|csv]   NCA of a snapshot's analyte x matrix (default plasma), summary by dose level;
              the analytes x matrices present are in the JSON ("available"); --matrix URINE: Ae, fe and CLR
  dosedesk km --input FILE.csv --time COL --event COL [--event-value V] [--group COL] [--conf-type log|log-log|plain]
              [--at T1,T2,...] [--level 0.95] [--format json|csv]   Kaplan-Meier: n, events, median with CI, S(t), at risk, log-rank
  dosedesk ci X N [--level 0.95]                       exact Clopper-Pearson CI for X responders of N (JSON)
  dosedesk bor --snapshot ID [--confirm] [--format json|csv]   best overall response per subject (RECIST 1.1), ORR/DCR by level
  dosedesk recommend --design 3+3|atd|boin|mtpi2 --levels K --history "1NNN 2NNT" [--no-deescalation] [--no-six-at-mtd]
              [--atd-design 2|3|4] [--atd-handoff expand-trigger-level|next-level] [--target P]
                                                       the escalation rule's decision (JSON: action, nextLevel, continues, ...)
  dosedesk recommend --snapshot ID                     history, DLT-evaluable subjects and the protocol rule's decision (BOIN/mTPI-2 beside)
  dosedesk recommend --snapshot ID --lookahead K       look-ahead: the protocol rule, BOIN and mTPI-2 if the next 1..K (<= 6) evaluable patients
                                                       have 0, 1, 2, ... DLTs (JSON: one entry per outcome path)
  dosedesk tables --snapshot ID [--format json|csv] [--table incidence|ae|sae|dlt|possible-dlt|discontinuation|deaths|dlt-table|ada|response|
                                                          related-incidence|ae-action|ae-action-listing|soc-grade]
                                                       safety tables (TEAE incidence, listings, DLT table, ADA) and response tables
  dosedesk audit verify                                recompute the audit trail's hash chain; exit 1 and the first broken entry when broken
  dosedesk audit list [--user U] [--action A] [--entity E] [--entity-id ID] [--from ISO] [--to ISO] [--format json|csv]
                                                       audit trail entries, oldest first
  dosedesk minutes export <meeting> --out FILE.pdf --user USERNAME [--version N]
                                                       signed minutes PDF (+ FILE.json beside it) of a locked version; password
                                                       from DOSEDESK_PASSWORD or asked without echo; exit 1 if the file does not verify
  dosedesk minutes verify FILE.pdf [--trust ROOT.pem] [--format text|json]
                                                       who signed, when, meaning, snapshot, intact / legacy or what no
                                                       longer matches (signatures must chain to a trusted root); exit 0
                                                       intact or legacy, 1 not intact
  dosedesk minutes export-trust --out ROOT.pem         this installation's trust root (+ legacy certificates) for
                                                       verifying minutes on another machine
  dosedesk serve [--port N]                            serve the UI in a browser (same as npm run serve)

Options: --db FILE (or DOSEDESK_DB) selects the database; default ${defaultDbPath()}.
Exit code: 0 on success, 1 when the command failed (e.g. the import had errors), 2 on bad usage.`;

// Boolean flags that take no value (so that `--json path` is not read as --json=path).
const BOOLEAN_FLAGS = new Set(['json', 'help', 'no-deescalation', 'no-six-at-mtd', 'confirm']);

export const COMMANDS: Record<string, Command> = {
  async import(core, args) {
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
  async snapshots(core, args) {
    return { ok: true, output: await core.call('snapshots.list', { studyId: str(args, 'study') }) };
  },
  async summary(core, args) {
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
  },
  async diff(core, args) {
    const base = snapshotArg(args.positional[1], 'diff (first snapshot)');
    const target = snapshotArg(args.positional[2], 'diff (second snapshot)');
    return { ok: true, output: await core.call('snapshot.diff', { base, target }) };
  },
  ...pkCommands,
  ...efficacyCommands,
  ...safetyCommands,
  ...auditCommands,
  ...minutesCommands,
  ...mappingCommands,
};

export async function main(argv: string[]): Promise<number> {
  const raw = argv.flatMap((a, i, all) => (BOOLEAN_FLAGS.has(a.replace(/^--/, '')) && a.startsWith('--') && i + 1 < all.length ? [`${a}=true`] : [a]));
  const args = parseArgs(raw);
  const cmd = args.positional[0];
  if (!cmd || args.flags.has('help') || cmd === 'help') {
    process.stdout.write(USAGE + '\n');
    return cmd ? 0 : 2;
  }
  if (cmd === 'serve') {
    const { runBrowserHost } = await import('./host/run');
    await runBrowserHost({ dbPath: str(args, 'db') ?? defaultDbPath(), port: Number(str(args, 'port') ?? 0), open: !args.flags.has('no-open') });
    return 0;
  }
  const command = COMMANDS[cmd];
  if (!command) {
    process.stderr.write(`dosedesk: unknown command ${JSON.stringify(cmd)}\n\n${USAGE}\n`);
    return 2;
  }
  let core: Core | undefined;
  try {
    core = createCore({ dbPath: str(args, 'db') ?? defaultDbPath() });
    const { output, ok } = await command(core, args);
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
