/**
 * When an appointment can be joined. Pure, so the dashboard's "Join" button and the live room's
 * admission check agree on the same rule.
 */
export type JoinState = 'not_yet' | 'open' | 'ended' | 'unavailable';

export interface JoinTimes {
  readonly start: Date;
  readonly end: Date;
  readonly status: string;
}

/**
 * Open from `beforeMinutes` before the start until the end plus `graceMinutes`; only when confirmed.
 * A completed appointment (its session was ended for everyone) is over whatever the time.
 */
export function joinState(a: JoinTimes, now: Date, beforeMinutes: number, graceMinutes = 0): JoinState {
  if (a.status === 'completed') return 'ended';
  if (a.status !== 'confirmed') return 'unavailable';
  const t = now.getTime();
  if (t < a.start.getTime() - beforeMinutes * 60_000) return 'not_yet';
  if (t > a.end.getTime() + graceMinutes * 60_000) return 'ended';
  return 'open';
}

export function joinOpensAt(a: JoinTimes, beforeMinutes: number): Date {
  return new Date(a.start.getTime() - beforeMinutes * 60_000);
}
