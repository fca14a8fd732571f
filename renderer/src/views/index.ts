import { createElement, useEffect, useState, type ComponentType } from 'react';
import { ErrorState, LoadingState } from '../components/States';
import { CohortsView } from './CohortsView';
import type { ViewProps } from './types';

// The views of the left navigation, in the order a committee reads them. Only views that exist are
// listed (no dead links); later views join the 'review' group in this order: Swimmer, Spider,
// Waterfall, PK, AEs, Efficacy, Immunogenicity, Profile, then Meeting in 'meeting'.
// Cohorts, the view a committee opens first, is in the start-up bundle; every other view is its own
// chunk (with plotly or AG Grid where it uses them), loaded in idle time after the first view is drawn
// (prefetch.ts) or at its first opening, so that start-up evaluates neither library (README.md#performance).

// Not React.lazy with Suspense: React holds a Suspense boundary's content back until 300 ms after its
// fallback appeared (its fallback throttle), so every view's first opening waited that long even with
// its code already there. A view whose code is loaded renders at once; prefetch.ts loads them in idle time.
const preloads: (() => Promise<unknown>)[] = [];

/** A view loaded at its first opening; "Loading the view…" meanwhile, and the error in its place if its code cannot be loaded (Try again reloads the window). */
function lazyView(load: () => Promise<ComponentType<ViewProps>>): ComponentType<ViewProps> {
  let loaded: ComponentType<ViewProps> | null = null;
  let loading: Promise<ComponentType<ViewProps>> | null = null;
  const preload = () =>
    (loading ??= load().then(
      (component) => (loaded = component),
      (error: unknown) => {
        loading = null;
        throw error;
      },
    ));
  preloads.push(preload);
  return function LazyView(props: ViewProps) {
    const [, setLoaded] = useState(false);
    const [failure, setFailure] = useState<unknown>(null);
    useEffect(() => {
      if (loaded) return;
      let live = true;
      preload().then(
        () => live && setLoaded(true),
        (error: unknown) => live && setFailure(error ?? 'unknown error'),
      );
      return () => {
        live = false;
      };
    }, []);
    if (loaded) return createElement(loaded, props);
    // The browser keeps a failed script import failed for the page's life: trying again reloads the window (the view open is kept).
    if (failure !== null) return createElement(ErrorState, { title: 'This view could not be loaded', error: failure, onRetry: () => window.location.reload() });
    return createElement(LoadingState, { what: 'the view' });
  };
}

/** Loads every view's code, one view after the other (prefetch.ts, in idle time); a failure is left for the view's opening to show. */
export async function preloadViews(): Promise<void> {
  for (const preload of preloads) await preload().catch(() => undefined);
}

const SwimmerView = lazyView(() => import('./SwimmerView').then((m) => m.SwimmerView));
const SpiderView = lazyView(() => import('./SpiderView').then((m) => m.SpiderView));
const WaterfallView = lazyView(() => import('./WaterfallView').then((m) => m.WaterfallView));
const PkView = lazyView(() => import('./PkView').then((m) => m.PkView));
const AesView = lazyView(() => import('./AesView').then((m) => m.AesView));
const EfficacyView = lazyView(() => import('./EfficacyView').then((m) => m.EfficacyView));
const ImmunogenicityView = lazyView(() => import('./ImmunogenicityView').then((m) => m.ImmunogenicityView));
const LabsView = lazyView(() => import('./LabsView').then((m) => m.LabsView));
const ExposureView = lazyView(() => import('./ExposureView').then((m) => m.ExposureView));
const ProfileView = lazyView(() => import('./ProfileView').then((m) => m.ProfileView));
const MeetingView = lazyView(() => import('./MeetingView').then((m) => m.MeetingView));
const SnapshotView = lazyView(() => import('./SnapshotView').then((m) => m.SnapshotView));
const AuditView = lazyView(() => import('./AuditView').then((m) => m.AuditView));
const UsersView = lazyView(() => import('./UsersView').then((m) => m.UsersView));

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
