// pk.curves (issue 14): the PK view's columnar payload. What must hold: every sample of pk.profiles
// comes back exactly from the columns (decodePoints), on both time bases and both intervals, for a
// generated study written in CSV, Dataset-JSON and XPT; a selection gives the selected subjects'
// part of the whole; the per-level mean curve equals the renderer's former meanProfile (kept below as
// the oracle) and its geometric mean and SD are the ones worked by hand (Kirkwood 1979). The NCA table
// sent as columns (pk.nca fields 'table', as 'columns') decodes to the full rows' parameters, exactly
// or at the 4 significant digits its cells show (shared/pk/ncaTable.ts).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { generateStudy, writeSnapshot } from '../../electron/core/demo/generate';
import { decodePoints, encodeCurves, meanCurve, type CurvePoint } from '../../shared/pk/curves';
import { ncaTableRow, significant, type NcaRowFields } from '../../shared/pk/ncaTable';
import { fromColumns } from '../../shared/columns';
import { sig } from '../../renderer/src/components/PkFigures';
import { FORMATS } from '../helpers/conventions';
import { tmpDir } from '../helpers/snapshot';

/** The renderer's mean ± SD before issue 14 (renderer/src/components/PkFigures.ts meanProfile), the oracle. */
function oldMeanProfile(profiles: readonly { points: readonly CurvePoint[] }[]) {
  const at = new Map<number, { values: number[]; blq: number }>();
  for (const p of profiles)
    for (const q of p.points) {
      const t = q.nominalH ?? q.time;
      if (t === null || t < 0) continue;
      const k = Math.round(t * 1e6) / 1e6;
      let e = at.get(k);
      if (!e) at.set(k, (e = { values: [], blq: 0 }));
      if (q.blq || q.conc === null) e.blq++;
      else e.values.push(q.conc);
    }
  return [...at.entries()]
    .sort((a, b) => a[0] - b[0])
    .filter(([, e]) => e.values.length > 0)
    .map(([time, e]) => {
      const n = e.values.length;
      const mean = e.values.reduce((s, v) => s + v, 0) / n;
      const sd = n > 1 ? Math.sqrt(e.values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : null;
      return { time, mean, sd, n, nBlq: e.blq };
    });
}

const point = (nominalH: number | null, conc: number | null, blq = false): CurvePoint => ({
  time: nominalH,
  actualH: nominalH,
  nominalH,
  conc,
  blq,
  lloq: 0.1,
  pcdtc: null,
  timeSource: 'PCELTM',
  actualNote: null,
  ncaTime: nominalH,
  ncaNote: null,
});

describe('meanCurve worked by hand', () => {
  it('1, 4 and 16 at 2 h: mean 7, SD √63, geometric mean 4, geometric SD 4; BLQ counted, pre-dose left out', () => {
    // ln 1 = 0, ln 4 = 1.3863, ln 16 = 2.7726: mean ln = 1.3863 → exp = 4; SD of ln (n − 1) = 1.3863 → exp = 4.
    // Arithmetic: mean (1 + 4 + 16)/3 = 7; SD = √(((−6)² + (−3)² + 9²)/2) = √63.
    const s = meanCurve([point(-0.25, 0.5), point(2, 1), point(2, 4), point(2, 16), point(2, null, true), point(4, 3)]);
    expect(s.time).toEqual([2, 4]);
    expect(s.n).toEqual([3, 1]);
    expect(s.nBlq).toEqual([1, 0]);
    expect(s.mean[0]).toBeCloseTo(7, 12);
    expect(s.sd[0]).toBeCloseTo(Math.sqrt(63), 12);
    expect(s.geoMean[0]).toBeCloseTo(4, 12);
    expect(s.geoSd[0]).toBeCloseTo(4, 12);
    // one value: no SD of either kind
    expect([s.mean[1], s.sd[1], s.geoSd[1], s.nGeo[1]]).toEqual([3, null, null, 1]);
    expect(s.geoMean[1]).toBeCloseTo(3, 12); // exp(ln 3)
  });

  it('a measured 0 enters the mean but not the geometric mean (ln 0 is not defined)', () => {
    const s = meanCurve([point(1, 0), point(1, 2), point(1, 8)]);
    expect(s.mean[0]).toBeCloseTo(10 / 3, 12);
    expect(s.nGeo[0]).toBe(2);
    expect(s.geoMean[0]).toBeCloseTo(4, 12); // √(2·8)
  });
});

describe.each(FORMATS)('pk.curves on a generated study (%s)', (format) => {
  let dir: string;
  let core: Core;
  let snapshotId: number;
  beforeAll(async () => {
    dir = tmpDir('dosedesk-pk-curves-');
    await writeSnapshot(path.join(dir, 'snap'), generateStudy({ subjects: 36 }), { format });
    core = createCore({ dbPath: path.join(dir, 'db.sqlite') });
    const r = await core.call('snapshot.import', { path: path.join(dir, 'snap') });
    expect(r.errors).toEqual([]);
    snapshotId = r.snapshotId!;
  }, 120_000);
  afterAll(() => {
    core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const interval of ['single', 'steady'] as const)
    for (const timeBasis of ['actual', 'nominal'] as const)
      it(`${interval}, ${timeBasis} time: the columns give back every sample of pk.profiles exactly, and the level means equal the former meanProfile`, async () => {
        const old = await core.call('pk.profiles', { snapshotId, interval, timeBasis });
        const cols = await core.call('pk.curves', { snapshotId, interval, timeBasis });
        expect(old.profiles.length).toBeGreaterThan(5);
        expect(cols.subjects.usubjid).toEqual(old.profiles.map((p) => p.usubjid));
        const { levels: _l, subjects: _s, texts: _t, ...rest } = cols;
        const { profiles: _p, ...oldRest } = old;
        expect(rest).toEqual(oldRest);
        const seen = new Set<string>();
        for (const level of cols.levels) {
          const mine = old.profiles.filter((p) => p.doseLevel === level.doseLevel);
          expect(level.subjects.map((i) => cols.subjects.usubjid[i])).toEqual(mine.map((p) => p.usubjid));
          level.subjects.forEach((i, k) => {
            const p = mine[k]!;
            seen.add(p.usubjid);
            expect(decodePoints(cols, level, k, timeBasis), p.usubjid).toEqual(p.points);
            expect([cols.subjects.doseLevel[i], cols.subjects.part[i], cols.subjects.cycle[i], cols.subjects.samples[i]]).toEqual([p.doseLevel, p.part, p.dose.cycle, p.points.length]);
            // the view's counts: lines drawn (measured samples with a time) and BLQ markers (with a time and an LLOQ)
            expect(cols.subjects.measured[i]).toBe(p.points.filter((q) => !q.blq && q.conc !== null && q.time !== null).length);
            expect(cols.subjects.blq[i]).toBe(p.points.filter((q) => q.blq && q.time !== null && q.lloq !== null && q.lloq > 0).length);
          });
          const m = oldMeanProfile(mine);
          expect(level.summary.time).toEqual(m.map((x) => x.time));
          expect(level.summary.mean).toEqual(m.map((x) => x.mean));
          expect(level.summary.sd).toEqual(m.map((x) => x.sd));
          expect(level.summary.n).toEqual(m.map((x) => x.n));
          expect(level.summary.nBlq).toEqual(m.map((x) => x.nBlq));
        }
        expect(seen.size).toBe(old.profiles.length);
      });

  it('without individual curves: the same subjects and level means, no samples', async () => {
    const full = await core.call('pk.curves', { snapshotId });
    const lean = await core.call('pk.curves', { snapshotId, individual: false });
    expect(lean.subjects).toEqual(full.subjects);
    expect(lean.levels.map((l) => [l.doseLevel, l.subjects, l.summary, l.points, l.start])).toEqual(full.levels.map((l) => [l.doseLevel, l.subjects, l.summary, null, []]));
  });

  it("a selection: its subjects' part of the whole, every subject still listed", async () => {
    const full = await core.call('pk.curves', { snapshotId });
    const usubjids = full.subjects.usubjid.filter((_, i) => i % 3 === 0);
    const some = await core.call('pk.curves', { snapshotId, usubjids });
    expect(some.subjects).toEqual(full.subjects);
    const oracle = encodeCurves(
      (await core.call('pk.profiles', { snapshotId })).profiles.map((p) => ({ usubjid: p.usubjid, doseLevel: p.doseLevel, doseLevelLabel: p.doseLevelLabel, part: p.part, cycle: p.dose.cycle, points: p.points })),
      { withPoints: true, keep: new Set(usubjids) },
    );
    expect(some.levels).toEqual(oracle.levels);
    expect(some.levels.flatMap((l) => l.subjects).sort((a, b) => a - b).map((i) => some.subjects.usubjid[i])).toEqual(usubjids);
  });
  for (const interval of ['single', 'steady'] as const)
    it(`${interval}: the NCA table as columns decodes to the full rows' parameters, exactly or at 4 significant digits`, async () => {
      const all = await core.call('pk.nca', { snapshotId, interval });
      const full = await core.call('pk.nca', { snapshotId, interval, fields: 'table', as: 'columns' });
      const shown = await core.call('pk.nca', { snapshotId, interval, fields: 'table', as: 'columns', digits: 4 });
      expect(all.rows.length).toBeGreaterThan(5);
      expect([full.rows, shown.rows, all.table]).toEqual([[], [], null]);
      const { codes } = full.table!;
      // the summary's parameters, then AUCPEO
      expect(codes).toEqual([...new Set([...all.summary.flatMap((g) => g.parameters.map((p) => p.PPTESTCD)), 'AUCPEO'])]);
      const cells = fromColumns(full.table!.rows);
      const rounded = fromColumns(shown.table!.rows);
      expect(cells.map((c) => c.usubjid)).toEqual(all.rows.map((r) => r.usubjid));
      all.rows.forEach((r, k) => {
        const c = cells[k]!;
        codes.forEach((code, i) => {
          const p = r.parameters.find((q) => q.PPTESTCD === code);
          expect(c.values[i], `${r.usubjid} ${code}`).toBe(p?.value ?? null);
          // the cell prints what the full value prints
          expect(sig(rounded[k]!.values[i])).toBe(sig(p?.value ?? null));
        });
        expect([c.cycle, c.doseMg, c.lzPoints, c.lzAdjR2, c.lzLower, c.lzUpper, c.lzNote]).toEqual([r.dose.cycle, r.dose.doseMg, r.lambdaZ?.nPoints ?? null, r.lambdaZ?.adjR2 ?? null, r.lambdaZ?.lower ?? null, r.lambdaZ?.upper ?? null, r.lambdaZNote]);
      });
      expect(rounded).toEqual(all.rows.map((r) => ncaTableRow(r, codes, 4)));
      // the rows of fields 'table' (as rows) carry the same parameters
      const asRows = await core.call('pk.nca', { snapshotId, interval, fields: 'table' });
      expect(asRows.rows.map((r) => ncaTableRow(r, codes, null))).toEqual(cells);
    });
});

describe('ncaTableRow worked by hand', () => {
  const row: NcaRowFields = {
    usubjid: 'S-1',
    doseLevel: 3,
    part: 'escalation',
    dose: { cycle: 1, doseMg: 7.123456 },
    notes: ['pre-dose sample above LLOQ'],
    parameters: [
      { PPTESTCD: 'CMAX', value: 123.456789 },
      { PPTESTCD: 'AUCLST', value: 98765.4321 },
      { PPTESTCD: 'LAMZHL', value: null, reason: 'not estimable: only 2 points after Cmax' },
    ],
    lambdaZ: null,
    lambdaZNote: 'not estimable: only 2 points after Cmax',
    choice: { choice: { kind: 'range' }, by: 'jdoe', at: '2026-11-21T13:03:00Z' },
  };
  it('values in the order of the codes, a missing parameter null, the reason of an empty one kept', () => {
    const t = ncaTableRow(row, ['CMAX', 'LAMZHL', 'AUCLST', 'AUCPEO'], null);
    expect(t.values).toEqual([123.456789, null, 98765.4321, null]);
    expect(t.why).toEqual({ LAMZHL: 'not estimable: only 2 points after Cmax' });
    expect([t.lzMethod, t.lzPoints, t.lzLower, t.choiceKind, t.choiceBy, t.cycle, t.doseMg]).toEqual([null, null, null, 'range', 'jdoe', 1, 7.123456]);
  });
  it('at 4 significant digits: 123.5, whole numbers from 10,000 up (98765), 7.123', () => {
    const t = ncaTableRow(row, ['CMAX', 'AUCLST'], 4);
    expect(t.values).toEqual([123.5, 98765]);
    expect(t.doseMg).toBe(7.123);
    expect([significant(0, 4), significant(-0.000123456, 4), significant(null, 4), significant(9999.6, 4)]).toEqual([0, -0.0001235, null, 10000]);
  });
});
