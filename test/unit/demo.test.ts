// The demo study generator (electron/core/demo): determinism, agreement of the truth object with
// the generated SDTM domains, the data cut, study.json, and a read-back of every written file.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StudyDefinition } from '../../shared/study.js';
import { bestOverallResponse, type AssessmentResponse } from '../../shared/recist.js';
import { createReader, detectFormat, fileSource, readAll } from '../../electron/core/readers/index.js';
import type { Cell } from '../../electron/core/readers/types.js';
import {
  CUT1, CUT2, cutSnapshot, generateStudy, writeSnapshot, type DemoSnapshot, type Domain,
} from '../../electron/core/demo/generate.js';
import { MIXED_FORMATS } from '../../electron/core/demo/write.js';
import { otherConventions } from '../../electron/core/demo/conventions.js';
import { CONVENTIONS_CUT } from '../../electron/core/demo/shipped.js';

const tmp = mkdtempSync(join(tmpdir(), 'dosedesk-demo-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const study = generateStudy({});
const cut1 = cutSnapshot(study, CUT1);
const cut2 = cutSnapshot(study, CUT2);

type Rec = Record<string, Cell>;
function recs(d: Domain | undefined): Rec[] {
  if (!d) throw new Error('missing domain');
  return d.rows.map((r) => Object.fromEntries(d.columns.map((c, i) => [c.name, r[i] ?? null])));
}

function sha256Dir(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir).sort().map((f) => [f, createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')]),
  );
}

/** DLT-flagged AEs starting inside the 21-day window, per escalation dose level (from the files' content). */
function dltsPerLevel(s: DemoSnapshot): number[] {
  const flagged = new Set(recs(s.domains.SUPPAE).filter((q) => q.QNAM === 'AEDLT' && q.QVAL === 'Y').map((q) => `${q.USUBJID}|${q.IDVARVAL}`));
  const arm = new Map(recs(s.domains.DM).map((d) => [d.USUBJID as string, d.ARMCD as string]));
  const subjects = new Set<string>();
  for (const a of recs(s.domains.AE))
    if (flagged.has(`${a.USUBJID}|${a.AESEQ}`) && typeof a.AESTDY === 'number' && a.AESTDY >= 1 && a.AESTDY <= 21) subjects.add(a.USUBJID as string);
  return [1, 2, 3, 4, 5, 6, 7].map((l) => [...subjects].filter((u) => arm.get(u) === `ESC-L${l}`).length);
}

describe('determinism (seeded PRNG, fixed header times)', () => {
  it('the same seed writes byte-identical files (SHA-256 of every file); another seed does not', async () => {
    const a = join(tmp, 'a');
    const b = join(tmp, 'b');
    const c = join(tmp, 'c');
    await writeSnapshot(a, cutSnapshot(generateStudy({ seed: 979 }), CUT2));
    await writeSnapshot(b, cutSnapshot(generateStudy({ seed: 979 }), CUT2));
    await writeSnapshot(c, cutSnapshot(generateStudy({ seed: 980 }), CUT2));
    const ha = sha256Dir(a);
    expect(Object.keys(ha)).toHaveLength(18); // 17 domains (CM and EG added for issue 15) + study.json
    expect(sha256Dir(b)).toEqual(ha);
    expect(sha256Dir(c)['pc.csv']).not.toBe(ha['pc.csv']);
  });

  it('the shipped cuts in resources/demo are what the generator writes today', async () => {
    const root = join(__dirname, '../../resources/demo');
    for (const [name, snap] of [['cut1', cut1], ['cut2', cut2]] as const) {
      const dir = join(tmp, `shipped-${name}`);
      await writeSnapshot(dir, snap);
      expect(sha256Dir(join(root, name)), `${name}: run "node --import tsx electron/core/demo/cli.ts --shipped"`).toEqual(sha256Dir(dir));
    }
  });

  it('the shipped conventions cut is cut 2 in other conventions, as the generator writes it today', async () => {
    const dir = join(tmp, 'shipped-conventions');
    await writeSnapshot(dir, otherConventions(cut2));
    const shipped = sha256Dir(join(__dirname, '../../resources/demo', CONVENTIONS_CUT));
    expect(shipped, 'run "node --import tsx electron/core/demo/cli.ts --shipped"').toEqual(sha256Dir(dir));
    expect(Object.keys(shipped)).toEqual(expect.arrayContaining(['lbch.csv', 'lbhe.csv']));
    expect(Object.keys(shipped)).not.toContain('lb.csv');
  });

  it('every format is used at least twice in the mixed layout', () => {
    const n: Record<string, number> = {};
    for (const f of Object.values(MIXED_FORMATS)) n[f] = (n[f] ?? 0) + 1;
    expect(Object.keys(n).sort()).toEqual(['csv', 'json', 'ndjson', 'xpt']);
    for (const k of Object.keys(n)) expect(n[k]).toBeGreaterThanOrEqual(2);
  });
});

describe('the designed escalation (brief + escalation_rules.md: ATD 0.01-0.1, 3+3 from 0.3, MTD 3 mg/kg)', () => {
  it('DLTs per level from AE+SUPPAE at cut 2: 0,0,0,0,0,1,2 and the truth agrees', () => {
    expect(dltsPerLevel(cut2)).toEqual([0, 0, 0, 0, 0, 1, 2]);
    expect(cut2.truth.escalation.map((l) => l.nDlt)).toEqual([0, 0, 0, 0, 0, 1, 2]);
    expect(cut2.truth.escalation.map((l) => l.nEvaluable)).toEqual([1, 1, 1, 3, 3, 6, 3]);
    expect(cut2.truth.escalation.map((l) => l.nTreated)).toEqual([1, 1, 1, 4, 3, 6, 3]);
  });

  it('cut 1: the 3 mg/kg cohort expanded to 6, one DLT, two subjects still inside their window', () => {
    expect(dltsPerLevel(cut1)).toEqual([0, 0, 0, 0, 0, 1, 0]);
    const l6 = cut1.truth.escalation[5]!;
    expect([l6.nTreated, l6.nDlt, l6.nPending, l6.nEvaluable]).toEqual([6, 1, 2, 4]);
    expect(cut1.truth.subjects.some((s) => s.level === 7 || s.part === 'EXPANSION')).toBe(false);
  });

  it('cut 2: expansion of 6 at 3 mg/kg under way, two still inside the window', () => {
    const x = cut2.truth.expansion[5]!;
    expect([x.nTreated, x.nPending]).toEqual([6, 2]);
    for (const s of cut2.truth.subjects.filter((t) => t.dltWindowStatus === 'pending')) expect(s.dltWindowEnd > CUT2).toBe(true);
  });

  it('accelerated titration: the two course-1 grade-2 related toxicities are at 0.03 and 0.1 mg/kg (Simon 1997 design 2 trigger)', () => {
    const arm = new Map(recs(cut2.domains.DM).map((d) => [d.USUBJID, d.ARMCD]));
    const g2 = recs(cut2.domains.AE).filter((a) => a.AETOXGR === '2' && a.AEREL === 'RELATED' && (a.AESTDY as number) <= 21);
    const atd = g2.filter((a) => ['ESC-L1', 'ESC-L2', 'ESC-L3'].includes(arm.get(a.USUBJID) as string));
    expect(atd.map((a) => arm.get(a.USUBJID)).sort()).toEqual(['ESC-L2', 'ESC-L3']);
    const grades = recs(cut2.domains.AE).filter((a) => arm.get(a.USUBJID) === 'ESC-L1').map((a) => a.AETOXGR);
    expect(new Set(grades)).toEqual(new Set(['1'])); // intra-patient escalation needs worst grade 0-1
  });

  it('one related grade >= 3 AE in a window without the DLT flag (possible DLT — not flagged)', () => {
    const flagged = new Set(recs(cut2.domains.SUPPAE).map((q) => `${q.USUBJID}|${q.IDVARVAL}`));
    const possible = recs(cut2.domains.AE).filter(
      (a) => a.AEREL === 'RELATED' && Number(a.AETOXGR) >= 3 && (a.AESTDY as number) <= 21 && !flagged.has(`${a.USUBJID}|${a.AESEQ}`),
    );
    expect(possible.map((a) => [a.USUBJID, a.AEDECOD])).toEqual([['IBB0979-101-005', 'Lymphocyte count decreased']]);
    expect(cut2.truth.subjects.filter((s) => s.possibleDltNotFlagged > 0).map((s) => s.usubjid)).toEqual(['IBB0979-101-005']);
  });

  it('one subject stops inside the window without a DLT and is not DLT-evaluable (CLINICAL_RULES.md#dlt-window)', () => {
    const ne = cut2.truth.subjects.filter((s) => s.dltEvaluable === false);
    expect(ne.map((s) => s.usubjid)).toEqual(['IBB0979-102-002']);
    const ds = recs(cut2.domains.DS).find((d) => d.USUBJID === 'IBB0979-102-002' && d.DSSCAT === 'END OF TREATMENT')!;
    expect(ds.DSDECOD).toBe('WITHDRAWAL BY SUBJECT');
    expect(ds.DSSTDY as number).toBeLessThan(21);
  });

  it('EX shows an intra-patient escalation and dose reductions after DLTs', () => {
    const ex = recs(cut2.domains.EX);
    const doses = (u: string) => ex.filter((e) => e.USUBJID === u).map((e) => e.EXDOSE);
    expect(doses('IBB0979-101-001').slice(0, 7)).toEqual([0.01, 0.01, 0.01, 0.03, 0.03, 0.1, 0.1]);
    expect(doses('IBB0979-201-003').slice(0, 2)).toEqual([3, 1]);
    expect(doses('IBB0979-101-008').slice(0, 2)).toEqual([10, 3]);
    for (const e of ex) {
      expect(e.EXDOSU).toBe('mg/kg');
      expect(e.EXROUTE).toBe('INTRAVENOUS');
      expect(e.VISIT).toMatch(/^CYCLE \d+ DAY 1$/);
    }
  });
});

describe('truth agrees with the domains', () => {
  for (const [name, snap] of [['cut1', cut1], ['cut2', cut2], ['full', study]] as const) {
    it(`${name}: subjects, SAEs, grade >= 3, ongoing, deaths, first dose`, () => {
      const dm = recs(snap.domains.DM);
      const ae = recs(snap.domains.AE);
      const ds = recs(snap.domains.DS);
      expect(dm.map((d) => d.USUBJID)).toEqual(snap.truth.subjects.map((s) => s.usubjid));
      for (const t of snap.truth.subjects) {
        const d = dm.find((x) => x.USUBJID === t.usubjid)!;
        const a = ae.filter((x) => x.USUBJID === t.usubjid);
        expect(a.length).toBe(t.aeCount);
        expect(a.filter((x) => x.AESER === 'Y').length).toBe(t.saeCount);
        expect(a.some((x) => Number(x.AETOXGR) >= 3)).toBe(t.grade3plus);
        expect(d.RFSTDTC).toBe(t.firstDoseDate);
        expect(d.RFXENDTC === null).toBe(t.ongoing);
        expect(ds.some((x) => x.USUBJID === t.usubjid && x.DSSCAT === 'END OF TREATMENT')).toBe(!t.ongoing);
        expect(d.DTHDTC).toBe(t.deathDate);
        expect(d.DTHFL).toBe(t.death ? 'Y' : null);
        expect(d.ARMCD).toBe(t.armcd);
      }
    });

    it(`${name}: BOR recomputed by shared/recist.ts from the accepted RS records equals the truth (RECIST 1.1, confirmation 28 d, SD >= 42 d)`, () => {
      const rs = recs(snap.domains.RS).filter((r) => r.RSTESTCD === 'OVRLRESP' && (r.RSACPTFL === null || r.RSACPTFL === 'Y'));
      for (const t of snap.truth.subjects) {
        const mine = rs.filter((r) => r.USUBJID === t.usubjid).map((r) => ({ date: r.RSDTC as string, response: r.RSSTRESC as AssessmentResponse }));
        const got = bestOverallResponse(mine, { firstDoseDate: t.firstDoseDate, confirm: true, confirmationDays: 28, minSdDays: 42 });
        expect(got.response, t.usubjid).toBe(t.bor ?? 'MISSING');
      }
    });
  }

  it('responses by design: no response below 1 mg/kg, confirmed PRs at 1-3 mg/kg, one CR (full data)', () => {
    const bor = study.truth.subjects;
    expect(bor.filter((s) => s.level <= 4 && (s.bor === 'PR' || s.bor === 'CR'))).toEqual([]);
    expect(bor.filter((s) => s.bor === 'CR').map((s) => s.usubjid)).toEqual(['IBB0979-101-006']);
    expect(bor.filter((s) => s.bor === 'PR' && (s.level === 5 || s.level === 6)).length).toBeGreaterThanOrEqual(3);
    // 201-002: investigator PR at week 6 but the accepted independent read is SD (two evaluators)
    const rs = recs(study.domains.RS).filter((r) => r.USUBJID === 'IBB0979-201-002' && r.VISIT === 'WEEK 6');
    expect(rs.map((r) => [r.RSEVAL, r.RSSTRESC, r.RSACPTFL])).toEqual([['INVESTIGATOR', 'PR', 'N'], ['INDEPENDENT ASSESSOR', 'SD', 'Y']]);
  });

  it('SUMDIAM equals the sum of the target-lesion measurements of the same scan and evaluator', () => {
    const tr = recs(cut2.domains.TR);
    const key = (r: Rec) => `${r.USUBJID}|${r.TRDTC}|${r.TREVAL}`;
    const sums = new Map<string, number>();
    for (const r of tr) if (r.TRTESTCD === 'LDIAM' || r.TRTESTCD === 'SAXIS') sums.set(key(r), (sums.get(key(r)) ?? 0) + (r.TRSTRESN as number));
    const sd = tr.filter((r) => r.TRTESTCD === 'SUMDIAM');
    expect(sd.length).toBeGreaterThan(20);
    for (const r of sd) expect(r.TRSTRESN).toBe(sums.get(key(r)));
  });

  it('ADA: one treatment-boosted (>= 4-fold titre rise, study.json ada.boostFold), treatment-induced subjects, NAB for positives', () => {
    const is = recs(study.domains.IS);
    const titres = is.filter((r) => r.USUBJID === 'IBB0979-201-001' && r.ISTESTCD === 'ADATITER').map((r) => r.ISSTRESN as number);
    expect(Math.max(...titres) / titres[0]!).toBeGreaterThanOrEqual(4);
    const status = (u: string) => study.truth.subjects.find((s) => s.usubjid === u)!.adaStatus;
    expect(status('IBB0979-201-001')).toBe('treatment-boosted');
    expect(study.truth.subjects.filter((s) => s.adaStatus === 'treatment-induced').length).toBeGreaterThanOrEqual(2);
    const positives = is.filter((r) => r.ISTESTCD === 'ADA' && r.ISSTRESC === 'POSITIVE').length;
    expect(is.filter((r) => r.ISTESTCD === 'NAB').length).toBe(positives);
  });

  it('PC: BLQ results are text with an empty numeric; numbers are >= LLOQ; PCRFTDTC and PCELTM present', () => {
    const pc = recs(cut2.domains.PC);
    for (const r of pc) {
      if (typeof r.PCSTRESC === 'string' && r.PCSTRESC.startsWith('<')) expect(r.PCSTRESN).toBeNull();
      else expect(r.PCSTRESN as number).toBeGreaterThanOrEqual(r.PCLLOQ as number);
      expect(r.PCRFTDTC).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    }
    expect(new Set(pc.filter((r) => r.PCSTRESN === null).map((r) => r.PCSTRESC))).toEqual(new Set(['<BLQ', '<0.05']));
    const c1 = pc.filter((r) => r.USUBJID === 'IBB0979-101-006' && r.VISIT?.toString().startsWith('CYCLE 1 '));
    expect(c1.map((r) => r.PCTPTNUM)).toEqual([0, 1, 4, 24, 48, 72, 120, 168, 240, 312, 384, 480]);
    expect(c1.map((r) => r.PCELTM).slice(0, 3)).toEqual(['-PT15M', 'PT1H', 'PT4H']);
  });

  it('a few partial dates (month only) appear in AE', () => {
    const partial = recs(study.domains.AE).filter((a) => /^\d{4}-\d{2}$/.test(String(a.AESTDTC)) || /^\d{4}-\d{2}$/.test(String(a.AEENDTC)));
    expect(partial.length).toBeGreaterThanOrEqual(1);
    expect(partial.length).toBeLessThanOrEqual(3);
  });
});

describe('the data cut', () => {
  const DATE_VARS = /DTC$/;
  for (const [cutoff, snap] of [[CUT1, cut1], [CUT2, cut2]] as const) {
    it(`${cutoff}: no date after the cut in any domain; subjects dosed after it are absent`, () => {
      for (const d of Object.values(snap.domains)) {
        const idx = d.columns.flatMap((c, i) => (DATE_VARS.test(c.name) ? [i] : []));
        for (const r of d.rows)
          for (const i of idx) {
            const v = r[i];
            if (typeof v === 'string' && v !== '') expect(v.slice(0, 10) <= cutoff, `${d.name}.${d.columns[i]!.name}=${v}`).toBe(true);
          }
      }
      const inCut = new Set(snap.truth.subjects.map((s) => s.usubjid));
      for (const t of study.truth.subjects) expect(inCut.has(t.usubjid)).toBe(t.firstDoseDate <= cutoff);
    });

    it(`${cutoff}: AEs still ongoing at the cut have no end date; the outcome says not resolved`, () => {
      const full = new Map(recs(study.domains.AE).map((a) => [`${a.USUBJID}|${a.AESEQ}`, a]));
      let ongoing = 0;
      for (const a of recs(snap.domains.AE)) {
        const f = full.get(`${a.USUBJID}|${a.AESEQ}`)!;
        expect(a.AEDECOD).toBe(f.AEDECOD); // AESEQ is stable across cuts
        if (f.AEENDTC !== null && String(f.AEENDTC) > cutoff) {
          ongoing++;
          expect(a.AEENDTC).toBeNull();
          expect(a.AEOUT).toBe('NOT RECOVERED/NOT RESOLVED');
        }
      }
      expect(ongoing).toBeGreaterThan(0);
    });

    it(`${cutoff}: study.json parses with StudyDefinition and carries the cut-off`, async () => {
      const dir = join(tmp, `sj-${cutoff}`);
      await writeSnapshot(dir, snap);
      const def = StudyDefinition.parse(JSON.parse(readFileSync(join(dir, 'study.json'), 'utf8')));
      expect(def.dataCutoff).toBe(cutoff);
      expect(def.doseLevels.map((l) => l.dose)).toEqual([0.01, 0.03, 0.1, 0.3, 1, 3, 10]);
      expect([def.escalation.design, def.dltWindowDays, def.pk.infusionDurationH]).toEqual(['atd', 21, 1]);
    });
  }
});

describe('read-back of every written file with the snapshot readers', () => {
  it('mixed formats: columns, row counts and values as generated', async () => {
    const dir = join(tmp, 'readback');
    const files = await writeSnapshot(dir, cut2);
    for (const f of files) {
      if (f.format === 'study') continue;
      const fmt = detectFormat(f.file)!;
      expect(fmt).toBe(f.format);
      const { header, rows } = await readAll(createReader(fmt, f.file, fileSource(join(dir, f.file))));
      const d = cut2.domains[f.domain]!;
      expect(header.columns.map((c) => c.name.toUpperCase()), f.file).toEqual(d.columns.map((c) => c.name));
      expect(rows.length, f.file).toBe(d.rows.length);
      rows.forEach((r, i) =>
        r.forEach((v, j) => {
          const want = d.rows[i]![j] ?? null;
          const got = fmt === 'csv' && want !== null && typeof want === 'number' ? Number(v) : v === '' ? null : v;
          expect(got, `${f.file} row ${i + 1} ${d.columns[j]!.name}`).toEqual(want);
        }),
      );
    }
  });

  it('scaled study: ~20 AEs per subject, CSV for every domain', async () => {
    const big = generateStudy({ subjects: 400 });
    const random = big.truth.subjects.slice(25);
    const perSubject = random.reduce((a, s) => a + s.aeCount, 0) / random.length;
    expect(perSubject).toBeGreaterThan(15);
    expect(perSubject).toBeLessThan(25);
    const files = await writeSnapshot(join(tmp, 'big'), big, { format: 'csv' });
    expect(files.filter((f) => f.format === 'csv')).toHaveLength(17); // 17 domains, CM and EG included
    expect(big.truth.subjects.length).toBe(400);
  });
});

describe('progression by new lesion and by non-target lesion (RECIST 1.1 Table 1: any new lesion or unequivocal non-target progression = PD)', () => {
  it('102-003: NEW lesion in TU and TR, time point PD although the target sum is below +20% of nadir', () => {
    const tu = recs(study.domains.TU).filter((r) => r.USUBJID === 'IBB0979-102-003' && r.TUSTRESC === 'NEW');
    expect(tu).toHaveLength(1);
    const rs = recs(study.domains.RS).find((r) => r.USUBJID === 'IBB0979-102-003' && r.RSDTC === tu[0]!.TUDTC)!;
    expect(rs.RSSTRESC).toBe('PD');
    const tr = recs(study.domains.TR).filter((r) => r.USUBJID === 'IBB0979-102-003' && r.TRTESTCD === 'SUMDIAM').map((r) => r.TRSTRESN as number);
    expect(tr[tr.length - 1]!).toBeLessThan(1.2 * Math.min(...tr.slice(0, -1)));
  });

  it('101-010: a non-target lesion in UNEQUIVOCAL PROGRESSION gives PD (full data)', () => {
    const tr = recs(study.domains.TR).filter((r) => r.USUBJID === 'IBB0979-101-010' && r.TRSTRESC === 'UNEQUIVOCAL PROGRESSION');
    expect(tr.length).toBeGreaterThanOrEqual(1);
    const rs = recs(study.domains.RS).find((r) => r.USUBJID === 'IBB0979-101-010' && r.RSDTC === tr[0]!.TRDTC)!;
    expect(rs.RSSTRESC).toBe('PD');
  });
});
