import assert from 'node:assert/strict';
import request from 'supertest';
import { TwoFactorService } from '../../../server/accounts';
import type { FakeClock } from '../../../server/shared/clock';
import { createPerson, csrfFrom, signIn, TEST_PASSWORD, toTwoFactorChallenge } from '../../support/accounts';
import { startClinic } from '../../support/clinic';
import type { TestHaven } from '../../support/test-haven';
import { auditActions } from '../../support/audit-trail';

describe('accounts: two-factor and invitations', () => {
  let t: TestHaven;
  let clock: FakeClock;
  beforeEach(async () => {
    ({ t, clock } = await startClinic());
  });
  afterEach(async () => t.stop());

  it('refuses a replayed TOTP code, even in a fresh sign-in within the same 30 seconds', async () => {
    const person = await createPerson(t.haven, { roles: ['therapist'] });
    clock.advance(60_000);
    const code = TwoFactorService.codeFor(person.totpSecret!, clock.now());
    const first = await toTwoFactorChallenge(t.haven, person);
    await first.agent.post('/sign-in/two-factor').type('form').send({ _csrf: first.token, code }).expect(303);
    const second = await toTwoFactorChallenge(t.haven, person);
    const replay = await second.agent
      .post('/sign-in/two-factor')
      .type('form')
      .send({ _csrf: second.token, code });
    assert.equal(replay.status, 401);
    await second.agent.get('/account').expect(302);
    // The next step's code works.
    clock.advance(30_000);
    await second.agent
      .post('/sign-in/two-factor')
      .type('form')
      .send({ _csrf: second.token, code: TwoFactorService.codeFor(person.totpSecret!, clock.now()) })
      .expect(303);
    const events = await auditActions(t.haven, { action: 'auth.two_factor.' });
    assert.ok(events.some((action) => action === 'auth.two_factor.failed'));
  });

  it('accepts each recovery code once, stores them hashed, and the codes are 10', async () => {
    const person = await createPerson(t.haven, { roles: ['admin'] });
    const codes = await t.haven.accounts.twoFactor.regenerateRecoveryCodes(person.user.id, null);
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    const stored = (await t.haven.sequelize.query('SELECT code_hash FROM recovery_codes', {
      type: 'SELECT',
    })) as Array<{
      code_hash: string;
    }>;
    for (const code of codes) assert.ok(stored.every((r) => !r.code_hash.includes(code.replace(/-/g, ''))));
    const first = await toTwoFactorChallenge(t.haven, person);
    await first.agent
      .post('/sign-in/two-factor')
      .type('form')
      .send({ _csrf: first.token, code: codes[3]!.toLowerCase() })
      .expect(303)
      .expect('location', '/account/two-factor');
    const page = await first.agent.get('/account/two-factor').expect(200);
    assert.match(page.text, /9 remain/);
    const second = await toTwoFactorChallenge(t.haven, person);
    await second.agent
      .post('/sign-in/two-factor')
      .type('form')
      .send({ _csrf: second.token, code: codes[3] })
      .expect(401);
  });

  it('the TOTP secret is encrypted at rest', async () => {
    const person = await createPerson(t.haven, { roles: ['therapist'] });
    const rows = (await t.haven.sequelize.query('SELECT secret_encrypted FROM user_totp WHERE user_id = ?', {
      replacements: [person.user.id],
      type: 'SELECT',
    })) as Array<{ secret_encrypted: string }>;
    assert.match(rows[0]!.secret_encrypted, /^hv1\./);
    assert.ok(!rows[0]!.secret_encrypted.includes(person.totpSecret!));
  });

  it('lets a client switch two-factor off with the password, never an admin or therapist', async () => {
    const client = await createPerson(t.haven, { roles: ['client'], twoFactor: true });
    const session = await signIn(t.haven, client, () => clock.now());
    await session.agent
      .post('/account/two-factor/disable')
      .type('form')
      .send({ _csrf: await session.csrf(), currentPassword: 'wrong one' })
      .expect(303);
    assert.equal((await t.haven.accounts.byId(client.user.id))!.twoFactorEnabled, true);
    await session.agent
      .post('/account/two-factor/disable')
      .type('form')
      .send({ _csrf: await session.csrf(), currentPassword: TEST_PASSWORD })
      .expect(303);
    assert.equal((await t.haven.accounts.byId(client.user.id))!.twoFactorEnabled, false);
    const therapist = await createPerson(t.haven, { roles: ['therapist'] });
    clock.advance(30_000);
    const staff = await signIn(t.haven, therapist, () => clock.now());
    await staff.agent
      .post('/account/two-factor/disable')
      .type('form')
      .send({ _csrf: await staff.csrf(), currentPassword: TEST_PASSWORD })
      .expect(403);
  });

  it('invites a therapist by a single-use 7-day link; the invitee sets a password and must enrol 2FA', async () => {
    const admin = await createPerson(t.haven, { roles: ['admin'] });
    const session = await signIn(t.haven, admin, () => clock.now());
    const page = await session.agent.get('/invitations').expect(200);
    await session.agent
      .post('/invitations')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: 'new.therapist@example.org', role: 'therapist' })
      .expect(303);
    const mail = (await t.haven.mail.outbox.list()).find((m) => m.to === 'new.therapist@example.org')!;
    const link = /http:\/\/[^/]+(\/invite\/[A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    const invitee = request.agent(t.haven.http);
    const form = await invitee.get(link).expect(200);
    await invitee
      .post(link)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), displayName: 'Dr. New', password: TEST_PASSWORD, role: 'admin' })
      .expect(303)
      .expect('location', '/account/two-factor/enrol');
    const created = (await t.haven.accounts.list()).find((u) => u.email === 'new.therapist@example.org')!;
    assert.deepEqual(created.roles, ['therapist']);
    await invitee.get('/').expect(302).expect('location', '/account/two-factor/enrol');
    // Single use.
    await request(t.haven.http).get(link).expect(404);
    const audit = await auditActions(t.haven, { action: 'invitation.' });
    assert.deepEqual(audit.sort(), ['invitation.accepted', 'invitation.created']);
  });

  it('revoked and expired invitations no longer work; therapists may only invite clients', async () => {
    const therapist = await createPerson(t.haven, { roles: ['therapist'] });
    const actor = { ...therapist.user };
    await assert.rejects(
      t.haven.accounts.invitations.invite(actor, 'peer@example.org', 'peer_supporter', null),
      /forbidden/,
    );
    const revoked = await t.haven.accounts.invitations.invite(actor, 'c1@example.org', 'client', null);
    await t.haven.accounts.invitations.invite(actor, 'c2@example.org', 'client', null);
    const links = (await t.haven.mail.outbox.list())
      .map((m) => /(\/invite\/[A-Za-z0-9_-]+)/.exec(m.text)?.[1])
      .filter(Boolean) as string[];
    assert.equal(links.length, 2);
    await t.haven.accounts.invitations.revoke(actor, revoked.id, null);
    await request(t.haven.http).get(links[0]!).expect(404);
    await request(t.haven.http).get(links[1]!).expect(200);
    clock.advance(7 * 24 * 3_600_000 + 1000);
    await request(t.haven.http).get(links[1]!).expect(404);
  });
});
