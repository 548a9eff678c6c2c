import { EXERCISES } from '../care-planning';
import { MEASURES } from '../clinical';
import { appointmentCard, meetingCard } from './cards';
import type { ClientHome, HomeActor, HomeDeps, MeetingCard } from './home.types';

/**
 * A client's home: what to do before the first session, a session open now, the next appointment
 * with Join, questionnaires due, unread messages and their peer groups. Nothing here is read that
 * the client could not read on its own page.
 */
export async function clientHome(d: HomeDeps, me: HomeActor): Promise<ClientHome> {
  const actor = { id: me.id, roles: me.roles, ip: me.ip ?? null };
  const [needsConsent, hasIntake, due, therapists, upcoming, open, unread, exercises] = await Promise.all([
    d.clinical.intake.needsConsent(me.id, me.language),
    d.clinical.intake.hasIntake(me.id),
    d.clinical.measures.due(actor, me.id),
    d.clinical.care.treatingTherapistIds(me.id),
    d.appointments.upcomingFor(me),
    d.rooms.openSessionsFor(me),
    d.unreadMessages(me.id),
    d.exercisesOf(actor),
  ]);
  const mine = upcoming.filter(
    (a) => a.clientIds.includes(me.id) && (a.status === 'confirmed' || a.status === 'requested'),
  );
  const [first] = mine;
  return {
    gettingStarted: needsConsent ? (hasIntake ? 'consent_again' : 'consent') : hasIntake ? null : 'intake',
    openNow: open,
    next: first ? await appointmentCard(d, first, me) : null,
    laterCount: Math.max(0, mine.length - 1),
    questionnaires: due.map((id) => ({ id, name: MEASURES[id].name })),
    exercises: exercises
      .filter((h) => h.status !== 'completed')
      .sort((a, b) => a.dueOn.localeCompare(b.dueOn))
      .map((h) => ({
        id: h.id,
        name: EXERCISES[h.exercise].name,
        dueOn: h.dueOn,
        started: h.status === 'in_progress',
      })),
    unreadMessages: unread,
    hasTherapist: therapists.length > 0,
    groups: await memberGroups(d, me),
  };
}

/** Groups the client belongs to (active membership), each with its next meeting. */
async function memberGroups(d: HomeDeps, me: HomeActor): Promise<MeetingCard[]> {
  const cards: MeetingCard[] = [];
  for (const { group } of await d.groups.list()) {
    const membership = await d.groups.membershipOf(group.id, me.id);
    if (membership?.status === 'active') cards.push(await meetingCard(d, group, me));
  }
  return cards;
}
