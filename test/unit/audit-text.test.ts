// The audit trail's readable field changes (renderer/src/auditText.ts; issue 12 item 12a). The inputs
// are the shapes the core writes: a study-definition change (snapshots/app.ts changedFields: flat
// "pk.tauH" keys), a meeting change (meetings/diff.ts diffPaths: "content.levels[i]…" keys with the
// version on both sides), a lockout and a λz choice. Each expected text is written out by hand.
import { describe, expect, it } from 'vitest';
import { auditChangeText, auditFieldChanges, fieldLabel, valueWords } from '../../renderer/src/auditText';

describe('audit field changes', () => {
  it('study definition: pk.tauH — → 504 (null shown as —), source demo → user', () => {
    expect(auditChangeText({ source: 'demo', 'pk.tauH': null }, { source: 'user', 'pk.tauH': 504 })).toBe('source: demo → user; pk.tauH: — → 504');
  });
  it('meeting decision: the version both sides carry is not a change; the decision in words', () => {
    const old = { version: 2, 'content.levels[1].decision.decision': 'stay' };
    const nu = { version: 2, 'content.levels[1].decision.decision': 'escalate' };
    expect(auditFieldChanges(old, nu)).toEqual([{ field: 'reviewed level 2 · decision', old: 'Stay at this level', new: 'Escalate' }]);
  });
  it('a decision recorded for the first time (null → object): its fields, empty text not listed', () => {
    const nu = { version: 1, 'content.levels[0].decision': { decision: 'de-escalate', nextLevel: 3, nextDose: null, cohortSize: 3, rationale: '', conditions: '' } };
    expect(auditChangeText({ version: 1, 'content.levels[0].decision': null }, nu)).toBe(
      'reviewed level 1 · decision: — → De-escalate; reviewed level 1 · decision.nextLevel: — → 3; reviewed level 1 · decision.cohortSize: — → 3',
    );
  });
  it('nested values are walked to their leaves; booleans as yes/no; unchanged fields dropped', () => {
    expect(auditChangeText({ locked: false, failedAttempts: 5 }, { locked: true, failedAttempts: 0 })).toBe('locked: no → yes; failedAttempts: 5 → 0');
    expect(auditChangeText(null, { choice: { kind: 'range', start: 12, end: 24 }, timeBasis: 'actual' })).toBe('choice.kind: — → range; choice.start: — → 12; choice.end: — → 24; timeBasis: — → actual');
    expect(auditChangeText({ a: 1 }, { a: 1 })).toBe('');
  });
  it('lists joined, long text cut, more than 8 fields summarised', () => {
    expect(valueWords(['S1-001', 'S1-002'])).toBe('S1-001, S1-002');
    expect(valueWords([{ userId: 2, vote: 'for' }, { userId: 3, vote: 'for' }])).toBe('2 entries');
    expect(valueWords('x'.repeat(200))).toHaveLength(120);
    const many = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`f${i}`, i]));
    expect(auditChangeText(null, many)).toMatch(/; \+ 2 more$/);
  });
  it('field labels', () => {
    expect(fieldLabel('content.title')).toBe('title');
    expect(fieldLabel('content.levels[0].votes')).toBe('reviewed level 1 · votes');
    expect(fieldLabel('pk.tauH')).toBe('pk.tauH');
  });
});
