import assert from 'node:assert/strict';
import { FakeClock } from '../../../server/shared/clock';
import {
  createPerson,
  ensureAdmin,
  signIn,
  type SignedInSession,
  type TestPerson,
} from '../../support/accounts';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { actor, individualType, weekdayHours } from '../scheduling/scheduling-fixtures';
import { auditActions } from '../../support/audit-trail';

/**
 * Telehealth practice: before each session the client confirms where they are and a callback
 * number. The room route enforces it (not just the page), and the therapist sees the answer.
 */
describe('rooms: the per-session safety check comes before the room', function () {
  this.timeout(60_000);
  let t: TestHaven;
  const clock = new FakeClock('2026-03-10T12:50:00Z'); // a Tuesday, 10 minutes before the session
  let therapist: TestPerson;
  let client: TestPerson;
  let th: SignedInSession;
  let cl: SignedInSession;
  let appointmentId: string;
  let roomId: string;
  const checkUrl = () => `/clinical/safety-check?appointment=${appointmentId}`;

  before(async () => {
    t = await startTestHaven({ clock });
    const admin = (await ensureAdmin(t.haven)) ?? (await createPerson(t.haven, { roles: ['admin'] }));
    therapist = await createPerson(t.haven, { roles: ['therapist'], displayName: 'Dr Rivera' });
    client = await createPerson(t.haven, { roles: ['client'], displayName: 'Casey Client' });
    await t.haven.clinical.care.assign(null, therapist.user.id, client.user.id);
    await weekdayHours(t.haven, therapist.user, 'Europe/London');
    const type = await individualType(t.haven, admin.user);
    appointmentId = (
      await t.haven.scheduling.booking.bookForClient(actor(therapist.user), {
        typeId: type.id,
        clientIds: [client.user.id],
        start: '2026-03-10T13:00:00.000Z',
      })
    ).id;
    th = await signIn(t.haven, therapist, () => clock.now());
    cl = await signIn(t.haven, client, () => clock.now());
    const hostEntry = await th.agent.get(`/rooms/appointment/${appointmentId}`).expect(303);
    roomId = /^\/rooms\/([0-9a-f-]{36})$/.exec(hostEntry.headers.location as string)![1]!;
  });
  after(async () => t?.stop());

  it('sends a client to the check first, from the appointment link and from the room address', async () => {
    const viaLink = await cl.agent.get(`/rooms/appointment/${appointmentId}`).expect(303);
    assert.equal(viaLink.headers.location, checkUrl());
    const direct = await cl.agent.get(`/rooms/${roomId}`).expect(303);
    assert.equal(direct.headers.location, checkUrl(), 'the room address does not skip the check');
  });

  it('does not count a check confirmed for no particular session', async () => {
    await cl.agent
      .post('/clinical/safety-check')
      .type('form')
      .send({ _csrf: await cl.csrf(), location: 'Somewhere else', callbackNumber: '+44 20 7946 0000' })
      .expect(303);
    const again = await cl.agent.get(`/rooms/appointment/${appointmentId}`).expect(303);
    assert.equal(again.headers.location, checkUrl());
  });

  it('shows the therapist that the check is not confirmed yet', async () => {
    const page = await th.agent.get(`/rooms/${roomId}`).expect(200);
    assert.match(
      page.text,
      /Casey Client<\/strong>:\s*<span class="safety-answer"[^>]*>not confirmed for this session yet/,
    );
    assert.doesNotMatch(page.text, /Somewhere else/, 'an unrelated check is not shown as this session’s');
  });

  it('after the check the client returns to the room, and the therapist sees location and callback', async () => {
    const form = await cl.agent.get(checkUrl()).expect(200);
    assert.match(form.text, new RegExp(`name="appointmentId" value="${appointmentId}"`));
    const bad = await cl.agent
      .post('/clinical/safety-check')
      .type('form')
      .send({ _csrf: await cl.csrf(), appointmentId, location: 'Leeds', callbackNumber: 'call me' });
    assert.equal(bad.status, 400, 'a callback that is not a phone number is refused');
    const done = await cl.agent
      .post('/clinical/safety-check')
      .type('form')
      .send({
        _csrf: await cl.csrf(),
        appointmentId,
        location: '10 Marker Street, Leeds',
        callbackNumber: '+44 113 496 0123',
      })
      .expect(303);
    assert.equal(done.headers.location, `/rooms/appointment/${appointmentId}`);
    const entry = await cl.agent.get(`/rooms/appointment/${appointmentId}`).expect(303);
    assert.equal(entry.headers.location, `/rooms/${roomId}`);
    const room = await cl.agent.get(`/rooms/${roomId}`).expect(200);
    assert.doesNotMatch(room.text, /Safety check/, 'the client page lists no safety checks');

    const hostPage = await th.agent.get(`/rooms/${roomId}`).expect(200);
    assert.match(
      hostPage.text,
      /Casey Client<\/strong>:\s*<span class="safety-answer"[^>]*>at 10 Marker Street, Leeds; callback/,
    );
    assert.match(hostPage.text, /href="tel:\+44 113 496 0123"/);
    const audit = await auditActions(t.haven, { action: 'safety_check.read', actorId: therapist.user.id });
    assert.ok(audit.length >= 1, 'the therapist’s read is audited');
  });

  it('asks nothing before an ad-hoc room (no appointment)', async () => {
    const other = await createPerson(t.haven, { roles: ['client'], displayName: 'Drew' });
    await t.haven.clinical.care.assign(null, therapist.user.id, other.user.id);
    const opened = await th.agent
      .post('/rooms')
      .type('form')
      .send({ _csrf: await th.csrf(), clientId: other.user.id })
      .expect(303);
    const drew = await signIn(t.haven, other, () => clock.now());
    const page = await drew.agent.get(opened.headers.location as string).expect(200);
    assert.match(page.text, /id="room"/);
    const host = await th.agent.get(opened.headers.location as string).expect(200);
    assert.doesNotMatch(host.text, /Safety check/);
  });
});
