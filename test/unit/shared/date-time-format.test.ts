import assert from 'node:assert/strict';
import {
  DEFAULT_LOCALE,
  formatDate,
  formatDateTime,
  formatTime,
  localeFromAcceptLanguage,
} from '../../../server/shared/date-time-format';

describe('date and time for people to read', () => {
  const at = new Date('2026-12-03T04:05:00Z');
  const uk = { locale: 'en-GB', timeZone: 'Europe/London' };
  const us = { locale: 'en-US', timeZone: 'America/New_York' };

  it("writes the reader's style: 24-hour with a leading zero in en-GB, 12-hour in en-US", () => {
    assert.equal(formatDateTime(at, uk), 'Thu, 3 Dec 2026, 04:05');
    assert.equal(formatTime(at, uk), '04:05');
    assert.equal(formatDate(at, uk), 'Thu, 3 Dec 2026');
    assert.equal(formatDateTime(at, us), 'Wed, Dec 2, 2026, 11:05 PM');
    assert.equal(formatTime(at, us), '11:05 PM');
  });

  it("uses the reader's time zone, also across a date line", () => {
    assert.equal(formatDate(at, { locale: 'en-GB', timeZone: 'Pacific/Kiritimati' }), 'Thu, 3 Dec 2026');
    assert.equal(formatDate(at, { locale: 'en-GB', timeZone: 'Pacific/Pago_Pago' }), 'Wed, 2 Dec 2026');
    assert.equal(formatTime(at, { locale: 'en-GB', timeZone: 'Asia/Kolkata' }), '09:35');
  });

  it('takes ISO strings and epoch milliseconds as well as dates', () => {
    assert.equal(formatDateTime('2026-12-03T04:05:00.000Z', uk), formatDateTime(at, uk));
    assert.equal(formatDateTime(at.getTime(), uk), formatDateTime(at, uk));
  });

  it('picks the first formattable language of Accept-Language, by quality', () => {
    assert.equal(localeFromAcceptLanguage('en-US,en;q=0.9'), 'en-US');
    assert.equal(localeFromAcceptLanguage('de;q=0.5, fr-CA'), 'fr-CA');
    assert.equal(localeFromAcceptLanguage('*, en-GB;q=0.1'), 'en-GB');
    assert.equal(localeFromAcceptLanguage(undefined), DEFAULT_LOCALE);
    assert.equal(localeFromAcceptLanguage(''), DEFAULT_LOCALE);
    assert.equal(localeFromAcceptLanguage('"><script>, 12345'), DEFAULT_LOCALE, 'junk is ignored');
    assert.equal(localeFromAcceptLanguage('en;q=0, de'), 'de', 'q=0 means not wanted');
  });
});
