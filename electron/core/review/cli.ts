import { changeText } from '../../../shared/review';
import { withCliSession } from '../access/cli';
import { command, snapshotArg, str, UsageError, type Command } from '../cliArgs';

// CLI of review marks (issue 15 item 2), through the contract (core.call):
//   dosedesk review list --snapshot ID [--subject USUBJID] [--status current|changed|none]
//   dosedesk review mark --snapshot ID --subject USUBJID [--comment TEXT] --user USERNAME
//   dosedesk review unmark --snapshot ID --subject USUBJID [--reason TEXT] --user USERNAME
//   dosedesk review pending --snapshot ID --levels 1,2

const STATUSES = ['current', 'changed', 'none'] as const;

const review: Command['run'] = async (core, args) => {
  const sub = args.positional[1];
  const snapshotId = snapshotArg(str(args, 'snapshot'), `review ${sub ?? ''}`.trim());
  const subject = str(args, 'subject');
  if (sub === 'list') {
    const status = str(args, 'status');
    if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) throw new UsageError(`review list: --status must be one of ${STATUSES.join(', ')}, found ${JSON.stringify(status)}`);
    const r = await core.call('review.list', { snapshotId, usubjids: subject ? [subject] : undefined });
    const subjects = r.subjects
      .filter((s) => !status || s.status === status)
      .map((s) => ({ ...s, marks: s.marks.map((m) => ({ ...m, changesText: m.changes.map(changeText) })) }));
    return { ok: true, output: { snapshotId, subjects } };
  }
  if (sub === 'mark' || sub === 'unmark') {
    if (!subject) throw new UsageError(`review ${sub}: --subject USUBJID is required`);
    const out = await withCliSession(core, args, `review ${sub}`, (session) =>
      sub === 'mark'
        ? core.call('review.mark', { session, snapshotId, usubjid: subject, comment: str(args, 'comment') })
        : core.call('review.unmark', { session, snapshotId, usubjid: subject, reason: str(args, 'reason') }),
    );
    return { ok: true, output: out };
  }
  if (sub === 'pending') {
    const raw = str(args, 'levels');
    const levels = (raw ?? '').split(',').filter((x) => x.trim() !== '').map(Number);
    if (levels.length === 0 || levels.some((n) => !Number.isInteger(n))) throw new UsageError(`review pending: --levels expects whole dose levels separated by commas (e.g. 1,2), found ${JSON.stringify(raw ?? '')}`);
    return { ok: true, output: await core.call('review.pending', { snapshotId, levels }) };
  }
  throw new UsageError('review: expected "review list", "review mark", "review unmark" or "review pending"');
};

export const reviewCommands: Record<string, Command> = {
  review: command(
    `  dosedesk review list --snapshot ID [--subject USUBJID] [--status current|changed|none]
                                                       each subject's review marks: current, or changed since review with the changes
  dosedesk review mark|unmark --snapshot ID --subject USUBJID [--comment TEXT | --reason TEXT] --user USERNAME
                                                       mark a subject reviewed on a snapshot, or withdraw your mark (audited)
  dosedesk review pending --snapshot ID --levels 1,2    subjects of these dose levels whose latest data nobody has reviewed`,
    { snapshot: 'string', subject: 'string', status: 'string', comment: 'string', reason: 'string', levels: 'string', user: 'string' },
    review,
  ),
};
