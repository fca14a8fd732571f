// The shipped demo cuts (resources/demo/cut1, cut2) imported from their files; the DLT table, AE
// counts, deaths and ADA statuses are compared with the generator's truth object (cutN.truth.json,
// derived from the subject plans, not from the written files — electron/core/demo/truth.ts).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import type { StudyTruth } from '../../electron/core/demo/truth';
import { worstGrade } from '../../shared/safety/index';
import { tmpDir } from '../helpers/snapshot';

const here = path.dirname(fileURLToPath(import.meta.url));
const DEMO = path.resolve(here, '../../resources/demo');
const STATUS = { dlt: 'dlt', completed: 'completed', 'in-window': 'pending', 'not-evaluable': 'not-evaluable' } as const;

let dir: string;
let core: Core;
beforeAll(() => {
  dir = tmpDir('dosedesk-safety-demo-');
  core = createCore({ dbPath: path.join(dir, 'db.sqlite') });
});
afterAll(() => {
  core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * The history expected from the truth object: escalation subjects in order of first dose, grouped by
 * their cohort, not-evaluable subjects left out, T = DLT, P = pending. The accelerated-titration
 * patients at levels 2 and 3 are G: the demo scenario gives each a related grade-2 toxicity in course 1
 * (electron/core/demo/scenario.ts header: "a related grade-2 toxicity in course 1 at 0.03 (first)
 * and at 0.1 (second) ends the accelerated phase").
 */
function expectedHistory(truth: StudyTruth): string {
  const esc = truth.subjects.filter((s) => s.part === 'ESCALATION' && s.dltWindowStatus !== 'not-evaluable').sort((a, b) => a.firstDoseDate.localeCompare(b.firstDoseDate));
  const cohorts: { cohort: string; level: number; letters: string }[] = [];
  for (const s of esc) {
    const letter = s.dltWindowStatus === 'dlt' ? 'T' : s.dltWindowStatus === 'pending' ? 'P' : s.cohort === 'ATD-L2' || s.cohort === 'ATD-L3' ? 'G' : 'N';
    const last = cohorts[cohorts.length - 1];
    if (last && last.cohort === s.cohort) last.letters += letter;
    else cohorts.push({ cohort: s.cohort, level: s.level, letters: letter });
  }
  return cohorts.map((c) => `${c.level}${c.letters}`).join(' ');
}

for (const cut of ['cut1', 'cut2'] as const) {
  describe(`demo ${cut}: safety.dltTable and listings agree with ${cut}.truth.json`, () => {
    const truth = JSON.parse(fs.readFileSync(path.join(DEMO, `${cut}.truth.json`), 'utf8')) as StudyTruth;
    let snapshotId = 0;
    beforeAll(async () => {
      const r = await core.call('snapshot.import', { path: path.join(DEMO, cut) });
      expect(r.errors).toEqual([]);
      snapshotId = r.snapshotId!;
    });

    it('per subject: first dose, window end, window status, evaluability, DLTs, possible DLTs not flagged', async () => {
      const t = await core.call('safety.dltTable', { snapshotId });
      expect(t.dataCutoff).toBe(truth.cutoff);
      const rows = t.levels.flatMap((l) => l.subjects.map((s) => ({ ...s, level: l.level, part: l.part })));
      const got = rows
        .map((s) => [s.usubjid, s.part.toUpperCase(), s.level, s.firstDoseDtc, s.windowEndDtc, STATUS[s.status], s.status === 'in-window' ? null : s.evaluable, s.dlts.length, s.possibleDlts.length])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      const want = truth.subjects
        .map((s) => [s.usubjid, s.part, s.level, s.firstDoseDate, s.dltWindowEnd, s.dltWindowStatus, s.dltEvaluable, s.dltCount, s.possibleDltNotFlagged])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      expect(got).toEqual(want);
    });

    it('per escalation level: treated, evaluable, DLTs, pending, not evaluable', async () => {
      const t = await core.call('safety.dltTable', { snapshotId });
      for (const lt of truth.escalation) {
        const l = t.levels.find((x) => x.part === 'escalation' && x.level === lt.level);
        if (lt.nTreated === 0) {
          expect(l).toBeUndefined();
          continue;
        }
        expect([l!.dose, l!.treated, l!.evaluable, l!.withDlt, l!.pending, l!.notEvaluable]).toEqual([lt.dose, lt.nTreated, lt.nEvaluable, lt.nDlt, lt.nPending, lt.nNotEvaluable]);
      }
    });

    it('the history and the protocol rule (ATD design 2 -> 3+3, escalation_rules.md (b), (a))', async () => {
      const t = await core.call('safety.dltTable', { snapshotId });
      expect(t.history).toBe(expectedHistory(truth));
      expect(t.excluded.map((e) => e.usubjid)).toEqual(truth.subjects.filter((s) => s.part === 'ESCALATION' && s.dltWindowStatus === 'not-evaluable').map((s) => s.usubjid));
      const r = t.recommendation;
      if (cut === 'cut2') {
        // 2 of 3 at level 7 and level 6 has 6 with 1 DLT -> stop, MTD = level 6 (S2 6b, S3; demo README: MTD = RP2D = 3 mg/kg)
        expect(t.history).toBe('1N 2G 3G 4NNN 5NNN 6NTN 6NNN 7TNT');
        expect([r.action, r.continues, r.recommendedLevel]).toEqual(['STOP_MTD', false, 6]);
      } else {
        // level 6: 1 DLT among 4 evaluable, 2 still in the window -> the 6-patient stage is incomplete
        expect(t.history).toBe('1N 2G 3G 4NNN 5NNN 6NTN 6NPP');
        expect([r.action, r.nextLevel, r.continues, r.pending]).toEqual(['CONTINUE_COHORT', 6, true, 2]);
      }
      expect(r.warnings).toEqual([]);
    });

    it('AE listing: AEs, SAEs and worst grade per subject; deaths', async () => {
      const { rows } = await core.call('safety.aeListing', { snapshotId });
      for (const s of truth.subjects) {
        const mine = rows.filter((r) => r.usubjid === s.usubjid);
        expect([s.usubjid, mine.length, mine.filter((r) => r.serious).length, worstGrade(mine.map((r) => ({ ...r, aeterm: r.aeterm, rowNo: 0 }))) ?? 0]).toEqual([
          s.usubjid,
          s.aeCount,
          s.saeCount,
          s.worstGrade,
        ]);
      }
      const l = await core.call('safety.listings', { snapshotId });
      expect(l.deaths.map((d) => [d.usubjid, d.deathDtc])).toEqual(truth.subjects.filter((s) => s.death).map((s) => [s.usubjid, s.deathDate]).sort());
      expect(l.dlts.length).toBe(truth.subjects.reduce((n, s) => n + s.dltCount, 0));
    });

    it("one subject's records (the patient profile asks for them alone) equal that subject's part of the whole", async () => {
      const [a, b] = [truth.subjects[0]!.usubjid, truth.subjects[truth.subjects.length - 1]!.usubjid];
      const usubjids = [a, b];
      const all = await core.call('safety.aeListing', { snapshotId });
      expect((await core.call('safety.aeListing', { snapshotId, usubjids })).rows).toEqual(all.rows.filter((r) => usubjids.includes(r.usubjid)));
      const series = await core.call('efficacy.tumourSeries', { snapshotId });
      const some = await core.call('efficacy.tumourSeries', { snapshotId, usubjids });
      expect(some.subjects).toEqual(series.subjects.filter((s) => usubjids.includes(s.usubjid)));
      for (const interval of ['single', 'steady'] as const) {
        const pk = await core.call('pk.profiles', { snapshotId, interval });
        const mine = await core.call('pk.profiles', { snapshotId, interval, usubjids });
        expect(mine.profiles).toEqual(pk.profiles.filter((p) => usubjids.includes(p.usubjid)));
        expect(mine.profiles.length).toBeGreaterThan(0);
      }
    });

    it('ADA status per subject (Shankar et al. 2014, 4-fold boost)', async () => {
      const a = await core.call('safety.ada', { snapshotId });
      expect(a.present).toBe(true);
      // the truth object has four categories; a subject without a post-baseline sample is "negative" there
      const mine = new Map(a.subjects.map((s) => [s.usubjid, s.category === 'no-post-baseline-sample' ? (s.baselineStatus === 'positive' ? 'baseline-positive' : 'negative') : s.category]));
      expect(truth.subjects.map((s) => [s.usubjid, mine.get(s.usubjid)])).toEqual(truth.subjects.map((s) => [s.usubjid, s.adaStatus]));
      const total = a.incidence.find((r) => r.key === 'total')!;
      expect(total.treatmentEmergent).toBe(truth.subjects.filter((s) => s.adaStatus === 'treatment-induced' || s.adaStatus === 'treatment-boosted').length);
    });
  });
}
