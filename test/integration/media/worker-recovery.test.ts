import { MEDIASOUP_WORKER_BIN, testMediaPort } from '../../support/media-worker';
import assert from 'node:assert/strict';
import { MediaService } from '../../../server/media';
import { createLogger } from '../../../server/shared/logger';
import { eventually, holdUdpPort } from '../../support/port-blocker';

/**
 * Worker recovery at the media layer: a worker killed with SIGKILL is replaced on the same port,
 * its rooms are re-created on a live worker when next asked for, and the deaths are counted.
 */
describe('media: a dead worker is replaced (real mediasoup workers)', function () {
  this.timeout(60_000);
  let media: MediaService;
  const basePort = testMediaPort();

  before(async () => {
    if (!MEDIASOUP_WORKER_BIN) throw new Error('no mediasoup worker: run scripts/build-mediasoup-worker');
    media = await MediaService.create(
      { workers: 1, listenIp: '127.0.0.1', announcedAddress: '127.0.0.1', basePort },
      createLogger('silent'),
    );
  });
  after(() => media?.close());

  it('SIGKILL: the slot gets a new process on the same port, and the room comes back on it', async () => {
    const before = await media.room('room-a');
    await before.createTransport('alice', 'send');
    const [old] = await media.health();
    let closed = false;
    before.on('close', () => (closed = true));
    const replaced = new Promise<{ index: number; pid: number }>((resolve) =>
      media.pool.once('workerreplaced', resolve),
    );

    process.kill(old!.pid, 'SIGKILL');
    const fresh = await replaced;

    assert.equal(closed, true, "the dead worker's room closed (its people are told media:lost)");
    assert.equal(fresh.index, 0);
    assert.notEqual(fresh.pid, old!.pid);
    const [now] = await media.health();
    assert.deepEqual([now!.alive, now!.port, now!.pid], [true, basePort, fresh.pid]);
    assert.equal(await media.readiness(), 'ok');
    assert.deepEqual(media.stats(), {
      workers: 1,
      aliveWorkers: 1,
      workerDeaths: 1,
      workersReplaced: 1,
      rooms: 0,
    });

    const after = await media.room('room-a');
    assert.notEqual(after, before, 'a new router for the same room');
    assert.equal(after.closed, false);
    // The same person can build a transport again (the old one went with the dead worker)…
    const transport = await after.createTransport('alice', 'send');
    // …and it listens on the same fixed port (what the firewall / Docker mapping allows).
    assert.ok(transport.iceCandidates.every((c) => c.port === basePort));
    after.close();
  });

  it('while the port is still taken nothing is alive: rooms wait, readiness fails, then all recovers', async () => {
    let blocker: { release(): Promise<void> } | null = null;
    const blocked = new Promise<void>((resolve) => {
      // Listeners run as the pool learns of the death, before the replacement process starts.
      media.pool.once('workerdied', ({ index }) => {
        void holdUdpPort(basePort + index).then((b) => {
          blocker = b;
          resolve();
        });
      });
    });
    const [old] = await media.health();
    process.kill(old!.pid, 'SIGKILL');
    await blocked;

    assert.equal(await media.readiness(), 'failing');
    assert.equal(media.stats().aliveWorkers, 0);
    let roomReady = false;
    const pending = media.room('room-b').then((r) => {
      roomReady = true;
      return r;
    });
    // The replacement keeps trying (with back-off) and the room request waits for it.
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(roomReady, false, 'no room while no worker is alive');
    assert.equal(media.stats().workersReplaced, 1);

    await blocker!.release();
    const room = await pending;
    assert.equal(room.closed, false);
    await eventually('readiness ok', async () => (await media.readiness()) === 'ok');
    assert.deepEqual(
      [media.stats().workerDeaths, media.stats().workersReplaced, media.stats().aliveWorkers],
      [2, 2, 1],
    );
    room.close();
  });
});
