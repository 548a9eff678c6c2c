import assert from 'node:assert/strict';
import type { Group } from '../../../server/groups';
import {
  createPerson,
  ensureAdmin,
  signIn,
  type SignedInSession,
  type TestPerson,
} from '../../support/accounts';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { actor as messagingActor } from '../messaging/messaging-support';
import { actor, individualType, treat, weekdayHours } from '../scheduling/scheduling-fixtures';

/** The next `count` weekdays after today, at 10:00 UTC. */
export function weekdayStarts(count: number): string[] {
  const starts: string[] = [];
  const day = new Date();
  day.setUTCHours(10, 0, 0, 0);
  while (starts.length < count) {
    day.setUTCDate(day.getUTCDate() + 1);
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) starts.push(day.toISOString());
  }
  return starts;
}

export { from } from '../../support/sql-statements';

/**
 * A small clinic in which every main page has rows to read: a therapist treating two clients (one
 * with four appointments and a care thread holding an unread message), three clients writing to
 * the front desk, and three peer-support groups (the first with a member). Everyone signed in.
 */
export interface ReadsClinic {
  readonly t: TestHaven;
  readonly therapist: TestPerson;
  readonly client: TestPerson;
  readonly otherClient: TestPerson;
  readonly frontDeskClients: readonly TestPerson[];
  readonly groups: readonly Group[];
  readonly as: {
    readonly client: SignedInSession;
    readonly therapist: SignedInSession;
    readonly admin: SignedInSession;
    readonly peer: SignedInSession;
  };
}

export async function startReadsClinic(env: Record<string, string> = {}): Promise<ReadsClinic> {
  const t = await startTestHaven({ env: { MESSAGING_FRONT_DESK: 'true', ...env } });
  const admin = await ensureAdmin(t.haven);
  assert.ok(admin);
  const therapist = await createPerson(t.haven, { roles: ['therapist'], displayName: 'Theo Therapist' });
  const client = await createPerson(t.haven, { roles: ['client'], displayName: 'Casey Client' });
  const otherClient = await createPerson(t.haven, { roles: ['client'], displayName: 'Olive Other' });
  const peer = await createPerson(t.haven, { roles: ['peer_supporter'], displayName: 'Pat Peer' });
  await treat(t.haven, therapist.user, client.user, otherClient.user);
  await weekdayHours(t.haven, therapist.user, 'UTC');
  const type = await individualType(t.haven, admin.user);
  for (const start of weekdayStarts(4)) {
    await t.haven.scheduling.booking.bookAsClient(actor(client.user), {
      therapistId: therapist.user.id,
      typeId: type.id,
      start,
    });
  }
  // One unread message, so the header's badge has a thread to count.
  const threadId = await t.haven.messaging.inbox.open(messagingActor(therapist), client.user.id);
  await t.haven.messaging.messages.send(messagingActor(therapist), threadId, { body: 'See you Tuesday.' });
  const frontDeskClients: TestPerson[] = [];
  for (const name of ['Dana Desk', 'Eli Desk', 'Fay Desk']) {
    const person = await createPerson(t.haven, { roles: ['client'], displayName: name });
    const desk = await t.haven.messaging.inbox.open(messagingActor(person), 'front_desk');
    await t.haven.messaging.messages.send(messagingActor(person), desk, { body: 'A receipt, please.' });
    frontDeskClients.push(person);
  }
  const groups: Group[] = [];
  for (const topic of ['Grief and loss', 'New parents', 'Living with pain']) {
    groups.push(
      await t.haven.groups.create(
        { id: peer.user.id, roles: peer.user.roles },
        {
          topic,
          description: 'A weekly circle.',
          capacity: 8,
          membership: 'open',
          facilitatorIds: [peer.user.id],
        },
      ),
    );
  }
  await t.haven.groups.join(
    { id: otherClient.user.id, roles: otherClient.user.roles },
    groups[0]!.id,
    'Willow',
  );
  const as = {
    client: await signIn(t.haven, client),
    therapist: await signIn(t.haven, therapist),
    admin: await signIn(t.haven, admin),
    peer: await signIn(t.haven, peer),
  };
  // The first page of each creates its CSRF token (a write of the session, not a page's read).
  for (const session of Object.values(as)) await session.agent.get('/account').expect(200);
  return { t, therapist, client, otherClient, frontDeskClients, groups, as };
}
