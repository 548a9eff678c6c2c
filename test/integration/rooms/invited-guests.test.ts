import '../../support/media-worker';
import assert from 'node:assert/strict';
import { createPerson, ensureAdmin, type TestPerson } from '../../support/accounts';
import { auditActions, auditEvents } from '../../support/audit-trail';
import {
  ask,
  askRaw,
  connected,
  dataOf,
  next,
  openSocket,
  refusedWith,
  TestSockets,
  useGuestLink,
} from '../../support/live-session';
import { startLiveHaven, type LiveHaven } from '../../support/live-haven';
import { actor, individualType } from '../scheduling/scheduling-fixtures';
import type { Clock } from '../../../server/shared/clock';
import type { AppError } from '../../../server/shared/errors';
import type { Actor } from '../../../server/rooms';
import type { PeerView } from '../../../server/protocol';

const MINUTE = 60_000;

/**
 * Invited guests (issue 23, item 1): the therapist invites, the guest's single-use link works once
 * inside the room's window, the guest always knocks, sees no chat from before, writes none, is in
 * the attendance, reaches no other room and no other socket event; the client sees them and can ask
 * for their removal; the therapist removes them.
 */
describe('rooms: invited guests', function () {
  this.timeout(120_000);
  // Real time (two-factor codes are computed from it), moved past the room's grace end by the last test.
  let offsetMs = 0;
  const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };
  let live: LiveHaven;
  let therapist: TestPerson;
  let client: TestPerson;
  let otherClient: TestPerson;
  let otherTherapist: TestPerson;
  let host: Actor;
  let admin: TestPerson;
  let appointmentId: string;
  let otherAppointmentId: string;
  let laterAppointmentId: string;
  let roomId: string;
  let otherRoomId: string;
  let adhocRoomId: string;
  const sockets = new TestSockets(() => live);

  const book = async (
    clientPerson: TestPerson,
    startsInMinutes: number,
    by: TestPerson = therapist,
  ): Promise<string> => {
    const type = await individualType(live.haven, admin.user);
    const start = new Date(clock.now().getTime() + startsInMinutes * MINUTE).toISOString();
    return (
      await live.haven.scheduling.booking.bookForClient(actor(by.user), {
        typeId: type.id,
        clientIds: [clientPerson.user.id],
        start,
      })
    ).id;
  };
  /** The other appointment's therapist (Dr Other), as the rooms feature knows them. */
  const otherHost = (): Actor => ({
    id: otherTherapist.user.id,
    displayName: 'Dr Other',
    roles: otherTherapist.user.roles,
  });
  const invite = async (id: string, overrides: Record<string, string> = {}, by: Actor = host) =>
    live.haven.rooms.guests.invite(
      by,
      id,
      {
        role: 'interpreter',
        displayName: 'Ana Ruiz',
        email: 'ana@interpreters.test',
        language: 'Spanish',
        ...overrides,
      },
      '127.0.0.1',
    );

  before(async () => {
    live = await startLiveHaven({ clock });
    admin = (await ensureAdmin(live.haven)) ?? (await createPerson(live.haven, { roles: ['admin'] }));
    therapist = await createPerson(live.haven, { roles: ['therapist'], displayName: 'Dr Rivera' });
    client = await createPerson(live.haven, { roles: ['client'], displayName: 'Casey Client' });
    otherClient = await createPerson(live.haven, { roles: ['client'], displayName: 'Other Client' });
    otherTherapist = await createPerson(live.haven, { roles: ['therapist'], displayName: 'Dr Other' });
    await live.haven.clinical.care.assign(null, therapist.user.id, client.user.id);
    await live.haven.clinical.care.assign(null, otherTherapist.user.id, otherClient.user.id);
    host = { id: therapist.user.id, displayName: 'Dr Rivera', roles: therapist.user.roles };
    // Starts in five minutes: the room is open now (it opens 15 minutes before).
    appointmentId = await book(client, 5);
    otherAppointmentId = await book(otherClient, 5, otherTherapist);
    laterAppointmentId = await book(client, 2 * 24 * 60);
    roomId = (await live.haven.rooms.access.forAppointment(host, appointmentId)).id;
    otherRoomId = (await live.haven.rooms.access.forAppointment(otherHost(), otherAppointmentId)).id;
    adhocRoomId = (await live.haven.rooms.access.openAdhoc(host, [client.user.id], null)).id;
    // The client must have confirmed the safety check to be let in.
    await live.haven.clinical.intake.recordSafetyCheck(
      { id: client.user.id, roles: client.user.roles, ip: null },
      { appointmentId, location: 'Home', callbackNumber: '+44 113 496 0123' },
    );
  });
  afterEach(() => sockets.closeAll());
  after(async () => live?.stop());

  it('sends the guest one email with a link that is stored only as a hash, naming no client', async () => {
    const [link] = await invite(appointmentId);
    const mail = (await live.haven.mail.outbox.list()).filter((m) => m.to === 'ana@interpreters.test');
    assert.equal(mail.length, 1);
    assert.match(mail[0]!.text, new RegExp(`/guest/${link!.token}`));
    assert.match(mail[0]!.text, /as interpreter/);
    assert.doesNotMatch(mail[0]!.text, /Casey/);
    const [rows] = (await live.haven.sequelize.query('SELECT * FROM room_guests WHERE id = ?', {
      replacements: [link!.guestId],
    })) as [Array<Record<string, unknown>>, unknown];
    const stored = JSON.stringify(rows);
    assert.equal(rows.length, 1);
    assert.doesNotMatch(stored, new RegExp(link!.token));
    assert.doesNotMatch(
      stored,
      /Ana Ruiz|interpreters\.test|Spanish/,
      'name, email and language are encrypted',
    );
    assert.deepEqual(await auditActions(live.haven, { action: 'room.guest.' }), ['room.guest.invited']);
  });

  it('refuses an invitation from anyone but the treating therapist, and a bad form with its reasons', async () => {
    const clientActor = { id: client.user.id, displayName: 'Casey', roles: client.user.roles };
    await assert.rejects(live.haven.rooms.guests.invite(clientActor, appointmentId, {}, null), {
      code: 'room.host_only',
    });
    const stranger = await createPerson(live.haven, { roles: ['therapist'] });
    await assert.rejects(
      live.haven.rooms.guests.invite(
        { id: stranger.user.id, displayName: 'X', roles: ['therapist'] },
        appointmentId,
        {},
        null,
      ),
      { code: 'guest.not_found' },
    );
    await assert.rejects(invite(appointmentId, { language: '' }), (error: AppError) => {
      assert.equal(error.code, 'guest.form_invalid');
      // The reason is a resource key, written in the reader's language by the page.
      const reason = error.details?.language;
      assert.equal(typeof reason === 'object' && reason.key, 'guests:problem.interpreterLanguage');
      return true;
    });
    await assert.rejects(invite(appointmentId, { email: 'not an email' }), { code: 'guest.form_invalid' });
  });

  it('a link works once: a second use, from anywhere, is refused', async () => {
    const [link] = await invite(appointmentId, { role: 'family', displayName: 'Sam Family', language: '' });
    const first = await useGuestLink(live, link!.token);
    assert.equal(first.status, 303);
    assert.equal(first.location, '/guest/room');
    assert.ok(first.cookie);
    const again = await useGuestLink(live, link!.token);
    assert.equal(again.status, 409);
    assert.equal(again.cookie, null);
    const page = await fetch(`${live.baseUrl}/guest/${link!.token}`);
    assert.equal(page.status, 409);
    assert.match(await page.text(), /already been used/);
  });

  it('a link before its room opens neither works nor is used up; an unknown link is 404', async () => {
    const [link] = await invite(laterAppointmentId);
    const page = await fetch(`${live.baseUrl}/guest/${link!.token}`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /The room opens at/);
    assert.equal((await useGuestLink(live, link!.token)).status, 404);
    assert.equal((await live.haven.rooms.guests.linkState(link!.token)).state, 'not_yet');
    const bogus = await fetch(`${live.baseUrl}/guest/${'x'.repeat(43)}`);
    assert.equal(bogus.status, 404);
  });

  it('the guest knocks, is let in only by the therapist, reads no chat from before and writes none', async () => {
    const [link] = await invite(appointmentId);
    const { cookie } = await useGuestLink(live, link!.token);
    const therapistSocket = await sockets.open(therapist);
    dataOf(await ask(therapistSocket, 'room:join', { roomId }));
    dataOf(await ask(therapistSocket, 'chat:send', { roomId, text: 'Said before the guest came' }));

    const guest = sockets.track(openSocket(live, cookie));
    await connected(guest);
    const knock = next(therapistSocket, 'room:knock');
    const joined = dataOf(await ask(guest, 'room:join', { roomId }));
    assert.equal(joined.role, 'guest');
    assert.equal(joined.state, 'waiting');
    const { waiting } = await knock;
    const seen = waiting.find((p) => p.userId === link!.guestId);
    assert.deepEqual(seen?.guest, { role: 'interpreter', language: 'Spanish', removalAsked: false });
    assert.equal(seen?.displayName, 'Ana Ruiz');
    // Waiting: no media, no chat.
    refusedWith(await ask(guest, 'media:rebuild', { roomId }), 'room.not_admitted');
    refusedWith(await ask(guest, 'room:admit', { roomId, userId: link!.guestId }), 'room.not_admitted');

    const admitted = next(guest, 'room:admitted');
    dataOf(await ask(therapistSocket, 'room:admit', { roomId, userId: link!.guestId }));
    const histories: string[] = [];
    guest.on('room:chat-history', ({ messages }) => histories.push(...messages.map((m) => m.body)));
    const payload = await admitted;
    assert.deepEqual(payload.chat, [], 'nothing from before the guest joined');
    // Refused only once the admission is written (chat waits for it), so the history read is done.
    refusedWith(await ask(guest, 'chat:send', { roomId, text: 'hello' }), 'guest.read_only');
    const reads = await auditEvents(live.haven, { actorId: link!.guestId, action: 'room.chat.read' });
    assert.equal(reads.length, 1);
    assert.match(reads[0]!.details ?? '', /"messages":0/, 'the guest read no message from before');
    const heard = next(guest, 'chat:message');
    dataOf(await ask(therapistSocket, 'chat:send', { roomId, text: 'Said with the guest here' }));
    assert.equal((await heard).body, 'Said with the guest here');
    assert.deepEqual(histories, [], 'no history pushed to the guest');

    // A guest manages nothing.
    refusedWith(await ask(guest, 'room:end', { roomId }), 'room.host_only');
    refusedWith(
      await ask(guest, 'room:move-to-waiting', { roomId, userId: therapist.user.id }),
      'room.host_only',
    );

    dataOf(await ask(guest, 'room:leave', { roomId }));
    const attendance = await live.haven.rooms.guests.attendance(roomId);
    assert.ok(
      attendance.some((a) => a.guestId === link!.guestId && a.leftAt !== null && a.durationSeconds !== null),
    );

    // Back again: a guest's place is never held, they knock again.
    assert.equal(dataOf(await ask(guest, 'room:join', { roomId })).state, 'waiting');
  });

  it('a guest’s socket is refused on every other room and on every other kind of event', async () => {
    const [link] = await invite(appointmentId, { displayName: 'Pat Guest' });
    const { cookie } = await useGuestLink(live, link!.token);
    const guest = sockets.track(openSocket(live, cookie));
    await connected(guest);
    refusedWith(await ask(guest, 'room:join', { roomId: otherRoomId }), 'room.forbidden');
    refusedWith(await ask(guest, 'room:join', { roomId: adhocRoomId }), 'room.forbidden');
    refusedWith(
      await ask(guest, 'room:join', { roomId: '00000000-0000-4000-8000-000000000000' }),
      'room.not_found',
    );
    refusedWith(await ask(guest, 'message:subscribe', {}), 'auth.required');
    refusedWith(await askRaw(guest, 'meeting:raise-hand', { roomId, raised: true }), 'auth.required');
    // The other appointment's guest link does not open this room either.
    const [other] = await live.haven.rooms.guests.invite(
      otherHost(),
      otherAppointmentId,
      { role: 'family', displayName: 'Other Guest', email: 'other@example.org' },
      null,
    );
    assert.equal((await live.haven.rooms.guests.linkState(other!.token)).state, 'ready');
    const otherGuest = await useGuestLink(live, other!.token);
    const socket = sockets.track(openSocket(live, otherGuest.cookie));
    await connected(socket);
    refusedWith(await ask(socket, 'room:join', { roomId }), 'room.forbidden');
    // And the guest's web session is a visitor everywhere else.
    for (const path of [
      '/appointments',
      `/rooms/${roomId}`,
      `/rooms/${roomId}/chat`,
      '/messages',
      '/clinical/intake',
    ]) {
      const res = await fetch(`${live.baseUrl}${path}`, { headers: { cookie: cookie! }, redirect: 'manual' });
      assert.equal(res.status, 302, `${path} as a guest`);
      assert.match(res.headers.get('location') ?? '', /\/sign-in/);
    }
  });

  it('the client sees the guest and asks for their removal; the therapist removes them and the link dies', async () => {
    const [link] = await invite(appointmentId, {
      role: 'supervisor',
      displayName: 'Dr Supervisor',
      language: '',
    });
    const { cookie } = await useGuestLink(live, link!.token);
    const therapistSocket = await sockets.open(therapist);
    dataOf(await ask(therapistSocket, 'room:join', { roomId }));
    const guest = sockets.track(openSocket(live, cookie));
    await connected(guest);
    dataOf(await ask(guest, 'room:join', { roomId }));
    dataOf(await ask(therapistSocket, 'room:admit', { roomId, userId: link!.guestId }));
    const clientSocket = await sockets.open(client);
    dataOf(await ask(clientSocket, 'room:join', { roomId }));
    const clientIn = next(clientSocket, 'room:admitted');
    dataOf(await ask(therapistSocket, 'room:admit', { roomId, userId: client.user.id }));
    const { peers } = await clientIn;
    assert.deepEqual(
      peers.find((p) => p.userId === link!.guestId)?.guest,
      { role: 'supervisor', language: null, removalAsked: false },
      'the client sees who the guest is and their role',
    );

    const asked = next(therapistSocket, 'room:guest-removal-asked');
    const guestHears = next(guest, 'room:peers');
    const clientHears = next(clientSocket, 'room:peers');
    dataOf(await ask(clientSocket, 'room:ask-guest-removal', { roomId, userId: link!.guestId }));
    assert.deepEqual(await asked, { userId: link!.guestId, displayName: 'Dr Supervisor' });
    const badge = async (push: Promise<{ peers: readonly PeerView[] }>) =>
      (await push).peers.find((p) => p.userId === link!.guestId)?.guest?.removalAsked;
    assert.equal(await badge(clientHears), true);
    assert.equal(await badge(guestHears), false, 'the guest is not told the client asked');
    // Only the therapist decides.
    refusedWith(
      await ask(clientSocket, 'room:remove-guest', { roomId, userId: link!.guestId }),
      'room.host_only',
    );
    const removed = next(guest, 'room:removed');
    dataOf(await ask(therapistSocket, 'room:remove-guest', { roomId, userId: link!.guestId }));
    await removed;
    refusedWith(await ask(guest, 'room:join', { roomId }), 'room.forbidden');
    const page = await fetch(`${live.baseUrl}/guest/room`, { headers: { cookie: cookie! } });
    assert.equal(page.status, 403);
    assert.match(await page.text(), /The therapist removed you from this session\./);
    assert.equal((await live.haven.rooms.guests.linkState(link!.token)).state, 'removed');
    const actions = await auditActions(live.haven, { action: 'room.guest.' });
    assert.ok(actions.includes('room.guest.removal_asked'));
    assert.ok(actions.includes('room.guest.removed'));
  });

  it('a guest still holding the room page after the therapist ends the session is told it has ended', async () => {
    // The other therapist's session, so this one's stays open for the tests after.
    const [link] = await invite(
      otherAppointmentId,
      { role: 'family', displayName: 'Early Guest' },
      otherHost(),
    );
    const { cookie } = await useGuestLink(live, link!.token);
    const therapistSocket = await sockets.open(otherTherapist);
    dataOf(await ask(therapistSocket, 'room:join', { roomId: otherRoomId }));
    dataOf(await ask(therapistSocket, 'room:end', { roomId: otherRoomId }));
    // A guest has no appointments page: the ended page thanks them and offers no way into the clinic.
    const ended = await fetch(`${live.baseUrl}/guest/room`, { headers: { cookie: cookie! } });
    assert.equal(ended.status, 409);
    const text = await ended.text();
    assert.match(text, /<h1 id="closed-heading">This session has ended<\/h1>/);
    assert.match(text, /Thank you for coming\. You can close this page\./);
    assert.doesNotMatch(text, /href="\/appointments"/);
  });

  it('a link expires at the room’s grace end', async () => {
    const [link] = await invite(appointmentId, { displayName: 'Late Guest' });
    offsetMs = (5 + 50 + 60) * MINUTE;
    assert.equal((await live.haven.rooms.guests.linkState(link!.token)).state, 'expired');
    assert.equal((await useGuestLink(live, link!.token)).status, 410);
  });
});
