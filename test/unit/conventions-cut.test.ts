import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';

// The shipped demo cut 2 and the same data cut in other sponsors' conventions
// (resources/demo/cut2-conventions, electron/core/demo/conventions.ts): plasma + urine PC, admiral
// ADA_BAB/ADA_NAB with log10 titres and "<1.40", LDIAM + LPERP for every lesion without SUMDIAM, AE
// without AETOXGR, DS whose EPOCH tells treatment from follow-up, LB split into LBCH/LBHE. Whatever
// the conventions, every number that does not depend on what the sponsor left out must be the same;
// what is left out (the CTCAE grade) is said, never counted as 0.

const DEMO = path.resolve(__dirname, '../../resources/demo');
let core: Core;
let dir: string;
let cut2: number;
let conv: number;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dosedesk-conv-'));
  core = createCore({ dbPath: path.join(dir, 'db.sqlite') });
  cut2 = (await core.call('snapshot.import', { path: path.join(DEMO, 'cut2') })).snapshotId!;
  const r = await core.call('snapshot.import', { path: path.join(DEMO, 'cut2-conventions') });
  expect(r.status).toBe('imported');
  conv = r.snapshotId!;
}, 120_000);
afterAll(() => {
  core?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the demo in other sponsors conventions gives the same answers', () => {
  it('LB split into LBCH and LBHE is one LB domain with the same rows', async () => {
    const a = await core.call('snapshot.get', { snapshotId: cut2 });
    const b = await core.call('snapshot.get', { snapshotId: conv });
    const rows = (s: typeof a, d: string) => s.domains.filter((x) => x.domain === d).reduce((n, x) => n + x.rows, 0);
    expect(rows(b, 'LB')).toBe(rows(a, 'LB'));
    expect(b.files.filter((f) => f.domain === 'LB').map((f) => f.fileName).sort()).toEqual(['lbch.csv', 'lbhe.csv']);
  });

  it('ADA status per subject: admiral codes and log10 titres (boost = +log10 4) as the linear original', async () => {
    const a = await core.call('safety.ada', { snapshotId: cut2 });
    const b = await core.call('safety.ada', { snapshotId: conv });
    expect(b.titreScale.scale).toBe('log10');
    expect(b.unrecognisedTestcds).toEqual([]);
    expect(b.subjects.map((s) => [s.usubjid, s.category])).toEqual(a.subjects.map((s) => [s.usubjid, s.category]));
    expect(b.subjects.some((s) => s.category === 'treatment-boosted')).toBe(true);
  });

  it('tumour sums derived from LDIAM (non-nodal) and LPERP (nodes by TULOC) equal the reported SUMDIAM', async () => {
    const a = await core.call('efficacy.tumourSeries', { snapshotId: cut2 });
    const b = await core.call('efficacy.tumourSeries', { snapshotId: conv });
    const pct = (s: typeof a) => s.subjects.map((x) => [x.usubjid, x.points.filter((p) => p.evaluator === 'INVESTIGATOR').map((p) => [p.dtc, p.sum, Math.round(p.pctFromBaseline! * 1000) / 1000])]);
    expect(b.subjects.every((x) => x.points.every((p) => p.sumSource !== 'SUMDIAM'))).toBe(true);
    expect(pct(b)).toEqual(pct(a));
  });

  it('plasma NCA equals the serum NCA of the original; urine is its own matrix, never pooled', async () => {
    const a = await core.call('pk.nca', { snapshotId: cut2 });
    const b = await core.call('pk.nca', { snapshotId: conv });
    expect(b.matrix).toBe('PLASMA');
    expect(b.available.map((x) => x.matrix).sort()).toEqual(['PLASMA', 'URINE']);
    const cmax = (n: typeof a) => n.rows.map((r) => [r.usubjid, r.parameters.find((p) => p.PPTESTCD === 'CMAX')?.value ?? null]);
    expect(cmax(a).filter(([, v]) => typeof v === 'number').length).toBeGreaterThan(10);
    expect(cmax(b)).toEqual(cmax(a));
  });

  it('end of treatment from DS records of the treatment epoch, as the DSSCAT-coded original', async () => {
    const a = await core.call('safety.dltTable', { snapshotId: cut2 });
    const b = await core.call('safety.dltTable', { snapshotId: conv });
    const eot = (t: typeof a) => t.levels.flatMap((l) => l.subjects.map((s) => [s.usubjid, s.endOfTreatment?.dtc ?? null, s.evaluable]));
    expect(eot(b)).toEqual(eot(a));
  });

  it('without AETOXGR every grade count says "grade not collected", never 0, and the fatal non-serious AE is a data query', async () => {
    const a = await core.call('cohorts.summary', { snapshotId: cut2 });
    const b = await core.call('cohorts.summary', { snapshotId: conv });
    expect(a.rows.some((r) => r.subjectsGrade3 > 0)).toBe(true);
    expect(b.rows.every((r) => r.subjectsGrade3 === 0)).toBe(true);
    expect(b.rows.reduce((n, r) => n + r.teaesWithoutGrade, 0)).toBeGreaterThan(0);
    expect(a.rows.reduce((n, r) => n + r.teaesWithoutGrade, 0)).toBe(0);
    const s = await core.call('snapshot.get', { snapshotId: conv });
    expect(s.issues.find((i) => i.code === 'fatal-not-serious')).toMatchObject({ file: 'ae.xpt', column: 'AESER', expected: expect.stringContaining('Y') });
  });

  it('the mapping report says what was not used and why (urine outside the NCA matrix, ungraded AEs)', async () => {
    const m = await core.call('snapshot.mapping', { snapshotId: conv });
    const pc = m.find((e) => e.domain === 'PC' && e.unused.some((u) => u.variable === 'PCSPEC'));
    expect(pc?.unused.find((u) => u.variable === 'PCSPEC')?.values).toEqual([{ value: 'URINE', count: 75 }]);
    const ae = m.find((e) => e.domain === 'AE' && e.unused.some((u) => u.mapTo === 'ae.gradeVariable'));
    expect(ae?.views).toContain('cohorts');
  });

  it('a mapping saved in the app applies to the stored snapshots at once (PK matrix, titre scale)', async () => {
    const [study] = await core.call('studies.list', {});
    const def = study!.definition;
    await core.call('study.saveDefinition', { studyId: study!.studyId, definition: { ...def, pk: { ...def.pk, matrix: 'URINE' }, ada: { ...def.ada, titreScale: 'linear' } } });
    expect((await core.call('pk.nca', { snapshotId: conv })).matrix).toBe('URINE');
    const ada = await core.call('safety.ada', { snapshotId: conv });
    expect(ada.titreScale.scale).toBe('linear');
    expect(ada.titreScale.source).toMatch(/study definition|ada\.titreScale/);
  });
});

