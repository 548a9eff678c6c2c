import { joinOpensAt, joinState, type JoinState, type JoinTimes } from './join-window';
import { formatDateTime, formatTime, zoneLabel } from './time-zones';

/** When an appointment is, as a page shows it in the viewer's zone, and whether Join is open now. */
export interface AppointmentTimes {
  readonly when: string;
  /** The end, as a time of day. */
  readonly until: string;
  /** The zone's name and offset at the start, e.g. "London (GMT+1)". */
  readonly zone: string;
  readonly join: JoinState;
  readonly joinOpens: string;
}

/** One rule for how every page (appointments, home pages) shows an appointment's times. */
export function appointmentTimes(
  a: JoinTimes,
  viewerZone: string,
  now: Date,
  joinWindowMinutes: number,
  /** The reader's locale (their browser's language): how dates and times are written. */
  locale?: string,
): AppointmentTimes {
  return {
    when: formatDateTime(a.start, viewerZone, locale),
    until: formatTime(a.end, viewerZone, locale),
    zone: zoneLabel(viewerZone, a.start),
    join: joinState(a, now, joinWindowMinutes),
    joinOpens: formatDateTime(joinOpensAt(a, joinWindowMinutes), viewerZone, locale),
  };
}
