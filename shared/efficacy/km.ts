// Kaplan–Meier results by group as the efficacy view, the contract and the CLI show them: step
// curve with pointwise CI and censor marks, median with CI, S(t) and numbers at risk at chosen times,
// and the log-rank test across groups. Thin composition of shared/survival.ts (R survival package
// semantics: survfit, summary.survfit, quantile.survfit, survdiff). Pure.

import { kaplanMeier, logRank, medianSurvival, survivalAt, type ConfType, type EventFlag } from '../survival';

/** NaN (R's NA: a limit that does not exist) → null, so that it survives JSON. */
const num = (v: number): number | null => (Number.isFinite(v) ? v : null);

export interface KmStep {
  time: number;
  surv: number;
  lower: number | null;
  upper: number | null;
  nRisk: number;
  nEvent: number;
  nCensor: number;
}

export interface KmGroupResult {
  label: string;
  n: number;
  events: number;
  censored: number;
  /** The step curve, starting at (0, 1), one step per distinct observed time. */
  steps: KmStep[];
  /** Where subjects were censored (time, S at that time): the "+" marks. */
  censorMarks: Array<{ time: number; surv: number }>;
  /** Median with its CI (quantile.survfit at 0.5); null = not reached. */
  median: { estimate: number | null; lower: number | null; upper: number | null };
  /** S(t) with CI and number at risk at each requested time (summary.survfit(fit, times)). */
  at: Array<{ time: number; surv: number; stdErr: number | null; lower: number | null; upper: number | null; nRisk: number }>;
}

export interface KmLogRank {
  chisq: number;
  df: number;
  pValue: number | null;
  groups: Array<{ label: string; n: number; observed: number; expected: number }>;
}

export interface KmResult {
  confType: ConfType;
  level: number;
  groups: KmGroupResult[];
  /** Log-rank test when there are at least two groups; null otherwise. */
  logRank: KmLogRank | null;
}

export interface KmGroupInput {
  label: string;
  times: readonly number[];
  events: readonly EventFlag[];
}

/** One group's curve, median and S(t) at the chosen times. */
export function kmGroup(g: KmGroupInput, opts: { confType: ConfType; level: number; at: readonly number[] }): KmGroupResult {
  const fit = kaplanMeier(g.times, g.events, { confType: opts.confType, level: opts.level });
  const steps: KmStep[] = [];
  if (fit.time.length === 0 || fit.time[0]! > 0) steps.push({ time: 0, surv: 1, lower: 1, upper: 1, nRisk: fit.n, nEvent: 0, nCensor: 0 });
  const censorMarks: KmGroupResult['censorMarks'] = [];
  for (let k = 0; k < fit.time.length; k++) {
    steps.push({
      time: fit.time[k]!, surv: fit.surv[k]!, lower: num(fit.lower[k]!), upper: num(fit.upper[k]!),
      nRisk: fit.nRisk[k]!, nEvent: fit.nEvent[k]!, nCensor: fit.nCensor[k]!,
    });
    if (fit.nCensor[k]! > 0) censorMarks.push({ time: fit.time[k]!, surv: fit.surv[k]! });
  }
  const m = medianSurvival(fit);
  return {
    label: g.label,
    n: fit.n,
    events: fit.events,
    censored: fit.censored,
    steps,
    censorMarks,
    median: { estimate: m.quantile, lower: m.lower, upper: m.upper },
    at: opts.at.map((t) => {
      const s = survivalAt(fit, t);
      return { time: t, surv: s.surv, stdErr: num(s.stdErr), lower: num(s.lower), upper: num(s.upper), nRisk: s.nRisk };
    }),
  };
}

/** KM per group (groups with no subject are left out) and the log-rank test when two or more remain. */
export function kmByGroup(
  groups: readonly KmGroupInput[],
  opts: { confType?: ConfType; level?: number; at?: readonly number[] } = {},
): KmResult {
  const confType = opts.confType ?? 'log-log';
  const level = opts.level ?? 0.95;
  const at = opts.at ?? [];
  const used = groups.filter((g) => g.times.length > 0);
  let lr: KmLogRank | null = null;
  if (used.length >= 2) {
    const r = logRank(used);
    lr = { chisq: r.chisq, df: r.df, pValue: num(r.pValue), groups: r.groups };
  }
  return { confType, level, groups: used.map((g) => kmGroup(g, { confType, level, at })), logRank: lr };
}

/** Default times for the at-risk table: every `step` from 0 to the last observed time. */
export function defaultAtTimes(times: readonly number[], step: number): number[] {
  let max = 0;
  for (const t of times) if (t > max) max = t;
  const out: number[] = [];
  for (let t = 0; t <= max + 1e-9; t += step) out.push(Math.round(t * 1e6) / 1e6);
  return out;
}
