import assert from 'node:assert/strict';
import { createPerson, ensureAdmin, type TestPerson } from '../../support/accounts';
import {
  connected,
  openSocket,
  signInCookie,
  useGuestLink,
  type TestSocket,
} from '../../support/live-session';
import type { LiveHaven } from '../../support/live-haven';
import { startTwoNodes, untilPeopleConnected, type TwoNodes } from '../../support/two-nodes';
import { actor, individualType } from '../scheduling/scheduling-fixtures';

/** One node's card on the Nodes page, as text with the data attributes the test reads. */
function cardOf(html: string, nodeId: string): string {
  const start = html.indexOf(`<li data-node="${nodeId}">`);
  assert.ok(start >= 0, `the page lists ${nodeId}`);
  const end = html.indexOf('</dl>', start);
  return html.slice(start, end);
}

const peopleOn = (card: string): string => /data-people>([^<]*)</.exec(card)?.[1]?.trim() ?? '';
const roleCounts = (card: string): string[] =>
  [...card.matchAll(/data-role="([a-z_]+)">([^<]*)</g)].map((m) => `${m[1]}=${m[2]!.trim()}`);

/**
 * The admin console's Nodes page (issue 22): with two nodes on one PostgreSQL database, the page
 * served by either node lists both, whether each answers, and how many people are connected to
 * each, by role — counted per person (two tabs are one person), from each node's own heartbeat, and
 * never who: no name or address of anyone connected is on the page.
 */
