import assert from 'node:assert/strict';
import request from 'supertest';
import { createPerson, csrfFrom, ensureAdmin, type TestPerson } from '../../support/accounts';
import type { LiveHaven } from '../../support/live-haven';
import { startTwoNodes, type TwoNodes } from '../../support/two-nodes';

/** Waits (polling, at most `ms`) until `ready()` holds. */
async function until(ready: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && !ready()) await new Promise((r) => setTimeout(r, 50));
  return ready();
}

/**
 * Limits and settings shared by every node (issue 22, step 3), two nodes on one PostgreSQL: the
 * per-account sign-in limit counts attempts made on either node together, and an admin's change in
 * the console on one node is what the other node uses at once.
 */
describe('cluster: shared limits and settings', function () {
  this.timeout(90_000);
  let nodes: TwoNodes;
  let admin: TestPerson;

  before(async function () {
    nodes = await startTwoNodes(this, { media: false, env: { AUTH_ATTEMPTS_PER_ACCOUNT: '4' } });
    admin = (await ensureAdmin(nodes.a.haven))!;
  });
  after(async () => nodes?.stop());

  it('the per-account sign-in limit holds across nodes: attempts split over A and B count together', async () => {
    const person = await createPerson(nodes.a.haven, { roles: ['client'] });
    const wrong = async (node: LiveHaven) => {
      const agent = request.agent(node.haven.http);
      const token = csrfFrom((await agent.get('/sign-in')).text);
      return agent
        .post('/sign-in')
        .type('form')
        .send({ _csrf: token, email: person.email, password: 'not it at all' });
    };
    // Two wrong passwords on each node: four in all, the limit.
    for (const node of [nodes.a, nodes.b, nodes.a, nodes.b]) assert.equal((await wrong(node)).status, 401);
    // Each node alone has seen two; together they have seen four, so the fifth is refused on both.
    const fifthOnA = await wrong(nodes.a);
    assert.equal(fifthOnA.status, 429);
    assert.match(fifthOnA.text, /Too many attempts/);
    assert.equal((await wrong(nodes.b)).status, 429);
    // Another account is unaffected.
    const other = await createPerson(nodes.b.haven, { roles: ['client'] });
    const agent = request.agent(nodes.b.haven.http);
    const token = csrfFrom((await agent.get('/sign-in')).text);
    await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: token, email: other.email, password: 'wrong again' })
      .expect(401);
    // The table holds digests, never the address tried.
    const [rows] = await nodes.a.haven.sequelize.query('SELECT key FROM rate_limit_counters');
    assert.ok((rows as { key: string }[]).length > 0);
    assert.ok((rows as { key: string }[]).every((r) => /^[0-9a-f]{64}$/.test(r.key)));
  });

  it("an admin's console change on node A is what node B uses at once (the mail server)", async () => {
    const actor = { id: admin.user.id, roles: admin.user.roles, ip: '127.0.0.1' };
    assert.equal(nodes.b.haven.admin.preferences.smtpFromConsole, false);
    await nodes.a.haven.admin.preferences.updateSmtp(actor, {
      host: 'mail.clinic.example',
      port: '587',
      security: 'starttls',
      username: 'haven',
      password: 'app password 1',
    });
    const expected = nodes.a.haven.admin.preferences.smtpUrl;
    assert.ok(await until(() => nodes.b.haven.admin.preferences.smtpUrl === expected, 5_000), 'B follows A');
    assert.equal(nodes.b.haven.admin.preferences.smtpFromConsole, true);

    await nodes.b.haven.admin.preferences.clearSmtp(actor);
    assert.ok(await until(() => !nodes.a.haven.admin.preferences.smtpFromConsole, 5_000), 'and A follows B');
  });

  it("the clinic's name changed on node A is what node B's pages show at once (B's cache is dropped)", async () => {
    const actor = { id: admin.user.id, roles: admin.user.roles, ip: '127.0.0.1' };
    const before = await nodes.b.haven.accounts.clinic.get(); // B has it cached now
    assert.notEqual(before.clinicName, 'Harbour Counselling');
    await nodes.a.haven.admin.preferences.update(actor, {
      clinicName: 'Harbour Counselling',
      selfSignup: true,
      directoryPublic: false,
      timeZone: 'UTC',
      languages: ['en'],
      crisisResources: '',
      cancellationPolicy: '',
      messagingExpectations: '',
      sessionIdleMinutes: '30',
      sessionAbsoluteHours: '12',
      ...nodes.a.haven.admin.preferences.colours,
    });
    const deadline = Date.now() + 5_000;
    let seen = before.clinicName;
    while (seen !== 'Harbour Counselling' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      seen = (await nodes.b.haven.accounts.clinic.get()).clinicName;
    }
    assert.equal(seen, 'Harbour Counselling', 'B reads the name A saved');
    const page = await request(nodes.b.baseUrl).get('/sign-in').expect(200);
    assert.match(page.text, /Harbour Counselling/);
  });
});
