import assert from 'node:assert/strict';
import { PresenceTally } from '../../../server/cluster';
import { presenceFrom } from '../../../server/cluster/presence-tally';

describe('PresenceTally (people connected to a node)', () => {
  const client = { id: 'c1', roles: ['client'] };
  const therapist = { id: 't1', roles: ['therapist'] };
  const both = { id: 'a1', roles: ['admin', 'therapist'] };

  it('counts people, not sockets: a second tab or an overlapping reload counts once', () => {
    const tally = new PresenceTally();
    tally.connected(client);
    tally.connected(client);
    tally.connected(therapist);
    assert.deepEqual(tally.snapshot(), { people: 2, roles: { client: 1, therapist: 1 } });
    tally.disconnected(client);
    assert.deepEqual(
      tally.snapshot(),
      { people: 2, roles: { client: 1, therapist: 1 } },
      'one tab still open',
    );
    tally.disconnected(client);
    assert.deepEqual(tally.snapshot(), { people: 1, roles: { therapist: 1 } });
  });

  it('counts someone with two roles under each, once in the total; ignores a close it never saw opened', () => {
    const tally = new PresenceTally();
    tally.connected(both);
    tally.connected(therapist);
    tally.disconnected({ id: 'nobody' });
    assert.deepEqual(tally.snapshot(), { people: 2, roles: { admin: 1, therapist: 2 } });
    tally.disconnected(both);
    tally.disconnected(both);
    tally.disconnected(therapist);
    assert.deepEqual(tally.snapshot(), { people: 0, roles: {} });
  });

  it('reads what a heartbeat stored, and anything malformed as nobody', () => {
    assert.deepEqual(presenceFrom('{"people":3,"roles":{"client":2,"therapist":1}}'), {
      people: 3,
      roles: { client: 2, therapist: 1 },
    });
    assert.deepEqual(presenceFrom('{"people":1,"roles":{"client":-1,"admin":1.5,"therapist":1}}'), {
      people: 1,
      roles: { therapist: 1 },
    });
    for (const bad of [null, '', 'not json', '[]', '{"people":"2","roles":{}}', '{"people":2}', 'null']) {
      assert.deepEqual(presenceFrom(bad), { people: 0, roles: {} }, String(bad));
    }
  });
});
