// The PK view's concentration–time data as columns per dose level (docs/CLINICAL_RULES.md#pk-curves):
// one array per field instead of one object per sample, so that 10,000 subjects' curves travel as a
// few number arrays, and the per-level mean curves that the view shows by default at that size. Pure.
// `encodeCurves` turns the per-subject points of pk.profiles into columns; `decodePoints` gives one
// subject's points back exactly as pk.profiles returns them (test/unit/pk.curves.test.ts checks it).

export type CurvePart = 'escalation' | 'expansion';
export type CurveTimeSource = 'PCRFTDTC' | 'PCELTM' | 'EX';

/** One sample as pk.profiles returns it (shared/api/pk.ts PkPointOut). */
export interface CurvePoint {
  time: number | null;
  actualH: number | null;
  nominalH: number | null;
  conc: number | null;
  blq: boolean;
  lloq: number | null;
  pcdtc: string | null;
  timeSource: CurveTimeSource;
  actualNote: string | null;
  ncaTime: number | null;
  ncaNote: string | null;
}

/** One subject's profile as the encoder reads it. */
export interface CurveSubjectIn {
  usubjid: string;
  doseLevel: number | null;
  doseLevelLabel: string | null;
  part: CurvePart;
  cycle: number;
  points: readonly CurvePoint[];
}

export const TIME_SOURCES: readonly CurveTimeSource[] = ['PCRFTDTC', 'PCELTM', 'EX'];

/** Where NCA placed a sample: at its time on the basis, at the dose time (the last pre-dose sample), or left out. */
export const NCA_AT_TIME = 0;
export const NCA_AT_ZERO = 1;
export const NCA_LEFT_OUT = 2;

/** Every sample of a level's subjects, one array per field; subject k's samples are start[k] … start[k+1] − 1. */
export interface CurvePoints {
  actualH: (number | null)[];
  nominalH: (number | null)[];
  conc: (number | null)[];
  lloq: (number | null)[];
  /** 1 = below the LLOQ. */
  blq: number[];
  pcdtc: (string | null)[];
  /** Index into TIME_SOURCES. */
  timeSource: number[];
  /** Index into `texts`, −1 = none. */
  actualNote: number[];
  /** NCA_AT_TIME, NCA_AT_ZERO or NCA_LEFT_OUT. */
  ncaAt: number[];
  /** Index into `texts` (why NCA left the sample out), −1 = none. */
  ncaNote: number[];
}

/** Mean curve of a level at each nominal time (meanCurve). */
export interface CurveSummary {
  time: number[];
  /** Measured (not BLQ) concentrations at the time. */
  n: number[];
  nBlq: number[];
  mean: number[];
  /** Sample SD (n − 1); null for n = 1. */
  sd: (number | null)[];
  /** Concentrations > 0 that enter the geometric mean. */
  nGeo: number[];
  /** exp(mean ln c); null when no concentration is > 0. */
  geoMean: (number | null)[];
  /** Geometric SD exp(SD of ln c) (a factor: the band is geoMean ÷ geoSd to geoMean × geoSd); null for nGeo < 2. */
  geoSd: (number | null)[];
}

export interface CurveLevel {
  doseLevel: number | null;
  doseLevelLabel: string | null;
  /** Indices into the output's `subjects` columns of this level's subjects (in the request), in order. */
  subjects: number[];
  /** Offsets into `points` (length subjects.length + 1); empty when the points were not asked for. */
  start: number[];
  points: CurvePoints | null;
  summary: CurveSummary;
}

export interface CurveSubjects {
  usubjid: string[];
  doseLevel: (number | null)[];
  part: CurvePart[];
  /** Cycle of the profile's dose. */
  cycle: number[];
  /** Samples of the subject's profile, and those measured (not BLQ, with a concentration and a time). */
  samples: number[];
  measured: number[];
  /** BLQ samples with a time and an LLOQ (drawn at LLOQ/2). */
  blq: number[];
}

export interface EncodedCurves {
  /** Every subject with a profile of the interval (the selection is made from these). */
  subjects: CurveSubjects;
  levels: CurveLevel[];
  /** The distinct note texts the points refer to. */
  texts: string[];
}

