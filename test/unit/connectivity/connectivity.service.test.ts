import assert from 'node:assert/strict';
import { ConnectivityService, type ProbePort } from '../../../server/connectivity';
import { FakeClock } from '../../../server/shared/clock';
import { isAppError } from '../../../server/shared/errors';

/** A probe port that records what the service asks of it; with `hold`, `open` waits for the test. */
class FakeProbes implements ProbePort {
  readonly live = new Set<string>();
  readonly closed: string[] = [];
  readonly pending: Array<() => void> = [];
  hold = false;

  async open(id: string): ReturnType<ProbePort['open']> {
    if (this.hold) await new Promise<void>((resolve) => this.pending.push(resolve));
    this.live.add(id);
    const transport = {
      id,
      iceParameters: { usernameFragment: 'u', password: 'p' },
      iceCandidates: [],
      dtlsParameters: { fingerprints: [] },
    };
    return { rtpCapabilities: { codecs: [] }, transport };
  }
  async connect(): Promise<void> {}
  async produce(): Promise<string> {
    return 'producer';
  }
  async observe() {
    return { iceState: 'completed', dtlsState: 'connected', protocol: 'udp', rtpBytesReceived: 1200 };
  }
  close(id: string): void {
    this.live.delete(id);
    this.closed.push(id);
  }
  closeAll(): void {
    for (const id of [...this.live]) this.close(id);
  }
}

const code = (error: unknown): string => (isAppError(error) ? error.code : String(error));

describe('connectivity: pre-call probes (service rules)', () => {
  let fake: FakeProbes;
  let clock: FakeClock;
  let service: ConnectivityService;
  const relay = [{ urls: ['turn:t:3478?transport=udp'], username: '1:u', credential: 'c' }];

  beforeEach(() => {
    fake = new FakeProbes();
    clock = new FakeClock('2026-11-26T10:00:00Z');
    service = new ConnectivityService({
      probes: fake,
      iceServersFor: (userId) => relay.map((r) => ({ ...r, username: `1:${userId}` })),
      clock,
    });
  });
  afterEach(() => service.close());

  it('direct gets no ICE servers and policy all; relay gets the caller’s servers and policy relay', async () => {
    const direct = await service.start('u1', 'direct');
    assert.deepEqual([direct.iceServers, direct.iceTransportPolicy], [[], 'all']);
    const viaRelay = await service.start('u1', 'relay');
    assert.equal(viaRelay.iceTransportPolicy, 'relay');
    assert.equal(viaRelay.iceServers[0]?.username, '1:u1');
  });

  it('refuses a relay test when the clinic has no relay', async () => {
    const none = new ConnectivityService({ probes: fake, iceServersFor: () => [], clock });
    await assert.rejects(none.start('u1', 'relay'), (e) => code(e) === 'check.no_relay');
    assert.equal(fake.live.size, 0);
    assert.equal(none.relayConfigured('u1'), false);
  });

  it('refuses the third concurrent probe immediately, while two are still being made', async () => {
    fake.hold = true;
    const first = service.start('u1', 'direct');
    const second = service.start('u1', 'direct');
    await assert.rejects(service.start('u1', 'direct'), (e) => code(e) === 'check.too_many');
    for (const release of fake.pending) release();
    await Promise.all([first, second]);
    assert.equal(service.openCount, 2);
  });

  it('a probe ended (shutdown or timeout) while its transport is being made is closed, not leaked', async () => {
    fake.hold = true;
    const started = service.start('u1', 'direct');
    service.close(); // shutdown while the transport is being made
    for (const release of fake.pending) release();
    await assert.rejects(started, (e) => code(e) === 'check.probe_not_found');
    assert.equal(fake.live.size, 0);
  });

  it('connected means ICE, DTLS and RTP; only the owner sees it; expiry by the clock closes it', async () => {
    const { probeId } = await service.start('u1', 'direct');
    const result = await service.result('u1', probeId);
    assert.equal(result.connected, true);
    await assert.rejects(service.result('u2', probeId), (e) => code(e) === 'check.probe_not_found');
    assert.throws(
      () => service.finish('u2', probeId),
      (e) => code(e) === 'check.probe_not_found',
    );
    clock.advance(30_000);
    await assert.rejects(service.result('u1', probeId), (e) => code(e) === 'check.probe_not_found');
    assert.deepEqual(fake.closed, [probeId]);
  });

  it('without media workers: media.unavailable', async () => {
    const off = new ConnectivityService({ probes: null, iceServersFor: () => [], clock });
    await assert.rejects(off.start('u1', 'direct'), (e) => code(e) === 'media.unavailable');
  });
});
