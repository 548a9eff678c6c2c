import { createUser } from '../../support/accounts';
import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import type { User } from '../../../server/accounts';
import type { AppointmentType } from '../../../server/scheduling';
import { FakeClock } from '../../../server/shared/clock';
import { AppError } from '../../../server/shared/errors';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { makeBookable } from '../../support/practice';
import { actor, individualType, REASON, treat, weekdayHours } from './scheduling-fixtures';
import { auditEvents } from '../../support/audit-trail';

const rejects = (p: Promise<unknown>, code: string) =>
  assert.rejects(p, (e: unknown) => e instanceof AppError && e.code === code);

describe('scheduling: booking, races, changes and cancellations (SQLite)', function () {
  this.timeout(60_000);
  let t: TestHaven;
  let clock: FakeClock;
  let admin: User;
  let therapist: User;
  let clientA: User;
  let clientB: User;
  let type: AppointmentType;

  beforeEach(async () => {
    // Monday 2 March 2026, 12:00 UTC: New York is still on EST (DST starts Sunday 8 March).
    clock = new FakeClock('2026-03-02T12:00:00Z');
    t = await startTestHaven({ clock, env: { SCHEDULING_LATE_CANCEL_HOURS: '24' } });
    admin = await createUser(t.haven, { roles: ['admin'], timeZone: 'Europe/Paris' });
    therapist = await createUser(t.haven, {
      roles: ['therapist'],
      timeZone: 'America/New_York',
      displayName: 'Theo Therapist',
    });
    clientA = await createUser(t.haven, {
      roles: ['client'],
      timeZone: 'Asia/Kolkata',
      displayName: 'Asha Client',
    });
    clientB = await createUser(t.haven, {
      roles: ['client'],
      timeZone: 'Europe/London',
      displayName: 'Ben Client',
    });
    await weekdayHours(t.haven, therapist, 'America/New_York');
    await makeBookable(t.haven, therapist, admin);
    type = await individualType(t.haven, admin);
    await treat(t.haven, therapist, clientA, clientB);
  });
  afterEach(() => t.stop());

  it('stops new bookings once the therapist’s licence has expired, until a renewed licence is verified', async () => {
    const saveLicence = (expiresOn: string) =>
      t.haven.directory.saveOwnProfile(therapist, {
        acceptingNewClients: 'on',
        licenceType: 'LCSW',
        licenceNumber: 'NY-12345',
        licenceJurisdiction: 'US-NY',
        licenceExpiresOn: expiresOn,
      });
    await saveLicence('2026-03-01'); // expired yesterday (the fake clock says 2 March 2026)
    const start = '2026-03-10T14:00:00.000Z';
    await rejects(
      t.haven.scheduling.booking.bookAsClient(actor(clientA), {
        therapistId: therapist.id,
        typeId: type.id,
        start,
      }),
      'appointment.therapist_unavailable',
    );
    await rejects(
      t.haven.scheduling.booking.bookForClient(actor(therapist), {
        typeId: type.id,
        clientIds: [clientB.id],
        start,
      }),
      'appointment.therapist_unavailable',
    );
    await saveLicence('2028-03-01'); // renewed
    await t.haven.directory.verifyLicence(admin, therapist.id, {
      method: 'State board online lookup',
    });
    const booked = await t.haven.scheduling.booking.bookAsClient(actor(clientA), {
      therapistId: therapist.id,
      typeId: type.id,
      start,
    });
    assert.equal(booked.status, 'confirmed');
  });

  it('20 parallel bookings of one slot: exactly one appointment, the rest get slot_taken/slot_unavailable', async () => {
    const clients = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        createUser(t.haven, { roles: ['client'], timeZone: 'Europe/London', displayName: `Racer ${i}` }),
      ),
    );
    const start = '2026-03-10T13:00:00.000Z'; // Tuesday 09:00 EDT
    const results = await Promise.allSettled(
      clients.map((c) =>
        t.haven.scheduling.booking.bookAsClient(actor(c), {
          therapistId: therapist.id,
          typeId: type.id,
          start,
        }),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(won.length, 1);
    assert.equal(lost.length, 19);
    for (const r of lost) {
      assert.ok(r.reason instanceof AppError, String(r.reason));
      assert.ok(
        ['appointment.slot_taken', 'appointment.slot_unavailable'].includes(r.reason.code),
        r.reason.code,
      );
    }
    const [{ n }] = (await t.haven.sequelize.query(
      `SELECT COUNT(*) AS n FROM appointments WHERE start_at = (SELECT start_at FROM appointments LIMIT 1)`,
      { type: QueryTypes.SELECT },
    )) as [{ n: number }];
    assert.equal(Number(n), 1);
  });

  it('20 parallel therapist bookings (no application-level overlap check at all): the claim table lets one win', async () => {
    const clients = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        createUser(t.haven, { roles: ['client'], timeZone: 'Australia/Sydney', displayName: `Sydney ${i}` }),
      ),
    );
    await treat(t.haven, therapist, ...clients);
    const results = await Promise.allSettled(
      clients.map((c, i) =>
        t.haven.scheduling.booking.bookForClient(actor(therapist), {
          typeId: type.id,
          clientIds: [c.id],
          // Different but overlapping starts as well as identical ones.
          start: i % 2 === 0 ? '2026-03-11T15:00:00.000Z' : '2026-03-11T15:30:00.000Z',
        }),
      ),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results) {
      if (r.status === 'rejected') assert.equal((r.reason as AppError).code, 'appointment.slot_taken');
    }
    const rows = await t.haven.sequelize.query('SELECT id FROM appointments', { type: QueryTypes.SELECT });
    assert.equal(rows.length, 1);
  });

  it('the database itself refuses an overlapping claim (no application check involved)', async () => {
    const first = await t.haven.scheduling.booking.bookForClient(actor(therapist), {
      typeId: type.id,
      clientIds: [clientA.id],
      start: '2026-03-10T13:00:00.000Z',
    });
    // A raw insert into the claim table for a grain inside that block violates the primary key.
    const grain = Math.round(Date.parse('2026-03-10T13:20:00Z') / 60_000);
    await assert.rejects(
      t.haven.sequelize.query(
        'INSERT INTO appointment_slot_claims (therapist_id, grain_minute, appointment_id) VALUES (?, ?, ?)',
        { replacements: [therapist.id, grain, first.id] },
      ),
      /Unique|UNIQUE|unique|constraint/,
    );
    // A therapist booking (which skips the availability check) overlapping by 20 minutes also loses.
    await rejects(
      t.haven.scheduling.booking.bookForClient(actor(therapist), {
        typeId: type.id,
        clientIds: [clientB.id],
        start: '2026-03-10T13:40:00.000Z',
      }),
      'appointment.slot_taken',
    );
    const rows = await t.haven.sequelize.query('SELECT id FROM appointments', { type: QueryTypes.SELECT });
    assert.equal(rows.length, 1, 'the losing transaction left nothing behind');
  });

  it('a client can only book slots they were offered; the slot shows in their zone with the zone named', async () => {
    const listing = await t.haven.scheduling.schedule.listSlots({
      therapistId: therapist.id,
      typeId: type.id,
      zone: 'Asia/Kolkata',
      from: '2026-03-09',
      days: 2,
    });
    assert.match(listing.viewerZoneLabel, /^Asia\/Kolkata \(GMT\+5:30\)$/);
    assert.equal(listing.therapistZone, 'America/New_York');
    // Monday 9 March 09:00 EDT = 18:30 in Kolkata.
    const day = listing.days.find((d) => d.date === '2026-03-09');
    assert.equal(day?.slots[0]?.time, '18:30');
    await rejects(
      t.haven.scheduling.booking.bookAsClient(actor(clientA), {
        therapistId: therapist.id,
        typeId: type.id,
        start: '2026-03-09T13:15:00.000Z', // not on the hour: not offered
      }),
      'appointment.slot_unavailable',
    );
    await rejects(
      t.haven.scheduling.booking.bookAsClient(actor(clientA), {
        therapistId: therapist.id,
        typeId: type.id,
        start: '2026-03-08T14:00:00.000Z', // Sunday
      }),
      'appointment.slot_unavailable',
    );
    const a = await t.haven.scheduling.booking.bookAsClient(actor(clientA), {
      therapistId: therapist.id,
      typeId: type.id,
      start: day!.slots[0]!.start.toISOString(),
      reason: REASON,
    });
    assert.equal(a.status, 'confirmed');
    assert.deepEqual(a.clientIds, [clientA.id]);
    // The booked slot disappears for everyone.
    const again = await t.haven.scheduling.schedule.listSlots({
      therapistId: therapist.id,
      typeId: type.id,
      zone: 'Europe/London',
      from: '2026-03-09',
      days: 1,
    });
    assert.ok(!again.days.some((d) => d.slots.some((s) => s.start.getTime() === a.start.getTime())));
  });

  it('the reason for visit is encrypted at rest, readable by the participants only, and each read is audited', async () => {
    const a = await t.haven.scheduling.booking.bookAsClient(actor(clientA), {
      therapistId: therapist.id,
      typeId: type.id,
      start: '2026-03-10T13:00:00.000Z',
      reason: REASON,
    });
    const [row] = (await t.haven.sequelize.query('SELECT reason_cipher FROM appointments WHERE id = ?', {
      replacements: [a.id],
      type: QueryTypes.SELECT,
    })) as [{ reason_cipher: string }];
    assert.ok(row.reason_cipher.startsWith('hv1.'));
    assert.ok(!row.reason_cipher.includes('Panic'));
    assert.equal(await t.haven.scheduling.booking.readReason(actor(therapist), a.id), REASON);
    await rejects(t.haven.scheduling.booking.readReason(actor(clientB), a.id), 'appointment.not_found');
    await rejects(t.haven.scheduling.booking.getForViewer(actor(clientB), a.id), 'appointment.not_found');
    await rejects(t.haven.scheduling.booking.readReason(actor(admin), a.id), 'appointment.not_found');
    const reads = await auditEvents(t.haven, { action: 'appointment.reason.read', targetId: a.id });
    assert.equal(reads.length, 1);
    assert.deepEqual(await t.haven.scheduling.booking.listFor(actor(clientB), 'upcoming'), []);
  });

  it('request mode: requested holds the slot until approved or declined; declined frees it', async () => {
    await weekdayHours(t.haven, therapist, 'America/New_York', { bookingMode: 'request' });
    const start = '2026-03-10T14:00:00.000Z';
    const req = await t.haven.scheduling.booking.bookAsClient(actor(clientA), {
      therapistId: therapist.id,
      typeId: type.id,
      start,
    });
    assert.equal(req.status, 'requested');
    await rejects(
      t.haven.scheduling.booking.bookAsClient(actor(clientB), {
        therapistId: therapist.id,
        typeId: type.id,
        start,
      }),
      'appointment.slot_unavailable',
    );
    await rejects(t.haven.scheduling.booking.approve(actor(clientA), req.id), 'appointment.forbidden');
    const declined = await t.haven.scheduling.booking.decline(actor(therapist), req.id);
    assert.equal(declined.status, 'declined');
    const b = await t.haven.scheduling.booking.bookAsClient(actor(clientB), {
      therapistId: therapist.id,
      typeId: type.id,
      start,
    });
    const approved = await t.haven.scheduling.booking.approve(actor(therapist), b.id);
    assert.equal(approved.status, 'confirmed');
    assert.equal(approved.sequence, 1);
  });

  it('changes and cancellations: late window for clients, sequence raised, claims released, no-show after start', async () => {
    const a = await t.haven.scheduling.booking.bookAsClient(actor(clientA), {
      therapistId: therapist.id,
      typeId: type.id,
      start: '2026-03-03T14:00:00.000Z', // Tuesday 09:00 EST, 26 h from now
    });
    const moved = await t.haven.scheduling.booking.reschedule(actor(clientA), a.id, {
      start: '2026-03-04T15:00:00.000Z',
    });
    assert.equal(moved.sequence, 1);
    assert.equal(moved.start.toISOString(), '2026-03-04T15:00:00.000Z');
    // The old time is free again: the therapist can use it.
    await t.haven.scheduling.booking.bookForClient(actor(therapist), {
      typeId: type.id,
      clientIds: [clientB.id],
      start: '2026-03-03T14:00:00.000Z',
    });
    // 2 hours before the moved appointment: inside the 24 h window.
    clock.set('2026-03-04T13:00:00Z');
    await rejects(
      t.haven.scheduling.booking.reschedule(actor(clientA), a.id, { start: '2026-03-05T15:00:00.000Z' }),
      'appointment.change_too_late',
    );
    await rejects(t.haven.scheduling.booking.cancel(actor(clientB), a.id), 'appointment.not_found');
    const [cancelled] = await t.haven.scheduling.booking.cancel(actor(clientA), a.id);
    assert.equal(cancelled!.status, 'cancelled');
    assert.equal(cancelled!.lateCancellation, true);
    assert.equal(cancelled!.sequence, 2);
    const claims = await t.haven.sequelize.query(
      'SELECT * FROM appointment_slot_claims WHERE appointment_id = ?',
      {
        replacements: [a.id],
        type: QueryTypes.SELECT,
      },
    );
    assert.equal(claims.length, 0);

    const c = await t.haven.scheduling.booking.bookForClient(actor(therapist), {
      typeId: type.id,
      clientIds: [clientA.id],
      start: '2026-03-05T14:00:00.000Z',
    });
    await rejects(t.haven.scheduling.booking.markNoShow(actor(therapist), c.id), 'appointment.not_started');
    clock.set('2026-03-05T14:20:00Z');
    await rejects(t.haven.scheduling.booking.markNoShow(actor(clientA), c.id), 'appointment.forbidden');
    assert.equal((await t.haven.scheduling.booking.markNoShow(actor(therapist), c.id)).status, 'no_show');
    const actions = (await auditEvents(t.haven)).map(({ action }) => ({ action }));
    for (const expected of [
      'appointment.booked',
      'appointment.rescheduled',
      'appointment.cancelled',
      'appointment.no_show',
    ]) {
      assert.ok(
        actions.some((x) => x.action === expected),
        expected,
      );
    }
  });

  it('series: conflicts shown first, creation refused unless skipped, DST kept, cancel the rest', async () => {
    const blocker = await t.haven.scheduling.booking.bookForClient(actor(therapist), {
      typeId: type.id,
      clientIds: [clientB.id],
      start: '2026-03-16T13:00:00.000Z', // Monday 16 March 09:00 EDT
    });
    const input = {
      typeId: type.id,
      clientIds: [clientA.id],
      start: '2026-03-02T14:00:00.000Z', // Monday 2 March 09:00 EST (in the past at 12:00Z? no: 14:00Z)
      frequency: 'weekly' as const,
      count: 4,
    };
    const preview = await t.haven.scheduling.booking.previewSeries(actor(therapist), input);
    assert.deepEqual(
      preview.map((p) => [p.start.toISOString(), p.conflicts]),
      [
        ['2026-03-02T14:00:00.000Z', []],
        ['2026-03-09T13:00:00.000Z', []],
        ['2026-03-16T13:00:00.000Z', ['overlaps_appointment']],
        ['2026-03-23T13:00:00.000Z', []],
      ],
    );
    // One of the four conflicts: the refusal counts it (the page writes the plural in the reader's words).
    await assert.rejects(t.haven.scheduling.booking.createSeries(actor(therapist), input), (e: unknown) => {
      assert.ok(e instanceof AppError && e.code === 'series.conflicts');
      assert.deepEqual(e.phrase, { key: 'scheduling:problem.seriesConflicts', values: { count: 1, n: 1 } });
      return true;
    });
    const { created, skipped } = await t.haven.scheduling.booking.createSeries(actor(therapist), {
      ...input,
      skipConflicts: true,
    });
    assert.equal(created.length, 3);
    assert.deepEqual(
      skipped.map((d) => d.toISOString()),
      ['2026-03-16T13:00:00.000Z'],
    );
    // Move the rest of the series from the 2nd session (Mon 9 March) to Tuesdays 11:30 New York time.
    await rejects(
      t.haven.scheduling.booking.moveSeriesFrom(actor(clientA), created[1]!.id, {
        start: '2026-03-10T15:30:00.000Z',
      }),
      'appointment.forbidden',
    );
    const moved = await t.haven.scheduling.booking.moveSeriesFrom(actor(therapist), created[1]!.id, {
      start: '2026-03-10T15:30:00.000Z',
    });
    assert.deepEqual(
      moved.map((a) => [a.start.toISOString(), a.sequence]),
      [
        ['2026-03-10T15:30:00.000Z', 1],
        ['2026-03-24T15:30:00.000Z', 1],
      ],
    );
    assert.equal((await t.haven.scheduling.booking.getForViewer(actor(clientA), created[0]!.id)).sequence, 0);
    const rest = await t.haven.scheduling.booking.cancel(actor(clientA), created[1]!.id, 'rest');
    assert.deepEqual(
      rest.map((a) => a.start.toISOString()),
      ['2026-03-10T15:30:00.000Z', '2026-03-24T15:30:00.000Z'],
    );
    const first = await t.haven.scheduling.booking.getForViewer(actor(clientA), created[0]!.id);
    assert.equal(first.status, 'confirmed');
    assert.equal(
      (await t.haven.scheduling.booking.getForViewer(actor(clientB), blocker.id)).status,
      'confirmed',
    );
  });

  it('a therapist books only for clients they treat, and only in their own calendar', async () => {
    const stranger = await createUser(t.haven, { roles: ['client'], timeZone: 'Europe/London' });
    await rejects(
      t.haven.scheduling.booking.bookForClient(actor(therapist), {
        typeId: type.id,
        clientIds: [stranger.id],
        start: '2026-03-10T13:00:00.000Z',
      }),
      'appointment.not_your_client',
    );
    await rejects(
      t.haven.scheduling.booking.bookForClient(actor(clientA), {
        typeId: type.id,
        clientIds: [clientB.id],
        start: '2026-03-10T13:00:00.000Z',
      }),
      'appointment.forbidden',
    );
    await rejects(
      t.haven.scheduling.schedule.saveSchedule(actor(clientA), therapist.id, {
        timeZone: 'Europe/London',
        minNoticeMinutes: 0,
        horizonDays: 10,
        slotStepMinutes: 30,
        bookingMode: 'direct',
        weekly: [],
      }),
      'schedule.forbidden',
    );
  });

  it('getAppointmentForRoom gives the rooms feature participants, times, format and status', async () => {
    const a = await t.haven.scheduling.booking.bookForClient(actor(therapist), {
      typeId: type.id,
      clientIds: [clientA.id],
      start: '2026-03-10T13:00:00.000Z',
    });
    const room = await t.haven.scheduling.getAppointmentForRoom(a.id);
    assert.deepEqual(room, {
      id: a.id,
      therapistId: therapist.id,
      clientIds: [clientA.id],
      startsAt: new Date('2026-03-10T13:00:00.000Z'),
      endsAt: new Date('2026-03-10T13:50:00.000Z'),
      format: 'video',
      status: 'confirmed',
      cancelled: false,
      completed: false,
      // The therapist's per-session end-to-end encryption choice (ROOM_E2EE=per-session): not made.
      e2eeChosen: false,
    });
    await t.haven.scheduling.booking.cancel(actor(therapist), a.id);
    assert.equal((await t.haven.scheduling.getAppointmentForRoom(a.id))?.cancelled, true);
    assert.equal(
      await t.haven.scheduling.getAppointmentForRoom('00000000-0000-4000-8000-000000000000'),
      null,
    );
  });
});
