// The spider and waterfall plots' and the efficacy view's best-response table's data as columns
// (efficacy.plotColumns): what they show of efficacy.tumourSeries, one array per field instead of one object per subject and scan, so that
// 10,000 subjects travel as 1.5 MB instead of 12 MB. Pure. `encodeTumourColumns` takes the series;
// `decodeTumourColumns` gives back per-subject objects with the fields the figures read (a subset of
// TumourSubject, equal to it field by field: test/unit/efficacy-columns.test.ts).
//
// The % changes are sent rounded to 0.1, the precision both figures draw and print
// (renderer/src/components/SpiderFigure.ts and WaterfallFigure.ts round them the same way).

export type ColumnPart = 'escalation' | 'expansion';
export type ColumnResponse = 'CR' | 'PR' | 'SD' | 'NON-CR/NON-PD' | 'PD' | 'NE' | 'ND';
export type ColumnBestResponse = ColumnResponse | 'MISSING';

/** The fields of a tumour assessment the spider draws. */
export interface PlotPoint {
  dtc: string;
  studyDay: number;
  baseline: boolean;
  pctFromBaseline: number | null;
  newLesion: boolean;
  response: ColumnResponse | null;
  sumSource: 'SUMDIAM' | 'derived' | null;
}

/** The fields of a subject the spider, the waterfall and the best-response table read. */
export interface PlotSubject {
  usubjid: string;
  level: number | null;
  part: ColumnPart;
  points: PlotPoint[];
  bestPctChange: number | null;
  bor: {
    confirmed: { response: ColumnBestResponse; firstResponseDtc: string | null; dor: { days: number; event: boolean } | null };
    unconfirmed: { response: ColumnBestResponse; firstResponseDtc: string | null };
  };
  notes: string[];
}

export interface TumourColumns {
  subjects: {
    usubjid: string[];
    level: (number | null)[];
    part: ColumnPart[];
    /** Best % change from baseline, rounded to 0.1; null without a post-baseline sum. */
    bestPctChange: (number | null)[];
    borConfirmed: ColumnBestResponse[];
    borUnconfirmed: ColumnBestResponse[];
    firstResponseConfirmed: (string | null)[];
    firstResponseUnconfirmed: (string | null)[];
    /** Duration of the confirmed response (days) and whether it ended (PD or death); null without one. */
    dorDays: (number | null)[];
    dorEvent: (boolean | null)[];
    notes: string[][];
    /** Subject k's points are start[k] … start[k+1] − 1 (one more entry than subjects). */
    start: number[];
  };
  /** Every assessment (empty when asked without points). */
  points: {
    dtc: string[];
    studyDay: number[];
    /** % change from baseline, rounded to 0.1. */
    pctFromBaseline: (number | null)[];
    response: (ColumnResponse | null)[];
    /** Indexes (into the points) of the baseline assessments, of the scans with a new lesion, and of the sums derived from TR. */
    baseline: number[];
    newLesion: number[];
    derived: number[];
    /** Indexes of the sums given as SUMDIAM (the rest have no sum). */
    sumdiam: number[];
  };
  /** Subjects with at least one tumour assessment (with or without points sent). */
  assessed: number;
}

/** 0.1 precision, as both figures draw it. */
export const round1 = (v: number | null): number | null => (v === null ? null : Math.round(v * 10) / 10);

export function encodeTumourColumns(subjects: readonly PlotSubject[], withPoints: boolean): TumourColumns {
  const c: TumourColumns = {
    subjects: { usubjid: [], level: [], part: [], bestPctChange: [], borConfirmed: [], borUnconfirmed: [], firstResponseConfirmed: [], firstResponseUnconfirmed: [], dorDays: [], dorEvent: [], notes: [], start: [0] },
    points: { dtc: [], studyDay: [], pctFromBaseline: [], response: [], baseline: [], newLesion: [], derived: [], sumdiam: [] },
    assessed: 0,
  };
  const s = c.subjects;
  const p = c.points;
  for (const x of subjects) {
    s.usubjid.push(x.usubjid);
    s.level.push(x.level);
    s.part.push(x.part);
    s.bestPctChange.push(round1(x.bestPctChange));
    s.borConfirmed.push(x.bor.confirmed.response);
    s.borUnconfirmed.push(x.bor.unconfirmed.response);
    s.firstResponseConfirmed.push(x.bor.confirmed.firstResponseDtc);
    s.firstResponseUnconfirmed.push(x.bor.unconfirmed.firstResponseDtc);
    s.dorDays.push(x.bor.confirmed.dor?.days ?? null);
    s.dorEvent.push(x.bor.confirmed.dor?.event ?? null);
    s.notes.push([...x.notes]);
    if (x.points.length > 0) c.assessed++;
    if (withPoints)
      for (const q of x.points) {
        const i = p.dtc.length;
        p.dtc.push(q.dtc);
        p.studyDay.push(q.studyDay);
        p.pctFromBaseline.push(round1(q.pctFromBaseline));
        p.response.push(q.response);
        if (q.baseline) p.baseline.push(i);
        if (q.newLesion) p.newLesion.push(i);
        if (q.sumSource === 'derived') p.derived.push(i);
        else if (q.sumSource === 'SUMDIAM') p.sumdiam.push(i);
      }
    s.start.push(p.dtc.length);
  }
  return c;
}

export function decodeTumourColumns(c: TumourColumns): PlotSubject[] {
  const s = c.subjects;
  const p = c.points;
  const baseline = new Set(p.baseline);
  const newLesion = new Set(p.newLesion);
  const derived = new Set(p.derived);
  const sumdiam = new Set(p.sumdiam);
  return s.usubjid.map((usubjid, k) => {
    const points: PlotPoint[] = [];
    for (let i = s.start[k]!; i < s.start[k + 1]!; i++)
      points.push({
        dtc: p.dtc[i]!,
        studyDay: p.studyDay[i]!,
        baseline: baseline.has(i),
        pctFromBaseline: p.pctFromBaseline[i]!,
        newLesion: newLesion.has(i),
        response: p.response[i]!,
        sumSource: derived.has(i) ? 'derived' : sumdiam.has(i) ? 'SUMDIAM' : null,
      });
    return {
      usubjid,
      level: s.level[k]!,
      part: s.part[k]!,
      points,
      bestPctChange: s.bestPctChange[k]!,
      bor: {
        confirmed: { response: s.borConfirmed[k]!, firstResponseDtc: s.firstResponseConfirmed[k]!, dor: s.dorDays[k] === null ? null : { days: s.dorDays[k]!, event: s.dorEvent[k]! } },
        unconfirmed: { response: s.borUnconfirmed[k]!, firstResponseDtc: s.firstResponseUnconfirmed[k]! },
      },
      notes: s.notes[k]!,
    };
  });
}
