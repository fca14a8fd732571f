import path from 'node:path';
import { command, str, snapshotArg, UsageError, type Command, type ParsedArgs } from '../cliArgs';

// CLI commands of the efficacy feature: km (of a CSV file), ci (exact binomial CI), bor (best
// overall response per subject of a snapshot). Each goes through a contract method.

const CONF_TYPES = ['log', 'log-log', 'plain'] as const;

function numberList(v: string | undefined, what: string): number[] | undefined {
  if (v === undefined) return undefined;
  return v.split(',').map((s) => {
    const n = Number(s.trim());
    if (s.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`${what}: expected comma-separated non-negative numbers, found ${JSON.stringify(v)}`);
    return n;
  });
}

function confType(args: ParsedArgs): (typeof CONF_TYPES)[number] | undefined {
  const v = str(args, 'conf-type');
  if (v === undefined) return undefined;
  if (!(CONF_TYPES as readonly string[]).includes(v)) throw new UsageError(`--conf-type: expected log, log-log or plain, found ${JSON.stringify(v)}`);
  return v as (typeof CONF_TYPES)[number];
}

function level(args: ParsedArgs): number | undefined {
  const v = str(args, 'level');
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n > 0 && n < 1)) throw new UsageError(`--level: expected a number between 0 and 1, found ${JSON.stringify(v)}`);
  return n;
}

const csvCell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const toCsv = (rows: unknown[][]): string => rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
const wantsCsv = (args: ParsedArgs): boolean => {
  const f = str(args, 'format');
  if (f !== undefined && f !== 'json' && f !== 'csv') throw new UsageError(`--format: expected json or csv, found ${JSON.stringify(f)}`);
  return f === 'csv';
};

export const efficacyCommands: Record<string, Command> = {
  km: command(
    `  dosedesk km --input FILE.csv --time COL --event COL [--event-value V] [--group COL] [--conf-type log|log-log|plain]
              [--at T1,T2,...] [--level 0.95] [--format json|csv]   Kaplan-Meier: n, events, median with CI, S(t), at risk, log-rank`,
    { input: 'string', time: 'string', event: 'string', 'event-value': 'string', group: 'string', 'conf-type': 'string', at: 'string', level: 'string', format: 'string' },
    async (core, args) => {
      const input = str(args, 'input');
      const time = str(args, 'time');
      const event = str(args, 'event');
      if (!input || !time || !event) throw new UsageError('km: needs --input FILE.csv --time COL --event COL');
      const r = await core.call('efficacy.kmFile', {
        path: path.resolve(input),
        time,
        event,
        eventValue: str(args, 'event-value'),
        group: str(args, 'group'),
        confType: confType(args),
        level: level(args),
        at: numberList(str(args, 'at'), '--at'),
      });
      if (wantsCsv(args)) {
        const rows: unknown[][] = [['group', 'n', 'events', 'median', 'median_lower', 'median_upper', 'time', 'surv', 'std_err', 'lower', 'upper', 'n_risk']];
        for (const g of r.groups) {
          const base = [g.label, g.n, g.events, g.median.estimate, g.median.lower, g.median.upper];
          if (g.at.length === 0) rows.push([...base, '', '', '', '', '', '']);
          for (const a of g.at) rows.push([...base, a.time, a.surv, a.stdErr, a.lower, a.upper, a.nRisk]);
        }
        return { ok: true, output: toCsv(rows) };
      }
      return {
        ok: true,
        output: {
          file: r.file,
          n: r.n,
          dropped: r.dropped,
          eventCoding: r.eventCoding,
          confType: r.confType,
          level: r.level,
          groups: r.groups.map((g) => ({ group: g.label, n: g.n, events: g.events, censored: g.censored, median: g.median, at: g.at })),
          logRank: r.logRank,
        },
      };
    },
  ),

  ci: command(
    '  dosedesk ci X N [--level 0.95]                       exact Clopper-Pearson CI for X responders of N (JSON)',
    { level: 'string' },
    async (core, args) => {
      const [x, n] = [args.positional[1], args.positional[2]].map((v) => Number(v));
      if (args.positional.length < 3 || !Number.isInteger(x) || !Number.isInteger(n) || x! < 0 || n! < 0 || x! > n!)
        throw new UsageError(`ci: expected two whole numbers X N with 0 <= X <= N, found ${JSON.stringify(args.positional.slice(1).join(' '))}`);
      return { ok: true, output: await core.call('efficacy.binomialCi', { x: x!, n: n!, level: level(args) }) };
    },
  ),

  bor: command(
    '  dosedesk bor --snapshot ID [--confirm] [--format json|csv]   best overall response per subject (RECIST 1.1), ORR/DCR by level',
    { snapshot: 'string', confirm: 'boolean', format: 'string' },
    async (core, args) => {
      const snapshotId = snapshotArg(str(args, 'snapshot') ?? args.positional[1], 'bor --snapshot');
      const confirm = args.flags.has('confirm');
      const series = await core.call('efficacy.tumourSeries', { snapshotId });
      const summary = await core.call('efficacy.responseSummary', { snapshotId, confirm, by: 'level' });
      const subjects = series.subjects.map((s) => {
        const b = confirm ? s.bor.confirmed : s.bor.unconfirmed;
        return {
          usubjid: s.usubjid, level: s.level, dose: s.dose, part: s.part, bor: b.response, borDtc: b.dtc,
          firstResponseDtc: b.firstResponseDtc, dorDays: b.dor?.days ?? null, dorEvent: b.dor?.event ?? null,
          bestPctChange: s.bestPctChange, assessments: s.points.filter((p) => !p.baseline).length,
          inAnalysisSet: s.hasBaselineAssessment,
        };
      });
      if (wantsCsv(args)) {
        const cols = ['usubjid', 'level', 'dose', 'part', 'inAnalysisSet', 'bor', 'borDtc', 'firstResponseDtc', 'dorDays', 'dorEvent', 'bestPctChange', 'assessments'] as const;
        return { ok: true, output: toCsv([[...cols], ...subjects.map((s) => cols.map((c) => s[c]))]) };
      }
      return {
        ok: true,
        output: {
          snapshotId,
          confirmed: confirm,
          confirmationDays: series.confirmationDays,
          minSdDays: series.minSdDays,
          // ORR/DCR: subjects with a baseline tumour assessment, over those with a post-baseline one.
          analysisSet: { ...summary.analysisSet, notYetAssessed: summary.overall.nNoPostBaseline, denominator: summary.overall.nEvaluable },
          subjects,
          byLevel: summary.groups,
          overall: summary.overall,
        },
      };
    },
  ),
};
