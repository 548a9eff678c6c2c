import assert from 'node:assert/strict';
import request from 'supertest';
import { createApp } from '../../../server/app';
import { TwoFactorService } from '../../../server/accounts';
import type { FakeClock } from '../../../server/shared/clock';
import { createLogger } from '../../../server/shared/logger';
import { createPerson, csrfFrom, ensureAdmin, signIn } from '../../support/accounts';
import { startClinic } from '../../support/clinic';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { auditActions } from '../../support/audit-trail';

function sessionCookie(res: request.Response, name = 'haven.sid'): string {
  const raw = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const line = raw.find((c) => c.startsWith(`${name}=`));
  assert.ok(line, `no ${name} cookie set`);
  return line;
}

const value = (setCookie: string): string => setCookie.split(';')[0]!;

describe('accounts: sessions', () => {
  let t: TestHaven;
  let clock: FakeClock;
  beforeEach(async () => {
    ({ t, clock } = await startClinic());
  });
  afterEach(async () => t.stop());

  it('issues a new session id at sign-in: a cookie planted before is dead afterwards (fixation)', async () => {
    const person = await createPerson(t.haven, { roles: ['client'] });
    const page = await request(t.haven.http).get('/sign-in').expect(200);
    const before = value(sessionCookie(page));
    const res = await request(t.haven.http)
      .post('/sign-in')
      .set('Cookie', before)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: person.email, password: person.password })
      .expect(303);
    const after = value(sessionCookie(res));
    assert.notEqual(after, before);
    await request(t.haven.http).get('/account').set('Cookie', after).expect(200);
    await request(t.haven.http)
      .get('/account')
      .set('Cookie', before)
      .expect(302)
      .expect('location', '/sign-in');
  });

  it('regenerates again after the second factor, so the half-signed-in id is dead too', async () => {
    const person = await createPerson(t.haven, { roles: ['therapist'] });
    const page = await request(t.haven.http).get('/sign-in').expect(200);
    const first = await request(t.haven.http)
      .post('/sign-in')
      .set('Cookie', value(sessionCookie(page)))
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: person.email, password: person.password })
      .expect(303)
      .expect('location', '/sign-in/two-factor');
    const pending = value(sessionCookie(first));
    // Half-way is not signed in.
    await request(t.haven.http).get('/account').set('Cookie', pending).expect(302);
    const challenge = await request(t.haven.http)
      .get('/sign-in/two-factor')
      .set('Cookie', pending)
      .expect(200);
    clock.advance(30_000);
    const done = await request(t.haven.http)
      .post('/sign-in/two-factor')
      .set('Cookie', pending)
      .type('form')
      .send({
        _csrf: csrfFrom(challenge.text),
        code: TwoFactorService.codeFor(person.totpSecret!, clock.now()),
      })
      .expect(303);
    const signedIn = value(sessionCookie(done));
    assert.notEqual(signedIn, pending);
    await request(t.haven.http).get('/account').set('Cookie', signedIn).expect(200);
    await request(t.haven.http).get('/account').set('Cookie', pending).expect(302);
  });

  it('sets HttpOnly and SameSite=Lax over HTTP; adds Secure and the __Host- prefix over HTTPS', async () => {
    const page = await request(t.haven.http).get('/sign-in').expect(200);
    const plain = sessionCookie(page);
    assert.match(plain, /; HttpOnly/i);
    assert.match(plain, /; SameSite=Lax/i);
    assert.match(plain, /; Path=\//i);
    assert.doesNotMatch(plain, /; Secure/i);

    const https = await startTestHaven({
      env: { PUBLIC_URL: 'https://care.example.org', TRUST_PROXY: 'loopback' },
    });
    try {
      await ensureAdmin(https.haven);
      const res = await request(https.haven.http)
        .get('/sign-in')
        .set('X-Forwarded-Proto', 'https')
        .expect(200);
      const secure = sessionCookie(res, '__Host-haven.sid');
      assert.match(secure, /; Secure/i);
      assert.match(secure, /; HttpOnly/i);
      assert.match(secure, /; SameSite=Lax/i);
      assert.match(secure, /; Path=\//i);
      assert.doesNotMatch(secure, /; Domain=/i, '__Host- cookies never carry a Domain');
    } finally {
      await https.stop();
    }
  });

  it('signs out after 30 idle minutes (fake clock)', async () => {
    const person = await createPerson(t.haven, { roles: ['client'] });
    const session = await signIn(t.haven, person, () => clock.now());
    clock.advance(29 * 60_000);
    await session.agent.get('/account').expect(200);
    clock.advance(29 * 60_000);
    await session.agent.get('/account').expect(200); // activity keeps the session alive
    clock.advance(30 * 60_000 + 1000);
    await session.agent.get('/account').expect(302).expect('location', '/sign-in');
  });

  it('writes the idle deadline at most once a minute, and signs out exact to the minute (fake clock)', async () => {
    const person = await createPerson(t.haven, { roles: ['client'] });
    const session = await signIn(t.haven, person, () => clock.now());
    const lastWrite = async (): Promise<number> => {
      const [only] = await t.haven.accounts.sessions.repository.listForUser(person.user.id, clock.now());
      assert.ok(only, 'the session row is there');
      return only.lastSeenAt.getTime();
    };
    await session.agent.get('/account').expect(200); // the first page also creates the CSRF token
    const signedInAt = clock.now().getTime();
    assert.equal(await lastWrite(), signedInAt);

    // Requests within a minute of the last write change nothing in the database...
    clock.advance(50_000);
    await session.agent.get('/account').expect(200);
    assert.equal(await lastWrite(), signedInAt, 'no write 50 s after the last one');
    // ...so the deadline stays 30 minutes after that write: 29 min 10 s after the last request
    // the session is over (never later than 30 idle minutes, at most one minute early).
    clock.advance(29 * 60_000 + 10_000);
    await session.agent.get('/account').expect(302).expect('location', '/sign-in');

    const again = await signIn(t.haven, person, () => clock.now());
    await again.agent.get('/account').expect(200);
    clock.advance(61_000);
    await again.agent.get('/account').expect(200);
    assert.equal(await lastWrite(), clock.now().getTime(), 'written a minute after the last write');
    clock.advance(30 * 60_000 - 1000);
    await again.agent.get('/account').expect(200); // 1 s before the idle deadline: still signed in
    clock.advance(30 * 60_000 + 1000);
    await again.agent.get('/account').expect(302).expect('location', '/sign-in');
  });

  it('signs out 12 hours after sign-in however active the person is (fake clock)', async () => {
    const person = await createPerson(t.haven, { roles: ['client'] });
    const session = await signIn(t.haven, person, () => clock.now());
    let elapsed = 0;
    while (elapsed + 20 * 60_000 < 12 * 3_600_000) {
      clock.advance(20 * 60_000);
      elapsed += 20 * 60_000;
      await session.agent.get('/account').expect(200);
    }
    clock.advance(12 * 3_600_000 - elapsed + 1000);
    await session.agent.get('/account').expect(302).expect('location', '/sign-in');
  });

  it('honours configured timeouts', async () => {
    const short = await startTestHaven({
      clock,
      env: { SESSION_IDLE_MINUTES: '5', SESSION_ABSOLUTE_HOURS: '1' },
    });
    try {
      await ensureAdmin(short.haven);
      const person = await createPerson(short.haven, { roles: ['client'] });
      const session = await signIn(short.haven, person, () => clock.now());
      clock.advance(6 * 60_000);
      await session.agent.get('/account').expect(302);
    } finally {
      await short.stop();
    }
  });

  it('keeps people signed in across a restart (sessions live in the database)', async () => {
    const person = await createPerson(t.haven, { roles: ['client'] });
    const page = await request(t.haven.http).get('/sign-in');
    const res = await request(t.haven.http)
      .post('/sign-in')
      .set('Cookie', value(sessionCookie(page)))
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: person.email, password: person.password })
      .expect(303);
    const cookie = value(sessionCookie(res));
    const second = await createApp({ config: t.config, logger: createLogger('silent'), clock });
    try {
      await request(second.http).get('/account').set('Cookie', cookie).expect(200);
    } finally {
      await second.close();
    }
  });

  it('lists active sessions, signs one out, and signs out everywhere (announcing it for sockets)', async () => {
    const person = await createPerson(t.haven, { roles: ['client'] });
    const events: Array<{ userId: string; sessionId: string | null }> = [];
    t.haven.accounts.sessions.events.on('signedOut', (e) => events.push(e));
    const phone = await signIn(t.haven, person, () => clock.now());
    const laptop = await signIn(t.haven, person, () => clock.now());
    const list = await laptop.agent.get('/account/sessions').set('User-Agent', 'Laptop').expect(200);
    const ids = [...list.text.matchAll(/action="\/account\/sessions\/([0-9a-f]{64})\/sign-out"/g)].map(
      (m) => m[1]!,
    );
    assert.equal(ids.length, 1, 'the other session can be signed out; this one is marked as this browser');
    assert.match(list.text, /\(this browser\)/);
    await laptop.agent
      .post(`/account/sessions/${ids[0]}/sign-out`)
      .type('form')
      .send({ _csrf: csrfFrom(list.text) })
      .expect(303);
    await phone.agent.get('/account').expect(302);
    assert.deepEqual(events, [{ userId: person.user.id, sessionId: ids[0] }]);

    const tablet = await signIn(t.haven, person, () => clock.now());
    await laptop.agent
      .post('/account/sessions/sign-out-everywhere')
      .type('form')
      .send({ _csrf: await laptop.csrf() })
      .expect(303);
    await laptop.agent.get('/account').expect(302);
    await tablet.agent.get('/account').expect(302);
    assert.deepEqual(events.at(-1), { userId: person.user.id, sessionId: null });
  });

  it('signs out other sessions when the password changes, keeping this one', async () => {
    const person = await createPerson(t.haven, { roles: ['client'] });
    const other = await signIn(t.haven, person, () => clock.now());
    const here = await signIn(t.haven, person, () => clock.now());
    const page = await here.agent.get('/account/password').expect(200);
    const wrong = await here.agent
      .post('/account/password')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        currentPassword: 'not it at all',
        newPassword: 'a brand new long phrase 7',
      });
    assert.equal(wrong.status, 400);
    assert.match(wrong.text, /not your current password/);
    await here.agent
      .post('/account/password')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        currentPassword: person.password,
        newPassword: 'a brand new long phrase 7',
      })
      .expect(303);
    await here.agent.get('/account').expect(200);
    await other.agent.get('/account').expect(302);
    const audit = await auditActions(t.haven, { action: 'auth.password_changed' });
    assert.equal(audit.length, 1);
    const notices = (await t.haven.mail.outbox.list()).filter((m) => m.to === person.email);
    assert.equal(notices.length, 1, 'the person is told their password changed');
    assert.match(notices[0]!.text, /password of your account was changed/);
    assert.doesNotMatch(notices[0]!.text, /brand new/);
  });

  it('sign-out is POST-only with a CSRF token, and ends the session for good', async () => {
    const person = await createPerson(t.haven, { roles: ['client'] });
    const session = await signIn(t.haven, person, () => clock.now());
    await session.agent.get('/sign-out').expect(404);
    await session.agent.post('/sign-out').type('form').send({}).expect(403);
    await session.agent.get('/account').expect(200);
    await session.agent
      .post('/sign-out')
      .type('form')
      .send({ _csrf: await session.csrf() })
      .expect(303);
    await session.agent.get('/account').expect(302);
  });
});
