/**
 * The one way Haven writes a date or a time for a person to read: in their language's style (the
 * browser's preferred locale) and their time zone. Server-rendered pages, emails and the browser
 * bundles (messages, room chat) all call these, so "Thu, 3 Dec 2026, 09:32" on one page is never
 * "2026-12-03 09:32 UTC" or "09:32 AM" on the next. Imported by the browser too: no Node APIs here.
 */

/** Who is reading: a BCP 47 locale (`en-GB`, `en-US`, `de`) and an IANA time zone. */
export interface DateReader {
  readonly locale: string;
  readonly timeZone: string;
}

/** Used when the reader's language is unknown (emails, a request without Accept-Language). */
export const DEFAULT_LOCALE = 'en-GB';

type Style = 'dateTime' | 'date' | 'time';
const cache = new Map<string, Intl.DateTimeFormat>();

/** Whether the locale writes 4 o'clock as `04:05` (2-digit) or `4:05`, as its own short time style does. */
function hourStyle(locale: string): '2-digit' | 'numeric' {
  const sample = new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone: 'UTC' });
  const hour = sample.formatToParts(Date.UTC(2026, 0, 1, 4, 5)).find((p) => p.type === 'hour');
  return hour && hour.value.length === 2 ? '2-digit' : 'numeric';
}

function formatter(style: Style, reader: DateReader): Intl.DateTimeFormat {
  const key = `${style}|${reader.locale}|${reader.timeZone}`;
  let f = cache.get(key);
  if (!f) {
    const date = { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' } as const;
    const time = { hour: hourStyle(reader.locale), minute: '2-digit' } as const;
    const options = style === 'dateTime' ? { ...date, ...time } : style === 'date' ? date : time;
    f = new Intl.DateTimeFormat(reader.locale, { ...options, timeZone: reader.timeZone });
    cache.set(key, f);
  }
  return f;
}

const asDate = (at: Date | string | number): Date => (at instanceof Date ? at : new Date(at));

/** `Thu, 3 Dec 2026, 09:32` (en-GB) · `Thu, Dec 3, 2026, 9:32 AM` (en-US). */
export function formatDateTime(at: Date | string | number, reader: DateReader): string {
  return formatter('dateTime', reader).format(asDate(at));
}

/** `Thu, 3 Dec 2026` (en-GB) · `Thu, Dec 3, 2026` (en-US). */
export function formatDate(at: Date | string | number, reader: DateReader): string {
  return formatter('date', reader).format(asDate(at));
}

/** `09:32` (en-GB) · `9:32 AM` (en-US). */
export function formatTime(at: Date | string | number, reader: DateReader): string {
  return formatter('time', reader).format(asDate(at));
}

/**
 * The locale to write dates in for someone who reads Haven in `language` (an email, where no browser
 * tells us): English keeps DEFAULT_LOCALE's day-month order, any other language its own style
 * (`es` → `mié, 10 dic 2026, 15:00`), provided this runtime can format it.
 */
export function localeForLanguage(language: string): string {
  if (!language || language === 'en') return DEFAULT_LOCALE;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf(language)[0] ?? DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

/**
 * The first language in an Accept-Language header that this runtime can format dates in, else
 * DEFAULT_LOCALE. `en-US,en;q=0.9` → `en-US`. Quality values are honoured; `*` is ignored.
 */
export function localeFromAcceptLanguage(header: string | undefined): string {
  const wanted = (header ?? '')
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((w) => w.tag && w.tag !== '*' && w.q > 0 && /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(w.tag))
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of wanted) {
    try {
      const [supported] = Intl.DateTimeFormat.supportedLocalesOf(tag);
      if (supported) return supported;
    } catch {
      // A malformed tag: try the next one.
    }
  }
  return DEFAULT_LOCALE;
}
