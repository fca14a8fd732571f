import { describe, expect, it } from 'vitest';
import { ESCALATION_ACTIONS } from '../../shared/escalation/vocabulary';
import {
  canonicalJson,
  checkQuorum,
  COMMITTEE_DECISIONS,
  decisionsForAction,
  departsFromRule,
  isoWithOffset,
  lockIssues,
  requiredSigners,
  tallyVotes,
  type Attendee,
  type MeetingContent,
  type RuleRecommendation,
} from '../../shared/meeting';

// Pure rules of the meeting record: canonical JSON (RFC 8785), the mapping of the rule engine's
// actions (reference/escalation/escalation_rules.md "Decision vocabulary") to committee decisions,
// departures (rationale required), quorum, votes, what blocks locking.

describe('canonicalJson (RFC 8785, JSON Canonicalization Scheme)', () => {
  it('RFC 8785 §3.2.2 example: literals, numbers in ECMAScript form, string escapes', () => {
    // Input and expected output of RFC 8785 §3.2.2 (less the 333333333.33333329 element, whose
    // expected "333333333.3333333" is also what ECMAScript gives, checked separately below).
    const input = JSON.parse('{"numbers": [1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}');
    expect(canonicalJson(input)).toBe('{"literals":[null,true,false],"numbers":[1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
    expect(canonicalJson([Number('333333333.33333329')])).toBe('[333333333.3333333]');
  });

  it('RFC 8785 §3.2.3: members sorted by UTF-16 code units (an astral character sorts before U+FB33)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // read the order from the text (JSON.parse would put the integer-like key "1" first)
    const text = canonicalJson(input);
    const values = [...text.matchAll(/:"([^"]+)"/g)].map((m) => m[1]);
    expect(values).toEqual(['Carriage Return', 'One', 'Control', 'Latin Small Letter O With Diaeresis', 'Euro Sign', 'Emoji: Grinning Face', 'Hebrew Letter Dalet With Dagesh']);
  });

  it('does not depend on key insertion order, nests, and keeps Unicode unnormalised', () => {
    const a = canonicalJson({ b: 1, a: { d: [1, { z: true, y: null }], c: 'x' } });
    const b = canonicalJson({ a: { c: 'x', d: [1, { y: null, z: true }] }, b: 1 });
    expect(a).toBe(b);
    expect(a).toBe('{"a":{"c":"x","d":[1,{"y":null,"z":true}]},"b":1}');
    // precomposed é (U+00E9) and e + combining acute (U+0065 U+0301) are different records
    expect(canonicalJson({ n: 'Ren\u00e9' })).not.toBe(canonicalJson({ n: 'Rene\u0301' }));
    expect(canonicalJson({ n: 'Ren\u00e9' })).toBe('{"n":"René"}');
  });

  it('drops undefined members, turns -0 into 0, refuses what JSON cannot hold', () => {
    expect(canonicalJson({ a: undefined, b: -0 })).toBe('{"b":0}');
    expect(() => canonicalJson({ a: NaN })).toThrow(/finite/);
    expect(() => canonicalJson([1, undefined])).toThrow(/undefined/);
    expect(() => canonicalJson({ d: new Date(0) })).toThrow(/plain object/);
  });
});

describe('isoWithOffset', () => {
  it('writes local time with the offset (11.50(a)(2) date and time with time zone)', () => {
    const ms = Date.UTC(2025, 2, 4, 8, 30, 0, 0);
    expect(isoWithOffset(ms, 60)).toBe('2025-03-04T09:30:00.000+01:00');
    expect(isoWithOffset(ms, -330)).toBe('2025-03-04T03:00:00.000-05:30');
    expect(isoWithOffset(ms, 0)).toBe('2025-03-04T08:30:00.000+00:00');
    expect(Date.parse(isoWithOffset(ms, 345))).toBe(ms);
  });
});

const rec = (action: string, nextLevel: number | null, extra: Partial<RuleRecommendation> = {}): RuleRecommendation => ({
  design: '3+3',
  error: null,
  action,
  nextLevel,
  recommendedLevel: nextLevel,
  explanation: '',
  determined: false,
  rule: null,
  ...extra,
});

