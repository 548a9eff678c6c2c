import assert from 'node:assert/strict';
import type { FakeClock } from '../../../server/shared/clock';
import { AppError } from '../../../server/shared/errors';
import { createPerson, csrfFrom, signIn, type TestPerson } from '../../support/accounts';
import { startPractice } from '../../support/practice';
import type { TestHaven } from '../../support/test-haven';
import { actor, weekdayHours } from './scheduling-fixtures';
import { auditEvents } from '../../support/audit-trail';

/**
 * The care rule (scheduling/care-rule.ts): a confirmed appointment makes its therapist a treating
 * therapist at once; cancelling the appointment that began care, before anything else happened,
 * ends it again. No admin step anywhere.
 */
describe('scheduling: care begins with a confirmed appointment', function () {
  this.timeout(60_000);
  let t: TestHaven;
  let clock: FakeClock;
  let admin: TestPerson;
  let therapist: TestPerson;
  let typeId: string;

  beforeEach(async () => {
    ({ t, clock, admin, therapist, sessionKindId: typeId } = await startPractice());
  });
  afterEach(() => t.stop());

  const newClient = (name: string) => createPerson(t.haven, { roles: ['client'], displayName: name });
  const isTreating = (client: TestPerson) =>
    t.haven.clinical.care.isTreating(therapist.user.id, client.user.id);
  const book = (client: TestPerson, start: string) =>
    t.haven.scheduling.booking.bookAsClient(actor(client.user), {
      therapistId: therapist.user.id,
      typeId,
      start,
    });

  it('a client who books directly is seen: room, safety check and messages work with no admin step', async () => {
    const casey = await newClient('Casey Client');
    const other = await newClient('Other Client');
    let cl = await signIn(t.haven, casey, () => clock.now());
    const page = await cl.agent.get(`/book?therapistId=${therapist.user.id}&typeId=${typeId}`).expect(200);
    const booked = await cl.agent
      .post('/book')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        therapistId: therapist.user.id,
        typeId,
        start: '2026-03-03T10:00:00.000Z',
      })
      .expect(303);
    const appointmentId = /\/appointments\/([0-9a-f-]{36})$/.exec(booked.headers.location ?? '')![1]!;
    assert.equal(await isTreating(casey), true, 'care began with the booking');
    const [assigned] = await auditEvents(t.haven, { action: 'care.assigned', subjectId: casey.user.id });
    assert.equal(assigned?.actorId, casey.user.id, 'the audit names the person whose act began care');
    assert.match(String(assigned?.details), /"via":"appointment"/);

    clock.set(new Date('2026-03-03T09:55:00Z')); // the next morning: both sign in again
    cl = await signIn(t.haven, casey, () => clock.now());
    const th = await signIn(t.haven, therapist, () => clock.now());
    const entry = await th.agent.get(`/rooms/appointment/${appointmentId}`).expect(303);
    const roomPath = entry.headers.location as string;
    const hostRoom = await th.agent.get(roomPath).expect(200);
    assert.match(
      hostRoom.text,
      /Casey Client<\/strong>:\s*<span class="safety-answer"[^>]*>not confirmed for this session yet/,
    );

    const check = await cl.agent.get(`/clinical/safety-check?appointment=${appointmentId}`).expect(200);
    await cl.agent
      .post('/clinical/safety-check')
      .type('form')
      .send({
        _csrf: csrfFrom(check.text),
        appointmentId,
        location: '10 Marker Street, Leeds',
        callbackNumber: '+44 113 496 0123',
      })
      .expect(303);
    await cl.agent.get(`/rooms/appointment/${appointmentId}`).expect(303).expect('location', roomPath);
    await cl.agent.get(roomPath).expect(200);
    assert.match((await th.agent.get(roomPath).expect(200)).text, /at 10 Marker Street, Leeds/);

    // Messaging: the client writes to the therapist, who reads it.
    const inbox = await cl.agent.get('/messages').expect(200);
    assert.match(inbox.text, /Write to Dr Rivera/);
    const opened = await cl.agent
      .post('/messages/open')
      .type('form')
      .send({ _csrf: csrfFrom(inbox.text), with: therapist.user.id })
      .expect(303);
    const threadPath = opened.headers.location as string;
    const thread = await cl.agent.get(threadPath).expect(200);
    const action = /action="(\/messages\/[^"]+\?_csrf=[^"]+)" enctype/.exec(thread.text)![1]!;
    await cl.agent.post(action.replace(/&amp;/g, '&')).field('body', 'See you tomorrow').expect(303);
    assert.match((await th.agent.get(threadPath).expect(200)).text, /See you tomorrow/);

    // Nothing of anyone else's: the therapist does not treat the other client.
    assert.equal(await isTreating(other), false);
    await assert.rejects(
      t.haven.clinical.intake.latestSafetyCheck(
        { id: therapist.user.id, roles: therapist.user.roles },
        other.user.id,
      ),
      (e: unknown) => e instanceof AppError && e.code === 'clinical.forbidden',
    );
  });

  it('request mode: care begins with the therapist’s approval, never with the request', async () => {
    await weekdayHours(t.haven, therapist.user, 'Europe/London', { bookingMode: 'request' });
    const asked = await newClient('Asking Client');
    const refused = await newClient('Declined Client');
    const a = await book(asked, '2026-03-03T10:00:00.000Z');
    const b = await book(refused, '2026-03-03T12:00:00.000Z');
    assert.equal(a.status, 'requested');
    assert.equal(await isTreating(asked), false, 'a request alone shares nothing');
    await t.haven.scheduling.booking.approve(actor(therapist.user), a.id);
    assert.equal(await isTreating(asked), true);
    await t.haven.scheduling.booking.decline(actor(therapist.user), b.id);
    assert.equal(await isTreating(refused), false);
    const [assigned] = await auditEvents(t.haven, { action: 'care.assigned', subjectId: asked.user.id });
    assert.equal(assigned?.actorId, therapist.user.id, 'the approval is the act that began care');
  });

  it('cancelling the only appointment ends the care it began; another held appointment keeps it', async () => {
    const once = await newClient('One-off Client');
    const first = await book(once, '2026-03-04T10:00:00.000Z');
    assert.equal(await isTreating(once), true);
    await t.haven.scheduling.booking.cancel(actor(once.user), first.id);
    assert.equal(await isTreating(once), false, 'nothing else happened between them');
    assert.equal((await auditEvents(t.haven, { action: 'care.ended', subjectId: once.user.id })).length, 1);

    const regular = await newClient('Regular Client');
    const x = await book(regular, '2026-03-04T12:00:00.000Z');
    await book(regular, '2026-03-05T12:00:00.000Z');
    await t.haven.scheduling.booking.cancel(actor(regular.user), x.id);
    assert.equal(await isTreating(regular), true, 'the other confirmed appointment keeps care');
  });

  it('care an admin assigned is never ended by a cancellation', async () => {
    const assigned = await newClient('Assigned Client');
    await t.haven.clinical.care.assign(
      { id: admin.user.id, roles: admin.user.roles },
      therapist.user.id,
      assigned.user.id,
    );
    const a = await t.haven.scheduling.booking.bookForClient(actor(therapist.user), {
      typeId,
      clientIds: [assigned.user.id],
      start: '2026-03-04T10:00:00.000Z',
    });
    await t.haven.scheduling.booking.cancel(actor(therapist.user), a.id);
    assert.equal(await isTreating(assigned), true);
    assert.equal(
      (await auditEvents(t.haven, { action: 'care.assigned', subjectId: assigned.user.id })).length,
      1,
      'no second row',
    );
  });

  it('a therapist cannot book themself as their own client', async () => {
    const both = await createPerson(t.haven, { roles: ['therapist', 'client'], displayName: 'Dual' });
    await weekdayHours(t.haven, both.user, 'Europe/London');
    await assert.rejects(
      t.haven.scheduling.booking.bookAsClient(actor(both.user), {
        therapistId: both.user.id,
        typeId,
        start: '2026-03-03T10:00:00.000Z',
      }),
      (e: unknown) => e instanceof AppError && e.code === 'appointment.self',
    );
  });
});
