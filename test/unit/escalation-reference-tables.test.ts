// BOIN boundary tables (target 0.25 and 0.30) and the mTPI-2 decision table, compared cell by cell
// with the tables of shared/reference/escalation/escalation_rules.md, read from the markdown here.
import { describe, expect, it } from 'vitest';
import { boinBoundary, boinLambdas, mtpi2Decision, posteriorProbAbove } from '../../shared/escalation/index.js';
import { referencePath, referenceText } from '../helpers/reference';

const REF = referencePath('escalation/escalation_rules.md', 'escalation-reference-tables.test.ts');
const md = referenceText(REF);

/** Rows (cells trimmed) of the markdown table whose header line starts with `headerStart`. */
function markdownTable(headerStart: string): { header: string[]; rows: string[][] } {
  const lines = md.split(/\r?\n/);
  const i = lines.findIndex((l) => l.startsWith(headerStart));
  if (i < 0 && !REF) return { header: [], rows: [] }; // skipped below: the reference is missing
  if (i < 0) throw new Error(`table "${headerStart}" not found in ${REF}`);
  const cells = (l: string) => l.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
  const rows: string[][] = [];
  for (let k = i + 2; k < lines.length && lines[k]!.trim().startsWith('|'); k++) rows.push(cells(lines[k]!));
  return { header: cells(lines[i]!), rows };
}

const num = (s: string): number | null => (s === 'NA' ? null : Number(s));

describe.skipIf(!REF)('BOIN boundaries (escalation_rules.md (c), S9 get.boundary; S10, S11)', () => {
  const full = markdownTable('| n treated at current dose |');

  it('the reference full table has n = 1..30 and six boundary columns', () => {
    expect(full.rows.map((r) => Number(r[0]))).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(full.header).toHaveLength(7);
  });

  for (const [target, offset] of [[0.25, 1], [0.3, 4]] as const) {
    it(`target ${target}: every cell of the full boundary table (n = 1..30) matches (c) S9/S10/S11`, () => {
      let cells = 0;
      for (const r of full.rows) {
        const n = Number(r[0]);
        const b = boinBoundary(n, { target });
        expect({ n, escalate: b.escalate }).toEqual({ n, escalate: num(r[offset]!) });
        expect({ n, deescalate: b.deescalate }).toEqual({ n, deescalate: num(r[offset + 1]!) });
        expect({ n, eliminate: b.eliminate }).toEqual({ n, eliminate: num(r[offset + 2]!) });
        cells += 3;
      }
      expect(cells).toBe(90);
    });
  }

  it('the short cohort-of-3 table (boundary_tab view, (c)) matches cell by cell', () => {
    const short = markdownTable('| n | 3 | 6 | 9 |');
    const ns = short.header.slice(1).map(Number);
    expect(ns).toEqual([3, 6, 9, 12, 15, 18, 21, 24, 27, 30]);
    const key: Record<string, [number, 'escalate' | 'deescalate' | 'eliminate']> = {
      '0.25 escalate if <=': [0.25, 'escalate'], '0.25 de-escalate if >=': [0.25, 'deescalate'], '0.25 eliminate if >=': [0.25, 'eliminate'],
      '0.30 escalate if <=': [0.3, 'escalate'], '0.30 de-escalate if >=': [0.3, 'deescalate'], '0.30 eliminate if >=': [0.3, 'eliminate'],
    };
    expect(short.rows.map((r) => r[0])).toEqual(Object.keys(key));
    for (const r of short.rows) {
      const [target, field] = key[r[0]!]!;
      ns.forEach((n, j) => expect({ n, target, field, v: boinBoundary(n, { target })[field] }).toEqual({ n, target, field, v: num(r[j + 1]!) }));
    }
  });

  it('lambda_e and lambda_d match the table of (c) to 4 decimals', () => {
    const t = markdownTable('| target | lambda_e | lambda_d |');
    expect(t.rows).toHaveLength(2);
    for (const r of t.rows) {
      const target = Number(r[0]);
      const l = boinLambdas({ target });
      expect(l.lambdaE.toFixed(4)).toBe(r[1]!.split(' ')[0]);
      expect(l.lambdaD.toFixed(4)).toBe(r[2]!.split(' ')[0]);
    }
  });

  it('posterior Pr(p > target | y/3), Beta(1,1) prior, matches (c) "Near-threshold elimination" values', () => {
    const line = md.split('\n').find((l) => l.includes('Posterior values (Beta(1,1)) for n = 3'))!;
    const m = /0\.25 -> ([\d., ]+); 0\.30 -> ([\d., ]+)\(/.exec(line)!;
    const parse = (s: string) => s.split(',').map((x) => Number(x.trim()));
    const p25 = parse(m[1]!);
    const p30 = parse(m[2]!);
    expect(p25).toHaveLength(4);
    expect(p30).toHaveLength(4);
    p25.forEach((v, y) => expect(posteriorProbAbove(0.25, y, 3)).toBeCloseTo(v, 3));
    p30.forEach((v, y) => expect(posteriorProbAbove(0.3, y, 3)).toBeCloseTo(v, 3));
    // 2/3 at target 0.25 stays just under the 0.95 elimination cut-off ((c)).
    expect(posteriorProbAbove(0.25, 2, 3)).toBeLessThan(0.95);
  });
});

describe.skipIf(!REF)('mTPI-2 decision table pT = 0.30, e1 = e2 = 0.05 (escalation_rules.md (d), S12)', () => {
  const t = markdownTable('| n | y=0 |');
  it('every cell of the reference table matches the model', () => {
    expect(t.header).toEqual(['n', 'y=0', '1', '2', '3', '4', '5', '6', '7+']);
    let cells = 0;
    for (const r of t.rows) {
      const n = Number(r[0]);
      for (let col = 1; col < r.length; col++) {
        const expected = r[col]!;
        if (expected === '') continue;
        const ys = col === 8 ? Array.from({ length: n - 6 }, (_, k) => 7 + k) : [col - 1];
        for (const y of ys) {
          expect({ n, y, d: mtpi2Decision(y, n, { target: 0.3, epsilon1: 0.05, epsilon2: 0.05, xi: 0.95 }) }).toEqual({ n, y, d: expected });
          cells++;
        }
      }
    }
    expect(t.rows.map((r) => Number(r[0]))).toEqual([3, 6, 9, 12]);
    expect(cells).toBeGreaterThanOrEqual(4 + 7 + 10 + 8);
  });
});
