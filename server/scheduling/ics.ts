import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';

/**
 * iCalendar output for emails and feeds. Only what a calendar needs: a neutral title, times, the
 * clinic's link. Never a reason for visit, a specialty or anything else about health.
 */
export interface IcsEvent {
  /** Stable per appointment, so calendars update one entry instead of adding another. */
  readonly uid: string;
  /** Raised on every change; calendars ignore updates whose SEQUENCE is not higher. */
  readonly sequence: number;
  readonly start: Date;
  readonly end: Date;
  readonly summary: string;
  /** In the reader's language, like the summary; points to the appointment's page. */
  readonly description: string;
  readonly url: string;
  readonly cancelled: boolean;
  readonly stamp: Date;
}

export interface IcsOptions {
  readonly calendarName: string;
  /** REQUEST for an invitation/update, CANCEL for a cancellation, PUBLISH for a feed. */
  readonly method: 'REQUEST' | 'CANCEL' | 'PUBLISH';
}

/** The domain used in UIDs (`<appointmentId>@<host>`): the clinic's own host. */
export function uidFor(appointmentId: string, publicUrl: string): string {
  return `${appointmentId}@${new URL(publicUrl).hostname}`;
}

export function buildIcs(events: readonly IcsEvent[], options: IcsOptions): string {
  const calendar = ical({
    name: options.calendarName,
    prodId: { company: 'Haven', product: 'Haven scheduling', language: 'EN' },
    method: ICalCalendarMethod[options.method],
  });
  for (const e of events) {
    calendar.createEvent({
      id: e.uid,
      sequence: e.sequence,
      start: e.start,
      end: e.end,
      stamp: e.stamp,
      summary: e.summary,
      url: e.url,
      description: e.description,
      status: e.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}
