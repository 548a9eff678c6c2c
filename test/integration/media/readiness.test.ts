import '../../support/media-worker';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { startLiveHaven, type LiveHaven } from '../../support/live-session';
import { testMediaPort } from '../../support/media-worker';
import { startTestHaven } from '../../support/test-haven';

describe('/readyz reports media worker health', function () {
  this.timeout(30000);
  let live: LiveHaven;

  before(async () => {
    live = await startLiveHaven({ workers: 2 });
  });
  after(async () => live?.stop());

  it('is ready while every worker answers, and names media when one dies', async () => {
    const ok = await fetch(`${live.baseUrl}/readyz`);
    assert.equal(ok.status, 200);
    assert.deepEqual(((await ok.json()) as { checks: unknown }).checks, { database: 'ok', media: 'ok' });

    const [victim] = await live.haven.media!.health();
    process.kill(victim!.pid, 'SIGKILL');
    let res: Response | null = null;
    for (let i = 0; i < 40; i += 1) {
      res = await fetch(`${live.baseUrl}/readyz`);
      if (res.status === 503) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(res?.status, 503);
    assert.equal(((await res!.json()) as { checks: { media: string } }).checks.media, 'failing');
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
