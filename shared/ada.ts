import { toDayNumber } from './dates';

// Immunogenicity: anti-drug antibody (ADA) status per subject and incidence, in the terminology of
//   Shankar G, Arkin S, Cocea L, et al. "Assessment and reporting of the clinical immunogenicity of
//   therapeutic proteins and peptides — harmonized terminology and tactical recommendations."
//   AAPS J 2014;16(4):658–673. doi:10.1208/s12248-014-9599-2
// Definitions used (Shankar et al. 2014, "Terminology" section):
//   - baseline: the last sample on or before the first dose (the record flagged ISBLFL = "Y" when
//     the export flags one);
//   - treatment-induced ADA: ADA negative (or missing) at baseline, positive after the first dose;
//   - treatment-boosted ADA: ADA positive at baseline and a post-baseline titre >= boostFold × the
//     baseline titre (boostFold from the study definition, `ada.boostFold`, 4 by default — "a titre
//     increase of at least 4-fold"; 2-fold dilution steps make 4-fold two steps above assay
//     variability);
//   - treatment-emergent ADA = treatment-induced or treatment-boosted; ADA incidence = the share of
//     evaluable subjects with treatment-emergent ADA;
//   - baseline-positive without boost ("treatment-unaffected"): pre-existing ADA not boosted;
//   - persistent / transient (for treatment-emergent ADA; 16 weeks = 112 days):
//       persistent: positive at >= 2 post-baseline time points with the first and last positive
//         >= 16 weeks apart (negatives in between allowed), or positive at the last time point;
//       transient: positive at one time point only (not the last), or at >= 2 time points < 16
//         weeks apart with the last sample negative.
//   - evaluable (denominator of incidence): a baseline sample and at least one post-baseline sample.
//
// IS coding differs between sponsors. The mapping (ISTESTCD, upper-cased, "_" "-" and blanks ignored,
// so ADA_BAB = ADABAB), after the study definition's own lists (ada.bindingTestcds,
// ada.neutralisingTestcds, ada.titreTestcds), which win:
//   binding (screening/confirmatory)  ADA, ADAB, ADABAB (ADA_BAB), BAB, ANTIDRUG, ADACONF, ADACONFRM
//   titre                             ADATITER (ADA_TITER), ADATITR, ADATIT, ADATITRE, BABTITER, TITER, TITRE
//   neutralising antibodies           NAB, NABS, NADA, NEUTAB, ADANAB (ADA_NAB), NABAB, ADANEUT
// Result forms (ISSTRESC, else ISORRES; ISSTRESN): POSITIVE / NEGATIVE (POS/NEG, DETECTED/NOT
// DETECTED accepted); a number (ISSTRESN, or a number or "1:N" in the text) = positive with that
// titre; "<x" = positive below the minimum reportable titre x (pharmaverse/admiral convention:
// "<1.40"), shown with titre x and flagged. Anything else is unparseable (mapping report).
// Titre scale (titreScaleOf): ada.titreScale when set, else ISSTRESU / ISORRESU ("log10 titer" →
// log10, another unit → linear); with neither, a boost cannot be assessed and the import is asked for
// the setting. Titres are kept as reported plus a linear value (10^x on the log10 scale) to draw.
// Records of one subject with the same collection date and visit form one sample. A sample with a
// titre but no positive/negative result is positive (titres are reported for confirmed positives).
// Samples without a complete collection date cannot be placed against the first dose and are kept
// in the listing but not used for the status.

export interface IsRecord {
  usubjid: string;
  istestcd: string;
  isstresc: string | null;
  isstresn: number | null;
  isdtc: string | null;
  visit: string | null;
  visitnum: number | null;
  /** ISBLFL ("Y" for the baseline record). */
  isblfl: string | null;
  /** ISORRES: the result as collected ("<1.40" when ISSTRESC is empty). */
  isorres?: string | null;
}

/** The study definition's ISTESTCD lists (ada.bindingTestcds / neutralisingTestcds / titreTestcds). */
export interface AdaCoding {
  bindingTestcds?: readonly string[] | undefined;
  neutralisingTestcds?: readonly string[] | undefined;
  titreTestcds?: readonly string[] | undefined;
}

export type TitreScale = 'linear' | 'log10';

export type AdaTestKind = 'ada' | 'titre' | 'nab';
export type AdaResult = 'POSITIVE' | 'NEGATIVE';

