import { command, snapshotArg, type Command } from '../cliArgs';

// CLI of the mapping report, through the contract:
//   dosedesk mapping <snapshot> [--db FILE]    the snapshot's mapping report (JSON): per domain and
//                                             analysis, rows read and used, what was not used and why

export const mappingCommands: Record<string, Command> = {
  mapping: command(
    '  dosedesk mapping <snapshot>                          the mapping report: per domain and analysis, rows read, used, not used and why (JSON)',
    {},
    async (core, args) => {
      const snapshotId = snapshotArg(args.positional[1], 'mapping');
      return { ok: true, output: await core.call('snapshot.mapping', { snapshotId }) };
    },
  ),
};
