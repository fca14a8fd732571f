// Urinary excretion from PC urine samples collected over intervals (SDTMIG v3.4 PC: PCSPEC = URINE,
// PCDTC = start and PCENDTC = end of the collection, PCTPT e.g. "0-6h", PCELTM the planned end,
// PCVOL/PCVOLU the volume of the collection). Pure; formulas as PKNCA defines them
// (R/pk.calc.urine.R: pk.calc.ae, pk.calc.clr, pk.calc.fe) and Phoenix WinNonlin's urine model
// (Model 210-212: "Amount_Recovered", "Percent_Recovered"):
//   amount excreted in an interval   Ae_i = C_i × V_i          (pk.calc.ae: sum(conc * volume))
//     — or the result itself when PCSTRESU is a mass (the sponsor reported amounts);
//     — a BLQ interval counts 0 (PKNCA's BLQ-as-zero; nothing measurable was excreted).
//   cumulative amount                Ae(0–t_k) = Σ_{i ≤ k} Ae_i over contiguous collections from the dose
//   fraction excreted                fe = Ae(0–t) / dose       (pk.calc.fe)
//   renal clearance                  CLR = Ae(0–t) / AUC(0–t)  (pk.calc.clr), AUC of the plasma (or serum)
//                                    profile over the same interval 0–t.
// Amounts are in mg; CLR in L/h (Ae in g over AUC in h·g/L).

import { massFactor, parseConcUnit, volumeFactor } from '../nca/units';
import { parseConcentration } from './concentration';
import { cycleOfVisit, type DoseClock } from './profiles';
import { dtcToClock, hoursBetween, isoDurationToHours } from './times';

export interface UrineRecord {
  usubjid: string;
  pctestcd: string;
  pcspec: string | null;
  pcstresn: number | null;
  pcstresc: string | null;
  pcstresu: string | null;
  pclloq: number | null;
  /** Start of the collection. */
  pcdtc: string | null;
  /** End of the collection. */
  pcendtc: string | null;
  pcrftdtc: string | null;
  /** Planned elapsed time of the end of the collection. */
  pceltm: string | null;
  /** Planned time point, e.g. "0-6h", "6-12 h". */
  pctpt: string | null;
  pcvol: number | null;
  pcvolu: string | null;
  visit?: string | null;
}

export interface UrineInterval {
  /** Hours since the dose on the requested basis (actual falls back to nominal), or null. */
  startH: number | null;
  endH: number | null;
  /** Where the times came from: dates (PCDTC–PCENDTC) or the planned time point. */
  timeSource: 'PCDTC-PCENDTC' | 'PCTPT' | 'PCELTM' | null;
  pctpt: string | null;
  conc: number | null;
  blq: boolean;
  concUnit: string | null;
  volume: number | null;
  volumeUnit: string | null;
  /** Ae_i in mg, or null (note says why). */
  amountMg: number | null;
  /** Ae(0–endH) in mg when every collection from the dose to here is contiguous and known, else null. */
  cumulativeMg: number | null;
  note: string | null;
}

/** Collections meet when the next one starts within this many hours of the previous end. */
export const URINE_GAP_H = 0.25;

/** "0-6h", "6 - 12 H", "12-24 hours", "0–6 hr" → [0, 6] hours; null otherwise. */
export function parseCollectionTimepoint(pctpt: string | null | undefined): [number, number] | null {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*(?:h|hr|hrs|hours?)?\s*(?:-|–|to)\s*(\d+(?:\.\d+)?)\s*(h|hr|hrs|hours?)\s*$/i.exec(pctpt ?? '');
  if (!m) return null;
  const a = Number(m[1]);
  const b = Number(m[2]);
  return b > a ? [a, b] : null;
}

/**
 * Amount excreted in one collection, mg (PKNCA pk.calc.ae: conc × volume). A mass PCSTRESU is an
 * amount already. BLQ counts 0. Null with the reason when concentration, volume or units are missing.
 */
