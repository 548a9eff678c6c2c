import assert from 'node:assert/strict';
import { createPerson, ensureAdmin, type TestPerson } from '../../support/accounts';
import { ask, connected, openSocket, signInCookie, type TestSocket } from '../../support/live-session';
import type { LiveHaven } from '../../support/live-haven';
import { startTwoNodes, type TwoNodes } from '../../support/two-nodes';

/** Resolves once `check` holds, polling; fails naming `what` after `timeoutMs`. */
async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Messaging's "online" across nodes (issue 22): a person whose messaging page is connected to node B
 * is online for node A too, so a message sent through A reaches them live and sends no "new message"
 * email; once their page closes, the next message through A is emailed.
 */
describe('cluster: who is online for messaging, across nodes', function () {
  this.timeout(90_000);
  let nodes: TwoNodes;
  let client: TestPerson;
  let therapist: TestPerson;
  let threadId: string;
  const sockets: TestSocket[] = [];
  const actor = (p: TestPerson) => ({ id: p.user.id, roles: p.user.roles, ip: null });

  async function subscribedOn(node: LiveHaven, person: TestPerson): Promise<TestSocket> {
    const socket = openSocket(node, (await signInCookie(node, person)).header);
    sockets.push(socket);
    await connected(socket);
    const answer = await ask(socket, 'message:subscribe', {});
    assert.equal(answer.ok, true);
    return socket;
  }

  /** "New message" emails in node A's outbox addressed to `person`. */
  async function noticesTo(person: TestPerson): Promise<number> {
    const queued = await nodes.a.haven.mail.outbox.list();
    return queued.filter((m) => m.to === person.email).length;
  }

  before(async function () {
    nodes = await startTwoNodes(this, { media: false });
    const { a } = nodes;
    await ensureAdmin(a.haven);
    [client, therapist] = await Promise.all([
      createPerson(a.haven, { roles: ['client'], displayName: 'Sam Client' }),
      createPerson(a.haven, { roles: ['therapist'], displayName: 'Dr Rivera' }),
    ]);
    await a.haven.clinical.care.assign(null, therapist.user.id, client.user.id);
    threadId = await a.haven.messaging.inbox.open(actor(client), therapist.user.id);
  });
  after(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    await nodes?.stop();
  });

  it('a person with a messaging page open on node B gets no email for a message sent through node A; once it closes, they do', async () => {
    const presenceOnA = nodes.a.haven.messaging.presence;
    assert.equal(presenceOnA.isOnline(therapist.user.id), false);
    const page = await subscribedOn(nodes.b, therapist);
    await until('node A hears the therapist is online on node B', () =>
      presenceOnA.isOnline(therapist.user.id),
    );
    assert.equal(presenceOnA.here().includes(therapist.user.id), false, 'the page is on node B, not A');

    const before = await noticesTo(therapist);
    await nodes.a.haven.messaging.messages.send(actor(client), threadId, { body: 'Sent through node A' });
    assert.equal(await noticesTo(therapist), before, 'no email for someone online on another node');

    page.disconnect();
    await until('node A hears the page on node B closed', () => !presenceOnA.isOnline(therapist.user.id));
    await nodes.a.haven.messaging.messages.send(actor(client), threadId, { body: 'And again' });
    assert.equal(await noticesTo(therapist), before + 1, 'offline everywhere: the notice is emailed');
  });
});
