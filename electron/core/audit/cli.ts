import type { AuditEntry } from '../../../shared/api/meetings';
import { command, str, UsageError, type Command } from '../cliArgs';

// CLI of the audit trail, through the contract (core.call):
//   dosedesk audit verify [--db FILE]      exit 1 and the first broken entry when the chain is broken
//   dosedesk audit list [--user U] [--action A] [--entity E] [--entity-id ID] [--from ISO] [--to ISO] [--format json|csv]

const CSV_COLUMNS = ['seq', 'at', 'user', 'action', 'entity', 'entityId', 'oldValue', 'newValue', 'reason', 'prevHash', 'hash'] as const;

const cell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** RFC 4180 CSV of audit entries (old/new values as JSON text). */
export function auditCsv(rows: readonly AuditEntry[]): string {
  return [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}

const audit: Command['run'] = async (core, args) => {
  const sub = args.positional[1];
  if (sub === 'verify') {
    const r = await core.call('audit.verify', {});
    return { ok: r.ok, output: r };
  }
  if (sub === 'list') {
    const format = str(args, 'format') ?? 'json';
    if (format !== 'json' && format !== 'csv') throw new UsageError('audit list: --format must be json or csv');
    const rows = await core.call('audit.list', {
      user: str(args, 'user'),
      action: str(args, 'action'),
      entity: str(args, 'entity'),
      entityId: str(args, 'entity-id'),
      from: str(args, 'from'),
      to: str(args, 'to'),
    });
    return { ok: true, output: format === 'csv' ? auditCsv(rows) : rows };
  }
  throw new UsageError('audit: expected "audit verify" or "audit list"');
};

export const auditCommands: Record<string, Command> = {
  audit: command(
    `  dosedesk audit verify                                recompute the audit trail's hash chain; exit 1 and the first broken entry when broken
  dosedesk audit list [--user U] [--action A] [--entity E] [--entity-id ID] [--from ISO] [--to ISO] [--format json|csv]
                                                       audit trail entries, oldest first`,
    { user: 'string', action: 'string', entity: 'string', 'entity-id': 'string', from: 'string', to: 'string', format: 'string' },
    audit,
  ),
};
