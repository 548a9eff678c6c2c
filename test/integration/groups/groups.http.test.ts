import assert from 'node:assert/strict';
import { createPerson, csrfFrom, ensureAdmin, signIn, type SignedInSession } from '../../support/accounts';
import { startTestHaven, type TestHaven } from '../../support/test-haven';

/** Group pages: create, join under a pseudonym, accept guidelines; the HTML never carries real names. */
describe('group pages', function () {
  this.timeout(60_000);
  let t: TestHaven;
  let peer: SignedInSession;
  let ana: SignedInSession;
  let ben: SignedInSession;
  let groupId: string;

  before(async () => {
    t = await startTestHaven();
    await ensureAdmin(t.haven);
    const [p, a, b] = await Promise.all([
      createPerson(t.haven, { roles: ['peer_supporter'], displayName: 'Pat Peer' }),
      createPerson(t.haven, { roles: ['client'], displayName: 'Ana Realname' }),
      createPerson(t.haven, { roles: ['client'], displayName: 'Ben Realname' }),
    ]);
    [peer, ana, ben] = [await signIn(t.haven, p), await signIn(t.haven, a), await signIn(t.haven, b)];
  });
  after(async () => t?.stop());

  async function post(
    session: SignedInSession,
    path: string,
    fields: Record<string, string>,
    status: number,
  ) {
    const page = await session.agent.get(path.startsWith('/groups/') ? `/groups/${groupId}` : '/groups');
    return session.agent
      .post(path)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), ...fields })
      .expect(status);
  }

  it('lets a peer supporter create a group and members join under pseudonyms only they chose', async () => {
    const created = await post(
      peer,
      '/groups',
      {
        topic: 'New parents',
        description: 'Sleep, worry and joy, together.',
        capacity: '6',
        membership: 'open',
        facilitatorId: peer.person.user.id,
      },
      303,
    );
    groupId = /\/groups\/([0-9a-f-]{36})$/.exec(created.headers.location ?? '')![1]!;
    const empty = (await peer.agent.get(`/groups/${groupId}`).expect(200)).text;
    assert.match(empty, /Members<\/h2>\s*<p>Nobody has joined yet\./, 'no bare Members heading over nothing');
    assert.doesNotMatch(empty, /class="group-members"/);
    await post(ana, `/groups/${groupId}/join`, { pseudonym: 'Ana Realname' }, 400);
    await post(ana, `/groups/${groupId}/join`, { pseudonym: 'Moonbeam' }, 303);
    await post(ben, `/groups/${groupId}/join`, { pseudonym: 'Night Owl' }, 303);
    await post(ben, `/groups/${groupId}/guidelines/accept`, { version: '1' }, 303);

    const seenByBen = (await ben.agent.get(`/groups/${groupId}`).expect(200)).text;
    assert.match(seenByBen, /Moonbeam/);
    assert.match(seenByBen, /You are in this group as <strong>Night Owl<\/strong>/);
    for (const secret of ['Ana Realname', ana.person.email, ana.person.user.id]) {
      assert.ok(!seenByBen.includes(secret), `the page must not contain ${secret}`);
    }
    const seenByPeer = (await peer.agent.get(`/groups/${groupId}`).expect(200)).text;
    assert.ok(
      !seenByPeer.includes('Ana Realname'),
      'facilitators see pseudonyms unless the clinic allows names',
    );
    assert.match(seenByPeer, /Remove and block/);
  });

  it('removes and blocks from the page; the blocked member cannot join again', async () => {
    const members = await t.haven.groups.members(
      { id: peer.person.user.id, roles: ['peer_supporter'] },
      groupId,
    );
    const moonbeam = members.find((m) => m.pseudonym === 'Moonbeam')!;
    await post(ana, `/groups/${groupId}/members/${moonbeam.memberId}/remove`, { block: 'yes' }, 403);
    await post(peer, `/groups/${groupId}/members/${moonbeam.memberId}/remove`, { block: 'yes' }, 303);
    const page = (await ana.agent.get(`/groups/${groupId}`).expect(200)).text;
    assert.match(page, /no longer a member/);
    assert.ok(!page.includes('Night Owl'), 'a removed member no longer sees the member list');
    await post(ana, `/groups/${groupId}/join`, { pseudonym: 'Someone New' }, 403);
  });
});
