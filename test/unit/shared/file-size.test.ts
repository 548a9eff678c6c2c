import assert from 'node:assert/strict';
import { formatBytes } from '../../../server/shared/file-size';

describe('file sizes for people to read', () => {
  it('uses the largest unit that keeps the number small', () => {
    assert.equal(formatBytes(10240 * 1024), '10 MB', 'MESSAGE_ATTACHMENT_MAX_KB=10240 reads as 10 MB');
    assert.equal(formatBytes(1024 * 1024), '1 MB');
    assert.equal(formatBytes(1536 * 1024), '1.5 MB');
    assert.equal(formatBytes(820 * 1024), '820 KB');
    assert.equal(formatBytes(80.1 * 1024 ** 3), '80 GB');
    assert.equal(formatBytes(2.25 * 1024 ** 3), '2.3 GB');
    assert.equal(formatBytes(16), '16 bytes');
    assert.equal(formatBytes(1), '1 byte');
    assert.equal(formatBytes(0), '0 bytes');
  });

  it('never shows 1024 of a unit', () => {
    assert.equal(formatBytes(1024 * 1024 - 1), '1 MB');
  });

  it('says nothing for a size that is not one', () => {
    assert.equal(formatBytes(-1), '');
    assert.equal(formatBytes(Number.NaN), '');
  });
});

describe('file sizes in the reader’s language', () => {
  // Intl separates number and unit with a (narrow) no-break space in some languages.
  const spaced = (s: string): string => s.replace(/\s/gu, ' ');

  it('writes the number and the unit the way the locale does, with the same rounding', () => {
    assert.equal(spaced(formatBytes(1536 * 1024, 'fr')), '1,5 Mo');
    assert.equal(spaced(formatBytes(12, 'fr')), '12 octets');
    assert.equal(spaced(formatBytes(1536 * 1024, 'es')), '1,5 MB');
    assert.equal(spaced(formatBytes(1024 * 1024 - 1, 'pt-BR')), '1 MB');
    assert.equal(formatBytes(820 * 1024, 'en-US'), '820 KB', 'English keeps its own form');
    assert.match(formatBytes(10240 * 1024, 'ar-u-nu-arab'), /^١٠ /);
    assert.equal(formatBytes(-1, 'fr'), '');
  });

  it('writes the same with a kept formatter as with a new one, for every unit and alternating locales', () => {
    const fresh = (bytes: number, locale: string, unit: string, display: 'long' | 'short'): string =>
      new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: display }).format(bytes);
    for (let round = 0; round < 2; round += 1) {
      for (const locale of ['fr', 'ar-u-nu-arab', 'pt-BR', 'es']) {
        assert.equal(formatBytes(12, locale), fresh(12, locale, 'byte', 'long'));
        assert.equal(formatBytes(1536, locale), fresh(1.5, locale, 'kilobyte', 'short'));
        assert.equal(formatBytes(1536 * 1024, locale), fresh(1.5, locale, 'megabyte', 'short'));
        assert.equal(formatBytes(3 * 1024 ** 3, locale), fresh(3, locale, 'gigabyte', 'short'));
        assert.equal(formatBytes(20 * 1024 ** 4, locale), fresh(20, locale, 'terabyte', 'short'));
      }
    }
  });
});
