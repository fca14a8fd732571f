import { countValues, type MappingEntry, type MappingUnused } from '../../../shared/mapping';
import { PP_TERMS } from '../../../shared/nca/cdisc';
import { amountExcreted, buildProfiles, chooseMatrix, isExcretaMatrix, matrixOf, ppTarget } from '../../../shared/pk';
import type { StudyDefinition } from '../../../shared/study';
import type { Db } from '../store/db';
import { loadEx, loadPc, loadPcTally, loadPp, loadUrine, loadWeights } from './queries';

// The PK part of the mapping report (shared/mapping.ts): which PC rows the NCA used — the chosen
// analyte (PCTESTCD; pk.analyte) in the chosen matrix (PCSPEC; pk.matrix, else plasma, serum, blood) —
// and why the others were not: another specimen, another analyte, PCSTAT NOT DONE, or no time since
// a dose. And which PP rows could be compared with a computed value (PPCAT, PPSPEC, PPTESTCD).

const VIEWS = ['pk', 'profile'];
const label = (m: string) => (m === '' ? '(PCSPEC not given)' : m);

export function pkMapping(db: Db, snapshotId: number, definition: StudyDefinition): MappingEntry[] {
  const tally = loadPcTally(db, snapshotId);
  const out: MappingEntry[] = [];
  const rowsRead = tally.reduce((a, t) => a + t.rows, 0);
  const done = tally.filter((t) => t.rows > t.notDone);
  const analytes = [...new Set(done.map((t) => t.analyte))].sort();
  const analyte = definition.pk.analyte && analytes.includes(definition.pk.analyte) ? definition.pk.analyte : (analytes[0] ?? null);
  const present = done.filter((t) => t.analyte === analyte).map((t) => t.matrix);
  const matrix = chooseMatrix(present, definition.pk.matrix);
  if (rowsRead > 0) {
    const unused: MappingUnused[] = [];
    const notDone = tally.reduce((a, t) => a + t.notDone, 0);
    if (notDone > 0) unused.push({ variable: 'PCSTAT', reason: 'sample reported not done (PCSTAT = NOT DONE)', rows: notDone, values: [{ value: 'NOT DONE', count: notDone }], mapTo: null });
    const isDone = (t: (typeof tally)[number]) => t.rows - t.notDone;
    const otherAnalyte = done.filter((t) => t.analyte !== analyte);
    if (otherAnalyte.length)
      unused.push({
        variable: 'PCTESTCD',
        reason: `another analyte than the one analysed (${analyte})`,
        rows: otherAnalyte.reduce((a, t) => a + isDone(t), 0),
        values: countValues(otherAnalyte.flatMap((t) => Array<string>(isDone(t)).fill(t.analyte))),
        mapTo: 'pk.analyte',
      });
    const otherMatrix = done.filter((t) => t.analyte === analyte && t.matrix !== matrix);
    if (otherMatrix.length)
      unused.push({
        variable: 'PCSPEC',
        reason: `specimen is not the chosen matrix (${label(matrix ?? '')})${otherMatrix.some((t) => isExcretaMatrix(t.matrix)) ? '; urine is analysed as amounts excreted in the PK view’s urine table' : ''}`,
        rows: otherMatrix.reduce((a, t) => a + isDone(t), 0),
        values: countValues(otherMatrix.flatMap((t) => Array<string>(isDone(t)).fill(label(t.matrix)))),
        mapTo: 'pk.matrix',
      });
    let used = present.length && matrix !== null ? done.filter((t) => t.analyte === analyte && t.matrix === matrix).reduce((a, t) => a + isDone(t), 0) : 0;
    if (analyte !== null && matrix !== null && !isExcretaMatrix(matrix)) {
      // Samples that cannot be placed after a dose, or have neither an actual nor a nominal time.
      const pc = loadPc(db, snapshotId, undefined, analyte).filter((r) => matrixOf(r.pcspec) === matrix);
      const built = buildProfiles(pc, loadEx(db, snapshotId), loadWeights(db, snapshotId), { route: definition.pk.route, infusionDurationH: definition.pk.infusionDurationH }, { analyte, matrix });
      const noTime: string[] = [];
      for (const u of built.unplaced) for (let i = 0; i < u.count; i++) noTime.push(u.usubjid);
      for (const p of built.profiles) for (const pt of p.points) if (pt.actualH === null && pt.nominalH === null) noTime.push(p.usubjid);
      if (noTime.length) {
        unused.push({ variable: 'PCDTC', reason: 'no usable time since a dose (no PCRFTDTC, PCELTM or PCDTC that matches an EX dose); values are subjects', rows: noTime.length, values: countValues(noTime), mapTo: null });
        used -= noTime.length;
      }
    } else used = 0;
    out.push({
      domain: 'PC',
      analysis: 'PK (NCA)',
      views: VIEWS,
      rowsRead,
      rowsUsed: used,
      unused,
      settings: [
        `analyte ${analyte ?? 'none'}${definition.pk.analyte ? ' (study definition pk.analyte)' : ''}`,
        `matrix ${label(matrix ?? '')}${definition.pk.matrix && matrix === matrixOf(definition.pk.matrix) ? ' (study definition pk.matrix)' : ' (plasma, serum, blood in that order when pk.matrix is not set)'}`,
      ],
    });
  }
  // Urine of the analysed analyte: used for Ae/fe/CLR when an amount can be derived from the row.
  const urineMatrices = analyte === null ? [] : done.filter((t) => t.analyte === analyte && isExcretaMatrix(t.matrix)).map((t) => t.matrix);
  for (const um of urineMatrices) {
    const recs = loadUrine(db, snapshotId, analyte!, um);
    const why = recs.map((r) => amountExcreted(r)).filter((a) => a.mg === null).map((a) => a.note ?? 'no amount');
    out.push({
      domain: 'PC',
      analysis: 'PK (urinary excretion)',
      views: VIEWS,
      rowsRead: recs.length,
      rowsUsed: recs.length - why.length,
      unused: why.length ? [{ variable: 'PCVOL', reason: 'no amount excreted can be derived (a concentration needs PCVOL/PCVOLU; an amount needs a mass unit in PCSTRESU)', rows: why.length, values: countValues(why), mapTo: null }] : [],
      settings: [`analyte ${analyte}, matrix ${label(um)}: Ae = concentration × volume per collection`],
    });
  }
  const pp = loadPp(db, snapshotId);
  if (pp.length > 0) {
    const available = done.map((t) => ({ analyte: t.analyte, matrix: t.matrix }));
    const computed = new Set([...Object.keys(PP_TERMS), 'ARAUC']);
    const byCat: (string | null)[] = [];
    const bySpec: (string | null)[] = [];
    const byCode: string[] = [];
    for (const r of pp) {
      const t = ppTarget(r.ppcat, r.ppspec, available, definition.pk.matrix);
      if (t.analyte !== analyte) byCat.push(r.ppcat);
      else if (t.matrix !== matrix) bySpec.push(r.ppspec);
      else if (!computed.has(r.pptestcd)) byCode.push(r.pptestcd);
    }
    const unused: MappingUnused[] = [];
    if (byCat.length) unused.push({ variable: 'PPCAT', reason: `not the analysed analyte (${analyte ?? 'none'}) or not a PCTESTCD of the snapshot`, rows: byCat.length, values: countValues(byCat), mapTo: 'pk.analyte' });
    if (bySpec.length) unused.push({ variable: 'PPSPEC', reason: `specimen is not the chosen matrix (${label(matrix ?? '')})`, rows: bySpec.length, values: countValues(bySpec), mapTo: 'pk.matrix' });
    if (byCode.length) unused.push({ variable: 'PPTESTCD', reason: 'a parameter DoseDesk does not compute', rows: byCode.length, values: countValues(byCode), mapTo: null });
    out.push({
      domain: 'PP',
      analysis: 'PK (reported against computed)',
      views: VIEWS,
      rowsRead: pp.length,
      rowsUsed: pp.length - byCat.length - bySpec.length - byCode.length,
      unused,
      settings: ['matched on PPCAT (analyte), PPSPEC (matrix; the default matrix when empty) and PPTESTCD'],
    });
  }
  return out;
}
