// SDTM domains of the demo study as seen at a cut-off day: built from the subject plans; a record
// is kept only when its date is on or before the cut. Random draws (sampling-time jitter, assay
// error, lab noise) come from per-subject streams and are drawn whether or not the record is kept,
// so every cut of the same study shows the same values.
import { CHEM_LABS, LABS, aeTerm, labGrade, labValueForGrade, severity, type LabDef } from './catalogue.js';
import { isoDate, isoDateTime, isoDurationHours, studyDay } from './dates.js';
import { adaSamples } from './immuno.js';
import { concentration, macroConstants, signif, type Infusion } from './pk.js';
import { Rng, STREAM } from './prng.js';
import { DOSE_PLAN, STUDYID, type SubjectPlan } from './scenario.js';
import { domain, type Domain } from './table.js';

export const LLOQ = 0.05; // ug/mL
/** PK sampling times, nominal hours from the start of infusion (days 1,2,3,4,6,8,11,14,17,21). */
export const PK_TIMES_H = [0, 1, 4, 24, 48, 72, 120, 168, 240, 312, 384, 480] as const;

export function armOf(p: Pick<SubjectPlan, 'level' | 'part'>): { armcd: string; arm: string } {
  const dose = DOSE_PLAN[p.level - 1]!;
  return p.part === 'EXPANSION'
    ? { armcd: `EXP-L${p.level}`, arm: `Expansion IBB0979 ${dose} mg/kg` }
    : { armcd: `ESC-L${p.level}`, arm: `Escalation IBB0979 ${dose} mg/kg` };
}

const visitOfCycleDay = (cycle: number, day: number): string => `CYCLE ${cycle} DAY ${day}`;
const visitnumOf = (cycle: number, day: number): number => cycle * 100 + day;

function round(x: number, decimals: number): number {
  const f = Math.pow(10, decimals);
  return Math.round(x * f) / f;
}

/** Whether the subject is part of the snapshot: dosed on or before the cut. */
export function visible(p: SubjectPlan, cutDay: number): boolean {
  return p.doses.length > 0 && p.firstDoseDay + p.doses[0]!.offset <= cutDay;
}

export function eotVisible(p: SubjectPlan, cutDay: number): boolean {
  return p.eot !== null && p.firstDoseDay + p.eot.offset <= cutDay;
}

export function deathVisible(p: SubjectPlan, cutDay: number): boolean {
  return p.deathOffset !== null && p.firstDoseDay + p.deathOffset <= cutDay;
}

// ---------------------------------------------------------------------------------------------

export function buildDm(plans: SubjectPlan[], cutDay: number): Domain {
  const d = domain('DM', 'Demographics', [
    'STUDYID:C:Study Identifier', 'DOMAIN:C:Domain Abbreviation', 'USUBJID:C:Unique Subject Identifier',
    'SUBJID:C:Subject Identifier for the Study', 'RFSTDTC:C:Subject Reference Start Date/Time',
    'RFENDTC:C:Subject Reference End Date/Time', 'RFXSTDTC:C:Date/Time of First Study Treatment',
    'RFXENDTC:C:Date/Time of Last Study Treatment', 'RFICDTC:C:Date/Time of Informed Consent',
    'DTHDTC:C:Date/Time of Death', 'DTHFL:C:Subject Death Flag', 'SITEID:C:Study Site Identifier',
    'AGE:N:Age', 'AGEU:C:Age Units', 'SEX:C:Sex', 'RACE:C:Race', 'ARMCD:C:Planned Arm Code',
    'ARM:C:Description of Planned Arm', 'ACTARMCD:C:Actual Arm Code', 'ACTARM:C:Description of Actual Arm',
    'COUNTRY:C:Country',
  ]);
  for (const p of plans) {
    if (!visible(p, cutDay)) continue;
    const ended = eotVisible(p, cutDay);
    const given = p.doses.filter((x) => p.firstDoseDay + x.offset <= cutDay);
    const last = given[given.length - 1]!;
    const dead = deathVisible(p, cutDay);
    const { armcd, arm } = armOf(p);
    d.rows.push([
      STUDYID, 'DM', p.usubjid, p.subjid, isoDate(p.firstDoseDay), ended ? isoDate(p.firstDoseDay + p.eot!.offset) : null,
      isoDateTime(p.doses[0]!.startMin), ended ? isoDateTime(last.startMin + last.durationMin) : null, isoDate(p.consentDay),
      dead ? isoDate(p.firstDoseDay + p.deathOffset!) : null, dead ? 'Y' : null, p.siteid, p.age, 'YEARS', p.sex, p.race,
      armcd, arm, armcd, arm, p.country,
    ]);
  }
  return d;
}

const SUPP_COLS = [
  'STUDYID:C:Study Identifier', 'RDOMAIN:C:Related Domain Abbreviation', 'USUBJID:C:Unique Subject Identifier',
  'IDVAR:C:Identifying Variable', 'IDVARVAL:C:Identifying Variable Value', 'QNAM:C:Qualifier Variable Name',
  'QLABEL:C:Qualifier Variable Label', 'QVAL:C:Data Value', 'QORIG:C:Origin', 'QEVAL:C:Evaluator',
];

/** SUPPDM: phase part (ESCALATION / EXPANSION), cohort, and the replacement flag. */
export function buildSuppdm(plans: SubjectPlan[], cutDay: number): Domain {
  const d = domain('SUPPDM', 'Supplemental Qualifiers for DM', SUPP_COLS);
  for (const p of plans) {
    if (!visible(p, cutDay)) continue;
    d.rows.push([STUDYID, 'DM', p.usubjid, null, null, 'PHASEPRT', 'Phase Part', p.part, 'ASSIGNED', null]);
    d.rows.push([STUDYID, 'DM', p.usubjid, null, null, 'COHORT', 'Cohort', p.cohort, 'ASSIGNED', null]);
    if (p.replacement) d.rows.push([STUDYID, 'DM', p.usubjid, null, null, 'REPLFL', 'Replacement Subject Flag', 'Y', 'CRF', null]);
  }
  return d;
}

