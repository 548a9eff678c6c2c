import assert from 'node:assert/strict';
import request from 'supertest';
import { createPerson, csrfFrom, ensureAdmin, signIn, toTwoFactorChallenge } from '../../support/accounts';
import { startTestHaven, type TestHaven } from '../../support/test-haven';

describe('accounts: CSRF and throttling', () => {
  describe('CSRF', () => {
    let t: TestHaven;
    before(async () => {
      t = await startTestHaven();
      await ensureAdmin(t.haven);
    });
    after(async () => t.stop());

    it('refuses a state-changing request without a valid token with 403, and accepts the right one', async () => {
      const person = await createPerson(t.haven, { roles: ['client'] });
      const session = await signIn(t.haven, person);
      const form = { displayName: 'Changed', fullName: '', timeZone: 'UTC', language: 'en' };
      await session.agent.post('/account/profile').type('form').send(form).expect(403);
      await session.agent
        .post('/account/profile')
        .type('form')
        .send({ ...form, _csrf: 'forged' })
        .expect(403);
      // Another visitor's perfectly valid token is not this session's token.
      const stranger = csrfFrom((await request(t.haven.http).get('/sign-in')).text);
      await session.agent
        .post('/account/profile')
        .type('form')
        .send({ ...form, _csrf: stranger })
        .expect(403);
      await session.agent.post('/account/profile').set('X-CSRF-Token', 'forged').send(form).expect(403);
      assert.equal((await t.haven.accounts.byId(person.user.id))!.displayName, person.user.displayName);
      await session.agent
        .post('/account/profile')
        .type('form')
        .send({ ...form, _csrf: await session.csrf() })
        .expect(303);
      assert.equal((await t.haven.accounts.byId(person.user.id))!.displayName, 'Changed');
      // The header form works too (for fetch from our own scripts).
      await session.agent
        .post('/account/profile')
        .set('X-CSRF-Token', await session.csrf())
        .type('form')
        .send({ ...form, displayName: 'Again' })
        .expect(303);
    });

    it('protects the sign-in form too (login CSRF)', async () => {
      await request(t.haven.http)
        .post('/sign-in')
        .type('form')
        .send({ email: 'a@b.c', password: 'x' })
        .expect(403);
    });
  });

  describe('throttling', () => {
    const attempt = (t: TestHaven, agent: request.Agent, token: string, email: string, xff?: string) => {
      const req = agent.post('/sign-in').type('form');
      if (xff) req.set('X-Forwarded-For', xff);
      return req.send({ _csrf: token, email, password: 'definitely wrong password' });
    };

    it('limits failed sign-ins per account, from any number of addresses', async () => {
      const t = await startTestHaven({ env: { AUTH_ATTEMPTS_PER_ACCOUNT: '3', TRUST_PROXY: '1' } });
      try {
        await ensureAdmin(t.haven);
        const person = await createPerson(t.haven, { roles: ['client'] });
        const agent = request.agent(t.haven.http);
        const token = csrfFrom((await agent.get('/sign-in')).text);
        for (let i = 0; i < 3; i += 1) {
          (await attempt(t, agent, token, person.email, `198.51.100.${i}`).expect(401)) as unknown;
        }
        const blocked = await attempt(t, agent, token, person.email, '198.51.100.77');
        assert.equal(blocked.status, 429);
        assert.match(blocked.text, /Too many attempts/);
        // Even the right password is refused until the window passes.
        await agent
          .post('/sign-in')
          .set('X-Forwarded-For', '198.51.100.78')
          .type('form')
          .send({ _csrf: token, email: person.email, password: person.password })
          .expect(429);
        // Another account is unaffected.
        await attempt(t, agent, token, 'someone-else@example.org', '198.51.100.79').expect(401);
      } finally {
        await t.stop();
      }
    });

    it('limits attempts per IP; with trust proxy off a forged X-Forwarded-For buys nothing', async () => {
      const t = await startTestHaven({ env: { AUTH_ATTEMPTS_PER_IP: '4', TRUST_PROXY: 'false' } });
      try {
        await ensureAdmin(t.haven);
        const agent = request.agent(t.haven.http);
        const token = csrfFrom((await agent.get('/sign-in')).text);
        const statuses: number[] = [];
        for (let i = 0; i < 6; i += 1) {
          statuses.push((await attempt(t, agent, token, `user${i}@example.org`, `203.0.113.${i}`)).status);
        }
        assert.deepEqual(statuses, [401, 401, 401, 401, 429, 429]);
        // The limit covers sign-up and reset too (one counter per IP across the auth forms).
        await agent
          .post('/forgot-password')
          .set('X-Forwarded-For', '192.0.2.1')
          .type('form')
          .send({ _csrf: token, email: 'x@example.org' })
          .expect(429);
      } finally {
        await t.stop();
      }
    });

    it('behind one proxy, only the address the proxy appended counts; forged entries before it change nothing', async () => {
      const t = await startTestHaven({ env: { AUTH_ATTEMPTS_PER_IP: '3', TRUST_PROXY: '1' } });
      try {
        await ensureAdmin(t.haven);
        const agent = request.agent(t.haven.http);
        const token = csrfFrom((await agent.get('/sign-in')).text);
        const statuses: number[] = [];
        for (let i = 0; i < 5; i += 1) {
          // The client forges the first entry; our proxy appends the real address last.
          statuses.push(
            (await attempt(t, agent, token, `u${i}@example.org`, `10.9.8.${i}, 203.0.113.50`)).status,
          );
        }
        assert.deepEqual(statuses, [401, 401, 401, 429, 429]);
        // A different real client (as the proxy reports it) still gets its own attempts.
        await attempt(t, agent, token, 'other@example.org', '203.0.113.51').expect(401);
      } finally {
        await t.stop();
      }
    });

    it('sends at most 5 reset emails per address in the window, answering the same way after', async () => {
      const t = await startTestHaven();
      try {
        await ensureAdmin(t.haven);
        const person = await createPerson(t.haven, { roles: ['client'] });
        const agent = request.agent(t.haven.http);
        const token = csrfFrom((await agent.get('/forgot-password')).text);
        const statuses: number[] = [];
        for (let i = 0; i < 6; i += 1) {
          statuses.push(
            (await agent.post('/forgot-password').type('form').send({ _csrf: token, email: person.email }))
              .status,
          );
        }
        assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
        await t.haven.accounts.lifecycle.settled();
        assert.equal((await t.haven.mail.outbox.list()).filter((m) => m.to === person.email).length, 5);
      } finally {
        await t.stop();
      }
    });

    it('limits second-factor guesses per person', async () => {
      const t = await startTestHaven({ env: { AUTH_ATTEMPTS_PER_ACCOUNT: '3' } });
      try {
        await ensureAdmin(t.haven);
        const person = await createPerson(t.haven, { roles: ['therapist'] });
        const { agent, token } = await toTwoFactorChallenge(t.haven, person);
        const statuses: number[] = [];
        for (let i = 0; i < 4; i += 1) {
          statuses.push(
            (
              await agent
                .post('/sign-in/two-factor')
                .type('form')
                .send({ _csrf: token, code: `00000${i}` })
            ).status,
          );
        }
        assert.deepEqual(statuses, [401, 401, 401, 429]);
      } finally {
        await t.stop();
      }
    });

    it('limits wrong current passwords from a signed-in session (password change, recovery codes, 2FA off)', async () => {
      const t = await startTestHaven({ env: { AUTH_ATTEMPTS_PER_ACCOUNT: '3' } });
      try {
        await ensureAdmin(t.haven);
        const person = await createPerson(t.haven, { roles: ['client'], twoFactor: true });
        const session = await signIn(t.haven, person);
        const post = async (path: string, body: Record<string, string>) =>
          (
            await session.agent
              .post(path)
              .type('form')
              .send({ _csrf: await session.csrf(), ...body })
          ).status;
        const statuses = [
          await post('/account/two-factor/recovery-codes', { currentPassword: 'wrong 1' }),
          await post('/account/password', {
            currentPassword: 'wrong 2',
            newPassword: 'a new long passphrase',
          }),
          await post('/account/two-factor/disable', { currentPassword: 'wrong 3' }),
          await post('/account/two-factor/recovery-codes', { currentPassword: person.password }),
        ];
        assert.deepEqual(statuses, [303, 400, 303, 429]);
      } finally {
        await t.stop();
      }
    });

    it('counts second-factor guesses for the waiting account: an email field buys no fresh ones (issue 16)', async () => {
      const t = await startTestHaven({ env: { AUTH_ATTEMPTS_PER_ACCOUNT: '3' } });
      try {
        await ensureAdmin(t.haven);
        const person = await createPerson(t.haven, { roles: ['therapist'] });
        const { agent, token } = await toTwoFactorChallenge(t.haven, person);
        const guess = (code: string, email: string) =>
          agent.post('/sign-in/two-factor').type('form').send({ _csrf: token, code, email });
        const statuses: number[] = [];
        for (let i = 0; i < 3; i += 1) statuses.push((await guess(`00000${i}`, person.email)).status);
        for (let i = 0; i < 3; i += 1) {
          statuses.push((await guess(`11111${i}`, `random-${i}@example.org`)).status);
        }
        assert.deepEqual(statuses, [401, 401, 401, 429, 429, 429]);
        // Even the right code, with yet another address, waits out the window.
        const right = t.haven.accounts.twoFactor.currentCode(person.totpSecret!);
        assert.equal((await guess(right, 'someone-else@example.org')).status, 429);
        assert.equal((await agent.get('/account')).status, 302, 'not signed in');
      } finally {
        await t.stop();
      }
    });
  });
});
