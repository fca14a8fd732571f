// Departure notes of the BOIN / mTPI-2 context rules (issue 12 item 9): a cohort opened while the
// rule still wanted patients at an earlier level is "started while a DLT window was open" only when
// an earlier cohort's window (study days 1..W, docs/CLINICAL_RULES.md#dlt-window) was open on the day of its first dose; and
// the notes are grouped, one line per kind. Dates worked by hand: a first dose on 2025-01-01 with a
// 21-day window → day 21 = 2025-01-21 (day 1 is the first dose, no day 0).
import { describe, expect, it } from 'vitest';
import { earlierWindowOpen, groupDepartures, recommend, ruleDepartures, type CohortTiming } from '../../shared/escalation/recommend';

const W1 = { firstDose: '2025-01-01', windowEnd: '2025-01-21' };

describe('earlierWindowOpen (window = study days 1..21, open on a date D when D ≤ day 21)', () => {
  it('the next first dose on day 21 of the earlier window: open; on day 22: closed', () => {
    expect(earlierWindowOpen([W1, { firstDose: '2025-01-21', windowEnd: '2025-02-10' }], 1)).toEqual({ index: 0, windowEnd: '2025-01-21' });
    expect(earlierWindowOpen([W1, { firstDose: '2025-01-22T09:00', windowEnd: '2025-02-11' }], 1)).toBeNull();
  });
  it('any earlier cohort counts, not only the one before', () => {
    const t: CohortTiming[] = [{ firstDose: '2025-01-01', windowEnd: '2025-03-01' }, { firstDose: '2025-01-05', windowEnd: '2025-01-25' }, { firstDose: '2025-02-10', windowEnd: null }];
    expect(earlierWindowOpen(t, 2)).toEqual({ index: 0, windowEnd: '2025-03-01' });
  });
});

describe('BOIN replaying a single-patient start (history "1N 2N"; BOIN cohorts of 3 want 2 more at DL1)', () => {
  const base = { design: 'boin' as const, levels: 5, history: '1N 2N', target: 0.3 };
  it('DL1 window closed 8 days before DL2 (2025-01-21 → 2025-01-29): no "still open" note', () => {
    const d = ruleDepartures({ ...base, cohortTiming: [W1, { firstDose: '2025-01-29', windowEnd: '2025-02-18' }] });
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ kind: 'elsewhere', cohortIndex: 1, level: 2, expectedAction: 'CONTINUE_COHORT', expectedLevel: 1 });
    expect(d[0]!.message).not.toMatch(/open|in progress/);
  });
  it('DL2 dosed on 2025-01-15, inside DL1 window (until 2025-01-21): "started while … open"', () => {
    const d = ruleDepartures({ ...base, cohortTiming: [W1, { firstDose: '2025-01-15', windowEnd: '2025-02-04' }] });
    expect(d).toEqual([
      expect.objectContaining({ kind: 'window-open', message: 'cohort 2 at level 2 was started on 2025-01-15, while the DLT window of cohort 1 (level 1) was open until 2025-01-21.' }),
    ]);
  });
});

describe('grouped notes: one line per kind with the count and the levels', () => {
  it('mTPI-2 over "1N 2N 3N 4N", every window closed: 3 departures, one line', () => {
    const timing: CohortTiming[] = ['2025-01-01', '2025-02-01', '2025-03-01', '2025-04-01'].map((d) => ({ firstDose: d, windowEnd: d.replace(/-01$/, '-21') }));
    const r = recommend({ design: 'mtpi2', levels: 5, history: '1N 2N 3N 4N', target: 0.3, cohortTiming: timing });
    expect(r.departures).toHaveLength(3);
    expect(r.warnings.filter((w) => w.startsWith('Departure'))).toEqual(['Departure from the rule: 3 cohorts treated at another level than the rule pointed to (DL2, DL3, DL4).']);
  });
  it('kinds are kept apart; a single departure keeps its sentence', () => {
    const lines = groupDepartures([
      { cohortIndex: 1, level: 2, expectedAction: 'CONTINUE_COHORT', expectedLevel: 1, kind: 'window-open', message: 'a' },
      { cohortIndex: 2, level: 3, expectedAction: 'CONTINUE_COHORT', expectedLevel: 2, kind: 'window-open', message: 'b' },
      { cohortIndex: 3, level: 3, expectedAction: 'ESCALATE', expectedLevel: 4, kind: 'elsewhere', message: 'cohort 4 was treated at level 3; the rule recommended ESCALATE to level 4.' },
    ]);
    expect(lines).toEqual([
      "Departure from the rule: 2 cohorts started while an earlier cohort's DLT window was still open (DL2, DL3).",
      'Departure from the rule: cohort 4 was treated at level 3; the rule recommended ESCALATE to level 4.',
    ]);
  });
});
