import request from 'supertest';
import type { Haven } from '../../server/app';
import { TwoFactorService, twoFactorRequiredFor, type Role, type User } from '../../server/accounts';

/**
 * Helpers for HTTP tests that need signed-in people. Everything goes through the real forms
 * (CSRF token, password, second factor), so a test using them exercises the real doors.
 *
 *     await ensureAdmin(haven);                     // without an admin every page redirects to /setup
 *     const therapist = await createPerson(haven, { roles: ['therapist'] });
 *     const session = await signIn(haven, therapist);
 *     await session.agent.post('/x').type('form').send({ _csrf: await session.csrf(), ... }).expect(303);
 */
export interface TestPerson {
  readonly user: User;
  readonly email: string;
  readonly password: string;
  /** Base32 TOTP secret when two-factor is enrolled. */
  readonly totpSecret: string | null;
}

export interface SignedInSession {
  readonly person: TestPerson;
  readonly agent: request.Agent;
  /** A valid CSRF token for this session (read from a page's sign-out form). */
  csrf(): Promise<string>;
}

let counter = 0;

export const TEST_PASSWORD = 'correct horse battery staple 42';

/**
 * Everything about a test person a test may want to set; the rest gets a working default.
 * `password: null` makes an account that cannot sign in (service-level tests, which then skip the
 * argon2 hash); `twoFactor` defaults to what the roles require (staff enrol, clients may not).
 */
export interface PersonOverrides {
  readonly roles: Role[];
  readonly email?: string;
  readonly displayName?: string;
  readonly password?: string | null;
  readonly twoFactor?: boolean;
  /** IANA zone stored on the account (the zone pages and emails show times in). */
  readonly timeZone?: string;
  /** The language they read Haven in (their emails' language too); the account default otherwise. */
  readonly language?: string;
}

/**
 * The one person builder (Practica's `buildOrder(overrides)`): a real account through the accounts
 * service, with a unique address, enrolled in two-factor when its roles require it.
 */
export async function createPerson(haven: Haven, overrides: PersonOverrides): Promise<TestPerson> {
  counter += 1;
  const { roles } = overrides;
  const email = overrides.email ?? `${roles.join('-')}-${counter}-${Date.now()}@example.org`;
  const password = overrides.password === undefined ? TEST_PASSWORD : overrides.password;
  const user = await haven.accounts.createUser(
    {
      email,
      displayName: overrides.displayName ?? `Test ${roles.join('+')} ${counter}`,
      ...(password === null ? {} : { password }),
      roles,
    },
    null,
  );
  if (overrides.timeZone) {
    // Set directly: the profile form's list comes from Intl.supportedValuesOf('timeZone'), which in
    // Node's ICU names India `Asia/Calcutta`, not the canonical IANA `Asia/Kolkata` tests use.
    await haven.sequelize.query('UPDATE users SET time_zone = ? WHERE id = ?', {
      replacements: [overrides.timeZone, user.id],
    });
  }
  if (overrides.language) {
    await haven.sequelize.query('UPDATE users SET language = ? WHERE id = ?', {
      replacements: [overrides.language, user.id],
    });
  }
  let totpSecret: string | null = null;
  if (overrides.twoFactor ?? twoFactorRequiredFor(roles)) {
    totpSecret = haven.accounts.twoFactor.newSecret();
    const code = haven.accounts.twoFactor.currentCode(totpSecret);
    await haven.accounts.twoFactor.enable(user.id, totpSecret, code, null, { consumeCode: false });
  }
  return { user: (await haven.accounts.byId(user.id))!, email, password: password ?? '', totpSecret };
}

/** The builder for tests that only need the account (service calls, no sign-in): no password, no second factor. */
export async function createUser(
  haven: Haven,
  overrides: Omit<PersonOverrides, 'password' | 'twoFactor'>,
): Promise<User> {
  return (await createPerson(haven, { ...overrides, password: null, twoFactor: false })).user;
}

/**
 * Test-only: clears the "last accepted code" marker so a helper can sign the same person in again
 * within one 30-second step. Replay protection itself is tested without this.
 */
export async function forgetUsedCodes(haven: Haven, userId: string): Promise<void> {
  await haven.sequelize
    .getQueryInterface()
    .bulkUpdate('user_totp', { last_used_step: null }, { user_id: userId });
}

/** Makes sure an admin exists (otherwise every page redirects to /setup). */
export async function ensureAdmin(haven: Haven): Promise<TestPerson | null> {
  if (await haven.accounts.lifecycle.adminExists()) return null;
  return createPerson(haven, { roles: ['admin'], email: `admin-${Date.now()}-${++counter}@example.org` });
}

export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF token on the page');
  return match[1];
}

/**
 * The password step of sign-in, up to the second-factor challenge: returns the agent (its session
 * holds the account waiting for its code) and the challenge page's CSRF token.
 */
export async function toTwoFactorChallenge(
  haven: Haven,
  person: TestPerson,
): Promise<{ agent: request.Agent; token: string }> {
  const agent = request.agent(haven.http);
  const page = await agent.get('/sign-in');
  await agent
    .post('/sign-in')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), email: person.email, password: person.password })
    .expect(303)
    .expect('location', '/sign-in/two-factor');
  const challenge = await agent.get('/sign-in/two-factor').expect(200);
  return { agent, token: csrfFrom(challenge.text) };
}

/** Signs a person in through /sign-in (and /sign-in/two-factor when enrolled). */
export async function signIn(haven: Haven, person: TestPerson, at?: () => Date): Promise<SignedInSession> {
  const agent = request.agent(haven.http);
  const page = await agent.get('/sign-in').expect(200);
  const first = await agent
    .post('/sign-in')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), email: person.email, password: person.password });
  if (first.status !== 303) throw new Error(`sign-in failed with ${first.status}`);
  if (first.headers.location === '/sign-in/two-factor') {
    if (!person.totpSecret) throw new Error('two-factor asked but the person has no secret');
    await forgetUsedCodes(haven, person.user.id);
    const challenge = await agent.get('/sign-in/two-factor').expect(200);
    await agent
      .post('/sign-in/two-factor')
      .type('form')
      .send({
        _csrf: csrfFrom(challenge.text),
        code: at
          ? TwoFactorService.codeFor(person.totpSecret, at())
          : haven.accounts.twoFactor.currentCode(person.totpSecret),
      })
      .expect(303);
  }
  return {
    person,
    agent,
    async csrf() {
      const res = await agent.get('/account/two-factor');
      return csrfFrom(res.text);
    },
  };
}
