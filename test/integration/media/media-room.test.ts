import { MEDIASOUP_WORKER_BIN, testMediaPort } from '../../support/media-worker';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { MediaService } from '../../../server/media';
import type { MediaRoom } from '../../../server/media';
import { createLogger } from '../../../server/shared/logger';
import { AppError } from '../../../server/shared/errors';

const OPUS_RTP = {
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: {} }],
  encodings: [{ ssrc: 11111111 }],
  headerExtensions: [],
  rtcp: { cname: 'test' },
};
const DTLS = {
  role: 'client' as const,
  fingerprints: [{ algorithm: 'sha-256' as const, value: 'AB:'.repeat(31) + 'AB' }],
};

async function rejectsWith(promise: Promise<unknown> | (() => unknown), code: string): Promise<void> {
  await assert.rejects(
    async () => (typeof promise === 'function' ? promise() : promise),
    (error: unknown) => error instanceof AppError && error.code === code,
  );
}

function udpPortTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(true));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(false)));
  });
}

describe('media: worker pool and rooms (real mediasoup worker)', function () {
  this.timeout(30000);
  let media: MediaService;
  const basePort = testMediaPort();

  before(async function () {
    if (!MEDIASOUP_WORKER_BIN) throw new Error('no mediasoup worker: run scripts/build-mediasoup-worker');
    media = await MediaService.create(
      { workers: 2, listenIp: '127.0.0.1', announcedAddress: '127.0.0.1', basePort },
      createLogger('silent'),
    );
  });
  after(() => media?.close());

  it('runs one worker per configured slot, each with a WebRtcServer on MEDIA_PORT+i (UDP and TCP)', async () => {
    const health = await media.health();
    assert.deepEqual(
      health.map((w) => [w.index, w.alive, w.port]),
      [
        [0, true, basePort],
        [1, true, basePort + 1],
      ],
    );
    assert.equal(await udpPortTaken(basePort), true);
    assert.equal(await udpPortTaken(basePort + 1), true);
    assert.equal(await media.healthy(), true);
  });

  it('spreads rooms over workers and gives transports only the fixed ports', async () => {
    const a = await media.room('room-a');
    const b = await media.room('room-b');
    assert.equal(await media.room('room-a'), a, 'the same room id is the same router');
    const rooms = (await media.health()).map((w) => w.rooms);
    assert.deepEqual(rooms, [1, 1]);
    const transport = await a.createTransport('peer-1', 'send');
    const candidates = transport.iceCandidates.map((c) => `${c.protocol}:${c.address}:${c.port}`).sort();
    const port = (await media.health()).find((w) => w.rooms === 1 && w.index === 0)?.port;
    assert.ok(
      candidates.every((c) => c.endsWith(`:127.0.0.1:${port}`) || c.endsWith(`:127.0.0.1:${basePort + 1}`)),
    );
    assert.deepEqual(new Set(candidates.map((c) => c.split(':')[0])), new Set(['udp', 'tcp']));
    a.close();
    b.close();
  });

  describe('ownership', () => {
    let room: MediaRoom;
    let sendId: string;
    let producerId: string;

    before(async () => {
      room = await media.room('room-owned');
      sendId = (await room.createTransport('alice', 'send')).id;
      producerId = (await room.produce('alice', sendId, 'audio', OPUS_RTP, 'mic')).producerId;
    });
    after(() => room.close());

    it("another peer cannot use someone's transport, producer or consumer", async () => {
      await rejectsWith(room.connectTransport('mallory', sendId, DTLS), 'media.transport_not_found');
      await rejectsWith(
        room.produce('mallory', sendId, 'audio', OPUS_RTP, 'mic'),
        'media.transport_not_found',
      );
      await rejectsWith(room.setProducerPaused('mallory', producerId, true), 'media.producer_not_found');
      await rejectsWith(() => room.closeProducer('mallory', producerId), 'media.producer_not_found');
      await rejectsWith(
        room.resumeConsumer('mallory', '3f1e8e1e-0000-4000-8000-000000000000'),
        'media.consumer_not_found',
      );
    });

    it('consumes only producers of this room, never your own', async () => {
      const caps = room.rtpCapabilities;
      await room.createTransport('bob', 'recv');
      await rejectsWith(room.consume('alice', producerId, caps), 'media.producer_not_found');
      const other = await media.room('room-other');
      await other.createTransport('bob', 'recv');
      await rejectsWith(other.consume('bob', producerId, caps), 'media.producer_not_found');
      other.close();
      const consumer = await room.consume('bob', producerId, caps);
      assert.equal(consumer.producerPeerId, 'alice');
      assert.equal(consumer.kind, 'audio');
    });

    it('limits transports per direction and refuses a mismatched source', async () => {
      await rejectsWith(room.createTransport('alice', 'send'), 'media.transport_limit');
      await rejectsWith(room.produce('alice', sendId, 'audio', OPUS_RTP, 'camera'), 'media.source_mismatch');
      await rejectsWith(
        room.produce('alice', sendId, 'audio', { ...OPUS_RTP, encodings: [{ ssrc: 2 }] }, 'mic'),
        'media.source_taken',
      );
    });

    it('closing a peer closes its producer and tells the room', async () => {
      const closed: string[] = [];
      room.on('producerclosed', (p) => closed.push(p.producerId));
      room.closePeer('alice');
      room.closePeer('alice');
      assert.deepEqual(closed, [producerId]);
      assert.deepEqual(room.producers(), []);
    });
  });

  it('close() is idempotent and a closed room refuses work', async () => {
    const room = await media.room('room-closing');
    let closes = 0;
    room.on('close', () => (closes += 1));
    room.close();
    room.close();
    assert.equal(closes, 1);
    await rejectsWith(room.createTransport('x', 'send'), 'media.room_closed');
  });

  it('a dead worker is reported by events, and its slot is refilled', async () => {
    const died: number[] = [];
    media.pool.on('workerdied', ({ index }) => died.push(index));
    const room = await media.room('room-on-dying-worker');
    let roomClosed = false;
    room.on('close', () => (roomClosed = true));
    const victim = (await media.health()).find((w) => w.rooms > 0);
    assert.ok(victim);
    process.kill(victim.pid, 'SIGKILL');
    for (let i = 0; i < 50 && died.length === 0; i += 1) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(died, [victim.index]);
    assert.equal(roomClosed, true);
    // Replaced on the same port (worker-recovery.test.ts shows the states in between).
    for (let i = 0; i < 100 && !(await media.healthy()); i += 1) await new Promise((r) => setTimeout(r, 100));
    const now = (await media.health()).find((w) => w.index === victim.index);
    assert.deepEqual([now?.alive, now?.port], [true, victim.port]);
    assert.notEqual(now?.pid, victim.pid);
  });
});
