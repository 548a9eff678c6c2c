import assert from 'node:assert/strict';
import path from 'node:path';
import ejs from 'ejs';
import { answersFromForm } from '../../../server/clinical/clinical.schemas';
import { measureLanguages, measureWording } from '../../../server/clinical/measure-texts';
import {
  DIFFICULTY_OPTIONS,
  MEASURE_IDS,
  MEASURES,
  scoreMeasure,
  type MeasureId,
} from '../../../server/clinical/measures';

const PARTIAL = path.join(__dirname, '../../../views/clinical/_measure-items.ejs');
/** Every language Haven is read in; a measure without a validated wording in one falls back to English. */
const READER_LANGUAGES = ['en', 'es', 'fr', 'ar'] as const;

/** The form as a reader in `language` sees it, rendered from the real partial. */
async function renderForm(measure: MeasureId, language: string): Promise<string> {
  const wording = measureWording(measure, language);
  // The page's t (here a stand-in that names the key, so the test reads which message is shown).
  const t = (key: string, values: Record<string, string> = {}) => `${key}(${Object.values(values).join()})`;
  return ejs.renderFile(PARTIAL, { wording, values: {}, errors: {}, t });
}

/**
 * Fills the rendered form the way a person does: for each item, the radio whose visible label is the
 * wording's answer for `answer`; the difficulty select by its visible label. Returns the posted body.
 */
function fillIn(
  html: string,
  measure: MeasureId,
  language: string,
  answers: readonly number[],
): Record<string, string> {
  const { text } = measureWording(measure, language);
  const body: Record<string, string> = {};
  answers.forEach((answer, i) => {
    const name = `${measure}_${i}`;
    const radios = [
      ...html.matchAll(
        new RegExp(`<input type="radio" name="${name}" value="(\\d)"[^>]*> ([^<]+)</label>`, 'g'),
      ),
    ];
    assert.equal(radios.length, 4, `${language} ${measure} item ${i + 1} offers four answers`);
    const wanted = text.options[answer];
    const radio = radios.find((r) => r[2]?.trim() === ejs.escapeXML(wanted ?? ''));
    assert.ok(radio, `${language} ${measure} item ${i + 1} has an answer labelled "${wanted}"`);
    body[name] = radio[1] as string;
  });
  const difficultyLabel = (text.difficulty ?? measureWording(measure, 'en').text.difficulty)?.options[2];
  const option = [...html.matchAll(/<option value="([^"]*)"[^>]*>([^<]+)<\/option>/g)].find(
    (o) => o[2] === ejs.escapeXML(difficultyLabel ?? ''),
  );
  assert.ok(option, `${language} ${measure} offers the difficulty answer "${difficultyLabel}"`);
  body[`${measure}_difficulty`] = option[1] as string;
  return body;
}

describe('clinical measure wordings', () => {
  it('keeps every validated translation the same shape as the English form', () => {
    for (const measure of MEASURE_IDS) {
      for (const language of measureLanguages(measure)) {
        const { text } = measureWording(measure, language);
        assert.equal(text.language, language);
        assert.equal(text.items.length, MEASURES[measure].items.length, `${measure} ${language} items`);
        assert.equal(text.options.length, 4);
        if (text.difficulty) assert.equal(text.difficulty.options.length, DIFFICULTY_OPTIONS.length);
        for (const words of [text.fullName, text.stem, ...text.items, ...text.options]) {
          assert.ok(words.trim().length > 0, `${measure} ${language} has no empty wording`);
        }
      }
    }
  });

  it('ships only the validated translations on file, and English with a notice otherwise', () => {
    assert.deepEqual(measureLanguages('phq9'), ['en', 'es', 'fr']);
    assert.deepEqual(measureLanguages('gad7'), ['en']);
    assert.equal(measureWording('phq9', 'es-MX').text.language, 'es');
    assert.equal(measureWording('phq9', 'es-MX').englishInstead, false);
    assert.equal(measureWording('phq9', 'ar').text.language, 'en');
    assert.equal(measureWording('phq9', 'ar').englishInstead, true);
    assert.equal(measureWording('gad7', 'fr').englishInstead, true);
    assert.equal(measureWording('gad7', 'en').englishInstead, false);
  });

  it('replays the same answers in every language to the same score, band and crisis path', async () => {
    const replays: Record<MeasureId, number[][]> = {
      // minimal without item 9; moderate; item 9 alone (crisis with a minimal total); severe
      phq9: [
        [1, 1, 1, 0, 0, 0, 0, 0, 0],
        [2, 2, 1, 2, 1, 1, 1, 1, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 1],
        [3, 3, 3, 3, 3, 2, 2, 2, 2],
      ],
      gad7: [
        [0, 0, 0, 0, 0, 0, 0],
        [2, 1, 2, 1, 1, 2, 1],
        [3, 3, 3, 3, 2, 2, 2],
      ],
    };
    for (const measure of MEASURE_IDS) {
      for (const answers of replays[measure]) {
        const expected = scoreMeasure(measure, answers);
        for (const language of READER_LANGUAGES) {
          const html = await renderForm(measure, language);
          const parsed = answersFromForm(measure, fillIn(html, measure, language, answers));
          const score = scoreMeasure(measure, parsed.answers);
          assert.deepEqual(
            {
              total: score.total,
              severity: score.severity,
              crisis: score.crisis,
              difficulty: parsed.difficulty,
            },
            {
              total: expected.total,
              severity: expected.severity,
              crisis: expected.crisis,
              difficulty: DIFFICULTY_OPTIONS[2],
            },
            `${measure} ${answers.join('')} in ${language}`,
          );
        }
      }
    }
    // the item-9 replay really took the crisis path
    assert.equal(scoreMeasure('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 1]).crisis, true);
  });

  it('marks the form with the language of its wording, and the English parts a source lacks', async () => {
    const french = await renderForm('phq9', 'fr');
    assert.match(french, /<fieldset lang="fr">/);
    assert.match(french, /Plus de sept jours/);
    assert.match(french, /<label for="phq9_difficulty" lang="en">If you checked off any problems/);
    const arabic = await renderForm('gad7', 'ar');
    assert.match(arabic, /<fieldset lang="en">/);
    assert.match(arabic, /<p class="notice" lang="ar">measures:englishInstead\(GAD-7\)<\/p>/);
    const spanish = await renderForm('phq9', 'es');
    assert.match(spanish, /<label for="phq9_difficulty" >Si marcó cualquiera/);
    assert.doesNotMatch(await renderForm('phq9', 'en'), /class="notice"/);
  });
});
