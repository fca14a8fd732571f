import { ACTION_LABELS, DECISION_LABELS } from './labels';

// Words for clinicians (issue 12 item 9): what blocks locking and what the core refused, as
// sentences, without internal paths ("levels[1] (level 7).decision.rationale") or rule codes
// ("STOP_MTD"). Pure: the core's lockIssues (shared/meeting.ts) and its validation messages
// ("method: path: message") are mapped here; anything not recognised is shown as the core wrote it.

/** Rule codes (STOP_MTD) and decision codes (de-escalate) in a core message, in words. */
export function codesInWords(text: string): string {
  const decision = (d: string) => (d in DECISION_LABELS ? `“${DECISION_LABELS[d as keyof typeof DECISION_LABELS]}”` : d);
  return text
    .replace(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*\b/g, (code) => (ACTION_LABELS[code] ? `“${ACTION_LABELS[code]}”` : code))
    .replace(/\(([a-z0-9-]+(?: \/ [a-z0-9-]+)*)\)/g, (m, list: string) => {
      const ds = list.split(' / ');
      return ds.every((d) => d in DECISION_LABELS) ? `(agreeing decision${ds.length > 1 ? 's' : ''}: ${ds.map(decision).join(' or ')})` : m;
    })
    .replace(/\bdecided ([a-z0-9-]+)/g, (_m, d: string) => `decided ${decision(d)}`)
    .replace(/ at level (\d+)/g, ' at DL$1');
}

/** "user 3, 5" → the attendees' names where known. */
function usersInWords(text: string, names: ReadonlyMap<number, string>): string {
  return text.replace(/\buser(?:\(s\))? ((?:\d+)(?:, \d+)*)/g, (_m, ids: string) =>
    ids
      .split(', ')
      .map((id) => names.get(Number(id)) ?? `account ${id}`)
      .join(', '),
  );
}

/** One lock issue (shared/meeting.ts lockIssues) as a sentence: "DL7: the decision departs from the rule — give a rationale". */
export function issueSentence(issue: { path: string; message: string }, names: ReadonlyMap<number, string> = new Map()): string {
  const m = /^levels\[\d+\] \(level (\d+)\)(?:\.(.*))?$/.exec(issue.path);
  if (!m) {
    const what = issue.path === 'attendees' ? 'Attendees' : issue.path;
    return `${what}: ${usersInWords(codesInWords(issue.message), names)}`;
  }
  const dl = `DL${m[1]}`;
  const field = m[2] ?? '';
  const msg = issue.message;
  if (field === 'decision.rationale' && msg.startsWith('a rationale is required')) {
    const why = msg.replace(/^a rationale is required:\s*/, '');
    return `${dl}: the decision departs from the rule — give a rationale${why ? ` (${codesInWords(why)})` : ''}`;
  }
  if (field === '' && msg === 'no committee decision recorded') return `${dl}: no committee decision is recorded yet`;
  if (field === 'decision') {
    const d = /^([a-z-]+) needs the next dose level and the cohort size$/.exec(msg);
    if (d && d[1]! in DECISION_LABELS) return `${dl}: “${DECISION_LABELS[d[1] as keyof typeof DECISION_LABELS]}” needs the next dose level and the cohort size`;
  }
  return `${dl}: ${usersInWords(codesInWords(msg), names)}`;
}

/** Field names of the meeting forms, for validation messages. */
const FIELD_WORDS: Record<string, string> = {
  nextLevel: 'next dose level',
  nextDose: 'next dose',
  cohortSize: 'cohort size',
  rationale: 'rationale',
  conditions: 'conditions',
  decision: 'decision',
  votes: 'votes',
  title: 'title',
  startAt: 'start',
  endAt: 'end',
  timeZone: 'time zone',
  attendees: 'attendees',
  name: 'name',
  role: 'role',
  text: 'action item',
  due: 'due date',
  owner: 'owner',
  reason: 'reason',
  password: 'password',
};

/** "changes.levels.0.decision.nextLevel" → "reviewed level 1, next dose level". */
export function pathInWords(path: string): string {
  const parts = path.replace(/^(changes|content|input)\./, '').split('.');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    const next = parts[i + 1];
    if (next !== undefined && /^\d+$/.test(next)) {
      const n = Number(next) + 1;
      out.push(p === 'levels' ? `reviewed level ${n}` : p === 'attendees' ? `attendee ${n}` : p === 'actionItems' ? `action item ${n}` : p === 'votes' ? `vote ${n}` : `${FIELD_WORDS[p] ?? p} ${n}`);
      i++;
    } else if (p === 'decision' && next !== undefined) continue;
    else out.push(FIELD_WORDS[p] ?? p);
  }
  return out.join(', ');
}

/** zod's messages in plain words. */
function zodInWords(msg: string): string {
  if (/expected number, received null/i.test(msg)) return 'a number is needed';
  if (/expected (number|string|boolean)/i.test(msg)) return `a ${/expected (\w+)/i.exec(msg)![1]!.toLowerCase()} is needed`;
  if (/too small.*(>=|at least) ?1 character|string to have >=1/i.test(msg)) return 'must not be empty';
  if (/too small/i.test(msg)) return 'is too small';
  if (/too big/i.test(msg)) return 'is too long or too large';
  if (/invalid option|invalid enum/i.test(msg)) return 'is not one of the allowed choices';
  return msg;
}

/**
 * A core refusal shown in the meeting views, in words: the lock refusal lists its issues as
 * sentences; a validation message ("meetings.update: changes.levels.0.decision.nextLevel: …")
 * names the field; other messages get their rule codes translated.
 */
export function meetingErrorSentence(text: string, names: ReadonlyMap<number, string> = new Map()): string {
  const lock = /^cannot lock meeting \d+ version \d+: (.*)$/s.exec(text);
  if (lock) {
    const issues = lock[1]!.split(/; (?=levels\[|attendees:)/).map((chunk) => {
      const m = /^(levels\[\d+\] \(level \d+\)(?:\.[\w.]+)?|attendees): (.*)$/s.exec(chunk);
      return m ? issueSentence({ path: m[1]!, message: m[2]! }, names) : codesInWords(chunk);
    });
    return `The record cannot be locked yet: ${issues.join('; ')}.`;
  }
  const v = /^(meetings|signatures|minutes|auth)\.[\w.]+: (.*)$/s.exec(text);
  if (v) {
    return v[2]!
      .split('; ')
      .map((part) => {
        const m = /^([\w.]+): (.*)$/s.exec(part);
        if (!m || m[1] === 'input') return zodInWords(m ? m[2]! : part);
        return `${pathInWords(m[1]!)}: ${zodInWords(m[2]!)}`;
      })
      .join('; ');
  }
  return usersInWords(codesInWords(text), names);
}
