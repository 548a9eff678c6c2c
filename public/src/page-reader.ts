import { DEFAULT_LOCALE, type DateReader } from '../../server/shared/date-time-format';

/**
 * The reader the server rendered this page for (`<html data-locale data-time-zone>`), so a time a
 * script adds (a new message, a chat line) reads exactly like the ones already on the page.
 */
export function pageReader(): DateReader {
  const { locale, timeZone } = document.documentElement.dataset;
  return { locale: locale || DEFAULT_LOCALE, timeZone: timeZone || 'UTC' };
}
