import { createHash } from 'node:crypto';
import { Op, QueryTypes, type Transaction, type WhereOptions } from 'sequelize';
import { newId } from '../shared/ids';
import type { EmailAttachment, OutboxMessage, OutboxStatus, OutgoingEmail } from './mail.types';
import type { OutboxModel, OutboxRow } from './outbox.model';

function toMessage(row: OutboxRow): OutboxMessage {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    to: row.to_address,
    subject: row.subject,
    text: row.text_body,
    html: row.html_body,
    language: row.language ?? 'en',
    attachments: row.attachments_json ? (JSON.parse(row.attachments_json) as EmailAttachment[]) : [],
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: new Date(row.next_attempt_at),
    lastError: row.last_error,
    messageId: row.message_id,
    createdAt: new Date(row.created_at),
    sentAt: row.sent_at ? new Date(row.sent_at) : null,
  };
}

/** A Message-ID derived from the idempotency key: every attempt of one email carries the same id. */
function messageIdFor(key: string, domain: string): string {
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@${domain}>`;
}

export class OutboxRepository {
  readonly #model: OutboxModel;
  readonly #messageIdDomain: string;

  constructor(model: OutboxModel, messageIdDomain: string) {
    this.#model = model;
    this.#messageIdDomain = messageIdDomain;
  }

  /** Inserts unless the idempotency key is already queued; returns whether a row was added. */
  async insert(email: OutgoingEmail, now: Date, transaction?: Transaction): Promise<boolean> {
    const existing = await this.#model.findOne({
      where: { idempotency_key: email.idempotencyKey },
      attributes: ['id'],
      transaction,
    });
    if (existing) return false;
    // ignoreDuplicates = INSERT OR IGNORE / ON CONFLICT DO NOTHING: a concurrent enqueue of the same
    // key loses quietly instead of aborting the caller's transaction with a unique violation.
    await this.#model.bulkCreate(
      [
        {
          id: newId(),
          idempotency_key: email.idempotencyKey,
          to_address: email.to,
          subject: email.subject,
          text_body: email.text,
          html_body: email.html ?? null,
          language: email.language ?? null,
          attachments_json: email.attachments?.length ? JSON.stringify(email.attachments) : null,
          status: 'queued',
          attempts: 0,
          next_attempt_at: now,
          lease_until: null,
          last_error: null,
          message_id: messageIdFor(email.idempotencyKey, this.#messageIdDomain),
          created_at: now,
          sent_at: null,
        },
      ],
      { transaction, ignoreDuplicates: true },
    );
    return true;
  }

  /** Rows ready for an attempt: queued and due, or `sending` whose lease ran out (a crashed sender). */
  async due(now: Date, limit: number): Promise<OutboxMessage[]> {
    const rows = await this.#model.findAll({
      where: {
        [Op.or]: [
          { status: 'queued', next_attempt_at: { [Op.lte]: now } },
          { status: 'sending', lease_until: { [Op.lte]: now } },
        ],
      },
      order: [['next_attempt_at', 'ASC']],
      limit,
    });
    return rows.map((r) => toMessage(r.get({ plain: true })));
  }

  /**
   * Takes a row for one attempt. The conditional update is the lock: if another sender (another
   * process on PostgreSQL) claimed it first, zero rows change and this one skips it.
   */
  async claim(message: OutboxMessage, now: Date, leaseMs: number): Promise<boolean> {
    const [changed] = await this.#model.update(
      { status: 'sending', lease_until: new Date(now.getTime() + leaseMs), attempts: message.attempts + 1 },
      { where: { id: message.id, status: message.status, attempts: message.attempts } },
    );
    return changed === 1;
  }

  async markSent(id: string, now: Date): Promise<void> {
    await this.#model.update(
      { status: 'sent', sent_at: now, lease_until: null, last_error: null },
      { where: { id } },
    );
  }

  async markRetry(id: string, nextAttemptAt: Date, error: string): Promise<void> {
    await this.#model.update(
      {
        status: 'queued',
        next_attempt_at: nextAttemptAt,
        lease_until: null,
        last_error: error.slice(0, 500),
      },
      { where: { id } },
    );
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.#model.update(
      { status: 'failed', lease_until: null, last_error: error.slice(0, 500) },
      { where: { id } },
    );
  }

  /** Puts a failed email back in the queue (admin "retry"). */
  async requeue(id: string, now: Date): Promise<boolean> {
    const [changed] = await this.#model.update(
      { status: 'queued', attempts: 0, next_attempt_at: now, last_error: null },
      { where: { id, status: 'failed' } },
    );
    return changed === 1;
  }

  async list(filter: { status?: OutboxStatus; limit?: number } = {}): Promise<OutboxMessage[]> {
    const where: WhereOptions<OutboxRow> = filter.status ? { status: filter.status } : {};
    const rows = await this.#model.findAll({
      where,
      order: [['created_at', 'DESC']],
      limit: filter.limit ?? 100,
    });
    return rows.map((r) => toMessage(r.get({ plain: true })));
  }

  /** Messages per status, in one grouped count (the admin's overview asks on every visit). */
  async countByStatus(): Promise<Record<OutboxStatus, number>> {
    const counts: Record<OutboxStatus, number> = { queued: 0, sending: 0, sent: 0, failed: 0 };
    const rows = await this.#model.sequelize!.query<{ status: string; n: number | string }>(
      'SELECT status, COUNT(*) AS n FROM outbox_messages GROUP BY status',
      { type: QueryTypes.SELECT },
    );
    // PostgreSQL's COUNT is a bigint, which its driver hands over as text.
    for (const row of rows)
      if (Object.hasOwn(counts, row.status)) counts[row.status as OutboxStatus] = Number(row.n);
    return counts;
  }
}
