import { describe, expect, it } from 'vitest';
import {
  atRisk, atRiskTable, kaplanMeier, logRank, medianSurvival, survivalAt, survivalQuantile,
  type ConfType, type EventFlag,
} from '../../shared/survival';
import { referencePaths, referenceText } from '../helpers/reference';

// Source: R 4.2.2, survival 3.5.3 on survival::lung — ../shared/reference/survival/km_expected.json
// (survfit, summary.survfit, quantile.survfit, survdiff), data in lung.csv beside it.
const [KM_JSON = null, LUNG_CSV = null] = referencePaths(['survival/km_expected.json', 'survival/lung.csv'], 'survival.test.ts (Kaplan–Meier vs R survival)') ?? [];
const HAVE_REF = KM_JSON !== null && LUNG_CSV !== null;
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const expected = (HAVE_REF ? JSON.parse(referenceText(KM_JSON)) : {}) as { [k: string]: Json };

interface LungRow { time: number; status: number; sex: number }
function readLung(): LungRow[] {
  if (!HAVE_REF) return [];
  const lines = referenceText(LUNG_CSV).trim().split(/\r?\n/);
  const header = lines[0]!.split(',').map((h) => h.replace(/"/g, ''));
  const col = (name: string) => header.indexOf(name);
  const [it, is, ix] = [col('time'), col('status'), col('sex')];
  return lines.slice(1).map((line) => {
    const f = line.split(',');
    return { time: Number(f[it]), status: Number(f[is]), sex: Number(f[ix]) };
  });
}
const lung = readLung();
const isEvent = (r: LungRow): EventFlag => (r.status === 2 ? 1 : 0); // "1 = censored, 2 = dead"

// Every numeric/identifying leaf of the reference JSON must be checked by some test: `check` records
// the JSON path it compared, and the last test asserts no leaf was left unchecked.
const checked = new Set<string>();
function leafPaths(node: Json, prefix: string, out: string[]): string[] {
  if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) leafPaths(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.push(prefix);
  return out;
}
function at(p: string): Json {
  return p.split('.').reduce<Json>((node, key) => (node as { [k: string]: Json })[key]!, expected);
}
/** Compare a computed value with the JSON leaf at path `p` (numbers to 1e-9 absolute and relative). */
function check(p: string, actual: number | string | null): void {
  const want = at(p);
  checked.add(p);
  if (typeof want === 'number' && typeof actual === 'number') {
    expect(Math.abs(actual - want), p).toBeLessThanOrEqual(1e-9);
    if (want !== 0) expect(Math.abs((actual - want) / want), p).toBeLessThanOrEqual(1e-9);
  } else {
    expect(actual, p).toEqual(want);
  }
}
/** Metadata leaves that describe the reference rather than state a result. */
const DESCRIPTIVE = /^(generated_by|conventions|dataset\.(name|file|time|status|sex))\.?/;

const CONF: Array<[string, ConfType]> = [['log', 'log'], ['log_log', 'log-log'], ['plain', 'plain']];
const GROUPS: Array<[string, (r: LungRow) => boolean]> = [
  ['overall', () => true],
  ['by_sex.male_sex1', (r) => r.sex === 1],
  ['by_sex.female_sex2', (r) => r.sex === 2],
];

describe.skipIf(!HAVE_REF)('lung data set (reference/survival/lung.csv)', () => {
  it('has the documented number of subjects', () => {
    check('dataset.n', lung.length);
  });
});

describe.skipIf(!HAVE_REF).each(GROUPS)('Kaplan–Meier vs R survfit: %s', (key, keep) => {
  const rows = lung.filter(keep);
  const times = rows.map((r) => r.time);
  const events = rows.map(isEvent);

  it('counts subjects, events, censorings', () => {
    const fit = kaplanMeier(times, events, { confType: 'log' });
    check(`${key}.n`, fit.n);
    check(`${key}.events`, fit.events);
    check(`${key}.censored`, fit.censored);
    check(`${key}.group`, key === 'overall' ? 'all' : key.endsWith('1') ? 'sex=1 (male)' : 'sex=2 (female)');
  });

  it('numbers at risk (summary.survfit n.risk = count(time >= t))', () => {
    const fit = kaplanMeier(times, events);
    const table = at(`${key}.number_at_risk`) as Array<{ time: number }>;
    const computed = atRiskTable(fit, table.map((r) => r.time));
    table.forEach((row, i) => {
      check(`${key}.number_at_risk.${i}.time`, computed[i]!.time);
      check(`${key}.number_at_risk.${i}.n_risk_summary_survfit`, computed[i]!.nRisk);
      check(`${key}.number_at_risk.${i}.n_with_time_ge_t`, atRisk(times, row.time));
    });
  });

  describe.each(CONF)('conf.type %s', (confKey, confType) => {
    const fit = kaplanMeier(times, events, { confType });
    const base = `${key}.${confKey}`;

    it('records the conf type', () => check(`${base}.conf_type`, fit.confType));

    it('median and its CI (quantile.survfit / print.survfit)', () => {
      const med = medianSurvival(fit);
      check(`${base}.median`, med.quantile);
      check(`${base}.median_lcl_95`, med.lower);
      check(`${base}.median_ucl_95`, med.upper);
      const q = survivalQuantile(fit, 0.5);
      check(`${base}.median_quantile_fn.est`, q.quantile);
      check(`${base}.median_quantile_fn.lower`, q.lower);
      check(`${base}.median_quantile_fn.upper`, q.upper);
    });

    it('S(t), std.err, CI and n.risk at fixed times (summary(fit, times = t))', () => {
      const list = at(`${base}.surv_at`) as Array<{ time: number }>;
      expect(list.length).toBeGreaterThan(0);
      list.forEach((row, i) => {
        const s = survivalAt(fit, row.time);
        const p = `${base}.surv_at.${i}`;
        check(`${p}.time`, s.time);
        check(`${p}.surv`, s.surv);
        check(`${p}.std_err`, s.stdErr);
        check(`${p}.lower_95`, s.lower);
        check(`${p}.upper_95`, s.upper);
        check(`${p}.n_risk`, s.nRisk);
      });
    });
  });
});

describe.skipIf(!HAVE_REF)('log-rank test vs R survdiff(Surv(time, status) ~ sex, lung)', () => {
  const group = (sex: number) => {
    const rows = lung.filter((r) => r.sex === sex);
    return { label: `sex=${sex}`, times: rows.map((r) => r.time), events: rows.map(isEvent) };
  };
  const res = logRank([group(1), group(2)]);
  it('chi-square, df, p-value', () => {
    check('logrank_sex.chisq', res.chisq);
    check('logrank_sex.df', res.df);
    check('logrank_sex.p_value', res.pValue);
    check('logrank_sex.test', 'survdiff(Surv(time, status) ~ sex, data = lung), rho = 0');
  });
  it('n, observed and expected per group', () => {
    for (const g of res.groups) {
      check(`logrank_sex.n.${g.label}`, g.n);
      check(`logrank_sex.observed.${g.label}`, g.observed);
      check(`logrank_sex.expected.${g.label}`, g.expected);
    }
  });
});

describe('hand-computed cases (Kaplan & Meier 1958 product limit; R quantile.survfit rules)', () => {
  it('product-limit, Greenwood and ties', () => {
    // times 1,2,2,3+,4: S(1)=4/5, S(2)=4/5·2/4=0.4, S(4)=0 ; var(H) at 2 = 1/(5·4) + 2/(4·2)
    const fit = kaplanMeier([1, 2, 2, 3, 4], [1, 1, 1, 0, 1], { confType: 'log' });
    expect(fit.time).toEqual([1, 2, 3, 4]);
    expect(fit.nRisk).toEqual([5, 4, 2, 1]);
    expect(fit.nEvent).toEqual([1, 2, 0, 1]);
    expect(fit.nCensor).toEqual([0, 0, 1, 0]);
    expect(fit.surv[1]).toBeCloseTo(0.4, 15);
    expect(fit.stdErrLog[1]).toBeCloseTo(Math.sqrt(1 / 20 + 2 / 8), 15);
    expect(fit.surv[3]).toBe(0);
    expect(atRisk(fit, 2.5)).toBe(2);
    expect(atRisk(fit, 10)).toBe(0);
    expect(survivalAt(fit, 0.5)).toMatchObject({ surv: 1, stdErr: 0, lower: 1, upper: 1, nRisk: 5 });
  });
  it('flat at exactly 0.5: the median is the midpoint of the flat segment', () => {
    // 4 subjects, deaths at 1 and 2 → S = 0.5 on [2, 5); next death at 5 → median (2 + 5)/2 = 3.5
    const fit = kaplanMeier([1, 2, 5, 6], [1, 1, 1, 0], { confType: 'log' });
    expect(medianSurvival(fit).quantile).toBe(3.5);
  });
  it('flat at 0.5 to the end of follow-up: midpoint of the time reaching 0.5 and the last time', () => {
    const fit = kaplanMeier([1, 2, 7, 9], [1, 1, 0, 0], { confType: 'log' });
    expect(medianSurvival(fit).quantile).toBe((2 + 9) / 2);
  });
  it('median not reached', () => {
    const fit = kaplanMeier([1, 2, 3, 4], [1, 0, 0, 0]);
    expect(medianSurvival(fit).quantile).toBeNull();
  });
  it('the survival package tests/quantile.R example (test1, no strata)', () => {
    // therneau/survival tests/quantile.R: quantile(fit1, 1 - qq) = c(1, 3.5, 6, 9, 9.5, NA)
    // data: time 9,3,1,1,6,6,8,10 with status 1,NA,1,0,1,1,0,0 (NA row dropped)
    const fit = kaplanMeier([9, 1, 1, 6, 6, 8, 10], [1, 1, 0, 1, 1, 0, 0], { confType: 'log' });
    const qq = [13 / 14, 6 / 7, 2 / 3, 0.5, 9 / 35, 0.1];
    expect(qq.map((q) => survivalQuantile(fit, q).quantile)).toEqual([1, 3.5, 6, 9, 9.5, null]);
  });
  it('rejects mismatched inputs', () => {
    expect(() => kaplanMeier([1, 2], [1])).toThrow(RangeError);
    expect(() => kaplanMeier([1, NaN], [1, 0])).toThrow(RangeError);
  });
});

describe.skipIf(!HAVE_REF)('log-rank with more than two groups (survdiff definition)', () => {
  // lung split by ECOG performance status 0 / 1 / 2+ (rows with missing ph.ecog dropped).
  const rows = referenceText(LUNG_CSV).trim().split(/\r?\n/).slice(1).map((l) => l.split(','));
  const byEcog = (keep: (e: number) => boolean, label: string) => {
    const sel = rows.filter((r) => r[5] !== 'NA' && r[5] !== '' && keep(Number(r[5])));
    return { label, times: sel.map((r) => Number(r[1])), events: sel.map((r) => (r[2] === '2' ? 1 : 0) as EventFlag) };
  };
  const groups = [byEcog((e) => e === 0, '0'), byEcog((e) => e === 1, '1'), byEcog((e) => e >= 2, '2+')];
  it('Σ(O − E) = 0, df = groups − 1, and χ² does not depend on which group is dropped from V', () => {
    const a = logRank(groups);
    const b = logRank([groups[2]!, groups[0]!, groups[1]!]);
    expect(a.df).toBe(2);
    expect(Math.abs(a.groups.reduce((s, g) => s + g.observed - g.expected, 0))).toBeLessThan(1e-9);
    expect(Math.abs(a.chisq - b.chisq)).toBeLessThan(1e-9);
    expect(a.pValue).toBeGreaterThan(0);
    expect(a.pValue).toBeLessThan(0.05);
  });
  it('two identical groups give χ² = 0 and p = 1', () => {
    const g = groups[0]!;
    const r = logRank([g, { ...g, label: 'copy' }]);
    expect(r.chisq).toBeCloseTo(0, 12);
    expect(r.pValue).toBeCloseTo(1, 12);
  });
});

describe.skipIf(!HAVE_REF)('coverage of the reference', () => {
  it('every result in km_expected.json was asserted', () => {
    const all = leafPaths(expected, '', []).filter((p) => !DESCRIPTIVE.test(p));
    const missing = all.filter((p) => !checked.has(p));
    expect(missing).toEqual([]);
    expect(all.length).toBeGreaterThan(150);
  });
});
