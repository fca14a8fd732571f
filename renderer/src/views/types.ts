import type { SnapshotInfo, StudyInfo } from '../../../shared/contract';

/** What every view receives from the app shell: the current selection and a way to start an import. */
export interface ViewProps {
  study: StudyInfo | null;
  snapshot: SnapshotInfo | null;
  /** Opens the import dialog. */
  onImport(): void;
  /** Changes when data in the database changed (after an import or a saved study definition). */
  dataVersion: number;
}
