import '../../support/media-worker';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { startLiveHaven, type LiveHaven } from '../../support/live-haven';
import { testMediaPort } from '../../support/media-worker';
import { eventually, holdUdpPort } from '../../support/port-blocker';
import { startTestHaven } from '../../support/test-haven';

interface Readyz {
  status: string;
  checks: Record<string, string>;
  details: { media: Record<string, number> };
}

describe('/readyz reports media worker health', function () {
  this.timeout(30000);
  let live: LiveHaven;

  before(async () => {
    live = await startLiveHaven({ workers: 2 });
  });
  after(async () => live?.stop());

  it('is ready while every worker answers, degraded while one is down, failing with none, counting deaths', async () => {
    const readyz = async (): Promise<{ status: number; body: Readyz }> => {
      const res = await fetch(`${live.baseUrl}/readyz`);
      return { status: res.status, body: (await res.json()) as Readyz };
    };
    const ok = await readyz();
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body.checks, { database: 'ok', media: 'ok' });
    assert.deepEqual(ok.body.details.media, {
      workers: 2,
      aliveWorkers: 2,
      workerDeaths: 0,
      workersReplaced: 0,
      rooms: 0,
    });

    // A dead worker's port is held, so its replacement has to wait: the in-between states last.
    const pool = live.haven.media!.pool;
    const blockers: Array<{ release(): Promise<void> }> = [];
    const [first, second] = await live.haven.media!.health();
    const blockNext = (): Promise<void> =>
      new Promise((resolve) =>
        pool.once('workerdied', ({ index }) => {
          void holdUdpPort(first!.port - first!.index + index).then((b) => {
            blockers.push(b);
            resolve();
          });
        }),
      );
    let blocked = blockNext();
    process.kill(first!.pid, 'SIGKILL');
    await blocked;
    const degraded = await readyz();
    assert.equal(degraded.status, 200, 'one live worker still carries sessions');
    assert.equal(degraded.body.status, 'degraded');
    assert.equal(degraded.body.checks.media, 'degraded');
    assert.equal(degraded.body.details.media.workerDeaths, 1);

    blocked = blockNext();
    process.kill(second!.pid, 'SIGKILL');
    await blocked;
    const none = await readyz();
    assert.equal(none.status, 503);
    assert.equal(none.body.checks.media, 'failing');
    assert.deepEqual([none.body.details.media.aliveWorkers, none.body.details.media.workerDeaths], [0, 2]);
    assert.doesNotMatch(JSON.stringify(none.body), /pid/, 'no process ids on a public endpoint');

    for (const b of blockers) await b.release();
    const back = await eventually('ready again', async () => {
      const r = await readyz();
      return r.status === 200 && r.body.status === 'ready' ? r : null;
    });
    assert.deepEqual([back.body.details.media.aliveWorkers, back.body.details.media.workersReplaced], [2, 2]);
  });

  it('Haven still starts when the media port is taken, and /readyz says media is failing', async () => {
    const port = testMediaPort();
    const blocker: Socket = createSocket('udp4');
    await new Promise<void>((resolve) => blocker.bind(port, '127.0.0.1', resolve));
    const t = await startTestHaven({
      startMedia: true,
      env: { MEDIA_WORKERS: '1', MEDIA_LISTEN_IP: '127.0.0.1', MEDIA_PORT: String(port) },
    });
    try {
      assert.equal(t.haven.media, null);
      const { default: request } = await import('supertest');
      const res = await request(t.haven.http).get('/readyz').expect(503);
      assert.equal(res.body.checks.media, 'failing');
      assert.equal(res.body.checks.database, 'ok');
    } finally {
      await t.stop();
      blocker.close();
    }
  });
});
