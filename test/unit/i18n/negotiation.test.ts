import assert from 'node:assert/strict';
import { chooseLanguage, localeFor, type LanguageSignals } from '../../../server/i18n';

const ALL = ['en', 'es', 'fr', 'ar', 'pt'];

function signals(overrides: Partial<LanguageSignals>): LanguageSignals {
  return {
    profile: null,
    cookie: null,
    acceptLanguage: undefined,
    offered: ALL,
    clinicDefault: 'en',
    ...overrides,
  };
}

describe('choosing the language of a page', () => {
  it("the person's profile wins over the switcher cookie, the browser and the clinic", () => {
    const all = { profile: 'ar', cookie: 'fr', acceptLanguage: 'es-MX,es;q=0.9', clinicDefault: 'pt' };
    assert.equal(chooseLanguage(signals(all)), 'ar');
    assert.equal(chooseLanguage(signals({ ...all, profile: null })), 'fr', 'then the cookie');
    assert.equal(chooseLanguage(signals({ ...all, profile: null, cookie: null })), 'es', 'then the browser');
    assert.equal(
      chooseLanguage(signals({ ...all, profile: null, cookie: null, acceptLanguage: undefined })),
      'pt',
      'then the clinic default',
    );
  });

  it("an invited guest's language comes after the switcher cookie and before the browser's", () => {
    const guest = { invited: 'es', acceptLanguage: 'en-GB,en;q=0.9', clinicDefault: 'pt' };
    assert.equal(chooseLanguage(signals(guest)), 'es', 'over the browser');
    assert.equal(
      chooseLanguage(signals({ ...guest, cookie: 'fr' })),
      'fr',
      'under their own switcher choice',
    );
    assert.equal(
      chooseLanguage(signals({ ...guest, offered: ['en', 'pt'] })),
      'en',
      'never one the clinic stopped offering',
    );
  });

  it('only ever chooses a language the clinic offers', () => {
    const offered = ['en', 'es'];
    assert.equal(
      chooseLanguage(signals({ offered, profile: 'ar' })),
      'en',
      'a profile language no longer offered',
    );
    assert.equal(chooseLanguage(signals({ offered, cookie: 'fr', acceptLanguage: 'fr,es;q=0.5' })), 'es');
    assert.equal(
      chooseLanguage(signals({ offered: ['es', 'fr'], clinicDefault: 'en' })),
      'es',
      'a default not offered',
    );
    assert.equal(
      chooseLanguage(signals({ offered: [], clinicDefault: 'xx' })),
      'en',
      'nothing valid: English',
    );
    assert.equal(
      chooseLanguage(signals({ offered: ['de', 'fr'] })),
      'fr',
      'codes Haven does not ship are ignored',
    );
  });

  it('reads Accept-Language by quality, by base language, ignoring junk', () => {
    assert.equal(chooseLanguage(signals({ acceptLanguage: 'de-DE, fr;q=0.4, ar-EG;q=0.8' })), 'ar');
    assert.equal(chooseLanguage(signals({ acceptLanguage: 'PT-br' })), 'pt');
    assert.equal(chooseLanguage(signals({ acceptLanguage: '*, es;q=0' })), 'en', 'q=0 means not wanted');
    assert.equal(chooseLanguage(signals({ acceptLanguage: '"><script>, 12345', clinicDefault: 'fr' })), 'fr');
  });

  it('ignores a cookie or profile value that is not a shipped language', () => {
    assert.equal(chooseLanguage(signals({ profile: 'de', cookie: '../../etc', clinicDefault: 'es' })), 'es');
  });
});

describe('the locale dates and numbers are written in', () => {
  it("keeps the browser's region of the chosen language", () => {
    assert.equal(localeFor('en', 'en-US,en;q=0.9'), 'en-US');
    assert.equal(localeFor('fr', 'fr-CA'), 'fr-CA');
    assert.equal(localeFor('ar', 'ar-MA'), 'ar-MA');
  });

  it("uses the language's own default when the browser names another language or no region", () => {
    assert.equal(localeFor('en', 'de-DE'), 'en-GB');
    assert.equal(localeFor('ar', 'ar'), 'ar-u-nu-arab');
    assert.equal(localeFor('pt', undefined), 'pt-BR');
  });

  it('writes Arabic-Indic digits by default in Arabic, Latin digits for a Maghreb browser', () => {
    assert.equal(new Intl.NumberFormat(localeFor('ar', undefined)).format(42), '٤٢');
    assert.equal(new Intl.NumberFormat(localeFor('ar', 'ar-MA')).format(42), '42');
  });
});
