import type { BillingTranslate, DocumentReader } from '../billing.types';
import { longDay } from '../days';
import { formatMoney } from '../money';

/**
 * A document's words and formats for its reader: `t` in their language, money through Intl in their
 * locale (the currency stays the clinic's), days written their way ("3 de marzo de 2026",
 * "٣ مارس ٢٠٢٦").
 */
export interface DocumentWords {
  readonly t: BillingTranslate;
  readonly reader: DocumentReader;
}

export function moneyFor(words: DocumentWords, currency: string): (minor: number) => string {
  return (minor) => formatMoney(minor, currency, words.reader.locale);
}

export function dayFor(words: DocumentWords): (day: string) => string {
  return (day) => longDay(day, words.reader.locale);
}

/** What PdfPage needs to know of the reader. */
export function pageOptions(words: DocumentWords): { dir: 'ltr' | 'rtl'; lang: string; nothing: string } {
  return {
    dir: words.reader.dir,
    lang: words.reader.language,
    nothing: words.t('billing:pdf.nothingInPeriod'),
  };
}