export function buildEx(plans: SubjectPlan[], cutDay: number): Domain {
  const d = domain('EX', 'Exposure', [
    'STUDYID:C:Study Identifier', 'DOMAIN:C:Domain Abbreviation', 'USUBJID:C:Unique Subject Identifier',
    'EXSEQ:N:Sequence Number', 'EXTRT:C:Name of Treatment', 'EXDOSE:N:Dose', 'EXDOSU:C:Dose Units',
    'EXDOSFRM:C:Dose Form', 'EXDOSFRQ:C:Dosing Frequency per Interval', 'EXROUTE:C:Route of Administration',
    'EXADJ:C:Reason for Dose Adjustment', 'VISITNUM:N:Visit Number', 'VISIT:C:Visit Name',
    'EXSTDTC:C:Start Date/Time of Treatment', 'EXENDTC:C:End Date/Time of Treatment',
    'EXSTDY:N:Study Day of Start of Treatment', 'EXENDY:N:Study Day of End of Treatment',
  ]);
  for (const p of plans) {
    let seq = 0;
    // An infusion during which an infusion reaction made the investigator interrupt the drug (AEACN DRUG
    // INTERRUPTED, onset timed after the dose start): EXADJ says so (the dose was completed).
    const interrupted = new Set(p.aes.filter((a) => a.action === 'DRUG INTERRUPTED' && a.startAfterDoseMin !== undefined).map((a) => a.start));
    for (const x of p.doses) {
      const day = p.firstDoseDay + x.offset;
      if (day > cutDay) break;
      const endMin = x.startMin + x.durationMin;
      d.rows.push([
        STUDYID, 'EX', p.usubjid, ++seq, 'IBB0979', x.mgkg, 'mg/kg', 'INJECTION, SOLUTION', 'Q3W', 'INTRAVENOUS', x.adj ?? (interrupted.has(x.offset) ? 'INFUSION INTERRUPTED' : null),
        visitnumOf(x.cycle, 1), visitOfCycleDay(x.cycle, 1), isoDateTime(x.startMin), isoDateTime(endMin),
        studyDay(day, p.firstDoseDay), studyDay(Math.floor(endMin / 1440), p.firstDoseDay),
      ]);
    }
  }
  return d;
}

// ---------------------------------------------------------------------------------------------

export function buildAe(plans: SubjectPlan[], cutDay: number): { ae: Domain; suppae: Domain } {
  const ae = domain('AE', 'Adverse Events', [
    'STUDYID:C:Study Identifier', 'DOMAIN:C:Domain Abbreviation', 'USUBJID:C:Unique Subject Identifier',
    'AESEQ:N:Sequence Number', 'AETERM:C:Reported Term for the Adverse Event', 'AEDECOD:C:Dictionary-Derived Term',
    'AEBODSYS:C:Body System or Organ Class', 'AESOC:C:Primary System Organ Class', 'AESEV:C:Severity/Intensity',
    'AETOXGR:C:Standard Toxicity Grade', 'AESER:C:Serious Event', 'AESDTH:C:Results in Death',
    'AEREL:C:Causality', 'AEACN:C:Action Taken with Study Treatment', 'AEOUT:C:Outcome of Adverse Event',
    'AESTDTC:C:Start Date/Time of Adverse Event', 'AEENDTC:C:End Date/Time of Adverse Event',
    'AESTDY:N:Study Day of Start of Adverse Event', 'AEENDY:N:Study Day of End of Adverse Event',
  ]);
  const suppae = domain('SUPPAE', 'Supplemental Qualifiers for AE', SUPP_COLS);
  for (const p of plans) {
    if (!visible(p, cutDay)) continue;
    for (const a of p.aes) {
      const startDay = p.firstDoseDay + a.start;
      if (startDay > cutDay) continue;
      const t = aeTerm(a.decod);
      const endDay = a.duration === null ? null : startDay + a.duration;
      const ended = endDay !== null && endDay <= cutDay;
      let stdtc = isoDate(startDay);
      if (a.partialStart) stdtc = stdtc.slice(0, 7);
      else if (a.startAfterDoseMin !== undefined) {
        const dose = p.doses.find((x) => x.offset === a.start);
        if (dose) stdtc = isoDateTime(dose.startMin + a.startAfterDoseMin);
      }
      let endtc = ended ? isoDate(endDay!) : null;
      if (endtc && a.partialEnd) endtc = endtc.slice(0, 7);
      const out = a.fatal && ended ? 'FATAL' : ended ? 'RECOVERED/RESOLVED' : 'NOT RECOVERED/NOT RESOLVED';
      ae.rows.push([
        STUDYID, 'AE', p.usubjid, a.seq, a.term, t.decod, t.soc, t.soc, severity(a.grade), String(a.grade),
        a.serious ? 'Y' : 'N', a.fatal && ended ? 'Y' : a.serious ? 'N' : null, a.related ? 'RELATED' : 'NOT RELATED',
        a.action, out, stdtc, endtc, a.partialStart ? null : studyDay(startDay, p.firstDoseDay),
        ended && !a.partialEnd ? studyDay(endDay!, p.firstDoseDay) : null,
      ]);
      if (a.dlt)
        suppae.rows.push([STUDYID, 'AE', p.usubjid, 'AESEQ', String(a.seq), 'AEDLT', 'Dose Limiting Toxicity', 'Y', 'CRF', 'INVESTIGATOR']);
    }
  }
  return { ae, suppae };
}

