import assert from 'node:assert/strict';
import ical, { type VEvent } from 'node-ical';
import type { User } from '../../../server/accounts';
import type { Haven } from '../../../server/app';
import type { Actor, AppointmentType } from '../../../server/scheduling';
import type { FakeClock } from '../../../server/shared/clock';
import { createUser } from '../../support/accounts';
import { makeBookable } from '../../support/practice';
import { SmtpSink, type ReceivedMail } from '../../support/smtp-sink';
import { startTestHaven, type TestHaven } from '../../support/test-haven';

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

/** A practice whose mail goes through the real sender to a loopback SMTP server (the mail tests). */
export interface MailedPractice {
  readonly sink: SmtpSink;
  readonly t: TestHaven;
  readonly admin: User;
  /** Theo Therapist, in New York, on weekday hours, bookable. */
  readonly therapist: User;
  /** The clinic's individual session type. */
  readonly type: AppointmentType;
}

/** Harbour Clinic on the fake clock, sending to a loopback SMTP sink; stop both with `t.stop()` then `sink.stop()`. */
export async function startMailedPractice(clock: FakeClock): Promise<MailedPractice> {
  const sink = await SmtpSink.start();
  const t = await startTestHaven({
    clock,
    env: { SMTP_URL: sink.url, PUBLIC_URL: 'https://care.example.org', CLINIC_NAME: 'Harbour Clinic' },
  });
  const admin = await createUser(t.haven, { roles: ['admin'], timeZone: 'Europe/Paris' });
  const therapist = await createUser(t.haven, {
    roles: ['therapist'],
    timeZone: 'America/New_York',
    displayName: 'Theo Therapist',
  });
  await weekdayHours(t.haven, therapist, 'America/New_York');
  await makeBookable(t.haven, therapist, admin);
  return { sink, t, admin, therapist, type: await individualType(t.haven, admin) };
}

/** The calendar attachment of an email: its METHOD and its events. */
export function icsOf(mail: ReceivedMail): { method: string; events: VEvent[] } {
  const attachment = mail.parsed.attachments.find((a) => a.filename?.endsWith('.ics'));
  assert.ok(attachment, `no .ics in "${mail.parsed.subject}"`);
  const text = attachment.content.toString('utf8');
  const method = /METHOD:(\w+)/.exec(text)?.[1] ?? '';
  const events = Object.values(ical.sync.parseICS(text)).filter((c): c is VEvent => c?.type === 'VEVENT');
  return { method, events };
}