export function amountExcreted(r: Pick<UrineRecord, 'pcstresn' | 'pcstresc' | 'pcstresu' | 'pclloq' | 'pcvol' | 'pcvolu'>): { mg: number | null; conc: number | null; blq: boolean; note: string | null } {
  const c = parseConcentration(r.pcstresn, r.pcstresc, r.pclloq);
  const unit = (r.pcstresu ?? '').trim();
  const mass = unit ? massFactor(unit) : null;
  if (c.blq) return { mg: 0, conc: null, blq: true, note: 'BLQ: counted as 0 excreted' };
  if (c.conc === null) return { mg: null, conc: null, blq: false, note: `no result (PCSTRESC ${JSON.stringify(r.pcstresc ?? '')})` };
  if (mass !== null) return { mg: round12((c.conc * mass) / 1e-3), conc: c.conc, blq: false, note: null };
  const cu = parseConcUnit(unit);
  if (!cu) return { mg: null, conc: c.conc, blq: false, note: `PCSTRESU ${JSON.stringify(unit)} is neither a mass/volume concentration nor a mass` };
  if (r.pcvol === null || !Number.isFinite(r.pcvol)) return { mg: null, conc: c.conc, blq: false, note: 'no collection volume (PCVOL)' };
  const vl = volumeFactor(r.pcvolu ?? '');
  if (vl === null) return { mg: null, conc: c.conc, blq: false, note: `PCVOLU ${JSON.stringify(r.pcvolu ?? '')} is not a volume unit` };
  // C [massG g per volumeL L] × V [vl L] → g, then mg.
  return { mg: round12(((c.conc * cu.massG) / cu.volumeL) * r.pcvol * vl * 1e3), conc: c.conc, blq: false, note: null };
}

/**
 * Cumulative amounts over collections sorted by start: Ae(0–t_k) while the collections start at the
 * dose (first start within URINE_GAP_H of 0) and follow each other without a gap and with known
 * amounts; null from the first break on.
 */
export function cumulativeAmounts(intervals: readonly Pick<UrineInterval, 'startH' | 'endH' | 'amountMg'>[]): { cumulative: (number | null)[]; note: string | null } {
  const out: (number | null)[] = [];
  let sum = 0;
  let prevEnd = 0;
  let note: string | null = null;
  for (const iv of intervals) {
    if (note === null) {
      if (iv.startH === null || iv.endH === null) note = 'a collection has no start or end time';
      else if (Math.abs(iv.startH - prevEnd) > URINE_GAP_H) note = out.length === 0 ? `the first collection starts at ${fmt(iv.startH)} h, not at the dose` : `gap between ${fmt(prevEnd)} h and ${fmt(iv.startH)} h`;
      else if (iv.amountMg === null) note = `amount unknown for ${fmt(iv.startH)}–${fmt(iv.endH)} h`;
    }
    if (note !== null) {
      out.push(null);
      continue;
    }
    sum += iv.amountMg!;
    prevEnd = iv.endH!;
    out.push(round12(sum));
  }
  return { cumulative: out, note: note === null ? null : `cumulative Ae stops: ${note}` };
}

/** fe = Ae / dose (PKNCA pk.calc.fe), as a fraction; null without a dose. */
export function fractionExcreted(aeMg: number | null, doseMg: number | null): number | null {
  return aeMg === null || doseMg === null || !(doseMg > 0) ? null : aeMg / doseMg;
}

/**
 * CLR = Ae(0–t) / AUC(0–t) (PKNCA pk.calc.clr) in L/h: Ae in mg, AUC in h × the plasma concentration
 * unit (mass/volume). Null when either is missing, AUC ≤ 0 or the unit is not a concentration.
 */
export function renalClearance(aeMg: number | null, auc: number | null, concUnit: string): number | null {
  if (aeMg === null || auc === null || !(auc > 0)) return null;
  const cu = parseConcUnit(concUnit);
  if (!cu) return null;
  const aucGPerL = (auc * cu.massG) / cu.volumeL;
  return (aeMg * 1e-3) / aucGPerL;
}

export interface UrineExcretion {
  usubjid: string;
  analyte: string;
  matrix: string;
  doseIndex: number;
  cycle: number;
  exstdtc: string | null;
  doseMg: number | null;
  intervals: UrineInterval[];
  /** Ae over the contiguous collections from the dose (mg) and their end (h). */
  aeMg: number | null;
  aeEndH: number | null;
  fe: number | null;
  notes: string[];
}

/** The dose a collection belongs to: PCRFTDTC (nearest dose within 12 h), else the latest dose started at or before PCDTC, else the VISIT cycle, else the first dose. */
function doseOf(r: UrineRecord, doses: readonly DoseClock[]): number {
  const ref = dtcToClock(r.pcrftdtc);
  if (ref) {
    let best = -1;
    for (const d of doses) if (d.start && Math.abs(d.start.hours - ref.hours) <= 12 && (best < 0 || Math.abs(d.start.hours - ref.hours) < Math.abs(doses[best]!.start!.hours - ref.hours))) best = d.index;
    if (best >= 0) return best;
  }
  const start = dtcToClock(r.pcdtc);
  if (start) {
    let idx = -1;
    for (const d of doses) if (d.start && d.start.minutes <= start.minutes) idx = d.index;
    if (idx >= 0) return idx;
  }
  const cyc = cycleOfVisit(r.visit);
  if (cyc !== null) return doses.find((d) => d.cycle === cyc)?.index ?? -1;
  return doses.length > 0 ? 0 : -1;
}