const squash = (c: string) => c.trim().toUpperCase().replace(/[_\-\s]/g, '');
const ADA_CODES = new Set(['ADA', 'ADAB', 'ADABAB', 'BAB', 'ANTIDRUG', 'ADACONF', 'ADACONFRM']);
const TITRE_CODES = new Set(['ADATITER', 'ADATITR', 'ADATIT', 'ADATITRE', 'BABTITER', 'TITER', 'TITRE']);
const NAB_CODES = new Set(['NAB', 'NABS', 'NADA', 'NEUTAB', 'ADANAB', 'NABAB', 'ADANEUT']);

/** Which ADA test a record is (null: not an ADA test): the study's own lists first, then the conventions above. */
export function adaTestKind(istestcd: string, coding: AdaCoding = {}): AdaTestKind | null {
  const c = squash(istestcd);
  const listed = (l: readonly string[] | undefined) => (l ?? []).some((x) => squash(x) === c);
  if (listed(coding.bindingTestcds)) return 'ada';
  if (listed(coding.neutralisingTestcds)) return 'nab';
  if (listed(coding.titreTestcds)) return 'titre';
  if (ADA_CODES.has(c)) return 'ada';
  if (TITRE_CODES.has(c)) return 'titre';
  if (NAB_CODES.has(c)) return 'nab';
  return null;
}

/** POSITIVE / NEGATIVE from a character result; null when missing or indeterminate. */
export function adaResultOf(text: string | null): AdaResult | null {
  const v = (text ?? '').trim().toUpperCase();
  if (v === '') return null;
  if (v.startsWith('NEG') || v === 'NOT DETECTED' || v === 'ND') return 'NEGATIVE';
  if (v.startsWith('POS') || v === 'DETECTED') return 'POSITIVE';
  return null;
}

/** A titre (reciprocal dilution) from ISSTRESN, else a number or "1:N" in ISSTRESC; null otherwise. */
export function titreOf(r: Pick<IsRecord, 'isstresn' | 'isstresc'>): number | null {
  if (r.isstresn !== null && Number.isFinite(r.isstresn) && r.isstresn > 0) return r.isstresn;
  const m = /^\s*(?:1\s*:\s*)?(\d+(?:\.\d+)?)\s*$/.exec(r.isstresc ?? '');
  return m ? Number(m[1]) : null;
}

export interface ParsedAdaResult {
  result: AdaResult | null;
  /** The titre as reported (on the study's titre scale), null when none. */
  titre: number | null;
  /** "<x": positive below the minimum reportable titre x (titre = x, for display only). */
  belowReportable: boolean;
  /** Neither POSITIVE/NEGATIVE, a number nor "<x": not used (mapping report). */
  unparseable: boolean;
}

/**
 * One IS record's result (forms in the header comment): ISSTRESC, else ISORRES, with ISSTRESN.
 * On a log10 scale a titre of 0 is valid (10^0 = 1), so only non-finite or negative values are refused.
 */
export function parseAdaResult(r: Pick<IsRecord, 'isstresn' | 'isstresc' | 'isorres'>): ParsedAdaResult {
  const text = ((r.isstresc ?? '').trim() || (r.isorres ?? '').trim()).toUpperCase();
  const num = r.isstresn !== null && Number.isFinite(r.isstresn) && r.isstresn >= 0 ? r.isstresn : null;
  const below = /^<\s*=?\s*(\d+(?:\.\d+)?)$/.exec(text);
  if (below) return { result: 'POSITIVE', titre: Number(below[1]), belowReportable: true, unparseable: false };
  const res = adaResultOf(text);
  if (res) return { result: res, titre: res === 'POSITIVE' ? num : null, belowReportable: false, unparseable: false };
  const m = /^(?:1\s*:\s*)?(\d+(?:\.\d+)?)$/.exec(text);
  if (m) return { result: 'POSITIVE', titre: Number(m[1]), belowReportable: false, unparseable: false };
  if (text === '' && num !== null) return { result: 'POSITIVE', titre: num, belowReportable: false, unparseable: false };
  return { result: null, titre: null, belowReportable: false, unparseable: text !== '' };
}

/**
 * The titre scale from the units (ISSTRESU, else ISORRESU) or the study definition's ada.titreScale
 * (which wins: the sponsor said so). A unit naming a logarithm ("log10 titer", "LOG TITER") is log10;
 * any other unit ("titer", "1/dilution", "ratio") is linear; no unit and no setting: null (ask).
 */
