import type { ComponentType } from 'react';
import { CohortsView } from './CohortsView';
import { SwimmerView } from './SwimmerView';
import { ProfileView } from './ProfileView';
import { SpiderView } from './SpiderView';
import { WaterfallView } from './WaterfallView';
import { AesView } from './AesView';
import { EfficacyView } from './EfficacyView';
import { PkView } from './PkView';
import { ImmunogenicityView } from './ImmunogenicityView';
import { LabsView } from './LabsView';
import { ExposureView } from './ExposureView';
import { SnapshotView } from './SnapshotView';
import { MeetingView } from './MeetingView';
import { AuditView } from './AuditView';
import { UsersView } from './UsersView';
import type { ViewProps } from './types';

// The views of the left navigation, in the order a committee reads them. Only views that exist are
// listed (no dead links); later views join the 'review' group in this order: Swimmer, Spider,
// Waterfall, PK, AEs, Efficacy, Immunogenicity, Profile, then Meeting in 'meeting'.

export interface ViewDef {
  id: string;
  label: string;
  group: 'review' | 'meeting' | 'data';
  component: ComponentType<ViewProps>;
}

export const VIEW_GROUPS: Record<ViewDef['group'], string> = { review: 'Review', meeting: 'Meeting', data: 'Data' };

export const VIEWS: ViewDef[] = [
  { id: 'cohorts', label: 'Cohorts', group: 'review', component: CohortsView },
  { id: 'swimmer', label: 'Swimmer', group: 'review', component: SwimmerView },
  { id: 'spider', label: 'Spider', group: 'review', component: SpiderView },
  { id: 'waterfall', label: 'Waterfall', group: 'review', component: WaterfallView },
  { id: 'pk', label: 'PK', group: 'review', component: PkView },
  { id: 'aes', label: 'AEs', group: 'review', component: AesView },
  { id: 'efficacy', label: 'Efficacy', group: 'review', component: EfficacyView },
  { id: 'immunogenicity', label: 'Immunogenicity', group: 'review', component: ImmunogenicityView },
  { id: 'labs', label: 'Laboratory', group: 'review', component: LabsView },
  { id: 'exposure', label: 'Exposure & con-meds', group: 'review', component: ExposureView },
  { id: 'profile', label: 'Patient profile', group: 'review', component: ProfileView },
  { id: 'meeting', label: 'Meetings', group: 'meeting', component: MeetingView },
  { id: 'snapshot', label: 'Provenance', group: 'data', component: SnapshotView },
  { id: 'audit', label: 'Audit trail', group: 'data', component: AuditView },
  { id: 'users', label: 'Users', group: 'data', component: UsersView },
];

export function findView(id: string): ViewDef {
  return VIEWS.find((v) => v.id === id) ?? VIEWS[0]!;
}
