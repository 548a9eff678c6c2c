import '../../support/media-worker';
import assert from 'node:assert/strict';
import { createPerson, ensureAdmin, type TestPerson } from '../../support/accounts';
import { ask, next, signInCookie, TestSockets } from '../../support/live-session';
import { startLiveHaven, type LiveHaven } from '../../support/live-haven';
import { actor, individualType } from '../scheduling/scheduling-fixtures';
import { auditActions } from '../../support/audit-trail';

/** A page as the browser gets it, with a person's session cookie. */
async function page(
  live: LiveHaven,
  cookie: string,
  path: string,
): Promise<{ status: number; text: string }> {
  const res = await fetch(`${live.baseUrl}${path}`, { headers: { cookie }, redirect: 'manual' });
  return { status: res.status, text: await res.text() };
}

/**
 * The room after the booking: the therapist's safety-check panel is pushed the client's answer when
 * it arrives (item 5), and "End for everyone" completes the appointment, whose links then say the
 * session ended instead of an error (item 4).
 */
describe('rooms: safety check pushed to the therapist; ending completes the appointment', function () {
  this.timeout(90_000);
  let live: LiveHaven;
  let therapist: TestPerson;
  let client: TestPerson;
  let other: TestPerson;
  let appointmentId: string;
  let roomId: string;
  const sockets = new TestSockets(() => live);

  before(async () => {
    live = await startLiveHaven();
    const admin = (await ensureAdmin(live.haven)) ?? (await createPerson(live.haven, { roles: ['admin'] }));
    therapist = await createPerson(live.haven, { roles: ['therapist'], displayName: 'Dr Rivera' });
    client = await createPerson(live.haven, { roles: ['client'], displayName: 'Casey Client' });
    other = await createPerson(live.haven, { roles: ['client'], displayName: 'Other Client' });
    for (const c of [client, other])
      await live.haven.clinical.care.assign(null, therapist.user.id, c.user.id);
    const type = await individualType(live.haven, admin.user);
    // Starts in five minutes: the room is open now (it opens 15 minutes before).
    const start = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 5 * 60_000).toISOString();
    appointmentId = (
      await live.haven.scheduling.booking.bookForClient(actor(therapist.user), {
        typeId: type.id,
        clientIds: [client.user.id],
        start,
      })
    ).id;
    const host = { id: therapist.user.id, displayName: 'Dr Rivera', roles: therapist.user.roles };
    roomId = (await live.haven.rooms.access.forAppointment(host, appointmentId)).id;
  });
  afterEach(() => sockets.closeAll());
  after(async () => live?.stop());

  it('pushes the client’s answer to the therapist already in the room, and to nobody else', async () => {
    const host = await sockets.open(therapist);
    assert.equal((await ask(host, 'room:join', { roomId })).ok, true);
    const waiting = await sockets.open(client);
    const heardByClient: string[] = [];
    waiting.onAny((event: string) => heardByClient.push(event));
    await ask(waiting, 'room:join', { roomId });

    // Another client's check for no appointment of this room changes nothing here.
    await live.haven.clinical.intake.recordSafetyCheck(
      { id: other.user.id, roles: other.user.roles, ip: null },
      { location: 'Elsewhere', callbackNumber: '+44 20 7946 0999' },
    );
    const pushed = next(host, 'room:safety-check');
    await live.haven.clinical.intake.recordSafetyCheck(
      { id: client.user.id, roles: client.user.roles, ip: null },
      { appointmentId, location: '10 Marker Street, Leeds', callbackNumber: '+44 113 496 0123' },
    );
    assert.deepEqual(await pushed, {
      clientId: client.user.id,
      location: '10 Marker Street, Leeds',
      callbackNumber: '+44 113 496 0123',
    });
    assert.equal(heardByClient.includes('room:safety-check'), false, 'only the therapist gets it');
    const reads = await auditActions(live.haven, { action: 'safety_check.read', actorId: therapist.user.id });
    assert.equal(reads.length, 1, 'the pushed read is audited as the therapist’s');
  });

  it('“End for everyone” completes the appointment; its links say the session ended', async () => {
    const host = await sockets.open(therapist);
    await ask(host, 'room:join', { roomId });
    const ended = await ask(host, 'room:end', { roomId });
    assert.equal(ended.ok, true);
    const after = await live.haven.scheduling.getAppointmentForRoom(appointmentId);
    assert.equal(after?.status, 'completed');
    assert.equal(after?.completed, true);

    const cookie = (await signInCookie(live, client)).header;
    for (const path of [`/rooms/appointment/${appointmentId}`, `/rooms/${roomId}`]) {
      const shown = await page(live, cookie, path);
      assert.equal(shown.status, 200, `${path} is a page, not an error`);
      assert.match(shown.text, /<h1 id="closed-heading">This session has ended<\/h1>/);
      assert.match(shown.text, new RegExp(`href="/rooms/${roomId}/chat"`));
      assert.match(shown.text, /href="\/clinical\/feedback"/, 'the client may say how it went');
    }
    const list = await page(live, cookie, '/appointments');
    const past = list.text.slice(list.text.indexOf('<h2>Past</h2>'));
    assert.match(past, new RegExp(`data-appointment-id="${appointmentId}"`), 'listed as past at once');
    assert.match(past, /<span class="appointment-status">Completed<\/span>/);
    assert.doesNotMatch(list.text, new RegExp(`href="/rooms/appointment/${appointmentId}"`), 'no Join');
    const rejoin = await ask(await sockets.open(client), 'room:join', { roomId });
    assert.equal(rejoin.ok, false);
  });

  it('an ad-hoc session the therapist opens is listed on the client’s appointments while open', async () => {
    const host = { id: therapist.user.id, displayName: 'Dr Rivera', roles: therapist.user.roles };
    const adhoc = await live.haven.rooms.access.openAdhoc(host, [other.user.id], null);
    const otherCookie = (await signInCookie(live, other)).header;
    const list = await page(live, otherCookie, '/appointments');
    assert.match(list.text, /Dr Rivera<\/strong> started a session with you/);
    assert.match(list.text, new RegExp(`href="/rooms/${adhoc.id}"`));
    const clientCookie = (await signInCookie(live, client)).header;
    assert.doesNotMatch((await page(live, clientCookie, '/appointments')).text, new RegExp(adhoc.id));

    const socket = await sockets.open(therapist);
    await ask(socket, 'room:join', { roomId: adhoc.id });
    await ask(socket, 'room:end', { roomId: adhoc.id });
    assert.doesNotMatch((await page(live, otherCookie, '/appointments')).text, /started a session with you/);
  });
});
