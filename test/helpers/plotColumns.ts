import type { TumourSubject } from '../../shared/api/efficacy';
import { round1, type PlotSubject } from '../../shared/efficacy/columns';

/** What efficacy.plotColumns keeps of a subject of efficacy.tumourSeries: the fields the figures and the best-response table read, % changes at 0.1. */
export function plottedFields(s: TumourSubject, withPoints = true): PlotSubject {
  return {
    usubjid: s.usubjid,
    level: s.level,
    part: s.part,
    points: withPoints ? s.points.map((p) => ({ dtc: p.dtc, studyDay: p.studyDay, baseline: p.baseline, pctFromBaseline: round1(p.pctFromBaseline), newLesion: p.newLesion, response: p.response, sumSource: p.sumSource })) : [],
    bestPctChange: round1(s.bestPctChange),
    bor: {
      confirmed: { response: s.bor.confirmed.response, firstResponseDtc: s.bor.confirmed.firstResponseDtc, dor: s.bor.confirmed.dor && { days: s.bor.confirmed.dor.days, event: s.bor.confirmed.dor.event } },
      unconfirmed: { response: s.bor.unconfirmed.response, firstResponseDtc: s.bor.unconfirmed.firstResponseDtc },
    },
    notes: s.notes,
  };
}
