// The patient profile and a page of swimmer lanes ask for their subjects' part of study-wide answers
// (usubjids), not the whole study: safety.dltTable lists only those subjects in each level and keeps
// the level's counts and the recommendation; safety.ada, efficacy.responses, efficacy.tumourSeries and exposure.summary list
// only those subjects and keep the rest (incidence, levels) the study's; safety.listings keeps those
// subjects' rows; subjects.timeline those subjects' lanes (subjects.lanes: every lane's index). Checked on the shipped demo (resources/demo/cut2) against the unfiltered answers.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { tmpDir } from '../helpers/snapshot';

const CUT2 = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../resources/demo/cut2');

let dir: string;
let core: Core;
let snapshotId: number;
beforeAll(async () => {
  dir = tmpDir('dosedesk-subject-filters-');
  core = createCore({ dbPath: path.join(dir, 'db.sqlite') });
  snapshotId = (await core.call('snapshot.import', { path: CUT2 })).snapshotId!;
});
afterAll(() => {
  core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('one subject of a study-wide answer (usubjids)', () => {
  it('safety.dltTable: each level lists only the subjects asked for; counts, history and recommendation unchanged', async () => {
    const all = await core.call('safety.dltTable', { snapshotId });
    const subjects = all.levels.flatMap((l) => l.subjects);
    const one = subjects.find((s) => s.possibleDlts.length > 0) ?? subjects[0]!;
    const only = await core.call('safety.dltTable', { snapshotId, usubjids: [one.usubjid] });
    expect(only.levels.flatMap((l) => l.subjects)).toEqual([one]);
    const withoutSubjects = (t: typeof all) => ({ ...t, levels: t.levels.map(({ subjects: _s, ...l }) => l) });
    expect(withoutSubjects(only)).toEqual(withoutSubjects(all));
    // The stored answer is untouched by the filtered one.
    expect((await core.call('safety.dltTable', { snapshotId })).levels.flatMap((l) => l.subjects)).toHaveLength(subjects.length);
  });

  it('safety.dltIndex: each level\'s subjects in the table\'s order with their status and DLT count', async () => {
    const all = await core.call('safety.dltTable', { snapshotId });
    const index = await core.call('safety.dltIndex', { snapshotId });
    expect(index).toEqual({
      snapshotId,
      levels: all.levels.map((l) => ({ level: l.level, part: l.part, usubjid: l.subjects.map((s) => s.usubjid), status: l.subjects.map((s) => s.status), dlts: l.subjects.map((s) => s.dlts.length) })),
    });
    expect(index.levels.flatMap((l) => l.dlts).some((n) => n > 0)).toBe(true);
    // The Cohorts view's head: the table without subject rows (usubjids: []), counts unchanged.
    const head = await core.call('safety.dltTable', { snapshotId, usubjids: [] });
    expect(head.levels.every((l) => l.subjects.length === 0)).toBe(true);
    expect(head.levels.map((l) => l.treated)).toEqual(all.levels.map((l) => l.treated));
  });

  it('safety.ada: only the subjects asked for; the incidence is the study\'s', async () => {
    const all = await core.call('safety.ada', { snapshotId });
    const pick = all.subjects.filter((s) => s.treatmentEmergent).slice(0, 2);
    expect(pick.length).toBeGreaterThan(0);
    const only = await core.call('safety.ada', { snapshotId, usubjids: [...pick.map((s) => s.usubjid), 'NOT-A-SUBJECT'] });
    expect(only.subjects).toEqual(pick);
    expect({ ...only, subjects: [] }).toEqual({ ...all, subjects: [] });
    // safety.adaEmergent: the ids of the treatment-emergent subjects, nothing else
    const emergent = await core.call('safety.adaEmergent', { snapshotId });
    expect(emergent).toEqual({ snapshotId, present: true, treatmentEmergent: all.subjects.filter((s) => s.treatmentEmergent).map((s) => s.usubjid) });
    expect(emergent.treatmentEmergent.length).toBeGreaterThan(0);
  });

  it('efficacy.responses, exposure.summary, efficacy.tumourSeries: only the subjects asked for, the rest unchanged', async () => {
    const resp = await core.call('efficacy.responses', { snapshotId });
    const exp = await core.call('exposure.summary', { snapshotId });
    const ids = resp.subjects.filter((s) => s.responses.length > 0).slice(0, 3).map((s) => s.usubjid);
    expect(ids.length).toBe(3);
    const r = await core.call('efficacy.responses', { snapshotId, usubjids: ids });
    expect(r.subjects).toEqual(resp.subjects.filter((s) => ids.includes(s.usubjid)));
    const e = await core.call('exposure.summary', { snapshotId, usubjids: ids });
    expect(e.subjects.map((s) => s.usubjid).sort()).toEqual([...ids].sort());
    expect({ ...e, subjects: [] }).toEqual({ ...exp, subjects: [] });
    const series = await core.call('efficacy.tumourSeries', { snapshotId });
    const t = await core.call('efficacy.tumourSeries', { snapshotId, usubjids: ids });
    expect(t).toEqual({ ...series, subjects: series.subjects.filter((s) => ids.includes(s.usubjid)) });
  });

  it('safety.listings: every listing keeps the rows of the subjects asked for', async () => {
    const all = await core.call('safety.listings', { snapshotId });
    const ids = [...new Set([...all.saes, ...all.dlts].map((r) => r.usubjid))].slice(0, 4);
    expect(ids.length).toBeGreaterThan(1);
    const only = await core.call('safety.listings', { snapshotId, usubjids: ids });
    for (const k of ['saes', 'dlts', 'possibleDltsNotFlagged', 'notScreenedGradeNotCollected', 'possibleDltLabs', 'discontinuations', 'deaths'] as const)
      expect(only[k], k).toEqual((all[k] as { usubjid: string }[]).filter((r) => ids.includes(r.usubjid)));
    expect(only.saes.length).toBeGreaterThan(0);
  });

  it('subjects.timeline: only the subjects asked for; subjects.lanes is its index, column by column', async () => {
    const all = await core.call('subjects.timeline', { snapshotId });
    const ids = all.subjects.filter((s) => s.segments.length > 1 || s.death).slice(0, 2).map((s) => s.usubjid);
    expect(ids.length).toBe(2);
    const only = await core.call('subjects.timeline', { snapshotId, usubjids: ids });
    expect(only).toEqual({ ...all, subjects: all.subjects.filter((s) => ids.includes(s.usubjid)) });
    const index = await core.call('subjects.lanes', { snapshotId });
    expect(index).toEqual({
      snapshotId,
      dataCutoff: all.dataCutoff,
      dltWindowDays: all.dltWindowDays,
      domains: all.domains,
      lanes: {
        usubjid: all.subjects.map((s) => s.usubjid),
        level: all.subjects.map((s) => s.level),
        part: all.subjects.map((s) => s.part),
        firstDoseDtc: all.subjects.map((s) => s.firstDoseDtc),
        laneEndDay: all.subjects.map((s) => s.laneEndDay),
      },
      notTreated: all.notTreated.length,
    });
    // The demo has subjects in both parts and lanes that end on different days: the columns are not constant.
    expect(new Set(index.lanes.part).size).toBe(2);
    expect(new Set(index.lanes.laneEndDay).size).toBeGreaterThan(5);
  });
});
