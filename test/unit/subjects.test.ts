// subjects.timeline and subjects.labs: the exposure rule (shared/exposure.ts) on cases worked by hand
// from the rule written there (docs/CLINICAL_RULES.md#dose-levels: intra-patient escalation shows as dose changes over time in
// EX; study day per SDTMIG --DY), and on the shipped demo cuts against the generator's truth object
// (resources/demo/cutN.truth.json, derived from the subject plans, not from the written files).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import type { StudyTruth } from '../../electron/core/demo/truth';
import { exposureSegments, laneEndDtc, sameDose } from '../../shared/exposure';
import { tmpDir } from '../helpers/snapshot';

const here = path.dirname(fileURLToPath(import.meta.url));
const DEMO = path.resolve(here, '../../resources/demo');
const LEVELS = [
  { level: 1, dose: 0.01 },
  { level: 2, dose: 0.03 },
  { level: 3, dose: 0.1 },
];

describe('exposureSegments (shared/exposure.ts rule, worked by hand)', () => {
  it('one segment per run of equal doses; a segment ends the day before the next dose change; the last one at the lane end', () => {
    // Doses on 2025-01-06 (day 1), 01-27 (day 22) at 0.01, 02-17 (day 43) at 0.03, lane end 03-09 (day 63).
    const segs = exposureSegments(
      [
        { startDtc: '2025-01-06T09:00', endDtc: null, dose: 0.01, unit: 'mg/kg' },
        { startDtc: '2025-01-27', endDtc: null, dose: 0.01, unit: 'mg/kg' },
        { startDtc: '2025-02-17', endDtc: null, dose: 0.03, unit: 'mg/kg' },
      ],
      '2025-01-06T09:00',
      '2025-03-09',
      LEVELS,
    );
    expect(segs).toEqual([
      { startDtc: '2025-01-06', endDtc: '2025-02-16', startDay: 1, endDay: 42, dose: 0.01, unit: 'mg/kg', level: 1, administrations: 2 },
      { startDtc: '2025-02-17', endDtc: '2025-03-09', startDay: 43, endDay: 63, dose: 0.03, unit: 'mg/kg', level: 2, administrations: 1 },
    ]);
  });

  it('a dose reduction starts a new segment; a dose not in the plan has no level; partial dates are left out', () => {
    const segs = exposureSegments(
      [
        { startDtc: '2025-01-06', endDtc: null, dose: 0.1, unit: 'mg/kg' },
        { startDtc: '2025-02', endDtc: null, dose: 0.1, unit: 'mg/kg' },
        { startDtc: '2025-01-27', endDtc: null, dose: 0.05, unit: 'mg/kg' },
      ],
      '2025-01-06',
      '2025-01-27',
      LEVELS,
    );
    expect(segs.map((s) => [s.startDay, s.endDay, s.dose, s.level])).toEqual([
      [1, 21, 0.1, 3],
      [22, 22, 0.05, null],
    ]);
  });

  it('the lane ends at end of treatment, else death, else the cut-off, never before the last administration', () => {
    expect(laneEndDtc({ endOfTreatmentDtc: '2025-03-01', deathDtc: '2025-04-01', cutoffDtc: '2025-05-01', lastAdministrationDtc: '2025-02-20' })).toBe('2025-03-01');
    expect(laneEndDtc({ endOfTreatmentDtc: null, deathDtc: '2025-04-01', cutoffDtc: '2025-05-01', lastAdministrationDtc: '2025-02-20' })).toBe('2025-04-01');
    expect(laneEndDtc({ endOfTreatmentDtc: null, deathDtc: null, cutoffDtc: '2025-05-01', lastAdministrationDtc: '2025-02-20' })).toBe('2025-05-01');
    expect(laneEndDtc({ endOfTreatmentDtc: '2025-02-01', deathDtc: null, cutoffDtc: null, lastAdministrationDtc: '2025-02-20T10:00' })).toBe('2025-02-20');
    expect(sameDose(1, 1.004)).toBe(true);
    expect(sameDose(1, 1.01)).toBe(false);
  });
});

