import path from 'node:path';
import { isExcretaMatrix, matrixOf } from '../../../shared/pk/profiles';
import { command, snapshotArg, str, UsageError, type Command, type ParsedArgs } from '../cliArgs';

// CLI commands of the pk feature. `dosedesk nca` runs pk.ncaFile (a CSV) or pk.nca (a snapshot):
// the same handlers as the UI. JSON by default; `--format csv` prints one row per subject.

function oneOf<T extends string>(args: ParsedArgs, name: string, values: readonly T[], fallback?: T): T | undefined {
  const v = str(args, name);
  if (v === undefined) return fallback;
  if (!(values as readonly string[]).includes(v)) throw new UsageError(`--${name}: expected ${values.join(' or ')}, found ${JSON.stringify(v)}`);
  return v as T;
}

function number(args: ParsedArgs, name: string): number | undefined {
  const v = str(args, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name}: expected a number, found ${JSON.stringify(v)}`);
  return n;
}

function required(args: ParsedArgs, name: string): string {
  const v = str(args, name);
  if (v === undefined) throw new UsageError(`nca: --${name} is required`);
  return v;
}

const cell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

export const pkCommands: Record<string, Command> = {
  nca: command(
    `  dosedesk nca --input FILE.csv --subject COL --time COL --conc COL (--dose N | --dose-col COL)
              --route extravascular|iv-bolus|iv-infusion [--duration N|COL] [--auc linear|lin-up-log-down]
              [--tau N --dose-time N] [--time-unit U] [--conc-unit U] [--dose-unit U] [--format json|csv]
                                                       NCA per subject of a CSV, parameters by PPTESTCD
  dosedesk nca --snapshot ID [--analyte PCTESTCD] [--matrix PCSPEC] [--interval single|steady] [--time actual|nominal]
              [--auc linear|lin-up-log-down] [--format json|csv]   NCA of a snapshot's analyte x matrix (default plasma),
              summary by dose level; the analytes x matrices present are in the JSON ("available"); --matrix URINE: Ae, fe and CLR`,
    {
      input: 'string',
      subject: 'string',
      time: 'string',
      conc: 'string',
      dose: 'string',
      'dose-col': 'string',
      route: 'string',
      duration: 'string',
      auc: 'string',
      tau: 'string',
      'dose-time': 'string',
      'time-unit': 'string',
      'conc-unit': 'string',
      'dose-unit': 'string',
      format: 'string',
      snapshot: 'string',
      analyte: 'string',
      matrix: 'string',
      interval: 'string',
    },
    async (core, args) => {
      const format = oneOf(args, 'format', ['json', 'csv'] as const, 'json');
      const auc = oneOf(args, 'auc', ['linear', 'lin-up-log-down'] as const, 'linear')!;
      if (args.flags.has('snapshot')) {
        const snapshotId = snapshotArg(str(args, 'snapshot'), 'nca --snapshot');
        const interval = oneOf(args, 'interval', ['single', 'steady'] as const, 'single')!;
        const timeBasis = oneOf(args, 'time', ['actual', 'nominal'] as const, 'actual')!;
        const analyte = str(args, 'analyte');
        const matrix = str(args, 'matrix');
        if (matrix !== undefined && isExcretaMatrix(matrixOf(matrix))) {
          // Urine is collected over intervals: amounts excreted, fe and CLR instead of NCA.
          const u = await core.call('pk.urine', { snapshotId, timeBasis, aucMethod: auc, analyte, matrix });
          if (format === 'json') return { ok: true, output: u };
          const lines = u.rows.map((row) => [row.usubjid, u.analyte, u.matrix, row.doseLevel, row.cycle, row.doseMg, row.aeEndH, row.aeMg, row.fe, row.aucPlasma, row.clrLPerH, row.notes.join('; ')]);
          return { ok: true, output: toCsv(['USUBJID', 'PCTESTCD', 'PCSPEC', 'DOSE_LEVEL', 'CYCLE', 'DOSE_MG', 'AE_END_H', 'AE_MG', 'FE', 'AUC_0_T', 'CLR_L_H', 'NOTES'], lines) };
        }
        const r = await core.call('pk.nca', { snapshotId, interval, timeBasis, aucMethod: auc, analyte, matrix });
        if (format === 'json') return { ok: true, output: r };
        const codes: string[] = [];
        for (const row of r.rows) for (const p of row.parameters) if (!codes.includes(p.PPTESTCD)) codes.push(p.PPTESTCD);
        const lines = r.rows.map((row) => [
          row.usubjid,
          row.analyte,
          row.matrix,
          row.doseLevel,
          row.dose.exdose,
          row.dose.exdosu,
          row.dose.doseMg,
          row.lambdaZ?.method ?? '',
          ...codes.map((c) => row.parameters.find((p) => p.PPTESTCD === c)?.value ?? null),
          row.lambdaZNote ?? '',
        ]);
        // LAMZ_NOTE says why λz and its dependants are empty ("not estimable: …").
        return { ok: true, output: toCsv(['USUBJID', 'PCTESTCD', 'PCSPEC', 'DOSE_LEVEL', 'EXDOSE', 'EXDOSU', 'DOSE_MG', 'LAMZ_METHOD', ...codes, 'LAMZ_NOTE'], lines) };
      }
      const input = str(args, 'input');
      if (!input) throw new UsageError('nca: give --input FILE.csv (with --subject, --time, --conc, --dose or --dose-col, --route) or --snapshot ID');
      const doseN = number(args, 'dose');
      const doseCol = str(args, 'dose-col');
      if ((doseN === undefined) === (doseCol === undefined)) throw new UsageError('nca: give exactly one of --dose N or --dose-col COL');
      const route = oneOf(args, 'route', ['extravascular', 'iv-bolus', 'iv-infusion'] as const);
      if (!route) throw new UsageError('nca: --route is required (extravascular, iv-bolus or iv-infusion)');
      const durText = str(args, 'duration');
      const duration = durText === undefined ? undefined : Number.isFinite(Number(durText)) && durText.trim() !== '' ? Number(durText) : durText;
      if (route === 'iv-infusion' && duration === undefined) throw new UsageError('nca: --route iv-infusion needs --duration N|COL');
      const tau = number(args, 'tau');
      const doseTime = number(args, 'dose-time');
      const units = { time: str(args, 'time-unit'), conc: str(args, 'conc-unit'), dose: str(args, 'dose-unit') };
      const r = await core.call('pk.ncaFile', {
        path: path.resolve(input),
        subject: required(args, 'subject'),
        time: required(args, 'time'),
        conc: required(args, 'conc'),
        dose: doseN ?? doseCol!,
        route,
        ...(duration !== undefined ? { duration } : {}),
        aucMethod: auc,
        ...(tau !== undefined ? { tau } : {}),
        ...(doseTime !== undefined ? { doseTime } : {}),
        ...(units.time || units.conc || units.dose ? { units } : {}),
      });
      const ok = r.rows.every((row) => Object.keys(row.values).length > 0);
      if (format === 'json') {
        return { ok, output: { file: r.file, units: r.units, rows: r.rows.map((row) => ({ subject: row.subject, dose: row.dose, note: row.note, ...row.values })) } };
      }
      return { ok, output: toCsv(['subject', 'dose', ...r.codes, 'note'], r.rows.map((row) => [row.subject, row.dose, ...r.codes.map((c) => row.values[c] ?? null), row.note ?? ''])) };
    },
  ),
};
