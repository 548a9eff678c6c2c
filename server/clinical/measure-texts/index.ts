import {
  DIFFICULTY_OPTIONS,
  DIFFICULTY_QUESTION,
  FREQUENCY_OPTIONS,
  MEASURE_IDS,
  MEASURES,
  type MeasureId,
} from '../measures';
import type { MeasureText, MeasureTranslations } from './measure-text.types';
import { PHQ9_ES } from './phq9.es';
import { PHQ9_FR } from './phq9.fr';

export type { MeasureText } from './measure-text.types';

/** The published English wording, built from the scored definitions so the two cannot drift. */
const ENGLISH: Readonly<Record<MeasureId, MeasureText>> = Object.fromEntries(
  MEASURE_IDS.map((id) => [
    id,
    {
      language: 'en',
      fullName: MEASURES[id].fullName,
      stem: MEASURES[id].stem,
      items: MEASURES[id].items,
      options: FREQUENCY_OPTIONS.map((o) => o.label) as unknown as MeasureText['options'],
      difficulty: { question: DIFFICULTY_QUESTION, options: DIFFICULTY_OPTIONS },
      attribution: MEASURES[id].attribution,
      source: 'Pfizer PHQ Screeners, English (see SOURCES.md)',
    } satisfies MeasureText,
  ]),
) as Record<MeasureId, MeasureText>;

/**
 * Validated translations on file, by language. A measure missing here for a language is shown in
 * English with a notice: Haven never ships its own translation of a clinical instrument.
 */
const VALIDATED: Readonly<Record<string, MeasureTranslations>> = {
  es: { phq9: PHQ9_ES },
  fr: { phq9: PHQ9_FR },
};

/** The wording a reader gets for a measure, and whether it is in the language they read Haven in. */
export interface MeasureWording {
  readonly measure: MeasureId;
  /** The measure's short name ('PHQ-9'), the same in every language. */
  readonly name: string;
  readonly text: MeasureText;
  /** The English wording, for the parts a translation's source does not give (the difficulty question). */
  readonly english: MeasureText;
  /** The reader's language (primary subtag). */
  readonly readerLanguage: string;
  /** True when no validated translation exists for the reader's language and English is shown instead. */
  readonly englishInstead: boolean;
}

/** The primary subtag of a BCP 47 tag: 'es-MX' → 'es'. */
function primary(language: string): string {
  return language.toLowerCase().split(/[-_]/)[0] ?? 'en';
}

export function measureWording(measure: MeasureId, language: string): MeasureWording {
  const readerLanguage = primary(language);
  const translated = VALIDATED[readerLanguage]?.[measure];
  const english = ENGLISH[measure];
  return {
    measure,
    name: MEASURES[measure].name,
    text: translated ?? english,
    english,
    readerLanguage,
    englishInstead: readerLanguage !== 'en' && !translated,
  };
}

/** Every language a measure has a validated wording in (English first). */
export function measureLanguages(measure: MeasureId): string[] {
  return ['en', ...Object.keys(VALIDATED).filter((lang) => VALIDATED[lang]?.[measure])];
}
