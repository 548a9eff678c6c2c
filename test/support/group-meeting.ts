import type { Haven } from '../../server/app';
import { createPerson, type TestPerson } from './accounts';

/** A member of the fixture group: the account, and what the group knows them by. */
export interface FixtureMember extends TestPerson {
  readonly pseudonym: string;
  readonly memberId: string;
}

export interface GroupMeetingFixture {
  readonly groupId: string;
  readonly meetingId: string;
  readonly roomId: string;
  readonly facilitator: TestPerson;
  readonly members: readonly FixtureMember[];
}

/**
 * A peer-support group facilitated by a peer supporter, with members who joined under pseudonyms
 * and accepted the guidelines, and a meeting starting in a few minutes (its room is open now, with
 * the default 15-minute open-before), whose live room the facilitator has opened.
 */
export async function groupMeetingFixture(
  haven: Haven,
  people: readonly { realName: string; pseudonym: string; acceptGuidelines?: boolean }[],
  options: { capacity?: number } = {},
): Promise<GroupMeetingFixture> {
  const facilitator = await createPerson(haven, {
    roles: ['peer_supporter'],
    displayName: 'Pat Facilitator',
  });
  const fActor = { id: facilitator.user.id, roles: facilitator.user.roles };
  const group = await haven.groups.create(fActor, {
    topic: 'Evening circle',
    description: 'A weekly peer-support meeting.',
    capacity: options.capacity ?? 8,
    membership: 'open',
    facilitatorIds: [facilitator.user.id],
  });
  const members: FixtureMember[] = [];
  for (const p of people) {
    const person = await createPerson(haven, { roles: ['client'], displayName: p.realName });
    const actor = { id: person.user.id, roles: person.user.roles };
    const member = await haven.groups.join(actor, group.id, p.pseudonym);
    if (p.acceptGuidelines !== false) await haven.groups.acceptGuidelines(actor, group.id, 1);
    members.push({ ...person, pseudonym: p.pseudonym, memberId: member.id });
  }
  const start = new Date(Math.ceil((Date.now() + 2 * 60_000) / 60_000) * 60_000).toISOString();
  const [meeting] = await haven.groupMeetings.schedule(
    fActor,
    group.id,
    { date: start.slice(0, 10), time: start.slice(11, 16), durationMinutes: 60 },
    'UTC',
  );
  if (!meeting) throw new Error('no meeting scheduled');
  const room = await haven.rooms.access.forGroupMeeting(
    { id: facilitator.user.id, displayName: facilitator.user.displayName, roles: facilitator.user.roles },
    meeting.id,
  );
  return { groupId: group.id, meetingId: meeting.id, roomId: room.id, facilitator, members };
}
