import assert from 'node:assert/strict';
import { contrastProblems, DEFAULT_COLOURS } from '../../../server/admin/clinic-preferences.schemas';
import { contrastRatio, formatRatio, normaliseHex } from '../../../server/admin/contrast';
import { csvField, csvRow } from '../../../server/admin/csv';

describe('admin: WCAG contrast', () => {
  it('matches the reference ratios (black/white 21:1, same colour 1:1, #767676 on white ≈ 4.54:1)', () => {
    assert.equal(contrastRatio('#000000', '#ffffff'), 21);
    assert.equal(contrastRatio('#ffffff', '#000'), 21, 'order and short form do not matter');
    assert.equal(contrastRatio('#2f6f6a', '#2f6f6a'), 1);
    assert.ok(Math.abs(contrastRatio('#767676', '#ffffff') - 4.54) < 0.01);
    assert.ok(contrastRatio('#777777', '#ffffff') < 4.5, '#777 on white is the classic near miss');
  });

  it('rounds down when showing a ratio, so a failing pair never reads as passing', () => {
    assert.equal(formatRatio(4.4999), '4.4:1');
    assert.equal(formatRatio(21), '21.0:1');
  });

  it('accepts only hex colours', () => {
    assert.equal(normaliseHex('#ABC'), '#aabbcc');
    assert.equal(normaliseHex(' #2F6F6A '), '#2f6f6a');
    for (const bad of ['red', '#12345', 'url(x)', '#2f6f6a;}body{', ''])
      assert.equal(normaliseHex(bad), null);
  });

  it("finds every unreadable pair; Haven's own colours pass", () => {
    assert.deepEqual(contrastProblems(DEFAULT_COLOURS), {});
    const problems = contrastProblems({
      primary: '#ffff00',
      primaryText: '#ffffff',
      background: '#ffffff',
      text: '#000000',
    });
    // Each problem names its pair (a resource key) and the ratio found, rounded down as the page's table shows it.
    assert.deepEqual(problems.primaryText, {
      key: 'admin:problem.contrast.primaryTextOnPrimary',
      values: { ratio: 1, min: 4.5 },
    });
    assert.deepEqual(problems.primary, {
      key: 'admin:problem.contrast.primaryOnBackground',
      values: { ratio: Math.floor(contrastRatio('#ffff00', '#ffffff') * 10) / 10, min: 4.5 },
    });
    assert.equal(problems.text, undefined);
  });
});

describe('admin: CSV fields', () => {
  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField(null), '');
    assert.equal(csvField(42), '42');
    assert.equal(csvRow(['a', null, 'b,c']), 'a,,"b,c"\r\n');
  });

  it('neutralises values a spreadsheet would run as formulas', () => {
    for (const evil of ['=1+1', '+1', '-2', '@SUM(A1)', '\tx', '\rx']) {
      assert.ok(csvField(evil).replace(/^"/, '').startsWith("'"), evil);
    }
    assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvField(-2), '-2', 'numbers stay numbers');
  });
});
