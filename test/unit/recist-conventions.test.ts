// RECIST 1.1 sums and the efficacy analysis sets on a hand-built TU/TR/RS snapshot in the convention
// seen on a pharmaverse-style export: TR records LDIAM and LPERP for EVERY target lesion, nodal lesions
// are those with TULOC "LYMPH NODE", two independent radiologists read one subject (TUEVALID /
// TREVALID, TRACPTFL). Written by hand in CSV, Dataset-JSON and XPT and imported through the real core.
// Every number worked by hand from RECIST 1.1 (Eisenhauer et al., Eur J Cancer 2009;45:228):
//   §3.1.1 / §4.2: non-nodal target lesions by their longest diameter, nodes by their short axis;
//   §4.3.1: PR = sum −30 % from baseline; PD = +20 % and +5 mm from the nadir;
//   §4.4 / ../shared/reference/recist/recist_rules.md §2: confirmation >= 28 days later.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { snapshotContext } from '../../electron/core/cohorts/app';
import { mappingContributors } from '../../electron/core/mapping/contributors';
import type { Cell } from '../../electron/core/readers/types';
import { FORMATS, table, writeFixture, type FixtureFormat } from '../helpers/conventions';
import { tmpDir } from '../helpers/snapshot';
import { plottedFields } from '../helpers/plotColumns';
import { decodeTumourColumns } from '../../shared/efficacy/columns';

