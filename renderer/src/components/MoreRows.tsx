import { useState, type ReactNode } from 'react';
import { count } from '../format';

// Plain tables put every row into the page: a listing of thousands of rows (the SAEs of a large
// study) took seconds of layout before the view could draw. They show the first rows and offer the
// rest on request; the CSV export always holds every row.

export const LISTING_ROWS = 100;

/** The rows to draw and, when some are held back, the "Show more" line to put under the table. */
export function useShownRows<T>(rows: readonly T[], testId: string, step = LISTING_ROWS): { shown: readonly T[]; more: ReactNode } {
  // What was asked for holds for these rows: a filter that changes them starts again at the first block.
  const [asked, setAsked] = useState({ of: rows.length, limit: step });
  const limit = asked.of === rows.length ? asked.limit : step;
  const setLimit = (l: number) => setAsked({ of: rows.length, limit: l });
  if (rows.length <= limit) return { shown: rows, more: null };
  return {
    shown: rows.slice(0, limit),
    more: (
      <p className="more-rows" data-testid={`${testId}-more`}>
        Showing {count(limit)} of {count(rows.length)} rows (the CSV holds all of them).{' '}
        <button type="button" className="btn btn-small" onClick={() => setLimit(limit + step)}>
          Show {count(Math.min(step, rows.length - limit))} more
        </button>{' '}
        <button type="button" className="btn btn-small" onClick={() => setLimit(Infinity)}>
          Show all
        </button>
      </p>
    ),
  };
}
