import '../../support/media-worker';
import assert from 'node:assert/strict';
import { createPerson, ensureAdmin, type TestPerson } from '../../support/accounts';
import { auditEvents } from '../../support/audit-trail';
import {
  ask,
  dataOf,
  next,
  opusRtpParameters,
  pushRecorder,
  refusedWith,
  TestSockets,
  type TestSocket,
} from '../../support/live-session';
import { startLiveHaven, type LiveHaven } from '../../support/live-haven';

/**
 * Admission made fast (issue 21): a waiting page prepares its transports early, the admission push
 * goes out before the admission is written. These check what that must not cost: a waiting person's
 * transports carry nothing, and health information (the chat so far) still waits for its audit row.
 */
describe('realtime: preparing before admission, and the admission push', function () {
  this.timeout(60_000);
  let live: LiveHaven;
  let therapist: TestPerson;
  let client: TestPerson;
  let roomId: string;
  /** Every push each socket received, by event name, in order. */
  const { seen: pushes, record } = pushRecorder();
  const sockets = new TestSockets(() => live, record);

  before(async () => {
    live = await startLiveHaven();
    await ensureAdmin(live.haven);
    therapist = await createPerson(live.haven, { roles: ['therapist'], displayName: 'Dr Rivera' });
    client = await createPerson(live.haven, { roles: ['client'], displayName: 'Sam' });
    await live.haven.clinical.care.assign(null, therapist.user.id, client.user.id);
  });
  beforeEach(async () => {
    roomId = (await live.haven.rooms.access.openAdhoc(therapist.user, [client.user.id], null)).id;
  });
  let host: TestSocket | undefined;
  afterEach(async () => {
    // End the room: the next test's ad-hoc room is then a fresh one where nobody holds a seat.
    if (host?.connected) dataOf(await ask(host, 'room:end', { roomId }));
    host = undefined;
    sockets.closeAll();
  });
  after(async () => live?.stop());

  /** The therapist in the room with a send transport; `produceMic` starts a (socket-made) microphone track. */
  async function hostInRoom(): Promise<{ host: TestSocket; produceMic: () => Promise<string> }> {
    const socket = await sockets.open(therapist);
    host = socket;
    dataOf(await ask(socket, 'room:join', { roomId }));
    const send = dataOf(await ask(socket, 'media:create-transport', { roomId, direction: 'send' }));
    const produceMic = async (): Promise<string> =>
      dataOf(
        await ask(socket, 'media:produce', {
          roomId,
          transportId: send.id,
          kind: 'audio',
          source: 'mic',
          rtpParameters: opusRtpParameters(33333333, 'host'),
        }),
      ).producerId;
    return { host: socket, produceMic };
  }

  it("a waiting client's pre-made transport receives nothing until admitted, then carries the call", async () => {
    const { host, produceMic } = await hostInRoom();
    const guest = await sockets.open(client);
    const joined = dataOf(await ask(guest, 'room:join', { roomId }));
    assert.equal(joined.state, 'waiting');
    const { rtpCapabilities } = joined;
    assert.ok(rtpCapabilities);
    dataOf(await ask(guest, 'media:create-transport', { roomId, direction: 'recv' }));
    dataOf(await ask(guest, 'media:warm-up', { roomId }));

    // The host starts sending while the client waits: nothing about it reaches the client.
    const producerId = await produceMic();
    refusedWith(
      await ask(guest, 'media:consume', { roomId, producerId, rtpCapabilities }),
      'room.not_admitted',
    );
    // Answers and pushes to one socket arrive in the order they were sent: by this answer, any push
    // sent before it has arrived. (It also says what this "browser" decodes, as a page does.)
    dataOf(await ask(guest, 'media:warm-up', { roomId, rtpCapabilities }));
    const waitingPushes = pushes.get(guest) ?? [];
    assert.deepEqual(
      waitingPushes.filter((event) => event.startsWith('media:') || event.startsWith('chat:')),
      [],
      `a waiting client was told: ${waitingPushes.join(', ')}`,
    );

    const admitted = next(guest, 'room:admitted');
    dataOf(await ask(host, 'room:admit', { roomId, userId: client.user.id }));
    const payload = await admitted;
    assert.deepEqual(
      payload.producers.map((p) => p.producerId),
      [producerId],
    );
    // The transport made while waiting is the one the call uses (a second is over the limit).
    refusedWith(
      await ask(guest, 'media:create-transport', { roomId, direction: 'recv' }),
      'media.transport_limit',
    );
    // Its consumers came with the push, made on that transport; the page only resumes them.
    const [consumer, ...more] = payload.consumers ?? [];
    assert.equal(more.length, 0);
    assert.equal(consumer?.producerId, producerId);
    assert.equal(consumer?.kind, 'audio');
    dataOf(await ask(guest, 'media:resume-consumer', { roomId, consumerId: consumer!.id }));
    // Transports made while waiting had no relay; admitted, the page may ask for it.
    assert.deepEqual(dataOf(await ask(guest, 'media:ice-servers', { roomId })).iceServers, []);
  });

  it('the chat so far is sent only after its read is on the audit trail; admission and attendance are written together', async () => {
    const { host } = await hostInRoom();
    dataOf(await ask(host, 'chat:send', { roomId, text: 'Welcome, take your time' }));
    const guest = await sockets.open(client);
    dataOf(await ask(guest, 'room:join', { roomId }));

    const admitted = next(guest, 'room:admitted');
    const history = next(guest, 'room:chat-history');
    const admit = ask(host, 'room:admit', { roomId, userId: client.user.id });
    // The push carries no chat: it goes out before anything about this admission is written. This
    // page never said what it decodes, so no consumers were made ahead either.
    const pushed = await admitted;
    assert.deepEqual(pushed.chat, []);
    assert.deepEqual(pushed.consumers, []);
    const { messages } = await history;
    assert.deepEqual(
      messages.map((m) => m.body),
      ['Welcome, take your time'],
    );
    // By the time the history arrived, its read was recorded (with the admission, in one transaction).
    const trail = await auditEvents(live.haven, { subjectId: client.user.id });
    const mine = trail
      .filter((e) => e.targetId === roomId)
      .map((e) => `${e.actorId === client.user.id ? 'client' : 'host'} ${e.action}`);
    assert.deepEqual(mine.slice(-2), ['host room.admitted', 'client room.chat.read']);
    dataOf(await admit);
    const attendance = await live.haven.rooms.attendance(roomId);
    assert.ok(attendance.some((r) => r.userId === client.user.id && r.leftAt === null));
    // Chat right after admission is accepted (it waits for the admission to be written).
    dataOf(await ask(guest, 'chat:send', { roomId, text: 'Thank you' }));
  });

  it('leaving right after admission still closes the attendance it opened', async () => {
    const { host } = await hostInRoom();
    const guest = await sockets.open(client);
    dataOf(await ask(guest, 'room:join', { roomId }));
    const admitted = next(guest, 'room:admitted');
    const admit = ask(host, 'room:admit', { roomId, userId: client.user.id });
    await admitted;
    // Leave before the host's answer, i.e. possibly before the admission's transaction committed.
    dataOf(await ask(guest, 'room:leave', { roomId }));
    dataOf(await admit);
    const attendance = (await live.haven.rooms.attendance(roomId)).filter((r) => r.userId === client.user.id);
    assert.equal(attendance.length, 1);
    assert.ok(attendance[0]?.leftAt, 'the attendance row is closed');
  });
});
