import assert from 'node:assert/strict';
import type { GroupActor } from '../../../server/groups';
import { createPerson, type TestPerson } from '../../support/accounts';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { auditActions } from '../../support/audit-trail';

/** Peer-support groups, the domain: who creates, who joins as whom, who sees which names. */
describe('groups: pseudonymous membership, approval, removal, guidelines', () => {
  let t: TestHaven;
  let admin: TestPerson;
  let peer: TestPerson;
  let therapist: TestPerson;
  let ana: TestPerson;
  let ben: TestPerson;
  let cy: TestPerson;
  const as = (p: TestPerson): GroupActor => ({ id: p.user.id, roles: p.user.roles });

  before(async () => {
    t = await startTestHaven({ env: { GROUPS_ON_CALL_EMAIL: 'theo@example.org' } });
    const make = (roles: Parameters<typeof createPerson>[1]['roles'], displayName: string, email: string) =>
      createPerson(t.haven, { roles, displayName, email, twoFactor: false });
    [admin, peer, therapist, ana, ben, cy] = await Promise.all([
      make(['admin'], 'Ada Admin', 'ada@example.org'),
      make(['peer_supporter'], 'Pat Peer', 'pat@example.org'),
      make(['therapist'], 'Dr Theo', 'theo@example.org'),
      make(['client'], 'Ana Realname', 'ana.realname@example.org'),
      make(['client'], 'Ben Realname', 'ben.realname@example.org'),
      make(['client'], 'Cy Realname', 'cy.realname@example.org'),
    ]);
  });
  after(async () => t?.stop());

  const newGroup = (membership: 'open' | 'approval', capacity = 8) =>
    t.haven.groups.create(as(peer), {
      topic: 'Grief and loss',
      description: 'A weekly circle for people who lost someone.',
      capacity,
      membership,
      facilitatorIds: [peer.user.id],
    });

  it('is created by admins and peer supporters only, with peer supporters or therapists facilitating', async () => {
    const input = {
      topic: 'Anxiety',
      description: 'Practising calm together.',
      capacity: 6,
      membership: 'open',
      facilitatorIds: [therapist.user.id],
    };
    assert.equal((await t.haven.groups.create(as(admin), input)).guidelinesVersion, 1);
    await assert.rejects(t.haven.groups.create(as(ana), input), { code: 'groups.forbidden' });
    await assert.rejects(t.haven.groups.create(as(therapist), input), { code: 'groups.forbidden' });
    await assert.rejects(t.haven.groups.create(as(peer), { ...input, facilitatorIds: [ana.user.id] }), {
      code: 'groups.not_a_facilitator',
    });
    await assert.rejects(t.haven.groups.create(as(peer), { ...input, capacity: 1 }), {
      code: 'groups.invalid',
    });
  });

  it('shows members only pseudonyms: no real names, emails or user ids in what they receive', async () => {
    const group = await newGroup('open');
    await t.haven.groups.join(as(ana), group.id, 'Willow');
    await t.haven.groups.join(as(ben), group.id, 'Blue Heron');
    const seenByBen = await t.haven.groups.members(as(ben), group.id);
    assert.deepEqual(seenByBen.map((m) => m.pseudonym).sort(), ['Blue Heron', 'Willow']);
    const payload = JSON.stringify(seenByBen);
    for (const secret of [ana.user.id, ana.email, 'Ana Realname', 'Realname', ben.user.id, 'ben.realname']) {
      assert.ok(!payload.includes(secret), `a member's view must not contain ${secret}`);
    }
    // The facilitator sees pseudonyms only (the clinic has not allowed real names); the admin sees them.
    assert.ok(!JSON.stringify(await t.haven.groups.members(as(peer), group.id)).includes('Realname'));
    const seenByAdmin = await t.haven.groups.members(as(admin), group.id);
    assert.deepEqual(seenByAdmin.map((m) => m.realName).sort(), ['Ana Realname', 'Ben Realname']);
    // Someone outside the group sees nothing.
    await assert.rejects(t.haven.groups.members(as(cy), group.id), { code: 'groups.forbidden' });
    await assert.rejects(t.haven.groups.members(as(therapist), group.id), { code: 'groups.forbidden' });
  });

  it('refuses pseudonyms that are taken (any case), look like the real name, or are not names', async () => {
    const group = await newGroup('open');
    await t.haven.groups.join(as(ana), group.id, 'River');
    await assert.rejects(t.haven.groups.join(as(ben), group.id, 'rIVER'), { code: 'groups.pseudonym_taken' });
    await assert.rejects(t.haven.groups.join(as(ben), group.id, 'ben realname'), {
      code: 'groups.pseudonym_is_real_name',
    });
    await assert.rejects(t.haven.groups.join(as(ben), group.id, 'ben.realname'), {
      code: 'groups.pseudonym_is_real_name',
    });
    await assert.rejects(t.haven.groups.join(as(ben), group.id, '<script>'), {
      code: 'groups.invalid_pseudonym',
    });
    await assert.rejects(t.haven.groups.join(as(peer), group.id, 'Facilitator'), {
      code: 'groups.forbidden',
    });
  });

  it('keeps approval-only joiners pending (and invisible to members) until a facilitator approves', async () => {
    const group = await newGroup('approval');
    const pending = await t.haven.groups.join(as(ana), group.id, 'Oak');
    assert.equal(pending.status, 'pending');
    await assert.rejects(t.haven.groups.approve(as(ben), group.id, pending.id), { code: 'groups.forbidden' });
    await t.haven.groups.approve(as(peer), group.id, pending.id);
    await t.haven.groups.join(as(ben), group.id, 'Elm');
    assert.deepEqual(
      (await t.haven.groups.members(as(ana), group.id)).map((m) => m.pseudonym),
      ['Oak'],
      'a pending member is not shown to members',
    );
  });

  it('never lets a removed or blocked member rejoin, under any name', async () => {
    const group = await newGroup('open');
    const a = await t.haven.groups.join(as(ana), group.id, 'Sparrow');
    const b = await t.haven.groups.join(as(ben), group.id, 'Finch');
    await t.haven.groups.remove(as(peer), group.id, a.id, false);
    await t.haven.groups.remove(as(admin), group.id, b.id, true);
    await assert.rejects(t.haven.groups.join(as(ana), group.id, 'Another Name'), {
      code: 'groups.cannot_rejoin',
    });
    await assert.rejects(t.haven.groups.join(as(ben), group.id, 'Finch'), { code: 'groups.cannot_rejoin' });
    assert.equal(await t.haven.groups.mayAttend(ana.user.id, group.id), false);
    await assert.rejects(t.haven.groups.members(as(ana), group.id), { code: 'groups.forbidden' });
  });

  it('fills up: an open group refuses joiners beyond its capacity', async () => {
    const group = await newGroup('open', 2);
    await t.haven.groups.join(as(ana), group.id, 'One');
    await t.haven.groups.join(as(ben), group.id, 'Two');
    await assert.rejects(t.haven.groups.join(as(cy), group.id, 'Three'), { code: 'groups.full' });
  });

  it('needs the current guidelines accepted before a member may attend; a new version asks again', async () => {
    const group = await newGroup('open');
    await t.haven.groups.join(as(ana), group.id, 'Maple');
    assert.equal(await t.haven.groups.mayAttend(ana.user.id, group.id), false);
    await t.haven.groups.acceptGuidelines(as(ana), group.id, 1);
    assert.equal(await t.haven.groups.mayAttend(ana.user.id, group.id), true);
    assert.equal(await t.haven.groups.mayAttend(peer.user.id, group.id), true, 'facilitators attend');
    await assert.rejects(t.haven.groups.publishGuidelines(as(ana), group.id, 'x'.repeat(30)), {
      code: 'groups.forbidden',
    });
    const v2 = await t.haven.groups.publishGuidelines(
      as(peer),
      group.id,
      'Be kind, keep it here, no advice on medication.',
    );
    assert.equal(v2.version, 2);
    assert.equal(await t.haven.groups.mayAttend(ana.user.id, group.id), false);
    await assert.rejects(t.haven.groups.acceptGuidelines(as(ana), group.id, 1), {
      code: 'groups.guidelines_changed',
    });
    await t.haven.groups.acceptGuidelines(as(ana), group.id, 2);
    assert.equal(await t.haven.groups.mayAttend(ana.user.id, group.id), true);
    assert.deepEqual(await auditActions(t.haven, { targetId: group.id, action: 'group.' }), [
      'group.created',
      'group.joined',
      'group.guidelines_accepted',
      'group.guidelines_published',
      'group.guidelines_accepted',
    ]);
  });

  it('lets a facilitator alert the on-call clinician: a dashboard alert with the name, an email without', async () => {
    const group = await newGroup('open');
    const member = await t.haven.groups.join(as(cy), group.id, 'Lantern');
    const reason = 'Lantern said they have stopped eating and feel hopeless';
    await assert.rejects(t.haven.groupAlerts.escalate(as(admin), group.id, member.id, reason), {
      code: 'groups.forbidden',
    });
    await assert.rejects(t.haven.groupAlerts.escalate(as(ana), group.id, member.id, reason), {
      code: 'groups.forbidden',
    });
    const alertId = await t.haven.groupAlerts.escalate(as(peer), group.id, member.id, reason);

    const mail = (await t.haven.mail.outbox.list()).filter((m) => m.to === 'theo@example.org');
    assert.equal(mail.length, 1);
    const email = `${mail[0]!.subject}${mail[0]!.text}`;
    for (const leak of ['eating', 'hopeless', 'Lantern', 'Cy Realname', 'Grief', 'Pat Peer']) {
      assert.ok(!email.includes(leak), `the email must not contain ${leak}`);
    }
    const [rows] = await t.haven.sequelize.query(
      'SELECT reason_enc FROM peer_group_escalations WHERE id = :id',
      {
        replacements: { id: alertId },
      },
    );
    assert.ok(!(rows as { reason_enc: string }[])[0]!.reason_enc.includes('hopeless'), 'sealed at rest');

    await assert.rejects(t.haven.groupAlerts.openFor(as(ana)), { code: 'groups.forbidden' });
    await assert.rejects(t.haven.groupAlerts.openFor(as(peer)), { code: 'groups.forbidden' });
    const alerts = await t.haven.groupAlerts.openFor(as(therapist));
    const alert = alerts.find((a) => a.id === alertId)!;
    assert.equal(alert.memberName, 'Cy Realname');
    assert.equal(alert.reason, reason);
    await t.haven.groupAlerts.acknowledge(as(therapist), alertId);
    assert.ok(!(await t.haven.groupAlerts.openFor(as(therapist))).some((a) => a.id === alertId));
    assert.deepEqual(await auditActions(t.haven, { targetId: alertId }), [
      'group.escalated',
      'group.escalation.read',
      'group.escalation.acknowledged',
    ]);
  });
});
