import assert from 'node:assert/strict';
import request from 'supertest';
import type { FakeClock } from '../../../server/shared/clock';
import { createPerson, csrfFrom, signIn } from '../../support/accounts';
import { startClinic } from '../../support/clinic';
import type { TestHaven } from '../../support/test-haven';

const seenLinks = new Set<string>();

/** The link in the newest mail to `to` (one not returned before: the outbox has no order within a tick). */
async function linkIn(t: TestHaven, to: string, path: string): Promise<string> {
  // Reset requests are handled after the answer (issue 16): wait for them first.
  await t.haven.accounts.lifecycle.settled();
  const mails = (await t.haven.mail.outbox.list()).filter((m) => m.to === to);
  const pattern = new RegExp(`${t.config.http.publicUrl}(/${path}/[A-Za-z0-9_%-]+)`);
  const links = mails
    .map((m) => pattern.exec(m.text)?.[1])
    .filter((l): l is string => !!l && !seenLinks.has(l));
  assert.equal(links.length, 1, `expected one new /${path}/ link to ${to}`);
  seenLinks.add(links[0]!);
  return links[0]!;
}

describe('accounts: sign-up, verification, reset, mass assignment', () => {
  let t: TestHaven;
  let clock: FakeClock;
  beforeEach(async () => {
    ({ t, clock } = await startClinic());
  });
  afterEach(async () => t.stop());

  it('signs a client up, verifies the address by a single-use link, and ignores posted roles', async () => {
    const agent = request.agent(t.haven.http);
    const page = await agent.get('/sign-up').expect(200);
    const bad = await agent
      .post('/sign-up')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        displayName: 'Robin',
        email: 'robin@example.org',
        password: 'short',
      });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /value="robin@example.org"/);
    assert.match(bad.text, /id="f-password-error"/);
    await agent
      .post('/sign-up')
      .type('form')
      .send({
        _csrf: csrfFrom(bad.text),
        displayName: 'Robin',
        email: 'Robin@Example.org',
        password: 'a long enough passphrase',
        roles: 'admin',
        role: 'admin',
        emailVerified: 'true',
      })
      .expect(200);
    const user = (await t.haven.accounts.list()).find((u) => u.email === 'robin@example.org')!;
    assert.deepEqual(user.roles, ['client'], 'mass assignment: posted roles are ignored');
    assert.equal(user.emailVerified, false);

    const firstLink = await linkIn(t, 'robin@example.org', 'verify-email');
    // Not verified yet: sign-in is refused (and a fresh link is sent, retiring the first).
    const signInPage = await agent.get('/sign-in');
    await agent
      .post('/sign-in')
      .type('form')
      .send({
        _csrf: csrfFrom(signInPage.text),
        email: 'robin@example.org',
        password: 'a long enough passphrase',
      })
      .expect(403);
    const link = await linkIn(t, 'robin@example.org', 'verify-email');
    const confirm = await agent.get(link).expect(200);
    await agent
      .post(firstLink)
      .type('form')
      .send({ _csrf: csrfFrom(confirm.text) })
      .expect(400);
    await agent
      .post(link)
      .type('form')
      .send({ _csrf: csrfFrom(confirm.text) })
      .expect(303);
    await agent
      .post(link)
      .type('form')
      .send({ _csrf: csrfFrom(confirm.text) })
      .expect(400);
    assert.equal((await t.haven.accounts.byId(user.id))!.emailVerified, true);
    const mail = (await t.haven.mail.outbox.list()).find((m) => m.to === 'robin@example.org')!;
    assert.doesNotMatch(mail.text, /passphrase/);
  });

  it('answers a sign-up for a registered address exactly like a new one, and sends nothing', async () => {
    const person = await createPerson(t.haven, { roles: ['client'] });
    const agent = request.agent(t.haven.http);
    const page = await agent.get('/sign-up');
    const res = await agent
      .post('/sign-up')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        displayName: 'X',
        email: person.email,
        password: 'another long passphrase',
      })
      .expect(200);
    assert.match(res.text, /Check your email/);
    assert.equal((await t.haven.mail.outbox.list()).filter((m) => m.to === person.email).length, 0);
  });

  it('closes self sign-up when the admin switches it off', async () => {
    await t.haven.accounts.clinic.update({ selfSignup: false });
    await request(t.haven.http).get('/sign-up').expect(404);
    const home = await request(t.haven.http).get('/').expect(200);
    assert.doesNotMatch(home.text, /href="\/sign-up"/);
  });

  it('ignores role, email and status posted to the profile form', async () => {
    const person = await createPerson(t.haven, { roles: ['client'] });
    const session = await signIn(t.haven, person, () => clock.now());
    await session.agent
      .post('/account/profile')
      .type('form')
      .send({
        _csrf: await session.csrf(),
        displayName: 'Kim',
        fullName: 'Kim Park',
        timeZone: 'Europe/Lisbon',
        language: 'pt',
        roles: 'admin',
        role: 'admin',
        email: 'evil@example.org',
        status: 'deactivated',
      })
      .expect(303);
    const after = (await t.haven.accounts.byId(person.user.id))!;
    assert.deepEqual(after.roles, ['client']);
    assert.equal(after.email, person.email);
    assert.equal(after.status, 'active');
    assert.equal(after.displayName, 'Kim');
    assert.equal(after.timeZone, 'Europe/Lisbon');
    assert.equal(after.language, 'pt');
    const bad = await session.agent
      .post('/account/profile')
      .type('form')
      .send({
        _csrf: await session.csrf(),
        displayName: '',
        fullName: 'Kept',
        timeZone: 'Mars/Olympus',
        language: 'pt',
      });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /value="Kept"/);
    // Their profile now reads Portuguese: so does the problem under the field.
    assert.match(bad.text, /Escolha um fuso horário da lista\./);
    assert.doesNotMatch(bad.text, /Choose a time zone/);
  });

  it('resets a password once with a 30-minute link, with no hint whether the address exists', async () => {
    const person = await createPerson(t.haven, { roles: ['client'] });
    const other = await signIn(t.haven, person, () => clock.now());
    const agent = request.agent(t.haven.http);
    const page = await agent.get('/forgot-password');
    const known = await agent
      .post('/forgot-password')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: person.email })
      .expect(200);
    const unknown = await agent
      .post('/forgot-password')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: 'nobody@example.org' })
      .expect(200);
    const strip = (s: string) => s.replace(/<strong>[^<]*<\/strong>/g, '');
    assert.equal(strip(known.text), strip(unknown.text));
    // Handled after the answer: one audit row each; only the registered address names its account.
    await t.haven.accounts.lifecycle.settled();
    const rows = await t.haven.audit.search({ action: 'auth.password_reset.' }, { offset: 0, limit: 10 });
    const actions = rows.events.map((r) => `${r.action} ${r.targetId ?? '-'}`).sort();
    assert.deepEqual(actions, [
      `auth.password_reset.requested ${person.user.id}`,
      'auth.password_reset.unknown_address -',
    ]);

    const link = await linkIn(t, person.email, 'reset-password');
    const form = await agent.get(link).expect(200);
    const common = await agent
      .post(link)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), password: 'iloveyou1234' });
    assert.equal(common.status, 400, 'a common password is refused');
    await agent
      .post(link)
      .type('form')
      .send({ _csrf: csrfFrom(common.text), password: 'my fresh secret phrase' })
      .expect(303);
    // Reuse is refused (with a fresh CSRF token: the reset started a new session).
    const fresh = csrfFrom((await agent.get('/sign-in')).text);
    const reuse = await agent
      .post(link)
      .type('form')
      .send({ _csrf: fresh, password: 'yet another long phrase' });
    assert.equal(reuse.status, 400);
    await agent.get(link).expect(400);
    // Every earlier session was signed out.
    await other.agent.get('/account').expect(302);
    await signIn(t.haven, { ...person, password: 'my fresh secret phrase' }, () => clock.now());
  });

  it('refuses a reset link after 30 minutes, and an older link once a newer one is sent', async () => {
    const person = await createPerson(t.haven, { roles: ['client'] });
    const agent = request.agent(t.haven.http);
    const page = await agent.get('/forgot-password');
    await agent
      .post('/forgot-password')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: person.email })
      .expect(200);
    const first = await linkIn(t, person.email, 'reset-password');
    clock.advance(31 * 60_000);
    const expired = await agent.get(first).expect(400);
    // (The idle visitor session expired too, so the form needs a new CSRF token.)
    const token = csrfFrom((await agent.get('/forgot-password')).text);
    await agent
      .post(first)
      .type('form')
      .send({ _csrf: token, password: 'my fresh secret phrase' })
      .expect(400);
    assert.match(expired.text, /expired or has already been used/);

    await agent.post('/forgot-password').type('form').send({ _csrf: token, email: person.email }).expect(200);
    const second = await linkIn(t, person.email, 'reset-password');
    await agent.post('/forgot-password').type('form').send({ _csrf: token, email: person.email }).expect(200);
    const third = await linkIn(t, person.email, 'reset-password');
    assert.notEqual(second, third);
    await agent.get(second).expect(400);
    await agent.get(third).expect(200);
    const tokens = await t.haven.sequelize.query('SELECT token_hash FROM account_tokens', { type: 'SELECT' });
    const raw = third.split('/').at(-1)!;
    assert.ok(
      tokens.every((r) => (r as { token_hash: string }).token_hash !== raw),
      'tokens are stored hashed',
    );
  });
});
