import assert from 'node:assert/strict';
import { createPerson, ensureAdmin, type TestPerson } from '../../support/accounts';
import { ask, connected, next, openSocket, signInCookie, type TestSocket } from '../../support/live-session';
import { startLiveHaven, type LiveHaven } from '../../support/live-haven';

/**
 * Live messaging over socket.io sharing the web session. No media workers: messaging needs none.
 */
describe('realtime: messaging delivers live to members only', function () {
  this.timeout(60_000);
  let live: LiveHaven;
  let client: TestPerson;
  let therapist: TestPerson;
  let stranger: TestPerson;
  let threadId: string;
  const sockets: TestSocket[] = [];

  async function subscribed(person: TestPerson): Promise<TestSocket> {
    const socket = openSocket(live, (await signInCookie(live, person)).header);
    sockets.push(socket);
    await connected(socket);
    const answer = await ask(socket, 'message:subscribe', {});
    assert.equal(answer.ok, true);
    return socket;
  }

  const actor = (p: TestPerson) => ({ id: p.user.id, roles: p.user.roles, ip: null });
  const emailsTo = async (email: string): Promise<number> =>
    (await live.haven.mail.outbox.list()).filter((m) => m.to === email).length;

  before(async () => {
    live = await startLiveHaven({ media: false });
    await ensureAdmin(live.haven);
    [client, therapist, stranger] = await Promise.all([
      createPerson(live.haven, { roles: ['client'], displayName: 'Sam Client' }),
      createPerson(live.haven, { roles: ['therapist'], displayName: 'Dr Rivera' }),
      createPerson(live.haven, { roles: ['client'], displayName: 'Stranger' }),
    ]);
    await live.haven.clinical.care.assign(null, therapist.user.id, client.user.id);
    threadId = await live.haven.messaging.inbox.open(actor(client), therapist.user.id);
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  after(async () => live?.stop());

  it('pushes a new message to the online therapist, not to a stranger, and sends no email', async () => {
    const therapistSocket = await subscribed(therapist);
    const strangerSocket = await subscribed(stranger);
    let strangerHeard = false;
    strangerSocket.onAny(() => {
      strangerHeard = true;
    });
    const arriving = next(therapistSocket, 'message:new');
    await live.haven.messaging.messages.send(actor(client), threadId, {
      body: 'Are we still on for Tuesday?',
    });
    const pushed = await arriving;
    assert.equal(pushed.message.body, 'Are we still on for Tuesday?');
    assert.equal(pushed.message.senderName, 'Sam Client');
    assert.equal('to' in pushed, false, 'the member list is not sent');
    assert.equal(await emailsTo(therapist.email), 0, 'online: no email');

    // The stranger cannot mark the thread read (same answer as for no thread at all) and heard nothing.
    const refused = await ask(strangerSocket, 'message:mark-read', { threadId });
    assert.equal(refused.ok, false);
    assert.equal(refused.ok ? '' : refused.error.code, 'messaging.not_found');
    assert.equal(strangerHeard, false);
  });

  it('refuses message:subscribe to a peer supporter, as /messages does (issue 16)', async () => {
    const peer = await createPerson(live.haven, { roles: ['peer_supporter'], displayName: 'Pat Peer' });
    const socket = openSocket(live, (await signInCookie(live, peer)).header);
    sockets.push(socket);
    await connected(socket);
    const answer = await ask(socket, 'message:subscribe', {});
    assert.equal(answer.ok ? '' : answer.error.code, 'messaging.forbidden');
    assert.equal(live.haven.messaging.presence.isOnline(peer.user.id), false, 'not counted as online');
  });

  it("writes a socket's refusals in its person's language, as their pages are", async () => {
    const [spanish, frenchPeer] = await Promise.all([
      createPerson(live.haven, { roles: ['client'], language: 'es' }),
      createPerson(live.haven, { roles: ['peer_supporter'], language: 'fr' }),
    ]);
    /** A socket signed in as `person`, once it is connected. */
    async function socketOf(person: TestPerson): Promise<TestSocket> {
      const socket = openSocket(live, (await signInCookie(live, person)).header);
      sockets.push(socket);
      await connected(socket);
      return socket;
    }
    const notHers = await ask(await socketOf(spanish), 'message:mark-read', { threadId });
    assert.deepEqual(notHers, {
      ok: false,
      error: { code: 'messaging.not_found', message: 'Esa conversación no existe.' },
    });
    const refused = await ask(await socketOf(frenchPeer), 'message:subscribe', {});
    assert.deepEqual(refused, {
      ok: false,
      error: { code: 'messaging.forbidden', message: 'La messagerie ne vous est pas accessible.' },
    });
    // An English reader keeps the English words.
    const theirs = await ask(await socketOf(stranger), 'message:mark-read', { threadId });
    assert.equal(theirs.ok ? '' : theirs.error.message, 'There is no such conversation.');
  });

  it('tells the sender when the therapist reads, and both sides when a message is retracted', async () => {
    const clientSocket = await subscribed(client);
    const therapistSocket = await subscribed(therapist);
    const sent = await live.haven.messaging.messages.send(actor(client), threadId, {
      body: 'second thoughts',
    });
    const read = next(clientSocket, 'message:read');
    const answer = await ask(therapistSocket, 'message:mark-read', { threadId });
    assert.equal(answer.ok, true);
    const receipt = await read;
    assert.equal(receipt.readerId, therapist.user.id);
    assert.equal(receipt.seq, sent.seq);

    // A page that subscribes after the read went out (the sender's page reloading after Send)
    // learns it from its own catch-up request instead of showing "Sent" until the next reload.
    const reloaded = await subscribed(client);
    const catchUp = await ask(reloaded, 'message:mark-read', { threadId });
    assert.equal(catchUp.ok ? catchUp.data.othersRead : catchUp.error.code, sent.seq);
    const therapistCatchUp = await ask(therapistSocket, 'message:mark-read', { threadId });
    assert.equal(therapistCatchUp.ok ? therapistCatchUp.data.othersRead : 'refused', sent.seq);
    reloaded.disconnect();

    const retracted = next(therapistSocket, 'message:retracted');
    await live.haven.messaging.messages.retract(actor(client), sent.id);
    assert.deepEqual(await retracted, { threadId, messageId: sent.id });
  });

  it('emails once the therapist has no messaging page open', async () => {
    const socket = await subscribed(therapist);
    socket.disconnect();
    // The server notices the disconnect asynchronously.
    for (let i = 0; i < 50 && live.haven.messaging.presence.isOnline(therapist.user.id); i += 1) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(live.haven.messaging.presence.isOnline(therapist.user.id), false);
    await live.haven.messaging.messages.send(actor(client), threadId, { body: 'offline now' });
    assert.equal(await emailsTo(therapist.email), 1);
  });
});
