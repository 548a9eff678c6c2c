import type { Sequelize } from 'sequelize';
import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import { hashToken as hash, newToken } from '../shared/ids';
import { buildIcs } from './ics';
import type { SchedulingMailer } from './scheduling-mail';
import type { SchedulingRepository } from './scheduling.repository';
import type { Actor, PeopleDirectory } from './scheduling.types';

const DAY = 86_400_000;

/**
 * A private, revocable iCal subscription per person. The token is shown once and only its SHA-256
 * is stored; rotating replaces it (the old URL stops working), revoking deletes it. The feed holds
 * the same thin events as the emails: neutral title, times, a link. Feed reads are not audited —
 * calendar apps poll every few minutes and the feed contains no health information.
 */
export class CalendarFeedService {
  readonly #sequelize: Sequelize;
  readonly #repo: SchedulingRepository;
  readonly #audit: AuditTrail;
  readonly #clock: Clock;
  readonly #mailer: SchedulingMailer;
  readonly #people: PeopleDirectory;
  readonly #publicUrl: string;
  readonly #clinicName: string;

  constructor(
    deps: {
      sequelize: Sequelize;
      repo: SchedulingRepository;
      audit: AuditTrail;
      clock: Clock;
      mailer: SchedulingMailer;
      /** The feed's owner: their calendar entries are in their language. */
      people: PeopleDirectory;
    },
    options: { publicUrl: string; clinicName: string },
  ) {
    this.#sequelize = deps.sequelize;
    this.#repo = deps.repo;
    this.#audit = deps.audit;
    this.#clock = deps.clock;
    this.#mailer = deps.mailer;
    this.#people = deps.people;
    this.#publicUrl = options.publicUrl;
    this.#clinicName = options.clinicName;
  }

  hasFeed(userId: string): Promise<boolean> {
    return this.#repo.hasFeed(userId);
  }

  feedUrl(token: string): string {
    return `${this.#publicUrl}/calendar/${token}.ics`;
  }

  /** Creates the feed, or replaces it with a new secret; returns the URL (shown once). */
  async rotate(actor: Actor): Promise<string> {
    const token = newToken(32);
    await this.#sequelize.transaction(async (transaction) => {
      await this.#repo.setFeed(actor.id, hash(token), this.#clock.now(), transaction);
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'calendar_feed.issued',
          targetType: 'user',
          targetId: actor.id,
          ip: actor.ip ?? null,
        },
        transaction,
      );
    });
    return this.feedUrl(token);
  }

  async revoke(actor: Actor): Promise<boolean> {
    return this.#sequelize.transaction(async (transaction) => {
      const removed = await this.#repo.deleteFeed(actor.id, transaction);
      if (removed) {
        await this.#audit.record(
          {
            actorId: actor.id,
            action: 'calendar_feed.revoked',
            targetType: 'user',
            targetId: actor.id,
            ip: actor.ip ?? null,
          },
          transaction,
        );
      }
      return removed;
    });
  }

  /** The calendar for a token, or null for an unknown/revoked token. */
  async render(token: string): Promise<string | null> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
    const userId = await this.#repo.feedOwner(hash(token));
    if (!userId) return null;
    const now = this.#clock.now();
    const from = new Date(now.getTime() - 30 * DAY);
    const to = new Date(now.getTime() + 400 * DAY);
    const mine = [
      ...(await this.#repo.forTherapist(userId, from, to)),
      ...(await this.#repo.forClient(userId, from, to)),
    ];
    const language = (await this.#people.byId(userId))?.language ?? 'en';
    const events = [...new Map(mine.map((a) => [a.id, a])).values()]
      .filter((a) => a.status !== 'declined')
      .map((a) => this.#mailer.icsEvent(a, now, language));
    return buildIcs(events, { calendarName: this.#clinicName, method: 'PUBLISH' });
  }
}
