// Rows as columns (shared/columns.ts): the rows come back equal, field by field; a field whose values
// repeat travels as a dictionary; rows that JSON could not bring back equal are refused. Then the
// laboratory and immunogenicity answers the views ask for as columns, on the shipped demo
// (resources/demo/cut2); on other sponsors' conventions in CSV, Dataset-JSON and XPT:
// labs-conventions.test.ts and ada-conventions.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { fromColumns, toColumns } from '../../shared/columns';
import { expectColumnsEqualRows } from '../helpers/columns';
import { tmpDir } from '../helpers/snapshot';

const CUT2 = path.resolve(__dirname, '../../resources/demo/cut2');

describe('toColumns / fromColumns', () => {
  const rows = [
    { usubjid: 'S-001', grade: 3, te: true, titre: 1.25, note: null, notes: ['a'] },
    { usubjid: 'S-001', grade: 0, te: false, titre: 2.5, note: 'x', notes: [] },
    { usubjid: 'S-002', grade: 3, te: false, titre: 0.1 + 0.2, note: null, notes: ['b', 'c'] },
    { usubjid: 'S-002', grade: 3, te: false, titre: 7, note: null, notes: [] },
  ];

  it('brings the rows back equal, through JSON', () => {
    const c = toColumns(rows);
    expect(c.n).toBe(4);
    expect(fromColumns(JSON.parse(JSON.stringify(c)) as typeof c)).toEqual(rows);
    expect(fromColumns(toColumns([]))).toEqual([]);
  });

  it('a dictionary for repeated scalars, the values otherwise', () => {
    const c = toColumns(rows);
    expect(c.fields.usubjid).toEqual({ dict: ['S-001', 'S-002'], index: [0, 0, 1, 1] });
    expect(c.fields.te).toEqual({ dict: [true, false], index: [0, 1, 1, 1] });
    expect(c.fields.note).toEqual({ dict: [null, 'x'], index: [0, 1, 0, 0] });
    // 4 distinct of 4: values; arrays are never a dictionary.
    expect(c.fields.titre).toEqual({ values: [1.25, 2.5, 0.1 + 0.2, 7] });
    expect(c.fields.notes).toEqual({ values: [['a'], [], ['b', 'c']].concat([[]]) });
    // Fewer bytes than the rows once the names and values repeat.
    const many = Array.from({ length: 1000 }, (_, i) => ({ usubjid: `S-${i >> 2}`, grade: i % 5, te: i % 7 === 0 }));
    expect(JSON.stringify(toColumns(many)).length).toBeLessThan(JSON.stringify(many).length / 3);
  });

  it('refuses rows that would not come back equal', () => {
    expect(() => toColumns([{ a: 1, b: 2 }, { a: 1 }] as { a: number; b?: number }[])).toThrow(/row 1 has no value for field "b"/);
    expect(() => toColumns([{ a: 1 }, { a: 2, b: 3 }])).toThrow(/row 1 has fields a, b; the first row has a/);
    expect(() => toColumns([{ a: undefined }])).toThrow(/row 0 has no value for field "a"/);
  });
});

describe('the views\' answers as columns, on the demo', () => {
  let dir: string;
  let core: Core;
  let snapshotId: number;
  beforeAll(async () => {
    dir = tmpDir('dosedesk-columns-');
    core = createCore({ dbPath: path.join(dir, 'db.sqlite') });
    snapshotId = (await core.call('snapshot.import', { path: CUT2 })).snapshotId!;
  });
  afterAll(() => {
    core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('labs.shift, labs.edish and safety.ada decode to the rows', async () => {
    await expectColumnsEqualRows(core, snapshotId);
    // The demo has what the columns must carry: notable lab pairs, eDISH points, ADA-positive and negative subjects.
    const ada = await core.call('safety.ada', { snapshotId });
    expect(ada.subjects.some((s) => s.samples.some((x) => x.result === 'POSITIVE'))).toBe(true);
    expect(ada.subjects.some((s) => !s.samples.some((x) => x.result === 'POSITIVE') && s.samples.length > 1)).toBe(true);
    expect((await core.call('labs.shift', { snapshotId, subjectRows: 'notable' })).subjects.length).toBeGreaterThan(10);
    expect((await core.call('labs.edish', { snapshotId })).points.length).toBeGreaterThan(5);
  });
});
