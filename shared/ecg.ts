import { isPostBaseline } from './labs/summary';

// ECG safety: QTcF (Fridericia 1920) per subject and time point, its change from baseline and the
// ICH E14 (2005) categorical analysis (§3.2.2: absolute QTc > 450, > 480, > 500 ms; increase from
// baseline > 30, > 60 ms). Pure: EG and VS records in, values and reasons out. A value that cannot be
// derived (unit not convertible, QT or both RR and heart rate absent) is "not computable: reason",
// never guessed.

/** One EG or VS record as the ECG rules read it (standard result, else the original one). */
export interface EcgRecord {
  usubjid: string;
  domain: 'EG' | 'VS';
  /** EGTESTCD / VSTESTCD, upper case. */
  testcd: string;
  /** EGTEST / VSTEST (to recognise "QTcF" when the code is a sponsor's). */
  test: string | null;
  dtc: string | null;
  /** EGTPT / VSTPT, and EGREPNUM for replicate ECGs: with the date, they name the time point. */
  tpt: string | null;
  repnum: string | null;
  value: number | null;
  text: string | null;
  unit: string | null;
  /** EGBLFL / VSBLFL = Y (or --LOBXFL = Y, SDTMIG v3.4). */
  baselineFlag: boolean;
  file: string | null;
  rowNo: number;
}

// Test codes of the CDISC controlled terminology (EGTESTCD, VSTESTCD) read here; the aggregate
// codes (QTAG, RRAG, QTCFAG) are the SDTMIG v3.4 codes of a triplicate's mean.
const QT_CODES = new Set(['QT', 'QTAG', 'QTMEAN']);
const RR_CODES = new Set(['RR', 'RRAG', 'RRMEAN']);
const HR_CODES_EG = new Set(['HR', 'EGHRMN', 'HRMEAN']);
const HR_CODES_VS = new Set(['HR', 'PULSE']);
const QTCF_CODES = new Set(['QTCF', 'QTCFAG']);

export type EcgRole = 'QT' | 'RR' | 'HR' | 'QTCF';

/** What an EG/VS record gives the QTcF derivation, or null when it gives nothing (other tests). */
export function ecgRole(r: Pick<EcgRecord, 'domain' | 'testcd' | 'test'>): EcgRole | null {
  const cd = r.testcd.trim().toUpperCase();
  if (r.domain === 'VS') return HR_CODES_VS.has(cd) ? 'HR' : null;
  if (QTCF_CODES.has(cd) || /^qtcf\b/i.test((r.test ?? '').trim())) return 'QTCF';
  if (QT_CODES.has(cd)) return 'QT';
  if (RR_CODES.has(cd)) return 'RR';
  if (HR_CODES_EG.has(cd)) return 'HR';
  return null;
}

export type Computed = { value: number } | { notComputable: string };

/** An interval in milliseconds: ms/msec as given, s/sec × 1000. Any other unit (or none) is not converted. */
export function intervalMs(value: number | null, unit: string | null, what: string): Computed {
  if (value === null || !Number.isFinite(value)) return { notComputable: `${what} has no numeric result` };
  if (value <= 0) return { notComputable: `${what} ${value} is not a positive interval` };
  const u = (unit ?? '').trim().toLowerCase();
  if (u === 'ms' || u === 'msec') return { value };
  if (u === 's' || u === 'sec') return { value: value * 1000 };
  return { notComputable: `${what} unit ${unit ? JSON.stringify(unit) : '(none)'} is not ms, msec, s or sec` };
}

/** RR in seconds from heart rate: RR = 60 / HR, HR in beats/min (bpm). Any other unit is not converted. */
export function rrSecondsFromHeartRate(value: number | null, unit: string | null): Computed {
  if (value === null || !Number.isFinite(value)) return { notComputable: 'heart rate has no numeric result' };
  if (value <= 0) return { notComputable: `heart rate ${value} is not positive` };
  const u = (unit ?? '').trim().toLowerCase().replace(/\s+/g, '');
  if (u === 'beats/min' || u === 'bpm' || u === '/min' || u === 'beats/minute') return { value: 60 / value };
  return { notComputable: `heart rate unit ${unit ? JSON.stringify(unit) : '(none)'} is not beats/min` };
}

/**
 * Fridericia's correction (Fridericia LS, Acta Med Scand 1920;53:469-86): QTcF = QT / RR^(1/3),
 * QT in ms, RR in seconds (so that QTcF = QT at 60 beats/min).
 */
