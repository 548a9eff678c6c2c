import '../../support/media-worker';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { DtlsParameters } from '../../../server/protocol';
import { createPerson, ensureAdmin, type TestPerson } from '../../support/accounts';
import {
  ask,
  connected,
  next,
  openSocket,
  signInCookie,
  signOut,
  TestSockets,
  opusRtpParameters,
  type TestSocket,
  askRaw,
  dataOf,
  disconnected,
  refusedWith,
} from '../../support/live-session';
import { startLiveHaven, type LiveHaven } from '../../support/live-haven';
import { auditActions } from '../../support/audit-trail';

const OPUS_RTP = opusRtpParameters(22222222, 'x');

describe('realtime: live-session sockets refuse everything they should', function () {
  this.timeout(60000);
  let live: LiveHaven;
  let therapist: TestPerson;
  let client: TestPerson;
  let stranger: TestPerson;
  let admin: TestPerson | null;
  let roomId: string;
  const sockets = new TestSockets(() => live);
  const cookies = sockets.cookies;

  const socketFor = (person: TestPerson): Promise<TestSocket> => sockets.open(person);

  async function countRows(table: string): Promise<number> {
    const [rows] = await live.haven.sequelize.query(`SELECT COUNT(*) AS n FROM ${table}`);
    return Number((rows as Array<{ n: number }>)[0]?.n ?? 0);
  }

  before(async () => {
    live = await startLiveHaven();
    admin = await ensureAdmin(live.haven);
    therapist = await createPerson(live.haven, { roles: ['therapist'], displayName: 'Dr Rivera' });
    client = await createPerson(live.haven, { roles: ['client'], displayName: 'Sam' });
    stranger = await createPerson(live.haven, { roles: ['client'], displayName: 'Other client' });
    await live.haven.clinical.care.assign(null, therapist.user.id, client.user.id);
    const actor = therapist.user;
    roomId = (await live.haven.rooms.access.openAdhoc(actor, [client.user.id], null)).id;
  });
  afterEach(() => {
    sockets.closeAll();
  });
  after(async () => live?.stop());

  it('refuses a socket without a session, and one from another origin', async () => {
    await assert.rejects(connected(openSocket(live, null)), /auth\.required/);
    const cookie = (await signInCookie(live, client)).header;
    cookies.set(client.user.id, cookie);
    await assert.rejects(connected(openSocket(live, cookie, { origin: 'https://evil.example' })));
    await assert.rejects(connected(openSocket(live, 'haven.sid=s%3Aforged.signature')), /auth\.required/);
  });

  it("signing out ends that session's sockets", async () => {
    const cookie = (await signInCookie(live, stranger)).header;
    const socket = openSocket(live, cookie);
    sockets.track(socket);
    await connected(socket);
    const gone = disconnected(socket);
    assert.equal(await signOut(live, cookie), 303);
    await gone;
    await assert.rejects(connected(openSocket(live, cookie)), /auth\.required/);
  });

  it('refuses a room that does not exist or is not yours (admins included), creating nothing', async () => {
    const s = await socketFor(stranger);
    refusedWith(await ask(s, 'room:join', { roomId: randomUUID() }), 'room.not_found');
    refusedWith(await ask(s, 'room:join', { roomId }), 'room.forbidden');
    if (admin) refusedWith(await ask(await socketFor(admin), 'room:join', { roomId }), 'room.forbidden');
    assert.equal(live.haven.media?.roomCount, 0);
  });

  it("answers a room's refusals in the reader's language (a Spanish client), English to an English one", async () => {
    const spanish = await createPerson(live.haven, { roles: ['client'], language: 'es' });
    const s = await socketFor(spanish);
    const missing = await ask(s, 'room:join', { roomId: randomUUID() });
    assert.deepEqual(missing, {
      ok: false,
      error: { code: 'room.not_found', message: 'Esa sala de sesión no existe.' },
    });
    const notHers = await ask(s, 'room:join', { roomId });
    assert.deepEqual(notHers, {
      ok: false,
      error: { code: 'room.forbidden', message: 'No puede unirse a esta sesión.' },
    });
    const english = await ask(await socketFor(stranger), 'room:join', { roomId });
    assert.equal(english.ok ? '' : english.error.message, 'This session is not yours to join.');
  });

  it('a client who has not been admitted may only prepare: no media, no chat, no host powers', async () => {
    const c = await socketFor(client);
    refusedWith(await ask(c, 'media:create-transport', { roomId, direction: 'recv' }), 'room.not_joined');
    const joined = dataOf(await ask(c, 'room:join', { roomId }));
    assert.equal(joined.state, 'waiting');
    assert.equal(joined.admitted, null);
    // What a waiting page may have: the router's capabilities and its own transports (no relay).
    assert.ok(joined.rtpCapabilities?.codecs?.some((codec) => codec.mimeType === 'video/VP8'));
    const recv = dataOf(await ask(c, 'media:create-transport', { roomId, direction: 'recv' }));
    assert.deepEqual(recv.iceServers, []);
    assert.ok(recv.sctpParameters, 'the receive transport carries SCTP for the warm-up channel');
    const send = dataOf(await ask(c, 'media:create-transport', { roomId, direction: 'send' }));
    const warmUp = dataOf(await ask(c, 'media:warm-up', { roomId }));
    assert.equal(warmUp.label, 'haven-warm-up');
    // What it may not: send, receive, chat, relays, or anything a host does.
    refusedWith(
      await ask(c, 'media:produce', {
        roomId,
        transportId: send.id,
        kind: 'audio',
        source: 'mic',
        rtpParameters: OPUS_RTP,
      }),
      'room.not_admitted',
    );
    refusedWith(
      await ask(c, 'media:consume', { roomId, producerId: randomUUID(), rtpCapabilities: {} }),
      'room.not_admitted',
    );
    refusedWith(
      await ask(c, 'media:resume-consumer', { roomId, consumerId: randomUUID() }),
      'room.not_admitted',
    );
    refusedWith(await ask(c, 'media:ice-servers', { roomId }), 'room.not_admitted');
    refusedWith(await ask(c, 'media:rebuild', { roomId }), 'room.not_admitted');
    refusedWith(await ask(c, 'media:audio-only', { roomId, on: true }), 'room.not_admitted');
    refusedWith(await ask(c, 'chat:send', { roomId, text: 'hello?' }), 'room.not_admitted');
    refusedWith(await ask(c, 'room:admit', { roomId, userId: client.user.id }), 'room.not_admitted');
    // Leaving and coming back (a reload) does not skip the waiting room.
    c.disconnect();
    const again = await socketFor(client);
    const rejoined = await ask(again, 'room:join', { roomId });
    assert.equal(rejoined.ok && rejoined.data.state, 'waiting');
    // The room's router exists from the first knock (its capabilities and the waiting transports).
    assert.equal(live.haven.media?.roomCount, 1);
    assert.equal(await countRows('room_chat_messages'), 0);
  });

  it('bad payloads are refused with validation.invalid_payload', async () => {
    const c = await socketFor(client);
    refusedWith(await ask(c, 'room:join', { roomId: 'not-a-uuid' }), 'validation.invalid_payload');
    refusedWith(await askRaw(c, 'room:join', { roomId, extra: true }), 'validation.invalid_payload');
    refusedWith(await askRaw(c, 'room:join', 'a string'), 'validation.invalid_payload');
    refusedWith(await askRaw(c, 'room:join', null), 'validation.invalid_payload');
    await ask(c, 'room:join', { roomId });
    refusedWith(await ask(c, 'chat:send', { roomId, text: '   ' }), 'validation.invalid_payload');
    refusedWith(await ask(c, 'chat:send', { roomId, text: 'x'.repeat(2001) }), 'validation.invalid_payload');
    refusedWith(
      await askRaw(c, 'media:create-transport', { roomId, direction: 'sideways' }),
      'validation.invalid_payload',
    );
    const noAck = await new Promise<boolean>((resolve) => {
      // A hostile page need not ask for an answer: nothing is done, and the socket stays up.
      (c.emit as (event: string, payload: unknown) => void)('chat:send', { roomId, text: 'fire and forget' });
      setTimeout(() => resolve(c.connected), 300);
    });
    assert.equal(noAck, true);
    assert.equal(await countRows('room_chat_messages'), 0);
  });

  it('a message larger than the limit closes the socket', async () => {
    const c = await socketFor(client);
    const closed = disconnected(c);
    void askRaw(c, 'room:join', { roomId, pad: 'x'.repeat(200_000) }).catch(() => {});
    await closed;
  });

  describe('once admitted', () => {
    let host: TestSocket;
    let guest: TestSocket;

    beforeEach(async () => {
      // A fresh room per test (the previous one was ended), so nobody holds a seat from before.
      const actor = therapist.user;
      roomId = (await live.haven.rooms.access.openAdhoc(actor, [client.user.id], null)).id;
      host = await socketFor(therapist);
      const hostJoin = await ask(host, 'room:join', { roomId });
      assert.equal(hostJoin.ok && hostJoin.data.role, 'host');
      guest = await socketFor(client);
      const knock = next(host, 'room:knock');
      await ask(guest, 'room:join', { roomId });
      const { waiting } = await knock;
      assert.deepEqual(
        waiting.map((p: { userId: string }) => p.userId),
        [client.user.id],
      );
      const admitted = next(guest, 'room:admitted');
      assert.equal((await ask(host, 'room:admit', { roomId, userId: client.user.id })).ok, true);
      assert.ok((await admitted).rtpCapabilities);
    });

    afterEach(async () => {
      if (host.connected) assert.equal((await ask(host, 'room:end', { roomId })).ok, true);
    });

    it('guessed transport, producer and consumer ids get nothing', async () => {
      const hostSend = await ask(host, 'media:create-transport', { roomId, direction: 'send' });
      assert.equal(hostSend.ok, true);
      const hostTransportId = hostSend.ok && hostSend.data.id;
      const produced = await ask(host, 'media:produce', {
        roomId,
        transportId: hostTransportId,
        kind: 'audio',
        source: 'mic',
        rtpParameters: OPUS_RTP,
      });
      assert.equal(produced.ok, true);
      const dtls: DtlsParameters = { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AB' }] };
      refusedWith(
        await ask(guest, 'media:connect-transport', {
          roomId,
          transportId: hostTransportId,
          dtlsParameters: dtls,
        }),
        'media.transport_not_found',
      );
      refusedWith(
        await ask(guest, 'media:connect-transport', {
          roomId,
          transportId: randomUUID(),
          dtlsParameters: dtls,
        }),
        'media.transport_not_found',
      );
      refusedWith(
        await ask(guest, 'media:produce', {
          roomId,
          transportId: hostTransportId,
          kind: 'audio',
          source: 'mic',
          rtpParameters: OPUS_RTP,
        }),
        'media.transport_not_found',
      );
      refusedWith(
        await ask(guest, 'media:consume', { roomId, producerId: randomUUID(), rtpCapabilities: {} }),
        'media.producer_not_found',
      );
      refusedWith(
        await ask(guest, 'media:resume-consumer', { roomId, consumerId: randomUUID() }),
        'media.consumer_not_found',
      );
      const producerId = produced.ok && produced.data.producerId;
      refusedWith(
        await ask(guest, 'media:pause-producer', { roomId, producerId, paused: true }),
        'media.producer_not_found',
      );
      refusedWith(
        await ask(guest, 'media:close-producer', { roomId, producerId }),
        'media.producer_not_found',
      );
      // Another room's id: this socket holds no seat there.
      refusedWith(
        await ask(guest, 'media:create-transport', { roomId: randomUUID(), direction: 'recv' }),
        'room.not_joined',
      );
    });

    it('only the therapist admits, moves back or ends; moving back stops media at once', async () => {
      refusedWith(await ask(guest, 'room:end', { roomId }), 'room.host_only');
      refusedWith(
        await ask(guest, 'room:move-to-waiting', { roomId, userId: therapist.user.id }),
        'room.host_only',
      );
      const recv = dataOf(await ask(guest, 'media:create-transport', { roomId, direction: 'recv' }));
      const moved = next(guest, 'room:moved-to-waiting');
      assert.equal((await ask(host, 'room:move-to-waiting', { roomId, userId: client.user.id })).ok, true);
      await moved;
      // The call's transport is gone; waiting again, the page may only prepare anew.
      const dtls: DtlsParameters = { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AB' }] };
      refusedWith(
        await ask(guest, 'media:connect-transport', { roomId, transportId: recv.id, dtlsParameters: dtls }),
        'media.transport_not_found',
      );
      refusedWith(
        await ask(guest, 'media:consume', { roomId, producerId: randomUUID(), rtpCapabilities: {} }),
        'room.not_admitted',
      );
      const again = dataOf(await ask(guest, 'media:create-transport', { roomId, direction: 'recv' }));
      assert.deepEqual(again.iceServers, []);
    });

    it('chat is stored encrypted, audited and delivered; floods are cut off', async () => {
      const delivered = next(host, 'chat:message');
      const sent = await ask(guest, 'chat:send', { roomId, text: 'I had a hard week' });
      assert.equal(sent.ok, true);
      assert.equal((await delivered).body, 'I had a hard week');
      const [rows] = await live.haven.sequelize.query('SELECT body_enc FROM room_chat_messages');
      const stored = (rows as Array<{ body_enc: string }>).map((r) => r.body_enc).join(' ');
      assert.ok(!stored.includes('hard week'), 'chat is not stored in plaintext');
      assert.equal((await auditActions(live.haven, { action: 'room.chat.sent' })).length, 1);
      // Readable afterwards by the people in the session, and by nobody else.
      const transcript = await fetch(`${live.baseUrl}/rooms/${roomId}/chat`, {
        headers: { cookie: cookies.get(therapist.user.id)! },
      });
      assert.equal(transcript.status, 200);
      assert.match(await transcript.text(), /I had a hard week/);
      const strangerCookie = cookies.get(stranger.user.id) ?? (await signInCookie(live, stranger)).header;
      const refusedRead = await fetch(`${live.baseUrl}/rooms/${roomId}/chat`, {
        headers: { cookie: strangerCookie, accept: 'text/html' },
      });
      assert.equal(refusedRead.status, 403);
      assert.doesNotMatch(await refusedRead.text(), /hard week/);

      const before = await countRows('room_chat_messages');
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) => ask(guest, 'chat:send', { roomId, text: `flood ${i}` })),
      );
      const accepted = answers.filter((a) => a.ok).length;
      assert.ok(accepted < 30, 'some of a burst is refused');
      for (const a of answers.filter((x) => !x.ok)) refusedWith(a, 'rate_limited');
      assert.equal(
        await countRows('room_chat_messages'),
        before + accepted,
        'refused messages are not stored',
      );
    });

    it('a socket that keeps flooding is disconnected', async () => {
      const gone = disconnected(guest, 15000);
      for (let i = 0; i < 400 && guest.connected; i += 1) {
        guest.emit('media:resume-consumer', { roomId, consumerId: randomUUID() }, () => {});
      }
      await gone;
    });

    it('attendance is recorded per person with a duration', async () => {
      await new Promise((r) => setTimeout(r, 1100));
      await ask(guest, 'room:leave', { roomId });
      const records = await live.haven.rooms.attendance(roomId);
      const mine = records.filter((r) => r.userId === client.user.id && r.leftAt);
      assert.ok(mine.length >= 1);
      assert.ok(mine.every((r) => (r.durationSeconds ?? -1) >= 0));
      assert.ok(mine.some((r) => (r.durationSeconds ?? 0) >= 1));
    });
  });
});
