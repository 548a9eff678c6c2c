import assert from 'node:assert/strict';
import {
  jurisdictionFits,
  licenceAllowsNewBookings,
  licenceStatus,
  rankMatches,
  type PractitionerProfile,
} from '../../../server/directory';

const licence = (over: Partial<PractitionerProfile['licence']> = {}): PractitionerProfile['licence'] => ({
  type: 'LPC',
  number: 'OR-1234',
  jurisdiction: 'Oregon',
  expiresOn: '2026-12-31',
  verifiedAt: new Date('2026-01-10T12:00:00Z'),
  verifiedBy: 'admin',
  verificationMethod: 'state board lookup',
  ...over,
});

function profile(name: string, over: Partial<PractitionerProfile> = {}): PractitionerProfile {
  return {
    userId: name,
    displayName: name,
    kind: 'therapist',
    bio: '',
    specialties: [],
    approaches: [],
    languages: ['English'],
    formats: ['video'],
    times: [],
    acceptingNewClients: true,
    licence: licence(),
    licenceWarningSentFor: null,
    updatedAt: new Date(),
    licenceStatus: { state: 'verified', daysLeft: 100, verifiedOn: new Date() },
    acceptsNewBookings: true,
    ...over,
  };
}

describe('licence status', () => {
  const now = new Date('2026-06-01T12:00:00Z');

  it('shows the badge with the verification date while verified and in date', () => {
    const s = licenceStatus(licence(), now);
    assert.equal(s.state, 'verified');
    assert.equal(s.verifiedOn?.toISOString().slice(0, 10), '2026-01-10', 'the day, worded by the page');
    assert.equal(licenceAllowsNewBookings(s), true);
  });

  it('warns within 30 days, and drops the badge and new bookings after expiry', () => {
    const expiring = licenceStatus(licence({ expiresOn: '2026-06-30' }), now);
    assert.equal(expiring.state, 'expiring');
    assert.equal(expiring.daysLeft, 29);
    assert.ok(expiring.verifiedOn);
    assert.equal(licenceAllowsNewBookings(expiring), true);
    assert.equal(licenceStatus(licence({ expiresOn: '2026-07-01' }), now).state, 'verified');

    // Valid through the end of its last day, gone the moment after.
    assert.equal(licenceStatus(licence({ expiresOn: '2026-06-01' }), now).state, 'expiring');
    const expired = licenceStatus(licence({ expiresOn: '2026-05-31' }), now);
    assert.equal(expired.state, 'expired');
    assert.equal(expired.verifiedOn, null);
    assert.equal(licenceAllowsNewBookings(expired), false);
  });

  it('unverified or incomplete licences have no badge and take no new bookings', () => {
    const unverified = licenceStatus(licence({ verifiedAt: null }), now);
    assert.equal(unverified.state, 'unverified');
    assert.equal(unverified.verifiedOn, null);
    assert.equal(licenceAllowsNewBookings(unverified), false);
    assert.equal(licenceStatus(licence({ number: null }), now).state, 'missing');
  });
});

describe('matching', () => {
  it('fits a licence only where the client is', () => {
    assert.equal(jurisdictionFits('Oregon', 'Portland, Oregon, USA'), true);
    assert.equal(jurisdictionFits('oregon', 'PORTLAND OREGON'), true);
    assert.equal(jurisdictionFits('Oregon', 'Seattle, Washington'), false);
    assert.equal(jurisdictionFits('New York', 'York, England'), false);
    assert.equal(jurisdictionFits(null, 'Oregon'), false);
    assert.equal(jurisdictionFits('Oregon', ''), false);
  });

  it('ranks by what the client asked for and says why', () => {
    const profiles = [
      profile('Ana', {
        specialties: ['anxiety'],
        approaches: ['CBT'],
        languages: ['English', 'Spanish'],
        times: ['evenings'],
      }),
      profile('Ben', { specialties: ['anxiety', 'depression'] }),
      profile('Cy', { specialties: ['anxiety'], licence: licence({ jurisdiction: 'Washington' }) }),
      profile('Dee', { specialties: ['anxiety'], acceptsNewBookings: false }),
      profile('Eve', { kind: 'peer_supporter', specialties: ['anxiety'] }),
    ];
    const matches = rankMatches(profiles, {
      location: 'Eugene, Oregon',
      topics: ['anxiety', 'depression'],
      language: 'spanish',
      approach: 'CBT',
      times: ['evenings'],
    });
    assert.deepEqual(
      matches.map((m) => m.profile.displayName),
      ['Ana', 'Ben'],
      'other jurisdictions, closed books and peer supporters are left out',
    );
    assert.deepEqual(matches[0]?.reasons, [
      { kind: 'licensed', value: 'Oregon' },
      { kind: 'topic', value: 'anxiety' },
      { kind: 'language', value: 'Spanish' },
      { kind: 'approach', value: 'CBT' },
      { kind: 'time', value: 'evenings' },
    ]);
    assert.deepEqual(matches[1]?.reasons, [
      { kind: 'licensed', value: 'Oregon' },
      { kind: 'topic', value: 'anxiety' },
      { kind: 'topic', value: 'depression' },
    ]);
  });
});
