import type { Request, RequestHandler } from 'express';
import {
  formatDate,
  formatDateTime,
  formatTime,
  localeFromAcceptLanguage,
  type DateReader,
} from '../../shared/date-time-format';

/**
 * The person reading this page: the page's language (in the browser's region when it names one, see
 * language-locals.ts) and their account's time zone (else UTC).
 */
export function dateReaderOf(req: Request): DateReader {
  return {
    locale: req.locale ?? localeFromAcceptLanguage(req.get('accept-language')),
    timeZone: req.user?.timeZone ?? 'UTC',
  };
}

/** What views call to write a date: `dates.dateTime(at)`, or `dates.date(at, 'UTC')` for a UTC column. */
export interface DateLocals {
  dateTime(at: Date | string | number, timeZone?: string): string;
  date(at: Date | string | number, timeZone?: string): string;
  time(at: Date | string | number, timeZone?: string): string;
}

/**
 * Sets `reader` (written onto <html> for the browser bundles) and `dates` for every view, so every
 * page writes dates through the one helper. After the accounts pipeline (it needs `req.user`) and the language middleware (`req.locale`).
 */
export function dateLocals(): RequestHandler {
  return (req, res, next) => {
    const reader = dateReaderOf(req);
    const as = (timeZone?: string): DateReader => (timeZone ? { ...reader, timeZone } : reader);
    const dates: DateLocals = {
      dateTime: (at, zone) => formatDateTime(at, as(zone)),
      date: (at, zone) => formatDate(at, as(zone)),
      time: (at, zone) => formatTime(at, as(zone)),
    };
    res.locals.reader = reader;
    res.locals.dates = dates;
    next();
  };
}