describe('cluster: who is online per node, in the admin console', function () {
  this.timeout(90_000);
  let nodes: TwoNodes;
  let admin: TestPerson;
  let client: TestPerson;
  let therapist: TestPerson;
  let adminCookie: string;
  const sockets: TestSocket[] = [];

  async function socketOn(node: LiveHaven, cookie: string): Promise<TestSocket> {
    const socket = openSocket(node, cookie);
    sockets.push(socket);
    await connected(socket);
    return socket;
  }

  async function nodesPage(node: LiveHaven): Promise<string> {
    const response = await fetch(`${node.baseUrl}/admin/nodes`, { headers: { cookie: adminCookie } });
    assert.equal(response.status, 200);
    return response.text();
  }

  before(async function () {
    nodes = await startTwoNodes(this, { media: false });
    const { a } = nodes;
    await ensureAdmin(a.haven);
    [admin, client, therapist] = await Promise.all([
      createPerson(a.haven, { roles: ['admin'], displayName: 'Ada Admin' }),
      createPerson(a.haven, { roles: ['client'], displayName: 'Casey Private-Client' }),
      createPerson(a.haven, { roles: ['therapist'], displayName: 'Dr Theo Rivera' }),
    ]);
    await Promise.all([a.haven.joinCluster(), nodes.b.haven.joinCluster()]);
    adminCookie = (await signInCookie(a, admin)).header;
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  after(async () => nodes?.stop());

  it('lists both nodes from either node, with the people connected to each by role, and never who', async () => {
    const clientCookie = (await signInCookie(nodes.b, client)).header;
    const therapistCookie = (await signInCookie(nodes.a, therapist)).header;
    // The client has two tabs on node B; the therapist one page on each node.
    const clientTabs = [await socketOn(nodes.b, clientCookie), await socketOn(nodes.b, clientCookie)];
    await socketOn(nodes.a, therapistCookie);
    await socketOn(nodes.b, therapistCookie);
    await untilPeopleConnected(nodes, { 'node-a': 1, 'node-b': 2 });

    for (const served of [nodes.a, nodes.b]) {
      const html = await nodesPage(served);
      const a = cardOf(html, 'node-a');
      const b = cardOf(html, 'node-b');
      assert.equal(peopleOn(a), '1');
      assert.deepEqual(roleCounts(a), ['therapist=Therapist: 1']);
      assert.equal(peopleOn(b), '2');
      assert.deepEqual(roleCounts(b), ['therapist=Therapist: 1', 'client=Client: 1']);
      assert.match(html, /data-nodes-answering>2 of 2</);
      assert.match(html, /data-people-online>3</);
      // The node that served the page says so; the other does not.
      const servedId = served === nodes.a ? 'node-a' : 'node-b';
      assert.match(cardOf(html, servedId), /served this page/);
      assert.doesNotMatch(cardOf(html, servedId === 'node-a' ? 'node-b' : 'node-a'), /served this page/);
      for (const person of [client, therapist]) {
        assert.ok(!html.includes(person.user.displayName), 'no name of anyone connected');
        assert.ok(!html.includes(person.email), 'no address of anyone connected');
      }
    }

    // The client closes both tabs: gone from node B (one closed tab of two is the unit test's).
    for (const tab of clientTabs) tab.disconnect();
    await untilPeopleConnected(nodes, { 'node-a': 1, 'node-b': 1 });
    const after = cardOf(await nodesPage(nodes.a), 'node-b');
    assert.deepEqual(roleCounts(after), ['therapist=Therapist: 1']);
  });

  it("counts an invited guest's page among the people connected, as an invited guest, never by name", async () => {
    await nodes.a.haven.clinical.care.assign(null, therapist.user.id, client.user.id);
    const type = await individualType(nodes.a.haven, admin.user);
    // Starts in five minutes: its room is open now, and so is the guest's link.
    const appointment = await nodes.a.haven.scheduling.booking.bookForClient(actor(therapist.user), {
      typeId: type.id,
      clientIds: [client.user.id],
      start: new Date(Date.now() + 5 * 60_000).toISOString(),
    });
    const host = { id: therapist.user.id, displayName: 'Dr Theo Rivera', roles: therapist.user.roles };
    const [link] = await nodes.a.haven.rooms.guests.invite(
      host,
      appointment.id,
      {
        role: 'interpreter',
        displayName: 'Ana Guest-Interpreter',
        email: 'ana@interpreters.test',
        language: 'Spanish',
      },
      '127.0.0.1',
    );
    const { cookie } = await useGuestLink(nodes.b, link!.token);
    assert.ok(cookie, 'the guest link worked');
    await socketOn(nodes.b, cookie);
    await untilPeopleConnected(nodes, { 'node-a': 0, 'node-b': 1 });
    const html = await nodesPage(nodes.a);
    const b = cardOf(html, 'node-b');
    assert.equal(peopleOn(b), '1');
    assert.deepEqual(roleCounts(b), ['guest=Invited guest: 1']);
    assert.match(html, /data-people-online>1</);
    assert.ok(
      !html.includes('Ana Guest-Interpreter') && !html.includes('ana@interpreters.test'),
      'never who',
    );
  });

  it('shows a silent node as not answering, its counts unknown rather than stale, and a Spanish admin the page in Spanish', async () => {
    const therapistCookie = (await signInCookie(nodes.b, therapist)).header;
    await socketOn(nodes.b, therapistCookie);
    await untilPeopleConnected(nodes, { 'node-a': 0, 'node-b': 1 });
    // node-b stops beating (as if frozen): its last heartbeat is older than NODE_DEAD_AFTER_SECONDS.
    await nodes.b.haven.nodes.leave();
    await nodes.a.haven.sequelize.query(
      `INSERT INTO cluster_nodes (id, instance, host, pid, public_url, media_ports, started_at, heartbeat_at, online)
       VALUES ('node-b', 'frozen', 'frozen-host', 1, ?, 0, ?, ?, '{"people":1,"roles":{"therapist":1}}')`,
      { replacements: [nodes.b.baseUrl, Date.now() - 120_000, Date.now() - 60_000] },
    );
    const html = await nodesPage(nodes.a);
    const b = cardOf(html, 'node-b');
    assert.match(b, /Not answering/);
    assert.equal(peopleOn(b), 'Unknown: not answering');
    assert.deepEqual(roleCounts(b), [], 'no stale counts for a silent node');
    assert.match(b, /60 s ago/);
    assert.match(html, /data-nodes-answering>1 of 2</);
    assert.match(html, /data-people-online>0</, 'only answering nodes are counted');
    assert.ok(
      html.indexOf('data-node="node-a"') < html.indexOf('data-node="node-b"'),
      'answering nodes first',
    );

    const { accounts } = nodes.a.haven;
    await accounts.lifecycle.setLanguage((await accounts.byId(admin.user.id))!, 'es');
    const es = await nodesPage(nodes.a);
    assert.match(es, /<html[^>]* lang="es"/);
    assert.match(cardOf(es, 'node-b'), /No responde/);
    assert.match(es, /data-nodes-answering>1 de 2</);
    assert.match(es, /Personas conectadas/);
  });
});