export function titreScaleOf(units: Iterable<string | null | undefined>, setting: TitreScale | undefined): { scale: TitreScale | null; source: string } {
  if (setting) return { scale: setting, source: 'study definition ada.titreScale' };
  const seen = [...new Set([...units].map((u) => (u ?? '').trim()).filter((u) => u !== ''))];
  if (seen.length === 0) return { scale: null, source: 'no unit in ISSTRESU / ISORRESU and no ada.titreScale' };
  const logs = seen.filter((u) => /LOG/i.test(u));
  if (logs.length === seen.length) return { scale: 'log10', source: `unit "${logs[0]}"` };
  if (logs.length === 0) return { scale: 'linear', source: `unit "${seen[0]}"` };
  return { scale: null, source: `conflicting units ${seen.map((u) => `"${u}"`).join(', ')}` };
}

/** The reciprocal dilution a reported titre stands for: 10^x on the log10 scale (for drawing on a log axis). */
export function linearTitre(titre: number | null, scale: TitreScale | null): number | null {
  if (titre === null) return null;
  return scale === 'log10' ? 10 ** titre : titre;
}

/** A subject with at least one positive ADA sample (baseline or after). */
export function hasPositiveSample(s: { samples: readonly { result: AdaResult | null }[] }): boolean {
  return s.samples.some((x) => x.result === 'POSITIVE');
}

export interface AdaSample {
  /** Collection date (YYYY-MM-DD or partial as given). */
  dtc: string | null;
  visit: string | null;
  visitnum: number | null;
  /** SDTM study day (day 1 = first dose, no day 0); null when the date is partial or the subject untreated. */
  studyDay: number | null;
  result: AdaResult | null;
  /** Titre as reported, on the study's titre scale (log10 values stay log10). */
  titre: number | null;
  /** The titre was "<x": positive below the minimum reportable titre x (titre = x). */
  belowReportable: boolean;
  nab: AdaResult | null;
  baselineFlag: boolean;
}

/** Group a subject's IS records into samples (one per collection date and visit), in time order. */
export function adaSamplesOf(records: readonly IsRecord[], firstDoseDtc: string | null, coding: AdaCoding = {}): AdaSample[] {
  const first = firstDoseDtc ? toDayNumber(firstDoseDtc.slice(0, 10)) : null;
  const samples = new Map<string, AdaSample>();
  for (const r of records) {
    const kind = adaTestKind(r.istestcd, coding);
    if (!kind) continue;
    const dtc = r.isdtc ? r.isdtc.slice(0, 10) : null;
    const key = `${dtc ?? ''}|${r.visitnum ?? r.visit ?? ''}`;
    let s = samples.get(key);
    if (!s) {
      const d = toDayNumber(dtc);
      const studyDay = d === null || first === null ? null : d >= first ? d - first + 1 : d - first;
      samples.set(key, (s = { dtc, visit: r.visit, visitnum: r.visitnum, studyDay, result: null, titre: null, belowReportable: false, nab: null, baselineFlag: false }));
    }
    if ((r.isblfl ?? '').toUpperCase() === 'Y') s.baselineFlag = true;
    const p = parseAdaResult(r);
    if (kind === 'ada') {
      s.result = p.result ?? s.result;
      if (p.titre !== null) {
        s.titre = p.titre;
        s.belowReportable = p.belowReportable;
      }
    } else if (kind === 'titre') {
      if (p.result === 'NEGATIVE') s.result ??= 'NEGATIVE';
      else if (p.titre !== null) {
        s.titre = p.titre;
        s.belowReportable = p.belowReportable;
      }
    } else {
      s.nab = p.result ?? s.nab;
    }
  }
  for (const s of samples.values()) if (s.result === null && s.titre !== null) s.result = 'POSITIVE';
  return [...samples.values()].sort((a, b) => (a.dtc ?? '9999').localeCompare(b.dtc ?? '9999') || (a.visitnum ?? 0) - (b.visitnum ?? 0));
}

export type AdaCategory = 'treatment-induced' | 'treatment-boosted' | 'baseline-positive' | 'negative' | 'no-post-baseline-sample';

