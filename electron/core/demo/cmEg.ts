// Concomitant medications (CM) and ECGs (EG) of the demo study, from the subject plans at a cut-off day
// (see README.md beside this file). Each has a random stream of its own, so that adding them changed no
// other domain's values.
import { isoDate, studyDay } from './dates.js';
import { visible } from './domains.js';
import { Rng } from './prng.js';
import { STUDYID, type SubjectPlan } from './scenario.js';
import { domain, type Domain } from './table.js';

/** Streams of the CM and EG generators (distinct from STREAM in prng.ts). */
const CM_STREAM = 11;
const EG_STREAM = 12;

type Med = { trt: string; decod: string; clas: string; dose: number; unit: string; frq: string; route: string };
const MED: Record<string, Med> = {
  AMLODIPINE: { trt: 'AMLODIPINE 5 MG', decod: 'AMLODIPINE', clas: 'CARDIOVASCULAR SYSTEM', dose: 5, unit: 'mg', frq: 'QD', route: 'ORAL' },
  OMEPRAZOLE: { trt: 'OMEPRAZOLE', decod: 'OMEPRAZOLE', clas: 'ALIMENTARY TRACT AND METABOLISM', dose: 20, unit: 'mg', frq: 'QD', route: 'ORAL' },
  MORPHINE: { trt: 'MORPHINE SULFATE MR', decod: 'MORPHINE SULFATE', clas: 'NERVOUS SYSTEM', dose: 10, unit: 'mg', frq: 'BID', route: 'ORAL' },
  LEVOTHYROXINE: { trt: 'LEVOTHYROXINE', decod: 'LEVOTHYROXINE SODIUM', clas: 'SYSTEMIC HORMONAL PREPARATIONS', dose: 50, unit: 'ug', frq: 'QD', route: 'ORAL' },
  ONDANSETRON: { trt: 'ONDANSETRON', decod: 'ONDANSETRON', clas: 'ALIMENTARY TRACT AND METABOLISM', dose: 8, unit: 'mg', frq: 'BID', route: 'ORAL' },
  PARACETAMOL: { trt: 'PARACETAMOL', decod: 'PARACETAMOL', clas: 'NERVOUS SYSTEM', dose: 1000, unit: 'mg', frq: 'PRN', route: 'ORAL' },
  LOPERAMIDE: { trt: 'LOPERAMIDE', decod: 'LOPERAMIDE', clas: 'ALIMENTARY TRACT AND METABOLISM', dose: 2, unit: 'mg', frq: 'PRN', route: 'ORAL' },
  DIPHENHYDRAMINE: { trt: 'DIPHENHYDRAMINE', decod: 'DIPHENHYDRAMINE', clas: 'RESPIRATORY SYSTEM', dose: 25, unit: 'mg', frq: 'ONCE', route: 'INTRAVENOUS' },
  FILGRASTIM: { trt: 'FILGRASTIM', decod: 'FILGRASTIM', clas: 'IMMUNOSTIMULANTS', dose: 5, unit: 'ug/kg', frq: 'QD', route: 'SUBCUTANEOUS' },
  CEFTRIAXONE: { trt: 'CEFTRIAXONE', decod: 'CEFTRIAXONE', clas: 'ANTIINFECTIVES FOR SYSTEMIC USE', dose: 2, unit: 'g', frq: 'QD', route: 'INTRAVENOUS' },
  PREDNISOLONE: { trt: 'PREDNISOLONE', decod: 'PREDNISOLONE', clas: 'SYSTEMIC HORMONAL PREPARATIONS', dose: 60, unit: 'mg', frq: 'QD', route: 'ORAL' },
  HYDROCORTISONE_CREAM: { trt: 'HYDROCORTISONE 1% CREAM', decod: 'HYDROCORTISONE', clas: 'DERMATOLOGICALS', dose: 1, unit: 'APPLICATION', frq: 'BID', route: 'TOPICAL' },
};
/** Treatment given for an AE (by MedDRA PT), started on the AE's onset day and stopped at its resolution. */
const FOR_AE: Record<string, keyof typeof MED> = {
  Nausea: 'ONDANSETRON',
  Vomiting: 'ONDANSETRON',
  Pyrexia: 'PARACETAMOL',
  Headache: 'PARACETAMOL',
  Diarrhoea: 'LOPERAMIDE',
  'Infusion related reaction': 'DIPHENHYDRAMINE',
  'Febrile neutropenia': 'FILGRASTIM',
  Pneumonia: 'CEFTRIAXONE',
  Sepsis: 'CEFTRIAXONE',
  Pneumonitis: 'PREDNISOLONE',
  Rash: 'HYDROCORTISONE_CREAM',
  Hypothyroidism: 'LEVOTHYROXINE',
};
const PRIOR: (keyof typeof MED)[] = ['AMLODIPINE', 'OMEPRAZOLE', 'MORPHINE'];

