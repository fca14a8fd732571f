import type { TumourSubject } from '../../shared/api/efficacy';
import { round1, type PlotSubject } from '../../shared/efficacy/columns';

/** What efficacy.plotColumns keeps of a subject of efficacy.tumourSeries: the fields the figures read, % changes at 0.1. */
export function plottedFields(s: TumourSubject, withPoints = true): PlotSubject {
  return {
    usubjid: s.usubjid,
    level: s.level,
    part: s.part,
    points: withPoints ? s.points.map((p) => ({ dtc: p.dtc, studyDay: p.studyDay, baseline: p.baseline, pctFromBaseline: round1(p.pctFromBaseline), newLesion: p.newLesion, response: p.response, sumSource: p.sumSource })) : [],
    bestPctChange: round1(s.bestPctChange),
    bor: { confirmed: { response: s.bor.confirmed.response }, unconfirmed: { response: s.bor.unconfirmed.response } },
    notes: s.notes,
  };
}
