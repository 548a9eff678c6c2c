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
});
