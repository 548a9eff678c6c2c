import '../../support/media-worker';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { FakeClock } from '../../../server/shared/clock';
import { requireBinaries } from '../appliance/appliance-support';
import { createPerson, ensureAdmin, type TestPerson } from '../../support/accounts';
import { relayLossPercent, startLoopbackCoturn, type LoopbackCoturn } from '../../support/coturn';
import {
  ask,
  connected,
  next,
  openSocket,
  signInCookie,
  type TestSocket,
  dataOf,
} from '../../support/live-session';
import { startLiveHaven, type LiveHaven } from '../../support/live-haven';
import type { IceServerView } from '../../../server/protocol';

/** The TURN REST rule, written out here independently of server/media/turn-credentials.ts. */
function expectedPassword(secret: string, username: string): string {
  return createHmac('sha1', Buffer.from(secret, 'utf8'))
    .update(Buffer.from(username, 'utf8'))
    .digest('base64');
}

describe('realtime: TURN credentials go only to people admitted to a room', function () {
  this.timeout(90_000);
  const secret = randomBytes(32).toString('base64url');
  // Haven's clock: real time, except where a test moves it to mint a credential that is already stale.
  const clock = new FakeClock(new Date());
  let live: LiveHaven;
  let therapist: TestPerson;
  let client: TestPerson;
  let roomId: string;
  const sockets: TestSocket[] = [];

  async function socketFor(person: TestPerson): Promise<TestSocket> {
    const socket = openSocket(live, (await signInCookie(live, person)).header);
    sockets.push(socket);
    await connected(socket);
    return socket;
  }

  /** Host in the room, client knocking; returns both sockets, the client not yet admitted. */
  let currentHost: TestSocket | undefined;

  async function hostAndWaitingClient(): Promise<{ host: TestSocket; guest: TestSocket; join: unknown }> {
    const actor = therapist.user;
    roomId = (await live.haven.rooms.access.openAdhoc(actor, [client.user.id], null)).id;
    const host = await socketFor(therapist);
    currentHost = host;
    assert.equal((await ask(host, 'room:join', { roomId })).ok, true);
    const guest = await socketFor(client);
    const knock = next(host, 'room:knock');
    const join = await ask(guest, 'room:join', { roomId });
    assert.equal(join.ok && join.data.state, 'waiting');
    await knock;
    return { host, guest, join };
  }

  async function admit(host: TestSocket, guest: TestSocket): Promise<unknown> {
    const admitted = next(guest, 'room:admitted');
    assert.equal((await ask(host, 'room:admit', { roomId, userId: client.user.id })).ok, true);
    return admitted;
  }

  async function iceServersOf(
    socket: TestSocket,
    direction: 'send' | 'recv',
  ): Promise<readonly IceServerView[]> {
    return dataOf(await ask(socket, 'media:create-transport', { roomId, direction })).iceServers;
  }

  before(async () => {
    // The FakeClock was made when mocha loaded this file, minutes before this suite runs in a full
    // run; TOTP codes for sign-in are computed from real time, so bring Haven's clock up to date.
    clock.set(new Date());
    live = await startLiveHaven({
      clock,
      env: {
        TURN_HOST: '127.0.0.1',
        TURN_SECRET: secret,
        TURN_TLS: 'true',
        TURN_CREDENTIAL_TTL_SECONDS: '300',
      },
    });
    await ensureAdmin(live.haven); // past the first-run setup page
    therapist = await createPerson(live.haven, { roles: ['therapist'], displayName: 'Dr Rivera' });
    client = await createPerson(live.haven, { roles: ['client'], displayName: 'Sam' });
    await live.haven.clinical.care.assign(null, therapist.user.id, client.user.id);
  });
  beforeEach(() => clock.set(new Date()));
  afterEach(async () => {
    clock.set(new Date());
    // End the room, so the next test's ad-hoc room is a fresh one where nobody holds a seat.
    if (currentHost?.connected) assert.equal((await ask(currentHost, 'room:end', { roomId })).ok, true);
    currentHost = undefined;
    for (const s of sockets.splice(0)) s.disconnect();
  });
  after(async () => live?.stop());

  it('someone waiting to be admitted gets no TURN servers and no credential, anywhere', async () => {
    const { guest, join } = await hostAndWaitingClient();
    // A waiting page may make its transports early (issue 21), but without the relay.
    const transport = await ask(guest, 'media:create-transport', { roomId, direction: 'recv' });
    assert.deepEqual(dataOf(transport).iceServers, []);
    const refused = await ask(guest, 'media:ice-servers', { roomId });
    assert.equal(!refused.ok && refused.error.code, 'room.not_admitted');
    // Nothing the waiting person was sent names the relay or carries a signed credential.
    for (const sent of [join, transport, refused]) {
      const text = JSON.stringify(sent);
      assert.doesNotMatch(text, /turns?:|credential/, text);
      assert.ok(!text.includes(`:${client.user.id}"`), text);
    }
  });

  it('transports made while waiting get the relay once the person is admitted', async () => {
    const { host, guest } = await hostAndWaitingClient();
    await iceServersOf(guest, 'recv');
    await admit(host, guest);
    const { iceServers } = dataOf(await ask(guest, 'media:ice-servers', { roomId }));
    const [server] = iceServers as [IceServerView];
    assert.equal(server.username.split(':')[1], client.user.id);
    assert.equal(server.credential, expectedPassword(secret, server.username));
  });

  it('an admitted person gets the relay list with a fresh credential on each transport', async () => {
    const { host, guest } = await hostAndWaitingClient();
    const admittedPayload = JSON.stringify(await admit(host, guest));
    assert.doesNotMatch(admittedPayload, /credential/);
    const before = Math.floor(clock.now().getTime() / 1000);
    const servers = await iceServersOf(guest, 'recv');
    assert.equal(servers.length, 1);
    const [server] = servers as [IceServerView];
    assert.deepEqual(server.urls, [
      'turn:127.0.0.1:3478?transport=udp',
      'turn:127.0.0.1:3478?transport=tcp',
      'turns:127.0.0.1:5349?transport=tcp',
    ]);
    const [expiry, userId] = server.username.split(':');
    assert.equal(userId, client.user.id);
    assert.equal(Number(expiry), before + 300);
    assert.equal(server.credential, expectedPassword(secret, server.username));
    // The host is admitted by definition and gets one of their own.
    const [hostServer] = (await iceServersOf(host, 'send')) as [IceServerView];
    assert.equal(hostServer.username.split(':')[1], therapist.user.id);
    assert.equal(hostServer.credential, expectedPassword(secret, hostServer.username));
  });

  it('the transport ack names the ICE policy: all unless MEDIA_ICE_TRANSPORT_POLICY=relay', async () => {
    const { host, guest } = await hostAndWaitingClient();
    await admit(host, guest);
    const answer = await ask(guest, 'media:create-transport', { roomId, direction: 'recv' });
    assert.equal(answer.ok && answer.data.iceTransportPolicy, 'all');
  });

  it('someone moved back to the waiting room gets no new credential', async () => {
    const { host, guest } = await hostAndWaitingClient();
    await admit(host, guest);
    assert.equal((await ask(host, 'room:move-to-waiting', { roomId, userId: client.user.id })).ok, true);
    assert.deepEqual(await iceServersOf(guest, 'recv'), []);
    const answer = await ask(guest, 'media:ice-servers', { roomId });
    assert.equal(!answer.ok && answer.error.code, 'room.not_admitted');
  });

  describe("Debian's turnserver, running our config, checks what Haven issued", () => {
    let turn: LoopbackCoturn | undefined;

    before(async function () {
      requireBinaries(this, ['turnserver', 'turnutils_uclient', 'turnutils_peer'], 'coturn');
      turn = await startLoopbackCoturn(secret);
    });
    after(() => turn?.stop());

    it('accepts a credential Haven issued and relays to the SFU with 0 loss', async () => {
      const { host, guest } = await hostAndWaitingClient();
      await admit(host, guest);
      const [server] = (await iceServersOf(guest, 'recv')) as [IceServerView];
      const out = await turn!.relay(server.username, server.credential);
      assert.equal(relayLossPercent(out), 0, `${out}\n--- turnserver:\n${turn!.log().slice(-3000)}`);
      const totals = /start_mclient: tot_send_msgs=(\d+), tot_recv_msgs=(\d+)/.exec(out);
      assert.equal(totals?.[2], '40', out);
    });

    it("refuses one that has expired (issued with Haven's clock moved past its lifetime)", async () => {
      const { host, guest } = await hostAndWaitingClient();
      await admit(host, guest);
      // Issued "301 s ago" with a 300 s lifetime: by coturn's (real) clock it expired a second ago.
      clock.set(new Date(Date.now() - 301_000));
      const [server] = (await iceServersOf(guest, 'recv')) as [IceServerView];
      assert.ok(Number(server.username.split(':')[0]) < Date.now() / 1000);
      // Correctly signed: only its expiry can be why coturn refuses it.
      assert.equal(server.credential, expectedPassword(secret, server.username));
      const out = await turn!.relay(server.username, server.credential);
      assert.match(out, /Cannot complete Allocation/, out);
      assert.equal(relayLossPercent(out), undefined, out);
    });

    it('refuses a Haven credential whose expiry was stretched', async () => {
      const { host, guest } = await hostAndWaitingClient();
      await admit(host, guest);
      const [server] = (await iceServersOf(guest, 'recv')) as [IceServerView];
      const stretched = `${Number(server.username.split(':')[0]) + 86_400}:${client.user.id}`;
      const out = await turn!.relay(stretched, server.credential);
      assert.match(out, /Cannot complete Allocation/, out);
    });
  });
});
