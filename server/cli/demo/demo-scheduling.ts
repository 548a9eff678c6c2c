import { DateTime } from 'luxon';
import type { Haven } from '../../app';
import { createScheduling, createSchedulingCore, peopleFromAccounts, type Actor } from '../../scheduling';
import { FakeClock } from '../../shared/clock';
import { createLogger } from '../../shared/logger';
import { mailWordsOf } from '../../i18n';
import type { DemoPerson } from './demo-people';

const as = (p: DemoPerson): Actor => ({ id: p.user.id, roles: p.user.roles, ip: null });

/** The next `weekday` (1 = Monday) at least `minDays` ahead, at `hour:00` in `zone`. */
function nextWeekday(zone: string, weekday: number, hour: number, minDays = 1): string {
  let day = DateTime.now().setZone(zone).startOf('day').plus({ days: minDays });
  while (day.weekday !== weekday) day = day.plus({ days: 1 });
  return day.set({ hour }).toUTC().toISO()!;
}

/**
 * A living calendar: appointment types, Maya's hours in New York and Sam's in London (Sam approves
 * requests), a day off, Riley's weekly series with Maya (and a few past sessions), a session starting
 * in a few minutes so "Join" works at once, Casey's request waiting for Sam and a fortnightly series.
 */
export async function seedDemoScheduling(
  haven: Haven,
  people: ReadonlyMap<string, DemoPerson>,
): Promise<void> {
  const get = (key: string): DemoPerson => {
    const p = people.get(key);
    if (!p) throw new Error(`demo person ${key} is missing`);
    return p;
  };
  const [admin, maya, sam, riley, casey] = ['admin', 'therapist1', 'therapist2', 'client1', 'client2'].map(
    get,
  ) as [DemoPerson, DemoPerson, DemoPerson, DemoPerson, DemoPerson];
  const { schedule, booking } = haven.scheduling;

  // Everyone sees times in their own zone.
  const zones: [DemoPerson, string][] = [
    [maya, 'America/New_York'],
    [sam, 'Europe/London'],
    [riley, 'America/Los_Angeles'],
    [casey, 'Europe/Berlin'],
  ];
  for (const [p, timeZone] of zones) {
    await haven.accounts.lifecycle.updateProfile(p.user, {
      displayName: p.user.displayName,
      fullName: p.user.fullName ?? '',
      timeZone,
      language: p.user.language,
    });
  }

  // A fresh install ships Intake, Session, Couples session and Check-in; the demo adds two more.
  const individual = (await schedule.listTypes()).find((t) => t.name === 'Session');
  if (!individual) throw new Error('the default appointment kinds are missing');
  await schedule.createType(as(admin), {
    name: 'Phone check-in',
    durationMinutes: 25,
    format: 'audio',
    kind: 'individual',
    bufferAfterMinutes: 5,
  });
  await schedule.createType(as(admin), {
    name: 'Skills group',
    durationMinutes: 90,
    format: 'video',
    kind: 'group',
    capacity: 8,
    bufferBeforeMinutes: 10,
    bufferAfterMinutes: 10,
  });

  const weekdays = (start: string, end: string, days = [1, 2, 3, 4, 5]) =>
    days.map((weekday) => ({ weekday, start, end }));
  await schedule.saveSchedule(as(maya), maya.user.id, {
    timeZone: 'America/New_York',
    minNoticeMinutes: 24 * 60,
    horizonDays: 60,
    slotStepMinutes: 60,
    bookingMode: 'direct',
    weekly: [...weekdays('09:00', '17:00', [1, 2, 3, 4]), { weekday: 5, start: '09:00', end: '13:00' }],
  });
  await schedule.addException(as(maya), maya.user.id, {
    date: DateTime.fromISO(nextWeekday('America/New_York', 5, 0, 8))
      .setZone('America/New_York')
      .toISODate()!,
    kind: 'unavailable',
  });
  await schedule.saveSchedule(as(sam), sam.user.id, {
    timeZone: 'Europe/London',
    minNoticeMinutes: 12 * 60,
    horizonDays: 45,
    slotStepMinutes: 30,
    bookingMode: 'request',
    weekly: weekdays('10:00', '18:00'),
  });

  // Riley: three past sessions with Maya (booked by a clock set in the past), then a weekly series.
  const pastClock = new FakeClock(new Date(Date.now() - 5 * 7 * 86_400_000));
  const past = createScheduling(
    createSchedulingCore({ sequelize: haven.sequelize, audit: haven.audit, clock: pastClock }),
    {
      sequelize: haven.sequelize,
      audit: haven.audit,
      outbox: haven.mail.outbox,
      cipher: haven.cipher,
      clock: pastClock,
      logger: createLogger('silent'),
      people: peopleFromAccounts(haven.accounts),
      settings: haven.config.scheduling,
      publicUrl: haven.config.http.publicUrl,
      clinicName: haven.config.clinic.name,
      words: mailWordsOf(haven.translator),
    },
  );
  // Minus whole weeks in New York's calendar, so 10:00 stays 10:00 across a DST change.
  const firstPast = DateTime.fromISO(nextWeekday('America/New_York', 2, 10, 1), { zone: 'America/New_York' })
    .minus({ weeks: 5 })
    .toUTC()
    .toISO()!;
  await past.booking.createSeries(as(maya), {
    typeId: individual.id,
    clientIds: [riley.user.id],
    start: firstPast,
    frequency: 'weekly',
    count: 3,
    skipConflicts: true,
  });
  await booking.createSeries(as(maya), {
    typeId: individual.id,
    clientIds: [riley.user.id],
    start: nextWeekday('America/New_York', 2, 10, 1),
    frequency: 'weekly',
    count: 8,
    skipConflicts: true,
  });

  // A session starting a few minutes from now, so the Join button and the room can be tried at once.
  const soon = DateTime.now().plus({ minutes: 10 }).startOf('minute');
  await booking.bookForClient(as(maya), {
    typeId: individual.id,
    clientIds: [riley.user.id],
    start: soon
      .set({ minute: soon.minute - (soon.minute % 5) })
      .toUTC()
      .toISO()!,
  });

  // Casey asked Sam for a first appointment (waiting for approval), and has a fortnightly series.
  const listing = await schedule.listSlots({
    therapistId: sam.user.id,
    typeId: individual.id,
    zone: 'Europe/Berlin',
    days: 7,
  });
  const request = listing.days[1]?.slots[2] ?? listing.days[0]?.slots[0];
  if (request) {
    await booking.bookAsClient(as(casey), {
      therapistId: sam.user.id,
      typeId: individual.id,
      start: request.start.toISOString(),
    });
  }
  await booking.createSeries(as(sam), {
    typeId: individual.id,
    clientIds: [casey.user.id],
    start: nextWeekday('Europe/London', 4, 15, 8),
    frequency: 'biweekly',
    count: 4,
    skipConflicts: true,
  });
}
