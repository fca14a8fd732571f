// Meeting messages in words (issue 12 item 9; renderer/src/components/meeting/words.ts): the lock
// issues of shared/meeting.ts lockIssues and the core's refusals, without internal paths or rule
// codes. The inputs are the texts the core writes (lockIssues, departsFromRule, the contract's
// validation "method: path: message"); each expected sentence is written out by hand.
import { describe, expect, it } from 'vitest';
import { codesInWords, issueSentence, meetingErrorSentence, pathInWords } from '../../renderer/src/components/meeting/words';

const WHY = 'the rule recommends STOP_MTD (declare-mtd); the committee decided de-escalate at level 6';

describe('lock issues as sentences', () => {
  it('a departure without rationale: "DL7: the decision departs from the rule — give a rationale"', () => {
    const s = issueSentence({ path: 'levels[1] (level 7).decision.rationale', message: `a rationale is required: ${WHY}` });
    expect(s).toBe('DL7: the decision departs from the rule — give a rationale (the rule recommends “Stop: MTD identified” (agreeing decision: “Declare the MTD”); the committee decided “De-escalate” at DL6)');
    expect(s).not.toMatch(/levels\[|STOP_MTD|\.decision\./);
  });
  it('no decision, a dosing decision without next level, votes named by attendee', () => {
    expect(issueSentence({ path: 'levels[0] (level 3)', message: 'no committee decision recorded' })).toBe('DL3: no committee decision is recorded yet');
    expect(issueSentence({ path: 'levels[0] (level 3).decision', message: 'escalate needs the next dose level and the cohort size' })).toBe('DL3: “Escalate” needs the next dose level and the cohort size');
    expect(issueSentence({ path: 'levels[0] (level 3).votes', message: 'no vote recorded for user(s) 4, 9' }, new Map([[4, 'Dr Omar One']]))).toBe('DL3: no vote recorded for Dr Omar One, account 9');
    expect(issueSentence({ path: 'attendees', message: 'an account is listed twice among the attendees' })).toBe('Attendees: an account is listed twice among the attendees');
  });
});

describe('core refusals as sentences', () => {
  it('the lock refusal lists every issue in words', () => {
    const text = `cannot lock meeting 1 version 2: levels[1] (level 7).decision.rationale: a rationale is required: ${WHY}; levels[1] (level 7).votes: no vote recorded for user(s) 4`;
    expect(meetingErrorSentence(text, new Map([[4, 'Dr Omar One']]))).toBe(
      'The record cannot be locked yet: DL7: the decision departs from the rule — give a rationale (the rule recommends “Stop: MTD identified” (agreeing decision: “Declare the MTD”); the committee decided “De-escalate” at DL6); DL7: no vote recorded for Dr Omar One.',
    );
  });
  it('a validation message names the field, not the path', () => {
    expect(meetingErrorSentence('meetings.update: changes.levels.0.decision.nextLevel: Invalid input: expected number, received null')).toBe('reviewed level 1, next dose level: a number is needed');
    expect(pathInWords('changes.attendees.2.name')).toBe('attendee 3, name');
  });
  it('codes in words; unknown text unchanged', () => {
    expect(codesInWords('CONTINUE_COHORT at level 2')).toBe('“Continue the current cohort” at DL2');
    expect(meetingErrorSentence('version 3 is locked')).toBe('version 3 is locked');
  });
});