export function qtcfFridericia(qtMs: number, rrSeconds: number): number {
  return qtMs / Math.cbrt(rrSeconds);
}

/** ICH E14 (2005) §3.2.2 categorical analysis: absolute QTc above 450, 480, 500 ms (each strictly greater). */
export const QTCF_ABSOLUTE_MS = [450, 480, 500] as const;
/** ICH E14 (2005) §3.2.2: increase from baseline above 30 and 60 ms (strictly greater). */
export const QTCF_INCREASE_MS = [30, 60] as const;

export interface QtcfCategories {
  gt450: boolean;
  gt480: boolean;
  gt500: boolean;
  /** Null when there is no baseline to compare with. */
  incGt30: boolean | null;
  incGt60: boolean | null;
}

/** The ICH E14 categories a QTcF (ms) and its change from baseline (ms, or null) fall in; cumulative (> 480 is also > 450). */
export function qtcfCategories(qtcfMs: number, changeMs: number | null): QtcfCategories {
  return {
    gt450: qtcfMs > 450,
    gt480: qtcfMs > 480,
    gt500: qtcfMs > 500,
    incGt30: changeMs === null ? null : changeMs > 30,
    incGt60: changeMs === null ? null : changeMs > 60,
  };
}

export type QtcfSource = 'QTcF as given' | 'QT and RR' | 'QT and heart rate (EG)' | 'QT and heart rate (VS)';

export interface QtcfPoint {
  usubjid: string;
  dtc: string | null;
  tpt: string | null;
  repnum: string | null;
  /** QTcF in ms, or null with the reason it could not be computed. */
  qtcf: number | null;
  notComputable: string | null;
  source: QtcfSource | null;
  /** The records this time point was read from (file, row) — the first is the one a warning points to. */
  records: EcgRecord[];
  baselineFlag: boolean;
}

const keyOf = (r: EcgRecord) => `${r.usubjid}\u001f${r.dtc ?? ''}\u001f${(r.tpt ?? '').trim().toUpperCase()}\u001f${(r.repnum ?? '').trim()}`;

/**
 * One QTcF per subject and time point (same date-time, EGTPT and EGREPNUM): the QTcF given (EGTESTCD
 * QTCF) when present; else QT with RR; else QT with heart rate (EG, then VS PULSE/HR of the same
 * date-time and time point) as RR = 60 / HR. A time point with QT, RR or HR but no QTcF that cannot
 * be computed carries its reason.
 */
export function qtcfPoints(records: readonly EcgRecord[]): QtcfPoint[] {
  const groups = new Map<string, EcgRecord[]>();
  for (const r of records) {
    if (!ecgRole(r)) continue;
    const k = keyOf(r);
    let l = groups.get(k);
    if (!l) groups.set(k, (l = []));
    l.push(r);
  }
  const points: QtcfPoint[] = [];
  for (const recs of groups.values()) {
    const eg = recs.filter((r) => r.domain === 'EG');
    if (!eg.length) continue; // heart rate alone (VS) is no ECG time point
    const first = (role: EcgRole, domain: 'EG' | 'VS' = 'EG') => recs.find((r) => r.domain === domain && ecgRole(r) === role) ?? null;
    const base = { usubjid: recs[0]!.usubjid, dtc: recs[0]!.dtc, tpt: recs[0]!.tpt, repnum: recs[0]!.repnum, baselineFlag: eg.some((r) => r.baselineFlag) };
    const given = first('QTCF');
    const point = (c: Computed, source: QtcfSource, used: EcgRecord[]): QtcfPoint =>
      // The VS heart rate a QTcF was computed from may carry the baseline flag (VSBLFL) instead of the ECG.
      'value' in c
        ? { ...base, baselineFlag: base.baselineFlag || used.some((r) => r.domain === 'VS' && r.baselineFlag), qtcf: c.value, notComputable: null, source, records: used }
        : { ...base, qtcf: null, notComputable: c.notComputable, source: null, records: used };
    if (given) {
      points.push(point(intervalMs(given.value, given.unit, 'QTcF'), 'QTcF as given', [given]));
      continue;
    }
    const qt = first('QT');
    if (!qt) {
      points.push(point({ notComputable: 'no QT and no QTcF at this time point' }, 'QT and RR', eg));
      continue;
    }
    const qtMs = intervalMs(qt.value, qt.unit, 'QT');
    if (!('value' in qtMs)) {
      points.push(point(qtMs, 'QT and RR', [qt]));
      continue;
    }
    const rr = first('RR');
    const hrEg = first('HR');
    const hrVs = first('HR', 'VS');
    let rrS: Computed;
    let source: QtcfSource;
    let used: EcgRecord;
    if (rr) {
      const ms = intervalMs(rr.value, rr.unit, 'RR');
      rrS = 'value' in ms ? { value: ms.value / 1000 } : ms;
      source = 'QT and RR';
      used = rr;
    } else if (hrEg || hrVs) {
      used = (hrEg ?? hrVs)!;
      rrS = rrSecondsFromHeartRate(used.value, used.unit);
      source = hrEg ? 'QT and heart rate (EG)' : 'QT and heart rate (VS)';
    } else {
      points.push(point({ notComputable: 'RR and heart rate both absent at this time point' }, 'QT and RR', [qt]));
      continue;
    }
    points.push(point('value' in rrS ? { value: qtcfFridericia(qtMs.value, rrS.value) } : rrS, source, [qt, used]));
  }
  return points.sort((a, b) => a.usubjid.localeCompare(b.usubjid) || (a.dtc ?? '').localeCompare(b.dtc ?? '') || (a.tpt ?? '').localeCompare(b.tpt ?? '') || (a.repnum ?? '').localeCompare(b.repnum ?? ''));
}

