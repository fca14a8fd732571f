import type { Cell } from '../../electron/core/readers/types';
import { table } from './conventions';

// A pharmaverse/admiral-convention IS domain written by hand (pharmaversesdtm `is_ada`: ISTESTCD
// ADA_BAB = binding antidrug antibody, ADA_NAB = neutralising; NEGATIVE / POSITIVE, log10 titres with
// ISSTRESU "log10 titer", "<1.40" = positive below the minimum reportable titre), with DM and EX. The
// statuses it encodes are worked by hand in test/unit/ada-conventions.test.ts.

export const SUBJ = ['01-701-1001', '01-701-1002', '01-701-1003', '01-701-1004', '01-701-1005', '01-701-1006'];
export const FIRST = '2025-01-10';
export const dm = table(
  'DM',
  ['STUDYID', 'DOMAIN', 'USUBJID', 'SUBJID', 'RFSTDTC', 'RFXSTDTC', 'ARMCD', 'ARM', 'ACTARMCD'],
  SUBJ.map((u) => ['CDISCPILOT01', 'DM', u, u.slice(-4), FIRST, FIRST, 'L1', 'Drug 1 mg/kg', 'L1']),
);
export const ex = table(
  'EX',
  ['STUDYID', 'DOMAIN', 'USUBJID', 'EXSEQ', 'EXTRT', 'EXDOSE', 'EXDOSU', 'EXSTDTC', 'EXENDTC'],
  SUBJ.map((u) => ['CDISCPILOT01', 'EX', u, 1, 'DRUG', 1, 'mg/kg', `${FIRST}T09:00`, `${FIRST}T10:00`]),
);

const IS_HEAD = ['STUDYID', 'DOMAIN', 'USUBJID', 'ISSEQ', 'ISTESTCD', 'ISTEST', 'ISCAT', 'ISORRES', 'ISORRESU', 'ISSTRESC', 'ISSTRESN', 'ISSTRESU', 'ISBLFL', 'VISITNUM', 'VISIT', 'ISDTC'];
const VISITS: Record<string, [number, string]> = { '2025-01-10': [10, 'DAY 1'], '2025-01-24': [20, 'DAY 15'], '2025-02-07': [30, 'DAY 29'], '2025-04-04': [40, 'DAY 85'] };

/**
 * One IS record. `res` is NEGATIVE / POSITIVE, a log10 titre (number) or "<1.40". `units` false writes
 * no unit (the scale cannot be told from the data); `code` renames the binding test code.
 */
export function isDomain(opts: { units: boolean; binding?: string }): ReturnType<typeof table> {
  let seq = 0;
  const bab = opts.binding ?? 'ADA_BAB';
  const rows: Cell[][] = [];
  const rec = (u: string, testcd: string, dtc: string, res: string | number) => {
    const [vn, visit] = VISITS[dtc]!;
    const num = typeof res === 'number' ? res : null;
    const text = typeof res === 'number' ? res.toFixed(2) : res;
    const unit = opts.units && (num !== null || String(res).startsWith('<')) ? 'log10 titer' : null;
    const test = testcd === 'ADA_NAB' ? 'Neutralizing Binding Antidrug Antibody' : 'Binding Antidrug Antibody';
    rows.push(['CDISCPILOT01', 'IS', u, ++seq, testcd, test, 'ANTIDRUG ANTIBODY', text, unit, text, num, unit, dtc === FIRST ? 'Y' : null, vn, visit, `${dtc}T08:00`]);
  };
  const [s1, s2, s3, s4, s5, s6] = SUBJ as [string, string, string, string, string, string];
  // 1001: negative at baseline, "<1.40" on day 29 (positive below the reportable titre) -> treatment-induced;
  //       positive at the last sample -> persistent; NAb positive on day 29.
  rec(s1, bab, '2025-01-10', 'NEGATIVE'); rec(s1, 'ADA_NAB', '2025-01-10', 'NEGATIVE');
  rec(s1, bab, '2025-01-24', 'NEGATIVE');
  rec(s1, bab, '2025-02-07', '<1.40'); rec(s1, 'ADA_NAB', '2025-02-07', 'POSITIVE');
  // 1002: baseline 1.70, day 29 2.40 (2.40 − 1.70 = 0.70 >= 0.602: boosted, 10^0.70 = 5.01-fold), day 85 1.90
  //       (+0.20: not boosted) -> treatment-boosted, boosted at one time point that is not the last -> transient.
  rec(s2, bab, '2025-01-10', 1.7); rec(s2, bab, '2025-02-07', 2.4); rec(s2, 'ADA_NAB', '2025-02-07', 'NEGATIVE'); rec(s2, bab, '2025-04-04', 1.9);
  // 1003: baseline 1.70, day 29 2.20 (+0.50 < 0.602, 10^0.5 = 3.16-fold) -> baseline positive, not boosted.
  rec(s3, bab, '2025-01-10', 1.7); rec(s3, bab, '2025-02-07', 2.2);
  // 1004: baseline "<1.40" (below reportable: 1.40 is an upper bound), day 29 2.10 (+0.70 over the bound) -> boosted;
  //       the last sample is the boosted one -> persistent.
  rec(s4, bab, '2025-01-10', '<1.40'); rec(s4, bab, '2025-02-07', 2.1);
  // 1005: baseline 2.00, day 29 "<1.40" (lower) -> baseline positive, not boosted.
  rec(s5, bab, '2025-01-10', 2.0); rec(s5, bab, '2025-02-07', '<1.40');
  // 1006: negative throughout; one unparseable result (QNS) and one test code no convention knows.
  rec(s6, bab, '2025-01-10', 'NEGATIVE'); rec(s6, bab, '2025-02-07', 'NEGATIVE'); rec(s6, bab, '2025-04-04', 'QNS');
  rec(s6, 'ADA_IGE', '2025-02-07', 'POSITIVE');
  return table('IS', IS_HEAD, rows);
}

export const study = (ada: Record<string, unknown> = {}) => ({
  studyId: 'CDISCPILOT01', dataCutoff: '2025-12-31', doseUnit: 'mg/kg', doseLevels: [{ level: 1, dose: 1 }], ada: { boostFold: 4, ...ada },
});

