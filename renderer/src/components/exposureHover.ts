import type { Output } from '../../../shared/contract';

// One line of exposure for a subject's swimmer hover (exposure.summary, shared/exposureIntensity.ts):
// cycles started, relative dose intensity, and the delays, reductions and interruptions by cycle.

type ExposureSubject = Output<'exposure.summary'>['subjects'][number];

export function exposureHoverLine(s: ExposureSubject | undefined): string | null {
  if (!s) return null;
  const rdi = s.relativeDoseIntensity === null ? 'RDI not computed' : `RDI ${Math.round(s.relativeDoseIntensity * 100)} %`;
  const parts = [`${s.cyclesStarted} cycle${s.cyclesStarted === 1 ? '' : 's'} started`, rdi];
  const cycles = (es: ExposureSubject['delays']) => es.map((e) => (e.cycle === null ? (e.dtc ?? '?') : `C${e.cycle}`)).join(', ');
  if (s.delays.length) parts.push(`delayed ${cycles(s.delays)}`);
  if (s.reductions.length) parts.push(`reduced ${cycles(s.reductions)}`);
  if (s.interruptions.length) parts.push(`interrupted ${cycles(s.interruptions)}`);
  if (s.escalations.length) parts.push(`escalated ${cycles(s.escalations)}`);
  return parts.join(' · ');
}