/**
 * Urinary excretion of one subject's collections of one analyte × matrix, per dose. Times on the
 * requested basis: 'actual' = PCDTC/PCENDTC against EXSTDTC (all with a time of day), falling back to
 * the planned PCTPT interval (or PCELTM as the end, the previous end as the start) — the interval's
 * timeSource says which; 'nominal' = the planned interval.
 */
export function urineExcretion(records: readonly UrineRecord[], doses: readonly DoseClock[], basis: 'actual' | 'nominal'): { rows: UrineExcretion[]; unplaced: number } {
  const byDose = new Map<number, UrineRecord[]>();
  let unplaced = 0;
  for (const r of records) {
    const i = doseOf(r, doses);
    if (i < 0) {
      unplaced++;
      continue;
    }
    let l = byDose.get(i);
    if (!l) byDose.set(i, (l = []));
    l.push(r);
  }
  const rows: UrineExcretion[] = [];
  for (const [index, recs] of [...byDose].sort((a, b) => a[0] - b[0])) {
    const dose = doses[index]!;
    const notes: string[] = [];
    const planned = recs.map((r) => parseCollectionTimepoint(r.pctpt));
    const withTimes = recs.map((r, k) => {
      const actual = basis === 'actual' ? [hoursBetween(dose.start, dtcToClock(r.pcdtc)), hoursBetween(dose.start, dtcToClock(r.pcendtc))] : [null, null];
      if (actual[0] !== null && actual[1] !== null && actual[1] > actual[0]) return { r, startH: actual[0], endH: actual[1], timeSource: 'PCDTC-PCENDTC' as const };
      const p = planned[k];
      if (p) return { r, startH: p[0], endH: p[1], timeSource: 'PCTPT' as const };
      const end = isoDurationToHours(r.pceltm);
      return { r, startH: null as number | null, endH: end, timeSource: end !== null ? ('PCELTM' as const) : null };
    });
    withTimes.sort((a, b) => (a.startH ?? a.endH ?? Infinity) - (b.startH ?? b.endH ?? Infinity));
    // PCELTM alone gives the end: the start is the previous collection's end (0 for the first).
    let prevEnd = 0;
    for (const w of withTimes) {
      if (w.timeSource === 'PCELTM' && w.startH === null && w.endH !== null) w.startH = prevEnd;
      if (w.endH !== null) prevEnd = w.endH;
    }
    if (basis === 'actual') {
      const fell = withTimes.filter((w) => w.timeSource !== 'PCDTC-PCENDTC').length;
      if (fell > 0) notes.push(`${fell} collection(s) on planned times (no PCDTC and PCENDTC with a time of day against EXSTDTC with a time of day)`);
    }
    const intervals: UrineInterval[] = withTimes.map((w) => {
      const a = amountExcreted(w.r);
      return {
        startH: w.startH,
        endH: w.endH,
        timeSource: w.timeSource,
        pctpt: w.r.pctpt,
        conc: a.conc,
        blq: a.blq,
        concUnit: w.r.pcstresu,
        volume: w.r.pcvol,
        volumeUnit: w.r.pcvolu,
        amountMg: a.mg,
        cumulativeMg: null,
        note: a.note,
      };
    });
    const cum = cumulativeAmounts(intervals);
    intervals.forEach((iv, k) => (iv.cumulativeMg = cum.cumulative[k]!));
    if (cum.note) notes.push(cum.note);
    let last = -1;
    intervals.forEach((iv, k) => {
      if (iv.cumulativeMg !== null) last = k;
    });
    const aeMg = last >= 0 ? intervals[last]!.cumulativeMg : null;
    const aeEndH = last >= 0 ? intervals[last]!.endH : null;
    if (dose.doseMg === null) notes.push(`fe not given: the dose amount is unknown (${dose.notes.join('; ') || 'no EXDOSE'})`);
    rows.push({
      usubjid: recs[0]!.usubjid,
      analyte: recs[0]!.pctestcd,
      matrix: (recs[0]!.pcspec ?? '').trim().toUpperCase(),
      doseIndex: index,
      cycle: dose.cycle,
      exstdtc: dose.exstdtc,
      doseMg: dose.doseMg,
      intervals,
      aeMg,
      aeEndH,
      fe: fractionExcreted(aeMg, dose.doseMg),
      notes,
    });
  }
  return { rows, unplaced };
}

const round12 = (x: number) => Number(x.toPrecision(12));
const fmt = (x: number) => String(Number(x.toPrecision(6)));
