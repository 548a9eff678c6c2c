import assert from 'node:assert/strict';
import { connect } from 'socket.io-client';
import { createPerson, ensureAdmin, type TestPerson } from '../../support/accounts';
import { reserveCaddyProxy, type CaddyProxy } from '../../support/caddy-proxy';
import type { LiveHaven } from '../../support/live-haven';
import {
  ask,
  connected,
  dataOf,
  next,
  refusedWith,
  signInCookie,
  type TestSocket,
} from '../../support/live-session';
import { startTwoNodes, type TwoNodes } from '../../support/two-nodes';

/**
 * Room placement (issue 22, step 5): two nodes with media on one PostgreSQL, Debian's caddy in front
 * of them as the documented proxy (`/node/<id>/…` to that node). A room is placed once, on the less
 * loaded node, however many first entries race; the room page served by the other node sends its
 * socket to the room's node through the proxy, and both people meet there.
 */
describe('cluster: a room lives on one node', function () {
  this.timeout(120_000);
  let proxy: CaddyProxy;
  let nodes: TwoNodes;
  let therapist: TestPerson;
  let client: TestPerson;
  let therapistCookie: string | undefined;
  const sockets: TestSocket[] = [];
  const byId = (id: string): LiveHaven => (id === 'node-a' ? nodes.a : nodes.b);
  const placements = async (roomId: string, via: LiveHaven = nodes.a): Promise<string[]> => {
    const [rows] = await via.haven.sequelize.query('SELECT node_id FROM room_placements WHERE room_id = ?', {
      replacements: [roomId],
    });
    return (rows as { node_id: string }[]).map((r) => r.node_id);
  };

  /** A socket through the proxy, as the room page opens it (`path` from data-signal-path). */
  async function socketThroughProxy(cookie: string, path: string): Promise<TestSocket> {
    const socket: TestSocket = connect(proxy.url, {
      path,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: { origin: proxy.url, cookie },
    });
    sockets.push(socket);
    await connected(socket);
    return socket;
  }

  before(async function () {
    proxy = await reserveCaddyProxy();
    nodes = await startTwoNodes(this, {
      workers: 1,
      env: { PUBLIC_URL: proxy.url, NODE_HEARTBEAT_SECONDS: '1', NODE_DEAD_AFTER_SECONDS: '3' },
    });
    await proxy.route([
      { id: 'node-a', baseUrl: nodes.a.baseUrl },
      { id: 'node-b', baseUrl: nodes.b.baseUrl },
    ]);
    await ensureAdmin(nodes.a.haven);
    therapist = await createPerson(nodes.a.haven, { roles: ['therapist'], displayName: 'Dr Rivera' });
    client = await createPerson(nodes.a.haven, { roles: ['client'], displayName: 'Sam' });
    await nodes.a.haven.clinical.care.assign(null, therapist.user.id, client.user.id);
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  after(async () => {
    await nodes?.stop();
    await proxy?.stop();
  });

  it('20 parallel first entries across both nodes place the room exactly once; the next room goes to the other node', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? nodes.a : nodes.b).haven.placement.place('room-raced'),
      ),
    );
    const owners = new Set(answers.map((a) => a.nodeId));
    assert.equal(owners.size, 1, `one answer for everyone, got ${[...owners].join(', ')}`);
    const [owner] = [...owners];
    assert.deepEqual(await placements('room-raced'), [owner], 'one row');
    answers.forEach((answer, i) => assert.equal(answer.here, (i % 2 === 0 ? 'node-a' : 'node-b') === owner));

    // Once the room runs on its node (its router made) and the node has reported that load, the
    // next room goes to the less loaded node.
    const ownerNode = byId(owner!);
    await ownerNode.haven.media!.room('room-raced');
    await ownerNode.haven.nodes.beat();
    const next = await nodes.a.haven.placement.place('room-next');
    assert.notEqual(next.nodeId, owner);
  });

  it("the page served by the other node sends its socket to the room's node through the proxy; both meet there", async () => {
    const room = await nodes.a.haven.rooms.access.openAdhoc(therapist.user, [client.user.id], null);
    const placed = await nodes.a.haven.placement.place(room.id);
    const owner = byId(placed.nodeId);
    const other = owner === nodes.a ? nodes.b : nodes.a;

    // The client's page comes from the node that does not hold the room.
    const clientCookie = (await signInCookie(other, client)).header;
    const page = await fetch(`${other.baseUrl}/rooms/${room.id}`, { headers: { cookie: clientCookie } });
    assert.equal(page.status, 200);
    const path = /data-signal-path="([^"]+)"/.exec(await page.text())?.[1];
    assert.equal(path, `/node/${placed.nodeId}/socket.io`);
    // The therapist's page comes from the room's own node: the same path (through the proxy, a
    // plain /socket.io could land on any node).
    // Sessions are shared: one sign-in serves every node (signing the therapist in again within
    // 30 s would replay its second-factor code, which is refused).
    therapistCookie ??= (await signInCookie(owner, therapist)).header;
    const ownPage = await fetch(`${owner.baseUrl}/rooms/${room.id}`, {
      headers: { cookie: therapistCookie },
    });
    assert.equal(/data-signal-path="([^"]+)"/.exec(await ownPage.text())?.[1], path);

    // The therapist without a proxy, straight to the room's node (which answers its own path too).
    const host: TestSocket = connect(owner.baseUrl, {
      path: path!,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: { origin: proxy.url, cookie: therapistCookie },
    });
    sockets.push(host);
    await connected(host);
    const guest = await socketThroughProxy(clientCookie, path!);
    assert.equal(dataOf(await ask(host, 'room:join', { roomId: room.id })).role, 'host');
    const knocked = next(host, 'room:knock');
    const joined = dataOf(await ask(guest, 'room:join', { roomId: room.id }));
    assert.equal(joined.state, 'waiting');
    await knocked;
    const admitted = next(guest, 'room:admitted');
    assert.equal((await ask(host, 'room:admit', { roomId: room.id, userId: client.user.id })).ok, true);
    await admitted;
    // Both are in one room, on the room's node: its media has the room, the other node's has none.
    assert.ok(await owner.haven.media!.existingRoom(room.id), 'the room is on its node');
    assert.equal(await other.haven.media!.existingRoom(room.id), null, 'and nowhere else');
  });

  it("a join on a node that does not hold the room is refused with room.elsewhere, naming the room's node", async () => {
    const room = await nodes.a.haven.rooms.access.openAdhoc(therapist.user, [client.user.id], null);
    const placed = await nodes.a.haven.placement.place(room.id);
    const other = placed.nodeId === 'node-a' ? nodes.b : nodes.a;
    // The client (no second factor: a therapist signing in again within 30 s would replay its code).
    const cookie = (await signInCookie(other, client)).header;
    const wrong = await socketThroughProxy(cookie, `/node/${other.haven.nodes.id}/socket.io`);
    const answer = await ask(wrong, 'room:join', { roomId: room.id });
    refusedWith(answer, 'room.elsewhere');
    assert.equal(!answer.ok && answer.error.node, placed.nodeId);
    // Refused before anything was made there: no media room, no seat (a room event needs one).
    assert.equal(await other.haven.media!.existingRoom(room.id), null);
    assert.equal(other.haven.rooms.live.liveRoom(room.id), undefined);
    refusedWith(await ask(wrong, 'chat:send', { roomId: room.id, text: 'hello' }), 'room.not_joined');
    // A stranger to the room learns nothing about where it runs.
    const stranger = await createPerson(nodes.a.haven, { roles: ['client'], displayName: 'Stranger' });
    const strangerSocket = await socketThroughProxy(
      (await signInCookie(other, stranger)).header,
      `/node/${other.haven.nodes.id}/socket.io`,
    );
    const refused = await ask(strangerSocket, 'room:join', { roomId: room.id });
    assert.ok(!refused.ok && refused.error.code !== 'room.elsewhere' && refused.error.node === undefined);
  });

  it('a room whose node stopped is moved, once, to a live node; whom it had admitted comes back admitted, attendance kept', async () => {
    // A client of their own: an ad-hoc room is one per therapist and client, and the earlier tests'
    // room still holds a seat.
    const client = await createPerson(nodes.a.haven, { roles: ['client'], displayName: 'Robin' });
    await nodes.a.haven.clinical.care.assign(null, therapist.user.id, client.user.id);
    const room = await nodes.a.haven.rooms.access.openAdhoc(therapist.user, [client.user.id], null);
    const placed = await nodes.a.haven.placement.place(room.id);
    const owner = byId(placed.nodeId);
    const survivor = owner === nodes.a ? nodes.b : nodes.a;
    const path = `/node/${placed.nodeId}/socket.io`;
    therapistCookie ??= (await signInCookie(owner, therapist)).header;
    const host = await socketThroughProxy(therapistCookie, path);
    const clientCookie = (await signInCookie(owner, client)).header;
    const guest = await socketThroughProxy(clientCookie, path);
    dataOf(await ask(host, 'room:join', { roomId: room.id }));
    const knocked = next(host, 'room:knock');
    dataOf(await ask(guest, 'room:join', { roomId: room.id }));
    await knocked;
    const admitted = next(guest, 'room:admitted');
    dataOf(await ask(host, 'room:admit', { roomId: room.id, userId: client.user.id }));
    await admitted;

    // A clean stop (an upgrade, node by node): the node hands its rooms over and leaves the registry.
    const stoppedAt = Date.now();
    await owner.stop();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => survivor.haven.placement.place(room.id)),
    );
    assert.ok(answers.every((a) => a.nodeId === survivor.haven.nodes.id && a.here));
    assert.deepEqual(await placements(room.id, survivor), [survivor.haven.nodes.id]);
    // The move remembers where from: the new node takes over what the old one left.
    assert.ok(answers.every((a) => a.movedFrom?.nodeId === owner.haven.nodes.id));

    // The client comes back through any node, before the therapist: admitted, no knock.
    const back = await socketThroughProxy(clientCookie, '/socket.io');
    const rejoined = dataOf(await ask(back, 'room:join', { roomId: room.id }));
    assert.equal(rejoined.state, 'admitted');
    assert.ok(rejoined.admitted, 'with the call to build');
    const rows = (await survivor.haven.rooms.attendance(room.id)).filter((r) => r.userId === client.user.id);
    assert.equal(rows.length, 2);
    assert.ok(rows[0]!.leftAt && rows[0]!.leftAt.getTime() >= stoppedAt, 'closed when the node left');
    assert.equal(rows[1]!.leftAt, null, 'open again from the return');
    // Once: leaving and coming back is a new knock, as on one node.
    dataOf(await ask(back, 'room:leave', { roomId: room.id }));
    assert.equal(dataOf(await ask(back, 'room:join', { roomId: room.id })).state, 'waiting');
  });
});
