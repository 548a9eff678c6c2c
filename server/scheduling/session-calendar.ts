import type { AppointmentFormat } from './scheduling.types';
import type { SchedulingRepository } from './scheduling.repository';

/** How far either way to look for a client's sessions (a client with none in a year has none). */
const SESSION_LOOKUP_MS = 366 * 86_400_000;

/**
 * When sessions are, read-only: for clinical's "before each session" questionnaires and the admin
 * overview. It needs nothing but the appointments table, so the composition root builds it (with
 * the rest of scheduling's core) before the features that read it: clinical reads session times,
 * scheduling books through clinical's care, and no late-bound lambda joins the two.
 */
export class SessionCalendar {
  readonly #repo: SchedulingRepository;

  constructor(repo: SchedulingRepository) {
    this.#repo = repo;
  }

  /** The start of the client's next confirmed appointment at or after `after`. */
  async nextSessionStart(clientId: string, after: Date): Promise<Date | null> {
    const list = await this.#repo.forClient(clientId, after, new Date(after.getTime() + SESSION_LOOKUP_MS));
    const starts = list.filter((a) => a.status === 'confirmed').map((a) => a.start.getTime());
    return starts.length ? new Date(Math.min(...starts)) : null;
  }

  /** The start of the client's most recent session that started before `before`. */
  async previousSessionStart(clientId: string, before: Date): Promise<Date | null> {
    const list = await this.#repo.forClient(clientId, new Date(before.getTime() - SESSION_LOOKUP_MS), before);
    // A no-show still was the session: the questionnaire before it does not count for the next.
    const held = list.filter((a) => ['confirmed', 'completed', 'no_show'].includes(a.status));
    const starts = held.map((a) => a.start.getTime());
    return starts.length ? new Date(Math.max(...starts)) : null;
  }

  /** Confirmed sessions starting in (from, to], earliest first (times and therapists only). */
  async sessionsStartingBetween(
    from: Date,
    to: Date,
  ): Promise<Array<{ id: string; therapistId: string; start: Date; end: Date; format: AppointmentFormat }>> {
    const list = await this.#repo.confirmedStartingBetween(from, to, 500);
    return list
      .map((a) => ({ id: a.id, therapistId: a.therapistId, start: a.start, end: a.end, format: a.format }))
      .sort((a, b) => a.start.getTime() - b.start.getTime());
  }
}
