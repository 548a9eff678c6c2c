import { DateTime, IANAZone } from 'luxon';
import {
  DEFAULT_LOCALE,
  formatDateTime as formatReadable,
  formatTime as formatReadableTime,
  localeForLanguage,
} from '../shared/date-time-format';

export { localeForLanguage };

/** True for a real IANA zone name such as `Asia/Kolkata` (not offsets like `+05:30`, which ignore DST). */
export function isValidTimeZone(zone: string): boolean {
  return zone.includes('/') || zone === 'UTC' ? IANAZone.isValidZone(zone) : false;
}

/**
 * The zone as people should read it next to a time: its IANA name and the abbreviation or offset in
 * force at that instant, e.g. `America/New_York (EDT)` or `Asia/Kolkata (GMT+5:30)`. Naming the zone
 * on every displayed time is how we avoid "I thought it was my 9 o'clock" mistakes.
 */
export function zoneLabel(zone: string, at: Date): string {
  const name = shortOffsetName(zone, at);
  if (name !== null) return `${zone} (${name})`;
  const local = DateTime.fromJSDate(at, { zone });
  return `${zone} (${local.offsetNameShort ?? local.toFormat('ZZ')})`;
}

/**
 * One formatter per zone for the offset's short name. Luxon's `offsetNameShort` builds a new
 * Intl.DateTimeFormat on every call, which was the costliest step of a page listing appointments
 * (issue 21: 8% of `/appointments`' CPU). Same options and the runtime's default locale, as luxon
 * uses, so the text is the same. Only zones the runtime accepts are kept (a few hundred at most).
 */
const offsetNameFormats = new Map<string, Intl.DateTimeFormat>();

function shortOffsetName(zone: string, at: Date): string | null {
  let format = offsetNameFormats.get(zone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(undefined, {
        timeZoneName: 'short',
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        timeZone: zone,
      });
    } catch {
      return null; // not a zone this runtime knows: luxon's answer (the caller's fallback)
    }
    offsetNameFormats.set(zone, format);
  }
  return format.formatToParts(at).find((part) => part.type === 'timeZoneName')?.value ?? null;
}

/**
 * `Mon, 9 Mar 2026, 09:00` in the given zone, in the reader's locale's style (en-GB when unknown,
 * as in emails): the one date/time format of every page (shared/date-time-format).
 */
export function formatDateTime(at: Date, zone: string, locale: string = DEFAULT_LOCALE): string {
  return formatReadable(at, { locale, timeZone: zone });
}

/** `09:00` (or `9:00 AM`, by locale) in the given zone. */
export function formatTime(at: Date, zone: string, locale: string = DEFAULT_LOCALE): string {
  return formatReadableTime(at, { locale, timeZone: zone });
}

/** The calendar date (`yyyy-MM-dd`) of an instant in a zone. */
export function localDate(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toISODate() ?? '';
}

/** `HH:mm` → minutes after local midnight, or null when malformed. */
export function parseClock(text: string): number | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 24 || minutes > 59 || (hours === 24 && minutes !== 0)) return null;
  return hours * 60 + minutes;
}

/** Minutes after local midnight → `HH:mm`. */
export function clockText(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