describe('rule actions -> committee decisions (escalation_rules.md decision vocabulary)', () => {
  it('maps every action of the vocabulary to at least one decision', () => {
    for (const a of ESCALATION_ACTIONS) {
      const d = decisionsForAction(a, 3, 2);
      expect(d.length, a).toBeGreaterThan(0);
      for (const x of d) expect(COMMITTEE_DECISIONS).toContain(x);
    }
  });

  it.each([
    ['ESCALATE', 3, 2, ['escalate']],
    ['STAY_EXPAND_TO_6', 2, 2, ['stay', 'expand-cohort']],
    ['DEESCALATE', 1, 2, ['de-escalate']],
    ['STOP_MTD', null, 2, ['declare-mtd', 'declare-rp2d', 'open-expansion']],
    ['STOP_NO_MTD', null, 1, ['stop']],
    ['SWITCH_TO_3P3', 2, 2, ['stay', 'expand-cohort']],
    ['SWITCH_TO_3P3', 3, 2, ['escalate']],
  ] as const)('%s (rule next level %s, reviewed level %s) agrees with %j', (action, next, reviewed, expected) => {
    expect(decisionsForAction(action, next, reviewed)).toEqual(expected);
  });

  it('a decision departs from the rule when the decision or the next level differs, or the rule gave nothing', () => {
    // 3+3 (Korn et al. 1994): 0/3 at level 2 -> escalate to 3
    const r = rec('ESCALATE', 3);
    expect(departsFromRule({ decision: 'escalate', nextLevel: 3 }, r, 2).departs).toBe(false);
    expect(departsFromRule({ decision: 'escalate', nextLevel: 4 }, r, 2).departs).toBe(true); // skips a level
    const stay = departsFromRule({ decision: 'stay', nextLevel: 2 }, r, 2);
    expect(stay.departs).toBe(true);
    expect(stay.why).toMatch(/ESCALATE at level 3.*stay at level 2/);
    expect(departsFromRule({ decision: 'stay', nextLevel: 2 }, rec('ESCALATE', null, { error: 'history malformed', action: null }), 2).departs).toBe(true);
    expect(departsFromRule({ decision: 'stop', nextLevel: null }, null, 2).departs).toBe(true);
  });

  it('an incomplete cohort whose outcome is determined also agrees with the outcome (2/2 DLT in 3+3 -> de-escalate)', () => {
    const r = rec('CONTINUE_COHORT', 2, { determined: true });
    expect(departsFromRule({ decision: 'de-escalate', nextLevel: 1 }, r, 2, { action: 'DEESCALATE', nextLevel: 1 }).departs).toBe(false);
    expect(departsFromRule({ decision: 'de-escalate', nextLevel: 1 }, { ...r, determined: false }, 2, { action: 'DEESCALATE', nextLevel: 1 }).departs).toBe(true);
  });
});

const att = (userId: number | null, role: Attendee['role'], voting: boolean, present = true): Attendee => ({ userId, name: `U${userId}`, role, voting, present, affiliation: '' });

describe('quorum and votes', () => {
  it('counts present voting members and the chair (charter quorum, part11.md §4 M6)', () => {
    const a = [att(1, 'chair', true), att(2, 'voting-member', true), att(3, 'voting-member', true, false), att(4, 'non-voting-attendee', false)];
    expect(checkQuorum(a, { minVotingPresent: 2, chairRequired: true })).toMatchObject({ met: true, votingPresent: 2, chairPresent: true });
    expect(checkQuorum(a, { minVotingPresent: 3, chairRequired: false }).met).toBe(false);
    expect(checkQuorum(a.slice(1), { minVotingPresent: 1, chairRequired: true })).toMatchObject({ met: false, chairPresent: false });
  });

  it('a decision is carried when votes for outnumber votes against (abstentions not counted)', () => {
    expect(tallyVotes([{ userId: 1, vote: 'for', comment: '' }, { userId: 2, vote: 'abstain', comment: '' }])).toEqual({ for: 1, against: 0, abstain: 1, carried: true });
    expect(tallyVotes([{ userId: 1, vote: 'for', comment: '' }, { userId: 2, vote: 'against', comment: '' }]).carried).toBe(false);
  });

  it('required signers: present attendees with an account whose role has a meaning', () => {
    const a = [att(1, 'chair', true), att(2, 'voting-member', true, false), att(null, 'voting-member', true), att(5, 'secretary', false), att(6, 'non-voting-attendee', false)];
    expect(requiredSigners(a, { chair: ['approved'], secretary: ['authored'], 'voting-member': ['reviewed'] }).map((s) => [s.userId, s.meanings])).toEqual([
      [1, ['approved']],
      [5, ['authored']],
    ]);
  });
});

