import assert from 'node:assert/strict';
import { createPerson, signIn, type SignedInSession, type TestPerson } from '../../support/accounts';
import { auditEvents } from '../../support/audit-trail';
import { startPractice, type Practice } from '../../support/practice';
import { statementsDuring } from '../../support/sql-statements';
import { actor } from '../scheduling/scheduling-fixtures';
import { from, startReadsClinic, type ReadsClinic } from './page-reads-fixture';

/** Statements of `sql` reading any of `tables`. */
const reading = (sql: readonly string[], ...tables: string[]) =>
  sql.filter((s) => tables.some((table) => from(table)(s)));

const listed = (sql: readonly string[]) => `\n${sql.join('\n')}`;

/**
 * The page's HTML and the statements of its second view (the first may describe tables once per
 * process, which is not what a page costs).
 */
async function readsOf(session: SignedInSession, path: string): Promise<{ html: string; sql: string[] }> {
  await session.agent.get(path).expect(200);
  let html = '';
  const sql = await statementsDuring(async () => {
    html = (await session.agent.get(path).expect(200)).text;
  });
  return { html, sql };
}

/**
 * Each main page's own reads (issue 21): what one page asked twice, row by row or table by table,
 * and must not ask that way again. Counts on SQLite (the driver is where statements are seen).
 */
describe("what each page reads: the page's own data", () => {
  let c: ReadsClinic;

  before(async function () {
    this.timeout(60_000);
    c = await startReadsClinic();
  });
  after(() => c?.t.stop());

  it("therapist's today: the caseload once (badge and card share it), appointments in two statements, hours as one count", async () => {
    const { html, sql } = await readsOf(c.as.therapist, '/');
    assert.match(html, /Casey Client/, 'the next session names its client');
    // The badge's thread list asked "does this therapist treat the thread's client?" by the client,
    // the caseload card by the therapist: two reads of one table for one answer.
    assert.equal(reading(sql, 'care_assignments').length, 1, listed(reading(sql, 'care_assignments')));
    // Both sides of the person's appointments: the client side by subquery, then their clients.
    assert.equal(reading(sql, 'appointments').length, 1, listed(reading(sql, 'appointments')));
    assert.equal(
      reading(sql, 'appointment_participants').length,
      1,
      listed(reading(sql, 'appointment_participants')),
    );
    // "Hours set up?" is one count, not the schedule with its windows and exceptions.
    assert.equal(reading(sql, 'availability_windows', 'availability_exceptions').length, 0);
    assert.equal(sql.length <= 14, true, `at most 14 statements (was 21 here), ${sql.length}:${listed(sql)}`);
  });

  it("the client's clinical page asks once whether the record is restricted (two access checks)", async () => {
    const { sql } = await readsOf(c.as.client, '/clinical/me');
    assert.equal(
      reading(sql, 'clinical_restrictions').length,
      1,
      listed(reading(sql, 'clinical_restrictions')),
    );
  });

  it("the admin's overview: mail counted in one statement, therapists named in one, no care reads for front-desk threads", async () => {
    const { html, sql } = await readsOf(c.as.admin, '/admin');
    assert.match(html, /mail-heading/);
    assert.equal(reading(sql, 'outbox_messages').length, 1, listed(reading(sql, 'outbox_messages')));
    // The signed-in admin, then every therapist and practitioner named on the page in one batch.
    assert.equal(reading(sql, 'users').length <= 2, true, listed(reading(sql, 'users')));
    // The header badge lists the front-desk threads: who treats their clients is not asked.
    assert.equal(reading(sql, 'care_assignments').length, 0, listed(reading(sql, 'care_assignments')));
  });

  it("an admin's messages: three front-desk clients, no read of care per client", async () => {
    const { html, sql } = await readsOf(c.as.admin, '/messages');
    for (const person of c.frontDeskClients) assert.match(html, new RegExp(person.user.displayName));
    assert.equal(reading(sql, 'care_assignments').length, 0, listed(reading(sql, 'care_assignments')));
  });

  it("a therapist's messages: the care thread checked against the caseload, one read", async () => {
    const { html, sql } = await readsOf(c.as.therapist, '/messages');
    assert.match(html, /Casey Client/);
    assert.equal(reading(sql, 'care_assignments').length, 1, listed(reading(sql, 'care_assignments')));
  });

  it('the groups page: three groups with their counts in two statements, not four per group', async () => {
    const { html, sql } = await readsOf(c.as.peer, '/groups');
    for (const group of c.groups) assert.match(html, new RegExp(group.topic));
    assert.match(html, /1 of 8 places taken/, 'the first group counts its member');
    assert.equal((html.match(/0 of 8 places taken/g) ?? []).length, 2, 'the others are empty');
    const groupReads = reading(
      sql,
      'peer_groups',
      'peer_group_facilitators',
      'peer_group_guidelines',
      'peer_group_members',
    );
    assert.equal(groupReads.length, 2, listed(groupReads));
  });

  it("the client's appointments: both sides in one read of appointments and one of their clients", async () => {
    const { sql } = await readsOf(c.as.client, '/appointments');
    assert.equal(reading(sql, 'appointments').length, 1, listed(reading(sql, 'appointments')));
    assert.equal(
      reading(sql, 'appointment_participants').length,
      1,
      listed(reading(sql, 'appointment_participants')),
    );
  });
});

