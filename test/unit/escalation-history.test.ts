// History notation (shared/reference/escalation/escalation_rules.md, "Decision vocabulary and
// history notation": S5 notation N/T; G of accelerated titration; P = pending, DoseDesk extension).
import { describe, expect, it } from 'vitest';
import {
  buildHistory, currentLevel, formatHistory, HistoryParseError, parseHistory, tallyByLevel,
} from '../../shared/escalation/index.js';

describe('parseHistory / formatHistory (notation of S5)', () => {
  it("parses '1NNN 2NNT 2NNN' into cohorts and formats it back", () => {
    const h = parseHistory('1NNN 2NNT 2NNN');
    expect(h.cohorts.map((c) => [c.level, c.patients.map((p) => p.outcome).join('')])).toEqual([[1, 'NNN'], [2, 'NNT'], [2, 'NNN']]);
    expect(formatHistory(h)).toBe('1NNN 2NNT 2NNN');
  });
  it("parses the accelerated-titration letter G ('1N 2G 3G') and pending P", () => {
    const h = parseHistory('1N 2G 3G 4NNP');
    expect(formatHistory(h)).toBe('1N 2G 3G 4NNP');
    expect(h.cohorts[3]!.patients[2]!.outcome).toBe('P');
  });
  it('parses later-course annotations (design 4) and keeps them on the patient', () => {
    const h = parseHistory('1Ng 2Nt 3G');
    expect(h.cohorts[0]!.patients[0]).toEqual({ outcome: 'N', laterCourse: 'g' });
    expect(h.cohorts[1]!.patients[0]).toEqual({ outcome: 'N', laterCourse: 't' });
    expect(formatHistory(h)).toBe('1Ng 2Nt 3G');
  });
  it('accepts extra whitespace, multi-digit levels and the empty history', () => {
    expect(formatHistory(parseHistory('  1NNN\t 12NT  '))).toBe('1NNN 12NT');
    expect(parseHistory('').cohorts).toEqual([]);
    expect(currentLevel(parseHistory(''))).toBeNull();
    expect(currentLevel(parseHistory('1NNN 2NT'))).toBe(2);
  });
});

describe('malformed histories name the position and the offending character', () => {
  const cases: [string, number, string, RegExp][] = [
    ['1NNX', 4, 'X', /expected a patient letter/],
    ['1NNN 2NnT', 8, 'n', /expected a patient letter/],
    ['NNN', 1, 'N', /must start with its dose-level number/],
    ['1NNN 2', 7, '', /dose level 2 has no patients/],
    ['1NNN2NNT', 5, '2', /separated .* by a space/],
    ['0NNN', 1, '0', /levels start at 1/],
    ['1gN', 2, 'g', /must follow a patient letter/],
    ['1Ngt', 4, 't', /at most one later-course annotation/],
    ['1NNN, 2NNT', 5, ',', /expected a patient letter/],
  ];
  for (const [text, position, character, detail] of cases) {
    it(`'${text}' -> position ${position}, character '${character}'`, () => {
      try {
        parseHistory(text);
        expect.unreachable('should throw');
      } catch (e) {
        expect(e).toBeInstanceOf(HistoryParseError);
        const err = e as HistoryParseError;
        expect([err.position, err.character]).toEqual([position, character]);
        expect(err.message).toMatch(detail);
        expect(err.message).toContain(`position ${position}`);
      }
    });
  }
  it('a level above the planned levels is an error at its position', () => {
    expect(() => parseHistory('1NNN 9N', { levels: 5 })).toThrow(/position 6 \('9'\): dose level 9 is above the highest planned level 5/);
  });
});

describe('per-level tallies ((a) "What the app must know": n evaluable, x DLT per level)', () => {
  it('counts evaluable, DLT, grade-2 and pending per level across all cohorts', () => {
    const t = tallyByLevel(parseHistory('1N 2G 3G 3NT 3P 4TT'), 5);
    expect(t.map((x) => [x.level, x.n, x.dlt, x.grade2, x.pending])).toEqual([
      [1, 1, 0, 0, 0], [2, 1, 0, 1, 0], [3, 3, 1, 1, 1], [4, 2, 2, 0, 0], [5, 0, 0, 0, 0],
    ]);
  });
  it('buildHistory groups consecutive patients of one level and cohort id', () => {
    const h = buildHistory([
      { level: 1, outcome: 'N', cohortId: 'C1' }, { level: 1, outcome: 'N', cohortId: 'C1' }, { level: 1, outcome: 'T', cohortId: 'C1' },
      { level: 1, outcome: 'N', cohortId: 'C2' }, { level: 2, outcome: 'P', cohortId: 'C3', laterCourse: 'g' },
    ]);
    expect(formatHistory(h)).toBe('1NNT 1N 2Pg');
  });
});
