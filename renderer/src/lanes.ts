import type { Output } from '../../shared/contract';

// The treated subjects' lane index (subjects.lanes): what the swimmer sorts, filters and pages and the
// patient profile orders, sent as columns (10,000 subjects: 0.6 MB, where the whole timeline is 9.5 MB);
// the views ask subjects.timeline for the lanes they draw.

export type LaneIndex = Output<'subjects.lanes'>;
export type LaneKey = { usubjid: string; level: number | null; part: LaneIndex['lanes']['part'][number]; firstDoseDtc: string; laneEndDay: number | null };

/** One object per subject, in the index's order. */
export function laneKeys(index: LaneIndex): LaneKey[] {
  const c = index.lanes;
  return c.usubjid.map((usubjid, i) => ({ usubjid, level: c.level[i]!, part: c.part[i]!, firstDoseDtc: c.firstDoseDtc[i]!, laneEndDay: c.laneEndDay[i]! }));
}
