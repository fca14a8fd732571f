// The app-wide selection (study, snapshot, view), kept in localStorage so that it survives a restart.

export interface Selection {
  studyId: string | null;
  snapshotId: number | null;
  view: string;
}

const KEY = 'dosedesk.selection.v1';
export const DEFAULT_SELECTION: Selection = { studyId: null, snapshotId: null, view: 'cohorts' };

export function loadSelection(): Selection {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return DEFAULT_SELECTION;
    const v = JSON.parse(raw) as Partial<Selection>;
    return {
      studyId: typeof v.studyId === 'string' ? v.studyId : null,
      snapshotId: typeof v.snapshotId === 'number' ? v.snapshotId : null,
      view: typeof v.view === 'string' ? v.view : DEFAULT_SELECTION.view,
    };
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
