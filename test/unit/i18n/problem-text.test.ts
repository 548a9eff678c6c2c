import assert from 'node:assert/strict';
import { createTranslator, problemText } from '../../../server/i18n';
import { phrase } from '../../../server/shared/errors';

const translator = createTranslator();

/** How a service's Phrase reads for each reader: numbers and sizes written the reader's way. */
describe("problemText writes a Phrase's values for its reader", () => {
  const tooLarge = phrase('directory:problem.photoTooLarge', { bytes: 2 * 1024 * 1024 });

  it('writes a `bytes` value as a file size with its unit in the reader language', () => {
    assert.equal(problemText(translator.fixedT('en'), tooLarge), 'Photos can be up to 2 MB.');
    // French and Arabic units from Intl (a narrow no-break space before the unit in French).
    assert.equal(
      problemText(translator.fixedT('fr'), tooLarge),
      'Les photos peuvent faire jusqu’à 2\u202fMo.',
    );
    assert.match(problemText(translator.fixedT('ar'), tooLarge), /^يمكن أن يصل حجم الصورة إلى ٢ /);
  });

  it('writes other numbers in the reader digits (limits named by the service)', () => {
    const reason = phrase('clinical:problem.breakGlassReason', { min: 10, max: 1000 });
    assert.equal(problemText(translator.fixedT('en'), reason), 'Give a reason of 10 to 1,000 characters.');
    assert.equal(problemText(translator.fixedT('ar'), reason), 'اذكر سببًا بين ١٠ و١٬٠٠٠ حرفًا.');
  });

  it('chooses the plural by count and writes the number in the reader digits (a series with conflicts)', () => {
    const conflicts = (n: number) => phrase('scheduling:problem.seriesConflicts', { count: n, n });
    const en = translator.fixedT('en');
    assert.equal(problemText(en, conflicts(1)), '1 of the sessions conflicts with other appointments.');
    assert.equal(problemText(en, conflicts(3)), '3 of the sessions conflict with other appointments.');
    const ar = translator.fixedT('ar');
    assert.equal(problemText(ar, conflicts(2)), 'جلستان تتعارضان مع مواعيد أخرى.');
    assert.equal(problemText(ar, conflicts(3)), '٣ جلسات تتعارض مع مواعيد أخرى.');
    assert.equal(problemText(ar, conflicts(12)), '١٢ جلسة تتعارض مع مواعيد أخرى.');
    assert.equal(
      problemText(translator.fixedT('es'), conflicts(1)),
      '1 de las sesiones coincide con otras citas.',
    );
  });

  it('a list field names its limit in the reader words', () => {
    const limit = phrase('errors:field.chooseAtMost', { max: 50 });
    assert.equal(problemText(translator.fixedT('fr'), limit), 'Choisissez-en au plus 50.');
    assert.equal(problemText(translator.fixedT('ar'), limit), 'اختر ٥٠ على الأكثر.');
  });

  it('writes an `amount` with its `currency` as money, exactly, the reader’s way', () => {
    // A decimal string as billing keeps it (no float in between), in the invoice's currency.
    const limit = phrase('billing:problem.refundTooLarge', { amount: '1250.50', currency: 'USD' });
    assert.equal(
      problemText(translator.fixedT('en'), limit),
      'A refund can return at most what was paid and not yet refunded: US$1,250.50.',
    );
    assert.match(problemText(translator.fixedT('fr'), limit), /: 1\u202f250,50\s\$US\.$/);
    assert.match(problemText(translator.fixedT('ar'), limit), /١٬٢٥٠٫٥٠/);
    const yen = phrase('billing:problem.paymentTooLarge', { amount: '5000', currency: 'JPY' });
    // A currency without a smaller unit keeps no decimals (Spanish writes the ISO code).
    assert.equal(
      problemText(translator.fixedT('es'), yen),
      'Un pago no puede superar lo que esta factura aún pide (5000\u00a0JPY).',
    );
  });
});
