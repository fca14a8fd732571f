import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { kmBench } from '../../electron/core/efficacy/bench';
import { clopperPearson } from '../../shared/binomial';
import { csv, miniSnapshot, tmpDir } from '../helpers/snapshot';

// Contract round trips on real files imported into a real SQLite file: a hand-made snapshot with
// TU/TR/RS/DS (derived sums, two evaluators with accepted flags, partial dates, a DS death), worked
// by hand from RECIST 1.1 (../shared/reference/recist/recist_rules.md) and CENSORING_RULES
// (shared/efficacy/endpoints.ts); and the shipped demo study against its generator's truth
// (resources/demo/cut2.truth.json: confirmed BOR per subject, deaths).

const ROOT = path.resolve(__dirname, '../..');
const DEMO = path.join(ROOT, 'resources/demo/cut2');
const TRUTH = path.join(ROOT, 'resources/demo/cut2.truth.json');

let dir: string;
let core: Core;
beforeAll(() => {
  dir = tmpDir('dosedesk-eff-');
  core = createCore({ dbPath: path.join(dir, 'db.sqlite'), user: 'tester' });
});
afterAll(() => {
  core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const TR_HEAD = ['STUDYID', 'DOMAIN', 'USUBJID', 'TRSEQ', 'TRLNKID', 'TRTESTCD', 'TRSTRESC', 'TRSTRESN', 'TRSTRESU', 'TREVAL', 'TRACPTFL', 'TRDTC'];
let seq = 0;
const trRow = (u: string, link: string | null, test: string, v: number | string | null, dtc: string, ev = 'INVESTIGATOR', acpt: string | null = null) =>
  ['S1', 'TR', u, ++seq, link, test, v === null ? null : String(v), typeof v === 'number' ? v : null, typeof v === 'number' ? 'mm' : null, ev, acpt, dtc];

function handMade(): string {
  return miniSnapshot(path.join(dir, 'hand'), {
    'study.json': JSON.stringify({ studyId: 'S1', dataCutoff: '2025-06-30', doseUnit: 'mg/kg', doseLevels: [{ level: 1, dose: 0.01 }, { level: 2, dose: 0.03 }] }),
    'tu.csv': csv([
      ['STUDYID', 'DOMAIN', 'USUBJID', 'TUSEQ', 'TULNKID', 'TUTESTCD', 'TUORRES', 'TUSTRESC', 'TULOC', 'TUEVAL', 'TUDTC'],
      ['S1', 'TU', 'S1-001', 1, 'T01', 'TUMIDENT', 'TARGET', 'TARGET', 'LIVER', 'INVESTIGATOR', '2025-01-02'],
      ['S1', 'TU', 'S1-001', 2, 'T02', 'TUMIDENT', 'TARGET', 'TARGET', 'LYMPH NODE', 'INVESTIGATOR', '2025-01-02'],
      ['S1', 'TU', 'S1-001', 3, 'NT01', 'TUMIDENT', 'NON-TARGET', 'NON-TARGET', 'BONE', 'INVESTIGATOR', '2025-01-02'],
      ['S1', 'TU', 'S1-002', 1, 'T01', 'TUMIDENT', 'TARGET', 'TARGET', 'LUNG', 'INVESTIGATOR', '2025-01-30'],
    ]),
    'tr.csv': csv([
      TR_HEAD,
      // S1-001: no SUMDIAM. Baseline 50 + 20 (node: short axis, not its 30 mm long axis) = 70.
      trRow('S1-001', 'T01', 'LDIAM', 50, '2025-01-02'), trRow('S1-001', 'T02', 'LDIAM', 30, '2025-01-02'),
      trRow('S1-001', 'T02', 'SAXIS', 20, '2025-01-02'), trRow('S1-001', 'NT01', 'TUMSTATE', 'PRESENT', '2025-01-02'),
      // Day 43: 30 + 12 = 42, −40 % → PR; day 85: 28 + 11 = 39 → PR (confirms, 42 days later).
      trRow('S1-001', 'T01', 'LDIAM', 30, '2025-02-17'), trRow('S1-001', 'T02', 'SAXIS', 12, '2025-02-17'), trRow('S1-001', 'NT01', 'TUMSTATE', 'PRESENT', '2025-02-17'),
      trRow('S1-001', 'T01', 'LDIAM', 28, '2025-03-31'), trRow('S1-001', 'T02', 'SAXIS', 11, '2025-03-31'), trRow('S1-001', 'NT01', 'TUMSTATE', 'PRESENT', '2025-03-31'),
      // S1-002: SUMDIAM; two readers on day 43, the independent one accepted (50: +25 %, +10 mm → PD).
      trRow('S1-002', null, 'SUMDIAM', 40, '2025-01-30'),
      trRow('S1-002', null, 'SUMDIAM', 26, '2025-03-17', 'INVESTIGATOR', 'N'),
      trRow('S1-002', null, 'SUMDIAM', 50, '2025-03-17', 'INDEPENDENT ASSESSOR', 'Y'),
      trRow('S1-002', null, 'SUMDIAM', 48, '2025-04'), // partial date: not used for the series
    ]),
    'rs.csv': csv([
      ['STUDYID', 'DOMAIN', 'USUBJID', 'RSSEQ', 'RSTESTCD', 'RSORRES', 'RSSTRESC', 'RSEVAL', 'RSACPTFL', 'RSDTC'],
      ['S1', 'RS', 'S1-002', 1, 'OVRLRESP', 'PR', 'PR', 'INVESTIGATOR', 'N', '2025-03-17'],
      ['S1', 'RS', 'S1-002', 2, 'OVRLRESP', 'PD', 'PD', 'INDEPENDENT ASSESSOR', 'Y', '2025-03-17'],
    ]),
    'ds.csv': csv([
      ['STUDYID', 'DOMAIN', 'USUBJID', 'DSSEQ', 'DSTERM', 'DSDECOD', 'DSCAT', 'DSSTDTC'],
      ['S1', 'DS', 'S1-002', 1, 'Death', 'DEATH', 'DISPOSITION EVENT', '2025-05'],
    ]),
  });
}

describe('hand-made TU/TR/RS/DS snapshot', () => {
  let id: number;
  beforeAll(async () => {
    const r = await core.call('snapshot.import', { path: handMade() });
    expect(r.errors).toEqual([]);
    id = r.snapshotId!;
  });

  it('tumourSeries: derived sums (nodes by short axis), the accepted reader, notes for partial dates', async () => {
    const s = await core.call('efficacy.tumourSeries', { snapshotId: id });
    expect(s.subjects.map((x) => x.usubjid)).toEqual(['S1-001', 'S1-002', 'S1-003']);
    const [a, b, c] = s.subjects;
    expect(a!.points.map((p) => [p.studyDay, p.sum, p.sumSource, p.response, p.responseSource])).toEqual([
      [-4, 70, 'derived', null, null],
      [43, 42, 'derived', 'PR', 'computed'],
      [85, 39, 'derived', 'PR', 'computed'],
    ]);
    expect(a!.level).toBe(1);
    expect(a!.bestPctChange).toBeCloseTo((100 * (39 - 70)) / 70, 12);
    expect(a!.bor.confirmed).toEqual({ response: 'PR', dtc: '2025-02-17', firstResponseDtc: '2025-02-17', dor: { days: 43, event: false, endDtc: '2025-03-31' } });
    expect(b!.points.map((p) => [p.evaluator, p.sum, p.response, p.responseSource])).toEqual([
      ['INVESTIGATOR', 40, null, null],
      ['INDEPENDENT ASSESSOR', 50, 'PD', 'RS'],
    ]);
    expect(b!.bor.unconfirmed.response).toBe('PD');
    expect(b!.notes.join(' ')).toMatch(/1 TR record/);
    expect(c!.points).toEqual([]);
    expect(c!.bor.confirmed.response).toBe('MISSING');
  });

  it('responses: one marker per time point, with its source and reader', async () => {
    const r = await core.call('efficacy.responses', { snapshotId: id });
    expect(r.subjects.map((s) => s.responses.map((x) => `${x.studyDay}:${x.response}:${x.source}:${x.evaluator}`))).toEqual([
      ['43:PR:computed:INVESTIGATOR', '85:PR:computed:INVESTIGATOR'],
      ['43:PD:RS:INDEPENDENT ASSESSOR'],
      [],
    ]);
  });

  it('responseSummary: evaluable subjects only in the denominator, exact CIs', async () => {
    const r = await core.call('efficacy.responseSummary', { snapshotId: id });
    expect(r.groups.map((g) => [g.key, g.nTreated, g.nEvaluable, g.orr.count, g.dcr.count])).toEqual([
      ['L1', 1, 1, 1, 1],
      ['L2', 2, 1, 0, 0],
    ]);
    expect(r.overall.counts).toEqual({ CR: 0, PR: 1, SD: 0, 'NON-CR/NON-PD': 0, PD: 1, NE: 0 });
    const cp = clopperPearson(1, 2);
    expect(r.overall.orr).toEqual({ count: 1, estimate: 0.5, lower: cp.lower, upper: cp.upper });
  });

  it('km: PFS and OS events and censoring per the written rules', async () => {
    const pfs = await core.call('efficacy.km', { snapshotId: id, endpoint: 'PFS', unit: 'days' });
    expect(pfs.subjects.map((s) => [s.usubjid, s.event, s.dtc, s.days, s.reason])).toEqual([
      ['S1-001', false, '2025-03-31', 85, 'last adequate assessment'], // Jan 6 → Mar 31 = 84 days, + 1
      ['S1-002', true, '2025-03-17', 43, 'progression'], // the accepted reader's PD
      // S1-003 has no tumour assessment at all: outside the PFS analysis set (issue 10; it used to be
      // censored at day 1, and a death of such a subject counted as a progression event).
    ]);
    expect(pfs.analysisSet).toMatchObject({ name: 'PFS', nTreated: 3, nIncluded: 2, nExcluded: 1 });
    expect(pfs.analysisSet.excluded).toEqual([{ usubjid: 'S1-003', reason: expect.stringMatching(/^no baseline tumour assessment/) }]);
    const os = await core.call('efficacy.km', { snapshotId: id, endpoint: 'OS', unit: 'days', by: 'level', at: [0, 30, 60] });
    expect(os.subjects.map((s) => [s.usubjid, s.event, s.dtc, s.days, s.reason])).toEqual([
      ['S1-001', false, '2025-03-31', 85, 'last known alive'], // latest record: TR 2025-03-31
      // DS death "2025-05" → 2025-05-01 (after the last known alive, TR "2025-04" → 2025-04-01).
      ['S1-002', true, '2025-05-01', 88, 'death'],
      ['S1-003', false, '2025-03-03', 1, 'last known alive'],
    ]);
    expect(os.subjects[1]!.imputed).toMatch(/partial death date/);
    // subjects: false (the view): the same curves, without the per-subject times.
    const curvesOnly = await core.call('efficacy.km', { snapshotId: id, endpoint: 'OS', unit: 'days', by: 'level', at: [0, 30, 60], subjects: false });
    expect(curvesOnly).toEqual({ ...os, subjects: [] });
    expect(os.groups.map((g) => [g.label, g.n, g.events])).toEqual([['Level 1 (0.01 mg/kg)', 1, 0], ['Level 2 (0.03 mg/kg)', 2, 1]]);
    // Level 2: at risk 2 at day 0, then S1-003 censored at day 1 → 1 at risk at day 30.
    expect(os.groups[1]!.at.map((a) => a.nRisk)).toEqual([2, 1, 1]);
    // The level-1 subject left the risk set (day 85) before the only death (day 88): level 1 expects
    // no event, so the log-rank has df = 0 (survdiff: groups with expected > 0, minus one).
    expect(os.logRank!.groups.map((g) => g.expected)).toEqual([0, 1]);
    expect(os.logRank!.df).toBe(0);
    expect(os.censoringRules).toMatch(/last known alive/);
  });
});

describe.runIf(fs.existsSync(DEMO) && fs.existsSync(TRUTH))('demo study (cut 2) against the generator truth', () => {
  const truth = JSON.parse(fs.existsSync(TRUTH) ? fs.readFileSync(TRUTH, 'utf8') : '{"subjects":[]}') as {
    cutoff: string;
    subjects: Array<{ usubjid: string; level: number; part: string; bor: string | null; death: boolean; deathDate: string | null }>;
  };
  let id: number;
  beforeAll(async () => {
    const r = await core.call('snapshot.import', { path: DEMO });
    expect(r.errors).toEqual([]);
    id = r.snapshotId!;
  });

  it('confirmed BOR per subject equals the truth (RS with RSACPTFL)', async () => {
    const s = await core.call('efficacy.tumourSeries', { snapshotId: id });
    const got = Object.fromEntries(s.subjects.map((x) => [x.usubjid, x.bor.confirmed.response]));
    const want = Object.fromEntries(truth.subjects.map((t) => [t.usubjid, t.bor ?? 'MISSING']));
    expect(got).toEqual(want);
    for (const x of s.subjects) {
      const t = truth.subjects.find((u) => u.usubjid === x.usubjid)!;
      expect([x.level, x.part]).toEqual([t.level, t.part.toLowerCase()]);
    }
  });

  it('without RS the BORs computed from TU/TR by RECIST 1.1 still equal the truth', async () => {
    const copy = path.join(dir, 'demo-no-rs');
    fs.cpSync(DEMO, copy, { recursive: true });
    fs.rmSync(path.join(copy, 'rs.csv'));
    const r = await core.call('snapshot.import', { path: copy });
    expect(r.errors).toEqual([]);
    const s = await core.call('efficacy.tumourSeries', { snapshotId: r.snapshotId! });
    expect(s.subjects.every((x) => x.points.every((p) => p.responseSource !== 'RS'))).toBe(true);
    expect(Object.fromEntries(s.subjects.map((x) => [x.usubjid, x.bor.confirmed.response]))).toEqual(
      Object.fromEntries(truth.subjects.map((t) => [t.usubjid, t.bor ?? 'MISSING'])),
    );
  });

  it('response summary counts equal the truth BOR counts', async () => {
    const r = await core.call('efficacy.responseSummary', { snapshotId: id, by: 'part' });
    const count = (b: string) => truth.subjects.filter((t) => t.bor === b).length;
    expect(r.overall.nTreated).toBe(truth.subjects.length);
    expect(r.overall.nEvaluable).toBe(truth.subjects.filter((t) => t.bor !== null).length);
    expect([r.overall.counts.CR, r.overall.counts.PR, r.overall.counts.SD, r.overall.counts.PD, r.overall.counts.NE]).toEqual(['CR', 'PR', 'SD', 'PD', 'NE'].map(count));
    const orr = clopperPearson(count('CR') + count('PR'), r.overall.nEvaluable);
    expect([r.overall.orr.lower, r.overall.orr.upper]).toEqual([orr.lower, orr.upper]);
    expect(r.groups.map((g) => g.key)).toEqual(['escalation', 'expansion']);
  });

  it('OS events are the truth deaths, with their dates', async () => {
    const os = await core.call('efficacy.km', { snapshotId: id, endpoint: 'OS', by: 'level' });
    const deaths = truth.subjects.filter((t) => t.death);
    expect(os.subjects.filter((s) => s.event).map((s) => [s.usubjid, s.dtc]).sort()).toEqual(deaths.map((t) => [t.usubjid, t.deathDate]).sort());
    expect(os.groups.reduce((a, g) => a + g.n, 0)).toBe(truth.subjects.length);
    expect(os.logRank).not.toBeNull();
    const pfs = await core.call('efficacy.km', { snapshotId: id, endpoint: 'PFS' });
    // Every truth PD is a PFS event (progression or an earlier death).
    for (const t of truth.subjects.filter((u) => u.bor === 'PD')) expect(pfs.subjects.find((s) => s.usubjid === t.usubjid)!.event).toBe(true);
  });
});

describe('bench hook', () => {
  it('times KM + median on synthetic subjects', () => {
    const ms = kmBench(2_000);
    expect(ms).toBeGreaterThan(0);
    expect(Number.isFinite(ms)).toBe(true);
  });
});
