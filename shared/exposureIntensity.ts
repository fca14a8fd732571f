import { dayNumberToIso, studyDay, toDayNumber } from './dates';
import { sameDose } from './exposure';

// Exposure per subject from EX and the dosing plan (docs/CLINICAL_RULES.md#exposure-intensity): cycles
// started, cumulative dose, dose intensity and relative dose intensity, dose delays, reductions and
// interruptions. Every rule is one small function below; the handler (electron/core/exposure) gathers
// the EX rows and the plan.

/** One EX record as the exposure rules read it (SDTMIG v3.4 EX). */
export interface ExRecord {
  /** EXSTDTC. */
  startDtc: string | null;
  /** EXENDTC. */
  endDtc?: string | null;
  /** EXDOSFRQ. */
  freq?: string | null;
  /** EXDOSE. */
  dose: number | null;
  /** EXDOSU. */
  unit: string | null;
  /** EXOCCUR ('N' = the planned administration did not occur). */
  occur: string | null;
  /** EXADJ: reason for dose adjustment. */
  adj: string | null;
  file: string | null;
  rowNo: number;
}

export interface ExposurePlan {
  /** The assigned level's dose per administration (the first dose's level); null when there is none (placebo, not in the plan). */
  plannedDose: number | null;
  /** The plan's dose unit (study definition doseUnit). */
  doseUnit: string;
  cycleLengthDays: number;
  /** Administrations planned per cycle (1 for an infusion on day 1 of each cycle). */
  dosesPerCycle: number;
  /** A cycle is delayed when it starts more than this many days after its planned start. */
  delayDays: number;
}

export type InterruptionKind = 'not given (EXOCCUR = N)' | 'dose 0 (EXDOSE = 0)' | 'interrupted (EXADJ)';

export interface ExposureEvent {
  dtc: string | null;
  studyDay: number | null;
  cycle: number | null;
  detail: string;
  file: string | null;
  rowNo: number;
}

export interface SubjectExposure {
  plannedDose: number | null;
  unit: string;
  administrations: number;
  cyclesStarted: number;
  cumulativeDose: number;
  /** Days from the first administration to the end of the last cycle started (see treatmentDurationDays). */
  durationDays: number | null;
  /** Actual dose per week (dose unit / week). */
  doseIntensity: number | null;
  /** Planned dose per week at the assigned level. */
  plannedIntensity: number | null;
  /** doseIntensity / plannedIntensity (1 = 100 %). */
  relativeDoseIntensity: number | null;
  /** Why the relative dose intensity is not given (null when it is). */
  rdiNotComputed: string | null;
  cycles: { cycle: number; dtc: string; studyDay: number; dose: number; delayDays: number | null }[];
  delays: ExposureEvent[];
  reductions: ExposureEvent[];
  /** Doses above the assigned level (intra-patient escalation). */
  escalations: ExposureEvent[];
  interruptions: ExposureEvent[];
  /** EX records not used, with why (partial date, unit not the plan's). */
  notUsed: ExposureEvent[];
}

const norm = (s: string | null) => (s ?? '').trim().toUpperCase().replace(/\s+/g, '');

/** Whether an EX record is a planned administration that was not given (EXOCCUR = N; EXDOSE = 0 unless the subject is on placebo). */
export function interruptionOf(r: ExRecord, placebo: boolean): InterruptionKind | null {
  if (norm(r.occur) === 'N') return 'not given (EXOCCUR = N)';
  if (r.dose === 0 && !placebo) return 'dose 0 (EXDOSE = 0)';
  if (r.adj && /INTERRUPT|WITHHELD|WITHHOLD|HELD|OMIT|SKIP|MISSED/i.test(r.adj)) return 'interrupted (EXADJ)';
  return null;
}

/**
 * Cycle starts from the administration days (sorted, distinct). One dose per cycle: every administration
 * day starts a cycle. More doses per cycle: an administration starts a new cycle when it falls on or after
 * the planned start of the next cycle (previous cycle start + cycle length) less the delay tolerance.
 */
export function cycleStarts(days: readonly number[], cycleLengthDays: number, dosesPerCycle: number, delayDays: number): number[] {
  const starts: number[] = [];
  for (const d of days) {
    const last = starts[starts.length - 1];
    if (last === undefined || dosesPerCycle <= 1 || d >= last + cycleLengthDays - delayDays) starts.push(d);
  }
  return starts;
}

/**
 * Delay of a cycle: actual start − planned start, the planned start being the previous cycle's actual start
 * + cycle length (the schedule restarts at each cycle, so one late cycle does not make every later cycle
 * late). Delayed when the delay is more than `delayDays` (the protocol's visit window).
 */
