import type { User } from '../../../server/accounts';
import type { Haven } from '../../../server/app';
import type { Actor, AppointmentType } from '../../../server/scheduling';

/** Care assignments: therapists book only for clients they treat. */
export async function treat(haven: Haven, therapist: User, ...clients: User[]): Promise<void> {
  for (const c of clients) await haven.clinical.care.assign(null, therapist.id, c.id);
}

export const actor = (user: User): Actor => ({ id: user.id, roles: user.roles, ip: '127.0.0.1' });

/** Mon–Fri 09:00–17:00 in the therapist's zone, direct booking, no notice, 30-minute steps. */
export async function weekdayHours(
  haven: Haven,
  therapist: User,
  timeZone: string,
  extra: Partial<{ minNoticeMinutes: number; bookingMode: 'direct' | 'request'; horizonDays: number }> = {},
) {
  return haven.scheduling.schedule.saveSchedule(actor(therapist), therapist.id, {
    timeZone,
    minNoticeMinutes: extra.minNoticeMinutes ?? 0,
    horizonDays: extra.horizonDays ?? 90,
    slotStepMinutes: 60,
    bookingMode: extra.bookingMode ?? 'direct',
    weekly: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '17:00' })),
  });
}

export async function individualType(haven: Haven, admin: User): Promise<AppointmentType> {
  return haven.scheduling.schedule.createType(actor(admin), {
    name: 'Trauma-focused individual session',
    durationMinutes: 50,
    format: 'video',
    kind: 'individual',
    bufferAfterMinutes: 10,
  });
}

/** Health words that must never appear in an email or a calendar feed. */
export const REASON = 'Panic attacks since my divorce; worried about my medication';
export const HEALTH_WORDS = [/panic/i, /divorce/i, /medication/i, /trauma/i, /diagnos/i, /specialt/i];
