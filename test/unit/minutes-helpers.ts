import path from 'node:path';
import type { Core } from '../../electron/core/app';
import type { MeetingView } from '../../shared/api/meetings';
import { decisionsForAction, type Attendee } from '../../shared/meeting';
import { addUser, bootstrapAdmin } from './meetings-helpers';

// A meeting held on the shipped demo study (resources/demo/cut1) through the contract, as the
// committee would: the secretary drafts it on the cut's dose level with a DLT, records a decision
// that departs from the rule (with its rationale) and the votes, captures a figure, locks it; the
// chair and a voting member sign with their passwords (21 CFR 11.200). Used by the minutes tests.

export const DEMO_CUT1 = path.resolve(__dirname, '../../resources/demo/cut1');

export interface HeldMeeting {
  admin: string;
  /** The secretary's session (drafts, locks and exports). */
  sue: string;
  users: Record<'carol' | 'bob' | 'sue', { userId: number; password: string }>;
  snapshotId: number;
  contentHash: string;
  meetingId: number;
  level: number;
  locked: MeetingView;
  signed: MeetingView;
}

const FIGURE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="120" viewBox="0 0 400 120">
<rect x="0" y="0" width="400" height="120" fill="#ffffff"/>
<text x="10" y="20" font-size="14" font-family="Helvetica">DLT window status at the data cut-off (as shown)</text>
<rect x="10" y="40" width="300" height="20" fill="#4c78a8"/><text x="320" y="55" font-size="12" font-family="Helvetica">completed</text>
<rect x="10" y="70" width="100" height="20" fill="#f58518"/><text x="120" y="85" font-size="12" font-family="Helvetica">open</text>
</svg>`;

type Decision = { decision: 'stay' | 'de-escalate'; nextLevel: number; nextDose: number | null; cohortSize: number; rationale: string };

/** The decision the committee takes that departs from the rule's recommendation (so a rationale is required). */
function departingDecision(v: MeetingView, level: number, doseOf: (l: number) => number | null): Decision {
  const l = v.record.content.levels[0]!;
  const rec = l.recommendation;
  const agreeing = rec?.action ? decisionsForAction(rec.action as never, rec.nextLevel, level) : [];
  if (!agreeing.includes('stay')) {
    return { decision: 'stay', nextLevel: level, nextDose: l.dose, cohortSize: 3, rationale: `One DLT at level ${level}; the committee prefers three more patients at this level before any further step.` };
  }
  return {
    decision: 'de-escalate',
    nextLevel: level - 1,
    nextDose: doseOf(level - 1),
    cohortSize: 3,
    rationale: `The DLT at level ${level} (febrile neutropenia, grade 3) came early in the window; the committee doses the next three patients at level ${level - 1} while the open windows at level ${level} close.`,
  };
}

export async function holdSignedMeeting(core: Core): Promise<HeldMeeting> {
  const admin = await bootstrapAdmin(core);
  const users = {
    carol: await addUser(core, admin, 'carol', 'chair', 'Dr Carol Chen', 'Chair-password-1'),
    bob: await addUser(core, admin, 'bob', 'voting-member', 'Dr Robert Berg', 'Member-password-2'),
    sue: await addUser(core, admin, 'sue', 'secretary', 'Susan Secretary', 'Secretary-password-3'),
  };
  await core.call('users.update', { session: admin, userId: users.carol.userId, title: 'Principal Investigator, Site 01', reason: 'title for the minutes' });
  await core.call('users.update', { session: admin, userId: users.bob.userId, title: 'Medical Monitor', reason: 'title for the minutes' });
  const imp = await core.call('snapshot.import', { path: DEMO_CUT1, session: admin });
  if (!imp.ok || imp.snapshotId === null || imp.contentHash === null) throw new Error(`demo import failed: ${JSON.stringify(imp.errors)}`);
  const sue = (await core.call('auth.login', { username: 'sue', password: users.sue.password })).session;
  const cohorts = await core.call('cohorts.summary', { snapshotId: imp.snapshotId });
  // The escalation level with a DLT at this cut (resources/demo/cut1.truth.json: one DLT at level 6).
  const level = cohorts.rows.find((r) => r.part === 'escalation' && r.subjectsWithDlt > 0)?.level;
  if (level === undefined) throw new Error('the demo cut has no escalation level with a DLT');
  const attendees: Attendee[] = [
    { userId: users.carol.userId, name: 'Dr Carol Chen', role: 'chair', voting: true, present: true, affiliation: 'Site 01' },
    { userId: users.bob.userId, name: 'Dr Robert Berg', role: 'voting-member', voting: true, present: true, affiliation: 'Site 02' },
    { userId: null, name: 'Dr Guest Pharmacologist', role: 'non-voting-attendee', voting: false, present: true, affiliation: 'Sponsor' },
  ];
  const m = await core.call('meetings.create', {
    session: sue,
    snapshotId: imp.snapshotId,
    levels: [level],
    title: `Safety Review Committee: dose level ${level}`,
    meetingNumber: '6',
    startAt: '2025-08-25T15:00+02:00',
    endAt: '2025-08-25T16:10+02:00',
    timeZone: 'Europe/Berlin',
    format: 'video',
    attendees,
  });
  const decision = departingDecision(m, level, (l) => cohorts.rows.find((r) => r.level === l && r.part === 'escalation')?.dose ?? null);
  await core.call('meetings.update', {
    session: sue,
    meetingId: m.meetingId,
    version: 1,
    changes: {
      conflicts: [],
      levels: [
        {
          level,
          decision: { ...decision, conditions: 'Sentinel dosing with 48 h between the first two patients.' },
          votes: [
            { userId: users.carol.userId, vote: 'for', comment: '' },
            { userId: users.bob.userId, vote: 'for', comment: 'with the sentinel condition' },
          ],
        },
      ],
      observations: { safety: 'No new safety signal apart from the DLT.', pk: 'Exposure roughly dose-proportional.', efficacy: 'One partial response at the highest level.' },
      actionItems: [{ text: 'Circulate the signed minutes to the sites', owner: 'Susan Secretary', due: '2025-08-29', status: 'open' }],
    },
  });
  await core.call('meetings.addFigure', { session: sue, meetingId: m.meetingId, version: 1, title: 'DLT window status', caption: 'As shown in the meeting.', mime: 'image/svg+xml', dataBase64: Buffer.from(FIGURE_SVG).toString('base64') });
  const locked = await core.call('meetings.finalize', { session: sue, meetingId: m.meetingId, version: 1 });
  await core.call('meetings.sign', { meetingId: m.meetingId, version: 1, userId: 'carol', password: users.carol.password, meaning: 'approved' });
  const signed = await core.call('meetings.sign', { meetingId: m.meetingId, version: 1, userId: 'bob', password: users.bob.password, meaning: 'reviewed' });
  return { admin, sue, users, snapshotId: imp.snapshotId, contentHash: imp.contentHash, meetingId: m.meetingId, level, locked, signed };
}
