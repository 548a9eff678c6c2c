import assert from 'node:assert/strict';
import { seedDemoGroups } from '../../../server/cli/demo/demo-groups';
import { seedDemoMessages } from '../../../server/cli/demo/demo-messages';
import { seedDemoPeople } from '../../../server/cli/demo/demo-people';
import { startTestHaven, type TestHaven } from '../../support/test-haven';

/** The demo clinic (npm run seed:demo) shows secure messaging and a peer-support group with meetings. */
describe('demo seed: a message thread and a peer-support group with meetings', function () {
  this.timeout(60000);
  let t: TestHaven;
  before(async () => {
    t = await startTestHaven();
  });
  after(async () => t?.stop());

  it('creates a thread with messages, and a group with a member, guidelines accepted and weekly meetings', async () => {
    const { haven } = t;
    const people = await seedDemoPeople(haven);
    await seedDemoMessages(haven, people);
    await seedDemoGroups(haven, people);
    const count = async (sql: string): Promise<number> => {
      const [rows] = await haven.sequelize.query(sql);
      return Number((rows as Array<{ n: number }>)[0]?.n ?? 0);
    };
    assert.ok((await count('SELECT COUNT(*) AS n FROM message_threads')) >= 1, 'a message thread');
    assert.ok((await count('SELECT COUNT(*) AS n FROM messages')) >= 1, 'messages in it');
    const groups = await haven.groups.list();
    assert.equal(groups.length, 1);
    const group = groups[0]!.group;
    assert.equal(groups[0]!.activeCount, 1);
    const meetings = await haven.groupMeetings.upcoming(group.id, 0);
    assert.equal(meetings.length, 4);
    assert.ok(meetings.every((m) => m.startsAt.getTime() > Date.now()));
    const week = 7 * 86_400_000;
    const gaps = meetings.slice(1).map((m, i) => m.startsAt.getTime() - meetings[i]!.startsAt.getTime());
    assert.ok(
      gaps.every((g) => Math.abs(g - week) <= 3_600_000),
      'weekly (an hour either way for DST)',
    );
  });
});
