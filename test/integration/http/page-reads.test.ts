import assert from 'node:assert/strict';
import { createPerson, ensureAdmin, signIn, type SignedInSession } from '../../support/accounts';
import { intlFormattersBuiltDuring } from '../../support/intl-constructions';
import { statementsDuring } from '../../support/sql-statements';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { actor, individualType, treat, weekdayHours } from '../scheduling/scheduling-fixtures';

/** The next `count` weekdays after today, at 10:00 UTC. */
function weekdayStarts(count: number): string[] {
  const starts: string[] = [];
  const day = new Date();
  day.setUTCHours(10, 0, 0, 0);
  while (starts.length < count) {
    day.setUTCDate(day.getUTCDate() + 1);
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) starts.push(day.toISOString());
  }
  return starts;
}

const from = (table: string) => (sql: string) => sql.includes(`FROM \`${table}\``);

/** What one signed-in page costs the database (issue 21): the costs that must not come back. */
describe('what a page reads', () => {
  let t: TestHaven;
  let client: SignedInSession;

  before(async () => {
    t = await startTestHaven();
    const admin = await ensureAdmin(t.haven);
    assert.ok(admin);
    const therapist = await createPerson(t.haven, { roles: ['therapist'], displayName: 'Theo Therapist' });
    const person = await createPerson(t.haven, { roles: ['client'] });
    await treat(t.haven, therapist.user, person.user);
    await weekdayHours(t.haven, therapist.user, 'UTC');
    const type = await individualType(t.haven, admin.user);
    for (const start of weekdayStarts(4)) {
      await t.haven.scheduling.booking.bookAsClient(actor(person.user), {
        therapistId: therapist.user.id,
        typeId: type.id,
        start,
      });
    }
    client = await signIn(t.haven, person);
    await client.agent.get('/appointments').expect(200); // first page: creates the CSRF token
  });
  after(() => t.stop());

  it('loads the signed-in person once, the therapist of four rows once, and writes nothing', async () => {
    let html = '';
    const sql = await statementsDuring(async () => {
      html = (await client.agent.get('/appointments').expect(200)).text;
    });
    assert.equal((html.match(/Theo Therapist/g) ?? []).length >= 4, true, 'four appointments listed');
    assert.equal(sql.filter(from('sessions')).length, 1, 'the session is read once');
    // One batch for the person (passport; the unread badge reuses it), one for all rows' therapist.
    assert.equal(sql.filter(from('users')).length, 2, sql.filter(from('users')).join('\n'));
    assert.equal(sql.filter(from('care_assignments')).length <= 1, true, 'who treats whom: read once');
    assert.deepEqual(
      sql.filter((s) => /^\s*(INSERT|UPDATE|DELETE|BEGIN)/i.test(s)),
      [],
      'a page view within a minute of the last write writes nothing (no session touch)',
    );
    assert.equal(sql.filter((s) => /PRAGMA/i.test(s)).length, 0, 'no PRAGMA table_info per SELECT');
  });

  it('builds no date, number or list formatter per request: they are made once per zone and locale', async () => {
    const built = await intlFormattersBuiltDuring(() => client.agent.get('/appointments').expect(200));
    // Each of four rows names its zone and writes three times; a formatter per call (luxon's
    // offsetNameShort did) or per request (the views' number and list helpers did) shows up here.
    assert.deepEqual(built, { DateTimeFormat: 0, NumberFormat: 0, ListFormat: 0 });
  });

  it('the same reads on a second request: nothing is remembered across requests', async () => {
    const first = await statementsDuring(() => client.agent.get('/appointments').expect(200));
    const second = await statementsDuring(() => client.agent.get('/appointments').expect(200));
    assert.equal(second.length, first.length);
  });
});
