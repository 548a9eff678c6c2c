import '../../support/media-worker';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../server/shared/clock';
import { createPerson, ensureAdmin, type TestPerson } from '../../support/accounts';
import { ask, dataOf, refusedWith, TestSockets } from '../../support/live-session';
import { startLiveHaven, type LiveHaven } from '../../support/live-haven';
import { actor, individualType, weekdayHours } from '../scheduling/scheduling-fixtures';

/**
 * The per-session safety check is a rule of the rooms feature, not of one page: a client who has
 * not confirmed where they are and a callback number for this appointment is refused on the
 * socket too (`room:join`), with its own code, and let in once they have.
 */
describe('realtime: the safety check holds on the socket, not only on the room page', function () {
  this.timeout(60_000);
  let live: LiveHaven;
  const clock = new FakeClock('2026-03-10T12:50:00Z'); // a Tuesday, 10 minutes before the session
  let therapist: TestPerson;
  let client: TestPerson;
  let appointmentId: string;
  let roomId: string;
  const sockets = new TestSockets(() => live);

  before(async () => {
    live = await startLiveHaven({ clock });
    const admin = (await ensureAdmin(live.haven)) ?? (await createPerson(live.haven, { roles: ['admin'] }));
    therapist = await createPerson(live.haven, { roles: ['therapist'], displayName: 'Dr Rivera' });
    client = await createPerson(live.haven, { roles: ['client'], displayName: 'Casey Client' });
    await live.haven.clinical.care.assign(null, therapist.user.id, client.user.id);
    await weekdayHours(live.haven, therapist.user, 'Europe/London');
    const type = await individualType(live.haven, admin.user);
    appointmentId = (
      await live.haven.scheduling.booking.bookForClient(actor(therapist.user), {
        typeId: type.id,
        clientIds: [client.user.id],
        start: '2026-03-10T13:00:00.000Z',
      })
    ).id;
    roomId = (await live.haven.rooms.access.forAppointment(therapist.user, appointmentId)).id;
  });
  afterEach(() => sockets.closeAll());
  after(async () => live?.stop());

  it('refuses room:join with room.safety_check_required until the client confirms the check', async () => {
    const socket = await sockets.open(client);
    refusedWith(await ask(socket, 'room:join', { roomId }), 'room.safety_check_required');
    assert.equal(live.haven.media?.roomCount, 0, 'nothing was opened for the refused client');

    await live.haven.clinical.intake.recordSafetyCheck(
      { id: client.user.id, roles: client.user.roles, ip: null },
      { appointmentId, location: '10 Marker Street, Leeds', callbackNumber: '+44 113 496 0123' },
    );
    const joined = dataOf(await ask(socket, 'room:join', { roomId }));
    assert.equal(joined.state, 'waiting', 'with the check confirmed the client knocks as usual');
  });
});