export interface SubjectQtcf {
  usubjid: string;
  baseline: QtcfPoint | null;
  /** Every point with its place relative to the first dose (null: no full date) and change from baseline. */
  points: { point: QtcfPoint; postBaseline: boolean | null; change: number | null }[];
  /** Highest post-baseline QTcF and highest post-baseline change from baseline (null when none). */
  maxQtcf: number | null;
  maxChange: number | null;
}

/**
 * One subject's QTcF summary. Baseline (ICH E14; SDTMIG --BLFL): the time point flagged EGBLFL = Y,
 * or VSBLFL = Y on the VS heart rate it was computed from (the last flagged one with a value), else the last computable QTcF on or before the first dose.
 * Change = QTcF − baseline QTcF, for post-baseline points only.
 */
export function subjectQtcf(usubjid: string, points: readonly QtcfPoint[], firstDoseDtc: string | null): SubjectQtcf {
  const ok = points.filter((p) => p.qtcf !== null);
  const flagged = ok.filter((p) => p.baselineFlag);
  const pre = ok.filter((p) => isPostBaseline(p.dtc, firstDoseDtc) === false);
  const baseline = flagged.length ? flagged[flagged.length - 1]! : pre.length ? pre[pre.length - 1]! : null;
  let maxQtcf: number | null = null;
  let maxChange: number | null = null;
  const out = points.map((point) => {
    const postBaseline = point === baseline ? false : isPostBaseline(point.dtc, firstDoseDtc);
    const change = postBaseline && point.qtcf !== null && baseline ? point.qtcf - baseline.qtcf! : null;
    if (postBaseline && point.qtcf !== null) maxQtcf = Math.max(maxQtcf ?? -Infinity, point.qtcf);
    if (change !== null) maxChange = Math.max(maxChange ?? -Infinity, change);
    return { point, postBaseline, change };
  });
  return { usubjid, baseline, points: out, maxQtcf, maxChange };
}

export interface CategoryRow {
  group: string;
  /** Subjects with at least one post-baseline QTcF (denominator of the absolute categories). */
  evaluable: number;
  /** Subjects with a baseline and a post-baseline QTcF (denominator of the increase categories). */
  evaluableChange: number;
  gt450: number;
  gt480: number;
  gt500: number;
  incGt30: number;
  incGt60: number;
}

/** ICH E14 categorical table by dose level: subjects whose highest post-baseline value falls in each (cumulative) category. */
export function categoryTable(subjects: readonly SubjectQtcf[], groupOf: ReadonlyMap<string, string>, groups: readonly string[]): CategoryRow[] {
  return groups.map((group) => {
    const row: CategoryRow = { group, evaluable: 0, evaluableChange: 0, gt450: 0, gt480: 0, gt500: 0, incGt30: 0, incGt60: 0 };
    for (const s of subjects) {
      if (groupOf.get(s.usubjid) !== group || s.maxQtcf === null) continue;
      const c = qtcfCategories(s.maxQtcf, s.maxChange);
      row.evaluable++;
      if (c.gt450) row.gt450++;
      if (c.gt480) row.gt480++;
      if (c.gt500) row.gt500++;
      if (s.maxChange !== null) {
        row.evaluableChange++;
        if (c.incGt30) row.incGt30++;
        if (c.incGt60) row.incGt60++;
      }
    }
    return row;
  });
}