export function cycleDelay(previousStart: number, start: number, cycleLengthDays: number): number {
  return start - (previousStart + cycleLengthDays);
}

/**
 * Treatment duration for dose intensity: first administration to the end of the last cycle started,
 * (last cycle start − first administration) + cycle length, in days (Longo et al. 1991; Lyman 2009:
 * the last cycle counts for its full planned length).
 */
export function treatmentDurationDays(firstDay: number, lastCycleStartDay: number, cycleLengthDays: number): number {
  return lastCycleStartDay - firstDay + cycleLengthDays;
}

/**
 * Dose intensity = cumulative dose / duration in weeks (Hryniuk & Bush 1984: dose per unit time,
 * mg/m²/week); planned intensity = planned dose per cycle / cycle length in weeks; relative dose
 * intensity = actual / planned (Longo et al. 1991; Lyman 2009).
 */
export function doseIntensity(cumulativeDose: number, durationDays: number): number {
  return cumulativeDose / (durationDays / 7);
}

export function plannedDoseIntensity(plannedDose: number, dosesPerCycle: number, cycleLengthDays: number): number {
  return (plannedDose * dosesPerCycle) / (cycleLengthDays / 7);
}

/** The exposure of one subject from its EX records and the plan (rules above). */
export function subjectExposure(records: readonly ExRecord[], plan: ExposurePlan, placebo: boolean): SubjectExposure {
  const unit = norm(plan.doseUnit);
  const notUsed: ExposureEvent[] = [];
  const interruptions: ExposureEvent[] = [];
  const given: { day: number; dose: number; r: ExRecord }[] = [];
  for (const r of records) {
    const day = toDayNumber(r.startDtc);
    const kind = interruptionOf(r, placebo);
    if (kind && kind !== 'interrupted (EXADJ)') {
      interruptions.push({ dtc: r.startDtc, studyDay: null, cycle: null, detail: `${kind}${r.adj ? `: ${r.adj}` : ''}`, file: r.file, rowNo: r.rowNo });
      continue;
    }
    if (day === null) {
      notUsed.push({ dtc: r.startDtc, studyDay: null, cycle: null, detail: `EXSTDTC ${JSON.stringify(r.startDtc ?? '')} is not a complete date: the administration cannot be placed in a cycle`, file: r.file, rowNo: r.rowNo });
      continue;
    }
    const end = toDayNumber(r.endDtc);
    if (end !== null && end > day) {
      notUsed.push({ dtc: r.startDtc, studyDay: null, cycle: null, detail: `EX record over ${end - day + 1} days (EXSTDTC ${r.startDtc} to EXENDTC ${r.endDtc}${r.freq ? `, EXDOSFRQ ${r.freq}` : ''}): dosing over an interval; the exposure table counts one administration per record and does not derive it`, file: r.file, rowNo: r.rowNo });
      continue;
    }
    if (r.dose === null) {
      notUsed.push({ dtc: r.startDtc, studyDay: null, cycle: null, detail: 'EXDOSE is empty: the dose given is unknown', file: r.file, rowNo: r.rowNo });
      continue;
    }
    if (r.unit !== null && r.unit.trim() !== '' && norm(r.unit) !== unit) {
      notUsed.push({ dtc: r.startDtc, studyDay: null, cycle: null, detail: `EXDOSU ${r.unit} is not the plan's unit ${plan.doseUnit}: not added to the cumulative dose`, file: r.file, rowNo: r.rowNo });
      continue;
    }
    given.push({ day, dose: r.dose, r });
    if (kind) interruptions.push({ dtc: r.startDtc, studyDay: null, cycle: null, detail: `${kind}: ${r.adj}`, file: r.file, rowNo: r.rowNo });
  }
  given.sort((a, b) => a.day - b.day || a.r.rowNo - b.r.rowNo);
  const first = given[0]?.day ?? null;
  const days = [...new Set(given.map((g) => g.day))];
  const starts = cycleStarts(days, plan.cycleLengthDays, plan.dosesPerCycle, plan.delayDays);
  const cycleOf = (day: number) => starts.filter((s) => s <= day).length || null;
  const sd = (day: number | null) => (day === null || first === null ? null : studyDay(day, first));
  for (const e of [...interruptions, ...notUsed]) {
    const d = toDayNumber(e.dtc);
    e.studyDay = sd(d);
    e.cycle = d === null ? null : cycleOf(d);
  }
  const cycles = starts.map((s, i) => ({
    cycle: i + 1,
    dtc: dayNumberToIso(s),
    studyDay: sd(s)!,
    dose: given.filter((g) => g.day === s).reduce((t, g) => t + g.dose, 0),
    delayDays: i === 0 ? null : cycleDelay(starts[i - 1]!, s, plan.cycleLengthDays),
  }));
  const delays: ExposureEvent[] = cycles
    .filter((c) => c.delayDays !== null && c.delayDays > plan.delayDays)
    .map((c) => {
      const g = given.find((x) => x.day === toDayNumber(c.dtc))!;
      return { dtc: c.dtc, studyDay: c.studyDay, cycle: c.cycle, detail: `cycle ${c.cycle} started ${c.delayDays} days after its planned start (cycle ${c.cycle - 1} start + ${plan.cycleLengthDays} days)`, file: g.r.file, rowNo: g.r.rowNo };
    });
  const reductions: ExposureEvent[] = [];
  const escalations: ExposureEvent[] = [];
  if (plan.plannedDose !== null)
    for (const g of given) {
      if (g.dose <= 0 || sameDose(g.dose, plan.plannedDose)) continue;
      const e = { dtc: g.r.startDtc, studyDay: sd(g.day), cycle: cycleOf(g.day), detail: `${g.dose} ${plan.doseUnit} (assigned ${plan.plannedDose})${g.r.adj ? `: ${g.r.adj}` : ''}`, file: g.r.file, rowNo: g.r.rowNo };
      (g.dose < plan.plannedDose ? reductions : escalations).push(e);
    }
  const cumulativeDose = given.reduce((t, g) => t + g.dose, 0);
  const durationDays = first === null ? null : treatmentDurationDays(first, starts[starts.length - 1]!, plan.cycleLengthDays);
  const di = durationDays === null ? null : doseIntensity(cumulativeDose, durationDays);
  const planned = plan.plannedDose === null ? null : plannedDoseIntensity(plan.plannedDose, plan.dosesPerCycle, plan.cycleLengthDays);
  const rdiNotComputed =
    placebo ? 'placebo'
    : plan.plannedDose === null ? 'first dose not in the dose plan: no assigned dose'
    : di === null ? 'no dated administration'
    : notUsed.length ? `${notUsed.length} EX record(s) could not be counted (incomplete date, empty dose or another unit): the cumulative dose is incomplete`
    : null;
  return {
    plannedDose: plan.plannedDose,
    unit: plan.doseUnit,
    administrations: given.length,
    cyclesStarted: starts.length,
    cumulativeDose,
    durationDays,
    doseIntensity: di,
    plannedIntensity: planned,
    relativeDoseIntensity: rdiNotComputed === null && di !== null && planned !== null ? di / planned : null,
    rdiNotComputed,
    cycles,
    delays,
    reductions,
    escalations,
    interruptions,
    notUsed,
  };
}

