import type { Group } from '../groups';
import { appointmentTimes, formatDateTime, zoneLabel, type Appointment } from '../scheduling';
import type { AppointmentCard, HomeActor, HomeDeps, MeetingCard } from './home.types';

/** An appointment in the viewer's zone, with whom (clients for the therapist, the therapist for a client). */
export async function appointmentCard(
  d: HomeDeps,
  a: Appointment,
  viewer: HomeActor,
): Promise<AppointmentCard> {
  const isTherapist = a.therapistId === viewer.id;
  const others = isTherapist ? a.clientIds : [a.therapistId];
  const names = await Promise.all(others.map(async (id) => (await d.names(id)) ?? 'Someone'));
  return {
    ...a,
    ...appointmentTimes(a, viewer.timeZone, d.clock.now(), d.joinWindowMinutes, viewer.locale),
    isTherapist,
    withNames: names.join(', '),
  };
}

/** A group's next meeting, with Join while its room is open to this person. */
export async function meetingCard(d: HomeDeps, group: Group, viewer: HomeActor): Promise<MeetingCard> {
  const [next] = await d.meetings.upcoming(group.id, d.roomTimes.graceMs, 1);
  const open = next && d.meetings.isOpen(next, d.roomTimes);
  return {
    groupId: group.id,
    topic: group.topic,
    when: next
      ? `${formatDateTime(next.startsAt, viewer.timeZone, viewer.locale)} ${zoneLabel(viewer.timeZone, next.startsAt)}`
      : null,
    joinUrl: next && open ? `/groups/${group.id}/meetings/${next.id}` : null,
  };
}
