import assert from 'node:assert/strict';
import type { VEvent } from 'node-ical';
import type { User } from '../../../server/accounts';
import type { AppointmentType } from '../../../server/scheduling';
import { FakeClock } from '../../../server/shared/clock';
import { createUser } from '../../support/accounts';
import type { SmtpSink } from '../../support/smtp-sink';
import { deliverOutbox, type ReceivedMail } from '../../support/smtp-sink';
import type { TestHaven } from '../../support/test-haven';
import { actor, HEALTH_WORDS, icsOf, REASON, startMailedPractice } from './scheduling-fixtures';

const HOUR = 3_600_000;

function onlyEvent(mail: ReceivedMail): VEvent {
  const { events } = icsOf(mail);
  assert.equal(events.length, 1);
  return events[0]!;
}

/**
 * Issue 20: every scheduling email is in its recipient's language (subject, text, branded HTML part,
 * the .ics summary and description), with the time in their zone written their locale's way. Mail
 * travels through the real sender to a loopback SMTP server.
 */
describe('scheduling emails in the recipient language (loopback SMTP)', function () {
  this.timeout(60_000);
  let sink: SmtpSink;
  let t: TestHaven;
  let clock: FakeClock;
  let therapist: User;
  let type: AppointmentType;

  const deliver = () => deliverOutbox(t.haven);
  const mailsTo = (user: User) => sink.receivedBy(user.email);

  beforeEach(async () => {
    clock = new FakeClock('2026-03-02T12:00:00Z');
    ({ sink, t, therapist, type } = await startMailedPractice(clock));
  });
  afterEach(async () => {
    await t.stop();
    await sink.stop();
  });

  it('a Spanish-reading client gets the reminder in Spanish, at their own time in Spanish format; the therapist in English', async () => {
    const client = await createUser(t.haven, {
      roles: ['client'],
      timeZone: 'America/Mexico_City',
      language: 'es',
      displayName: 'Lucía Cliente',
    });
    const a = await t.haven.scheduling.booking.bookAsClient(actor(client), {
      therapistId: therapist.id,
      typeId: type.id,
      start: '2026-03-10T19:00:00.000Z', // 13:00 in Mexico City, 15:00 in New York
      reason: REASON,
    });
    await deliver();
    const [confirmation] = mailsTo(client);
    assert.equal(
      confirmation?.parsed.subject,
      'Cita confirmada: mar, 10 mar 2026, 13:00 (America/Mexico_City (CST))',
    );
    sink.received.length = 0;

    clock.set(new Date(a.start.getTime() - 24 * HOUR + 30_000));
    assert.equal(await t.haven.scheduling.reminders.runOnce(), 2, 'client and therapist');
    await deliver();
    const [reminder] = mailsTo(client);
    assert.ok(reminder, 'the client got a reminder');
    assert.equal(
      reminder.parsed.subject,
      'Recordatorio: cita el mar, 10 mar 2026, 13:00 (America/Mexico_City (CST))',
    );
    const text = reminder.parsed.text ?? '';
    assert.match(
      text,
      /^Le recordamos su cita con Theo Therapist en Harbour Clinic el mar, 10 mar 2026, 13:00/,
    );
    assert.match(text, /Formato: videollamada\. El botón Unirse se activa poco antes del inicio\./);
    assert.match(
      text,
      new RegExp(`Detalles, cambios y acceso a la sesión: https://care\\.example\\.org/appointments/${a.id}`),
    );
    assert.match(text, /Recibe este mensaje porque tiene una cita\./);
    assert.doesNotMatch(
      text.replace(/https:\S+/g, ''),
      /Reminder|appointment|Join|with|at /,
      'no English left in the text',
    );
    const html = String(reminder.parsed.html ?? '');
    assert.match(html, /<html lang="es" dir="ltr">/);
    assert.match(html, /Le recordamos su cita con Theo Therapist/);
    const event = onlyEvent(reminder);
    assert.equal(event.summary, 'Cita – Harbour Clinic');
    assert.equal(event.description, `Detalles y acceso: https://care.example.org/appointments/${a.id}`);
    assert.equal(event.start.toISOString(), '2026-03-10T19:00:00.000Z');
    for (const word of HEALTH_WORDS) assert.doesNotMatch(reminder.raw, word, 'no health information');

    const [toTherapist] = mailsTo(therapist);
    assert.equal(
      toTherapist?.parsed.subject,
      'Reminder: appointment Tue, 10 Mar 2026, 15:00 (America/New_York (EDT))',
    );
    assert.match(String(toTherapist?.parsed.html ?? ''), /<html lang="en" dir="ltr">/);
    assert.equal(onlyEvent(toTherapist!).summary, 'Appointment – Harbour Clinic');
  });

  it('an Arabic-reading client gets a right-to-left email in Arabic; a French one in French', async () => {
    const arabic = await createUser(t.haven, { roles: ['client'], timeZone: 'Asia/Amman', language: 'ar' });
    const french = await createUser(t.haven, { roles: ['client'], timeZone: 'Europe/Paris', language: 'fr' });
    await t.haven.scheduling.booking.bookAsClient(actor(arabic), {
      therapistId: therapist.id,
      typeId: type.id,
      start: '2026-03-10T14:00:00.000Z',
    });
    await t.haven.scheduling.booking.bookAsClient(actor(french), {
      therapistId: therapist.id,
      typeId: type.id,
      start: '2026-03-11T14:00:00.000Z',
    });
    await deliver();
    const [toArabic] = mailsTo(arabic);
    assert.match(toArabic?.parsed.subject ?? '', /^تم تأكيد الموعد: /);
    assert.match(String(toArabic?.parsed.html ?? ''), /<html lang="ar" dir="rtl">[\s\S]*<body dir="rtl"/);
    assert.match(toArabic?.parsed.text ?? '', /تم تأكيد موعدك مع /);
    assert.equal(onlyEvent(toArabic!).summary, 'موعد – Harbour Clinic');
    const [toFrench] = mailsTo(french);
    assert.equal(
      toFrench?.parsed.subject,
      'Rendez-vous confirmé : mer. 11 mars 2026, 15:00 (Europe/Paris (GMT+1))',
    );
    assert.match(toFrench?.parsed.text ?? '', /Il s’agit d’un appel vidéo\./);
  });
});
