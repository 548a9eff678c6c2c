import { createPerson, createUser, signIn } from '../../support/accounts';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../server/shared/clock';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { actor } from '../clinical/clinical-fixtures';
import { individualType, weekdayHours } from '../scheduling/scheduling-fixtures';
import { refusal } from '../../support/refusals';

const form = {
  bio: 'I help adults with anxiety.',
  specialties: ['anxiety', 'depression'],
  approaches: 'CBT',
  formats: ['video'],
  times: 'evenings',
  languages: 'English, Spanish',
  acceptingNewClients: 'on',
  licenceType: 'LPC',
  licenceNumber: 'OR-1234',
  licenceJurisdiction: 'Oregon',
  licenceExpiresOn: '2026-03-15',
};

describe('directory: profiles, licence verification and expiry', () => {
  let t: TestHaven;
  const clock = new FakeClock('2026-01-05T09:00:00Z');

  beforeEach(async () => {
    clock.set('2026-01-05T09:00:00Z');
    t = await startTestHaven({ clock });
  });
  afterEach(async () => t.stop());

  it('a therapist profile is bookable only once an admin verifies the licence, until it expires', async () => {
    const { directory } = t.haven;
    const admin = await createUser(t.haven, { roles: ['admin'], displayName: 'Ada Admin' });
    const therapist = await createUser(t.haven, { roles: ['therapist'], displayName: 'Theo Therapist' });

    const saved = await directory.saveOwnProfile(actor(therapist), form);
    assert.deepEqual(saved.languages, ['English', 'Spanish']);
    assert.deepEqual(saved.approaches, ['CBT']);
    assert.equal(saved.licenceStatus.state, 'unverified');
    assert.equal(saved.acceptsNewBookings, false);

    await assert.rejects(
      directory.verifyLicence(actor(therapist), therapist.id, { method: 'self' }),
      refusal('directory.forbidden', 'directory:problem.notOwnLicence'),
    );
    await assert.rejects(
      directory.verifyLicence(actor(admin), therapist.id, { method: '' }),
      refusal('directory.verify_invalid', 'directory:problem.howChecked'),
    );
    const verified = await directory.verifyLicence(actor(admin), therapist.id, {
      method: 'Oregon board online lookup',
    });
    assert.equal(verified.licenceStatus.verifiedOn?.toISOString(), '2026-01-05T09:00:00.000Z');
    // The badge is the page's words, in its reader's language (not English from the service).
    const reader = await createPerson(t.haven, { roles: ['client'], language: 'es' });
    const page = await (
      await signIn(t.haven, reader)
    ).agent
      .get(`/directory/profiles/${therapist.id}`)
      .expect(200);
    assert.match(page.text, /<p class="badge">Licencia verificada el [^<]*2026<\/p>/);
    assert.doesNotMatch(page.text, /Licence verified/);
    assert.equal(verified.licence.verifiedBy, admin.id);
    assert.equal(verified.acceptsNewBookings, true);
    assert.equal((await directory.match({ location: 'Salem, Oregon', topics: ['anxiety'] })).length, 1);

    // Thirty days before expiry: therapist and admin are told, once.
    clock.set('2026-02-20T09:00:00Z');
    assert.equal(await directory.warnExpiringLicences(), 1);
    assert.equal(await directory.warnExpiringLicences(), 0);
    const queued = await t.haven.mail.outbox.list();
    assert.deepEqual(queued.map((m) => m.to).sort(), [admin.email, therapist.email].sort());

    // After expiry: no badge, no new bookings, out of the shortlist.
    clock.set('2026-03-16T00:00:01Z');
    const expired = await directory.profile(therapist.id);
    assert.equal(expired?.licenceStatus.state, 'expired');
    assert.equal(expired?.licenceStatus.verifiedOn, null);
    assert.equal(await directory.acceptsNewBookings(therapist.id), false);
    assert.deepEqual(await directory.match({ location: 'Salem, Oregon' }), []);

    // Renewal: a new date clears the old verification until an admin checks again.
    const renewed = await directory.saveOwnProfile(actor(therapist), {
      ...form,
      licenceExpiresOn: '2028-03-15',
    });
    assert.equal(renewed.licenceStatus.state, 'unverified');
    await directory.verifyLicence(actor(admin), therapist.id, { method: 'board lookup' });
    assert.equal(await directory.acceptsNewBookings(therapist.id), true);
  });

  it("shows a bookable therapist's next open slot from scheduling; none without hours", async () => {
    const { directory } = t.haven;
    const admin = await createUser(t.haven, { roles: ['admin'] });
    const withHours = await createUser(t.haven, { roles: ['therapist'], displayName: 'Hana Hours' });
    const without = await createUser(t.haven, { roles: ['therapist'], displayName: 'Nico Nohours' });
    for (const th of [withHours, without]) {
      await directory.saveOwnProfile(actor(th), form);
      await directory.verifyLicence(actor(admin), th.id, { method: 'board lookup' });
    }
    await individualType(t.haven, admin);
    await weekdayHours(t.haven, withHours, 'UTC');
    const slots = await directory.nextOpenSlots(await directory.all());
    // 2026-01-05 09:00 UTC is a Monday: the first hour is open right now.
    assert.equal(slots.get(withHours.id)?.toISOString(), '2026-01-05T09:00:00.000Z');
    assert.equal(slots.has(without.id), false);
  });

  it('peer supporters have profiles labelled as peer support, without licences, never in clinical matching', async () => {
    const { directory } = t.haven;
    const peer = await createUser(t.haven, { roles: ['peer_supporter'], displayName: 'Pat Peer' });
    const client = await createUser(t.haven, { roles: ['client'], displayName: 'Cleo Client' });
    const saved = await directory.saveOwnProfile(actor(peer), form);
    assert.equal(saved.kind, 'peer_supporter');
    assert.equal(saved.licence.number, null, 'a peer supporter cannot claim a licence');
    assert.equal(saved.acceptsNewBookings, true);
    assert.deepEqual(await directory.match({ location: 'Oregon', topics: ['anxiety'] }), []);
    assert.equal((await directory.search({ kind: 'peer_supporter' })).length, 1);
    await assert.rejects(
      directory.saveOwnProfile(actor(client), form),
      refusal('directory.forbidden', 'directory:problem.practitionersOnly'),
    );
  });
});