/**
 * A therapist's "today" with three sessions (issue 21): each client's safety check is still asked
 * through its own access check, but the reads behind those checks are shared by the day's clients.
 */
describe("what each page reads: a therapist's day of sessions", function () {
  this.timeout(60_000);
  let p: Practice;
  let clients: TestPerson[];
  let appointmentIds: string[];

  beforeEach(async () => {
    p = await startPractice();
    clients = [];
    appointmentIds = [];
    // Monday 2 March 2026 (the practice's clock is at 12:00 UTC, London is on UTC).
    for (const [i, hour] of [14, 15, 16].entries()) {
      const person = await createPerson(p.t.haven, { roles: ['client'], displayName: `Client ${'ABC'[i]}` });
      const booked = await p.t.haven.scheduling.booking.bookAsClient(actor(person.user), {
        therapistId: p.therapist.user.id,
        typeId: p.sessionKindId,
        start: `2026-03-02T${hour}:00:00.000Z`,
      });
      clients.push(person);
      appointmentIds.push(booked.id);
    }
    await p.t.haven.clinical.intake.recordSafetyCheck(
      { id: clients[1]!.user.id, roles: clients[1]!.user.roles, ip: null },
      {
        appointmentId: appointmentIds[1]!,
        location: '1 Test Road, Leeds',
        callbackNumber: '+44 113 496 0000',
      },
    );
  });
  afterEach(() => p.t.stop());

  const therapistSession = () => signIn(p.t.haven, p.therapist, () => p.clock.now());

  it('three clients today: who treats them, restrictions and confirmed checks read once each', async () => {
    const { html, sql } = await readsOf(await therapistSession(), '/');
    assert.match(html, /Client A has not confirmed yet/);
    assert.match(html, /Client B has confirmed where they are/);
    assert.match(html, /Client C has not confirmed yet/);
    assert.doesNotMatch(html, /Leeds|496 0000/, 'where they are is read in the room, not here');
    // The caseload (by therapist) and who treats the day's clients (by client): one read each,
    // not one per client.
    assert.equal(reading(sql, 'care_assignments').length, 2, listed(reading(sql, 'care_assignments')));
    assert.equal(
      reading(sql, 'clinical_restrictions').length,
      1,
      listed(reading(sql, 'clinical_restrictions')),
    );
    assert.equal(
      reading(sql, 'session_safety_checks').length,
      1,
      listed(reading(sql, 'session_safety_checks')),
    );
    assert.equal(sql.length <= 16, true, `at most 16 statements (was 22 here), ${sql.length}:${listed(sql)}`);
  });

  it('clients no longer in care: each refused and audited on its own, as one check at a time was', async () => {
    const admin = { id: p.admin.user.id, roles: p.admin.user.roles, ip: null };
    for (const gone of [clients[0]!, clients[2]!]) {
      await p.t.haven.clinical.care.end(admin, p.therapist.user.id, gone.user.id);
    }
    const before = (await auditEvents(p.t.haven, { action: 'clinical.access_denied' })).length;
    const session = await therapistSession();
    const page = await session.agent.get('/');
    assert.equal(page.status, 403, 'the page is refused, as before');
    assert.doesNotMatch(page.text, /Client [ABC]/);
    const denied = (await auditEvents(p.t.haven, { action: 'clinical.access_denied' })).slice(before);
    assert.deepEqual(
      denied.map((e) => [e.actorId, e.targetType, e.subjectId]).sort(),
      [clients[0]!, clients[2]!].map((c) => [p.therapist.user.id, 'safety_check', c.user.id]).sort(),
      'one refusal for each client out of care, none for the one still in care',
    );
  });
});
