import assert from 'node:assert/strict';
import type { User } from '../../../server/accounts';
import type { FakeClock } from '../../../server/shared/clock';
import { AppError } from '../../../server/shared/errors';
import { createPerson, csrfFrom, signIn, type TestPerson } from '../../support/accounts';
import { makeBookable, PRACTICE_FORM, startPractice } from '../../support/practice';
import type { TestHaven } from '../../support/test-haven';
import { actor, weekdayHours } from '../scheduling/scheduling-fixtures';

/** A person as the directory sees them. */
const staff = (u: User) => ({ id: u.id, roles: u.roles });
const refused = (e: unknown) => e instanceof AppError && e.code === 'appointment.therapist_unavailable';

/**
 * One rule for "may this therapist be booked" (directory/booking-standing.ts): the directory's
 * "not taking new clients", the therapists /book offers and the booking itself agree. A licence
 * checked with the invitation makes a new therapist bookable with no admin step afterwards.
 */
describe('directory and booking: one rule for taking new clients', function () {
  this.timeout(60_000);
  let t: TestHaven;
  let clock: FakeClock;
  let admin: TestPerson;
  let therapist: TestPerson;
  let typeId: string;

  beforeEach(async () => {
    ({ t, clock, admin, therapist, sessionKindId: typeId } = await startPractice({ bookable: false }));
  });
  afterEach(() => t.stop());

  const offeredTo = async (client: TestPerson) =>
    (await t.haven.scheduling.booking.therapistsFor(actor(client.user))).map((p) => p.id);
  const book = (client: TestPerson, start: string) =>
    t.haven.scheduling.booking.bookAsClient(actor(client.user), {
      therapistId: therapist.user.id,
      typeId,
      start,
    });

  it('unverified: not taking new clients anywhere; existing clients still book; verified: everyone', async () => {
    const newcomer = await createPerson(t.haven, { roles: ['client'], displayName: 'New Client' });
    const existing = await createPerson(t.haven, { roles: ['client'], displayName: 'Existing Client' });
    await t.haven.clinical.care.assign(null, therapist.user.id, existing.user.id);
    const saved = await t.haven.directory.saveOwnProfile(staff(therapist.user), PRACTICE_FORM);
    assert.equal(saved.licenceStatus.state, 'unverified');

    const cl = await signIn(t.haven, newcomer, () => clock.now());
    const card = await cl.agent.get('/directory').expect(200);
    assert.match(card.text, /Dr Rivera[\s\S]*not taking new clients/);
    assert.deepEqual(await offeredTo(newcomer), [], '/book does not offer him to a new client');
    const page = await cl.agent.get('/book').expect(200);
    assert.doesNotMatch(page.text, /Dr Rivera/);
    await assert.rejects(book(newcomer, '2026-03-03T10:00:00.000Z'), refused);
    assert.deepEqual(await offeredTo(existing), [therapist.user.id], 'his own client still books him');
    await book(existing, '2026-03-03T11:00:00.000Z');

    await t.haven.directory.verifyLicence(staff(admin.user), therapist.user.id, { method: 'Board lookup' });
    assert.deepEqual(await offeredTo(newcomer), [therapist.user.id]);
    assert.doesNotMatch((await cl.agent.get('/directory').expect(200)).text, /not taking new clients/);
    await book(newcomer, '2026-03-03T12:00:00.000Z');

    // "Accepting new clients" off: new people cannot book, the ones he treats still can.
    await t.haven.directory.saveOwnProfile(staff(therapist.user), {
      ...PRACTICE_FORM,
      acceptingNewClients: '',
    });
    const another = await createPerson(t.haven, { roles: ['client'] });
    assert.deepEqual(await offeredTo(another), []);
    await assert.rejects(book(another, '2026-03-03T13:00:00.000Z'), refused);
    await book(existing, '2026-03-03T14:00:00.000Z');

    // Expired: nobody books him, not even his own clients.
    clock.set('2100-01-04T12:00:00Z');
    assert.deepEqual(await offeredTo(existing), []);
  });

  it('a licence checked with the invitation: the new therapist is bookable with no admin step after', async () => {
    const ad = await signIn(t.haven, admin, () => clock.now());
    const people = await ad.agent.get('/admin/people').expect(200);
    const licence = {
      licenceType: 'LCSW',
      licenceNumber: 'NY-777',
      licenceJurisdiction: 'New York',
      licenceExpiresOn: '2028-06-30',
      licenceMethod: 'NY Office of the Professions lookup',
    };
    // A mistake in the licence sends nothing.
    const outboxBefore = (await t.haven.mail.outbox.list()).length;
    const bad = await ad.agent
      .post('/admin/people/invite')
      .type('form')
      .send({
        _csrf: csrfFrom(people.text),
        email: 'new.t@example.org',
        role: 'therapist',
        ...licence,
        licenceMethod: '',
      })
      .expect(400);
    assert.match(bad.text, /Say how you checked the licence/);
    assert.match(bad.text, /value="NY-777"/, 'what was typed is kept');
    assert.equal((await t.haven.mail.outbox.list()).length, outboxBefore);

    await ad.agent
      .post('/admin/people/invite')
      .type('form')
      .send({ _csrf: csrfFrom(people.text), email: 'new.t@example.org', role: 'therapist', ...licence })
      .expect(303);
    const mail = (await t.haven.mail.outbox.list()).find((m) => m.to === 'new.t@example.org')!;
    assert.doesNotMatch(mail.text, /NY-777/, 'the licence is not in the email');
    const token = /\/invite\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    const user = await t.haven.accounts.lifecycle.acceptInvitation(
      token,
      { displayName: 'Dr New', password: 'correct horse battery staple 42' },
      null,
    );
    const fresh = await createPerson(t.haven, { roles: ['client'] });
    assert.deepEqual(await offeredTo(fresh), [], 'nobody is bookable before a profile exists');

    const prefilled = await t.haven.directory.invitedLicenceFor(user.id);
    assert.equal(prefilled?.number, 'NY-777');
    const profile = await t.haven.directory.saveOwnProfile(staff(user), {
      ...PRACTICE_FORM,
      licenceType: 'LCSW',
      licenceNumber: 'NY-777',
      licenceJurisdiction: 'New York',
      licenceExpiresOn: '2028-06-30',
    });
    assert.equal(profile.licenceStatus.state, 'verified');
    assert.equal(profile.licence.verifiedBy, admin.user.id);
    assert.equal(profile.licence.verificationMethod, 'NY Office of the Professions lookup');
    assert.equal(profile.acceptsNewBookings, true);
    await weekdayHours(t.haven, user, 'America/New_York');
    assert.ok((await offeredTo(fresh)).includes(user.id), 'offered to new clients at once');
    assert.equal(await t.haven.directory.invitedLicenceFor(user.id), null, 'used up');
    const overview = await ad.agent.get('/admin').expect(200);
    assert.match(overview.text, /Licences to verify \(0\)/);
  });

  it('a licence entered without one checked at invitation waits on the overview for an admin', async () => {
    await t.haven.directory.saveOwnProfile(staff(therapist.user), PRACTICE_FORM);
    const ad = await signIn(t.haven, admin, () => clock.now());
    const overview = await ad.agent.get('/admin').expect(200);
    assert.match(overview.text, /Licences to verify \(1\)/);
    assert.match(
      overview.text,
      new RegExp(`href="/directory/profiles/${therapist.user.id}#verify">Dr Rivera</a>: LPC, Oregon`),
    );
    await makeBookable(t.haven, therapist.user, admin.user);
    assert.match((await ad.agent.get('/admin').expect(200)).text, /Licences to verify \(0\)/);
  });

  it('a fresh clinic has four kinds of appointment that staff edit or retire, and clients cannot', async () => {
    const kinds = await t.haven.scheduling.schedule.listTypes();
    assert.deepEqual(kinds.map((k) => [k.name, k.durationMinutes, k.kind]).sort(), [
      ['Check-in', 25, 'individual'],
      ['Couples session', 50, 'couples'],
      ['Intake', 60, 'individual'],
      ['Session', 50, 'individual'],
    ]);
    const th = await signIn(t.haven, therapist, () => clock.now());
    const page = await th.agent.get('/schedule').expect(200);
    const checkIn = kinds.find((k) => k.name === 'Check-in')!;
    await th.agent
      .post(`/schedule/types/${checkIn.id}`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        name: 'Short check-in',
        durationMinutes: '30',
        format: 'audio',
        bufferAfterMinutes: '5',
      })
      .expect(303);
    const edited = await t.haven.scheduling.schedule.typeById(checkIn.id);
    assert.deepEqual(
      [edited.name, edited.durationMinutes, edited.format, edited.active, edited.kind],
      ['Short check-in', 30, 'audio', false, 'individual'],
      'edited, and retired (the box was not ticked)',
    );
    assert.equal((await t.haven.scheduling.schedule.listTypes()).length, 3);
    const client = await createPerson(t.haven, { roles: ['client'] });
    const cl = await signIn(t.haven, client, () => clock.now());
    const any = await cl.agent.get('/account').expect(200);
    await cl.agent
      .post(`/schedule/types/${checkIn.id}`)
      .type('form')
      .send({
        _csrf: csrfFrom(any.text),
        name: 'Hijacked',
        durationMinutes: '30',
        format: 'video',
        active: 'on',
      })
      .expect(403);
    assert.equal((await t.haven.scheduling.schedule.typeById(checkIn.id)).name, 'Short check-in');
  });
});
