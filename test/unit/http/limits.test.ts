import assert from 'node:assert/strict';
import type { Request } from 'express';
import {
  authLimitSpecs,
  exportLimitSpec,
  limitKeyOf,
  type LimitSpec,
} from '../../../server/http/middleware/limits';

/**
 * Each limiter's key comes from what the server established (the connection's address, the
 * signed-in or half-signed-in account), so nothing a client puts in a form, a query string or a
 * header can move an attempt to a fresh counter. Issue 16, item 1: the second-factor limiter keyed
 * on the form's `email`, so a random `email` bought new guesses.
 */
interface FakeRequest {
  ip?: string;
  user?: { id: string };
  session?: { pending?: { userId: string } };
  body?: Record<string, unknown>;
  query?: Record<string, unknown>;
  headers?: Record<string, string>;
}
const req = (r: FakeRequest): Request => ({ headers: {}, query: {}, body: {}, ...r }) as unknown as Request;

/**
 * What a client controls: form fields (an email, ids, names), query parameters and headers. With
 * `keepEmail` (limiters keyed on the address tried) the form's email stays as it is.
 */
function clientVariants(base: FakeRequest, opts: { keepEmail?: boolean } = {}): FakeRequest[] {
  const body = base.body ?? {};
  const email = opts.keepEmail ? { email: body.email } : {};
  const otherEmails = opts.keepEmail
    ? []
    : [
        { ...base, body: { ...body, email: 'someone-else@example.org' } },
        { ...base, body: { ...body, email: `random-${Math.random()}@example.org` } },
      ];
  return [
    ...otherEmails,
    { ...base, body: { ...body, userId: 'b0000000-0000-4000-8000-000000000000' } },
    { ...base, body: { ...body, user: { id: 'x' }, account: 'x', pending: 'x' } },
    { ...base, body: { code: '000000', ...email } },
    { ...base, query: { email: 'q@example.org', userId: 'x', ip: '10.0.0.1' } },
    {
      ...base,
      headers: { 'x-forwarded-for': '10.9.8.7', 'x-real-ip': '10.9.8.7', forwarded: 'for=10.9.8.7' },
    },
    { ...base, headers: { cookie: 'other=1', 'user-agent': 'another browser' } },
  ];
}

function assertKeyHolds(spec: LimitSpec, base: FakeRequest, opts: { keepEmail?: boolean } = {}): void {
  const expected = limitKeyOf(spec, req(base));
  assert.notEqual(expected, null, `${spec.name}: the base request is counted`);
  for (const variant of clientVariants(base, opts)) {
    assert.equal(limitKeyOf(spec, req(variant)), expected, `${spec.name}: ${JSON.stringify(variant)}`);
  }
}

describe('limits: what each limiter counts by', () => {
  const specs = authLimitSpecs({ perIp: 100, perAccount: 10 });
  const alice = 'a0000000-0000-4000-8000-000000000001';
  const bob = 'a0000000-0000-4000-8000-000000000002';

  it('perIp: the connection address (TRUST_PROXY decides req.ip), whatever the form or headers say', () => {
    const base = { ip: '203.0.113.7', body: { email: 'alice@example.org' } };
    assertKeyHolds(specs.perIp, base);
    assert.notEqual(
      limitKeyOf(specs.perIp, req(base)),
      limitKeyOf(specs.perIp, req({ ...base, ip: '203.0.113.8' })),
    );
  });

  it("secondFactorPerAccount: the account waiting for its second factor, never the form's email", () => {
    const pending = { ip: '203.0.113.7', session: { pending: { userId: alice } }, body: { code: '123456' } };
    assertKeyHolds(specs.secondFactorPerAccount, pending);
    assert.equal(limitKeyOf(specs.secondFactorPerAccount, req(pending)), `second-factor-account:${alice}`);
    // Another address or IP: the same counter. Another pending account: another counter.
    const bobs = { ...pending, session: { pending: { userId: bob } } };
    assert.notEqual(
      limitKeyOf(specs.secondFactorPerAccount, req(bobs)),
      limitKeyOf(specs.secondFactorPerAccount, req(pending)),
    );
    // Enrolling (signed in): the signed-in account.
    assertKeyHolds(specs.secondFactorPerAccount, {
      ip: '203.0.113.7',
      user: { id: alice },
      body: { code: '1' },
    });
    // Nobody known: not counted here (the per-IP limiter still counts it).
    assert.equal(
      limitKeyOf(specs.secondFactorPerAccount, req({ body: { email: 'alice@example.org' } })),
      null,
    );
  });

  it('passwordConfirmPerAccount: the signed-in account', () => {
    assertKeyHolds(specs.passwordConfirmPerAccount, {
      ip: '203.0.113.7',
      user: { id: alice },
      body: { currentPassword: 'x' },
    });
    assert.equal(
      limitKeyOf(specs.passwordConfirmPerAccount, req({ user: { id: alice } })),
      `password-confirm-account:${alice}`,
    );
  });

  it('passwordPerAddress and resetMailsPerAddress: the address tried (normalised); nothing else moves it', () => {
    for (const spec of [specs.passwordPerAddress, specs.resetMailsPerAddress]) {
      const base = { ip: '203.0.113.7', body: { email: 'Alice@Example.org ', password: 'x' } };
      assertKeyHolds(spec, base, { keepEmail: true });
      assert.equal(
        limitKeyOf(spec, req({ body: { email: 'alice@example.org' } })),
        limitKeyOf(spec, req(base)),
      );
      // A signed-in or half-signed-in session does not change which address is being tried.
      assert.equal(
        limitKeyOf(spec, req({ ...base, user: { id: bob }, session: { pending: { userId: bob } } })),
        limitKeyOf(spec, req(base)),
      );
      assert.equal(
        limitKeyOf(spec, req({ body: { email: ['a@example.org'] } })),
        null,
        'not a string: not counted here',
      );
    }
  });

  it('export: the signed-in client', () => {
    const spec = exportLimitSpec(5);
    assertKeyHolds(spec, { ip: '203.0.113.7', user: { id: alice } });
    assert.equal(
      limitKeyOf(spec, req({ user: { id: alice }, ip: '198.51.100.1' })),
      `export-account:${alice}`,
    );
  });

  it('covers every limiter (a new one needs its own case here)', () => {
    assert.deepEqual(Object.keys(specs).sort(), [
      'passwordConfirmPerAccount',
      'passwordPerAddress',
      'perIp',
      'resetMailsPerAddress',
      'secondFactorPerAccount',
    ]);
  });
});