// ---------------------------------------------------------------------------------------------

export interface PkSample {
  cycle: number;
  /** Nominal hours from the start of the reference infusion; null at end of treatment. */
  nominalH: number | null;
  /** Actual elapsed hours from the start of the reference infusion. */
  elapsedH: number;
  minute: number;
  conc: number | null;
  text: string;
  refStartMin: number;
}

/** The subject's PK samples (all, regardless of cut), from the two-compartment model. */
export function pkSamples(p: SubjectPlan, seed: number): PkSample[] {
  const rng = Rng.stream(seed, p.index, STREAM.pkSamples);
  const macro = macroConstants(p.pk);
  const infusions: Infusion[] = p.doses.map((x) => ({ start: x.startMin / 60, duration: x.durationMin / 60, amount: x.mgkg * p.weight }));
  const lastOffset = p.eot ? p.eot.offset : Infinity;
  const deathOffset = p.deathOffset ?? Infinity;
  const blq = p.siteid === '201' ? `<${LLOQ}` : '<BLQ';
  const out: PkSample[] = [];
  const add = (cycle: number, nominalH: number | null, minute: number, refStartMin: number, keep: boolean): void => {
    const eps = rng.normal();
    if (!keep) return;
    const c = concentration(macro, infusions, minute / 60) * Math.exp(0.12 * eps);
    const conc = c >= LLOQ ? signif(c, 3) : null;
    out.push({ cycle, nominalH, elapsedH: (minute - refStartMin) / 60, minute, conc, text: conc === null ? blq : String(conc), refStartMin });
  };
  p.doses.forEach((x, i) => {
    const next = p.doses[i + 1];
    for (const h of PK_TIMES_H) {
      // pre-dose 15 min before the start; end of infusion 5 min after the end; later samples ±30 min
      const j = h === 0 ? -15 - rng.int(0, 10) : h === 1 ? x.durationMin - 60 + 5 : h === 4 ? rng.int(-5, 10) : rng.int(-30, 30);
      const minute = x.startMin + h * 60 + j;
      const offset = Math.floor(minute / 1440) - p.firstDoseDay;
      const keep = offset <= lastOffset && offset < deathOffset && (next === undefined || minute < next.startMin - 30);
      add(x.cycle, h, minute, x.startMin, keep);
    }
  });
  const eot = p.eot;
  if (eot && (eot.reason === 'PROGRESSIVE DISEASE' || eot.reason === 'ADVERSE EVENT') && p.doses.length) {
    const last = p.doses[p.doses.length - 1]!;
    add(0, null, (p.firstDoseDay + eot.offset) * 1440 + 600 + rng.int(0, 60), last.startMin, true);
  }
  return out;
}

const tptLabel = (h: number): string => (h === 0 ? 'PRE-DOSE' : h === 1 ? 'END OF INFUSION' : `${h} H POST-DOSE START`);

export function buildPc(plans: SubjectPlan[], seed: number, cutDay: number): { pc: Domain; pp: Domain } {
  const pc = domain('PC', 'Pharmacokinetics Concentrations', [
    'STUDYID:C:Study Identifier', 'DOMAIN:C:Domain Abbreviation', 'USUBJID:C:Unique Subject Identifier',
    'PCSEQ:N:Sequence Number', 'PCTESTCD:C:Pharmacokinetic Test Short Name', 'PCTEST:C:Pharmacokinetic Test Name',
    'PCORRES:C:Result or Finding in Original Units', 'PCORRESU:C:Original Units',
    'PCSTRESC:C:Character Result/Finding in Std Format', 'PCSTRESN:N:Numeric Result/Finding in Standard Units',
    'PCSTRESU:C:Standard Units', 'PCSPEC:C:Specimen Material Type', 'PCLLOQ:N:Lower Limit of Quantitation',
    'VISITNUM:N:Visit Number', 'VISIT:C:Visit Name', 'PCDTC:C:Date/Time of Specimen Collection',
    'PCDY:N:Study Day of Specimen Collection', 'PCTPT:C:Planned Time Point Name', 'PCTPTNUM:N:Planned Time Point Number',
    'PCELTM:C:Planned Elapsed Time from Time Point Ref', 'PCTPTREF:C:Time Point Reference',
    'PCRFTDTC:C:Date/Time of Reference Time Point',
  ]);
  const pp = domain('PP', 'Pharmacokinetics Parameters', [
    'STUDYID:C:Study Identifier', 'DOMAIN:C:Domain Abbreviation', 'USUBJID:C:Unique Subject Identifier',
    'PPSEQ:N:Sequence Number', 'PPTESTCD:C:Parameter Short Name', 'PPTEST:C:Parameter Name', 'PPCAT:C:Parameter Category',
    'PPORRES:C:Result or Finding in Original Units', 'PPORRESU:C:Original Units',
    'PPSTRESC:C:Character Result/Finding in Std Format', 'PPSTRESN:N:Numeric Result/Finding in Standard Units',
    'PPSTRESU:C:Standard Units', 'PPSPEC:C:Specimen Material Type', 'VISITNUM:N:Visit Number', 'VISIT:C:Visit Name',
    'PPRFTDTC:C:Date/Time of Reference Point',
  ]);
  for (const p of plans) {
    if (!visible(p, cutDay)) continue;
    const samples = pkSamples(p, seed);
    let seq = 0;
    const cycle1: PkSample[] = [];
    for (const s of samples) {
      const day = Math.floor(s.minute / 1440);
      if (day > cutDay) continue;
      const isEot = s.nominalH === null;
      const dayInCycle = isEot ? 0 : Math.floor(s.nominalH! / 24) + 1;
      const refCycle = isEot ? null : s.cycle;
      pc.rows.push([
        STUDYID, 'PC', p.usubjid, ++seq, 'IBB0979', 'IBB0979', s.text, 'ug/mL', s.text, s.conc, 'ug/mL', 'SERUM', LLOQ,
        isEot ? 8000 : visitnumOf(s.cycle, dayInCycle), isEot ? 'END OF TREATMENT' : visitOfCycleDay(s.cycle, dayInCycle),
        isoDateTime(s.minute), studyDay(day, p.firstDoseDay), isEot ? 'END OF TREATMENT' : tptLabel(s.nominalH!),
        s.nominalH, isEot ? null : s.nominalH === 0 ? '-PT15M' : isoDurationHours(s.nominalH!),
        isEot ? 'LAST DOSE' : `CYCLE ${refCycle} DAY 1 DOSE`, isoDateTime(s.refStartMin),
      ]);
      if (s.cycle === 1) cycle1.push(s);
    }
    const complete = cycle1.some((s) => s.nominalH === 480);
    if (!complete) continue;
    const params = cycle1Parameters(cycle1);
    let pseq = 0;
    const ref = isoDateTime(p.doses[0]!.startMin);
    for (const [cd, name, value, unit] of params) {
      pp.rows.push([STUDYID, 'PP', p.usubjid, ++pseq, cd, name, 'IBB0979', String(value), unit, String(value), value, unit, 'SERUM', 101, 'CYCLE 1 DAY 1', ref]);
    }
  }
  return { pc, pp };
}

