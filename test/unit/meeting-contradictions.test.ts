import { describe, expect, it } from 'vitest';
import { crossLevelContradictions, lockIssues, meetingContradictions, type LevelDecision, type MeetingContent, type RuleRecommendation } from '../../shared/meeting';

// Decisions of one meeting checked against each other and against the rule (issue 12 item 5;
// shared/meeting.ts crossLevelContradictions, meetingContradictions, lockIssues). Each case is worked
// by hand from the rule written beside the function: one MTD per committee; no patient dosed above
// it; the RP2D at or below it (Le Tourneau, Lee & Siu 2009, J Natl Cancer Inst 101:708); no "stop"
// beside a dosing decision; the next patients sent to one level.

const dec = (level: number, decision: NonNullable<LevelDecision['decision']>['decision'], nextLevel: number | null): LevelDecision => ({ level, decision: { decision, nextLevel } });

describe('crossLevelContradictions', () => {
  it('agreeing decisions: none (MTD at DL6, expansion opened at DL6)', () => {
    expect(crossLevelContradictions([dec(6, 'declare-mtd', 6), dec(7, 'open-expansion', 6)])).toEqual([]);
  });

  it('MTD at DL6 beside "stay at DL7": dosing above the MTD, naming both levels', () => {
    const c = crossLevelContradictions([dec(6, 'declare-mtd', 6), dec(7, 'stay', 7)]);
    expect(c).toEqual([
      { kind: 'dosing-above-mtd', levels: [6, 7], message: 'the MTD is declared at DL6, but DL7\'s decision “Stay at this level” doses the next patients at DL7, above it' },
    ]);
  });

  it('two levels both declared MTD', () => {
    const c = crossLevelContradictions([dec(5, 'declare-mtd', 5), dec(6, 'declare-mtd', 6)]);
    expect(c.map((x) => [x.kind, x.levels])).toEqual([['two-mtds', [5, 6]]]);
    expect(c[0]!.message).toBe('the MTD is declared more than once (at DL5 in the decision on DL5, at DL6 in the decision on DL6); a committee names one MTD');
  });

  it('escalation above a level declared MTD: MTD DL5 (declared in the decision on DL6) and "escalate to DL7"', () => {
    const c = crossLevelContradictions([dec(6, 'declare-mtd', 5), dec(4, 'escalate', 7)]);
    expect(c.map((x) => [x.kind, x.levels])).toEqual([['dosing-above-mtd', [6, 4]]]);
    expect(c[0]!.message).toContain('the MTD is declared at DL5');
  });

  it('de-escalation below the MTD is no contradiction; the RP2D above the MTD is', () => {
    expect(crossLevelContradictions([dec(6, 'declare-mtd', 6), dec(7, 'de-escalate', 5)])).toEqual([]);
    expect(crossLevelContradictions([dec(6, 'declare-mtd', 6), dec(7, 'declare-rp2d', 7)]).map((x) => x.kind)).toEqual(['rp2d-above-mtd']);
    expect(crossLevelContradictions([dec(6, 'declare-mtd', 6), dec(7, 'declare-rp2d', 5)])).toEqual([]);
  });

  it('stop beside a dosing decision; dosing decisions to different levels', () => {
    expect(crossLevelContradictions([dec(3, 'stop', null), dec(4, 'stay', 4)]).map((x) => [x.kind, x.levels])).toEqual([['stop-beside-dosing', [3, 4]]]);
    const c = crossLevelContradictions([dec(3, 'escalate', 4), dec(5, 'de-escalate', 4)]);
    expect(c).toEqual([]); // both send the next patients to DL4
    expect(crossLevelContradictions([dec(3, 'escalate', 4), dec(5, 'stay', 5)]).map((x) => [x.kind, x.levels])).toEqual([['different-next-levels', [3, 5]]]);
  });

  it('a level without a decision takes part in nothing', () => {
    expect(crossLevelContradictions([{ level: 6, decision: null }, dec(7, 'stay', 7)])).toEqual([]);
  });
});