const ROOT = path.resolve(__dirname, '../..');
let dir: string;
let core: Core;
beforeAll(() => {
  dir = tmpDir('dosedesk-recist-conv-');
  core = createCore({ dbPath: path.join(dir, 'db.sqlite') });
});
afterAll(() => {
  core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const ST = 'PHARMA01';
const FIRST = '2025-01-10';
const SUBJ = ['P-1001', 'P-1002', 'P-1003', 'P-1004', 'P-1005'];
// P-1003 died on 2025-02-15 without any tumour assessment.
const dm = table(
  'DM',
  ['STUDYID', 'DOMAIN', 'USUBJID', 'SUBJID', 'RFSTDTC', 'RFXSTDTC', 'ARMCD', 'ARM', 'DTHDTC', 'DTHFL'],
  SUBJ.map((u) => [ST, 'DM', u, u.slice(-4), FIRST, FIRST, 'L1', 'Drug 1 mg/kg', u === 'P-1003' ? '2025-02-15' : null, u === 'P-1003' ? 'Y' : null]),
);
const ex = table(
  'EX',
  ['STUDYID', 'DOMAIN', 'USUBJID', 'EXSEQ', 'EXTRT', 'EXDOSE', 'EXDOSU', 'EXSTDTC'],
  SUBJ.map((u) => [ST, 'EX', u, 1, 'DRUG', 1, 'mg/kg', `${FIRST}T09:00`]),
);

const R1 = ['INDEPENDENT ASSESSOR', 'RADIOLOGIST 1'] as const;
const R2 = ['INDEPENDENT ASSESSOR', 'RADIOLOGIST 2'] as const;
const INV = [null, null] as const;
type Reader = readonly [string | null, string | null];

function domains(): ReturnType<typeof table>[] {
  const tu: Cell[][] = [];
  const tr: Cell[][] = [];
  let tuSeq = 0;
  let trSeq = 0;
  const lesion = (u: string, id: string, role: string, loc: string, dtc: string, [ev, evid]: Reader) =>
    tu.push([ST, 'TU', u, ++tuSeq, id, 'TUMIDENT', 'Tumor Identification', role, role, loc, ev, evid, dtc]);
  /** LDIAM and LPERP for one lesion, as the export records them for every target lesion. */
  const measure = (u: string, id: string, dtc: string, ld: number, lp: number, [ev, evid]: Reader, acpt: string | null = null) => {
    tr.push([ST, 'TR', u, ++trSeq, id, 'LDIAM', 'Longest Diameter', String(ld), ld, 'mm', ev, evid, acpt, dtc]);
    tr.push([ST, 'TR', u, ++trSeq, id, 'LPERP', 'Longest Perpendicular', String(lp), lp, 'mm', ev, evid, acpt, dtc]);
  };
  const state = (u: string, id: string, dtc: string, s: string) => tr.push([ST, 'TR', u, ++trSeq, id, 'TUMSTATE', 'Tumor State', s, null, null, null, null, null, dtc]);

  // P-1001, investigator, no RS (responses computed from TR). T03 is a node (TULOC LYMPH NODE).
  for (const [id, role, loc] of [['T01', 'TARGET', 'LIVER'], ['T02', 'TARGET', 'LUNG'], ['T03', 'TARGET', 'LYMPH NODE'], ['NT01', 'NON-TARGET', 'BONE']] as const)
    lesion('P-1001', id, role, loc, '2025-01-03', INV);
  const v1001: [string, [number, number], [number, number], [number, number]][] = [
    ['2025-01-03', [40, 25], [22, 15], [30, 18]], // 40 + 22 + 18 (node: short axis) = 80  (all-LPERP would give 58)
    ['2025-02-21', [30, 20], [18, 12], [24, 12]], // 30 + 18 + 12 = 60: −25 %          → SD (day 43 >= 42)
    ['2025-04-04', [26, 16], [14, 10], [16, 9]], //  26 + 14 + 9 = 49: −38.75 %        → PR
    ['2025-05-16', [25, 15], [14, 10], [15, 9]], //  25 + 14 + 9 = 48: −40 %, −2.04 % from the nadir 49 → PR, confirms day 85
  ];
  for (const [dtc, a, b, c] of v1001) {
    measure('P-1001', 'T01', dtc, ...a, INV);
    measure('P-1001', 'T02', dtc, ...b, INV);
    measure('P-1001', 'T03', dtc, ...c, INV);
    state('P-1001', 'NT01', dtc, 'PRESENT');
  }
  // P-1002, read by two radiologists; radiologist 1's records accepted (TRACPTFL Y). T01 axillary node.
  for (const r of [R1, R2]) {
    lesion('P-1002', 'T01', 'TARGET', 'LYMPH NODE', '2025-01-06', r);
    lesion('P-1002', 'T02', 'TARGET', 'LIVER', '2025-01-06', r);
  }
  measure('P-1002', 'T01', '2025-01-06', 35, 20, R1, 'Y'); // 20 (node) + 50 = 70
  measure('P-1002', 'T02', '2025-01-06', 50, 30, R1, 'Y');
  measure('P-1002', 'T01', '2025-02-21', 38, 26, R1, 'Y'); // 26 + 58 = 84: +20 % and +14 mm from 70 → PD
  measure('P-1002', 'T02', '2025-02-21', 58, 35, R1, 'Y');
  measure('P-1002', 'T01', '2025-01-06', 36, 21, R2, 'N'); // radiologist 2: 21 + 52 = 73, then 20 + 50 = 70
  measure('P-1002', 'T02', '2025-01-06', 52, 31, R2, 'N');
  measure('P-1002', 'T01', '2025-02-21', 36, 20, R2, 'N');
  measure('P-1002', 'T02', '2025-02-21', 50, 30, R2, 'N');
  // P-1004: first scan after the first dose (no baseline), with an RS response of SD.
  lesion('P-1004', 'T01', 'TARGET', 'LUNG', '2025-02-21', INV);
  measure('P-1004', 'T01', '2025-02-21', 30, 20, INV);
  // P-1005: baseline only (the first post-baseline scan is still to come).
  lesion('P-1005', 'T01', 'TARGET', 'LIVER', '2025-01-08', INV);
  measure('P-1005', 'T01', '2025-01-08', 45, 30, INV);

  return [
    dm,
    ex,
    table('TU', ['STUDYID', 'DOMAIN', 'USUBJID', 'TUSEQ', 'TULNKID', 'TUTESTCD', 'TUTEST', 'TUORRES', 'TUSTRESC', 'TULOC', 'TUEVAL', 'TUEVALID', 'TUDTC'], tu),
    table('TR', ['STUDYID', 'DOMAIN', 'USUBJID', 'TRSEQ', 'TRLNKID', 'TRTESTCD', 'TRTEST', 'TRSTRESC', 'TRSTRESN', 'TRSTRESU', 'TREVAL', 'TREVALID', 'TRACPTFL', 'TRDTC'], tr),
    table('RS', ['STUDYID', 'DOMAIN', 'USUBJID', 'RSSEQ', 'RSTESTCD', 'RSTEST', 'RSCAT', 'RSORRES', 'RSSTRESC', 'RSDTC'], [
      [ST, 'RS', 'P-1004', 1, 'OVRLRESP', 'Overall Response', 'RECIST 1.1', 'SD', 'SD', '2025-02-21'],
    ]),
  ];
}

const study = { studyId: ST, dataCutoff: '2025-06-30', doseUnit: 'mg/kg', doseLevels: [{ level: 1, dose: 1 }] };

let n = 0;
async function importFixture(format: FixtureFormat) {
  const folder = writeFixture(path.join(dir, `snap${++n}`), domains(), format, { study });
  const r = await core.call('snapshot.import', { path: folder });
  expect(r.errors).toEqual([]);
  return r;
}

for (const format of FORMATS) {
  describe(`LDIAM + LPERP for every lesion, nodes by TULOC, two radiologists (${format})`, () => {
    let id: number;
    let warnings: { code: string; file: string }[];
    beforeAll(async () => {
      const r = await importFixture(format);
      id = r.snapshotId!;
      warnings = r.warnings as never;
    });

    it('the spider and waterfall columns (efficacy.plotColumns) carry these derived sums and the accepted reader\'s points', async () => {
      const s = await core.call('efficacy.tumourSeries', { snapshotId: id });
      const c = await core.call('efficacy.plotColumns', { snapshotId: id });
      expect(decodeTumourColumns(c)).toEqual(s.subjects.map((x) => plottedFields(x)));
      expect(c.points.derived.length).toBeGreaterThan(0);
    });

    it('TU key includes TUEVALID: two radiologists\' records of the same lesion are not duplicates', () => {
      expect(warnings.filter((w) => w.code === 'duplicate-key')).toEqual([]);
    });

    it('sums: longest diameter for non-nodal lesions, short axis (LPERP) only for TULOC lymph nodes', async () => {
      const s = await core.call('efficacy.tumourSeries', { snapshotId: id });
      const by = new Map(s.subjects.map((x) => [x.usubjid, x]));
      const p1 = by.get('P-1001')!;
      expect(p1.points.map((p) => p.sum)).toEqual([80, 60, 49, 48]);
      expect(p1.points.every((p) => p.sumSource === 'derived')).toBe(true);
      const pct = p1.points.map((p) => p.pctFromBaseline!);
      [0, -25, -38.75, -40].forEach((v, i) => expect(pct[i]).toBeCloseTo(v, 10));
      expect(p1.points[3]!.pctFromNadir).toBeCloseTo((100 * (48 - 49)) / 49, 10); // −2.04 %
      expect(p1.bestPctChange).toBeCloseTo(-40, 10);
      // Responses computed from TR (no RS) with the same sums: SD, PR, PR; PR confirmed 42 days later.
      expect(p1.points.slice(1).map((p) => [p.response, p.responseSource])).toEqual([['SD', 'computed'], ['PR', 'computed'], ['PR', 'computed']]);
      expect([p1.bor.confirmed.response, p1.bor.confirmed.firstResponseDtc]).toEqual(['PR', '2025-04-04']);
      // P-1002: the accepted radiologist's reading, node by short axis: 70 → 84 (+20 %, +14 mm) = PD.
      const p2 = by.get('P-1002')!;
      expect(p2.points.map((p) => [p.evaluator, p.sum])).toEqual([['INDEPENDENT ASSESSOR RADIOLOGIST 1', 70], ['INDEPENDENT ASSESSOR RADIOLOGIST 1', 84]]);
      expect(p2.points[1]!.pctFromBaseline).toBeCloseTo(20, 10);
      expect(p2.points[1]!.response).toBe('PD');
      expect(p2.bestPctChange).toBeCloseTo(20, 10);
      expect([by.get('P-1004')!.hasBaselineAssessment, by.get('P-1005')!.hasBaselineAssessment, by.get('P-1003')!.hasBaselineAssessment]).toEqual([false, true, false]);
    });

    it('ORR/DCR: subjects with a baseline tumour assessment, over those with a post-baseline assessment', async () => {
      const r = await core.call('efficacy.responseSummary', { snapshotId: id, confirm: true });
      // P-1003 (never assessed) and P-1004 (no baseline; RS SD) are outside the set; P-1005 not yet assessed.
      expect(r.analysisSet).toMatchObject({ name: 'ORR/DCR', nTreated: 5, nIncluded: 3, nExcluded: 2 });
      expect(r.analysisSet.excluded.map((e) => e.usubjid)).toEqual(['P-1003', 'P-1004']);
      expect(r.overall).toMatchObject({ nTreated: 5, nEvaluable: 2, nNoBaseline: 2, nNoPostBaseline: 1 });
      expect(r.overall.counts).toEqual({ CR: 0, PR: 1, SD: 0, 'NON-CR/NON-PD': 0, PD: 1, NE: 0 });
      expect([r.overall.orr.count, r.overall.orr.estimate, r.overall.dcr.count]).toEqual([1, 0.5, 1]);
    });

    it('PFS over the same set (never-assessed deaths are not progression events); OS over all treated', async () => {
      const pfs = await core.call('efficacy.km', { snapshotId: id, endpoint: 'PFS', unit: 'days' });
      expect(pfs.analysisSet).toMatchObject({ name: 'PFS', nTreated: 5, nIncluded: 3, nExcluded: 2 });
      expect(pfs.subjects.map((s) => [s.usubjid, s.event, s.days, s.reason])).toEqual([
        ['P-1001', false, 127, 'last adequate assessment'], // 2025-05-16 − 2025-01-10 = 126 days, + 1
        ['P-1002', true, 43, 'progression'], // 2025-02-21: 42 days, + 1
        ['P-1005', false, 1, 'no adequate assessment'],
      ]);
      expect(pfs.groups[0]).toMatchObject({ n: 3, events: 1 });
      const os = await core.call('efficacy.km', { snapshotId: id, endpoint: 'OS', unit: 'days' });
      expect(os.analysisSet).toMatchObject({ name: 'OS', nTreated: 5, nIncluded: 5, nExcluded: 0 });
      expect(os.subjects.find((s) => s.usubjid === 'P-1003')).toMatchObject({ event: true, days: 37 }); // Feb 15: 36 days, + 1
    });

    it('mapping report: TR rows used and not used, by reason (LPERP of non-nodal lesions, LDIAM of nodes, radiologist 2)', () => {
      const entries = mappingContributors.flatMap((c) => c(core.ctx.db, id, snapshotContext(core.ctx, id).definition));
      const tr = entries.find((e) => e.domain === 'TR' && e.analysis !== 'Import')!;
      // 48 TR rows: P-1001 4 visits × 7, P-1002 2 readers × 2 visits × 4, P-1004 2, P-1005 2.
      // Not used: LPERP of non-nodal lesions 8 (P-1001 T01, T02) + 2 (P-1002 T02) + 1 + 1 = 12;
      // LDIAM of nodes 4 (P-1001 T03) + 2 (P-1002 T01) = 6; radiologist 2 (TRACPTFL N) 8.
      expect([tr.analysis, tr.views, tr.rowsRead, tr.rowsUsed]).toEqual(['Tumour response', ['spider', 'waterfall', 'efficacy'], 48, 22]);
      expect(tr.unused.map((u) => [u.variable, u.rows, u.values])).toEqual([
        ['TRTESTCD', 12, [{ value: 'LPERP', count: 12 }]],
        ['TREVAL', 8, [{ value: 'INDEPENDENT ASSESSOR RADIOLOGIST 2', count: 8 }]],
        ['TRTESTCD', 6, [{ value: 'LDIAM', count: 6 }]],
      ]);
      expect(tr.unused[0]!.reason).toMatch(/non-nodal lesion/);
      expect(entries.find((e) => e.domain === 'TU' && e.analysis !== 'Import')).toMatchObject({ rowsRead: 10, rowsUsed: 10, unused: [] });
      expect(entries.find((e) => e.domain === 'RS' && e.analysis !== 'Import')).toMatchObject({ rowsRead: 1, rowsUsed: 1, unused: [] });
    });
  });
}

describe('dosedesk bor and summary state the analysis set', () => {
  it('bor: inAnalysisSet per subject, excluded subjects with why; summary: ORR/DCR, PFS and OS sets', async () => {
    const db = path.join(dir, 'cli.sqlite');
    const folder = writeFixture(path.join(dir, 'cli-snap'), domains(), 'csv', { study });
    const run = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin/dosedesk.mjs'), ...args, '--db', db], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    const imp = run('import', folder);
    expect(imp.status).toBe(0);
    const id = String(JSON.parse(imp.stdout).snapshotId);
    const bor = JSON.parse(run('bor', '--snapshot', id, '--confirm').stdout);
    expect(bor.analysisSet).toMatchObject({ nTreated: 5, nIncluded: 3, nExcluded: 2, notYetAssessed: 1, denominator: 2 });
    expect(bor.analysisSet.excluded[0].reason).toMatch(/no baseline tumour assessment/);
    expect(bor.subjects.map((s: { usubjid: string; inAnalysisSet: boolean }) => [s.usubjid, s.inAnalysisSet])).toEqual([
      ['P-1001', true], ['P-1002', true], ['P-1003', false], ['P-1004', false], ['P-1005', true],
    ]);
    const summary = JSON.parse(run('summary', id).stdout);
    expect(summary.efficacyAnalysisSets.map((s: { name: string; nIncluded: number; nExcluded: number }) => [s.name, s.nIncluded, s.nExcluded])).toEqual([
      ['ORR/DCR', 3, 2], ['PFS', 3, 2], ['OS', 5, 0],
    ]);
  });
});