/**
 * Reported cycle-1 parameters, computed roughly as a CRO would (values are compared with the app's
 * NCA, not used as a reference): CMAX and TMAX observed; AUCLST by the linear trapezoidal rule from
 * the start of infusion (concentration 0) to the last quantifiable sample; LAMZHL = ln 2 / λz with
 * λz from an unweighted log-linear fit of the last three quantifiable points.
 */
export function cycle1Parameters(samples: PkSample[]): Array<[string, string, number, string]> {
  const pts = samples
    .filter((s) => s.nominalH !== 0 && s.conc !== null)
    .map((s) => ({ t: s.elapsedH, c: s.conc! }))
    .sort((a, b) => a.t - b.t);
  if (pts.length === 0) return [];
  let cmax = pts[0]!;
  for (const q of pts) if (q.c > cmax.c) cmax = q;
  let auc = 0;
  let prev = { t: 0, c: 0 };
  for (const q of pts) {
    auc += ((q.c + prev.c) / 2) * (q.t - prev.t);
    prev = q;
  }
  const out: Array<[string, string, number, string]> = [
    ['CMAX', 'Max Conc', signif(cmax.c, 4), 'ug/mL'],
    ['TMAX', 'Time of CMAX', signif(cmax.t, 4), 'h'],
    ['AUCLST', 'AUC to Last Nonzero Conc', signif(auc, 4), 'h*ug/mL'],
  ];
  const tail = pts.filter((q) => q.t > cmax.t).slice(-3);
  if (tail.length === 3) {
    const n = 3;
    const mx = tail.reduce((a, q) => a + q.t, 0) / n;
    const my = tail.reduce((a, q) => a + Math.log(q.c), 0) / n;
    let sxy = 0;
    let sxx = 0;
    for (const q of tail) {
      sxy += (q.t - mx) * (Math.log(q.c) - my);
      sxx += (q.t - mx) ** 2;
    }
    const lambda = -sxy / sxx;
    if (lambda > 0) out.push(['LAMZHL', 'Half-Life Lambda z', signif(Math.LN2 / lambda, 4), 'h']);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

export function buildTumour(plans: SubjectPlan[], cutDay: number): { tu: Domain; tr: Domain; rs: Domain } {
  const tu = domain('TU', 'Tumor/Lesion Identification', [
    'STUDYID:C:Study Identifier', 'DOMAIN:C:Domain Abbreviation', 'USUBJID:C:Unique Subject Identifier',
    'TUSEQ:N:Sequence Number', 'TULNKID:C:Link ID', 'TUTESTCD:C:Tumor/Lesion ID Short Name',
    'TUTEST:C:Tumor/Lesion ID Test Name', 'TUORRES:C:Tumor/Lesion ID Result', 'TUSTRESC:C:Tumor/Lesion ID Result Std. Format',
    'TULOC:C:Location of the Tumor/Lesion', 'TUMETHOD:C:Method of Identification', 'TUEVAL:C:Evaluator',
    'VISITNUM:N:Visit Number', 'VISIT:C:Visit Name', 'TUDTC:C:Date/Time of Tumor/Lesion Identification',
    'TUDY:N:Study Day of Tumor/Lesion Identification',
  ]);
  const tr = domain('TR', 'Tumor/Lesion Results', [
    'STUDYID:C:Study Identifier', 'DOMAIN:C:Domain Abbreviation', 'USUBJID:C:Unique Subject Identifier',
    'TRSEQ:N:Sequence Number', 'TRLNKID:C:Link ID', 'TRTESTCD:C:Tumor/Lesion Assessment Short Name',
    'TRTEST:C:Tumor/Lesion Assessment Test Name', 'TRORRES:C:Result or Finding in Original Units',
    'TRORRESU:C:Original Units', 'TRSTRESC:C:Character Result/Finding in Std Format',
    'TRSTRESN:N:Numeric Result/Finding in Standard Units', 'TRSTRESU:C:Standard Units', 'TRMETHOD:C:Method of Test or Examination',
    'TREVAL:C:Evaluator', 'VISITNUM:N:Visit Number', 'VISIT:C:Visit Name', 'TRDTC:C:Date/Time of Tumor/Lesion Measurement',
    'TRDY:N:Study Day of Tumor/Lesion Measurement',
  ]);
  const rs = domain('RS', 'Disease Response and Clin Classification', [
    'STUDYID:C:Study Identifier', 'DOMAIN:C:Domain Abbreviation', 'USUBJID:C:Unique Subject Identifier',
    'RSSEQ:N:Sequence Number', 'RSTESTCD:C:Assessment Short Name', 'RSTEST:C:Assessment Name', 'RSCAT:C:Category for Assessment',
    'RSORRES:C:Result or Finding in Original Units', 'RSSTRESC:C:Character Result/Finding in Std Format',
    'RSEVAL:C:Evaluator', 'RSACPTFL:C:Accepted Record Flag', 'VISITNUM:N:Visit Number', 'VISIT:C:Visit Name',
    'RSDTC:C:Date/Time of Assessment', 'RSDY:N:Study Day of Assessment',
  ]);
  for (const p of plans) {
    if (!visible(p, cutDay)) continue;
    let tuSeq = 0;
    let trSeq = 0;
    let rsSeq = 0;
    const bDay = p.firstDoseDay + p.baselineScanOffset;
    const bDate = isoDate(bDay);
    const bDy = studyDay(bDay, p.firstDoseDay);
    for (const l of p.lesions)
      tu.rows.push([STUDYID, 'TU', p.usubjid, ++tuSeq, l.linkId, 'TUMIDENT', 'Tumor Identification', l.kind, l.kind, l.loc, 'CT SCAN', 'INVESTIGATOR', 1, 'SCREENING', bDate, bDy]);
    const measure = (l: (typeof p.lesions)[number], v: number, visitnum: number, visit: string, date: string, dy: number, ev: string): void => {
      const cd = l.nodal ? 'SAXIS' : 'LDIAM';
      const name = l.nodal ? 'Short Axis' : 'Longest Diameter';
      tr.rows.push([STUDYID, 'TR', p.usubjid, ++trSeq, l.linkId, cd, name, String(v), 'mm', String(v), v, 'mm', 'CT SCAN', ev, visitnum, visit, date, dy]);
    };
    const state = (linkId: string, s: string, visitnum: number, visit: string, date: string, dy: number, ev: string): void => {
      tr.rows.push([STUDYID, 'TR', p.usubjid, ++trSeq, linkId, 'TUMSTATE', 'Tumor State', s, null, s, null, null, 'CT SCAN', ev, visitnum, visit, date, dy]);
    };
    const sumRow = (v: number, visitnum: number, visit: string, date: string, dy: number, ev: string): void => {
      tr.rows.push([STUDYID, 'TR', p.usubjid, ++trSeq, null, 'SUMDIAM', 'Sum of Diameter', String(v), 'mm', String(v), v, 'mm', 'CT SCAN', ev, visitnum, visit, date, dy]);
    };
    const targets = p.lesions.filter((l) => l.kind === 'TARGET');
    const nonTargets = p.lesions.filter((l) => l.kind === 'NON-TARGET');
    for (const l of targets) measure(l, l.base, 1, 'SCREENING', bDate, bDy, 'INVESTIGATOR');
    for (const l of nonTargets) state(l.linkId, 'PRESENT', 1, 'SCREENING', bDate, bDy, 'INVESTIGATOR');
    sumRow(targets.reduce((a, l) => a + l.base, 0), 1, 'SCREENING', bDate, bDy, 'INVESTIGATOR');
    for (const a of p.assessments) {
      const day = p.firstDoseDay + a.offset;
      if (day > cutDay) break;
      const date = isoDate(day);
      const dy = studyDay(day, p.firstDoseDay);
      const visitnum = 5000 + a.k;
      const visit = `WEEK ${6 * a.k}`;
      if (a.newLesion)
        tu.rows.push([STUDYID, 'TU', p.usubjid, ++tuSeq, 'NEW01', 'TUMIDENT', 'Tumor Identification', 'NEW', 'NEW', p.newLesionLoc, 'CT SCAN', 'INVESTIGATOR', visitnum, visit, date, dy]);
      for (const r of a.readings) {
        targets.forEach((l, i) => measure(l, r.sizes[i]!, visitnum, visit, date, dy, r.evaluator));
        for (const l of nonTargets) state(l.linkId, r.ntStatus ?? 'PRESENT', visitnum, visit, date, dy, r.evaluator);
        if (a.newLesion) state('NEW01', 'PRESENT', visitnum, visit, date, dy, r.evaluator);
        sumRow(r.sum, visitnum, visit, date, dy, r.evaluator);
        const acpt = a.readings.length > 1 ? (r.evaluator === a.accepted ? 'Y' : 'N') : null;
        rs.rows.push([STUDYID, 'RS', p.usubjid, ++rsSeq, 'OVRLRESP', 'Overall Response', 'RECIST 1.1', r.resp, r.resp, r.evaluator, acpt, visitnum, visit, date, dy]);
      }
    }
  }
  return { tu, tr, rs };
}

// ---------------------------------------------------------------------------------------------

export function buildDs(plans: SubjectPlan[], cutDay: number): Domain {
  const d = domain('DS', 'Disposition', [
    'STUDYID:C:Study Identifier', 'DOMAIN:C:Domain Abbreviation', 'USUBJID:C:Unique Subject Identifier',
    'DSSEQ:N:Sequence Number', 'DSTERM:C:Reported Term for the Disposition Event', 'DSDECOD:C:Standardized Disposition Term',
    'DSCAT:C:Category for Disposition Event', 'DSSCAT:C:Subcategory for Disposition Event', 'VISITNUM:N:Visit Number',
    'VISIT:C:Visit Name', 'DSSTDTC:C:Start Date/Time of Disposition Event', 'DSSTDY:N:Study Day of Start of Disposition Event',
  ]);
  const TERMS: Record<string, string> = {
    'PROGRESSIVE DISEASE': 'Radiological disease progression',
    'ADVERSE EVENT': 'Adverse event',
    'WITHDRAWAL BY SUBJECT': 'Patient withdrew consent',
    DEATH: 'Death',
  };
  for (const p of plans) {
    if (!visible(p, cutDay)) continue;
    let seq = 0;
    d.rows.push([STUDYID, 'DS', p.usubjid, ++seq, 'Informed consent obtained', 'INFORMED CONSENT OBTAINED', 'PROTOCOL MILESTONE', null, 1, 'SCREENING', isoDate(p.consentDay), studyDay(p.consentDay, p.firstDoseDay)]);
    if (eotVisible(p, cutDay)) {
      const day = p.firstDoseDay + p.eot!.offset;
      d.rows.push([STUDYID, 'DS', p.usubjid, ++seq, TERMS[p.eot!.reason] ?? p.eot!.reason, p.eot!.reason, 'DISPOSITION EVENT', 'END OF TREATMENT', 8000, 'END OF TREATMENT', isoDate(day), studyDay(day, p.firstDoseDay)]);
    }
    // death: END OF STUDY record, unless the end-of-treatment record already says DEATH that day
    if (deathVisible(p, cutDay) && p.eot?.reason !== 'DEATH') {
      const day = p.firstDoseDay + p.deathOffset!;
      d.rows.push([STUDYID, 'DS', p.usubjid, ++seq, 'Death', 'DEATH', 'DISPOSITION EVENT', 'END OF STUDY', null, null, isoDate(day), studyDay(day, p.firstDoseDay)]);
    }
  }
  return d;
}

export function buildIs(plans: SubjectPlan[], seed: number, cutDay: number): Domain {
  const d = domain('IS', 'Immunogenicity Specimen Assessments', [
    'STUDYID:C:Study Identifier', 'DOMAIN:C:Domain Abbreviation', 'USUBJID:C:Unique Subject Identifier',
    'ISSEQ:N:Sequence Number', 'ISTESTCD:C:Immunogenicity Test/Exam Short Name', 'ISTEST:C:Immunogenicity Test or Examination Name',
    'ISCAT:C:Category for Immunogenicity Test', 'ISORRES:C:Result or Finding in Original Units', 'ISORRESU:C:Original Units',
    'ISSTRESC:C:Character Result/Finding in Std Format', 'ISSTRESN:N:Numeric Result/Finding in Standard Units',
    'ISSTRESU:C:Standard Units', 'ISSPEC:C:Specimen Material Type', 'ISBLFL:C:Baseline Flag', 'VISITNUM:N:Visit Number',
    'VISIT:C:Visit Name', 'ISDTC:C:Date/Time of Collection', 'ISDY:N:Study Day of Visit/Collection/Exam',
  ]);
  for (const p of plans) {
    if (!visible(p, cutDay)) continue;
    let seq = 0;
    for (const s of adaSamples(p, seed)) {
      const day = p.firstDoseDay + s.offset;
      if (day > cutDay) continue;
      const date = isoDate(day);
      const dy = studyDay(day, p.firstDoseDay);
      const bl = s.baseline ? 'Y' : null;
      const res = s.positive ? 'POSITIVE' : 'NEGATIVE';
      d.rows.push([STUDYID, 'IS', p.usubjid, ++seq, 'ADA', 'Anti-IBB0979 Antibody', 'IMMUNOGENICITY', res, null, res, null, null, 'SERUM', bl, s.visitnum, s.visit, date, dy]);
      if (s.titre !== null) {
        d.rows.push([STUDYID, 'IS', p.usubjid, ++seq, 'ADATITER', 'Anti-IBB0979 Antibody Titer', 'IMMUNOGENICITY', String(s.titre), 'titer', String(s.titre), s.titre, 'titer', 'SERUM', bl, s.visitnum, s.visit, date, dy]);
        const nab = s.nab ? 'POSITIVE' : 'NEGATIVE';
        d.rows.push([STUDYID, 'IS', p.usubjid, ++seq, 'NAB', 'Neutralizing Anti-IBB0979 Antibody', 'IMMUNOGENICITY', nab, null, nab, null, null, 'SERUM', bl, s.visitnum, s.visit, date, dy]);
      }
    }
  }
  return d;
}

// ---------------------------------------------------------------------------------------------

function nrind(def: LabDef, v: number): string {
  return v < def.lo ? 'LOW' : v > def.hi ? 'HIGH' : 'NORMAL';
}

export function buildLb(plans: SubjectPlan[], seed: number, cutDay: number): Domain {
  const d = domain('LB', 'Laboratory Test Results', [
    'STUDYID:C:Study Identifier', 'DOMAIN:C:Domain Abbreviation', 'USUBJID:C:Unique Subject Identifier',
    'LBSEQ:N:Sequence Number', 'LBTESTCD:C:Lab Test or Examination Short Name', 'LBTEST:C:Lab Test or Examination Name',
    'LBCAT:C:Category for Lab Test', 'LBORRES:C:Result or Finding in Original Units', 'LBORRESU:C:Original Units',
    'LBORNRLO:C:Reference Range Lower Limit in Orig Unit', 'LBORNRHI:C:Reference Range Upper Limit in Orig Unit',
    'LBSTRESC:C:Character Result/Finding in Std Format', 'LBSTRESN:N:Numeric Result/Finding in Standard Units',
    'LBSTRESU:C:Standard Units', 'LBSTNRLO:N:Reference Range Lower Limit-Std Units', 'LBSTNRHI:N:Reference Range Upper Limit-Std Units',
    'LBNRIND:C:Reference Range Indicator', 'LBTOXGR:C:Standard Toxicity Grade', 'LBBLFL:C:Baseline Flag',
    'VISITNUM:N:Visit Number', 'VISIT:C:Visit Name', 'LBDTC:C:Date/Time of Specimen Collection', 'LBDY:N:Study Day of Specimen Collection',
  ]);
  const hyLaw = hyLawSubject(plans);
  for (const p of plans) {
    if (!visible(p, cutDay)) continue;
    const rng = Rng.stream(seed, p.index, STREAM.lab);
    const means = LABS.map((l) => l.mean + l.sd * rng.normal());
    const visits: Array<{ offset: number; visitnum: number; visit: string; testcd?: string }> = [
      { offset: p.screeningOffset, visitnum: 1, visit: 'SCREENING' },
    ];
    for (const x of p.doses) {
      visits.push({ offset: x.offset, visitnum: visitnumOf(x.cycle, 1), visit: visitOfCycleDay(x.cycle, 1) });
      if (x.cycle === 1)
        for (const dd of [8, 15])
          if (p.eot === null || dd - 1 <= p.eot.offset) visits.push({ offset: dd - 1, visitnum: visitnumOf(1, dd), visit: visitOfCycleDay(1, dd) });
    }
    for (const a of p.aes) {
      const lab = aeTerm(a.decod).lab;
      if (lab && a.grade >= 2) visits.push({ offset: a.start, visitnum: 9999, visit: 'UNSCHEDULED', testcd: lab });
    }
    if (p.eot && (p.eot.reason === 'PROGRESSIVE DISEASE' || p.eot.reason === 'ADVERSE EVENT'))
      visits.push({ offset: p.eot.offset, visitnum: 8000, visit: 'END OF TREATMENT' });
    visits.sort((a, b) => a.offset - b.offset || a.visitnum - b.visitnum);
    let seq = 0;
    for (const v of visits) {
      const day = p.firstDoseDay + v.offset;
      const noise = LABS.map(() => rng.normal());
      const us = LABS.map(() => rng.u());
      if (day > cutDay) continue;
      if (p.deathOffset !== null && v.offset >= p.deathOffset) continue;
      LABS.forEach((def, i) => {
        if (v.testcd && v.testcd !== def.testcd) return;
        const active = p.aes.find(
          (a) => aeTerm(a.decod).lab === def.testcd && a.start <= v.offset && (a.duration === null || v.offset <= a.start + a.duration),
        );
        let value = active ? labValueForGrade(def, Math.min(active.grade, 4), us[i]!) : means[i]! * (1 + 0.05 * noise[i]!);
        value = round(Math.max(value, 0), def.decimals);
        const s = String(value);
        d.rows.push([
          STUDYID, 'LB', p.usubjid, ++seq, def.testcd, def.test, def.testcd === 'ALT' || def.testcd === 'AST' ? 'CHEMISTRY' : 'HEMATOLOGY',
          s, def.unit, String(def.lo), String(def.hi), s, value, def.unit, def.lo, def.hi, nrind(def, value), String(labGrade(def, value)),
          v.visitnum === 1 ? 'Y' : null, v.visitnum, v.visit, isoDate(day), studyDay(day, p.firstDoseDay),
        ]);
      });
    }
    // Chemistry (bilirubin, creatinine, K, Na) at the scheduled visits, after the subject's other
    // results, from a stream of its own. The Hy's-law subject's bilirubin rises above 2 × ULN while
    // its grade >= 3 aminotransferase AE is active.
    const chem = Rng.stream(seed, p.index, STREAM.labChem);
    const cmeans = CHEM_LABS.map((l) => l.mean + l.sd * chem.normal());
    for (const v of visits) {
      if (v.testcd) continue;
      const day = p.firstDoseDay + v.offset;
      const noise = CHEM_LABS.map(() => chem.normal());
      const u = chem.u();
      if (day > cutDay) continue;
      if (p.deathOffset !== null && v.offset >= p.deathOffset) continue;
      const liver = p === hyLaw && p.aes.some((a) => (aeTerm(a.decod).lab === 'ALT' || aeTerm(a.decod).lab === 'AST') && a.grade >= 3 && a.start <= v.offset && (a.duration === null || v.offset <= a.start + a.duration));
      CHEM_LABS.forEach((def, i) => {
        let value = liver && def.testcd === 'BILI' ? def.hi * (2.4 + 0.6 * u) : cmeans[i]! * (1 + def.cv * noise[i]!);
        value = round(Math.max(value, 0), def.decimals);
        const s = String(value);
        const nr = value < def.lo ? 'LOW' : value > def.hi ? 'HIGH' : 'NORMAL';
        d.rows.push([
          STUDYID, 'LB', p.usubjid, ++seq, def.testcd, def.test, 'CHEMISTRY',
          s, def.unit, String(def.lo), String(def.hi), s, value, def.unit, def.lo, def.hi, nr, null,
          v.visitnum === 1 ? 'Y' : null, v.visitnum, v.visit, isoDate(day), studyDay(day, p.firstDoseDay),
        ]);
      });
    }
  }
  return d;
}

/** The demo's one potential Hy's-law case: the first subject with a grade >= 3 ALT or AST increased AE. */
function hyLawSubject(plans: readonly SubjectPlan[]): SubjectPlan | null {
  return plans.find((p) => p.aes.some((a) => (aeTerm(a.decod).lab === 'ALT' || aeTerm(a.decod).lab === 'AST') && a.grade >= 3)) ?? null;
}

export function buildVs(plans: SubjectPlan[], seed: number, cutDay: number): Domain {
  const d = domain('VS', 'Vital Signs', [
    'STUDYID:C:Study Identifier', 'DOMAIN:C:Domain Abbreviation', 'USUBJID:C:Unique Subject Identifier',
    'VSSEQ:N:Sequence Number', 'VSTESTCD:C:Vital Signs Test Short Name', 'VSTEST:C:Vital Signs Test Name',
    'VSORRES:C:Result or Finding in Original Units', 'VSORRESU:C:Original Units', 'VSSTRESC:C:Character Result/Finding in Std Format',
    'VSSTRESN:N:Numeric Result/Finding in Standard Units', 'VSSTRESU:C:Standard Units', 'VSBLFL:C:Baseline Flag',
    'VISITNUM:N:Visit Number', 'VISIT:C:Visit Name', 'VSDTC:C:Date/Time of Measurements', 'VSDY:N:Study Day of Vital Signs',
  ]);
  for (const p of plans) {
    if (!visible(p, cutDay)) continue;
    const rng = Rng.stream(seed, p.index, STREAM.vitals);
    let seq = 0;
    const sbp0 = 118 + 12 * rng.normal();
    const hr0 = 74 + 8 * rng.normal();
    const push = (cd: string, name: string, v: number, unit: string, bl: boolean, visitnum: number, visit: string, day: number): void => {
      d.rows.push([STUDYID, 'VS', p.usubjid, ++seq, cd, name, String(v), unit, String(v), v, unit, bl ? 'Y' : null, visitnum, visit, isoDate(day), studyDay(day, p.firstDoseDay)]);
    };
    const visits = [{ offset: p.screeningOffset, visitnum: 1, visit: 'SCREENING' }, ...p.doses.map((x) => ({ offset: x.offset, visitnum: visitnumOf(x.cycle, 1), visit: visitOfCycleDay(x.cycle, 1) }))];
    for (const v of visits) {
      const day = p.firstDoseDay + v.offset;
      const z = [rng.normal(), rng.normal(), rng.normal(), rng.normal(), rng.normal()];
      if (day > cutDay) continue;
      const bl = v.visitnum === 1;
      if (bl) push('HEIGHT', 'Height', p.height, 'cm', true, v.visitnum, v.visit, day);
      const weight = bl ? p.weight : round(p.weight * (1 - 0.0015 * v.offset / 7 + 0.01 * z[0]!), 1);
      push('WEIGHT', 'Weight', weight, 'kg', bl, v.visitnum, v.visit, day);
      const sbp = Math.round(sbp0 + 8 * z[1]!);
      push('SYSBP', 'Systolic Blood Pressure', sbp, 'mmHg', bl, v.visitnum, v.visit, day);
      push('DIABP', 'Diastolic Blood Pressure', Math.round(sbp * 0.62 + 5 * z[2]!), 'mmHg', bl, v.visitnum, v.visit, day);
      push('PULSE', 'Pulse Rate', Math.round(hr0 + 6 * z[3]!), 'beats/min', bl, v.visitnum, v.visit, day);
      push('TEMP', 'Temperature', round(36.7 + 0.25 * z[4]!, 1), 'C', bl, v.visitnum, v.visit, day);
    }
  }
  return d;
}

export function buildTs(plans: SubjectPlan[], cutoff: string | null): Domain {
  const d = domain('TS', 'Trial Summary', [
    'STUDYID:C:Study Identifier', 'DOMAIN:C:Domain Abbreviation', 'TSSEQ:N:Sequence Number',
    'TSPARMCD:C:Trial Summary Parameter Short Name', 'TSPARM:C:Trial Summary Parameter', 'TSVAL:C:Parameter Value',
  ]);
  const first = plans.length ? Math.min(...plans.slice(0, 50).map((p) => p.firstDoseDay)) : null;
  const params: Array<[string, string, string | null]> = [
    ['TITLE', 'Trial Title', 'A Phase 1/2, Open-label, Dose-escalation and Expansion Study of IBB0979 in Patients with Advanced Solid Tumours'],
    ['TPHASE', 'Trial Phase Classification', 'PHASE I/II TRIAL'],
    ['STYPE', 'Study Type', 'INTERVENTIONAL'],
    ['INDIC', 'Trial Disease/Condition Indication', 'Advanced solid tumours'],
    ['TRT', 'Investigational Therapy or Treatment', 'IBB0979'],
    ['ROUTE', 'Route of Administration', 'INTRAVENOUS'],
    ['DOSU', 'Dose Units', 'mg/kg'],
    ['DOSFRQ', 'Dosing Frequency', 'Q3W'],
    ['DOSE', 'Dose per Administration', DOSE_PLAN.join(', ')],
    ['PLANSUB', 'Planned Number of Subjects', '36'],
    ['RANDOM', 'Trial is Randomized', 'N'],
    ['AGEMIN', 'Planned Minimum Age of Subjects', 'P18Y'],
    ['SSTDTC', 'Study Start Date', first === null ? null : isoDate(first)],
    ['DCUTDTC', 'Data Cutoff Date', cutoff],
  ];
  for (const [cd, name, val] of params) if (val !== null) d.rows.push([STUDYID, 'TS', 1, cd, name, val]);
  return d;
}