/**
 * CM: one or two medications taken since before the first dose (ongoing: CMENRTPT = ONGOING, CMENTPT = END OF
 * STUDY), and the treatment of each AE that has one (start = AE onset, end = AE resolution). The first AE
 * treatment of the study's first subject is recorded to the month only (a partial CMSTDTC).
 */
export function buildCm(plans: SubjectPlan[], seed: number, cutDay: number): Domain {
  const d = domain('CM', 'Concomitant/Prior Medications', [
    'STUDYID:C:Study Identifier', 'DOMAIN:C:Domain Abbreviation', 'USUBJID:C:Unique Subject Identifier', 'CMSEQ:N:Sequence Number',
    'CMTRT:C:Reported Name of Drug, Med, or Therapy', 'CMDECOD:C:Standardized Medication Name', 'CMCLAS:C:Medication Class',
    'CMINDC:C:Indication', 'CMDOSE:N:Dose per Administration', 'CMDOSU:C:Dose Units', 'CMDOSFRQ:C:Dosing Frequency per Interval',
    'CMROUTE:C:Route of Administration', 'CMSTDTC:C:Start Date/Time of Medication', 'CMENDTC:C:End Date/Time of Medication',
    'CMSTDY:N:Study Day of Start of Medication', 'CMENDY:N:Study Day of End of Medication', 'CMSTRF:C:Start Relative to Reference Period',
    'CMENRTPT:C:End Relative to Reference Time Point', 'CMENTPT:C:End Reference Time Point',
  ]);
  let partialDone = false;
  for (const p of plans) {
    if (!visible(p, cutDay)) continue;
    const rng = Rng.stream(seed, p.index, CM_STREAM);
    const recs: { med: Med; indc: string; start: number; end: number | null; partial: boolean; prior: boolean }[] = [];
    const nPrior = 1 + rng.int(0, 1);
    const first = rng.int(0, PRIOR.length - 1);
    for (let k = 0; k < nPrior; k++) {
      const m = MED[PRIOR[(first + k) % PRIOR.length]!]!;
      recs.push({ med: m, indc: m.decod === 'AMLODIPINE' ? 'HYPERTENSION' : m.decod === 'OMEPRAZOLE' ? 'GASTRO-OESOPHAGEAL REFLUX DISEASE' : 'CANCER PAIN', start: -rng.int(40, 400), end: null, partial: false, prior: true });
    }
    for (const a of [...p.aes].sort((x, y) => x.start - y.start)) {
      const key = FOR_AE[a.decod];
      if (!key) continue;
      const partial = !partialDone && a.start > 0;
      if (partial) partialDone = true;
      recs.push({ med: MED[key]!, indc: a.term.toUpperCase(), start: a.start, end: a.duration === null ? null : a.start + a.duration, partial, prior: false });
    }
    let seq = 0;
    for (const r of recs.sort((x, y) => x.start - y.start)) {
      const startDay = p.firstDoseDay + r.start;
      if (startDay > cutDay) continue;
      const endDay = r.end === null ? null : p.firstDoseDay + r.end;
      const ended = endDay !== null && endDay <= cutDay;
      const stdtc = r.partial ? isoDate(startDay).slice(0, 7) : isoDate(startDay);
      d.rows.push([
        STUDYID, 'CM', p.usubjid, ++seq, r.med.trt, r.med.decod, r.med.clas, r.indc, r.med.dose, r.med.unit, r.med.frq, r.med.route,
        stdtc, ended ? isoDate(endDay) : null, r.partial ? null : studyDay(startDay, p.firstDoseDay), ended ? studyDay(endDay, p.firstDoseDay) : null,
        r.prior ? 'BEFORE' : null, ended ? null : 'ONGOING', ended ? null : 'END OF STUDY',
      ]);
    }
  }
  return d;
}