/** Median of numbers (mean of the two middle values for an even count); null for none. */
export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export interface LevelExposure {
  n: number;
  cyclesMedian: number | null;
  cyclesMin: number | null;
  cyclesMax: number | null;
  cyclesTotal: number;
  rdiMedian: number | null;
  rdiMin: number | null;
  rdiMax: number | null;
  rdiN: number;
  withDelay: number;
  withReduction: number;
  withInterruption: number;
  delays: number;
  reductions: number;
  interruptions: number;
}

/** Summary over a dose level's subjects: subjects (not events) with a delay / reduction / interruption, cycles and RDI median (min–max). */
export function levelExposure(subjects: readonly SubjectExposure[]): LevelExposure {
  const cycles = subjects.map((s) => s.cyclesStarted);
  const rdi = subjects.map((s) => s.relativeDoseIntensity).filter((x): x is number => x !== null);
  return {
    n: subjects.length,
    cyclesMedian: median(cycles),
    cyclesMin: cycles.length ? Math.min(...cycles) : null,
    cyclesMax: cycles.length ? Math.max(...cycles) : null,
    cyclesTotal: cycles.reduce((a, b) => a + b, 0),
    rdiMedian: median(rdi),
    rdiMin: rdi.length ? Math.min(...rdi) : null,
    rdiMax: rdi.length ? Math.max(...rdi) : null,
    rdiN: rdi.length,
    withDelay: subjects.filter((s) => s.delays.length > 0).length,
    withReduction: subjects.filter((s) => s.reductions.length > 0).length,
    withInterruption: subjects.filter((s) => s.interruptions.length > 0).length,
    delays: subjects.reduce((t, s) => t + s.delays.length, 0),
    reductions: subjects.reduce((t, s) => t + s.reductions.length, 0),
    interruptions: subjects.reduce((t, s) => t + s.interruptions.length, 0),
  };
}
