import { countValues, type MappingEntry, type MappingUnused } from '../../../shared/mapping';
import { completeDate } from '../../../shared/efficacy/records';
import { rsUsage, trUsage, tuUsage, type Unused } from '../../../shared/efficacy/usage';
import type { StudyDefinition } from '../../../shared/study';
import { adaCodingReport, loadIsRows } from '../immunogenicity/queries';
import { cutoffOf, declaredCutoff, loadSubjects } from '../queries/subjects';
import type { Db } from '../store/db';
import { loadTumourRecords } from './queries';

// Mapping-report contributors of the immunogenicity (IS) and tumour-response (TU, TR, RS) analyses:
// rows read, rows used, and the rows not used grouped by reason with their values (shared/mapping.ts).

const IS_VIEWS = ['immunogenicity', 'swimmer', 'pk'];
const TUMOUR_VIEWS = ['spider', 'waterfall', 'efficacy'];

/** IS: ADA records by ISTESTCD, unparseable results, the titre scale in force. */
export function isMapping(db: Db, snapshotId: number, definition: StudyDefinition): MappingEntry[] {
  const rows = loadIsRows(db, snapshotId);
  if (rows.length === 0) return [];
  const c = adaCodingReport(rows, definition);
  const unused: MappingUnused[] = [];
  if (c.unrecognised.length > 0)
    unused.push({
      variable: 'ISTESTCD',
      reason: 'test code is not a recognised ADA binding, neutralising or titre code (add it to the study definition)',
      rows: c.unrecognised.length,
      values: countValues(c.unrecognised.map((r) => r.istestcd)),
      mapTo: 'ada.bindingTestcds',
    });
  if (c.unparseable.length > 0)
    unused.push({
      variable: 'ISSTRESC',
      reason: 'result is none of NEGATIVE, POSITIVE, a titre or "<x"',
      rows: c.unparseable.length,
      values: countValues(c.unparseable.map((r) => r.isstresc ?? r.isorres)),
      mapTo: null,
    });
  if (c.scale === null && c.titreRows.length > 0)
    unused.push({
      variable: 'ISSTRESU',
      reason: 'titre scale (linear or log10) cannot be told from the units: titres are not used for treatment-boosted ADA',
      rows: c.titreRows.length,
      values: countValues(c.titreRows.map((r) => r.isstresu ?? r.isorresu)),
      mapTo: 'ada.titreScale',
    });
  const settings = [
    c.scale ? `titre scale ${c.scale} (${c.scaleSource})` : `titre scale unknown (${c.scaleSource})`,
    `treatment-boosted: >= ${definition.ada.boostFold}-fold rise over the baseline titre`,
  ];
  for (const [k, v] of Object.entries(c.coding)) if (v && v.length) settings.push(`ada.${k}: ${v.join(', ')}`);
  return [{
    domain: 'IS',
    analysis: 'Immunogenicity',
    views: IS_VIEWS,
    rowsRead: rows.length,
    rowsUsed: c.adaRows.length - c.unparseable.length,
    unused,
    settings,
  }];
}

/** Group unused rows by (variable, reason) with their values. */
function grouped(items: readonly Unused[], mapTo: (u: Unused) => string | null = () => null): MappingUnused[] {
  const by = new Map<string, Unused[]>();
  for (const u of items) {
    const k = `${u.variable}\u001f${u.reason}`;
    let l = by.get(k);
    if (!l) by.set(k, (l = []));
    l.push(u);
  }
  return [...by.values()]
    .map((l) => ({ variable: l[0]!.variable, reason: l[0]!.reason, rows: l.length, values: countValues(l.map((u) => u.value)), mapTo: mapTo(l[0]!) }))
    .sort((a, b) => b.rows - a.rows);
}

/** TU, TR and RS: what the RECIST 1.1 derivation used, per the rules of shared/efficacy/usage.ts. */
export function tumourMapping(db: Db, snapshotId: number, definition: StudyDefinition): MappingEntry[] {
  const records = loadTumourRecords(db, snapshotId);
  if (records.size === 0) return [];
  const cutoff = cutoffOf(db, snapshotId, definition.dataCutoff ?? declaredCutoff(db, snapshotId));
  const firstDose = new Map(loadSubjects(db, snapshotId).map((s) => [s.usubjid, completeDate(s.firstDoseDtc)]));
  const acc = { TU: { read: 0, unused: [] as Unused[] }, TR: { read: 0, unused: [] as Unused[] }, RS: { read: 0, unused: [] as Unused[] } };
  const after = (dtc: string | null) => cutoff !== null && (completeDate(dtc) ?? '') > cutoff;
  for (const [usubjid, rec] of records) {
    acc.TU.read += rec.tu.length;
    acc.TR.read += rec.tr.length;
    acc.RS.read += rec.rs.length;
    const first = firstDose.get(usubjid) ?? null;
    if (first === null || (cutoff !== null && first > cutoff)) {
      const u = { variable: 'USUBJID', reason: 'subject not treated by the data cut-off (no complete first-dose date)', value: usubjid };
      acc.TU.unused.push(...rec.tu.map(() => u));
      acc.TR.unused.push(...rec.tr.map(() => u));
      acc.RS.unused.push(...rec.rs.map(() => u));
      continue;
    }
    const cut = (dtc: string | null) => ({ variable: 'DTC', reason: 'dated after the data cut-off', value: completeDate(dtc) ?? '' });
    const tr = rec.tr.filter((r) => !after(r.dtc));
    const rs = rec.rs.filter((r) => !after(r.dtc));
    const tu = rec.tu.filter((r) => !after(r.dtc));
    for (const r of rec.tr) if (after(r.dtc)) acc.TR.unused.push(cut(r.dtc));
    for (const r of rec.rs) if (after(r.dtc)) acc.RS.unused.push(cut(r.dtc));
    for (const r of rec.tu) if (after(r.dtc)) acc.TU.unused.push(cut(r.dtc));
    acc.TR.unused.push(...trUsage(tu, tr, rs, first).filter((u): u is Unused => u !== null));
    acc.TU.unused.push(...tuUsage(tu).filter((u): u is Unused => u !== null));
    acc.RS.unused.push(...rsUsage(tr, rs).filter((u): u is Unused => u !== null));
  }
  const settings = [
    'sums: longest diameter of non-nodal target lesions, short axis of nodes (TULOC / TULOCDTL lymph node, or a SAXIS record); LPERP is a short axis only for a node by location',
    'evaluator per scan: the accepted record (--ACPTFL = Y), else the investigator',
    `analysis sets: ORR/DCR and PFS need a baseline tumour assessment; OS all treated`,
    `confirmation >= ${definition.recist.confirmationDays} days, SD >= ${definition.recist.minSdDays} days from the first dose`,
  ];
  return (['TU', 'TR', 'RS'] as const)
    .filter((d) => acc[d].read > 0)
    .map((d) => ({
      domain: d,
      analysis: 'Tumour response',
      views: TUMOUR_VIEWS,
      rowsRead: acc[d].read,
      rowsUsed: acc[d].read - acc[d].unused.length,
      unused: grouped(acc[d].unused),
      settings,
    }));
}

export const efficacyMappingContributor = (db: Db, snapshotId: number, definition: StudyDefinition): MappingEntry[] => [
  ...isMapping(db, snapshotId, definition),
  ...tumourMapping(db, snapshotId, definition),
];