/** The time a sample is drawn at on a basis: its own, else the other basis' (as pk.profiles `time`). */
export function basisTime(actualH: number | null, nominalH: number | null, basis: 'actual' | 'nominal'): number | null {
  return basis === 'actual' ? (actualH ?? nominalH) : (nominalH ?? actualH);
}

const levelKey = (l: number | null) => l ?? 0;

/** Levels in ascending order, "no level" last. */
function levelOrder(a: number, b: number): number {
  return a === 0 ? 1 : b === 0 ? -1 : a - b;
}

/**
 * Mean ± SD and geometric mean ×/÷ geometric SD of the measured concentrations at each nominal time
 * (the planned sampling times pool the subjects; actual times differ by minutes; a sample without a
 * nominal time is pooled at its time on the basis). BLQ samples are left out and counted; pre-dose
 * samples (time < 0) are left out. SD is the sample SD (n − 1). Geometric mean = exp(mean ln c) and
 * geometric SD = exp(SD of ln c) over the concentrations > 0 (Kirkwood 1979, Biometrics 35:908).
 * Descriptive display only: the NCA summary statistics are shared/pk/summary.ts `describe`.
 */
export function meanCurve(points: Iterable<{ time: number | null; nominalH: number | null; conc: number | null; blq: boolean }>): CurveSummary {
  const at = new Map<number, { values: number[]; blq: number }>();
  for (const q of points) {
    const t = q.nominalH ?? q.time;
    if (t === null || t < 0) continue;
    const k = Math.round(t * 1e6) / 1e6;
    let e = at.get(k);
    if (!e) at.set(k, (e = { values: [], blq: 0 }));
    if (q.blq || q.conc === null) e.blq++;
    else e.values.push(q.conc);
  }
  const out: CurveSummary = { time: [], n: [], nBlq: [], mean: [], sd: [], nGeo: [], geoMean: [], geoSd: [] };
  for (const [time, e] of [...at.entries()].sort((a, b) => a[0] - b[0])) {
    const n = e.values.length;
    if (n === 0) continue;
    const mean = e.values.reduce((s, v) => s + v, 0) / n;
    const sd = n > 1 ? Math.sqrt(e.values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : null;
    const logs = e.values.filter((v) => v > 0).map(Math.log);
    const m = logs.length ? logs.reduce((s, v) => s + v, 0) / logs.length : null;
    const s = m !== null && logs.length > 1 ? Math.sqrt(logs.reduce((a, v) => a + (v - m) ** 2, 0) / (logs.length - 1)) : null;
    out.time.push(time);
    out.n.push(n);
    out.nBlq.push(e.blq);
    out.mean.push(mean);
    out.sd.push(sd);
    out.nGeo.push(logs.length);
    out.geoMean.push(m === null ? null : Math.exp(m));
    out.geoSd.push(s === null ? null : Math.exp(s));
  }
  return out;
}

/** Whether a sample is drawn on a subject's line: measured, with a time. */
export function isMeasured(q: { blq: boolean; conc: number | null; time: number | null }): boolean {
  return !q.blq && q.conc !== null && q.time !== null;
}

/** Whether a BLQ sample is drawn (at LLOQ/2): it has a time and a known LLOQ > 0. */
export function isBlqDrawn(q: { blq: boolean; time: number | null; lloq: number | null }): boolean {
  return q.blq && q.time !== null && q.lloq !== null && q.lloq > 0;
}

/**
 * Columns per dose level of the subjects' profiles. `subjects` lists every subject (the selection is
 * made from it); `keep` (default: all) chooses those whose summary — and, with `withPoints`, whose
 * samples — are sent.
 */
export function encodeCurves(all: readonly CurveSubjectIn[], opts: { withPoints: boolean; keep?: ReadonlySet<string> }): EncodedCurves {
  const subjects: CurveSubjects = { usubjid: [], doseLevel: [], part: [], cycle: [], samples: [], measured: [], blq: [] };
  const texts: string[] = [];
  const textIndex = new Map<string, number>();
  const text = (s: string | null) => {
    if (s === null) return -1;
    let i = textIndex.get(s);
    if (i === undefined) {
      i = texts.length;
      texts.push(s);
      textIndex.set(s, i);
    }
    return i;
  };
  const byLevel = new Map<number, { first: CurveSubjectIn; members: number[] }>();
  all.forEach((s, i) => {
    subjects.usubjid.push(s.usubjid);
    subjects.doseLevel.push(s.doseLevel);
    subjects.part.push(s.part);
    subjects.cycle.push(s.cycle);
    subjects.samples.push(s.points.length);
    let m = 0;
    let b = 0;
    for (const q of s.points) {
      if (isMeasured(q)) m++;
      else if (isBlqDrawn(q)) b++;
    }
    subjects.measured.push(m);
    subjects.blq.push(b);
    if (opts.keep && !opts.keep.has(s.usubjid)) return;
    const k = levelKey(s.doseLevel);
    let g = byLevel.get(k);
    if (!g) byLevel.set(k, (g = { first: s, members: [] }));
    g.members.push(i);
  });
  const levels: CurveLevel[] = [];
  for (const k of [...byLevel.keys()].sort(levelOrder)) {
    const g = byLevel.get(k)!;
    const start: number[] = [];
    let points: CurvePoints | null = null;
    if (opts.withPoints) {
      const c: CurvePoints = { actualH: [], nominalH: [], conc: [], lloq: [], blq: [], pcdtc: [], timeSource: [], actualNote: [], ncaAt: [], ncaNote: [] };
      for (const i of g.members) {
        start.push(c.conc.length);
        for (const q of all[i]!.points) {
          c.actualH.push(q.actualH);
          c.nominalH.push(q.nominalH);
          c.conc.push(q.conc);
          c.lloq.push(q.lloq);
          c.blq.push(q.blq ? 1 : 0);
          c.pcdtc.push(q.pcdtc);
          c.timeSource.push(TIME_SOURCES.indexOf(q.timeSource));
          c.actualNote.push(text(q.actualNote));
          c.ncaAt.push(ncaAtOf(q));
          c.ncaNote.push(text(q.ncaNote));
        }
      }
      start.push(c.conc.length);
      points = c;
    }
    levels.push({
      doseLevel: g.first.doseLevel,
      doseLevelLabel: g.first.doseLevelLabel,
      subjects: g.members,
      start,
      points,
      summary: meanCurve(allPoints(g.members.map((i) => all[i]!.points))),
    });
  }
  return { subjects, levels, texts };
}

function* allPoints<T>(lists: readonly (readonly T[])[]): Iterable<T> {
  for (const l of lists) yield* l;
}

/** NCA uses a sample at its time on the basis, or (the last pre-dose sample) at the dose time, or not at all (toNcaInput). */
function ncaAtOf(q: CurvePoint): number {
  if (q.ncaTime === null) return NCA_LEFT_OUT;
  if (q.ncaTime === q.time) return NCA_AT_TIME;
  if (q.ncaTime === 0) return NCA_AT_ZERO;
  throw new Error(`NCA time ${q.ncaTime} h of a sample at ${String(q.time)} h is neither its time nor the dose time`);
}

/** Subject k (index into level.subjects) of a level: its samples exactly as pk.profiles gives them. */
export function decodePoints(curves: Pick<EncodedCurves, 'texts'>, level: CurveLevel, k: number, basis: 'actual' | 'nominal'): CurvePoint[] {
  const c = level.points;
  if (!c) return [];
  const out: CurvePoint[] = [];
  for (let j = level.start[k]!; j < level.start[k + 1]!; j++) {
    const time = basisTime(c.actualH[j]!, c.nominalH[j]!, basis);
    const at = c.ncaAt[j]!;
    const note = (i: number) => (i < 0 ? null : curves.texts[i]!);
    out.push({
      time,
      actualH: c.actualH[j]!,
      nominalH: c.nominalH[j]!,
      conc: c.conc[j]!,
      blq: c.blq[j] === 1,
      lloq: c.lloq[j]!,
      pcdtc: c.pcdtc[j]!,
      timeSource: TIME_SOURCES[c.timeSource[j]!]!,
      actualNote: note(c.actualNote[j]!),
      ncaTime: at === NCA_AT_TIME ? time : at === NCA_AT_ZERO ? 0 : null,
      ncaNote: note(c.ncaNote[j]!),
    });
  }
  return out;
}
