import '../../support/media-worker';
import assert from 'node:assert/strict';
import { SEAT_HOLD_MS } from '../../../server/rooms';
import { FakeClock } from '../../../server/shared/clock';
import type { Ack, Push } from '../../../server/protocol';
import { createPerson, ensureAdmin, type TestPerson } from '../../support/accounts';
import { ask, next, TestSockets, opusRtpParameters, type TestSocket } from '../../support/live-session';
import { startLiveHaven, type LiveHaven } from '../../support/live-haven';

const OPUS_RTP = opusRtpParameters(33333333, 'recovery');

/**
 * Reconnection and worker recovery over real sockets and a real mediasoup worker: a dropped
 * connection comes back to its held seat without a new knock (and after the hold it knocks again);
 * ICE restarts hand out new credentials; a killed worker is replaced and the room's people are
 * told to rebuild, which then works on the new worker.
 */
describe('realtime: reconnecting and recovering a live session', function () {
  this.timeout(90_000);
  // Haven's clock: real time, except where a test moves it past the seat hold.
  const clock = new FakeClock(new Date());
  let live: LiveHaven;
  let therapist: TestPerson;
  let client: TestPerson;
  let roomId: string;
  let host: TestSocket;
  const sockets = new TestSockets(() => live);

  const socketFor = (person: TestPerson): Promise<TestSocket> => sockets.open(person);

  function ok<T>(answer: Ack<T>, what: string): T {
    assert.ok(answer.ok, `${what}: ${JSON.stringify(answer)}`);
    return answer.data;
  }

  /** A fresh room with the therapist in it and the client admitted; returns the client's socket. */
  async function admittedClient(): Promise<TestSocket> {
    const actor = therapist.user;
    roomId = (await live.haven.rooms.access.openAdhoc(actor, [client.user.id], null)).id;
    host = await socketFor(therapist);
    ok(await ask(host, 'room:join', { roomId }), 'host joins');
    const guest = await socketFor(client);
    const knock = next(host, 'room:knock');
    await ask(guest, 'room:join', { roomId });
    await knock;
    const admitted = next(guest, 'room:admitted');
    ok(await ask(host, 'room:admit', { roomId, userId: client.user.id }), 'admit');
    await admitted;
    return guest;
  }

  /** Records every room:knock the host gets from now on. */
  function knocks(): unknown[] {
    const seen: unknown[] = [];
    host.on('room:knock', (k) => {
      if (k.waiting.length > 0) seen.push(k);
    });
    return seen;
  }

  before(async () => {
    clock.set(new Date());
    live = await startLiveHaven({ clock });
    await ensureAdmin(live.haven);
    therapist = await createPerson(live.haven, { roles: ['therapist'], displayName: 'Dr Rivera' });
    client = await createPerson(live.haven, { roles: ['client'], displayName: 'Sam' });
    await live.haven.clinical.care.assign(null, therapist.user.id, client.user.id);
  });
  beforeEach(() => clock.set(new Date()));
  afterEach(async () => {
    clock.set(new Date());
    if (host?.connected) await ask(host, 'room:end', { roomId });
    sockets.closeAll();
  });
  after(async () => live?.stop());

  it('a dropped connection rejoins its held seat with no new admission, and builds media again', async () => {
    const guest = await admittedClient();
    const send = ok(await ask(guest, 'media:create-transport', { roomId, direction: 'send' }), 'send');
    ok(
      await ask(guest, 'media:produce', {
        roomId,
        transportId: send.id,
        kind: 'audio',
        source: 'mic',
        rtpParameters: OPUS_RTP,
      }),
      'produce',
    );
    const knocked = knocks();
    // The host hears the client's track close when the connection drops.
    const closed = next(host, 'media:producer-closed');
    guest.disconnect();
    await closed;
    clock.advance(SEAT_HOLD_MS - 5000);

    const back = await socketFor(client);
    const rejoin = ok(await ask(back, 'room:join', { roomId }), 'rejoin');
    assert.equal(rejoin.state, 'admitted');
    assert.ok(rejoin.admitted?.rtpCapabilities, 'straight back in, with what media needs');
    assert.deepEqual(knocked, [], 'the therapist was not asked to admit again');
    // The old transport went with the old connection: a new one (and a new track) can be made.
    const again = ok(await ask(back, 'media:create-transport', { roomId, direction: 'send' }), 'again');
    assert.notEqual(again.id, send.id);
    ok(
      await ask(back, 'media:produce', {
        roomId,
        transportId: again.id,
        kind: 'audio',
        source: 'mic',
        rtpParameters: OPUS_RTP,
      }),
      'produce again',
    );
  });

  it('after the seat hold the person is back in the waiting room', async () => {
    const guest = await admittedClient();
    const knocked = new Promise<Push<'room:knock'>>((resolve) =>
      host.on('room:knock', (k) => {
        if (k.waiting.length > 0) resolve(k);
      }),
    );
    guest.disconnect();
    await next(host, 'room:peers');
    clock.advance(SEAT_HOLD_MS + 1000);
    const back = await socketFor(client);
    const rejoin = ok(await ask(back, 'room:join', { roomId }), 'rejoin');
    assert.equal(rejoin.state, 'waiting');
    assert.equal(rejoin.admitted, null);
    const { waiting } = await knocked;
    assert.deepEqual(
      waiting.map((p) => p.userId),
      [client.user.id],
    );
    // Waiting again: it may prepare transports, but not send or receive.
    const send = ok(await ask(back, 'media:create-transport', { roomId, direction: 'send' }), 'send');
    assert.deepEqual(send.iceServers, []);
    const refused = await ask(back, 'media:produce', {
      roomId,
      transportId: send.id,
      kind: 'audio',
      source: 'mic',
      rtpParameters: OPUS_RTP,
    });
    assert.equal(!refused.ok && refused.error.code, 'room.not_admitted');
  });

  it('a second connection for the same seat (socket not yet noticed as dead) takes over cleanly', async () => {
    const guest = await admittedClient();
    ok(await ask(guest, 'media:create-transport', { roomId, direction: 'send' }), 'send');
    const replaced = next(guest, 'room:replaced');
    const back = await socketFor(client);
    assert.equal(ok(await ask(back, 'room:join', { roomId }), 'rejoin').state, 'admitted');
    await replaced;
    // Without closing the first connection's media this would be `media.transport_limit`.
    ok(await ask(back, 'media:create-transport', { roomId, direction: 'send' }), 'send again');
  });

  it('ICE restart: new ICE credentials for your own transport only', async () => {
    const guest = await admittedClient();
    const mine = ok(await ask(guest, 'media:create-transport', { roomId, direction: 'recv' }), 'recv');
    const theirs = ok(await ask(host, 'media:create-transport', { roomId, direction: 'recv' }), 'host');
    const restarted = ok(await ask(guest, 'media:restart-ice', { roomId, transportId: mine.id }), 'restart');
    assert.ok(restarted.iceParameters.usernameFragment);
    assert.notEqual(restarted.iceParameters.usernameFragment, mine.iceParameters.usernameFragment);
    assert.notEqual(restarted.iceParameters.password, mine.iceParameters.password);
    const refused = await ask(guest, 'media:restart-ice', { roomId, transportId: theirs.id });
    assert.equal(!refused.ok && refused.error.code, 'media.transport_not_found');
  });

  it('a killed worker: everyone is told media:lost, the worker is replaced, and rebuilding works', async () => {
    const guest = await admittedClient();
    const hostSend = ok(await ask(host, 'media:create-transport', { roomId, direction: 'send' }), 'send');
    ok(
      await ask(host, 'media:produce', {
        roomId,
        transportId: hostSend.id,
        kind: 'audio',
        source: 'mic',
        rtpParameters: OPUS_RTP,
      }),
      'produce',
    );
    const media = live.haven.media!;
    const deathsBefore = media.stats().workerDeaths;
    const [worker] = await media.health();
    const lost = [next(host, 'media:lost'), next(guest, 'media:lost')];
    process.kill(worker!.pid, 'SIGKILL');
    await Promise.all(lost);

    // Rebuilding waits for the replacement worker, then starts over on a new router.
    const rebuilt = ok(await ask(host, 'media:rebuild', { roomId }), 'host rebuild');
    assert.ok(rebuilt.rtpCapabilities);
    assert.deepEqual(rebuilt.producers, [], 'the old tracks went with the old worker');
    const [fresh] = await media.health();
    assert.equal(fresh!.alive, true);
    assert.notEqual(fresh!.pid, worker!.pid);
    assert.equal(fresh!.rooms, 1, 'the room is on the new worker');
    assert.equal(media.stats().workerDeaths, deathsBefore + 1);
    assert.equal(media.stats().workersReplaced, deathsBefore + 1);

    const send = ok(await ask(host, 'media:create-transport', { roomId, direction: 'send' }), 'send');
    const announced = next(guest, 'media:new-producer');
    const produced = ok(
      await ask(host, 'media:produce', {
        roomId,
        transportId: send.id,
        kind: 'audio',
        source: 'mic',
        rtpParameters: OPUS_RTP,
      }),
      'produce on the new worker',
    );
    assert.equal((await announced).producerId, produced.producerId);
    const guestRebuilt = ok(await ask(guest, 'media:rebuild', { roomId }), 'guest rebuild');
    assert.deepEqual(
      guestRebuilt.producers.map((p: { producerId: string }) => p.producerId),
      [produced.producerId],
    );
    ok(await ask(guest, 'media:create-transport', { roomId, direction: 'recv' }), 'recv');
    const consumed = ok(
      await ask(guest, 'media:consume', {
        roomId,
        producerId: produced.producerId,
        rtpCapabilities: guestRebuilt.rtpCapabilities,
      }),
      'consume',
    );
    assert.equal(consumed.kind, 'audio');

    const res = await fetch(`${live.baseUrl}/readyz`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { details: { media: { workerDeaths: number } } };
    assert.equal(body.details.media.workerDeaths, deathsBefore + 1);
  });

  it('someone not admitted cannot rebuild or restart ICE', async () => {
    await admittedClient();
    const stranger = await createPerson(live.haven, { roles: ['client'], displayName: 'Other' });
    const s = await socketFor(stranger);
    const answer = await ask(s, 'media:rebuild', { roomId });
    assert.equal(!answer.ok && answer.error.code, 'room.not_joined');
    const restart = await ask(s, 'media:restart-ice', { roomId, transportId: roomId });
    assert.equal(!restart.ok && restart.error.code, 'room.not_joined');
  });
});
