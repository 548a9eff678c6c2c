import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { createPerson, csrfFrom, ensureAdmin, signIn, type SignedInSession } from '../../support/accounts';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { auditActions } from '../../support/audit-trail';

/**
 * Group meeting pages: facilitators schedule (one or weekly) and cancel; members see the meetings
 * and "Join" only while the room is open and once they accepted the guidelines; the join link takes
 * a member to the meeting's room, whose page knows them by pseudonym; reports are for facilitators.
 */
describe('group meeting pages', function () {
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
    const group = await t.haven.groups.create(
      { id: p.user.id, roles: p.user.roles },
      {
        topic: 'Evening circle',
        description: 'A weekly peer-support meeting.',
        capacity: 6,
        membership: 'open',
        facilitatorIds: [p.user.id],
      },
    );
    groupId = group.id;
    await t.haven.groups.join({ id: a.user.id, roles: a.user.roles }, groupId, 'Moonbeam');
    await t.haven.groups.join({ id: b.user.id, roles: b.user.roles }, groupId, 'Night Owl');
    await t.haven.groups.acceptGuidelines({ id: b.user.id, roles: b.user.roles }, groupId, 1);
  });
  after(async () => t?.stop());

  async function post(
    session: SignedInSession,
    path: string,
    fields: Record<string, string>,
    status: number,
  ) {
    const page = await session.agent.get(`/groups/${groupId}`);
    return session.agent
      .post(path)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), ...fields })
      .expect(status);
  }

  it('facilitators schedule weekly meetings; bad input schedules nothing; members cannot schedule', async () => {
    const zone = peer.person.user.timeZone;
    const soon = DateTime.now().setZone(zone).plus({ minutes: 5 });
    await post(
      peer,
      `/groups/${groupId}/meetings`,
      { date: '2020-01-01', time: '18:00', durationMinutes: '60' },
      303,
    );
    await post(
      peer,
      `/groups/${groupId}/meetings`,
      { date: 'tomorrow', time: '18:00', durationMinutes: '60' },
      303,
    );
    assert.equal((await t.haven.groupMeetings.upcoming(groupId, 0)).length, 0, 'nothing from bad input');
    await post(
      ben,
      `/groups/${groupId}/meetings`,
      { date: soon.toISODate() ?? '', time: '18:00', durationMinutes: '60' },
      403,
    );
    await post(
      peer,
      `/groups/${groupId}/meetings`,
      { date: soon.toISODate() ?? '', time: soon.toFormat('HH:mm'), durationMinutes: '45', repeatWeeks: '3' },
      303,
    );
    const meetings = await t.haven.groupMeetings.upcoming(groupId, 0);
    assert.equal(meetings.length, 3);
    assert.equal(meetings[0]!.endsAt.getTime() - meetings[0]!.startsAt.getTime(), 45 * 60_000);
  });

  it('shows Join only while open and to members who accepted the guidelines; the room page uses pseudonyms', async () => {
    const [first, second] = await t.haven.groupMeetings.upcoming(groupId, 0);
    const benPage = (await ben.agent.get(`/groups/${groupId}`).expect(200)).text;
    assert.equal((benPage.match(/>Join<\/a>/g) ?? []).length, 1, 'only the meeting about to start is open');
    assert.ok(benPage.includes(`/groups/${groupId}/meetings/${first!.id}`));
    assert.ok(!benPage.includes(`/groups/${groupId}/meetings/${second!.id}"`));
    const anaPage = (await ana.agent.get(`/groups/${groupId}`).expect(200)).text;
    assert.match(anaPage, /Accept the guidelines above to join/);
    await ana.agent.get(`/groups/${groupId}/meetings/${first!.id}`).expect(403);

    const entered = await ben.agent.get(`/groups/${groupId}/meetings/${first!.id}`).expect(303);
    const roomPage = (await ben.agent.get(entered.headers.location as string).expect(200)).text;
    assert.match(roomPage, /Others see you as <strong>Night Owl<\/strong>/);
    const member = await t.haven.groups.membershipOf(groupId, ben.person.user.id);
    assert.match(roomPage, new RegExp(`data-self-id="${member!.id}"`));
    for (const secret of [ben.person.user.id, 'Ben Realname', 'Ana Realname', peer.person.user.id]) {
      assert.ok(!roomPage.slice(roomPage.indexOf('<main')).includes(secret), `room page carries ${secret}`);
    }
  });

  it('reports are listed for facilitators only, and cancelling takes a meeting off the page', async () => {
    const [first] = await t.haven.groupMeetings.upcoming(groupId, 0);
    const member = await t.haven.groups.membershipOf(groupId, ana.person.user.id);
    await t.haven.groupMeetings.report({ id: ben.person.user.id, roles: ben.person.user.roles }, first!.id, {
      aboutMemberId: member!.id,
      reason: 'Asked for my phone number',
    });
    const seenByPeer = (await peer.agent.get(`/groups/${groupId}`).expect(200)).text;
    assert.match(seenByPeer, /<strong>Night Owl<\/strong> reported Moonbeam: Asked for my phone number/);
    const seenByBen = (await ben.agent.get(`/groups/${groupId}`).expect(200)).text;
    assert.ok(!seenByBen.includes('Asked for my phone number'));
    const reads = await auditActions(t.haven, { action: 'group.reports_read' });
    assert.ok(reads.length >= 1, 'reading reports is audited');

    await post(ben, `/groups/${groupId}/meetings/${first!.id}/cancel`, {}, 403);
    await post(peer, `/groups/${groupId}/meetings/${first!.id}/cancel`, {}, 303);
    const after = await t.haven.groupMeetings.upcoming(groupId, 0);
    assert.ok(!after.some((m) => m.id === first!.id));
    await ben.agent.get(`/groups/${groupId}/meetings/${first!.id}`).expect(404);
  });
});
