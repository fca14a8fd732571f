// Which TU / TR / RS records the tumour-response derivation (tumour.ts) uses, and why the others are
// not used — for the snapshot's mapping report (shared/mapping.ts). Pure; mirrors deriveSubjectTumour's
// rules: accepted evaluator per scan, RECIST 1.1 measurement per lesion (§3.1.1, §4.2: longest
// diameter of non-nodal lesions, short axis of nodes), assessments from the baseline on.

import {
  acceptedEvaluator, completeDate, evaluatorLabel, isRecistTimePoint, lesionRole, LONGEST_DIAMETER_TESTS, SHORT_AXIS_TESTS,
  type RsRecord, type TrRecord, type TuRecord,
} from './records';
import { lesionsOf, usesMeasurement } from './tumour';

export interface Unused {
  variable: string;
  reason: string;
  value: string;
}

const flag = (a: string | null) => (a ?? '').trim().toUpperCase();
const OTHER_TR_TESTS = new Set(['SUMDIAM', 'TUMSTATE']);

/** The evaluator chosen for each complete date of one subject (tumour.ts: acceptedEvaluator over TR and RS). */
function evaluatorByDate(tr: readonly TrRecord[], rs: readonly RsRecord[]): Map<string, string> {
  const by = new Map<string, { evaluator: string; accepted: string | null }[]>();
  for (const r of [...tr, ...rs.filter(isRecistTimePoint)]) {
    const d = completeDate(r.dtc);
    if (!d) continue;
    let l = by.get(d);
    if (!l) by.set(d, (l = []));
    l.push({ evaluator: evaluatorLabel(r.evaluator, r.evaluatorId), accepted: r.accepted });
  }
  return new Map([...by].map(([d, c]) => [d, acceptedEvaluator(c)!]));
}

/**
 * Per TR record of one treated subject: null when the derivation uses it, else why not. `firstDoseDtc`
 * is the complete first-dose date; records after the cut-off are to be filtered by the caller.
 */
export function trUsage(tu: readonly TuRecord[], tr: readonly TrRecord[], rs: readonly RsRecord[], firstDoseDtc: string): (Unused | null)[] {
  const lesions = lesionsOf(tu, tr);
  const chosen = evaluatorByDate(tr, rs);
  const baseline = [...new Set(tr.map((r) => completeDate(r.dtc)).filter((d): d is string => d !== null && d <= firstDoseDtc))].sort().pop() ?? null;
  return tr.map((r) => {
    const d = completeDate(r.dtc);
    const code = r.testcd.trim().toUpperCase();
    if (d === null) return { variable: 'TRDTC', reason: 'no complete date: the assessment cannot be placed on the time axis', value: r.dtc ?? '' };
    if (d < (baseline ?? firstDoseDtc) || (d !== baseline && d <= firstDoseDtc))
      return { variable: 'TRDTC', reason: 'before the baseline assessment (the last scan on or before the first dose)', value: d };
    const ev = evaluatorLabel(r.evaluator, r.evaluatorId);
    if (ev !== chosen.get(d) || flag(r.accepted) === 'N')
      return { variable: 'TREVAL', reason: 'reading of an evaluator not accepted for that scan (TRACPTFL, else the investigator)', value: ev };
    if (OTHER_TR_TESTS.has(code)) return null;
    const measured = LONGEST_DIAMETER_TESTS.has(code) || SHORT_AXIS_TESTS.has(code);
    if (!measured) return { variable: 'TRTESTCD', reason: 'test not used by RECIST 1.1 sums or states', value: code };
    const l = r.linkId ? lesions.get(r.linkId) : undefined;
    if (!l) return { variable: 'TRLNKID', reason: 'measurement without a lesion link', value: '' };
    if (l.role !== 'TARGET') return { variable: 'TRTESTCD', reason: 'size of a non-target or new lesion (its state is used, not its size)', value: code };
    const hasSaxis = tr.some((x) => x.linkId === r.linkId && completeDate(x.dtc) === d && x.testcd.toUpperCase() === 'SAXIS');
    if (usesMeasurement(l, code, hasSaxis)) return null;
    return l.nodal
      ? { variable: 'TRTESTCD', reason: 'long axis of a lymph node (RECIST 1.1 measures nodes by the short axis)', value: code }
      : { variable: 'TRTESTCD', reason: 'short axis / perpendicular of a non-nodal lesion (RECIST 1.1 sums its longest diameter; TULOC does not name a lymph node)', value: code };
  });
}

/** Per TU record: null when used, else why not (no recognised role; no location to tell a node). */
export function tuUsage(tu: readonly TuRecord[]): (Unused | null)[] {
  return tu.map((t) => {
    const role = lesionRole(t.result);
    if (!role) return { variable: 'TUSTRESC', reason: 'not TARGET, NON-TARGET or NEW', value: t.result ?? '' };
    if (role === 'TARGET' && !(t.loc ?? '').trim() && !(t.locDetail ?? '').trim())
      return { variable: 'TULOC', reason: 'target lesion without a location: counted as non-nodal unless TR holds a SAXIS for it', value: '' };
    return null;
  });
}

/** Per RS record: null when used, else why not (not a RECIST 1.1 time point; evaluator not accepted). */
export function rsUsage(tr: readonly TrRecord[], rs: readonly RsRecord[]): (Unused | null)[] {
  const chosen = evaluatorByDate(tr, rs);
  return rs.map((r) => {
    if (!isRecistTimePoint(r))
      return { variable: 'RSTESTCD', reason: 'not a RECIST 1.1 time-point record (best response and other criteria are derived, not read)', value: `${r.testcd}${r.category ? ` (${r.category})` : ''}` };
    const d = completeDate(r.dtc);
    if (d === null) return { variable: 'RSDTC', reason: 'no complete date', value: r.dtc ?? '' };
    const ev = evaluatorLabel(r.evaluator, r.evaluatorId);
    if (ev !== chosen.get(d) || flag(r.accepted) === 'N') return { variable: 'RSEVAL', reason: 'response of an evaluator not accepted for that scan (RSACPTFL, else the investigator)', value: ev };
    return null;
  });
}

