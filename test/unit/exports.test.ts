import { describe, expect, it } from 'vitest';
import { cohortFilterText, csvField, csvText, filterBannerText, gridFilterParts, gridFootnote, levelsText, rowCountText, sidecarName } from '../../renderer/src/exports';
import { COHORT_CSV_HEADER, cohortCsvRows, DLT_CSV_HEADER, dltCsvRows } from '../../renderer/src/tableCsv';
import type { CohortRow } from '../../shared/contract';

// Issue 12 items 3 and 6: a CSV export holds the header and the rows only (RFC 4180, IETF 2005:
// §2.1 CRLF line breaks, §2.6 fields with commas, quotes or line breaks enclosed in double quotes,
// §2.7 a double quote inside such a field doubled); filters and row counts are stated in words.

/** A minimal RFC 4180 reader (independent of the writer): fields, quoted fields with "" and CRLF inside. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
    i++;
  }
  if (field || row.length) throw new Error('the last record has no CRLF');
  return rows;
}

describe('CSV writer (RFC 4180)', () => {
  it('quotes only fields with a comma, a double quote, CR or LF, and doubles inner quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(0.01)).toBe('0.01');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(Number.NaN)).toBe('');
  });

  it('writes the header line and one line per row, CRLF-terminated, and nothing else', () => {
    const text = csvText(['USUBJID', 'AETERM', 'AETOXGR'], [
      ['01-701-1015', 'APPLICATION SITE ERYTHEMA', 1],
      ['01-701-1023', 'ERYTHEMA, "LOCAL"', 3],
      ['01-701-1028', 'line\nbreak', null],
    ]);
    expect(text).toBe('USUBJID,AETERM,AETOXGR\r\n01-701-1015,APPLICATION SITE ERYTHEMA,1\r\n01-701-1023,"ERYTHEMA, ""LOCAL""",3\r\n01-701-1028,"line\nbreak",\r\n');
    const parsed = parseCsv(text);
    expect(parsed[0]).toEqual(['USUBJID', 'AETERM', 'AETOXGR']);
    expect(parsed).toHaveLength(4);
    expect(parsed[2]).toEqual(['01-701-1023', 'ERYTHEMA, "LOCAL"', '3']);
    expect(parsed[3]).toEqual(['01-701-1028', 'line\nbreak', '']);
    // Every record has the header's field count (RFC 4180 §2.4).
    for (const r of parsed) expect(r).toHaveLength(3);
  });

  it('the sidecar is named after the CSV', () => {
    expect(sidecarName('cohorts-f60f51e6cec0.csv')).toBe('cohorts-f60f51e6cec0.json');
  });
});

describe('filters and row counts in words', () => {
  it('says "5 of 261 rows" when rows are hidden, "261 rows" when not', () => {
    expect(rowCountText(5, 261)).toBe('5 of 261 rows');
    expect(rowCountText(261, 261)).toBe('261 rows');
    expect(rowCountText(1200, 2400, 'subjects')).toBe('1,200 of 2,400 subjects');
  });

  it('names the quick-filter search and each column filter with its header', () => {
    const headers: Record<string, string> = { usubjid: 'Subject', aetoxgr: 'Grade', aestdtc: 'Start' };
    const parts = gridFilterParts('  neutropenia ', {
      usubjid: { filterType: 'text', type: 'contains', filter: '003' },
      aetoxgr: { filterType: 'number', type: 'greaterThanOrEqual', filter: 3 },
      aestdtc: { filterType: 'date', type: 'inRange', dateFrom: '2024-01-01', dateTo: '2024-03-31' },
    }, (c) => headers[c] ?? c);
    expect(parts).toEqual(['search "neutropenia"', 'Subject contains "003"', 'Grade ≥ 3', 'Start between 2024-01-01 and 2024-03-31']);
    expect(gridFilterParts('', { aeser: { filterType: 'text', operator: 'OR', conditions: [{ type: 'equals', filter: 'Y' }, { type: 'blank' }] } }, (c) => c)).toEqual(['aeser = "Y" or is blank']);
    expect(gridFilterParts('', {}, (c) => c)).toEqual([]);
  });

  it('the grid footnote states the search and the rows shown, or only the count when unfiltered', () => {
    expect(gridFootnote(['search "rash"'], 5, 261)).toBe('table filtered: search "rash" · 5 of 261 rows shown');
    expect(gridFootnote([], 261, 261)).toBe('261 rows');
  });

  it('the presentation banner: "Filtered: DL6 · 12 of 25 subjects"; nothing when no filter is active', () => {
    expect(filterBannerText('DL6', { shown: 12, total: 25, noun: 'subjects' })).toBe('Filtered: DL6 · 12 of 25 subjects');
    expect(filterBannerText('DL6', null)).toBe('Filtered: DL6');
    expect(filterBannerText(null, { shown: 25, total: 25, noun: 'subjects' })).toBeNull();
  });

  it('dose levels: a run of three or more as a range, else listed; part added', () => {
    expect(levelsText([6])).toBe('DL6');
    expect(levelsText([7, 4, 5, 6])).toBe('DL4–DL7');
    expect(levelsText([1, 3, 5])).toBe('DL1, DL3, DL5');
    expect(levelsText([2, 3])).toBe('DL2, DL3');
    expect(cohortFilterText([6], 'all')).toBe('DL6');
    expect(cohortFilterText(null, 'escalation')).toBe('escalation');
    expect(cohortFilterText(null, 'all')).toBeNull();
  });
});

describe('Cohorts and DLT tables as CSV rows', () => {
  const row = (p: Partial<CohortRow>): CohortRow => ({
    level: 1, placebo: false, dose: 0.01, doseUnit: 'mg/kg', part: 'escalation', treated: 0, windowComplete: 0, windowOpen: 0, notEvaluable: 0, windowEnds: [],
    subjectsGrade3: 0, teaesWithoutGrade: 0, subjectsSevere: 0, saes: 0, subjectsWithSae: 0, dltAes: 0, subjectsWithDlt: 0, ongoing: 0, ...p,
  });

  it('one line per dose-level row, plain values, not-evaluable = treated − complete − in window', () => {
    // DL6: 4 treated, 1 complete, 2 in window → 4 − 1 − 2 = 1 not evaluable (worked by hand).
    const rows = cohortCsvRows([
      row({ level: 6, dose: 3, treated: 4, windowComplete: 1, windowOpen: 2, windowEnds: [{ usubjid: 'S-12', windowEnd: '2025-11-30', daysLeft: 9 }, { usubjid: 'S-11', windowEnd: '2025-11-25', daysLeft: 4 }], saes: 2, subjectsWithSae: 1, ongoing: 3 }),
      row({ level: 0, placebo: true, dose: 0, treated: 2, windowComplete: 2 }),
    ]);
    expect(rows[0]).toEqual(['escalation', 6, 'N', 3, 'mg/kg', 4, 1, 2, 1, 0, 0, 0, 2, 1, 0, 0, 3, 'S-11 ends 2025-11-25; S-12 ends 2025-11-30']);
    expect(rows[1]!.slice(0, 3)).toEqual(['escalation', '', 'Y']);
    for (const r of rows) expect(r).toHaveLength(COHORT_CSV_HEADER.length);
    const parsed = parseCsv(csvText(COHORT_CSV_HEADER, rows));
    expect(parsed[0]![0]).toBe('PART');
    expect(parsed).toHaveLength(3);
  });

  it('one line per subject of the DLT table, AEs joined with "; "', () => {
    const rows = dltCsvRows([
      {
        level: 3, placebo: false, part: 'escalation',
        subjects: [
          { usubjid: 'S-7', firstDoseDtc: '2025-10-01', windowEndDtc: '2025-10-21', daysLeft: null, status: 'dlt', evaluable: true, reason: 'DLT in the window', endOfTreatment: { dtc: '2025-10-15', source: 'DS', detail: '' }, dlts: [{ grade: 4, aedecod: 'Neutropenia', aeterm: 'NEUTROPENIA', studyDay: 9 }], possibleDlts: [], ungradedNotScreened: [] },
          { usubjid: 'S-8', firstDoseDtc: '2025-11-10', windowEndDtc: '2025-11-30', daysLeft: 9, status: 'in-window', evaluable: false, reason: 'window open', endOfTreatment: null, dlts: [], possibleDlts: [{ grade: 3, aedecod: 'Rash, maculo-papular', aeterm: 'RASH', studyDay: 5 }], ungradedNotScreened: [], possibleDltLabs: [{ testcd: 'NEUT', term: 'Neutrophil count decreased', grade: 3, source: 'derived', result: '0.8', unit: '10^9/L', lbdtc: '2025-11-19', studyDay: 10 }] },
        ],
      },
    ] as unknown as Parameters<typeof dltCsvRows>[0]);
    expect(rows).toEqual([
      ['escalation', 3, 'N', 'S-7', '2025-10-01', '2025-10-21', '', 'dlt', 'Y', 'DLT in the window', '2025-10-15', 'DS', 'G4 Neutropenia day 9', '', '', ''],
      ['escalation', 3, 'N', 'S-8', '2025-11-10', '2025-11-30', 9, 'in-window', 'N', 'window open', '', '', '', 'G3 Rash, maculo-papular day 5', '', 'G3 Neutrophil count decreased (NEUT 0.8 10^9/L) day 10'],
    ]);
    for (const r of rows) expect(r).toHaveLength(DLT_CSV_HEADER.length);
    // The comma inside the preferred term is quoted, so R still sees 16 fields.
    const parsed = parseCsv(csvText(DLT_CSV_HEADER, rows));
    expect(parsed[2]).toHaveLength(16);
    expect(parsed[2]![13]).toBe('G3 Rash, maculo-papular day 5');
  });
});
