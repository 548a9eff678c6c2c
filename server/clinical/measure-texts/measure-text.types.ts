import type { MeasureId } from '../measures';

/**
 * Everything a client reads on one questionnaire, in one language. The wording of a clinical
 * instrument is data, not interface text: it never goes through `t()` and clinic string overrides
 * cannot change it, because a score is only comparable with the published norms when the client
 * answered the published (validated) questions.
 */
export interface MeasureText {
  /** BCP 47 primary language of this wording ('en', 'es', 'fr'…). */
  readonly language: string;
  readonly fullName: string;
  readonly stem: string;
  /** One per item, in the scored order (index i scores answer `<measure>_<i>`). */
  readonly items: readonly string[];
  /** The four frequency answers, for the values 0, 1, 2 and 3 in that order. */
  readonly options: readonly [string, string, string, string];
  /**
   * The unscored difficulty question and its four answers, when the source gives them. A version
   * without them shows the English question (marked `lang="en"`): a question is never dropped.
   */
  readonly difficulty: {
    readonly question: string;
    readonly options: readonly [string, string, string, string];
  } | null;
  /** The credit line printed on the source form; null keeps the English one. */
  readonly attribution: string | null;
  /** Where the wording comes from (the full record is in SOURCES.md next to these files). */
  readonly source: string;
}

/** A validated translation on file for a measure in one language. */
export type MeasureTranslations = Readonly<Partial<Record<MeasureId, MeasureText>>>;
