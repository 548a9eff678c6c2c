import type { Haven } from '../../server/app';
import type { User } from '../../server/accounts';
import type { FakeClock } from '../../server/shared/clock';
import { createPerson, type TestPerson } from './accounts';
import { startClinic } from './clinic';
import type { TestHaven } from './test-haven';

/** A therapist's practice profile form, accepting new clients, with a complete licence in date. */
export const PRACTICE_FORM = {
  bio: 'I help adults with anxiety and low mood.',
  specialties: ['anxiety'],
  approaches: 'CBT',
  formats: ['video'],
  languages: 'English',
  acceptingNewClients: 'on',
  licenceType: 'LPC',
  licenceNumber: 'OR-1234',
  licenceJurisdiction: 'Oregon',
  licenceExpiresOn: '2099-12-31',
} as const;

/**
 * Makes a therapist bookable by new clients (the directory's booking rule): their practice profile
 * accepts new clients and an admin has verified the licence on it.
 */
export async function makeBookable(haven: Haven, therapist: User, admin: User): Promise<void> {
  await haven.directory.saveOwnProfile({ id: therapist.id, roles: therapist.roles }, PRACTICE_FORM);
  await haven.directory.verifyLicence({ id: admin.id, roles: admin.roles }, therapist.id, {
    method: 'State board online lookup',
  });
}

/** A clinic with an admin and one therapist who works weekdays 09:00–17:00 in London. */
export interface Practice {
  readonly t: TestHaven;
  readonly clock: FakeClock;
  readonly admin: TestPerson;
  readonly therapist: TestPerson;
  /** The default "Session" kind (50 minutes, individual, video). */
  readonly sessionKindId: string;
}

/**
 * Starts one on a fake clock (default Monday 2 March 2026, 12:00 UTC). `bookable` (default true)
 * also gives the therapist a verified practice profile, so new clients can book them.
 */
export async function startPractice(options: { at?: string; bookable?: boolean } = {}): Promise<Practice> {
  const { t, clock, admin } = await startClinic({ at: options.at ?? '2026-03-02T12:00:00Z' });
  const therapist = await createPerson(t.haven, { roles: ['therapist'], displayName: 'Dr Rivera' });
  await t.haven.scheduling.schedule.saveSchedule(therapist.user, therapist.user.id, {
    timeZone: 'Europe/London',
    minNoticeMinutes: 0,
    horizonDays: 90,
    slotStepMinutes: 60,
    bookingMode: 'direct',
    weekly: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '17:00' })),
  });
  if (options.bookable ?? true) await makeBookable(t.haven, therapist.user, admin.user);
  const session = (await t.haven.scheduling.schedule.listTypes()).find((k) => k.name === 'Session');
  if (!session) throw new Error('the default kinds of appointment are missing');
  return { t, clock, admin, therapist, sessionKindId: session.id };
}
