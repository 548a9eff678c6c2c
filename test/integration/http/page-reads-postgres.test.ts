import assert from 'node:assert/strict';
import { isAppError } from '../../../server/shared/errors';
import { createPerson } from '../../support/accounts';
import { actor as messagingActor } from '../messaging/messaging-support';
import { postgresDatabaseOrSkip, type PostgresDatabase } from '../../support/postgres';
import { startReadsClinic, type ReadsClinic } from './page-reads-fixture';

const validDate = (d: Date | null) => d instanceof Date && !Number.isNaN(d.getTime());

/**
 * The pages' plain-SQL reads on PostgreSQL (its driver hands back Dates, booleans and bigint
 * counts as text where SQLite's gives text and numbers): the same answers as on SQLite.
 */
describe("what each page reads, on PostgreSQL: the page's own data", function () {
  this.timeout(120_000);
  let database: PostgresDatabase;
  let c: ReadsClinic;

  before(async function () {
    database = await postgresDatabaseOrSkip(this);
    c = await startReadsClinic({ DATABASE_URL: database.url });
  });
  after(async () => {
    await c?.t.stop();
    await database?.drop();
  });

  it("lists both sides of a person's appointments and the therapist's caseload", async () => {
    const page = (await c.as.client.agent.get('/appointments').expect(200)).text;
    assert.equal((page.match(/Theo Therapist/g) ?? []).length >= 4, true, 'four appointments listed');
    assert.match(page, /class="unread-badge">1</, 'the badge counts the one unread message');
    const lists = await c.t.haven.scheduling.booking.listsFor({
      id: c.therapist.user.id,
      roles: c.therapist.user.roles,
      ip: null,
    });
    assert.equal(lists.upcoming.length, 4);
    assert.ok(lists.upcoming.every((a) => a.clientIds.join() === c.client.user.id));
    const caseload = await c.t.haven.clinical.care.clientsOf(c.therapist.user.id);
    assert.deepEqual(
      caseload.map((a) => a.clientId).sort(),
      [c.client.user.id, c.otherClient.user.id].sort(),
    );
    assert.ok(caseload.every((a) => validDate(a.startedAt)));
    assert.match((await c.as.therapist.agent.get('/').expect(200)).text, /Casey Client/);
  });

  it('lists the threads each reader may read: the therapist their care thread, the admin the front desk', async () => {
    const mine = await c.t.haven.messaging.inbox.threadsFor(messagingActor(c.therapist));
    const care = mine.filter((r) => r.threadId !== null);
    assert.deepEqual(
      care.map((r) => [r.title, r.canWrite]),
      [['Casey Client', true]],
    );
    assert.ok(care.every((r) => validDate(r.lastMessageAt)));
    const desk = (await c.as.admin.agent.get('/messages').expect(200)).text;
    for (const person of c.frontDeskClients) assert.match(desk, new RegExp(person.user.displayName));
    assert.doesNotMatch(desk, /Casey Client/, 'no care thread opens to an admin');
  });

  it('counts mail by status for the overview', async () => {
    const counts = await c.t.haven.mail.outbox.counts();
    for (const status of ['queued', 'sending', 'sent', 'failed'] as const) {
      const listed = await c.t.haven.mail.outbox.list({ status, limit: 10_000 });
      assert.equal(counts[status], listed.length, status);
    }
    assert.ok(counts.queued + counts.sent > 0, 'the bookings and messages queued mail');
    await c.as.admin.agent.get('/admin').expect(200);
  });

  it('lists the groups with their facilitators, guidelines version and member counts', async () => {
    const listed = await c.t.haven.groups.list();
    assert.deepEqual(
      listed.map(({ group, activeCount }) => [group.topic, activeCount, group.guidelinesVersion]),
      [
        ['Grief and loss', 1, 1],
        ['New parents', 0, 1],
        ['Living with pain', 0, 1],
      ],
    );
    for (const { group } of listed) {
      assert.deepEqual(group.facilitatorIds, c.groups[0]!.facilitatorIds);
      assert.equal(typeof group.capacity, 'number');
      assert.ok(validDate(group.createdAt));
    }
    assert.match((await c.as.peer.agent.get('/groups').expect(200)).text, /1 of 8 places taken/);
  });

  it("answers a day's safety checks together: each client checked, the confirmed pair alone true", async () => {
    const therapist = { id: c.therapist.user.id, roles: c.therapist.user.roles, ip: null };
    const lists = await c.t.haven.scheduling.booking.listsFor(therapist);
    const [first, second] = lists.upcoming;
    assert.ok(first && second);
    await c.t.haven.clinical.intake.recordSafetyCheck(
      { id: c.client.user.id, roles: c.client.user.roles, ip: null },
      { appointmentId: first.id, location: '1 Test Road, Leeds', callbackNumber: '+44 113 496 0000' },
    );
    // Started together, as a therapist's "today" starts them: their reads are shared.
    const pairs = [c.client, c.otherClient].flatMap((person) =>
      [first, second].map((a) => [person.user.id, a.id] as const),
    );
    const confirmed = await Promise.all(
      pairs.map(([clientId, appointmentId]) =>
        c.t.haven.clinical.intake.clientConfirmedSafetyCheck(therapist, clientId, appointmentId),
      ),
    );
    assert.deepEqual(confirmed, [true, false, false, false]);
    const colleague = await createPerson(c.t.haven, { roles: ['therapist'] });
    const stranger = { id: colleague.user.id, roles: colleague.user.roles, ip: null };
    await assert.rejects(
      c.t.haven.clinical.intake.clientConfirmedSafetyCheck(stranger, c.client.user.id, first.id),
      (error: unknown) => isAppError(error) && error.code === 'clinical.forbidden',
      'a therapist who does not treat the client is refused',
    );
  });
});