export interface AdaSubjectStatus {
  usubjid: string;
  baselineStatus: 'positive' | 'negative' | 'missing';
  baselineTitre: number | null;
  /** Post-baseline samples with a result (positive or negative). */
  postBaselineSamples: number;
  treatmentInduced: boolean;
  treatmentBoosted: boolean;
  treatmentEmergent: boolean;
  /** Baseline sample and >= 1 post-baseline sample (the incidence denominator). */
  evaluable: boolean;
  category: AdaCategory;
  persistence: 'persistent' | 'transient' | null;
  /** Highest post-baseline titre and its fold over the baseline titre. */
  maxPostTitre: number | null;
  maxFoldRise: number | null;
  /** Any post-baseline neutralising result positive; null when no NAb result. */
  nabPositive: boolean | null;
  samples: AdaSample[];
  notes: string[];
}

/** 16 weeks (Shankar et al. 2014, persistent vs transient). */
export const PERSISTENCE_DAYS = 112;

/**
 * Is the titre rise from baseline a boost? (Shankar et al. 2014: ">= 4-fold", fold from the study.)
 * Linear titres: t >= fold × b. log10 titres: t − b >= log10(fold) (the same rise on the log scale;
 * 4-fold = +0.602). Scale unknown (null): never (the boost cannot be assessed).
 */
export function isBoosted(baselineTitre: number | null, postTitre: number | null, boostFold: number, scale: TitreScale | null = 'linear'): boolean {
  if (baselineTitre === null || postTitre === null || scale === null) return false;
  if (scale === 'log10') return postTitre - baselineTitre >= Math.log10(boostFold) - 1e-9;
  return baselineTitre > 0 && postTitre >= boostFold * baselineTitre;
}

/** Fold rise of a post-baseline titre over the baseline titre on the given scale (10^(t − b) on log10). */
export function foldRise(baselineTitre: number | null, postTitre: number | null, scale: TitreScale | null): number | null {
  if (baselineTitre === null || postTitre === null || scale === null) return null;
  if (scale === 'log10') return 10 ** (postTitre - baselineTitre);
  return baselineTitre > 0 ? postTitre / baselineTitre : null;
}

/**
 * Persistent / transient of a treatment-emergent response (Shankar et al. 2014), from the post-baseline
 * samples in time order and which of them count as emergent-positive.
 */
export function persistenceOf(post: readonly { day: number | null; positive: boolean }[]): 'persistent' | 'transient' | null {
  const pos = post.filter((p) => p.positive);
  if (pos.length === 0) return null;
  const last = post[post.length - 1]!;
  if (last.positive) return 'persistent';
  const a = pos[0]!.day;
  const b = pos[pos.length - 1]!.day;
  if (pos.length >= 2 && a !== null && b !== null && b - a >= PERSISTENCE_DAYS) return 'persistent';
  return 'transient';
}

export interface AdaStatusOptions {
  coding?: AdaCoding;
  /** Titre scale (titreScaleOf); null = unknown: boosts are not assessed. Default linear. */
  scale?: TitreScale | null;
}

/**
 * ADA status of one subject (Shankar et al. 2014 definitions above). A baseline titre "<x" counts as
 * x for the boost (an upper bound: the rise is at least the one computed); a post-baseline "<x" never
 * makes a boost (its titre is only known to be below x).
 */
