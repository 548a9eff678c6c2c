import { DateTime } from 'luxon';
import type { Haven } from '../../app';
import type { GroupActor } from '../../groups';
import type { DemoPerson } from './demo-people';

/**
 * Demo peer-support group: facilitated by the demo peer supporter, with the second demo client as a
 * member under a pseudonym (guidelines accepted), so the group page and member list have content,
 * and four weekly meetings (Thursdays 18:00 in the facilitator's zone) starting tomorrow or later,
 * so "Join" appears on the group page when one is about to begin.
 */
export async function seedDemoGroups(haven: Haven, people: ReadonlyMap<string, DemoPerson>): Promise<void> {
  const peer = people.get('peer');
  const client = people.get('client2');
  if (!peer || !client) return;
  const as = (p: DemoPerson): GroupActor => ({ id: p.user.id, roles: p.user.roles, ip: null });
  const group = await haven.groups.create(as(peer), {
    topic: 'Managing everyday anxiety',
    description:
      'A small weekly circle to share what helps with everyday worry. Facilitated by a trained peer supporter; not a substitute for therapy.',
    capacity: 8,
    membership: 'approval',
    facilitatorIds: [peer.user.id],
  });
  const member = await haven.groups.join(as(client), group.id, 'Quiet Harbor');
  await haven.groups.approve(as(peer), group.id, member.id);
  await haven.groups.acceptGuidelines(as(client), group.id, group.guidelinesVersion);
  const zone = peer.user.timeZone;
  const first = DateTime.now().setZone(zone).plus({ days: 1 }).set({ weekday: 4 });
  const start = first < DateTime.now().setZone(zone).plus({ days: 1 }) ? first.plus({ weeks: 1 }) : first;
  await haven.groupMeetings.schedule(
    as(peer),
    group.id,
    { date: start.toISODate(), time: '18:00', durationMinutes: 60, repeatWeeks: 4 },
    zone,
  );
}
