import { Op, QueryTypes, UniqueConstraintError, type Transaction } from 'sequelize';
import type { FieldCipher } from '../shared/field-encryption';
import type { MessageRow, MessagingModels, ThreadRow } from './messaging.model';
import type { Thread, ThreadKind } from './messaging.types';
import { forgetInRequest, peekInRequest, primeInRequest, rememberInRequest } from '../shared/request-scope';

/**
 * Request-scoped memo keys (GET requests only, see shared/request-scope): the header's badge and a
 * home page's card ask for the same threads and counts in one request. Every write below that
 * changes them forgets them first.
 */
const REMEMBERED = 'messaging:';

/** threadId → unread count for a person, as their thread list read it (under REMEMBERED, so writes forget it). */
const LISTED_UNREAD = `${REMEMBERED}listed-unread:`;

/**
 * A message `m` the reader `:userId` has not read: from someone else, after their read mark `r`
 * (joined on the thread and reader), not retracted. The thread list and the unread count share it.
 */
const UNREAD_BY_READER = `m.seq > COALESCE(r.last_read_seq, 0)
          AND m.sender_id <> :userId
          AND m.retracted_at IS NULL`;

/** What a thread is made of (its pair key only serves the uniqueness of a pair). */
type ThreadListRow = Omit<ThreadRow, 'pair_key'>;

/** A stored message with its body opened (null once retracted). */
export interface StoredMessage {
  readonly id: string;
  readonly threadId: string;
  readonly seq: number;
  readonly senderId: string;
  readonly body: string | null;
  readonly createdAt: Date;
  readonly retractedAt: Date | null;
}

export interface StoredAttachment {
  readonly id: string;
  readonly messageId: string;
  readonly threadId: string;
  readonly name: string;
  readonly contentType: string;
  readonly sizeBytes: number;
}

/**
 * Messaging's tables. Returns plain objects only. Bodies and attachment names are sealed here with
 * the row id bound into the context (`messages.body:<id>`), so a ciphertext moved to another row
 * fails to open rather than appearing in someone else's thread.
 */
export class MessagingRepository {
  readonly #m: MessagingModels;
  readonly #cipher: FieldCipher;

  constructor(models: MessagingModels, cipher: FieldCipher) {
    this.#m = models;
    this.#cipher = cipher;
  }

