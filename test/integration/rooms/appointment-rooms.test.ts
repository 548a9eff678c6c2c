import { createUser } from '../../support/accounts';
import assert from 'node:assert/strict';
import type { User } from '../../../server/accounts';
import type { Actor } from '../../../server/rooms';
import { FakeClock } from '../../../server/shared/clock';
import { AppError } from '../../../server/shared/errors';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { actor, treat, weekdayHours } from '../scheduling/scheduling-fixtures';

const asRoomActor = (u: User): Actor => ({ id: u.id, displayName: u.displayName, roles: u.roles });

async function refuses(work: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(work, (e: unknown) => e instanceof AppError && e.code === code);
}

/**
 * Appointment rooms: participants come from scheduling, and the room can be entered only from
 * ROOM_OPEN_BEFORE_MINUTES before the start until ROOM_GRACE_MINUTES after the end.
 */
describe('rooms: appointment rooms follow the appointment', () => {
  let t: TestHaven;
  const clock = new FakeClock('2026-03-09T12:00:00Z');
  let therapist: User;
  let alex: User;
  let blake: User;
  let stranger: User;
  let admin: User;
  let appointmentId: string;

  before(async () => {
    t = await startTestHaven({ clock, env: { ROOM_OPEN_BEFORE_MINUTES: '15', ROOM_GRACE_MINUTES: '30' } });
    admin = await createUser(t.haven, { roles: ['admin'], timeZone: 'Europe/London' });
    therapist = await createUser(t.haven, {
      roles: ['therapist'],
      timeZone: 'Europe/London',
      displayName: 'Dr Rivera',
    });
    alex = await createUser(t.haven, { roles: ['client'], timeZone: 'Europe/London', displayName: 'Alex' });
    blake = await createUser(t.haven, { roles: ['client'], timeZone: 'Europe/London', displayName: 'Blake' });
    stranger = await createUser(t.haven, { roles: ['client'], timeZone: 'Europe/London' });
    await treat(t.haven, therapist, alex, blake);
    await weekdayHours(t.haven, therapist, 'Europe/London');
    const type = await t.haven.scheduling.schedule.createType(actor(admin), {
      name: 'Couples session',
      durationMinutes: 50,
      format: 'video',
      kind: 'couples',
    });
    const booked = await t.haven.scheduling.booking.bookForClient(actor(therapist), {
      typeId: type.id,
      clientIds: [alex.id, blake.id],
      start: '2026-03-10T13:00:00.000Z',
    });
    appointmentId = booked.id;
  });
  after(async () => t?.stop());

  it('gives the appointment one room, to its participants only (no admin, no stranger)', async () => {
    const room = await t.haven.rooms.access.forAppointment(asRoomActor(alex), appointmentId);
    assert.equal(
      (await t.haven.rooms.access.forAppointment(asRoomActor(therapist), appointmentId)).id,
      room.id,
    );
    assert.equal((await t.haven.rooms.access.forAppointment(asRoomActor(blake), appointmentId)).id, room.id);
    await refuses(
      t.haven.rooms.access.forAppointment(asRoomActor(stranger), appointmentId),
      'room.forbidden',
    );
    await refuses(t.haven.rooms.access.forAppointment(asRoomActor(admin), appointmentId), 'room.forbidden');
    await refuses(
      t.haven.rooms.access.forAppointment(asRoomActor(alex), '00000000-0000-4000-8000-000000000000'),
      'room.not_found',
    );
  });

  it('opens 15 minutes before the start and closes 30 minutes after the end (50-minute session)', async () => {
    const room = await t.haven.rooms.access.forAppointment(asRoomActor(alex), appointmentId);
    // A client comes in only with this session's safety check confirmed (the rooms feature's rule).
    await t.haven.clinical.intake.recordSafetyCheck(
      { id: alex.id, roles: alex.roles, ip: null },
      { appointmentId, location: 'Home, Leeds', callbackNumber: '+44 113 496 0123' },
    );
    const join = () => t.haven.rooms.live.join(asRoomActor(alex), room.id, null);
    clock.set('2026-03-10T12:44:59Z');
    await refuses(join(), 'room.not_open');
    clock.set('2026-03-10T12:45:00Z');
    assert.equal((await join()).state, 'waiting', 'a client waits for the therapist');
    await t.haven.rooms.live.leave(asRoomActor(alex), room.id, true);
    clock.set('2026-03-10T14:20:00Z');
    assert.equal((await join()).state, 'waiting');
    await t.haven.rooms.live.leave(asRoomActor(alex), room.id, true);
    clock.set('2026-03-10T14:20:01Z');
    await refuses(join(), 'room.closed');
  });

  it('a cancelled appointment closes its room', async () => {
    const room = await t.haven.rooms.access.forAppointment(asRoomActor(alex), appointmentId);
    clock.set('2026-03-09T12:00:00Z');
    await t.haven.scheduling.booking.cancel(actor(therapist), appointmentId);
    clock.set('2026-03-10T13:00:00Z');
    await refuses(t.haven.rooms.live.join(asRoomActor(alex), room.id, null), 'room.closed');
  });
});