/** QTcF targets (ms) of the designed ECG findings: baseline and the cycle 1 day 8 value. */
const DESIGNED_QTC: Record<string, { baseline: number; c1d8: number }> = {
  // 10 mg/kg: QTcF 492 ms on C1D8 (> 480), +67 ms from baseline (> 60).
  'IBB0979-201-005': { baseline: 425, c1d8: 492 },
  // 10 mg/kg: QTcF 484 ms on C1D8 (> 480), +44 ms.
  'IBB0979-101-008': { baseline: 440, c1d8: 484 },
};

/**
 * EG: a triplicate-free 12-lead ECG at screening (EGBLFL = Y), on cycle 1 day 8 and on day 1 of each later
 * cycle: QT and RR (msec) for every subject; QTcF given (EGTESTCD QTCF) only at site 201, so that the app
 * derives it (Fridericia) for the others. QT = QTcF × RR^(1/3) rounded to 1 ms.
 */
export function buildEg(plans: SubjectPlan[], seed: number, cutDay: number): Domain {
  const d = domain('EG', 'ECG Test Results', [
    'STUDYID:C:Study Identifier', 'DOMAIN:C:Domain Abbreviation', 'USUBJID:C:Unique Subject Identifier', 'EGSEQ:N:Sequence Number',
    'EGTESTCD:C:ECG Test or Examination Short Name', 'EGTEST:C:ECG Test or Examination Name', 'EGORRES:C:Result or Finding in Original Units',
    'EGORRESU:C:Original Units', 'EGSTRESC:C:Character Result/Finding in Std Format', 'EGSTRESN:N:Numeric Result/Finding in Standard Units',
    'EGSTRESU:C:Standard Units', 'EGBLFL:C:Baseline Flag', 'VISITNUM:N:Visit Number', 'VISIT:C:Visit Name', 'EGDTC:C:Date/Time of ECG', 'EGDY:N:Study Day of ECG',
  ]);
  const NAME: Record<string, string> = { QT: 'QT Interval', RR: 'RR Interval', QTCF: 'QTcF Interval' };
  for (const p of plans) {
    if (!visible(p, cutDay)) continue;
    const rng = Rng.stream(seed, p.index, EG_STREAM);
    const designed = DESIGNED_QTC[p.usubjid];
    const base = designed?.baseline ?? Math.round(405 + 12 * rng.normal());
    const hr0 = 72 + 7 * rng.normal();
    const visits = [
      { offset: p.screeningOffset, visitnum: 1, visit: 'SCREENING', bl: true },
      { offset: 7, visitnum: 108, visit: 'CYCLE 1 DAY 8', bl: false },
      ...p.doses.slice(1).map((x) => ({ offset: x.offset, visitnum: x.cycle * 100 + 1, visit: `CYCLE ${x.cycle} DAY 1`, bl: false })),
    ];
    let seq = 0;
    for (const v of visits) {
      const z = [rng.normal(), rng.normal()];
      const day = p.firstDoseDay + v.offset;
      if (day > cutDay || (p.eot && v.offset > p.eot.offset)) continue;
      const qtcf = v.bl ? base : designed && v.visitnum === 108 ? designed.c1d8 : Math.round(base + 0.6 * p.level + 6 * z[0]!);
      const rr = Math.round(60000 / (hr0 + 5 * z[1]!));
      const qt = Math.round(qtcf * Math.cbrt(rr / 1000));
      const push = (cd: string, value: number) =>
        d.rows.push([STUDYID, 'EG', p.usubjid, ++seq, cd, NAME[cd]!, String(value), 'msec', String(value), value, 'msec', v.bl ? 'Y' : null, v.visitnum, v.visit, isoDate(day), studyDay(day, p.firstDoseDay)]);
      push('QT', qt);
      push('RR', rr);
      if (p.siteid === '201') push('QTCF', qtcf);
    }
  }
  return d;
}