  #thread(row: ThreadListRow): Thread {
    return {
      id: row.id,
      kind: row.kind,
      clientId: row.client_id,
      therapistId: row.therapist_id ?? null,
      lastSeq: Number(row.last_seq),
      createdAt: new Date(row.created_at),
      lastMessageAt: row.last_message_at ? new Date(row.last_message_at) : null,
    };
  }

  #message(row: MessageRow): StoredMessage {
    return {
      id: row.id,
      threadId: row.thread_id,
      seq: Number(row.seq),
      senderId: row.sender_id,
      body: row.body_enc === null ? null : this.#cipher.decrypt(row.body_enc, `messages.body:${row.id}`),
      createdAt: new Date(row.created_at),
      retractedAt: row.retracted_at ? new Date(row.retracted_at) : null,
    };
  }

  static pairKey(kind: ThreadKind, clientId: string, therapistId: string | null): string {
    return kind === 'care' ? `care:${therapistId}:${clientId}` : `front_desk:${clientId}`;
  }

  async threadById(id: string, transaction?: Transaction): Promise<Thread | null> {
    const row = await this.#m.threads.findByPk(id, { transaction });
    return row ? this.#thread(row.get({ plain: true })) : null;
  }

  /** The thread for this pair, created if missing (a concurrent creator wins harmlessly). */
  async ensureThread(
    kind: ThreadKind,
    clientId: string,
    therapistId: string | null,
    id: string,
    now: Date,
  ): Promise<{ thread: Thread; created: boolean }> {
    forgetInRequest(REMEMBERED);
    const pair_key = MessagingRepository.pairKey(kind, clientId, therapistId);
    const existing = await this.#m.threads.findOne({ where: { pair_key } });
    if (existing) return { thread: this.#thread(existing.get({ plain: true })), created: false };
    try {
      const row = await this.#m.threads.create({
        id,
        kind,
        client_id: clientId,
        therapist_id: therapistId,
        pair_key,
        last_seq: 0,
        created_at: now,
        last_message_at: null,
      });
      return { thread: this.#thread(row.get({ plain: true })), created: true };
    } catch (error) {
      if (!(error instanceof UniqueConstraintError)) throw error;
      const row = await this.#m.threads.findOne({ where: { pair_key } });
      if (!row) throw error;
      return { thread: this.#thread(row.get({ plain: true })), created: false };
    }
  }

  /** Threads where the person is the client or the therapist, plus (for admins) every front-desk thread. */
  async threadsInvolving(userId: string, includeFrontDesk: boolean): Promise<Thread[]> {
    // A copy each time: callers may sort or filter what they get.
    const threads = await rememberInRequest(
      `${REMEMBERED}threads:${userId}:${includeFrontDesk}`,
      async () => {
        // Plain SQL (the header's badge asks on every signed-in page): no query building or model
        // instances. Dates come back as text from SQLite and as Dates from PostgreSQL; #thread reads both.
        // Each thread's unread count for this person comes along (the badge's second statement was
        // that count), kept for unreadCounts below; who may read which thread is still decided by
        // the caller's policy, and a count of a thread it refuses is never asked for.
        const rows = await this.#m.threads.sequelize!.query<ThreadListRow & { unread: number | string }>(
          `SELECT t.id, t.kind, t.client_id, t.therapist_id, t.last_seq, t.created_at, t.last_message_at,
                  COUNT(m.id) AS unread
             FROM message_threads t
             LEFT JOIN message_thread_reads r ON r.thread_id = t.id AND r.user_id = :userId
             LEFT JOIN messages m ON m.thread_id = t.id AND ${UNREAD_BY_READER}
            WHERE t.client_id = :userId OR t.therapist_id = :userId${includeFrontDesk ? " OR t.kind = 'front_desk'" : ''}
            GROUP BY t.id
            ORDER BY t.created_at ASC`,
          { replacements: { userId }, type: QueryTypes.SELECT },
        );
        // PostgreSQL's COUNT is a bigint, which its driver hands over as text.
        primeInRequest(`${LISTED_UNREAD}${userId}`, new Map(rows.map((r) => [r.id, Number(r.unread)])));
        return rows.map((r) => this.#thread(r));
      },
    );
    return [...threads];
  }

  /** Appends a message: takes the thread's next sequence number (the UPDATE locks the thread row). */
  async insertMessage(
    message: { id: string; threadId: string; senderId: string; body: string; createdAt: Date },
    transaction: Transaction,
  ): Promise<number> {
    forgetInRequest(REMEMBERED);
    await this.#m.threads.increment('last_seq', { by: 1, where: { id: message.threadId }, transaction });
    await this.#m.threads.update(
      { last_message_at: message.createdAt },
      { where: { id: message.threadId }, transaction },
    );
    const thread = await this.#m.threads.findByPk(message.threadId, { transaction });
    const seq = Number(thread!.get('last_seq'));
    await this.#m.messages.create(
      {
        id: message.id,
        thread_id: message.threadId,
        seq,
        sender_id: message.senderId,
        body_enc: this.#cipher.encrypt(message.body, `messages.body:${message.id}`),
        created_at: message.createdAt,
        retracted_at: null,
      },
      { transaction },
    );
    return seq;
  }

  async insertAttachment(
    attachment: StoredAttachment & { createdAt: Date },
    transaction: Transaction,
  ): Promise<void> {
    await this.#m.attachments.create(
      {
        id: attachment.id,
        message_id: attachment.messageId,
        thread_id: attachment.threadId,
        name_enc: this.#cipher.encrypt(attachment.name, `message_attachments.name:${attachment.id}`),
        content_type: attachment.contentType,
        size_bytes: attachment.sizeBytes,
        created_at: attachment.createdAt,
      },
      { transaction },
    );
  }

  async messagesOf(threadIds: readonly string[], transaction?: Transaction): Promise<StoredMessage[]> {
    if (threadIds.length === 0) return [];
    const rows = await this.#m.messages.findAll({
      where: { thread_id: { [Op.in]: [...threadIds] } },
      order: [
        ['thread_id', 'ASC'],
        ['seq', 'ASC'],
      ],
      transaction,
    });
    return rows.map((r) => this.#message(r.get({ plain: true })));
  }

  async messageById(id: string, transaction?: Transaction): Promise<StoredMessage | null> {
    const row = await this.#m.messages.findByPk(id, { transaction });
    return row ? this.#message(row.get({ plain: true })) : null;
  }

  async attachmentsOf(threadIds: readonly string[], transaction?: Transaction): Promise<StoredAttachment[]> {
    if (threadIds.length === 0) return [];
    const rows = await this.#m.attachments.findAll({
      where: { thread_id: { [Op.in]: [...threadIds] } },
      order: [['created_at', 'ASC']],
      transaction,
    });
    return rows.map((r) => this.#attachment(r.get({ plain: true })));
  }

  async attachmentById(id: string, transaction?: Transaction): Promise<StoredAttachment | null> {
    const row = await this.#m.attachments.findByPk(id, { transaction });
    return row ? this.#attachment(row.get({ plain: true })) : null;
  }

  #attachment(p: {
    id: string;
    message_id: string;
    thread_id: string;
    name_enc: string;
    content_type: string;
    size_bytes: number;
  }): StoredAttachment {
    return {
      id: p.id,
      messageId: p.message_id,
      threadId: p.thread_id,
      name: this.#cipher.decrypt(p.name_enc, `message_attachments.name:${p.id}`),
      contentType: p.content_type,
      sizeBytes: Number(p.size_bytes),
    };
  }

  /** Removes the body and the attachment rows; returns the attachment ids whose files must go. */
  async retract(messageId: string, now: Date, transaction: Transaction): Promise<string[]> {
    forgetInRequest(REMEMBERED);
    const attachments = await this.#m.attachments.findAll({
      where: { message_id: messageId },
      attributes: ['id'],
      transaction,
    });
    await this.#m.attachments.destroy({ where: { message_id: messageId }, transaction });
    await this.#m.messages.update(
      { body_enc: null, retracted_at: now },
      { where: { id: messageId, retracted_at: null }, transaction },
    );
    return attachments.map((a) => a.get('id') as string);
  }

  /** userId → read up to seq, for one thread. */
  async readState(threadId: string, transaction?: Transaction): Promise<Map<string, number>> {
    const rows = await this.#m.reads.findAll({ where: { thread_id: threadId }, transaction });
    return new Map(rows.map((r) => [r.get('user_id') as string, Number(r.get('last_read_seq'))]));
  }

  /** Moves the person's read mark forward (never back). Returns true if it moved. */
  async markRead(
    threadId: string,
    userId: string,
    seq: number,
    now: Date,
    transaction: Transaction,
  ): Promise<boolean> {
    forgetInRequest(REMEMBERED);
    const row = await this.#m.reads.findOne({ where: { thread_id: threadId, user_id: userId }, transaction });
    if (!row) {
      await this.#m.reads.create(
        { thread_id: threadId, user_id: userId, last_read_seq: seq, read_at: now },
        { transaction },
      );
      return seq > 0;
    }
    if (Number(row.get('last_read_seq')) >= seq) return false;
    await row.update({ last_read_seq: seq, read_at: now }, { transaction });
    return true;
  }

  /**
   * threadId → messages from others after the person's read mark (retracted ones do not count).
   * One counting statement (the header's badge asks on every page): the read marks are joined in
   * and only counts come back, not a row per unread message.
   */
  async unreadCounts(threadIds: readonly string[], userId: string): Promise<Map<string, number>> {
    if (threadIds.length === 0) return new Map();
    const key = `${REMEMBERED}unread:${userId}:${threadIds.join(',')}`;
    return new Map(
      await rememberInRequest(key, async () => {
        const listed = await peekInRequest<ReadonlyMap<string, number>>(`${LISTED_UNREAD}${userId}`);
        if (!listed || !threadIds.every((id) => listed.has(id))) return this.#countUnread(threadIds, userId);
        // As #countUnread answers: only threads with something unread.
        return new Map(threadIds.filter((id) => listed.get(id)! > 0).map((id) => [id, listed.get(id)!]));
      }),
    );
  }

  async #countUnread(threadIds: readonly string[], userId: string): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    const rows = await this.#m.messages.sequelize!.query<{ thread_id: string; unread: number | string }>(
      `SELECT m.thread_id, COUNT(*) AS unread
         FROM messages m
         LEFT JOIN message_thread_reads r ON r.thread_id = m.thread_id AND r.user_id = :userId
        WHERE m.thread_id IN (:threadIds) AND ${UNREAD_BY_READER}
        GROUP BY m.thread_id`,
      { replacements: { userId, threadIds: [...threadIds] }, type: QueryTypes.SELECT },
    );
    // PostgreSQL's COUNT is a bigint, which its driver hands over as text.
    for (const row of rows) counts.set(row.thread_id, Number(row.unread));
    return counts;
  }

  async awayNotice(userId: string): Promise<string | null> {
    const row = await this.#m.away.findByPk(userId);
    return row ? (row.get('text') as string) : null;
  }

  async setAwayNotice(userId: string, text: string | null, now: Date): Promise<void> {
    if (text === null) {
      await this.#m.away.destroy({ where: { user_id: userId } });
      return;
    }
    await this.#m.away.upsert({ user_id: userId, text, updated_at: now });
  }
}
