import { phrase } from '../shared/errors';
import { MEASURES } from '../clinical';
import { DEFAULT_LOCALE, formatDate } from '../shared/date-time-format';
import { formatDateTime, localDate } from '../scheduling';
import { appointmentCard } from './cards';
import type { HomeActor, HomeDeps, SetupStep, TherapistToday } from './home.types';

const WEEK_MS = 7 * 86_400_000;

/**
 * A therapist's "today": today's sessions with Join and whether each client confirmed the safety
 * check, who is waiting in a room right now, open crisis alerts, notes to sign, clients' new
 * questionnaire answers, requests to approve; and, until they are done, the steps before new clients
 * can book them. Names and dates only: answers, notes and safety checks open on their own pages,
 * where each read is checked and audited.
 */
export async function therapistToday(d: HomeDeps, me: HomeActor): Promise<TherapistToday> {
  const actor = { id: me.id, roles: me.roles, ip: me.ip ?? null };
  const now = d.clock.now();
  const zone = me.timeZone;
  const today = localDate(now, zone);
  const name = async (id: string) => (await d.names(id)) ?? 'Client';
  const [upcoming, alerts, drafts, caseload, unread, reviews] = await Promise.all([
    d.appointments.upcomingFor(me),
    d.clinical.crisis.openFor(actor),
    d.clinical.notes.draftsToSign(actor),
    d.clinical.care.clientsOf(me.id),
    d.unreadMessages(me.id),
    d.reviewsDue(actor),
  ]);
  const mine = upcoming.filter((a) => a.therapistId === me.id);
  const confirmed = mine.filter((a) => a.status === 'confirmed');
  const todays = confirmed.filter((a) => localDate(a.start, zone) === today);
  const later = confirmed.find((a) => localDate(a.start, zone) > today);
  const answers = await d.clinical.measures.answeredSince(
    actor,
    caseload.map((c) => c.clientId),
    new Date(now.getTime() - WEEK_MS),
  );
  return {
    // The weekday and the month in the reader's language and order ("Monday 2 March", "lunes, 2 de marzo").
    date: new Intl.DateTimeFormat(me.locale ?? DEFAULT_LOCALE, {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      timeZone: zone,
    }).format(now),
    zone,
    setup: await setupSteps(d, me),
    // Every session's cards and checks started in one go: the access checks of all the day's
    // clients (each still checked, and refused and audited, on its own) share their reads.
    sessions: await Promise.all(
      todays.map(async (a) => {
        const [card, safety] = await Promise.all([
          appointmentCard(d, a, me),
          Promise.all(
            a.clientIds.map(async (clientId) => {
              const [who, confirmed] = await Promise.all([
                name(clientId),
                d.clinical.intake.clientConfirmedSafetyCheck(actor, clientId, a.id),
              ]);
              return { name: who, confirmed };
            }),
          ),
        ]);
        return { ...card, safety };
      }),
    ),
    nextLater: todays.length === 0 && later ? await appointmentCard(d, later, me) : null,
    requests: mine.filter((a) => a.status === 'requested').length,
    waiting: await Promise.all(
      d.rooms.waitingFor(me.id).map(async (w) => ({
        roomId: w.roomId,
        // "Casey and Sam", "Casey y Sam", "كيسي وسام": the reader's own way of listing names.
        names: new Intl.ListFormat(me.locale ?? DEFAULT_LOCALE, { type: 'conjunction' }).format(
          w.waitingNames,
        ),
        count: w.waitingNames.length,
      })),
    ),
    alerts: alerts.map((a) => ({
      clientId: a.clientId,
      clientName: a.clientName,
      when: formatDateTime(a.createdAt, zone, me.locale),
    })),
    drafts: await Promise.all(
      drafts.map(async (n) => ({
        id: n.id,
        clientName: await name(n.clientId),
        started: formatDateTime(n.createdAt, zone, me.locale),
      })),
    ),
    newAnswers: await Promise.all(
      answers.map(async (s) => ({
        clientId: s.clientId,
        clientName: await name(s.clientId),
        measure: MEASURES[s.measure].name,
        when: formatDateTime(s.submittedAt, zone, me.locale),
      })),
    ),
    unreadMessages: unread,
    reviews: await Promise.all(
      reviews.map(async (r) => ({
        clientId: r.clientId,
        clientName: await name(r.clientId),
        // A calendar day, not an instant: written as that day whatever the therapist's zone.
        dueOn: formatDate(`${r.dueOn}T12:00:00Z`, { locale: me.locale ?? DEFAULT_LOCALE, timeZone: 'UTC' }),
        overdue: r.overdue,
      })),
    ),
  };
}

/** Profile, verified licence and hours: what new clients need before they can book. Null when done. */
async function setupSteps(d: HomeDeps, me: HomeActor): Promise<SetupStep[] | null> {
  const [profile, hours] = await Promise.all([d.directory.profile(me.id), d.schedule.hasSchedule(me.id)]);
  const licence = profile?.licenceStatus.state ?? 'missing';
  const steps: SetupStep[] = [
    {
      label: phrase('home:setup.profile'),
      done: profile !== null,
      href: '/practice-profile',
      detail: phrase('home:setup.profileDetail'),
    },
    {
      label: phrase('home:setup.licence'),
      done: licence === 'verified' || licence === 'expiring',
      href: '/practice-profile',
      detail: phrase(
        licence === 'unverified'
          ? 'home:setup.licenceUnverified'
          : licence === 'expired'
            ? 'home:setup.licenceExpired'
            : 'home:setup.licenceMissing',
      ),
    },
    {
      label: phrase('home:setup.hours'),
      done: hours,
      href: '/schedule',
      detail: phrase('home:setup.hoursDetail'),
    },
  ];
  return steps.every((s) => s.done) ? null : steps;
}