export function adaSubjectStatus(usubjid: string, records: readonly IsRecord[], firstDoseDtc: string | null, boostFold = 4, opts: AdaStatusOptions = {}): AdaSubjectStatus {
  const scale = opts.scale === undefined ? 'linear' : opts.scale;
  const samples = adaSamplesOf(records, firstDoseDtc, opts.coding);
  const notes: string[] = [];
  const first = firstDoseDtc ? toDayNumber(firstDoseDtc.slice(0, 10)) : null;
  const dayOf = (s: AdaSample) => toDayNumber(s.dtc);
  const withResult = samples.filter((s) => s.result !== null);
  let baseline: AdaSample | null = null;
  if (first !== null) {
    const flagged = withResult.filter((s) => s.baselineFlag && (dayOf(s) === null || dayOf(s)! <= first));
    const pre = withResult.filter((s) => dayOf(s) !== null && dayOf(s)! <= first);
    baseline = flagged[flagged.length - 1] ?? pre[pre.length - 1] ?? null;
  } else notes.push('no first dose: status not derived');
  const post = first === null ? [] : withResult.filter((s) => s !== baseline && dayOf(s) !== null && dayOf(s)! > first);
  if (samples.some((s) => s.dtc === null || dayOf(s) === null)) notes.push('samples without a complete collection date are listed but not used');
  const baselineStatus: AdaSubjectStatus['baselineStatus'] = baseline === null ? 'missing' : baseline.result === 'POSITIVE' ? 'positive' : 'negative';
  const baselineTitre = baseline?.titre ?? null;
  const anyPostPositive = post.some((s) => s.result === 'POSITIVE');
  const treatmentInduced = baselineStatus !== 'positive' && anyPostPositive;
  const boosts = (s: AdaSample) => !s.belowReportable && isBoosted(baselineTitre, s.titre, boostFold, scale);
  const treatmentBoosted = baselineStatus === 'positive' && post.some(boosts);
  if (baselineStatus === 'positive' && baselineTitre === null) notes.push('baseline positive without a titre: a boost cannot be assessed');
  if (baselineStatus === 'positive' && baselineTitre !== null && scale === null) notes.push('titre scale unknown (set ada.titreScale): a boost cannot be assessed');
  if (baselineStatus === 'missing' && treatmentInduced) notes.push('no baseline sample: positive after dosing counted as treatment-induced, not in the incidence denominator');
  const treatmentEmergent = treatmentInduced || treatmentBoosted;
  const evaluable = baseline !== null && post.length > 0;
  const category: AdaCategory = treatmentBoosted
    ? 'treatment-boosted'
    : treatmentInduced
      ? 'treatment-induced'
      : baselineStatus === 'positive'
        ? 'baseline-positive'
        : post.length === 0
          ? 'no-post-baseline-sample'
          : 'negative';
  const emergentPositive = (s: AdaSample) => (treatmentBoosted ? boosts(s) : s.result === 'POSITIVE');
  const persistence = treatmentEmergent ? persistenceOf(post.map((s) => ({ day: dayOf(s), positive: emergentPositive(s) }))) : null;
  const postTitres = post.map((s) => s.titre).filter((t): t is number => t !== null);
  const maxPostTitre = postTitres.length ? Math.max(...postTitres) : null;
  const rise = foldRise(baselineTitre, maxPostTitre, scale);
  const nabs = post.filter((s) => s.nab !== null);
  return {
    usubjid,
    baselineStatus,
    baselineTitre,
    postBaselineSamples: post.length,
    treatmentInduced,
    treatmentBoosted,
    treatmentEmergent,
    evaluable,
    category,
    persistence,
    maxPostTitre,
    maxFoldRise: rise === null ? null : Math.round(rise * 1e6) / 1e6,
    nabPositive: nabs.length ? nabs.some((s) => s.nab === 'POSITIVE') : null,
    samples,
    notes,
  };
}

export interface AdaIncidenceRow {
  key: string;
  label: string;
  /** Subjects with at least one ADA sample. */
  sampled: number;
  /** Baseline and >= 1 post-baseline sample: the denominator. */
  evaluable: number;
  baselinePositive: number;
  treatmentInduced: number;
  treatmentBoosted: number;
  treatmentEmergent: number;
  /** 100 × treatment-emergent / evaluable, one decimal; null when none evaluable. */
  treatmentEmergentPercent: number | null;
  persistent: number;
  transient: number;
  nabPositive: number;
}

/** ADA incidence by group (dose level): counts among EVALUABLE subjects (Shankar et al. 2014). */
export function adaIncidence(statuses: readonly AdaSubjectStatus[], groups: readonly { key: string; label: string }[], groupOf: ReadonlyMap<string, string>): AdaIncidenceRow[] {
  const row = (key: string, label: string, ss: readonly AdaSubjectStatus[]): AdaIncidenceRow => {
    const ev = ss.filter((s) => s.evaluable);
    const te = ev.filter((s) => s.treatmentEmergent).length;
    return {
      key,
      label,
      sampled: ss.filter((s) => s.samples.length > 0).length,
      evaluable: ev.length,
      baselinePositive: ev.filter((s) => s.baselineStatus === 'positive').length,
      treatmentInduced: ev.filter((s) => s.treatmentInduced).length,
      treatmentBoosted: ev.filter((s) => s.treatmentBoosted).length,
      treatmentEmergent: te,
      treatmentEmergentPercent: ev.length ? Math.round((1000 * te) / ev.length) / 10 : null,
      persistent: ev.filter((s) => s.persistence === 'persistent').length,
      transient: ev.filter((s) => s.persistence === 'transient').length,
      nabPositive: ev.filter((s) => s.nabPositive === true).length,
    };
  };
  return [
    ...groups.map((g) => row(g.key, g.label, statuses.filter((s) => groupOf.get(s.usubjid) === g.key))),
    row('total', 'Total', statuses.filter((s) => groupOf.has(s.usubjid))),
  ];
}
