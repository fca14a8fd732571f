// Exposure, concomitant medications and ECG on the shipped demo cut 2 (resources/demo/cut2): the figures the
// generator was designed to produce (electron/core/demo/README.md, scenario.ts, cmEg.ts), read through the
// product. Delays: 201-001 cycle 6, 201-003 and 101-008 cycle 2, each 7 days late (> 3, the delay window);
// reductions: 201-003 (3 → 1 mg/kg) and 101-008 (10 → 3 mg/kg) from cycle 2; interruptions: the infusions
// during which an infusion reaction interrupted the drug (102-001 and 201-005, cycle 1, EXADJ); intra-patient
// escalation: 101-001 (0.01 → 0.03 → 0.1 mg/kg). ECG: QTcF 492 ms (+67 from 425) for 201-005 and 484 ms
// (+44 from 440) for 101-008 on cycle 1 day 8, both at 10 mg/kg (level 7): ICH E14 > 480 twice, > 60 once.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { tmpDir } from '../helpers/snapshot';

const here = path.dirname(fileURLToPath(import.meta.url));
const CUT2 = path.resolve(here, '../../resources/demo/cut2');
const U = (s: string) => `IBB0979-${s}`;

let dir: string;
let core: Core;
let snapshotId: number;
beforeAll(async () => {
  dir = tmpDir('dosedesk-demo-excm-');
  core = createCore({ dbPath: path.join(dir, 'db.sqlite') });
  const r = await core.call('snapshot.import', { path: CUT2 });
  snapshotId = r.snapshotId!;
}, 120_000);
afterAll(() => {
  core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('demo cut 2: exposure, CM, ECG', () => {
  it('exposure: the designed delays, reductions, interruptions and escalation', async () => {
    const t = await core.call('exposure.summary', { snapshotId });
    const by = (what: 'delays' | 'reductions' | 'interruptions' | 'escalations') =>
      t.subjects.filter((s) => s[what].length > 0).map((s) => [s.usubjid.slice(8), s[what].map((e) => e.cycle)]).sort();
    expect(by('delays')).toEqual([['101-008', [2]], ['201-001', [6]], ['201-003', [2]]].sort());
    expect(t.subjects.flatMap((s) => s.cycles.filter((c) => c.delayDays !== null && c.delayDays > 3).map((c) => c.delayDays))).toEqual([7, 7, 7]);
    expect(by('reductions').map(([u]) => u)).toEqual(['101-008', '201-003']);
    expect(t.subjects.find((s) => s.usubjid === U('201-003'))!.reductions[0]!.detail).toBe('1 mg/kg (assigned 3): ADVERSE EVENT');
    expect(by('interruptions')).toEqual([['102-001', [1]], ['201-005', [1]]]);
    // 101-001 (assigned 0.01 mg/kg) receives more than that from cycle 4 to its last cycle.
    const e = t.subjects.find((x) => x.usubjid === U('101-001'))!;
    expect(by('escalations')).toEqual([['101-001', Array.from({ length: e.cyclesStarted - 3 }, (_, i) => i + 4)]]);
    // Every subject on schedule at full dose has RDI 1 (one dose per 21 days).
    const s = t.subjects.find((x) => x.usubjid === U('102-004'))!;
    expect([s.delays.length, s.reductions.length, s.relativeDoseIntensity]).toEqual([0, 0, 1]);
    const l6 = t.levels.find((l) => l.group === 'L6')!;
    expect([l6.withDelay, l6.withReduction, l6.withInterruption]).toEqual([1, 1, 0]);
  });

  it('CM: medications listed, those started in the DLT window marked', async () => {
    const c = await core.call('cm.listing', { snapshotId });
    expect(c.present).toBe(true);
    // 201-003's febrile neutropenia (onset day 10, in the window) is treated with filgrastim from its onset.
    const fil = c.rows.find((r) => r.usubjid === U('201-003') && r.cmdecod === 'FILGRASTIM')!;
    expect([fil.startDay, fil.timing]).toEqual([10, 'in DLT window']);
    // Each subject's medications from before the first dose are prior and ongoing.
    expect(c.rows.filter((r) => r.startDay !== null && r.startDay < 1).every((r) => r.timing === 'prior' && r.ongoing === true)).toBe(true);
    expect(c.rows.filter((r) => r.timing === 'possibly in DLT window' || (r.cmstdtc?.length === 7 && r.startDay === null)).length).toBe(1);
  });

  it('ECG: QTcF > 480 ms for two subjects at 10 mg/kg, one increase > 60 ms', async () => {
    const c = await core.call('ecg.categories', { snapshotId });
    expect(c.present).toBe(true);
    const l7 = c.rows.find((r) => r.group === 'L7')!;
    expect([l7.gt480, l7.gt500, l7.incGt60]).toEqual([2, 0, 1]);
    expect(c.rows.filter((r) => r.group !== 'L7').every((r) => r.gt480 === 0 && r.incGt60 === 0)).toBe(true);
    const q = await core.call('ecg.qtcf', { snapshotId });
    const p = q.points.find((x) => x.usubjid === U('201-005') && x.tpt === null && x.studyDay === 8)!;
    expect([p.qtcf, p.change, p.source]).toEqual([492, 67, 'QTcF as given']);
    const d = q.points.find((x) => x.usubjid === U('101-008') && x.studyDay === 8)!;
    expect(d.source).toBe('QT and RR');
    expect(Math.abs(d.qtcf - 484)).toBeLessThan(1); // QT rounded to 1 ms
    expect(q.notComputable).toEqual([]);
  });
});
