import { decodeTumourColumns, type PlotSubject } from '../../shared/efficacy/columns';
import { invoke } from './api';

// The tumour series the spider, waterfall and efficacy views read: efficacy.plotColumns (12 MB of
// efficacy.tumourSeries at 10,000 subjects, under 2 MB as columns), decoded to one object per subject.

export type TumourSeries = { subjects: PlotSubject[]; assessed: number; confirmationDays: number };

/** `points`: with each subject's scans (the spider); without, the sums and best response only. */
export async function loadTumourSeries(snapshotId: number, points: boolean): Promise<TumourSeries> {
  const c = await invoke('efficacy.plotColumns', { snapshotId, points });
  return { subjects: decodeTumourColumns(c), assessed: c.assessed, confirmationDays: c.confirmationDays };
}