describe('lockIssues', () => {
  const content = (decision: MeetingContent['levels'][number]['decision'], votes: MeetingContent['levels'][number]['votes']): MeetingContent => ({
    title: 'SRC 3',
    committee: 'SRC',
    meetingNumber: '3',
    studyId: 'S1',
    studyTitle: null,
    startAt: '2025-03-04T09:30:00+01:00',
    endAt: null,
    timeZone: 'Europe/Paris',
    format: 'in-person',
    snapshot: { snapshotId: 1, contentHash: 'h', label: 'cut', dataCutoff: '2025-03-03' },
    design: null,
    attendees: [att(1, 'chair', true), att(2, 'voting-member', true), att(3, 'secretary', false)],
    quorum: { minVotingPresent: 2, chairRequired: true },
    conflicts: [],
    levels: [
      {
        level: 2,
        dose: 0.03,
        doseUnit: 'mg/kg',
        dltTable: { level: 2, dose: 0.03, part: 'escalation', treated: 3, evaluable: 3, withDlt: 0, pending: 0, subjects: [] },
        recommendation: rec('ESCALATE', 3),
        whenComplete: null,
        context: { boin: null, mtpi2: null },
        history: '1NNN 2NNN',
        decision,
        votes,
      },
    ],
    observations: { safety: '', pk: '', efficacy: '', other: '' },
    actionItems: [],
    figures: [],
  });
  const yes = [
    { userId: 1, vote: 'for' as const, comment: '' },
    { userId: 2, vote: 'for' as const, comment: '' },
  ];

  it('nothing blocks a quorate meeting that follows the rule with every vote cast', () => {
    expect(lockIssues(content({ decision: 'escalate', nextLevel: 3, nextDose: 0.1, cohortSize: 3, rationale: '', conditions: '' }, yes))).toEqual([]);
  });

  it('requires a rationale when the decision departs from the rule', () => {
    const issues = lockIssues(content({ decision: 'stay', nextLevel: 2, nextDose: 0.03, cohortSize: 3, rationale: '  ', conditions: '' }, yes));
    expect(issues).toEqual([expect.objectContaining({ path: 'levels[0] (level 2).decision.rationale', message: expect.stringMatching(/rationale is required/) })]);
    expect(lockIssues(content({ decision: 'stay', nextLevel: 2, nextDose: 0.03, cohortSize: 3, rationale: 'grade 2 hepatotoxicity trend in 2 of 3', conditions: '' }, yes))).toEqual([]);
  });

  it('blocks a missing decision, missing or foreign votes, an uncarried vote', () => {
    expect(lockIssues(content(null, yes)).map((i) => i.message)).toEqual(['no committee decision recorded']);
    const d = { decision: 'escalate' as const, nextLevel: 3, nextDose: 0.1, cohortSize: 3, rationale: '', conditions: '' };
    expect(lockIssues(content(d, [yes[0]!])).map((i) => i.message)).toEqual(['no vote recorded for user(s) 2']);
    expect(lockIssues(content(d, [...yes, { userId: 3, vote: 'for', comment: '' }])).map((i) => i.message)).toEqual(['user 3 is not a present, non-recused voting member']);
    expect(lockIssues(content(d, [yes[0]!, { userId: 2, vote: 'against', comment: '' }])).map((i) => i.message)).toEqual([expect.stringMatching(/not carried/)]);
  });
});
