import path from 'node:path';
import type { z } from 'zod';
import type { contract, Output } from '../../../shared/contract';
import { nca, type NcaProfile } from '../../../shared/nca';
import { parseConcentration } from '../../../shared/pk/concentration';
import { CallError } from '../context';
import { createReader, fileSource, readAll, type Cell } from '../readers/index';

// pk.ncaFile: NCA of a concentration CSV, one profile per subject (rows grouped by the subject column
// in file order, sorted by time). Concentrations are numbers or BLQ text ("<0.1", "BLQ"; see
// shared/pk/concentration.ts); an empty cell is missing. The dose is one number for every subject or
// a column (its first non-empty value per subject); likewise the infusion duration.

type Input = z.output<(typeof contract)['pk.ncaFile']['input']>;

function columnIndex(names: string[], wanted: string, what: string): number {
  let i = names.indexOf(wanted);
  if (i < 0) i = names.findIndex((n) => n.toLowerCase() === wanted.toLowerCase());
  if (i < 0) throw new CallError('invalid-input', `${what} column ${JSON.stringify(wanted)} is not in the file (columns: ${names.join(', ')})`);
  return i;
}

const num = (c: Cell | undefined): number | null => {
  if (c === null || c === undefined || c === '') return null;
  const v = typeof c === 'number' ? c : Number(String(c).trim());
  return Number.isFinite(v) ? v : null;
};

export async function ncaFile(input: Input): Promise<Output<'pk.ncaFile'>> {
  let table: { header: { columns: { name: string }[] }; rows: Cell[][] };
  try {
    table = await readAll(createReader('csv', path.basename(input.path), fileSource(input.path)));
  } catch (e) {
    throw new CallError('invalid-input', `cannot read ${input.path}: ${(e as Error).message}`);
  }
  const names = table.header.columns.map((c) => c.name);
  const iSubj = columnIndex(names, input.subject, 'subject');
  const iTime = columnIndex(names, input.time, 'time');
  const iConc = columnIndex(names, input.conc, 'concentration');
  const iDose = typeof input.dose === 'string' ? columnIndex(names, input.dose, 'dose') : -1;
  const iDur = typeof input.duration === 'string' ? columnIndex(names, input.duration, 'duration') : -1;

  const groups = new Map<string, Cell[][]>();
  for (const r of table.rows) {
    const id = r[iSubj];
    if (id === null || id === undefined || id === '') continue;
    const k = String(id);
    let l = groups.get(k);
    if (!l) groups.set(k, (l = []));
    l.push(r);
  }
  const codes: string[] = [];
  const units: Record<string, string> = {};
  const rows: Output<'pk.ncaFile'>['rows'] = [];
  for (const [subject, list] of groups) {
    const firstNum = (i: number) => list.map((r) => num(r[i])).find((v) => v !== null) ?? null;
    const dose = typeof input.dose === 'number' ? input.dose : firstNum(iDose);
    const duration = typeof input.duration === 'number' ? input.duration : iDur >= 0 ? firstNum(iDur) : undefined;
    const samples = list
      .map((r) => ({ t: num(r[iTime]), c: parseConcentration(typeof r[iConc] === 'number' ? (r[iConc] as number) : null, r[iConc] === null ? null : String(r[iConc]), null) }))
      .filter((s) => s.t !== null)
      .sort((a, b) => a.t! - b.t!);
    if (dose === null) {
      rows.push({ subject, dose: null, values: {}, note: 'no dose' });
      continue;
    }
    const profile: NcaProfile = {
      time: samples.map((s) => s.t!),
      conc: samples.map((s) => s.c.conc),
      blq: samples.map((s) => s.c.blq),
      dose,
      doseTime: input.doseTime,
      route: input.route,
      ...(duration !== undefined && duration !== null ? { duration } : {}),
      ...(input.tau !== undefined ? { tau: input.tau } : {}),
    };
    const lloqs = samples.map((s) => s.c.lloq).filter((v): v is number => v !== null);
    try {
      const r = nca(profile, {
        aucMethod: input.aucMethod,
        units: input.units,
        blq: { ...input.blq, ...(lloqs.length ? { lloq: Math.max(...lloqs) } : {}) },
      });
      const values: Record<string, number | null> = {};
      for (const p of r.parameters) {
        if (!(p.PPTESTCD in units)) {
          codes.push(p.PPTESTCD);
          units[p.PPTESTCD] = p.unit;
        }
        values[p.PPTESTCD] = p.value;
      }
      rows.push({ subject, dose, values, note: r.lambdaZNote });
    } catch (e) {
      rows.push({ subject, dose, values: {}, note: `NCA not possible: ${(e as Error).message}` });
    }
  }
  return { file: input.path, codes, units, rows };
}
