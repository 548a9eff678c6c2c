import type { Transaction } from 'sequelize';
import type { Clock } from '../shared/clock';
import type { OutboxMessage, OutboxStatus, OutgoingEmail } from './mail.types';
import type { OutboxRepository } from './outbox.repository';

/**
 * The only way features send email: `outbox.enqueue(email, transaction)` inside the transaction of
 * the change that causes it, so either both the change and the email exist, or neither does.
 */
export class Outbox {
  readonly #repo: OutboxRepository;
  readonly #clock: Clock;

  constructor(repo: OutboxRepository, clock: Clock) {
    this.#repo = repo;
    this.#clock = clock;
  }

  /** Queues an email; returns false when one with the same idempotency key already exists. */
  enqueue(email: OutgoingEmail, transaction?: Transaction): Promise<boolean> {
    return this.#repo.insert(email, this.#clock.now(), transaction);
  }

  list(filter?: { status?: OutboxStatus; limit?: number }): Promise<OutboxMessage[]> {
    return this.#repo.list(filter);
  }

  counts(): Promise<Record<OutboxStatus, number>> {
    return this.#repo.countByStatus();
  }

  retry(id: string): Promise<boolean> {
    return this.#repo.requeue(id, this.#clock.now());
  }
}
