/** Calendar days as YYYY-MM-DD text (dates of service, invoice and due dates, statement ranges). */

/** The day an instant falls on in a time zone ('en-CA' lays dates out as YYYY-MM-DD). */
export function dayIn(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The first day of the month `day` is in. */
export function firstOfMonth(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

/** "3 March 2026" (en-GB), "3 de marzo de 2026" (es): a calendar day for documents, in `locale`. */
export function longDay(day: string, locale = 'en-GB'): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString(locale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}
