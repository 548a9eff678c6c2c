import { testMediaPort } from '../../support/media-worker';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import request from 'supertest';
import { ConnectivityService } from '../../../server/connectivity';
import { ProbeTransports } from '../../../server/media';
import { FakeClock } from '../../../server/shared/clock';
import { createPerson, csrfFrom, ensureAdmin, signIn, type TestPerson } from '../../support/accounts';
import { startTestHaven, type TestHaven } from '../../support/test-haven';

interface Caller {
  readonly person: TestPerson;
  readonly agent: request.Agent;
  readonly csrf: string;
}

/**
 * The pre-call check's probe endpoints against a real mediasoup worker: who may open a probe, what
 * it hands out (and to whom), the limits, and that a probe does not outlive its lifetime.
 */
describe('pre-call check: network probes (HTTP + mediasoup)', function () {
  this.timeout(60_000);
  const secret = randomBytes(32).toString('base64url');
  const clock = new FakeClock(new Date());
  const mediaPort = testMediaPort();
  let t: TestHaven;
  let alex: Caller;
  let blake: Caller;

  async function callerFor(roles: ['client'] | ['peer_supporter']): Promise<Caller> {
    const person = await createPerson(t.haven, { roles });
    const session = await signIn(t.haven, person);
    const page = await session.agent.get('/check').expect(200);
    const csrf = /data-csrf="([^"]+)"/.exec(page.text)?.[1];
    assert.ok(csrf, 'the page carries the CSRF token for its requests');
    return { person, agent: session.agent, csrf };
  }

  const start = (c: Caller, body: Record<string, unknown>) =>
    c.agent.post('/check/probes').set('X-CSRF-Token', c.csrf).set('Accept', 'application/json').send(body);
  const closeProbe = (c: Caller, id: string) =>
    c.agent.delete(`/check/probes/${id}`).set('X-CSRF-Token', c.csrf).set('Accept', 'application/json');
  const routers = async (): Promise<number> =>
    (await t.haven.media!.health()).reduce((sum, w) => sum + w.rooms, 0);

  before(async () => {
    t = await startTestHaven({
      startMedia: true,
      clock,
      env: {
        MEDIA_WORKERS: '1',
        MEDIA_LISTEN_IP: '127.0.0.1',
        MEDIA_PORT: String(mediaPort),
        TURN_HOST: 'turn.clinic.test',
        TURN_SECRET: secret,
        TURN_CREDENTIAL_TTL_SECONDS: '120',
      },
    });
    assert.ok(t.haven.media, 'media workers started');
    await ensureAdmin(t.haven); // past the first-run setup page
    alex = await callerFor(['client']);
    blake = await callerFor(['peer_supporter']);
  });
  beforeEach(() => clock.set(new Date()));
  afterEach(() => t.haven.connectivity.close());
  after(async () => t?.stop());

  it('needs a signed-in person and the session CSRF token', async () => {
    // A visitor with a valid CSRF token of their own (from the sign-in page) is still refused.
    const visitor = request.agent(t.haven.http);
    const token = csrfFrom((await visitor.get('/sign-in').expect(200)).text);
    const anonymous = await visitor
      .post('/check/probes')
      .set({ Accept: 'application/json', 'X-CSRF-Token': token })
      .send({ mode: 'direct' });
    assert.equal(anonymous.status, 401);
    assert.equal((await visitor.get('/check')).status, 302);
    const noToken = await alex.agent
      .post('/check/probes')
      .set('Accept', 'application/json')
      .send({ mode: 'direct' });
    assert.equal(noToken.status, 403);
    assert.equal(t.haven.connectivity.openCount, 0);
  });

  it("direct: a transport on the rooms' own media port, no ICE servers, host candidates only", async () => {
    const before = await routers();
    const res = await start(alex, { mode: 'direct' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.mode, 'direct');
    assert.deepEqual(res.body.iceServers, []);
    assert.equal(res.body.iceTransportPolicy, 'all');
    const candidates = res.body.transport.iceCandidates as Array<{ address: string; port: number }>;
    assert.ok(candidates.length > 0);
    for (const c of candidates) assert.deepEqual([c.address, c.port], ['127.0.0.1', mediaPort]);
    assert.ok(res.body.rtpCapabilities.codecs.length > 0);
    assert.equal(await routers(), before + 1);
    // Not connected yet: the server says so plainly.
    const seen = await alex.agent.get(`/check/probes/${res.body.probeId}`).set('Accept', 'application/json');
    assert.equal(seen.status, 200);
    assert.equal(seen.body.connected, false);
    assert.equal(seen.body.rtpBytesReceived, 0);
    assert.equal((await closeProbe(alex, res.body.probeId)).status, 204);
    assert.equal(await routers(), before);
  });

  it('relay: a TURN credential for the caller only, and the relay-only policy', async () => {
    const res = await start(alex, { mode: 'relay' });
    assert.equal(res.status, 201);
    assert.equal(res.body.iceTransportPolicy, 'relay');
    const [server] = res.body.iceServers as Array<{ urls: string[]; username: string; credential: string }>;
    assert.deepEqual(server!.urls, [
      'turn:turn.clinic.test:3478?transport=udp',
      'turn:turn.clinic.test:3478?transport=tcp',
    ]);
    const [expiry, userId] = server!.username.split(':');
    assert.equal(userId, alex.person.user.id);
    assert.equal(Number(expiry), Math.floor(clock.now().getTime() / 1000) + 120);
    assert.equal(server!.credential, createHmac('sha1', secret).update(server!.username).digest('base64'));
    // Blake's probe carries Blake's credential; nothing of Alex's.
    const other = await start(blake, { mode: 'relay' });
    assert.equal(other.body.iceServers[0].username.split(':')[1], blake.person.user.id);
    assert.ok(!JSON.stringify(other.body).includes(alex.person.user.id));
  });

  it("someone else's probe is not found, whatever they try", async () => {
    const { body } = await start(alex, { mode: 'direct' });
    const path = `/check/probes/${body.probeId}`;
    const json = { Accept: 'application/json', 'X-CSRF-Token': blake.csrf };
    assert.equal((await blake.agent.get(path).set(json)).status, 404);
    assert.equal((await blake.agent.delete(path).set(json)).status, 404);
    const dtlsParameters = { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AB:CD' }] };
    assert.equal((await blake.agent.post(`${path}/connect`).set(json).send({ dtlsParameters })).status, 404);
    assert.equal(
      (await blake.agent.post(`${path}/produce`).set(json).send({ kind: 'audio', rtpParameters: {} })).status,
      404,
    );
    // Still Alex's and still open.
    assert.equal((await alex.agent.get(path).set('Accept', 'application/json')).status, 200);
  });

  it('takes no address, port or anything else from the caller; only audio may be sent', async () => {
    for (const body of [
      { mode: 'direct', address: '10.0.0.1' },
      { mode: 'direct', port: 22 },
      { mode: 'turn' },
      {},
    ]) {
      const res = await start(alex, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, 'http.bad_input');
    }
    const { body } = await start(alex, { mode: 'direct' });
    const video = await alex.agent
      .post(`/check/probes/${body.probeId}/produce`)
      .set({ Accept: 'application/json', 'X-CSRF-Token': alex.csrf })
      .send({ kind: 'video', rtpParameters: {} });
    assert.equal(video.status, 400);
    // A malformed probe id names no probe (route declarations: 404 before any lookup).
    assert.equal(
      (await alex.agent.get('/check/probes/not-a-uuid').set('Accept', 'application/json')).status,
      404,
    );
  });

  it('limits probes per person: two at once, twelve per ten minutes', async () => {
    const casey = await callerFor(['client']);
    const a = await start(casey, { mode: 'direct' });
    const b = await start(casey, { mode: 'relay' });
    assert.deepEqual([a.status, b.status], [201, 201]);
    const third = await start(casey, { mode: 'direct' });
    assert.equal(third.status, 429);
    assert.equal(third.body.error.code, 'check.too_many');
    // Someone else is not held back by Alex.
    assert.equal((await start(blake, { mode: 'direct' })).status, 201);
    await closeProbe(casey, a.body.probeId);
    await closeProbe(casey, b.body.probeId);
    // Ten more one after the other make twelve in this window; the thirteenth waits.
    for (let i = 0; i < 10; i += 1) {
      const res = await start(casey, { mode: 'direct' });
      assert.equal(res.status, 201, `probe ${i + 3}`);
      await closeProbe(casey, res.body.probeId);
    }
    assert.equal((await start(casey, { mode: 'direct' })).status, 429);
    clock.advance(10 * 60_000);
    assert.equal((await start(casey, { mode: 'direct' })).status, 201);
  });

  it('closes a probe after its 30 s lifetime: the transport is gone and the id answers 404', async () => {
    const before = await routers();
    const { body } = await start(alex, { mode: 'direct' });
    assert.equal(Date.parse(body.expiresAt), clock.now().getTime() + 30_000);
    assert.equal(await routers(), before + 1);
    clock.advance(30_001);
    const res = await alex.agent.get(`/check/probes/${body.probeId}`).set('Accept', 'application/json');
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'check.probe_not_found');
    assert.equal(t.haven.connectivity.openCount, 0);
    assert.equal(await routers(), before);
  });

  it('closes a probe by its own timer, with no further request (real time, short lifetime)', async () => {
    const probes = new ProbeTransports(t.haven.media!.pool);
    const service = new ConnectivityService({
      probes,
      iceServersFor: () => [],
      clock: { now: () => new Date() },
      limits: { probeTtlMs: 300 },
    });
    const before = await routers();
    await service.start(alex.person.user.id, 'direct');
    assert.equal(probes.size, 1);
    const deadline = Date.now() + 5000;
    while (probes.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(probes.size, 0);
    assert.equal(service.openCount, 0);
    assert.equal(await routers(), before);
  });

  it('answers 503 while the media workers are not running', async () => {
    const off = await startTestHaven({ env: { TURN_HOST: 'turn.clinic.test' } });
    try {
      await ensureAdmin(off.haven);
      const person = await createPerson(off.haven, { roles: ['client'] });
      const session = await signIn(off.haven, person);
      const csrf = /data-csrf="([^"]+)"/.exec((await session.agent.get('/check')).text)?.[1] ?? '';
      const res = await session.agent
        .post('/check/probes')
        .set({ Accept: 'application/json', 'X-CSRF-Token': csrf })
        .send({ mode: 'direct' });
      assert.equal(res.status, 503);
      assert.equal(res.body.error.code, 'media.unavailable');
    } finally {
      await off.stop();
    }
  });
});
