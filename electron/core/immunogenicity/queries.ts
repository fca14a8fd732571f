import { adaTestKind, parseAdaResult, titreScaleOf, type AdaCoding, type IsRecord, type TitreScale } from '../../../shared/ada';
import type { StudyDefinition } from '../../../shared/study';
import type { Db } from '../store/db';

// The IS records the immunogenicity analysis reads, with their lineage (file, row) so that what it
// cannot use is reported where it is (shared/ada.ts holds the rules). Used by the safety.ada handler
// and by the mapping report (electron/core/efficacy/mapping.ts).

export interface IsRow extends IsRecord {
  file: string;
  rowNo: number;
  isstresu: string | null;
  isorresu: string | null;
}

/** Every IS record of a snapshot, by subject and date, with file name and row number. */
export function loadIsRows(db: Db, snapshotId: number): IsRow[] {
  return db
    .prepare(
      `SELECT r.usubjid, r.istestcd, r.isstresc, r.isstresn, r.isdtc, r.visit, r.visitnum, r.isorres, r.isstresu,
              json_extract(r.extra, '$.ISBLFL') isblfl, json_extract(r.extra, '$.ISORRESU') isorresu,
              f.file_name file, r.row_no rowNo
       FROM rec_is r JOIN snapshot_file f ON f.file_id = r.file_id
       WHERE r.snapshot_id = ? ORDER BY r.usubjid, r.isdtc, r.row_no`,
    )
    .all(snapshotId) as IsRow[];
}

export const adaCodingOf = (def: StudyDefinition): AdaCoding => ({
  bindingTestcds: def.ada.bindingTestcds,
  neutralisingTestcds: def.ada.neutralisingTestcds,
  titreTestcds: def.ada.titreTestcds,
});

export interface AdaCodingReport {
  coding: AdaCoding;
  /** ADA records (binding, neutralising or titre by ISTESTCD). */
  adaRows: IsRow[];
  /** Records whose ISTESTCD no rule or setting recognises. */
  unrecognised: IsRow[];
  /** ADA records whose result is none of NEGATIVE / POSITIVE / a number / "<x". */
  unparseable: IsRow[];
  /** ADA records carrying a titre (a number or "<x"). */
  titreRows: IsRow[];
  scale: TitreScale | null;
  scaleSource: string;
  /** Located warnings ("is.csv row 12, ISSTRESU: expected …, found …"). */
  warnings: string[];
}

/** How the IS records of a snapshot are coded under the study definition: what is used, what is not, the titre scale. */
export function adaCodingReport(rows: readonly IsRow[], def: StudyDefinition): AdaCodingReport {
  const coding = adaCodingOf(def);
  const adaRows: IsRow[] = [];
  const unrecognised: IsRow[] = [];
  const unparseable: IsRow[] = [];
  const titreRows: IsRow[] = [];
  for (const r of rows) {
    if (!adaTestKind(r.istestcd, coding)) {
      unrecognised.push(r);
      continue;
    }
    adaRows.push(r);
    const p = parseAdaResult(r);
    if (p.unparseable) unparseable.push(r);
    else if (p.titre !== null) titreRows.push(r);
  }
  const { scale, source } = titreScaleOf(
    titreRows.map((r) => r.isstresu ?? r.isorresu),
    def.ada.titreScale,
  );
  const warnings: string[] = [];
  if (scale === null && titreRows.length > 0) {
    const r = titreRows[0]!;
    warnings.push(
      `${r.file} row ${r.rowNo}, ISSTRESU: expected a unit that tells the titre scale ("titer" or "log10 titer"), or ada.titreScale ("linear" or "log10") in the study definition; found ${source} — ${titreRows.length} titre record(s); treatment-boosted ADA is not assessed until the scale is set`,
    );
  }
  for (const r of unparseable.slice(0, 20))
    warnings.push(`${r.file} row ${r.rowNo}, ISSTRESC: expected NEGATIVE, POSITIVE, a titre or "<x"; found ${JSON.stringify(r.isstresc ?? r.isorres)} — record not used`);
  return { coding, adaRows, unrecognised, unparseable, titreRows, scale, scaleSource: source, warnings };
}
