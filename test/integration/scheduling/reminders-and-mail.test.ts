import assert from 'node:assert/strict';
import type { User } from '../../../server/accounts';
import { createApp, type Haven } from '../../../server/app';
import type { AppointmentType } from '../../../server/scheduling';
import { FakeClock } from '../../../server/shared/clock';
import { createLogger } from '../../../server/shared/logger';
import { createUser } from '../../support/accounts';
import { deliverOutbox, type ReceivedMail, type SmtpSink } from '../../support/smtp-sink';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { makeBookable } from '../../support/practice';
import {
  actor,
  HEALTH_WORDS,
  icsOf,
  individualType,
  REASON,
  startMailedPractice,
  weekdayHours,
} from './scheduling-fixtures';

const HOUR = 3_600_000;

function assertNoHealthData(mail: ReceivedMail): void {
  for (const word of HEALTH_WORDS) {
    assert.doesNotMatch(mail.raw, word, `"${mail.parsed.subject}" contains ${word}`);
  }
}

describe('scheduling: emails, .ics and reminders (fake clock, loopback SMTP)', function () {
  this.timeout(60_000);
  let sink: SmtpSink;
  let t: TestHaven;
  let clock: FakeClock;
  let therapist: User;
  let client: User;
  let type: AppointmentType;
  let extraHaven: Haven | null = null;

  const haven = () => extraHaven ?? t.haven;
  const deliver = () => deliverOutbox(haven());
  const mailsTo = (user: User) => sink.receivedBy(user.email);

  beforeEach(async () => {
    clock = new FakeClock('2026-03-02T12:00:00Z');
    ({ sink, t, therapist, type } = await startMailedPractice(clock));
    client = await createUser(t.haven, {
      roles: ['client'],
      timeZone: 'Asia/Kolkata',
      displayName: 'Asha Client',
    });
  });
  afterEach(async () => {
    await extraHaven?.close();
    extraHaven = null;
    await t.stop();
    await sink.stop();
  });

  it('confirmation: each person gets their own time and zone, an .ics with the right UTC times, a link, no health data', async () => {
    const a = await t.haven.scheduling.booking.bookAsClient(actor(client), {
      therapistId: therapist.id,
      typeId: type.id,
      start: '2026-03-10T13:00:00.000Z',
      reason: REASON,
    });
    await deliver();
    const [toClient] = mailsTo(client);
    const [toTherapist] = mailsTo(therapist);
    assert.ok(toClient && toTherapist);
    assert.match(
      toClient.parsed.subject ?? '',
      /Appointment confirmed: Tue, 10 Mar 2026, 18:30 \(Asia\/Kolkata \(GMT\+5:30\)\)/,
    );
    assert.match(
      toTherapist.parsed.subject ?? '',
      /Tue, 10 Mar 2026, 09:00 \(America\/New_York \((EDT|GMT-4)\)\)/,
    );
    assert.match(toClient.parsed.text ?? '', new RegExp(`https://care\\.example\\.org/appointments/${a.id}`));
    assert.match(toClient.parsed.text ?? '', /with Theo Therapist/);
    assert.doesNotMatch(toTherapist.parsed.text ?? '', /Asha/, 'no client name in the therapist’s inbox');
    for (const mail of [toClient, toTherapist]) {
      assertNoHealthData(mail);
      const { method, events } = icsOf(mail);
      assert.equal(method, 'REQUEST');
      assert.equal(events.length, 1);
      assert.equal(events[0]!.uid, `${a.id}@care.example.org`);
      assert.equal(events[0]!.start.toISOString(), '2026-03-10T13:00:00.000Z');
      assert.equal(events[0]!.end?.toISOString(), '2026-03-10T13:50:00.000Z');
      assert.equal(Number(events[0]!.sequence), 0);
    }
  });

  it('change raises SEQUENCE with the new time; cancellation is METHOD:CANCEL with the same UID', async () => {
    const a = await t.haven.scheduling.booking.bookAsClient(actor(client), {
      therapistId: therapist.id,
      typeId: type.id,
      start: '2026-03-10T13:00:00.000Z',
    });
    await t.haven.scheduling.booking.reschedule(actor(client), a.id, { start: '2026-03-11T14:00:00.000Z' });
    await t.haven.scheduling.booking.cancel(actor(therapist), a.id);
    await deliver();
    const subjects = mailsTo(client).map((m) => m.parsed.subject);
    assert.equal(subjects.length, 3);
    const moved = mailsTo(client).find((m) => /moved/.test(m.parsed.subject ?? ''))!;
    const cancelled = mailsTo(client).find((m) => /cancelled/.test(m.parsed.subject ?? ''))!;
    const movedIcs = icsOf(moved);
    assert.equal(movedIcs.method, 'REQUEST');
    assert.equal(Number(movedIcs.events[0]!.sequence), 1);
    assert.equal(movedIcs.events[0]!.start.toISOString(), '2026-03-11T14:00:00.000Z');
    assert.match(moved.parsed.subject ?? '', /Wed, 11 Mar 2026, 19:30/);
    const cancelIcs = icsOf(cancelled);
    assert.equal(cancelIcs.method, 'CANCEL');
    assert.equal(cancelIcs.events[0]!.uid, `${a.id}@care.example.org`);
    assert.equal(Number(cancelIcs.events[0]!.sequence), 2);
    assert.equal(cancelIcs.events[0]!.status, 'CANCELLED');
    for (const mail of sink.received) assertNoHealthData(mail);
  });

  it('reminders at 24 h and 1 h: once each, across a restart mid-send, none for a cancelled appointment', async () => {
    const start = new Date('2026-03-10T13:00:00.000Z');
    const kept = await t.haven.scheduling.booking.bookAsClient(actor(client), {
      therapistId: therapist.id,
      typeId: type.id,
      start: start.toISOString(),
      reason: REASON,
    });
    const dropped = await t.haven.scheduling.booking.bookAsClient(actor(client), {
      therapistId: therapist.id,
      typeId: type.id,
      start: '2026-03-10T15:00:00.000Z',
    });
    await t.haven.scheduling.booking.cancel(actor(client), dropped.id);
    await deliver();
    sink.received.length = 0;

    clock.set(new Date(start.getTime() - 24 * HOUR - 60_000));
    assert.equal(await t.haven.scheduling.reminders.runOnce(), 0, 'not yet');
    clock.set(new Date(start.getTime() - 24 * HOUR + 30_000));
    assert.equal(await t.haven.scheduling.reminders.runOnce(), 2, 'therapist and client');
    assert.equal(await t.haven.scheduling.reminders.runOnce(), 0, 'queued once');

    // "Crash" before the sender delivered anything, then start again on the same database.
    await t.haven.close();
    extraHaven = await createApp({
      config: t.config,
      logger: createLogger('silent'),
      clock,
      startMedia: false,
    });
    assert.equal(await extraHaven.scheduling.reminders.runOnce(), 0, 'no second reminder after the restart');
    await deliver();
    assert.equal(sink.received.length, 2);

    clock.set(new Date(start.getTime() - HOUR + 1_000));
    assert.equal(await extraHaven.scheduling.reminders.runOnce(), 2);
    await deliver();
    assert.equal(sink.received.length, 4);
    for (const mail of sink.received) {
      assert.match(mail.parsed.subject ?? '', /^Reminder: appointment /);
      assertNoHealthData(mail);
      const { events } = icsOf(mail);
      assert.equal(events[0]!.uid, `${kept.id}@care.example.org`, 'nothing about the cancelled one');
      assert.equal(events[0]!.start.toISOString(), start.toISOString());
    }
    assert.ok([...sink.countsByMessageId().values()].every((n) => n === 1));
    const clientReminders = sink.receivedBy(client.email);
    assert.match(clientReminders[0]!.parsed.subject ?? '', /18:30 \(Asia\/Kolkata/);
  });

  it('after downtime only the most relevant reminder goes out, and none for a time already past when booked', async () => {
    const a = await t.haven.scheduling.booking.bookAsClient(actor(client), {
      therapistId: therapist.id,
      typeId: type.id,
      start: '2026-03-03T14:00:00.000Z', // 26 h ahead
    });
    await deliver();
    sink.received.length = 0;
    // The server was down from 25 h to 30 min before the start.
    clock.set(new Date(a.start.getTime() - 30 * 60_000));
    assert.equal(await t.haven.scheduling.reminders.runOnce(), 2);
    await deliver();
    assert.equal(sink.received.length, 2, 'the 1 h reminder only, to both');
    clock.set('2026-03-04T10:00:00Z');
    const late = await t.haven.scheduling.booking.bookAsClient(actor(client), {
      therapistId: therapist.id,
      typeId: type.id,
      start: '2026-03-04T15:00:00.000Z', // 5 h ahead: the 24 h moment had passed
    });
    assert.equal(await t.haven.scheduling.reminders.runOnce(), 0);
    clock.set(new Date(late.start.getTime() - 59 * 60_000));
    assert.equal(await t.haven.scheduling.reminders.runOnce(), 2);
  });

  it('the background job started by startBackground queues due reminders on its own', async () => {
    await t.stop();
    t = await startTestHaven({
      clock,
      env: { SMTP_URL: sink.url, SCHEDULING_REMINDER_POLL_SECONDS: '1', MAIL_POLL_INTERVAL_MS: '100' },
    });
    const admin = await createUser(t.haven, { roles: ['admin'], timeZone: 'Europe/Paris' });
    therapist = await createUser(t.haven, { roles: ['therapist'], timeZone: 'Europe/London' });
    client = await createUser(t.haven, { roles: ['client'], timeZone: 'Australia/Sydney' });
    await weekdayHours(t.haven, therapist, 'Europe/London');
    await makeBookable(t.haven, therapist, admin);
    type = await individualType(t.haven, admin);
    const a = await t.haven.scheduling.booking.bookAsClient(actor(client), {
      therapistId: therapist.id,
      typeId: type.id,
      start: '2026-03-10T09:00:00.000Z',
    });
    clock.set(new Date(a.start.getTime() - 2 * HOUR));
    t.haven.startBackground();
    const deadline = Date.now() + 10_000;
    while (
      Date.now() < deadline &&
      !sink.receivedBy(client.email).some((m) => /^Reminder/.test(m.parsed.subject ?? ''))
    ) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const reminder = sink.receivedBy(client.email).find((m) => /^Reminder/.test(m.parsed.subject ?? ''));
    assert.ok(reminder, 'reminder delivered by the running job and sender');
    // Sydney is on daylight time (AEDT, +11) in March: 09:00 UTC is 20:00 there.
    assert.match(reminder.parsed.subject ?? '', /20:00 \(Australia\/Sydney/);
  });
});
