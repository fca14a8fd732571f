// Laboratory safety on the shipped demo cut 2 (resources/demo/cut2): the generator writes LBTOXGR for
// ALT, AST, NEUT, PLAT and HGB from its own CTCAE table (electron/core/demo/catalogue.ts labGrade) and
// leaves it empty for BILI, CREAT, K and SODIUM (DoseDesk derives those). The test checks the shared
// CTCAE v5.0 rules against every graded row the generator wrote, and the one potential Hy's-law case.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { ctcaeLabGrade, termsOfTestcd } from '../../shared/labs';
import { tmpDir } from '../helpers/snapshot';
import { labSafetyOf, subjectLabSafety } from '../../electron/core/labs/app';

const here = path.dirname(fileURLToPath(import.meta.url));
const CUT2 = path.resolve(here, '../../resources/demo/cut2');

let dir: string;
let core: Core;
let snapshotId: number;
beforeAll(async () => {
  dir = tmpDir('dosedesk-labs-demo-');
  core = createCore({ dbPath: path.join(dir, 'db.sqlite') });
  const r = await core.call('snapshot.import', { path: CUT2 });
  snapshotId = r.snapshotId!;
});
afterAll(() => {
  core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function lbRows(): Record<string, string>[] {
  const [head, ...lines] = fs.readFileSync(path.join(CUT2, 'lb.csv'), 'utf8').trim().split(/\r?\n/);
  const cols = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v])));
}

describe('laboratory safety on the demo (cut 2)', () => {
  it("the generator's LBTOXGR equals the CTCAE v5.0 grade derived from the value and range (baseline-normal criteria)", () => {
    const graded = lbRows().filter((r) => r.LBTOXGR !== '');
    expect(graded.length).toBeGreaterThan(900);
    for (const r of graded) {
      const [def] = termsOfTestcd(r.LBTESTCD);
      const g = ctcaeLabGrade(def!, { value: Number(r.LBSTRESN), text: r.LBSTRESC!, unit: r.LBSTRESU!, lln: Number(r.LBSTNRLO), uln: Number(r.LBSTNRHI) });
      expect(g.grade, `${r.USUBJID} ${r.LBTESTCD} ${r.LBSTRESN} ${r.LBDTC}`).toBe(Number(r.LBTOXGR));
    }
  });

  it("one potential Hy's-law case, grade 3-4 results in the shift table, nothing left ungraded", async () => {
    const e = await core.call('labs.edish', { snapshotId });
    const hy = e.points.filter((p) => p.quadrant === "Potential Hy's law");
    expect(hy.map((p) => p.usubjid)).toEqual(['IBB0979-102-006']);
    expect(hy[0]!.aminoXUln).toBeGreaterThan(5);
    expect(hy[0]!.biliXUln).toBeGreaterThan(2);
    const s = await core.call('labs.shift', { snapshotId });
    expect(s.notGradable).toEqual([]);
    const severe = s.subjects.filter((x) => (x.worstGrade ?? 0) >= 3).map((x) => x.testcd);
    expect(new Set(severe)).toEqual(new Set(['ALT', 'NEUT', 'PLAT']));
    // Every treated subject with LB appears once per term in its dose level's block.
    const alt = s.blocks.filter((b) => b.testcd === 'ALT').reduce((n, b) => n + b.subjects, 0);
    expect(alt).toBe(new Set(s.subjects.filter((x) => x.testcd === 'ALT').map((x) => x.usubjid)).size);
  });

  it('subjectRows "notable" leaves out exactly the pairs graded 0 at baseline and after with every result gradable, and counts them', async () => {
    const all = await core.call('labs.shift', { snapshotId, subjectRows: 'all' });
    const notable = await core.call('labs.shift', { snapshotId, subjectRows: 'notable' });
    const quiet = (x: (typeof all.subjects)[number]) => x.baselineGrade === 0 && x.worstGrade === 0 && x.notGradable === 0;
    expect(notable.subjects).toEqual(all.subjects.filter((x) => !quiet(x)));
    expect(notable.subjectRowsLeftOut).toBe(all.subjects.filter(quiet).length);
    expect(notable.subjectRowsLeftOut).toBeGreaterThan(0);
    expect(all.subjectRowsLeftOut).toBe(0);
    // Counts and the shift table do not depend on the rows listed.
    expect(notable.subjectCount).toBe(new Set(all.subjects.map((x) => x.usubjid)).size);
    expect(all.subjectCount).toBe(notable.subjectCount);
    expect(notable.blocks).toEqual(all.blocks);
  });

  it("one subject's grades (the profile) are the study's grades of that subject, for every subject", async () => {
    const L = labSafetyOf(core.ctx, snapshotId);
    const { subjects } = await core.call('subjects.timeline', { snapshotId });
    expect(subjects.length).toBeGreaterThan(10);
    for (const { usubjid } of subjects) expect(subjectLabSafety(core.ctx, snapshotId, usubjid), usubjid).toEqual({ labs: L.subjects.get(usubjid), treated: L.firstDose.has(usubjid) });
    expect(subjectLabSafety(core.ctx, snapshotId, 'NOT-A-SUBJECT')).toEqual({ labs: undefined, treated: false });
  });

  it('the mapping report accounts for every LB row: graded, or not used with a reason', async () => {
    const m = (await core.call('snapshot.mapping', { snapshotId })).find((x) => x.domain === 'LB' && x.analysis.startsWith('Laboratory'))!;
    expect(m.rowsRead).toBe(lbRows().length);
    expect(m.rowsUsed + m.unused.reduce((n, u) => n + u.rows, 0)).toBe(m.rowsRead);
    // The cycle 1 day 1 samples: pre-dose (no time), and the baseline is the LBBLFL = Y screening record.
    expect(m.unused.map((u) => u.variable)).toEqual(['LBDTC']);
  });
});
