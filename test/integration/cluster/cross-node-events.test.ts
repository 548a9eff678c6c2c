import assert from 'node:assert/strict';
import { newPgClient, type PgClient } from '../../../server/cluster/pg-client';
import { MESSAGE_MAX_CHARS } from '../../../server/messaging/messaging.schemas';
import { createPerson, ensureAdmin, type TestPerson } from '../../support/accounts';
import {
  ask,
  connected,
  disconnected,
  next,
  openSocket,
  signInCookie,
  type TestSocket,
} from '../../support/live-session';
import type { LiveHaven } from '../../support/live-haven';
import { startTwoNodes, type TwoNodes } from '../../support/two-nodes';

/**
 * Events between nodes (issue 22, step 2): two Haven processes' worth of nodes on one PostgreSQL
 * database. What happens on node A reaches the sockets node B holds — a new message, signing out
 * everywhere — and what travels through PostgreSQL (NOTIFY) is never readable there.
 */
describe('cluster: events reach sockets on every node', function () {
  this.timeout(90_000);
  let nodes: TwoNodes;
  let client: TestPerson;
  let therapist: TestPerson;
  let stranger: TestPerson;
  let threadId: string;
  const sockets: TestSocket[] = [];
  const actor = (p: TestPerson) => ({ id: p.user.id, roles: p.user.roles, ip: null });

  // One sign-in per person for the whole file (the nodes share sessions through PostgreSQL): a
  // second two-factor sign-in soon after the first was refused under load (403) and failed the file.
  const cookies = new Map<string, string>();
  async function cookieOf(node: LiveHaven, person: TestPerson): Promise<string> {
    const cookie = cookies.get(person.user.id) ?? (await signInCookie(node, person)).header;
    cookies.set(person.user.id, cookie);
    return cookie;
  }

  async function subscribedOn(node: LiveHaven, person: TestPerson): Promise<TestSocket> {
    const socket = openSocket(node, await cookieOf(node, person));
    sockets.push(socket);
    await connected(socket);
    const answer = await ask(socket, 'message:subscribe', {});
    assert.equal(answer.ok, true);
    return socket;
  }

  before(async function () {
    nodes = await startTwoNodes(this, { media: false });
    const { a } = nodes;
    await ensureAdmin(a.haven);
    [client, therapist, stranger] = await Promise.all([
      createPerson(a.haven, { roles: ['client'], displayName: 'Sam Client' }),
      createPerson(a.haven, { roles: ['therapist'], displayName: 'Dr Rivera' }),
      createPerson(a.haven, { roles: ['client'], displayName: 'Stranger' }),
    ]);
    await a.haven.clinical.care.assign(null, therapist.user.id, client.user.id);
    threadId = await a.haven.messaging.inbox.open(actor(client), therapist.user.id);
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  after(async () => nodes?.stop());

  it('a message sent on node A appears live on the page node B holds, and only there', async () => {
    const onB = await subscribedOn(nodes.b, therapist);
    const strangerOnB = await subscribedOn(nodes.b, stranger);
    let strangerHeard = false;
    strangerOnB.onAny(() => {
      strangerHeard = true;
    });
    const arriving = next(onB, 'message:new');
    await nodes.a.haven.messaging.messages.send(actor(client), threadId, { body: 'Sent through node A' });
    const pushed = await arriving;
    assert.equal(pushed.message.body, 'Sent through node A');
    assert.equal(pushed.message.senderName, 'Sam Client');
    assert.equal('to' in pushed, false, 'the member list is not sent');

    // The longest message (more than one NOTIFY's worth once encrypted) arrives whole.
    const longest = 'é'.repeat(MESSAGE_MAX_CHARS);
    const arrivingLong = next(onB, 'message:new');
    await nodes.a.haven.messaging.messages.send(actor(client), threadId, { body: longest });
    assert.equal((await arrivingLong).message.body, longest);
    assert.equal(strangerHeard, false, 'a stranger on node B hears nothing');
  });

  it('what travels through PostgreSQL between nodes is encrypted: the message text never appears', async () => {
    const spy: PgClient = newPgClient(nodes.database.url);
    const heard: string[] = [];
    spy.on('notification', (m) => heard.push(m.payload ?? ''));
    await spy.connect();
    await spy.query('LISTEN haven_cluster');
    try {
      const onB = await subscribedOn(nodes.b, therapist);
      const arriving = next(onB, 'message:new');
      await nodes.a.haven.messaging.messages.send(actor(client), threadId, {
        body: 'my panic attacks are back',
      });
      await arriving;
      // Node B and the spy hear the same NOTIFY, in either order.
      for (let i = 0; i < 100 && heard.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(heard.length > 0, 'the event went through the database');
      assert.ok(heard.every((p) => !p.includes('panic') && !p.includes('Sam Client')));
    } finally {
      await spy.end();
    }
  });

  it("signing out everywhere on node A drops the person's sockets on node B", async () => {
    const onB = await subscribedOn(nodes.b, client);
    const gone = disconnected(onB);
    await nodes.a.haven.accounts.sessions.signOutEverywhere(client.user.id);
    assert.equal(await gone, 'io server disconnect');
  });
});
