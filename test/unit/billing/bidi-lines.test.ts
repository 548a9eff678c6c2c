import assert from 'node:assert/strict';
import { baseDirection, visualPieces, wrapLines } from '../../../server/billing/pdf/bidi-lines';

const texts = (line: string, dir: 'ltr' | 'rtl') => visualPieces(line, dir).map((p) => p.text);

/** The order an Arabic line's pieces are drawn in, from left to right on paper (UAX #9 via bidi-js). */
describe('billing PDFs: Arabic lines in visual order', () => {
  it('puts an Arabic label to the right of the Latin number it names', () => {
    assert.deepEqual(texts('الفاتورة INV-000007', 'rtl'), ['INV-000007', ' ', 'الفاتورة']);
  });

  it('reads a day from the right, with its Arabic-Indic digits left to right (one glyph at a time)', () => {
    assert.deepEqual(texts('٣ مارس ٢٠٢٦', 'rtl'), ['٢', '٠', '٢', '٦', ' ', 'مارس', ' ', '٣']);
  });

  it('drops the directional marks Intl puts around an amount and keeps its digits in order', () => {
    const amount = new Intl.NumberFormat('ar-u-nu-arab', { style: 'currency', currency: 'USD' }).format(60);
    assert.equal(
      texts(amount, 'rtl')
        .filter((p) => /[٠-٩٫]/.test(p))
        .join(''),
      '٦٠٫٠٠',
    );
    assert.ok(!texts(amount, 'rtl').some((p) => /[\u200e\u200f\u061c]/.test(p)));
  });

  it('mirrors brackets inside right-to-left text (the piece goes whole to fontkit, which draws it reversed: "(…)")', () => {
    assert.deepEqual(texts('تحويل (بطاقة)', 'rtl'), [')بطاقة(', ' ', 'تحويل']);
  });

  it('an Arabic name on an English page is right to left; a Latin address on an Arabic page stays in order', () => {
    assert.equal(baseDirection('ليلى حداد', 'ltr'), 'rtl');
    assert.equal(baseDirection('1 Quiet Street', 'ltr'), 'ltr');
    assert.deepEqual(texts('ليلى حداد', 'rtl'), ['حداد', ' ', 'ليلى']);
  });

  it('wraps at spaces to the width it is given', () => {
    const canvas = { widthOfString: (s: string) => s.length, text: () => undefined };
    assert.deepEqual(wrapLines(canvas, 'aaa bbb ccc', 7), ['aaa bbb', 'ccc']);
  });
});
