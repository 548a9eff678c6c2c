import assert from 'node:assert/strict';
import request from 'supertest';
import { TwoFactorService } from '../../../server/accounts';
import { csrfFrom, createPerson, ensureAdmin, signIn, TEST_PASSWORD } from '../../support/accounts';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { auditActions } from '../../support/audit-trail';

describe('accounts: setup, sign-in, two-factor gate, sign-out', () => {
  let t: TestHaven;
  beforeEach(async () => {
    t = await startTestHaven();
  });
  afterEach(async () => t.stop());

  it('sends every page to /setup until an admin exists, then /setup is gone for good', async () => {
    const agent = request.agent(t.haven.http);
    await agent.get('/').expect(302).expect('location', '/setup');
    await agent.get('/sign-in').expect(302).expect('location', '/setup');
    const page = await agent.get('/setup').expect(200);
    const bad = await agent
      .post('/setup')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        clinicName: 'Calm Waters',
        displayName: 'Ada',
        email: 'ada@example.org',
        password: 'password1234',
      });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /common or leaked/);
    assert.match(bad.text, /value="Calm Waters"/, 'values survive a bad submit');
    assert.doesNotMatch(bad.text, /password1234/, 'passwords are not echoed back');
    await agent
      .post('/setup')
      .type('form')
      .send({
        _csrf: csrfFrom(bad.text),
        clinicName: 'Calm Waters',
        displayName: 'Ada',
        email: 'ada@example.org',
        password: TEST_PASSWORD,
      })
      .expect(303)
      .expect('location', '/sign-in');
    await agent.get('/setup').expect(404);
    await request(t.haven.http).get('/').expect(200);
    const home = await request(t.haven.http).get('/').expect(200);
    assert.match(home.text, /Calm Waters/);
  });

  it('keeps staff on two-factor enrolment until enrolled, then lets them in', async () => {
    await ensureAdmin(t.haven);
    const therapist = await createPerson(t.haven, { roles: ['therapist'], twoFactor: false });
    const session = await signIn(t.haven, therapist);
    await session.agent.get('/').expect(302).expect('location', '/account/two-factor/enrol');
    const enrol = await session.agent.get('/account/two-factor/enrol').expect(200);
    assert.match(enrol.text, /src="data:image\/svg\+xml;base64,/);
    const secret = /id="totp-secret">([^<]+)</.exec(enrol.text)![1]!.replace(/\s+/g, '');
    const wrong = await session.agent
      .post('/account/two-factor/enrol')
      .type('form')
      .send({ _csrf: csrfFrom(enrol.text), code: '000000' });
    assert.equal(wrong.status, 400);
    await session.agent
      .post('/account/two-factor/enrol')
      .type('form')
      .send({ _csrf: csrfFrom(wrong.text), code: TwoFactorService.codeFor(secret, new Date()) })
      .expect(303);
    const codes = await session.agent.get('/account/two-factor').expect(200);
    assert.equal((codes.text.match(/<li>[A-Z2-7]{4}-/g) ?? []).length, 10);
    await session.agent.get('/').expect(200);
    const notice = (await t.haven.mail.outbox.list()).find((m) => m.to === therapist.email);
    assert.match(notice?.text ?? '', /Two-factor sign-in was turned on/);
    // Shown once only.
    const again = await session.agent.get('/account/two-factor').expect(200);
    assert.doesNotMatch(again.text, /id="recovery-codes"/);
  });

  it('gives the same answer for an unknown address and a wrong password, and audits both', async () => {
    await ensureAdmin(t.haven);
    const client = await createPerson(t.haven, { roles: ['client'] });
    const agent = request.agent(t.haven.http);
    const page = await agent.get('/sign-in').expect(200);
    const unknown = await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: 'nobody@example.org', password: 'whatever it is' });
    const wrong = await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: client.email, password: 'whatever it is' });
    assert.equal(unknown.status, 401);
    assert.equal(wrong.status, 401);
    const strip = (html: string) => html.replace(/value="[^"]*"/g, '');
    assert.equal(strip(unknown.text), strip(wrong.text));
    const events = await auditActions(t.haven, { action: 'auth.sign_in.failed' });
    assert.equal(events.length, 2);
  });

  it('signs out with a POST that destroys the session', async () => {
    await ensureAdmin(t.haven);
    const client = await createPerson(t.haven, { roles: ['client'] });
    const session = await signIn(t.haven, client);
    await session.agent.get('/account/two-factor').expect(200);
    await session.agent
      .post('/sign-out')
      .type('form')
      .send({ _csrf: await session.csrf() })
      .expect(303);
    await session.agent.get('/account/two-factor').expect(302).expect('location', '/sign-in');
  });
});
