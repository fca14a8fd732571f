import type { MappingEntry, MappingUnused } from '../../../shared/mapping';
import type { SnapshotInfo } from '../../../shared/contract';
import { invoke } from '../api';
import { count } from '../format';
import { useReview } from '../review';
import { useCall } from '../useCall';
import './MappingBanner.css';

// "Nothing ignored in silence" (shared/mapping.ts; docs/ARCHITECTURE.md#the-flow-of-an-import): at the top of a view, one compact line per domain whose
// rows this view's analyses could not use, from the snapshot's mapping report, with a link to the
// data-mapping editor. Hidden when nothing is unused for the view.

/** Set by "map them": the Provenance page opens its data-mapping editor and scrolls to it. */
export const mappingFocus = { pending: false };

/** "ISTESTCD ADA_BAB (449), ADA_NAB (242)": the variable and its most frequent values. */
export function unusedText(u: MappingUnused, max = 4): string {
  const vals = u.values.slice(0, max).map((v) => `${v.value} (${count(v.count)})`);
  const more = u.values.length > max ? `, … ${u.values.length - max} more` : '';
  return `${u.variable ? `${u.variable} ` : ''}${vals.join(', ')}${more}${vals.length ? ': ' : ''}${u.reason}`;
}

/** The report's entries that concern a view and leave rows unused. */
export function unusedFor(report: readonly MappingEntry[], view: string): MappingEntry[] {
  return report.filter((e) => e.views.includes(view) && e.rowsUsed < e.rowsRead);
}

export function MappingBanner({ view, snapshot, dataVersion }: { view: string; snapshot: SnapshotInfo | null; dataVersion?: number }) {
  const review = useReview();
  const [state] = useCall(snapshot ? () => invoke('snapshot.mapping', { snapshotId: snapshot.snapshotId }) : null, [snapshot?.snapshotId, dataVersion]);
  if (state.status !== 'ok') return null;
  const entries = unusedFor(state.data, view);
  if (entries.length === 0) return null;
  const mapThem = () => {
    mappingFocus.pending = true;
    review.goToView('snapshot');
  };
  return (
    <div className="mapping-banner" role="note" aria-label="Data not used by this view" data-testid="mapping-banner">
      <ul>
        {entries.map((e) => (
          <li key={`${e.domain}/${e.analysis}`}>
            <strong>{e.domain}</strong>: {count(e.rowsRead)} rows, {count(e.rowsRead - e.rowsUsed)} not used by {e.analysis}
            {e.unused.length > 0 && <> — {e.unused.map((u) => unusedText(u)).join('; ')}</>}
            {' — '}
            <button type="button" className="link-button" onClick={mapThem}>
              {e.unused.some((u) => u.mapTo) ? 'map them' : 'see the mapping report'}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