const STOP_MTD: RuleRecommendation = { design: 'atd', error: null, action: 'STOP_MTD', nextLevel: null, recommendedLevel: 6, explanation: 'MTD = level 6', determined: true, rule: 'x' };

function content(levels: { level: number; decision: MeetingContent['levels'][number]['decision'] }[]): MeetingContent {
  return {
    title: 't',
    committee: 'SRC',
    meetingNumber: '1',
    studyId: 'S',
    studyTitle: null,
    startAt: '2025-01-01T10:00+01:00',
    endAt: null,
    timeZone: 'Europe/Berlin',
    format: 'video',
    snapshot: { snapshotId: 1, contentHash: 'h', label: 'l', dataCutoff: null },
    design: null,
    attendees: [
      { userId: 1, name: 'A', role: 'chair', voting: true, present: true, affiliation: '' },
      { userId: 2, name: 'B', role: 'voting-member', voting: true, present: true, affiliation: '' },
    ],
    quorum: { minVotingPresent: 2, chairRequired: true },
    conflicts: [],
    levels: levels.map((l) => ({
      level: l.level,
      dose: l.level,
      doseUnit: 'mg/kg',
      dltTable: { level: l.level, dose: l.level, part: 'escalation', treated: 3, evaluable: 3, withDlt: 0, pending: 0, subjects: [] },
      recommendation: STOP_MTD,
      whenComplete: null,
      context: { boin: null, mtpi2: null },
      history: '',
      decision: l.decision,
      votes: [
        { userId: 1, vote: 'for', comment: '' },
        { userId: 2, vote: 'for', comment: '' },
      ],
    })),
    observations: { safety: '', pk: '', efficacy: '', other: '' },
    actionItems: [],
    figures: [],
  };
}

const d = (decision: 'declare-mtd' | 'stay', nextLevel: number, rationale: string) => ({ decision, nextLevel, nextDose: null, cohortSize: decision === 'stay' ? 3 : null, rationale, conditions: '' });

describe('meetingContradictions and lockIssues', () => {
  it('STOP_MTD with "declare the MTD at DL6" and "stay at DL7": DL7 departs from the rule, and contradicts DL6', () => {
    const c = content([
      { level: 6, decision: d('declare-mtd', 6, '') },
      { level: 7, decision: d('stay', 7, '') },
    ]);
    const found = meetingContradictions(c.levels);
    expect(found.map((x) => [x.kind, x.levels])).toEqual([
      ['departs-from-rule', [7]],
      ['dosing-above-mtd', [6, 7]],
    ]);
    expect(found[0]!.message).toBe(
      'the decision departs from the rule: the rule recommends “Stop: MTD identified” (agreeing decisions: “Declare the MTD” or “Declare the RP2D” or “Open the expansion”); the committee decided “Stay at this level” at DL7',
    );
    // without rationales: DL7 needs one for the departure and one for the contradiction, DL6 one for the contradiction
    const issues = lockIssues(c).filter((i) => i.path.endsWith('.rationale'));
    expect(issues.map((i) => i.path)).toEqual(['levels[0] (level 6).decision.rationale', 'levels[1] (level 7).decision.rationale', 'levels[1] (level 7).decision.rationale']);
    expect(issues[0]!.message).toBe('the decisions contradict each other — give a rationale: the MTD is declared at DL6, but DL7\'s decision “Stay at this level” doses the next patients at DL7, above it');
  });

  it('with a rationale on each level involved, nothing blocks locking (the contradictions stay listed for the minutes)', () => {
    const c = content([
      { level: 6, decision: d('declare-mtd', 6, 'MTD per the rule.') },
      { level: 7, decision: d('stay', 7, 'Backfill at DL7 agreed with the sponsor.') },
    ]);
    expect(lockIssues(c)).toEqual([]);
    expect(meetingContradictions(c.levels)).toHaveLength(2);
  });
});
