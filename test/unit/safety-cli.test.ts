// `dosedesk recommend` and `dosedesk tables` end to end: spawn node bin/dosedesk.mjs as a user would.
// The escalation cases are read from ../shared/reference/escalation/escalation_rules.md ((a) "Cross-check
// with the R package escalation", edge cases 1-3).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tmpDir } from '../helpers/snapshot';
import { writeSafetyFixture } from './safety-fixture';
import { referencePath, referenceText } from '../helpers/reference';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '../..');
const RULES_PATH = referencePath('escalation/escalation_rules.md', 'safety-cli.test.ts (dosedesk recommend --history)');
const RULES = referenceText(RULES_PATH);

let dir: string;
let db: string;
const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/dosedesk.mjs'), ...args, '--db', db], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

beforeAll(() => {
  dir = tmpDir('dosedesk-safety-cli-');
  db = path.join(dir, 'db.sqlite');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The history and recommended level of a numbered edge case line: `'HISTORY'` -> N, stop. */
function referenceCase(n: number): { history: string; level: number } {
  const line = RULES.split('\n').find((l) => l.startsWith(`${n}. **`))!;
  const m = /`'([0-9NT ]+)'` -> (\d+), stop/.exec(line)!;
  return { history: m[1]!, level: Number(m[2]) };
}

describe('dosedesk recommend --design ... --history ...', () => {
  it.skipIf(!RULES_PATH)("edge case 3: '1NNN 2NTT 1NNN' -> stop, recommend level 1 (escalation_rules.md (a))", () => {
    const c = referenceCase(3);
    expect(c).toEqual({ history: '1NNN 2NTT 1NNN', level: 1 });
    const r = run('recommend', '--design', '3+3', '--levels', '5', '--history', c.history);
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out);
    expect(Object.keys(o)).toEqual(['action', 'nextLevel', 'continues', 'recommendedLevel', 'explanation', 'determined']);
    expect([o.action, o.nextLevel, o.continues, o.recommendedLevel, o.determined]).toEqual(['STOP_MTD', null, false, c.level, false]);
    expect(o.explanation).toMatch(/level 1/);
  });
  it.skipIf(!RULES_PATH)("edge case 2: '1NNN 2NNN 3NNN 4NNN 5NNN' -> stop at the top level 5 (package behaviour: no 6 at the MTD)", () => {
    const c = referenceCase(2);
    const o = JSON.parse(run('recommend', '--design', '3+3', '--levels', '5', '--history', c.history, '--no-six-at-mtd').out);
    expect([o.continues, o.recommendedLevel]).toEqual([false, c.level]);
  });
  it("edge case 1: '1TT' is incomplete but already determined", () => {
    const o = JSON.parse(run('recommend', '--design', '3+3', '--levels', '5', '--history', '1TT').out);
    expect([o.action, o.determined]).toEqual(['CONTINUE_COHORT', true]);
  });
  it("ATD design 2: '1N 2G 3G' -> switch to 3+3 (escalation_rules.md (b), S8: second grade-2 patient)", () => {
    const o = JSON.parse(run('recommend', '--design', 'atd', '--atd-design', '2', '--levels', '8', '--history', '1N 2G 3G').out);
    expect([o.action, o.continues]).toEqual(['SWITCH_TO_3P3', true]);
  });
  it('a malformed history fails with the position; bad usage exits 2', () => {
    const bad = run('recommend', '--design', '3+3', '--levels', '5', '--history', '1NNN 2NXT');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/position 8/);
    expect(run('recommend', '--design', '3+3', '--history', '1NNN').code).toBe(2);
    expect(run('recommend', '--design', 'atd', '--levels', '5', '--history', '1N').code).toBe(2);
  });
});

describe('dosedesk recommend --snapshot and dosedesk tables', () => {
  it('on the fixture snapshot: history, decision, tables as JSON and CSV', () => {
    const imp = run('import', writeSafetyFixture(path.join(dir, 'snap')));
    expect(imp.code).toBe(0);
    const id = String(JSON.parse(imp.out).snapshotId);
    const rec = JSON.parse(run('recommend', '--snapshot', id).out);
    // worked by hand in safety.test.ts
    expect([rec.history, rec.action, rec.nextLevel]).toEqual(['1N 2G 3G 4NTP', 'CONTINUE_COHORT', 4]);
    expect(rec.excluded.map((e: { usubjid: string }) => e.usubjid)).toEqual(['S1-005']);
    const tables = JSON.parse(run('tables', '--snapshot', id).out);
    expect(tables.incidence['TEAE by dose level, grade >= 3'].rows[0].total.subjects).toBe(5);
    expect(tables.listings.deaths.map((d: { usubjid: string }) => d.usubjid)).toEqual(['S1-003']);
    const csv = run('tables', '--snapshot', id, '--format', 'csv').out.split('\r\n');
    expect(csv[0]).toBe('table,row,soc,pt,group,N,subjects,percent,events,worst_grade_1,worst_grade_2,worst_grade_3,worst_grade_4,worst_grade_5,worst_grade_missing,ungraded_events');
    // grade >= 3, any TEAE, level 4: 3 of 4 treated = 75 %
    expect(csv).toContain('"TEAE by dose level, grade >= 3",any,Any TEAE,,Level 4: 0.3 mg/kg,4,3,75,3,0,0,2,1,0,0,0');
    const deaths = run('tables', '--snapshot', id, '--format', 'csv', '--table', 'deaths').out;
    expect(deaths.split('\r\n')[1]).toBe('S1-003,3,0.1,escalation,2025-05-20,79,DM; DS; AE,Sepsis; Died of sepsis,true');
  });
});
