// ADA on a pharmaverse/admiral-convention IS domain (pharmaversesdtm `is_ada`: ISTESTCD ADA_BAB =
// binding antidrug antibody, ADA_NAB = neutralising; results NEGATIVE / POSITIVE, numeric titres on a
// log10 scale with ISSTRESU "log10 titer", and "<1.40" = positive below the minimum reportable titre),
// written by hand in CSV, Dataset-JSON and XPT and imported through the real core. Every status worked
// by hand from Shankar et al. 2014 (AAPS J 16:658, "Terminology"): treatment-boosted = a post-baseline
// titre >= 4-fold the baseline titre, i.e. on the log10 scale t − b >= log10(4) = 0.60206.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { snapshotContext } from '../../electron/core/cohorts/app';
import { mappingContributors } from '../../electron/core/mapping/contributors';
import { dm, ex, isDomain, study } from '../helpers/adaAdmiral';
import { FORMATS, writeFixture, type FixtureFormat } from '../helpers/conventions';
import type { Domain } from '../../electron/core/demo/table';
import { tmpDir } from '../helpers/snapshot';
import { expectColumnsEqualRows } from '../helpers/columns';

const ROOT = path.resolve(__dirname, '../..');
let dir: string;
let core: Core;
beforeAll(() => {
  dir = tmpDir('dosedesk-ada-conv-');
  core = createCore({ dbPath: path.join(dir, 'db.sqlite') });
});
afterAll(() => {
  core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

let n = 0;
async function importFixture(format: FixtureFormat, opts: { units: boolean; binding?: string; ada?: Record<string, unknown> }): Promise<number> {
  // Each fixture is a study of its own: a study's data mapping applies to all its snapshots.
  const studyId = `ADACONV${++n}`;
  const own = (d: Domain): Domain => ({ ...d, rows: d.rows.map((r) => r.map((v, i) => (d.columns[i]!.name === 'STUDYID' ? studyId : v))) });
  const folder = writeFixture(path.join(dir, `snap${n}`), [dm, ex, isDomain(opts)].map(own), format, { study: { ...study(opts.ada), studyId } });
  const r = await core.call('snapshot.import', { path: folder });
  expect(r.errors).toEqual([]);
  return r.snapshotId!;
}

const statusRow = (s: { usubjid: string; category: string; persistence: string | null; nabPositive: boolean | null }) => [s.usubjid.slice(-4), s.category, s.persistence, s.nabPositive];

for (const format of FORMATS) {
  describe(`admiral-style IS (ADA_BAB / ADA_NAB, log10 titres, "<1.40") in ${format}`, () => {
    it('log10 scale from ISSTRESU; boosted = +log10(4); "<x" positive below the reportable titre', async () => {
      const id = await importFixture(format, { units: true });
      const r = await core.call('safety.ada', { snapshotId: id });
      expect(r.present).toBe(true);
      expect(r.titreScale).toEqual({ scale: 'log10', source: 'unit "log10 titer"' });
      // What the Immunogenicity view asks for (positive subjects' samples, as columns) is these rows (test/helpers/columns.ts).
      await expectColumnsEqualRows(core, id);
      // 19 IS rows; ADA_IGE is not an ADA test code this study defines.
      expect([r.isRows, r.adaRows]).toEqual([19, 18]);
      expect(r.unrecognisedTestcds).toEqual([{ value: 'ADA_IGE', count: 1 }]);
      expect(r.warnings.join('\n')).toMatch(/^is\.(csv|json|xpt) row 18, ISSTRESC: expected NEGATIVE, POSITIVE, a titre or "<x"; found "QNS"/m);
      expect(r.subjects.map(statusRow)).toEqual([
        ['1001', 'treatment-induced', 'persistent', true],
        ['1002', 'treatment-boosted', 'transient', false],
        ['1003', 'baseline-positive', null, null],
        ['1004', 'treatment-boosted', 'persistent', null],
        ['1005', 'baseline-positive', null, null],
        ['1006', 'negative', null, null],
      ]);
      const by = new Map(r.subjects.map((s) => [s.usubjid.slice(-4), s]));
      expect(by.get('1002')!.maxFoldRise).toBeCloseTo(10 ** 0.7, 5); // 5.011872
      expect(by.get('1003')!.maxFoldRise).toBeCloseTo(10 ** 0.5, 5); // 3.162278
      expect([by.get('1004')!.baselineTitre, by.get('1004')!.samples[0]!.belowReportable]).toEqual([1.4, true]);
      expect(by.get('1001')!.samples.map((s) => [s.result, s.titre, s.belowReportable])).toEqual([
        ['NEGATIVE', null, false], ['NEGATIVE', null, false], ['POSITIVE', 1.4, true],
      ]);
      // Incidence among the 6 evaluable: emergent 1001, 1002, 1004 = 3/6 = 50.0 %; induced 1, boosted 2;
      // baseline positive 1002–1005 = 4; persistent 2, transient 1; NAb positive 1.
      // Mapping report: 19 read, 17 used (ADA_IGE unrecognised, QNS unparseable), the scale in the settings.
      const is = mappingContributors.flatMap((c) => c(core.ctx.db, id, snapshotContext(core.ctx, id).definition)).find((e) => e.domain === 'IS' && e.analysis !== 'Import')!;
      expect([is.analysis, is.views, is.rowsRead, is.rowsUsed]).toEqual(['Immunogenicity', ['immunogenicity', 'swimmer', 'pk'], 19, 17]);
      expect(is.unused.map((u) => [u.variable, u.rows, u.values, u.mapTo])).toEqual([
        ['ISTESTCD', 1, [{ value: 'ADA_IGE', count: 1 }], 'ada.bindingTestcds'],
        ['ISSTRESC', 1, [{ value: 'QNS', count: 1 }], null],
      ]);
      expect(is.settings[0]).toBe('titre scale log10 (unit "log10 titer")');
      const total = r.incidence.find((g) => g.key === 'total')!;
      expect(total).toMatchObject({ sampled: 6, evaluable: 6, treatmentEmergent: 3, treatmentEmergentPercent: 50, treatmentInduced: 1, treatmentBoosted: 2, baselinePositive: 4, persistent: 2, transient: 1, nabPositive: 1 });
    });

    it('no unit and no ada.titreScale: a located warning asks for the scale and no boost is claimed; the setting then decides', async () => {
      const id = await importFixture(format, { units: false });
      const r = await core.call('safety.ada', { snapshotId: id });
      expect(r.titreScale.scale).toBeNull();
      // the first titre record: 1001's "<1.40" on day 29, the 4th IS row
      expect(r.warnings[0]).toMatch(/^is\.(csv|json|xpt) row 4, ISSTRESU: expected a unit that tells the titre scale .* or ada\.titreScale .*; found no unit/);
      expect(r.subjects.filter((s) => s.treatmentBoosted)).toEqual([]);
      expect(r.incidence.find((g) => g.key === 'total')!.treatmentEmergent).toBe(1); // only the induced 1001
      const is = mappingContributors.flatMap((c) => c(core.ctx.db, id, snapshotContext(core.ctx, id).definition)).find((e) => e.domain === 'IS' && e.analysis !== 'Import')!;
      expect(is.unused.find((u) => u.variable === 'ISSTRESU')).toMatchObject({ rows: 10, mapTo: 'ada.titreScale', values: [{ value: '(empty)', count: 10 }] });
      const withSetting = await importFixture(format, { units: false, ada: { titreScale: 'log10' } });
      const s = await core.call('safety.ada', { snapshotId: withSetting });
      expect(s.titreScale).toEqual({ scale: 'log10', source: 'study definition ada.titreScale' });
      expect(s.incidence.find((g) => g.key === 'total')!.treatmentEmergent).toBe(3);
      // Read as linear (wrongly), 2.40 / 1.70 = 1.4-fold and 2.10 / 1.40 = 1.5-fold: no boost. The scale matters.
      const linear = await importFixture(format, { units: false, ada: { titreScale: 'linear' } });
      expect((await core.call('safety.ada', { snapshotId: linear })).incidence.find((g) => g.key === 'total')!.treatmentBoosted).toBe(0);
    });

    it("a sponsor's own binding test code through ada.bindingTestcds", async () => {
      const unknown = await importFixture(format, { units: true, binding: 'IBBAB' });
      const u = await core.call('safety.ada', { snapshotId: unknown });
      // Without the setting only ADA_NAB is an ADA record: binding status cannot be derived.
      expect(u.unrecognisedTestcds[0]).toEqual({ value: 'IBBAB', count: 15 });
      const id = await importFixture(format, { units: true, binding: 'IBBAB', ada: { bindingTestcds: ['IBBAB'] } });
      const r = await core.call('safety.ada', { snapshotId: id });
      expect(r.incidence.find((g) => g.key === 'total')).toMatchObject({ evaluable: 6, treatmentEmergent: 3, treatmentBoosted: 2 });
    });
  });
}

describe('dosedesk tables --table ada on the admiral-style IS', () => {
  it('reports the sampled subjects, the scale and the incidence (was: 0 sampled)', async () => {
    const db = path.join(dir, 'cli.sqlite');
    const folder = writeFixture(path.join(dir, 'cli-snap'), [dm, ex, isDomain({ units: true })], 'xpt', { study: study() });
    const run = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin/dosedesk.mjs'), ...args, '--db', db], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    const imp = run('import', folder);
    expect(imp.status).toBe(0);
    const id = JSON.parse(imp.stdout).snapshotId as number;
    const out = run('tables', '--snapshot', String(id), '--table', 'ada');
    expect(out.status).toBe(0);
    const ada = JSON.parse(out.stdout);
    expect(ada.titreScale.scale).toBe('log10');
    expect(ada.incidence.find((g: { key: string }) => g.key === 'total')).toMatchObject({ sampled: 6, evaluable: 6, treatmentEmergent: 3 });
    const csvOut = run('tables', '--snapshot', String(id), '--table', 'ada', '--format', 'csv');
    const lines = csvOut.stdout.trim().split('\n');
    const head = lines[0]!.split(',');
    const total = lines.find((l) => l.startsWith('total,'))!.split(',');
    expect(total[head.indexOf('sampled')]).toBe('6');
    expect(total[head.indexOf('treatmentEmergent')]).toBe('3');
  });
});