/** Run-length encoding of the planned doses: the expected segment doses. */
const runs = (doses: number[]) => doses.filter((d, i) => i === 0 || !sameDose(d, doses[i - 1]!));

let dir: string;
let core: Core;
beforeAll(() => {
  dir = tmpDir('dosedesk-subjects-');
  core = createCore({ dbPath: path.join(dir, 'db.sqlite') });
});
afterAll(() => {
  core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

for (const cut of ['cut1', 'cut2'] as const) {
  describe(`demo ${cut}: subjects.timeline agrees with ${cut}.truth.json`, () => {
    const truth = JSON.parse(fs.readFileSync(path.join(DEMO, `${cut}.truth.json`), 'utf8')) as StudyTruth;
    let snapshotId = 0;
    beforeAll(async () => {
      const r = await core.call('snapshot.import', { path: path.join(DEMO, cut) });
      snapshotId = r.snapshotId!;
    });

    it('one timeline per treated subject, with level, part, first dose, dose changes, ongoing, end-of-treatment reason and death', async () => {
      const t = await core.call('subjects.timeline', { snapshotId });
      expect(t.dataCutoff).toBe(truth.cutoff);
      expect(t.subjects.map((s) => s.usubjid).sort()).toEqual(truth.subjects.map((s) => s.usubjid).sort());
      for (const e of truth.subjects) {
        const s = t.subjects.find((x) => x.usubjid === e.usubjid)!;
        expect(s.level, e.usubjid).toBe(e.level);
        expect(s.part).toBe(e.part.toLowerCase());
        expect(s.firstDoseDtc.slice(0, 10)).toBe(e.firstDoseDate);
        expect(s.dltWindowEndDtc).toBe(e.dltWindowEnd);
        expect(s.segments.map((g) => g.dose), `${e.usubjid} dose changes`).toEqual(runs(e.dosesMgPerKg));
        expect(s.segments.reduce((n, g) => n + g.administrations, 0)).toBe(e.dosesMgPerKg.length);
        expect(s.ongoing, `${e.usubjid} ongoing`).toBe(e.ongoing);
        if (!e.ongoing) expect(s.endOfTreatment?.reason).toBe(e.eotReason ?? 'DEATH');
        expect(s.death?.dtc ?? null).toBe(e.death ? e.deathDate : null);
        // Segments tile the lane from day 1 to its end without gaps.
        expect(s.segments[0]!.startDay).toBe(1);
        for (let i = 1; i < s.segments.length; i++) expect(s.segments[i]!.startDay).toBe(s.segments[i - 1]!.endDay + 1);
        expect(s.segments[s.segments.length - 1]!.endDay).toBe(s.laneEndDay);
      }
    });

    it("subjects.labs returns a subject's LB results by test with study days", async () => {
      const t = await core.call('subjects.timeline', { snapshotId });
      const u = t.subjects[0]!.usubjid;
      const labs = await core.call('subjects.labs', { snapshotId, usubjid: u });
      expect(labs.present).toBe(true);
      const raw = fs.readFileSync(path.join(DEMO, cut, 'lb.csv'), 'utf8').split(/\r?\n/).filter((l) => l.includes(u)).length;
      expect(labs.tests.reduce((n, x) => n + x.points.length, 0)).toBe(raw);
      for (const x of labs.tests) for (const p of x.points) if (p.dtc && p.dtc.length >= 10) expect(p.day).not.toBeNull();
    });
  });
}

describe('a snapshot without LB', () => {
  it('subjects.labs says LB is absent', async () => {
    const { miniSnapshot } = await import('../helpers/snapshot');
    const snap = miniSnapshot(path.join(dir, 'mini'));
    const r = await core.call('snapshot.import', { path: snap });
    const labs = await core.call('subjects.labs', { snapshotId: r.snapshotId!, usubjid: 'S1-001' });
    expect(labs).toMatchObject({ present: false, tests: [] });
    const t = await core.call('subjects.timeline', { snapshotId: r.snapshotId! });
    expect(t.domains).not.toContain('LB');
    expect(t.subjects.length).toBeGreaterThan(0);
  });
});
