// The app-wide selection (study, snapshot, view, review filters, "new since", the subject of the
// patient profile, presentation mode), kept in localStorage so that it survives a restart.

export type Part = 'all' | 'escalation' | 'expansion';

export interface ReviewFilters {
  /** Dose levels shown; null = all. */
  doseLevels: number[] | null;
  part: Part;
  /** Subjects shown; null = all. */
  usubjids: string[] | null;
}

export interface NewSinceChoice {
  /** The earlier snapshot to compare with; null = no comparison. */
  snapshotId: number | null;
  /** Show only subjects new or changed since that snapshot. */
  newOnly: boolean;
}

export interface Selection {
  studyId: string | null;
  snapshotId: number | null;
  view: string;
  filters: ReviewFilters;
  newSince: NewSinceChoice;
  /** The subject shown by the patient profile. */
  subject: string | null;
  presentation: boolean;
}

const KEY = 'dosedesk.selection.v1';
export const DEFAULT_FILTERS: ReviewFilters = { doseLevels: null, part: 'all', usubjids: null };
export const DEFAULT_SELECTION: Selection = {
  studyId: null,
  snapshotId: null,
  view: 'cohorts',
  filters: DEFAULT_FILTERS,
  newSince: { snapshotId: null, newOnly: false },
  subject: null,
  presentation: false,
};

const numbers = (v: unknown): number[] | null => (Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : null);
const strings = (v: unknown): string[] | null => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null);

/** Reads a stored selection field by field: anything missing or malformed takes its default. */
export function parseSelection(raw: string | null): Selection {
  if (!raw) return DEFAULT_SELECTION;
  try {
    const v = JSON.parse(raw) as Partial<Selection> & Record<string, unknown>;
    const f = (v.filters ?? {}) as Partial<ReviewFilters>;
    const n = (v.newSince ?? {}) as Partial<NewSinceChoice>;
    return {
      studyId: typeof v.studyId === 'string' ? v.studyId : null,
      snapshotId: typeof v.snapshotId === 'number' ? v.snapshotId : null,
      view: typeof v.view === 'string' ? v.view : DEFAULT_SELECTION.view,
      filters: {
        doseLevels: numbers(f.doseLevels),
        part: f.part === 'escalation' || f.part === 'expansion' ? f.part : 'all',
        usubjids: strings(f.usubjids),
      },
      newSince: { snapshotId: typeof n.snapshotId === 'number' ? n.snapshotId : null, newOnly: n.newOnly === true },
      subject: typeof v.subject === 'string' ? v.subject : null,
      presentation: v.presentation === true,
    };
  } catch {
    return DEFAULT_SELECTION;
  }
}

export function loadSelection(): Selection {
  try {
    return parseSelection(localStorage.getItem(KEY));
  } catch {
    return DEFAULT_SELECTION;
  }
}

export function saveSelection(s: Selection): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(s));
  } catch {
    // Storage full or disabled: the selection then lasts for this session only.
  }
}
