import assert from 'node:assert/strict';
import { isKnownTimeZone, profileSchema, TIME_ZONES } from '../../../server/accounts/accounts.schemas';

describe('profile time zones', () => {
  const profile = (timeZone: string) =>
    profileSchema.safeParse({ displayName: 'Ana', fullName: '', timeZone, language: 'en' });

  it('offers current IANA names, not the ones ICU still uses for renamed zones', () => {
    for (const zone of ['Asia/Kolkata', 'Europe/Kyiv', 'Asia/Kathmandu', 'America/New_York']) {
      assert.ok(TIME_ZONES.includes(zone), zone);
    }
    assert.ok(!TIME_ZONES.includes('Asia/Calcutta'));
  });

  it('accepts current and older spellings, refuses made-up zones', () => {
    assert.equal(profile('Asia/Kolkata').success, true);
    assert.equal(profile('Asia/Calcutta').success, true);
    assert.equal(profile('UTC').success, true);
    assert.equal(profile('Mars/Olympus_Mons').success, false);
    assert.equal(isKnownTimeZone('Australia/Sydney'), true);
  });
});
